"""After-sales service with sales in use: a confirmed chargeable ticket becomes a service-fee
collection line for the customer's salesperson (I-11), complaints reach the customer's timeline
and salesperson (I-17), a low satisfaction score is the salesperson's follow-up too."""
import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.conftest import api, market, web  # noqa: F401  (sales' fixtures)
from tests.modules.sales.test_contracts import people, reviewed_and_signed, won_equipment  # noqa: F401
from tests.modules.sales.test_presales import customer

from .conftest import make_project
from .test_service import act, notes, ticket, walk_to_confirmed

pytestmark = pytest.mark.modules("engineering", "sales")


def party_of(app, customer_id):
    from modules.sales.models import Customer
    with app.app_context():
        return db.session.get(Customer, customer_id).party_id


def test_hook_engineering_service_fee(app, people, api, web, eapi):
    from modules.sales.collections import Collection
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    party = party_of(app, opp["customer_id"])
    status, body = ticket(people, eapi, party, symptom="交换机端口故障")
    assert status == 201, body
    confirmed = walk_to_confirmed(people, eapi, body["id"], chargeable=True, fee="1200")
    assert confirmed["collection_ref"].startswith("SK-"), confirmed
    with app.app_context():
        line = db.session.scalar(select(Collection).where(Collection.number == confirmed["collection_ref"]))
        assert (line.contract_id, line.milestone, str(line.amount), line.state, line.owner_id) == (
            contract["id"], "service", "1200.00", "triggered", people["ids"]["am"])
        assert body["number"] in line.title
    # The fee is sales' to collect now: no "fee received" on the ticket.
    assert act(people, eapi, "pe", body["id"], "mark_paid")[0] == 422
    # A customer without an open contract: its salesperson is told, the ticket keeps the fee.
    other = customer(app, people, api, name="深圳市第二人民医院")
    status, body = ticket(people, eapi, party_of(app, other["id"]))
    confirmed = walk_to_confirmed(people, eapi, body["id"], chargeable=True, fee="300")
    assert confirmed["collection_ref"] == ""
    assert any(body["number"] in t for t in notes(app, people["ids"]["am"]))
    assert act(people, eapi, "pe", body["id"], "mark_paid")[1]["fee_paid"] is True


def test_hook_engineering_complaint(app, people, api, eapi):
    from core.documents.models import Comment
    cust = customer(app, people, api)
    status, body = ticket(people, eapi, party_of(app, cust["id"]), is_complaint=True, symptom="维修人员迟到两天")
    assert status == 201, body
    assert any(body["number"] in t for t in notes(app, people["ids"]["am"]))
    walk_to_confirmed(people, eapi, body["id"])
    status, closed = act(people, eapi, "eng_mgr", body["id"], "close", closure_note="已约谈工程师并向客户致歉")
    assert status == 200, closed
    with app.app_context():
        bodies = [c.body for c in db.session.scalars(select(Comment).where(
            Comment.doctype == "sales.customer", Comment.doc_id == cust["id"]).order_by(Comment.id))]
    assert len(bodies) == 2 and "维修人员迟到两天" in bodies[0] and "已约谈工程师" in bodies[1]
    # The market manager's list: gone once closed.
    assert api(people, "mgr", "get", "customer")[0] == 200
    assert eapi(people, "mgr", "get", "service_ticket?is_complaint=1")[1]["items"] == []


def test_hook_engineering_low_satisfaction(app, people, api, eapi):
    cust = customer(app, people, api)
    pid = make_project(app, people, state="warranty")
    scores = [{"aspect": a, "score": 2 if a == "attitude" else 5}
              for a in ("quality", "schedule", "attitude", "documentation", "overall")]
    status, survey = eapi(people, "pe", "post", "satisfaction_survey", {
        "customer_id": party_of(app, cust["id"]), "project_id": pid, "survey_type": "after_acceptance",
        "sent_on": "2026-12-01", "respondent": "李科长", "returned_on": "2026-12-03", "scores": scores})
    assert status == 201, survey
    status, body = eapi(people, "pe", "post", f"satisfaction_survey/{survey['id']}/transitions/return_survey", {})
    assert status == 200, body
    assert any(survey["number"] in t for t in notes(app, people["ids"]["am"]))
    assert any(survey["number"] in t for t in notes(app, people["ids"]["eng_mgr"]))
