"""Bidding (WF-S06, F-S06) and the customer requirement analysis (F-S05) with its capability check.

Only the sales module runs: the 工程部经理's confirmation works without the engineering module.
"""
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import PASSWORD
from tests.modules.sales.conftest import area_id

pytestmark = pytest.mark.modules("sales")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def company_today():
    return datetime.now(SHANGHAI).date()


# ---- helpers ----------------------------------------------------------------------------------
def web(app, username):
    """A browser signed in as one of the market fixture's people."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def registered_opportunity(app, api, market, info_type="tender", registration_state="approved", name="政务云"):
    """A customer, an opportunity of the salesperson ``am`` and its registration (approved by default)."""
    status, customer = api(market, "am", "post", "customer",
                           {"title": f"{name}客户", "industry": "government", "area_id": area_id(app)})
    assert status == 201, customer
    status, opportunity = api(market, "am", "post", "opportunity",
                              {"title": f"{name}项目", "customer_id": customer["id"], "info_type": info_type,
                               "est_amount": "1500000"})
    assert status == 201, opportunity
    from modules.sales.models import Opportunity, Registration
    with app.app_context():
        ids = market["ids"]
        registration = Registration(opportunity_id=opportunity["id"], number=f"LX-T-{opportunity['id']:04d}",
                                    title=f"{name}项目", state=registration_state, owner_id=ids["am"],
                                    presales_lead_id=ids["pse"] if registration_state == "approved" else None)
        db.session.add(registration)
        if registration_state == "approved":
            opp = db.session.get(Opportunity, opportunity["id"])
            opp.registration_no = f"XM-T-{opportunity['id']:04d}"
            opp.presales_lead_id = ids["pse"]
        db.session.commit()
        registration_id = registration.id
    return opportunity["id"], registration_id


def tender_opportunity(app, api, market, name="政务云"):
    opportunity_id, _registration = registered_opportunity(app, api, market, name=name)
    status, body = api(market, "am", "post", f"opportunity/{opportunity_id}/transitions/follow_tender", {})
    assert status == 200, body
    return opportunity_id


def local(dt):
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def new_tender(app, api, market, opportunity_id, deadline=None, by="am"):
    deadline = deadline or datetime.now(SHANGHAI).replace(second=0, microsecond=0) + timedelta(days=20)
    status, body = api(market, by, "post", "tender", {
        "opportunity_id": opportunity_id, "tenderer": "深圳市政务服务数据管理局", "agent": "深圳国际招标有限公司",
        "tender_no": "SZCG-2026-0815", "bid_deadline": local(deadline), "opening_at": local(deadline),
        "opening_place": "深圳市公共资源交易中心", "bond_amount": "20000", "doc_fee": "500"})
    assert status == 201, body
    return body


def transition(api, market, who, tender_id, name, comment=""):
    return api(market, who, "post", f"tender/{tender_id}/transitions/{name}", {"comment": comment} if comment else {})


def patch(api, market, who, tender_id, values):
    status, current = api(market, who, "get", f"tender/{tender_id}")
    assert status == 200, current
    return api(market, who, "patch", f"tender/{tender_id}", {"version": current["version"], **values})


def breakdown(market, deadline_day, commercial_owner="ast", technical_owner="pse", technical_due=None):
    ids = market["ids"]
    last = deadline_day - timedelta(days=2)
    return [
        {"kind": "commercial", "name": "商务标编写", "owner_id": ids[commercial_owner], "due_on": last.isoformat()},
        {"kind": "technical", "name": "技术标编写", "owner_id": ids[technical_owner],
         "due_on": (technical_due or last).isoformat()},
        {"kind": "pricing", "name": "投标报价", "owner_id": ids["pse"], "due_on": (last - timedelta(days=1)).isoformat()},
        {"kind": "qualification", "name": "资质文件", "owner_id": ids["ast"], "due_on": last.isoformat()},
        {"kind": "bond", "name": "投标保证金", "owner_id": ids["ast"], "due_on": last.isoformat()},
    ]


def messages(body):
    return " ".join(m for ms in (body.get("fields") or {}).values() for m in ms) + " " + body.get("error", "")


def set_fields(app, model, doc_id, **values):
    with app.app_context():
        doc = db.session.get(model, doc_id)
        for key, value in values.items():
            setattr(doc, key, value)
        db.session.commit()


def task_ids(app, tender_id):
    from modules.sales.bidding import BidTask
    with app.app_context():
        return {t.kind: t.id for t in db.session.scalars(select(BidTask).where(BidTask.tender_id == tender_id))}


def update_task(client, tender_id, task_id, status, progress="", note=""):
    return client.post(f"/sales/tender/{tender_id}/tasks/{task_id}",
                       data={f"t{task_id}-status": status, f"t{task_id}-progress": progress, f"t{task_id}-note": note})


# ---- the bid, walked through by the right people ----------------------------------------------
def test_bid_happy_path_with_refusals(app, market, api, tmp_path):
    app.config["ERP_ATTACHMENT_DIR"] = str(tmp_path)
    ids = market["ids"]
    opportunity_id = tender_opportunity(app, api, market)
    deadline = datetime.now(SHANGHAI).replace(second=0, microsecond=0) + timedelta(days=20)
    tender = new_tender(app, api, market, opportunity_id, deadline)
    tid = tender["id"]
    assert tender["number"].startswith("TB-") and tender["state"] == "identified"
    assert tender["title"] == "政务云项目"
    assert tender["bid_deadline"].startswith(local(deadline))      # shown in the company's time zone

    # The 市场部经理 decides and buys the tender documents; the salesperson cannot.
    status, body = transition(api, market, "am", tid, "decide")
    assert status == 403 and "permission" in body["error"]
    assert transition(api, market, "mgr", tid, "decide")[0] == 200
    status, body = transition(api, market, "mgr", tid, "buy_docs")
    assert status == 200 and body["doc_bought_on"] == company_today().isoformat()

    # Only the market manager appoints the bid lead.
    status, body = patch(api, market, "am", tid, {"bid_lead_id": ids["pse"]})
    assert status in (403, 422), body
    manager = web(app, "mgr")
    appoint = f"/sales/tender/{tid}/transitions/appoint_lead/input"
    page = manager.get(f"/sales/tender/{tid}")
    assert page.status_code == 200 and appoint in page.get_data(as_text=True)
    assert manager.get(appoint).status_code == 200
    assert manager.post(appoint, data={"bid_lead_id": ids["ast"]}).status_code == 400
    response = manager.post(appoint, data={"bid_lead_id": ids["pse"], "comment": "按时完成"})
    assert response.status_code == 302
    status, body = api(market, "pse", "get", f"tender/{tid}")
    assert status == 200 and body["state"] == "lead_assigned" and body["owner"] == "pse"

    # The lead fills in F-S06 at the bid meeting. R-S-016: the commercial part is the assistant's...
    deadline_day = deadline.date()
    meeting = {"meeting_at": local(datetime.now(SHANGHAI)), "meeting_attendees": "pse, ast, mgr"}
    status, body = patch(api, market, "pse", tid, {**meeting, "tasks": breakdown(market, deadline_day, commercial_owner="pse")})
    assert status == 200, body
    status, body = transition(api, market, "pse", tid, "kickoff")
    assert status == 422 and "commercial part" in messages(body) and "R-S-016" in messages(body)
    # ...every task is due by the deadline minus the integration buffer (2 days)...
    late_due = deadline_day - timedelta(days=1)
    status, body = patch(api, market, "pse", tid, {"tasks": breakdown(market, deadline_day, technical_due=late_due)})
    assert status == 200, body
    status, body = transition(api, market, "pse", tid, "kickoff")
    assert status == 422 and late_due.isoformat() in messages(body)
    # ...and the technical part is a pre-sales engineer's.
    no_technical = [t for t in breakdown(market, deadline_day) if t["kind"] != "technical"]
    status, body = patch(api, market, "pse", tid, {"tasks": no_technical})
    assert status == 200
    status, body = transition(api, market, "pse", tid, "kickoff")
    assert status == 422 and "technical part" in messages(body)
    # Someone else than the lead (or the manager) does not hold the meeting.
    status, body = patch(api, market, "pse", tid, {"tasks": breakdown(market, deadline_day)})
    assert status == 200, body
    assert transition(api, market, "am", tid, "kickoff")[0] == 422
    status, body = transition(api, market, "pse", tid, "kickoff")
    assert status == 200, body
    assert {t["department_id"] for t in body["tasks"]} != {None}
    assert [t["status"] for t in body["tasks"]] == ["assigned"] * 5

    # Once issued, the breakdown keeps the rules.
    status, body = patch(api, market, "pse", tid, {"tasks": breakdown(market, deadline_day, technical_due=late_due)})
    assert status == 422 and "R-S-016" in messages(body)

    # Each owner accepts his own task, and only his.
    tasks = task_ids(app, tid)
    assistant, salesperson, lead = web(app, "ast"), web(app, "am"), web(app, "pse")
    assert transition(api, market, "pse", tid, "start_preparing")[0] == 422     # not accepted yet
    assert update_task(assistant, tid, tasks["technical"], "accepted").status_code == 403
    assert update_task(salesperson, tid, tasks["commercial"], "accepted").status_code == 403
    assert update_task(assistant, tid, tasks["commercial"], "done").status_code == 400   # accept first
    assert update_task(assistant, tid, tasks["commercial"], "accepted").status_code == 302
    page = assistant.get(f"/sales/tender/{tid}/tasks")
    assert page.status_code == 200 and f't{tasks["commercial"]}-status' in page.get_data(as_text=True)
    assert f't{tasks["technical"]}-status' not in page.get_data(as_text=True)
    for kind in ("technical", "pricing"):
        assert update_task(lead, tid, tasks[kind], "accepted").status_code == 302
    for kind in ("qualification", "bond"):
        assert update_task(assistant, tid, tasks[kind], "accepted").status_code == 302
    status, body = transition(api, market, "pse", tid, "start_preparing")
    assert status == 200, body

    # Progress by the owners; only the lead verifies.
    assert update_task(assistant, tid, tasks["commercial"], "in_progress", "40", "资质文件已收集").status_code == 302
    assert update_task(assistant, tid, tasks["commercial"], "verified").status_code == 400
    assert update_task(assistant, tid, tasks["commercial"], "done").status_code == 302
    assert update_task(lead, tid, tasks["commercial"], "verified").status_code == 302
    assert update_task(lead, tid, tasks["pricing"], "done").status_code == 302
    for kind in ("qualification", "bond"):
        assert update_task(assistant, tid, tasks[kind], "done").status_code == 302
    assert update_task(lead, tid, tasks["technical"], "in_progress", "60").status_code == 302
    status, body = api(market, "pse", "get", f"tender/{tid}")
    by_kind = {t["kind"]: t for t in body["tasks"]}
    assert by_kind["commercial"]["status"] == "verified" and by_kind["commercial"]["progress"] == 100
    assert by_kind["technical"]["progress"] == 60 and by_kind["commercial"]["late"] is False

    # An overdue task is flagged on the tender, its detail page and the task page.
    from modules.sales.bidding import BidTask
    set_fields(app, BidTask, tasks["technical"], due_on=company_today() - timedelta(days=1))
    status, body = api(market, "pse", "get", f"tender/{tid}")
    assert body["late_tasks"] == 1 and {t["kind"]: t["late"] for t in body["tasks"]}["technical"] is True
    detail = lead.get(f"/sales/tender/{tid}").get_data(as_text=True)
    assert "Late" in detail and "Yes" in detail
    tasks_page = lead.get(f"/sales/tender/{tid}/tasks").get_data(as_text=True)
    assert f'id="task-{tasks["technical"]}" class="table-danger" data-late="yes"' in tasks_page
    assert "1" in lead.get("/").get_data(as_text=True)                      # dashboard widget
    assert lead.get("/sales/bid-tasks/").status_code == 200

    assert transition(api, market, "pse", tid, "integrate")[0] == 422          # technical part not done
    assert update_task(lead, tid, tasks["technical"], "done").status_code == 302
    status, body = transition(api, market, "pse", tid, "integrate")
    assert status == 200, body
    assert update_task(assistant, tid, tasks["commercial"], "in_progress").status_code == 400

    # R-S-010 on the bid price: a margin below 5 % is refused with the rule's name.
    status, body = patch(api, market, "pse", tid, {"bid_price": "1200000", "estimated_cost": "1180000"})
    assert status == 200 and body["margin_pct"] == "1.67"
    status, body = transition(api, market, "pse", tid, "request_approval")
    assert status == 422 and "R-S-010" in messages(body) and "1.67" in messages(body)
    status, body = patch(api, market, "pse", tid, {"bid_price": "1200000", "estimated_cost": "1300000"})
    status, body = transition(api, market, "pse", tid, "request_approval")
    assert status == 422 and "R-S-012" in messages(body)
    status, body = patch(api, market, "pse", tid, {"estimated_cost": "1000000"})
    assert body["margin_pct"] == "16.67"
    status, body = transition(api, market, "pse", tid, "request_approval")
    assert status == 200 and body["state"] == "final_approval"

    # The market manager approves; from 1,000,000 the general manager too.
    assert transition(api, market, "am", tid, "approve")[0] == 403
    assert transition(api, market, "gm", tid, "approve")[0] == 403              # not his turn yet
    status, body = transition(api, market, "mgr", tid, "approve")
    assert status == 200 and body["state"] == "final_approval"
    status, body = transition(api, market, "gm", tid, "approve")
    assert status == 200 and body["state"] == "approved"
    assert patch(api, market, "mgr", tid, {"bid_price": "1100000"})[0] in (403, 422)

    status, body = transition(api, market, "pse", tid, "submit_bid")
    assert status == 200 and body["submitted_at"]
    assert transition(api, market, "pse", tid, "open")[0] == 200

    # 中标 needs the award notice attached after the opening.
    status, body = transition(api, market, "pse", tid, "win")
    assert status == 422 and "award notice" in messages(body)
    response = lead.post(f"/sales/tender/{tid}/attachments", data={"file": (io.BytesIO(b"%PDF-1.4"), "中标通知书.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    status, body = transition(api, market, "pse", tid, "win")
    assert status == 200 and body["state"] == "won"
    status, opportunity = api(market, "am", "get", f"opportunity/{opportunity_id}")
    assert opportunity["state"] == "won"
    page = salesperson.get(f"/sales/opportunity/{opportunity_id}").get_data(as_text=True)
    assert tender["number"] in page                                           # related tenders


def advanced_tender(app, api, market, state, name, deadline=None, **values):
    """A tender with its breakdown done, put straight into ``state`` (the steps before are tested above)."""
    from modules.sales.bidding import BidTask, Tender
    opportunity_id = tender_opportunity(app, api, market, name=name)
    tender = new_tender(app, api, market, opportunity_id)
    ids = market["ids"]
    with app.app_context():
        doc = db.session.get(Tender, tender["id"])
        doc.state, doc.bid_lead_id, doc.owner_id = state, ids["pse"], ids["pse"]
        if deadline is not None:
            doc.bid_deadline = deadline
        for kind, owner in (("commercial", "ast"), ("technical", "pse"), ("pricing", "pse"), ("qualification", "ast"),
                            ("bond", "ast")):
            doc.tasks.append(BidTask(kind=kind, name=kind, owner_id=ids[owner], due_on=company_today(), status="done",
                                     progress=100, done_at=datetime.now(timezone.utc)))
        for key, value in values.items():
            setattr(doc, key, value)
        db.session.commit()
    return tender["id"], opportunity_id


def test_not_won_records_the_winner_and_loses_the_opportunity(app, market, api):
    tid, opportunity_id = advanced_tender(app, api, market, "opened", "智慧校园", bid_price=Decimal("800000"),
                                          estimated_cost=Decimal("700000"))
    status, body = transition(api, market, "pse", tid, "lose")
    assert status == 422 and "winning bidder" in messages(body) and "winning price" in messages(body)
    status, body = patch(api, market, "pse", tid, {"winner": "华为技术有限公司", "winner_price": "760000",
                                                   "loss_reason": "price", "competitor_prices": "华为 76万; 我司 80万"})
    assert status == 200, body
    assert transition(api, market, "am", tid, "lose")[0] == 422                # not the lead
    status, body = transition(api, market, "pse", tid, "lose")
    assert status == 200 and body["state"] == "not_won"
    status, opportunity = api(market, "am", "get", f"opportunity/{opportunity_id}")
    assert opportunity["state"] == "lost"
    from modules.sales.models import Opportunity
    with app.app_context():
        assert db.session.get(Opportunity, opportunity_id).outcome_reason == "price"


def test_submission_refused_after_the_deadline(app, market, api):
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    tid, _opp = advanced_tender(app, api, market, "approved", "机房改造", deadline=past,
                                bid_price=Decimal("300000"), estimated_cost=Decimal("200000"))
    status, body = transition(api, market, "pse", tid, "submit_bid")
    assert status == 422 and "deadline" in messages(body)
    # The market manager withdraws (放弃投标) with a reason; the salesperson may not.
    assert transition(api, market, "am", tid, "withdraw", "错过截止时间")[0] == 403
    assert transition(api, market, "mgr", tid, "withdraw")[0] == 422           # reason required
    status, body = transition(api, market, "mgr", tid, "withdraw", "错过截止时间")
    assert status == 200 and body["state"] == "withdrawn"


def test_below_the_threshold_only_the_market_manager_approves(app, market, api):
    tid, _opp = advanced_tender(app, api, market, "integrating", "监控升级",
                                bid_price=Decimal("500000"), estimated_cost=Decimal("400000"))
    status, body = transition(api, market, "pse", tid, "request_approval")
    assert status == 200, body
    status, body = transition(api, market, "mgr", tid, "approve")
    assert status == 200 and body["state"] == "approved"


def test_withdrawing_during_approval_closes_the_approval(app, market, api):
    from core.workflow.models import ApprovalTask
    tid, _opp = advanced_tender(app, api, market, "integrating", "会议系统",
                                bid_price=Decimal("500000"), estimated_cost=Decimal("400000"))
    assert transition(api, market, "pse", tid, "request_approval")[0] == 200
    status, body = transition(api, market, "mgr", tid, "withdraw", "客户取消招标")
    assert status == 200 and body["state"] == "withdrawn"
    with app.app_context():
        statuses = db.session.scalars(select(ApprovalTask.status).where(ApprovalTask.doc_id == tid,
                                                                        ApprovalTask.doctype == "sales.tender")).all()
    assert statuses and set(statuses) == {"skipped"}


def test_tender_needs_a_registered_tender_opportunity(app, market, api):
    engineering, _reg = registered_opportunity(app, api, market, info_type="engineering", name="综合布线")
    status, body = api(market, "am", "post", f"opportunity/{engineering}/transitions/follow_engineering", {})
    status, body = api(market, "am", "post", "tender", {
        "opportunity_id": engineering, "tenderer": "x", "tender_no": "1",
        "bid_deadline": "2030-01-01T10:00", "opening_at": "2030-01-01T10:00"})
    assert status == 422 and "not a tender" in messages(body)
    status, body = api(market, "am", "post", "tender", {
        "opportunity_id": engineering, "tenderer": "x", "tender_no": "1",
        "bid_deadline": "0001-01-01T00:00", "opening_at": "2030-01-01T10:00"})
    assert status == 422 and "bid_deadline" in body["fields"]


def quotation(app, market, opportunity_id, title, cost="800000"):
    from modules.sales.models import Quotation
    with app.app_context():
        doc = Quotation(opportunity_id=opportunity_id, number=f"BJ-T-{opportunity_id:04d}", title=title,
                        state="approved", owner_id=market["ids"]["am"], total_cost=Decimal(cost))
        db.session.add(doc)
        db.session.commit()
        return doc.id


def select_of(page, name):
    """The opening <select ...> tag of the input called `name`."""
    return page.split(f'name="{name}"')[0].rsplit("<select", 1)[1] + page.split(f'name="{name}"')[1].split(">")[0]


def test_the_quotation_is_one_of_the_tenders_own_opportunity(app, market, api):
    own, other = tender_opportunity(app, api, market, name="智慧园区"), tender_opportunity(app, api, market, name="数据中心")
    mine, theirs = quotation(app, market, own, "智慧园区报价"), quotation(app, market, other, "数据中心报价")
    tid = new_tender(app, api, market, own)["id"]

    # The API refuses another opportunity's quotation, with the field and the reason; nothing is kept.
    status, body = patch(api, market, "am", tid, {"quotation_id": theirs, "bid_price": "900000"})
    assert status == 422 and body["fields"]["quotation_id"] == ["Choose a quotation of the same opportunity."]
    status, body = api(market, "am", "get", f"tender/{tid}")
    assert body["quotation_id"] is None and body["bid_price"] is None
    status, body = patch(api, market, "am", tid, {"quotation_id": mine})
    assert status == 200 and body["quotation_id"] == mine and body["estimated_cost"] == "800000.00"

    # The form's searched select sends the opportunity chosen; the choices page offers its quotations only.
    salesperson = web(app, "am")
    page = salesperson.get(f"/sales/tender/{tid}/edit").get_data(as_text=True)
    tag = select_of(page, "quotation_id")
    assert 'data-choices-url="/sales/tender/choices/quotation"' in tag and 'data-choices-depends="opportunity_id"' in tag
    offered = salesperson.get(f"/sales/tender/choices/quotation?q=报价&opportunity_id={own}").get_json()["items"]
    assert [item["value"] for item in offered] == [mine]
    offered = salesperson.get(f"/sales/tender/choices/quotation?q=报价&opportunity_id={other}").get_json()["items"]
    assert [item["value"] for item in offered] == [theirs]
    assert salesperson.get("/sales/tender/choices/quotation?q=报价").get_json()["items"] == []

    # The web form refuses it the same way.
    status, current = api(market, "am", "get", f"tender/{tid}")
    deadline = datetime.fromisoformat(current["bid_deadline"]).strftime("%Y-%m-%dT%H:%M")
    response = salesperson.post(f"/sales/tender/{tid}/edit", data={
        "version": current["version"], "opportunity_id": own, "tenderer": current["tenderer"],
        "tender_no": current["tender_no"], "bid_deadline": deadline, "opening_at": deadline,
        "quotation_id": theirs, "agent": "另一个代理"})
    assert response.status_code == 400 and "Choose a quotation of the same opportunity." in response.get_data(as_text=True)
    status, body = api(market, "am", "get", f"tender/{tid}")
    assert body["quotation_id"] == mine and body["agent"] == current["agent"]


def test_the_result_is_recorded_only_after_the_opening(app, market, api):
    """Issue 12: a later step's fields are not filled before it (the winner before bidding)."""
    from modules.sales.bidding import Tender
    tid = new_tender(app, api, market, tender_opportunity(app, api, market, name="平安城市"))["id"]
    status, body = patch(api, market, "am", tid, {"winner": "华为技术有限公司", "winner_price": "760000",
                                                  "loss_reason": "price", "tenderer": "市公安局"})
    assert status == 422 and {"winner", "winner_price", "loss_reason"} <= set(body["fields"])
    assert body["fields"]["winner"] == ["“Winning bidder” cannot be changed while the document is Tender notice recorded."]
    status, body = patch(api, market, "am", tid, {"meeting_attendees": "pse, ast"})   # the lead's meeting: later
    assert status == 422 and "meeting_attendees" in body["fields"]
    status, body = api(market, "am", "get", f"tender/{tid}")
    assert body["winner"] == "" and body["tenderer"] == "深圳市政务服务数据管理局"           # nothing kept
    # After the opening it is the lead's to record; the notice no longer changes then.
    set_fields(app, Tender, tid, state="opened",
               bid_lead_id=market["ids"]["pse"], owner_id=market["ids"]["pse"])
    status, body = patch(api, market, "pse", tid, {"winner": "华为技术有限公司", "winner_price": "760000"})
    assert status == 200 and body["winner"] == "华为技术有限公司"
    status, body = patch(api, market, "pse", tid, {"tender_no": "改过的编号"})
    assert status == 422 and "tender_no" in body["fields"]


def test_the_market_manager_appoints_the_lead_through_the_action(app, market, api):
    from modules.sales.bidding import Tender
    ids = market["ids"]
    tid = new_tender(app, api, market, tender_opportunity(app, api, market, name="校园一卡通"))["id"]
    set_fields(app, Tender, tid, state="docs_purchased")
    url = f"tender/{tid}/transitions/appoint_lead"

    # A salesperson may not: no page (403) and the API refuses; nothing is kept.
    assert web(app, "am").get(f"/sales/tender/{tid}/transitions/appoint_lead/input").status_code == 403
    status, body = api(market, "am", "post", url, {"bid_lead_id": ids["am"]})
    assert status == 403 and "permission" in body["error"]   # refused before its input is read
    assert api(market, "am", "get", f"tender/{tid}")[1]["bid_lead_id"] is None

    # The manager's page asks for the lead and his instructions.
    page = web(app, "mgr").get(f"/sales/tender/{tid}/transitions/appoint_lead/input").get_data(as_text=True)
    assert 'name="bid_lead_id"' in page and "Market manager's instructions" in page
    offered = page.split('name="bid_lead_id"')[1].split("</select>")[0]
    assert f'value="{ids["pse"]}"' in offered and f'value="{ids["ast"]}"' not in offered
    status, body = api(market, "mgr", "post", url, {})
    assert status == 422 and "bid_lead_id" in body["fields"]
    status, body = api(market, "mgr", "post", url, {"bid_lead_id": ids["ast"]})     # an assistant does not lead
    assert status == 422 and "bid_lead_id" in body["fields"]
    assert api(market, "mgr", "get", f"tender/{tid}")[1]["state"] == "docs_purchased"
    status, body = api(market, "mgr", "post", url, {"bid_lead_id": ids["pse"], "comment": "周五前完成技术标"})
    assert status == 200 and body["state"] == "lead_assigned"
    assert body["bid_lead_id"] == ids["pse"] and body["owner"] == "pse"
    status, history = api(market, "pse", "get", f"tender/{tid}/history")
    assert any(e["changes"].get("comment") == "周五前完成技术标" for e in history["items"] if e["action"] == "transition")
    # The lead is never typed on the tender itself.
    status, body = patch(api, market, "mgr", tid, {"bid_lead_id": ids["aam"]})
    assert status == 422 and "bid_lead_id" in body["fields"]


def test_each_task_input_stands_under_its_heading(app, market, api):
    """Issue 12 item 15: the task table's inputs under their own headings, one cell each."""
    tid, _opp = advanced_tender(app, api, market, "preparing", "视频会议")
    page = web(app, "ast").get(f"/sales/tender/{tid}/tasks").get_data(as_text=True)
    headings = page.split("<thead>")[1].split("</thead>")[0].count("<th")
    commercial = task_ids(app, tid)["commercial"]
    row = page.split(f'id="task-{commercial}"')[1].split("</tr>")[0]
    assert row.count("<td") == headings == 9 and "colspan" not in row
    cells = row.split("<td")[1:]
    assert f'name="t{commercial}-status"' in cells[5] and f'name="t{commercial}-progress"' in cells[6]
    assert f'name="t{commercial}-note"' in cells[7] and 'type="submit"' in cells[8]


# ---- requirement analysis F-S05 and the capability confirmation -------------------------------
def requirement_payload(registration_id, **extra):
    return {"registration_id": registration_id, "customer_profile": "市级政府部门，约300人",
            "current_state": "老旧百兆网络，无统一机房", "requirement_summary": "新建政务云机房及园区网络",
            "site_conditions": "办公楼8层，弱电井每层一处", "schedule_start": "2026-12-01", "schedule_end": "2027-03-31",
            "decision_criteria": ["price", "technology"], "presales_opinion": "技术可行，需外包机房装修",
            "lines": [{"subsystem": "network", "description": "核心+汇聚+接入三层架构", "scale": "600信息点",
                       "priority": "must"},
                      {"subsystem": "machine_room", "description": "模块化机房", "priority": "wish"}], **extra}


def test_requirement_analysis_needs_an_approved_registration(app, market, api):
    _opp, registration_id = registered_opportunity(app, api, market, info_type="engineering",
                                                   registration_state="pending_mgr", name="医院网络")
    status, body = api(market, "am", "post", "requirement", requirement_payload(registration_id))
    assert status == 422 and "R-S-011" in messages(body)


def test_capability_confirmed_by_the_engineering_manager(app, market, api):
    from core import calendar
    opportunity_id, registration_id = registered_opportunity(app, api, market, info_type="engineering", name="园区网")
    status, doc = api(market, "am", "post", "requirement", requirement_payload(registration_id, presales_opinion=""))
    assert status == 201, doc
    rid = doc["id"]
    assert doc["number"].startswith("XQ-") and doc["opportunity_id"] == opportunity_id
    with app.app_context():
        assert doc["due_on"] == calendar.add_working_days(company_today(), 5).isoformat()
    # Every item of F-S05, the pre-sales opinion included, before it goes to engineering.
    status, body = api(market, "am", "post", f"requirement/{rid}/transitions/submit", {})
    assert status == 422 and "opinion" in messages(body)
    status, doc = api(market, "am", "patch", f"requirement/{rid}",
                      {"version": doc["version"], "presales_opinion": "技术可行"})
    assert status == 200, doc
    status, doc = api(market, "am", "post", f"requirement/{rid}/transitions/submit", {})
    assert status == 200 and doc["state"] == "submitted"

    # The engineering manager sees it (sales is the only module running) and answers; others cannot.
    assert api(market, "eng_mgr", "get", f"requirement/{rid}")[0] == 200
    eng = web(app, "eng_mgr")
    dashboard = eng.get("/").get_data(as_text=True)
    assert "Technical capability to confirm" in dashboard and f"/sales/requirement/{rid}" in dashboard
    assert 'href="/sales/requirement/"' not in dashboard                     # no sales menu for him
    assert api(market, "am", "post", f"requirement/{rid}/transitions/confirm_capable", {})[0] == 403
    status, body = api(market, "ps_mgr", "post", f"requirement/{rid}/transitions/confirm_capable", {})
    assert status == 422 and "engineering manager" in messages(body)
    status, body = api(market, "eng_mgr", "post", f"requirement/{rid}/transitions/confirm_conditional", {})
    assert status == 422 and "comment" in messages(body).lower()
    status, doc = api(market, "eng_mgr", "post", f"requirement/{rid}/transitions/confirm_conditional",
                      {"comment": "机房装修需外包给有资质的合作伙伴"})
    assert status == 200, doc
    assert doc["state"] == "confirmed" and doc["eng_capability"] == "conditional"
    assert doc["eng_conditions"] == "机房装修需外包给有资质的合作伙伴"
    page = eng.get(f"/sales/requirement/{rid}").get_data(as_text=True)
    assert "Capable with conditions" in page and "机房装修需外包" in page
    status, doc = api(market, "ast", "post", f"requirement/{rid}/transitions/archive", {})
    assert status == 200 and doc["state"] == "archived"
    page = web(app, "am").get(f"/sales/opportunity/{opportunity_id}").get_data(as_text=True)
    assert doc["number"] in page


def test_pre_sales_manager_confirms_when_no_one_is_engineering_manager(app, market, api):
    from core.auth.models import User
    _opp, registration_id = registered_opportunity(app, api, market, info_type="engineering", name="安防")
    status, doc = api(market, "am", "post", "requirement", requirement_payload(registration_id))
    rid = doc["id"]
    assert api(market, "am", "post", f"requirement/{rid}/transitions/submit", {})[0] == 200
    set_fields(app, User, market["ids"]["eng_mgr"], active=False)
    status, doc = api(market, "ps_mgr", "post", f"requirement/{rid}/transitions/confirm_not_capable",
                      {"comment": "无消防联动资质"})
    assert status == 200 and doc["eng_capability"] == "not_capable" and doc["eng_conditions"] == "无消防联动资质"


def test_web_forms_create_a_tender_and_its_breakdown(app, market, api):
    ids = market["ids"]
    opportunity_id = tender_opportunity(app, api, market, name="教育城域网")
    salesperson = web(app, "am")
    page = salesperson.get("/sales/tender/new")
    assert page.status_code == 200 and 'data-choices-url="/sales/tender/choices/opportunity"' in page.get_data(as_text=True)
    offered = salesperson.get("/sales/tender/choices/opportunity?q=教育").get_json()["items"]
    assert [item["text"].split(" ", 1)[1] for item in offered] == ["教育城域网项目"]   # searched as he types
    deadline = (datetime.now(SHANGHAI) + timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    form = {name: "" for name in ("title", "agent", "qualification_req", "doc_fee", "doc_bought_on",
                                  "clarification_deadline", "opening_place", "bond_amount", "bond_due_on",
                                  "validity_days", "meeting_at", "meeting_attendees", "bid_price", "estimated_cost",
                                  "competitor_prices", "winner", "winner_price")}  # what a browser sends
    form |= {"opportunity_id": opportunity_id, "tenderer": "区教育局", "tender_no": "JY-2026-07",
            "bid_deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "opening_at": deadline.strftime("%Y-%m-%dT%H:%M"),
            "quotation_id": "", "bond_method": "", "loss_reason": ""}
    for row in range(4):  # the blank rows the page offers
        form.update({f"tasks-{row}-kind": "", f"tasks-{row}-name": "", f"tasks-{row}-owner_id": "",
                     f"tasks-{row}-due_on": "", f"tasks-{row}-note": ""})
    response = salesperson.post("/sales/tender/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    from modules.sales.bidding import Tender
    with app.app_context():
        tender = db.session.scalar(select(Tender).where(Tender.tender_no == "JY-2026-07"))
        assert tender.bid_deadline.replace(tzinfo=timezone.utc) == deadline.astimezone(timezone.utc)
        tid = tender.id
    edit = salesperson.get(f"/sales/tender/{tid}/edit").get_data(as_text=True)
    assert deadline.strftime("%Y-%m-%dT%H:%M") in edit                        # shown in Beijing time
    due = (deadline.date() - timedelta(days=2)).isoformat()
    status, current = api(market, "am", "get", f"tender/{tid}")
    form.update({"version": current["version"], "tasks-0-kind": "commercial", "tasks-0-name": "商务标",
                 "tasks-0-owner_id": ids["ast"], "tasks-0-due_on": due,
                 "tasks-1-kind": "technical", "tasks-1-name": "技术标", "tasks-1-owner_id": ids["pse"],
                 "tasks-1-due_on": due})
    response = salesperson.post(f"/sales/tender/{tid}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    status, body = api(market, "am", "get", f"tender/{tid}")
    assert [(t["kind"], t["status"]) for t in body["tasks"]] == [("commercial", "assigned"), ("technical", "assigned")]
    status, history = api(market, "am", "get", f"tender/{tid}/history")
    updates = [e for e in history["items"] if e["action"] == "update"]
    assert all("bid_deadline" not in e["changes"] for e in updates)   # the same moment is no change
    manager = web(app, "mgr")
    listing = manager.get("/sales/tender/")
    assert listing.status_code == 200 and "JY-2026-07" in listing.get_data(as_text=True)
    export = manager.get("/sales/tender/export.csv")
    assert export.status_code == 200 and "JY-2026-07" in export.get_data(as_text=True)
    assert manager.get(f"/sales/tender/{tid}/print").status_code == 200


def test_web_form_creates_a_requirement_analysis(app, market, api):
    _opp, registration_id = registered_opportunity(app, api, market, info_type="engineering", name="楼宇")
    salesperson = web(app, "am")
    page = salesperson.get("/sales/requirement/new")
    assert page.status_code == 200 and 'data-choices-url="/sales/requirement/choices/registration"' in page.get_data(as_text=True)
    offered = salesperson.get("/sales/requirement/choices/registration?q=LX").get_json()["items"]
    assert [item["value"] for item in offered] == [registration_id]      # searched as he types
    data = requirement_payload(registration_id)
    lines = data.pop("lines")
    form = {k: v for k, v in data.items() if k != "decision_criteria"} | {
        "standards": "", "budget_min": "", "budget_max": "", "payment_idea": "", "competitor_solutions": "",
        "survey_date": ""}
    form["decision_criteria"] = ["price", "technology"]
    for row in range(3):
        line = lines[row] if row < len(lines) else {}
        for name in ("subsystem", "description", "scale", "performance", "brand_preference", "priority"):
            form[f"lines-{row}-{name}"] = line.get(name, "")
    response = salesperson.post("/sales/requirement/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    status, body = api(market, "am", "get", "requirement")
    item = body["items"][0]
    assert item["decision_criteria"] == ["price", "technology"] and len(item["lines"]) == 2


# ---- the low-margin exception on the bid price (R-S-010, R-S-012), as for quotations ---------
@pytest.mark.parametrize("price,cost,approvers", [
    ("500000", "475100", ["mgr", "dir"]),     # 4.98 % at the director's limit (≤ 500,000)
    ("500000.01", "475100", ["mgr", "gm"]),   # just above it: the general manager
    ("400000", "410000", ["mgr", "gm"]),      # below cost (R-S-012): only the general manager
])
def test_a_bid_under_the_margin_goes_to_the_exception_approver(app, market, api, price, cost, approvers):
    tid, _opp = advanced_tender(app, api, market, "integrating", "档案馆机房",
                                bid_price=Decimal(price), estimated_cost=Decimal(cost))
    status, body = transition(api, market, "pse", tid, "request_approval")
    assert status == 422 and ("R-S-010" in messages(body) or "R-S-012" in messages(body))
    assert transition(api, market, "pse", tid, "request_exception")[0] == 422         # the reason is required
    assert transition(api, market, "am", tid, "request_exception", "老客户")[0] in (403, 422)  # not the lead
    status, body = transition(api, market, "pse", tid, "request_exception", "战略客户, 后续二期")
    assert status == 200 and body["state"] == "margin_exception", body
    others = {"dir", "gm"} - {approvers[1]}
    for who in [approvers[1], *others]:                                              # the manager first
        assert transition(api, market, who, tid, "approve_exception")[0] == 403
    status, body = transition(api, market, "mgr", tid, "approve_exception")
    assert status == 200 and body["state"] == "margin_exception"
    for who in others:                                                               # not his exception
        assert transition(api, market, who, tid, "approve_exception")[0] == 403
    status, body = transition(api, market, approvers[1], tid, "approve_exception", "同意特批")
    assert status == 200 and body["state"] == "approved"
    assert transition(api, market, "pse", tid, "submit_bid")[1]["state"] == "submitted"


def test_a_bid_exception_only_when_needed_refused_goes_back_and_none_in_block_mode(app, market, api):
    from core import settings
    tid, _opp = advanced_tender(app, api, market, "integrating", "图书馆网络",
                                bid_price=Decimal(500000), estimated_cost=Decimal(475000))   # 5.00 %
    status, body = transition(api, market, "pse", tid, "request_exception", "想要特批")
    assert status == 422 and "no exception is needed" in messages(body)
    assert patch(api, market, "pse", tid, {"estimated_cost": "480000"})[1]["margin_pct"] == "4.00"
    assert transition(api, market, "pse", tid, "request_exception", "样板工程")[1]["state"] == "margin_exception"
    assert transition(api, market, "mgr", tid, "approve_exception")[1]["state"] == "margin_exception"
    status, body = transition(api, market, "dir", tid, "reject_exception", "利润太低")
    assert status == 200 and body["state"] == "integrating"
    assert transition(api, market, "pse", tid, "submit_bid")[0] == 422
    with app.app_context():
        settings.set("sales.min_margin_mode", "block")
    status, body = transition(api, market, "pse", tid, "request_exception", "再试一次")
    assert status == 422 and "R-S-010" in messages(body) and "no exception" in messages(body)
    assert api(market, "pse", "get", f"tender/{tid}")[1]["state"] == "integrating"
