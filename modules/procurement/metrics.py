"""What procurement measures for the appraisal (SPEC 3.6, issue 19): its answer to ``hr_appraisal_metrics``.

- KPI-PUR-TIMELINESS (``due``/``on_time``): the order lines (orders approved or beyond) whose
  promised date (R-P-022) fell in the period and is past, on time when received in full by it
  (the quantities of accepted receipts not flagged late add up to the line's); plus the price
  inquiries (询价) whose answer was due in the period (``answer_due``, past), on time when
  answered by that day. An inquiry counts for its buyer (who took it).
- KPI-PUR-COST (``score``): savings = Σ(budget unit cost − unit price) × qty / Σ budget unit cost
  × qty over the order lines with a budget cost of the orders approved or beyond and created in
  the period; banded: savings ≥ ``pur.cost_kpi_full_savings`` % → 100, 0 % → 70 (linear
  between), an overrun → 60 less ``pur.cost_kpi_overrun_points`` per % over (floor 0).
- KPI-SERVICE-QUALITY (``due``/``on_time``): the purchase request lines (请购) assigned to the
  buyer whose required date fell in the period and is past, on time when ordered in full on
  orders (approved or beyond) promising delivery by that date. hr_appraisal's internal survey adds
  its ratings; the engine combines both.

Who is measured: a buyer on his own orders, inquiries and requests; a holder of ROLE-PUR-MGR on
the whole department's (every order, inquiry and request that reached procurement; the detail
says 部门). A person with nothing to measure gets no answer (无数据).

Set-based: a fixed number of statements whatever the number of people. Never imports hr_appraisal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import Role, user_roles
from core.documents.derived import local
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting

from .inquiries import Inquiry
from .orders import Order, OrderLine
from .receipts import Receipt, ReceiptLine
from .requests import PurchaseRequest, PurchaseRequestLine
from .statistics import COUNTED

MANAGER = "ROLE-PUR-MGR"
DEPARTMENT = "部门"
# Requests that reached procurement (the department answers for them from then on).
AT_PROCUREMENT = ("dept_approved", "accepted", "sourcing", "ordered", "partially_received", "received", "closed")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class Counts:
    due: int = 0
    on_time: int = 0

    def add(self, due, on_time) -> None:
        self.due += int(due or 0)
        self.on_time += int(on_time or 0)


@dataclass
class Money:
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    lines: int = 0

    def add(self, budget, spent, lines) -> None:
        self.budget += Decimal(budget or 0)
        self.spent += Decimal(spent or 0)
        self.lines += int(lines or 0)


# ---- who answers for what -----------------------------------------------------------------------
def managers(user_ids) -> set[int]:
    """The people among ``user_ids`` holding the procurement manager's role: one statement."""
    return set(db.session.scalars(select(user_roles.c.user_id).join(Role, Role.id == user_roles.c.role_id)
                                  .where(Role.code == MANAGER, user_roles.c.user_id.in_(list(user_ids)))))


def _scoped(stmt, column, user_ids, heads):
    """Grouped by ``column``: for everybody when a manager is asked for (he answers for all), else
    only for ``user_ids``."""
    stmt = stmt.group_by(column)
    return stmt if heads else stmt.where(column.in_(list(user_ids)))


def _spread(per_person: dict, user_ids, heads, total):
    """person -> figures: the people's own, the managers' the department's (the sum of all)."""
    out = {uid: per_person[uid] for uid in user_ids if uid in per_person and uid not in heads}
    if heads:
        whole = total()
        for figures in per_person.values():
            whole.add(*_fields(figures))
        for uid in heads:
            out[uid] = whole
    return out


def _fields(figures) -> tuple:
    return (figures.due, figures.on_time) if isinstance(figures, Counts) else \
        (figures.budget, figures.spent, figures.lines)


def _last_due(end: date) -> date:
    """The last day counted: the period's end, or yesterday when the period is not over."""
    return min(end, calendar_today.today() - timedelta(days=1))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return cal.utc_bounds(start, end)


# ---- the figures --------------------------------------------------------------------------------
def delivery_counts(user_ids, start: date, end: date, heads=frozenset()) -> dict[int, Counts]:
    """buyer -> order lines promised in the period (past) / received in full by their promised
    date. One statement."""
    last = _last_due(end)
    in_time = (select(ReceiptLine.order_line_id.label("line_id"), func.sum(ReceiptLine.qty_received).label("qty"))
               .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
               .where(Receipt.state == "accepted", ReceiptLine.late.is_(False),
                      ReceiptLine.promised_date >= start, ReceiptLine.promised_date <= last)
               .group_by(ReceiptLine.order_line_id).subquery())
    full = case((func.coalesce(in_time.c.qty, 0) >= OrderLine.qty, 1), else_=0)
    stmt = (select(Order.owner_id, func.count(OrderLine.id), func.sum(full))
            .join(Order, Order.id == OrderLine.order_id).outerjoin(in_time, in_time.c.line_id == OrderLine.id)
            .where(Order.state.in_(COUNTED), OrderLine.promised_date >= start, OrderLine.promised_date <= last))
    out: dict[int, Counts] = {}
    for owner_id, due, on_time in db.session.execute(_scoped(stmt, Order.owner_id, user_ids, heads)):
        out.setdefault(owner_id, Counts()).add(due, on_time)
    return out


def inquiry_counts(user_ids, start: date, end: date, heads=frozenset()) -> dict[int | None, Counts]:
    """buyer -> inquiries (not cancelled) whose answer was due in the period (past) / answered by
    that day. One statement; the day of the answer is the company's (its time zone)."""
    stmt = (select(Inquiry.buyer_id, Inquiry.answer_due, Inquiry.answered_at)
            .where(Inquiry.state != "cancelled", Inquiry.answer_due >= start, Inquiry.answer_due <= _last_due(end)))
    if not heads:
        stmt = stmt.where(Inquiry.buyer_id.in_(list(user_ids)))
    out: dict[int | None, Counts] = {}
    for buyer_id, due, answered_at in db.session.execute(stmt):
        out.setdefault(buyer_id, Counts()).add(1, answered_at is not None and local(answered_at).date() <= due)
    return out


def request_counts(user_ids, start: date, end: date, heads=frozenset()) -> dict[int | None, Counts]:
    """buyer -> purchase request lines required in the period (past) / ordered in full by orders
    promising delivery by the required date. One statement."""
    last = _last_due(end)
    promised = (select(OrderLine.request_line_id.label("line_id"), func.sum(OrderLine.qty).label("qty"))
                .join(Order, Order.id == OrderLine.order_id)
                .join(PurchaseRequestLine, PurchaseRequestLine.id == OrderLine.request_line_id)
                .where(Order.state.in_(COUNTED), OrderLine.promised_date <= PurchaseRequestLine.required_date,
                       PurchaseRequestLine.required_date >= start, PurchaseRequestLine.required_date <= last)
                .group_by(OrderLine.request_line_id).subquery())
    full = case((func.coalesce(promised.c.qty, 0) >= PurchaseRequestLine.qty, 1), else_=0)
    stmt = (select(PurchaseRequest.buyer_id, func.count(PurchaseRequestLine.id), func.sum(full))
            .join(PurchaseRequest, PurchaseRequest.id == PurchaseRequestLine.request_id)
            .outerjoin(promised, promised.c.line_id == PurchaseRequestLine.id)
            .where(PurchaseRequest.state.in_(AT_PROCUREMENT),
                   func.coalesce(PurchaseRequestLine.line_status, "open") != "cancelled",
                   PurchaseRequestLine.required_date >= start, PurchaseRequestLine.required_date <= last))
    out: dict[int | None, Counts] = {}
    for buyer_id, due, on_time in db.session.execute(_scoped(stmt, PurchaseRequest.buyer_id, user_ids, heads)):
        out.setdefault(buyer_id, Counts()).add(due, on_time)
    return out


def budget_figures(user_ids, start: date, end: date, heads=frozenset()) -> dict[int, Money]:
    """buyer -> (Σ budget, Σ ordered, lines) of his order lines with a budget cost, of orders
    approved or beyond created in the period. One statement."""
    first, after = _bounds(start, end)
    stmt = (select(Order.owner_id, func.sum(OrderLine.budget_unit_cost * OrderLine.qty),
                   func.sum(OrderLine.unit_price * OrderLine.qty), func.count(OrderLine.id))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.state.in_(COUNTED), Order.created_at >= first, Order.created_at < after,
                   OrderLine.budget_unit_cost > 0))
    out: dict[int, Money] = {}
    for owner_id, budget, spent, lines in db.session.execute(_scoped(stmt, Order.owner_id, user_ids, heads)):
        out.setdefault(owner_id, Money()).add(budget, spent, lines)
    return out


def savings_pct(budget: Decimal, spent: Decimal) -> Decimal:
    return ((budget - spent) * HUNDRED / budget).quantize(Decimal("0.1"))


def cost_band() -> tuple[Decimal, Decimal]:
    """(savings % scoring 100, points lost per % over budget) from the settings."""
    return (Decimal(str(settings.get("pur.cost_kpi_full_savings"))),
            Decimal(str(settings.get("pur.cost_kpi_overrun_points"))))


def cost_score(savings: Decimal, band: tuple[Decimal, Decimal] | None = None) -> Decimal:
    """SPEC 3.6's band: ≥ full savings → 100, 0 % → 70 (linear between), over budget → 60 less
    the points per % over, floor 0."""
    full, per_pct = band or cost_band()
    if savings >= full:
        return HUNDRED
    if savings >= 0:
        return (70 + 30 * savings / full).quantize(CENT)
    return max(Decimal(0), 60 + per_pct * savings).quantize(CENT)


# ---- the KPIs -----------------------------------------------------------------------------------
def _who(uid, heads) -> str:
    return f"{DEPARTMENT} " if uid in heads else ""


def timeliness(user_ids, start: date, end: date, heads=frozenset()) -> list[dict]:
    deliveries = _spread(delivery_counts(user_ids, start, end, heads), user_ids, heads, Counts)
    inquiries = _spread(inquiry_counts(user_ids, start, end, heads), user_ids, heads, Counts)
    rows = []
    for uid in user_ids:
        got, asked = deliveries.get(uid, Counts()), inquiries.get(uid, Counts())
        if not (got.due or asked.due):
            continue
        parts = ([f"到货 {got.on_time}/{got.due} 按时"] if got.due else []) + \
                ([f"询价 {asked.on_time}/{asked.due} 按时"] if asked.due else [])
        rows.append({"kpi": "KPI-PUR-TIMELINESS", "user_id": uid, "due": got.due + asked.due,
                     "on_time": got.on_time + asked.on_time, "detail": _who(uid, heads) + "；".join(parts)})
    return rows


def cost(user_ids, start: date, end: date, heads=frozenset()) -> list[dict]:
    figures = _spread(budget_figures(user_ids, start, end, heads), user_ids, heads, Money)
    band = cost_band() if figures else None
    rows = []
    for uid in user_ids:
        money = figures.get(uid)
        if money is None or money.budget <= 0:
            continue
        saved = savings_pct(money.budget, money.spent)
        verdict = f"节约 {saved}%" if saved >= 0 else f"超支 {-saved}%"
        rows.append({"kpi": "KPI-PUR-COST", "user_id": uid, "score": cost_score(saved, band),
                     "detail": f"{_who(uid, heads)}{verdict}（预算 {money.budget:,.0f}，订单 {money.spent:,.0f}，"
                               f"{money.lines} 行）"})
    return rows


def service(user_ids, start: date, end: date, heads=frozenset()) -> list[dict]:
    counts = _spread(request_counts(user_ids, start, end, heads), user_ids, heads, Counts)
    return [{"kpi": "KPI-SERVICE-QUALITY", "user_id": uid, "due": c.due, "on_time": c.on_time,
             "detail": f"{_who(uid, heads)}请购 {c.on_time}/{c.due} 按需求日期下单"}
            for uid in user_ids if (c := counts.get(uid)) is not None and c.due]


MEASURES = {"KPI-PUR-TIMELINESS": timeliness, "KPI-PUR-COST": cost, "KPI-SERVICE-QUALITY": service}


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    """Procurement's KPI-PUR-TIMELINESS, KPI-PUR-COST and KPI-SERVICE-QUALITY (see the module)."""
    ids = sorted({int(uid) for uid in user_ids or ()})
    wanted = [code for code in MEASURES if code in set(kpis or ())]
    if not ids or not wanted:
        return []
    heads = managers(ids)
    return [row for code in wanted for row in MEASURES[code](ids, start, end, heads)]


@hookimpl
def erp_settings():
    return [
        Setting("pur.cost_kpi_full_savings", "int", 5, _l("Cost KPI: savings against budget scoring 100 (%)"),
                _l("KPI-PUR-COST: savings at or above this score 100, none scores 70 (linear between)."),
                min=1, max=100),
        Setting("pur.cost_kpi_overrun_points", "int", 4, _l("Cost KPI: points lost per % over budget"),
                _l("KPI-PUR-COST: an overrun scores 60 less this per % over the budget (not below 0)."),
                min=0, max=60),
    ]
