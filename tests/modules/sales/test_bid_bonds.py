"""I-20: the tender document fee (标书费) and the bid bond (投标保证金) paid and refunded, the finance
steps recorded by the 市场部助理 on the tender; a bond not back within sales.bond_refund_days of the
result is reminded to the bid's owner and to the assistant."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from tests.modules.sales.test_bidding import messages, new_tender, set_fields, tender_opportunity, transition

pytestmark = pytest.mark.modules("sales")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def today():
    return datetime.now(SHANGHAI).date()


def step(api, market, who, tender_id, name, **values):
    return api(market, who, "post", f"tender/{tender_id}/transitions/{name}", values)


def bond_reminders(app, moment):
    from core.reminders import collect
    with app.test_request_context():
        return [r for r in collect(moment) if r.key.startswith("sales.bond_refund:")]


def test_the_assistant_records_the_fee_and_the_bond_paid_and_refunded(app, market, api, web):
    from modules.sales.bidding import Tender
    ids = market["ids"]
    tender = new_tender(app, api, market, tender_opportunity(app, api, market))
    tid, day = tender["id"], today()
    fee = {"doc_fee": "500", "doc_fee_paid_on": day.isoformat(), "doc_fee_payer": "财务部"}
    # Finance steps are the assistant's (and the manager's), not the salesperson's.
    assert f"/sales/tender/{tid}/transitions/record_doc_fee/input" in web("ast").get(f"/sales/tender/{tid}").get_data(as_text=True)
    assert "record_doc_fee" not in web("am").get(f"/sales/tender/{tid}").get_data(as_text=True)
    assert step(api, market, "am", tid, "record_doc_fee", **fee)[0] == 403
    status, body = step(api, market, "ast", tid, "record_doc_fee", **{**fee, "doc_fee_payer": ""})
    assert status == 422 and "doc_fee_payer" in body["fields"]
    status, body = step(api, market, "ast", tid, "record_doc_fee",
                        **{**fee, "doc_fee_paid_on": (day + timedelta(days=3)).isoformat()})
    assert status == 422 and "cannot be in the future" in messages(body)
    status, body = step(api, market, "ast", tid, "record_doc_fee", **fee)
    assert status == 200, body
    assert (body["state"], body["doc_fee_paid_on"], body["doc_fee_payer"]) == ("identified", day.isoformat(), "财务部")
    assert step(api, market, "ast", tid, "record_doc_fee", **fee)[0] in (403, 409, 422)   # recorded once

    bond = {"bond_amount": "20000", "bond_method": "transfer", "bond_paid_on": day.isoformat(), "bond_payer": "财务部"}
    status, body = step(api, market, "ast", tid, "record_bond", **bond)
    assert status == 200 and body["bond_paid_on"] == day.isoformat() and body["bond_refund_due_on"] is None
    history = api(market, "mgr", "get", f"tender/{tid}/history")[1]["items"]
    assert any(e["action"] == "transition" and e["changes"].get("transition") == "record_bond" for e in history)

    # The result is known (not won): the bond is expected back within sales.bond_refund_days (30).
    set_fields(app, Tender, tid, state="opened", winner="华为", winner_price=1400000)
    status, body = transition(api, market, "mgr", tid, "lose")
    assert status == 200, body
    due = day + timedelta(days=30)
    assert api(market, "ast", "get", f"tender/{tid}")[1]["bond_refund_due_on"] == due.isoformat()
    late = datetime.combine(due + timedelta(days=2), datetime.min.time(), tzinfo=SHANGHAI)
    items = bond_reminders(app, late)
    assert {r.user_id for r in items} == {ids["am"], ids["ast"]} and all(r.is_overdue(late) for r in items)
    assert "20,000.00" in str(items[0].title) or "20000" in str(items[0].title)
    assert "Bid bonds to recover" in web("ast").get("/").get_data(as_text=True) or \
        "投标保证金" in web("ast").get("/").get_data(as_text=True)

    # The refund: not before the payment, not more than the bond.
    refund = {"bond_refunded_on": day.isoformat(), "bond_refunded_amount": "20000"}
    assert step(api, market, "am", tid, "record_refund", **refund)[0] == 403
    status, body = step(api, market, "ast", tid, "record_refund",
                        **{**refund, "bond_refunded_on": (day - timedelta(days=1)).isoformat()})
    assert status == 422 and "before it was paid" in messages(body)
    status, body = step(api, market, "ast", tid, "record_refund", **{**refund, "bond_refunded_amount": "25000"})
    assert status == 422 and "bond_refunded_amount" in str(body)
    with app.app_context():
        assert db.session.get(Tender, tid).bond_refunded_on is None                     # nothing half-saved
    status, body = step(api, market, "ast", tid, "record_refund", **refund)
    assert status == 200 and body["state"] == "not_won" and body["bond_refunded_on"] == day.isoformat()
    assert bond_reminders(app, late) == []


def test_a_bond_recorded_after_the_result_is_due_from_then(app, market, api):
    from modules.sales.bidding import Tender
    tender = new_tender(app, api, market, tender_opportunity(app, api, market))
    tid, day = tender["id"], today()
    set_fields(app, Tender, tid, state="opened", winner="华为", winner_price=1400000)
    assert transition(api, market, "mgr", tid, "lose")[0] == 200
    status, body = step(api, market, "mgr", tid, "record_bond", bond_amount="20000", bond_method="guarantee",
                        bond_paid_on=day.isoformat(), bond_payer="张三（垫付）")
    assert status == 200, body
    assert body["bond_refund_due_on"] == (day + timedelta(days=30)).isoformat()
