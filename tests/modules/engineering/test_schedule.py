"""Construction schedules (F-E05, WF-E02 (b), R-E-031, R-E-042): planned by the project engineer,
approved by the 工程部经理, the start gate, predecessors checked, sub-items accepted or waived
before system testing, re-baselined after an extension, drawn as a Gantt chart."""
from datetime import date, timedelta

import pytest

from core import calendar_today
from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

START = date(2026, 12, 10)


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def task(wbs, name, first, last, before="", subitem=False, **extra):
    return {"wbs": wbs, "name": name, "plan_start": day(first), "plan_end": day(last), "predecessors": before,
            "is_subitem": subitem, **extra}


TASKS = [task("1", "施工准备", 0, 4),
         task("2", "桥架敷设", 5, 12, "1", subitem=True),
         task("3", "水平布线", 13, 25, "2", subitem=True),
         task("4", "竣工资料", 26, 30, "3", milestone=True)]


def plan(pid, tasks=TASKS, **extra):
    return {"project_id": pid, "plan_type": "overall", "period_start": day(0), "period_end": day(40),
            "tasks": tasks, **extra}


def create(team, eapi, pid, tasks=TASKS, who="pe"):
    status, body = eapi(team, who, "post", "schedule", plan(pid, tasks))
    assert status == 201, body
    return body


def approve(team, eapi, schedule):
    assert eapi(team, "pe", "post", f"schedule/{schedule['id']}/transitions/submit", {})[0] == 200
    status, body = eapi(team, "eng_mgr", "post", f"schedule/{schedule['id']}/transitions/approve",
                        {"comment": "同意"})
    assert status == 200, body
    return body


def test_engineer_plans_and_manager_approves(app, team, eapi):
    pid = make_project(app, team)
    schedule = create(team, eapi, pid)
    assert schedule["number"].startswith("JH-") and schedule["state"] == "draft"
    assert [t["duration_days"] for t in schedule["tasks"]] == [5, 8, 13, 5]
    assert eapi(team, "pe", "post", f"schedule/{schedule['id']}/transitions/submit", {})[0] == 200
    # The engineer does not approve his own plan; the engineering manager does.
    status, body = eapi(team, "pe", "post", f"schedule/{schedule['id']}/transitions/approve", {})
    assert status == 403
    status, body = eapi(team, "eng_mgr", "post", f"schedule/{schedule['id']}/transitions/approve", {})
    assert status == 200 and body["state"] == "approved" and body["baseline_version"] == 1
    # Another project's engineer does not see it; the general manager reads it, changes nothing.
    assert eapi(team, "pe2", "get", f"schedule/{schedule['id']}")[0] == 404
    assert eapi(team, "gm", "get", f"schedule/{schedule['id']}")[0] == 200
    assert eapi(team, "gm", "post", "schedule", plan(pid))[0] == 403


def test_start_gate_needs_an_approved_schedule(app, team, eapi):
    pid = make_project(app, team, safety_briefed_on=date(2026, 12, 1))
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert status == 422 and "R-E-031" in body.get("rules", []) and "construction schedule" in str(body)
    schedule = create(team, eapi, pid)
    # A draft is not enough.
    assert eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})[0] == 422
    approve(team, eapi, schedule)
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert status == 200, body


@pytest.mark.parametrize("tasks, words", [
    ([task("1", "施工准备", 0, 4, "9")], ["施工准备", "9"]),
    ([task("1", "施工准备", 0, 4, "2"), task("2", "桥架敷设", 5, 8, "1")], ["circle", "1 → 2 → 1"]),
    ([task("1", "施工准备", 0, 4), task("2", "桥架敷设", 3, 8, "1")], ["2 桥架敷设", "1 施工准备"]),
    ([task("1", "施工准备", 0, 4), task("1", "桥架敷设", 5, 8)], ["twice"]),
    ([task("1", "施工准备", 4, 2)], ["finishes before it starts"]),
    ([task("1", "施工准备", 0, 50)], ["outside the plan's period"]),
])
def test_the_plan_is_checked_task_by_task(app, team, eapi, tasks, words):
    pid = make_project(app, team)
    status, body = eapi(team, "pe", "post", "schedule", plan(pid, tasks))
    assert status == 422
    assert all(word in str(body) for word in words), body


def test_system_test_waits_for_every_subitem(app, team, eapi):
    from modules.engineering.schedule import mark_subitem_accepted, subitems
    pid = make_project(app, team, state="in_construction")
    schedule = approve(team, eapi, create(team, eapi, pid))
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/to_system_test", {})
    assert status == 422 and "R-E-042" in body["rules"]
    assert "2 桥架敷设" in str(body) and "3 水平布线" in str(body)
    with app.app_context():
        items = subitems(pid)
        assert [t.wbs for t in items] == ["2", "3"]
        mark_subitem_accepted(items[0].id, date(2026, 12, 23), "FT21-0001")
        db.session.commit()
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/to_system_test", {})
    assert status == 422 and "2 桥架敷设" not in str(body) and "3 水平布线" in str(body)
    # Only the engineering manager waives a sub-item's acceptance.
    current = eapi(team, "pe", "get", f"schedule/{schedule['id']}")[1]
    rows = [dict(t, waived=(t["wbs"] == "3")) for t in current["tasks"]]
    rows = [{k: v for k, v in r.items() if k not in ("accepted_on", "accepted_ref", "duration_days", "id")}
            for r in rows]
    status, body = eapi(team, "pe", "patch", f"schedule/{schedule['id']}",
                        {"tasks": rows, "version": current["version"]})
    assert status == 422 and "only the engineering manager" in str(body)
    status, body = eapi(team, "eng_mgr", "patch", f"schedule/{schedule['id']}",
                        {"tasks": rows, "version": current["version"]})
    assert status == 200, body
    assert body["tasks"][1]["accepted_on"] == "2026-12-23" and body["tasks"][1]["accepted_ref"] == "FT21-0001"
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/to_system_test", {})
    assert status == 200, body


def test_an_approved_baseline_keeps_its_plan_and_records_progress(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    schedule = approve(team, eapi, create(team, eapi, pid))
    rows = [{k: v for k, v in t.items() if k not in ("accepted_on", "accepted_ref", "duration_days", "id")}
            for t in schedule["tasks"]]
    moved = [dict(rows[0], plan_end=day(6))] + rows[1:]
    status, body = eapi(team, "pe", "patch", f"schedule/{schedule['id']}", {"tasks": moved, "version": schedule["version"]})
    assert status == 422 and "new baseline" in str(body)
    progress = [dict(rows[0], actual_start=day(0), actual_end=day(4), pct_done="100")] + rows[1:]
    status, body = eapi(team, "pe", "patch", f"schedule/{schedule['id']}",
                        {"tasks": progress, "version": schedule["version"]})
    assert status == 200 and body["tasks"][0]["actual_end"] == day(4)


def test_rebaseline_moves_the_open_tasks_in_a_new_version(app, team, eapi):
    from modules.engineering.projects import EngProject
    from modules.engineering.schedule import Schedule, current_schedule, rebaseline
    pid = make_project(app, team, state="in_construction")
    schedule = approve(team, eapi, create(team, eapi, pid))
    rows = [{k: v for k, v in t.items() if k not in ("accepted_on", "accepted_ref", "duration_days", "id")}
            for t in schedule["tasks"]]
    done = [dict(rows[0], actual_start=day(0), actual_end=day(4), pct_done="100")] + rows[1:]
    assert eapi(team, "pe", "patch", f"schedule/{schedule['id']}",
                {"tasks": done, "version": schedule["version"]})[0] == 200
    with app.app_context():
        from core.auth.models import User
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        new = rebaseline(db.session.get(EngProject, pid), 7, manager, "延期申请 YQ-0001 批准 7 天")
        db.session.commit()
        new_id = new.id
        assert current_schedule(pid).id == new_id
        assert db.session.get(Schedule, schedule["id"]).state == "archived"
    old = eapi(team, "pe", "get", f"schedule/{schedule['id']}")[1]
    body = eapi(team, "pe", "get", f"schedule/{new_id}")[1]
    assert body["state"] == "approved" and body["baseline_version"] == 2 and body["previous_number"] == old["number"]
    assert body["shifted_days"] == 7 and "YQ-0001" in body["rebaseline_reason"]
    # The finished task stays; the open ones move a week; the old version keeps its dates.
    assert [t["plan_start"] for t in body["tasks"]] == [day(0), day(12), day(20), day(33)]
    assert [t["plan_start"] for t in old["tasks"]] == [day(0), day(5), day(13), day(26)]
    assert body["period_end"] == day(47)


def test_overdue_tasks_are_counted_and_reminded(app, team, eapi):
    from modules.engineering.schedule import erp_reminders, overdue_tasks
    today = calendar_today.today()
    pid = make_project(app, team, state="in_construction")
    first = today - timedelta(days=20)
    tasks = [{"wbs": "1", "name": "施工准备", "plan_start": first.isoformat(),
              "plan_end": (first + timedelta(days=4)).isoformat(), "pct_done": "100"},
             {"wbs": "2", "name": "桥架敷设", "plan_start": (first + timedelta(days=5)).isoformat(),
              "plan_end": (today - timedelta(days=1)).isoformat(), "predecessors": "1", "pct_done": "50"},
             {"wbs": "3", "name": "水平布线", "plan_start": today.isoformat(),
              "plan_end": (today + timedelta(days=9)).isoformat(), "predecessors": "2"}]
    status, schedule = eapi(team, "pe", "post", "schedule", {
        "project_id": pid, "plan_type": "overall", "period_start": first.isoformat(),
        "period_end": (today + timedelta(days=30)).isoformat(), "tasks": tasks})
    assert status == 201, schedule
    with app.app_context():
        assert overdue_tasks() == 0            # a draft counts for nobody
    approve(team, eapi, schedule)
    with app.app_context():
        assert overdue_tasks() == 1 and overdue_tasks([pid]) == 1 and overdue_tasks([pid + 1]) == 0
        reminders = erp_reminders(calendar_today.now())
        assert [(r.user_id, "2 桥架敷设" in str(r.title)) for r in reminders] == [(team["ids"]["pe"], True)]


def test_the_gantt_chart_is_drawn_on_the_schedule_and_the_project(app, team, eapi, eweb):
    pid = make_project(app, team)
    schedule = approve(team, eapi, create(team, eapi, pid))
    browser = eweb("pe")
    page = browser.get(f"/engineering/schedule/{schedule['id']}").get_data(as_text=True)
    assert "data-gantt" in page and "vendor/frappe-gantt/frappe-gantt.umd.js" in page and "js/gantt.js" in page
    assert "桥架敷设" in page
    for path in ("vendor/frappe-gantt/frappe-gantt.umd.js", "vendor/frappe-gantt/frappe-gantt.css", "js/gantt.js"):
        response = browser.get(f"/static/{path}")
        assert response.status_code == 200
        response.close()
    page = browser.get(f"/engineering/project/{pid}").get_data(as_text=True)
    assert "data-gantt" in page and schedule["number"] in page
