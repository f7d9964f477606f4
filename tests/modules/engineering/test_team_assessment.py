"""The monthly team assessment (F-E03): one per team per month, SPEC's seven criteria, the grade by
the bands (A ≥ 90, B 80-89, C 70-79, D < 70); filled by a 项目工程师, approved by the 工程部经理,
whose approval sets the team's grade; D, or C two months running, suspends the team (R-E-091)."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db

from .test_teams import approved_team

pytestmark = pytest.mark.modules("engineering")

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEIGHTS = [("progress", 20), ("quality", 30), ("safety", 15), ("code", 10), ("cooperation", 10),
           ("documentation", 5), ("customer", 10)]


def criteria(total):
    """The seven criteria scored so that they add up to ``total``."""
    missing = Decimal(100) - Decimal(str(total))
    lines = []
    for item, weight in WEIGHTS:
        off = min(Decimal(weight), missing)
        missing -= off
        lines.append({"item": item, "max_score": weight, "score": str(Decimal(weight) - off),
                      "deduction_reason": "扣分" if off else ""})
    return lines


def assess(team, eapi, team_id, month, total, who="pe"):
    status, doc = eapi(team, who, "post", "team_assessment", {
        "team_id": team_id, "month": month, "projects": "市一中校园网综合布线工程：水平布线，6人，120工日",
        "criteria": criteria(total)})
    assert status == 201, doc
    return doc


def approve(team, eapi, doc):
    status, doc = eapi(team, "pe", "post", f"team_assessment/{doc['id']}/transitions/submit", {})
    assert status == 200 and doc["state"] == "submitted", doc
    status, doc = eapi(team, "eng_mgr", "post", f"team_assessment/{doc['id']}/transitions/approve", {})
    assert status == 200 and doc["state"] == "approved", doc
    return doc


def team_state(eapi, team, team_id):
    return eapi(team, "eng_mgr", "get", f"team/{team_id}")[1]


@pytest.mark.parametrize("total, grade", [("90", "A"), ("89.99", "B"), ("89", "B"), ("80", "B"), ("79", "C"),
                                          ("70", "C"), ("69.5", "D"), ("69", "D"), ("0", "D"), ("100", "A")])
def test_grade_bands(app, total, grade):
    from modules.engineering.teams import grade_of
    with app.app_context():
        assert grade_of(Decimal(total)) == grade


def test_grade_bands_are_a_setting(app):
    from core import settings
    from modules.engineering.teams import grade_of
    with app.app_context():
        settings.set("eng.team_grade_bands", "95,85,75")
        db.session.commit()
        assert [grade_of(t) for t in (95, 94, 85, 84, 75, 74)] == ["A", "B", "B", "C", "C", "D"]


def test_assessment_totals_grades_and_is_one_per_team_per_month(app, team, eapi):
    t = approved_team(app, team, eapi)
    doc = assess(team, eapi, t["id"], "2026-11", "89")
    assert doc["number"].startswith("SK-") and doc["state"] == "draft"
    assert Decimal(doc["total"]) == Decimal(89) and doc["grade"] == "B" and doc["eligibility"] == "normal"
    assert doc["team_leader"] == "刘建国" and len(doc["criteria"]) == 7
    status, body = eapi(team, "pe", "post", "team_assessment", {
        "team_id": t["id"], "month": "2026-11", "projects": "x", "criteria": criteria(95)})
    assert status == 422 and "month" in body["fields"] and doc["number"] in str(body)
    # A score above its maximum, a month to come or badly written are refused, naming the field.
    bad = criteria(90)
    bad[0]["score"] = "25"
    status, body = eapi(team, "pe", "post", "team_assessment", {"team_id": t["id"], "month": "2026-10",
                                                                 "projects": "x", "criteria": bad})
    assert status == 422 and "criteria" in body["fields"]
    for month in ("2099-01", "2026-13", "11/2026"):
        status, body = eapi(team, "pe", "post", "team_assessment", {"team_id": t["id"], "month": month,
                                                                     "projects": "x", "criteria": criteria(90)})
        assert status == 422 and "month" in body["fields"], month
    # Left without criteria, the sheet starts with SPEC's seven and their weights.
    status, blank = eapi(team, "pe", "post", "team_assessment", {"team_id": t["id"], "month": "2026-10",
                                                                  "projects": "x"})
    assert status == 201 and [(c["item"], Decimal(c["max_score"])) for c in blank["criteria"]] == \
        [(i, Decimal(w)) for i, w in WEIGHTS]
    status, body = eapi(team, "pe", "post", f"team_assessment/{blank['id']}/transitions/submit", {})
    assert status == 422 and "criteria" in body["fields"], body


def test_approval_sets_the_teams_grade_and_engineer_cannot_approve(app, team, eapi):
    t = approved_team(app, team, eapi)
    doc = assess(team, eapi, t["id"], "2026-11", "92")
    status, doc = eapi(team, "pe", "post", f"team_assessment/{doc['id']}/transitions/submit", {})
    assert status == 200 and doc["pe_sig_by_id"] == team["ids"]["pe"]
    assert eapi(team, "pe", "post", f"team_assessment/{doc['id']}/transitions/approve", {})[0] == 403
    assert eapi(team, "pe2", "post", f"team_assessment/{doc['id']}/transitions/approve", {})[0] == 403
    status, doc = eapi(team, "eng_mgr", "post", f"team_assessment/{doc['id']}/transitions/approve", {})
    assert status == 200 and doc["state"] == "approved"
    entry = team_state(eapi, team, t["id"])
    assert entry["grade"] == "A" and entry["grade_month"] == "2026-11" and entry["state"] == "approved"
    # An older month approved later does not overwrite the latest grade.
    approve(team, eapi, assess(team, eapi, t["id"], "2026-10", "75"))
    assert team_state(eapi, team, t["id"])["grade"] == "A"
    with app.app_context():
        from modules.engineering.teams import grades_of
        grades = grades_of([t["id"], 9999])
        assert [(m, g) for m, g, _s in grades[t["id"]]] == [("2026-11", "A"), ("2026-10", "C")]
        assert grades[9999] == []
        assert len(grades_of([t["id"]], months=1)[t["id"]]) == 1


def test_grade_d_suspends_the_team(app, team, eapi):
    t = approved_team(app, team, eapi)
    doc = approve(team, eapi, assess(team, eapi, t["id"], "2026-11", "69"))
    assert doc["grade"] == "D" and doc["eligibility"] == "suspended"
    entry = team_state(eapi, team, t["id"])
    assert entry["state"] == "suspended" and entry["grade"] == "D" and "R-E-091" in entry["status_reason"]
    with app.app_context():
        from core.reminders.models import Notification
        notes = db.session.query(Notification).filter_by(user_id=team["ids"]["eng_mgr"]).all()
        assert any("宏达弱电施工队" in n.title for n in notes)


def test_grade_c_twice_running_suspends(app, team, eapi):
    t = approved_team(app, team, eapi)
    first = approve(team, eapi, assess(team, eapi, t["id"], "2026-10", "79"))
    assert first["eligibility"] == "warning" and team_state(eapi, team, t["id"])["state"] == "approved"
    second = approve(team, eapi, assess(team, eapi, t["id"], "2026-11", "70"))
    assert second["eligibility"] == "suspended"
    entry = team_state(eapi, team, t["id"])
    assert entry["state"] == "suspended" and "2026-10" in entry["status_reason"]


def test_grade_c_then_b_then_c_does_not_suspend(app, team, eapi):
    t = approved_team(app, team, eapi)
    approve(team, eapi, assess(team, eapi, t["id"], "2026-09", "75"))
    approve(team, eapi, assess(team, eapi, t["id"], "2026-10", "80"))
    doc = approve(team, eapi, assess(team, eapi, t["id"], "2026-11", "72"))
    assert doc["eligibility"] == "warning"
    entry = team_state(eapi, team, t["id"])
    assert entry["state"] == "approved" and entry["grade"] == "C"


def test_assessments_due_and_approvals_reminded(app, team, eapi):
    t = approved_team(app, team, eapi)
    other = approved_team(app, team, eapi, "鑫达安装队")
    doc = assess(team, eapi, t["id"], "2026-11", "85")
    eapi(team, "pe", "post", f"team_assessment/{doc['id']}/transitions/submit", {})
    with app.app_context():
        from core.reminders import collect
        reminders = collect(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
        pe = {r.key for r in reminders if r.user_id == team["ids"]["pe"]}
        # November: the team assessed has its sheet begun; the other one is due.
        assert f"engineering.team_assessment:{other['id']}:2026-11:{team['ids']['pe']}" in pe
        assert not any(k.startswith(f"engineering.team_assessment:{t['id']}:2026-11") for k in pe)
        mgr = [r for r in reminders if r.user_id == team["ids"]["eng_mgr"]
               and r.key.startswith("engineering.team_assessment.approve")]
        assert len(mgr) == 1
        # Due by the 3rd working day of December 2026 (Thursday the 3rd).
        assert mgr[0].due_at.astimezone(SHANGHAI).date().isoformat() == "2026-12-03"


def test_assessment_pages(app, team, eapi, eweb):
    t = approved_team(app, team, eapi)
    doc = assess(team, eapi, t["id"], "2026-11", "85")
    assert eweb("pe").get(f"/engineering/team_assessment/{doc['id']}").status_code == 200
    assert eweb("pe").get("/engineering/team_assessment/").status_code == 200
    assert eweb("pe").get(f"/engineering/team_assessment/new?team_id={t['id']}").status_code == 200
    assert eweb("pe").get(f"/engineering/team_assessment/{doc['id']}/print").status_code == 200
    listed = eweb("eng_mgr").get("/engineering/team/?state=approved&grade=B")
    assert listed.status_code == 200 and "宏达弱电施工队" in listed.get_data(as_text=True)
    page = eweb("eng_mgr").get(f"/engineering/team/{t['id']}").get_data(as_text=True)
    assert "data-team-grades" not in page
    approve(team, eapi, doc)
    page = eweb("eng_mgr").get(f"/engineering/team/{t['id']}").get_data(as_text=True)
    assert "data-team-grades" in page and "2026-11" in page
    assert eapi(team, "gm", "get", f"team_assessment/{doc['id']}")[0] == 200
    assert eapi(team, "gm", "post", "team_assessment", {"team_id": t["id"], "month": "2026-10"})[0] == 403


def test_quality_prefilled_from_self_checks_and_penalties_deducted(app, team, eapi):
    from modules.engineering import teams
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem

    from .conftest import make_project
    t = approved_team(app, team, eapi)
    pid = make_project(app, team, state="in_construction")
    with app.app_context():
        check = SelfCheck(number="ZC-T0001", title="布线自检", project_id=pid, scope="3层水平布线", stage="cabling",
                          check_date=datetime(2026, 11, 12).date(), team="宏达弱电施工队", conclusion="passed",
                          state="confirmed", owner_id=team["ids"]["pe"])
        check.items.extend([SelfCheckItem(item=f"项{n}", result="passed") for n in range(3)]
                           + [SelfCheckItem(item="项4", result="failed", recheck_result="passed")])
        db.session.add(check)
        db.session.commit()

    def points(team_id, month):
        return Decimal(5) if month == "2026-11" else Decimal(0)
    teams.penalty_source(points)
    try:
        status, doc = eapi(team, "pe", "post", "team_assessment", {"team_id": t["id"], "month": "2026-11",
                                                                    "projects": "x"})
        assert status == 201, doc
        quality = next(c for c in doc["criteria"] if c["item"] == "quality")
        assert Decimal(quality["score"]) == Decimal("22.50")          # 30 × 75 %
        lines = [{**c, "score": c["score"] or c["max_score"]} for c in doc["criteria"]]
        status, doc = eapi(team, "pe", "patch", f"team_assessment/{doc['id']}",
                           {"criteria": lines, "version": doc["version"]})
        assert status == 200, doc
        assert Decimal(doc["penalty_points"]) == 5 and Decimal(doc["total"]) == Decimal("87.50")
        assert doc["grade"] == "B"
    finally:
        teams.PENALTY_POINTS.remove(points)


def test_new_assessment_form_starts_with_the_seven_criteria(app, team, eapi, eweb):
    """The engineer scores SPEC's criteria on the first form, not after a first save; quality left
    blank is filled from the month's self-checks (none here: stays to score)."""
    import re
    t = approved_team(app, team, eapi)
    page = eweb("pe").get(f"/engineering/team_assessment/new?team_id={t['id']}").get_data(as_text=True)
    rows = sorted(set(re.findall(r'name="criteria-(\d+)-item"', page)))
    assert len(rows) == 7
    for n, (item, weight) in enumerate(WEIGHTS):
        select = re.search(rf'<select[^>]*name="criteria-{n}-item".*?</select>', page, re.DOTALL).group(0)
        assert re.search(rf'<option[^>]*selected[^>]*value="{item}"|<option[^>]*value="{item}"[^>]*selected', select)
        assert re.search(rf'name="criteria-{n}-max_score"[^>]*value="{weight}(\.0+)?"', page) or \
            re.search(rf'value="{weight}(\.0+)?"[^>]*name="criteria-{n}-max_score"', page)
