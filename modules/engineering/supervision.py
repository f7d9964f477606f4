"""The supervision forms the project engineer works with day to day (F-T01..F-T04, F-T07, F-T08,
F-T13..F-T22), declared on the family's machinery (modules.engineering.forms), with what they do
to the project:

- F-T01 开工申请 submitted applies for the start (the start gate R-E-031 checked, refusals named);
  every readiness line is done (已完成) unless waived. A project from ``eng.org_design_threshold``
  needs a reviewed F-T03 施工组织设计 (a start gate) unless the 工程部经理 waived it.
- F-T04 开工令 acknowledged starts the works (actual start = the order's start date) and closes.
  With no supervision (supervision_mode "none") the 工程部经理 starts the project himself.
- F-T07 暂停工通知 issued suspends the project; F-T08 复工通知 issued closes the F-T07, resumes the
  project and adds the days suspended to it.
- F-T13/F-T15 报验单: every line inspected before the review (R-E-032); equipment accepted is the
  milestone ``arrival_accepted`` (I-07). A line names the goods receipt by its number.
- F-T14 质量事故 and F-T16 质量问题通知书 are overdue past their rectification date while open; an
  open F-T16 or F-T07 keeps the project out of system testing (R-E-042).
- F-T17/F-T18 reports are read and rated (1-5) by the 工程部经理; they count the period's forms.
- F-T19 minutes: each open resolution is a reminder for its owner, due on its date; the minutes are
  overdue while a resolution is late.
- F-T20 needs a passed self-check (R-E-041) and names a sub-item of the schedule; its F-T21
  qualified accepts the sub-item on the schedule (``subitem_accepted``, I-07) and closes both.
- F-T22 (with a passed self-check, R-E-041) sends the project to the final acceptance or to rectification.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import settings
from core.documents import Deadline
from core.documents.derived import as_utc, local
from core.documents.fields import Field
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.workflow import Issue, Transition, engine

from .forms import SupervisionForm, built, register
from .projects import EARLY, advance, announce, gate, gate_issues

STARTED_WORKS = ("in_construction", "suspended")


def project_in(*states):
    """A step's check: the project is in one of `states`."""
    def check(doc, user):
        project = doc.eng_project
        if project is not None and project.state not in states:
            from .projects import STATES
            return [Issue(_("Project %(number)s is %(state)s: this form does not apply now.",
                            number=project.number, state=STATES[project.state]), field="project_id")]
        return []
    return check


def because(doc) -> str:
    return f"{doc.__form__.title} {doc.number}"


# ---- F-T01 工程开工申请单 ------------------------------------------------------------------------
READINESS = [("drawings", _l("Drawings reviewed and design briefing done")),
             ("org_design", _l("Construction organisation design approved")),
             ("schedule", _l("Construction schedule approved")), ("staff", _l("Project managers in place")),
             ("team", _l("Construction team on site")), ("materials", _l("Main materials and equipment secured")),
             ("site", _l("Site water, power and access ready")), ("safety", _l("Safety measures in place")),
             ("self_check", _l("Pre-start self-check done"))]
READINESS_STATUS = [("done", _l("Done")), ("partial", _l("Partly done")), ("not_done", _l("Not done"))]
START_ATTACHMENTS = [("org_design", _l("Construction organisation design")), ("schedule", _l("Progress schedule")),
                     ("staff", _l("Staff list and certificates")), ("materials", _l("Materials and equipment list")),
                     ("safety", _l("Safety and technical briefing record"))]


def save_ft01(doc, project):
    if doc.planned_start and doc.planned_completion and doc.planned_completion < doc.planned_start:
        raise ValidationFailed({"planned_completion": [_("The completion comes after the start.")]})
    if not doc.lines:
        line = built("ft01").line_model
        doc.lines.extend(line(item=value, status="not_done", waived=False) for value, _label in READINESS)


def ready(doc, user) -> list[Issue]:
    labels = dict(READINESS)
    missing = [str(labels.get(line.item, line.item)) for line in doc.lines if line.status != "done" and not line.waived]
    if missing:
        return [Issue(_("Not ready to start (R-E-031): %(items)s.", items="、".join(missing)), field="lines",
                      code="R-E-031")]
    return []


def start_gate(doc, user) -> list[Issue]:
    project = doc.eng_project
    return gate_issues(project, "start", user) if project is not None else []


def apply_for_start(doc, user, comment):
    advance(doc.eng_project, "apply_start", user, because(doc))


FT01 = SupervisionForm(
    code="ft01", title="工程开工申请单", label=_l("Commencement application"),
    label_plural=_l("Commencement applications"), lifecycle="review", group="start", issuer="contractor",
    blocks=("contractor", "supervisor", "owner"), owner_approval=True, project_states=("planning",),
    fields=[
        Field("planned_start", _l("Planned start"), "date", required=True),
        Field("planned_completion", _l("Planned completion"), "date", required=True),
        Field("contract_days", _l("Contract duration (days)"), "integer", required=True, minimum=1, maximum=3650),
        Field("attachments_list", _l("Documents attached"), "multichoice", choices=START_ATTACHMENTS),
    ],
    lines=[Field("item", _l("Preparation"), "choice", choices=READINESS, required=True),
           Field("status", _l("Status"), "choice", choices=READINESS_STATUS, required=True, default="not_done"),
           Field("waived", _l("Waived"), "bool"),
           Field("note", _l("Note"), max_length=200)],
    conditions={"submit": [project_in("planning"), ready, start_gate]},
    effects={"submit": apply_for_start},
    before_save=save_ft01,
)


# ---- F-T03 施工组织设计审核签证 ------------------------------------------------------------------
DESIGN_SECTIONS = [("overview", _l("Project overview")), ("deployment", _l("Construction deployment")),
                   ("schedule", _l("Progress schedule")), ("labour", _l("Labour and machinery")),
                   ("supply", _l("Materials and equipment supply plan")), ("quality", _l("Quality assurance")),
                   ("safety", _l("Safety and tidy site")), ("methods", _l("Main construction methods")),
                   ("protection", _l("Protection of finished work")), ("emergency", _l("Emergency plan"))]

FT03 = SupervisionForm(
    code="ft03", title="施工组织设计审核签证", label=_l("Construction organisation design review"),
    label_plural=_l("Construction organisation design reviews"), lifecycle="review", group="start",
    issuer="contractor", blocks=("contractor", "supervisor"), chief=("supervisor",), tech_approval=True,
    project_states=EARLY,
    fields=[
        Field("design_title", _l("Design or method statement"), required=True),
        Field("contents_check", _l("Sections included"), "multichoice", choices=DESIGN_SECTIONS, required=True),
        Field("author", _l("Prepared by (author)"), max_length=60, required=True),
        Field("design_notes", _l("Notes"), "textarea",
              help=_l("The design itself is attached to the form as a file.")),
    ],
)

APPROVED_DESIGN = ("reviewed", "owner_approved", "closed")


@gate("start")
def organisation_design(project, user) -> list[Issue]:
    """R-E-031: a project from the threshold starts with a reviewed construction organisation design."""
    threshold = Decimal(str(settings.get("eng.org_design_threshold")))
    if project.org_design_waived or Decimal(project.contract_amount or 0) < threshold:
        return []
    model = built("ft03").model
    found = db.session.scalar(select(model.id).where(model.project_id == project.id,
                                                     model.state.in_(APPROVED_DESIGN)).limit(1))
    if found is None:
        return [Issue(_("A project of %(amount)s or more needs a reviewed construction organisation design (F-T03) "
                        "first (R-E-031).", amount=f"{threshold:,.0f}"), code="R-E-031")]
    return []


# ---- F-T07 工程暂停工通知 / F-T08 工程复工通知 ---------------------------------------------------
SUSPEND_REASONS = [("owner", _l("Requested by the owner")), ("quality", _l("Quality problem")),
                   ("safety", _l("Safety hazard")), ("unapproved", _l("Work without approval")),
                   ("off_drawing", _l("Work not as drawn")), ("force_majeure", _l("Force majeure")),
                   ("other", _l("Other"))]
ATTRIBUTABLE = [("owner", _l("Owner (employer)")), ("contractor", _l("Contractor")), ("team", _l("Construction team")),
                ("other", _l("Other / force majeure"))]


def suspend_project(doc, user, comment):
    advance(doc.eng_project, "suspend", user, because(doc))


FT07 = SupervisionForm(
    code="ft07", title="工程暂停工通知", label=_l("Work suspension notice"), label_plural=_l("Work suspension notices"),
    lifecycle="notice", group="suspension", issuer="supervisor", blocks=("supervisor", "contractor"),
    chief=("supervisor",), project_states=STARTED_WORKS,
    fields=[
        Field("reason", _l("Reason for suspension"), "choice", choices=SUSPEND_REASONS, required=True),
        Field("reason_text", _l("Reason in detail"), "textarea", required=True),
        Field("scope", _l("Part or extent suspended"), "textarea", required=True),
        Field("suspend_from", _l("Suspended from"), "datetime", required=True),
        Field("requirements", _l("Requirements during the suspension"), "textarea", required=True),
        Field("attributable_to", _l("Attributable to"), "choice", choices=ATTRIBUTABLE, required=True),
    ],
    conditions={"issue": [project_in("in_construction")]},
    effects={"issue": suspend_project},
)


def days_between(start, end) -> int:
    """Calendar days from the suspension to the resumption (company time), at least one."""
    return max((local(end).date() - local(start).date()).days, 1)


def save_ft08(doc, project):
    suspension = db.session.get(built("ft07").model, doc.suspension_id) if doc.suspension_id else None
    if suspension is None:
        return
    if doc.resume_at is not None and suspension.suspend_from is not None:
        if as_utc(doc.resume_at) <= as_utc(suspension.suspend_from):
            raise ValidationFailed({"resume_at": [_("The works resume after they were suspended.")]})
        doc.suspended_days = days_between(suspension.suspend_from, doc.resume_at)


def suspension_open(doc, user) -> list[Issue]:
    suspension = db.session.get(built("ft07").model, doc.suspension_id) if doc.suspension_id else None
    if suspension is None or suspension.state != "acknowledged":
        return [Issue(_("Resume from an acknowledged suspension notice not yet closed."), field="suspension_id")]
    return []


def resume_project(doc, user, comment):
    suspension = db.session.get(built("ft07").model, doc.suspension_id)
    engine.carry(suspension, "close", user, because(doc))
    project = doc.eng_project
    project.suspended_days = int(project.suspended_days or 0) + int(doc.suspended_days or 0)
    advance(project, "resume", user, because(doc))


FT08 = SupervisionForm(
    code="ft08", title="工程复工通知", label=_l("Work resumption notice"), label_plural=_l("Work resumption notices"),
    lifecycle="notice", group="suspension", issuer="supervisor", blocks=("supervisor", "contractor"),
    chief=("supervisor",), project_states=("suspended",),
    fields=[
        Field("suspension", _l("Suspension notice"), "reference", target="engineering.ft07", required=True,
              depends_on=("project",),
              where=lambda S, user, doc: (S.project_id == doc.project_id) & (S.state == "acknowledged"),
              refusal=_l("Choose an acknowledged suspension notice of the same project.")),
        Field("verification", _l("Causes removed (rectification verified)"), "textarea", required=True),
        Field("resume_at", _l("Resumed from"), "datetime", required=True),
        Field("scope", _l("Part resumed"), "textarea", required=True),
        Field("suspended_days", _l("Days suspended"), "integer", readonly=True),
    ],
    conditions={"issue": [suspension_open, project_in("suspended")]},
    effects={"issue": resume_project},
    before_save=save_ft08,
)



# ---- F-T02 工程施工进度计划审核签证 --------------------------------------------------------------
PLAN_KINDS = [("overall", _l("Overall schedule")), ("monthly", _l("Monthly plan")), ("adjusted", _l("Adjusted plan"))]


def save_ft02(doc, project):
    if doc.period_from and doc.period_to and doc.period_to < doc.period_from:
        raise ValidationFailed({"period_to": [_("The period ends after it starts.")]})
    if doc.lines or not doc.schedule_id:
        return
    from .schedule import Schedule
    schedule = db.session.get(Schedule, doc.schedule_id)
    line = built("ft02").line_model
    doc.lines.extend(line(milestone=t.name[:120], date=t.plan_end) for t in schedule.tasks if t.milestone)


FT02 = SupervisionForm(
    code="ft02", title="工程施工进度计划审核签证", label=_l("Construction schedule review"),
    label_plural=_l("Construction schedule reviews"), lifecycle="review", group="start", issuer="contractor",
    blocks=("contractor", "supervisor"),
    fields=[
        Field("schedule", _l("Construction schedule"), "reference", target="engineering.schedule", required=True,
              depends_on=("project",), where=lambda S, user, doc: S.project_id == doc.project_id,
              refusal=_l("Choose a schedule of the same project.")),
        Field("plan_type", _l("Plan type"), "choice", choices=PLAN_KINDS, required=True, default="overall"),
        Field("period_from", _l("Plan period from"), "date", required=True),
        Field("period_to", _l("Plan period to"), "date", required=True),
        Field("resources", _l("Labour and main equipment"), "textarea"),
    ],
    lines=[Field("milestone", _l("Key milestone"), required=True, max_length=120),
           Field("date", _l("Date"), "date", required=True)],
    before_save=save_ft02,
)


# ---- F-T04 工程开工令 ---------------------------------------------------------------------------
def save_ft04(doc, project):
    if doc.start_date and doc.contract_days:
        doc.completion_date = doc.start_date + timedelta(days=int(doc.contract_days) - 1)


def start_works(doc, user, comment):
    """The order acknowledged: the works start on its date, the application and the order close."""
    project = doc.eng_project
    advance(project, "start", user, because(doc))
    project.actual_start = doc.start_date
    application = db.session.get(built("ft01").model, doc.application_id)
    if application is not None and application.state in ("reviewed", "owner_approved"):
        engine.carry(application, "close", user, because(doc))
    engine.carry(doc, "close", user, _("The works started."))


FT04 = SupervisionForm(
    code="ft04", title="工程开工令", label=_l("Commencement order"), label_plural=_l("Commencement orders"),
    lifecycle="notice", group="start", issuer="supervisor", blocks=("supervisor", "contractor"),
    chief=("supervisor",), project_states=("start_applied",),
    fields=[
        Field("application", _l("Commencement application"), "reference", target="engineering.ft01", required=True,
              depends_on=("project",),
              where=lambda A, user, doc: (A.project_id == doc.project_id) & A.state.in_(("reviewed", "owner_approved")),
              refusal=_l("Choose a reviewed commencement application of the same project.")),
        Field("start_date", _l("Approved start date"), "date", required=True),
        Field("contract_days", _l("Contract duration (days)"), "integer", required=True, minimum=1, maximum=3650),
        Field("completion_date", _l("Planned completion"), "date", readonly=True),
        Field("requirements", _l("Requirements for the start"), "textarea"),
    ],
    conditions={"acknowledge": [project_in("start_applied")]},
    effects={"acknowledge": start_works},
    before_save=save_ft04,
)


# ---- F-T13 / F-T15 报验单: every line inspected (R-E-032) -----------------------------------------
SELF_CHECK = [("qualified", _l("Qualified")), ("unqualified", _l("Not qualified"))]
SUPPLY = [("ours", _l("Purchased by us")), ("customer", _l("Supplied by the owner")),
          ("team", _l("Supplied by the construction team"))]
MATERIAL_DOCS = [("certificate", _l("Factory certificate")), ("test_report", _l("Test report")),
                 ("warranty", _l("Quality guarantee")), ("ccc", _l("CCC certificate")),
                 ("authorisation", _l("Manufacturer's authorisation"))]
EQUIPMENT_DOCS = [("packing_list", _l("Packing list")), ("certificate", _l("Factory certificate")),
                  ("warranty_card", _l("Warranty card")), ("manual", _l("Instruction manual")),
                  ("authorisation", _l("Manufacturer's authorisation or customs declaration"))]
MATERIAL_RESULTS = [("pending", _l("To inspect")), ("accepted", _l("Qualified: may be used")),
                    ("rejected", _l("Not qualified: removed from site")), ("recheck", _l("To re-test"))]
EQUIPMENT_RESULTS = [("pending", _l("To inspect")), ("accepted", _l("Qualified: may be installed")),
                     ("rejected", _l("Not qualified: removed from site"))]


def self_checked(doc, user) -> list[Issue]:
    if doc.self_check != "qualified":
        return [Issue(_("The contractor's own check found the goods not qualified: do not submit them."),
                      field="self_check")]
    return []


def every_line_inspected(doc, user) -> list[Issue]:
    pending = [f"{n} {line.name}" for n, line in enumerate(doc.lines, start=1) if line.result in ("", "pending", None)]
    if pending:
        return [Issue(_("Record the inspection result of every line before it is used or installed (R-E-032): "
                        "%(lines)s.", lines="、".join(pending)), field="lines", code="R-E-032")]
    return []


def inspection_request(code, title, label, label_plural, lines, documents) -> SupervisionForm:
    return SupervisionForm(
        code=code, title=title, label=label, label_plural=label_plural, lifecycle="review", group="inspection",
        issuer="contractor", blocks=("contractor", "supervisor"), editable_states=("draft", "submitted"),
        fields=[Field("arrival_date", _l("Arrived on site"), "date", required=True),
                Field("documents", _l("Documents enclosed"), "multichoice", choices=documents, required=True),
                Field("self_check", _l("Contractor's own check"), "choice", choices=SELF_CHECK, required=True),
                Field("self_check_note", _l("Own check notes"), "textarea")],
        lines=lines, conditions={"submit": [self_checked], "review": [every_line_inspected]})


FT13 = inspection_request(
    "ft13", "材料数量及质量报验单", _l("Material inspection request"), _l("Material inspection requests"),
    [Field("name", _l("Material"), required=True, max_length=120),
     Field("spec_model", _l("Specification / model"), max_length=120), Field("brand", _l("Brand"), max_length=60),
     Field("unit", _l("Unit"), max_length=20), Field("qty", _l("Quantity"), "decimal", required=True, minimum=0),
     Field("intended_use", _l("Intended use"), max_length=120),
     Field("supply_by", _l("Supplied by"), "choice", choices=SUPPLY, required=True, default="ours"),
     Field("receipt_ref", _l("Goods receipt no."), max_length=40),
     Field("result", _l("Inspection result"), "choice", choices=MATERIAL_RESULTS, default="pending")],
    MATERIAL_DOCS)

FT15 = inspection_request(
    "ft15", "进场设备数量及质量报验单", _l("Equipment inspection request"), _l("Equipment inspection requests"),
    [Field("name", _l("Equipment"), required=True, max_length=120), Field("brand", _l("Brand"), max_length=60),
     Field("model", _l("Model no."), max_length=120), Field("serials", _l("Serial numbers"), "textarea"),
     Field("qty", _l("Quantity"), "integer", required=True, minimum=0, maximum=10**6),
     Field("unit", _l("Unit"), max_length=20),
     Field("unpacking_check", _l("Unpacking check"), "choice", required=True, default="intact",
           choices=[("intact", _l("Intact")), ("damaged", _l("Damaged outside")), ("missing", _l("Parts missing"))]),
     Field("accessories_docs", _l("Accessories and documents"), "choice", required=True, default="complete",
           choices=[("complete", _l("Complete")), ("incomplete", _l("Incomplete"))]),
     Field("power_on_test", _l("Power-on test"), "choice", required=True, default="not_tested",
           choices=[("normal", _l("Works normally")), ("abnormal", _l("Abnormal")), ("not_tested", _l("Not tested"))]),
     Field("receipt_ref", _l("Goods receipt no."), max_length=40),
     Field("result", _l("Inspection result"), "choice", choices=EQUIPMENT_RESULTS, default="pending")],
    EQUIPMENT_DOCS)


def equipment_accepted(doc, user, comment):
    """I-07: equipment accepted on site is a milestone sales may collect on."""
    if any(line.result == "accepted" for line in doc.lines):
        announce(doc.eng_project, "arrival_accepted", user, doc.arrival_date, reference=doc.number)


FT15.effects["review"] = equipment_accepted


# ---- F-T14 工程质量事故处理审核意见 / F-T16 施工监理质量问题通知书 ------------------------------------
SEVERITY = [("ordinary", _l("Ordinary")), ("major", _l("Major")), ("serious", _l("Serious"))]
RESPONSIBLE = [("contractor", _l("Contractor")), ("team", _l("Construction team")), ("supplier", _l("Supplier")),
               ("owner", _l("Owner (employer)")), ("other", _l("Other"))]

FT14 = SupervisionForm(
    code="ft14", title="工程质量事故处理审核意见", label=_l("Quality incident handling review"),
    label_plural=_l("Quality incident handling reviews"), lifecycle="review", group="quality", issuer="contractor",
    blocks=("contractor", "supervisor", "owner"), owner_approval=True,
    deadline=Deadline("rectify_due", states=("submitted", "reviewed", "owner_approved")),
    fields=[
        Field("occurred_at", _l("Occurred at"), "datetime", required=True),
        Field("location", _l("Part of the works"), required=True, max_length=120),
        Field("description", _l("Course of the incident"), "textarea", required=True),
        Field("severity", _l("Severity"), "choice", choices=SEVERITY, required=True),
        Field("cause", _l("Cause analysis"), "textarea", required=True),
        Field("responsible", _l("Responsible party"), "choice", choices=RESPONSIBLE, required=True),
        Field("responsible_name", _l("Responsible unit or person"), max_length=120),
        Field("loss", _l("Estimated loss"), "money", required=True, minimum=0),
        Field("handling_plan", _l("Handling plan"), "textarea", required=True),
        Field("preventive", _l("Preventive measures"), "textarea", required=True),
        Field("rectify_due", _l("Rectify by"), "date", required=True),
        Field("result_verification", _l("Result verified"), "textarea", readonly=True),
    ],
    inputs={"close": [Field("result_verification", _l("Result verified"), "textarea", required=True)]},
)

RECHECK = [("passed", _l("Rectified: accepted")), ("failed", _l("Not rectified: reply again"))]
OPEN_NOTICE = ("issued", "acknowledged", "replied")

FT16 = SupervisionForm(
    code="ft16", title="施工监理质量问题通知书", label=_l("Quality issue notice"), label_plural=_l("Quality issue notices"),
    lifecycle="notice", group="quality", issuer="supervisor", blocks=("supervisor", "contractor"), replies=True,
    deadline=Deadline("rectify_due", states=("issued", "acknowledged")),
    fields=[
        Field("found_at", _l("Found at"), "datetime", required=True),
        Field("location", _l("Part of the works"), required=True, max_length=120),
        Field("description", _l("Problem"), "textarea", required=True),
        Field("violated_standard", _l("Standard or drawing clause not met"), max_length=200),
        Field("severity", _l("Severity"), "choice", choices=SEVERITY, required=True),
        Field("rectify_requirement", _l("Rectification required"), "textarea", required=True),
        Field("rectify_due", _l("Rectify by"), "date", required=True),
        Field("reply", _l("Rectification reply"), "textarea", readonly=True),
        Field("recheck", _l("Re-inspection"), "choice", choices=RECHECK, readonly=True),
    ],
    inputs={"reply": [Field("reply", _l("Rectification reply"), "textarea", required=True)],
            "close": [Field("recheck", _l("Re-inspection"), "choice", choices=[RECHECK[0]], required=True,
                            default="passed")]},
    transitions=[Transition("not_rectified", _l("Not rectified: reply again"), ["replied"], "acknowledged",
                            comment_required=True, style="outline-danger",
                            comment_label=_l("What is still not rectified"))],
    effects={"not_rectified": lambda doc, user, comment: setattr(doc, "recheck", "failed")},
)


@gate("system_test")
def nothing_open(project, user) -> list[Issue]:
    """R-E-042: no quality issue notice open and the works not suspended."""
    issues = []
    for code, states, what in (("ft16", OPEN_NOTICE, _l("quality issue notice")),
                               ("ft07", ("issued", "acknowledged"), _l("suspension notice"))):
        model = built(code).model
        numbers = db.session.scalars(select(model.number).where(model.project_id == project.id,
                                                                 model.state.in_(states))).all()
        if numbers:
            issues.append(Issue(_("Close the open %(what)s first (R-E-042): %(numbers)s.", what=what,
                                  numbers="、".join(numbers)), code="R-E-042"))
    return issues


# ---- F-T17 监理工作月报 / F-T18 监理工作周报 ---------------------------------------------------------
def period_figures(project_id: int, start, end) -> str:
    """What the project's forms say of the period: how many of each were written, and how many of
    the quality notices are closed (the report's calculated part)."""
    from datetime import datetime, time, timezone
    from .forms import REGISTRY
    low = datetime.combine(start, time.min, tzinfo=timezone.utc)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc)
    rows = []
    for code in sorted(REGISTRY):
        b = REGISTRY[code]
        if b.form.lifecycle == "report":
            continue
        states = db.session.scalars(select(b.model.state).where(
            b.model.project_id == project_id, b.model.created_at >= low, b.model.created_at < high)).all()
        if states:
            closed = sum(state == "closed" for state in states)
            rows.append(_("%(form)s: %(count)s (closed %(closed)s)", form=b.form.title, count=len(states),
                          closed=closed))
    return "\n".join(rows) or _("No supervision form in the period.")


def month_bounds(month: str):
    from datetime import date
    try:
        year, number = (int(x) for x in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise ValidationFailed({"month": [_("Give the month as YYYY-MM, e.g. 2026-12.")]}) from None
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def save_ft17(doc, project):
    first, last = month_bounds((doc.month or "").strip())
    doc.figures = period_figures(project.id, first, last)


def save_ft18(doc, project):
    if doc.week_from and doc.week_to:
        if doc.week_to < doc.week_from:
            raise ValidationFailed({"week_to": [_("The week ends after it starts.")]})
        doc.figures = period_figures(project.id, doc.week_from, doc.week_to)


FIGURES = Field("figures", _l("The period's forms"), "textarea", readonly=True)

FT17 = SupervisionForm(
    code="ft17", title="监理工作月报", label=_l("Monthly supervision report"),
    label_plural=_l("Monthly supervision reports"), lifecycle="report", group="reports", issuer="supervisor",
    blocks=("supervisor",),
    fields=[Field("month", _l("Month"), required=True, max_length=7, help=_l("YYYY-MM")),
            Field("progress", _l("Progress"), "textarea", required=True),
            Field("quality", _l("Quality"), "textarea", required=True),
            Field("safety", _l("Safety and tidy site"), "textarea", required=True), FIGURES,
            Field("problems", _l("Problems and suggestions"), "textarea", required=True),
            Field("next_month", _l("Next month's supervision plan"), "textarea", required=True)],
    before_save=save_ft17,
)

FT18 = SupervisionForm(
    code="ft18", title="监理工作周报", label=_l("Weekly supervision report"),
    label_plural=_l("Weekly supervision reports"), lifecycle="report", group="reports", issuer="supervisor",
    blocks=("supervisor",),
    fields=[Field("week_from", _l("Week from"), "date", required=True),
            Field("week_to", _l("Week to"), "date", required=True),
            Field("work_done", _l("Works this week"), "textarea", required=True),
            Field("manpower", _l("Staff and machinery"), "textarea"),
            Field("progress", _l("Progress"), "textarea", required=True),
            Field("quality_safety", _l("Quality and safety inspections"), "textarea", required=True), FIGURES,
            Field("issues", _l("Problems and how they were handled"), "textarea", required=True),
            Field("next_week", _l("Next week's plan"), "textarea", required=True)],
    before_save=save_ft18,
)


# ---- F-T19 工作会议纪要 -------------------------------------------------------------------------
MEETING_TYPES = [("site", _l("Site meeting")), ("coordination", _l("Coordination meeting")),
                 ("kickoff", _l("Kick-off or briefing meeting")), ("handover", _l("Handover meeting")),
                 ("bid", _l("Bid preparation meeting")), ("department", _l("Department meeting")),
                 ("other", _l("Other"))]
RESOLUTION_STATUS = [("open", _l("Not done")), ("done", _l("Done"))]


def save_ft19(doc, project):
    due = [line.due for line in doc.lines if line.status != "done" and line.due]
    doc.next_due = min(due) if due else None


def follow_up(doc, user, comment):
    """Each open resolution is a follow-up in its owner's inbox, due on its date."""
    from datetime import datetime, time
    from core import calendar
    from core.reminders import notify
    for n, line in enumerate(doc.lines, start=1):
        if line.status == "done" or not line.owner_id:
            continue
        due = datetime.combine(line.due, time(18, 0), tzinfo=calendar.timezone()) if line.due else None
        notify(line.owner_id, f"{doc.__form__.doctype_code}:{doc.id}:{n}",
               _("Meeting resolution for you: %(item)s", item=line.item[:120]),
               f"{doc.number} {doc.title}", f"/engineering/ft19/{doc.id}", due_at=due)


FT19 = SupervisionForm(
    code="ft19", title="工作会议纪要", label=_l("Meeting minutes"), label_plural=_l("Meeting minutes"),
    lifecycle="record", group="reports", issuer="contractor", blocks=(), editable_states=("draft", "confirmed"),
    deadline=Deadline("next_due", states=("confirmed",)),
    fields=[
        Field("meeting_type", _l("Meeting type"), "choice", choices=MEETING_TYPES, required=True, default="site",
              readonly_in=("confirmed",)),
        Field("title", _l("Meeting"), required=True, readonly_in=("confirmed",)),
        Field("held_at", _l("Held at"), "datetime", required=True, readonly_in=("confirmed",)),
        Field("place", _l("Place"), required=True, max_length=120, readonly_in=("confirmed",)),
        Field("chair", _l("Chaired by"), required=True, max_length=60, readonly_in=("confirmed",)),
        Field("recorder", _l("Minutes taken by"), "user", required=True, readonly_in=("confirmed",)),
        Field("participants", _l("Organisations and people present"), "textarea", required=True,
              readonly_in=("confirmed",)),
        Field("agenda", _l("Agenda"), "textarea", required=True, readonly_in=("confirmed",)),
        Field("discussion", _l("Discussion"), "textarea", required=True, readonly_in=("confirmed",)),
        Field("next_due", _l("Next resolution due"), "date", readonly=True),
    ],
    lines=[Field("item", _l("Resolution"), required=True, max_length=200),
           Field("owner", _l("Who follows it up"), "user"),
           Field("due", _l("Due"), "date"),
           Field("status", _l("Status"), "choice", choices=RESOLUTION_STATUS, required=True, default="open")],
    effects={"confirm": follow_up},
    before_save=save_ft19,
)


# ---- F-T20 分项工程验收申请单 / F-T21 分项工程完工预验收监理意见 ------------------------------------
def save_ft20(doc, project):
    from .schedule import subitems
    if doc.task_id is None:
        return
    task = next((t for t in subitems(project.id) if t.id == doc.task_id), None)
    if task is None:
        raise ValidationFailed({"task_id": [_("Choose a sub-item of the project's construction schedule.")]})
    doc.subitem_name = task.name[:120]


def selfcheck_passed_first(doc, user) -> list[Issue]:
    """R-E-041: a sub-item is offered for acceptance, and the works for pre-acceptance, after a
    passed self-check of the last ``eng.selfcheck_validity_days`` days."""
    from core import calendar_today
    from .selfchecks import selfcheck_passed
    if not doc.selfcheck_id or not selfcheck_passed(doc.selfcheck_id, doc.project_id, on=calendar_today.today()):
        return [Issue(_("Give a confirmed, passed self-check of the project dated within the last %(days)s days "
                        "(R-E-041).", days=int(settings.get("eng.selfcheck_validity_days"))),
                      field="selfcheck_id", code="R-E-041")]
    return []


SELFCHECK = Field("selfcheck", _l("Self-check"), "reference", target="engineering.selfcheck", required=True,
                  depends_on=("project",), where=lambda S, user, doc: S.project_id == doc.project_id,
                  refusal=_l("Choose a self-check of the same project."))


FT20 = SupervisionForm(
    code="ft20", title="分项工程验收申请单", label=_l("Sub-item acceptance application"),
    label_plural=_l("Sub-item acceptance applications"), lifecycle="review", group="acceptance",
    issuer="contractor", blocks=("contractor", "supervisor"),
    fields=[
        Field("task_id", _l("Sub-item (schedule task)"), "integer", required=True,
              help=_l("The sub-item of the project's construction schedule (its acceptance link fills it in).")),
        Field("subitem_name", _l("Sub-item"), readonly=True, max_length=120),
        Field("location", _l("Part of the works"), required=True, max_length=120),
        Field("completed_on", _l("Completed on"), "date", required=True),
        Field("is_hidden_work", _l("Hidden works"), "bool"),
        SELFCHECK,
        Field("test_records", _l("Test records"), max_length=200),
        Field("requested_date", _l("Inspection requested for"), "date", required=True),
    ],
    lines=[Field("item", _l("Work done"), required=True, max_length=120), Field("unit", _l("Unit"), max_length=20),
           Field("qty", _l("Quantity"), "decimal", required=True, minimum=0)],
    conditions={"submit": [selfcheck_passed_first]},
    before_save=save_ft20,
)

CONCLUSIONS = [("qualified", _l("Qualified")), ("reinspect", _l("Re-inspect after rectification")),
               ("failed", _l("Not qualified"))]
CHECK_RESULTS = [("conform", _l("Conforms")), ("nonconform", _l("Does not conform"))]


def save_ft21(doc, project):
    model = built("ft21").model
    earlier = db.session.scalar(select(model.id).where(model.application_id == doc.application_id,
                                                       model.id != (doc.id or 0)).limit(1))
    doc.first_pass = doc.conclusion == "qualified" and earlier is None
    if doc.conclusion != "qualified" and not (doc.rectify_req or "").strip():
        raise ValidationFailed({"rectify_req": [_("Say what is to be rectified, and by when.")]})


def close_if_qualified(doc, user, comment):
    if doc.conclusion == "qualified":
        engine.carry(doc, "close", user, _("Qualified."))


def subitem_accepted(doc, user, comment):
    """The sub-item passed: accepted on the schedule, its application closed, sales told (I-07)."""
    if doc.conclusion != "qualified":
        return
    from .schedule import mark_subitem_accepted
    application = db.session.get(built("ft20").model, doc.application_id)
    mark_subitem_accepted(application.task_id, doc.inspected_on, doc.number)
    if application.state in ("reviewed", "owner_approved"):
        engine.carry(application, "close", user, because(doc))
    announce(doc.eng_project, "subitem_accepted", user, doc.inspected_on, reference=doc.number)


FT21 = SupervisionForm(
    code="ft21", title="分项工程完工预验收监理意见", label=_l("Sub-item pre-acceptance opinion"),
    label_plural=_l("Sub-item pre-acceptance opinions"), lifecycle="notice", group="acceptance",
    issuer="supervisor", blocks=("supervisor", "contractor"),
    fields=[
        Field("application", _l("Acceptance application"), "reference", target="engineering.ft20", required=True,
              depends_on=("project",),
              where=lambda A, user, doc: (A.project_id == doc.project_id) & (A.state == "reviewed"),
              refusal=_l("Choose a reviewed acceptance application of the same project.")),
        Field("inspected_on", _l("Inspected on"), "date", required=True),
        Field("inspectors", _l("Inspected by (organisation, name)"), "textarea", required=True),
        Field("problems", _l("Problems found"), "textarea"),
        Field("rectify_req", _l("Rectification required and by when"), "textarea"),
        Field("conclusion", _l("Conclusion"), "choice", choices=CONCLUSIONS, required=True),
        Field("first_pass", _l("Passed first time"), "bool", readonly=True),
    ],
    lines=[Field("item", _l("Checked"), required=True, max_length=120),
           Field("standard", _l("Standard"), max_length=120),
           Field("result", _l("Result"), "choice", choices=CHECK_RESULTS, required=True, default="conform"),
           Field("note", _l("Note"), max_length=200)],
    effects={"acknowledge": close_if_qualified, "close": subitem_accepted},
    before_save=save_ft21,
)


# ---- F-T22 全部工程完工预验收记录 ----------------------------------------------------------------
PRE_CONCLUSIONS = [("qualified", _l("Qualified: apply for the final acceptance")),
                   ("rectify", _l("Re-inspect after rectification")), ("failed", _l("Not qualified"))]


def save_ft22(doc, project):
    model = built("ft21").model
    rows = db.session.execute(select(model.number, model.conclusion).where(
        model.project_id == project.id, model.state != "draft").order_by(model.id)).all()
    labels = dict(CONCLUSIONS)
    doc.subitem_summary = "\n".join(f"{number} {labels.get(conclusion, conclusion)}" for number, conclusion in rows)


def outcome_consistent(doc, user) -> list[Issue]:
    still_open = [line for line in doc.lines if not line.closed]
    if doc.conclusion == "qualified" and still_open:
        return [Issue(_("Items are still open: the conclusion cannot be qualified."), field="conclusion")]
    if doc.conclusion != "qualified" and not still_open:
        return [Issue(_("List the open items to rectify, with who and by when."), field="lines")]
    return []


def pre_acceptance_done(doc, user, comment):
    """Qualified: the project goes to the final acceptance; else to rectification."""
    if doc.conclusion == "qualified":
        advance(doc.eng_project, "pre_accepted", user, because(doc))
    else:
        advance(doc.eng_project, "rectify", user, because(doc))


FT22 = SupervisionForm(
    code="ft22", title="全部工程完工预验收记录", label=_l("Completion pre-acceptance record"),
    label_plural=_l("Completion pre-acceptance records"), lifecycle="record", group="acceptance",
    issuer="supervisor", blocks=("owner", "supervisor", "contractor"), project_states=("pre_acceptance",),
    fields=[
        Field("pre_acceptance_date", _l("Pre-acceptance date"), "date", required=True),
        Field("participants", _l("Organisations and people present"), "textarea", required=True),
        Field("subitem_summary", _l("Sub-item acceptances"), "textarea", readonly=True),
        Field("test_summary", _l("System tests"), "textarea", required=True),
        Field("trial_run", _l("Trial operation"), "textarea", required=True),
        Field("documents_check", _l("Completion documents checked"), "textarea", required=True),
        Field("conclusion", _l("Pre-acceptance conclusion"), "choice", choices=PRE_CONCLUSIONS, required=True),
        Field("proposed_final_date", _l("Final acceptance proposed for"), "date"),
        SELFCHECK,
    ],
    lines=[Field("item", _l("Open item"), required=True, max_length=200),
           Field("responsible", _l("Who rectifies it"), max_length=60), Field("due", _l("Due"), "date"),
           Field("closed", _l("Closed"), "bool")],
    conditions={"confirm": [outcome_consistent, project_in("pre_acceptance"), selfcheck_passed_first]},
    effects={"confirm": pre_acceptance_done},
    before_save=save_ft22,
)

register(FT01, FT02, FT03, FT04, FT07, FT08, FT13, FT14, FT15, FT16, FT17, FT18, FT19, FT20, FT21, FT22)


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> list:
    """A few forms on the demo projects of the project engineer, once: the commencement application
    being prepared on a project in preparation; a reviewed application and the commencement order
    issued on a project whose start is applied for; on a project under way, equipment inspected and
    accepted, materials submitted for inspection, a quality issue notice to the team, a weekly
    report and the minutes of a site meeting with resolutions to follow up; the owner's suspension
    notice of a suspended project. Besides, so that every form is filled at least once: on the
    project in preparation its construction organisation design and schedule reviewed; under way a
    quality incident handled and closed, last month's report read and rated, a sub-item accepted
    after a passed self-check; the resumption notice of the suspended project being prepared; the
    next pre-acceptance record of the project in rectification being prepared.
    `users`: {username: User} holding at least "pe" and "eng_mgr". Call it after the schedule's
    and the self-checks' demos (the minutes, reports and acceptances count on them)."""
    from datetime import datetime, time
    from flask import g

    from core import calendar, calendar_today
    from core.documents import service
    from .projects import EngProject, my_projects
    pe, manager = users.get("pe"), users.get("eng_mgr")
    if pe is None or manager is None:
        return []
    today = calendar_today.today()
    zone = calendar.timezone()
    made = []

    def at(day, hour=9):  # stored in UTC, as the forms store what is typed
        return as_utc(datetime.combine(day, time(hour, 0), tzinfo=zone))

    def make(form, project, lines=(), **values):
        doctype = built(form.code).doctype
        doc = service.new_document(doctype, pe)
        doc.project_id, doc.relation = project.id, values.pop("relation", "outward")
        for name, value in values.items():
            setattr(doc, name, value)
        if lines:
            doc.lines.extend(built(form.code).line_model(**line) for line in lines)
        doctype.before_save(doc)
        service.assign_number(doctype, doc)
        db.session.add(doc)
        db.session.commit()
        made.append(doc)
        return doc

    def paper(doc, block, name, org, day, opinion=""):
        for part, value in (("name", name), ("org", org), ("date", day), ("opinion", opinion)):
            setattr(doc, f"{block}_xsig_{part}", value)

    def step(doc, name, user, comment="", **values):  # a step taken in the form, checked and audited
        for attribute, value in values.items():
            setattr(doc, attribute, value)
        g.audit_user = user
        engine.perform(built(doc.__form__.code).doctype, doc, name, user, comment)
        g.audit_user = pe

    def accepted_subitem(project, supervisor):
        """The fibre sub-item done: applied for with a passed self-check, accepted by the supervisor."""
        from .schedule import subitems
        from .selfchecks import SelfCheck, selfcheck_passed
        task = next((t for t in subitems(project.id) if t.actual_end and not t.accepted_on), None)
        checks = db.session.scalars(select(SelfCheck.id).where(SelfCheck.project_id == project.id)
                                    .order_by(SelfCheck.check_date.desc())).all()
        check = next((c for c in checks if selfcheck_passed(c, project.id, on=today)), None)
        if task is None or check is None:
            return
        application = make(FT20, project, task_id=task.id, location="机房至各楼层弱电间", completed_on=task.actual_end,
                           is_hidden_work=False, selfcheck_id=check, test_records="光纤链路 OTDR 测试记录",
                           requested_date=today - timedelta(days=1),
                           lines=[{"item": "单模主干光缆熔接", "unit": "芯", "qty": task.quantity or Decimal(6)}])
        step(application, "submit", pe, "请验收")
        paper(application, "supervisor", "李建国", supervisor, today - timedelta(days=1), "同意验收")
        step(application, "review", pe)
        opinion = make(FT21, project, application_id=application.id, inspected_on=today - timedelta(days=1),
                       inspectors=f"{supervisor} 李建国；项目部 {pe.display_name}", conclusion="qualified",
                       lines=[{"item": "光纤链路衰减", "standard": "GB 50312-2016", "result": "conform"},
                              {"item": "熔接点标识", "standard": "设计图纸", "result": "conform"}])
        paper(opinion, "supervisor", "李建国", supervisor, today - timedelta(days=1), "合格")
        step(opinion, "issue", pe)
        step(opinion, "acknowledge", pe, "已签收")

    g.audit_user = pe
    projects = db.session.scalars(select(EngProject).where(EngProject.id.in_(my_projects(pe)))
                                  .order_by(EngProject.id)).all()
    for project in projects:
        if any(db.session.scalar(select(b.model.id).where(b.model.project_id == project.id).limit(1))
               for b in (built("ft01"), built("ft07"), built("ft15"), built("ft22"))):
            continue  # written already
        supervisor = project.supervisor_firm or project.customer_name
        if project.state == "planning":
            make(FT01, project, planned_start=project.planned_start or today + timedelta(days=7),
                 planned_completion=project.planned_completion, contract_days=90,
                 attachments_list=["org_design", "schedule", "staff"],
                 lines=[{"item": value, "status": "done" if n < 5 else "partial", "waived": False,
                         "note": "" if n < 5 else "待落实"} for n, (value, _label) in enumerate(READINESS)])
            design = make(FT03, project, design_title=f"{project.title}施工组织设计", author=pe.display_name,
                          contents_check=[value for value, _label in DESIGN_SECTIONS],
                          design_notes="按医院不停诊要求分区分时段施工，门诊楼夜间作业")
            step(design, "tech_approve", manager, "技术措施可行，同意报审")
            step(design, "submit", pe, "请审核施工组织设计")
            paper(design, "supervisor", "李建国", supervisor, today - timedelta(days=2), "同意按此组织施工")
            step(design, "review", pe)
            from .schedule import current_schedule
            schedule = current_schedule(project.id)
            if schedule is not None:
                plan = make(FT02, project, schedule_id=schedule.id, plan_type="overall",
                            period_from=schedule.period_start, period_to=schedule.period_end,
                            resources="施工人员 10 人（高峰 14 人），熔接机 1 台，升降平台 2 台")
                step(plan, "submit", pe, "总进度计划报审")
                paper(plan, "supervisor", "李建国", supervisor, today - timedelta(days=1), "同意")
                step(plan, "review", pe)
        elif project.state == "in_construction":
            day = today - timedelta(days=10)
            equipment = make(FT15, project, arrival_date=day, documents=["packing_list", "certificate", "warranty_card"],
                             self_check="qualified", self_check_note="外观完好，加电自检正常", lines=[
                                 {"name": "核心交换机", "brand": "华为", "model": "S5735-S48T4X", "serials": "2102353188\n2102353189",
                                  "qty": 2, "unit": "台", "unpacking_check": "intact", "accessories_docs": "complete",
                                  "power_on_test": "normal", "receipt_ref": "", "result": "accepted"},
                                 {"name": "网络机柜", "brand": "图腾", "model": "G36042", "serials": "", "qty": 3, "unit": "台",
                                  "unpacking_check": "intact", "accessories_docs": "complete",
                                  "power_on_test": "not_tested", "receipt_ref": "", "result": "accepted"}])
            engine.perform(built("ft15").doctype, equipment, "submit", pe, "设备已到场，请查验")
            paper(equipment, "supervisor", "李建国", supervisor, day, "同意安装")
            engine.perform(built("ft15").doctype, equipment, "review", pe)
            material = make(FT13, project, arrival_date=today - timedelta(days=2), documents=["certificate", "test_report"],
                            self_check="qualified", lines=[
                                {"name": "六类非屏蔽双绞线", "spec_model": "CAT6 UTP 305m/箱", "brand": "康普", "unit": "箱",
                                 "qty": Decimal(40), "intended_use": "水平布线", "supply_by": "ours", "result": "pending"},
                                {"name": "镀锌桥架", "spec_model": "200×100", "brand": "", "unit": "米",
                                 "qty": Decimal(300), "intended_use": "二至四层走廊", "supply_by": "team", "result": "pending"}])
            engine.perform(built("ft13").doctype, material, "submit", pe, "")
            notice = make(FT16, project, relation="inward", team_name="宏达布线施工队", found_at=at(today - timedelta(days=3), 15),
                          location="三层弱电间", description="线缆未绑扎成束，配线架无标签", violated_standard="GB 50312-2016 第5.2条",
                          severity="ordinary", rectify_requirement="按规范绑扎并按标识方案贴标签",
                          rectify_due=today + timedelta(days=2))
            engine.perform(built("ft16").doctype, notice, "issue", pe, "请按期整改")
            make(FT18, project, week_from=today - timedelta(days=today.weekday() + 7),
                 week_to=today - timedelta(days=today.weekday() + 1), work_done="二、三层水平线缆敷设，机房桥架安装",
                 manpower="施工人员 8 人，熔接机 1 台", progress="完成计划的 95%，基本正常",
                 quality_safety="抽检 20 个信息点，合格 19 个；发现三层弱电间线缆未绑扎",
                 issues="材料到货偏晚 2 天，已协调供应商", next_week="四层布线，主干光缆敷设")
            minutes = make(FT19, project, meeting_type="site", title="第2次工地例会", held_at=at(today - timedelta(days=5), 14),
                           place="项目部会议室", chair="李建国", recorder_id=pe.id,
                           participants=f"建设单位：{project.customer_name}；监理单位：{supervisor}；承包单位：项目部",
                           agenda="进度、质量与协调事项", discussion="布线进度滞后 2 天；机房装修需先于机柜安装完成",
                           lines=[{"item": "增加施工人员 2 名，周末加班追赶进度", "owner_id": pe.id,
                                   "due": today + timedelta(days=3), "status": "open"},
                                  {"item": "协调装修单位完成机房地板", "owner_id": manager.id,
                                   "due": today - timedelta(days=1), "status": "open"}])
            engine.perform(built("ft19").doctype, minutes, "confirm", pe, "")
            incident = make(FT14, project, occurred_at=at(today - timedelta(days=12), 15), location="三层机房",
                            description="机柜搬运时砸坏防静电地板 6 块", severity="ordinary",
                            cause="搬运前未铺设保护板，搬运人员未按交底作业", responsible="team",
                            responsible_name="宏达布线施工队", loss=Decimal("3200"),
                            handling_plan="更换损坏的防静电地板 6 块，费用由施工队承担",
                            preventive="重物搬运前铺设保护板，专人指挥", rectify_due=today - timedelta(days=8))
            step(incident, "submit", pe, "事故处理方案报审")
            paper(incident, "supervisor", "李建国", supervisor, today - timedelta(days=11), "同意处理方案")
            step(incident, "review", pe)
            paper(incident, "owner", "王科长", project.customer_name, today - timedelta(days=11), "同意")
            step(incident, "owner_approve", pe)
            step(incident, "close", pe, "", result_verification="地板已更换，经监理复查合格")
            month_end = today.replace(day=1) - timedelta(days=1)
            report = make(FT17, project, month=month_end.strftime("%Y-%m"),
                          progress="完成机房装修配合、桥架安装及水平线缆敷设约 60%",
                          quality="自检 3 次，一次合格率 95%；质量事故 1 起已处理", safety="无安全事故，文明施工良好",
                          problems="材料到货偏晚，建议提前下单", next_month="完成水平布线、主干光缆熔接及机柜安装")
            paper(report, "supervisor", "李建国", supervisor, month_end, "")
            step(report, "submit", pe)
            step(report, "read", manager, "内容完整，问题分析到位", rating=4)
            accepted_subitem(project, supervisor)
        elif project.state == "start_applied":
            application = make(FT01, project, planned_start=project.planned_start, contract_days=120,
                               planned_completion=project.planned_completion, attachments_list=["org_design", "schedule"],
                               lines=[{"item": value, "status": "done", "waived": False} for value, _label in READINESS])
            engine.carry(application, "submit", pe, "开工条件已具备")
            paper(application, "supervisor", "李建国", supervisor, today - timedelta(days=1), "同意开工")
            engine.carry(application, "review", pe, "")
            order = make(FT04, project, application_id=application.id, start_date=project.planned_start,
                         contract_days=120, requirements="按批准的施工组织设计和进度计划组织施工")
            paper(order, "supervisor", "李建国", supervisor, today, "准予开工")
            engine.carry(order, "issue", pe, "")
            db.session.commit()
        elif project.state == "suspended":
            notice = make(FT07, project, reason="owner", reason_text="建设单位办公楼装修，会议室暂不具备施工条件",
                          scope="三楼会议室视频会议系统安装", suspend_from=at(today - timedelta(days=6)),
                          requirements="已安装设备做好成品保护，线缆端头封堵", attributable_to="owner")
            paper(notice, "supervisor", project.customer_name, project.customer_name, today - timedelta(days=6),
                  "装修期间暂停施工")
            engine.carry(notice, "issue", pe, "")
            engine.carry(notice, "acknowledge", pe, "已签收，做好成品保护")
            db.session.commit()
            # Resumed only once the owner's works are done: the notice waits as a draft.
            make(FT08, project, suspension_id=notice.id, verification="建设单位会议室装修预计下周完工，届时复核施工条件",
                 resume_at=at(today + timedelta(days=7)), scope="三楼会议室视频会议系统安装")
        elif project.state == "rectification":
            # The items of the pre-acceptance rectified: the next pre-acceptance being prepared.
            make(FT22, project, pre_acceptance_date=today + timedelta(days=3),
                 participants=f"建设单位：{project.customer_name}；监理单位：{supervisor}；承包单位：项目部",
                 test_summary="园区网链路及设备测试全部合格，测试报告已整理",
                 trial_run="核心交换机主备切换正常，试运行 15 天无故障",
                 documents_check="竣工图、设备清单、测试报告齐全", conclusion="qualified",
                 proposed_final_date=today + timedelta(days=10),
                 lines=[{"item": "B 栋弱电间机柜未接地", "responsible": "项目部", "due": today - timedelta(days=2),
                         "closed": True},
                        {"item": "A 栋 3 层信息点标签缺失", "responsible": "宏达布线施工队",
                         "due": today - timedelta(days=1), "closed": True}])
    g.audit_user = None
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_rules():
    return [
        Rule("R-E-032", "材料设备先验后用", "No material or equipment is used or installed before its arrival "
             "inspection (F-T13/F-T15) records a result for every line.", "block"),
    ]
