"""Fund-use plans (X-P07), supplier payment requests (X-P08) and reconciliation statements (X-P06):
the way from a payable to its payment (R-P-032, R-P-033), finance recording it (with the
procurement manager's fallback), the payables and the order settled, and the monthly statement
(R-P-031) whose difference is explained."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import calendar_today
from core.extensions import db
from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_orders import line
from tests.modules.procurement.test_payables import inv, invoice, payables, received

pytestmark = pytest.mark.modules("procurement")


def today():
    return calendar_today.today()


def payable_of(app, people, papi, pweb, price="5000", qty="4", day=None, supplier=None):
    """A received order (qty × price) with its matched invoice: (order, payable)."""
    order = received(app, people, papi, pweb, line(qty=qty, price=price), supplier=supplier)
    doc = invoice(people, papi, order, no=f"4403{order['id']:04d}", day=day)
    assert inv(people, papi, "buyer", doc["id"], "register")[1]["state"] == "matched"
    payable = next(p for p in payables(people, papi) if p["invoice_id"] == doc["id"])
    return order, payable


def plan(people, papi, *payable_rows, month=None, who="pur_mgr", approve=True):
    status, doc = papi(people, who, "post", "fund_plan", {"month": (month or today()).isoformat(),
                                                           "lines": list(payable_rows)})
    assert status == 201, doc
    if approve:
        assert papi(people, "pur_mgr", "post", f"fund_plan/{doc['id']}/transitions/submit", {})[0] == 200
        status, doc = papi(people, "gm", "post", f"fund_plan/{doc['id']}/transitions/approve", {"comment": "同意"})
        assert status == 200 and doc["state"] == "approved", doc
    return doc


def planned(payable, priority="must"):
    return {"payable_id": payable["id"], "amount": payable["open_amount"], "priority": priority}


def request(people, papi, supplier_id, *rows, who="buyer"):
    body = {"supplier_id": supplier_id, "purpose": "支付货款"}
    if rows:
        body["lines"] = list(rows)
    return papi(people, who, "post", "payment", body)


def pay(people, papi, who, doc_id, name, **payload):
    return papi(people, who, "post", f"payment/{doc_id}/transitions/{name}", payload)


def steps_of(app, doc_id):
    from core.workflow.models import ApprovalTask
    with app.app_context():
        return sorted(set(db.session.scalars(select(ApprovalTask.step_name).where(
            ApprovalTask.doctype == "procurement.payment", ApprovalTask.doc_id == doc_id)).all()))


# ---- the happy path -----------------------------------------------------------------------------
def test_a_planned_payable_is_paid_and_the_order_follows(app, purchasing, papi, pweb):
    order, payable = payable_of(app, purchasing, papi, pweb)                    # 20 000
    fund = plan(purchasing, papi, planned(payable))
    assert fund["number"].startswith("YK-") and fund["total"] == "20000.00"
    assert fund["title"] == f"{today().year}年{today().month}月用款计划"
    status, doc = request(purchasing, papi, payable["supplier_id"])            # the supplier's open payables
    assert status == 201, doc
    assert doc["number"].startswith("FK-") and doc["amount"] == "20000.00" and doc["in_fund_plan"] is True
    assert [(r["payable_id"], r["amount"], r["open_amount"]) for r in doc["lines"]] == [
        (payable["id"], "20000.00", "20000.00")]
    assert doc["bank_account"] == "755900000001"
    assert pay(purchasing, papi, "buyer", doc["id"], "submit")[1]["state"] == "pending_approval"
    assert steps_of(app, doc["id"]) == ["manager"]
    status, doc = pay(purchasing, papi, "pur_mgr", doc["id"], "approve", comment="同意")
    assert status == 200 and doc["state"] == "approved", doc
    assert pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat())[0] == 422   # bank reference
    status, doc = pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB20261205001")
    assert status == 200 and doc["state"] == "paid" and doc["bank_ref"] == "CMB20261205001", doc
    settled = papi(purchasing, "buyer", "get", f"payable/{payable['id']}")[1]
    assert (settled["state"], settled["paid_amount"], settled["open_amount"]) == ("paid", "20000.00", "0.00")
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "closed"   # paid, then closed


def test_a_part_payment_leaves_the_rest_open(app, purchasing, papi, pweb):
    order, payable = payable_of(app, purchasing, papi, pweb)
    plan(purchasing, papi, planned(payable))
    status, doc = request(purchasing, papi, payable["supplier_id"], {"payable_id": payable["id"], "amount": "8000"})
    assert status == 201 and doc["amount"] == "8000.00", doc
    status, second = request(purchasing, papi, payable["supplier_id"], {"payable_id": payable["id"], "amount": "12000.01"})
    assert status == 201, second                                                # a draft reserves nothing
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    # What a submitted request asks for is not asked for again by another.
    status, refused = pay(purchasing, papi, "buyer", second["id"], "submit")
    assert status == 422 and "12,000.00" in str(refused), refused
    status, refused = request(purchasing, papi, payable["supplier_id"], {"payable_id": payable["id"], "amount": "12000.01"})
    assert status == 422 and "12,000.00" in str(refused), refused
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
    pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB-1")
    settled = papi(purchasing, "buyer", "get", f"payable/{payable['id']}")[1]
    assert (settled["state"], settled["paid_amount"], settled["open_amount"]) == ("partly_paid", "8000.00", "12000.00")
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "invoiced"


def test_a_payment_above_the_open_amount_is_refused_with_its_line(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb)
    status, refused = request(purchasing, papi, payable["supplier_id"], {"payable_id": payable["id"], "amount": "20000.01"})
    assert status == 422 and "Line 1" in str(refused) and "20,000.00" in str(refused), refused
    other = received(app, purchasing, papi, pweb, line(qty="1", price="100"),
                     supplier=make_supplier(app, purchasing, "广州市金缆通信器材有限公司"))
    status, refused = request(purchasing, papi, other["supplier_id"])          # nothing invoiced: nothing to pay
    assert status == 422 and "supplier_id" in refused["fields"], refused
    assert papi(purchasing, "buyer", "get", "payment")[1]["items"] == []


# ---- approval (R-P-032, R-P-033) ----------------------------------------------------------------
@pytest.mark.parametrize("price, steps", [("50000.00", ["manager"]), ("50000.01", ["gm", "manager"])])
def test_the_general_manager_approves_above_the_threshold(app, purchasing, papi, pweb, price, steps):
    _order, payable = payable_of(app, purchasing, papi, pweb, price=price, qty="1")
    plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"])[1]
    assert doc["in_fund_plan"] is True
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    assert steps_of(app, doc["id"]) == steps
    status, doc = pay(purchasing, papi, "pur_mgr", doc["id"], "approve", comment="同意")
    assert doc["state"] == ("approved" if steps == ["manager"] else "pending_approval"), doc
    if "gm" in steps:
        status, doc = pay(purchasing, papi, "gm", doc["id"], "approve", comment="同意")
        assert status == 200 and doc["state"] == "approved", doc


def test_an_unplanned_payment_goes_to_the_general_manager(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb, price="1000", qty="2")
    unapproved = plan(purchasing, papi, planned(payable), approve=False)        # a plan not approved yet
    assert unapproved["state"] == "draft"
    doc = request(purchasing, papi, payable["supplier_id"])[1]
    assert doc["in_fund_plan"] is False
    status, doc = pay(purchasing, papi, "buyer", doc["id"], "submit")
    assert status == 200 and doc["state"] == "pending_approval", doc
    assert steps_of(app, doc["id"]) == ["gm", "manager"]
    from core.rules.models import RuleViolation
    with app.app_context():
        assert db.session.scalar(select(RuleViolation.kind).where(RuleViolation.rule_code == "R-P-032")) == "warned"
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve", comment="同意")
    status, doc = pay(purchasing, papi, "gm", doc["id"], "approve", comment="急需付款，同意")
    assert status == 200 and doc["state"] == "approved", doc


def test_a_plan_of_last_month_does_not_cover_this_month(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb, price="1000", qty="2")
    plan(purchasing, papi, planned(payable), month=today().replace(day=1) - timedelta(days=1))
    assert request(purchasing, papi, payable["supplier_id"])[1]["in_fund_plan"] is False


# ---- who does what ------------------------------------------------------------------------------
def test_a_buyer_neither_approves_nor_pays(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb)
    plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"], who="buyer2")[1]
    pay(purchasing, papi, "buyer2", doc["id"], "submit")
    status, refused = pay(purchasing, papi, "buyer", doc["id"], "approve", comment="同意")
    assert status == 403 and "not an approver" in str(refused), refused
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
    status, refused = pay(purchasing, papi, "buyer", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="X")
    assert status == 403 and "permission" in str(refused), refused
    # Finance is there: the procurement manager does not record the payment.
    status, refused = pay(purchasing, papi, "pur_mgr", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="X")
    assert status == 422 and "Finance records" in str(refused), refused
    for who in ("pe", "am"):
        assert papi(purchasing, who, "get", "payment")[0] == 403, who
    assert request(purchasing, papi, payable["supplier_id"], who="fin")[0] == 403
    assert papi(purchasing, "buyer", "get", f"payment/{doc['id']}")[1]["state"] == "approved"


def test_without_finance_the_procurement_manager_records_the_payment(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb)
    plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"])[1]
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
    from core.auth.models import User
    with app.app_context():
        db.session.get(User, purchasing["ids"]["fin"]).active = False
        db.session.commit()
    status, doc = pay(purchasing, papi, "pur_mgr", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB-9")
    assert status == 200 and doc["state"] == "paid", doc


def test_only_the_procurement_manager_prepares_the_plan_and_the_general_manager_approves(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb)
    assert papi(purchasing, "buyer", "post", "fund_plan", {"month": today().isoformat(), "lines": [planned(payable)]}
                )[0] == 403
    doc = plan(purchasing, papi, planned(payable), approve=False)
    papi(purchasing, "pur_mgr", "post", f"fund_plan/{doc['id']}/transitions/submit", {})
    status, refused = papi(purchasing, "pur_mgr", "post", f"fund_plan/{doc['id']}/transitions/approve", {})
    assert status == 403, refused
    status, refused = papi(purchasing, "dir", "post", f"fund_plan/{doc['id']}/transitions/approve", {})
    assert status == 403 and "not an approver" in str(refused), refused
    status, refused = papi(purchasing, "pur_mgr", "post", "fund_plan", {"month": today().isoformat(),
                                                                          "lines": [planned(payable)]})
    assert status == 422 and "month" in refused["fields"], refused              # one plan a month


def test_a_plan_saved_without_lines_proposes_the_payables_due(app, purchasing, papi, pweb):
    _order, late = payable_of(app, purchasing, papi, pweb, day=today() - timedelta(days=45))      # overdue
    _order, due = payable_of(app, purchasing, papi, pweb, price="1000", qty="3", supplier=late["supplier_id"])
    later = today().replace(day=1) + timedelta(days=95)                        # a later month: nothing due
    doc = plan(purchasing, papi, month=later, approve=False)
    assert [(r["payable_id"], r["priority"]) for r in doc["lines"]] == [
        (late["id"], "must"), (due["id"], "must")]
    doc = plan(purchasing, papi, month=today(), approve=False)
    assert [(r["payable_id"], r["amount"], r["priority"]) for r in doc["lines"]][0] == (late["id"], "20000.00", "must")
    browser = pweb("pur_mgr")
    assert browser.post(f"/procurement/fund_plan/{doc['id']}/propose").status_code == 302
    status, forecast = papi(purchasing, "pur_mgr", "put", f"fund_plan/{doc['id']}", {
        "month": doc["month"], "version": papi(purchasing, "pur_mgr", "get", f"fund_plan/{doc['id']}")[1]["version"],
        "lines": [{"payable_id": None, "forecast": "机房空调预付款", "amount": "30000", "priority": "deferrable"}]})
    assert status == 200 and forecast["total"] == "30000.00", forecast
    status, refused = papi(purchasing, "pur_mgr", "put", f"fund_plan/{doc['id']}", {
        "month": doc["month"], "version": forecast["version"], "lines": [{"payable_id": None, "forecast": "", "amount": "30000", "priority": "normal"}]})
    assert status == 422 and "forecast" in str(refused), refused


# ---- reconciliation (X-P06, R-P-031) ------------------------------------------------------------
def statement(people, papi, supplier_id, month=None, who="buyer"):
    status, doc = papi(people, who, "post", "reconciliation", {"supplier_id": supplier_id,
                                                                 "period": (month or today()).isoformat()})
    assert status == 201, doc
    return doc


def recon(people, papi, who, doc_id, name, **payload):
    return papi(people, who, "post", f"reconciliation/{doc_id}/transitions/{name}", payload)


def test_the_statement_balances_invoices_and_payments_and_a_difference_is_explained(app, purchasing, papi, pweb):
    first = today().replace(day=1)
    _order, before = payable_of(app, purchasing, papi, pweb, price="1000", qty="3", day=first - timedelta(days=3))
    _order, payable = payable_of(app, purchasing, papi, pweb, supplier=before["supplier_id"], day=first)
    plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"], {"payable_id": payable["id"], "amount": "5000"})[1]
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
    pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB-77")
    doc = statement(purchasing, papi, payable["supplier_id"])
    assert doc["number"].startswith("DZ-") and doc["period"] == first.isoformat()
    assert (doc["opening_balance"], doc["invoiced"], doc["paid"], doc["closing_balance"]) == (
        "3000.00", "20000.00", "5000.00", "18000.00")
    assert [(r["kind"], r["invoiced"], r["paid"]) for r in doc["lines"]] == [
        ("invoice", "20000.00", None), ("payment", None, "5000.00")]
    assert recon(purchasing, papi, "buyer", doc["id"], "send")[1]["state"] == "sent"
    doc = papi(purchasing, "buyer", "get", f"reconciliation/{doc['id']}")[1]
    status, doc = papi(purchasing, "buyer", "put", f"reconciliation/{doc['id']}", {
        "supplier_id": doc["supplier_id"], "period": doc["period"], "version": doc["version"],
        "supplier_balance": "17500.00"})
    assert status == 200 and doc["difference"] == "-500.00", doc
    status, refused = recon(purchasing, papi, "buyer", doc["id"], "confirm")
    assert status == 422 and "difference_note" in refused["fields"], refused
    assert "supplier_confirmation_name" in refused["fields"], refused
    status, doc = papi(purchasing, "buyer", "put", f"reconciliation/{doc['id']}", {
        "supplier_id": doc["supplier_id"], "period": doc["period"], "version": doc["version"],
        "supplier_balance": "17500.00", "difference_note": "供方已扣 500 元质保金未计入",
        "supplier_confirmation_name": "李会计", "supplier_confirmation_org": "深圳市华讯网络设备有限公司",
        "supplier_confirmation_date": today().isoformat()})
    assert status == 200, doc
    status, doc = recon(purchasing, papi, "buyer", doc["id"], "confirm")
    assert status == 200 and doc["state"] == "confirmed", doc
    assert recon(purchasing, papi, "buyer", doc["id"], "archive")[0] == 403              # the manager's
    assert recon(purchasing, papi, "pur_mgr", doc["id"], "archive")[1]["state"] == "archived"


def test_a_disputed_statement_is_revised(app, purchasing, papi, pweb):
    _order, payable = payable_of(app, purchasing, papi, pweb, price="1000", qty="3")
    doc = statement(purchasing, papi, payable["supplier_id"])
    recon(purchasing, papi, "buyer", doc["id"], "send")
    assert recon(purchasing, papi, "buyer", doc["id"], "dispute")[0] == 422              # the supplier's figure
    doc = papi(purchasing, "buyer", "get", f"reconciliation/{doc['id']}")[1]
    papi(purchasing, "buyer", "put", f"reconciliation/{doc['id']}", {
        "supplier_id": doc["supplier_id"], "period": doc["period"], "version": doc["version"],
        "supplier_balance": "4000", "difference_note": "供方多记一张发票"})
    status, doc = recon(purchasing, papi, "buyer", doc["id"], "dispute")
    assert status == 200 and doc["state"] == "disputed", doc
    status, doc = recon(purchasing, papi, "buyer", doc["id"], "revise", comment="与供方核对后重算")
    assert status == 200 and doc["state"] == "draft", doc
    status, refused = papi(purchasing, "buyer", "post", "reconciliation", {"supplier_id": doc["supplier_id"],
                                                                            "period": today().isoformat()})
    assert status == 422 and "period" in refused["fields"], refused               # one statement a month


def test_suppliers_with_movements_last_month_are_reminded_to_reconcile(app, purchasing, papi, pweb):
    last_month = today().replace(day=1) - timedelta(days=1)
    _order, payable = payable_of(app, purchasing, papi, pweb, price="1000", qty="3", day=last_month)
    from modules.procurement.payments import erp_reminders, reconcile_due
    with app.app_context():
        due = erp_reminders(calendar_today.now())
        deadline = reconcile_due(today())
    assert [r.user_id for r in due] == [purchasing["ids"]["buyer"]]
    assert "R-P-031" in str(due[0].title) and deadline.isoformat() in str(due[0].title)
    from core import calendar as cal
    with app.app_context():
        assert deadline.month == today().month and cal.is_working_day(deadline)
    statement(purchasing, papi, payable["supplier_id"], month=last_month)
    with app.app_context():
        assert erp_reminders(calendar_today.now()) == []


def test_the_pages_list_show_print_and_export(app, purchasing, papi, pweb):
    order, payable = payable_of(app, purchasing, papi, pweb)
    fund = plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"])[1]
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
    pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB-3")
    sheet = statement(purchasing, papi, payable["supplier_id"])
    browser = pweb("pur_mgr")
    pages = {"invoice": payable["invoice_id"], "payable": payable["id"], "fund_plan": fund["id"], "payment": doc["id"],
             "reconciliation": sheet["id"]}
    for slug, doc_id in pages.items():
        for path in (f"/procurement/{slug}/", f"/procurement/{slug}/{doc_id}", f"/procurement/{slug}/{doc_id}/print",
                     f"/procurement/{slug}/export.csv"):
            response = browser.get(path)
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
    for slug in ("invoice", "fund_plan", "payment", "reconciliation"):
        assert browser.get(f"/procurement/{slug}/new").status_code == 200, slug
    assert browser.get("/procurement/payable/new").status_code == 403                 # made by invoices only
    exported = browser.get("/procurement/payable/export.csv").get_data(as_text=True)
    assert payable["number"] in exported and "20000.00" in exported.replace(",", "")
    detail = browser.get(f"/procurement/order/{order['id']}").get_data(as_text=True)
    assert payable["number"] in detail                                                  # the order's payables
    printed = browser.get(f"/procurement/payment/{doc['id']}/print").get_data(as_text=True)
    assert "付款申请单" in printed and "CMB-3" in printed


def test_hook_procurement_payment_recorded(app, purchasing, papi, pweb):
    from core.hookspecs import hookimpl
    booked = []

    class Ledger:
        @staticmethod
        @hookimpl
        def procurement_payment_recorded(payment):
            from modules.procurement.payables import Payable
            states = [db.session.get(Payable, line.payable_id).state for line in payment.lines]
            booked.append((payment.number, payment.supplier.title, payment.amount, payment.bank_ref, states))
    _order, payable = payable_of(app, purchasing, papi, pweb)
    plan(purchasing, papi, planned(payable))
    doc = request(purchasing, papi, payable["supplier_id"])[1]
    pay(purchasing, papi, "buyer", doc["id"], "submit")
    app.extensions["erp"].pm.register(Ledger, name="ledger_test")
    try:
        pay(purchasing, papi, "pur_mgr", doc["id"], "approve")
        assert booked == []                                                     # approved is not paid
        pay(purchasing, papi, "fin", doc["id"], "pay", paid_on=today().isoformat(), bank_ref="CMB-5")
    finally:
        app.extensions["erp"].pm.unregister(name="ledger_test")
    from decimal import Decimal
    assert booked == [(doc["number"], "深圳市华讯网络设备有限公司", Decimal("20000.00"), "CMB-5", ["paid"])]
