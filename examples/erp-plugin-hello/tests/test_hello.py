"""The hello module's own tests, written as a partner writes them: core's pytest plugin gives the
fixtures (app, client, login_as, runner, api_client...) once core and this package are installed.
Run them with `pytest` in this folder."""
import json
import re

import pytest
from erp_hello.models import Greeting
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.extensions import db

pytestmark = pytest.mark.modules("hello")  # core and hello only: the other modules stay out


def add_greetings(app, *texts):
    with app.app_context():
        db.session.add_all(Greeting(text=text) for text in texts)
        db.session.commit()


def greetings(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Greeting.text).order_by(Greeting.id)))


def test_the_page_needs_hello_view(client, login_as):
    assert client.get("/hello/").status_code == 302  # to the sign-in page
    login_as("ROLE-FIN")
    assert client.get("/hello/").status_code == 403
    page = client.get("/").get_data(as_text=True)
    assert 'href="/hello/"' not in page  # neither menu entry nor widget


def test_a_greeting_posted_appears_first_and_is_audited(app, client, login_as):
    add_greetings(app, "你好，盈隆！")
    user_id = login_as("ROLE-GM")
    response = client.post("/hello/", data={"text": "Good morning"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/hello/")
    page = client.get("/hello/").get_data(as_text=True)
    assert page.index("Good morning") < page.index("你好，盈隆！")  # newest first
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "hello_greeting")
                                  .order_by(AuditEntry.id.desc()).limit(1))
        assert entry.action == "insert"
        assert entry.user_id == user_id and json.loads(entry.changes)["text"] == "Good morning"


def test_without_hello_create_nothing_is_saved(app, client, login_as):
    login_as("ROLE-MKT-AM")  # hello.view only
    response = client.post("/hello/", data={"text": "Not allowed"})
    assert response.status_code == 200 and "Not allowed" not in response.get_data(as_text=True)
    assert greetings(app) == []


def test_an_empty_or_too_long_greeting_is_refused(app, client, login_as):
    login_as("ROLE-GM")
    assert client.post("/hello/", data={"text": ""}).status_code == 200
    assert client.post("/hello/", data={"text": "x" * 201}).status_code == 200
    assert greetings(app) == []


def test_erp_hello_count(app, runner):
    assert runner.invoke(["hello", "count"]).output.strip() == "0"
    add_greetings(app, "one", "two")
    result = runner.invoke(["hello", "count"])
    assert result.exit_code == 0 and result.output.strip() == "2"


def test_the_dashboard_counts_greetings_for_who_may_see_them(app, client, login_as):
    add_greetings(app, "one", "two", "three")
    login_as("ROLE-MKT-AM")
    widgets = client.get("/").get_data(as_text=True).split('id="widgets"', 1)[1]
    assert re.search(r'<a href="/hello/">Greetings</a></h2>\s*<div class="display-6">3</div>', widgets)


def test_the_api_serves_no_greetings(api_client):
    """hello declares no document type: the API answers 404 in JSON, not a page."""
    response = api_client("ROLE-GM").get("hello/greeting")
    assert response.status_code == 404 and "error" in response.get_json()
