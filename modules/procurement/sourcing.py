"""From purchase requests to orders and back (WF-P01): the buyer turns a request's approved lines
into purchase orders, and the request follows its orders and their receipts.

- An order naming a request (its ``request`` field; the request page's "新建" under "Purchase
  orders" fills it in) and saved without lines takes the request's lines still to order: item,
  brand/model, quantity still open, unit, budget unit cost (as the starting price, which the buyer
  replaces with the quote), required date as the promised date, delivery place and the project or
  contract (``request_line_id`` keeps the link). A request's lines may be split across suppliers:
  the buyer deletes on one order the lines another supplier will deliver.
- An order counts once approved (a draft or one awaiting approval has ordered nothing): its
  quantities are added to the request lines' ordered quantity; a line ordered in full is
  "ordered" and the request follows when every line is (``requests.lines_ordered``). A cancelled
  order gives its quantities back (the line is open again; a request already ordered stays so).
- An accepted receipt makes a request line "received" once the orders' accepted quantities cover
  it; the request is partially received, received, then closed (``requests.lines_received``).
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.documents import Related
from core.extensions import db
from core.hookspecs import hookimpl

from .orders import Order, OrderLine
from .receipts import Receipt
from .requests import REQUEST, PurchaseRequest, PurchaseRequestLine, close_request, lines_ordered, lines_received

ZERO = Decimal(0)


def lines_from_request(order) -> None:
    """Copy onto ``order`` the lines of its request still to order (not cancelled, not in full)."""
    request = db.session.get(PurchaseRequest, order.request_id)
    if request is None:
        return
    for line in request.lines:
        open_qty = Decimal(line.qty) - Decimal(line.ordered_qty or 0)
        if line.line_status == "cancelled" or open_qty <= 0:
            continue
        order.lines.append(OrderLine(
            item=line.item, model=line.brand_model_spec or "", qty=open_qty, unit=line.unit or "",
            unit_price=line.budget_unit_cost or ZERO, budget_unit_cost=line.budget_unit_cost,
            promised_date=line.required_date, delivery_place=line.delivery_place or "",
            project_ref=request.project_ref or request.contract_ref or "", request_line_id=line.id,
            vat_rate=Decimal(13)))


def check_request_lines(order) -> None:
    """An order line linked to a request line links one of the order's own request."""
    from core.documents.service import ValidationFailed
    linked = [line for line in order.lines if line.request_line_id]
    if not linked:
        return
    own = set(db.session.scalars(select(PurchaseRequestLine.id).where(
        PurchaseRequestLine.request_id == order.request_id))) if order.request_id else set()
    wrong = [str(n) for n, line in enumerate(order.lines, start=1) if line.request_line_id and line.request_line_id not in own]
    if wrong:
        raise ValidationFailed({"lines": [_("Line %(n)s: not a line of the order's purchase request.",
                                             n="、".join(wrong))]})


def _requests_of(order) -> list[PurchaseRequest]:
    ids = {line.request_line_id for line in order.lines if line.request_line_id}
    if not ids:
        return []
    return list(db.session.scalars(select(PurchaseRequest).join(
        PurchaseRequestLine, PurchaseRequestLine.request_id == PurchaseRequest.id).where(
        PurchaseRequestLine.id.in_(ids)).distinct()))


def _book(order, sign: int) -> dict[int, PurchaseRequestLine]:
    """Add (sign=1) or give back (-1) the order's quantities on its request lines."""
    ids = {line.request_line_id for line in order.lines if line.request_line_id}
    lines = {line.id: line for line in db.session.scalars(
        select(PurchaseRequestLine).where(PurchaseRequestLine.id.in_(ids)))} if ids else {}
    for ordered in order.lines:
        target = lines.get(ordered.request_line_id)
        if target is None:
            continue
        target.ordered_qty = max(ZERO, Decimal(target.ordered_qty or 0) + sign * Decimal(ordered.qty))
        if sign < 0 and target.line_status == "ordered" and target.ordered_qty < target.qty:
            target.line_status = "open"
    return lines


def _received(order, user) -> None:
    """Request lines whose orders' accepted quantities cover them are received."""
    ids = {line.request_line_id for line in order.lines if line.request_line_id}
    if not ids:
        return
    accepted = dict(db.session.execute(
        select(OrderLine.request_line_id, func.coalesce(func.sum(OrderLine.accepted_qty), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.request_line_id.in_(ids), Order.state != "cancelled")
        .group_by(OrderLine.request_line_id)).all())
    for line in db.session.scalars(select(PurchaseRequestLine).where(PurchaseRequestLine.id.in_(ids))):
        if line.line_status in ("open", "ordered") and Decimal(accepted.get(line.id, 0)) >= Decimal(line.qty):
            line.line_status = "received"
    because = _("Receipts of %(number)s", number=order.number)
    for request in _requests_of(order):
        if lines_received(request, user, because) == "received":
            close_request(request, user, because)


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Order):
        if transition.name == "approve" and document.state == "approved":
            _book(document, 1)
            for request in _requests_of(document):
                lines_ordered(request, user, _("Purchase order %(number)s", number=document.number))
        elif transition.name == "cancel" and _was_approved(document):
            _book(document, -1)
    elif isinstance(document, Receipt) and transition.name == "accept":
        _received(document.order, user)


def _was_approved(order) -> bool:
    """Cancelled after its approval (its quantities were booked): every task of the round approved."""
    from core.workflow import engine

    from .orders import ORDER
    tasks = engine.tasks(ORDER, order)
    return bool(tasks) and all(t.status == "approved" for t in tasks)


REQUEST.relate(Related(_l("Purchase orders"), "procurement.order", "request_id"))
