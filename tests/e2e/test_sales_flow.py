"""The handbook's pre-sales flow in a real browser, in Chinese: a salesperson registers an
opportunity, the managers approve it, a pre-sales engineer prices it, and a quotation below the
5% margin is stopped before it can reach the customer."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales")]


@pytest.fixture
def people(app, make_user):
    mkt = department_id(app, "MKT")
    ids = {name: make_user(name, role, department_id=mkt) for name, role in [
        ("am", "ROLE-MKT-AM"), ("mgr", "ROLE-MKT-MGR"), ("ps_mgr", "ROLE-PS-MGR"), ("pse", "ROLE-MKT-PSE"),
        ("dir", "ROLE-MKT-DIR")]}
    with app.app_context():
        from modules.sales.models import Area
        pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user_id=ids["mgr"], position_id=pos.id))
        db.session.add(Area(code="SZ", name="深圳片区"))
        db.session.commit()
    return ids


def submit_form(page):
    with page.expect_navigation():
        page.click("#save")


def choose(page, field, typed):
    """Pick a record in a searched choice list (tom-select) by typing part of its name."""
    page.focus(f"#{field}-ts-control")
    page.keyboard.type(typed)
    option = page.locator(".ts-dropdown .option", has_text=typed).first
    option.wait_for()
    option.click()
    # Done choosing: no search still loading, the list closed and the focus given back, so that
    # the next fields typed into keep their values (a late search result re-opened the list and
    # took the focus in the middle of filling a field on a loaded machine).
    page.wait_for_load_state("networkidle")
    page.locator(f"#{field}").evaluate("el => { el.tomselect.close(); el.tomselect.blur(); }")


def press(page, transition):
    button = page.locator(f'button[data-transition="{transition}"]')
    try:
        button.wait_for()
    except Exception:  # say what the page offered instead (a refusal, another state) when it fails
        raise AssertionError(f"no {transition!r} button on {page.url}:\n{page.inner_text('main')}") from None
    with page.expect_navigation():
        button.click()


def in_dialog(page, transition, fill=None):
    """Take an action that asks for input (or a comment) in its dialog on the document's page."""
    page.click(f'button[data-transition="{transition}"]')
    dialog = page.locator(f"#dialog-{transition}")
    dialog.wait_for(state="visible")
    (fill or (lambda d: None))(dialog)
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()


def test_registration_approvals_and_the_margin_rule(page, new_page, sign_in, screenshot, people):
    # 客户经理: customer, opportunity and registration.
    sign_in("am")
    page.goto("/sales/customer/new")
    page.fill("#title", "深圳市第一人民医院")
    page.select_option("#industry", "healthcare")
    page.select_option("#area_id", label="深圳片区")
    submit_form(page)
    assert "KH-" in page.inner_text("main")
    page.goto("/sales/opportunity/new")
    page.fill("#title", "门诊楼综合布线")
    choose(page, "customer_id", "深圳市第一人民医院")
    page.select_option("#info_type", "engineering")
    page.fill("#est_amount", "800000")
    submit_form(page)
    assert "获得客户需求信息" in page.inner_text("#status-bar")
    page.goto("/sales/registration/new")
    choose(page, "opportunity_id", "门诊楼综合布线")
    for field, value in [("#title", "门诊楼综合布线"), ("#site_address", "深圳市罗湖区"),
                         ("#customer_contacts", "王主任 信息科 决策人"), ("#overview", "六层门诊楼"),
                         ("#est_amount", "800000"), ("#funding", "财政拨款"), ("#decision_process", "院办会"),
                         ("#expected_tender_date", "2026-12-20")]:
        page.fill(field, value)
    page.select_option("#project_types", ["cabling", "network"])
    page.select_option("#support_needed", ["solution"])
    submit_form(page)
    press(page, "submit")
    assert "待市场部经理审批" in page.inner_text('#status-bar [aria-current="true"]')
    registration_url = page.url

    # 市场部经理 approves; 售前经理 signs and assigns the pre-sales engineer.
    manager = new_page()
    sign_in("mgr", on=manager)
    manager.goto(registration_url)
    in_dialog(manager, "approve", lambda d: d.locator("textarea").fill("同意"))
    assert "待售前经理签字安排" in manager.inner_text('#status-bar [aria-current="true"]')
    presales_manager = new_page()
    sign_in("ps_mgr", on=presales_manager)
    presales_manager.goto(registration_url)
    in_dialog(presales_manager, "assign", lambda d: d.locator("#assign-presales_lead_id").select_option(label="pse"))
    assert "已安排售前" in presales_manager.inner_text('#status-bar [aria-current="true"]')

    # The salesperson fills the requirement analysis (F-S05) and sends it to be confirmed; with no
    # 工程部经理 the 售前经理 confirms the capability: only then can a budget be built (R-S-011).
    page.goto("/sales/requirement/new")
    choose(page, "registration_id", "门诊楼综合布线")
    for field, value in [("#customer_profile", "三甲医院"), ("#current_state", "百兆网络老化"),
                         ("#requirement_summary", "综合布线与网络"), ("#site_conditions", "六层, 每层弱电间"),
                         ("#schedule_start", "2027-01-04"), ("#schedule_end", "2027-03-31"),
                         ("#presales_opinion", "可行"), ("#lines-0-description", "六类布线 1200 点")]:
        page.fill(field, value)
    page.select_option("#lines-0-subsystem", "cabling")
    submit_form(page)
    assert "/sales/requirement/new" not in page.url, page.inner_text("main")
    press(page, "submit")
    presales_manager.goto(page.url)
    press(presales_manager, "confirm_capable")
    assert "技术能力已确认" in presales_manager.inner_text('#status-bar [aria-current="true"]')

    # 售前工程师 prices it at a 4% margin and submits; the 售前经理 passes the review.
    engineer = new_page()
    sign_in("pse", on=engineer)
    engineer.goto("/sales/quotation/new")
    choose(engineer, "opportunity_id", "门诊楼综合布线")
    engineer.fill("#title", "门诊楼综合布线预算")
    for field, value in [("item", "六类非屏蔽双绞线"), ("qty", "100"), ("unit_cost", "960"),
                         ("cost_note", "代理商报价"), ("unit_price", "1000")]:
        engineer.fill(f"#lines-0-{field}", value)
    engineer.select_option("#lines-0-cost_source", "manual")
    submit_form(engineer)
    assert "/sales/quotation/new" not in engineer.url, engineer.inner_text("main")
    press(engineer, "submit")
    assert "售前经理审核" in engineer.inner_text('#status-bar [aria-current="true"]'), engineer.inner_text("main")
    quotation_url = engineer.url
    presales_manager.goto(quotation_url)
    press(presales_manager, "ps_approve")

    # 市场部经理 fixes the external price: below 5% the quotation is stopped.
    manager.goto(quotation_url)
    in_dialog(manager, "fix_price", lambda d: d.locator("#fix_price-external_price").fill("100000"))
    text = manager.inner_text("main")
    assert "低于最低利润率" in text and "4.00%" in text
    manager.goto(quotation_url)  # the refused price page stays open; the quotation is as it was
    assert "市场部经理审批定价" in manager.inner_text('#status-bar [aria-current="true"]')
    assert manager.locator('button[data-transition="send"]').count() == 0
    screenshot("margin-stopped", on=manager)

    # The salesperson cannot send it to the customer.
    page.goto(quotation_url)
    assert page.locator('button[data-transition="send"]').count() == 0
