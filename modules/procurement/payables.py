"""Supplier invoices (供方发票) with the three-way match, payables (应付款) and their ageing (WF-P04).

The buyer registers the supplier's invoice against a purchase order of that supplier that has
received goods (partially received or received): the lines start from the order's lines with what
was accepted and not yet invoiced, at the order's price; the buyer types the invoice's quantities,
unit prices (incl. tax) and VAT rates. Registering matches it (R-P-030, 三单匹配: order, accepted
receipt, invoice): each line's quantity at most what was accepted on the order line and not yet
invoiced, its unit price within ``pur.match_tolerance_pct`` of the order's. Every difference is
listed line by line on the invoice (its lines' "Difference" and the invoice's "Differences"):

- matched, a payable is created (amount: the invoice's total; due date: the invoice date plus the
  supplier's payment term) and the order, once every line accepted is invoiced and the order
  received in full, is carried to invoiced;
- not matched, the invoice is put on hold (不匹配待处理): no payable. The buyer corrects it and
  registers it again, or the 采购部经理 releases it with a reason (the payable is then created).

A payable (``procurement.payable``, YF) is settled by payment requests (payments.py): paid amount,
open amount, state open / partly paid / paid; overdue from its due date (a Deadline: listed,
reminded to its buyer). The ageing page sums the open amounts per supplier in SQL (not yet due,
1-30, 31-60, 61-90, over 90 days overdue), one grouped sum per range of due dates on the covering
index ix_procurement_payable_open_due; the procurement dashboard shows the payables due this month
and those overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, Integer, and_, func, literal_column, select, union_all
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today, settings
from core.auth.decorators import permission_required
from core.auth.models import User
from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Section, Widget
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.rules import Rule
from core.settings import Setting
from core.workflow import Transition, Workflow, engine

from .orders import ORDER, Order
from .suppliers import SUPPLIER, Supplier
from .views import bp

INVOICE_CODE = "procurement.invoice"
PAYABLE_CODE = "procurement.payable"
CENT = Decimal("0.01")
ZERO = Decimal(0)
INVOICEABLE = ("partially_received", "received")

# ---- supplier invoice -----------------------------------------------------------------------------
INVOICE_STATES = {"draft": _l("Draft"), "matched": _l("Matched: payable created"),
                  "mismatch": _l("On hold: does not match"), "cancelled": _l("Cancelled")}
REGISTERED = ("matched", "cancelled")

INVOICE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, required=True, readonly_in=REGISTERED),
    Field("order", _l("Purchase order"), "reference", target=ORDER.code, required=True, depends_on=("supplier",),
          where=lambda O, user, doc: and_(O.supplier_id == doc.supplier_id, O.state.in_(INVOICEABLE)),
          readonly_in=REGISTERED,
          refusal=_l("Invoices are registered against an order of the same supplier that has received goods.")),
    Field("invoice_no", _l("Invoice no."), required=True, max_length=40, readonly_in=REGISTERED),
    Field("invoice_date", _l("Invoice date"), "date", required=True, readonly_in=REGISTERED),
    Field("total", _l("Invoice total (incl. tax)"), "money", readonly=True),
    Field("tax_total", _l("VAT"), "money", readonly=True),
    Field("differences", _l("Differences (three-way match)"), "textarea", readonly=True),
    Field("release_note", _l("Released by the procurement manager because"), "textarea", readonly=True),
    Field("notes", _l("Notes"), "textarea"),
]

INVOICE_LINE_FIELDS = [
    Field("order_line_id", _l("Order line"), "integer", readonly=True, listed=False),
    Field("item", _l("Item"), readonly=True),
    Field("open_qty", _l("Accepted, not invoiced"), "decimal", readonly=True),
    Field("qty", _l("Quantity invoiced"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("order_price", _l("Order unit price"), "money", readonly=True),
    Field("unit_price", _l("Invoiced unit price (incl. tax)"), "money", required=True, minimum=0, maximum=10**11),
    Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True),
    Field("vat_rate", _l("VAT rate (%)"), "percent", required=True, minimum=0, maximum=100, default=Decimal("13")),
    Field("tax_amount", _l("VAT"), "money", readonly=True, total=True),
    Field("difference", _l("Difference"), readonly=True, max_length=300),
]


class Invoice(Document, declared_columns([f for f in INVOICE_FIELDS if f.name not in ("title", "supplier", "order")]),
              db.Model):
    """供方发票: a supplier's invoice matched against its order and the accepted receipts."""
    __tablename__ = "procurement_invoice"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    order = relationship(Order, lazy="joined")
    lines = relationship(lambda: InvoiceLine, cascade="all, delete-orphan", order_by=lambda: InvoiceLine.id, lazy="selectin")

    @property
    def supplier_name(self) -> str:
        return self.supplier.title if self.supplier else ""

    @property
    def order_no(self) -> str:
        return self.order.number if self.order else ""


class InvoiceLine(declared_columns(INVOICE_LINE_FIELDS), db.Model):
    __tablename__ = "procurement_invoice_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("procurement_invoice.id", ondelete="CASCADE"), index=True)


def _num(value) -> str:
    return format(Decimal(value).normalize(), "f")


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def invoiced_elsewhere(order_id: int, invoice_id: int | None) -> dict[int, Decimal]:
    """order line id -> the quantity other matched invoices of the order have invoiced (one
    grouped query)."""
    stmt = (select(InvoiceLine.order_line_id, func.sum(InvoiceLine.qty))
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.order_id == order_id, Invoice.state == "matched")
            .group_by(InvoiceLine.order_line_id))
    if invoice_id is not None:
        stmt = stmt.where(Invoice.id != invoice_id)
    return {line_id: Decimal(qty or 0) for line_id, qty in db.session.execute(stmt)}


def _prefill(invoice, order) -> None:
    done = invoiced_elsewhere(order.id, invoice.id)
    for line in order.lines:
        left = Decimal(line.accepted_qty or 0) - done.get(line.id, ZERO)
        if left > 0:
            invoice.lines.append(InvoiceLine(order_line_id=line.id, item=line.item, qty=left,
                                             unit_price=line.unit_price, vat_rate=line.vat_rate))


def match(invoice) -> list[str]:
    """R-P-030: every line against its order line (the quantity accepted and not yet invoiced,
    the order's price within ``pur.match_tolerance_pct``). Writes each line's open quantity,
    order price and difference and the invoice's differences; returns the differences."""
    ordered = {line.id: line for line in invoice.order.lines}
    done = invoiced_elsewhere(invoice.order_id, invoice.id)
    pct = Decimal(str(settings.get("pur.match_tolerance_pct")))
    found = []
    for n, line in enumerate(invoice.lines, start=1):
        source = ordered.get(line.order_line_id)
        if source is None:
            continue
        left = max(Decimal(source.accepted_qty or 0) - done.get(source.id, ZERO), ZERO)
        line.open_qty, line.order_price = left, source.unit_price
        problems = []
        qty = Decimal(line.qty or 0)
        if qty > left:
            problems.append(_("quantity %(qty)s above the %(left)s accepted and not yet invoiced (%(diff)s more)",
                              qty=_num(qty), left=_num(left), diff=_num(qty - left)))
        price, agreed = Decimal(line.unit_price or 0), Decimal(source.unit_price or 0)
        if abs(price - agreed) > agreed * pct / 100:
            off = ((price - agreed) * 100 / agreed).quantize(CENT, ROUND_HALF_UP) if agreed else None
            problems.append(_("unit price %(price)s against the order's %(agreed)s (%(diff)s, %(pct)s%%; "
                              "tolerance %(tolerance)s%%)", price=_money(price), agreed=_money(agreed),
                              diff=f"{price - agreed:+,.2f}", pct=f"{off:+}" if off is not None else "∞",
                              tolerance=pct))
        line.difference = "; ".join(problems)[:300]
        if problems:
            found.append(_("Line %(n)s (%(item)s): %(problems)s", n=n, item=line.item, problems="; ".join(problems)))
    invoice.differences = "\n".join(found)
    return found


def save_invoice(invoice):
    order = db.session.get(Order, invoice.order_id) if invoice.order_id else None
    if order is None:
        raise ValidationFailed({"order_id": [_("Choose the purchase order invoiced.")]})
    if invoice.supplier_id is None:
        invoice.supplier_id = order.supplier_id
    if order.supplier_id != invoice.supplier_id:
        raise ValidationFailed({"order_id": [_("Order %(number)s is not an order of this supplier.",
                                                number=order.number)]})
    invoice.order, invoice.supplier = order, order.supplier
    if invoice.state == "draft" and order.state not in INVOICEABLE:
        raise ValidationFailed({"order_id": [_("Order %(number)s has received no goods yet: it cannot be invoiced.",
                                                number=order.number)]})
    duplicate = db.session.scalar(select(Invoice.number).where(
        Invoice.supplier_id == invoice.supplier_id, Invoice.invoice_no == invoice.invoice_no,
        Invoice.state != "cancelled", Invoice.id != (invoice.id or 0)).limit(1))
    if duplicate:
        raise ValidationFailed({"invoice_no": [_("Invoice %(no)s of this supplier is already registered (%(number)s).",
                                                  no=invoice.invoice_no, number=duplicate)]})
    if not invoice.lines:
        _prefill(invoice, order)
        if not invoice.lines:
            raise ValidationFailed({"order_id": [_("Everything accepted on %(number)s has been invoiced.",
                                                    number=order.number)]})
    ordered = {line.id: line for line in order.lines}
    by_item: dict[str, list] = {}
    for line in order.lines:
        by_item.setdefault(line.item, []).append(line)
    problems, seen = [], set()
    for n, line in enumerate(invoice.lines, start=1):
        source = ordered.get(line.order_line_id)
        if source is None and line.order_line_id is None:  # a row typed by its item (API, import)
            source = next((s for s in by_item.get(line.item or "", []) if s.id not in seen), None)
        if source is None:
            problems.append(_("Line %(n)s (%(item)s) is not a line of order %(number)s.", n=n, item=line.item or "",
                              number=order.number))
            continue
        if source.id in seen:
            problems.append(_("Line %(n)s (%(item)s) is listed twice.", n=n, item=source.item))
            continue
        seen.add(source.id)
        line.order_line_id, line.item = source.id, source.item
        if not line.qty or Decimal(line.qty) <= 0:
            problems.append(_("Line %(n)s (%(item)s): give the quantity invoiced.", n=n, item=source.item))
            continue
        line.amount = (Decimal(line.qty) * Decimal(line.unit_price or 0)).quantize(CENT, ROUND_HALF_UP)
        rate = Decimal(line.vat_rate or 0)
        line.tax_amount = (line.amount * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)
    if problems:
        raise ValidationFailed({}, problems)
    invoice.total = sum((line.amount for line in invoice.lines), ZERO)
    invoice.tax_total = sum((line.tax_amount for line in invoice.lines), ZERO)
    invoice.title = f"{order.supplier.title} {invoice.invoice_no}"[:200]
    if invoice.state in ("draft", "mismatch"):
        match(invoice)


def _registered(doc) -> str:
    if doc.state == "matched":
        return _("Matched with the order and the accepted goods: payable created.")
    return _("On hold: the invoice does not match the order and the accepted goods. See the differences.")


INVOICE_WORKFLOW = Workflow(
    states=INVOICE_STATES, initial="draft", editable_states=("draft", "mismatch"),
    transitions=[
        # The match decides where it goes (matched or on hold): erp_transition_done carries it.
        Transition("register", _l("Register and match"), ["draft", "mismatch"], None, style="success",
                   done_message=_registered),
        Transition("match", _l("Matched"), ["draft", "mismatch"], "matched", automatic=True),
        Transition("hold", _l("Put on hold: does not match"), ["draft", "mismatch"], "mismatch", automatic=True),
        Transition("release", _l("Release despite the differences"), ["mismatch"], "matched", style="warning",
                   comment_required=True, comment_label=_l("Why it is accepted (R-P-030)"), reviews=True),
        Transition("cancel", _l("Cancel"), ["draft", "mismatch"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
)

INVOICE = DocType(
    code=INVOICE_CODE, model=Invoice, label=_l("Supplier invoice"), label_plural=_l("Supplier invoices"),
    fields=INVOICE_FIELDS, workflow=INVOICE_WORKFLOW, number_prefix="FP", print_title="供方发票登记",
    menu_order=37, before_save=save_invoice,
    lines=Lines("lines", InvoiceLine, fields=INVOICE_LINE_FIELDS, blank_rows=0),
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("order_no", _l("Purchase order"), sortable=False),
             Column("invoice_no", _l("Invoice no.")),
             Column("invoice_date", _l("Invoice date"), kind="date"),
             Column("total", _l("Invoice total (incl. tax)"), kind="money")],
    search=("invoice_no",),
)


# ---- payable --------------------------------------------------------------------------------------
PAYABLE_STATES = {"open": _l("Open"), "partly_paid": _l("Partly paid"), "paid": _l("Paid")}
OPEN = ("open", "partly_paid")

PAYABLE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, readonly=True),
    Field("invoice", _l("Supplier invoice"), "reference", target=INVOICE_CODE, readonly=True),
    Field("order", _l("Purchase order"), "reference", target=ORDER.code, readonly=True),
    Field("invoice_date", _l("Invoice date"), "date", readonly=True),
    Field("due_date", _l("Due date"), "date", readonly=True),
    Field("amount", _l("Amount"), "money", readonly=True),
    Field("paid_amount", _l("Amount paid"), "money", readonly=True),
    Field("open_amount", _l("Open amount"), "money", readonly=True),
]


class Payable(Document, declared_columns([f for f in PAYABLE_FIELDS
                                          if f.name not in ("title", "supplier", "invoice", "order")]), db.Model):
    """应付款: what a matched invoice leaves to pay the supplier."""
    __tablename__ = "procurement_payable"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("procurement_invoice.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    invoice = relationship(Invoice, lazy="joined")

    # The open payables by due date, with what the ageing sums and groups and the visibility
    # reads: ageing() and the dashboard read this index alone.
    __table_extra__ = (Index("ix_procurement_payable_open_due", "state", "due_date", "supplier_id", "open_amount",
                             "owner_id", "id"),)

    @property
    def supplier_name(self) -> str:
        return self.supplier.title if self.supplier else ""

    @property
    def invoice_no(self) -> str:
        return self.invoice.invoice_no if self.invoice else ""


PAYABLE_WORKFLOW = Workflow(
    states=PAYABLE_STATES, initial="open", editable_states=("open",),
    transitions=[
        Transition("settle_part", _l("Paid in part"), list(OPEN), "partly_paid", automatic=True),
        Transition("settle", _l("Paid in full"), list(OPEN), "paid", automatic=True),
    ],
)

def made_from_invoices(payable):
    """Payables are the system's: made by create_payable from matched invoices, never saved by hand
    (form, API, import)."""
    raise ValidationFailed({}, [_("Payables are created from matched supplier invoices (R-P-030); "
                                  "they are not entered or changed by hand.")])


PAYABLE = DocType(
    code=PAYABLE_CODE, model=Payable, label=_l("Payable"), label_plural=_l("Payables"),
    fields=PAYABLE_FIELDS, workflow=PAYABLE_WORKFLOW, number_prefix="YF", print_title="应付款",
    menu_order=38, deadline=Deadline("due_date", states=OPEN), before_save=made_from_invoices,
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("invoice_no", _l("Invoice no."), sortable=False),
             Column("due_date", _l("Due date"), kind="date"),
             Column("amount", _l("Amount"), kind="money"),
             Column("paid_amount", _l("Amount paid"), kind="money"),
             Column("open_amount", _l("Open amount"), kind="money")],
)


def create_payable(invoice, user) -> Payable:
    """The payable of a matched (or released) invoice: due after the supplier's payment term."""
    from core.documents import service
    owner = db.session.get(User, invoice.owner_id) or user
    payable = service.new_document(PAYABLE, owner)
    supplier = invoice.supplier
    payable.supplier_id, payable.invoice_id, payable.order_id = invoice.supplier_id, invoice.id, invoice.order_id
    payable.invoice_date = invoice.invoice_date
    payable.due_date = invoice.invoice_date + timedelta(days=supplier.payment_days or 0)
    payable.amount, payable.paid_amount, payable.open_amount = invoice.total, ZERO, invoice.total
    payable.title = f"{supplier.title} {invoice.invoice_no}"[:200]
    service.assign_number(PAYABLE, payable)
    db.session.add(payable)
    db.session.flush()
    return payable


def fully_invoiced(order) -> bool:
    """Every line received in full and its accepted quantity invoiced by matched invoices."""
    if order.state != "received":
        return False
    done = invoiced_elsewhere(order.id, None)
    return all(done.get(line.id, ZERO) >= Decimal(line.accepted_qty or 0) for line in order.lines)


def all_paid(order_id: int) -> bool:
    """Whether the order has payables and every one is paid."""
    states = db.session.scalars(select(Payable.state).where(Payable.order_id == order_id)).all()
    return bool(states) and all(state == "paid" for state in states)


def follow_order(order, user, because: str) -> None:
    """The order invoiced once fully invoiced, paid once every payable is paid, then closed by the
    system (WF-P01: received in full, as invoicing needs, and paid: nothing is left open on it)."""
    if order.state == "received" and fully_invoiced(order):
        engine.carry(order, "invoice", user, because)
    if order.state == "invoiced" and all_paid(order.id):
        engine.carry(order, "pay", user, because)
        engine.carry(order, "close", user, because)


@hookimpl
def erp_transition_done(document, transition, user, comment):
    if isinstance(document, Invoice):
        if transition.name == "register":
            engine.carry(document, "hold" if match(document) else "match", user, document.differences or "")
        elif transition.name in ("match", "release"):
            if transition.name == "release":
                document.release_note = comment or ""
            create_payable(document, user)
            follow_order(document.order, user, _("Invoice %(number)s", number=document.number or ""))
    elif isinstance(document, Order) and transition.name == "receive":
        # Invoices registered before the last delivery: the order may be invoiced already.
        follow_order(document, user, _("Received in full"))


# ---- ageing ---------------------------------------------------------------------------------------
BUCKETS = [("not_due", _l("Not yet due")), ("d30", _l("1-30 days overdue")), ("d60", _l("31-60 days overdue")),
           ("d90", _l("61-90 days overdue")), ("over90", _l("Over 90 days overdue"))]


@dataclass
class AgeingRow:
    supplier_id: int
    label: str
    amounts: dict
    total: Decimal


def ageing(user, as_of: date) -> list[AgeingRow]:
    """The open amounts `user` may see per supplier in ageing buckets on `as_of`: one statement,
    the UNION ALL of one grouped sum per range of due dates, each range a seek in
    ix_procurement_payable_open_due (state, due date, then the columns grouped and summed)."""
    P = Payable
    d30, d60, d90 = (as_of - timedelta(days=days) for days in (30, 60, 90))
    ranges = [("not_due", P.due_date >= as_of), ("d30", and_(P.due_date < as_of, P.due_date >= d30)),
              ("d60", and_(P.due_date < d30, P.due_date >= d60)), ("d90", and_(P.due_date < d60, P.due_date >= d90)),
              ("over90", P.due_date < d90)]
    # Grouped by an expression of the supplier: else, with statistics, SQLite walks the whole
    # table in ix_procurement_payable_supplier_id order to save the grouping's sort (5x slower).
    key = (P.supplier_id + 0).label("supplier_id")
    stmt = union_all(*[visible(PAYABLE, user, select(key, literal_column(str(i)), func.sum(P.open_amount))
                               .where(P.state.in_(OPEN), during).group_by(key))
                       for i, (_bucket, during) in enumerate(ranges)])
    rows: dict = {}
    for key, i, amount in db.session.execute(stmt):
        amounts = rows.setdefault(key, {})
        bucket = ranges[int(i)][0]
        amounts[bucket] = amounts.get(bucket, ZERO) + Decimal(amount or 0)
    names = dict(db.session.execute(select(Supplier.id, Supplier.title).where(Supplier.id.in_(list(rows)))).all()) \
        if rows else {}
    out = [AgeingRow(k, names.get(k, ""), v, sum(v.values(), ZERO)) for k, v in rows.items()]
    return sorted(out, key=lambda r: (-sum((r.amounts.get(b, ZERO) for b, _label in BUCKETS[1:]), ZERO), r.label))


def due_this_month(user, today: date) -> tuple[int, Decimal]:
    """Open payables `user` may see due from today to the month's end: count and open amount."""
    last = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    stmt = visible(PAYABLE, user, select(func.count(), func.coalesce(func.sum(Payable.open_amount), 0)).where(
        Payable.state.in_(OPEN), Payable.due_date >= today, Payable.due_date <= last))
    count, amount = db.session.execute(stmt).one()
    return int(count or 0), Decimal(amount or 0)


def overdue(user, today: date) -> tuple[int, Decimal]:
    stmt = visible(PAYABLE, user, select(func.count(), func.coalesce(func.sum(Payable.open_amount), 0)).where(
        Payable.state.in_(OPEN), Payable.due_date < today))
    count, amount = db.session.execute(stmt).one()
    return int(count or 0), Decimal(amount or 0)


@bp.get("/payables/ageing")
@permission_required("procurement.payable.ageing")
def payables_ageing():
    as_of = calendar_today.today()
    rows = ageing(current_user, as_of)
    totals = {b: sum((r.amounts.get(b, ZERO) for r in rows), ZERO) for b, _label in BUCKETS}
    return render_template("procurement/ageing.html", rows=rows, buckets=BUCKETS, as_of=as_of, totals=totals,
                           grand=sum(totals.values(), ZERO))


PAYABLES = Section("procurement.payables", _l("Payables"), 35)


@hookimpl
def erp_dashboard_widgets(user):
    """Payables due this month and those overdue, for whoever follows payables."""
    if not user.can("procurement.payable.ageing"):
        return []
    today = calendar_today.today()
    count, amount = due_this_month(user, today)
    late, late_amount = overdue(user, today)
    widgets = [
        Widget(_l("Payables due this month"), value=count, body=_("¥%(amount)s to pay", amount=_money(amount)),
               url=url_for("procurement.payable_list"), section=PAYABLES, order=10),
        Widget(_l("Overdue payables"), value=late,
               body=_("¥%(amount)s overdue: see the ageing", amount=_money(late_amount)),
               url=url_for("procurement.payables_ageing"), section=PAYABLES, order=11),
    ]
    if user.can(f"{INVOICE_CODE}.release"):     # the 采购部经理 decides on the invoices held (R-P-030)
        held = db.session.scalar(visible(INVOICE, user, select(func.count()).select_from(Invoice)
                                         .where(Invoice.state == "mismatch")))
        widgets.append(Widget(_l("Supplier invoices on hold"), value=int(held or 0),
                              body=_("Not matching their order and receipts (R-P-030)"),
                              url=url_for("procurement.invoice_list", state="mismatch"), section=PAYABLES, order=12))
    return widgets


# ---- declarations ---------------------------------------------------------------------------------
ORDER.relate(Related(_l("Supplier invoices"), INVOICE_CODE, "order_id"))
ORDER.relate(Related(_l("Payables"), PAYABLE_CODE, "order_id"))
INVOICE.relate(Related(_l("Payable"), PAYABLE_CODE, "invoice_id"))


@hookimpl
def erp_models():
    return [Invoice, InvoiceLine, Payable]


@hookimpl
def erp_document_types():
    return [INVOICE, PAYABLE]


@hookimpl
def erp_permissions():
    return [Permission("procurement.payable.ageing", _l("See the payables and their ageing"))]


@hookimpl
def erp_menu_items():
    return [MenuItem("procurement", _l("Payables ageing"), "procurement.payables_ageing",
                     "procurement.payable.ageing", order=39)]


@hookimpl
def erp_roles():
    read = ["read", "read_all", "export"]
    buyer = read + ["create", "edit", "register", "cancel"]
    payable = [f"{PAYABLE_CODE}.{a}" for a in read] + ["procurement.payable.ageing"]
    grants = [
        ("ROLE-PUR-BUY", [f"{INVOICE_CODE}.{a}" for a in buyer] + payable),
        ("ROLE-PUR-MGR", [f"{INVOICE_CODE}.{a}" for a in buyer + ["release"]] + payable),
        ("ROLE-MKT-DIR", [f"{INVOICE_CODE}.{a}" for a in read] + payable),
        ("ROLE-GM", [f"{INVOICE_CODE}.{a}" for a in read] + payable),
        ("ROLE-FIN", [f"{INVOICE_CODE}.{a}" for a in read] + payable),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.match_tolerance_pct", "decimal", 1, _l("Three-way match: price tolerance (%)"),
                _l("R-P-030: an invoiced unit price may differ from the order's by this much."), min=0, max=100),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-P-030", "三单匹配", "Payables are created only for invoices matching the purchase order and the "
             "accepted receipt (quantity, and price within the tolerance); a mismatch is held with its "
             "differences until corrected or released by the procurement manager.", "block",
             params=("pur.match_tolerance_pct",)),
    ]
