"""Customer requirement analysis (客户需求分析表 F-S05, WF-S05 steps 3-4).

After the registration is approved and the pre-sales lead assigned, the market person fills every
item of F-S05 with the pre-sales engineer (R-S-011: only on an approved registration), within
``sales.requirement_analysis_days`` working days. The 工程部经理 then confirms the company's
technical capability: 具备 / 有条件具备 (conditions recorded) / 不具备. The confirmation is a sales
permission granted to ROLE-ENG-MGR, so it works with the engineering module off; when no active
user holds ROLE-ENG-MGR the 售前经理 confirms (``sales.capability_confirmer_fallback``).
Rules: R-S-011 enforced (F-S05 only on an approved registration; the confirmed analysis gates
the budget): test_bidding.py (test_requirement_analysis_needs_an_approved_registration,
test_capability_confirmed_by_the_engineering_manager, test_pre_sales_manager_confirms_when_...),
test_presales.py. F-S05's own due date is a Deadline (reminded, not recorded as a violation).
The confirmed analysis is the precondition of the project's engineering budget (R-S-011,
``presales.requirement_missing``): no budget is built or submitted before it, none when 不具备.
"""
from datetime import date, datetime, timezone
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import settings
from core.auth import acting_user
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow

from .customers import OPPORTUNITY
from .models import Opportunity, Registration
from .presales import REGISTRATION

MONEY = Numeric(14, 2)

SUBSYSTEMS = [("cabling", _l("Structured cabling")), ("network", _l("Network")),
              ("server_storage", _l("Servers and storage")), ("machine_room", _l("Machine room")),
              ("security", _l("Security and CCTV")), ("building_automation", _l("Building automation")),
              ("public_address", _l("Public address")), ("conference", _l("Conference system")),
              ("software", _l("Software")), ("other", _l("Other"))]
PRIORITIES = [("must", _l("Must have")), ("wish", _l("Wanted")), ("optional", _l("Optional"))]
CRITERIA = [("price", _l("Price")), ("brand", _l("Brand")), ("technology", _l("Technology")),
            ("service", _l("Service")), ("relationship", _l("Relationship")), ("schedule", _l("Schedule"))]
CAPABILITY = [("capable", _l("Capable")), ("conditional", _l("Capable with conditions")),
              ("not_capable", _l("Not capable"))]
OUTCOMES = {"confirm_capable": "capable", "confirm_conditional": "conditional",
            "confirm_not_capable": "not_capable"}
ENG_MANAGER = "ROLE-ENG-MGR"


FIELDS = [
    Field("registration", _l("Project registration"), "reference", target="sales.registration", required=True),
    Field("title", _l("Title"), help=_l("Left empty: the registration's title.")),
    Field("customer_profile", _l("Customer profile (industry, size, organisation)"), "textarea", required=True),
    Field("current_state", _l("Current situation (network, systems, equipment, problems)"), "textarea",
          required=True),
    Field("requirement_summary", _l("Requirement summary"), "textarea", required=True),
    Field("site_conditions", _l("Site conditions (building, floors, machine room, risers, power)"), "textarea",
          required=True),
    Field("standards", _l("Technical standards required"), "textarea"),
    Field("schedule_start", _l("Desired start"), "date", required=True),
    Field("schedule_end", _l("Desired completion"), "date", required=True),
    Field("budget_min", _l("Budget from"), "money", minimum=0, maximum=10**11),
    Field("budget_max", _l("Budget up to"), "money", minimum=0, maximum=10**11),
    Field("payment_idea", _l("Intended payment terms"), "textarea"),
    Field("decision_criteria", _l("What the decision makers care about"), "multichoice", choices=CRITERIA),
    Field("competitor_solutions", _l("Competitors' solutions"), "textarea"),
    Field("survey_date", _l("Site survey date"), "date"),
    Field("presales_opinion", _l("Pre-sales engineer's opinion"), "textarea"),
    # Set by the module: the opportunity from the registration, the due date, the capability answer.
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", readonly=True),
    Field("due_on", _l("Due"), "date", readonly=True),
    Field("eng_capability", _l("Technical capability"), "choice", choices=CAPABILITY, readonly=True),
    Field("eng_conditions", _l("Conditions"), "textarea", readonly=True),
    Field("eng_confirmed_by", _l("Confirmed by"), "user", readonly=True),
    Field("eng_confirmed_at", _l("Confirmed at"), "datetime", readonly=True),
]
LINE_FIELDS = [
    Field("subsystem", _l("Subsystem"), "choice", choices=SUBSYSTEMS, required=True),
    Field("description", _l("Requirement"), required=True, max_length=2000),
    Field("scale", _l("Scale (points, ports, cameras...)"), max_length=120),
    Field("performance", _l("Performance"), max_length=2000),
    Field("brand_preference", _l("Brand preference"), max_length=120),
    Field("priority", _l("Priority"), "choice", choices=PRIORITIES),
]


class RequirementAnalysis(Document, db.Model):
    """客户需求分析表 F-S05: one per approved registration (a revision is a new one)."""
    __tablename__ = "sales_requirement"
    registration_id: Mapped[int] = mapped_column(ForeignKey("sales_registration.id"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    customer_profile: Mapped[str] = mapped_column(Text, default="")
    current_state: Mapped[str] = mapped_column(Text, default="")
    requirement_summary: Mapped[str] = mapped_column(Text, default="")
    site_conditions: Mapped[str] = mapped_column(Text, default="")
    standards: Mapped[str] = mapped_column(Text, default="")
    schedule_start: Mapped[date | None] = mapped_column(Date)
    schedule_end: Mapped[date | None] = mapped_column(Date)
    budget_min: Mapped[Decimal | None] = mapped_column(MONEY)
    budget_max: Mapped[Decimal | None] = mapped_column(MONEY)
    payment_idea: Mapped[str] = mapped_column(Text, default="")
    decision_criteria: Mapped[list] = mapped_column(JSON, default=list)
    competitor_solutions: Mapped[str] = mapped_column(Text, default="")
    survey_date: Mapped[date | None] = mapped_column(Date)
    presales_opinion: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    eng_capability: Mapped[str] = mapped_column(String(12), default="")      # capable | conditional | not_capable
    eng_conditions: Mapped[str] = mapped_column(Text, default="")
    eng_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    eng_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    registration = relationship("Registration", lazy="joined")
    opportunity = relationship("Opportunity", lazy="joined")
    eng_confirmed_by = relationship("User", foreign_keys=[eng_confirmed_by_id])
    lines = relationship("RequirementLine", cascade="all, delete-orphan", order_by="RequirementLine.id")

    @property
    def customer_name(self) -> str:
        return self.opportunity.customer_name if self.opportunity else ""


class RequirementLine(db.Model):
    """分系统需求: one subsystem of the customer's demand."""
    __tablename__ = "sales_requirement_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("sales_requirement.id", ondelete="CASCADE"), index=True)
    subsystem: Mapped[str] = mapped_column(String(20), default="other")
    description: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[str] = mapped_column(String(120), default="")
    performance: Mapped[str] = mapped_column(Text, default="")
    brand_preference: Mapped[str] = mapped_column(String(120), default="")
    priority: Mapped[str] = mapped_column(String(10), default="must")


# ---- rules ------------------------------------------------------------------------------------
def assignment_day(registration) -> date:
    """The day the 售前经理 signed the registration and assigned the pre-sales lead."""
    import json
    from core.audit.models import AuditEntry
    from core.calendar_today import today
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.model == Registration.__tablename__, AuditEntry.record_id == str(registration.id),
        AuditEntry.action == "transition").order_by(AuditEntry.id.desc()).limit(50)).all()
    for entry in entries:
        try:
            changes = json.loads(entry.changes or "{}")
        except ValueError:
            continue
        if changes.get("transition") == "assign" and entry.ts is not None:
            ts = entry.ts if entry.ts.tzinfo else entry.ts.replace(tzinfo=timezone.utc)
            from core.calendar import timezone as company_zone
            return ts.astimezone(company_zone()).date()
    return today()


def save_requirement(doc):
    """Only on an approved registration the user may see (R-S-011); the due date follows it."""
    from core import calendar
    registration = db.session.scalar(visible(REGISTRATION, acting_user(), select(Registration)).where(
        Registration.id == doc.registration_id)) if doc.registration_id else None
    if registration is None or registration.state != "approved":
        raise ValidationFailed({"registration_id": [
            _("A requirement analysis is made only on an approved project registration (R-S-011).")]})
    errors = {}
    if doc.schedule_start and doc.schedule_end and doc.schedule_end < doc.schedule_start:
        errors["schedule_end"] = [_("The completion cannot come before the start.")]
    if doc.budget_min is not None and doc.budget_max is not None and doc.budget_max < doc.budget_min:
        errors["budget_max"] = [_("The upper bound of the budget is below its lower bound.")]
    for index, line in enumerate(doc.lines, start=1):
        if not line.priority:
            line.priority = "must"
        if line.subsystem not in dict(SUBSYSTEMS) or not (line.description or "").strip() \
                or line.priority not in dict(PRIORITIES):
            errors.setdefault("lines", []).append(_("Line %(n)s: give the subsystem and its requirement.", n=index))
        for name in ("scale", "performance", "brand_preference"):
            if getattr(line, name) is None:
                setattr(line, name, "")
    if errors:
        raise ValidationFailed(errors)
    if doc.registration_id != getattr(doc.registration, "id", None) or doc.due_on is None:
        doc.due_on = calendar.add_working_days(assignment_day(registration),
                                               settings.get("sales.requirement_analysis_days"))
    doc.registration = registration
    doc.opportunity_id = registration.opportunity_id
    if not (doc.title or "").strip():
        doc.title = registration.title


def complete(doc, user):
    """F-S05 complete: every required item, at least one subsystem, the pre-sales opinion."""
    issues = []
    labels = {"customer_profile": _("Customer profile"), "current_state": _("Current situation"),
              "requirement_summary": _("Requirement summary"), "site_conditions": _("Site conditions"),
              "presales_opinion": _("Pre-sales engineer's opinion")}
    for name, label in labels.items():
        if not (getattr(doc, name) or "").strip():
            issues.append(Issue(_("Fill in “%(field)s” (every item of F-S05 is required, R-S-011).", field=label),
                                field=name, code="R-S-011"))
    if not doc.schedule_start or not doc.schedule_end:
        issues.append(Issue(_("Give the desired start and completion dates."), field="schedule_start"))
    if not doc.lines:
        issues.append(Issue(_("Describe at least one subsystem."), field="lines"))
    registration = db.session.get(Registration, doc.registration_id) if doc.registration_id else None
    if registration is None or registration.state != "approved":
        issues.append(Issue(_("A requirement analysis is made only on an approved project registration (R-S-011)."),
                            field="registration_id", code="R-S-011"))
    return issues


def engineering_managers() -> list:
    from core.workflow import ByRole
    return ByRole(ENG_MANAGER).users(None)


def may_confirm(doc, user):
    """The 工程部经理 confirms; the fallback role only when no active user holds ROLE-ENG-MGR."""
    if user.has_role(ENG_MANAGER):
        return []
    fallback = settings.get("sales.capability_confirmer_fallback")
    if fallback and fallback != "none" and user.has_role(fallback) and not engineering_managers():
        return []
    return [Issue(_("The technical capability is confirmed by the engineering manager (工程部经理); "
                    "the pre-sales manager confirms only when no one holds that role."))]


REQUIREMENT_WORKFLOW = Workflow(
    states={"draft": _l("Being filled"), "submitted": _l("Awaiting capability confirmation"),
            "confirmed": _l("Capability confirmed"), "archived": _l("Filed")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to engineering"), ["draft"], "submitted", conditions=[complete]),
        Transition("confirm_capable", _l("Capable (具备)"), ["submitted"], "confirmed",
                   conditions=[may_confirm], reviews=True, style="success"),
        Transition("confirm_conditional", _l("Capable with conditions (有条件具备)"), ["submitted"], "confirmed",
                   conditions=[may_confirm], reviews=True, comment_required=True, style="warning"),
        Transition("confirm_not_capable", _l("Not capable (不具备)"), ["submitted"], "confirmed",
                   conditions=[may_confirm], reviews=True, comment_required=True, style="outline-danger"),
        Transition("send_back", _l("Return for completion"), ["submitted"], "draft",
                   conditions=[may_confirm], reviews=True, comment_required=True, style="outline-secondary"),
        Transition("archive", _l("File the analysis"), ["confirmed"], "archived", style="outline-primary"),
    ],
)


def requirement_visibility(user):
    """The opportunity's owner and pre-sales lead; confirmers see everything submitted."""
    clauses = [RequirementAnalysis.opportunity_id.in_(select(Opportunity.id).where(
        or_(Opportunity.presales_lead_id == user.id, Opportunity.owner_id == user.id)))]
    if user.can("sales.requirement.confirm_capable"):
        clauses.append(RequirementAnalysis.state != "draft")
    return or_(*clauses)


REQUIREMENT = DocType(
    code="sales.requirement", model=RequirementAnalysis, label=_l("Requirement analysis"),
    label_plural=_l("Requirement analyses"), fields=FIELDS,
    workflow=REQUIREMENT_WORKFLOW, number_prefix="XQ", print_title="客户需求分析表",
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("registration", _l("Project registration"), sortable=False),
             Column("schedule_start", _l("Desired start"), kind="date"),
             Column("schedule_end", _l("Desired completion"), kind="date"),
             Column("due_on", _l("Due"), kind="date"),
             Column("eng_capability", _l("Technical capability"), kind="choice", choices=dict(CAPABILITY)),
             Column("eng_conditions", _l("Conditions"), sortable=False),
             Column("eng_confirmed_by", _l("Confirmed by"), kind="user", sortable=False)],
    lines=Lines("lines", RequirementLine, fields=LINE_FIELDS),
    search=("requirement_summary",), visibility=requirement_visibility, menu_order=35,
    before_save=save_requirement, deadline=Deadline("due_on"),
)

OPPORTUNITY.relate(Related(_l("Requirement analyses"), "sales.requirement", "opportunity_id"))
REGISTRATION.relate(Related(_l("Requirement analyses"), "sales.requirement", "registration_id"))


# ---- events -----------------------------------------------------------------------------------
def _transition_comment(document) -> str:
    """The comment the engine just recorded with the transition (the conditions text)."""
    for action, model, record_id, changes in reversed(db.session.info.get("audit_events", [])):
        if action == "transition" and model == document.__tablename__ and record_id == str(document.id):
            return changes.get("comment", "") or ""
    return ""


@hookimpl
def erp_transition_done(document, transition, user):
    """The capability answer and its conditions are stored on F-S05 (eng_capability, eng_conditions)."""
    if not isinstance(document, RequirementAnalysis):
        return
    if transition.name in OUTCOMES:
        document.eng_capability = OUTCOMES[transition.name]
        document.eng_conditions = _transition_comment(document).strip()
        document.eng_confirmed_by_id = user.id
        document.eng_confirmed_at = datetime.now(timezone.utc)
    elif transition.name == "send_back":
        document.eng_capability, document.eng_conditions = "", ""
        document.eng_confirmed_by_id, document.eng_confirmed_at = None, None
    elif transition.name == "submit":
        _notify_confirmers(document)


def _notify_confirmers(document):
    """I-02: F-S05 goes to the 工程部经理 (else the fallback confirmer) at once."""
    from flask import has_request_context, url_for
    from core.reminders import notify
    people = engineering_managers()
    if not people:
        from core.workflow import ByRole
        fallback = settings.get("sales.capability_confirmer_fallback")
        people = ByRole(fallback).users(None) if fallback and fallback != "none" else []
    url = url_for("sales.requirement_detail", doc_id=document.id) if has_request_context() else ""
    for person in people:
        notify(person.id, f"sales.requirement:{document.id}:confirm:{document.version}",
               _("Confirm the technical capability: %(number)s %(title)s", number=document.number, title=document.title),
               url=url)


@hookimpl
def erp_dashboard_widgets(user):
    """I-02: what waits for the confirmer's answer (the engineering inbox when engineering is on)."""
    if not user.can("sales.requirement.confirm_capable") or may_confirm(None, user):
        return []
    from flask import url_for
    from core.dashboard import Widget
    waiting = db.session.scalars(select(RequirementAnalysis).where(RequirementAnalysis.state == "submitted")
                                 .order_by(RequirementAnalysis.id).limit(100)).all()
    if not waiting:
        return []
    first = waiting[0]
    return [Widget(_l("Technical capability to confirm"), body=f"{first.number} {first.title}", value=len(waiting),
                   url=url_for("sales.requirement_detail", doc_id=first.id), order=40)]


@hookimpl
def erp_models():
    return [RequirementAnalysis, RequirementLine]


@hookimpl
def erp_document_types():
    return [REQUIREMENT]


@hookimpl
def erp_roles():
    confirm = [f"sales.requirement.{a}" for a in ("confirm_capable", "confirm_conditional", "confirm_not_capable",
                                                  "send_back")]
    staff = [f"sales.requirement.{a}" for a in ("read", "create", "edit", "submit")]
    grants = [
        ("ROLE-MKT-AM", staff),
        ("ROLE-MKT-AAM", staff),
        ("ROLE-MKT-PSE", ["sales.requirement.read"]),
        ("ROLE-MKT-AST", ["sales.requirement.read", "sales.requirement.read_all", "sales.requirement.export",
                          "sales.requirement.archive"]),
        ("ROLE-MKT-MGR", staff + ["sales.requirement.read_all", "sales.requirement.export", "sales.requirement.archive"]),
        ("ROLE-PS-MGR", ["sales.requirement.read", "sales.requirement.read_all"] + confirm),
        # No read permission: the confirmer sees what is submitted (visibility), not a sales menu.
        ("ROLE-ENG-MGR", confirm),
        ("ROLE-MKT-DIR", ["sales.requirement.read", "sales.requirement.read_all", "sales.requirement.export"]),
        ("ROLE-GM", ["sales.requirement.read", "sales.requirement.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.requirement_analysis_days", "int", 5, _l("Requirement analysis due within (working days)"),
                _l("F-S05 is submitted this many working days after the pre-sales lead is assigned."), min=1, max=60),
        Setting("sales.capability_confirmer_fallback", "choice", "ROLE-PS-MGR",
                _l("Who confirms technical capability when no one is engineering manager"),
                _l("The engineering manager confirms F-S05; this role does when no active user holds ROLE-ENG-MGR."),
                choices=[("ROLE-PS-MGR", _l("the pre-sales manager")), ("none", _l("nobody (wait for an engineering manager)"))]),
    ]

