"""Closing a deal (issue 14 items 1-3): the win confirmed (WF-S01; the contract: test_contracts.py),
a rejected registration resubmitted (WF-S01, WF-S05) and the lost order closed
by its summary's review (WF-S09)."""
import pytest

from core.extensions import db
from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import opportunity, requirement_analysis

pytestmark = pytest.mark.modules("sales")

REGISTRATION = {"title": "门诊楼综合布线", "site_address": "深圳市罗湖区", "customer_contacts": "王主任 信息科 13800000000",
                "project_types": ["cabling"], "overview": "六层门诊楼", "est_amount": "800000.00", "funding": "财政拨款",
                "decision_process": "院办会", "expected_tender_date": "2026-12-20", "support_needed": ["solution"]}


def act(market, api, who, doctype, doc_id, name, **payload):
    return api(market, who, "post", f"{doctype}/{doc_id}/transitions/{name}", payload)


def offered(app, market, who, code, doc_id):
    """The actions `who` is offered on the document (its buttons)."""
    from core.auth.models import User
    from core.workflow import engine
    with app.app_context():
        doctype = app.extensions["erp"].doctypes[code]
        user = db.session.get(User, market["ids"][who])
        return {t.name for t in engine.available(doctype, db.session.get(doctype.model, doc_id), user)}


def state(market, api, doctype, doc_id, who="mgr"):
    return api(market, who, "get", f"{doctype}/{doc_id}")[1]["state"]


def rejected_registration(app, market, api):
    """An engineering opportunity followed up whose registration the market manager did not approve."""
    opp = opportunity(app, market, api)
    assert act(market, api, "am", "opportunity", opp["id"], "follow_engineering")[0] == 200
    status, reg = api(market, "am", "post", "registration", {"opportunity_id": opp["id"], **REGISTRATION})
    assert status == 201, reg
    assert act(market, api, "am", "registration", reg["id"], "submit")[0] == 200
    status, body = act(market, api, "mgr", "registration", reg["id"], "reject", comment="决策流程不清楚")
    assert status == 200 and body["state"] == "rejected", body
    assert state(market, api, "opportunity", opp["id"]) == "reg_rejected"
    return opp, reg


def assign(client, reg, pse_id):
    sign_in_as(client, "ps_mgr")
    response = client.post(f"/sales/registration/{reg['id']}/transitions/assign/input",
                           data={"presales_lead_id": pse_id, "comment": "安排孙工"})
    assert response.status_code == 302, response.get_data(as_text=True)


# ---- item 2: a rejected registration corrected and resubmitted ------------------------------
def test_a_resubmitted_registration_moves_the_opportunity_on_as_a_first_approval(app, market, api, client):
    opp, reg = rejected_registration(app, market, api)
    assert offered(app, market, "am", "sales.opportunity", opp["id"]) == set()   # only the manager may cancel
    status, body = act(market, api, "am", "registration", reg["id"], "revise")
    assert status == 200 and body["state"] == "draft", body
    status, body = api(market, "am", "patch", f"registration/{reg['id']}",
                       {"decision_process": "信息科提出→院办会审议→院长签批", "version": body["version"]})
    assert status == 200, body
    assert act(market, api, "am", "registration", reg["id"], "submit")[1]["state"] == "pending_mgr"
    # Submitted again: the project is followed again (WF-S01 REG_REJECTED -> ENG_IN_PROGRESS).
    assert state(market, api, "opportunity", opp["id"]) == "eng_in_progress"
    assert act(market, api, "mgr", "registration", reg["id"], "approve", comment="同意")[1]["state"] == "pending_ps"
    assign(client, reg, market["ids"]["pse"])
    body = api(market, "am", "get", f"opportunity/{opp['id']}")[1]
    assert body["state"] == "eng_in_progress" and body["registration_no"].startswith("XM-")
    assert body["presales_lead_id"] == market["ids"]["pse"]
    assert {"win", "lose"} <= offered(app, market, "am", "sales.opportunity", opp["id"])
    # The pre-sales engineer now budgets it (its requirement analysis first, R-S-011): the
    # quotation form lists it and accepts it.
    requirement_analysis(market, api, reg)
    sign_in_as(client, "pse")
    listed = client.get("/sales/quotation/choices/opportunity?q=门诊楼").get_json()["items"]
    assert [item["value"] for item in listed] == [opp["id"]]
    status, quote = api(market, "pse", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线预算", "kind": "engineering", "vat_rate": "9",
        "lines": [{"category": "equipment", "item": "六类线", "qty": "1", "unit_cost": "90", "cost_source": "manual",
                   "cost_note": "代理报价", "unit_price": "100"}]})
    assert status == 201, quote


def test_a_registration_rejected_by_the_pre_sales_manager_is_resubmitted_too(app, market, api, client):
    opp, reg = rejected_registration(app, market, api)
    act(market, api, "am", "registration", reg["id"], "revise")
    act(market, api, "am", "registration", reg["id"], "submit")
    act(market, api, "mgr", "registration", reg["id"], "approve", comment="同意")
    status, body = act(market, api, "ps_mgr", "registration", reg["id"], "ps_reject", comment="暂无售前人员")
    assert status == 200 and body["state"] == "rejected"
    assert state(market, api, "opportunity", opp["id"]) == "reg_rejected"
    act(market, api, "am", "registration", reg["id"], "revise")
    act(market, api, "am", "registration", reg["id"], "submit")
    act(market, api, "mgr", "registration", reg["id"], "approve", comment="同意")
    assign(client, reg, market["ids"]["pse"])
    assert state(market, api, "opportunity", opp["id"]) == "eng_in_progress"


def test_resubmission_switched_off_leaves_only_cancelling(app, market, api):
    from core import settings
    opp, reg = rejected_registration(app, market, api)
    with app.app_context():
        settings.set("sales.registration_resubmit_allowed", "false")
    status, body = act(market, api, "am", "registration", reg["id"], "revise")
    assert status == 422 and "may not be resubmitted" in body["error"], body
    assert state(market, api, "registration", reg["id"]) == "rejected"
    assert state(market, api, "opportunity", opp["id"]) == "reg_rejected"
    assert act(market, api, "am", "opportunity", opp["id"], "reapply")[0] in (403, 422)   # never by hand
    assert act(market, api, "mgr", "opportunity", opp["id"], "cancel", comment="客户放弃")[1]["state"] == "cancelled"


# ---- item 3: the lost order, closed by its summary's review (WF-S09) -------------------------
def summaries(market, api, opp_id, who="mgr"):
    status, body = api(market, who, "get", "lost_summary")
    assert status == 200, body
    return [s for s in body["items"] if s["opportunity_id"] == opp_id]


def test_a_lost_order_gets_its_summary_due_in_five_working_days_and_its_review_closes_it(app, market, api, clock):
    clock("2026-03-06 16:00")                                        # a Friday
    opp = opportunity(app, market, api, info_type="equipment")
    act(market, api, "am", "opportunity", opp["id"], "follow_equipment")
    status, body = act(market, api, "am", "opportunity", opp["id"], "lose", comment="对手低价", outcome_reason="price")
    assert status == 200 and body["state"] == "lost", body
    [summary] = summaries(market, api, opp["id"], who="am")          # created for its owner
    assert summary["state"] == "draft" and summary["number"].startswith("DD-") and summary["reasons"] == ["price"]
    assert summary["owner"] == "am" and summary["title"] == opp["title"]
    # Five working days after Friday: the next Friday, by the end of work (18:00 in Shanghai).
    assert summary["due_at"] == "2026-03-13T18:00:00+08:00"
    clock("2026-03-13 17:59")
    assert api(market, "am", "get", f"lost_summary/{summary['id']}")[1]["overdue"] is False
    clock("2026-03-13 18:01")
    assert api(market, "am", "get", f"lost_summary/{summary['id']}")[1]["overdue"] is True
    # Not submitted blank: the owner writes the winner and the lessons first.
    status, body = act(market, api, "am", "lost_summary", summary["id"], "submit")
    assert status == 422 and {"winner", "lessons"} <= set(body["fields"]), body
    status, body = api(market, "am", "patch", f"lost_summary/{summary['id']}",
                       {"version": summary["version"], "winner": "某某网络公司", "lessons": "报价前先摸清预算"})
    assert status == 200, body
    assert act(market, api, "am", "lost_summary", summary["id"], "submit")[1]["state"] == "submitted"
    # Nobody closes the opportunity by hand; its owner does not review his own summary.
    for who in ("am", "mgr"):
        assert act(market, api, who, "opportunity", opp["id"], "close_lost")[0] in (403, 422)
    assert act(market, api, "am", "lost_summary", summary["id"], "approve", mgr_rating=5)[0] == 403
    # The review is rated 1-5.
    status, body = act(market, api, "mgr", "lost_summary", summary["id"], "approve")
    assert status == 422 and "mgr_rating" in body["fields"], body
    assert act(market, api, "mgr", "lost_summary", summary["id"], "approve", mgr_rating=6)[0] == 422
    assert state(market, api, "lost_summary", summary["id"]) == "submitted"
    assert state(market, api, "opportunity", opp["id"]) == "lost"
    status, body = act(market, api, "mgr", "lost_summary", summary["id"], "approve", mgr_rating=4, comment="分析到位")
    assert status == 200 and body["state"] == "reviewed" and body["mgr_rating"] == 4, body
    assert state(market, api, "opportunity", opp["id"]) == "closed_lost"


def test_a_returned_summary_leaves_the_opportunity_lost_and_a_second_loss_none(app, market, api):
    opp = opportunity(app, market, api, info_type="equipment")
    act(market, api, "am", "opportunity", opp["id"], "follow_equipment")
    act(market, api, "am", "opportunity", opp["id"], "lose", comment="预算取消", outcome_reason="budget_cancelled")
    [summary] = summaries(market, api, opp["id"])
    assert summary["reasons"] == ["customer_cancelled"]
    api(market, "am", "patch", f"lost_summary/{summary['id']}",
        {"version": summary["version"], "winner": "无(客户取消)", "lessons": "早确认资金来源"})
    act(market, api, "am", "lost_summary", summary["id"], "submit")
    assert act(market, api, "mgr", "lost_summary", summary["id"], "reject", comment="写具体")[1]["state"] == "draft"
    assert state(market, api, "opportunity", opp["id"]) == "lost"
    # One summary per lost order: writing another by hand is refused.
    status, body = api(market, "am", "post", "lost_summary", {
        "opportunity_id": opp["id"], "lost_stage": "solution", "winner": "x", "reasons": ["price"], "lessons": "y"})
    assert status == 422 and summary["number"] in body["fields"]["opportunity_id"][0]


def test_a_tender_not_won_gets_its_summary_with_the_winner(app, market, api):
    from decimal import Decimal

    from tests.modules.sales.test_bidding import advanced_tender, patch, transition
    tid, opportunity_id = advanced_tender(app, api, market, "opened", "智慧校园", bid_price=Decimal(800000),
                                          estimated_cost=Decimal(700000))
    patch(api, market, "pse", tid, {"winner": "华为技术有限公司", "winner_price": "760000", "loss_reason": "price"})
    assert transition(api, market, "pse", tid, "lose")[1]["state"] == "not_won"
    assert state(market, api, "opportunity", opportunity_id) == "lost"
    [summary] = summaries(market, api, opportunity_id)
    assert summary["winner"] == "华为技术有限公司" and summary["winner_price"] == "760000.00"
    assert summary["lost_stage"] == "bidding" and summary["reasons"] == ["price"]


# ---- item 1: won, contract and handover need the approvals SPEC names -------------------------
def plan(app, opp_id):
    """The current approval round of the opportunity: [(step, status, username)] in order."""
    from core.auth.models import User
    from core.workflow import engine
    from modules.sales.customers import OPPORTUNITY
    from modules.sales.models import Opportunity
    with app.app_context():
        doc = db.session.get(Opportunity, opp_id)
        return [(t.step_name, t.status, db.session.get(User, t.user_id).username)
                for t in engine.tasks(OPPORTUNITY, doc)]


def won(app, market, api, info_type="engineering"):
    opp = opportunity(app, market, api, info_type=info_type)
    act(market, api, "am", "opportunity", opp["id"], "follow_" + info_type)
    act(market, api, "am", "opportunity", opp["id"], "win", comment="客户口头确认", won_on="2026-03-02")
    assert act(market, api, "mgr", "opportunity", opp["id"], "confirm_win")[1]["state"] == "won"
    return opp


def test_a_win_is_confirmed_by_the_market_manager(app, market, api):
    opp = opportunity(app, market, api, info_type="equipment")
    act(market, api, "am", "opportunity", opp["id"], "follow_equipment")
    status, body = act(market, api, "am", "opportunity", opp["id"], "win", comment="客户确认")
    assert status == 422 and "won_on" in body["fields"], body                       # the day it was accepted
    status, body = act(market, api, "am", "opportunity", opp["id"], "win", comment="客户确认", won_on="2026-03-02")
    assert status == 200 and body["state"] == "win_pending" and body["won_on"] == "2026-03-02", body
    assert plan(app, opp["id"]) == [("confirm_win", "open", "mgr")]
    for who in ("am", "dir"):                                                      # not theirs to confirm
        assert act(market, api, who, "opportunity", opp["id"], "confirm_win")[0] == 403
    assert act(market, api, "am", "opportunity", opp["id"], "start_contract")[0] in (403, 422)   # the contract's
    assert act(market, api, "mgr", "opportunity", opp["id"], "refuse_win_engineering", comment="x")[0] == 422
    status, body = act(market, api, "mgr", "opportunity", opp["id"], "refuse_win_equipment", comment="客户尚未书面确认")
    assert status == 200 and body["state"] == "equip_in_progress", body
    act(market, api, "am", "opportunity", opp["id"], "win", comment="书面确认函", won_on="2026-03-03")
    assert act(market, api, "mgr", "opportunity", opp["id"], "confirm_win")[1]["state"] == "won"


# The contract's review, signing and handover: tests/modules/sales/test_contracts.py.
