"""Issue 12 items 9 and 14 in Chromium: a quotation's lines added, removed and moved with the
form's buttons, its amounts and total following the typing; a visit log written on a phone
(390 px wide) with no page wider than the screen."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_sales_flow import choose
from tests.modules.sales.conftest import api, area_id, market  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales")]
PHONE = {"width": 390, "height": 844}


def customer_and_opportunity(app, market, api, info_type="equipment"):  # noqa: F811
    status, cust = api(market, "am", "post", "customer", {"title": "深圳市第一人民医院", "industry": "healthcare",
                                                          "area_id": area_id(app)})
    assert status == 201, cust
    status, opp = api(market, "am", "post", "opportunity", {"title": "门诊楼网络设备", "customer_id": cust["id"],
                                                            "info_type": info_type, "est_amount": "300000.00"})
    assert status == 201, opp
    return cust, opp


def line(page, row: int, name: str):
    """The input `name` of the row at place `row` (0 first) of the lines table."""
    return page.locator("#lines tbody tr").nth(row).locator(f'[data-line-field="{name}"]')


def test_lines_are_added_removed_and_moved_and_the_total_follows_the_typing(app, page, sign_in, screenshot,
                                                                            market, api):  # noqa: F811
    _cust, opp = customer_and_opportunity(app, market, api)
    from modules.sales.models import Opportunity, Quotation
    with app.app_context():  # the salesperson quotes the equipment himself (WF-S07)
        followed = db.session.get(Opportunity, opp["id"])
        followed.state = "equip_in_progress"
        db.session.commit()
    sign_in("am")
    page.goto("/sales/quotation/new")
    choose(page, "opportunity_id", "门诊楼网络设备")
    page.fill("#title", "门诊楼网络设备报价")
    page.select_option("#kind", "equipment")
    rows = page.locator("#lines tbody tr")
    assert rows.count() == 3  # the blank rows offered
    total = page.locator('#lines output[data-total="amount"]')

    line(page, 0, "item").fill("核心交换机")
    line(page, 0, "qty").fill("2")
    line(page, 0, "unit_price").press_sequentially("100")
    expect(line(page, 0, "amount")).to_have_text("200.00")
    expect(total).to_have_text("200.00")
    page.click("#add-line")  # a fourth row, focused on its first input
    assert rows.count() == 4
    assert line(page, 3, "item").get_attribute("name") == "lines-3-item"
    line(page, 3, "item").fill("接入交换机")
    line(page, 3, "qty").fill("3")
    line(page, 3, "unit_price").press_sequentially("1")
    expect(total).to_have_text("203.00")
    line(page, 3, "unit_price").press_sequentially("0")  # 10: the total follows each key
    expect(line(page, 3, "amount")).to_have_text("30.00")
    expect(total).to_have_text("230.00")
    line(page, 1, "item").fill("光模块")
    line(page, 1, "qty").fill("1")
    line(page, 1, "unit_price").fill("5")
    expect(total).to_have_text("235.00")
    # The blank third row removed by keyboard; the new one moved up, the first one down.
    def items(*expected):  # waits until the rows show these items in this order
        expect(rows).to_have_count(len(expected))
        for i, item in enumerate(expected):
            expect(line(page, i, "item")).to_have_value(item)
    items("核心交换机", "光模块", "", "接入交换机")
    rows.nth(2).locator('[data-line-action="remove"]').focus()
    page.keyboard.press("Enter")
    items("核心交换机", "光模块", "接入交换机")
    rows.nth(2).locator('[data-line-action="up"]').click()
    items("核心交换机", "接入交换机", "光模块")
    rows.nth(0).locator('[data-line-action="down"]').click()
    items("接入交换机", "核心交换机", "光模块")
    expect(total).to_have_text("235.00")
    screenshot("moved")
    with page.expect_navigation():
        page.click("#save")
    assert "/sales/quotation/new" not in page.url, page.inner_text("main")
    detail = page.url
    expect(page.locator('#lines [data-total="amount"]')).to_have_text("¥235.00")
    with app.app_context():
        quote = db.session.scalar(select(Quotation).where(Quotation.title == "门诊楼网络设备报价"))
        assert [(l.item, l.qty, l.unit_price) for l in quote.lines] == [
            ("接入交换机", 3, 10), ("核心交换机", 2, 100), ("光模块", 1, 5)]
        assert quote.total_price == 235

    # Edited again: the middle line removed, the last moved up; the rows sent renumbered.
    page.click("#edit")
    page.wait_for_url(detail + "/edit")
    assert rows.count() == 3 + 3  # the lines and the blank rows offered
    expect(total).to_have_text("235.00")
    rows.nth(1).locator('[data-line-action="remove"]').click()
    rows.nth(1).locator('[data-line-action="up"]').click()
    expect(total).to_have_text("35.00")
    with page.expect_navigation():
        page.click("#save")
    with app.app_context():
        quote = db.session.scalar(select(Quotation).where(Quotation.title == "门诊楼网络设备报价"))
        assert [line.item for line in quote.lines] == ["光模块", "接入交换机"] and quote.total_price == 35


def fits(page) -> int:
    """The page's width: no wider than the phone's screen (no horizontal scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    return width


def test_a_visit_log_written_on_a_phone(app, browser, live_server, sign_in, screenshot, market, api):  # noqa: F811
    cust, opp = customer_and_opportunity(app, market, api)
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        phone = context.new_page()
        sign_in("am", on=phone)
        fits(phone)
        menu = phone.locator("#menu")
        assert not menu.is_visible()  # folded behind the button
        phone.click("#menu-toggle")
        menu.wait_for(state="visible")
        assert phone.locator('#menu a[href="/sales/visit_log/"]').is_visible()
        screenshot("dashboard-menu", on=phone)
        phone.goto("/workflow/inbox")
        fits(phone)

        phone.goto("/sales/visit_log/new")
        fits(phone)
        line(phone, 0, "customer_id").select_option(str(cust["id"]))
        for name, value in (("contact", "王主任"), ("purpose", "了解机房改造计划"), ("summary", "明年二季度改造主机房"),
                            ("next_step", "下周提交初步方案")):
            line(phone, 0, name).fill(value)
        phone.click("#add-line")
        assert phone.locator("#lines tbody tr").count() == 4
        phone.locator("#lines tbody tr").nth(3).locator('[data-line-action="remove"]').click()
        fits(phone)
        save = phone.locator("#save")
        box = save.bounding_box()  # within the thumb's reach without scrolling to the form's end
        assert box is not None and box["y"] + box["height"] <= PHONE["height"] and box["width"] >= 150
        screenshot("visit-log-form", on=phone)
        with phone.expect_navigation():
            save.click()
        assert "/new" not in phone.url, phone.inner_text("main")
        fits(phone)
        assert "王主任" in phone.inner_text("#lines")
        screenshot("visit-log-detail", on=phone)
        phone.goto("/sales/visit_log/")
        fits(phone)
        assert phone.locator("#rows tbody tr").count() == 1
        screenshot("visit-log-list", on=phone)
        phone.goto(f"/sales/opportunity/{opp['id']}")
        fits(phone)
        screenshot("opportunity", on=phone)
    finally:
        context.close()
