"""Issue 18 in a real browser, in Chinese, role by role: a quality issue notice to a construction
team becomes a confirmed penalty deducted from the team's settlement.

Each decision a person takes is taken in the browser: the 项目工程师 issues the inward F-T16
quality issue notice (质量问题通知单, severity major) to the team, which proposes a P-03 penalty
of 800 CNY by itself; the 工程部经理 notifies it from his 待我处理; the engineer records the team
leader's acknowledgement and the team's appeal (within the appeal period); the 工程部经理 confirms
it, rejecting the appeal; the engineer drafts the inward F-T12 final account of the subcontract,
which shows the penalty deducted and the balance reduced by 800; the final account is agreed
(the team leader's paper signature typed) and the penalty shows as executed, deducted in it.

Set up through the API or direct writes, as the long drafts of the other browser tests: the
project under construction with an approved cost baseline (subcontract budget), four approved,
insured teams with the current code acknowledged, a work package awarded and approved, the
subcontract signed and in progress after a confirmed safety briefing."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.e2e.test_engineering_flow import field, ok, state, take, typed
from tests.e2e.test_sales_contract import state_shown
from tests.e2e.test_sales_flow import choose, in_dialog, submit_form
from tests.modules.engineering.conftest import eapi, make_project, team  # noqa: F401  (engineering's fixtures)
from tests.modules.engineering.test_subcontracts import (
    CONTENTS,
    approve_baseline,
    award,
    make_team,
)

pytestmark = [pytest.mark.e2e, pytest.mark.modules("engineering")]

TEAM = "宏达弱电施工队"
LEADER_PAPER = {"contractor_xsig_name": "刘建国", "contractor_xsig_org": TEAM, "contractor_xsig_date": "2026-12-06"}


def set_state(app, model, doc_id, value):
    with app.app_context():
        db.session.get(model, doc_id).state = value
        db.session.commit()


@pytest.fixture
def subcontract(app, team, eapi):  # noqa: F811
    """A project under construction, its baseline approved with a subcontract budget of 50,000;
    the work package awarded to 宏达弱电施工队 (45,000) and approved; the subcontract signed and,
    after the safety briefing, in progress. Returns (project id, subcontract)."""
    def call(who, method, path, json=None):
        return ok(eapi(team, who, method, path, json))

    teams = [make_team(app, name) for name in (TEAM, "鑫源布线工程队", "立信安装队")]
    pid = make_project(app, team, state="in_construction")
    approve_baseline(app, team, pid, "50000")
    path, package = award(app, team, eapi, pid, teams, "50000", ["45000", "48000", "47000"])
    call("pe", "post", f"{path}/transitions/submit", {})
    call("eng_mgr", "post", f"{path}/transitions/approve", {})
    sub = call("pe", "post", "subcontract", {"project_id": pid, "package_id": package["id"]})
    sub = call("pe", "patch", f"subcontract/{sub['id']}", {
        **CONTENTS, "code_ack": True, "leader_sig_name": "刘建国", "leader_sig_date": "2026-12-02",
        "version": sub["version"]})
    call("eng_mgr", "post", f"subcontract/{sub['id']}/transitions/sign", {})
    brief = call("pe", "post", "safety_briefing", {
        "subcontract_id": sub["id"], "briefing_date": "2026-12-03", "topics": ["safety_rules", "work_at_height"],
        "content": "高处作业须系安全带；临时用电由我司电工接驳", "leader_ack": True, "leader_sig_name": "刘建国",
        "attendees": [{"worker": "刘建国", "certificate_no": "电工证 T4403001"},
                      {"worker": "李四", "certificate_no": "登高证 G001"}]})
    call("pe", "post", f"safety_briefing/{brief['id']}/transitions/confirm", {})
    sub = call("pe", "post", f"subcontract/{sub['id']}/transitions/enter", {})
    assert sub["state"] == "in_progress" and sub["team_id"] == teams[0], sub
    return pid, sub


def test_quality_notice_to_a_penalty_deducted_from_the_settlement(app, page, new_page, sign_in, screenshot,
                                                                  team, eapi, subcontract):  # noqa: F811
    from modules.engineering.penalties import Penalty
    from modules.engineering.projects import EngProject
    pid, sub = subcontract

    # 1. 项目工程师: the quality issue notice to the team, issued; P-03 proposed by itself.
    engineer = page
    sign_in("pe")
    engineer.goto(f"/engineering/ft16/new?project_id={pid}")
    engineer.select_option("#relation", "inward")
    engineer.fill("#team_name", TEAM)
    engineer.fill("#found_at", "2026-12-05T10:00")
    engineer.fill("#location", "三层弱电间")
    engineer.fill("#description", "线缆未绑扎、无标签，桥架内线缆交叉")
    engineer.select_option("#severity", "major")
    engineer.fill("#rectify_requirement", "按规范绑扎、理线并贴标签")
    engineer.fill("#rectify_due", "2026-12-09")
    screenshot("1-quality-notice-form", on=engineer)
    submit_form(engineer)
    assert "/new" not in engineer.url, engineer.inner_text("main")
    take(engineer, "issue")
    assert state(engineer) == "issued", engineer.inner_text("main")
    with app.app_context():
        [penalty] = db.session.scalars(select(Penalty).where(Penalty.project_id == pid)).all()
        penalty_id, penalty_number = penalty.id, penalty.number
        assert penalty.fine == Decimal(800) and penalty.state == "proposed" and penalty.severity == "major"
    penalty_url = f"/engineering/penalty/{penalty_id}"
    engineer.goto("/engineering/penalty/")
    row = engineer.locator("main tr", has_text=penalty_number)
    assert row.count() == 1, engineer.inner_text("main")
    assert "800" in row.inner_text() and TEAM in row.inner_text(), row.inner_text()
    screenshot("1-penalty-proposed", on=engineer)

    # 2. 工程部经理: the proposal waits in his 待我处理; he notifies the team from there.
    manager = new_page()
    sign_in("eng_mgr", on=manager)
    manager.goto("/inbox")
    waiting = manager.locator("#inbox tr", has_text=penalty_number)
    assert waiting.count() == 1, manager.inner_text("main")
    screenshot("2-manager-inbox-proposal", on=manager)
    with manager.expect_navigation():
        waiting.locator("a").first.click()
    assert field(manager, "fine") == "¥800.00" and field(manager, "evidence_ref").startswith("GC16-")
    assert "ft16_issued" not in manager.inner_text("main")          # no internal key on the page
    take(manager, "notify")
    assert state(manager) == "notified" and "已通知" in state_shown(manager)
    screenshot("2-penalty-notified", on=manager)

    # 3. 项目工程师: the team leader signs the acknowledgement; the team appeals within the period.
    engineer.goto(penalty_url)
    take(engineer, "acknowledge", typed({"ack_name": "刘建国"}))
    assert state(engineer) == "notified" and field(engineer, "ack_name") == "刘建国"
    take(engineer, "appeal", typed({"appeal": "线缆交叉系业主方后加设备所致，非我队责任"}))
    assert state(engineer) == "appealed"
    screenshot("3-penalty-appealed", on=engineer)

    # 4. 工程部经理: the appealed penalty waits in his 待我处理; he rejects the appeal and confirms.
    manager.goto("/inbox")
    waiting = manager.locator("#inbox tr", has_text=penalty_number)
    assert waiting.count() == 1, manager.inner_text("main")
    assert sub["number"] not in manager.inner_text("#inbox")        # settled by its final account only
    screenshot("4-manager-inbox", on=manager)
    with manager.expect_navigation():
        waiting.locator("a").first.click()
    assert manager.url.endswith(penalty_url), manager.url
    take(manager, "confirm", lambda d: d.locator("[name=comment]").fill("申诉不成立：现场照片显示为我方施工队敷设"))
    assert state(manager) == "confirmed"
    screenshot("4-penalty-confirmed", on=manager)

    # 5. 项目工程师: the works accepted (closing), the team's final account shows the deduction.
    set_state(app, EngProject, pid, "closing")
    engineer.goto(f"/engineering/ft12/new?project_id={pid}")
    screenshot("5-final-account-form", on=engineer)
    engineer.select_option("#relation", "inward")
    choose(engineer, "subcontract_id", "WB-")
    engineer.fill("#declared_amount", "45000")
    submit_form(engineer)
    assert "/new" not in engineer.url, engineer.inner_text("main")
    account_url = engineer.url
    main = engineer.inner_text("main")
    assert penalty_number in main and "800.00" in main, main
    # 45,000 - 2,250 retention - 800 penalty
    assert field(engineer, "retention_amount") == "¥2,250.00" and field(engineer, "balance") == "¥41,950.00"
    screenshot("5-final-account-deduction", on=engineer)

    # 6. The final account agreed: the team leader's paper signature typed at the submission, the
    # 工程部经理 verifies it and approves it as the owner; the penalty is executed, deducted in it.
    def leader_signed(dialog):
        typed(LEADER_PAPER)(dialog)
        screenshot("6-final-account-team-signature", on=engineer)
    take(engineer, "submit", leader_signed)
    assert state(engineer) == "submitted", engineer.inner_text("main")
    manager.goto(account_url)
    take(manager, "review", typed({"verified_amount": "45000"}))
    take(manager, "owner_approve", typed({"verified_amount": "45000"}))
    assert state(manager) == "owner_approved" and field(manager, "balance") == "¥41,950.00"
    screenshot("6-final-account-agreed", on=manager)
    with app.app_context():
        penalty = db.session.get(Penalty, penalty_id)
        assert penalty.state == "executed" and penalty.executed_in.startswith("GC12-"), penalty.executed_in
    manager.goto(penalty_url)
    assert state(manager) == "executed" and field(manager, "executed_in").startswith("GC12-")
    screenshot("6-penalty-deducted", on=manager)
    manager.goto(f"/engineering/subcontract/{sub['id']}")
    assert state(manager) == "settled", manager.inner_text("main")


def test_payment_over_the_cap_refused_and_grade_c_twice_suspends_the_team(app, page, new_page, sign_in, screenshot,
                                                                         team, eapi, subcontract):  # noqa: F811
    """The team's progress payment above 70 % of the work done is refused in the browser naming the
    cap (R-E-094); the team's monthly assessment graded C for the second month running suspends it
    (R-E-091) when the 工程部经理 approves it."""
    from modules.engineering.teams import ConstructionTeam
    from tests.modules.engineering.test_money import payment
    from tests.modules.engineering.test_team_assessment import approve, assess
    pid, sub = subcontract

    # 1. 项目工程师: the team's progress payment (drafted from the site) asks 1 CNY over the cap.
    draft = ok(eapi(team, "pe", "post", "ft10", payment(pid, relation="inward", value="20000", requested="14001",
                                                         subcontract_id=sub["id"])))
    engineer = page
    sign_in("pe")
    engineer.goto(f"/engineering/ft10/{draft['id']}")
    in_dialog(engineer, "submit", typed(LEADER_PAPER))
    refused = engineer.locator(".alert-danger")
    assert refused.count(), engineer.inner_text("main")
    message = refused.first.inner_text()
    assert "14,000.00" in message and "70" in message and "R-E-094" in message, message
    screenshot("1-payment-over-the-cap-refused", on=engineer)
    engineer.goto(f"/engineering/ft10/{draft['id']}")
    assert state(engineer) == "draft"

    # 2. Graded C last month (approved); this month's assessment, C again, submitted by the
    # engineer and approved by the 工程部经理: the team is suspended.
    with app.app_context():
        team_id = db.session.scalar(select(ConstructionTeam.id).where(ConstructionTeam.party_id == sub["team_id"]))
    approve(team, eapi, assess(team, eapi, team_id, "2026-10", "78"))
    doc = assess(team, eapi, team_id, "2026-11", "72")
    engineer.goto(f"/engineering/team_assessment/{doc['id']}")
    take(engineer, "submit")
    assert state(engineer) == "submitted"
    manager = new_page()
    sign_in("eng_mgr", on=manager)
    manager.goto(f"/engineering/team_assessment/{doc['id']}")
    assert field(manager, "grade") == "C", field(manager, "grade")
    take(manager, "approve")
    assert state(manager) == "approved"
    screenshot("2-assessment-approved", on=manager)
    manager.goto(f"/engineering/team/{team_id}")
    assert state(manager) == "suspended", manager.inner_text("main")
    assert "R-E-091" in field(manager, "status_reason") and "2026-10" in field(manager, "status_reason")
    screenshot("2-team-suspended", on=manager)
