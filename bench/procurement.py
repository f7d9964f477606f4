"""The procurement scenario (issue 16): a supplier's scorecard and the payables ageing over 2,000
suppliers, 50,000 purchase orders and 150,000 receipt lines; receiving a 200-line delivery.

Generator: 2,000 suppliers (with their core parties; 90% qualified, graded, each with an approved
evaluation of five criteria), 50,000 orders of 3 lines over the last two years (states weighted
towards received, invoiced and paid), one accepted receipt per received order with its 3 lines,
two for a third of them (a part first, then the rest: ~150,000 receipt lines; some late, short or
with rejected goods), and for the invoiced and paid
orders a supplier invoice and its payable (due dates over the past 200 days and the next 60),
bulk-inserted with SQLAlchemy Core ``insert()``. ``fill`` adds to what a previous call wrote, so
a run measures at a tenth of the rows, then fills up to the whole and measures again.

Users: ``bench_p_mgr`` (采购部经理: reads everything, approves), ``bench_p_buy`` (采购员, owns
the orders and receives) and ``bench_p_pe`` (项目工程师, inspects, R-E-002).

Scenarios: ``statistics.scorecard(supplier)`` of the supplier with the most orders, the payables
ageing for all (``payables.ageing``), and receiving a 200-line delivery: the receipt prefilled from
a contracted 200-line order (``receipts.receipt_for``), saved, handed to inspection and accepted
through the workflow engine with every line inspected: audited, committed, timed end to end.
"""
from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Boolean, Integer, Numeric, String, Text, func, insert, select, text

from core.extensions import db

from .env import PASSWORD
from .sales import CHUNK, Counter, Figure, _next_id

LINES_PER_ORDER = 3
ITEMS = [("华为 S5735 交换机", "S5735-L24T4S-A1", 5200), ("六类非屏蔽网线", "康普 1427254-6", 620),
         ("海康威视 4MP 摄像机", "DS-2CD3T46WDV3", 480), ("42U 网络机柜", "图腾 G36042", 3800),
         ("光模块 SFP-10G", "SFP-10G-LR", 800), ("UPS 10kVA", "山特 C10KS", 9800)]
NAMES = ["网络设备", "通信器材", "安防科技", "机房设备", "电子", "信息技术", "智能科技", "线缆"]
CITIES = ["深圳", "广州", "东莞", "佛山", "惠州", "珠海", "中山", "上海"]


def enabled(app) -> bool:
    """Whether the run's app has procurement with its payables (``--modules all``)."""
    return "procurement.payable" in app.extensions["erp"].doctypes


def _insert(conn, table, rows):
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[i:i + CHUNK])


def _filled(table, values: dict) -> dict:
    """``values`` with every NOT NULL column it leaves out set to the column's default (or an
    empty value of its type): the declared columns need not be listed one by one."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        default = column.default.arg if column.default is not None and not callable(column.default.arg) else None
        if default is None:
            kind = column.type
            default = ("" if isinstance(kind, (String, Text)) else False if isinstance(kind, Boolean)
                       else 0 if isinstance(kind, (Integer, Numeric)) else None)
        row[column.name] = default
    return row


def setup_people() -> dict:
    from core.auth.models import Role, User
    from core.org.models import Department
    from core.seed import create_user, seed_all
    if db.session.scalar(select(Role.id).where(Role.code == "ROLE-PUR-MGR")) is None:  # --only procurement
        seed_all()

    def user(username, roles, full_name):
        found = db.session.scalar(select(User).where(User.username == username))
        return found or create_user(username, PASSWORD, roles, full_name)
    pur = db.session.scalar(select(Department.id).where(Department.code == "PUR"))
    people = {"mgr": user("bench_p_mgr", ["ROLE-PUR-MGR"], "采购部经理(基准)"),
              "buy": user("bench_p_buy", ["ROLE-PUR-BUY"], "采购员(基准)"),
              "pe": user("bench_p_pe", ["ROLE-ENG-PE"], "项目工程师(基准)")}
    for person in people.values():
        person.department_id = person.department_id or pur
    db.session.commit()
    return {"pur": pur, **{k: v.id for k, v in people.items()}}


def _counts(conn) -> dict:
    from modules.procurement.orders import Order, OrderLine
    from modules.procurement.payables import Payable
    from modules.procurement.receipts import ReceiptLine
    from modules.procurement.suppliers import Supplier
    return {name: conn.execute(select(func.count()).select_from(model)).scalar()
            for name, model in (("suppliers", Supplier), ("orders", Order), ("order_lines", OrderLine),
                                ("receipt_lines", ReceiptLine), ("payables", Payable))}


def fill(app, orders: int, suppliers: int, seed: int = 16, today: date | None = None) -> dict:
    """Add `suppliers` suppliers and `orders` orders (3 lines each) with their receipts, invoices
    and payables; returns the people's ids, the row counts and the busiest supplier."""
    from core import calendar_today
    from core.parties.models import Party, PartyRole
    from modules.procurement.evaluations import Evaluation, EvaluationLine
    from modules.procurement.orders import Order, OrderLine
    from modules.procurement.payables import Invoice, InvoiceLine, Payable
    from modules.procurement.receipts import Receipt, ReceiptLine
    from modules.procurement.suppliers import Supplier

    rnd = random.Random(seed + orders)
    people = setup_people()
    today = today or calendar_today.today()
    conn = db.session.connection()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    buyer, pur = people["buy"], people["pur"]
    T = {name: model.__table__ for name, model in (
        ("party", Party), ("role", PartyRole), ("supplier", Supplier), ("evaluation", Evaluation),
        ("evaluation_line", EvaluationLine), ("order", Order), ("order_line", OrderLine), ("receipt", Receipt),
        ("receipt_line", ReceiptLine), ("invoice", Invoice), ("invoice_line", InvoiceLine), ("payable", Payable))}
    first = {name: _next_id(conn, table) for name, table in T.items() if name != "role"}

    def document(table, doc_id, prefix, title, state, created, **values):
        return _filled(T[table], {"id": doc_id, "number": f"{prefix}-B{doc_id:07d}", "title": title, "state": state,
                                  "version": 1, "created_at": created, "updated_at": created, "owner_id": buyer,
                                  "department_id": pur, "created_by_id": buyer, "updated_by_id": buyer, **values})

    # Suppliers (with their party), graded by an approved evaluation.
    parties, roles, rows, evaluations, criteria = [], [], [], [], []
    grades = ["A"] * 3 + ["B"] * 4 + ["C"] * 2
    line_id = first["evaluation_line"]
    supplier_ids = []
    for i in range(suppliers):
        party_id, supplier_id, evaluation_id = first["party"] + i, first["supplier"] + i, first["evaluation"] + i
        name = f"{CITIES[i % len(CITIES)]}{NAMES[(i // len(CITIES)) % len(NAMES)]}有限公司{supplier_id:05d}"
        parties.append({"id": party_id, "code": f"BG{party_id:07d}", "name": name, "match_key": name,
                        "created_at": now, "version": 1})
        roles.append({"party_id": party_id, "role": "supplier"})
        state = "qualified" if rnd.random() < 0.9 else rnd.choice(["candidate", "suspended", "blacklisted"])
        grade = rnd.choice(grades)
        evaluated = today - timedelta(days=rnd.randint(10, 400))
        rows.append(document("supplier", supplier_id, "GYS", name, state, now - timedelta(days=800),
                             party_id=party_id, categories=["network"], contact_name="销售经理",
                             contact_phone="0755-88888888", bank_name="招商银行", bank_account=f"7559{supplier_id:08d}",
                             payment_days=30, buyer_id=buyer, grade=grade, score=Decimal(rnd.randint(60, 98)),
                             last_evaluated_on=evaluated, next_evaluation_due=evaluated + timedelta(days=365)))
        evaluations.append(document("evaluation", evaluation_id, "GPS", name, "approved", now - timedelta(days=400),
                                    supplier_id=supplier_id, kind="annual", period_start=evaluated - timedelta(days=365),
                                    period_end=evaluated, total=Decimal(rnd.randint(60, 98)), grade=grade))
        for code, label, weight in (("qualification", "资质与授权", 15), ("quality", "产品质量", 30), ("price", "价格", 25),
                                    ("delivery", "交货及时", 20), ("service", "服务与配合", 10)):
            criteria.append(_filled(T["evaluation_line"], {"id": line_id, "evaluation_id": evaluation_id, "code": code,
                                                           "label": label, "weight": Decimal(weight),
                                                           "score": Decimal(rnd.randint(55, 100))}))
            line_id += 1
        supplier_ids.append(supplier_id)
    _insert(conn, T["party"], parties)
    _insert(conn, T["role"], roles)
    _insert(conn, T["supplier"], rows)
    _insert(conn, T["evaluation"], evaluations)
    _insert(conn, T["evaluation_line"], criteria)

    # Orders: a few suppliers are busy (a fifth of them get most orders).
    busy = supplier_ids[: max(len(supplier_ids) // 5, 1)]
    states = (["received"] * 25 + ["invoiced"] * 15 + ["paid"] * 30 + ["closed"] * 5 + ["contracted"] * 8
              + ["partially_received"] * 5 + ["approved"] * 4 + ["draft"] * 4 + ["cancelled"] * 4)
    received_states = ("received", "invoiced", "paid", "closed", "partially_received")
    invoiced_states = ("invoiced", "paid", "closed")
    order_rows, order_lines, receipts, receipt_lines, invoices, invoice_lines, payables = [], [], [], [], [], [], []
    ids = {name: first[name] for name in ("order_line", "receipt", "receipt_line", "invoice", "invoice_line", "payable")}
    for i in range(orders):
        order_id = first["order"] + i
        supplier_id = rnd.choice(busy) if rnd.random() < 0.7 else rnd.choice(supplier_ids)
        state = rnd.choice(states)
        created = now - timedelta(days=rnd.randint(0, 730))
        promised = created.date() + timedelta(days=rnd.randint(7, 30))
        total = Decimal(0)
        lines = []
        for n in range(LINES_PER_ORDER):
            item, model, price = ITEMS[rnd.randrange(len(ITEMS))]
            qty = Decimal(rnd.randint(1, 20))
            unit_price = Decimal(price) * Decimal(rnd.randint(90, 110)) / 100
            amount = (qty * unit_price).quantize(Decimal("0.01"))
            total += amount
            received = qty if state in received_states and not (state == "partially_received" and n == 0) else Decimal(0)
            rejected = Decimal(1) if received and rnd.random() < 0.05 else Decimal(0)
            lines.append(_filled(T["order_line"], {
                "id": ids["order_line"], "order_id": order_id, "item": item, "model": model, "qty": qty, "unit": "台",
                "unit_price": unit_price.quantize(Decimal("0.01")), "vat_rate": Decimal(13), "amount": amount,
                "promised_date": promised, "project_ref": f"GC-{created.year}-{rnd.randint(1, 300):04d}",
                "budget_unit_cost": Decimal(price), "received_qty": received, "accepted_qty": received - rejected}))
            ids["order_line"] += 1
        order_lines += lines
        order_rows.append(document("order", order_id, "PO", f"订单 {order_id}", state, created, supplier_id=supplier_id,
                                   payment_terms="货到 30 天", delivery_terms="送货上门", total=total,
                                   promised_date=promised))
        if state not in received_states:
            continue
        arrived = datetime.combine(promised + timedelta(days=rnd.choice([-3, -1, 0, 0, 1, 4])), datetime.min.time(),
                                   tzinfo=timezone.utc)
        # A third of the deliveries come in two parts: a first part early, the rest on `arrived`.
        parts = [(arrived - timedelta(days=5), Decimal("0.5")), (arrived, Decimal("0.5"))] \
            if rnd.random() < 0.3 else [(arrived, Decimal(1))]
        for n, (at, share) in enumerate(parts):
            receipt_id = ids["receipt"]
            ids["receipt"] += 1
            receipts.append(document("receipt", receipt_id, "DH", f"到货 {order_id}", "accepted", at, order_id=order_id,
                                     received_at=at, received_by_id=buyer, location="warehouse",
                                     inspected_by_id=buyer, inspected_on=at.date()))
            for line in lines:
                if not line["received_qty"]:
                    continue
                received = (line["received_qty"] * share).quantize(Decimal("0.0001"))
                rejected = (line["received_qty"] - line["accepted_qty"]) if n == len(parts) - 1 else Decimal(0)
                receipt_lines.append(_filled(T["receipt_line"], {
                    "id": ids["receipt_line"], "receipt_id": receipt_id, "order_line_id": line["id"],
                    "item": line["item"], "qty_received": received, "inspection": "failed" if rejected else "passed",
                    "qty_accepted": received - rejected, "qty_rejected": rejected, "promised_date": promised,
                    "late": at.date() > promised, "short": n < len(parts) - 1}))
                ids["receipt_line"] += 1
        if state not in invoiced_states:
            continue
        invoice_id, payable_id = ids["invoice"], ids["payable"]
        ids["invoice"] += 1
        ids["payable"] += 1
        invoiced = arrived.date() + timedelta(days=rnd.randint(1, 10))
        invoices.append(document("invoice", invoice_id, "FP", f"发票 {order_id}", "matched", arrived, supplier_id=supplier_id,
                                 order_id=order_id, invoice_no=f"{invoice_id:08d}", invoice_date=invoiced, total=total))
        for line in lines:
            invoice_lines.append(_filled(T["invoice_line"], {
                "id": ids["invoice_line"], "invoice_id": invoice_id, "order_line_id": line["id"], "item": line["item"],
                "qty": line["qty"], "order_price": line["unit_price"], "unit_price": line["unit_price"],
                "amount": line["amount"], "vat_rate": Decimal(13)}))
            ids["invoice_line"] += 1
        due = today + timedelta(days=rnd.randint(-200, 60))
        paid = state != "invoiced" and rnd.random() < 0.8
        payables.append(document("payable", payable_id, "YF", f"应付 {order_id}", "paid" if paid else "open", arrived,
                                 supplier_id=supplier_id, invoice_id=invoice_id, order_id=order_id, invoice_date=invoiced,
                                 due_date=due, amount=total, paid_amount=total if paid else Decimal(0),
                                 open_amount=Decimal(0) if paid else total))
    for table, rows in (("order", order_rows), ("order_line", order_lines), ("receipt", receipts),
                        ("receipt_line", receipt_lines), ("invoice", invoices), ("invoice_line", invoice_lines),
                        ("payable", payables)):
        _insert(conn, T[table], rows)
    if conn.dialect.name == "postgresql":
        for table in T.values():
            if "id" in table.c:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"(SELECT max(id) FROM {table.name}))"))
    db.session.info.pop("audit_changes", None)  # bulk rows, not audited
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
            for table in T.values():
                auto.execute(text(f"VACUUM ANALYZE {table.name}"))
    busiest = db.session.scalar(select(Order.supplier_id).group_by(Order.supplier_id)
                                .order_by(func.count(Order.id).desc()).limit(1))
    return {**people, "counts": _counts(db.session.connection()), "busiest": busiest, "today": today}


# ---- measuring ---------------------------------------------------------------------------------
def calls(filled: dict) -> list[tuple[str, str, object]]:
    from modules.procurement.payables import ageing
    from modules.procurement.statistics import scorecard
    from modules.procurement.suppliers import Supplier
    today = filled["today"]

    def card(user):
        return scorecard(db.session.get(Supplier, filled["busiest"]))
    return [("supplier scorecard — the busiest supplier", "bench_p_mgr", card),
            ("payables ageing, all suppliers — 采购部经理", "bench_p_mgr", lambda u: ageing(u, today))]


def measure(app, repeat: int, filled: dict) -> list[dict]:
    """Each call `repeat` times after one warm-up call, as the signed-in user of a request."""
    from core.auth.models import User
    out = []
    with app.test_request_context("/"):
        for name, username, call in calls(filled):
            user = db.session.scalar(select(User).where(User.username == username))
            user.permissions  # noqa: B018 — loaded with the user in a request
            result = call(user)
            samples, statements = [], []
            for _ in range(repeat):
                with Counter(db.engine) as counter:
                    t = time.perf_counter()
                    result = call(user)
                    samples.append(time.perf_counter() - t)
                statements.append(counter.count)
            rows = len(result) if isinstance(result, list) else 1
            out.append(Figure(name, samples, statements, rows).as_dict())
            db.session.rollback()
        db.session.remove()
    out.append(receive_delivery(app, max(repeat // 5, 3)))
    return out


def _contracted_order(app, lines: int):
    """A contracted order of ``lines`` lines to the busiest qualified supplier (written directly)."""
    from core.documents import service
    from modules.procurement.orders import ORDER, OrderLine, save_order
    from modules.procurement.suppliers import Supplier
    from core.auth.models import User
    buyer = db.session.scalar(select(User).where(User.username == "bench_p_buy"))
    supplier = db.session.scalar(select(Supplier).where(Supplier.state == "qualified").limit(1))
    order = service.new_document(ORDER, buyer)
    order.supplier_id, order.payment_terms, order.delivery_terms = supplier.id, "货到 30 天", "送货上门"
    promised = date.today() + timedelta(days=10)
    for n in range(lines):
        item, model, price = ITEMS[n % len(ITEMS)]
        order.lines.append(OrderLine(item=f"{item} #{n + 1}", model=model, qty=Decimal(10), unit="台",
                                     unit_price=Decimal(price), vat_rate=Decimal(13), promised_date=promised))
    save_order(order)
    service.assign_number(ORDER, order)
    order.state = "contracted"
    db.session.add(order)
    db.session.commit()
    return order, buyer


def receive_delivery(app, repeat: int, lines: int = 200) -> dict:
    """A 200-line delivery: prefilled, saved, handed to inspection and accepted (every line
    inspected, one with rejected goods), audited and committed; timed from the receipt's creation
    to the acceptance's commit."""
    from flask import g
    from flask_login import login_user

    from core.documents import service
    from core.workflow import engine
    from modules.procurement.receipts import RECEIPT, receipt_for
    from core.auth.models import User
    samples, statements = [], []
    with app.test_request_context("/"):
        inspector = db.session.scalar(select(User).where(User.username == "bench_p_pe"))
        for _ in range(repeat + 1):            # the first: a warm-up, not counted
            order, buyer = _contracted_order(app, lines)
            login_user(buyer)
            g.audit_user = buyer
            with Counter(db.engine) as counter:
                t = time.perf_counter()
                receipt = receipt_for(order, buyer)
                for n, line in enumerate(receipt.lines):
                    line.qty_received = line.open_qty
                    line.serials = f"SN{order.id:06d}{n:04d}"
                    line.inspection, line.qty_accepted, line.qty_rejected = "passed", line.open_qty, Decimal(0)
                receipt.lines[0].inspection, receipt.lines[0].qty_accepted = "failed", Decimal(9)
                receipt.lines[0].qty_rejected, receipt.lines[0].nonconformance = Decimal(1), "外壳破损"
                service.before_save(RECEIPT, receipt)
                service.assign_number(RECEIPT, receipt)
                db.session.add(receipt)
                db.session.commit()
                engine.perform(RECEIPT, receipt, "inspect", buyer)
                g.audit_user = inspector          # engineering inspects purchased goods (R-E-002)
                engine.perform(RECEIPT, receipt, "accept", inspector, "数量、型号核对无误")
                took = time.perf_counter() - t
            assert receipt.state == "accepted" and order.state == "partially_received", (receipt.state, order.state)
            samples.append(took)
            statements.append(counter.count)
        db.session.remove()
    return Figure(f"receiving a {lines}-line delivery, audited (create → inspect → accept)", samples[1:],
                  statements[1:], lines).as_dict()
