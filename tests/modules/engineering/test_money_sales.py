"""Engineering's milestones and confirmed changes reach sales (I-07, I-08): the contract's
collection lines become due, the contract is delivered on final acceptance, its owner is told
what to collect and which supplement to draw up. With sales off, nothing breaks."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


def sales_contract(app, people, owner="am", state="in_execution", lines=()):
    """A signed contract of 200,000 in `state` with collection `lines` [(milestone, trigger, amount,
    planned_date)] written directly; returns the contract's id."""
    from core.parties.models import Party
    from modules.sales.collections import Collection
    from modules.sales.contracts import Contract
    from modules.sales.models import Customer, Opportunity
    owner_id = people["ids"][owner]
    with app.app_context():
        common = dict(owner_id=owner_id, created_by_id=owner_id, updated_by_id=owner_id)
        party = Party(code="C-HOSP", name="市人民医院")
        db.session.add(party)
        db.session.flush()
        customer = Customer(number="KH-T0001", title="市人民医院", state="active", party_id=party.id, **common)
        db.session.add(customer)
        db.session.flush()
        opportunity = Opportunity(number="XM-T0001", title="市医院安防监控工程", state="handed_over",
                                  customer_id=customer.id, info_type="engineering", **common)
        db.session.add(opportunity)
        db.session.flush()
        contract = Contract(number="HT-2026-0077", title="市医院安防监控工程", state=state, kind="contract",
                            opportunity_id=opportunity.id, customer_id=customer.id, amount=Decimal(200000),
                            **common)
        db.session.add(contract)
        db.session.flush()
        for n, (milestone, trigger, amount, planned) in enumerate(lines, 1):
            db.session.add(Collection(number=f"SK-T{n:04d}", title=str(milestone), state="planned",
                                      contract_id=contract.id, customer_id=customer.id, milestone=milestone,
                                      trigger=trigger, amount=Decimal(amount), planned_date=planned, term_days=30,
                                      **common))
        db.session.commit()
        return contract.id


def announce(app, project_id, milestone, user_id, day=date(2027, 3, 20), amount=None, reference=""):
    from core.auth.models import User
    from modules.engineering.projects import EngProject
    from modules.engineering.projects import announce as tell
    with app.app_context():
        tell(db.session.get(EngProject, project_id), milestone, db.session.get(User, user_id), day, amount=amount,
             reference=reference)
        db.session.commit()


def lines_of(app, contract_id):
    from modules.sales.collections import Collection
    with app.app_context():
        return {line.number: (line.state, line.triggered_on, line.due_date) for line in db.session.scalars(
            select(Collection).where(Collection.contract_id == contract_id))}


def notes_of(app, user_id):
    """What the contract's owner was told about the contract (not core's news of each line)."""
    from core.reminders.models import Notification
    with app.app_context():
        return [(n.title, n.body, n.url) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id, Notification.key.like("sales.contract:%"))
            .order_by(Notification.id))]


@pytest.mark.modules("engineering", "sales")
def test_milestones_trigger_their_collection_lines_and_acceptance_delivers(app, team):
    cid = sales_contract(app, team, lines=[("delivery", "arrival", "60000", None),
                                           ("acceptance", "acceptance", "120000", None),
                                           ("retention", "warranty_end", "20000", None)])
    pid = make_project(app, team, state="in_construction", sales_contract_id=cid)
    announce(app, pid, "arrival_accepted", team["ids"]["pe"], day=date(2027, 1, 10))
    lines = lines_of(app, cid)
    assert lines["SK-T0001"] == ("triggered", date(2027, 1, 10), date(2027, 2, 9))
    assert lines["SK-T0002"][0] == "planned" and lines["SK-T0003"][0] == "planned"

    announce(app, pid, "final_acceptance", team["ids"]["pe"], day=date(2027, 3, 20))
    lines = lines_of(app, cid)
    assert lines["SK-T0002"] == ("triggered", date(2027, 3, 20), date(2027, 4, 19))
    assert lines["SK-T0003"][0] == "planned"       # the retention waits for the warranty's end
    from modules.sales.contracts import Contract
    with app.app_context():
        contract = db.session.get(Contract, cid)
        assert contract.state == "collecting" and contract.delivered_on == date(2027, 3, 20)

    announce(app, pid, "warranty_end", team["ids"]["eng_mgr"], day=date(2028, 3, 20))
    assert lines_of(app, cid)["SK-T0003"][:2] == ("triggered", date(2028, 3, 20))


@pytest.mark.modules("engineering", "sales")
def test_approved_payment_application_triggers_the_next_progress_payment(app, team):
    cid = sales_contract(app, team, lines=[("progress", "date", "50000", date(2027, 2, 28)),
                                           ("progress", "date", "50000", date(2027, 1, 31)),
                                           ("acceptance", "acceptance", "100000", None)])
    pid = make_project(app, team, state="in_construction", sales_contract_id=cid)
    # The customer approves exactly the planned amount: the earliest progress line is due, nobody bothered.
    announce(app, pid, "payment_approved", team["ids"]["pe"], day=date(2027, 1, 25), amount=Decimal(50000),
             reference="GC10-2027-0001")
    lines = lines_of(app, cid)
    assert lines["SK-T0002"][:2] == ("triggered", date(2027, 1, 25)) and lines["SK-T0001"][0] == "planned"
    assert notes_of(app, team["ids"]["am"]) == []
    # Less than planned: the next line is triggered and the owner told to check the plan.
    announce(app, pid, "payment_approved", team["ids"]["pe"], day=date(2027, 2, 25), amount=Decimal(42000),
             reference="GC10-2027-0002")
    assert lines_of(app, cid)["SK-T0001"][0] == "triggered"
    (title, body, url), = notes_of(app, team["ids"]["am"])
    assert "GC10-2027-0002" in title and "42,000.00" in title and "50,000.00" in body
    assert url == f"/sales/contract/{cid}"
    # No progress line left: the owner is told so.
    announce(app, pid, "payment_approved", team["ids"]["pe"], amount=Decimal(10000), reference="GC10-2027-0003")
    assert "No planned progress payment" in notes_of(app, team["ids"]["am"])[-1][1]


@pytest.mark.modules("engineering", "sales")
def test_final_account_and_confirmed_change_are_told_to_the_contract_owner(app, team, eweb):
    cid = sales_contract(app, team)
    pid = make_project(app, team, state="closing", sales_contract_id=cid)
    announce(app, pid, "final_account", team["ids"]["pe"], amount=Decimal("212500"), reference="GC12-2027-0001")
    (title, body, _url), = notes_of(app, team["ids"]["am"])
    assert "GC12-2027-0001" in title and "212,500.00" in title and "200,000.00" in body

    from core.auth.models import User
    from modules.engineering.projects import EngProject
    with app.app_context():
        app.extensions["erp"].pm.hook.engineering_change_confirmed(
            project=db.session.get(EngProject, pid), amount=Decimal("12500.00"), reference="GC11-2027-0001",
            description="增加 20 个监控点位", user=db.session.get(User, team["ids"]["pe"]))
        db.session.commit()
    title, body, url = notes_of(app, team["ids"]["am"])[-1]
    assert "HT-2026-0077" in title and "12,500.00" in title and body == "增加 20 个监控点位"
    # The link opens a supplement agreement of the contract with the amount filled in.
    assert url.startswith("/sales/contract/new?") and "kind=supplement" in url and f"parent_id={cid}" in url
    page = eweb("am").get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option selected value="supplement">' in html and f'<option selected value="{cid}">HT-2026-0077' in html
    assert 'name="amount" step="any" type="number" value="12500.00"' in html


def test_milestones_without_sales_are_harmless(app, team, eapi):
    """Engineering alone: announcing and confirming reach nobody, and nothing fails."""
    pid = make_project(app, team, state="final_acceptance", sales_contract_id=77)
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/accepted", {"actual_completion": "2027-03-20"})
    assert status == 200, body
    announce(app, pid, "payment_approved", team["ids"]["pe"], amount=Decimal(1000), reference="GC10-2027-0001")
    from core.auth.models import User
    from modules.engineering.projects import EngProject
    with app.app_context():
        assert app.extensions["erp"].pm.hook.engineering_change_confirmed(
            project=db.session.get(EngProject, pid), amount=Decimal(1), reference="x", description="",
            user=db.session.get(User, team["ids"]["pe"])) == []


@pytest.mark.modules("engineering", "sales")
def test_confirmed_change_cost_asks_the_contract_owner_for_a_supplement(app, team, eapi):
    from .test_money import CUSTOMER_SIGNS, SUPERVISOR_SIGNS, create, ok, signed_change, verification
    cid = sales_contract(app, team)
    pid = make_project(app, team, state="in_construction", amount="200000", sales_contract_id=cid)
    notice = signed_change(team, eapi, pid)
    doc = create(team, eapi, "ft11", verification(pid, notice["id"]))
    ok(team, eapi, "pe", "ft11", doc["id"], "submit")
    ok(team, eapi, "pe", "ft11", doc["id"], "review", verified_total="12400", **SUPERVISOR_SIGNS)
    assert notes_of(app, team["ids"]["am"]) == []
    ok(team, eapi, "pe", "ft11", doc["id"], "owner_approve", confirmed_total="12400", **CUSTOMER_SIGNS)
    (title, body, url), = notes_of(app, team["ids"]["am"])
    assert "HT-2026-0077" in title and "12,400.00" in title and doc["number"] in title
    assert notice["number"] in body and "amount=12400.00" in url
