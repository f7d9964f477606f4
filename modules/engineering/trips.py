"""Business trips of the engineering department (hr_appraisal's 出差申请, I-16): what an engineer
links a trip to (his projects, the service tickets he may see), R-E-016 on engineering trips, and
the approved travel cost posted to the project's cost control sheet (F-E04, 差旅). Inert when
hr_appraisal is off.
"""
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.hookspecs import hookimpl
from core.org.models import in_department
from core.rules import Rule
from core.workflow import Issue

from .costs import post_cost
from .projects import EngProject
from .service import ServiceTicket

ENGINEERING_KINDS = ("project", "ticket")
LIMIT = 200
ENDED = ("closed", "cancelled")


def _rows(code, user, query, record_id):
    """(id, number, title) of the open documents of `code` the user may see, newest first."""
    from core.documents import service
    return service.choosable(current_app.extensions["erp"].doctypes[code], user, query, record_id,
                             where=lambda M: M.state.not_in(ENDED), limit=LIMIT)


@hookimpl(optionalhook=True)
def hr_appraisal_trip_links(user, query, kind, record_id):
    """R-E-016: the open projects and service tickets the traveller may see."""
    out = []
    for link_kind, code in (("project", "engineering.project"), ("ticket", "engineering.service_ticket")):
        if kind in (None, link_kind):
            out += [{"kind": link_kind, "id": row.id, "number": row.number, "label": row.title}
                    for row in _rows(code, user, query, record_id)]
    return out


@hookimpl(optionalhook=True)
def hr_appraisal_trip_rules(trip, traveller):
    """R-E-016: an engineering department traveller's trip links to a project or service ticket."""
    if in_department(traveller, "ENG") and trip.link_type not in ENGINEERING_KINDS:
        return [Issue(_("An engineering department trip links to a project or service ticket (R-E-016)."),
                      field="link_id", code="R-E-016")]
    return []


def charged_project(trip) -> EngProject | None:
    """The project a trip's cost is charged to: the linked project, or the linked ticket's."""
    if trip.link_record_id is None:
        return None
    if trip.link_type == "project":
        return db.session.get(EngProject, trip.link_record_id)
    if trip.link_type == "ticket":
        ticket = db.session.get(ServiceTicket, trip.link_record_id)
        return db.session.get(EngProject, ticket.project_id) if ticket is not None and ticket.project_id else None
    return None


@hookimpl(optionalhook=True)
def hr_appraisal_trip_costs(trip, lines, user):
    """I-16, R-E-016, R-H-025: an approved trip claim is an actual 差旅 cost of its project (F-E04)."""
    project = charged_project(trip)
    total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    if project is not None and total:
        post_cost(project, "travel", "actual", total, "form", trip.number, user, note=f"{trip.title} 差旅报销")


@hookimpl
def erp_rules():
    return [Rule("R-E-016", "工程出差须关联项目或售后服务单",
                 "Engineering trips link to a project or service ticket; their travel costs are charged to the "
                 "project's cost control sheet (F-E04).", "block")]
