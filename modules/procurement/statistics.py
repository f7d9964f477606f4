"""Procurement statistics (统计分析, R-P-041; the 采购部经理's duty 4): the amounts ordered by
supplier, category, project and month, savings against budget, each supplier's on-time rate, and
an item's price history; drawn as charts and exported as CSV or XLSX.

Counted: order lines of orders approved or beyond (not drafts, pending or cancelled), dated by
the order's creation. A supplier's category is the first it supplies. Every figure is a grouped
query (a handful of statements whatever the number of orders), so the page stays fast at 50,000
orders. Amounts are prices: the page needs ``procurement.price.view`` besides its own permission.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, case, func, select

from core import calendar as cal
from core import calendar_today
from core.auth.decorators import permission_required
from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Chart, Dataset, Section, Widget
from core.documents import Action
from core.documents.derived import local
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.views import table_export

from .orders import Order, OrderLine
from .receipts import Receipt, ReceiptLine
from .suppliers import CATEGORIES, SUPPLIER, Supplier
from .views import bp

VIEW = "procurement.statistics.view"
COUNTED = ("approved", "contracted", "partially_received", "received", "invoiced", "paid", "closed")
GROUPINGS = (("supplier", _l("By supplier")), ("category", _l("By category")), ("project", _l("By project")),
             ("month", _l("By month")))
ZERO = Decimal(0)


@dataclass
class Row:
    key: str
    label: str
    amount: Decimal = ZERO
    orders: int = 0
    lines: int = 0
    savings: Decimal = ZERO          # (budget − price) × qty where a budget was given
    extra: dict = field(default_factory=dict)


def _bounds(year: int) -> tuple[datetime, datetime]:
    """The year as UTC instants of the company's time zone (created_at is stored in UTC)."""
    zone = cal.timezone()
    return (datetime.combine(date(year, 1, 1), time.min, zone).astimezone(UTC),
            datetime.combine(date(year + 1, 1, 1), time.min, zone).astimezone(UTC))


def _savings():
    return func.coalesce(func.sum(case((OrderLine.budget_unit_cost.is_not(None),
                                        (OrderLine.budget_unit_cost - OrderLine.unit_price) * OrderLine.qty),
                                       else_=0)), 0)


def _counted(year: int):
    start, end = _bounds(year)
    return and_(Order.state.in_(COUNTED), Order.created_at >= start, Order.created_at < end)


def purchases(by: str, year: int) -> list[Row]:
    """The year's ordered amounts grouped ``by`` supplier, category, project or month."""
    if by == "month":
        return _by_month(year)
    key = OrderLine.project_ref if by == "project" else Order.supplier_id
    stmt = (select(key, func.sum(OrderLine.amount), func.count(func.distinct(Order.id)), func.count(OrderLine.id),
                   _savings())
            .join(Order, Order.id == OrderLine.order_id).where(_counted(year)).group_by(key))
    found = db.session.execute(stmt).all()
    if by == "project":
        rows = [Row(str(k or ""), k or _("(no project)"), Decimal(a or 0), n, c, Decimal(s or 0))
                for k, a, n, c, s in found]
    else:
        names = dict(db.session.execute(select(Supplier.id, Supplier.title).where(
            Supplier.id.in_([k for k, *_rest in found]))).all()) if found else {}
        rows = [Row(str(k), names.get(k, str(k)), Decimal(a or 0), n, c, Decimal(s or 0)) for k, a, n, c, s in found]
        if by == "category":
            rows = _fold_categories(rows)
    return sorted(rows, key=lambda r: r.amount, reverse=True)


def _fold_categories(rows: list[Row]) -> list[Row]:
    first = dict(db.session.execute(select(Supplier.id, Supplier.categories).where(
        Supplier.id.in_([int(r.key) for r in rows]))).all()) if rows else {}
    labels = dict(CATEGORIES)
    folded: dict[str, Row] = {}
    for row in rows:
        code = (first.get(int(row.key)) or ["other"])[0]
        target = folded.setdefault(code, Row(code, str(labels.get(code, code))))
        target.amount += row.amount
        target.orders += row.orders
        target.lines += row.lines
        target.savings += row.savings
    return list(folded.values())


def _by_month(year: int) -> list[Row]:
    zone = cal.timezone()
    starts = [datetime.combine(date(year, m, 1), time.min, zone).astimezone(UTC) for m in range(1, 13)]
    ends = starts[1:] + [_bounds(year)[1]]
    sums = [func.coalesce(func.sum(case((and_(Order.created_at >= s, Order.created_at < e), OrderLine.amount),
                                        else_=0)), 0) for s, e in zip(starts, ends)]
    counts = [func.count(func.distinct(case((and_(Order.created_at >= s, Order.created_at < e), Order.id))))
              for s, e in zip(starts, ends)]
    values = db.session.execute(select(*sums, *counts).join(Order, Order.id == OrderLine.order_id)
                                .where(_counted(year))).one()
    return [Row(f"{year}-{m:02d}", f"{year}-{m:02d}", Decimal(values[m - 1] or 0), int(values[12 + m - 1] or 0))
            for m in range(1, 13)]


def on_time(year: int) -> list[Row]:
    """Per supplier, the year's accepted receipt lines and those that came late or short (R-P-022;
    as the supplier's on-time rate counts them, receipts.update_supplier)."""
    start, end = _bounds(year)
    stmt = (select(Order.supplier_id, func.count(ReceiptLine.id),
                   func.coalesce(func.sum(case((ReceiptLine.late.is_(True) | ReceiptLine.short.is_(True), 1),
                                               else_=0)), 0))
            .join(Receipt, Receipt.id == ReceiptLine.receipt_id).join(Order, Order.id == Receipt.order_id)
            .where(Receipt.state == "accepted", Receipt.received_at >= start, Receipt.received_at < end)
            .group_by(Order.supplier_id))
    found = db.session.execute(stmt).all()
    names = dict(db.session.execute(select(Supplier.id, Supplier.title).where(
        Supplier.id.in_([k for k, *_rest in found]))).all()) if found else {}
    rows = []
    for supplier_id, received, late in found:
        rate = (Decimal(received - late) * 100 / received).quantize(Decimal("0.1")) if received else None
        rows.append(Row(str(supplier_id), names.get(supplier_id, ""), lines=received,
                        extra={"late": int(late), "rate": rate}))
    return sorted(rows, key=lambda r: (r.extra["rate"] is None, r.extra["rate"] or 0))


def price_history(item: str, limit: int = 200) -> list:
    """The prices paid for items whose name contains ``item``, newest first."""
    if not item:
        return []
    stmt = (select(Order.created_at, Order.number, Order.id, Supplier.title, OrderLine.item, OrderLine.model,
                   OrderLine.qty, OrderLine.unit_price)
            .join(Order, Order.id == OrderLine.order_id).join(Supplier, Supplier.id == Order.supplier_id)
            .where(Order.state.in_(COUNTED), OrderLine.item.ilike(f"%{item}%"))
            .order_by(Order.created_at.desc(), OrderLine.id.desc()).limit(limit))
    return db.session.execute(stmt).all()


# ---- pages --------------------------------------------------------------------------------------
def _year() -> int:
    try:
        year = int(request.args.get("year") or calendar_today.today().year)
    except ValueError:
        abort(404)
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@bp.get("/statistics")
@permission_required(VIEW)
def statistics():
    if not current_user.can("procurement.price.view"):
        abort(403)
    by = request.args.get("by", "supplier")
    if by not in dict(GROUPINGS):
        abort(404)
    year = _year()
    rows = purchases(by, year)
    fmt = request.args.get("format")
    if fmt:
        label = dict(GROUPINGS)[by]
        return table_export(f"purchases-{by}-{year}", label, [label, _("Amount"), _("Orders"), _("Order lines"),
                                                              _("Savings against budget")],
                            [[r.label, r.amount, r.orders, r.lines, r.savings] for r in rows], fmt)
    shown = rows[:15] if by != "month" else rows
    chart = Chart("bar", [r.label for r in shown], [Dataset(_l("Amount"), [r.amount for r in shown])],
                  horizontal=by != "month")
    return render_template("procurement/statistics.html", rows=rows, by=by, year=year, groupings=GROUPINGS, chart=chart,
                           total=sum((r.amount for r in rows), ZERO), savings=sum((r.savings for r in rows), ZERO),
                           punctuality=on_time(year))


@bp.get("/statistics/prices")
@permission_required(VIEW)
def price_history_view():
    if not current_user.can("procurement.price.view"):
        abort(403)
    item = request.args.get("item", "").strip()[:120]
    rows = price_history(item)
    oldest_first = list(reversed(rows))
    chart = Chart("line", [local(r.created_at).date().isoformat() for r in oldest_first],
                  [Dataset(_l("Unit price (incl. tax)"), [r.unit_price for r in oldest_first])]) if rows else None
    fmt = request.args.get("format")
    if fmt:
        return table_export("price-history", _("Price history"),
                            [_("Date"), _("Purchase order"), _("Supplier"), _("Item"), _("Brand / model / spec"),
                             _("Quantity"), _("Unit price (incl. tax)")],
                            [[local(r.created_at).date().isoformat(), r.number, r.title, r.item, r.model or "",
                              r.qty, r.unit_price] for r in rows], fmt)
    return render_template("procurement/price_history.html", item=item, chart=chart,
                           rows=[(local(r.created_at).date(), r) for r in rows])


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_permissions():
    return [Permission(VIEW, _l("Procurement statistics"))]


@hookimpl
def erp_roles():
    return [RoleTemplate(role, permissions=[VIEW]) for role in ("ROLE-PUR-MGR", "ROLE-PUR-BUY", "ROLE-GM", "ROLE-MKT-DIR")]


@hookimpl
def erp_menu_items():
    return [MenuItem("procurement", _l("Statistics"), "procurement.statistics", VIEW, order=90)]


# ---- the supplier's scorecard -------------------------------------------------------------------
@dataclass
class Scorecard:
    supplier: Supplier
    since: date
    ordered: Decimal
    orders: int
    open_orders: int
    open_amount: Decimal
    overdue_lines: int
    lines_received: int
    late_or_short: int
    qty_received: Decimal
    qty_accepted: Decimal
    nonconformances: int
    evaluations: list
    criteria: list
    standing: list

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.lines_received:
            return None
        return (Decimal(self.lines_received - self.late_or_short) * 100 / self.lines_received).quantize(Decimal("0.1"))

    @property
    def quality_rate(self) -> Decimal | None:
        if not self.qty_received:
            return None
        return (self.qty_accepted * 100 / self.qty_received).quantize(Decimal("0.1"))


def scorecard(supplier: Supplier, months: int = 12) -> Scorecard:
    """One supplier's standing over the last ``months``: what was ordered and is open, delivery on
    time, quality accepted, nonconformances, and its evaluations; six grouped statements."""
    from .evaluations import Evaluation, EvaluationLine
    from .orders import OPEN_STATES
    from .suppliers import add_months, order_standing
    today = calendar_today.today()
    since = add_months(today, -months)
    start = datetime.combine(since, time.min, cal.timezone()).astimezone(UTC)
    ordered, orders = db.session.execute(select(func.coalesce(func.sum(Order.total), 0), func.count(Order.id)).where(
        Order.supplier_id == supplier.id, Order.state.in_(COUNTED), Order.created_at >= start)).one()
    open_orders, open_amount = db.session.execute(select(func.count(Order.id), func.coalesce(func.sum(Order.total), 0))
                                                  .where(Order.supplier_id == supplier.id,
                                                         Order.state.in_(OPEN_STATES))).one()
    overdue = db.session.scalar(select(func.count(OrderLine.id)).join(Order, Order.id == OrderLine.order_id).where(
        Order.supplier_id == supplier.id, Order.state.in_(OPEN_STATES), OrderLine.promised_date < today,
        func.coalesce(OrderLine.accepted_qty, 0) < OrderLine.qty))
    received = db.session.execute(select(
        func.count(ReceiptLine.id),
        func.coalesce(func.sum(case((ReceiptLine.late.is_(True) | ReceiptLine.short.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(ReceiptLine.qty_received), 0), func.coalesce(func.sum(ReceiptLine.qty_accepted), 0),
        func.coalesce(func.sum(case((ReceiptLine.qty_rejected > 0, 1), else_=0)), 0))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id).join(Order, Order.id == Receipt.order_id)
        .where(Order.supplier_id == supplier.id, Receipt.state == "accepted", Receipt.received_at >= start,
               ReceiptLine.qty_received > 0)).one()
    evaluations = db.session.execute(select(Evaluation.id, Evaluation.number, Evaluation.kind, Evaluation.period_end,
                                            Evaluation.total, Evaluation.grade).where(
        Evaluation.supplier_id == supplier.id, Evaluation.state == "approved")
        .order_by(Evaluation.period_end.desc(), Evaluation.id.desc()).limit(10)).all()
    criteria = db.session.execute(select(EvaluationLine.label, EvaluationLine.weight, EvaluationLine.score).where(
        EvaluationLine.evaluation_id == evaluations[0].id).order_by(EvaluationLine.id)).all() if evaluations else []
    return Scorecard(supplier, since, Decimal(ordered), int(orders), int(open_orders), Decimal(open_amount),
                     int(overdue or 0), int(received[0]), int(received[1]), Decimal(received[2]), Decimal(received[3]),
                     int(received[4]), evaluations, criteria, order_standing(supplier))


@bp.get("/supplier/<int:doc_id>/scorecard")
@permission_required("procurement.supplier.read_all")
def scorecard_view(doc_id):
    supplier = db.session.get(Supplier, doc_id) or abort(404)
    card = scorecard(supplier)
    history = list(reversed(card.evaluations))
    chart = Chart("line", [e.period_end.isoformat() for e in history],
                  [Dataset(_l("Total score"), [e.total or ZERO for e in history])]) if history else None
    return render_template("procurement/scorecard.html", card=card, chart=chart,
                           prices=current_user.can("procurement.price.view"))


SUPPLIER.add_action(Action(_l("Scorecard"), "procurement.scorecard_view", permission="procurement.supplier.read_all"))


# ---- dashboard ----------------------------------------------------------------------------------
PROCUREMENT = Section("procurement", _l("Procurement"), 30)


@hookimpl
def erp_dashboard_widgets(user):
    """For procurement and its approvers: the year's purchases by month, deliveries overdue
    (R-P-022) and suppliers due for re-evaluation within a month (R-P-050)."""
    if not (user.can(VIEW) and user.can("procurement.price.view")):
        return []
    from flask import url_for

    from .orders import OPEN_STATES
    from .suppliers import add_months
    today = calendar_today.today()
    months = _by_month(today.year)
    late_orders, late_lines = db.session.execute(select(func.count(func.distinct(Order.id)), func.count(OrderLine.id))
                                                 .join(Order, Order.id == OrderLine.order_id).where(
        Order.state.in_(OPEN_STATES), OrderLine.promised_date < today,
        func.coalesce(OrderLine.accepted_qty, 0) < OrderLine.qty)).one()
    reviews = db.session.scalar(select(func.count(Supplier.id)).where(
        Supplier.state == "qualified", Supplier.next_evaluation_due <= add_months(today, 1)))
    return [
        Widget(_l("Purchases this year"), url=url_for("procurement.statistics", by="month"), section=PROCUREMENT,
               order=10, chart=Chart("bar", [r.label[5:] for r in months],
                                     [Dataset(_l("Amount"), [r.amount for r in months])],
                                     links=[url_for("procurement.statistics", by="month") for _r in months])),
        Widget(_l("Deliveries overdue"), value=int(late_lines or 0),
               body=_("%(lines)s lines of %(orders)s orders past their promised date", lines=int(late_lines or 0),
                      orders=int(late_orders or 0)),
               url=url_for("procurement.order_list", overdue=1), section=PROCUREMENT, order=11),
        Widget(_l("Suppliers to re-evaluate"), value=int(reviews or 0),
               body=_("Due within a month (R-P-050)"), url=url_for("procurement.supplier_list", overdue=1),
               section=PROCUREMENT, order=12),
    ]


# ---- appraisal seam (KPI-PUR-TIMELINESS, KPI-PUR-COST) ------------------------------------------
def buyer_metrics(user_id: int, start: date, end: date) -> dict:
    """One buyer's appraisal figures (SPEC 3.6) as the appraisal hook measures them for everybody
    (metrics.py): ``timeliness`` = % of his order lines promised in the period (and past) received
    in full by their promised date, with ``lines`` due; ``cost`` = % saved against the budget unit
    costs of his approved order lines that have one (negative: above budget), with ``budget`` and
    ``ordered`` amounts. ``None`` where there is nothing to measure."""
    from .metrics import budget_figures, delivery_counts, savings_pct
    lines = delivery_counts([user_id], start, end).get(user_id)
    money = budget_figures([user_id], start, end).get(user_id)
    budget, ordered = (money.budget, money.spent) if money else (ZERO, ZERO)
    return {"timeliness": (Decimal(lines.on_time) * 100 / lines.due).quantize(Decimal("0.1")) if lines else None,
            "lines": lines.due if lines else 0,
            "cost": savings_pct(budget, ordered) if budget else None,
            "budget": budget, "ordered": ordered}
