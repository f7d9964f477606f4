"""On the site: the site survey record (X-E01) guards leaving SURVEY (R-E-030) and is due five
working days after the engineer's assignment; the site log (X-E09) is one per project per day and
seen only by the project's engineers and those who read every project."""
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

SHANGHAI = ZoneInfo("Asia/Shanghai")
SURVEY = {"survey_date": "2026-12-03", "building": "教学楼五层框架结构", "routes": "走廊吊顶内新敷桥架",
          "machine_room": "一层中心机房40㎡", "power_grounding": "独立配电箱，接地3.2Ω",
          "differences": "五层新增24个信息点", "change_needed": True,
          "participants": [{"org": "我司工程部", "name": "张工"}, {"org": "市一中信息中心", "name": "王主任"}]}


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def attach(eweb, who, doctype, doc_id, name="现场照片.jpg"):
    response = eweb(who).post(f"/engineering/{doctype}/{doc_id}/attachments",
                              data={"file": (io.BytesIO(b"\xff\xd8\xff\xe0 photo"), name)},
                              content_type="multipart/form-data")
    assert response.status_code == 302


def test_leaving_survey_needs_a_confirmed_survey_record(app, team, eapi, eweb, clock):
    clock("2026-12-03 16:00")
    pid = make_project(app, team, state="survey")
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/survey_done", {})
    assert status == 422 and "R-E-030" in str(body) and "site survey record" in str(body)

    status, survey = eapi(team, "pe", "post", "site_survey", {"project_id": pid, **SURVEY})
    assert status == 201, survey
    assert survey["state"] == "draft" and survey["number"].startswith("KT-")
    assert "change proposal" in survey["follow_up"]
    # A draft does not open the gate; confirming wants the photos attached.
    assert eapi(team, "pe", "post", f"project/{pid}/transitions/survey_done", {})[0] == 422
    status, body = eapi(team, "pe", "post", f"site_survey/{survey['id']}/transitions/confirm", {})
    assert status == 422 and "photos" in str(body)
    attach(eweb, "pe", "site_survey", survey["id"])
    status, body = eapi(team, "pe", "post", f"site_survey/{survey['id']}/transitions/confirm", {})
    assert status == 200 and body["state"] == "confirmed", body
    assert body["pe_sig_by_id"] == team["ids"]["pe"] and body["pe_sig_at"]
    with app.app_context():  # the differences change the cost: the manager hears of it
        from core.reminders.models import Notification
        notes = db.session.query(Notification).filter_by(user_id=team["ids"]["eng_mgr"]).all()
        assert any("change proposal" in n.title and survey["number"] in n.title for n in notes)
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/survey_done", {})
    assert status == 200 and body["state"] == "planning", body


def test_survey_required_fields_and_project(app, team, eapi, clock):
    clock("2026-12-03 16:00")
    pid = make_project(app, team, state="survey")
    status, body = eapi(team, "pe", "post", "site_survey", {"project_id": pid, **SURVEY, "routes": ""})
    assert status == 422 and "routes" in body["fields"]
    # Another engineer's project is not his to survey.
    other = make_project(app, team, state="survey", engineer="pe2")
    status, body = eapi(team, "pe", "post", "site_survey", {**SURVEY, "project_id": other})
    assert status == 422 and "project_id" in body["fields"]


def test_survey_due_five_working_days_after_assignment_then_overdue(app, team, eapi, clock):
    # Assigned on Tuesday 1 December 2026 (10:00 in Shanghai): due Tuesday the 8th at the end of work.
    pid = make_project(app, team, state="survey", created_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    clock("2026-12-02 09:00")
    status, survey = eapi(team, "pe", "post", "site_survey", {"project_id": pid, **SURVEY})
    assert status == 201, survey
    due = datetime.fromisoformat(survey["due_at"])
    assert due.astimezone(SHANGHAI) == datetime(2026, 12, 8, 18, 0, tzinfo=SHANGHAI)
    assert survey["overdue"] is False
    clock("2026-12-08 17:59")
    assert eapi(team, "pe", "get", f"site_survey/{survey['id']}")[1]["overdue"] is False
    clock("2026-12-08 18:01")
    assert eapi(team, "pe", "get", f"site_survey/{survey['id']}")[1]["overdue"] is True
    status, body = eapi(team, "eng_mgr", "get", "site_survey?overdue=1")
    assert status == 200 and [row["id"] for row in body["items"]] == [survey["id"]]


def test_engineer_reminded_of_a_survey_not_begun(app, team, clock):
    pid = make_project(app, team, state="survey", created_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    with app.app_context():
        from core.reminders import collect
        mine = [r for r in collect(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI))
                if r.user_id == team["ids"]["pe"] and r.key.startswith("engineering.site_survey:project")]
        assert len(mine) == 1 and mine[0].due_at == datetime(2026, 12, 8, 18, 0, tzinfo=SHANGHAI)
        assert f"project_id={pid}" in mine[0].url


LOG = {"weather": "晴", "work_done": "三层水平桥架安装完成80%", "materials_used": "桥架60米",
       "problems": "四层吊顶内空调风管需绕行", "manpower": [{"team": "宏达弱电施工队", "trade": "布线", "count": 6}]}


def test_one_site_log_per_project_per_day(app, team, eapi, clock):
    clock("2026-12-10 17:00")
    pid = make_project(app, team, state="in_construction")
    status, log = eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-10", **LOG})
    assert status == 201, log
    assert log["number"].startswith("RZ-") and log["manpower"][0]["count"] == 6
    status, body = eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-10", **LOG})
    assert status == 422 and "2026-12-10" in str(body["fields"]["log_date"])
    assert "one per project per day" in str(body)
    # Another day, and the same day on another project, are fine; tomorrow is not yet.
    assert eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-09", **LOG})[0] == 201
    other = make_project(app, team, state="in_construction")
    assert eapi(team, "pe", "post", "site_log", {"project_id": other, "log_date": "2026-12-10", **LOG})[0] == 201
    status, body = eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-11", **LOG})
    assert status == 422 and "log_date" in body["fields"]
    # Confirmed, it is signed and its day is kept.
    status, body = eapi(team, "pe", "post", f"site_log/{log['id']}/transitions/confirm", {})
    assert status == 200 and body["pe_sig_by_id"] == team["ids"]["pe"]


def test_site_log_seen_by_the_projects_engineers_and_listed_on_the_project(app, team, eapi, eweb, clock):
    clock("2026-12-10 17:00")
    pid = make_project(app, team, state="in_construction")
    status, log = eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-10", **LOG})
    assert status == 201
    # An engineer of another project: not found, not listed, not written.
    assert eapi(team, "pe2", "get", f"site_log/{log['id']}")[0] == 404
    assert eapi(team, "pe2", "get", "site_log")[1]["items"] == []
    assert eapi(team, "pe2", "post", "site_log", {"project_id": pid, "log_date": "2026-12-09", **LOG})[0] == 422
    # The second engineer of the project sees and edits it; the manager and the GM read it.
    with app.app_context():
        from modules.engineering.projects import EngProject
        db.session.get(EngProject, pid).deputy_engineer_id = team["ids"]["pe2"]
        db.session.commit()
    status, body = eapi(team, "pe2", "get", f"site_log/{log['id']}")
    assert status == 200
    assert eapi(team, "pe2", "patch", f"site_log/{log['id']}", {"weather": "小雨", "version": body["version"]})[0] == 200
    assert eapi(team, "eng_mgr", "get", f"site_log/{log['id']}")[0] == 200
    assert eapi(team, "gm", "get", f"site_log/{log['id']}")[0] == 200
    assert eapi(team, "gm", "post", "site_log", {"project_id": pid, "log_date": "2026-12-08", **LOG})[0] == 403
    page = eweb("pe").get(f"/engineering/project/{pid}").get_data(as_text=True)
    assert log["number"] in page and "/engineering/site_survey/new?project_id=" in page


def test_record_the_site_survey_from_the_project(app, team, eweb):
    pid = make_project(app, team, state="survey")
    browser = eweb("pe")
    assert f"/engineering/project/{pid}/site-survey" in browser.get(f"/engineering/project/{pid}").get_data(as_text=True)
    response = browser.get(f"/engineering/project/{pid}/site-survey")
    assert response.status_code == 302 and f"/engineering/site_survey/new?project_id={pid}" in response.location
    assert eweb("gm").get(f"/engineering/project/{pid}/site-survey").status_code == 403


def test_site_log_reminder_on_a_working_day(app, team, eapi, clock):
    pid = make_project(app, team, state="in_construction")
    clock("2026-12-10 09:00")
    with app.app_context():
        from core.reminders import collect
        keys = {r.key for r in collect(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI)) if r.user_id == team["ids"]["pe"]}
        assert f"engineering.site_log:{pid}:2026-12-10:{team['ids']['pe']}" in keys
        # Saturday: no log is due.
        keys = {r.key for r in collect(datetime(2026, 12, 12, 9, 0, tzinfo=SHANGHAI))}
        assert not any(k.startswith("engineering.site_log:") for k in keys)
    assert eapi(team, "pe", "post", "site_log", {"project_id": pid, "log_date": "2026-12-10", **LOG})[0] == 201
    with app.app_context():
        from core.reminders import collect
        keys = {r.key for r in collect(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI))}
        assert not any(k.startswith(f"engineering.site_log:{pid}:") for k in keys)


def test_survey_due_counts_from_the_last_assignment(app, team, eapi, clock):
    """A project reassigned later: its survey is due five working days after that step (the
    audit log's time, the real clock)."""
    from core import calendar as cal
    pid = make_project(app, team, state="received", created_at=datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    assert eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/assign", {"engineer_id": team["ids"]["pe"]})[0] == 200
    assigned = datetime.now(SHANGHAI).date()
    clock(f"{assigned.isoformat()} 12:00")
    status, survey = eapi(team, "pe", "post", "site_survey", {"project_id": pid, **SURVEY, "survey_date": assigned.isoformat()})
    assert status == 201, survey
    with app.app_context():
        expected = cal.add_working_days(assigned, 5)
    assert datetime.fromisoformat(survey["due_at"]).astimezone(SHANGHAI).date() == expected
