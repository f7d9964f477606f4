"""Goods receipts and inspection (X-P04, WF-P01, R-E-002, I-04): a delivery registered from the
order's open lines, partial receipts, over-receipt refused, inspection with rejected quantities,
the order carried to partially received and received, lateness (R-P-022) and the supplier's
figures for its evaluation (X-P05)."""
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from core import calendar_today
from core.extensions import db
from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_orders import act, contracted, line

pytestmark = pytest.mark.modules("procurement")


def today():
    return calendar_today.today()


def at(day, hour=10) -> str:
    return datetime.combine(day, time(hour)).isoformat()


def head(people, order_id, who="buyer", day=None, **extra):
    return {"order_id": order_id, "received_at": at(day or today()), "received_by_id": people["ids"][who],
            "location": "warehouse", **extra}


def ordered(app, people, papi, pweb, supplier=None):
    """A contracted order: 10 switches promised in 10 days, 5 optical modules in 5 days."""
    return contracted(app, people, papi, pweb, line(qty="10", price="5000"),
                      line("光模块 SFP-10G", qty="5", price="800", days=5), supplier=supplier)


def register(people, papi, order, who="buyer", **extra):
    status, receipt = papi(people, who, "post", "receipt", head(people, order["id"], who, **extra))
    assert status == 201, receipt
    return receipt


def put(people, papi, receipt, rows, who="buyer", day=None):
    payload = {**head(people, receipt["order_id"], day=day), "version": receipt["version"], "lines": rows}
    return papi(people, who, "put", f"receipt/{receipt['id']}", payload)


def row(qty, inspection="pending", **extra):
    return {"qty_received": str(qty), "inspection": inspection, **extra}


def rec(people, papi, who, receipt_id, name, **payload):
    return papi(people, who, "post", f"receipt/{receipt_id}/transitions/{name}", payload)


def inspected_and_accepted(people, papi, receipt, rows, day=None, inspector="buyer"):
    status, receipt = put(people, papi, receipt, rows, day=day)
    assert status == 200, receipt
    assert rec(people, papi, "buyer", receipt["id"], "inspect")[1]["state"] == "inspecting"
    status, receipt = rec(people, papi, inspector, receipt["id"], "accept", comment="外观、型号、数量核对无误")
    assert status == 200, receipt
    return receipt


def order_line_ids(app, order):
    from modules.procurement.orders import OrderLine
    with app.app_context():
        return db.session.scalars(select(OrderLine.id).where(OrderLine.order_id == order["id"])
                                  .order_by(OrderLine.id)).all()


def order_state(people, papi, order):
    return papi(people, "buyer", "get", f"order/{order['id']}")[1]


# ---- registering --------------------------------------------------------------------------------
def test_a_receipt_starts_from_the_orders_open_lines(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    assert receipt["number"].startswith("DH-") and receipt["state"] == "received"
    assert [(r["item"], r["open_qty"], r["qty_received"], r["inspection"]) for r in receipt["lines"]] == [
        ("华为 S5735-L24T4S 交换机", "10.0000", "10.0000", "pending"), ("光模块 SFP-10G", "5.0000", "5.0000", "pending")]
    assert receipt["title"].startswith(order["number"])
    status, receipt = put(purchasing, papi, receipt, [row(6, serials="2102351 2102352"), row(0)])
    assert status == 200 and [r["qty_received"] for r in receipt["lines"]] == ["6.0000", "0.0000"], receipt
    # A second delivery registered meanwhile offers what the first does not already hold.
    second = register(purchasing, papi, order)
    assert [(r["item"], r["open_qty"]) for r in second["lines"]] == [
        ("华为 S5735-L24T4S 交换机", "4.0000"), ("光模块 SFP-10G", "5.0000")]
    # Goods have arrived: the order can no longer be cancelled.
    status, refused = act(purchasing, papi, "pur_mgr", order["id"], "cancel", comment="项目取消")
    assert status == 422 and receipt["number"] in str(refused), refused


def test_receiving_more_than_ordered_is_refused_with_the_line_named(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    status, refused = put(purchasing, papi, receipt, [row(11), row(5)])
    assert status == 422 and "Line 1 (华为 S5735-L24T4S 交换机)" in str(refused["fields"]["_"]), refused
    assert put(purchasing, papi, receipt, [row(7), row(0)])[0] == 200
    other = register(purchasing, papi, order)
    status, refused = put(purchasing, papi, other, [row(3), row(6)])
    assert status == 422 and "Line 2 (光模块 SFP-10G)" in str(refused) and "Line 1" not in str(refused), refused
    status, refused = put(purchasing, papi, other, [row(0), row(0)])
    assert status == 422 and "at least one line" in str(refused), refused
    got = papi(purchasing, "buyer", "get", f"receipt/{receipt['id']}")[1]
    assert [r["qty_received"] for r in got["lines"]] == ["7.0000", "0.0000"]            # nothing half-saved


def test_goods_are_received_only_on_a_contracted_order(app, purchasing, papi, pweb):
    from tests.modules.procurement.test_orders import approved
    order = approved(app, purchasing, papi)
    status, refused = papi(purchasing, "buyer", "post", "receipt", head(purchasing, order["id"]))
    assert status == 422 and "order_id" in refused["fields"], refused


# ---- inspection and acceptance ------------------------------------------------------------------
def test_a_partial_receipt_then_the_rest_carry_the_order(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    first = register(purchasing, papi, order)
    first = inspected_and_accepted(purchasing, papi, first, [row(6, "passed"), row(5, "passed")])
    assert first["state"] == "accepted" and first["inspected_by_id"] == purchasing["ids"]["buyer"]
    got = order_state(purchasing, papi, order)
    assert got["state"] == "partially_received"
    assert [(r["received_qty"], r["accepted_qty"]) for r in got["lines"]] == [
        ("6.0000", "6.0000"), ("5.0000", "5.0000")]
    assert got["promised_date"] == (today() + timedelta(days=10)).isoformat()   # the open line's
    rest = register(purchasing, papi, order)
    assert [(r["item"], r["open_qty"]) for r in rest["lines"]] == [("华为 S5735-L24T4S 交换机", "4.0000")]
    inspected_and_accepted(purchasing, papi, rest, [row(4, "passed")])
    assert order_state(purchasing, papi, order)["state"] == "received"
    status, refused = papi(purchasing, "buyer", "post", "receipt", head(purchasing, order["id"]))
    assert status == 422 and "order_id" in refused["fields"], refused


def test_every_line_is_inspected_and_rejections_are_explained(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    status, receipt = put(purchasing, papi, receipt, [row(10, "passed"), row(5)])
    rec(purchasing, papi, "buyer", receipt["id"], "inspect")
    status, refused = rec(purchasing, papi, "buyer", receipt["id"], "accept")
    assert status == 422 and "光模块" in str(refused), refused
    receipt = papi(purchasing, "buyer", "get", f"receipt/{receipt['id']}")[1]
    status, refused = put(purchasing, papi, receipt, [row(10, "passed"), row(5, "failed", qty_accepted="3",
                                                                            qty_rejected="3")])
    assert status == 422 and "more than the 5 received" in str(refused), refused
    status, refused = put(purchasing, papi, receipt, [row(10, "passed"), row(5, "failed", qty_rejected="2")])
    assert status == 422 and "nonconformance" in str(refused), refused
    status, receipt = put(purchasing, papi, receipt, [
        row(10, "passed"), row(5, "failed", qty_rejected="2", nonconformance="2 只光模块无法识别", return_note="换货")])
    assert status == 200 and [(r["qty_accepted"], r["qty_rejected"]) for r in receipt["lines"]] == [
        ("10.0000", "0.0000"), ("3.0000", "2.0000")], receipt
    assert rec(purchasing, papi, "buyer", receipt["id"], "accept")[1]["state"] == "accepted"
    got = order_state(purchasing, papi, order)
    assert got["state"] == "partially_received"                     # 2 modules to replace
    assert [(r["received_qty"], r["accepted_qty"]) for r in got["lines"]] == [
        ("10.0000", "10.0000"), ("5.0000", "3.0000")]
    replacement = register(purchasing, papi, order)
    assert [(r["item"], r["open_qty"]) for r in replacement["lines"]] == [("光模块 SFP-10G", "2.0000")]


def test_engineering_inspects_when_it_is_on(app, purchasing, papi, pweb, monkeypatch):
    from modules.procurement import receipts
    monkeypatch.setattr(receipts, "engineering_on", lambda: True)
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    put(purchasing, papi, receipt, [row(10, "passed"), row(5, "passed")])
    rec(purchasing, papi, "buyer", receipt["id"], "inspect")
    status, refused = rec(purchasing, papi, "buyer", receipt["id"], "accept")
    assert status == 422 and refused["rules"] == ["R-E-002"], refused
    status, receipt = rec(purchasing, papi, "pe", receipt["id"], "accept")
    assert status == 200 and receipt["inspected_by_id"] == purchasing["ids"]["pe"], receipt


def test_a_cancelled_receipt_frees_its_quantities(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    assert rec(purchasing, papi, "buyer", receipt["id"], "cancel")[0] == 422       # a reason
    assert rec(purchasing, papi, "buyer", receipt["id"], "cancel", comment="登记错误")[1]["state"] == "cancelled"
    assert [r["open_qty"] for r in register(purchasing, papi, order)["lines"]] == ["10.0000", "5.0000"]


# ---- lateness, shortage, defects: the supplier's figures ----------------------------------------
def test_a_shortage_a_late_line_and_a_defect_count_on_the_supplier(app, purchasing, papi, pweb):
    from core.auth.models import User
    from modules.procurement.evaluations import new_evaluation
    from modules.procurement.suppliers import Supplier
    supplier = make_supplier(app, purchasing)
    order = ordered(app, purchasing, papi, pweb, supplier=supplier)
    # Day 7: 6 switches of 10 (short, on time) and the 5 modules, 2 of them faulty (late: promised day 5).
    receipt = register(purchasing, papi, order, day=today() + timedelta(days=7))
    receipt = inspected_and_accepted(purchasing, papi, receipt, [
        row(6, "passed", serials="SN01 SN02 SN03 SN04 SN05 SN06"),
        row(5, "failed", qty_rejected="2", nonconformance="2 只无法识别", return_note="退货")],
        day=today() + timedelta(days=7))
    assert [(r["late"], r["short"]) for r in receipt["lines"]] == [(False, True), (True, False)]
    assert receipt["late_lines"] == 1
    with app.app_context():
        figures = db.session.get(Supplier, supplier)
        assert (figures.nonconformance_count, figures.on_time_rate) == (1, Decimal("0.00"))
    # Day 9: the other 4 switches, in time: that line is complete.
    rest = register(purchasing, papi, order, day=today() + timedelta(days=9))
    assert [r["open_qty"] for r in rest["lines"]] == ["4.0000", "2.0000"]
    inspected_and_accepted(purchasing, papi, rest, [row(4, "passed"), row(0)], day=today() + timedelta(days=9))
    with app.app_context():
        figures = db.session.get(Supplier, supplier)
        assert (figures.nonconformance_count, figures.on_time_rate) == (1, Decimal("33.33"))
    with app.test_request_context():
        buyer = db.session.get(User, purchasing["ids"]["buyer"])
        evaluation = new_evaluation(db.session.get(Supplier, supplier), buyer, kind="annual",
                                    end=today() + timedelta(days=30))
        suggested = {line.code: line.suggested for line in evaluation.lines}
        assert suggested["quality"] == Decimal("86.67")         # 13 accepted of 15 received
        assert suggested["delivery"] == Decimal("33.33")        # 1 line of 3 in full and in time
        db.session.rollback()
        other = make_supplier(app, purchasing, "广州市金缆通信器材有限公司")
        untouched = new_evaluation(db.session.get(Supplier, other), buyer, kind="annual")
        assert {line.code: line.suggested for line in untouched.lines}["quality"] is None
        db.session.rollback()


# ---- the web: the order's button, the receipt's form -------------------------------------------
def test_the_orders_button_opens_a_prefilled_receipt(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    browser = pweb("buyer")
    page = browser.get(f"/procurement/order/{order['id']}").get_data(as_text=True)
    assert "procurement.order_receive" in page
    response = browser.post(f"/procurement/order/{order['id']}/receive")
    assert response.status_code == 302 and "/procurement/receipt/" in response.location
    receipt = papi(purchasing, "buyer", "get", "receipt")[1]["items"][0]
    assert response.location.endswith(f"/procurement/receipt/{receipt['id']}/edit")
    assert [r["qty_received"] for r in receipt["lines"]] == ["10.0000", "5.0000"]
    assert receipt["received_by_id"] == purchasing["ids"]["buyer"]
    form = browser.get(response.location)
    assert form.status_code == 200 and "光模块 SFP-10G" in form.get_data(as_text=True)
    from modules.procurement.receipts import ReceiptLine
    with app.app_context():
        ids = db.session.scalars(select(ReceiptLine.id).where(ReceiptLine.receipt_id == receipt["id"])
                                 .order_by(ReceiptLine.id)).all()
    fields = {"order_id": order["id"], "received_at": at(today()).rsplit(":", 1)[0],
              "received_by_id": purchasing["ids"]["buyer"], "location": "site", "version": receipt["version"]}
    for i, (line_id, qty) in enumerate(zip(ids, ("4", "0"))):
        fields.update({f"lines-{i}-id": line_id, f"lines-{i}-item": "", f"lines-{i}-qty_received": qty,
                       f"lines-{i}-serials": "SN-A SN-B", f"lines-{i}-inspection": "pending"})
    saved = browser.post(response.location, data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    receipt = papi(purchasing, "buyer", "get", f"receipt/{receipt['id']}")[1]
    assert [(r["item"], r["qty_received"], r["order_line_id"]) for r in receipt["lines"]] == [
        ("华为 S5735-L24T4S 交换机", "4.0000", order_line_ids(app, order)[0]),
        ("光模块 SFP-10G", "0.0000", order_line_ids(app, order)[1])]
    assert pweb("fin").post(f"/procurement/order/{order['id']}/receive").status_code == 403
    for path in (f"/procurement/receipt/{receipt['id']}", f"/procurement/receipt/{receipt['id']}/print",
                 f"/procurement/order/{order['id']}/print", "/procurement/receipt/", "/procurement/order/?overdue=1"):
        assert browser.get(path).status_code == 200, path
    printed = pweb("pe").get(f"/procurement/order/{order['id']}/print").get_data(as_text=True)
    assert "采购订单" in printed and "5,000.00" not in printed


def test_roles_without_receipts_are_refused(app, purchasing, papi, pweb):
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    for who in ("am", "mkt_mgr", "adm"):
        assert papi(purchasing, who, "get", "receipt")[0] == 403, who
    for who in ("fin", "dir", "gm"):
        assert papi(purchasing, who, "post", "receipt", head(purchasing, order["id"]))[0] == 403, who
    assert papi(purchasing, "fin", "get", f"receipt/{receipt['id']}")[0] == 200
    status, refused = rec(purchasing, papi, "fin", receipt["id"], "inspect")
    assert status == 422 and "permission" in str(refused), refused


def test_hook_procurement_goods_received(app, purchasing, papi, pweb):
    from core.hookspecs import hookimpl
    posted = []

    class Engineering:
        @staticmethod
        @hookimpl
        def procurement_goods_received(receipt):
            posted.append((receipt.number, receipt.order.number, receipt.accepted_lines()))
    order = ordered(app, purchasing, papi, pweb)
    receipt = register(purchasing, papi, order)
    app.extensions["erp"].pm.register(Engineering, name="engineering_test")
    try:
        receipt = inspected_and_accepted(purchasing, papi, receipt, [
            row(2, "passed", serials="2102351，2102352"), row(5, "failed", qty_rejected="5", nonconformance="型号不符")])
    finally:
        app.extensions["erp"].pm.unregister(name="engineering_test")
    assert posted == [(receipt["number"], order["number"], [{
        "order_line_id": receipt["lines"][0]["order_line_id"], "item": "华为 S5735-L24T4S 交换机", "model": "S5735-L24T4S-A1",
        "qty": Decimal("2"), "unit_price": Decimal("5000.00"), "amount": Decimal("10000.00"),
        "serials": ["2102351", "2102352"], "project_ref": "GC-2026-0007"}])]


# ---- a big delivery: a few statements, not one per line ----------------------------------------
def statements(app, work) -> tuple[int, int]:
    """(reads and updates, inserts) the work sends to the database. SQLite inserts the new lines
    one by one (it cannot return their ids from one batched insert; PostgreSQL does): counted apart."""
    with app.app_context():
        engine = db.engine
    count = {"other": 0, "insert": 0}

    def counted(conn, cursor, statement, *args):
        count["insert" if statement.lstrip().upper().startswith("INSERT") else "other"] += 1
    event.listen(engine, "before_cursor_execute", counted)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count["other"], count["insert"]


def test_receiving_a_big_delivery_takes_a_few_statements(app, purchasing, papi, pweb):
    costs, supplier, size = {}, make_supplier(app, purchasing), 200
    for n in (2, size):
        order = contracted(app, purchasing, papi, pweb, *[line(f"面板 {i}", qty="3", price="10") for i in range(n)],
                           supplier=supplier)
        receipt = {}

        def create():
            receipt.update(register(purchasing, papi, order))

        def accept():
            inspecting = rec(purchasing, papi, "buyer", receipt["id"], "inspect")[1]
            status, done = put(purchasing, papi, inspecting, [row(3, "passed")] * n)
            assert status == 200, done
            assert rec(purchasing, papi, "buyer", receipt["id"], "accept")[1]["state"] == "accepted"
        costs[n] = statements(app, create) + statements(app, accept)
    assert order_state(purchasing, papi, order)["state"] == "received"
    (small_reads, _, small_accept, small_accept_inserts), (big_reads, big_inserts, big_accept, big_accept_inserts) = \
        costs[2], costs[size]
    assert big_reads - small_reads <= 2 and big_inserts <= size + 5, costs          # no query per line
    assert big_accept - small_accept <= 2 and big_accept_inserts - small_accept_inserts <= 2, costs
    with app.app_context():
        from core.audit.models import AuditEntry
        assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.model == "procurement_order_line", AuditEntry.action == "update")) >= size
