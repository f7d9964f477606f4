"""Issue 17 in a real browser, in Chinese, role by role: from the accepted implementation handover
through the commencement order, a change, a sub-item acceptance and the pre-acceptance.

Each decision a person takes is taken in the browser: the 工程部经理 accepts the handover, assigns
the project engineer, approves the schedule from his inbox (待我处理) and approves the change; the
项目工程师 arranges the survey, confirms it with its photo, sets the project's type and records the
safety briefing on the project's form, submits the start application, signs the commencement order
(typing the 监理's paper signature), issues the change with the customer's signature, applies for a
sub-item's acceptance from the schedule, moves the project to system testing and pre-acceptance and
records the pre-acceptance.

The long drafts are written through the API as the engineer would from the site (the mobile app or
an import): the contract and handover (sales' own helpers), the survey record, the schedule, the
cost baseline (and its approval), the self-check, the F-T01/F-T04/F-T05/F-T21/F-T22 drafts, the
second sub-item's acceptance and the supervisor's opinions recorded from paper (F-T01 review,
F-T20 review, F-T21 issue)."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id
from tests.e2e.test_sales_contract import state_shown
from tests.e2e.test_sales_flow import choose, in_dialog, press, submit_form
from tests.modules.engineering.conftest import eapi  # noqa: F401  (engineering's API fixture)
from tests.modules.engineering.test_forms import SUPERVISOR_PAPER as PAPER_FORM
from tests.modules.engineering.test_forms_flow import passed_selfcheck
from tests.modules.engineering.test_money import change_notice
from tests.modules.engineering.test_schedule import plan
from tests.modules.sales.conftest import api, market, web  # noqa: F401  (sales' fixtures)
from tests.modules.sales.test_contracts import collection, people, reviewed_and_signed, won_equipment  # noqa: F401
from tests.modules.sales.test_deal import act

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales", "engineering")]

SURVEY = {"survey_date": "2026-12-03", "building": "A座框架结构，弱电井每层一处", "routes": "走廊吊顶内既有桥架",
          "machine_room": "三层中心机房 30㎡", "power_grounding": "UPS 供电，接地 2.8Ω", "differences": "无",
          "change_needed": False,
          "participants": [{"org": "我司工程部", "name": "pe"}, {"org": "深圳湾科技园管理中心", "name": "李工"}]}
# The signatures typed from the paper forms: the project's supervision company, the customer.
SUPERVISOR_PAPER = {**PAPER_FORM, "supervisor_xsig_org": "深圳建科监理"}
CUSTOMER_PAPER = {"owner_xsig_name": "李工", "owner_xsig_org": "深圳湾科技园管理中心", "owner_xsig_date": "2027-01-08"}
BASELINE = {"contract_amount_excl_tax": "40000", "target_margin_pct": "30",
            "lines": [{"category": "equipment", "budget": "22000"}, {"category": "travel", "budget": "1500"}]}


@pytest.fixture
def handover(app, people, api, web):  # noqa: F811
    """A registered equipment-and-installation contract whose implementation handover (F-S09) the
    salesperson has submitted to engineering; the engineers in the engineering department. Returns
    the handover's id. (Sales' helpers sign in without a CSRF token: CSRF is off while they run.)"""
    with app.app_context():
        from core.auth.models import User
        for name, code in (("eng_mgr", "POS-ENG-MGR"), ("pe", "POS-ENG-PE")):
            db.session.get(User, people["ids"][name]).department_id = department_id(app, "ENG")
            db.session.add(UserPosition(user_id=people["ids"][name], position_id=db.session.scalar(
                select(Position.id).where(Position.code == code))))
        db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        contract = reviewed_and_signed(app, people, api, web, won_equipment(app, people, api))
        collection(people, api, contract, "advance", "45200.00", trigger="date", planned_date="2027-03-15")
        assert act(people, api, "ast", "contract", contract["id"], "register")[0] == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    status, body = api(people, "am", "post", "handover", {
        "contract_id": contract["id"], "title": "科技园核心网络", "site_address": "深圳湾科技园A座",
        "customer_contacts": "李工 信息部 13900000000", "due_completion": "2027-03-31", "warranty_months": 36,
        "solution": "核心网络方案 V2", "commitments": "到货后一周内上线", "supervision_mode": "firm",
        "supervisor_firm": "深圳建科监理", "handover_docs": ["contract", "equipment"],
        "lines": [{"item": "核心交换机", "qty": "1", "supply_by": "purchased"}]})
    assert status == 201, body
    assert act(people, api, "am", "handover", body["id"], "submit")[0] == 200
    return body["id"]


def state(page) -> str:
    """The code of the state the document's status bar shows."""
    return page.locator('#status-bar [aria-current="true"]').get_attribute("data-state")


def field(page, name) -> str:
    """The value the document's page shows for the field `name`."""
    return page.inner_text(f'dd[data-field="{name}"]').strip()


def take(page, transition, fill=None):
    """Take a step on the document's page, through its dialog when it asks for input."""
    if page.locator(f"#dialog-{transition}").count():
        in_dialog(page, transition, fill)
    else:
        press(page, transition)
    refused = page.locator(".alert-danger")
    assert not refused.count(), f"{transition} refused on {page.url}:\n{page.inner_text('main')}"


def typed(values):
    """Fill a dialog's inputs by name (the other party's paper signature, the opinion)."""
    def fill(dialog):
        for name, value in values.items():
            dialog.locator(f"[name={name}]").fill(value)
    return fill


def ok(status_body, expected=(200, 201)):
    status, body = status_body
    assert status in expected, body
    return body


def test_from_handover_to_pre_acceptance(app, page, new_page, sign_in, screenshot, people, handover,  # noqa: F811
                                         eapi, tmp_path):  # noqa: F811
    def eng(who, method, path, json=None):
        return ok(eapi(people, who, method, path, json))

    # 1. 工程部经理: accepts the handover; the project opens; he assigns the project engineer.
    sign_in("eng_mgr")
    page.goto(f"/sales/handover/{handover}")
    in_dialog(page, "approve", lambda d: d.locator("[name=comment]").fill("接收，安排项目工程师"))
    assert "已接受" in state_shown(page)
    main = page.inner_text("main")
    assert "GC-" in main, main
    page.goto("/engineering/project/")
    with page.expect_navigation():
        page.locator("main tr", has_text="科技园核心网络").locator("a").first.click()
    project_url = page.url
    pid = int(project_url.rstrip("/").rsplit("/", 1)[1])
    assert state(page) == "received" and "已接收交接" in state_shown(page)
    assert field(page, "overdue") == "否"
    in_dialog(page, "assign", lambda d: d.locator("select").first.select_option(str(people["ids"]["pe"])))
    assert field(page, "engineer") == "pe"
    screenshot("1-project-assigned")

    # 2. 项目工程师: the project is on his list; the survey, the preparation, the approvals.
    engineer = new_page()
    sign_in("pe", on=engineer)
    screenshot("2-engineer-workbench", on=engineer)
    engineer.goto("/engineering/project/")
    expect(engineer.locator("main", has_text="科技园核心网络")).to_be_visible()
    engineer.goto(project_url)
    take(engineer, "arrange_survey")
    assert state(engineer) == "survey"
    survey = eng("pe", "post", "site_survey", {"project_id": pid, **SURVEY})      # written on site
    engineer.goto(f"/engineering/site_survey/{survey['id']}")
    photo = tmp_path / "机房现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo")
    engineer.set_input_files("#upload-form input[type=file]", str(photo))
    with engineer.expect_navigation():
        engineer.click("#upload-form button")
    take(engineer, "confirm")
    assert state(engineer) == "confirmed"
    engineer.goto(project_url)
    take(engineer, "survey_done")
    assert state(engineer) == "planning" and "施工准备" in state_shown(engineer)

    # The project's type (network: no cabling test) and the safety briefing, on the project's form.
    engineer.click("#edit")
    engineer.wait_for_url(project_url + "/edit")
    engineer.select_option("#project_type", "network")
    engineer.fill("#safety_briefed_on", "2026-12-08")
    engineer.fill("#planned_start", "2026-12-10")
    submit_form(engineer)
    assert engineer.url == project_url, engineer.inner_text("main")

    # The schedule (imported) submitted by the engineer, approved by the manager from his inbox.
    schedule = eng("pe", "post", "schedule", plan(pid))
    engineer.goto(f"/engineering/schedule/{schedule['id']}")
    take(engineer, "submit")
    page.goto("/inbox")
    waiting = page.locator("#inbox tr", has_text=schedule["number"])
    assert waiting.count() == 1, page.inner_text("main")
    screenshot("2-manager-inbox")
    with page.expect_navigation():
        waiting.locator("a").first.click()
    take(page, "approve", lambda d: d.locator("[name=comment]").fill("同意，按计划组织施工"))
    assert state(page) == "approved"
    sheet = eng("pe", "post", "cost_sheet", {"project_id": pid, **BASELINE})
    eng("pe", "post", f"cost_sheet/{sheet['id']}/transitions/submit", {})
    eng("eng_mgr", "post", f"cost_sheet/{sheet['id']}/transitions/approve", {"comment": "同意"})

    # 3. F-T01 submitted by the engineer; the 监理 reviews it on paper; F-T04 starts the works.
    application = eng("pe", "post", "ft01", {"project_id": pid, "relation": "outward", "planned_start": "2026-12-10",
                                            "planned_completion": "2027-03-31", "contract_days": 111})
    eng("pe", "patch", f"ft01/{application['id']}", {"version": application["version"], "lines": [
        {"item": line["item"], "status": "done"} for line in application["lines"]]})
    engineer.goto(f"/engineering/ft01/{application['id']}")
    def ready_to_start(dialog):
        dialog.locator("[name=comment]").fill("具备开工条件")
        screenshot("3-start-application", on=engineer)
    take(engineer, "submit", ready_to_start)
    engineer.goto(project_url)
    assert state(engineer) == "start_applied" and "开工申请已报" in state_shown(engineer)
    eng("pe", "post", f"ft01/{application['id']}/transitions/review", SUPERVISOR_PAPER)
    order = eng("pe", "post", "ft04", {"project_id": pid, "relation": "outward", "application_id": application["id"],
                                      "start_date": "2026-12-12", "contract_days": 100,
                                      "requirements": "按批准的施工组织设计组织施工"})
    engineer.goto(f"/engineering/ft04/{order['id']}")
    def signed_on_paper(dialog):
        typed({**SUPERVISOR_PAPER, "supervisor_xsig_opinion": "准予开工"})(dialog)
        screenshot("3-commencement-order-signature", on=engineer)
    take(engineer, "issue", signed_on_paper)
    take(engineer, "acknowledge")
    engineer.goto(project_url)
    assert state(engineer) == "in_construction" and "施工中" in state_shown(engineer)
    assert field(engineer, "actual_start") == "2026-12-12"
    screenshot("3-works-started", on=engineer)

    # 4. A change: F-T05 approved by the manager, issued with the customer's signature.
    notice = eng("pe", "post", "ft05", change_notice(
        pid, content="三层机房增加一台汇聚交换机", cost="8000",
        lines=[{"item": "三层机房", "drawing": "XT-02", "before": "核心交换机 1 台", "after": "另加汇聚交换机 1 台"}]))
    page.goto(f"/engineering/ft05/{notice['id']}")
    take(page, "approve_internal", lambda d: d.locator("[name=comment]").fill("同意变更"))
    engineer.goto(f"/engineering/ft05/{notice['id']}")
    take(engineer, "issue", typed(CUSTOMER_PAPER))
    assert state(engineer) == "issued" and "已签发" in state_shown(engineer)
    screenshot("4-change-issued", on=engineer)
    engineer.goto(project_url)
    assert notice["number"] in engineer.inner_text("main")

    # 5. Sub-item acceptance from the schedule panel, after a passed self-check.
    selfcheck = passed_selfcheck(app, people, pid)
    link = engineer.locator("a", has_text="申请分项工程验收").first
    with engineer.expect_navigation():
        link.click()
    assert "/engineering/ft20/new" in engineer.url
    screenshot("5-subitem-application-form", on=engineer)
    engineer.fill("#location", "A座三层")
    engineer.fill("#completed_on", "2027-01-12")
    engineer.fill("#requested_date", "2027-01-14")
    choose(engineer, "selfcheck_id", "三层水平布线自检")
    engineer.fill("[name='lines-0-item']", "桥架敷设")
    engineer.fill("[name='lines-0-qty']", "120")
    submit_form(engineer)
    assert "/new" not in engineer.url, engineer.inner_text("main")
    ft20_id = int(engineer.url.rstrip("/").rsplit("/", 1)[1])
    take(engineer, "submit")
    assert state(engineer) == "submitted"
    eng("pe", "post", f"ft20/{ft20_id}/transitions/review", SUPERVISOR_PAPER)
    opinion = eng("pe", "post", "ft21", {"project_id": pid, "relation": "outward", "application_id": ft20_id,
                                        "inspected_on": "2027-01-14", "inspectors": "深圳建科监理 李监理",
                                        "conclusion": "qualified",
                                        "lines": [{"item": "桥架安装", "standard": "GB 50311", "result": "conform"}]})
    eng("pe", "post", f"ft21/{opinion['id']}/transitions/issue", SUPERVISOR_PAPER)
    engineer.goto(f"/engineering/ft21/{opinion['id']}")
    take(engineer, "acknowledge")
    engineer.goto(project_url)
    accepted_row = engineer.locator("tr", has_text="桥架敷设").first.inner_text()
    assert "已验收" in accepted_row and opinion["number"] in accepted_row, accepted_row
    screenshot("5-subitem-accepted", on=engineer)

    # 6. The other sub-item accepted the same way; system testing; pre-acceptance.
    from modules.engineering.schedule import subitems
    with app.app_context():
        remaining = [task.id for task in subitems(pid) if task.is_open_subitem]
    for task_id in remaining:
        other = eng("pe", "post", "ft20", {"project_id": pid, "relation": "outward", "task_id": task_id,
                                          "location": "A座各层", "completed_on": "2027-01-20",
                                          "selfcheck_id": selfcheck, "requested_date": "2027-01-21",
                                          "lines": [{"item": "水平布线", "unit": "条", "qty": "96"}]})
        eng("pe", "post", f"ft20/{other['id']}/transitions/submit", {})
        eng("pe", "post", f"ft20/{other['id']}/transitions/review", SUPERVISOR_PAPER)
        accepted = eng("pe", "post", "ft21", {"project_id": pid, "relation": "outward", "application_id": other["id"],
                                             "inspected_on": "2027-01-21", "inspectors": "深圳建科监理 李监理",
                                             "conclusion": "qualified"})
        eng("pe", "post", f"ft21/{accepted['id']}/transitions/issue", SUPERVISOR_PAPER)
        eng("pe", "post", f"ft21/{accepted['id']}/transitions/acknowledge", {})
    engineer.goto(project_url)
    take(engineer, "to_system_test")
    assert state(engineer) == "system_test"
    take(engineer, "apply_pre_acceptance")
    assert state(engineer) == "pre_acceptance" and "完工预验收" in state_shown(engineer)
    record = eng("pe", "post", "ft22", {
        "project_id": pid, "relation": "outward", "selfcheck_id": selfcheck, "pre_acceptance_date": "2027-03-10",
        "participants": "深圳湾科技园管理中心 李工；深圳建科监理 李监理；我司 pe", "test_summary": "核心交换机冗余切换测试合格",
        "trial_run": "试运行 7 天正常", "documents_check": "竣工图、测试报告齐全", "conclusion": "qualified",
        "proposed_final_date": "2027-03-20"})
    engineer.goto(f"/engineering/ft22/{record['id']}")
    take(engineer, "confirm", typed({**SUPERVISOR_PAPER, **CUSTOMER_PAPER}))
    engineer.goto(project_url)
    assert state(engineer) == "final_acceptance" and "竣工验收" in state_shown(engineer)
    screenshot("6-pre-accepted", on=engineer)
