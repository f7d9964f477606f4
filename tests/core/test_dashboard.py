"""The dashboard's sections, charts (core.dashboard.Chart, drawn by Chart.js served locally) and
lists, and core.workflow.engine.entered (documents that reached a state between two moments)."""
import html
import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.dashboard import Chart, Dataset, Section, Widget, sections
from core.extensions import db
from core.hookspecs import hookimpl
from tests.conftest import sign_in_as
from tests.core.test_documents import create
from tests.core.test_workflow import act, people  # noqa: F401  (fixture)


def charts_of(page: str) -> dict[str, dict]:
    """title -> the chart's configuration, read from the dashboard's HTML."""
    found = {}
    for card in page.split('<div class="card h-100 widget"')[1:]:
        title = re.search(r'<h2 class="h6 card-title">(?:<a href="[^"]*">)?([^<]+)<', card)[1]
        config = re.search(r"data-chart='([^']*)'", card)
        if config:
            found[html.unescape(title)] = json.loads(html.unescape(config[1]))
    return found


class Charts:
    """A test plugin contributing widgets in two sections."""

    @hookimpl
    def erp_dashboard_widgets(self, user):
        later, first = Section("t.later", "Later section", 50), Section("t.first", "First section", 10)
        return [
            Widget("Second of first", value=2, order=20, section=first),
            Widget("Money by month", order=10, section=first, chart=Chart(
                "bar", labels=["Jan", "Feb"], links=["/a", "/b"],
                datasets=[Dataset("Count", [1, 3]), Dataset("Amount", [Decimal("12.50"), 4], axis="right")])),
            Widget("Share", section=later, chart=Chart("doughnut", labels=["x", "y"], datasets=[Dataset("n", [1, 1])])),
            Widget("Nothing yet", section=later, order=200,
                   chart=Chart("line", labels=[], datasets=[Dataset("n", [])])),
            Widget("To do", section=later, order=300, items=[("Write the report", "/r/1"), ("Call <Wang>", "")]),
        ]


def test_chart_declarations_are_checked():
    with pytest.raises(ValueError, match="kind"):
        Chart("radar", labels=["a"], datasets=[Dataset("n", [1])])
    with pytest.raises(ValueError, match="1 values for 2 labels"):
        Chart("bar", labels=["a", "b"], datasets=[Dataset("n", [1])])
    with pytest.raises(TypeError, match="not a number"):
        Dataset("n", ["1"])
    with pytest.raises(ValueError, match="links"):
        Chart("pie", labels=["a"], datasets=[Dataset("n", [1])], links=["/a", "/b"])
    with pytest.raises(ValueError, match="Dataset"):
        Chart("pie", labels=["a"], datasets=[])
    chart = Chart("bar", labels=["a"], datasets=[Dataset("n", [Decimal("1234.5")])])
    assert chart.config()["datasets"][0]["data"] == [1234.5] and chart.rows() == [("a", "", ["1,234.50"])]


def test_sections_and_widgets_in_their_order():
    a, b = Section("a", "A", 20), Section("b", "B", 10)
    grouped = sections([Widget("w1", section=a, order=2), Widget("w2", section=b), Widget("w0"),
                        Widget("w3", section=Section("a", "A", 20), order=1)])
    assert [(s.key, [w.title for w in ws]) for s, ws in grouped] == [("", ["w0"]), ("b", ["w2"]), ("a", ["w3", "w1"])]


def test_dashboard_draws_charts_in_sections_with_their_figures(app, client, login_as):
    app.extensions["erp"].pm.register(Charts(), name="charts")
    login_as("ROLE-MKT-AM")
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("First section") < page.index("Money by month") < page.index("Second of first") \
        < page.index("Later section") < page.index("Share") < page.index("Nothing yet") < page.index("To do")
    assert charts_of(page)["Money by month"] == {
        "kind": "bar", "labels": ["Jan", "Feb"], "links": ["/a", "/b"], "horizontal": False,
        "datasets": [{"label": "Count", "data": [1, 3], "axis": "left"},
                     {"label": "Amount", "data": [12.5, 4], "axis": "right"}]}
    assert '<td class="text-end">12.50</td>' in page and '<a href="/b">Feb</a>' in page   # the figures' table
    assert "Nothing yet" not in charts_of(page) and "Nothing to show yet." in page
    assert '<a href="/r/1">Write the report</a>' in page and "Call &lt;Wang&gt;" in page
    # Chart.js and the drawing script, served from the app itself (the CSP allows no other origin)
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js">' in page and '/static/js/dashboard.js' in page
    library = client.get("/static/vendor/chartjs/chart.umd.min.js")
    assert library.status_code == 200 and b"Chart.js v4" in library.data
    library.close()
    assert client.get("/static/js/dashboard.js").status_code == 200


def test_no_chart_no_library(client, login_as):
    login_as("ROLE-FIN")
    page = client.get("/").get_data(as_text=True)
    assert "chart.umd.min.js" not in page


def test_the_due_and_overdue_card_lists_the_first_items_overdue_first(app, client, login_as):
    from core.reminders import Reminder
    from tests.core.test_reminders import register
    me = login_as("ROLE-MKT-AM")
    register(app, lambda now: [Reminder("soon", me, "Weekly plan", now + timedelta(hours=1), url="/plan"),
                               Reminder("late", me, "Late visit log", now - timedelta(hours=1), url="/log")])
    page = client.get("/").get_data(as_text=True)
    card = page[page.index("Due and overdue"):]
    assert card.index('<a href="/log">Late visit log</a>') < card.index('<a href="/plan">Weekly plan</a>')


def test_a_managers_team_card_charts_overdue_work_per_person(app, client, people):  # noqa: F811
    from core.reminders import Reminder
    from tests.core.test_reminders import register
    register(app, lambda now: [
        Reminder("a", people["seller"], "Late A", now - timedelta(hours=2)),
        Reminder("b", people["seller"], "Late B", now - timedelta(hours=1)),
        Reminder("c", people["outsider"], "Late C", now - timedelta(hours=1)),
        Reminder("d", people["outsider"], "Not yet", now + timedelta(hours=1)),
        Reminder("e", people["gm"], "Not in his team", now - timedelta(hours=1))])
    sign_in_as(client, "manager")
    page = client.get("/").get_data(as_text=True)
    chart = charts_of(page)["Overdue in my team"]
    assert chart["labels"] == ["seller", "outsider"] and chart["datasets"][0]["data"] == [2, 1]
    assert chart["horizontal"] is True and chart["links"] == ["/team#person-seller", "/team#person-outsider"]
    assert 'id="person-seller"' in client.get("/team").get_data(as_text=True)
    sign_in_as(client, "seller")   # no one reports to him: no team card
    assert "Overdue in my team" not in client.get("/").get_data(as_text=True)


@pytest.mark.workshop
def test_entered_finds_the_documents_that_reached_a_state_in_a_period(app, client, people):  # noqa: F811
    from core.workflow.engine import entered
    sign_in_as(client, "seller")
    approved, returned, waiting = create(client, amount="100"), create(client, amount="200"), create(client)
    for doc_id in (approved, returned, waiting):
        act(client, doc_id, "submit")
    sign_in_as(client, "manager")
    act(client, approved, "approve")
    act(client, returned, "reject", "太贵")
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    now = datetime.now(timezone.utc)
    with app.app_context():
        def ids(states, since=now - timedelta(hours=1), until=now + timedelta(hours=1)):
            return set(db.session.scalars(entered(doctype, states, since, until)))
        assert ids(["approved"]) == {approved}
        assert ids(["draft"]) == {returned}                       # by a rejection, not by creation
        assert ids(["submitted"]) == {approved, returned, waiting}
        assert ids(["approved", "draft"]) == {approved, returned}
        assert ids(["approved"], since=now + timedelta(hours=1), until=now + timedelta(hours=2)) == set()
        assert ids(["approve%"]) == set() and ids(["a_proved"]) == set()   # LIKE wildcards are literal
        with pytest.raises(ValueError):
            entered(doctype, [], now, now)
