"""Procurement's main flow in a real browser, in Chinese, passing hands as the handbook does (WF-P01):
a 项目工程师 raises a two-line purchase request for his project, his superior the 工程部经理 approves
it from his inbox, the 采购部经理 accepts it and assigns the buyer, who sources it and orders from a
qualified supplier from the request's page; the 采购部经理 approves the order, attaches the signed
contract and records it; the buyer registers the delivery, one line short and one with defective
goods, and (engineering being off) inspects and accepts it himself; the supplier replaces the
defective goods. The order, the request and the supplier's scorecard show what came and what did not."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id
from tests.e2e.test_lines_and_phone import line
from tests.e2e.test_sales_contract import state_shown
from tests.e2e.test_sales_flow import choose, in_dialog, press, submit_form
from tests.modules.procurement.conftest import make_supplier

pytestmark = [pytest.mark.e2e, pytest.mark.modules("procurement")]

PEOPLE = {"pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"),
          "pur_mgr": ("ROLE-PUR-MGR", "PUR", "POS-PUR-MGR"), "buyer": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY")}
SUPPLIER = "深圳市华讯网络设备有限公司"


@pytest.fixture
def people(app, make_user):
    """The requester, his superior (POS-ENG-PE reports to POS-ENG-MGR), the 采购部经理 and the buyer;
    a qualified supplier of network goods; the day the goods are needed by (a month ahead: not urgent)."""
    ids = {name: make_user(name, role, department_id=department_id(app, dept))
           for name, (role, dept, _position) in PEOPLE.items()}
    with app.app_context():
        from core import calendar_today
        for name, (_role, _dept, code) in PEOPLE.items():
            position = db.session.scalar(select(Position.id).where(Position.code == code))
            db.session.add(UserPosition(user_id=ids[name], position_id=position))
        db.session.commit()
        needed_by = (calendar_today.today() + timedelta(days=30)).isoformat()
    supplier = make_supplier(app, {"ids": ids}, name=SUPPLIER, categories=("network", "cabling"))
    return {"ids": ids, "supplier": supplier, "needed_by": needed_by}


def waiting_for(page, number):
    """The row of `number` in the person's "waiting for me" inbox."""
    page.goto("/inbox")
    return page.locator("#inbox tr", has_text=number)


def state(page) -> str:
    """The code of the state the document's status bar shows."""
    return page.locator('#status-bar [aria-current="true"]').get_attribute("data-state")


def number_shown(page) -> str:
    return page.locator("nav .breadcrumb-item.active").inner_text().strip()


def test_from_purchase_request_to_receipt(app, page, new_page, sign_in, screenshot, people, tmp_path):
    # 项目工程师: the purchase request for his project, two lines in the form.
    sign_in("pe")
    page.goto("/procurement/request/new")
    page.fill("#purpose", "南山数据中心综合布线项目：网线与配线架")
    page.check("#project_related")
    page.fill("#project_ref", "GC-2026-0003 南山数据中心")
    for row, (item, spec, qty, unit, cost) in enumerate([
            ("六类非屏蔽网线", "康普 CS24U-305", "20", "箱", "520"),
            ("24 口六类配线架", "康普 760237040", "8", "个", "400")]):
        for name, value in [("item", item), ("brand_model_spec", spec), ("qty", qty), ("unit", unit),
                            ("budget_unit_cost", cost), ("required_date", people["needed_by"]),
                            ("delivery_place", "南山科技园数据中心项目现场")]:
            line(page, row, name).fill(value)
    expect(page.locator('#lines output[data-total="budget_amount"]')).to_have_text("13,600.00")
    screenshot("request-form")
    submit_form(page)
    assert "/new" not in page.url, page.inner_text("main")
    request_url, request_no = page.url, number_shown(page)
    assert request_no.startswith("SQ"), request_no
    press(page, "submit")
    assert "待部门审批" in state_shown(page)
    assert page.locator("main h2", has_text="明细").count() == 1, "the lines' heading"   # not 行数 (a count)
    screenshot("request-submitted")

    # 工程部经理: the request waits in his inbox; he approves it.
    manager = new_page()
    sign_in("eng_mgr", on=manager)
    row = waiting_for(manager, request_no)
    assert row.count() == 1, manager.inner_text("main")
    screenshot("inbox-engineering-manager", on=manager)
    with manager.expect_navigation():
        row.locator("a").first.click()
    in_dialog(manager, "approve", lambda d: d.locator("textarea").fill("同意，按预算采购"))
    assert state(manager) == "dept_approved"

    # 采购部经理: accepts it and assigns the buyer.
    purchasing = new_page()
    sign_in("pur_mgr", on=purchasing)
    row = waiting_for(purchasing, request_no)
    assert row.count() == 1, purchasing.inner_text("main")
    with purchasing.expect_navigation():
        row.locator("a").first.click()
    screenshot("request-to-accept", on=purchasing)

    def assign(dialog):
        buyer = dialog.locator("select").first
        buyer.select_option(str(people["ids"]["buyer"]))
        dialog.locator("textarea").fill("本周内询价，月底前到货")
    in_dialog(purchasing, "accept", assign)
    assert state(purchasing) == "accepted"

    # 采购员: told of the assignment, starts sourcing, then orders from the request's page.
    buyer = new_page()
    sign_in("buyer", on=buyer)
    buyer.goto("/notifications")
    told = buyer.locator("#notifications tr", has_text=f"采购申请已指派给您：{request_no}")
    assert told.count() == 1, buyer.inner_text("main")
    screenshot("buyer-notified", on=buyer)
    with buyer.expect_navigation():
        told.locator("button").first.click()
    assert buyer.url == request_url, buyer.url
    press(buyer, "source")
    assert state(buyer) == "sourcing"
    with buyer.expect_navigation():
        buyer.locator('[data-related="procurement.order"] [data-new-related]').click()
    choose(buyer, "supplier_id", "华讯")
    buyer.fill("#payment_terms", "货到验收合格并收到发票后 30 天内付款")
    buyer.fill("#delivery_terms", "送货至南山科技园数据中心项目现场，运费由供方承担")
    buyer.fill("#warranty_terms", "原厂质保三年")
    screenshot("order-form", on=buyer)
    submit_form(buyer)
    assert "/new" not in buyer.url, buyer.inner_text("main")
    order_url, order_no = buyer.url, number_shown(buyer)
    assert order_no.startswith("PO"), order_no
    lines_shown = buyer.inner_text("#lines")
    assert "六类非屏蔽网线" in lines_shown and "24 口六类配线架" in lines_shown, lines_shown
    # The quoted prices replace the budget costs copied from the request.
    buyer.click("#edit")
    buyer.wait_for_url(order_url + "/edit")
    line(buyer, 0, "unit_price").fill("500")
    line(buyer, 1, "unit_price").fill("390")
    expect(buyer.locator('#lines output[data-total="amount"]')).to_have_text("13,120.00")
    screenshot("order-prices", on=buyer)
    submit_form(buyer)
    assert buyer.url == order_url, buyer.inner_text("main")
    press(buyer, "submit")
    assert state(buyer) == "pending_approval"
    screenshot("order-submitted", on=buyer)

    # 采购部经理: approves (within his limit), attaches the signed contract's scan and records it.
    row = waiting_for(purchasing, order_no)
    assert row.count() == 1, purchasing.inner_text("main")
    with purchasing.expect_navigation():
        row.locator("a").first.click()
    in_dialog(purchasing, "approve", lambda d: d.locator("textarea").fill("价格与询价一致，同意"))
    assert state(purchasing) == "approved"
    scan = tmp_path / "采购合同扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n%signed\n")
    purchasing.set_input_files("#upload-form input[type=file]", str(scan))
    with purchasing.expect_navigation():
        purchasing.click("#upload-form button")
    assert "采购合同扫描件.pdf" in purchasing.inner_text("#attachments")
    in_dialog(purchasing, "contract", lambda d: d.locator("input[name=contract_no]").fill("CG-2026-031"))
    assert state(purchasing) == "contracted"
    screenshot("order-contracted", on=purchasing)

    # 采购员: the delivery, 5 boxes of cable short and 2 patch panels defective; he inspects (no engineering).
    buyer.goto(order_url)
    with buyer.expect_navigation():
        buyer.click('button[data-action="procurement.order_receive"]')
    receipt_url = buyer.url.removesuffix("/edit")
    arrived = buyer.input_value("#received_at")     # now, in the company's time zone
    with app.app_context():
        from core import calendar_today
        now = calendar_today.now().replace(tzinfo=None)
    assert abs(datetime.fromisoformat(arrived) - now) < timedelta(minutes=5), (arrived, now)
    line(buyer, 0, "qty_received").fill("15")
    line(buyer, 1, "qty_received").fill("8")
    screenshot("receipt-form", on=buyer)
    submit_form(buyer)
    assert buyer.url == receipt_url, buyer.inner_text("main")
    press(buyer, "inspect")
    buyer.click("#edit")
    buyer.wait_for_url(receipt_url + "/edit")
    line(buyer, 0, "inspection").select_option("passed")
    line(buyer, 1, "inspection").select_option("failed")
    line(buyer, 1, "qty_rejected").fill("2")
    line(buyer, 1, "nonconformance").fill("2 个配线架模块压线端子损坏")
    line(buyer, 1, "return_note").fill("换货")
    submit_form(buyer)
    assert buyer.url == receipt_url, buyer.inner_text("main")
    press(buyer, "accept")
    assert state(buyer) == "accepted"
    screenshot("receipt-accepted", on=buyer)
    buyer.goto(order_url)
    assert "部分到货" in state_shown(buyer)
    buyer.goto(request_url)
    assert state(buyer) == "ordered"  # no line in full
    screenshot("request-after-first-receipt", on=buyer)

    # The supplier replaces the 2 defective panels; the cable still owed stays open.
    buyer.goto(order_url)
    with buyer.expect_navigation():
        buyer.click('button[data-action="procurement.order_receive"]')
    second_url = buyer.url.removesuffix("/edit")
    line(buyer, 0, "qty_received").fill("0")
    line(buyer, 1, "qty_received").fill("2")
    submit_form(buyer)
    assert buyer.url == second_url, buyer.inner_text("main")
    press(buyer, "inspect")
    buyer.click("#edit")
    buyer.wait_for_url(second_url + "/edit")
    line(buyer, 1, "inspection").select_option("passed")
    submit_form(buyer)
    press(buyer, "accept")
    assert state(buyer) == "accepted"

    # What the pages show: the order and the request partially received, the supplier's scorecard.
    buyer.goto(order_url)
    assert "部分到货" in state_shown(buyer)
    screenshot("order-partially-received", on=buyer)
    buyer.goto(request_url)
    assert "部分到货" in state_shown(buyer), state_shown(buyer)
    request_lines = buyer.locator("#lines tbody tr")
    assert "已下单" in request_lines.nth(0).inner_text()          # the cable still owed
    assert "已到货" in request_lines.nth(1).inner_text()          # the panels, replaced
    screenshot("request-partially-received", on=buyer)
    buyer.goto(f"/procurement/supplier/{people['supplier']}")
    with buyer.expect_navigation():
        buyer.click('[data-action="procurement.scorecard_view"]')
    figures = buyer.inner_text("#figures")
    assert "1 次不合格" in figures, figures
    assert "3 行中 1 行迟交或短缺" in figures, figures
    screenshot("supplier-scorecard", on=buyer)
