"""Visit logs (F-S01) and the weekly bundle (X-S01), regional reports (F-S02), sales plans (X-S02),
important business activities (F-S03) and lost-order summaries (X-S03), at the HTTP level through
the web forms and the JSON API. Dates are fixed in 2026 on the seeded PRC working calendar."""
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from tests.modules.sales.conftest import area_id

pytestmark = pytest.mark.modules("sales")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def customer(app, market, api, name="深圳市第一人民医院", who="am"):
    status, body = api(market, who, "post", "customer", {"title": name, "industry": "healthcare",
                                                          "area_id": area_id(app)})
    assert status == 201, body
    return body["id"]


def opportunity(market, api, customer_id, who="am", amount="800000.00", title="门诊楼综合布线"):
    status, body = api(market, who, "post", "opportunity", {
        "title": title, "customer_id": customer_id, "info_type": "equipment", "est_amount": amount})
    assert status == 201, body
    return body["id"]


def moment(text):
    """An API timestamp as an aware datetime (SQLite gives them back without the UTC offset)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def line(customer_id, **extra):
    return {"customer_id": customer_id, "contact": "王主任", "contact_title": "信息科主任", "visit_mode": "onsite",
            "purpose": "了解机房改造计划", "summary": "明年二季度改造主机房", "demand": "UPS 与精密空调",
            "next_step": "下周提交初步方案", **extra}


def visit_log(market, api, day, lines=(), who="am", **extra):
    return api(market, who, "post", "visit_log", {"visit_date": day, "lines": list(lines), **extra})


def act(market, api, who, doctype, doc_id, name, **payload):
    return api(market, who, "post", f"{doctype}/{doc_id}/transitions/{name}", payload)


def load(app, model, doc_id):
    with app.app_context():
        doc = db.session.get(model, doc_id)
        db.session.expunge(doc)
        return doc


# ---- visit log F-S01 ----------------------------------------------------------------------------
def test_visit_log_web_form_submitted_on_time_updates_the_customer(app, market, api, web, clock):
    from modules.sales.models import Customer
    from modules.sales.visits import VisitLog
    clock("2026-03-02 17:30")
    cid = customer(app, market, api)
    browser = web("am")
    page = browser.get("/sales/visit_log/new")
    assert page.status_code == 200 and "深圳市第一人民医院" in page.get_data(as_text=True)
    response = browser.post("/sales/visit_log/new", data={
        "visit_date": "2026-03-02", "no_contact_reason": "", "no_contact_note": "",
        "lines-0-customer_id": str(cid), "lines-0-contact": "王主任", "lines-0-contact_title": "信息科主任",
        "lines-0-phone": "", "lines-0-visit_mode": "onsite", "lines-0-purpose": "了解机房改造计划",
        "lines-0-summary": "明年二季度改造主机房", "lines-0-demand": "", "lines-0-next_step": "下周提交方案",
        "lines-0-opportunity_id": "",
        # a blank row the form offers is ignored
        "lines-1-customer_id": "", "lines-1-contact": "", "lines-1-visit_mode": "", "lines-1-opportunity_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    log_id = int(response.headers["Location"].rsplit("/", 1)[1])
    log = load(app, VisitLog, log_id)
    assert log.number.startswith("XF-2026-") and log.state == "draft" and log.title.endswith("2026-03-02")
    response = browser.post(f"/sales/visit_log/{log_id}/transitions/submit", data={"version": log.version})
    assert response.status_code == 302
    log = load(app, VisitLog, log_id)
    assert log.state == "submitted" and log.late is False and log.submitted_at is not None
    assert load(app, Customer, cid).last_contact_on == date(2026, 3, 2)
    detail = browser.get(f"/sales/visit_log/{log_id}").get_data(as_text=True)
    assert "王主任" in detail and "深圳市第一人民医院" in detail
    printed = browser.get(f"/sales/visit_log/{log_id}/print").get_data(as_text=True)
    assert "客户巡访登记表" in printed and "王主任" in printed


def test_one_log_per_person_per_day(app, market, api, web, clock):
    clock("2026-03-03 10:00")
    cid = customer(app, market, api)
    status, first = visit_log(market, api, "2026-03-02", [line(cid)])
    assert status == 201, first
    status, body = visit_log(market, api, "2026-03-02", [line(cid)])
    assert status == 422 and first["number"] in body["fields"]["visit_date"][0]
    # Someone else may log the same day; nobody logs a day in advance.
    assert visit_log(market, api, "2026-03-02", who="am2", no_contact_reason="office")[0] == 201
    status, body = visit_log(market, api, "2026-03-04", [line(cid)])
    assert status == 422 and "visit_date" in body["fields"]
    browser = web("am")
    response = browser.post("/sales/visit_log/new", data={"visit_date": "2026-03-02", "no_contact_reason": "office"})
    assert response.status_code == 400 and first["number"] in response.get_data(as_text=True)
    # Moving another log onto that day is refused too (web form and API).
    status, second = visit_log(market, api, "2026-02-27", [line(cid)])
    assert status == 201
    response = browser.post(f"/sales/visit_log/{second['id']}/edit", data={
        "version": second["version"], "visit_date": "2026-03-02", "no_contact_reason": "", **{
            f"lines-0-{k}": str(v) for k, v in line(cid).items()}})
    assert response.status_code == 400 and first["number"] in response.get_data(as_text=True)
    status, body = api(market, "am", "patch", f"visit_log/{second['id']}", {"version": second["version"], "visit_date": "2026-03-02"})
    assert status == 422 and first["number"] in body["fields"]["visit_date"][0]


def test_lateness_is_judged_on_the_first_submission(app, market, api, clock):
    clock("2026-03-02 12:00")
    cid = customer(app, market, api)
    on_time = visit_log(market, api, "2026-03-02", [line(cid)])[1]["id"]
    late = visit_log(market, api, "2026-03-02", who="am2", no_contact_reason="training")[1]["id"]
    clock("2026-03-02 17:59")
    assert act(market, api, "am", "visit_log", on_time, "submit")[1]["late"] is False
    clock("2026-03-02 18:01")
    status, body = act(market, api, "am2", "visit_log", late, "submit")
    assert status == 200 and body["late"] is True
    # Returned for completion and submitted again: still judged on the first submission.
    clock("2026-03-03 09:00")
    assert act(market, api, "ast", "visit_log", on_time, "return", comment="请补充客户需求")[1]["state"] == "draft"
    assert act(market, api, "am", "visit_log", on_time, "submit")[1]["late"] is False
    # A Saturday visit is due at the end of the next working day (Monday).
    clock("2026-03-09 17:00")
    saturday = visit_log(market, api, "2026-03-07", [line(cid)])[1]["id"]
    assert act(market, api, "am", "visit_log", saturday, "submit")[1]["late"] is False


def test_a_late_visit_log_is_recorded_as_a_missed_deadline_of_r_s_001(app, market, api, clock):
    from core.rules.models import RuleViolation
    clock("2026-03-02 12:00")
    on_time = visit_log(market, api, "2026-03-02", no_contact_reason="training")[1]["id"]
    late = visit_log(market, api, "2026-03-02", who="am2", no_contact_reason="training")[1]
    assert act(market, api, "am", "visit_log", on_time, "submit")[0] == 200
    clock("2026-03-02 18:01")
    assert act(market, api, "am2", "visit_log", late["id"], "submit")[1]["late"] is True
    with app.app_context():
        rows = db.session.scalars(db.select(RuleViolation)).all()
        assert [(v.rule_code, v.kind, v.user_id, v.doc_number) for v in rows] == [
            ("R-S-001", "deadline_missed", market["ids"]["am2"], late["number"])]
        assert "2026-03-02 18:00" in rows[0].details


def test_no_contact_declaration_instead_of_lines(app, market, api, clock):
    clock("2026-03-02 12:00")
    cid = customer(app, market, api)
    empty = visit_log(market, api, "2026-03-02")[1]["id"]
    status, body = act(market, api, "am", "visit_log", empty, "submit")
    assert status == 422 and "lines" in body["fields"]
    status, body = visit_log(market, api, "2026-02-27", [line(cid)], no_contact_reason="office")
    assert status == 422 and "no_contact_reason" in body["fields"]
    status, body = visit_log(market, api, "2026-02-26", no_contact_reason="other")
    assert status == 422 and "no_contact_note" in body["fields"]
    status, body = visit_log(market, api, "2026-02-26", no_contact_reason="leave")
    assert status == 201 and act(market, api, "am", "visit_log", body["id"], "submit")[0] == 200
    # Only registered customers of one's own (R-S-030).
    other = customer(app, market, api, name="华南理工大学", who="am2")
    status, body = visit_log(market, api, "2026-02-25", [line(other)])
    assert status == 422 and "R-S-030" in body["fields"]["_"][0]


def test_presales_engineer_logs_visits_only_for_assigned_opportunities(app, market, api, clock):
    """R-S-013: technical staff log customer visits against a registered opportunity assigned to them."""
    from modules.sales.models import Opportunity
    clock("2026-03-02 12:00")
    cid = customer(app, market, api)
    opp = opportunity(market, api, cid)
    status, body = visit_log(market, api, "2026-03-02", [line(cid)], who="pse")
    assert status == 422 and "R-S-013" in body["fields"]["_"][0]
    status, body = visit_log(market, api, "2026-03-02", [line(cid, opportunity_id=opp)], who="pse")
    assert status == 422 and "R-S-013" in body["fields"]["_"][0]
    with app.app_context():   # the registration approved with pse as pre-sales lead
        found = db.session.get(Opportunity, opp)
        found.presales_lead_id, found.registration_no = market["ids"]["pse"], "XM-2026-0001"
        db.session.commit()
    status, body = visit_log(market, api, "2026-03-02", [line(cid, opportunity_id=opp)], who="pse")
    assert status == 201, body
    assert act(market, api, "pse", "visit_log", body["id"], "submit")[1]["state"] == "submitted"
    # A salesperson needs no opportunity; a no-contact day needs none either.
    assert visit_log(market, api, "2026-03-02", [line(cid)])[0] == 201
    assert visit_log(market, api, "2026-02-27", who="pse", no_contact_reason="office")[0] == 201


def test_visit_log_rights(app, market, api, web, clock):
    clock("2026-03-02 12:00")
    cid = customer(app, market, api)
    log = visit_log(market, api, "2026-03-02", [line(cid)])[1]
    assert act(market, api, "am", "visit_log", log["id"], "submit")[0] == 200
    status, body = act(market, api, "am", "visit_log", log["id"], "return", comment="自己退回")
    assert status == 403 and "permission" in body["error"]
    assert act(market, api, "mgr", "visit_log", log["id"], "return")[0] == 422  # a comment is required
    assert act(market, api, "mgr", "visit_log", log["id"], "return", comment="补充需求")[1]["state"] == "draft"
    assert api(market, "am2", "get", f"visit_log/{log['id']}")[0] == 404      # others' logs stay private
    for who in ("ast", "mgr", "dir", "gm"):
        assert api(market, who, "get", f"visit_log/{log['id']}")[0] == 200
    assert api(market, "eng_mgr", "get", "visit_log")[0] == 403
    assert visit_log(market, api, "2026-03-02", who="dir", no_contact_reason="office")[0] == 403
    assert visit_log(market, api, "2026-03-02", who="ast", no_contact_reason="office")[0] == 403
    assert web("eng_mgr").get("/sales/visit_log/").status_code == 403
    assert web("dir").get("/sales/visit_log/new").status_code == 403


# ---- weekly bundle X-S01 ------------------------------------------------------------------------
def _week_of_9_february(app, market, api, clock):
    """Week 9-15 Feb 2026: Saturday 14 Feb is a make-up working day (春节调休), so 6 working days."""
    from modules.sales.models import Opportunity
    clock("2026-02-09 09:00")
    cid = customer(app, market, api)
    logs = {}
    for day, submitted_at in (("2026-02-09", "2026-02-09 17:00"), ("2026-02-10", "2026-02-10 19:30"),
                              ("2026-02-14", "2026-02-14 17:00"), ("2026-02-11", None)):
        clock(f"{day} 09:00")
        logs[day] = visit_log(market, api, day, [line(cid)])[1]["id"]
        if submitted_at:
            clock(submitted_at)
            assert act(market, api, "am", "visit_log", logs[day], "submit")[0] == 200
    clock("2026-02-12 09:00")
    aam_log = visit_log(market, api, "2026-02-12", who="aam", no_contact_reason="training")[1]["id"]
    assert act(market, api, "aam", "visit_log", aam_log, "submit")[0] == 200
    opp = opportunity(market, api, cid)
    with app.app_context():
        db.session.get(Opportunity, opp).created_at = datetime(2026, 2, 11, 10, 0, tzinfo=SHANGHAI)
        db.session.commit()
    return logs, aam_log


def test_weekly_bundle_counts_per_salesperson_and_moves_the_logs(app, market, api, clock):
    from modules.sales.visits import VisitLog
    logs, aam_log = _week_of_9_february(app, market, api, clock)
    clock("2026-02-24 09:00")   # 16-23 Feb is the Spring Festival: the meeting is Tuesday 24 Feb
    assert api(market, "am", "post", "weekly_bundle", {"week_start": "2026-02-09"})[0] == 403
    status, body = api(market, "ast", "post", "weekly_bundle", {"week_start": "2026-02-10"})
    assert status == 422 and "Monday" in body["fields"]["week_start"][0]
    status, bundle = api(market, "ast", "post", "weekly_bundle", {"week_start": "2026-02-09"})
    assert status == 201, bundle
    assert bundle["week_end"] == "2026-02-15" and bundle["number"].startswith("XH-2026-")
    assert moment(bundle["due_at"]) == datetime(2026, 2, 24, 9, 30, tzinfo=SHANGHAI)
    ids = market["ids"]
    rows = {r["user_id"]: r for r in bundle["lines"]}
    assert set(rows) == {ids["am"], ids["am2"], ids["aam"]}
    assert {k: rows[ids["am"]][k] for k in ("expected", "submitted", "late", "missing", "contacts", "new_opportunities")} \
        == {"expected": 6, "submitted": 3, "late": 1, "missing": 3, "contacts": 3, "new_opportunities": 1}
    assert (rows[ids["aam"]]["submitted"], rows[ids["aam"]]["missing"], rows[ids["aam"]]["contacts"]) == (1, 5, 0)
    assert (rows[ids["am2"]]["expected"], rows[ids["am2"]]["missing"]) == (6, 6)
    assert (bundle["total_submitted"], bundle["total_late"], bundle["total_missing"]) == (4, 1, 14)
    assert api(market, "ast", "post", "weekly_bundle", {"week_start": "2026-02-09"})[0] == 422   # one per week

    status, body = api(market, "ast", "patch", f"weekly_bundle/{bundle['id']}",
                       {"version": bundle["version"], "mgr_rating": 5})
    assert status == 422 and "mgr_rating" in body["fields"]      # the manager rates, not the assistant
    clock("2026-02-24 09:10")
    status, bundle = act(market, api, "ast", "weekly_bundle", bundle["id"], "report")
    assert status == 200 and bundle["state"] == "reported" and bundle["reported_late"] is False
    states = {d: load(app, VisitLog, i).state for d, i in logs.items()}
    assert states == {"2026-02-09": "bundled", "2026-02-10": "bundled", "2026-02-14": "bundled", "2026-02-11": "draft"}
    assert load(app, VisitLog, aam_log).bundle_id == bundle["id"]

    status, bundle = api(market, "mgr", "patch", f"weekly_bundle/{bundle['id']}",
                         {"version": bundle["version"], "mgr_rating": 4, "mgr_comment": "周三缺报，须跟进"})
    assert status == 200 and bundle["mgr_rating"] == 4 and bundle["total_missing"] == 14, bundle
    assert act(market, api, "ast", "weekly_bundle", bundle["id"], "mark_read")[0] == 403   # not his step: refused before its input is read
    assert act(market, api, "mgr", "weekly_bundle", bundle["id"], "mark_read")[1]["state"] == "read"
    assert load(app, VisitLog, logs["2026-02-09"]).state == "archived"
    assert act(market, api, "ast", "weekly_bundle", bundle["id"], "archive")[1]["state"] == "archived"


def test_weekly_bundle_web_forms_keep_the_computed_lines(app, market, api, web, clock):
    logs, _aam_log = _week_of_9_february(app, market, api, clock)
    clock("2026-02-24 09:00")
    assistant = web("ast")
    response = assistant.post("/sales/weekly_bundle/new", data={"week_start": "2026-02-09", "assistant_note": "春节后首周"})
    assert response.status_code == 302, response.get_data(as_text=True)
    bundle_id = int(response.headers["Location"].rsplit("/", 1)[1])
    version = api(market, "ast", "get", f"weekly_bundle/{bundle_id}")[1]["version"]
    assert assistant.post(f"/sales/weekly_bundle/{bundle_id}/transitions/report", data={"version": version}).status_code == 302
    manager = web("mgr")
    page = manager.get(f"/sales/weekly_bundle/{bundle_id}/edit").get_data(as_text=True)
    data = dict(re.findall(r'name="(lines-\d+-user_id)"[^>]*value="(\d+)"', page))
    assert len(data) == 3
    version = api(market, "mgr", "get", f"weekly_bundle/{bundle_id}")[1]["version"]
    data.update({"version": version, "week_start": "2026-02-16", "assistant_note": "改掉", "mgr_rating": "3",
                 "mgr_comment": "请督促补报"})
    response = manager.post(f"/sales/weekly_bundle/{bundle_id}/edit", data=data)
    assert response.status_code == 400 and "cannot be changed" in response.get_data(as_text=True)
    data.update({"week_start": "2026-02-09", "assistant_note": "春节后首周"})   # as the page shows them
    response = manager.post(f"/sales/weekly_bundle/{bundle_id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    body = api(market, "mgr", "get", f"weekly_bundle/{bundle_id}")[1]
    assert body["mgr_rating"] == 3 and body["week_start"] == "2026-02-09" and body["assistant_note"] == "春节后首周"
    assert len(body["lines"]) == 3 and body["total_submitted"] == 4
    assert "周巡访汇总表" in manager.get(f"/sales/weekly_bundle/{bundle_id}/print").get_data(as_text=True)
    number = body["number"]
    page = web("am").get(f"/sales/visit_log/{logs['2026-02-09']}").get_data(as_text=True)
    assert number in page                                       # the log names the bundle it went into
    assert api(market, "am", "get", f"visit_log/{logs['2026-02-09']}")[1]["bundle_id"] == bundle_id


# ---- dashboard ------------------------------------------------------------------------------------
def test_dashboard_shows_todays_log_missing_days_and_the_bundle_due(app, market, api, web, clock):
    clock("2026-03-02 12:00")
    log = visit_log(market, api, "2026-03-02", no_contact_reason="office")[1]
    clock("2026-03-02 17:00")
    assert act(market, api, "am", "visit_log", log["id"], "submit")[0] == 200
    clock("2026-03-04 19:00")          # 3 and 4 March passed their deadline without a log
    page = web("am").get("/").get_data(as_text=True)
    assert "Today&#39;s visit log" in page and "Not started" in page
    assert "Visit logs missing this month" in page and "03-03, 03-04" in page
    page = web("ast").get("/").get_data(as_text=True)
    assert "Weekly visit bundle due" in page and "2026-02-23" in page
    assert "Visit logs missing this month" not in web("pse").get("/").get_data(as_text=True)


# ---- regional market research report F-S02 --------------------------------------------------------
def report_payload(app, area="SZ", period="2026-05-15", **extra):
    return {"area_id": area_id(app, area), "period_start": period, "market_overview": "政府信息化投入增加",
            "last_plan_review": "签约完成 80%", "problems": "医院项目竞争激烈", "next_plan": "主攻教育行业",
            "next_target": "2000000.00", **extra}


def test_regional_report_follows_the_cadence_setting(app, market, api, clock):
    from core import settings
    clock("2026-05-20 10:00")
    assert api(market, "am", "post", "regional_report", report_payload(app))[0] == 403
    status, body = api(market, "aam", "post", "regional_report", report_payload(app, area="GZ"))
    assert status == 422 and "R-S-003" in body["fields"]["area_id"][0]   # not his area
    status, quarterly = api(market, "aam", "post", "regional_report", report_payload(app))
    assert status == 201, quarterly
    assert (quarterly["cadence"], quarterly["period_start"], quarterly["period_end"]) == ("quarterly", "2026-04-01", "2026-06-30")
    assert moment(quarterly["due_at"]) == datetime(2026, 6, 30, 18, 0, tzinfo=SHANGHAI)
    status, body = api(market, "aam", "post", "regional_report", report_payload(app, period="2026-04-02"))
    assert status == 422 and quarterly["number"] in body["fields"]["period_start"][0]   # one per area per period
    with app.app_context():
        settings.set("sales.regional_report.cadence", "monthly")
        db.session.commit()
    status, monthly = api(market, "aam", "post", "regional_report", report_payload(app))
    assert status == 201, monthly
    assert (monthly["cadence"], monthly["period_start"], monthly["period_end"]) == ("monthly", "2026-05-01", "2026-05-31")
    # 31 May 2026 is a Sunday: due on Friday the 29th.
    assert moment(monthly["due_at"]) == datetime(2026, 5, 29, 18, 0, tzinfo=SHANGHAI)
    # The quarterly report started before the change keeps its period.
    status, body = api(market, "aam", "patch", f"regional_report/{quarterly['id']}",
                       {"version": quarterly["version"], "problems": "人手不足"})
    assert status == 200 and body["period_end"] == "2026-06-30"


def test_regional_report_review_forward_and_archive(app, market, api, clock):
    clock("2026-06-29 10:00")
    report = api(market, "aam", "post", "regional_report", report_payload(app))[1]
    assert act(market, api, "aam", "regional_report", report["id"], "submit")[1]["submitted_late"] is False
    assert act(market, api, "mgr", "regional_report", report["id"], "return")[0] == 422
    assert act(market, api, "mgr", "regional_report", report["id"], "return", comment="补充竞争对手")[1]["state"] == "draft"
    clock("2026-07-01 09:00")
    report = act(market, api, "aam", "regional_report", report["id"], "submit")[1]
    assert report["submitted_late"] is False           # judged on the first submission
    status, body = act(market, api, "mgr", "regional_report", report["id"], "forward")
    assert status == 422 and {"mgr_rating", "mgr_comment"} <= set(body["fields"])
    status, body = api(market, "aam", "patch", f"regional_report/{report['id']}", {"version": report["version"], "mgr_rating": 5})
    assert status == 422
    status, body = api(market, "mgr", "patch", f"regional_report/{report['id']}",
                       {"version": report["version"], "mgr_rating": 4, "mgr_comment": "分析到位", "problems": "改掉"})
    assert status == 422 and set(body["fields"]) == {"problems"}      # the author's content is not the reviewer's
    status, report = api(market, "mgr", "patch", f"regional_report/{report['id']}",
                         {"version": report["version"], "mgr_rating": 4, "mgr_comment": "分析到位",
                          "problems": "医院项目竞争激烈"})
    assert status == 200 and report["problems"] == "医院项目竞争激烈"
    assert act(market, api, "aam", "regional_report", report["id"], "forward")[0] == 403   # not his step: refused before its input is read
    assert act(market, api, "mgr", "regional_report", report["id"], "forward")[1]["state"] == "forwarded"
    assert act(market, api, "dir", "regional_report", report["id"], "archive")[1]["state"] == "archived"


# ---- nationwide regional sales plan X-S02 ---------------------------------------------------------
def test_sales_plan_approved_by_the_marketing_director(app, market, api, clock):
    clock("2026-06-15 10:00")
    payload = {"year": 2026, "half": 2, "market_review": "上半年签约 1200 万", "strategy": "主攻医疗与教育"}
    assert api(market, "am", "post", "sales_plan", payload)[0] == 403
    status, plan = api(market, "mgr", "post", "sales_plan", payload)
    assert status == 201, plan
    assert act(market, api, "mgr", "sales_plan", plan["id"], "submit")[0] == 422      # no area target yet
    lines = [{"area_id": area_id(app, "SZ"), "signed_target": "6000000.00", "collection_target": "5000000.00",
              "owner_id": market["ids"]["aam"]},
             {"area_id": area_id(app, "GZ"), "signed_target": "4000000.00", "collection_target": "3000000.00"}]
    status, plan = api(market, "mgr", "patch", f"sales_plan/{plan['id']}", {"version": plan["version"], "lines": lines})
    assert status == 200 and plan["signed_target_total"] == "10000000.00" and plan["period_end"] == "2026-12-31"
    assert moment(plan["due_at"]) == datetime(2026, 6, 30, 18, 0, tzinfo=SHANGHAI)
    assert api(market, "mgr", "post", "sales_plan", payload)[0] == 422                   # one per half-year
    lines += [{"area_id": area_id(app, "SZ"), "signed_target": "6000000.00", "collection_target": "5000000.00",
               "person_id": market["ids"]["aam"]},
              {"area_id": area_id(app, "GZ"), "signed_target": "4000000.00", "collection_target": "3000000.00",
               "person_id": market["ids"]["am"]}]
    status, plan = api(market, "mgr", "patch", f"sales_plan/{plan['id']}", {"version": plan["version"], "lines": lines})
    assert status == 200 and plan["signed_target_total"] == "10000000.00"      # the areas', not counted twice
    assert act(market, api, "mgr", "sales_plan", plan["id"], "submit")[1]["state"] == "submitted"
    assert act(market, api, "mgr", "sales_plan", plan["id"], "approve", comment="自批")[0] == 403
    assert act(market, api, "dir", "sales_plan", plan["id"], "approve", comment="同意")[1]["state"] == "approved"
    assert act(market, api, "ast", "sales_plan", plan["id"], "archive")[1]["state"] == "archived"


def test_sales_plan_with_lines_through_the_form_and_the_api(app, market, api, web, clock):
    """The plan and its area targets declared once: the form offers the half-years, the areas and
    the responsible salespeople in its lines; a half-year that is not one is refused with the
    field (form and API), so is a responsible who is no salesperson; nothing is half-saved."""
    from modules.sales.reports import SalesPlan
    clock("2026-06-15 10:00")
    sz, gz = area_id(app, "SZ"), area_id(app, "GZ")
    browser = web("mgr")
    form = browser.get("/sales/sales_plan/new").get_data(as_text=True)
    halves = form.split('name="half"')[1].split("</select>")[0]
    assert 'selected value="2"' in halves or 'value="2" selected' in halves      # the next half-year
    assert "深圳片区" in form.split('name="lines-0-area_id"')[1].split("</select>")[0]
    owners = form.split('name="lines-0-owner_id"')[1].split("</select>")[0]
    assert f'value="{market["ids"]["aam"]}"' in owners and f'value="{market["ids"]["pe"]}"' not in owners
    data = {"year": "2026", "half": "2", "market_review": "上半年签约 1200 万", "strategy": "主攻医疗与教育",
            "lines-0-area_id": str(sz), "lines-0-signed_target": "6000000", "lines-0-collection_target": "5000000",
            "lines-0-owner_id": str(market["ids"]["aam"]), "lines-0-key_accounts": "市一医院",
            "lines-1-area_id": "", "lines-1-signed_target": "", "lines-1-collection_target": "",
            "lines-1-owner_id": "", "lines-1-key_accounts": ""}
    bad = browser.post("/sales/sales_plan/new", data={**data, "half": "3"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    bad = browser.post("/sales/sales_plan/new", data={**data, "lines-0-owner_id": str(market["ids"]["pe"])})
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.query(SalesPlan).count() == 0                           # nothing half-saved
    saved = browser.post("/sales/sales_plan/new", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    with app.app_context():
        plan = db.session.query(SalesPlan).one()
        assert (plan.year, plan.half, plan.title, plan.signed_target_total) == (2026, 2, "2026-H2", 6000000)
        assert [(l.area_id, l.owner_id, l.key_accounts) for l in plan.lines] == [(sz, market["ids"]["aam"], "市一医院")]
        plan_id = plan.id
    detail = browser.get(f"/sales/sales_plan/{plan_id}").get_data(as_text=True)
    assert "Second half (July–December)" in detail and "深圳片区" in detail and "¥6,000,000.00" in detail

    status, body = api(market, "mgr", "get", f"sales_plan/{plan_id}")
    assert body["half"] == 2 and body["lines"][0]["owner_id"] == market["ids"]["aam"]
    for wrong in (3, 0, "上半年"):
        status, refused = api(market, "mgr", "post", "sales_plan", {"year": 2027, "half": wrong,
                                                                    "market_review": "x", "strategy": "y"})
        assert status == 422 and set(refused["fields"]) == {"half"}, wrong
    lines = [{"area_id": gz, "signed_target": "1.00", "collection_target": "1.00", "owner_id": market["ids"]["pe"]}]
    status, refused = api(market, "mgr", "patch", f"sales_plan/{plan_id}", {"version": body["version"], "lines": lines})
    assert status == 422 and "Line 1" in refused["fields"]["_"][0]
    status, refused = api(market, "mgr", "patch", f"sales_plan/{plan_id}",
                          {"version": body["version"], "lines": [{**lines[0], "owner_id": None, "area_id": 10**6}]})
    assert status == 422 and "Line 1" in refused["fields"]["_"][0]
    assert api(market, "mgr", "get", f"sales_plan/{plan_id}")[1]["lines"] == body["lines"]
    status, plan = api(market, "mgr", "post", "sales_plan", {"year": 2027, "half": 1, "market_review": "x",
                                                             "strategy": "y", "lines": [{**lines[0], "owner_id": None}]})
    assert status == 201 and plan["period_start"] == "2027-01-01" and plan["collection_target_total"] == "1.00"
    assert [p["half"] for p in api(market, "mgr", "get", "sales_plan?half=1")[1]["items"]] == [1]
    assert api(market, "mgr", "get", "sales_plan?half=3")[0] == 400


# ---- important business activity F-S03 -----------------------------------------------------------
def activity_payload(cid, **extra):
    return {"title": "门诊楼布线商务谈判", "customer_id": cid, "activity_type": "negotiation",
            "activity_date": "2026-03-05", "place": "客户会议室", "our_attendees": "张经理、李工",
            "purpose": "敲定付款方式", "plan": "先谈付款节点，再谈工期", **extra}


def test_business_activity_planned_recorded_reviewed_reported(app, market, api, web, clock):
    from core import settings
    clock("2026-03-02 10:00")
    cid = customer(app, market, api)
    big = opportunity(market, api, cid, amount="300000.00")
    small = opportunity(market, api, cid, amount="100000.00", title="门禁改造")
    status, body = api(market, "am", "post", "business_activity", activity_payload(cid, purpose=" ", plan=" "))
    assert status == 422 and "R-S-005" in body["fields"]["purpose"][0]
    status, activity = api(market, "am", "post", "business_activity", activity_payload(cid, opportunity_id=big))
    assert status == 201 and activity["state"] == "planned" and activity["is_important"] is True
    other = api(market, "am", "post", "business_activity",
                activity_payload(cid, opportunity_id=small, title="门禁交流", activity_type="technical"))[1]
    assert other["is_important"] is False
    with app.app_context():
        settings.set("sales.important_activity_amount", "100000")
        db.session.commit()
    other = api(market, "am", "patch", f"business_activity/{other['id']}", {"version": other["version"], "place": "公司"})[1]
    assert other["is_important"] is True
    assert act(market, api, "am", "business_activity", other["id"], "cancel", comment="客户取消")[1]["state"] == "cancelled"

    status, body = act(market, api, "am", "business_activity", activity["id"], "mark_done")
    assert status == 422 and "2026-03-05" in body["error"]              # not yet
    clock("2026-03-05 20:00")
    activity = act(market, api, "am", "business_activity", activity["id"], "mark_done")[1]
    status, body = act(market, api, "am", "business_activity", activity["id"], "record")
    assert status == 422 and "R-S-005" in body["error"]
    status, activity = api(market, "am", "patch", f"business_activity/{activity['id']}", {
        "version": activity["version"], "content": "客户要求 3-6-1 付款", "customer_positions": "关注工期",
        "analysis": "付款可接受", "next_steps": "李工 3 月 10 日前出工期计划", "profile_updated": True})
    assert status == 200, activity
    activity = act(market, api, "am", "business_activity", activity["id"], "record")[1]
    assert activity["state"] == "recorded"
    assert act(market, api, "am", "business_activity", activity["id"], "review")[0] == 403   # not his step: refused before its input is read
    status, activity = api(market, "mgr", "patch", f"business_activity/{activity['id']}",
                           {"version": activity["version"], "mgr_rating": 4, "mgr_comment": "抓紧工期计划"})
    assert status == 200 and activity["mgr_comment"] == "抓紧工期计划", activity
    # Important: reviewed, it is reported to the marketing director at once (WF-S04).
    assert act(market, api, "mgr", "business_activity", activity["id"], "review")[1]["state"] == "reported"
    assert act(market, api, "ast", "business_activity", activity["id"], "archive")[1]["state"] == "archived"
    page = web("am").get(f"/sales/customer/{cid}").get_data(as_text=True)
    assert activity["number"] in page                                   # listed on the customer


def test_business_activity_review_and_record_kept_apart(app, market, api, clock):
    clock("2026-03-02 10:00")
    cid = customer(app, market, api)
    activity = api(market, "am", "post", "business_activity", activity_payload(cid, activity_date="2026-03-02"))[1]
    status, body = api(market, "am", "patch", f"business_activity/{activity['id']}",
                       {"version": activity["version"], "mgr_comment": "自评"})
    assert status == 422 and set(body["fields"]) == {"mgr_comment"}      # not before the record is submitted
    activity = act(market, api, "am", "business_activity", activity["id"], "mark_done")[1]
    status, activity = api(market, "am", "patch", f"business_activity/{activity['id']}", {
        "version": activity["version"], "content": "谈妥付款", "customer_positions": "关注工期",
        "analysis": "可接受", "next_steps": "出工期计划"})
    activity = act(market, api, "am", "business_activity", activity["id"], "record")[1]
    status, body = api(market, "am", "patch", f"business_activity/{activity['id']}",
                       {"version": activity["version"], "mgr_rating": 5})
    assert status == 422 and set(body["fields"]) == {"mgr_rating"}       # the manager rates, not the author
    status, body = api(market, "mgr", "patch", f"business_activity/{activity['id']}",
                       {"version": activity["version"], "mgr_rating": 3, "content": "改写"})
    assert status == 422 and set(body["fields"]) == {"content"}          # the record is the author's
    status, activity = api(market, "mgr", "patch", f"business_activity/{activity['id']}",
                           {"version": activity["version"], "mgr_rating": 3, "content": "谈妥付款"})
    assert status == 200 and activity["mgr_rating"] == 3 and activity["content"] == "谈妥付款"


# ---- lost-order summary X-S03 ---------------------------------------------------------------------
def test_lost_summary_reviewed_closes_the_opportunity(app, market, api, web, clock):
    from modules.sales.models import Opportunity
    clock("2026-04-01 10:00")
    cid = customer(app, market, api)
    opp = opportunity(market, api, cid)
    payload = {"opportunity_id": opp, "lost_stage": "bidding", "winner": "某某网络公司", "winner_price": "720000.00",
               "reasons": ["price", "relationship"], "lessons": "提前介入标书编制", "reason_note": "对手低价 10%"}
    status, body = api(market, "am", "post", "lost_summary", payload)
    assert status == 422 and "opportunity_id" in body["fields"]            # not lost
    with app.app_context():
        found = db.session.get(Opportunity, opp)
        found.state, found.outcome_reason = "lost", "price"
        db.session.commit()
    assert api(market, "am", "post", "lost_summary", {**payload, "reasons": ["price", "luck"]})[0] == 422
    assert api(market, "eng_mgr", "post", "lost_summary", payload)[0] == 403
    status, summary = api(market, "am", "post", "lost_summary", payload)
    assert status == 201 and summary["number"].startswith("DD-2026-"), summary
    assert api(market, "am", "post", "lost_summary", payload)[0] == 422           # one per opportunity
    assert act(market, api, "am", "lost_summary", summary["id"], "submit")[1]["state"] == "submitted"
    assert act(market, api, "am", "lost_summary", summary["id"], "approve")[0] == 403
    assert act(market, api, "mgr", "lost_summary", summary["id"], "reject", comment="教训写具体")[1]["state"] == "draft"
    assert act(market, api, "am", "lost_summary", summary["id"], "submit")[0] == 200
    assert load(app, Opportunity, opp).state == "lost"
    assert act(market, api, "mgr", "lost_summary", summary["id"], "approve", comment="同意",
               mgr_rating=4)[1]["state"] == "reviewed"
    assert load(app, Opportunity, opp).state == "closed_lost"
    timeline = api(market, "mgr", "get", f"opportunity/{opp}/history")[1]["items"]
    assert any(e["action"] == "transition" and e["changes"].get("to") == "closed_lost" for e in timeline)
    assert act(market, api, "ast", "lost_summary", summary["id"], "archive")[1]["state"] == "archived"
    page = web("am").get(f"/sales/opportunity/{opp}").get_data(as_text=True)
    assert summary["number"] in page


def test_new_forms_render(app, market, api, web, clock):
    clock("2026-03-02 10:00")
    customer(app, market, api)
    for who, slug in (("am", "visit_log"), ("pse", "visit_log"), ("ast", "weekly_bundle"), ("aam", "regional_report"),
                      ("mgr", "sales_plan"), ("am", "business_activity"), ("am", "lost_summary")):
        browser = web(who)
        page = browser.get(f"/sales/{slug}/new")
        # Blank choices post "" so that the blank line rows a browser sends back are dropped.
        line_selects = re.findall(r'<select[^>]*name="lines-[^>]*>.*?</select>', page.get_data(as_text=True), re.S)
        assert page.status_code == 200 and 'value="None"' not in "".join(line_selects), slug
        assert browser.get(f"/sales/{slug}/").status_code == 200, slug


def test_demo_visit_logs_can_be_loaded_twice(app, market, api, clock):
    from core.auth.models import User
    from modules.sales import visits
    clock("2026-03-04 10:00")
    customer(app, market, api)
    with app.app_context():
        people = [db.session.get(User, market["ids"][n]) for n in ("am", "aam")]
        visits.demo(people)
        db.session.commit()
        count = db.session.query(visits.VisitLog).count()
        visits.demo(people)
        db.session.commit()
        assert db.session.query(visits.VisitLog).count() == count == 12   # 5 working days + today, each
        assert db.session.query(visits.VisitLine).count() > 0


def test_on_a_saturday_no_log_is_due_and_one_written_is_due_on_monday(app, market, api, web, clock):
    clock("2026-03-07 10:00")          # a Saturday (not a make-up working day)
    page = web("am").get("/").get_data(as_text=True)
    assert "Not a working day: no visit log is due today." in page and "Not started" not in page
    log = visit_log(market, api, "2026-03-07", no_contact_reason="office")[1]
    assert moment(log["due_at"]) == datetime(2026, 3, 9, 18, 0, tzinfo=SHANGHAI)   # Monday's end of work
    page = web("am").get("/").get_data(as_text=True)
    assert "03-09 18:00" in page and "before 18:00." not in page


def test_the_form_offers_what_this_person_fills_in_this_state(app, market, api, web, clock):
    clock("2026-02-24 09:00")
    bundle = api(market, "ast", "post", "weekly_bundle", {"week_start": "2026-02-09", "assistant_note": "春节周"})[1]
    bundle = act(market, api, "ast", "weekly_bundle", bundle["id"], "report")[1]
    manager = web("mgr")
    form = manager.get(f"/sales/weekly_bundle/{bundle['id']}/edit").get_data(as_text=True)
    assert 'name="mgr_rating"' in form and 'name="mgr_comment"' in form             # his step's inputs
    assert 'name="assistant_note"' not in form and 'data-shown="assistant_note"' in form and "春节周" in form
    assert form.index("data-section>Market manager") < form.index('name="mgr_rating"')   # in their own section
    saved = manager.post(f"/sales/weekly_bundle/{bundle['id']}/edit", data={
        "version": str(bundle["version"]), "mgr_rating": "4", "mgr_comment": "按时汇总"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    bundle = api(market, "ast", "get", f"weekly_bundle/{bundle['id']}")[1]
    assert (bundle["mgr_rating"], bundle["assistant_note"], bundle["week_start"]) == (4, "春节周", "2026-02-09")
    form = web("ast").get(f"/sales/weekly_bundle/{bundle['id']}/edit").get_data(as_text=True)
    assert 'name="mgr_rating"' not in form and 'data-shown="mgr_rating"' in form     # the manager's, shown


def test_the_visit_log_print_has_one_date_row(app, market, api, web, clock):
    clock("2026-03-02 12:00")
    log = visit_log(market, api, "2026-03-02", no_contact_reason="office")[1]
    page = web("am").get(f"/sales/visit_log/{log['id']}/print").get_data(as_text=True)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert headers.count("Date") == 1 and "Date filled" in headers
