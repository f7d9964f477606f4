"""Engineering projects (工程项目, EngProject; WF-E01 to WF-E04).

A project is opened from sales' accepted implementation handover (I-05, ``sales_handover_accepted``:
contract, customer, site, scope, budget and supervision mode copied, the project's number given
back to sales) or by the 工程部经理 by hand when sales is off. He assigns the project engineer
(within ``eng.assign_days`` working days: the project is overdue until then); the engineer takes
it through the fourteen states of WF-E01 in three phases (前期, 中期, 后期) to warranty and
closing.

Every step forward is guarded where the user acts and in the API, and a refusal names the missing
condition. The conditions live with the parts that own the data: a part registers a check for a
gate with ``@gate("start")`` (the schedule: "approved schedule"; the costs: "approved baseline"),
and the project's transition asks every check registered for it. Gates:

- ``assign``: assigning the project engineer (R-E-101, the safety training signed off);
- ``survey``: leaving SURVEY for PLANNING (R-E-030, the site survey record submitted);
- ``start``: applying for the start (R-E-031);
- ``system_test``: IN_CONSTRUCTION → SYSTEM_TEST (R-E-042, every sub-item accepted, no open
  quality notice, no open suspension);
- ``pre_acceptance``: SYSTEM_TEST → PRE_ACCEPTANCE (R-E-043, the cabling links all tested);
- ``closing``: FINAL_ACCEPTANCE → CLOSING; ``warranty``: CLOSING → WARRANTY.

The supervision forms carry the project along (F-T04 starts it, F-T07/F-T08 suspend and resume,
F-T22 sends it to rectification) with ``advance(project, name, user, because)``, which checks the
same gates first.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, case, or_, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents.derived import as_utc
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow, engine
from core.workflow.engine import TransitionRefused

CODE = "engineering.project"
MANAGERS = ("ROLE-ENG-MGR",)
ENGINEERS = ("ROLE-ENG-PE", "ROLE-ENG-MGR")

STATES = {
    "received": _l("Handover received"), "survey": _l("Site survey"), "planning": _l("Preparing construction"),
    "start_applied": _l("Start applied for"), "in_construction": _l("Under construction"),
    "suspended": _l("Suspended"), "system_test": _l("System testing"), "pre_acceptance": _l("Pre-acceptance"),
    "rectification": _l("Rectification"), "final_acceptance": _l("Final acceptance"),
    "closing": _l("Handover of documents, final account, evaluation"), "warranty": _l("Under warranty"),
    "closed": _l("Closed and archived"), "cancelled": _l("Cancelled"),
}
PHASES = {"early": _l("Early phase"), "middle": _l("Middle phase"), "late": _l("Late phase"),
          "after_sales": _l("After-sales"), "ended": _l("Ended")}
PHASE_OF = {"received": "early", "survey": "early", "planning": "early", "start_applied": "early",
            "in_construction": "middle", "suspended": "middle", "system_test": "late", "pre_acceptance": "late",
            "rectification": "late", "final_acceptance": "late", "closing": "late", "warranty": "after_sales",
            "closed": "ended", "cancelled": "ended"}
EARLY = tuple(s for s, p in PHASE_OF.items() if p == "early")
ACTIVE = tuple(s for s, p in PHASE_OF.items() if p in ("early", "middle", "late"))
# After the start: the works are on (forms of construction, costs, site logs).
STARTED = ("in_construction", "suspended", "system_test", "pre_acceptance", "rectification", "final_acceptance",
           "closing")

PROJECT_TYPES = [("cabling", _l("Structured cabling")), ("network", _l("Computer network")),
                 ("machine_room", _l("Machine room")), ("security", _l("Security and CCTV")),
                 ("building", _l("Building intelligence")), ("integration", _l("System integration")),
                 ("supply_install", _l("Equipment supply and installation")), ("other", _l("Other"))]
SUPERVISION = [("firm", _l("Supervision company")), ("owner_rep", _l("Owner's representative")),
               ("none", _l("None"))]
SUPPLY_BY = [("ours", _l("Supplied by us")), ("customer", _l("Supplied by the customer")),
             ("team", _l("Supplied by the construction team"))]

PROJECT_FIELDS = [
    Field("title", _l("Project name"), required=True),
    Field("customer_name", _l("Customer"), required=True, max_length=120),
    Field("site_address", _l("Project site"), required=True),
    Field("project_type", _l("Project type"), "choice", choices=PROJECT_TYPES, required=True, default="cabling"),
    Field("contract_ref", _l("Contract no."), max_length=60, readonly_in=STARTED,
          help=_l("The signed contract's number (filled from sales' handover).")),
    Field("contract_amount", _l("Contract amount (incl. tax)"), "money", required=True, minimum=0, maximum=10**11),
    Field("change_amount", _l("Confirmed changes"), "money", readonly=True),
    Field("customer_contacts", _l("Customer's contact persons"), "textarea"),
    Field("supervision_mode", _l("Supervision"), "choice", choices=SUPERVISION, required=True, default="none"),
    Field("supervisor_firm", _l("Supervision company"), max_length=120),
    Field("engineer", _l("Project engineer"), "user", roles=ENGINEERS, required_in=ACTIVE[1:] + ("warranty",),
          edit_permission=f"{CODE}.assign", listed=True),
    Field("deputy_engineer", _l("Second project engineer"), "user", roles=ENGINEERS,
          edit_permission=f"{CODE}.assign", listed=False),
    Field("assign_due_at", _l("Engineer to be assigned by"), "datetime", readonly=True, listed=False),
    Field("planned_start", _l("Planned start"), "date"),
    Field("planned_completion", _l("Completion required by"), "date", required=True),
    Field("actual_start", _l("Actual start"), "date", readonly=True),
    Field("actual_completion", _l("Final acceptance on"), "date", readonly=True),
    Field("suspended_days", _l("Days suspended"), "integer", readonly=True, listed=False),
    Field("extension_days", _l("Days of extension granted"), "integer", readonly=True, listed=False),
    Field("warranty_months", _l("Warranty (months)"), "integer", required=True, minimum=0, maximum=240, default=12),
    Field("warranty_end", _l("Warranty ends"), "date", readonly=True),
    Field("solution", _l("Technical solution"), max_length=200),
    Field("commitments", _l("Special commitments and points to watch"), "textarea"),
    Field("safety_briefed_on", _l("Safety and technical briefing held on"), "date",
          help=_l("R-E-034: every team and engineer briefed before work starts on the site (the signed list "
                  "as an attachment).")),
    Field("org_design_waived", _l("No construction organisation design needed"), "bool",
          edit_permission=f"{CODE}.assign", listed=False,
          help=_l("The engineering manager's decision for a project above the threshold (R-E-031).")),
    Field("handover_ref", _l("Handover no."), readonly=True, listed=False),
]

SCOPE_FIELDS = [
    Field("item", _l("Item"), required=True, max_length=120),
    Field("brand_model", _l("Brand / model"), max_length=120),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("unit", _l("Unit"), max_length=20),
    Field("supply_by", _l("Supplied by"), "choice", choices=SUPPLY_BY, required=True, default="ours"),
    Field("note", _l("Note"), max_length=200),
]


class EngProject(Document, declared_columns([f for f in PROJECT_FIELDS if f.name != "title"]), db.Model):
    """工程项目 (EngProject)."""
    __tablename__ = "eng_project"
    # The sales contract it was handed over from (no foreign key: sales may be off).
    sales_contract_id: Mapped[int | None] = mapped_column(Integer, index=True)

    from sqlalchemy.orm import relationship as _relationship
    scope = _relationship(lambda: ProjectScopeLine, cascade="all, delete-orphan",
                          order_by=lambda: ProjectScopeLine.id, lazy="selectin")
    del _relationship

    @property
    def current_amount(self) -> Decimal:
        """The contract's value with the confirmed changes."""
        return Decimal(self.contract_amount or 0) + Decimal(self.change_amount or 0)

    def engineer_ids(self) -> set[int]:
        return {uid for uid in (self.engineer_id, self.deputy_engineer_id) if uid}


# Computed in the query, so that a list of projects reads plain rows (no documents loaded): the
# phase of the state, and the project engineer's name.
EngProject.phase = column_property(case(PHASE_OF, value=EngProject.state, else_="early"))
EngProject.engineer_name = column_property(select(User.display_name).where(User.id == EngProject.engineer_id)
                                           .correlate_except(User).scalar_subquery())


class ProjectScopeLine(declared_columns(SCOPE_FIELDS), db.Model):
    __tablename__ = "eng_project_scope"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id", ondelete="CASCADE"), index=True)


# ---- who sees what ------------------------------------------------------------------------------
def my_projects(user):
    """The ids of the projects `user` is an engineer of (a subquery)."""
    return select(EngProject.id).where(or_(EngProject.engineer_id == user.id, EngProject.deputy_engineer_id == user.id))


def project_visibility(user):
    """An engineer sees the projects he is assigned to (the 工程部经理 and the 市场总监 all, by read_all)."""
    return EngProject.id.in_(my_projects(user))


def on_my_projects(model) -> Callable:
    """The visibility of a document of a project (``model.project_id``): the project's engineers
    see it, whoever wrote it. ``DocType(..., visibility=on_my_projects(SiteLog))``."""
    return lambda user: model.project_id.in_(my_projects(user))


def of_project(where: Callable | None = None, states: tuple = ()) -> Field:
    """The ``project`` reference a project's document starts with: only projects the user may see
    (and in ``states``, if given) are offered and accepted."""
    if states:
        return Field("project", _l("Project"), "reference", target=CODE, required=True,
                     where=lambda P, user: P.state.in_(states),
                     refusal=_l("This document is made for a project in another state."))
    return Field("project", _l("Project"), "reference", target=CODE, required=True)


# ---- gates --------------------------------------------------------------------------------------
GATES: dict[str, list[Callable]] = {name: [] for name in (
    "assign", "survey", "start", "system_test", "pre_acceptance", "closing", "warranty")}


def gate(name: str):
    """Register a check ``(project, user) -> list[Issue]`` for the gate `name`::

        @gate("start")
        def schedule_approved(project, user):
            if not approved_schedule(project):
                return [Issue(_("Approve the construction schedule first (R-E-031)."), code="R-E-031")]
            return []
    """
    def register(check):
        if check not in GATES[name]:
            GATES[name].append(check)
        return check
    return register


def gate_issues(project, name: str, user=None) -> list[Issue]:
    issues = []
    for check in GATES[name]:
        issues.extend(check(project, user) or [])
    return issues


def _gate(name: str) -> Callable:
    def check(project, user):
        return gate_issues(project, name, user)
    check.__name__ = f"gate_{name}"
    return check


def advance(project, name: str, user, because: str = "") -> str:
    """Carry `project` along its transition `name` as the consequence of a form (F-T04 starts it):
    the transition's conditions (its gate) are checked first; raises TransitionRefused with them.
    Does nothing when the project is already past the transition's sources (returns its state)."""
    transition = PROJECT_WORKFLOW.transition(name)
    if project.state not in transition.source:
        return project.state
    issues = [i if isinstance(i, Issue) else Issue(str(i)) for c in transition.conditions for i in (c(project, user) or [])]
    if issues:
        raise TransitionRefused(issues)
    return engine.carry(project, name, user, because)


@gate("start")
def start_conditions(project, user) -> list[Issue]:
    """R-E-031's conditions kept on the project itself: the safety briefing, the dates."""
    issues = []
    if not project.safety_briefed_on:
        issues.append(Issue(_("Record the safety and technical briefing first (R-E-034)."),
                            field="safety_briefed_on", code="R-E-031"))
    if not project.planned_start:
        issues.append(Issue(_("Give the planned start date."), field="planned_start"))
    return issues


def engineer_assigned(project, user) -> list[Issue]:
    if not project.engineer_id:
        return [Issue(_("The engineering manager assigns the project engineer first."), field="engineer_id")]
    return []


def the_engineer(project, user) -> list[Issue]:
    """A project's steps are taken by its engineers (or the 工程部经理)."""
    if user is None or user.id in project.engineer_ids() or user.has_role("ROLE-ENG-MGR"):
        return []
    return [Issue(_("Only the project's engineers or the engineering manager take this step."))]


def warranty_over(project, user) -> list[Issue]:
    if project.warranty_end and project.warranty_end > calendar_today.today():
        return [Issue(_("The warranty runs until %(day)s.", day=project.warranty_end.isoformat()))]
    return []


# Whose steps they are (the inbox): the project's engineers', and the 工程部经理's (the project's owner).
ENGINEER_COLUMNS = ("engineer_id", "deputy_engineer_id")

PROJECT_WORKFLOW = Workflow(
    states=STATES, initial="received", editable_states=ACTIVE + ("warranty",),
    transitions=[
        Transition("assign", _l("Assign the project engineer"), ["received", "survey", "planning"], None,
                   fields=[Field("engineer", _l("Project engineer"), "user", roles=ENGINEERS, required=True)],
                   conditions=[_gate("assign")], waits=False, style="outline-primary"),
        Transition("arrange_survey", _l("Arrange the site survey"), ["received"], "survey",
                   conditions=[engineer_assigned, the_engineer], assignees=ENGINEER_COLUMNS),
        Transition("survey_done", _l("Site survey done: prepare construction"), ["survey"], "planning",
                   conditions=[the_engineer, _gate("survey")], assignees=ENGINEER_COLUMNS),
        Transition("apply_start", _l("Apply for the start of works"), ["planning"], "start_applied",
                   conditions=[the_engineer, _gate("start")], assignees=ENGINEER_COLUMNS),
        Transition("start_refused", _l("Start not approved: back to preparation"), ["start_applied"], "planning",
                   comment_required=True, style="outline-danger"),
        Transition("start", _l("Start the works"), ["start_applied"], "in_construction", style="success",
                   conditions=[_gate("start")], assignees="owner_id"),
        Transition("suspend", _l("Suspend the works"), ["in_construction"], "suspended", automatic=True),
        Transition("resume", _l("Resume the works"), ["suspended"], "in_construction", automatic=True),
        Transition("to_system_test", _l("Start system testing"), ["in_construction"], "system_test",
                   conditions=[the_engineer, _gate("system_test")], assignees=ENGINEER_COLUMNS),
        Transition("apply_pre_acceptance", _l("Testing done: apply for pre-acceptance"), ["system_test"],
                   "pre_acceptance", conditions=[the_engineer, _gate("pre_acceptance")], assignees=ENGINEER_COLUMNS),
        Transition("rectify", _l("Open items: rectify"), ["pre_acceptance"], "rectification",
                   comment_required=True, style="outline-danger"),
        Transition("rectified", _l("Rectification done: re-inspect"), ["rectification"], "pre_acceptance",
                   conditions=[the_engineer], assignees=ENGINEER_COLUMNS),
        Transition("pre_accepted", _l("Pre-acceptance passed"), ["pre_acceptance"], "final_acceptance",
                   style="success", assignees="owner_id"),
        Transition("accepted", _l("Record the customer's final acceptance"), ["final_acceptance"], "closing",
                   style="success", conditions=[the_engineer], assignees=ENGINEER_COLUMNS,
                   fields=[Field("actual_completion", _l("Final acceptance on"), "date", required=True)]),
        Transition("to_warranty", _l("Closing done: under warranty"), ["closing"], "warranty",
                   conditions=[_gate("closing")]),
        Transition("close", _l("Warranty over: close and archive"), ["warranty"], "closed",
                   conditions=[warranty_over, _gate("warranty")], style="outline-secondary"),
        Transition("cancel", _l("Cancel the project"), EARLY + ("in_construction", "suspended"), "cancelled",
                   comment_required=True, style="outline-danger"),
    ],
)

PROJECT = DocType(
    code=CODE, model=EngProject, label=_l("Engineering works project"), label_plural=_l("Engineering projects"),
    fields=PROJECT_FIELDS, workflow=PROJECT_WORKFLOW, number_prefix="GC", print_title="工程项目",
    menu_order=10, visibility=project_visibility, edited_by=lambda project, user: user.id in project.engineer_ids(),
    kanban=True,
    deadline=Deadline("assign_due_at", states=("received",)),
    lines=Lines("scope", ProjectScopeLine, fields=SCOPE_FIELDS, blank_rows=1, label=_l("Scope of supply and works")),
    columns=[Column("phase", _l("Phase"), kind="choice", choices=PHASES, sortable=False),
             Column("customer_name", _l("Customer")),
             Column("engineer_name", _l("Project engineer"), sortable=False),
             Column("project_type", _l("Project type"), kind="choice", choices=dict(PROJECT_TYPES)),
             Column("contract_amount", _l("Contract amount (incl. tax)"), kind="money"),
             Column("planned_completion", _l("Completion required by"), kind="date")],
    search=("customer_name", "contract_ref", "site_address"),
)


def doctype():
    return current_app.extensions["erp"].doctypes.get(CODE, PROJECT)


def save_project(project):
    if project.supervision_mode == "firm" and not (project.supervisor_firm or "").strip():
        raise ValidationFailed({"supervisor_firm": [_("Name the supervision company.")]})
    if project.planned_start and project.planned_completion and project.planned_completion < project.planned_start:
        raise ValidationFailed({"planned_completion": [_("The completion comes after the start.")]})
    if project.assign_due_at is None and project.engineer_id is None:
        project.assign_due_at = as_utc(cal.deadline_end_of_work(
            cal.add_working_days(calendar_today.today(), int(settings.get("eng.assign_days")))))
    if not project.handover_ref and _engineers_changed(project):
        # The engineers typed on the form pass the assignment's gates too (R-E-101, R-E-102).
        issues = [i for i in gate_issues(project, "assign") if i.blocking]
        if issues:
            raise ValidationFailed({issues[0].field or "engineer_id": [i.message for i in issues]})


def _engineers_changed(project) -> bool:
    from sqlalchemy import inspect
    state = inspect(project)
    return any(state.attrs[name].history.has_changes() for name in ("engineer_id", "deputy_engineer_id")
               if getattr(project, name))


PROJECT.before_save = save_project


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar as _calendar
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


# ---- milestones (I-07) --------------------------------------------------------------------------
def announce(project, milestone: str, user, day: date | None = None, amount: Decimal | None = None,
             reference: str = "") -> None:
    """Tell sales and plugins that `project` reached `milestone` (engineering_project_milestone)."""
    current_app.extensions["erp"].pm.hook.engineering_project_milestone(
        project=project, milestone=milestone, day=day or calendar_today.today(), user=user, amount=amount,
        reference=reference)


@hookimpl
def erp_transition_done(document, transition, user):
    if not isinstance(document, EngProject):
        return
    name = transition.name
    if name == "assign" or (name != "assign" and document.engineer_id and document.assign_due_at):
        document.assign_due_at = None
    if name == "assign" and document.engineer_id:
        from core.reminders import notify
        notify(document.engineer_id, f"{CODE}:{document.id}:assigned:{document.engineer_id}",
               _("Project assigned to you: %(number)s %(title)s", number=document.number, title=document.title),
               document.site_address or "", f"/engineering/project/{document.id}")
    elif name == "start" and not document.actual_start:
        document.actual_start = calendar_today.today()
    elif name == "accepted":
        day = document.actual_completion or calendar_today.today()
        document.warranty_end = add_months(day, int(document.warranty_months or 0))
        announce(document, "final_acceptance", user, day)
    elif name == "close":
        announce(document, "warranty_end", user, document.warranty_end)


# ---- I-05: sales' accepted handover opens the project -------------------------------------------
# The project type a handover's scope suggests (the engineer corrects it): the first that matches.
TYPE_WORDS = [("cabling", ("布线", "双绞线", "配线架", "光缆", "信息点", "网线")),
              ("security", ("监控", "摄像", "安防", "录像", "门禁", "报警")),
              ("machine_room", ("机房", "精密空调", "UPS", "机柜")),
              ("building", ("楼宇", "智能化", "对讲", "广播")),
              ("network", ("交换机", "路由", "防火墙", "无线", "网络"))]


def type_of_scope(text: str) -> str:
    return next((kind for kind, words in TYPE_WORDS if any(word in text for word in words)), "integration")


def open_from_handover(handover, user) -> EngProject:
    from core.documents import service
    contract = handover.contract
    project = service.new_document(doctype(), user)
    project.title = handover.title
    project.customer_name = (handover.customer_name or "")[:120]
    project.site_address = handover.site_address
    project.customer_contacts = handover.customer_contacts
    project.contract_ref = (contract.number or "")[:60] if contract is not None else ""
    project.sales_contract_id = contract.id if contract is not None else None
    project.contract_amount = Decimal(handover.contract_amount or 0)
    project.planned_completion = handover.due_completion
    project.warranty_months = handover.warranty_months or 0
    project.solution = (handover.solution or "")[:200]
    project.commitments = "\n".join(x for x in (handover.commitments, handover.site_notes) if x)
    project.supervision_mode = handover.supervision_mode if handover.supervision_mode in dict(SUPERVISION) else "none"
    project.supervisor_firm = (handover.supervisor_firm or "")[:120]
    project.handover_ref = handover.number
    project.project_type = type_of_scope(" ".join(f"{line.item} {line.brand_model or ''}" for line in handover.lines)
                                         + " " + (handover.title or ""))
    project.engineer_id = getattr(handover, "assigned_pe_id", None)
    for line in handover.lines:
        project.scope.append(ProjectScopeLine(item=line.item[:120], brand_model=(line.brand_model or "")[:120],
                                              qty=line.qty, unit=(line.unit or "")[:20],
                                              supply_by=line.supply_by if line.supply_by in dict(SUPPLY_BY) else "ours",
                                              note=(line.note or "")[:200]))
    save_project(project)
    service.assign_number(doctype(), project)
    db.session.add(project)
    db.session.flush()
    from core.auth.models import users_with_roles
    from core.reminders import notify
    for manager in users_with_roles(*MANAGERS):
        notify(manager.id, f"{CODE}:{project.id}:opened", _("New project to staff: %(number)s %(title)s",
                                                              number=project.number, title=project.title),
               project.customer_name, f"/engineering/project/{project.id}",
               due_at=project.assign_due_at)
    return project


@hookimpl(optionalhook=True)
def sales_handover_accepted(handover, user):
    project = open_from_handover(handover, user)
    return {"reference": project.number, "project_engineer_id": project.engineer_id}


def project_of_contract(contract) -> EngProject | None:
    return db.session.scalar(select(EngProject).where(
        or_(EngProject.sales_contract_id == contract.id, EngProject.contract_ref == contract.number))
        .order_by(EngProject.id.desc()).limit(1))


@hookimpl(optionalhook=True)
def sales_contract_changed(contract, supplement):
    """I-09: a supplement changes the contract's value on the project; a terminated contract
    cancels a project not yet finished (its engineers told)."""
    project = project_of_contract(contract)
    if project is None:
        return
    from core.reminders import notify
    if supplement is None:
        if project.state in PROJECT_WORKFLOW.transition("cancel").source:
            engine.carry(project, "cancel", None, _("Contract %(number)s terminated", number=contract.number))
        key, text = "terminated", _("Contract terminated: project %(number)s %(title)s stopped",
                                    number=project.number, title=project.title)
    else:
        project.contract_amount = Decimal(contract.current_amount or 0) - Decimal(project.change_amount or 0)
        key, text = f"changed:{supplement.id}", _("Contract changed by supplement %(ref)s: project %(number)s",
                                                  ref=supplement.number, number=project.number)
    for uid in project.engineer_ids():
        notify(uid, f"{CODE}:{project.id}:{key}", text, project.title, f"/engineering/project/{project.id}")


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [EngProject, ProjectScopeLine]


@hookimpl
def erp_document_types():
    return [PROJECT]


READERS = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-MKT-AST",
           "ROLE-PUR-MGR", "ROLE-PUR-BUY")
STEPS = ("arrange_survey", "survey_done", "apply_start", "start_refused", "start", "to_system_test",
         "apply_pre_acceptance", "rectify", "rectified", "pre_accepted", "accepted")


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("edit", *STEPS)]
    manager = engineer + [f"{CODE}.{a}" for a in ("read_all", "create", "assign", "to_warranty", "close", "cancel",
                                                  "import")]
    # SPEC 5.7: the market and procurement follow the projects (read); the 市场部经理 also
    # cancels a project whose contract is terminated (WF-E02, with the 工程部经理).
    followers = [RoleTemplate(role, permissions=read + [f"{CODE}.read_all"]) for role in READERS]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-MKT-MGR", permissions=[f"{CODE}.cancel"]), *followers]


@hookimpl
def erp_settings():
    return [
        Setting("eng.assign_days", "int", 1, _l("Project engineer assigned within (working days)"),
                _l("WF-E02: after a handover is accepted, the engineering manager assigns the project engineer "
                   "within this many working days."), min=0, max=30),
        Setting("eng.org_design_threshold", "decimal", "100000",
                _l("Construction organisation design required from (contract amount, ¥)"),
                _l("R-E-031: a project of this contract amount or more needs an approved construction "
                   "organisation design (F-T03) before the start."), min="0"),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-030", "开工前现场勘探", "A site survey is recorded before the construction is prepared.", "block"),
        Rule("R-E-031", "开工条件", "The works start with an approved schedule, an approved cost baseline, an "
             "approved construction organisation design where required and the safety briefing recorded.",
             "block", params=("eng.org_design_threshold",)),
        Rule("R-E-042", "进入后期的条件", "System testing starts when every sub-item is accepted, no quality notice "
             "is open and the works are not suspended.", "block"),
    ]
