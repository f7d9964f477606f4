"""Goods receipts and inspection (到货验收单, X-P04; WF-P01 receipt, R-E-002, I-04).

A delivery on a contracted (or partially received) order is registered by the buyer or the
project engineer at the site: ``receipt_for(order, user)`` (the order's "Register a delivery"
button, or an API call naming just the order) lists the order's open lines with what is still to
receive; the receiver types the quantities and serial numbers. More than is still open on a line
is refused with the line named. The goods then go to inspection (检验测试): the project engineer
or the 工程部经理 inspect and test them (the buyer when the engineering module is off, I-04)
and record on each line passed (合格) or failed (不合格), the quantities accepted and rejected,
the nonconformance and the return or replacement (退货/换货) agreed.

Accepted (every line inspected), the receipt:
- adds the received and accepted quantities to the order lines and carries the order to
  partially received or received;
- records on each line whether it came late (after the line's promised date, R-P-022) or short
  (less delivered on the order line, all receipts together, than ordered);
- updates the supplier's nonconformance count and on-time rate (read by the evaluation's quality
  and delivery criteria, ``quality_score`` and ``delivery_score``);
- is announced with ``procurement_goods_received`` (I-04).

A 200-line delivery is accepted with a few statements: the order's and the receipt's lines are
loaded once each, the supplier's figures come from two grouped queries.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, case, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines
from core.documents.derived import as_utc, local
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import Issue, Transition, Workflow, engine

from .orders import ORDER, RECEIVING_STATES, Order, earliest_open_promise

CODE = "procurement.receipt"
ZERO = Decimal(0)

STATES = {"received": _l("Received, to inspect"), "inspecting": _l("Being inspected"),
          "accepted": _l("Inspected and accepted"), "cancelled": _l("Cancelled")}
LOCATIONS = [("warehouse", _l("Warehouse")), ("site", _l("At the project site"))]
INSPECTION = [("pending", _l("To inspect")), ("passed", _l("Passed")), ("failed", _l("Not passed"))]
RECEIVERS = ("ROLE-PUR-BUY", "ROLE-PUR-MGR", "ROLE-ENG-PE", "ROLE-ENG-MGR")
INSPECTORS = ("ROLE-ENG-PE", "ROLE-ENG-MGR")
DONE = ("accepted", "cancelled")

RECEIPT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("order", _l("Purchase order"), "reference", target=ORDER.code, required=True,
          where=lambda O, user: O.state.in_(RECEIVING_STATES), readonly_in=("inspecting", "accepted", "cancelled"),
          refusal=_l("Goods are received on a contracted order not yet received in full.")),
    Field("received_at", _l("Received at"), "datetime", required=True),
    Field("received_by", _l("Received by"), "user", roles=RECEIVERS, required=True),
    Field("location", _l("Location"), "choice", choices=LOCATIONS, required=True, default="warehouse"),
    Field("inspected_by", _l("Inspected by"), "user", readonly=True),
    Field("inspected_on", _l("Inspected on"), "date", readonly=True),
    Field("late_lines", _l("Lines late"), "integer", readonly=True),
    Field("notes", _l("Notes"), "textarea"),
]

LINE_FIELDS = [
    Field("order_line_id", _l("Order line"), "integer", readonly=True, listed=False),
    Field("item", _l("Item"), max_length=120, help=_l("Copied from the order line.")),
    Field("open_qty", _l("Still to receive"), "decimal", readonly=True),
    Field("qty_received", _l("Quantity received"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("serials", _l("Serial numbers"), "textarea"),
    Field("inspection", _l("Inspection"), "choice", choices=INSPECTION, required=True, default="pending"),
    Field("qty_accepted", _l("Quantity accepted"), "decimal", minimum=0, maximum=10**9),
    Field("qty_rejected", _l("Quantity rejected"), "decimal", minimum=0, maximum=10**9),
    Field("nonconformance", _l("Nonconformance"), max_length=300),
    Field("return_note", _l("Return / replacement (退货/换货)"), max_length=200),
    Field("promised_date", _l("Promised date"), "date", readonly=True),
    Field("late", _l("Late"), "bool", readonly=True),
    Field("short", _l("Short"), "bool", readonly=True),
]


class Receipt(Document, declared_columns([f for f in RECEIPT_FIELDS if f.name not in ("title", "order")]), db.Model):
    """到货验收单 (X-P04)."""
    __tablename__ = "procurement_receipt"
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)

    order = relationship(Order, lazy="joined")
    lines = relationship(lambda: ReceiptLine, cascade="all, delete-orphan", order_by=lambda: ReceiptLine.id, lazy="selectin")

    @property
    def supplier_name(self) -> str:
        return self.order.supplier_name if self.order else ""

    def accepted_lines(self) -> list[dict]:
        """What was accepted (I-04): item, model, quantity, price, amount, serials, project."""
        by_id = {line.id: line for line in self.order.lines}
        out = []
        for line in self.lines:
            ordered = by_id.get(line.order_line_id)
            qty = Decimal(line.qty_accepted or 0)
            if ordered is None or qty <= 0:
                continue
            price = Decimal(ordered.unit_price or 0)
            out.append({"order_line_id": ordered.id, "item": ordered.item, "model": ordered.model or "",
                        "qty": qty, "unit_price": price, "amount": (qty * price).quantize(Decimal("0.01")),
                        "serials": [s for s in (line.serials or "").replace(",", "\n").replace("，", "\n").split()
                                    if s], "project_ref": ordered.project_ref or ""})
        return out


class ReceiptLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "procurement_receipt_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("procurement_receipt.id", ondelete="CASCADE"), index=True)


# ---- saving -------------------------------------------------------------------------------------
def pending_elsewhere(order_id: int, receipt_id: int | None) -> dict[int, Decimal]:
    """order line id -> the quantity other receipts of the order have received and not yet
    accepted or cancelled (one grouped query)."""
    stmt = (select(ReceiptLine.order_line_id, func.sum(ReceiptLine.qty_received))
            .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
            .where(Receipt.order_id == order_id, Receipt.state.in_(("received", "inspecting")))
            .group_by(ReceiptLine.order_line_id))
    if receipt_id is not None:
        stmt = stmt.where(Receipt.id != receipt_id)
    return {line_id: Decimal(qty or 0) for line_id, qty in db.session.execute(stmt)}


def open_lines(order, receipt_id: int | None = None) -> list[tuple]:
    """(order line, quantity still to receive) for the order's lines with something still open."""
    pending = pending_elsewhere(order.id, receipt_id)
    out = []
    for line in order.lines:
        left = line.open_qty - pending.get(line.id, ZERO)
        if left > 0:
            out.append((line, left))
    return out


def prefill(receipt, order) -> None:
    for line, left in open_lines(order, receipt.id):
        receipt.lines.append(ReceiptLine(order_line_id=line.id, item=line.item, open_qty=left, qty_received=left,
                                         inspection="pending", promised_date=line.promised_date))


def save_receipt(receipt):
    order = db.session.get(Order, receipt.order_id) if receipt.order_id else None
    if order is None:
        raise ValidationFailed({"order_id": [_("Choose the purchase order delivered.")]})
    if receipt.state == "received" and order.state not in RECEIVING_STATES:
        raise ValidationFailed({"order_id": [_("Goods are received on a contracted order not yet received in full.")]})
    receipt.order = order
    receipt.title = f"{order.number} {order.supplier_name}"[:200]
    if not receipt.lines:
        prefill(receipt, order)
        if not receipt.lines:
            raise ValidationFailed({"order_id": [_("Everything ordered on %(number)s has been received.",
                                                    number=order.number)]})
    ordered = {line.id: line for line in order.lines}
    pending = pending_elsewhere(order.id, receipt.id)
    problems, seen = [], set()
    for n, line in enumerate(receipt.lines, start=1):
        source = ordered.get(line.order_line_id)
        if source is None:
            problems.append(_("Line %(n)s is not a line of order %(number)s: register deliveries from the order.",
                              n=n, number=order.number))
            continue
        if source.id in seen:
            problems.append(_("Line %(n)s (%(item)s) is listed twice.", n=n, item=source.item))
            continue
        seen.add(source.id)
        line.item, line.promised_date = source.item, source.promised_date
        left = source.open_qty - pending.get(source.id, ZERO)
        line.open_qty = max(left, ZERO)
        received = Decimal(line.qty_received or 0)
        if received > left:
            problems.append(_("Line %(n)s (%(item)s): %(qty)s received, but only %(left)s of the %(ordered)s ordered "
                              "are still to receive.", n=n, item=source.item, qty=_num(received), left=_num(max(left, ZERO)),
                              ordered=_num(Decimal(source.qty))))
            continue
        problems.extend(_inspection_problems(n, line, received))
    if problems:
        raise ValidationFailed({}, problems)
    if not any(Decimal(line.qty_received or 0) > 0 for line in receipt.lines):
        raise ValidationFailed({}, [_("Give the quantity received of at least one line.")])


def _num(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def _inspection_problems(n, line, received) -> list[str]:
    """A line inspected: what was accepted and rejected, at most what was received."""
    if line.inspection == "pending":
        line.qty_accepted = line.qty_rejected = None
        return []
    accepted, rejected = line.qty_accepted, line.qty_rejected
    if accepted is None and rejected is None:  # the whole line passed or failed
        accepted, rejected = (received, ZERO) if line.inspection == "passed" else (ZERO, received)
    elif accepted is None:
        accepted = received - Decimal(rejected)
    elif rejected is None:
        rejected = received - Decimal(accepted)
    accepted, rejected = Decimal(accepted or 0), Decimal(rejected or 0)
    if accepted < 0 or rejected < 0 or accepted + rejected > received:
        return [_("Line %(n)s (%(item)s): accepted and rejected add up to more than the %(qty)s received.",
                  n=n, item=line.item, qty=_num(received))]
    if rejected > 0 and not (line.nonconformance or "").strip():
        return [_("Line %(n)s (%(item)s): say what is wrong with the rejected goods (nonconformance).",
                  n=n, item=line.item)]
    line.qty_accepted, line.qty_rejected = accepted, rejected
    return []


# ---- workflow -----------------------------------------------------------------------------------
def engineering_on() -> bool:
    return "engineering" in current_app.extensions["erp"].enabled


def may_inspect(doc, user) -> list:
    """R-E-002 / I-04: engineering inspects purchased goods; the buyer only when engineering is off."""
    if engineering_on() and not any(user.has_role(role) for role in INSPECTORS):
        return [Issue(_("Engineering inspects purchased goods: a project engineer or the engineering manager "
                        "accepts the receipt (R-E-002)."), code="R-E-002")]
    return []


def every_line_inspected(doc, user) -> list:
    pending = [f"{n} {line.item}" for n, line in enumerate(doc.lines, start=1)
               if Decimal(line.qty_received or 0) > 0 and line.inspection == "pending"]
    if pending:
        return [Issue(_("Inspect every line first: %(lines)s.", lines="、".join(pending)), field="lines")]
    return []


def order_open(doc, user) -> list:
    if doc.order.state not in RECEIVING_STATES:
        return [Issue(_("Order %(number)s is no longer receiving goods.", number=doc.order.number), field="order_id")]
    return []


RECEIPT_WORKFLOW = Workflow(
    states=STATES, initial="received", editable_states=("received", "inspecting"),
    transitions=[
        Transition("inspect", _l("Hand over for inspection"), ["received"], "inspecting"),
        Transition("accept", _l("Inspection done: accept"), ["inspecting"], "accepted", style="success",
                   conditions=[may_inspect, every_line_inspected, order_open], signs=_l("Inspector")),
        Transition("cancel", _l("Cancel"), ["received", "inspecting"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
)

RECEIPT = DocType(
    code=CODE, model=Receipt, label=_l("Goods receipt"), label_plural=_l("Goods receipts"),
    fields=RECEIPT_FIELDS, workflow=RECEIPT_WORKFLOW, number_prefix="DH", print_title="到货验收单", menu_order=35,
    before_save=save_receipt, lines=Lines("lines", ReceiptLine, fields=LINE_FIELDS, blank_rows=0),
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("received_at", _l("Received at"), kind="datetime"),
             Column("location", _l("Location"), kind="choice", choices=dict(LOCATIONS)),
             Column("late_lines", _l("Lines late"), kind="number")],
)


def receipt_for(order, user) -> Receipt:
    """A new receipt of `order` with its open lines prefilled (quantity = what is still open), not
    committed."""
    from core.documents import service
    receipt = service.new_document(RECEIPT, user)
    receipt.order_id, receipt.order = order.id, order
    receipt.received_at = as_utc(calendar_today.now())   # stored in UTC (SQLite keeps no offset)
    receipt.received_by_id, receipt.location = user.id, "warehouse"
    receipt.title = f"{order.number} {order.supplier_name}"[:200]
    prefill(receipt, order)
    return receipt


# ---- acceptance ---------------------------------------------------------------------------------
def _accept(receipt, user) -> None:
    order = receipt.order
    ordered = {line.id: line for line in order.lines}
    received_on = local(receipt.received_at).date() if receipt.received_at else calendar_today.today()
    late = 0
    for line in receipt.lines:
        source = ordered.get(line.order_line_id)
        qty = Decimal(line.qty_received or 0)
        if source is None or qty <= 0:
            continue
        source.received_qty = Decimal(source.received_qty or 0) + qty
        source.accepted_qty = Decimal(source.accepted_qty or 0) + Decimal(line.qty_accepted or 0)
        line.late = bool(source.promised_date and received_on > source.promised_date)
        line.short = Decimal(source.received_qty) < Decimal(source.qty or 0)
        late += line.late
    receipt.late_lines = late
    receipt.inspected_by_id, receipt.inspected_on = user.id, calendar_today.today()
    order.promised_date = earliest_open_promise(order)
    because = _("Receipt %(number)s", number=receipt.number or "")
    if all(line.open_qty <= 0 for line in order.lines):
        engine.carry(order, "receive", user, because)
    elif order.state == "contracted":
        engine.carry(order, "receive_part", user, because)
    db.session.flush()
    update_supplier(order.supplier)
    current_app.extensions["erp"].pm.hook.procurement_goods_received(receipt=receipt)


def _supplier_lines(supplier_id):
    return (select(ReceiptLine).join(Receipt, Receipt.id == ReceiptLine.receipt_id)
            .join(Order, Order.id == Receipt.order_id)
            .where(Order.supplier_id == supplier_id, Receipt.state == "accepted", ReceiptLine.qty_received > 0))


def update_supplier(supplier) -> None:
    """The supplier's nonconformances (lines with rejected goods, and those other modules report:
    ``procurement_reported_nonconformances``) and on-time rate (lines delivered
    in full by their promised date), over every accepted receipt."""
    lines = _supplier_lines(supplier.id).subquery()
    row = db.session.execute(select(
        func.count(),
        func.sum(case(((lines.c.late.is_(False)) & (lines.c.short.is_(False)), 1), else_=0)),
        func.sum(case((lines.c.qty_rejected > 0, 1), else_=0)))).one()
    total, on_time, defects = row
    # With the nonconformances other modules recorded against the supplier (I-12).
    reported = sum(int(n or 0) for n in current_app.extensions["erp"].pm.hook.procurement_reported_nonconformances(
        supplier=supplier))
    supplier.nonconformance_count = int(defects or 0) + reported
    supplier.on_time_rate = (Decimal(on_time or 0) * 100 / total).quantize(Decimal("0.01")) if total else None


def _period(start, end):
    return datetime.combine(start, time.min, tzinfo=UTC), datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)


def quality_score(supplier, start, end) -> Decimal | None:
    """产品质量: the quantity accepted of the quantity received in the period (%), None without receipts."""
    low, high = _period(start, end)
    lines = _supplier_lines(supplier.id).where(Receipt.received_at >= low, Receipt.received_at < high).subquery()
    received, accepted = db.session.execute(select(func.sum(lines.c.qty_received), func.sum(lines.c.qty_accepted))).one()
    if not received:
        return None
    return Decimal(accepted or 0) * 100 / Decimal(received)


def delivery_score(supplier, start, end) -> Decimal | None:
    """交货及时: the lines received in the period delivered in full by their promised date (%)."""
    low, high = _period(start, end)
    lines = _supplier_lines(supplier.id).where(Receipt.received_at >= low, Receipt.received_at < high).subquery()
    total, on_time = db.session.execute(select(
        func.count(), func.sum(case(((lines.c.late.is_(False)) & (lines.c.short.is_(False)), 1), else_=0)))).one()
    if not total:
        return None
    return Decimal(on_time or 0) * 100 / Decimal(total)


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Receipt) and transition.name == "accept":
        _accept(document, user)


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Receipt, ReceiptLine]


@hookimpl
def erp_document_types():
    return [RECEIPT]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export"]
    receiver = read + [f"{CODE}.{a}" for a in ("create", "edit", "inspect", "accept", "cancel")]
    grants = [
        ("ROLE-PUR-BUY", receiver),
        ("ROLE-PUR-MGR", receiver),
        ("ROLE-ENG-PE", receiver),
        ("ROLE-ENG-MGR", receiver),
        ("ROLE-MKT-DIR", read),
        ("ROLE-GM", read),
        ("ROLE-FIN", read),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]
