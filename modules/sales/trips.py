"""Business trips of the market department (hr_appraisal's 出差申请, I-16): what a salesperson
links a trip to (his customers, the areas, his opportunities), R-S-029 on market trips, and the
approved travel cost written on the linked opportunity's timeline (where the salesperson follows
the opportunity; sales keeps no cost ledger of its own). Inert when hr_appraisal is off.
"""
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.documents.formatting import money
from core.extensions import db
from core.hookspecs import hookimpl
from core.org.models import in_department
from core.rules import Rule
from core.workflow import Issue

from .models import Area, Opportunity

MARKET_KINDS = ("customer", "area", "opportunity")
LIMIT = 200
CLOSED_OPPORTUNITY = ("lost",)


def _doctype(code):
    return current_app.extensions["erp"].doctypes[code]


def _rows(code, user, query, record_id, extra=None):
    """(id, number, title) of the documents of `code` the user may see, newest first."""
    from core.documents import service
    return service.choosable(_doctype(code), user, query, record_id, where=extra, limit=LIMIT)


@hookimpl(optionalhook=True)
def hr_appraisal_trip_links(user, query, kind, record_id):
    """R-S-029: the customers and opportunities the traveller may see (open ones), the active areas."""
    if kind is not None and kind not in MARKET_KINDS:
        return []
    out = []
    if kind in (None, "customer"):
        out += [{"kind": "customer", "id": row.id, "number": row.number, "label": row.title}
                for row in _rows("sales.customer", user, query, record_id, lambda M: M.state != "stopped")]
    if kind in (None, "area"):
        stmt = select(Area).where(Area.active.is_(True))
        if record_id is not None:
            stmt = stmt.where(Area.id == record_id)
        elif query:
            stmt = stmt.where(Area.name.ilike(f"%{query}%") | Area.code.ilike(f"%{query}%"))
        out += [{"kind": "area", "id": a.id, "number": a.code, "label": a.name}
                for a in db.session.scalars(stmt.order_by(Area.code).limit(LIMIT))]
    if kind in (None, "opportunity"):
        out += [{"kind": "opportunity", "id": row.id, "number": row.number, "label": row.title}
                for row in _rows("sales.opportunity", user, query, record_id,
                                 lambda M: M.state.not_in(CLOSED_OPPORTUNITY))]
    return out


@hookimpl(optionalhook=True)
def hr_appraisal_trip_rules(trip, traveller):
    """R-S-029: a market department traveller's trip links to a customer, area or opportunity."""
    if in_department(traveller, "MKT") and trip.link_type not in MARKET_KINDS:
        return [Issue(_("A market department trip links to a customer, area or opportunity (R-S-029)."),
                      field="link_id", code="R-S-029")]
    return []


@hookimpl(optionalhook=True)
def hr_appraisal_trip_costs(trip, lines, user):
    """I-16, R-H-025: the approved travel cost of a trip linked to an opportunity is written on the
    opportunity's timeline, where its salesperson follows it."""
    if trip.link_type != "opportunity" or trip.link_record_id is None:
        return
    opportunity = db.session.get(Opportunity, trip.link_record_id)
    total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    if opportunity is None or not total:
        return
    from core.documents.following import add_comment
    traveller = trip.owner.display_name if trip.owner is not None else ""
    add_comment(_doctype("sales.opportunity"), opportunity, user,
                f"差旅费用 {money(total)}：出差 {trip.number} {trip.destination}（{traveller}），报销已批准 (I-16)")


@hookimpl
def erp_rules():
    return [Rule("R-S-029", "市场出差须关联客户、片区或商机",
                 "Market trips link to a customer, area or opportunity; their travel costs are recorded on the "
                 "opportunity.", "block")]
