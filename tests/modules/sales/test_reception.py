"""Customer inspection visit and reception (WF-S03): the schedule F-S07 approved by the 市场部经理 (and
the 市场总监 above the threshold), confirmed by the customer, the departments notified, the visit
and its summary F-S08 reviewed, reported and archived (R-S-008, R-S-041, R-S-043)."""
import re

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import customer

pytestmark = pytest.mark.modules("sales")

AGENDA = [
    {"day": "2026-03-04", "time_slot": "09:30-11:30", "activity": "参观公司展厅", "place": "公司展厅",
     "preparation": "展厅讲解"},
    {"day": "2026-03-05", "time_slot": "14:00-16:00", "activity": "参观在建项目现场", "place": "南山数据中心",
     "preparation": "安全帽六顶"},
]


def body(app, market, api, who="am", budget=None, agenda=None, customer_id=None, **extra):
    if customer_id is None:
        customer_id = customer(app, market, api, who=who, name=extra.pop("customer_name", "深圳市第一人民医院"))["id"]
    extra.pop("customer_name", None)
    lines = agenda if agenda is not None else [
        {**AGENDA[0], "staff_id": market["ids"]["am2"]},
        {**AGENDA[1], "staff_id": market["ids"]["pe"]}]
    return {"customer_id": customer_id, "purpose": "考察我司施工能力", "visitors": "王主任 信息科主任 13800000000",
            "visitor_count": 3, "arrive_at": "2026-03-04T09:00:00+08:00", "leave_at": "2026-03-05T17:00:00+08:00",
            "lodging": "深圳湾酒店 标准间 3 间 1 晚", "transport": "商务车接送",
            **({"budget_meals": "1500.00", "budget_lodging": "1200.00"} if budget is None else budget),
            "agenda": lines, **extra}


def reception(app, market, api, who="am", **extra):
    status, doc = api(market, who, "post", "reception", body(app, market, api, who=who, **extra))
    assert status == 201, doc
    return doc


def act(market, api, who, doc_id, name, **payload):
    return api(market, who, "post", f"reception/{doc_id}/transitions/{name}", payload)


def get(market, api, doc_id, who="mgr"):
    status, doc = api(market, who, "get", f"reception/{doc_id}")
    assert status == 200, doc
    return doc


def plan(app, doc_id):
    from core.auth.models import User
    from core.workflow import engine
    from modules.sales.reception import RECEPTION, Reception
    with app.app_context():
        return [(t.step_name, t.status, db.session.get(User, t.user_id).username)
                for t in engine.tasks(RECEPTION, db.session.get(Reception, doc_id))]


def notes(app, username, key_part=""):
    """The titles of `username`'s notifications whose key contains `key_part`."""
    from core.auth.models import User
    from core.reminders.models import Notification
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == username))
        return [(n.title, n.body) for n in db.session.scalars(select(Notification).where(
            Notification.user_id == uid, Notification.key.contains(key_part)))]


def heads_of_departments(app, market):
    """The engineering manager heads 工程部 (the market manager already heads 市场部)."""
    from core.org.models import Position, UserPosition
    with app.app_context():
        pos = db.session.scalar(select(Position).where(Position.code == "POS-ENG-MGR"))
        db.session.add(UserPosition(user_id=market["ids"]["eng_mgr"], position_id=pos.id))
        from core.auth.models import User
        from tests.conftest import department_id
        db.session.get(User, market["ids"]["pe"]).department_id = department_id(app, "ENG")
        db.session.commit()


def approved(app, market, api, clock, **extra):
    clock("2026-03-02 10:00")
    doc = reception(app, market, api, **extra)
    act(market, api, "am", doc["id"], "draft_schedule")
    assert act(market, api, "am", doc["id"], "submit")[1]["state"] == "pending_approval"
    assert act(market, api, "mgr", doc["id"], "approve")[1]["state"] == "approved"
    return doc


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---- the happy path, role by role --------------------------------------------------------------
def test_the_reception_walks_the_handbook_flow(app, market, api, web, clock):
    heads_of_departments(app, market)
    clock("2026-03-02 10:00")                                        # a Monday
    doc = reception(app, market, api)
    assert doc["state"] == "requested" and doc["number"].startswith("JD-")
    assert doc["budget_total"] == "2700.00" and doc["title"] == "深圳市第一人民医院 2026-03-04"
    # The departments consulted follow from the staff named (R: departments named).
    from tests.conftest import department_id
    assert [line["department_id"] for line in doc["agenda"]] == [department_id(app, "MKT"), department_id(app, "ENG")]
    assert act(market, api, "am", doc["id"], "draft_schedule")[1]["state"] == "schedule_draft"
    # Submitted at once to the market manager (即时): due within core.immediate_deadline_hours.
    status, sent = act(market, api, "am", doc["id"], "submit")
    assert status == 200 and sent["state"] == "pending_approval", sent
    assert sent["approval_due_at"] == "2026-03-03T10:00:00+08:00"
    assert plan(app, doc["id"]) == [("manager", "open", "mgr")]      # 2,700: the manager alone
    from core.reminders import collect
    from datetime import datetime
    from zoneinfo import ZoneInfo
    with app.app_context(), app.test_request_context():
        due = [r for r in collect(datetime(2026, 3, 2, 11, tzinfo=ZoneInfo("Asia/Shanghai")))
               if r.key.startswith("sales.reception_approval:")]
        assert [r.user_id for r in due] == [market["ids"]["mgr"]]
    # Not confirmed with the customer before the approval (R-S-008); not approved by others.
    assert act(market, api, "am", doc["id"], "confirm", confirmed_via="phone", confirmed_by="王主任")[0] in (403, 422)
    for who in ("am", "dir", "am2"):
        assert act(market, api, who, doc["id"], "approve")[0] in (403, 404)
    # The market manager approves on the web page.
    manager = web("mgr")
    page = manager.get(f"/sales/reception/{doc['id']}").get_data(as_text=True)
    assert "深圳市第一人民医院" in page and "参观公司展厅" in page
    response = manager.post(f"/sales/reception/{doc['id']}/transitions/approve",
                            data={"version": get(market, api, doc["id"])["version"], "comment": "同意"})
    assert response.status_code == 302
    assert get(market, api, doc["id"])["state"] == "approved"
    # The customer wants another time: back to draft, changed, approved again.
    assert act(market, api, "am", doc["id"], "revise")[0] == 422                    # what he wants, said
    assert act(market, api, "am", doc["id"], "revise", comment="客户希望下午参观展厅")[1]["state"] == "schedule_draft"
    current = get(market, api, doc["id"], "am")
    agenda = [dict(line) for line in current["agenda"]]
    agenda[0]["time_slot"] = "14:00-16:00"
    status, changed = api(market, "am", "patch", f"reception/{doc['id']}",
                          {"version": current["version"], "agenda": [
                              {k: v for k, v in line.items() if k in ("day", "time_slot", "activity", "place",
                                                                     "staff_id", "preparation")} for line in agenda]})
    assert status == 200 and changed["agenda"][0]["time_slot"] == "14:00-16:00", changed
    act(market, api, "am", doc["id"], "submit")
    assert [s for s in plan(app, doc["id"])] == [("manager", "open", "mgr")]
    assert act(market, api, "mgr", doc["id"], "approve")[1]["state"] == "approved"
    # The customer confirms (how, when, who) on the action's page.
    lead = web("am")
    response = lead.post(f"/sales/reception/{doc['id']}/transitions/confirm/input",
                         data={"confirmed_via": "email", "confirmed_on": "2026-03-03", "confirmed_by": "王主任",
                               "comment": "", "version": get(market, api, doc["id"])["version"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    confirmed = get(market, api, doc["id"])
    assert confirmed["state"] == "customer_confirmed" and confirmed["confirmed_via"] == "email"
    assert confirmed["confirmed_on"] == "2026-03-03" and confirmed["confirmed_by"] == "王主任"
    # The departments are notified: the people on the agenda and their departments' heads.
    status, notified = act(market, api, "am", doc["id"], "notify")
    assert status == 200 and notified["state"] == "preparing", notified
    assert notified["notified_departments"] == "市场部、工程部"
    for who in ("am2", "pe", "eng_mgr", "mgr"):
        [(title, text)] = notes(app, who, ":prepare:")
        assert doc["number"] in title, who
    assert "参观在建项目现场" in notes(app, "pe", ":prepare:")[0][1]
    assert "参观公司展厅" not in notes(app, "pe", ":prepare:")[0][1]          # his own lines
    assert "参观在建项目现场" in notes(app, "eng_mgr", ":prepare:")[0][1]
    assert notes(app, "am", ":prepare:") == [] and notes(app, "dir", ":prepare:") == []
    # Started on the first scheduled day, not before.
    status, refused = act(market, api, "am", doc["id"], "start")
    assert status == 422 and "agenda" in refused["fields"] and "2026-03-04" in refused["error"], refused
    clock("2026-03-04 09:00")
    started = act(market, api, "am", doc["id"], "start")[1]
    assert started["state"] == "in_progress" and started["actual_start"] == "2026-03-04"
    clock("2026-03-05 17:00")                                        # a Thursday
    done = act(market, api, "am", doc["id"], "complete")[1]
    assert done["state"] == "completed" and done["due_at"] == "2026-03-09T18:00:00+08:00"   # Monday, end of work
    # The summary (F-S08) on the web form, its actual costs within the tolerance.
    form = lead.get(f"/sales/reception/{doc['id']}/edit").get_data(as_text=True)
    assert 'name="execution"' in form and 'name="budget_meals"' not in form      # the budget is approved
    status, written = api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": done["version"], "execution": "按日程执行", "feedback": "关注工期", "results": "同意邀请投标",
        "follow_up": "下周提交方案(刘, 3月13日)", "actual_meals": "1650.00", "actual_lodging": "1200.00"})
    assert status == 200 and written["actual_total"] == "2850.00", written
    submitted = act(market, api, "am", doc["id"], "submit_summary")[1]
    assert submitted["state"] == "summary_submitted" and submitted["summary_late"] is False
    # The market manager rates it and reports it to the director; the lead may not.
    assert act(market, api, "am", doc["id"], "report", mgr_rating=5, mgr_comment="好")[0] == 403
    status, refused = act(market, api, "mgr", doc["id"], "report")
    assert status == 422 and {"mgr_rating", "mgr_comment"} <= set(refused["fields"]), refused
    manager = web("mgr")                                             # (one browser: signed in again)
    response = manager.post(f"/sales/reception/{doc['id']}/transitions/report/input",
                            data={"mgr_rating": "4", "mgr_comment": "接待周到", "comment": "",
                                  "version": get(market, api, doc["id"])["version"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    reported = get(market, api, doc["id"], "dir")                   # the director reads them all
    assert reported["state"] == "reported" and reported["mgr_rating"] == 4
    assert [t for t, _b in notes(app, "dir", ":reported:")]
    # The market assistant files it.
    assert act(market, api, "dir", doc["id"], "archive")[0] == 403
    assert act(market, api, "ast", doc["id"], "archive")[1]["state"] == "archived"
    # In Chinese: the titles of the form and of both prints.
    manager.post("/language", data={"language": "zh_CN"})
    page = manager.get(f"/sales/reception/{doc['id']}").get_data(as_text=True)
    assert "市场部经理" in page                                      # the approval trail's step
    assert "电子邮箱" in page and "深圳市第一人民医院" in page


def test_the_director_approves_only_above_the_threshold(app, market, api, clock):
    clock("2026-03-02 10:00")
    for amount, steps in (("5000.00", [("manager", "open", "mgr")]),
                          ("5000.01", [("manager", "open", "mgr"), ("director", "waiting", "dir")])):
        doc = reception(app, market, api, budget={"budget_gifts": amount}, customer_name=f"客户{amount}")
        act(market, api, "am", doc["id"], "draft_schedule")
        act(market, api, "am", doc["id"], "submit")
        assert plan(app, doc["id"]) == steps
        assert act(market, api, "mgr", doc["id"], "approve")[1]["state"] == (
            "approved" if len(steps) == 1 else "pending_approval")
    assert act(market, api, "dir", doc["id"], "approve")[1]["state"] == "approved"
    with app.app_context():
        from core import settings
        settings.set("sales.reception_budget_director_threshold", "10000")
    doc = reception(app, market, api, budget={"budget_gifts": "6000"}, customer_name="客户六千")
    act(market, api, "am", doc["id"], "draft_schedule")
    act(market, api, "am", doc["id"], "submit")
    assert plan(app, doc["id"]) == [("manager", "open", "mgr")]


# ---- refusals ----------------------------------------------------------------------------------
def test_refusals_leave_the_reception_as_it_was(app, market, api, clock):
    clock("2026-03-02 10:00")
    # Who may not: the director reads only, a pre-sales engineer sees nothing, a colleague not yours.
    cust = customer(app, market, api)
    assert api(market, "dir", "post", "reception", body(app, market, api, customer_id=cust["id"]))[0] == 403
    assert api(market, "pse", "get", "reception")[0] == 403
    doc = reception(app, market, api, budget={}, customer_id=cust["id"])
    assert api(market, "am2", "get", f"reception/{doc['id']}")[0] == 404
    assert api(market, "dir", "get", f"reception/{doc['id']}")[0] == 200
    act(market, api, "am", doc["id"], "draft_schedule")
    # R-S-041: no budget, no submission (the refusal recorded against the rule).
    status, refused = act(market, api, "am", doc["id"], "submit")
    assert status == 422 and "budget_total" in refused["fields"] and refused["rules"] == ["R-S-041"], refused
    assert get(market, api, doc["id"])["state"] == "schedule_draft" and plan(app, doc["id"]) == []
    version = get(market, api, doc["id"])["version"]
    # Free of costs and budgeted at once: refused, nothing saved.
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}",
                          {"version": version, "no_costs": True, "budget_gifts": "300"})
    assert status == 422 and "no_costs" in refused["fields"], refused
    after = get(market, api, doc["id"])
    assert after["version"] == version and after["budget_gifts"] is None and after["no_costs"] is False
    # An agenda day outside the visit, a departure before the arrival.
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": version, "agenda": [{**AGENDA[0], "day": "2026-03-09"}]})
    assert status == 422 and "agenda" in refused["fields"], refused
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}",
                          {"version": version, "leave_at": "2026-03-03T17:00:00+08:00"})
    assert status == 422 and "leave_at" in refused["fields"], refused
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": version, "agenda": [{**AGENDA[0], "staff_id": 99999}]})
    assert status == 422 and "Line 1: “Our staff”" in str(refused["fields"]), refused   # nobody of the company
    assert len(get(market, api, doc["id"])["agenda"]) == 2
    # An opportunity of another customer is refused.
    other = customer(app, market, api, name="深圳湾科技园管理中心")
    status, opp = api(market, "am", "post", "opportunity", {"title": "园区监控", "customer_id": other["id"],
                                                             "info_type": "engineering", "est_amount": "1000"})
    assert status == 201, opp
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}",
                          {"version": version, "opportunity_id": opp["id"]})
    assert status == 422 and "opportunity_id" in refused["fields"], refused
    # Marked as costing nothing, it goes to the manager; the owner cannot approve it himself.
    assert api(market, "am", "patch", f"reception/{doc['id']}", {"version": version, "no_costs": True})[0] == 200
    assert act(market, api, "am", doc["id"], "submit")[1]["state"] == "pending_approval"
    assert act(market, api, "am", doc["id"], "approve")[0] == 403
    # The budget is approved as submitted: not changed afterwards.
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}",
                          {"version": get(market, api, doc["id"])["version"], "budget_meals": "100"})
    assert status in (403, 422), refused


def test_the_approved_schedule_and_the_overspend(app, market, api, clock):
    doc = approved(app, market, api, clock)
    act(market, api, "am", doc["id"], "confirm", confirmed_via="writing", confirmed_on="2026-03-03",
        confirmed_by="王主任")
    act(market, api, "am", doc["id"], "notify")
    clock("2026-03-04 09:00")
    act(market, api, "am", doc["id"], "start")
    # The agenda approved is not changed while the visit is under way.
    current = get(market, api, doc["id"], "am")
    status, refused = api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": current["version"], "agenda": [AGENDA[0]]})
    assert status == 422 and "agenda" in refused["fields"], refused
    assert len(get(market, api, doc["id"])["agenda"]) == 2
    clock("2026-03-05 17:00")
    act(market, api, "am", doc["id"], "complete")
    # Required from the summary's submission on.
    status, refused = act(market, api, "am", doc["id"], "submit_summary")
    assert status == 422 and {"execution", "feedback", "results", "follow_up"} <= set(refused["fields"]), refused
    # R-S-043: 2,700 budgeted, 3,000 spent (11.11 %): explained, or not submitted.
    version = get(market, api, doc["id"])["version"]
    status, written = api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": version, "execution": "按日程", "feedback": "关注工期", "results": "同意投标",
        "follow_up": "提交方案", "actual_meals": "1800.00", "actual_lodging": "1200.00"})
    assert status == 200 and written["overspend_pct"] == "11.11", written
    status, refused = act(market, api, "am", doc["id"], "submit_summary")
    assert status == 422 and "overspend_reason" in refused["fields"] and refused["rules"] == ["R-S-043"], refused
    assert get(market, api, doc["id"])["state"] == "completed"
    api(market, "am", "patch", f"reception/{doc['id']}", {"version": written["version"],
                                                          "overspend_reason": "客户临时增加两人用餐"})
    assert act(market, api, "am", doc["id"], "submit_summary")[1]["state"] == "summary_submitted"
    # The manager returns it; the lead corrects it.
    assert act(market, api, "mgr", doc["id"], "return_summary", comment="补充客户关注点")[1]["state"] == "completed"


def test_the_tolerance_comes_from_the_setting(app, market, api, clock):
    with app.app_context():
        from core import settings
        settings.set("sales.reception_overspend_tolerance_pct", "20")
    doc = approved(app, market, api, clock)
    act(market, api, "am", doc["id"], "confirm", confirmed_via="phone", confirmed_on="2026-03-03", confirmed_by="王")
    act(market, api, "am", doc["id"], "notify")
    clock("2026-03-04 09:00")
    act(market, api, "am", doc["id"], "start")
    act(market, api, "am", doc["id"], "complete")
    version = get(market, api, doc["id"])["version"]
    api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": version, "execution": "按日程", "feedback": "好", "results": "好", "follow_up": "跟进",
        "actual_meals": "1800.00", "actual_lodging": "1200.00"})
    assert act(market, api, "am", doc["id"], "submit_summary")[1]["state"] == "summary_submitted"


# ---- the summary's deadline ----------------------------------------------------------------------
def test_the_summary_is_due_two_working_days_after_the_reception(app, market, api, clock):
    doc = approved(app, market, api, clock)
    act(market, api, "am", doc["id"], "confirm", confirmed_via="phone", confirmed_on="2026-03-03", confirmed_by="王")
    act(market, api, "am", doc["id"], "notify")
    clock("2026-03-05 09:00")
    act(market, api, "am", doc["id"], "start")
    clock("2026-03-06 16:00")                                        # a Friday
    done = act(market, api, "am", doc["id"], "complete")[1]
    assert done["due_at"] == "2026-03-10T18:00:00+08:00"             # Tuesday, end of work
    clock("2026-03-10 17:59")
    assert get(market, api, doc["id"], "am")["overdue"] is False
    clock("2026-03-10 18:01")
    assert get(market, api, doc["id"], "am")["overdue"] is True
    api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": done["version"], "execution": "按日程", "feedback": "好", "results": "好", "follow_up": "跟进",
        "actual_meals": "1500.00", "actual_lodging": "1200.00"})
    late = act(market, api, "am", doc["id"], "submit_summary")[1]
    assert late["state"] == "summary_submitted" and late["summary_late"] is True and late["overdue"] is False
    from core.rules.models import RuleViolation
    with app.app_context():
        assert db.session.scalars(select(RuleViolation.kind).where(RuleViolation.rule_code == "R-S-008",
                                                                   RuleViolation.doc_id == doc["id"])).all() == \
            ["deadline_missed"]


# ---- cancelling --------------------------------------------------------------------------------
def test_a_cancelled_visit_tells_the_people_on_the_agenda(app, market, api, clock):
    heads_of_departments(app, market)
    clock("2026-03-02 10:00")
    pending = reception(app, market, api)
    act(market, api, "am", pending["id"], "draft_schedule")
    act(market, api, "am", pending["id"], "submit")
    assert act(market, api, "am", pending["id"], "cancel")[0] == 422                  # the reason
    assert act(market, api, "am", pending["id"], "cancel", comment="客户取消")[1]["state"] == "cancelled"
    assert [status for _s, status, _u in plan(app, pending["id"])] == ["withdrawn"]   # no approval waits
    assert [t for t, _b in notes(app, "pe", ":cancelled:")]
    doc = approved(app, market, api, clock, customer_name="深圳湾科技园管理中心")
    act(market, api, "am", doc["id"], "confirm", confirmed_via="phone", confirmed_on="2026-03-03", confirmed_by="王")
    act(market, api, "am", doc["id"], "notify")
    clock("2026-03-04 09:00")
    act(market, api, "am", doc["id"], "start")
    assert act(market, api, "am", doc["id"], "cancel", comment="太晚")[0] == 422      # under way: too late


# ---- prints --------------------------------------------------------------------------------------
def test_the_prints_the_customer_copy_without_the_budget_and_the_summary(app, market, api, clock, web):
    doc = approved(app, market, api, clock)
    act(market, api, "am", doc["id"], "confirm", confirmed_via="phone", confirmed_on="2026-03-03",
        confirmed_by="王主任")
    browser = web("am")
    browser.post("/language", data={"language": "zh_CN"})
    html = browser.get(f"/sales/reception/{doc['id']}/print/customer").get_data(as_text=True)
    text = _text(html)
    assert "<h1>客户接待日程安排表</h1>" in html and "参观公司展厅" in text and "王主任" in text
    for internal in ("1,500.00", "2,700.00", "展厅讲解", "安全帽六顶"):             # no budget, no preparation
        assert internal not in text, internal
    internal_print = _text(browser.get(f"/sales/reception/{doc['id']}/print").get_data(as_text=True))
    assert "2,700.00" in internal_print and "展厅讲解" in internal_print
    pdf = browser.get(f"/sales/reception/{doc['id']}/pdf/customer")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    act(market, api, "am", doc["id"], "notify")
    clock("2026-03-04 09:00")
    act(market, api, "am", doc["id"], "start")
    act(market, api, "am", doc["id"], "complete")
    api(market, "am", "patch", f"reception/{doc['id']}", {
        "version": get(market, api, doc["id"])["version"], "execution": "按日程执行", "feedback": "关注工期",
        "results": "同意邀请投标", "follow_up": "提交方案", "actual_meals": "1400.00", "actual_lodging": "1200.00"})
    html = browser.get(f"/sales/reception/{doc['id']}/print/summary").get_data(as_text=True)
    text = _text(html)
    assert "<h1>客户接待工作总结</h1>" in html and "同意邀请投标" in text and "2,600.00" in text
    assert "¥1,500.00 / ¥1,400.00" in text or "1,500.00 / 1,400.00" in text
    detail = browser.get(f"/sales/reception/{doc['id']}").get_data(as_text=True)
    assert f"/sales/reception/{doc['id']}/pdf/summary" in detail and f"/sales/reception/{doc['id']}/pdf/customer" in detail
    sign_in_as(browser, "am2")
    assert browser.get(f"/sales/reception/{doc['id']}/print/customer").status_code == 404


def test_the_salesperson_records_the_request_on_the_web_form(app, market, api, web, clock):
    clock("2026-03-02 10:00")
    cust = customer(app, market, api)
    browser = web("am")
    browser.post("/language", data={"language": "zh_CN"})
    form = browser.get("/sales/reception/new").get_data(as_text=True)
    assert 'name="agenda-0-day"' in form and 'name="budget_meals"' in form and 'name="execution"' not in form
    response = browser.post("/sales/reception/new", data={
        "customer_id": cust["id"], "purpose": "考察样板工程", "visitors": "王主任", "visitor_count": "2",
        "arrive_at": "2026-03-04T09:00", "leave_at": "2026-03-04T17:00", "level": "important",
        "budget_meals": "800", "agenda-0-day": "2026-03-04", "agenda-0-time_slot": "09:30-11:30",
        "agenda-0-activity": "参观展厅", "agenda-0-place": "展厅", "agenda-0-staff_id": str(market["ids"]["am2"]),
        "agenda-0-department_id": "", "agenda-0-preparation": "讲解"})
    assert response.status_code == 302, _text(response.get_data(as_text=True))[:2000]
    doc_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    doc = get(market, api, doc_id, "am")
    assert doc["state"] == "requested" and doc["budget_total"] == "800.00" and doc["level"] == "important"
    assert doc["arrive_at"] == "2026-03-04T09:00:00+08:00" and doc["agenda"][0]["activity"] == "参观展厅"
    page = browser.get(f"/sales/reception/{doc_id}").get_data(as_text=True)
    assert "参观展厅" in page and "市场部" in page                          # the staff's department
