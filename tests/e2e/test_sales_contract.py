"""Issue 15 in a real browser, in Chinese: a won equipment deal's contract drafted from its
opportunity, reviewed department by department, approved and signed with its scan, registered by
the assistant with its collection plan, handed over to engineering, and its first money received."""
import pytest
from flask import g
from sqlalchemy import select

from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id
from tests.e2e.test_sales_flow import in_dialog, press, submit_form

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales")]


@pytest.fixture
def won_deal(app, make_user):
    """The people of the flow and an equipment opportunity won at a quoted price of 40,000 + 13 % VAT."""
    from core.auth.models import User
    from core.documents import service
    from core.workflow import engine
    mkt = department_id(app, "MKT")
    ids = {name: make_user(name, role, department_id=mkt if role.startswith(("ROLE-MKT", "ROLE-PS")) else None)
           for name, role in [("am", "ROLE-MKT-AM"), ("mgr", "ROLE-MKT-MGR"), ("ps_mgr", "ROLE-PS-MGR"),
                              ("pur_mgr", "ROLE-PUR-MGR"), ("fin", "ROLE-FIN"), ("ast", "ROLE-MKT-AST"),
                              ("eng_mgr", "ROLE-ENG-MGR")]}
    with app.test_request_context():
        from modules.sales.models import Area, QuotationLine
        erp = app.extensions["erp"]
        db.session.add(UserPosition(user_id=ids["mgr"], position_id=db.session.scalar(
            select(Position.id).where(Position.code == "POS-MKT-MGR"))))
        area = Area(code="SZ", name="深圳片区")
        db.session.add(area)
        db.session.flush()
        am = db.session.get(User, ids["am"])
        g.audit_user = am                       # who the service layer acts for
        customer = service.new_document(erp.doctypes["sales.customer"], am)
        customer.title, customer.industry, customer.area_id = "深圳湾科技园管理中心", "real_estate", area.id
        service.before_save(erp.doctypes["sales.customer"], customer)
        service.assign_number(erp.doctypes["sales.customer"], customer)
        db.session.add(customer)
        db.session.flush()
        opportunity = service.new_document(erp.doctypes["sales.opportunity"], am)
        opportunity.title, opportunity.customer_id, opportunity.info_type = "核心网络设备供货", customer.id, "equipment"
        opportunity.est_amount = 45200
        service.before_save(erp.doctypes["sales.opportunity"], opportunity)
        service.assign_number(erp.doctypes["sales.opportunity"], opportunity)
        db.session.add(opportunity)
        db.session.commit()
        engine.perform(erp.doctypes["sales.opportunity"], opportunity, "follow_equipment", am)
        quote_type = erp.doctypes["sales.quotation"]
        quote = service.new_document(quote_type, am)
        quote.title, quote.opportunity_id, quote.kind, quote.vat_rate = "核心交换机报价", opportunity.id, "equipment", 13
        quote.lines.append(QuotationLine(category="equipment", item="核心交换机", brand_model="华为 S7706", qty=1,
                                         unit="台", unit_cost=30000, cost_source="history", unit_price=40000))
        service.before_save(quote_type, quote)
        service.assign_number(quote_type, quote)
        db.session.add(quote)
        db.session.commit()
        engine.perform(quote_type, quote, "quote", am)
        opportunity.won_on = quote.sent_on
        engine.perform(erp.doctypes["sales.opportunity"], opportunity, "win", am, "客户书面确认")
        engine.perform(erp.doctypes["sales.opportunity"], opportunity, "confirm_win",
                       db.session.get(User, ids["mgr"]), "确认")
        return opportunity.id


def state_shown(page) -> str:
    return page.inner_text('#status-bar [aria-current="true"]')


def test_contract_review_signing_registration_handover_and_first_receipt(page, new_page, sign_in, screenshot,
                                                                         won_deal, tmp_path):
    # 客户经理: from the won opportunity's page, the contract (its amount is the approved price).
    sign_in("am")
    page.goto(f"/sales/opportunity/{won_deal}")
    with page.expect_navigation():
        page.locator('[data-related="sales.contract"] [data-new-related]').click()
    page.fill("#title", "核心交换机采购合同")
    page.uncheck("#installs")
    for field, text in [("#payment_terms", "签订后付30%，验收后付70%"), ("#delivery_terms", "签订后30天内到货"),
                        ("#warranty_terms", "原厂质保三年"), ("#liability", "逾期交货每日千分之一")]:
        page.fill(field, text)
    submit_form(page)
    contract_url = page.url
    assert "HT-" in page.inner_text("main") and "45,200.00" in page.inner_text("main")
    press(page, "submit")
    assert "合同评审中" in state_shown(page)
    screenshot("contract-in-review")

    # The reviewers in turn, each from his own page: 市场部经理, 售前经理, 采购部经理, 财务, then signing.
    for who, opinion in [("mgr", "商务条款可接受"), ("ps_mgr", "范围与方案一致"), ("pur_mgr", "货期可保证"),
                         ("fin", "付款节点清楚"), ("mgr", "批准签订")]:
        reviewer = new_page()
        sign_in(who, on=reviewer)
        reviewer.goto(contract_url)
        assert reviewer.locator('button[data-transition="approve"]').count(), (who, reviewer.inner_text("main"))
        in_dialog(reviewer, "approve", lambda d, text=opinion: d.locator("textarea").fill(text))
        reviewer.close()
    page.goto(contract_url)
    assert "批准签订" in state_shown(page)

    # Signed: the scan first (R-S-064), then the seal request.
    scan = tmp_path / "合同扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n%signed\n")
    page.set_input_files("#upload-form input[type=file]", str(scan))
    with page.expect_navigation():
        page.click("#upload-form button")
    in_dialog(page, "sign", lambda d: d.locator("#sign-seal_request").fill("YY-2026-015"))
    assert "已签单" in state_shown(page)

    # 市场部助理: the collection plan from the contract's page, then the ledger.
    assistant = new_page()
    sign_in("ast", on=assistant)
    for milestone, amount, trigger in [("advance", "13560", "date"), ("acceptance", "31640", "acceptance")]:
        assistant.goto(contract_url)
        with assistant.expect_navigation():
            assistant.locator('[data-related="sales.collection"] [data-new-related]').click()
        assistant.select_option("#milestone", milestone)
        assistant.fill("#amount", amount)
        assistant.select_option("#trigger", trigger)
        if trigger == "date":
            assistant.fill("#planned_date", "2027-01-15")
        submit_form(assistant)
    assistant.goto(contract_url)
    press(assistant, "register")
    assert "已登记存档" in state_shown(assistant)
    screenshot("contract-registered", on=assistant)

    # 客户经理: the handover (F-S09); 工程部经理 accepts it.
    page.goto(contract_url)
    with page.expect_navigation():
        page.locator('[data-related="sales.handover"] [data-new-related]').click()
    page.fill("#title", "科技园核心网络")
    for field, text in [("#site_address", "深圳湾科技园A座"), ("#customer_contacts", "李工 信息部 13900000000 技术对接"),
                        ("#due_completion", "2027-02-28"), ("#warranty_months", "36"), ("#solution", "核心网络方案 V2"),
                        ("#commitments", "到货后一周内上线")]:
        page.fill(field, text)
    page.select_option("#supervision_mode", "none")
    page.select_option("#handover_docs", ["contract", "equipment"])
    page.fill("[name='lines-0-item']", "核心交换机")
    page.fill("[name='lines-0-qty']", "1")
    submit_form(page)
    press(page, "submit")
    handover_url = page.url
    engineering = new_page()
    sign_in("eng_mgr", on=engineering)
    engineering.goto(handover_url)
    in_dialog(engineering, "approve", lambda d: d.locator("textarea").fill("接收，安排郑工"))
    assert "已接受" in state_shown(engineering)
    engineering.goto(contract_url)
    assert "执行中" in state_shown(engineering)
    assert "25.00" not in engineering.inner_text("main")             # no margin for engineering (R-S-067)
    page.goto(f"/sales/opportunity/{won_deal}")
    assert "已通知工程部" in state_shown(page)

    # 财务: the advance arrives.
    finance = new_page()
    sign_in("fin", on=finance)
    finance.goto("/sales/collection/")
    with finance.expect_navigation():
        finance.locator("main a", has_text="SK-").first.click()
    in_dialog(finance, "receive", lambda d: d.locator("#receive-bank_ref").fill("工行 0001"))
    assert "已收款" in state_shown(finance)
    screenshot("first-receipt", on=finance)
