"""Reconciliation statements (应付款对账单, X-P06), fund-use plans (用款计划, X-P07) and supplier
payment requests (付款申请单, X-P08): the rest of WF-P04.

- Reconciliation (DZ): the buyer prepares one statement per supplier and month. While a draft
  it is computed from the payables and the payments: the opening balance (invoiced minus paid
  before the month), the month's invoices and payments (its lines) and the closing balance. The
  supplier's figure is typed when the statement comes back; the difference is computed and, when
  not zero, needs its explanation before the statement is confirmed or disputed. The supplier's
  confirmation is an external signature (xsig). draft → sent → confirmed / disputed → archived
  (a disputed statement is revised as a draft again). R-P-031: every supplier with movements in a
  month is reconciled by the ``pur.reconcile_day``-th working day of the next month (reminded to
  the supplier's buyer, else the 采购部经理).
- Fund-use plan (YK): the 采购部经理's plan of a month's payments, proposed from the payables due
  that month (and those overdue) with "Propose from payables" (or when saved without lines),
  lines by priority (必须, 一般, 可延后); approved by the 总经理 (an approval step).
- Payment request (FK): the buyer asks to pay a supplier's payables (lines: payable, amount at
  most what is still open and not already asked for by another request). Approval (R-P-033): the
  采购部经理; also the 总经理 above ``pur.payment_gm_threshold`` or (R-P-032) when a payable is
  not on the approved fund-use plan of the month (``in_fund_plan``). Finance (ROLE-FIN) records
  the payment (paid on, bank reference); when no active user holds ROLE-FIN, the 采购部经理 records it
  (SPEC ``core.finance_role_fallback``). Paid: the payables are settled (paid and open amounts,
  state), an order whose payables are all paid is carried to paid, and the payment is announced
  with ``procurement_payment_recorded`` (an accounting export books it).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, Integer, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .orders import Order
from .payables import OPEN, PAYABLE_CODE, Payable, _money, follow_order
from .suppliers import SUPPLIER, Supplier
from .views import bp

ZERO = Decimal(0)
RECON_CODE = "procurement.reconciliation"
PLAN_CODE = "procurement.fund_plan"
PAYMENT_CODE = "procurement.payment"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


# ---- payment request (X-P08) ------------------------------------------------------------------------
PAYMENT_STATES = {"draft": _l("Draft"), "pending_approval": _l("Pending approval"), "approved": _l("Approved, to pay"),
                  "paid": _l("Paid"), "cancelled": _l("Cancelled")}
ASKED = ("pending_approval", "approved")       # amounts asked for, not yet paid

PAYMENT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, required=True,
          readonly_in=tuple(s for s in PAYMENT_STATES if s != "draft")),
    Field("amount", _l("Amount to pay"), "money", readonly=True),
    Field("in_fund_plan", _l("On the approved fund-use plan"), "bool", readonly=True,
          help=_l("Every payable is on the approved fund-use plan of the month; else the general manager approves "
                  "too (R-P-032).")),
    Field("purpose", _l("Payment purpose"), "textarea"),
    Field("bank_name", _l("Supplier's bank"), readonly=True),
    Field("bank_account", _l("Supplier's bank account"), readonly=True),
    Field("paid_on", _l("Paid on"), "date", readonly=True),
    Field("bank_ref", _l("Bank reference"), readonly=True, max_length=60),
]

PAYMENT_LINE_FIELDS = [
    Field("payable", _l("Payable"), "reference", target=PAYABLE_CODE, required=True,
          where=lambda P, user: P.state.in_(OPEN), refusal=_l("Choose a payable still open.")),
    Field("invoice_no", _l("Invoice no."), readonly=True, max_length=40),
    Field("due_date", _l("Due date"), "date", readonly=True),
    Field("open_amount", _l("Open amount"), "money", readonly=True),
    Field("amount", _l("Amount"), "money", required=True, minimum=Decimal("0.01"), maximum=10**11, total=True),
]


class Payment(Document, declared_columns([f for f in PAYMENT_FIELDS if f.name not in ("title", "supplier")]),
              db.Model):
    """付款申请单(采购) (X-P08)."""
    __tablename__ = "procurement_payment"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship(lambda: PaymentLine, cascade="all, delete-orphan", order_by=lambda: PaymentLine.id, lazy="selectin")

    @property
    def supplier_name(self) -> str:
        return self.supplier.title if self.supplier else ""


class PaymentLine(declared_columns(PAYMENT_LINE_FIELDS), db.Model):
    __tablename__ = "procurement_payment_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("procurement_payment.id", ondelete="CASCADE"), index=True)


def asked_elsewhere(payable_ids, payment_id: int | None) -> dict[int, Decimal]:
    """payable id -> the amount other requests pending or approved ask for (one grouped query)."""
    if not payable_ids:
        return {}
    stmt = (select(PaymentLine.payable_id, func.sum(PaymentLine.amount))
            .join(Payment, Payment.id == PaymentLine.payment_id)
            .where(PaymentLine.payable_id.in_(list(payable_ids)), Payment.state.in_(ASKED))
            .group_by(PaymentLine.payable_id))
    if payment_id is not None:
        stmt = stmt.where(Payment.id != payment_id)
    return {pid: Decimal(amount or 0) for pid, amount in db.session.execute(stmt)}


def planned_ids(payable_ids, day: date) -> set[int]:
    """The payables among `payable_ids` on the approved fund-use plan of `day`'s month."""
    if not payable_ids:
        return set()
    return set(db.session.scalars(select(FundPlanLine.payable_id).join(FundPlan, FundPlan.id == FundPlanLine.plan_id)
                                  .where(FundPlan.state == "approved", FundPlan.month == month_start(day),
                                         FundPlanLine.payable_id.in_(list(payable_ids)))))


def in_fund_plan(doc) -> bool:
    ids = {line.payable_id for line in doc.lines if line.payable_id}
    return bool(ids) and ids <= planned_ids(ids, calendar_today.today())


def save_payment(doc):
    supplier = db.session.get(Supplier, doc.supplier_id) if doc.supplier_id else None
    if supplier is None:
        raise ValidationFailed({"supplier_id": [_("Choose the supplier to pay.")]})
    doc.supplier = supplier
    doc.bank_name, doc.bank_account = supplier.bank_name or "", supplier.bank_account or ""
    if not doc.lines:
        for payable in db.session.scalars(select(Payable).where(Payable.supplier_id == supplier.id,
                                                                 Payable.state.in_(OPEN)).order_by(Payable.due_date)):
            doc.lines.append(PaymentLine(payable_id=payable.id))
        if not doc.lines:
            raise ValidationFailed({"supplier_id": [_("%(supplier)s has no open payable.", supplier=supplier.title)]})
    ids = [line.payable_id for line in doc.lines if line.payable_id]
    payables = {p.id: p for p in db.session.scalars(select(Payable).where(Payable.id.in_(ids)))} if ids else {}
    asked = asked_elsewhere(ids, doc.id)
    problems, seen = [], set()
    for n, line in enumerate(doc.lines, start=1):
        payable = payables.get(line.payable_id)
        if payable is None or payable.supplier_id != supplier.id:
            problems.append(_("Line %(n)s: choose a payable of %(supplier)s.", n=n, supplier=supplier.title))
            continue
        if payable.id in seen:
            problems.append(_("Line %(n)s (%(number)s) is listed twice.", n=n, number=payable.number))
            continue
        seen.add(payable.id)
        line.invoice_no, line.due_date = payable.invoice_no, payable.due_date
        left = Decimal(payable.open_amount or 0) - asked.get(payable.id, ZERO)
        line.open_amount = max(left, ZERO)
        if doc.state == "draft" and line.amount is None:
            line.amount = line.open_amount
        if payable.state not in OPEN or left <= 0:
            problems.append(_("Line %(n)s: %(number)s is paid or already asked for in full.", n=n,
                              number=payable.number))
        elif Decimal(line.amount or 0) > left:
            problems.append(_("Line %(n)s (%(number)s): %(amount)s asked, but only %(left)s is still open.", n=n,
                              number=payable.number, amount=_money(line.amount or 0), left=_money(left)))
    if problems:
        raise ValidationFailed({}, problems)
    doc.amount = sum((Decimal(line.amount or 0) for line in doc.lines), ZERO)
    doc.in_fund_plan = in_fund_plan(doc)
    doc.title = f"{supplier.title} ¥{_money(doc.amount)}"[:200]


def needs_gm(doc) -> bool:
    """R-P-033 above the threshold; R-P-032 a payable not on the approved plan of the month."""
    return Decimal(doc.amount or 0) > Decimal(str(settings.get("pur.payment_gm_threshold"))) or not in_fund_plan(doc)


def plan_noted(doc, user) -> list:
    """The plan's answer as it stands at submission, shown on the request (R-P-032: a warning)."""
    doc.in_fund_plan = in_fund_plan(doc)
    if not doc.in_fund_plan:
        return [Issue(_("Not on the approved fund-use plan of %(month)s: the general manager approves too "
                        "(R-P-032).", month=month_label(calendar_today.today())), blocking=False, code="R-P-032")]
    return []


def finance_records(doc, user) -> list:
    """Finance records payments; the 采购部经理 when no active user holds ROLE-FIN
    (``core.finance_role_fallback``)."""
    from core.auth.models import users_with_roles
    if users_with_roles("ROLE-FIN"):
        if not user.has_role("ROLE-FIN"):
            return [Issue(_("Finance records the payment."))]
    elif not user.has_role("ROLE-PUR-MGR"):
        return [Issue(_("No one holds the finance role: the procurement manager records the payment."))]
    return []


def still_payable(doc, user) -> list:
    problems = []
    for n, line in enumerate(doc.lines, start=1):
        payable = db.session.get(Payable, line.payable_id)
        if payable is None or Decimal(line.amount or 0) > Decimal(payable.open_amount or 0):
            problems.append(Issue(_("Line %(n)s: the payable has been paid meanwhile.", n=n), field="lines"))
    return problems


def within_open(doc, user) -> list:
    """At submission: each line at most what is open and not asked for by requests submitted meanwhile."""
    asked = asked_elsewhere({line.payable_id for line in doc.lines}, doc.id)
    issues = []
    for n, line in enumerate(doc.lines, start=1):
        payable = db.session.get(Payable, line.payable_id)
        left = Decimal(payable.open_amount or 0) - asked.get(payable.id, ZERO) if payable else ZERO
        if Decimal(line.amount or 0) > left:
            issues.append(Issue(_("Line %(n)s (%(number)s): %(amount)s asked, but only %(left)s is still open.", n=n,
                                  number=payable.number if payable else "", amount=_money(line.amount or 0),
                                  left=_money(max(left, ZERO))), field="lines"))
    return issues


def has_lines(doc, user) -> list:
    return [] if doc.lines else [Issue(_("List at least one line."), field="lines")]


PAYMENT_WORKFLOW = Workflow(
    states=PAYMENT_STATES, initial="draft",
    transitions=[
        Transition("submit", _l("Submit for approval"), ["draft"], "pending_approval", kind="submit",
                   conditions=[has_lines, within_open, plan_noted]),
        Transition("approve", _l("Approve"), ["pending_approval"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Return"), ["pending_approval"], "draft", kind="reject", comment_required=True,
                   comment_label=_l("What to change")),
        Transition("pay", _l("Record the payment"), ["approved"], "paid", style="success",
                   conditions=[finance_records, still_payable], signs=_l("Finance department"),
                   fields=[Field("paid_on", _l("Paid on"), "date", required=True,
                                 default=lambda doc: calendar_today.today()),
                           Field("bank_ref", _l("Bank reference"), required=True, max_length=60)]),
        Transition("cancel", _l("Cancel"), ["draft", "approved"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    steps=[
        ApprovalStep("manager", _l("Procurement manager"), ByRole("ROLE-PUR-MGR")),
        ApprovalStep("gm", _l("General manager (above the threshold or not in the fund-use plan)"), ByRole("ROLE-GM"),
                     when=needs_gm),
    ],
)

PAYMENT = DocType(
    code=PAYMENT_CODE, model=Payment, label=_l("Payment request"), label_plural=_l("Payment requests"),
    fields=PAYMENT_FIELDS, workflow=PAYMENT_WORKFLOW, number_prefix="FK", print_title="付款申请单",
    menu_order=41, before_save=save_payment,
    lines=Lines("lines", PaymentLine, fields=PAYMENT_LINE_FIELDS, blank_rows=1),
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("amount", _l("Amount to pay"), kind="money"),
             Column("in_fund_plan", _l("On the approved fund-use plan"), kind="bool"),
             Column("paid_on", _l("Paid on"), kind="date"),
             Column("bank_ref", _l("Bank reference"))],
    search=("bank_ref",),
)


def _settle(doc, user) -> None:
    because = _("Payment %(number)s", number=doc.number or "")
    orders = {}
    for line in doc.lines:
        payable = db.session.get(Payable, line.payable_id)
        payable.paid_amount = Decimal(payable.paid_amount or 0) + Decimal(line.amount)
        payable.open_amount = Decimal(payable.amount) - payable.paid_amount
        engine.carry(payable, "settle" if payable.open_amount <= 0 else "settle_part", user, because)
        orders[payable.order_id] = True
    db.session.flush()
    for order_id in orders:
        follow_order(db.session.get(Order, order_id), user, because)
    current_app.extensions["erp"].pm.hook.procurement_payment_recorded(payment=doc)


# ---- fund-use plan (X-P07) --------------------------------------------------------------------------
PLAN_STATES = {"draft": _l("Draft"), "submitted": _l("Awaiting the general manager"), "approved": _l("Approved"),
               "cancelled": _l("Cancelled")}
PRIORITIES = [("must", _l("Must pay")), ("normal", _l("Normal")), ("deferrable", _l("May wait"))]

PLAN_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("month", _l("Month (any day of it)"), "date", required=True,
          readonly_in=("submitted", "approved", "cancelled")),
    Field("total", _l("Total"), "money", readonly=True),
    Field("notes", _l("Notes"), "textarea"),
]

PLAN_LINE_FIELDS = [
    Field("payable", _l("Payable"), "reference", target=PAYABLE_CODE,
          where=lambda P, user: P.state.in_(OPEN), refusal=_l("Choose a payable still open.")),
    Field("forecast", _l("Or a forecast payment"), max_length=200),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code),
    Field("amount", _l("Amount"), "money", required=True, minimum=Decimal("0.01"), maximum=10**11, total=True),
    Field("due_date", _l("Due date"), "date"),
    Field("priority", _l("Priority"), "choice", choices=PRIORITIES, required=True, default="normal"),
]


class FundPlan(Document, declared_columns([f for f in PLAN_FIELDS if f.name != "title"]), db.Model):
    """用款计划 (X-P07)."""
    __tablename__ = "procurement_fund_plan"

    lines = relationship(lambda: FundPlanLine, cascade="all, delete-orphan", order_by=lambda: FundPlanLine.id, lazy="selectin")


class FundPlanLine(declared_columns(PLAN_LINE_FIELDS), db.Model):
    __tablename__ = "procurement_fund_plan_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("procurement_fund_plan.id", ondelete="CASCADE"), index=True)


def propose_lines(plan) -> int:
    """Add the open payables due in the plan's month (and those overdue, as 必须) not yet on it;
    the number of lines added."""
    listed = {line.payable_id for line in plan.lines if line.payable_id}
    added = 0
    for payable in db.session.scalars(select(Payable).where(
            Payable.state.in_(OPEN), Payable.due_date <= month_end(plan.month)).order_by(Payable.due_date)):
        if payable.id in listed:
            continue
        plan.lines.append(FundPlanLine(payable_id=payable.id, supplier_id=payable.supplier_id,
                                       amount=payable.open_amount, due_date=payable.due_date,
                                       priority="must" if payable.due_date < plan.month else "normal"))
        added += 1
    return added


def save_plan(plan):
    plan.month = month_start(plan.month)
    other = db.session.scalar(select(FundPlan.number).where(
        FundPlan.month == plan.month, FundPlan.state != "cancelled", FundPlan.id != (plan.id or 0)).limit(1))
    if other:
        raise ValidationFailed({"month": [_("%(month)s already has its fund-use plan (%(number)s).",
                                            month=month_label(plan.month), number=other)]})
    if not plan.lines and plan.state == "draft":
        propose_lines(plan)
    ids = [line.payable_id for line in plan.lines if line.payable_id]
    payables = {p.id: p for p in db.session.scalars(select(Payable).where(Payable.id.in_(ids)))} if ids else {}
    problems = []
    for n, line in enumerate(plan.lines, start=1):
        payable = payables.get(line.payable_id)
        if line.payable_id and payable is None:
            problems.append(_("Line %(n)s: choose a payable.", n=n))
        elif payable is not None:
            line.supplier_id = payable.supplier_id
            line.due_date = line.due_date or payable.due_date
        elif not (line.forecast or "").strip():
            problems.append(_("Line %(n)s: choose a payable or describe the forecast payment.", n=n))
    if problems:
        raise ValidationFailed({}, problems)
    plan.total = sum((Decimal(line.amount or 0) for line in plan.lines), ZERO)
    plan.title = f"{month_label(plan.month)}用款计划"


PLAN_WORKFLOW = Workflow(
    states=PLAN_STATES, initial="draft",
    transitions=[
        Transition("submit", _l("Submit to the general manager"), ["draft"], "submitted", kind="submit",
                   conditions=[has_lines]),
        Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Return"), ["submitted"], "draft", kind="reject", comment_required=True,
                   comment_label=_l("What to change")),
        Transition("cancel", _l("Cancel"), ["draft"], "cancelled", comment_required=True, style="outline-danger"),
    ],
    steps=[ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"))],
)

FUND_PLAN = DocType(
    code=PLAN_CODE, model=FundPlan, label=_l("Fund-use plan"), label_plural=_l("Fund-use plans"),
    fields=PLAN_FIELDS, workflow=PLAN_WORKFLOW, number_prefix="YK", print_title="用款计划", menu_order=40,
    before_save=save_plan, lines=Lines("lines", FundPlanLine, fields=PLAN_LINE_FIELDS, blank_rows=1),
    columns=[Column("month", _l("Month (any day of it)"), kind="date"), Column("total", _l("Total"), kind="money")],
    actions=[Action(_l("Propose from payables"), "procurement.fund_plan_propose", permission=f"{PLAN_CODE}.edit",
                    states=("draft",), method="post")],
)


@bp.post("/fund_plan/<id:doc_id>/propose")
@permission_required(f"{PLAN_CODE}.edit")
def fund_plan_propose(doc_id):
    """Add the payables due in the plan's month (and overdue) not yet on it."""
    from core.documents import service
    plan = service.get_visible(FUND_PLAN, current_user, doc_id)
    if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(400)
    if plan.state != "draft":
        abort(409)
    added = propose_lines(plan)
    save_plan(plan)
    db.session.commit()
    flash(_("%(count)s payables added to the plan.", count=added), "success")
    return redirect(url_for(f"{FUND_PLAN.endpoint_prefix}_detail", doc_id=plan.id))


# ---- reconciliation (X-P06) -------------------------------------------------------------------------
RECON_STATES = {"draft": _l("Draft"), "sent": _l("Sent to the supplier"), "confirmed": _l("Confirmed"),
                "disputed": _l("Disputed"), "archived": _l("Archived"), "cancelled": _l("Cancelled")}
MOVEMENTS = [("invoice", _l("Invoice")), ("payment", _l("Payment"))]
AFTER_DRAFT = ("sent", "confirmed", "disputed", "archived", "cancelled")

RECON_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, required=True, readonly_in=AFTER_DRAFT),
    Field("period", _l("Month (any day of it)"), "date", required=True, readonly_in=AFTER_DRAFT),
    Field("opening_balance", _l("Opening balance"), "money", readonly=True),
    Field("invoiced", _l("Invoiced in the month"), "money", readonly=True),
    Field("paid", _l("Paid in the month"), "money", readonly=True),
    Field("closing_balance", _l("Closing balance"), "money", readonly=True),
    Field("supplier_balance", _l("Balance according to the supplier"), "money", minimum=-10**11, maximum=10**11,
          required_in=("confirmed", "disputed"), readonly_in=("confirmed", "archived", "cancelled")),
    Field("difference", _l("Difference"), "money", readonly=True),
    Field("difference_note", _l("Explanation of the difference"), "textarea",
          readonly_in=("confirmed", "archived", "cancelled")),
    Field("supplier_confirmation", _l("Supplier's confirmation"), "xsig", required_in=("confirmed",),
          readonly_in=("confirmed", "archived", "cancelled")),
]

RECON_LINE_FIELDS = [
    Field("day", _l("Date"), "date", readonly=True),
    Field("kind", _l("Movement"), "choice", choices=MOVEMENTS, readonly=True),
    Field("reference", _l("Reference"), readonly=True),
    Field("invoiced", _l("Amount invoiced"), "money", readonly=True, total=True),
    Field("paid", _l("Amount paid"), "money", readonly=True, total=True),
]


class Reconciliation(Document, declared_columns([f for f in RECON_FIELDS if f.name not in ("title", "supplier")]),
                     db.Model):
    """应付款对账单 (X-P06)."""
    __tablename__ = "procurement_reconciliation"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship(lambda: ReconciliationLine, cascade="all, delete-orphan", order_by=lambda: ReconciliationLine.id,
                         lazy="selectin")

    @property
    def supplier_name(self) -> str:
        return self.supplier.title if self.supplier else ""


class ReconciliationLine(declared_columns(RECON_LINE_FIELDS), db.Model):
    __tablename__ = "procurement_reconciliation_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reconciliation_id: Mapped[int] = mapped_column(ForeignKey("procurement_reconciliation.id", ondelete="CASCADE"),
                                                   index=True)


def _paid_stmt(supplier_id):
    return select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.supplier_id == supplier_id,
                                                                    Payment.state == "paid")


def compute_statement(doc) -> None:
    """The opening balance, the month's invoices and payments (lines) and the closing balance."""
    start, end = doc.period, month_end(doc.period)
    invoiced_before = db.session.scalar(select(func.coalesce(func.sum(Payable.amount), 0)).where(
        Payable.supplier_id == doc.supplier_id, Payable.invoice_date < start))
    paid_before = db.session.scalar(_paid_stmt(doc.supplier_id).where(Payment.paid_on < start))
    doc.opening_balance = Decimal(invoiced_before or 0) - Decimal(paid_before or 0)
    doc.lines.clear()
    moves = [(p.invoice_date, "invoice", f"{p.invoice_no} ({p.number})", p.amount, None)
             for p in db.session.scalars(select(Payable).where(
                 Payable.supplier_id == doc.supplier_id, Payable.invoice_date >= start, Payable.invoice_date <= end))]
    moves += [(p.paid_on, "payment", f"{p.number} {p.bank_ref}", None, p.amount)
              for p in db.session.scalars(select(Payment).where(
                  Payment.supplier_id == doc.supplier_id, Payment.state == "paid", Payment.paid_on >= start,
                  Payment.paid_on <= end))]
    for day, kind, reference, invoiced, paid in sorted(moves, key=lambda m: (m[0], m[1], m[2])):
        doc.lines.append(ReconciliationLine(day=day, kind=kind, reference=reference[:200], invoiced=invoiced,
                                            paid=paid))
    doc.invoiced = sum((Decimal(m[3]) for m in moves if m[3] is not None), ZERO)
    doc.paid = sum((Decimal(m[4]) for m in moves if m[4] is not None), ZERO)
    doc.closing_balance = doc.opening_balance + doc.invoiced - doc.paid


def difference_of(doc):
    if doc.supplier_balance is None or doc.closing_balance is None:
        return None
    return Decimal(doc.supplier_balance) - Decimal(doc.closing_balance)


def save_reconciliation(doc):
    supplier = db.session.get(Supplier, doc.supplier_id) if doc.supplier_id else None
    if supplier is None:
        raise ValidationFailed({"supplier_id": [_("Choose the supplier.")]})
    doc.supplier = supplier
    doc.period = month_start(doc.period)
    other = db.session.scalar(select(Reconciliation.number).where(
        Reconciliation.supplier_id == supplier.id, Reconciliation.period == doc.period,
        Reconciliation.state != "cancelled", Reconciliation.id != (doc.id or 0)).limit(1))
    if other:
        raise ValidationFailed({"period": [_("%(supplier)s already has its statement of %(month)s (%(number)s).",
                                             supplier=supplier.title, month=month_label(doc.period), number=other)]})
    if doc.state == "draft":
        compute_statement(doc)
    doc.difference = difference_of(doc)
    doc.title = f"{supplier.title} {month_label(doc.period)}对账单"[:200]


def difference_explained(doc, user) -> list:
    """A difference between our closing balance and the supplier's needs its explanation."""
    doc.difference = difference_of(doc)
    if doc.difference and not (doc.difference_note or "").strip():
        return [Issue(_("The supplier's balance differs from ours by %(diff)s: explain the difference.",
                        diff=f"{doc.difference:+,.2f}"), field="difference_note", code="R-P-031")]
    return []


RECON_WORKFLOW = Workflow(
    states=RECON_STATES, initial="draft", editable_states=("draft", "sent", "disputed"),
    transitions=[
        Transition("send", _l("Sent to the supplier"), ["draft"], "sent"),
        Transition("confirm", _l("Confirmed by the supplier"), ["sent", "disputed"], "confirmed", style="success",
                   conditions=[difference_explained]),
        Transition("dispute", _l("Disputed by the supplier"), ["sent"], "disputed", style="warning",
                   conditions=[difference_explained]),
        Transition("revise", _l("Revise (compute again)"), ["disputed"], "draft", comment_required=True,
                   style="outline-secondary"),
        Transition("archive", _l("Archive"), ["confirmed"], "archived", style="outline-secondary"),
        Transition("cancel", _l("Cancel"), ["draft"], "cancelled", comment_required=True, style="outline-danger"),
    ],
)

RECONCILIATION = DocType(
    code=RECON_CODE, model=Reconciliation, label=_l("Reconciliation statement"),
    label_plural=_l("Reconciliation statements"), fields=RECON_FIELDS, workflow=RECON_WORKFLOW,
    number_prefix="DZ", print_title="应付款对账单", menu_order=39, before_save=save_reconciliation,
    lines=Lines("lines", ReconciliationLine, fields=RECON_LINE_FIELDS, blank_rows=0),
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("period", _l("Month (any day of it)"), kind="date"),
             Column("closing_balance", _l("Closing balance"), kind="money"),
             Column("supplier_balance", _l("Balance according to the supplier"), kind="money"),
             Column("difference", _l("Difference"), kind="money")],
)


def reconcile_due(today: date) -> date:
    """R-P-031: the ``pur.reconcile_day``-th working day of `today`'s month."""
    return cal.add_working_days(month_start(today) - timedelta(days=1), int(settings.get("pur.reconcile_day")))


def unreconciled(month: date) -> list:
    """Suppliers (id, title, buyer id) with movements in `month` and no statement of it."""
    start, end = month_start(month), month_end(month)
    invoiced = select(Payable.supplier_id).where(Payable.invoice_date >= start, Payable.invoice_date <= end)
    paid = select(Payment.supplier_id).where(Payment.state == "paid", Payment.paid_on >= start, Payment.paid_on <= end)
    done = select(Reconciliation.supplier_id).where(Reconciliation.period == start,
                                                    Reconciliation.state != "cancelled")
    return db.session.execute(select(Supplier.id, Supplier.title, Supplier.buyer_id).where(
        or_(Supplier.id.in_(invoiced), Supplier.id.in_(paid)), Supplier.id.notin_(done))
        .order_by(Supplier.title)).all()


@hookimpl
def erp_reminders(now):
    """R-P-031: last month's statements due by the reconcile day, to each supplier's buyer (else
    every 采购部经理)."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder
    today = now.astimezone(cal.timezone()).date()
    month = month_start(today) - timedelta(days=1)
    rows = unreconciled(month)
    if not rows:
        return []
    due = reconcile_due(today)
    managers = [u.id for u in users_with_roles("ROLE-PUR-MGR")]
    return [Reminder(f"{RECON_CODE}:{row.id}:{month_start(month)}:{user_id}", user_id,
                     _("Reconcile %(month)s with %(supplier)s by %(day)s (R-P-031)", month=month_label(month),
                       supplier=row.title, day=due.isoformat()),
                     cal.deadline_end_of_work(due), url="/procurement/reconciliation/new")
            for row in rows for user_id in ([row.buyer_id] if row.buyer_id else managers)]


# ---- declarations -----------------------------------------------------------------------------------
SUPPLIER.relate(Related(_l("Reconciliation statements"), RECON_CODE, "supplier_id"))
SUPPLIER.relate(Related(_l("Payment requests"), PAYMENT_CODE, "supplier_id"))


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Payment) and transition.name == "pay":
        _settle(document, user)


@hookimpl
def erp_models():
    return [Payment, PaymentLine, FundPlan, FundPlanLine, Reconciliation, ReconciliationLine]


@hookimpl
def erp_document_types():
    return [RECONCILIATION, FUND_PLAN, PAYMENT]


@hookimpl
def erp_roles():
    read = ["read", "read_all", "export"]

    def codes(code, actions):
        return [f"{code}.{a}" for a in actions]
    recon = read + ["create", "edit", "send", "confirm", "dispute", "revise", "cancel"]
    payment = read + ["create", "edit", "submit", "cancel"]
    grants = [
        ("ROLE-PUR-BUY", codes(RECON_CODE, recon) + codes(PLAN_CODE, read) + codes(PAYMENT_CODE, payment)),
        ("ROLE-PUR-MGR", codes(RECON_CODE, recon + ["archive"]) + codes(PLAN_CODE, read + ["create", "edit", "submit",
                                                                                          "cancel"])
         + codes(PAYMENT_CODE, payment + ["pay"])),            # pay: only when no one holds ROLE-FIN
        ("ROLE-GM", codes(RECON_CODE, read) + codes(PLAN_CODE, read) + codes(PAYMENT_CODE, read)),
        ("ROLE-MKT-DIR", codes(RECON_CODE, read) + codes(PLAN_CODE, read) + codes(PAYMENT_CODE, read)),
        ("ROLE-FIN", codes(RECON_CODE, read) + codes(PLAN_CODE, read) + codes(PAYMENT_CODE, read + ["pay"])),
    ]
    return [RoleTemplate(role, permissions=perms) for role, perms in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.payment_gm_threshold", "int", 50000, _l("Supplier payments: general manager approves above (CNY)"),
                _l("R-P-033: above this amount a payment request also needs the general manager."), min=0),
        Setting("pur.reconcile_day", "int", 5, _l("Monthly supplier reconciliation due by working day"),
                _l("R-P-031: last month's statements are due by this working day of the month."), min=1, max=20),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-P-031", "每月对账", "A monthly reconciliation statement with each supplier having movements, by the "
             "reconcile day of the next month.", "deadline", params=("pur.reconcile_day",)),
        Rule("R-P-032", "计划用款", "Payments follow the approved monthly fund-use plan; unplanned payments need the "
             "general manager's approval.", "approval"),
        Rule("R-P-033", "付款审批", "Supplier payment requests: the procurement manager approves; above the threshold "
             "the general manager too.", "approval", params=("pur.payment_gm_threshold",)),
    ]


# ---- demo data (erp demo) ---------------------------------------------------------------------------
def demo(users, suppliers) -> None:
    """A matched invoice and its payable paid through an approved fund-use plan (the order paid),
    another whose payable is overdue, an invoice on hold (the optical modules invoiced above the
    order's price) and a statement of the month in draft."""
    from flask import g

    from core.documents import service

    from .payables import INVOICE
    buyer, manager, gm = users["buyer"], users["pur_mgr"], users.get("gm")
    finance = users.get("fin") or manager
    today = calendar_today.today()

    def registered(order, no, day, repriced=None, only=None):
        g.audit_user = buyer
        doc = service.new_document(INVOICE, buyer)
        doc.supplier_id, doc.order_id, doc.invoice_no, doc.invoice_date = order.supplier_id, order.id, no, day
        service.before_save(INVOICE, doc)
        for line in [line for line in doc.lines if only and only not in line.item]:
            doc.lines.remove(line)
        for line in doc.lines:
            if repriced and repriced[0] in line.item:
                line.unit_price = Decimal(repriced[1])
        service.before_save(INVOICE, doc)
        service.assign_number(INVOICE, doc)
        db.session.add(doc)
        db.session.commit()
        engine.perform(INVOICE, doc, "register", buyer)
        return doc

    def order_in(state):
        return db.session.scalar(select(Order).where(Order.state == state).order_by(Order.id).limit(1))

    received, partial = order_in("received"), order_in("partially_received")
    try:
        if partial is not None:
            # The switch delivered is invoiced (its payable overdue); the optical modules invoiced
            # at 275 against the order's 260 are on hold.
            registered(partial, "44031855", today - timedelta(days=40), only="交换机")
            registered(partial, "44031870", today - timedelta(days=1), ("光模块", "275"))
        if received is None or gm is None:
            return
        registered(received, "44031862", today - timedelta(days=20))
        g.audit_user = manager
        plan = service.new_document(FUND_PLAN, manager)
        plan.month = today
        propose_lines(plan)
        plan.lines.append(FundPlanLine(forecast="东莞市恒温机房设备有限公司 精密空调预付款 30%", amount=Decimal("45000"),
                                       due_date=month_end(today), priority="deferrable"))
        service.before_save(FUND_PLAN, plan)
        service.assign_number(FUND_PLAN, plan)
        db.session.add(plan)
        db.session.commit()
        engine.perform(FUND_PLAN, plan, "submit", manager)
        g.audit_user = gm
        engine.perform(FUND_PLAN, plan, "approve", gm, "同意，按计划付款")
        g.audit_user = buyer
        payment = service.new_document(PAYMENT, buyer)
        payment.supplier_id, payment.purpose = received.supplier_id, f"支付 {received.number} 货款（发票 44031862）"
        service.before_save(PAYMENT, payment)
        service.assign_number(PAYMENT, payment)
        db.session.add(payment)
        db.session.commit()
        engine.perform(PAYMENT, payment, "submit", buyer)
        g.audit_user = manager
        engine.perform(PAYMENT, payment, "approve", manager, "同意")
        g.audit_user = finance
        payment.paid_on, payment.bank_ref = today, "CMB2026" + today.strftime("%m%d") + "0017"
        engine.perform(PAYMENT, payment, "pay", finance)
        g.audit_user = buyer
        statement = service.new_document(RECONCILIATION, buyer)
        statement.supplier_id, statement.period = received.supplier_id, today
        service.before_save(RECONCILIATION, statement)
        service.assign_number(RECONCILIATION, statement)
        db.session.add(statement)
        db.session.commit()
    except engine.TransitionRefused:   # a company without some approver: the rest waits for them
        db.session.rollback()
    finally:
        g.audit_user = None
