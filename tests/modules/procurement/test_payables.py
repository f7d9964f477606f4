"""Supplier invoices and payables (WF-P04): the three-way match of order, accepted receipt and
invoice (R-P-030) reported line by line, the payable of a matched invoice due after the supplier's
payment term, the order carried to invoiced, and the payables' ageing by supplier."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from core import calendar_today
from core.extensions import db
from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_orders import contracted, line
from tests.modules.procurement.test_receipts import inspected_and_accepted, register, row

pytestmark = pytest.mark.modules("procurement")


def today():
    return calendar_today.today()


def received(app, people, papi, pweb, *lines, supplier=None, accepted=None):
    """A contracted order whose delivery was inspected and accepted (``accepted``: the quantity
    received and accepted per line, default all)."""
    order = contracted(app, people, papi, pweb, *lines, supplier=supplier)
    receipt = register(people, papi, order)
    quantities = accepted or [entry["qty"] for entry in lines]
    inspected_and_accepted(people, papi, receipt, [row(qty, "passed") for qty in quantities])
    return papi(people, "buyer", "get", f"order/{order['id']}")[1]


def two_lines():
    return line(qty="10", price="5000"), line("光模块 SFP-10G", qty="5", price="800")     # 50 000 + 4 000


def invoice(people, papi, order, no="44031234", day=None, who="buyer", **extra):
    status, doc = papi(people, who, "post", "invoice", {
        "supplier_id": order["supplier_id"], "order_id": order["id"], "invoice_no": no,
        "invoice_date": (day or today()).isoformat(), **extra})
    assert status == 201, doc
    return doc


def put_lines(people, papi, doc, rows, who="buyer"):
    payload = {key: doc[key] for key in ("supplier_id", "order_id", "invoice_no", "invoice_date", "version")}
    return papi(people, who, "put", f"invoice/{doc['id']}", {**payload, "lines": rows})


def inv(people, papi, who, doc_id, name, **payload):
    return papi(people, who, "post", f"invoice/{doc_id}/transitions/{name}", payload)


def payables(people, papi, who="buyer"):
    status, listed = papi(people, who, "get", "payable")
    assert status == 200, listed
    return listed["items"]


# ---- matched ------------------------------------------------------------------------------------
def test_a_matching_invoice_makes_a_payable_and_invoices_the_order(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    assert order["state"] == "received"
    day = today() - timedelta(days=3)
    doc = invoice(purchasing, papi, order, day=day)
    assert doc["number"].startswith("FP-") and doc["state"] == "draft"
    assert [(r["item"], r["qty"], r["unit_price"], r["open_qty"], r["difference"]) for r in doc["lines"]] == [
        ("华为 S5735-L24T4S 交换机", "10.0000", "5000.00", "10.0000", ""),
        ("光模块 SFP-10G", "5.0000", "800.00", "5.0000", "")]
    assert doc["total"] == "54000.00" and doc["tax_total"] == "6212.39"
    status, doc = inv(purchasing, papi, "buyer", doc["id"], "register")
    assert status == 200 and doc["state"] == "matched" and doc["differences"] == "", doc
    [payable] = payables(purchasing, papi)
    assert payable["number"].startswith("YF-") and payable["state"] == "open"
    assert (payable["amount"], payable["paid_amount"], payable["open_amount"]) == ("54000.00", "0.00", "54000.00")
    assert payable["due_date"] == (day + timedelta(days=30)).isoformat()        # the supplier's 30 days
    assert payable["invoice_id"] == doc["id"] and payable["order_id"] == order["id"]
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "invoiced"


def test_a_partial_delivery_is_invoiced_in_part_and_the_order_waits(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines(), accepted=["4", "5"])
    assert order["state"] == "partially_received"
    doc = invoice(purchasing, papi, order)
    assert [r["qty"] for r in doc["lines"]] == ["4.0000", "5.0000"] and doc["total"] == "24000.00"
    assert inv(purchasing, papi, "buyer", doc["id"], "register")[1]["state"] == "matched"
    # What is invoiced is not offered again; the rest waits for its delivery.
    status, refused = papi(purchasing, "buyer", "post", "invoice", {
        "supplier_id": order["supplier_id"], "order_id": order["id"], "invoice_no": "44039999",
        "invoice_date": today().isoformat()})
    assert status == 422 and "order_id" in refused["fields"], refused
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "partially_received"


def test_an_invoice_within_the_tolerance_matches(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    doc = invoice(purchasing, papi, order)
    status, doc = put_lines(purchasing, papi, doc, [{"qty": "10", "unit_price": "4950", "vat_rate": "13"},
                                                    {"qty": "5", "unit_price": "808", "vat_rate": "13"}])  # -1 %, +1 %
    assert status == 200 and doc["differences"] == "", doc
    assert inv(purchasing, papi, "buyer", doc["id"], "register")[1]["state"] == "matched"
    assert [p["amount"] for p in payables(purchasing, papi)] == ["53540.00"]


# ---- mismatch (R-P-030) -------------------------------------------------------------------------
def test_a_mismatch_is_reported_line_by_line_and_held_without_a_payable(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines(), accepted=["8", "5"])   # 8 switches came so far
    doc = invoice(purchasing, papi, order)
    status, doc = put_lines(purchasing, papi, doc, [{"qty": "10", "unit_price": "5000", "vat_rate": "13"},
                                                    {"qty": "5", "unit_price": "810", "vat_rate": "13"}])
    assert status == 200, doc
    status, doc = inv(purchasing, papi, "buyer", doc["id"], "register")
    assert status == 200 and doc["state"] == "mismatch", doc
    switches, optics = doc["lines"]
    assert "10 above the 8 accepted" in switches["difference"] and "2 more" in switches["difference"]
    assert "810.00" in optics["difference"] and "800.00" in optics["difference"] and "+1.25" in optics["difference"]
    assert doc["differences"].splitlines()[0].startswith("Line 1 (华为 S5735-L24T4S 交换机)")
    assert doc["differences"].splitlines()[1].startswith("Line 2 (光模块 SFP-10G)")
    assert payables(purchasing, papi) == []
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "partially_received"
    page = pweb("buyer").get(f"/procurement/invoice/{doc['id']}").get_data(as_text=True)
    assert "2 more" in page and "+1.25" in page


def test_a_corrected_invoice_registered_again_matches(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    doc = invoice(purchasing, papi, order)
    status, doc = put_lines(purchasing, papi, doc, [{"qty": "11", "unit_price": "5000", "vat_rate": "13"},
                                                    {"qty": "5", "unit_price": "800", "vat_rate": "13"}])
    assert inv(purchasing, papi, "buyer", doc["id"], "register")[1]["state"] == "mismatch"
    doc = papi(purchasing, "buyer", "get", f"invoice/{doc['id']}")[1]
    status, doc = put_lines(purchasing, papi, doc, [{"qty": "10", "unit_price": "5000", "vat_rate": "13"},
                                                    {"qty": "5", "unit_price": "800", "vat_rate": "13"}])
    assert status == 200 and doc["differences"] == "", doc
    assert inv(purchasing, papi, "buyer", doc["id"], "register")[1]["state"] == "matched"
    assert len(payables(purchasing, papi)) == 1


def test_only_the_procurement_manager_releases_a_mismatch_with_a_reason(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    doc = invoice(purchasing, papi, order)
    put_lines(purchasing, papi, doc, [{"qty": "10", "unit_price": "5100", "vat_rate": "13"},
                                      {"qty": "5", "unit_price": "800", "vat_rate": "13"}])
    inv(purchasing, papi, "buyer", doc["id"], "register")
    status, refused = inv(purchasing, papi, "buyer", doc["id"], "release", comment="供方涨价")
    assert status == 403 and "permission" in str(refused), refused
    assert inv(purchasing, papi, "pur_mgr", doc["id"], "release")[0] == 422           # a reason is required
    status, doc = inv(purchasing, papi, "pur_mgr", doc["id"], "release", comment="原厂调价 2%，已与供方确认")
    assert status == 200 and doc["state"] == "matched" and doc["release_note"].startswith("原厂调价"), doc
    [payable] = payables(purchasing, papi)
    assert payable["amount"] == "55000.00"
    assert papi(purchasing, "buyer", "get", f"order/{order['id']}")[1]["state"] == "invoiced"


# ---- bad input ----------------------------------------------------------------------------------
def test_an_invoice_names_a_received_order_of_its_supplier_once(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    other = make_supplier(app, purchasing, "广州市金缆通信器材有限公司")
    status, refused = papi(purchasing, "buyer", "post", "invoice", {
        "supplier_id": other, "order_id": order["id"], "invoice_no": "1", "invoice_date": today().isoformat()})
    assert status == 422 and "order_id" in refused["fields"], refused
    waiting = contracted(app, purchasing, papi, pweb, line(qty="2", price="5000"), supplier=order["supplier_id"])
    status, refused = papi(purchasing, "buyer", "post", "invoice", {
        "supplier_id": waiting["supplier_id"], "order_id": waiting["id"], "invoice_no": "2",
        "invoice_date": today().isoformat()})
    assert status == 422 and "order_id" in refused["fields"], refused
    status, refused = papi(purchasing, "buyer", "post", "invoice", {"order_id": order["id"]})
    assert status == 422 and {"invoice_no", "invoice_date"} <= set(refused["fields"]), refused
    invoice(purchasing, papi, order, no="44031234")
    status, refused = papi(purchasing, "buyer", "post", "invoice", {
        "supplier_id": order["supplier_id"], "order_id": order["id"], "invoice_no": "44031234",
        "invoice_date": today().isoformat()})
    assert status == 422 and "already registered" in str(refused["fields"]["invoice_no"]), refused
    assert len(papi(purchasing, "buyer", "get", "invoice")[1]["items"]) == 1


def test_roles_without_invoices_are_refused(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    for who in ("pe", "am", "adm"):
        assert papi(purchasing, who, "get", "invoice")[0] == 403, who
        assert papi(purchasing, who, "get", "payable")[0] == 403, who
    for who in ("fin", "gm", "pe"):
        status, _doc = papi(purchasing, who, "post", "invoice", {
            "supplier_id": order["supplier_id"], "order_id": order["id"], "invoice_no": "9",
            "invoice_date": today().isoformat()})
        assert status == 403, who
    assert papi(purchasing, "fin", "get", "invoice")[0] == 200
    assert pweb("pe").get("/procurement/payables/ageing").status_code == 403


def test_the_web_form_registers_an_invoice(app, purchasing, papi, pweb):
    order = received(app, purchasing, papi, pweb, *two_lines())
    browser = pweb("buyer")
    assert browser.get("/procurement/invoice/new").status_code == 200
    response = browser.post("/procurement/invoice/new", data={
        "supplier_id": order["supplier_id"], "order_id": order["id"], "invoice_no": "44035555",
        "invoice_date": today().isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    doc = papi(purchasing, "buyer", "get", "invoice")[1]["items"][0]
    assert doc["total"] == "54000.00" and len(doc["lines"]) == 2


# ---- ageing -------------------------------------------------------------------------------------
AGES = [(-5, "100"), (0, "200"), (1, "300"), (30, "400"), (31, "500"), (60, "600"), (61, "700"), (90, "800"),
        (91, "900")]


def spread(app, people, papi, pweb, supplier=None):
    """A matched invoice, then payables of the same invoice due at each AGES day (days overdue)."""
    order = received(app, people, papi, pweb, line(qty="1", price="100"), supplier=supplier)
    doc = invoice(people, papi, order)
    inv(people, papi, "buyer", doc["id"], "register")
    from modules.procurement.payables import PAYABLE, Payable
    from core.documents import service
    with app.app_context():
        first = db.session.scalar(select(Payable).where(Payable.invoice_id == doc["id"]))
        first.due_date = today() + timedelta(days=5)
        for overdue_days, amount in AGES[1:]:
            payable = Payable(supplier_id=first.supplier_id, invoice_id=first.invoice_id, order_id=first.order_id,
                              owner_id=first.owner_id, state="open", amount=Decimal(amount), paid_amount=Decimal(0),
                              open_amount=Decimal(amount), invoice_date=first.invoice_date,
                              due_date=today() - timedelta(days=overdue_days), title=first.title)
            service.assign_number(PAYABLE, payable)
            db.session.add(payable)
        db.session.commit()
    return order


def test_the_ageing_buckets_open_amounts_by_days_overdue(app, purchasing, papi, pweb):
    supplier = make_supplier(app, purchasing)
    spread(app, purchasing, papi, pweb, supplier)
    from core.auth.models import User
    from modules.procurement.payables import ageing
    with app.app_context():
        [row_] = ageing(db.session.get(User, purchasing["ids"]["fin"]), today())
    assert row_.label == "深圳市华讯网络设备有限公司" and row_.total == Decimal("4500")
    assert {k: str(v) for k, v in row_.amounts.items()} == {
        "not_due": "300.00", "d30": "700.00", "d60": "1100.00", "d90": "1500.00", "over90": "900.00"}
    page = pweb("gm").get("/procurement/payables/ageing").get_data(as_text=True)
    assert "深圳市华讯网络设备有限公司" in page and "1,500.00" in page and "4,500.00" in page


def test_the_ageing_reads_the_covering_index(app, purchasing):
    """Each range of due dates is a seek in ix_procurement_payable_open_due, even once SQLite has
    statistics of many suppliers (it would rather walk the supplier index to save the grouping)."""
    from core.auth.models import User
    from modules.procurement.payables import ageing
    statements = []
    with app.app_context():
        from sqlalchemy import event
        engine = db.engine
        if engine.dialect.name != "sqlite":
            pytest.skip("the plan is read on SQLite")
        rows = [{"n": f"YF-T{i:05d}", "s": i % 150 + 1, "st": ("open", "paid", "partly_paid")[i % 3],
                 "d": today() - timedelta(days=i % 200 - 60)} for i in range(3000)]
        db.session.execute(text(
            "INSERT INTO procurement_payable (number, title, state, version, created_at, updated_at, owner_id, "
            "supplier_id, invoice_id, order_id, amount, paid_amount, open_amount, due_date) VALUES "
            "(:n, '', :st, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, :s, 1, 1, 100, 0, 100, :d)"), rows)
        db.session.execute(text("ANALYZE"))

        def seen(conn, cursor, statement, parameters, context, executemany):
            if "procurement_payable" in statement and "UNION ALL" in statement:
                statements.append((statement, parameters))
        event.listen(engine, "before_cursor_execute", seen)
        try:
            ageing(db.session.get(User, purchasing["ids"]["gm"]), today())
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        statement, parameters = statements[0]
        plan = " ".join(r[-1] for r in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                             parameters))
    assert plan.count("USING COVERING INDEX ix_procurement_payable_open_due") == 5, plan


def test_the_dashboard_shows_payables_due_this_month_and_overdue(app, purchasing, papi, pweb):
    spread(app, purchasing, papi, pweb)
    from core.auth.models import User
    from modules.procurement.payables import erp_dashboard_widgets
    with app.test_request_context():
        due, late, held = erp_dashboard_widgets(db.session.get(User, purchasing["ids"]["pur_mgr"]))
        assert len(erp_dashboard_widgets(db.session.get(User, purchasing["ids"]["buyer"]))) == 2
        assert erp_dashboard_widgets(db.session.get(User, purchasing["ids"]["pe"])) == []
    assert held.value == 0
    assert late.value == 7 and "4,200.00" in late.body
    month_end = (today().replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    expected = (1 if today() + timedelta(days=5) <= month_end else 0) + 1            # +5 days and today
    assert due.value == expected
    assert "Payables" in pweb("pur_mgr").get("/").get_data(as_text=True)


def test_a_payable_is_never_entered_by_hand(app, make_user):
    """Even someone holding every permission (an administrator's API client) cannot type a payable:
    they come from matched invoices only (R-P-030)."""
    from core.api.models import ApiToken
    from core.auth.models import Role, RolePermission, User
    with app.app_context():
        db.session.add(Role(code="ROLE-ALL", name="all", grants=[
            RolePermission(code=code) for code in app.extensions["erp"].permissions]))
        db.session.commit()
    user_id = make_user("everything", "ROLE-ALL")
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, user_id), "t")
        db.session.add(token)
        db.session.commit()
    response = app.test_client().post("/api/v1/procurement/payable", json={},
                                      headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422 and "matched supplier invoices" in response.get_json()["error"] + str(
        response.get_json().get("fields", "")), response.get_json()
    from modules.procurement.payables import Payable
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payable)) == 0
