"""The qualified construction-team register (X-E11): a team is a core party with the construction
team role; the 工程部经理 approves a candidate only with a licence (or the leader's ID and a
guarantor), valid accident insurance and the current team code acknowledged (R-E-091, R-E-099,
R-E-080); ``team_issues`` says why a team may not be invited or enter the site; expiring
insurance and certificates are reminded to the manager."""
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db

pytestmark = pytest.mark.modules("engineering")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def credit_code(name: str) -> str:
    from core.parties.services import CREDIT_ALPHABET, CREDIT_WEIGHTS
    stem = f"914403{zlib.crc32(name.encode()) % 10**11:011d}"
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(stem, CREDIT_WEIGHTS))
    return stem + CREDIT_ALPHABET[(31 - total % 31) % 31]


def team_data(name="宏达弱电施工队", **changes):
    data = {"title": name, "legal_form": "company", "leader_name": "刘建国", "licence_no": credit_code(name),
            "phone": "13800138000", "bank_name": "工商银行", "bank_account": "6222000011112222",
            "work_types": ["cabling", "conduit"], "insurance_policy_no": "PICC-2026-001",
            "insurance_expiry": (date.today() + timedelta(days=200)).isoformat(),
            "qualifications": [{"kind": "worker_certificate", "name": "电工证", "holder": "张三",
                                "certificate_no": "T1234", "valid_until": "2028-06-30"}]}
    data.update(changes)
    return data


def acknowledge(eapi, team, doc_id, who="pe", day=None):
    return eapi(team, who, "post", f"team/{doc_id}/transitions/acknowledge_code",
                {"code_ack_date": day or date.today().isoformat(), "comment": "队长已签字"})


def approved_team(app, team, eapi, name="宏达弱电施工队", grade="B", **changes):
    status, doc = eapi(team, "pe", "post", "team", team_data(name, **changes))
    assert status == 201, doc
    assert acknowledge(eapi, team, doc["id"])[0] == 200
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": grade})
    assert status == 200, doc
    return doc


def get_team(app, doc_id):
    from modules.engineering.teams import ConstructionTeam
    return db.session.get(ConstructionTeam, doc_id)


def test_a_team_is_a_party_with_the_construction_team_role(app, team, eapi):
    status, doc = eapi(team, "pe", "post", "team", team_data())
    assert status == 201, doc
    assert doc["state"] == "candidate" and doc["number"].startswith("SGD-")
    with app.app_context():
        entry = get_team(app, doc["id"])
        assert entry.party.name == "宏达弱电施工队" and entry.party.has_role("construction_team")
        assert entry.party.credit_code == credit_code("宏达弱电施工队")
        assert entry.status == "candidate" and [q.name for q in entry.qualifications] == ["电工证"]
    # The same business licence twice is one party: refused, naming the licence field.
    status, body = eapi(team, "pe", "post", "team", team_data("宏达弱电安装队", licence_no=credit_code("宏达弱电施工队")))
    assert status == 422 and "licence_no" in body["fields"]
    # Bad input names the field; nothing is saved.
    status, body = eapi(team, "pe", "post", "team", team_data("新队", work_types=[]))
    assert status == 422 and "work_types" in body["fields"]
    status, body = eapi(team, "pe", "post", "team", team_data("新队", licence_no="123"))
    assert status == 422 and "licence_no" in body["fields"]
    with app.app_context():
        from modules.engineering.teams import ConstructionTeam
        assert db.session.scalar(select(db.func.count()).select_from(ConstructionTeam)) == 1


def test_approval_needs_licence_or_id_and_guarantor(app, team, eapi):
    status, doc = eapi(team, "pe", "post", "team", team_data(licence_no="", leader_id_no=""))
    assert status == 201, doc
    assert acknowledge(eapi, team, doc["id"])[0] == 200
    status, body = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "B"})
    assert status == 422 and body["rules"] == ["R-E-091"] and "licence_no" in body["fields"], body
    doc = eapi(team, "pe", "get", f"team/{doc['id']}")[1]
    status, doc = eapi(team, "pe", "put", f"team/{doc['id']}", {**team_data(licence_no="", leader_id_no="44030019800101123X"),
                                                                "version": doc["version"]})
    assert status == 200, doc
    status, body = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "B"})
    assert status == 422 and body["rules"] == ["R-E-091"] and "guarantor" in body["fields"], body
    status, doc = eapi(team, "pe", "put", f"team/{doc['id']}", {
        **team_data(licence_no="", leader_id_no="44030019800101123X", guarantor="深圳市建安劳务有限公司"),
        "version": doc["version"]})
    assert status == 200, doc
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {})
    assert status == 200 and doc["state"] == "approved" and doc["grade"] == "B", doc


def test_approval_needs_insurance_and_the_code_acknowledged(app, team, eapi):
    status, doc = eapi(team, "pe", "post", "team", team_data(insurance_policy_no="", insurance_expiry=None))
    assert status == 201, doc
    status, body = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "A"})
    assert status == 422 and sorted(body["rules"]) == ["R-E-080", "R-E-099"], body
    doc = eapi(team, "pe", "get", f"team/{doc['id']}")[1]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    status, doc = eapi(team, "pe", "put", f"team/{doc['id']}", {**team_data(insurance_expiry=yesterday),
                                                                "version": doc["version"]})
    assert status == 200, doc
    status, doc = acknowledge(eapi, team, doc["id"])
    assert status == 200 and doc["code_ack_version"] == "2026-1" and doc["code_ack_date"], doc
    status, body = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "A"})
    assert status == 422 and body["rules"] == ["R-E-099"] and "expired" in body["error"], body
    doc = eapi(team, "pe", "get", f"team/{doc['id']}")[1]
    status, doc = eapi(team, "pe", "put", f"team/{doc['id']}", {**team_data(), "version": doc["version"]})
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "A"})
    assert status == 200 and doc["state"] == "approved" and doc["grade"] == "A", doc


def test_engineer_cannot_approve_suspend_or_edit_an_approved_team(app, team, eapi):
    status, doc = eapi(team, "pe", "post", "team", team_data())
    acknowledge(eapi, team, doc["id"])
    assert eapi(team, "pe", "post", f"team/{doc['id']}/transitions/approve", {"grade": "B"})[0] == 403
    assert eapi(team, "gm", "post", "team", team_data("另一队"))[0] == 403
    assert eapi(team, "gm", "get", f"team/{doc['id']}")[0] == 200   # directors read the register
    doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/approve", {"grade": "B"})[1]
    assert eapi(team, "pe", "post", f"team/{doc['id']}/transitions/suspend", {"comment": "x"})[0] == 403
    status, body = eapi(team, "pe", "patch", f"team/{doc['id']}", {"phone": "13900000000", "version": doc["version"]})
    assert status in (403, 422) and "engineering manager" in str(body)
    status, doc2 = eapi(team, "eng_mgr", "patch", f"team/{doc['id']}", {"phone": "13900000000", "version": doc["version"]})
    assert status == 200 and doc2["phone"] == "13900000000"


def test_suspend_reinstate_and_remove_keep_the_reason(app, team, eapi):
    doc = approved_team(app, team, eapi)
    status, body = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/suspend", {})
    assert status == 422 and "comment" in body["fields"]
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/suspend", {"comment": "现场私接电源"})
    assert status == 200 and doc["state"] == "suspended" and doc["status_reason"] == "现场私接电源"
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/reinstate", {"comment": "已整改"})
    assert status == 200 and doc["state"] == "approved"
    status, doc = eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/remove", {"comment": "三次违反守则"})
    assert status == 200 and doc["state"] == "removed"


def test_team_issues(app, team, eapi):
    from modules.engineering.teams import team_issues
    candidate = eapi(team, "pe", "post", "team", team_data("候选施工队"))[1]
    good = approved_team(app, team, eapi, "合格施工队")
    low = approved_team(app, team, eapi, "低等级施工队", grade="C")
    with app.app_context():
        from core import settings
        assert team_issues(get_team(app, good["id"])) == []
        assert [i.code for i in team_issues(None)] == ["R-E-091"]
        issues = team_issues(get_team(app, candidate["id"]))
        assert "R-E-091" in [i.code for i in issues] and all(i.field == "team_id" for i in issues)
        assert [i.code for i in team_issues(get_team(app, low["id"]))] == ["R-E-091"]
        assert team_issues(get_team(app, low["id"]), min_grade="C") == []
        assert [i.code for i in team_issues(get_team(app, good["id"]), min_grade="A")] == ["R-E-091"]
        entry = get_team(app, good["id"])
        expiry = entry.insurance_expiry
        assert [i.code for i in team_issues(entry, on=expiry + timedelta(days=1))] == ["R-E-099"]
        assert team_issues(entry, on=expiry) == []
        entry.insurance_policy_no = ""
        assert [i.code for i in team_issues(entry)] == ["R-E-099"]
        db.session.rollback()
        # A new version of the team code makes the acknowledgement stale.
        settings.set("eng.team_code_version", "2027-1")
        db.session.commit()
        assert [i.code for i in team_issues(get_team(app, good["id"]))] == ["R-E-080"]
    eapi(team, "eng_mgr", "post", f"team/{good['id']}/transitions/suspend", {"comment": "质量事故"})
    with app.app_context():
        codes = [i.code for i in team_issues(get_team(app, good["id"]))]
        assert codes[0] == "R-E-091" and "R-E-080" in codes
    status, doc = acknowledge(eapi, team, good["id"])
    assert status == 200 and doc["code_ack_version"] == "2027-1"


def test_suspend_function_for_other_parts(app, team, eapi):
    from modules.engineering.teams import suspend
    doc = approved_team(app, team, eapi)
    with app.app_context():
        from core.auth.models import User
        from core.reminders.models import Notification
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        entry = get_team(app, doc["id"])
        assert suspend(entry, "6个月内3次违反施工队守则 (P-09)", manager) is True
        db.session.commit()
        entry = get_team(app, doc["id"])
        assert entry.state == "suspended" and "P-09" in entry.status_reason
        assert suspend(entry, "again", manager) is False
        notes = db.session.query(Notification).filter_by(user_id=team["ids"]["eng_mgr"]).all()
        assert any("宏达弱电施工队" in n.title for n in notes)
    history = eapi(team, "eng_mgr", "get", f"team/{doc['id']}/history")[1]
    assert "auto_suspend" in str(history)


def test_expiring_insurance_and_certificates_are_reminded_to_the_manager(app, team, eapi):
    soon = (date.today() + timedelta(days=20)).isoformat()
    later = (date.today() + timedelta(days=60)).isoformat()
    doc = approved_team(app, team, eapi, insurance_expiry=soon, qualifications=[
        {"kind": "worker_certificate", "name": "登高作业证", "holder": "李四", "valid_until": soon},
        {"kind": "worker_certificate", "name": "电工证", "holder": "张三", "valid_until": later}])
    with app.app_context():
        from core import settings
        from core.reminders import collect
        now = datetime.now(SHANGHAI)
        mine = [r for r in collect(now) if r.user_id == team["ids"]["eng_mgr"] and r.key.startswith("engineering.team.")]
        keys = " ".join(r.key for r in mine)
        assert f"engineering.team.insurance:{doc['id']}:{soon}" in keys
        assert "登高作业证 李四" in keys and "电工证" not in keys
        assert not [r for r in collect(now) if r.user_id == team["ids"]["pe"] and r.key.startswith("engineering.team.")]
        settings.set("eng.team_expiry_notice_days", "90")
        db.session.commit()
        keys = " ".join(r.key for r in collect(now) if r.user_id == team["ids"]["eng_mgr"])
        assert "电工证 张三" in keys


def test_register_pages_and_code_panel(app, team, eapi, eweb):
    doc = approved_team(app, team, eapi)
    page = eweb("pe").get(f"/engineering/team/{doc['id']}")
    assert page.status_code == 200 and "R-E-08D" in page.get_data(as_text=True)
    assert "data-team-code" in page.get_data(as_text=True)
    assert eweb("pe").get("/engineering/team/").status_code == 200
    assert eweb("am").get("/engineering/team/").status_code == 403
    manager = eweb("eng_mgr")
    dashboard = manager.get("/").get_data(as_text=True)
    assert "Construction teams by grade" in dashboard
    assert "Construction teams by grade" not in eweb("pe").get("/").get_data(as_text=True)
    manager = eweb("eng_mgr")   # one browser: signed in again as the manager
    assert manager.get("/engineering/team/new").status_code == 200
    assert manager.get(f"/engineering/team/{doc['id']}/print").status_code == 200
    candidate = eapi(team, "pe", "post", "team", team_data("候选施工队"))[1]
    detail = manager.get(f"/engineering/team/{candidate['id']}").get_data(as_text=True)
    assert "Approve into the register" in detail and "Not acknowledged" in detail
    action = manager.get(f"/engineering/team/{candidate['id']}/transitions/approve/input")
    assert action.status_code == 200 and 'name="grade"' in action.get_data(as_text=True)
    action = eweb("pe").get(f"/engineering/team/{candidate['id']}/transitions/acknowledge_code/input")
    assert action.status_code == 200 and 'name="code_ack_date"' in action.get_data(as_text=True)


def test_demo_register(app, team):
    from core.auth.models import User
    from modules.engineering import teams
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("eng_mgr", "pe")}
        teams.demo(users)
        register = {t.title: t for t in db.session.scalars(select(teams.ConstructionTeam))}
        assert {t.title: (t.state, t.grade) for t in register.values()} == {
            "深圳市鑫达弱电安装队": ("approved", "A"), "宏达弱电施工队": ("approved", "B"),
            "恒通管路桥架施工队": ("approved", "C"), "永安土建劳务队": ("suspended", "D"),
            "华建综合布线队": ("suspended", "C"), "新锐智能安装队": ("candidate", "")}
        assert "two consecutive months" in register["华建综合布线队"].status_reason
        assert all(t.qualifications and t.insurance_expiry for t in register.values())
        assert teams.team_issues(register["深圳市鑫达弱电安装队"]) == []
        grades = teams.grades_of([t.id for t in register.values()])
        assert [g for _m, g, _s in grades[register["恒通管路桥架施工队"].id]] == ["C", "B"]
        count = db.session.scalar(select(db.func.count()).select_from(teams.TeamAssessment))
        assert count == 10
        teams.demo(users)   # runs once
        assert db.session.scalar(select(db.func.count()).select_from(teams.TeamAssessment)) == count


def test_remove_function_and_grade_not_typed(app, team, eapi):
    from modules.engineering.teams import remove
    # The grade comes from approvals and assessments, never typed.
    status, doc = eapi(team, "pe", "post", "team", team_data(grade="A"))
    assert (status == 201 and not doc["grade"]) or (status == 422 and "grade" in doc["fields"])
    doc = approved_team(app, team, eapi, "另一施工队")
    with app.app_context():
        from core.auth.models import User
        manager = db.session.get(User, team["ids"]["eng_mgr"])
        entry = get_team(app, doc["id"])
        assert remove(entry, "6个月内第3次违反施工队守则 (P-09)", manager) is True
        db.session.commit()
        entry = get_team(app, doc["id"])
        assert entry.state == "removed" and "P-09" in entry.status_reason
        assert remove(entry, "again", manager) is False
    assert eapi(team, "eng_mgr", "post", f"team/{doc['id']}/transitions/auto_remove", {"comment": "x"})[0] in (403, 422)


def test_the_code_panel_keeps_each_penalty_code_on_one_line(app, team, eapi, eweb):
    """Found walking the team page: the penalty column was so narrow that "P-09" broke as "P-" / "09"."""
    import re
    doc = approved_team(app, team, eapi)
    page = eweb("pe").get(f"/engineering/team/{doc['id']}").get_data(as_text=True)
    cells = re.findall(r'<td class="([^"]*)" data-penalty>\s*P-\d+', page)
    assert cells and all("text-nowrap" in classes for classes in cells)
