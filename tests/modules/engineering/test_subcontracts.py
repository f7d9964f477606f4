"""Subcontract award (WF-E06): the work package and its comparison sheet (X-E06), the award rules
R-E-090..R-E-093, the subcontract's contents (R-E-095, X-E07) and the safety briefing before the
team enters the site (R-E-080, X-E12)."""
from decimal import Decimal

import pytest

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


def make_team(app, name, address="市一中新校区所在市", role="construction_team", state="approved", grade="B",
              insured_days=200, registered=True):
    """A construction team: a party with the role and (`registered`) its entry in the register in
    `state`, graded `grade`, insured for `insured_days` more days, the team code acknowledged."""
    from datetime import date, timedelta

    from core import settings
    from core.auth.models import User
    from core.documents import service
    from core.parties import services as parties
    from modules.engineering.teams import TEAM, ConstructionTeam, save_team
    with app.app_context():
        if not registered or role != "construction_team":
            party = parties.create_party(name, [role], address=address)
            db.session.commit()
            return party.id
        manager = db.session.scalar(db.select(User).where(User.username == "eng_mgr"))
        entry = service.new_document(TEAM, manager)
        entry.title, entry.legal_form, entry.leader_name, entry.phone = name, "labour_team", "刘建国", "13800138000"
        entry.leader_id_no, entry.guarantor = "440301198001010011", "本市建安劳务有限公司"
        entry.work_types = ["cabling"]
        entry.insurance_policy_no, entry.insurance_expiry = "PICC-1", date.today() + timedelta(days=insured_days)
        entry.code_ack_version = str(settings.get("eng.team_code_version"))
        entry.grade, entry.state = grade, state
        save_team(entry)
        service.assign_number(TEAM, entry)
        db.session.add(entry)
        db.session.flush()
        party_id = db.session.scalar(db.select(ConstructionTeam.party_id).where(ConstructionTeam.id == entry.id))
        from core.parties import Party
        db.session.get(Party, party_id).address = address
        db.session.commit()
        return party_id


@pytest.fixture
def teams(app, team):
    return [make_team(app, name) for name in ("宏达弱电施工队", "鑫源布线工程队", "立信安装队", "恒通劳务队")]


def package_body(pid, team_ids, amount="50000", **more):
    return {"project_id": pid, "title": "教学楼综合布线劳务分包", "work_type": "cable_laying",
            "scope": "一至五层水平线缆敷设、信息点安装", "boq": "六类线敷设 米 3000\n信息点安装 个 240",
            "start_from": "2026-12-15", "finish_by": "2027-01-31", "package_amount": amount,
            "quotes": [{"team_id": t} for t in team_ids], **more}


def act(eapi, team, who, path, name, body=None):
    return eapi(team, who, "post", f"{path}/transitions/{name}", body or {})


def package_to_evaluation(app, team, eapi, pid, team_ids, amount, prices, **more):
    status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, team_ids, amount, **more))
    assert status == 201, doc
    path = f"work_package/{doc['id']}"
    status, body = act(eapi, team, "pe", path, "invite")
    assert status == 200, body
    quotes = [{"team_id": q["team_id"], "quoted_amount": p, "schedule_days": 30}
              for q, p in zip(body["quotes"], prices)]
    status, body = eapi(team, "pe", "patch", path, {"quotes": quotes, "version": body["version"]})
    assert status == 200, body
    return doc["id"], body


def test_package_needs_three_quotations_from_the_threshold(app, team, eapi, teams):
    pid = make_project(app, team)
    for amount, needs_three in (("29999", False), ("30000", True), ("30001", True)):
        doc_id, doc = package_to_evaluation(app, team, eapi, pid, teams[:2], amount, ["25000", "26000"])
        status, body = act(eapi, team, "pe", f"work_package/{doc_id}", "evaluate")
        if needs_three:
            assert status == 422 and "R-E-092" in body["rules"], (amount, body)
            assert "quotes" in body["fields"]
        else:
            # below the threshold: a direct award with fewer quotations, with its reason
            assert status == 422 and "direct_award_reason" in body["fields"], body
            status, doc = eapi(team, "pe", "patch", f"work_package/{doc_id}",
                               {"direct_award_reason": "工期紧，该队在本校有施工经验", "version": doc["version"]})
            assert status == 200
            status, body = act(eapi, team, "pe", f"work_package/{doc_id}", "evaluate")
            assert status == 200 and body["state"] == "evaluation", body
    # three quotations at 30000: compared
    doc_id, _doc = package_to_evaluation(app, team, eapi, pid, teams[:3], "30000", ["28000", "27000", "29000"])
    status, body = act(eapi, team, "pe", f"work_package/{doc_id}", "evaluate")
    assert status == 200 and body["state"] == "evaluation"


def award(app, team, eapi, pid, teams, amount, prices, recommended=0, **more):
    doc_id, doc = package_to_evaluation(app, team, eapi, pid, teams[:len(prices)], amount, prices)
    path = f"work_package/{doc_id}"
    assert act(eapi, team, "pe", path, "evaluate")[0] == 200
    status, doc = eapi(team, "pe", "get", path)
    status, doc = eapi(team, "pe", "patch", path, {"recommended_team_id": teams[recommended],
                                                   "version": doc["version"], **more})
    assert status == 200, doc
    return path, doc


def test_award_not_the_cheapest_needs_a_reason_and_the_manager_approves(app, team, eapi, teams):
    pid = make_project(app, team)
    path, doc = award(app, team, eapi, pid, teams, "50000", ["48000", "45000", "47000"], recommended=0)
    assert Decimal(doc["award_amount"]) == Decimal(48000) and doc["needs_gm"] is False
    status, body = act(eapi, team, "pe", path, "submit")
    assert status == 422 and "award_reason" in body["fields"] and "R-E-093" in body["rules"]
    status, doc = eapi(team, "pe", "patch", path, {"award_reason": "该队质量评级连续为A", "version": doc["version"]})
    assert act(eapi, team, "pe", path, "submit")[0] == 200
    # the engineer does not approve; the manager does, and nobody else is asked
    assert act(eapi, team, "pe", path, "approve")[0] == 403
    status, body = act(eapi, team, "eng_mgr", path, "approve", {"comment": "同意"})
    assert status == 200 and body["state"] == "approved", body


@pytest.mark.parametrize("amount,gm", [("99999", False), ("100000", True)])
def test_general_manager_approves_from_the_threshold(app, team, eapi, teams, amount, gm):
    pid = make_project(app, team, amount="500000")
    path, doc = award(app, team, eapi, pid, teams, "120000", [amount, "130000", "140000"])
    assert doc["needs_gm"] is gm
    assert act(eapi, team, "pe", path, "submit")[0] == 200
    status, body = act(eapi, team, "eng_mgr", path, "approve")
    assert status == 200
    assert body["state"] == ("submitted" if gm else "approved"), body
    if gm:
        status, body = act(eapi, team, "gm", path, "approve")
        assert status == 200 and body["state"] == "approved", body


def approve_baseline(app, team, pid, subcontract_budget):
    """An approved cost baseline whose subcontract budget is `subcontract_budget`."""
    from core.auth.models import User
    from core.documents import service
    from modules.engineering.costs import SHEET, CostBudgetLine
    with app.app_context():
        user = db.session.get(User, team["ids"]["pe"])
        sheet = service.new_document(SHEET, user)
        sheet.project_id = pid
        sheet.title = "费用控制表"
        sheet.contract_amount_excl_tax = Decimal(400000)
        sheet.target_margin_pct = Decimal(20)
        sheet.lines = [CostBudgetLine(category="subcontract", budget=Decimal(subcontract_budget)),
                       CostBudgetLine(category="equipment", budget=Decimal(200000))]
        sheet.state = "approved"
        service.assign_number(SHEET, sheet)
        db.session.add(sheet)
        db.session.commit()


def test_award_over_the_labour_budget_goes_to_the_general_manager(app, team, eapi, teams):
    pid = make_project(app, team, amount="500000")
    approve_baseline(app, team, pid, "40000")
    _path, doc = award(app, team, eapi, pid, teams, "50000", ["40001", "45000", "46000"])
    assert Decimal(doc["labour_budget"]) == Decimal(40000) and doc["needs_gm"] is True
    _path2, doc2 = award(app, team, eapi, pid, teams, "50000", ["40000", "45000", "46000"])
    assert doc2["needs_gm"] is False


def test_work_type_kept_by_engineers_is_warned_not_refused(app, team, eapi, teams):
    pid = make_project(app, team)
    status, doc = eapi(team, "pe", "post", "work_package",
                       package_body(pid, teams[:1], "20000", work_type="testing"))
    assert status == 201 and "R-E-090" in doc["work_type_warning"]
    status, body = act(eapi, team, "pe", f"work_package/{doc['id']}", "invite")
    assert status == 200 and body["state"] == "inquiry"


def test_invite_refuses_a_party_that_is_no_construction_team(app, team, eapi, teams):
    pid = make_project(app, team)
    supplier = make_team(app, "华讯网络设备有限公司", role="supplier")
    status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, [teams[0]], "20000"))
    assert status == 201
    with app.app_context():
        from modules.engineering.subcontracts import PackageQuote
        db.session.add(PackageQuote(package_id=doc["id"], team_id=supplier))
        db.session.commit()
    status, body = act(eapi, team, "pe", f"work_package/{doc['id']}", "invite")
    assert status == 422 and "R-E-091" in body["rules"] and "华讯网络设备有限公司" in body["error"], body


def test_without_permission_403(app, team, eapi, teams):
    pid = make_project(app, team)
    assert eapi(team, "am", "post", "work_package", package_body(pid, teams[:1]))[0] == 403
    assert eapi(team, "am", "get", "work_package")[0] == 403


def test_team_invited_once(app, team, eapi, teams):
    pid = make_project(app, team)
    status, body = eapi(team, "pe", "post", "work_package", package_body(pid, [teams[0], teams[0]]))
    assert status == 422 and "quotes" in body["fields"]


CONTENTS = {"pricing": "unit_rates", "start_on": "2026-12-15", "finish_on": "2027-01-31",
            "quality_standard": "GB 50312-2016 综合布线系统工程验收规范", "material_split": "main_company",
            "payment_schedule": "进度款按已核定工程量的70%支付；验收结算后付至95%；5%质保金质保期满无缺陷退还",
            "lines": [{"item": "六类线敷设", "unit": "米", "qty": "3000", "unit_price": "6"},
                      {"item": "信息点安装", "unit": "个", "qty": "240", "unit_price": "80"}]}


def approved_package(app, team, eapi, teams):
    pid = make_project(app, team)
    path, doc = award(app, team, eapi, pid, teams, "50000", ["45000", "48000", "47000"])
    assert act(eapi, team, "pe", path, "submit")[0] == 200
    assert act(eapi, team, "eng_mgr", path, "approve")[0] == 200
    return pid, doc


def signed_subcontract(app, team, eapi, teams):
    pid, package = approved_package(app, team, eapi, teams)
    status, sub = eapi(team, "pe", "post", "subcontract", {"project_id": pid, "package_id": package["id"]})
    assert status == 201, sub
    # filled from the award
    assert sub["team_id"] == teams[0] and Decimal(sub["price"]) == Decimal(45000)
    assert sub["warranty_months"] == 12 and Decimal(sub["retention_pct"]) == Decimal(5)
    assert "保险" in sub["safety_responsibility"] and "处罚条例" in sub["penalty_clause"]
    path = f"subcontract/{sub['id']}"
    status, body = act(eapi, team, "eng_mgr", path, "sign")
    assert status == 422 and "R-E-095" in body["rules"] and "R-E-080" in body["rules"]
    for name in ("quality_standard", "material_split", "payment_schedule", "start_on", "lines", "code_ack"):
        assert name in body["fields"], name
    assert "scope" not in body["fields"] and "price" not in body["fields"]
    status, sub = eapi(team, "pe", "patch", path, {**CONTENTS, "code_ack": True, "leader_sig_name": "张宏达",
                                                   "leader_sig_date": "2026-12-12", "version": sub["version"]})
    assert status == 200, sub
    assert [Decimal(line["amount"]) for line in sub["lines"]] == [Decimal(18000), Decimal(19200)]
    assert act(eapi, team, "pe", path, "sign")[0] == 403      # the 工程部经理 signs
    status, sub = act(eapi, team, "eng_mgr", path, "sign")
    assert status == 200 and sub["state"] == "contracted", sub
    assert sub["manager_sig_by_id"] == team["ids"]["eng_mgr"]
    assert eapi(team, "pe", "get", f"work_package/{package['id']}")[1]["state"] == "contracted"
    return pid, sub


def test_subcontract_states_its_contents_before_it_is_signed(app, team, eapi, teams):
    signed_subcontract(app, team, eapi, teams)


def test_entry_needs_a_confirmed_briefing(app, team, eapi, teams):
    _pid, sub = signed_subcontract(app, team, eapi, teams)
    path = f"subcontract/{sub['id']}"
    status, body = act(eapi, team, "pe", path, "enter")
    assert status == 422 and "R-E-080" in body["rules"], body
    status, brief = eapi(team, "pe", "post", "safety_briefing", {
        "subcontract_id": sub["id"], "briefing_date": "2026-12-14", "topics": ["safety_rules", "work_at_height"],
        "content": "高处作业须系安全带；临时用电由我司电工接驳", "attendees": [
            {"worker": "张宏达", "certificate_no": "电工证 T4403001"}, {"worker": "李四", "certificate_no": "登高证 G001"}]})
    assert status == 201, brief
    status, body = act(eapi, team, "pe", f"safety_briefing/{brief['id']}", "confirm")
    assert status == 422 and "leader_ack" in body["fields"]
    # a draft briefing does not let the team in
    assert act(eapi, team, "pe", path, "enter")[0] == 422
    status, brief = eapi(team, "pe", "patch", f"safety_briefing/{brief['id']}", {
        "leader_ack": True, "leader_sig_name": "张宏达", "version": brief["version"]})
    assert status == 200
    status, brief = act(eapi, team, "pe", f"safety_briefing/{brief['id']}", "confirm")
    assert status == 200 and brief["briefer_sig_by_id"] == team["ids"]["pe"]
    status, body = act(eapi, team, "pe", path, "enter")
    assert status == 200 and body["state"] == "in_progress", body


def test_subcontract_only_of_an_approved_package(app, team, eapi, teams):
    pid = make_project(app, team)
    _path, doc = award(app, team, eapi, pid, teams, "50000", ["45000", "48000", "47000"])
    status, body = eapi(team, "pe", "post", "subcontract", {"project_id": pid, "package_id": doc["id"]})
    assert status == 422 and "package_id" in body["fields"]


def test_subcontract_prints_as_a_contract(app, team, eapi, eweb, teams):
    pid, package = approved_package(app, team, eapi, teams)
    status, sub = eapi(team, "pe", "post", "subcontract", {"project_id": pid, "package_id": package["id"], **CONTENTS})
    assert status == 201
    page = eweb("pe").get(f"/engineering/subcontract/{sub['id']}/print")
    assert page.status_code == 200 and "外包施工合同" in page.get_data(as_text=True)
    assert "宏达弱电施工队" in page.get_data(as_text=True)
    project = eweb("pe").get(f"/engineering/project/{pid}").get_data(as_text=True)
    assert package["number"] in project and sub["number"] in project


def test_demo_data(app, team):
    from core.auth.models import User
    from modules.engineering.subcontracts import demo, material_losses
    make_project(app, team, state="in_construction", amount="420000")
    make_project(app, team, state="planning", amount="265000")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr", "gm")}
        made = demo(users)
        db.session.commit()
        assert [(d.number[:2], d.state) for d in made] == [
            ("FB", "contracted"), ("WB", "in_progress"), ("JD", "confirmed"), ("LL", "confirmed"), ("LL", "confirmed"),
            ("FB", "approved"), ("FB", "submitted")]
        assert made[0].needs_gm and made[1].price == Decimal(118000) == sum(line.amount for line in made[1].lines)
        assert made[5].direct_award_reason and made[6].award_reason
        rows = {row["item"]: row for row in material_losses(made[1].id)}
        assert rows["六类非屏蔽双绞线"]["issued"] == Decimal(6100) and rows["六类非屏蔽双绞线"]["returned"] == Decimal(120)
        assert demo(users) == []        # once


def test_pages_and_form_errors(app, team, eapi, eweb, teams):
    pid = make_project(app, team)
    _status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, teams[:3], "50000"))
    browser = eweb("pe")
    for url in ("/engineering/work_package/", "/engineering/work_package/new", f"/engineering/work_package/{doc['id']}",
                f"/engineering/work_package/{doc['id']}/print", "/engineering/subcontract/", "/engineering/material_note/",
                "/engineering/safety_briefing/"):
        assert browser.get(url).status_code == 200, url
    page = browser.get(f"/engineering/work_package/{doc['id']}").get_data(as_text=True)
    assert "宏达弱电施工队" in page and "鑫源布线工程队" in page
    # a form with the window ending before it starts: refused beside the field, nothing saved
    response = browser.post("/engineering/work_package/new", data={
        "project_id": pid, "quotes-0-team_id": teams[0], "title": "x", "work_type": "cable_laying", "scope": "x", "boq": "x", "start_from": "2027-02-01",
        "finish_by": "2027-01-01", "package_amount": "1000"})
    assert response.status_code == 400 and "The schedule window ends after it starts." in response.get_data(as_text=True)
    assert len(eapi(team, "pe", "get", "work_package")[1]["items"]) == 1
    assert eweb("am").get("/engineering/work_package/").status_code == 403
    spec = browser.get("/api/v1/openapi.json").get_json()
    assert any("/engineering/work_package" in path for path in spec["paths"])
    assert any("/engineering/material_note" in path for path in spec["paths"])


@pytest.mark.parametrize("kind,values,words", [
    ("unregistered", {"registered": False}, "register"),
    ("suspended", {"state": "suspended"}, "R-E-091"),
    ("uninsured", {"insured_days": -1}, "R-E-099"),
    ("low grade", {"grade": "C"}, "below the minimum grade B"),
])
def test_invite_refused_naming_the_team_and_the_reason(app, team, eapi, teams, kind, values, words):
    pid = make_project(app, team)
    bad = make_team(app, f"问题施工队{kind}", **values)
    status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, [teams[0], bad], "20000"))
    assert status == 201, doc
    status, body = act(eapi, team, "pe", f"work_package/{doc['id']}", "invite")
    assert status == 422 and f"问题施工队{kind}" in body["error"] and words in str(body), body
    assert "宏达弱电施工队" not in body["error"]
    assert eapi(team, "pe", "get", f"work_package/{doc['id']}")[1]["state"] == "draft"


def test_grade_shown_and_the_award_checked_again(app, team, eapi, teams):
    from modules.engineering.teams import ConstructionTeam
    pid = make_project(app, team)
    path, _doc = award(app, team, eapi, pid, teams, "50000", ["45000", "48000", "47000"])
    # the recommended team suspended since the invitation: the award is refused
    with app.app_context():
        entry = db.session.scalar(db.select(ConstructionTeam).where(ConstructionTeam.party_id == teams[0]))
        entry.state = "suspended"
        db.session.commit()
    status, body = act(eapi, team, "pe", path, "submit")
    assert status == 422 and "宏达弱电施工队" in body["error"] and "R-E-091" in body["rules"]


def test_entry_refused_when_the_insurance_expired(app, team, eapi, teams):
    from datetime import date, timedelta

    from modules.engineering.subcontracts import (
        BriefingAttendee,
        SafetyBriefing,
        Subcontract,
    )
    from modules.engineering.teams import ConstructionTeam
    _pid, sub = signed_subcontract(app, team, eapi, teams)
    with app.app_context():   # a confirmed briefing, then the insurance runs out
        from core.auth.models import User
        from core.documents import service
        from modules.engineering.subcontracts import BRIEFING
        brief = service.new_document(BRIEFING, db.session.get(User, team["ids"]["pe"]))
        brief.subcontract_id, brief.topics, brief.content = sub["id"], ["safety_rules"], "安全交底"
        brief.leader_ack, brief.leader_sig_name, brief.state = True, "张宏达", "confirmed"
        brief.attendees = [BriefingAttendee(worker="张宏达")]
        brief.project_id, brief.title = db.session.get(Subcontract, sub["id"]).project_id, "交底"
        service.assign_number(BRIEFING, brief)
        db.session.add(brief)
        entry = db.session.scalar(db.select(ConstructionTeam).where(ConstructionTeam.party_id == teams[0]))
        entry.insurance_expiry = date.today() - timedelta(days=1)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(SafetyBriefing)) == 1
    status, body = act(eapi, team, "pe", f"subcontract/{sub['id']}", "enter")
    assert status == 422 and body["rules"] == ["R-E-099"] and "宏达弱电施工队" in body["error"], body


def test_comparison_shows_the_grades_of_the_last_three_months(app, team, eapi, teams):
    from decimal import Decimal as D

    from core.auth.models import User
    from core.documents import service
    from modules.engineering.teams import ASSESSMENT, ConstructionTeam
    with app.app_context():
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        entry_id = db.session.scalar(db.select(ConstructionTeam.id).where(ConstructionTeam.party_id == teams[0]))
        for month, grade, total in (("2026-08", "C", 75), ("2026-09", "B", 85), ("2026-10", "A", 92),
                                    ("2026-11", "A", 95)):
            doc = service.new_document(ASSESSMENT, manager)
            doc.team_id, doc.month, doc.grade, doc.total, doc.state = entry_id, month, grade, D(total), "approved"
            doc.title, doc.projects = f"考核 {month}", "市一中综合布线"
            service.assign_number(ASSESSMENT, doc)
            db.session.add(doc)
        db.session.commit()
    pid = make_project(app, team)
    status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, teams[:2], "20000"))
    assert status == 201
    assert doc["quotes"][0]["grades"] == "2026-11 A, 2026-10 A, 2026-09 B"
    assert doc["quotes"][1]["grades"] == ""
