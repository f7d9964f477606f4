"""Overdue computed from the deadline and the clock (issue 12, item 2): a draft past its deadline
is overdue before anyone submits it, in the list (column and filter), the detail page and the API;
handing it in ends it."""
import pytest

from tests.conftest import sign_in_as
from tests.modules.sales.test_visits import act, report_payload

pytestmark = pytest.mark.modules("sales")


def overdue_in_list(client, market, who, **args):
    response = client.get("/api/v1/sales/regional_report", query_string=args, headers=market["headers"][who])
    assert response.status_code == 200, response.get_json()
    return {row["id"]: row["overdue"] for row in response.get_json()["items"]}


def test_a_draft_report_past_its_deadline_is_overdue_everywhere_until_submitted(app, market, api, client, clock):
    clock("2026-06-30 17:00")                      # due 30 June 18:00 (quarter end)
    status, report = api(market, "aam", "post", "regional_report", report_payload(app))
    assert status == 201 and report["overdue"] is False, report
    assert overdue_in_list(client, market, "mgr") == {report["id"]: False}   # 10:00 in UTC as stored
    assert overdue_in_list(client, market, "mgr", overdue="1") == {}
    clock("2026-06-30 18:01")
    status, report = api(market, "aam", "get", f"regional_report/{report['id']}")
    assert report["overdue"] is True                # never submitted, and yet overdue
    assert overdue_in_list(client, market, "mgr") == {report["id"]: True}
    assert overdue_in_list(client, market, "mgr", overdue="1") == {report["id"]: True}
    assert overdue_in_list(client, market, "mgr", overdue="0") == {}

    sign_in_as(client, "mgr")
    page = client.get("/sales/regional_report/?overdue=1").get_data(as_text=True)
    assert report["number"] in page
    assert report["number"] not in client.get("/sales/regional_report/?overdue=0").get_data(as_text=True)
    detail = client.get(f"/sales/regional_report/{report['id']}").get_data(as_text=True)
    assert "逾期" in detail or "Overdue" in detail

    status, report = act(market, api, "aam", "regional_report", report["id"], "submit")
    assert status == 200 and report["overdue"] is False and report["submitted_late"] is True
    assert overdue_in_list(client, market, "mgr", overdue="1") == {}


def test_deadlines_become_reminders_then_overdue_notices_to_the_manager_once(app, market, api, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from sqlalchemy import select
    from core.extensions import db
    from core.reminders.models import Notification
    shanghai = ZoneInfo("Asia/Shanghai")
    clock("2026-06-26 10:00")
    report = api(market, "aam", "post", "regional_report", report_payload(app))[1]

    def notes():
        return {(n.user_id, n.key.rsplit(":", 1)[-1] == "overdue") for n in db.session.scalars(
            select(Notification).where(Notification.key.startswith("sales.regional_report:")))}

    def new_notices(moment):  # how many of the report's own notices `erp reminders send` adds
        from core.reminders import send
        before = len(notes())
        send(moment)
        return len(notes()) - before
    ids = market["ids"]
    with app.app_context():
        assert new_notices(datetime(2026, 6, 26, 10, 0, tzinfo=shanghai)) == 0      # due Tuesday: not yet
        assert new_notices(datetime(2026, 6, 29, 10, 0, tzinfo=shanghai)) == 1      # due within a working day
        assert notes() == {(ids["aam"], False)}
        assert new_notices(datetime(2026, 6, 30, 18, 5, tzinfo=shanghai)) == 1      # overdue: his manager is told
        assert notes() == {(ids["aam"], False), (ids["mgr"], True)}
        assert new_notices(datetime(2026, 7, 1, 9, 0, tzinfo=shanghai)) == 0        # once
    clock("2026-07-01 09:00")
    assert act(market, api, "aam", "regional_report", report["id"], "submit")[0] == 200
    with app.test_request_context():
        from core.reminders import collect
        assert not [r for r in collect(datetime(2026, 7, 1, 9, 5, tzinfo=shanghai))
                    if r.key.startswith(f"sales.regional_report:{report['id']}:")]


def test_the_market_manager_sees_his_peoples_overdue_work_with_links(app, market, api, client, clock):
    clock("2026-06-30 18:30")
    report = api(market, "aam", "post", "regional_report", report_payload(app))[1]
    sign_in_as(client, "mgr")
    page = client.get("/team").get_data(as_text=True)
    row = page[page.index('data-person="aam"'):]
    row = row[:row.index("</tr>")]
    assert 'data-overdue="1"' in row and f"/sales/regional_report/{report['id']}" in row
    assert 'data-person="mgr"' not in page                    # not himself
    assert "/team" in client.get("/").get_data(as_text=True)  # the dashboard's widget leads there
    sign_in_as(client, "aam")
    assert 'id="team"' not in client.get("/team").get_data(as_text=True)   # no one reports to him


def test_a_visit_log_never_started_is_reminded_then_overdue_and_one_started_by_its_deadline(
        app, market, api, client, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from core.extensions import db
    from core.auth.models import User
    from core.reminders import collect
    from tests.modules.sales.test_visits import visit_log
    shanghai = ZoneInfo("Asia/Shanghai")
    ids = market["ids"]
    with app.app_context():
        for uid in ids.values():   # people who were here before the week began
            db.session.get(User, uid).created_at = datetime(2026, 1, 1, tzinfo=shanghai)
        db.session.commit()
    clock("2026-03-03 19:00")      # Tuesday evening: Monday and Tuesday's logs are overdue
    status, log = visit_log(market, api, "2026-03-02", no_contact_reason="training")
    assert status == 201 and log["overdue"] is True, log           # started, not handed in
    with app.test_request_context():
        mine = {r.key: r for r in collect(datetime(2026, 3, 3, 19, 0, tzinfo=shanghai)) if r.user_id == ids["am"]}
    assert f"sales.visit_log:2026-03-03:user:{ids['am']}" in mine             # never started
    assert f"sales.visit_log:2026-03-02:user:{ids['am']}" not in mine         # started: its own deadline
    assert f"sales.visit_log:{log['id']}:" in " ".join(mine)
    missing = mine[f"sales.visit_log:2026-03-03:user:{ids['am']}"]
    assert missing.is_overdue(datetime(2026, 3, 3, 19, 0, tzinfo=shanghai))
    sign_in_as(client, "am")
    form = client.get(missing.url).get_data(as_text=True)        # opens the log of that day
    assert 'value="2026-03-03"' in form
    sign_in_as(client, "mgr")
    team = client.get("/team").get_data(as_text=True)
    row = team[team.index('data-person="am"'):]
    assert 'data-overdue="0"' not in row[:row.index("</tr>")]
