"""After-sales service (WF-E05): the service ticket (售后服务单, X-E02) and the customer
satisfaction survey (客户满意度调查表, X-E04).

Service ticket: REPORTED → ASSIGNED → IN_SERVICE → RESOLVED → CONFIRMED → CLOSED.

- Reported by whoever takes the call (engineering, sales, the assistant): customer, the device
  (installed base, installed.py) or the project, the symptom, urgency, complaint flag (投诉).
  *Under warranty* is computed on save from the device's warranty end (else the project's) on
  the report's day: reported on the last day of the warranty, still under warranty.
- The 工程部经理 assigns an engineer. The response target (R-E-060) is the report's moment plus
  ``eng.response_hours_urgent`` / ``_normal`` / ``_low`` (4 / 24 / 72 hours): a ticket not in
  service by then is overdue (core ``Deadline``), and the breach is recorded against the assigned
  engineer (``record_violation("R-E-060")``) when he starts late, or by the scheduled sweep
  (``erp_scheduled``) while it waits.
- Resolved: work done, parts, hours, chargeable (default: not under warranty, R-E-064) and the fee.
  Confirmed: the customer's feedback and satisfaction (1-5). A chargeable ticket confirmed
  announces ``engineering_service_fee`` (I-11): sales makes a service-fee collection line for the
  customer's salesperson and gives its number back; without sales the fee stays on the ticket
  with its paid flag (``mark_paid``).
- R-E-014: the company's own IT requests (its LAN, office equipment) are tickets whose customer is
  the company (the party named ``core.company_name``): offered as a customer, never chargeable by
  default.
- Closed by the 工程部经理; a complaint needs the handling conclusion first (R-E-061). Complaints
  are listed for the 市场部经理 until closed (R-S-027, I-17: he sees them, ``?is_complaint=1``, and a
  dashboard widget) and announced with ``engineering_complaint(ticket, event)``.

Satisfaction survey: SENT → RETURNED → ANALYSED (工程部经理) → ARCHIVED; scores per aspect (1-5).
Due ``eng.survey_after_acceptance_days`` after a project's final acceptance (its engineer is
reminded while none is sent) and yearly per customer served in the year (the 工程部经理 is
reminded). A survey returned with a score below ``eng.satisfaction_alert`` is a follow-up task
(a notification due in three days) for the 工程部经理, and ``engineering_low_satisfaction`` tells
sales, which gives the customer's salesperson the same task.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, and_, func, or_, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core import calendar_today, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.dashboard import Widget
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.derived import as_utc
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule, record_violation
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow

from .dashboard import ENGINEERING
from .installed import DEVICE_CODE, InstalledDevice, customer_parties, is_company, party_name
from .projects import CODE as PROJECT_CODE
from .projects import ENGINEERS, PROJECT, EngProject, my_projects

TICKET_CODE = "engineering.service_ticket"
SURVEY_CODE = "engineering.satisfaction_survey"
URGENCY = [("urgent", _l("Urgent")), ("normal", _l("Normal")), ("low", _l("Low"))]
WAITING = ("reported", "assigned")       # the response target runs
OPEN = ("reported", "assigned", "in_service", "resolved", "confirmed")
# Who takes a customer's call (WF-E05: engineering, sales, the assistant).
REPORTERS = ("ROLE-ENG-PE", "ROLE-ENG-MGR", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM",
             "ROLE-MKT-AST", "ROLE-PS-MGR", "ROLE-MKT-PSE")


def response_hours(urgency: str) -> int:
    return int(settings.get(f"eng.response_hours_{urgency if urgency in dict(URGENCY) else 'normal'}"))


# ---- 售后服务单 X-E02 ----------------------------------------------------------------------------
TICKET_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("customer", _l("Customer"), "reference", options=customer_parties, required=True, readonly_in=OPEN[1:]),
    Field("customer_name", _l("Customer name"), readonly=True, max_length=200),
    Field("device", _l("Device (installed base)"), "reference", target=DEVICE_CODE, readonly_in=OPEN[1:]),
    Field("project", _l("Project"), "reference", target=PROJECT_CODE, readonly_in=OPEN[1:]),
    Field("reported_at", _l("Reported at"), "datetime", required=True, default=lambda: calendar_today.now(),
          readonly_in=OPEN[1:]),
    Field("reporter_name", _l("Reported by (customer)"), required=True, max_length=60),
    Field("reporter_phone", _l("Phone"), required=True, max_length=40),
    Field("symptom", _l("Symptom"), "textarea", required=True),
    Field("urgency", _l("Urgency"), "choice", choices=URGENCY, required=True, default="normal", readonly_in=OPEN[1:]),
    Field("is_complaint", _l("Complaint"), "bool", readonly_in=OPEN[1:]),
    Field("in_warranty", _l("Under warranty on the report day"), "bool", readonly=True),
    Field("response_due", _l("Response due"), "datetime", readonly=True),
    Field("assigned_to", _l("Service engineer"), "user", roles=ENGINEERS, readonly=True),
    Field("started_at", _l("Service started at"), "datetime", readonly=True, listed=False),
    Field("response_breached", _l("Response target missed"), "bool", readonly=True),
    Field("work_done", _l("Work done"), "textarea", readonly=True),
    Field("parts_used", _l("Parts used"), "textarea", readonly=True),
    Field("hours", _l("Hours"), "decimal", readonly=True, listed=False),
    Field("chargeable", _l("Chargeable"), "bool", readonly=True),
    Field("fee", _l("Service fee"), "money", readonly=True),
    Field("feedback", _l("Customer's feedback"), "textarea", readonly=True),
    Field("satisfaction", _l("Satisfaction (1-5)"), "integer", readonly=True),
    Field("closure_note", _l("Handling conclusion"), "textarea", readonly=True),
    Field("collection_ref", _l("Collection line"), readonly=True, max_length=40, listed=False),
    Field("fee_paid", _l("Fee paid"), "bool", readonly=True, listed=False),
]


class ServiceTicket(Document, declared_columns([f for f in TICKET_FIELDS if f.name != "title"]), db.Model):
    """售后服务单 (X-E02)."""
    __tablename__ = "eng_service_ticket"
    complaint_announced: Mapped[bool | None] = mapped_column(default=False)

    @property
    def sales_contract_id(self) -> int | None:
        """The sales contract of the ticket's project (or of its device's project), if any."""
        pid = self.project_id
        if pid is None and self.device_id:
            device = db.session.get(InstalledDevice, self.device_id)
            pid = device.project_id if device is not None else None
        project = db.session.get(EngProject, pid) if pid else None
        return project.sales_contract_id if project is not None else None


# The service engineer's name, computed in the query (the list reads no user per row).
ServiceTicket.assigned_name = column_property(select(User.display_name).where(User.id == ServiceTicket.assigned_to_id)
                                              .correlate_except(User).scalar_subquery())


def in_warranty_on(ticket) -> bool:
    """Whether the ticket's device (else its project) is under warranty on the day reported (the
    warranty's last day included)."""
    if ticket.reported_at is None:
        return False
    day = (ticket.reported_at if ticket.reported_at.tzinfo else as_utc(ticket.reported_at))
    day = day.astimezone(calendar_today.now().tzinfo).date()
    end = None
    if ticket.device_id:
        device = db.session.get(InstalledDevice, ticket.device_id)
        end = device.warranty_end if device is not None else None
    elif ticket.project_id:
        project = db.session.get(EngProject, ticket.project_id)
        end = project.warranty_end if project is not None else None
    return end is not None and day <= end


def announce(hook: str, **kwargs):
    return getattr(current_app.extensions["erp"].pm.hook, hook)(**kwargs)


def save_ticket(ticket):
    with db.session.no_autoflush:
        device = db.session.get(InstalledDevice, ticket.device_id) if ticket.device_id else None
        if device is not None:
            if ticket.customer_id and ticket.customer_id != device.customer_id:
                raise ValidationFailed({"device_id": [_("The device belongs to another customer.")]})
            ticket.customer_id = device.customer_id
            if ticket.project_id is None:
                ticket.project_id = device.project_id
        name = party_name(ticket.customer_id)
        if not name:
            raise ValidationFailed({"customer_id": [_("Choose the customer.")]})
        ticket.customer_name = name[:200]
        ticket.reported_at = as_utc(ticket.reported_at)     # stored in UTC (SQLite keeps no offset)
        if ticket.reported_at is not None and as_utc(ticket.reported_at) > calendar_today.now() + timedelta(minutes=5):
            raise ValidationFailed({"reported_at": [_("A fault is reported when it was reported, not later.")]})
        if ticket.state == "reported" or ticket.response_due is None:
            ticket.in_warranty = in_warranty_on(ticket)
            ticket.response_due = as_utc(ticket.reported_at) + timedelta(hours=response_hours(ticket.urgency))
        ticket.title = f"{name} {(ticket.symptom or '').strip().splitlines()[0] if ticket.symptom else ''}"[:200]
        if ticket.is_complaint and not ticket.complaint_announced:
            from core.documents import service
            service.assign_number(TICKET, ticket)
            ticket.complaint_announced = True
            announce("engineering_complaint", ticket=ticket, event="opened")


def the_engineer(ticket, user) -> list[Issue]:
    if user is None or user.id == ticket.assigned_to_id or user.has_role("ROLE-ENG-MGR"):
        return []
    return [Issue(_("Only the assigned service engineer or the engineering manager takes this step."))]


def fee_given(ticket, user) -> list[Issue]:
    if ticket.chargeable and not (ticket.fee and Decimal(ticket.fee) > 0):
        return [Issue(_("A chargeable service needs its fee (R-E-064)."), field="fee", code="R-E-064")]
    return []


def conclusion_given(ticket, user) -> list[Issue]:
    """R-E-061: a complaint is closed with the handling conclusion."""
    if ticket.is_complaint and not (ticket.closure_note or "").strip():
        return [Issue(_("A complaint is closed with its handling conclusion (R-E-061)."), field="closure_note",
                      code="R-E-061")]
    return []


TICKET_WORKFLOW = Workflow(
    states={"reported": _l("Fault reported"), "assigned": _l("Assigned"), "in_service": _l("In service"),
            "resolved": _l("Resolved"), "confirmed": _l("Confirmed by the customer"), "closed": _l("Closed")},
    initial="reported", editable_states=("reported", "assigned"),
    transitions=[
        Transition("assign", _l("Assign the service engineer"), ["reported", "assigned"], "assigned",
                   fields=[Field("assigned_to", _l("Service engineer"), "user", roles=ENGINEERS, required=True)]),
        Transition("start", _l("Start the service"), ["assigned"], "in_service", conditions=[the_engineer],
                   assignees="assigned_to_id"),
        Transition("resolve", _l("Resolved"), ["in_service"], "resolved", style="success",
                   conditions=[the_engineer, fee_given], assignees="assigned_to_id",
                   fields=[Field("work_done", _l("Work done"), "textarea", required=True),
                           Field("parts_used", _l("Parts used"), "textarea"),
                           Field("hours", _l("Hours"), "decimal", minimum=0, maximum=1000),
                           Field("chargeable", _l("Chargeable"), "bool",
                                 default=lambda t: not t.in_warranty and not is_company(t.customer_id),
                                 help=_l("Out of warranty or out of scope (R-E-064).")),
                           Field("fee", _l("Service fee"), "money", minimum=0, maximum=10**9)]),
        Transition("confirm", _l("Record the customer's confirmation"), ["resolved"], "confirmed", style="success",
                   conditions=[the_engineer], assignees="assigned_to_id",
                   fields=[Field("satisfaction", _l("Satisfaction (1-5)"), "integer", required=True, minimum=1,
                                 maximum=5),
                           Field("feedback", _l("Customer's feedback"), "textarea")]),
        Transition("close", _l("Close"), ["confirmed"], "closed", style="outline-secondary", waits=True,
                   conditions=[conclusion_given],
                   fields=[Field("closure_note", _l("Handling conclusion"), "textarea",
                                 help=_l("Required for a complaint (R-E-061)."))]),
        Transition("mark_paid", _l("Fee received"), ["confirmed", "closed"], None, style="outline-success",
                   when=lambda t: bool(t.chargeable and t.fee and not t.collection_ref and not t.fee_paid)),
    ],
)


def ticket_visibility(user):
    """The assigned engineer and the engineers of the project see a ticket; the 市场部经理 the
    complaints until they are closed (R-S-027, R-E-061)."""
    seen = [ServiceTicket.assigned_to_id == user.id, ServiceTicket.project_id.in_(my_projects(user))]
    if user.has_role("ROLE-MKT-MGR"):
        seen.append(and_(ServiceTicket.is_complaint.is_(True), ServiceTicket.state != "closed"))
    return or_(*seen)


TICKET = DocType(
    code=TICKET_CODE, model=ServiceTicket, label=_l("Service ticket"), label_plural=_l("Service tickets"),
    fields=TICKET_FIELDS, workflow=TICKET_WORKFLOW, number_prefix="FW", print_title="售后服务单", menu_order=61,
    before_save=save_ticket, visibility=ticket_visibility, deadline=Deadline("response_due", states=WAITING), kanban=True,
    columns=[Column("customer_name", _l("Customer")), Column("urgency", _l("Urgency"), kind="choice",
                                                                choices=dict(URGENCY)),
             Column("is_complaint", _l("Complaint"), kind="bool"),
             Column("in_warranty", _l("Under warranty on the report day"), kind="bool"),
             Column("reported_at", _l("Reported at"), kind="datetime"),
             Column("response_due", _l("Response due"), kind="datetime"),
             Column("assigned_name", _l("Service engineer"), sortable=False),
             Column("fee", _l("Service fee"), kind="money")],
    search=("customer_name", "symptom", "reporter_name"),
)


def breach(ticket, when: datetime | None = None) -> bool:
    """R-E-060: record once that `ticket` missed its response target (against its engineer)."""
    if ticket.response_breached or ticket.response_due is None:
        return False
    moment = when or calendar_today.now()
    if moment <= as_utc(ticket.response_due):
        return False
    ticket.response_breached = True
    hours = response_hours(ticket.urgency)
    record_violation("R-E-060", "deadline_missed", user_id=ticket.assigned_to_id, document=ticket,
                     details=_("Not in service within %(hours)s hours of the report.", hours=hours))
    return True


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, ServiceTicket):
        ticket_step(document, transition.name, user)
    elif isinstance(document, SatisfactionSurvey) and transition.name == "return_survey":
        low_score_follow_up(document)


def ticket_step(ticket, name: str, user):
    from core.reminders import notify
    if name == "assign" and ticket.assigned_to_id:
        notify(ticket.assigned_to_id, f"{TICKET_CODE}:{ticket.id}:assigned:{ticket.assigned_to_id}",
               _("Service ticket assigned to you: %(number)s %(customer)s", number=ticket.number,
                 customer=ticket.customer_name), ticket.symptom or "", f"/engineering/service_ticket/{ticket.id}",
               due_at=ticket.response_due)
    elif name == "start":
        ticket.started_at = as_utc(calendar_today.now())    # stored in UTC (SQLite keeps no offset)
        breach(ticket, ticket.started_at)
    elif name == "confirm" and ticket.chargeable and ticket.fee and Decimal(ticket.fee) > 0:
        reference = announce("engineering_service_fee", ticket=ticket, customer_party_id=ticket.customer_id,
                             amount=Decimal(ticket.fee), user=user)
        ticket.collection_ref = (reference or "")[:40]
    elif name == "close" and ticket.is_complaint:
        announce("engineering_complaint", ticket=ticket, event="closed")
    elif name == "mark_paid":
        ticket.fee_paid = True


# ---- 客户满意度调查表 X-E04 -------------------------------------------------------------------------
SURVEY_TYPES = [("after_acceptance", _l("After final acceptance")), ("annual", _l("Annual")),
                ("after_service", _l("After a service"))]
ASPECTS = [("quality", _l("Quality")), ("schedule", _l("Schedule")), ("attitude", _l("Service attitude")),
           ("documentation", _l("Documentation")), ("overall", _l("Overall"))]

SCORE_FIELDS = [
    Field("aspect", _l("Aspect"), "choice", choices=ASPECTS, required=True),
    Field("score", _l("Score (1-5)"), "integer", minimum=1, maximum=5),
]

SURVEY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("customer", _l("Customer"), "reference", options=customer_parties, required=True, readonly_in=("analysed",
                                                                                                       "archived")),
    Field("customer_name", _l("Customer name"), readonly=True, max_length=200),
    Field("project", _l("Project"), "reference", target=PROJECT_CODE, readonly_in=("analysed", "archived")),
    Field("survey_type", _l("Survey type"), "choice", choices=SURVEY_TYPES, required=True, default="after_acceptance"),
    Field("sent_on", _l("Sent on"), "date", required=True, default=lambda: calendar_today.today()),
    Field("respondent", _l("Respondent"), max_length=60, required_in=("returned", "analysed", "archived")),
    Field("returned_on", _l("Survey returned on"), "date", required_in=("returned", "analysed", "archived")),
    Field("comments", _l("Comments"), "textarea"),
    Field("lowest_score", _l("Lowest score"), "integer", readonly=True),
    Field("analysis", _l("Analysis"), "textarea", readonly=True),
]


class SatisfactionSurvey(Document, declared_columns([f for f in SURVEY_FIELDS if f.name != "title"]), db.Model):
    """客户满意度调查表 (X-E04)."""
    __tablename__ = "eng_satisfaction_survey"
    scores = relationship(lambda: SurveyScore, cascade="all, delete-orphan", order_by=lambda: SurveyScore.id,
                          lazy="selectin")


class SurveyScore(declared_columns(SCORE_FIELDS), db.Model):
    __tablename__ = "eng_satisfaction_score"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("eng_satisfaction_survey.id", ondelete="CASCADE"), index=True)


def save_survey(survey):
    name = party_name(survey.customer_id)
    if not name:
        raise ValidationFailed({"customer_id": [_("Choose the customer.")]})
    if survey.project_id:
        with db.session.no_autoflush:
            project = db.session.get(EngProject, survey.project_id)
        if project is None:
            raise ValidationFailed({"project_id": [_("Choose the project.")]})
    if not survey.scores:
        survey.scores.extend(SurveyScore(aspect=a) for a, _label in ASPECTS)
    aspects = [s.aspect for s in survey.scores]
    if len(set(aspects)) != len(aspects):
        raise ValidationFailed({}, [_("Score each aspect once.")])
    given = [int(s.score) for s in survey.scores if s.score is not None]
    survey.lowest_score = min(given) if given else None
    survey.customer_name = name[:200]
    kind = dict(SURVEY_TYPES).get(survey.survey_type, "")
    survey.title = f"{name} {kind} {survey.sent_on.isoformat() if survey.sent_on else ''}"[:200]


def scored(survey, user) -> list[Issue]:
    missing = [str(dict(ASPECTS).get(s.aspect, s.aspect)) for s in survey.scores if s.score is None]
    if missing or not survey.scores:
        return [Issue(_("Give every aspect's score: %(aspects)s.", aspects=", ".join(missing)), field="scores")]
    return []


SURVEY_WORKFLOW = Workflow(
    states={"sent": _l("Sent"), "returned": _l("Returned"), "analysed": _l("Analysed"), "archived": _l("Archived")},
    initial="sent", editable_states=("sent", "returned"),
    transitions=[
        Transition("return_survey", _l("Returned by the customer"), ["sent"], "returned", conditions=[scored]),
        Transition("analyse", _l("Analyse"), ["returned"], "analysed", style="success", signs=_l("Engineering manager"),
                   fields=[Field("analysis", _l("Analysis"), "textarea", required=True)]),
        Transition("archive", _l("Archive"), ["analysed"], "archived", style="outline-secondary"),
    ],
)

SURVEY = DocType(
    code=SURVEY_CODE, model=SatisfactionSurvey, label=_l("Satisfaction survey"),
    label_plural=_l("Satisfaction surveys"), fields=SURVEY_FIELDS, workflow=SURVEY_WORKFLOW, number_prefix="MY",
    print_title="客户满意度调查表", menu_order=62, before_save=save_survey,
    visibility=lambda user: SatisfactionSurvey.project_id.in_(my_projects(user)),
    lines=Lines("scores", SurveyScore, fields=SCORE_FIELDS, blank_rows=0, label=_l("Scores")),
    columns=[Column("customer_name", _l("Customer")),
             Column("survey_type", _l("Survey type"), kind="choice", choices=dict(SURVEY_TYPES)),
             Column("sent_on", _l("Sent on"), kind="date"), Column("returned_on", _l("Survey returned on"), kind="date"),
             Column("lowest_score", _l("Lowest score"), kind="number")],
    search=("customer_name", "comments"),
)


def low_score_follow_up(survey) -> None:
    """A score below ``eng.satisfaction_alert``: a follow-up for the 工程部经理 and the customer's
    salesperson (through sales' ``engineering_complaint`` with event ``low_satisfaction``)."""
    from core.auth.models import users_with_roles
    from core.reminders import notify
    threshold = int(settings.get("eng.satisfaction_alert"))
    if survey.lowest_score is None or survey.lowest_score >= threshold:
        return
    title = _("Low satisfaction score %(score)s from %(customer)s (%(number)s): follow up",
              score=survey.lowest_score, customer=survey.customer_name, number=survey.number)
    due = calendar_today.now() + timedelta(days=3)
    for manager in users_with_roles("ROLE-ENG-MGR"):
        notify(manager.id, f"{SURVEY_CODE}:{survey.id}:low:{manager.id}", title, survey.comments or "",
               f"/engineering/satisfaction_survey/{survey.id}", due_at=due)
    announce("engineering_low_satisfaction", survey=survey, customer_party_id=survey.customer_id,
             score=survey.lowest_score)


# ---- project page --------------------------------------------------------------------------------
PROJECT.relate(Related(_l("Service tickets"), TICKET_CODE, "project_id"))
PROJECT.relate(Related(_l("Satisfaction surveys"), SURVEY_CODE, "project_id"))


# ---- R-E-060 sweep, reminders (R-E-063) ----------------------------------------------------------
@hookimpl
def erp_scheduled(now):
    """R-E-060: a ticket still waiting past its response target is recorded against its engineer
    (once)."""
    late = db.session.scalars(select(ServiceTicket).where(
        ServiceTicket.state.in_(WAITING), ServiceTicket.response_due < as_utc(now),
        or_(ServiceTicket.response_breached.is_(False), ServiceTicket.response_breached.is_(None)))).all()
    for ticket in late:
        breach(ticket, now)


def survey_reminders(now) -> list:
    """R-E-063: a project accepted ``eng.survey_after_acceptance_days`` ago (or more, and not
    closed) with no survey: its engineer; yearly per customer served this year: the 工程部经理 by
    year end."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder, month_end
    days = int(settings.get("eng.survey_after_acceptance_days"))
    today = now.astimezone(calendar_today.now().tzinfo).date() if now.tzinfo else now.date()
    surveyed = select(SatisfactionSurvey.project_id).where(SatisfactionSurvey.project_id.is_not(None))
    rows = db.session.execute(select(EngProject.id, EngProject.number, EngProject.title, EngProject.engineer_id,
                                     EngProject.actual_completion).where(
        EngProject.state.in_(("closing", "warranty")), EngProject.actual_completion.is_not(None),
        EngProject.engineer_id.is_not(None), EngProject.id.not_in(surveyed))).all()
    out = []
    for row in rows:
        due_day = row.actual_completion + timedelta(days=days)
        if due_day - timedelta(days=7) > today:
            continue
        out.append(Reminder(f"{SURVEY_CODE}:project:{row.id}", row.engineer_id,
                            _("Send the satisfaction survey of %(number)s %(title)s", number=row.number,
                              title=row.title), as_utc(datetime.combine(due_day, datetime.min.time())),
                            url=f"/engineering/satisfaction_survey/new?project_id={row.id}"))
    # Yearly: customers served this year (a ticket) without an annual survey this year.
    start = today.replace(month=1, day=1)
    served = set(db.session.scalars(select(ServiceTicket.customer_id).where(
        ServiceTicket.reported_at >= as_utc(datetime.combine(start, datetime.min.time()))).distinct()))
    done = set(db.session.scalars(select(SatisfactionSurvey.customer_id).where(
        SatisfactionSurvey.survey_type == "annual", SatisfactionSurvey.sent_on >= start)))
    missing = served - done
    if missing:
        due = month_end(today.replace(month=12, day=1))
        for manager in users_with_roles("ROLE-ENG-MGR"):
            out.append(Reminder(f"{SURVEY_CODE}:annual:{today.year}:{manager.id}", manager.id,
                                _("Annual satisfaction surveys: %(n)s customers served this year have none",
                                  n=len(missing)), due, url="/engineering/satisfaction_survey/", kind="info"))
    return out


@hookimpl
def erp_reminders(now):
    return survey_reminders(now)


# ---- dashboard -----------------------------------------------------------------------------------
@hookimpl
def erp_dashboard_widgets(user):
    from core.documents import service
    widgets = []
    if user.can(f"{TICKET_CODE}.read") and (user.has_role("ROLE-ENG-MGR") or user.has_role("ROLE-ENG-PE")):
        moment = TICKET.deadline.moment(ServiceTicket, calendar_today.now())
        late = db.session.scalar(service.visible(TICKET, user, select(func.count(ServiceTicket.id))).where(
            TICKET.deadline.clause(ServiceTicket, moment)))
        widgets.append(Widget(_l("Open tickets past their target"), value=int(late or 0), section=ENGINEERING,
                              order=13, url=url_for("engineering.service_ticket_list", overdue=1)))
    if user.has_role("ROLE-MKT-MGR") and user.can(f"{TICKET_CODE}.read"):
        rows = db.session.execute(select(ServiceTicket.id, ServiceTicket.number, ServiceTicket.customer_name).where(
            ServiceTicket.is_complaint.is_(True), ServiceTicket.state != "closed")
            .order_by(ServiceTicket.id.desc()).limit(6)).all()
        count = db.session.scalar(select(func.count(ServiceTicket.id)).where(
            ServiceTicket.is_complaint.is_(True), ServiceTicket.state != "closed"))
        widgets.append(Widget(_l("Open complaints"), value=int(count or 0), order=14,
                              url=url_for("engineering.service_ticket_list", is_complaint=1),
                              items=tuple((f"{r.number} {r.customer_name}", f"/engineering/service_ticket/{r.id}")
                                          for r in rows)))
    return widgets


# ---- demo data -----------------------------------------------------------------------------------
def customer_party(name: str) -> int:
    """The core party named `name` with the customer role (made when missing); its id."""
    from core.parties import services as parties
    from core.parties.models import Party
    party = db.session.scalar(select(Party).where(Party.name == name).limit(1))
    if party is None:
        party = parties.create_party(name, roles=("customer",))
    elif not party.has_role("customer"):
        parties.add_role(party, "customer")
    return party.id


DEMO_DEVICES = {
    "machine_room": [("精密空调", "艾默生", "CRV 25kW", "EM{n}A01", "地下一层机房东侧"),
                     ("精密空调", "艾默生", "CRV 25kW", "EM{n}A02", "地下一层机房西侧"),
                     ("UPS 主机", "山特", "3C3 Pro 60kVA", "ST{n}U01", "地下一层配电间")],
    "network": [("核心交换机", "华为", "S7706", "HW{n}C01", "指挥中心三楼机房 A01 柜"),
                ("核心交换机", "华为", "S7706", "HW{n}C02", "指挥中心三楼机房 A02 柜"),
                ("接入交换机", "华为", "S5735-L48T4X", "HW{n}S01", "指挥中心二楼弱电间")],
    "security": [("网络摄像机", "海康威视", "DS-2CD3T47", "HK{n}C01", "校门口"),
                 ("网络硬盘录像机", "海康威视", "DS-9632N", "HK{n}N01", "保卫处监控室")],
}


def demo(users) -> list:
    """Devices on the projects under warranty, closed and closing; service tickets in every state
    (an urgent one past its target, a complaint open and one closed, a chargeable one); surveys,
    one with a low score. `users`: {"eng_mgr": User, "pe": User}. Returns what was made (not
    committed). Skipped when tickets exist."""
    from core.documents import service

    from .installed import DEVICE, save_device
    if db.session.scalar(select(ServiceTicket.id).limit(1)) is not None:
        return []
    manager, engineer = users["eng_mgr"], users["pe"]
    projects = list(db.session.scalars(select(EngProject).where(
        EngProject.state.in_(("warranty", "closed", "closing"))).order_by(EngProject.id)))
    if not projects:
        return []
    now, made, devices = calendar_today.now(), [], {}
    for project in projects:
        party = customer_party(project.customer_name)
        installed = project.actual_completion or calendar_today.today() - timedelta(days=200)
        for kind, brand, model, serial, location in DEMO_DEVICES.get(project.project_type, DEMO_DEVICES["network"]):
            d = service.new_document(DEVICE, engineer)
            d.customer_id, d.project_id, d.device_type, d.brand, d.model = party, project.id, kind, brand, model
            d.serial_no, d.location = serial.format(n=f"{project.id:03d}"), location
            d.install_date, d.supplier, d.status = installed, "省级总代理", "in_use"
            d.firmware = "V200R021" if brand == "华为" else ""
            save_device(d)
            made.append(d)
            devices.setdefault(project.id, []).append(d)
    service.assign_numbers(DEVICE, made)
    db.session.add_all(made)
    db.session.flush()

    def new_ticket(project, state, hours_ago, urgency="normal", complaint=False, symptom="", **values):
        t = service.new_document(TICKET, manager)
        t.device_id = devices[project.id][0].id
        t.reported_at = now - timedelta(hours=hours_ago)
        t.reporter_name, t.reporter_phone = "信息科 王科长", "13812345678"
        t.symptom, t.urgency, t.is_complaint = symptom, urgency, complaint
        t.complaint_announced = True          # the demo's complaints are not announced again
        save_ticket(t)
        t.state = state
        if state != "reported":
            t.assigned_to_id = engineer.id
        if state in ("in_service", "resolved", "confirmed", "closed"):
            t.started_at = t.reported_at + timedelta(hours=2)
        for key, value in values.items():
            setattr(t, key, value)
        service.assign_number(TICKET, t)
        db.session.add(t)
        made.append(t)
        return t

    by_state = {p.state: p for p in reversed(projects)}
    first = by_state.get("warranty", projects[0])          # machine room under warranty: air con, UPS
    last = by_state.get("closed", projects[-1])            # network closed, out of warranty: chargeable
    new_ticket(first, "reported", 6, "urgent", symptom="机房精密空调高温告警，服务器机柜温度35℃")
    new_ticket(first, "assigned", 3, symptom="UPS 面板显示电池需更换")
    new_ticket(last, "in_service", 30, symptom="二楼接入交换机频繁重启")
    new_ticket(last, "resolved", 72, symptom="核心交换机一块板卡故障", work_done="更换 S7706 业务板卡，恢复配置",
               parts_used="业务板卡1块", hours=Decimal(4), chargeable=True, fee=Decimal(3800))
    new_ticket(first, "confirmed", 120, symptom="机房门禁读卡器不识别", work_done="重新注册卡片，更换读卡器线缆",
               hours=Decimal(2), chargeable=False, satisfaction=5, feedback="响应及时，处理专业")
    new_ticket(last, "assigned", 20, complaint=True, symptom="报修三天无人上门，客户投诉工程师不接电话")
    new_ticket(first, "closed", 400, complaint=True, symptom="上次维修后机柜内线缆杂乱未整理",
               work_done="整理理线并拍照留档", hours=Decimal(3), chargeable=False, satisfaction=4,
               closure_note="已向客户致歉，要求工程师维修后按标准整理现场并拍照确认")
    for project, kind, score, state in ((first, "after_acceptance", 5, "analysed"), (last, "annual", 2, "returned")):
        survey = service.new_document(SURVEY, engineer)
        survey.customer_id, survey.project_id, survey.survey_type = customer_party(project.customer_name), \
            project.id, kind
        survey.sent_on = calendar_today.today() - timedelta(days=20)
        survey.respondent, survey.returned_on = "信息科 王科长", calendar_today.today() - timedelta(days=5)
        survey.scores.extend(SurveyScore(aspect=a, score=(score if a == "attitude" else 4)) for a, _label in ASPECTS)
        survey.comments = "整体满意" if score >= 3 else "售后响应太慢，工程师态度需改进"
        if state == "analysed":
            survey.analysis = "客户对施工质量和服务态度评价良好，文档资料可进一步完善。"
        save_survey(survey)
        survey.state = state
        service.assign_number(SURVEY, survey)
        db.session.add(survey)
        db.session.flush()
        made.append(survey)
        if state == "returned":
            low_score_follow_up(survey)
    return made


# ---- declarations --------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [ServiceTicket, SatisfactionSurvey, SurveyScore]


@hookimpl
def erp_document_types():
    return [TICKET, SURVEY]


@hookimpl
def erp_roles():
    t = TICKET_CODE
    report = [f"{t}.read", f"{t}.create", f"{t}.edit", f"{t}.export"]
    engineer = report + [f"{t}.{a}" for a in ("start", "resolve", "confirm", "mark_paid")]
    manager = engineer + [f"{t}.{a}" for a in ("read_all", "assign", "close")]
    s = SURVEY_CODE
    s_engineer = [f"{s}.{a}" for a in ("read", "create", "edit", "export", "return_survey")]
    s_manager = s_engineer + [f"{s}.{a}" for a in ("read_all", "analyse", "archive")]
    readers = [f"{t}.read_all", f"{s}.read", f"{s}.read_all", f"{t}.export", f"{s}.export"]
    grants = [RoleTemplate(role, permissions=report) for role in REPORTERS if role not in ENGINEERS]
    return grants + [RoleTemplate("ROLE-ENG-PE", permissions=engineer + s_engineer),
                     RoleTemplate("ROLE-ENG-MGR", permissions=manager + s_manager),
                     RoleTemplate("ROLE-GM", permissions=readers),
                     RoleTemplate("ROLE-MKT-DIR", permissions=readers)]


@hookimpl
def erp_settings():
    hours = [("urgent", 4, _l("Response target, urgent (hours)")), ("normal", 24, _l("Response target, normal (hours)")),
             ("low", 72, _l("Response target, low (hours)"))]
    return [Setting(f"eng.response_hours_{u}", "int", h, label,
                    _l("R-E-060: a service ticket of this urgency is in service within this many hours of the report; "
                       "a breach is recorded against the assigned engineer."), min=1, max=720) for u, h, label in hours] + [
        Setting("eng.survey_after_acceptance_days", "int", 30, _l("Satisfaction survey after final acceptance (days)"),
                _l("R-E-063: the project engineer sends the satisfaction survey within this many days of the "
                   "final acceptance."), min=1, max=365),
        Setting("eng.satisfaction_alert", "int", 3, _l("Satisfaction alert below (score)"),
                _l("A returned survey with a score below this is followed up by the engineering manager and the "
                   "customer's salesperson."), min=1, max=5),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-060", "响应时限", "Service tickets are in service within the response target of their urgency "
             "(4 / 24 / 72 hours); a breach is recorded against the assigned engineer.", "deadline",
             params=("eng.response_hours_urgent", "eng.response_hours_normal", "eng.response_hours_low")),
        Rule("R-E-061", "投诉处理", "Complaint tickets are handled by the engineering manager, closed with a handling "
             "conclusion and listed for the market manager until closed.", "block"),
        Rule("R-E-063", "满意度调查", "A satisfaction survey is sent after final acceptance and annually to active "
             "customers.", "deadline", params=("eng.survey_after_acceptance_days", "eng.satisfaction_alert")),
        Rule("R-E-064", "有偿服务", "Out-of-warranty or out-of-scope services are charged; the fee is collected by "
             "the customer's salesperson.", "block"),
    ]
