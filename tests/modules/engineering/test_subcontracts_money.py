"""A subcontract's money: company-supplied materials issued, returned and installed (X-E13) with
the excess loss charged at price + 10 % (P-11, R-E-097); the team's payments (F-T10 inward)
capped by the subcontract's stage (R-E-094) and announced (I-10, engineering_team_payment); its
final account (F-T12 inward) deducting the material charge."""
from decimal import Decimal

import pytest

from core.extensions import db
from core.hookspecs import hookimpl

from .test_money import TEAM_SIGNS, payment
from .test_subcontracts import act, signed_subcontract, teams  # noqa: F401  (fixture)

pytestmark = pytest.mark.modules("engineering")


def set_state(app, model, doc_id, state):
    with app.app_context():
        db.session.get(model, doc_id).state = state
        db.session.commit()


def note(team, eapi, sub_id, direction, lines, sign=True):
    status, doc = eapi(team, "pe", "post", "material_note", {"subcontract_id": sub_id, "direction": direction,
                                                             "note_date": "2027-01-05", "lines": lines})
    assert status == 201, doc
    if sign:
        status, doc = eapi(team, "pe", "patch", f"material_note/{doc['id']}",
                           {"receiver_sig_name": "张宏达", "version": doc["version"]})
        status, doc = act(eapi, team, "pe", f"material_note/{doc['id']}", "confirm")
        assert status == 200, doc
    return doc


def cable(qty, price="6"):
    return {"item": "六类非屏蔽双绞线", "spec": "305米/箱", "unit": "米", "qty": qty, "unit_price": price}


def outlet(qty, price="80"):
    return {"item": "信息面板", "unit": "个", "qty": qty, "unit_price": price}


def test_material_loss_over_the_allowance_is_charged(app, team, eapi, teams):  # noqa: F811
    _pid, sub = signed_subcontract(app, team, eapi, teams)
    status, body = eapi(team, "pe", "post", "material_note", {"subcontract_id": sub["id"], "direction": "issue",
                                                              "lines": [{"item": "六类线", "qty": "10"}]})
    assert status == 422 and "lines" in body["fields"]            # an issue gives the purchase price
    unsigned = note(team, eapi, sub["id"], "issue", [cable("100")], sign=False)
    assert act(eapi, team, "pe", f"material_note/{unsigned['id']}", "confirm")[1]["rules"] == ["R-E-097"]
    note(team, eapi, sub["id"], "issue", [cable("600"), outlet("100")])
    note(team, eapi, sub["id"], "issue", [cable("400")])
    note(team, eapi, sub["id"], "return", [cable("10")])
    # cable: 1000 issued, 10 returned, 950 installed: loss 40 = 4 %, 10 m over 3 %: 10 × 6 × 1.1
    # outlets: 100 issued, 97 installed: loss 3 = 3 %, nothing charged
    note(team, eapi, sub["id"], "installed", [cable("950"), outlet("97")])
    from modules.engineering.subcontracts import material_charge, material_losses
    with app.app_context():
        rows = {row["item"]: row for row in material_losses(sub["id"])}
        assert rows["六类非屏蔽双绞线"]["loss"] == Decimal(40) and rows["六类非屏蔽双绞线"]["excess"] == Decimal(10)
        assert rows["六类非屏蔽双绞线"]["charge"] == Decimal("66.00")
        assert rows["信息面板"]["loss"] == Decimal(3) and rows["信息面板"]["charge"] == Decimal(0)
        assert material_charge(sub["id"]) == Decimal("66.00")
    # one more outlet lost: 4 over 3 allowed, 1 × 80 × 1.1
    with app.app_context():
        from modules.engineering.subcontracts import MaterialNote
        line = db.session.query(MaterialNote).filter_by(direction="installed").one().lines[1]
        line.qty = Decimal(96)
        db.session.commit()
        assert material_charge(sub["id"]) == Decimal("154.00")


class Payables:
    def __init__(self):
        self.heard = []

    @hookimpl
    def engineering_team_payment(self, payment, amount, team, user):
        self.heard.append((payment.number, amount, team.name if team else None, user.username))


@pytest.fixture
def payables(app):
    heard = Payables()
    app.extensions["erp"].pm.register(heard, name="payables")
    yield heard
    app.extensions["erp"].pm.unregister(name="payables")


def test_hook_engineering_team_payment(app, team, eapi, teams, payables):  # noqa: F811
    pid, sub = signed_subcontract(app, team, eapi, teams)
    status, doc = eapi(team, "pe", "post", "ft10", payment(pid, relation="inward", value="20000", requested="14001",
                                                           subcontract_id=sub["id"]))
    assert status == 201, doc
    assert doc["team_name"] == "宏达弱电施工队" and doc["contract_amount"] == "45000.00"
    status, body = eapi(team, "pe", "post", f"ft10/{doc['id']}/transitions/submit", TEAM_SIGNS)
    assert status == 422 and "R-E-094" in body["rules"] and "14,000.00" in body["error"] and "70" in body["error"]
    status, doc = eapi(team, "pe", "patch", f"ft10/{doc['id']}", {"requested_amount": "14000",
                                                                  "version": doc["version"]})
    assert status == 200
    for who, name, values in (("pe", "submit", TEAM_SIGNS), ("pe", "review", {"verified_amount": "14000"}),
                              ("eng_mgr", "owner_approve", {"approved_amount": "14000"})):
        status, doc = eapi(team, who, "post", f"ft10/{doc['id']}/transitions/{name}", values)
        assert status == 200, doc
    assert payables.heard == [(doc["number"], Decimal("14000.00"), "宏达弱电施工队", "eng_mgr")]


def test_team_paid_up_to_95_after_acceptance_and_settlement_and_the_rest_after_warranty(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import Subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, EngProject, pid, "closing")
    body = payment(pid, relation="inward", value="40000", requested="38000", subcontract_id=sub["id"],
                   payment_type="settlement")
    status, doc = eapi(team, "pe", "post", "ft10", body)
    assert status == 201, doc
    # accepted, but the subcontract not settled: still 70 %
    status, refused = eapi(team, "pe", "post", f"ft10/{doc['id']}/transitions/submit", TEAM_SIGNS)
    assert status == 422 and "28,000.00" in refused["error"]
    set_state(app, Subcontract, sub["id"], "settled")
    status, ok = eapi(team, "pe", "post", f"ft10/{doc['id']}/transitions/submit", TEAM_SIGNS)
    assert status == 200, ok
    more = payment(pid, relation="inward", value="0", requested="2000", subcontract_id=sub["id"],
                   payment_type="retention")
    status, retention = eapi(team, "pe", "post", "ft10", more)
    status, refused = eapi(team, "pe", "post", f"ft10/{retention['id']}/transitions/submit", TEAM_SIGNS)
    assert status == 422 and "95" in refused["error"] and "38,000.00" in refused["error"]
    set_state(app, Subcontract, sub["id"], "closed")
    status, ok = eapi(team, "pe", "post", f"ft10/{retention['id']}/transitions/submit", TEAM_SIGNS)
    assert status == 200, ok


def test_settlement_deducts_the_material_charge(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.projects import EngProject
    pid, sub = signed_subcontract(app, team, eapi, teams)
    note(team, eapi, sub["id"], "issue", [cable("1000")])
    note(team, eapi, sub["id"], "installed", [cable("950")])
    set_state(app, EngProject, pid, "closing")
    status, doc = eapi(team, "pe", "post", "ft12", {"project_id": pid, "subcontract_id": sub["id"],
                                                    "declared_amount": "45000", "retention_pct": "5"})
    assert status == 201, doc
    assert doc["relation"] == "inward" and doc["team_name"] == "宏达弱电施工队"
    assert [(line["type"], line["amount"], line["reference"]) for line in doc["lines"]] == [
        ("material", "132.00", "P-11")]                              # 20 m over 3 % × 6 × 1.1
    # 45,000 - 2,250 retention - 132
    assert doc["retention_amount"] == "2250.00" and doc["balance"] == "42618.00"
    # saved again: the deduction is not doubled
    status, doc = eapi(team, "pe", "patch", f"ft12/{doc['id']}", {"declared_amount": "44000",
                                                                  "version": doc["version"]})
    assert status == 200 and len(doc["lines"]) == 1 and doc["balance"] == "41668.00"


def test_agreed_settlement_settles_the_subcontract_and_the_retention_waits_for_the_warranty(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import Subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, Subcontract, sub["id"], "in_progress")
    set_state(app, EngProject, pid, "closing")
    status, doc = eapi(team, "pe", "post", "ft12", {"project_id": pid, "subcontract_id": sub["id"],
                                                    "declared_amount": "45000", "retention_pct": "5"})
    assert status == 201, doc
    for who, name, values in (("pe", "submit", TEAM_SIGNS), ("eng_mgr", "review", {"verified_amount": "45000"}),
                              ("eng_mgr", "owner_approve", {"verified_amount": "45000"})):
        status, doc = eapi(team, who, "post", f"ft12/{doc['id']}/transitions/{name}", values)
        assert status == 200, (name, doc)
    status, sub = eapi(team, "eng_mgr", "get", f"subcontract/{sub['id']}")
    assert sub["state"] == "settled"
    # completion 2027-01-31 + 12 months: the retention waits until 2028-01-31
    status, body = act(eapi, team, "eng_mgr", f"subcontract/{sub['id']}", "close")
    assert status == 422 and "2028-01-31" in body["error"] and "R-E-094" in body["rules"]


def confirmed_penalty(app, team, party_id, project_id, fine, code="P-09"):
    """A team's fine confirmed (WF-E08) and pending deduction."""
    from datetime import date

    from core.auth.models import User
    from core.documents import service
    from modules.engineering.penalties import PENALTY, PenaltyItem
    with app.app_context():
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        penalty = service.new_document(PENALTY, manager)
        penalty.item_id = db.session.scalar(db.select(PenaltyItem.id).where(PenaltyItem.code == code))
        penalty.title, penalty.target_type, penalty.team_party_id = "违反施工队守则", "team", party_id
        penalty.project_id, penalty.occurred_on, penalty.facts = project_id, date(2027, 1, 10), "私下与业主商谈增项"
        penalty.fine, penalty.state, penalty.decided_on = Decimal(fine), "confirmed", date(2027, 1, 12)
        service.assign_number(PENALTY, penalty)
        db.session.add(penalty)
        db.session.commit()
        return penalty.id, penalty.number


def test_settlement_deducts_pending_penalties_and_marks_them_deducted(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.penalties import Penalty
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import Subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, Subcontract, sub["id"], "in_progress")
    penalty_id, number = confirmed_penalty(app, team, teams[0], pid, "500")
    other_team, _number = confirmed_penalty(app, team, teams[1], pid, "800")     # another team's: not here
    note(team, eapi, sub["id"], "issue", [cable("1000")])
    note(team, eapi, sub["id"], "installed", [cable("950")])
    set_state(app, EngProject, pid, "closing")
    status, doc = eapi(team, "pe", "post", "ft12", {"project_id": pid, "subcontract_id": sub["id"],
                                                    "declared_amount": "45000", "retention_pct": "5"})
    assert status == 201, doc
    assert sorted((line["type"], line["amount"], line["reference"]) for line in doc["lines"]) == [
        ("material", "132.00", "P-11"), ("penalty", "500.00", number)]
    assert doc["balance"] == "42118.00"               # 45,000 - 2,250 - 132 - 500
    for who, name, values in (("pe", "submit", TEAM_SIGNS), ("eng_mgr", "review", {"verified_amount": "45000"}),
                              ("eng_mgr", "owner_approve", {"verified_amount": "45000"})):
        status, doc = eapi(team, who, "post", f"ft12/{doc['id']}/transitions/{name}", values)
        assert status == 200, (name, doc)
    with app.app_context():
        penalty = db.session.get(Penalty, penalty_id)
        assert penalty.state == "executed" and penalty.executed_in == doc["number"]
        assert db.session.get(Penalty, other_team).state == "confirmed"
