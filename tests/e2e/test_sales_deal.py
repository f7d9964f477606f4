"""Issue 14 in a real browser, in Chinese: a rejected registration corrected and resubmitted moves
its opportunity on as a first approval does, and a lost order is closed by its summary's review."""
import pytest

from tests.e2e.test_sales_flow import choose, in_dialog, people, press, submit_form  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales"), pytest.mark.usefixtures("people")]


def state_shown(page) -> str:
    return page.inner_text('#status-bar [aria-current="true"]')


def customer_and_opportunity(page, info_type, title):
    page.goto("/sales/customer/new")
    page.fill("#title", "深圳市第一人民医院")
    page.select_option("#industry", "healthcare")
    page.select_option("#area_id", label="深圳片区")
    submit_form(page)
    page.goto("/sales/opportunity/new")
    page.fill("#title", title)
    choose(page, "customer_id", "深圳市第一人民医院")
    page.select_option("#info_type", info_type)
    page.fill("#est_amount", "800000")
    submit_form(page)
    return page.url


def test_a_rejected_registration_is_corrected_and_resubmitted(page, new_page, sign_in, screenshot):
    sign_in("am")
    opportunity_url = customer_and_opportunity(page, "engineering", "门诊楼综合布线")
    press(page, "follow_engineering")
    page.goto("/sales/registration/new")
    choose(page, "opportunity_id", "门诊楼综合布线")
    for field, value in [("#title", "门诊楼综合布线"), ("#site_address", "深圳市罗湖区"),
                         ("#customer_contacts", "王主任 信息科 决策人"), ("#overview", "六层门诊楼"),
                         ("#est_amount", "800000"), ("#funding", "财政拨款"), ("#decision_process", "院办会"),
                         ("#expected_tender_date", "2026-12-20")]:
        page.fill(field, value)
    page.select_option("#project_types", ["cabling"])
    page.select_option("#support_needed", ["solution"])
    submit_form(page)
    press(page, "submit")
    registration_url = page.url

    # 市场部经理 does not approve it: the opportunity waits, stuck until the registration is corrected.
    manager = new_page()
    sign_in("mgr", on=manager)
    manager.goto(registration_url)
    in_dialog(manager, "reject", lambda d: d.locator("textarea").fill("决策流程写不清楚"))
    assert "审批未通过" in state_shown(manager)
    page.goto(opportunity_url)
    assert "立项审批未通过" in state_shown(page)

    # 客户经理 corrects it and submits it again: the project is followed again.
    page.goto(registration_url)
    press(page, "revise")
    assert "草稿" in state_shown(page)
    page.goto(registration_url + "/edit")
    page.fill("#decision_process", "信息科提出→院办会审议→院长签批")
    submit_form(page)
    press(page, "submit")
    assert "待市场部经理审批" in state_shown(page)
    page.goto(opportunity_url)
    assert "工程项目跟进中" in state_shown(page)

    # Approved this time, exactly as a first approval: the pre-sales engineer may budget it.
    manager.goto(registration_url)
    in_dialog(manager, "approve", lambda d: d.locator("textarea").fill("同意"))
    presales_manager = new_page()
    sign_in("ps_mgr", on=presales_manager)
    presales_manager.goto(registration_url)
    in_dialog(presales_manager, "assign", lambda d: d.locator("#assign-presales_lead_id").select_option(label="pse"))
    assert "已安排售前" in state_shown(presales_manager)
    page.goto(opportunity_url)
    assert "工程项目跟进中" in state_shown(page) and "XM-" in page.inner_text("main")
    screenshot("opportunity-after-resubmission")
    engineer = new_page()
    sign_in("pse", on=engineer)
    engineer.goto("/sales/quotation/new")
    choose(engineer, "opportunity_id", "门诊楼综合布线")     # listed again
    screenshot("quotation-lists-it", on=engineer)


def test_a_lost_order_is_closed_by_its_summary_review(page, new_page, sign_in, screenshot):
    sign_in("am")
    opportunity_url = customer_and_opportunity(page, "equipment", "办公网交换机替换")
    press(page, "follow_equipment")
    in_dialog(page, "lose", lambda d: (d.locator("#lose-outcome_reason").select_option("price"),
                                       d.locator("textarea").fill("对手报价低 8%")))
    assert "失败/未中" in state_shown(page)
    # The summary was created with the loss: the salesperson opens it from the opportunity.
    with page.expect_navigation():
        page.locator("main a", has_text="DD-").first.click()
    summary_url = page.url
    assert "草稿" in state_shown(page)
    page.goto(summary_url + "/edit")
    page.select_option("#lost_stage", "negotiation")
    page.fill("#winner", "某某网络公司")
    page.fill("#lessons", "报价前先摸清客户预算，提前做品牌替代方案")
    submit_form(page)
    press(page, "submit")
    assert "待市场部经理审批" in state_shown(page)
    page.goto(opportunity_url)
    assert "失败/未中" in state_shown(page)

    # 市场部经理 rates and reviews it: that review closes the opportunity.
    manager = new_page()
    sign_in("mgr", on=manager)
    manager.goto(summary_url)
    in_dialog(manager, "approve", lambda d: (d.locator("#approve-mgr_rating").fill("4"),
                                             d.locator("#approve-mgr_comment").fill("分析到位")))
    assert "市场部经理已审阅" in state_shown(manager)
    screenshot("summary-reviewed", on=manager)
    manager.goto(opportunity_url)
    assert "丢单已总结" in state_shown(manager)
    screenshot("opportunity-closed", on=manager)
