"""The supervision forms the project engineer works with day to day (F-T01..F-T04, F-T07, F-T08,
F-T13..F-T22), declared on the family's machinery (modules.engineering.forms), with what they do
to the project:

- F-T01 开工申请 submitted applies for the start (the start gate R-E-031 checked, refusals named);
  every readiness line is done (已完成) unless waived. A project from ``eng.org_design_threshold``
  needs a reviewed F-T03 施工组织设计 (a start gate) unless the 工程部经理 waived it.
- F-T04 开工令 acknowledged starts the works (actual start = the order's start date) and closes.
- F-T07 暂停工通知 issued suspends the project; F-T08 复工通知 issued closes the F-T07, resumes the
  project and adds the days suspended to it.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import settings
from core.documents.derived import as_utc, local
from core.documents.fields import Field
from core.documents.service import ValidationFailed
from core.extensions import db
from core.workflow import Issue, engine

from .forms import SupervisionForm, built, register
from .projects import EARLY, advance, gate, gate_issues

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
             ("schedule", _l("Schedule approved")), ("staff", _l("Project managers in place")),
             ("team", _l("Construction team on site")), ("materials", _l("Main materials and equipment secured")),
             ("site", _l("Site water, power and access ready")), ("safety", _l("Safety measures in place")),
             ("self_check", _l("Pre-start self-check done"))]
READINESS_STATUS = [("done", _l("Done")), ("partial", _l("Partly done")), ("not_done", _l("Not done"))]
START_ATTACHMENTS = [("org_design", _l("Construction organisation design")), ("schedule", _l("Schedule")),
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
                   ("schedule", _l("Schedule")), ("labour", _l("Labour and machinery")),
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
ATTRIBUTABLE = [("owner", _l("Owner")), ("contractor", _l("Contractor")), ("team", _l("Construction team")),
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

register(FT01, FT03, FT07, FT08)
