"""What the periodic cadences of WF-S02 create by themselves when `erp reminders send` runs
(core's erp_scheduled hook): the day's draft visit logs, Monday's weekly bundle and the regional
reports on their cadence; and the person targets of the half-year sales plan (X-S02)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.conftest import area_id
from tests.modules.sales.test_visits import act, customer, line, visit_log

pytestmark = pytest.mark.modules("sales")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def run(app, clock, text):
    """`erp reminders send` at `text` (Asia/Shanghai), the company's clock set to it too."""
    from core.reminders import send
    clock(text)
    with app.app_context():
        result = send(datetime.fromisoformat(text).replace(tzinfo=SHANGHAI))
        assert result.failed_modules == [], result.failed_modules


def logs_of(app, day):
    from modules.sales.visits import VisitLog
    with app.app_context():
        return {(l.owner_id, l.state): l.number for l in db.session.scalars(
            select(VisitLog).where(VisitLog.visit_date == datetime.fromisoformat(day).date()))}


# ---- a. daily visit-log drafts (WF-S02, R-S-001) -------------------------------------------------
def test_each_working_day_a_draft_log_for_whoever_must_write_one(app, market, api, clock):
    from core.audit.models import AuditEntry
    from core.reminders import collect
    from modules.sales.visits import VisitLog
    ids = market["ids"]
    clock("2026-03-02 08:00")
    assert visit_log(market, api, "2026-03-02", no_contact_reason="training", who="am2")[0] == 201   # wrote his own
    run(app, clock, "2026-03-02 08:30")                    # Monday, a working day
    made = logs_of(app, "2026-03-02")
    assert set(made) == {(ids["am"], "draft"), (ids["aam"], "draft"), (ids["am2"], "draft")}   # am2: his own only
    assert (ids["pse"], "draft") not in made and (ids["mgr"], "draft") not in made        # not required to
    run(app, clock, "2026-03-02 09:30")                    # the hourly run again: nothing more
    assert logs_of(app, "2026-03-02") == made
    with app.app_context():
        log = db.session.scalar(select(VisitLog).where(VisitLog.owner_id == ids["am"]))
        assert (log.created_by_id, log.department_id is not None) == (ids["am"], True)
        assert log.due_at.replace(tzinfo=None) == datetime(2026, 3, 2, 10, 0)      # 18:00 Shanghai, in UTC
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "sales_visit_log",
                                                           AuditEntry.action == "insert",
                                                           AuditEntry.record_id == str(log.id)))
        assert (entry.user_id, entry.actor) == (ids["am"], "am")                   # made as him, audited
        log_id = log.id
    with app.test_request_context():
        keys = [r.key for r in collect(datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)) if r.user_id == ids["am"]]
    assert f"sales.visit_log:2026-03-02:user:{ids['am']}" not in keys            # "write it" gives way to...
    assert any(k.startswith(f"sales.visit_log:{log_id}:") for k in keys)         # ...the draft's own deadline
    # The draft is his to fill in: empty, it cannot be handed in.
    status, body = act(market, api, "am", "visit_log", log_id, "submit")
    assert status == 422 and "customer contact" in body["error"]
    assert act(market, api, "am2", "visit_log", log_id, "submit")[0] in (403, 404)
    cid = customer(app, market, api)
    version = api(market, "am", "get", f"visit_log/{log_id}")[1]["version"]
    assert api(market, "am", "patch", f"visit_log/{log_id}", {"version": version, "lines": [line(cid)]})[0] == 200
    clock("2026-03-02 17:59")
    status, body = act(market, api, "am", "visit_log", log_id, "submit")
    assert status == 200 and body["state"] == "submitted" and body["late"] is False


@pytest.mark.parametrize("day", ["2026-03-07 09:00",     # a Saturday
                                 "2026-02-17 09:00"])    # a Tuesday of the Spring Festival
def test_no_draft_log_on_a_day_off(app, market, api, clock, day):
    run(app, clock, day)
    assert logs_of(app, day[:10]) == {}


def test_an_inactive_salesperson_gets_no_draft(app, market, api, clock):
    from core.auth.models import User
    with app.app_context():
        db.session.get(User, market["ids"]["am2"]).active = False
        db.session.commit()
    run(app, clock, "2026-03-03 08:00")
    assert {owner for owner, _state in logs_of(app, "2026-03-03")} == {market["ids"]["am"], market["ids"]["aam"]}


# ---- b. Monday's weekly bundle pre-filled (WF-S02, R-S-002) ------------------------------------------
def test_the_weekly_bundle_is_prefilled_on_monday_for_the_assistant(app, market, api, clock):
    from modules.sales.visits import WeeklyBundle
    ids = market["ids"]
    for day in ("2026-03-02", "2026-03-03"):
        clock(f"{day} 12:00")
        status, log = visit_log(market, api, day, no_contact_reason="office")
        assert act(market, api, "am", "visit_log", log["id"], "submit")[1]["state"] == "submitted"
    run(app, clock, "2026-03-08 23:00")                    # Sunday: the week is not over
    with app.app_context():
        assert db.session.scalar(select(WeeklyBundle).where(WeeklyBundle.week_start == datetime(2026, 3, 2).date())) is None
    run(app, clock, "2026-03-09 00:30")                    # Monday, before the 09:30 meeting
    run(app, clock, "2026-03-09 01:30")                    # again: one bundle
    with app.app_context():
        bundles = db.session.scalars(select(WeeklyBundle).where(WeeklyBundle.week_start == datetime(2026, 3, 2).date())).all()
        assert len(bundles) == 1
        bundle = bundles[0]
        assert (bundle.state, bundle.owner_id, bundle.created_by_id) == ("draft", ids["ast"], ids["ast"])
        assert bundle.due_at.replace(tzinfo=None) == datetime(2026, 3, 9, 1, 30)     # 09:30 Shanghai
        rows = {l.user_id: (l.expected, l.submitted, l.missing) for l in bundle.lines}
        assert rows[ids["am"]] == (5, 2, 3) and rows[ids["am2"]] == (5, 0, 5)
        assert (bundle.total_submitted, bundle.total_missing) == (2, 13)
        bundle_id = bundle.id
    assert api(market, "am", "get", f"weekly_bundle/{bundle_id}")[0] in (403, 404)
    status, body = act(market, api, "ast", "weekly_bundle", bundle_id, "report")
    assert status == 200 and body["state"] == "reported" and body["reported_late"] is False


def test_no_bundle_without_an_assistant(app, market, api, clock):
    from core.auth.models import User
    from modules.sales.visits import WeeklyBundle
    with app.app_context():
        db.session.get(User, market["ids"]["ast"]).active = False
        db.session.commit()
    run(app, clock, "2026-03-09 08:00")
    with app.app_context():
        assert db.session.scalars(select(WeeklyBundle)).all() == []


# ---- c. regional reports on their cadence (WF-S02 cycle 2, R-S-003) -----------------------------------
def reports(app):
    from modules.sales.reports import RegionalReport
    with app.app_context():
        return [(r.area_id, r.owner_id, r.period_start.isoformat(), r.period_end.isoformat(), r.state)
                for r in db.session.scalars(select(RegionalReport).order_by(RegionalReport.id))]


def test_the_regional_report_opens_ten_days_before_the_quarter_ends(app, market, api, clock):
    from modules.sales.reports import RegionalReport
    ids, sz = market["ids"], area_id(app, "SZ")
    run(app, clock, "2026-06-19 23:00")                    # 11 days before 30 June
    assert reports(app) == []
    run(app, clock, "2026-06-20 00:30")                    # 10 days before (a Saturday: days, not working days)
    run(app, clock, "2026-06-22 08:00")                    # and again: once
    assert reports(app) == [(sz, ids["aam"], "2026-04-01", "2026-06-30", "draft")]   # GZ has no area manager
    with app.app_context():
        report = db.session.scalar(select(RegionalReport))
        assert report.due_at.replace(tzinfo=None) == datetime(2026, 6, 30, 10, 0)   # 18:00 Shanghai
        assert (report.created_by_id, report.cadence) == (ids["aam"], "quarterly")
        report_id = report.id
    # Created blank: it cannot be submitted before its author writes it.
    status, body = act(market, api, "aam", "regional_report", report_id, "submit")
    assert status == 422 and {"market_overview", "problems"} <= set(body["fields"])
    assert api(market, "aam", "get", f"regional_report/{report_id}")[1]["state"] == "draft"


def test_a_report_written_by_hand_is_not_doubled_and_the_monthly_cadence_is_followed(app, market, api, clock):
    from core import settings
    from tests.modules.sales.test_visits import report_payload
    sz = area_id(app, "SZ")
    clock("2026-06-10 10:00")
    assert api(market, "aam", "post", "regional_report", report_payload(app))[0] == 201
    run(app, clock, "2026-06-25 08:00")
    assert [r[2:] for r in reports(app)] == [("2026-04-01", "2026-06-30", "draft")]
    with app.app_context():
        settings.set("sales.regional_report.cadence", "monthly")
        settings.set("sales.regional_report.open_days_before", 0)
        db.session.commit()
    run(app, clock, "2026-07-30 20:00")                    # the day before the month's last: not yet
    assert len(reports(app)) == 1
    run(app, clock, "2026-07-31 00:10")
    assert reports(app)[1] == (sz, market["ids"]["aam"], "2026-07-01", "2026-07-31", "draft")


# ---- d. personal targets in the sales plan (X-S02) -------------------------------------------------
def test_the_sales_plan_shares_each_area_target_out_among_its_salespeople(app, market, api, web, clock):
    from modules.sales.reports import SalesPlan
    ids, sz, gz = market["ids"], area_id(app, "SZ"), area_id(app, "GZ")
    clock("2026-06-15 10:00")

    def target(area, signed, collected, person=None):
        return {"area_id": area, "signed_target": signed, "collection_target": collected, "person_id": person}
    area_lines = [target(sz, "6000000.00", "5000000.00"), target(gz, "4000000.00", "3000000.00")]
    status, plan = api(market, "mgr", "post", "sales_plan", {
        "year": 2026, "half": 2, "market_review": "上半年签约 1200 万", "strategy": "主攻医疗与教育", "lines": area_lines})
    assert status == 201, plan

    def submit_refusal(lines):
        nonlocal plan
        status, plan = api(market, "mgr", "patch", f"sales_plan/{plan['id']}", {"version": plan["version"], "lines": lines})
        assert status == 200, plan
        status, body = act(market, api, "mgr", "sales_plan", plan["id"], "submit")
        assert status == 422 and api(market, "mgr", "get", f"sales_plan/{plan['id']}")[1]["state"] == "draft"
        return body["error"]
    assert "深圳片区" in submit_refusal(area_lines)                   # no personal targets at all
    people = [target(sz, "4000000.00", "3000000.00", ids["aam"]), target(sz, "2000000.00", "2000000.00", ids["am"]),
              target(gz, "4000000.00", "3000000.00", ids["am2"])]
    short = [*area_lines, *people[:1], people[2]]                      # 深圳: 4,000,000 of 6,000,000
    assert "¥4,000,000.00" in submit_refusal(short) and "¥6,000,000.00" in submit_refusal(short)
    one_yuan_over = [*area_lines, people[0], {**people[1], "collection_target": "2000001.00"}, people[2]]
    assert "collection" in submit_refusal(one_yuan_over)
    assert "广州片区" in submit_refusal([area_lines[0], *people])       # 广州: personal targets, no area target
    # Refused on save: a salesperson twice in an area, someone who is no salesperson.
    for wrong in ([*area_lines, *people, people[0]], [*area_lines, *people[:2], {**people[2], "person_id": ids["pse"]}]):
        status, body = api(market, "mgr", "patch", f"sales_plan/{plan['id']}", {"version": plan["version"], "lines": wrong})
        assert status == 422 and "Line" in body["fields"]["_"][0], body
    status, plan = api(market, "mgr", "patch", f"sales_plan/{plan['id']}",
                       {"version": plan["version"], "lines": [*area_lines, *people]})
    assert status == 200 and plan["signed_target_total"] == "10000000.00" and plan["collection_target_total"] == "8000000.00"
    assert act(market, api, "mgr", "sales_plan", plan["id"], "submit")[1]["state"] == "submitted"
    with app.app_context():
        saved = db.session.get(SalesPlan, plan["id"])
        assert sorted((l.area_id, l.person_id, str(l.signed_target)) for l in saved.lines if l.person_id) == sorted(
            [(sz, ids["aam"], "4000000.00"), (sz, ids["am"], "2000000.00"), (gz, ids["am2"], "4000000.00")])
    detail = web("dir").get(f"/sales/sales_plan/{plan['id']}").get_data(as_text=True)
    assert "Salesperson (personal target)" in detail and "am2" in detail
    form = web("mgr").get("/sales/sales_plan/new").get_data(as_text=True)
    people_offered = form.split('name="lines-0-person_id"')[1].split("</select>")[0]
    assert f'value="{ids["am"]}"' in people_offered and f'value="{ids["mgr"]}"' not in people_offered
