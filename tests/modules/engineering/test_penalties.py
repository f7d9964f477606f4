"""Penalties (工程部处罚条例, SPEC 3.3.4; WF-E08): the catalogue is data, a penalty's sanction comes
from its item (severity, percentage, repetition), it goes proposed → notified → appealed →
confirmed (the 总经理 from 2000 CNY) → executed → closed, team fines wait as deductions pending
until a payment deducts them, and evidence proposes penalties by itself."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def make_team(app, name="深圳市宏达布线施工队"):
    from core.parties import services
    with app.app_context():
        party = services.create_party(name, ("construction_team",))
        db.session.commit()
        return party.id


def item_id(app, code):
    from modules.engineering.penalties import PenaltyItem
    with app.app_context():
        return db.session.scalar(select(PenaltyItem.id).where(PenaltyItem.code == code))


def propose(app, team, eapi, code="P-08", who="pe", expect=201, **values):
    body = {"item_id": item_id(app, code), "occurred_on": "2026-12-07", "facts": "客户投诉现场施工噪音", **values}
    if "team_party_id" in values:
        body.setdefault("target_type", "team")
    else:
        body.setdefault("target_type", "staff")
        body.setdefault("person_id", team["ids"]["pe2"])
    status, doc = eapi(team, who, "post", "penalty", body)
    assert status == expect, doc
    return doc


def act(team, eapi, who, doc, name, **body):
    return eapi(team, who, "post", f"penalty/{doc['id']}/transitions/{name}", body)


def test_catalogue_is_seeded_from_the_spec_and_editable_by_the_manager(app, team, eapi, eweb):
    status, page = eapi(team, "eng_mgr", "get", "penalty_item?size=50")
    assert status == 200
    items = {row["code"]: row for row in page["items"]}
    assert [f"P-{n:02d}" for n in range(1, 17)] == sorted(items)
    p03 = eapi(team, "eng_mgr", "get", f"penalty_item/{items['P-03']['id']}")[1]
    assert (p03["fine_minor"], p03["fine_major"], p03["fine_serious"]) == ("200.00", "800.00", "2000.00")
    assert p03["source"] == "engineering"
    status, edited = eapi(team, "eng_mgr", "patch", f"penalty_item/{p03['id']}",
                          {"version": p03["version"], "fine_minor": "300"})
    assert status == 200 and edited["fine_minor"] == "300.00"
    # Seeding again keeps the manager's value and adds nothing.
    from modules.engineering.penalties import seed_catalogue
    with app.app_context():
        assert seed_catalogue() == 0
    assert eapi(team, "eng_mgr", "get", f"penalty_item/{p03['id']}")[1]["fine_minor"] == "300.00"
    # A code is unique; engineers read the catalogue but do not edit it.
    status, body = eapi(team, "eng_mgr", "post", "penalty_item", {"code": "P-03", "description": "重复", "target": "team"})
    assert status == 422 and "code" in body["fields"]
    assert eapi(team, "pe", "patch", f"penalty_item/{p03['id']}", {"version": edited["version"],
                                                                   "fine_minor": "1"})[0] == 403
    assert eweb("eng_mgr").get(f"/engineering/penalty_item/{p03['id']}/edit").status_code == 200


def test_sanction_from_the_item_staff_points_team_fine_severity_and_percentage(app, team, eapi):
    tid = make_team(app)
    staff = propose(app, team, eapi, "P-08")
    assert staff["points"] == "5.0000" and staff["fine"] is None and staff["state"] == "proposed"
    assert staff["number"].startswith("CF-")
    fine = propose(app, team, eapi, "P-08", team_party_id=tid)
    assert fine["fine"] == "500.00" and fine["points"] is None
    serious = propose(app, team, eapi, "P-03", team_party_id=tid, severity="serious")
    assert serious["fine"] == "2000.00" and serious["needs_gm"] is True
    minor = propose(app, team, eapi, "P-03", team_party_id=tid)
    assert minor["severity"] == "minor" and minor["fine"] == "200.00" and minor["needs_gm"] is False
    staff_major = propose(app, team, eapi, "P-03", severity="major")
    assert staff_major["points"] == "5.0000"
    # P-05: 5 % of the subcontract value, at least 1000; P-07: 0.1 % a day, capped at 10 %.
    assert propose(app, team, eapi, "P-05", team_party_id=tid, subcontract_value="100000")["fine"] == "5000.00"
    assert propose(app, team, eapi, "P-05", team_party_id=tid, subcontract_value="10000")["fine"] == "1000.00"
    assert propose(app, team, eapi, "P-07", team_party_id=tid, subcontract_value="100000",
                   quantity=5)["fine"] == "500.00"
    assert propose(app, team, eapi, "P-07", team_party_id=tid, subcontract_value="100000",
                   quantity=200)["fine"] == "10000.00"
    # Unhappy paths name the field; nothing saved.
    body = propose(app, team, eapi, "P-05", team_party_id=tid, expect=422)
    assert "subcontract_value" in body["fields"]
    body = propose(app, team, eapi, "P-07", expect=422)                     # a team-only item
    assert "target_type" in body["fields"]
    body = propose(app, team, eapi, "P-08", target_type="team", expect=422)
    assert "team_party_id" in body["fields"]
    body = propose(app, team, eapi, "P-08", facts="", expect=422)
    assert "facts" in body["fields"]
    other = make_party_other(app)
    assert propose(app, team, eapi, "P-08", team_party_id=other, expect=422)["fields"]
    # Who may propose: engineers and the manager, not sales nor the team's other departments.
    propose(app, team, eapi, "P-08", who="eng_mgr")
    propose(app, team, eapi, "P-08", who="am", expect=403)


def make_party_other(app):
    from core.parties import services
    with app.app_context():
        party = services.create_party("某客户公司", ("customer",))
        db.session.commit()
        return party.id


def test_workflow_staff_penalty_notified_acknowledged_confirmed_executed_closed(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    doc = propose(app, team, eapi, "P-08")
    assert act(team, eapi, "am", doc, "notify")[0] in (403, 404)
    status, doc = act(team, eapi, "pe", doc, "notify")
    assert status == 200 and doc["state"] == "notified" and doc["notified_on"] == "2026-12-07"
    # Only the person acknowledges his own penalty.
    status, body = act(team, eapi, "pe", doc, "acknowledge")
    assert status == 422 and "WF-E08" in body["rules"]
    status, doc = act(team, eapi, "pe2", doc, "acknowledge")
    assert status == 200 and doc["ack_on"] == "2026-12-07" and doc["state"] == "notified"
    # Engineers do not confirm; the manager does (below the GM threshold).
    assert act(team, eapi, "pe", doc, "confirm")[0] == 403
    status, doc = act(team, eapi, "eng_mgr", doc, "confirm")
    assert status == 200 and doc["state"] == "confirmed" and doc["decided_on"] == "2026-12-07"
    assert act(team, eapi, "pe", doc, "execute", executed_in="2026-12 考核")[0] == 403
    status, body = act(team, eapi, "eng_mgr", doc, "execute")
    assert status == 422 and "executed_in" in str(body)
    status, doc = act(team, eapi, "eng_mgr", doc, "execute", executed_in="2026年12月考核")
    assert status == 200 and doc["state"] == "executed" and doc["executed_in"] == "2026年12月考核"
    status, doc = act(team, eapi, "eng_mgr", doc, "close")
    assert status == 200 and doc["state"] == "closed"


def row_of(page: str, link: str) -> str:
    """The inbox's table row of the document at `link`."""
    start = page.index(link)
    return page[page.rfind("<tr", 0, start):page.index("</tr>", start)]


def test_a_proposed_penalty_waits_in_the_managers_inbox(app, team, eapi, eweb, clock):
    """Issue 18: the engineer who proposed may notify it himself, yet the proposal waits in the
    工程部经理's 待我处理 (and in nobody else's) until it is notified or withdrawn."""
    clock("2026-12-07 10:00")
    doc = propose(app, team, eapi, "P-08")
    link = f"/engineering/penalty/{doc['id']}"
    inbox = {name: eweb(name).get("/inbox").get_data(as_text=True) for name in ("eng_mgr", "pe", "pe2", "gm")}
    assert link in inbox["eng_mgr"] and "Notify" in row_of(inbox["eng_mgr"], link)
    assert link not in inbox["pe"] + inbox["pe2"] + inbox["gm"]
    # The engineer still notifies his own proposal; the manager then waits to confirm it.
    status, doc = act(team, eapi, "pe", doc, "notify")
    assert status == 200 and doc["state"] == "notified"
    row = row_of(eweb("eng_mgr").get("/inbox").get_data(as_text=True), link)
    assert "Confirm" in row and "Notify" not in row
    # One the manager proposed himself is his to notify too.
    own = propose(app, team, eapi, "P-08", who="eng_mgr")
    assert f"/engineering/penalty/{own['id']}" in eweb("eng_mgr").get("/inbox").get_data(as_text=True)


def test_appeal_within_three_working_days_refused_on_the_fourth(app, team, eapi, clock):
    clock("2026-12-07 10:00")                                  # Monday
    first, second = propose(app, team, eapi, "P-08"), propose(app, team, eapi, "P-08")
    for doc in (first, second):
        assert act(team, eapi, "pe", doc, "notify")[1]["state"] == "notified"
    clock("2026-12-10 17:00")                                  # Thursday: the 3rd working day
    status, doc = act(team, eapi, "pe2", first, "appeal", appeal="噪音是业主方设备造成的")
    assert status == 200 and doc["state"] == "appealed" and doc["appeal"] == "噪音是业主方设备造成的"
    clock("2026-12-11 09:00")                                  # Friday: the 4th working day
    status, body = act(team, eapi, "pe2", second, "appeal", appeal="不同意")
    assert status == 422 and "WF-E08" in body["rules"] and "2026-12-10" in body["error"]
    # Nobody appeals for someone else; after the period the manager confirms without an acknowledgement.
    assert act(team, eapi, "pe", first, "withdraw", comment="")[0] == 403
    status, doc = act(team, eapi, "eng_mgr", first, "withdraw", comment="申诉成立")
    assert status == 200 and doc["state"] == "withdrawn"
    status, doc = act(team, eapi, "eng_mgr", second, "confirm")
    assert status == 200 and doc["state"] == "confirmed"


def test_appeal_window_counts_working_days_over_a_weekend(app, team, eapi, clock):
    clock("2026-12-10 10:00")                                  # Thursday
    doc = propose(app, team, eapi, "P-08")
    act(team, eapi, "pe", doc, "notify")
    # Not acknowledged: not confirmed while the period runs (Fri, Mon, Tue).
    status, body = act(team, eapi, "eng_mgr", doc, "confirm")
    assert status == 422 and "WF-E08" in body["rules"]
    clock("2026-12-15 17:00")                                  # Tuesday: 3rd working day
    assert act(team, eapi, "pe2", doc, "appeal", appeal="申诉")[0] == 200


def test_general_manager_confirms_from_2000(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    tid = make_team(app)
    below = propose(app, team, eapi, "P-03", team_party_id=tid, severity="major")   # 800
    at = propose(app, team, eapi, "P-03", team_party_id=tid, severity="serious")    # 2000
    for doc in (below, at):
        act(team, eapi, "pe", doc, "notify")
        status, doc = act(team, eapi, "pe", doc, "acknowledge", ack_name="刘建国")
        assert status == 200 and doc["ack_name"] == "刘建国"
    status, body = act(team, eapi, "eng_mgr", at, "confirm")
    assert status == 422 and at["id"] and body["error"]
    assert act(team, eapi, "eng_mgr", at, "confirm_gm")[0] == 403
    status, doc = act(team, eapi, "gm", at, "confirm_gm")
    assert status == 200 and doc["state"] == "confirmed"
    status, doc = act(team, eapi, "eng_mgr", below, "confirm")
    assert status == 200 and doc["state"] == "confirmed"
    # A team's acknowledgement names its leader.
    other = propose(app, team, eapi, "P-08", team_party_id=tid)
    act(team, eapi, "pe", other, "notify")
    status, body = act(team, eapi, "pe", other, "acknowledge")
    assert status == 422 and "ack_name" in str(body)


def test_settings_change_the_threshold(app, team, eapi):
    from core import settings
    with app.app_context():
        settings.set_many({"eng.penalty_gm_threshold": "500"})
        db.session.commit()
    tid = make_team(app)
    assert propose(app, team, eapi, "P-08", team_party_id=tid)["needs_gm"] is True       # 500
    assert propose(app, team, eapi, "P-03", team_party_id=tid)["needs_gm"] is False      # 200


def confirmed_on(app, penalty_id, day):
    from modules.engineering.penalties import Penalty
    with app.app_context():
        penalty = db.session.get(Penalty, penalty_id)
        penalty.state, penalty.decided_on = "confirmed", day
        db.session.commit()


def test_repetition_doubles_inside_the_window_not_after(app, team, eapi):
    tid = make_team(app)
    first = propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-06-01")
    confirmed_on(app, first["id"], date(2026, 6, 10))
    inside = propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-12-10")      # 6 months to the day
    assert inside["repeat_count"] == 1 and inside["fine"] == "1000.00"
    after = propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-12-11")       # the day after
    assert after["repeat_count"] == 0 and after["fine"] == "500.00"
    # Another item or another team is no repetition; a staff repetition doubles the points.
    assert propose(app, team, eapi, "P-16", team_party_id=tid, occurred_on="2026-12-10")["fine"] == "500.00"
    assert propose(app, team, eapi, "P-08", team_party_id=make_team(app, "另一施工队"),
                   occurred_on="2026-12-10")["fine"] == "500.00"
    staff = propose(app, team, eapi, "P-08", occurred_on="2026-08-01")
    confirmed_on(app, staff["id"], date(2026, 8, 3))
    assert propose(app, team, eapi, "P-08", occurred_on="2026-12-01")["points"] == "10.0000"
    # A withdrawn earlier penalty does not count.
    from modules.engineering.penalties import Penalty
    with app.app_context():
        db.session.get(Penalty, first["id"]).state = "withdrawn"
        db.session.commit()
    assert propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-12-10")["fine"] == "500.00"


def test_pending_team_deductions_and_mark_deducted(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    tid, other = make_team(app), make_team(app, "另一施工队")
    pid = make_project(app, team, state="in_construction")
    docs = [propose(app, team, eapi, "P-08", team_party_id=tid, project_id=pid),
            propose(app, team, eapi, "P-16", team_party_id=tid),
            propose(app, team, eapi, "P-08", team_party_id=other)]
    for doc in docs:
        act(team, eapi, "pe", doc, "notify")
        act(team, eapi, "pe", doc, "acknowledge", ack_name="刘建国")
        assert act(team, eapi, "eng_mgr", doc, "confirm")[1]["state"] == "confirmed"
    from core.auth.models import User
    from modules.engineering.penalties import (
        Penalty,
        mark_deducted,
        pending_team_deductions,
    )
    with app.app_context():
        assert [p.id for p in pending_team_deductions(tid)] == [docs[0]["id"], docs[1]["id"]]
        assert [p.id for p in pending_team_deductions(tid, project_id=pid)] == [docs[0]["id"]]
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        mark_deducted(pending_team_deductions(tid), "GC10-2026-0003", manager)
        db.session.commit()
        assert pending_team_deductions(tid) == []
        done = db.session.get(Penalty, docs[0]["id"])
        assert done.state == "executed" and done.executed_in == "GC10-2026-0003"
        assert [p.id for p in pending_team_deductions(other)] == [docs[2]["id"]]
    history = eapi(team, "eng_mgr", "get", f"penalty/{docs[0]['id']}/history")[1]
    assert "deduct" in str(history)


def test_staff_points_set_based(app, team, eapi):
    from sqlalchemy import event

    from modules.engineering.penalties import staff_points
    a = propose(app, team, eapi, "P-08")                                          # 5 points for pe2
    b = propose(app, team, eapi, "P-01", person_id=team["ids"]["pe"], quantity=2)  # 2 points for pe
    propose(app, team, eapi, "P-16")                                              # proposed only: not counted
    confirmed_on(app, a["id"], date(2026, 12, 3))
    confirmed_on(app, b["id"], date(2026, 11, 30))
    ids = [team["ids"]["pe"], team["ids"]["pe2"], team["ids"]["eng_mgr"]]
    with app.app_context():
        statements = []

        def listener(*args):
            statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            points = staff_points(ids, date(2026, 12, 1), date(2026, 12, 31))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) == 1
        assert points == {team["ids"]["pe"]: Decimal(0), team["ids"]["pe2"]: Decimal(5),
                          team["ids"]["eng_mgr"]: Decimal(0)}
        assert staff_points(ids, date(2026, 11, 1), date(2026, 12, 31))[team["ids"]["pe"]] == Decimal(2)


def test_visibility_engineer_sees_his_own_and_those_he_proposed(app, team, eapi):
    mine = propose(app, team, eapi, "P-08", who="eng_mgr", person_id=team["ids"]["pe"])   # against pe
    proposed = propose(app, team, eapi, "P-08", who="pe")                                # by pe, against pe2
    others = propose(app, team, eapi, "P-16", who="eng_mgr", person_id=team["ids"]["pe2"])
    tid = make_team(app)
    fine = propose(app, team, eapi, "P-08", who="eng_mgr", team_party_id=tid)

    def seen(who):
        status, page = eapi(team, who, "get", "penalty?size=50")
        assert status == 200
        return {row["id"] for row in page["items"]}
    assert seen("pe") == {mine["id"], proposed["id"]}
    assert seen("pe2") == {proposed["id"], others["id"]}
    assert seen("eng_mgr") == seen("gm") == {mine["id"], proposed["id"], others["id"], fine["id"]}
    assert eapi(team, "pe", "get", f"penalty/{others['id']}")[0] == 404
    assert eapi(team, "am", "get", "penalty")[0] == 403
    assert eapi(team, "buyer", "get", f"penalty/{fine['id']}")[0] in (403, 404)


def test_rules_listed(app, team):
    from core import rules
    with app.app_context():
        declared = rules.declared()
        assert {f"P-{n:02d}" for n in range(1, 17)} <= set(declared)
        assert declared["P-03"][1].kind == "penalty"


# ---- automatic proposals from evidence ----------------------------------------------------------
def penalties_of(team, eapi, reference):
    page = eapi(team, "eng_mgr", "get", "penalty?size=50")[1]
    return [eapi(team, "eng_mgr", "get", f"penalty/{row['id']}")[1] for row in page["items"]
            if row["evidence_ref"] == reference]


def quality_notice(app, team, eapi, severity="ordinary", team_name="宏达布线施工队", relation="inward"):
    from .test_forms import SUPERVISOR_PAPER
    from .test_forms_flow import new, step
    pid = make_project(app, team, state="in_construction")
    notice = new(team, eapi, "ft16", {"project_id": pid, "relation": relation, "team_name": team_name,
                                      "found_at": "2026-12-07T10:00", "location": "三层弱电间",
                                      "description": "线缆未绑扎、无标签", "severity": severity,
                                      "rectify_requirement": "按规范绑扎并贴标签", "rectify_due": "2026-12-09"})
    return pid, step(team, eapi, "ft16", notice, "issue", SUPERVISOR_PAPER if relation == "outward" else {})


@pytest.mark.parametrize(("severity", "expected", "fine"), [("ordinary", "minor", "200.00"),
                                                             ("major", "major", "800.00"),
                                                             ("serious", "serious", "2000.00")])
def test_issued_quality_notice_proposes_p03_by_severity(app, team, eapi, clock, severity, expected, fine):
    clock("2026-12-07 11:00")
    tid = make_team(app, "宏达布线施工队")
    pid, notice = quality_notice(app, team, eapi, severity)
    [penalty] = penalties_of(team, eapi, notice["number"])
    assert penalty["item_id"] == item_id(app, "P-03") and penalty["state"] == "proposed"
    assert penalty["team_party_id"] == tid and penalty["project_id"] == pid and penalty["target_type"] == "team"
    assert penalty["severity"] == expected and penalty["fine"] == fine
    assert penalty["occurred_on"] == "2026-12-07" and penalty["owner"] == "pe"


def test_no_proposal_for_an_unknown_team_or_an_outward_notice_and_never_twice(app, team, eapi, clock):
    clock("2026-12-07 11:00")
    make_team(app, "宏达布线施工队")
    _pid, unknown = quality_notice(app, team, eapi, team_name="不在名录的施工队")
    assert penalties_of(team, eapi, unknown["number"]) == []
    _pid, outward = quality_notice(app, team, eapi, relation="outward", team_name="")
    assert penalties_of(team, eapi, outward["number"]) == []
    # The same evidence raised again proposes nothing more.
    _pid, notice = quality_notice(app, team, eapi)
    from core.auth.models import User
    from modules.engineering.forms import built
    from modules.engineering.hookspecs import PenaltyEvent
    from modules.engineering.penalties import propose_from, team_named
    with app.app_context():
        doc = db.session.get(built("ft16").model, notice["id"])
        event = PenaltyEvent("ft16_issued", project=doc.eng_project, document=doc, reference=doc.number,
                             team_party_id=team_named(doc.team_name), severity="minor")
        assert propose_from(event, db.session.get(User, team["ids"]["pe"])) == []
        db.session.commit()
    assert len(penalties_of(team, eapi, notice["number"])) == 1


def test_quality_incident_of_a_team_proposes_p05(app, team, eapi, clock):
    from .test_forms import TEAM_PAPER
    from .test_forms_flow import new, step
    clock("2026-12-07 11:00")
    tid = make_team(app, "宏达布线施工队")
    pid = make_project(app, team, state="in_construction")
    doc = new(team, eapi, "ft14", {
        "project_id": pid, "relation": "inward", "team_name": "宏达布线施工队", "occurred_at": "2026-12-05T15:00",
        "location": "二层机房", "description": "机柜搬运时砸坏防静电地板", "severity": "major", "cause": "搬运未铺保护板",
        "responsible": "team", "responsible_name": "宏达布线施工队", "loss": "3200", "handling_plan": "更换地板 6 块",
        "preventive": "搬运前铺设保护板", "rectify_due": "2026-12-10"})
    doc = step(team, eapi, "ft14", doc, "submit", TEAM_PAPER)
    [penalty] = penalties_of(team, eapi, doc["number"])
    assert penalty["item_id"] == item_id(app, "P-05") and penalty["team_party_id"] == tid
    # The subcontract value is not known yet: the minimum (1000), until the engineer gives it.
    assert penalty["fine"] == "1000.00" and penalty["occurred_on"] == "2026-12-05"
    status, edited = eapi(team, "pe", "patch", f"penalty/{penalty['id']}",
                          {"version": penalty["version"], "subcontract_value": "100000"})
    assert status == 200 and edited["fine"] == "5000.00" and edited["needs_gm"] is True


def test_late_weekly_report_proposes_p01_on_time_does_not(app, team, eapi, clock):
    clock("2026-12-09 10:00")
    make_project(app, team, state="in_construction")
    status, report = eapi(team, "pe", "post", "weekly_report", {"week_start": "2026-12-09"})
    assert status == 201, report
    rows = [{**report["project_work"][0], "work_done": "三层桥架完成", "person_days": "3"}]
    status, report = eapi(team, "pe", "patch", f"weekly_report/{report['id']}", {
        "version": report["version"], "project_work": rows, "next_week": "四层布线"})
    assert status == 200, report
    clock("2026-12-11 18:30")                                      # after Friday 18:00
    status, report = eapi(team, "pe", "post", f"weekly_report/{report['id']}/transitions/submit", {})
    assert status == 200 and report["submitted_late"] is True
    [penalty] = penalties_of(team, eapi, report["number"])
    assert penalty["item_id"] == item_id(app, "P-01") and penalty["person_id"] == team["ids"]["pe"]
    assert penalty["points"] == "1.0000" and penalty["target_type"] == "staff"
    # pe2 hands his in on time: nothing.
    make_project(app, team, state="in_construction", engineer="pe2")
    clock("2026-12-11 10:00")
    status, other = eapi(team, "pe2", "post", "weekly_report", {"week_start": "2026-12-09"})
    rows = [{**other["project_work"][0], "work_done": "布线", "person_days": "2"}]
    other = eapi(team, "pe2", "patch", f"weekly_report/{other['id']}", {
        "version": other["version"], "project_work": rows, "next_week": "端接"})[1]
    status, other = eapi(team, "pe2", "post", f"weekly_report/{other['id']}/transitions/submit", {})
    assert status == 200 and other["submitted_late"] is False
    assert penalties_of(team, eapi, other["number"]) == []


def test_third_code_breach_in_six_months_proposes_removal_to_the_manager(app, team, eapi, clock):
    from core.reminders.models import Notification
    clock("2026-12-07 10:00")
    tid = make_team(app)
    docs = [propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on=day)
            for day in ("2026-12-01", "2026-12-02", "2026-12-03")]
    confirmed_on(app, docs[0]["id"], date(2026, 6, 1))                # outside the 6 months
    confirmed_on(app, docs[1]["id"], date(2026, 11, 2))

    def removal_notices():
        with app.app_context():
            return db.session.query(Notification).filter(Notification.key.like("engineering.penalty.removal:%"),
                                                         Notification.user_id == team["ids"]["eng_mgr"]).count()
    act(team, eapi, "pe", docs[2], "notify")
    act(team, eapi, "pe", docs[2], "acknowledge", ack_name="刘建国")
    assert act(team, eapi, "eng_mgr", docs[2], "confirm")[0] == 200
    assert removal_notices() == 0                                     # 2 in 6 months
    confirmed_on(app, docs[0]["id"], date(2026, 7, 1))
    fourth = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-12-04")
    act(team, eapi, "pe", fourth, "notify")
    act(team, eapi, "pe", fourth, "acknowledge", ack_name="刘建国")
    assert act(team, eapi, "eng_mgr", fourth, "confirm")[0] == 200
    assert removal_notices() == 1


# ---- dashboard, reminders, pages ----------------------------------------------------------------
def test_dashboard_this_month_for_the_manager_and_my_penalties_for_engineers(app, team, eapi, eweb, clock):
    clock("2026-12-07 10:00")
    tid = make_team(app)
    fine = propose(app, team, eapi, "P-08", team_party_id=tid)
    staff = propose(app, team, eapi, "P-08")
    propose(app, team, eapi, "P-16")
    confirmed_on(app, fine["id"], date(2026, 12, 3))
    confirmed_on(app, staff["id"], date(2026, 12, 4))
    from core.auth.models import User
    from modules.engineering.penalties import erp_dashboard_widgets
    with app.test_request_context():
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        [widget] = erp_dashboard_widgets(manager)
        assert widget.value == 2 and "500.00" in widget.body and "5" in widget.body and "1" in widget.body
        [mine] = erp_dashboard_widgets(db.session.get(User, team["ids"]["pe2"]))
        assert mine.value == 2 and staff["number"] in str(mine.items)
        [none] = erp_dashboard_widgets(db.session.get(User, team["ids"]["pe"]))
        assert none.value == 0
        assert erp_dashboard_widgets(db.session.get(User, team["ids"]["am"])) == []
    for who in ("eng_mgr", "pe2", "gm"):
        assert eweb(who).get("/").status_code == 200


def test_reminders_acknowledgement_and_appeal(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    tid = make_team(app)
    staff, fine, appealed = (propose(app, team, eapi, "P-08"), propose(app, team, eapi, "P-08", team_party_id=tid),
                             propose(app, team, eapi, "P-16"))
    for doc in (staff, fine, appealed):
        act(team, eapi, "pe", doc, "notify")
    act(team, eapi, "pe2", appealed, "appeal", appeal="不是我造成的")
    from datetime import datetime

    from modules.engineering.penalties import erp_reminders
    with app.test_request_context():
        items = erp_reminders(datetime(2026, 12, 7, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    keys = {(r.key.split(":")[0], r.user_id) for r in items}
    assert ("engineering.penalty.ack", team["ids"]["pe2"]) in keys            # the person
    assert ("engineering.penalty.ack", team["ids"]["pe"]) in keys             # the proposer, for the team
    assert ("engineering.penalty.appeal", team["ids"]["eng_mgr"]) in keys
    ack = next(r for r in items if r.key.startswith(f"engineering.penalty.ack:{staff['id']}:"))
    assert ack.due_at.date() == date(2026, 12, 10)
    assert not any(r.key.startswith(f"engineering.penalty.ack:{appealed['id']}:") for r in items)


def test_web_pages_create_and_act(app, team, eweb):
    browser = eweb("pe")
    assert browser.get("/engineering/penalty/").status_code == 200
    page = browser.get("/engineering/penalty/new")
    assert page.status_code == 200 and "P-03" in page.get_data(as_text=True)
    assert eweb("am").get("/engineering/penalty/").status_code == 403
    assert eweb("eng_mgr").get("/engineering/penalty_item/").status_code == 200


def test_demo_penalties_in_every_state_one_doubled(app, team):
    from core.auth.models import User
    from modules.engineering.penalties import Penalty, demo, pending_team_deductions
    make_project(app, team, state="in_construction")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr", "gm")}
        made = demo(users)
        assert {p.state for p in made} == {"proposed", "notified", "appealed", "confirmed", "withdrawn", "executed",
                                           "closed"}
        assert {p.target_type for p in made} == {"staff", "team"}
        doubled = [p for p in made if p.repeat_count]
        assert len(doubled) == 1 and doubled[0].fine == Decimal("400.00") and doubled[0].state == "executed"
        assert any(pending_team_deductions(p.team_party_id) for p in made if p.target_type == "team")
        assert demo(users) == []                                             # runs once
        assert db.session.scalar(select(db.func.count(Penalty.id))) == len(made)


def test_gm_threshold_just_below_and_at_2000(app, team, eapi):
    tid = make_team(app)
    below = propose(app, team, eapi, "P-05", team_party_id=tid, subcontract_value="39999.80")
    assert below["fine"] == "1999.99" and below["needs_gm"] is False
    at = propose(app, team, eapi, "P-05", team_party_id=tid, subcontract_value="40000")
    assert at["fine"] == "2000.00" and at["needs_gm"] is True
    # A termination is the general manager's whatever the fine (P-14 on a team).
    assert propose(app, team, eapi, "P-14", team_party_id=tid)["needs_gm"] is True


def test_refused_proposal_saves_nothing_and_evidence_is_attached(app, team, eapi, eweb):
    import io

    from modules.engineering.penalties import Penalty
    with app.app_context():
        before = db.session.scalar(select(db.func.count(Penalty.id)))
    propose(app, team, eapi, "P-08", target_type="team", expect=422)
    propose(app, team, eapi, "P-08", occurred_on="", expect=422)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Penalty.id))) == before
    doc = propose(app, team, eapi, "P-08")
    response = eweb("pe").post(f"/engineering/penalty/{doc['id']}/attachments",
                               data={"file": (io.BytesIO(b"\xff\xd8\xff\xe0 photo"), "现场照片.jpg")},
                               content_type="multipart/form-data")
    assert response.status_code == 302
    page = eweb("eng_mgr").get(f"/engineering/penalty/{doc['id']}").get_data(as_text=True)
    assert "现场照片.jpg" in page


def test_missing_weekly_report_proposes_p01_three_points_once(app, team, eapi, clock):
    clock("2026-12-11 10:00")
    make_project(app, team, state="in_construction")                        # pe: no report
    make_project(app, team, state="in_construction", engineer="pe2")        # pe2: hands his in
    status, report = eapi(team, "pe2", "post", "weekly_report", {"week_start": "2026-12-07"})
    rows = [{**report["project_work"][0], "work_done": "布线", "person_days": "2"}]
    report = eapi(team, "pe2", "patch", f"weekly_report/{report['id']}", {
        "version": report["version"], "project_work": rows, "next_week": "端接"})[1]
    assert eapi(team, "pe2", "post", f"weekly_report/{report['id']}/transitions/submit", {})[0] == 200
    from modules.engineering.penalties import erp_scheduled
    shanghai = ZoneInfo("Asia/Shanghai")
    with app.test_request_context():
        erp_scheduled(datetime(2026, 12, 11, 17, 0, tzinfo=shanghai))      # the week of 12-07 is not due yet
    assert penalties_of(team, eapi, "F-E01 2026-12-07") == []
    clock("2026-12-14 09:00")
    for _run in range(2):
        with app.test_request_context():
            erp_scheduled(datetime(2026, 12, 14, 9, 0, tzinfo=shanghai))
    [penalty] = penalties_of(team, eapi, "F-E01 2026-12-07")
    assert penalty["person_id"] == team["ids"]["pe"] and penalty["points"] == "3.0000"
    assert penalty["owner"] == "eng_mgr" and penalty["item_id"] == item_id(app, "P-01")
    # Handed in late afterwards: not proposed a second time.
    status, late = eapi(team, "pe", "post", "weekly_report", {"week_start": "2026-12-07"})
    assert status == 201, late
    rows = [{**late["project_work"][0], "work_done": "桥架", "person_days": "3"}]
    late = eapi(team, "pe", "patch", f"weekly_report/{late['id']}", {
        "version": late["version"], "project_work": rows, "next_week": "布线"})[1]
    status, late = eapi(team, "pe", "post", f"weekly_report/{late['id']}/transitions/submit", {})
    assert status == 200 and late["submitted_late"] is True
    assert penalties_of(team, eapi, late["number"]) == []


def test_acceptance_refused_for_a_missing_self_check_proposes_p02_once(app, team, eapi):
    from types import SimpleNamespace

    from core import rules
    from modules.engineering.penalties import erp_scheduled
    with app.app_context():
        form = SimpleNamespace(id=7, number="GC20-2026-0007", __doctype__=SimpleNamespace(code="engineering.ft20"))
        for _attempt in range(2):
            rules.record_violation("R-E-041", "refused", user_id=team["ids"]["pe"], document=form,
                                   when=datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        db.session.commit()
    for _run in range(2):
        with app.test_request_context():
            erp_scheduled(datetime(2026, 12, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    [penalty] = penalties_of(team, eapi, "GC20-2026-0007")
    assert penalty["item_id"] == item_id(app, "P-02") and penalty["person_id"] == team["ids"]["pe"]
    assert penalty["points"] == "3.0000" and penalty["occurred_on"] == "2026-12-08"


def test_web_form_proposes_and_the_notice_prints(app, team, eweb):
    from modules.engineering.penalties import Penalty
    tid = make_team(app)
    browser = eweb("pe")
    response = browser.post("/engineering/penalty/new", data={
        "item_id": item_id(app, "P-03"), "target_type": "team", "team_party_id": tid, "occurred_on": "2026-12-07",
        "facts": "桥架接地线未连接", "severity": "major", "quantity": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        penalty = db.session.scalar(select(Penalty).order_by(Penalty.id.desc()).limit(1))
        assert penalty.fine == Decimal("800.00") and penalty.team_party_id == tid and penalty.state == "proposed"
        pid = penalty.id
    # A form error names the field and saves nothing.
    response = browser.post("/engineering/penalty/new", data={
        "item_id": item_id(app, "P-03"), "target_type": "team", "occurred_on": "2026-12-07", "facts": "x"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Penalty.id))) == 1
    page = browser.get(f"/engineering/penalty/{pid}/print").get_data(as_text=True)
    assert "处罚通知单" in page and "800" in page


def test_sanction_set_within_the_items_range(app, team, eapi):
    tid = make_team(app)
    assert propose(app, team, eapi, "P-09", team_party_id=tid)["fine"] == "200.00"            # the lowest
    assert propose(app, team, eapi, "P-09", team_party_id=tid, set_fine="1000")["fine"] == "1000.00"
    body = propose(app, team, eapi, "P-09", team_party_id=tid, set_fine="1000.01", expect=422)
    assert "set_fine" in body["fields"]
    assert "set_fine" in propose(app, team, eapi, "P-09", team_party_id=tid, set_fine="199", expect=422)["fields"]
    assert propose(app, team, eapi, "P-05", set_points="20")["points"] == "20.0000"             # staff 10-20
    assert "set_points" in propose(app, team, eapi, "P-05", set_points="21", expect=422)["fields"]
    # No range: the value set is ignored.
    assert propose(app, team, eapi, "P-08", team_party_id=tid, set_fine="900")["fine"] == "500.00"


def test_appraisal_compliance_points_from_confirmed_staff_penalties(app, team, eapi):
    from modules.engineering.penalties import hr_appraisal_metrics
    a = propose(app, team, eapi, "P-08")                                          # pe2: 5
    b = propose(app, team, eapi, "P-13", quantity=2)                              # pe2: 4
    propose(app, team, eapi, "P-16")                                              # proposed: not counted
    confirmed_on(app, a["id"], date(2026, 12, 3))
    confirmed_on(app, b["id"], date(2026, 12, 4))
    ids = [team["ids"]["pe"], team["ids"]["pe2"]]
    with app.app_context():
        answers = hr_appraisal_metrics(["KPI-COMPLIANCE", "KPI-X"], ids, date(2026, 12, 1), date(2026, 12, 31))
        assert answers == [{"kpi": "KPI-COMPLIANCE", "user_id": team["ids"]["pe2"], "points": Decimal(9),
                            "detail": "工程部处罚 2 次，扣 9 分"}]
        assert hr_appraisal_metrics(["KPI-REPORT-TIMELINESS"], ids, date(2026, 12, 1), date(2026, 12, 31)) == []
        assert hr_appraisal_metrics(["KPI-COMPLIANCE"], ids, date(2026, 11, 1), date(2026, 11, 30)) == []
