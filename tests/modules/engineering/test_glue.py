"""Engineering part 2 connected: team fines lower the team's monthly grade (F-E03), repeated code
breaches suspend the team, a verified complaint proposes P-08, a material loss charged in an inward
F-T12 proposes P-11, and WF-E09's inward supervision reports are reminded."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db

from .test_penalties import act, confirmed_on, propose
from .test_subcontracts import teams  # noqa: F401  (fixture)
from .test_team_assessment import assess
from .test_teams import approved_team

pytestmark = pytest.mark.modules("engineering")


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def party_of(app, team_id):
    from modules.engineering.teams import ConstructionTeam
    with app.app_context():
        return db.session.get(ConstructionTeam, team_id).party_id


# ---- 1. team fines lower the monthly grade ------------------------------------------------------
@pytest.mark.parametrize("fine, points", [("200", "2.00"), ("2999", "29.99"), ("3000", "30.00"), ("5000", "30.00")])
def test_points_of_fines_per_100_capped(app, fine, points):
    from modules.engineering.penalties import points_of_fines
    with app.app_context():
        assert points_of_fines(Decimal(fine)) == Decimal(points)


def test_team_fines_of_the_month_lower_the_assessment(app, team, eapi, eweb, clock):
    clock("2026-12-07 10:00")
    t = approved_team(app, team, eapi)
    tid = party_of(app, t["id"])
    november = propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-11-20")     # 500
    breach = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-11-21")       # 200
    propose(app, team, eapi, "P-16", team_party_id=tid, occurred_on="2026-11-22")                # proposed only
    october = propose(app, team, eapi, "P-03", team_party_id=tid, occurred_on="2026-10-02")      # other month
    confirmed_on(app, november["id"], date(2026, 11, 25))
    confirmed_on(app, breach["id"], date(2026, 11, 30))
    confirmed_on(app, october["id"], date(2026, 10, 31))
    doc = assess(team, eapi, t["id"], "2026-11", "90")
    assert Decimal(doc["penalty_points"]) == Decimal(7) and Decimal(doc["total"]) == Decimal(83)
    assert doc["grade"] == "B"
    page = eweb("eng_mgr").get(f"/engineering/team_assessment/{doc['id']}").get_data(as_text=True)
    assert november["number"] in page and breach["number"] in page and october["number"] not in page
    # The rate is a setting.
    from core import settings
    with app.app_context():
        settings.set("eng.team_penalty_points_per_100", "2")
        db.session.commit()
    doc = assess(team, eapi, t["id"], "2026-10", "90")
    assert Decimal(doc["penalty_points"]) == Decimal(4) and Decimal(doc["total"]) == Decimal(86)


# ---- 2. repeated code breaches suspend -----------------------------------------------------------
def test_third_code_breach_in_the_window_suspends_the_team(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    t = approved_team(app, team, eapi)
    tid = party_of(app, t["id"])
    docs = [propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on=day)
            for day in ("2026-12-01", "2026-12-02", "2026-12-03")]
    confirmed_on(app, docs[0]["id"], date(2026, 6, 6))                # outside the 6 months
    confirmed_on(app, docs[1]["id"], date(2026, 11, 2))
    act(team, eapi, "pe", docs[2], "notify")
    act(team, eapi, "pe", docs[2], "acknowledge", ack_name="刘建国")
    assert act(team, eapi, "eng_mgr", docs[2], "confirm")[0] == 200
    assert eapi(team, "eng_mgr", "get", f"team/{t['id']}")[1]["state"] == "approved"     # 2 in 6 months
    confirmed_on(app, docs[0]["id"], date(2026, 6, 7))                # now inside
    fourth = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-12-04")
    act(team, eapi, "pe", fourth, "notify")
    act(team, eapi, "pe", fourth, "acknowledge", ack_name="刘建国")
    status, body = act(team, eapi, "eng_mgr", fourth, "confirm")
    assert status == 200 and body["state"] == "confirmed"
    entry = eapi(team, "eng_mgr", "get", f"team/{t['id']}")[1]
    assert entry["state"] == "suspended"
    assert fourth["number"] in entry["status_reason"] and docs[0]["number"] in entry["status_reason"]
    assert "P-09" in entry["status_reason"]


# ---- 3. a verified complaint proposes P-08 -------------------------------------------------------
def test_complaint_closed_with_its_conclusion_proposes_p08_for_its_engineer_once(app, team, eapi):
    from core.parties import services as parties

    from .test_service import act as ticket_act
    from .test_service import ticket, walk_to_confirmed
    with app.app_context():
        customer = parties.create_party("市第三中学", roles=("customer",)).id
        db.session.commit()
    status, complaint = ticket(team, eapi, customer, is_complaint=True, symptom="工程师多次催修不上门")
    status, plain = ticket(team, eapi, customer)
    for doc in (complaint, plain):
        walk_to_confirmed(team, eapi, doc["id"])
    # Refused without the conclusion (R-E-061): nothing proposed.
    assert ticket_act(team, eapi, "eng_mgr", complaint["id"], "close")[0] == 422
    assert penalties_of(eapi, team, "P-08") == []
    status, body = ticket_act(team, eapi, "eng_mgr", complaint["id"], "close", closure_note="已向客户道歉，更换服务工程师")
    assert status == 200 and body["state"] == "closed"
    assert ticket_act(team, eapi, "eng_mgr", plain["id"], "close")[0] == 200
    [p08] = penalties_of(eapi, team, "P-08")
    assert p08["target_type"] == "staff" and p08["person_id"] == team["ids"]["pe"] and p08["state"] == "proposed"
    assert p08["points"] == "5.0000" and p08["evidence_ref"] == complaint["number"]
    assert "更换服务工程师" in p08["facts"]
    # Once per ticket: the same event again proposes nothing more.
    from core.auth.models import User
    from modules.engineering.hookspecs import PenaltyEvent
    from modules.engineering.penalties import propose_from
    from modules.engineering.service import ServiceTicket
    with app.test_request_context():
        doc = db.session.get(ServiceTicket, complaint["id"])
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        assert propose_from(PenaltyEvent("complaint_closed", document=doc, reference=doc.number,
                                         user_id=doc.assigned_to_id), manager) == []
    assert len(penalties_of(eapi, team, "P-08")) == 1


def penalties_of(eapi, team, code):
    status, page = eapi(team, "eng_mgr", "get", "penalty?size=100")
    assert status == 200
    return [eapi(team, "eng_mgr", "get", f"penalty/{row['id']}")[1] for row in page["items"]
            if row["title"].startswith(code)]


# ---- 4. P-11 from the material loss charged in the settlement ------------------------------------
def test_agreed_settlement_with_a_material_charge_records_p11_once_without_deducting_twice(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.penalties import Penalty, pending_team_deductions
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import Subcontract

    from .test_money import TEAM_SIGNS
    from .test_subcontracts_money import cable, note, set_state, signed_subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, Subcontract, sub["id"], "in_progress")
    note(team, eapi, sub["id"], "issue", [cable("1000")])
    note(team, eapi, sub["id"], "installed", [cable("950")])
    set_state(app, EngProject, pid, "closing")
    status, doc = eapi(team, "pe", "post", "ft12", {"project_id": pid, "subcontract_id": sub["id"],
                                                    "declared_amount": "45000", "retention_pct": "5"})
    assert status == 201 and doc["balance"] == "42618.00"          # the charge 132.00 comes off once
    for who, name, values in (("pe", "submit", TEAM_SIGNS), ("eng_mgr", "review", {"verified_amount": "45000"})):
        assert eapi(team, who, "post", f"ft12/{doc['id']}/transitions/{name}", values)[0] == 200
    assert penalties_of(eapi, team, "P-11") == []                   # not before the settlement is agreed
    status, doc = eapi(team, "eng_mgr", "post", f"ft12/{doc['id']}/transitions/owner_approve",
                       {"verified_amount": "45000"})
    assert status == 200, doc
    [p11] = penalties_of(eapi, team, "P-11")
    assert p11["target_type"] == "team" and p11["team_party_id"] == teams[0] and p11["state"] == "proposed"
    assert p11["fine"] == "0.00" and p11["executed_in"] == doc["number"] and "132.00" in p11["facts"]
    # Confirmed, it is on the team's record but never a deduction pending (no second charge).
    with app.app_context():
        penalty = db.session.get(Penalty, p11["id"])
        penalty.state = "confirmed"
        db.session.commit()
        assert pending_team_deductions(teams[0]) == []
        # Once per settlement: agreeing again proposes nothing more.
        from core.auth.models import User
        from modules.engineering.forms import built
        from modules.engineering.subcontracts import record_material_loss
        ft12 = db.session.get(built("ft12").model, doc["id"])
        record_material_loss(ft12, db.session.get(Subcontract, sub["id"]),
                             db.session.get(User, team["ids"]["eng_mgr"]))
    assert len(penalties_of(eapi, team, "P-11")) == 1


def test_settlement_without_a_material_charge_records_no_p11(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import Subcontract

    from .test_money import TEAM_SIGNS
    from .test_subcontracts_money import cable, note, set_state, signed_subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, Subcontract, sub["id"], "in_progress")
    note(team, eapi, sub["id"], "issue", [cable("1000")])
    note(team, eapi, sub["id"], "installed", [cable("970")])         # exactly the 3 % allowance
    set_state(app, EngProject, pid, "closing")
    status, doc = eapi(team, "pe", "post", "ft12", {"project_id": pid, "subcontract_id": sub["id"],
                                                    "declared_amount": "45000", "retention_pct": "5"})
    assert status == 201 and doc["lines"] == []
    for who, name, values in (("pe", "submit", TEAM_SIGNS), ("eng_mgr", "review", {"verified_amount": "45000"}),
                              ("eng_mgr", "owner_approve", {"verified_amount": "45000"})):
        assert eapi(team, who, "post", f"ft12/{doc['id']}/transitions/{name}", values)[0] == 200
    assert penalties_of(eapi, team, "P-11") == []


# ---- 5. WF-E09 cadence: inward supervision reports per subcontract in progress ---------------------
def test_supervision_reports_are_reminded_per_subcontract_in_progress(app, team, eapi, teams):  # noqa: F811
    from modules.engineering.projects import EngProject
    from modules.engineering.subcontracts import (
        Subcontract,
        supervision_report_reminders,
    )

    from .test_subcontracts_money import set_state, signed_subcontract
    pid, sub = signed_subcontract(app, team, eapi, teams)            # start_on 2026-12-15
    set_state(app, EngProject, pid, "in_construction")
    pe = team["ids"]["pe"]
    now = datetime(2026, 12, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))    # Wednesday

    def due():
        with app.app_context():
            return {r.key.split(":")[0].rsplit(".", 1)[1] + ":" + r.key.split(":")[2]: r
                    for r in supervision_report_reminders(now)}
    assert due() == {}                                                # signed, not in progress yet
    set_state(app, Subcontract, sub["id"], "in_progress")
    reminders = due()
    assert sorted(reminders) == ["ft17:2026-12", "ft18:2026-12-14", "ft18:2026-12-21"]
    assert all(r.user_id == pe for r in reminders.values())
    # Due with the engineer's weekly report (Friday 18:00 by default) and the month's last working day.
    assert reminders["ft18:2026-12-21"].due_at.astimezone(ZoneInfo("Asia/Shanghai")).date() == date(2026, 12, 25)
    assert reminders["ft17:2026-12"].due_at.astimezone(ZoneInfo("Asia/Shanghai")).date() == date(2026, 12, 31)
    team_name = sub["team_title"]
    body = {"project_id": pid, "relation": "inward", "team_name": team_name, "work_done": "三层水平布线",
            "progress": "正常", "quality_safety": "抽检合格", "issues": "无", "next_week": "四层布线"}
    assert eapi(team, "pe", "post", "ft18", {**body, "week_from": "2026-12-14", "week_to": "2026-12-20"})[0] == 201
    # Another team's or an outward report does not count.
    assert eapi(team, "pe", "post", "ft18", {**body, "team_name": "别的施工队", "week_from": "2026-12-21",
                                             "week_to": "2026-12-27"})[0] == 201
    assert eapi(team, "pe", "post", "ft18", {**body, "relation": "outward", "week_from": "2026-12-21",
                                             "week_to": "2026-12-27"})[0] == 201
    assert sorted(due()) == ["ft17:2026-12", "ft18:2026-12-21"]
    status, doc = eapi(team, "pe", "post", "ft17", {"project_id": pid, "relation": "inward", "team_name": team_name,
                                                    "month": "2026-12", "progress": "x", "quality": "x",
                                                    "safety": "x", "problems": "x", "next_month": "x"})
    assert status == 201, doc
    assert sorted(due()) == ["ft18:2026-12-21"]
    # A week ended before the subcontract's start is not asked for.
    with app.app_context():
        db.session.get(Subcontract, sub["id"]).start_on = date(2026, 12, 21)
        db.session.commit()
    assert sorted(due()) == ["ft18:2026-12-21"]
    # Settled: nothing more.
    set_state(app, Subcontract, sub["id"], "settled")
    assert due() == {}


def test_a_fine_confirmed_after_the_assessment_was_begun_updates_the_draft(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    t = approved_team(app, team, eapi)
    tid = party_of(app, t["id"])
    doc = assess(team, eapi, t["id"], "2026-12", "90")
    assert Decimal(doc["total"]) == Decimal(90) and doc["grade"] == "A"
    fine = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-12-04")          # 200
    act(team, eapi, "pe", fine, "notify")
    act(team, eapi, "pe", fine, "acknowledge", ack_name="刘建国")
    assert act(team, eapi, "eng_mgr", fine, "confirm")[0] == 200
    doc = eapi(team, "pe", "get", f"team_assessment/{doc['id']}")[1]
    assert Decimal(doc["penalty_points"]) == Decimal(2) and Decimal(doc["total"]) == Decimal(88)
    assert doc["grade"] == "B"
