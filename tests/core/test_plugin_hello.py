"""The example partner plugin (examples/erp-plugin-hello), installed like any partner's package."""
import json

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.auth.models import Role, RolePermission
from core.cli import cli
from core.extensions import db


def add_greeting(app, text):
    from erp_hello.models import Greeting
    with app.app_context():
        db.session.add(Greeting(text=text))
        db.session.commit()


def test_hello_is_installed_and_running(app):
    erp = app.extensions["erp"]
    assert "hello" in erp.enabled
    assert erp.manifests["hello"].distribution == "erp-plugin-hello"
    assert erp.permissions["hello.view"][0] == "hello"
    assert erp.permissions["hello.create"][0] == "hello"
    from erp_hello.models import Greeting
    assert erp.models["hello"] == [Greeting]


def test_menu_shows_hello_to_a_user_holding_hello_view(client, login_as):
    login_as("ROLE-GM")
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' in page
    assert 'href="/hello/"' in page


def test_menu_hides_hello_without_the_permission(client, login_as):
    login_as("ROLE-FIN")
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' not in page and 'href="/hello/"' not in page
    assert client.get("/hello/").status_code == 403


def test_page_lists_greetings(app, client, login_as):
    add_greeting(app, "你好，盈隆！")
    add_greeting(app, "Good morning")
    login_as("ROLE-GM")
    response = client.get("/hello/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "你好，盈隆！" in page and "Good morning" in page
    assert page.index("Good morning") < page.index("你好，盈隆！")  # newest first


def test_post_creates_an_audited_greeting(app, client, login_as):
    user_id = login_as("ROLE-GM")
    response = client.post("/hello/", data={"text": "Hello from the test"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/hello/")
    assert "Hello from the test" in client.get("/hello/").get_data(as_text=True)
    from erp_hello.models import Greeting
    with app.app_context():
        greeting = db.session.scalar(select(Greeting).where(Greeting.text == "Hello from the test"))
        assert greeting is not None
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "hello_greeting"))
        assert entry is not None
        assert (entry.action, entry.record_id, entry.user_id) == ("insert", str(greeting.id), user_id)
        assert json.loads(entry.changes)["text"] == "Hello from the test"


def test_post_without_hello_create_creates_nothing(app, client, login_as):
    login_as("ROLE-MKT-AM")  # holds hello.view only
    response = client.post("/hello/", data={"text": "Not allowed"})
    assert response.status_code == 200
    assert "Not allowed" not in response.get_data(as_text=True)
    from erp_hello.models import Greeting
    with app.app_context():
        assert db.session.scalar(select(Greeting)) is None


def test_empty_greeting_is_refused(app, client, login_as):
    login_as("ROLE-GM")
    client.post("/hello/", data={"text": ""})
    from erp_hello.models import Greeting
    with app.app_context():
        assert db.session.scalar(select(Greeting)) is None


def test_erp_hello_count(app, runner):
    result = runner.invoke(cli, ["hello", "count"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0"
    add_greeting(app, "one")
    add_greeting(app, "two")
    result = runner.invoke(cli, ["hello", "count"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2"


@pytest.mark.modules("sales")
def test_hello_left_out_of_erp_modules(app, client, runner, login_as):
    erp = app.extensions["erp"]
    assert "hello" not in erp.enabled
    assert not [c for c in erp.permissions if c.startswith("hello.")]
    assert not [i for i in erp.menu_items if i.section == "hello"]
    login_as("ROLE-GM")
    with app.app_context():  # a grant kept from when hello ran does nothing now
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        if "hello.view" not in role.permission_codes:
            role.grants.append(RolePermission(code="hello.view"))
        db.session.commit()
    assert client.get("/hello/").status_code == 404
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' not in page and 'href="/hello/"' not in page
    result = runner.invoke(cli, ["hello", "count"])
    assert result.exit_code != 0 and "No such command" in result.output
