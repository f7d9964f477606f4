"""Engineering reporting (WF-E09): the engineer weekly report (F-E01, R-E-010) is pre-filled with
his active projects, due Friday 18:00 on the working calendar, counted on time / late / missing
and reminded; the monthly progress report (X-E05) lists the active projects and is read by the
general manager."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from core.extensions import db

from .conftest import make_project
from .test_site import LOG, SHANGHAI, clock  # noqa: F401  (the fixture)

pytestmark = pytest.mark.modules("engineering")


def weekly(team, eapi, who="pe", week="2026-12-09", **values):
    status, body = eapi(team, who, "post", "weekly_report", {"week_start": week, **values})
    assert status == 201, body
    return body


def test_weekly_report_prefilled_with_his_active_projects_and_due_friday_18(app, team, eapi, clock):
    clock("2026-12-09 10:00")
    active = make_project(app, team, state="in_construction")
    make_project(app, team, state="closed")
    make_project(app, team, state="planning", engineer="pe2")
    report = weekly(team, eapi)
    assert report["number"].startswith("GZ-") and report["week_start"] == "2026-12-07"
    assert report["week_end"] == "2026-12-13"
    assert datetime.fromisoformat(report["due_at"]).astimezone(SHANGHAI) == datetime(2026, 12, 11, 18, 0,
                                                                                       tzinfo=SHANGHAI)
    assert [line["project_id"] for line in report["project_work"]] == [active]
    assert report["project_work"][0]["project_name"].startswith("GC-")
    assert report["selfchecks_done"] == 0
    # One per engineer per week, named.
    status, body = eapi(team, "pe", "post", "weekly_report", {"week_start": "2026-12-11"})
    assert status == 422 and report["number"] in str(body["fields"]["week_start"])
    # Not for a week still to come.
    assert eapi(team, "pe", "post", "weekly_report", {"week_start": "2026-12-14"})[0] == 422


def test_weekly_due_moves_to_the_last_working_day_before_a_holiday(app):
    from core import calendar as cal, settings
    from core.calendar import CalendarDay
    from modules.engineering.site_reports import weekly_due
    with app.app_context():
        assert weekly_due(date(2026, 12, 7)) == datetime(2026, 12, 11, 18, 0, tzinfo=SHANGHAI)
        # 国庆 2026: Thursday 1 and Friday 2 October are off: due Wednesday 30 September.
        assert weekly_due(date(2026, 9, 28)) == datetime(2026, 9, 30, 18, 0, tzinfo=SHANGHAI)
        # A company holiday on Friday 18 December: Thursday the 17th.
        db.session.add(CalendarDay(day=date(2026, 12, 18), kind="holiday", name="公司年会"))
        db.session.commit()
        cal.forget()
        assert weekly_due(date(2026, 12, 14)) == datetime(2026, 12, 17, 18, 0, tzinfo=SHANGHAI)
        settings.set_many({"eng.weekly_report_day": "THU", "eng.weekly_report_due": "17:00"})
        db.session.commit()
        assert weekly_due(date(2026, 12, 7)) == datetime(2026, 12, 10, 17, 0, tzinfo=SHANGHAI)


def test_submit_needs_the_work_and_the_plan_late_is_flagged_and_the_manager_rates(app, team, eapi, clock):
    clock("2026-12-09 10:00")
    make_project(app, team, state="in_construction")
    report = weekly(team, eapi)
    rid = report["id"]
    status, body = eapi(team, "pe", "post", f"weekly_report/{rid}/transitions/submit", {})
    assert status == 422 and "Line 1" in str(body) and "next_week" in str(body)
    rows = [{**report["project_work"][0], "work_done": "三层桥架完成", "person_days": "3"}]
    status, report = eapi(team, "pe", "patch", f"weekly_report/{rid}", {
        "version": report["version"], "project_work": rows, "next_week": "四层布线"})
    assert status == 200, report
    clock("2026-12-11 18:30")                                      # after Friday 18:00
    status, body = eapi(team, "pe", "post", f"weekly_report/{rid}/transitions/submit", {})
    assert status == 200 and body["state"] == "submitted", body
    assert body["submitted_late"] is True
    with app.app_context():
        from core.rules.models import RuleViolation
        assert db.session.query(RuleViolation).filter_by(rule_code="R-E-010", user_id=team["ids"]["pe"]).count() == 1
    # The engineer does not read his own; the manager reads it with a rating.
    assert eapi(team, "pe", "post", f"weekly_report/{rid}/transitions/read", {"rating": 5})[0] in (403, 422)
    status, body = eapi(team, "eng_mgr", "post", f"weekly_report/{rid}/transitions/read", {})
    assert status == 422 and "rating" in str(body)
    status, body = eapi(team, "eng_mgr", "post", f"weekly_report/{rid}/transitions/read", {"rating": 4})
    assert status == 200 and body["state"] == "read" and body["rating"] == 4, body
    # Another engineer does not see it.
    assert eapi(team, "pe2", "get", f"weekly_report/{rid}")[0] == 404


def put_report(app, owner_id, monday, submitted_at=None, late=False):
    from modules.engineering.site_reports import WeeklyReport
    with app.app_context():
        count = db.session.query(WeeklyReport).count()
        db.session.add(WeeklyReport(number=f"GZ-T{count + 1:04d}", title="周报", owner_id=owner_id, week_start=monday,
                                    week_end=monday, state="submitted" if submitted_at else "draft",
                                    submitted_at=submitted_at, submitted_late=late))
        db.session.commit()


def test_weekly_report_counts_on_time_late_and_missing(app, team, clock):
    ids = team["ids"]
    make_project(app, team, state="in_construction")
    make_project(app, team, state="system_test", engineer="pe2")
    put_report(app, ids["pe"], date(2026, 11, 23), datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    put_report(app, ids["pe"], date(2026, 11, 30), datetime(2026, 12, 5, 2, 0, tzinfo=UTC), late=True)
    put_report(app, ids["pe2"], date(2026, 12, 7))                   # a draft never submitted
    clock("2026-12-12 09:00")                                          # the week of 7 December is due
    from modules.engineering.site_reports import weekly_report_counts
    with app.app_context():
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            counts = weekly_report_counts(date(2026, 11, 23), date(2026, 12, 12))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert counts[ids["pe"]] == (1, 1, 1)
        assert counts[ids["pe2"]] == (0, 0, 3)
        assert ids["eng_mgr"] not in counts
        assert len([s for s in statements if "eng_" in s]) == 2
        # Before Friday's due time the current week is not missing yet.
        clock("2026-12-11 17:00")
        assert weekly_report_counts(date(2026, 12, 7), date(2026, 12, 13), [ids["pe"]]) == {ids["pe"]: (0, 0, 0)}


def test_engineer_without_a_report_is_reminded_by_friday_18(app, team, eapi, clock):
    make_project(app, team, state="in_construction")
    with app.app_context():
        from core.reminders import collect
        mine = {r.key: r for r in collect(datetime(2026, 12, 11, 10, 0, tzinfo=SHANGHAI))
                if r.key.startswith("engineering.weekly_report:")}
    key = f"engineering.weekly_report:2026-12-07:user:{team['ids']['pe']}"
    assert key in mine and mine[key].due_at == datetime(2026, 12, 11, 18, 0, tzinfo=SHANGHAI)
    assert not any(r.user_id == team["ids"]["pe2"] for r in mine.values())     # no active project
    clock("2026-12-11 10:00")
    weekly(team, eapi, week="2026-12-11")
    with app.app_context():
        from core.reminders import collect
        keys = {r.key for r in collect(datetime(2026, 12, 11, 10, 0, tzinfo=SHANGHAI))}
    assert key not in keys


def test_monthly_progress_report_lists_the_active_projects_and_the_gm_reads_it(app, team, eapi, clock):
    clock("2026-11-27 10:00")
    building = make_project(app, team, state="in_construction", title="市图书馆网络改造")
    early = make_project(app, team, state="planning", engineer="pe2", title="区医院监控工程")
    make_project(app, team, state="closed", title="老项目")
    assert eapi(team, "pe", "post", "site_log", {"project_id": building, "log_date": "2026-11-26", **LOG})[0] == 201
    clock("2026-12-02 10:00")
    status, report = eapi(team, "eng_mgr", "post", "progress_report", {"month": "2026-11-15"})
    assert status == 201, report
    assert report["number"].startswith("JZ-") and report["month"] == "2026-11-01" and report["month_end"] == "2026-11-30"
    lines = {line["project_id"]: line for line in report["lines"]}
    assert set(lines) == {building, early}
    assert lines[building]["state_label"] == "Under construction" and lines[building]["phase_label"] == "Middle phase"
    assert "空调风管" in lines[building]["issues"]
    assert lines[early]["planned_pct"] is None                       # no construction schedule
    # Due on the fifth working day of December.
    assert datetime.fromisoformat(report["due_at"]).astimezone(SHANGHAI) == datetime(2026, 12, 7, 18, 0,
                                                                                       tzinfo=SHANGHAI)
    # A project started since is added by "generate"; a second report of the month is refused.
    later = make_project(app, team, state="received")
    status, body = eapi(team, "eng_mgr", "post", f"progress_report/{report['id']}/transitions/generate", {})
    assert status == 200 and {line["project_id"] for line in body["lines"]} == {building, early, later}, body
    assert eapi(team, "eng_mgr", "post", "progress_report", {"month": "2026-11-01"})[0] == 422
    # Submitted with its summary; the engineer may not see it, the GM reads it.
    status, body = eapi(team, "eng_mgr", "post", f"progress_report/{report['id']}/transitions/submit", {})
    assert status == 422 and "summary" in str(body)
    version = eapi(team, "eng_mgr", "get", f"progress_report/{report['id']}")[1]["version"]
    assert eapi(team, "eng_mgr", "patch", f"progress_report/{report['id']}",
                {"summary": "在建项目按计划推进", "version": version})[0] == 200
    status, body = eapi(team, "eng_mgr", "post", f"progress_report/{report['id']}/transitions/submit", {})
    assert status == 200 and body["state"] == "submitted", body
    assert eapi(team, "pe", "get", f"progress_report/{report['id']}")[0] in (403, 404)
    assert eapi(team, "pe", "post", "progress_report", {"month": "2026-10-01"})[0] == 403
    assert eapi(team, "gm", "get", f"progress_report/{report['id']}")[0] == 200
    status, body = eapi(team, "gm", "post", f"progress_report/{report['id']}/transitions/read", {})
    assert status == 200 and body["state"] == "read", body


def test_demo_data(app, team, clock):
    clock("2026-12-09 10:00")
    make_project(app, team, state="planning")
    make_project(app, team, state="in_construction", engineer="pe2")
    from core.auth.models import User
    from modules.engineering import site, site_reports
    with app.app_context():
        users = {name: db.session.get(User, uid) for name, uid in team["ids"].items()}
        made = site.demo(users) + site_reports.demo(users)
        db.session.commit()
        kinds = sorted(type(doc).__name__ for doc in made)
        assert kinds == ["ProgressReport", "SiteLog", "SiteLog", "SiteLog", "SiteSurvey", "WeeklyReport", "WeeklyReport"]
        assert all(doc.number for doc in made)
        assert site.demo(users) + site_reports.demo(users) == []          # once
        from modules.engineering.site_reports import weekly_report_counts
        counts = weekly_report_counts(date(2026, 11, 30), date(2026, 12, 6))
        assert counts[team["ids"]["pe"]] == (1, 0, 0) and counts[team["ids"]["pe2"]] == (1, 0, 0)


def test_no_weekly_report_is_asked_for_a_week_before_his_first_project(app, team):
    """An engineer given his first project on Tuesday 8 December owes the report of that week,
    not the one of the week before."""
    make_project(app, team, state="in_construction", created_at=datetime(2026, 12, 8, 2, 0, tzinfo=UTC))
    with app.app_context():
        from core.reminders import collect
        keys = {r.key for r in collect(datetime(2026, 12, 11, 10, 0, tzinfo=SHANGHAI))}
    pe = team["ids"]["pe"]
    assert f"engineering.weekly_report:2026-12-07:user:{pe}" in keys
    assert f"engineering.weekly_report:2026-11-30:user:{pe}" not in keys
