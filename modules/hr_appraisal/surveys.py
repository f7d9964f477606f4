"""The internal service survey (服务质量评价) measuring KPI-SERVICE-QUALITY (SPEC 3.6).

Starting a cycle makes, for every sheet weighting KPI-SERVICE-QUALITY, a line on the survey of
each manager of the departments that person serves (``hr.service_raters``: rated role = rater
roles), never on his own: one survey per rater per cycle. The rater rates each person 1-5 (a 1, 2
or 5 needs a comment, as on the sheet) and submits; the 行政部 may return it. Only the rater and
the 行政部 see a survey. The submitted ratings of the cycle's period answer the module's own
``hr_appraisal_metrics`` (rating_sum / rating_count), so consolidation scores the line.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar, settings
from core.auth.permissions import RoleTemplate
from core.documents import Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow

from . import cycles as C
from . import kpis as K

SURVEY_CODE = "hr_appraisal.survey"
SERVICE = "KPI-SERVICE-QUALITY"
RATINGS = [(1, _l("1 Poor")), (2, _l("2 Fair")), (3, _l("3 Satisfactory")), (4, _l("4 Good")),
           (5, _l("5 Excellent"))]
# Department managers: the roles that may rate (a rater role of hr.service_raters needs one).
RATER_ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR", "ROLE-ENG-MGR", "ROLE-PUR-MGR")
DEFAULT_RATERS = ["市场部助理 = 市场部经理 + 售前经理", "采购部经理 = 工程部经理 + 市场部经理",
                  "采购员 = 工程部经理 + 市场部经理"]
SCORING_DAYS = 3    # the superiors' scores are due the 3rd working day after the period (cycles.py)

SURVEY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("cycle", _l("Appraisal cycle"), "reference", target=C.CYCLE_CODE, readonly=True),
    Field("rater", _l("Rater"), "user", readonly=True),
    Field("period_start", _l("Period from"), "date", readonly=True),
    Field("period_end", _l("Period to"), "date", readonly=True),
    Field("due", _l("Rate by"), "date", readonly=True),
]
# The module writes person and item; the rater gives rating and comment.
LINE_FIELDS = [
    Field("person", _l("Employee"), "user", readonly=True),
    Field("item", _l("Person rated"), max_length=200, readonly=True),
    Field("rating", _l("Rating"), "choice", choices=RATINGS),
    Field("comment", _l("Comment"), max_length=400),
]


class ServiceSurveyLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "hr_appraisal_survey_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("hr_appraisal_survey.id", ondelete="CASCADE"), index=True)


class ServiceSurvey(Document, declared_columns([f for f in SURVEY_FIELDS if f.name not in ("title", "cycle")]),
                    db.Model):
    """服务质量评价: one rater's ratings of the people serving his department, for one cycle."""
    __tablename__ = "hr_appraisal_survey"
    cycle_id: Mapped[int] = mapped_column(ForeignKey("hr_appraisal_cycle.id"), index=True)
    lines = relationship(ServiceSurveyLine, cascade="all, delete-orphan", order_by=ServiceSurveyLine.id,
                         lazy="selectin")


# ---- who rates whom --------------------------------------------------------------------------------
def service_raters() -> dict[str, list[str]]:
    """rated role code -> rater role codes, read from ``hr.service_raters`` (items "role = role + role",
    a role by its code or its name); what is not understood is left out."""
    codes = {code: code for code, _name in K.ROLES}
    codes.update({name: code for code, name in K.ROLES})
    codes.update({name.split("/")[0]: code for code, name in K.ROLES})
    out: dict[str, list[str]] = {}
    for line in settings.get("hr.service_raters") or ():
        rated, _sep, raters = str(line).partition("=")
        role = codes.get(rated.strip())
        found = [codes[r.strip()] for r in re.split(r"[+＋\s]+", raters) if r.strip() in codes]
        if role and found:
            out[role] = list(dict.fromkeys(out.get(role, []) + found))
    return out


def make_surveys(cycle, user) -> list[ServiceSurvey]:
    """A survey per rater for the cycle's sheets weighting KPI-SERVICE-QUALITY, a line per person
    he rates (never himself): a fixed number of statements whatever the number of people."""
    from core.auth.models import Role, User, user_roles
    from core.documents import service
    mapping = service_raters()
    if not mapping:
        return []
    db.session.flush()      # the sheets starting the cycle just made
    sheet, line = C.AppraisalSheet, C.AppraisalSheetLine
    rated = db.session.execute(
        select(sheet.employee_id, sheet.role_code, User.full_name, User.username)
        .join(line, line.sheet_id == sheet.id).join(User, User.id == sheet.employee_id)
        .where(sheet.cycle_id == cycle.id, line.kind == "kpi", line.code == SERVICE,
               sheet.role_code.in_(list(mapping)))
        .order_by(sheet.id)).all()
    if not rated:
        return []
    wanted = {r for row in rated for r in mapping[row.role_code]}
    raters: dict[int, tuple] = {}
    for uid, name, username, dept, role in db.session.execute(
            select(User.id, User.full_name, User.username, User.department_id, Role.code).select_from(User)
            .join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
            .where(User.active.is_(True), Role.code.in_(wanted)).order_by(User.id)):
        raters.setdefault(uid, (name or username, dept, set()))[2].add(role)
    names = dict(K.ROLES)
    due = calendar.add_working_days(cycle.period_end, SCORING_DAYS)
    surveys = []
    for uid, (name, dept, roles) in raters.items():
        lines = [ServiceSurveyLine(person_id=row.employee_id,
                                   item=f"{row.full_name or row.username}（{names.get(row.role_code, row.role_code)}）")
                 for row in rated if row.employee_id != uid and roles & set(mapping[row.role_code])]
        if not lines:
            continue
        survey = service.new_document(SURVEY, user)
        survey.owner_id, survey.department_id, survey.rater_id = uid, dept, uid
        survey.cycle_id, survey.period_start, survey.period_end, survey.due = (
            cycle.id, cycle.period_start, cycle.period_end, due)
        survey.title = f"{cycle.title.split(' ')[0]} 服务质量评价 {name or ''}".strip()[:200]
        survey.lines = lines
        surveys.append(survey)
    service.assign_numbers(SURVEY, surveys)
    db.session.add_all(surveys)
    return surveys


# ---- saving and submitting -------------------------------------------------------------------------
def save_survey(survey):
    """Surveys are made by the cycle; their people stay; only the rater changes his ratings."""
    from core.auth import acting_user
    if survey.id is None or survey.cycle_id is None:
        raise ValidationFailed({}, [_("Service surveys are made by starting an appraisal cycle.")])
    user = acting_user()
    if user is None:
        return
    t = ServiceSurveyLine.__table__
    stored = [dict(row._mapping) for row in db.session.execute(
        select(t).where(t.c.survey_id == survey.id).order_by(t.c.id))]
    problems = []
    if len(survey.lines) != len(stored):
        problems.append(_("The people of a survey cannot be added or removed."))
    for line, row in zip(survey.lines, stored):
        line.person_id, line.item = row["person_id"], row["item"]
        if (line.rating != row["rating"] or (line.comment or "") != (row["comment"] or "")) \
                and user.id != survey.rater_id:
            problems.append(_("Only the rater gives the ratings of his survey."))
    if problems:
        raise ValidationFailed({"lines": list(dict.fromkeys(problems))})


def rated(survey, user) -> list[Issue]:
    issues = []
    if user.id != survey.rater_id:
        issues.append(Issue(_("Only the rater submits his survey."), code="R-H-030"))
    if any(line.person_id == survey.rater_id for line in survey.lines):
        issues.append(Issue(_("Nobody rates himself."), code="R-H-030"))
    if missing := [line.item for line in survey.lines if line.rating is None]:
        issues.append(Issue(_("Give your rating of %(items)s.", items="、".join(missing)), field="lines"))
    if uncommented := C.comment_problems(survey, "rating"):
        issues.append(Issue(_("A score of 1, 2 or 5 needs a comment: %(items)s.", items="、".join(uncommented)),
                            field="lines"))
    return issues


SURVEY_WORKFLOW = Workflow(
    states={"draft": _l("To rate"), "submitted": _l("Submitted")},
    initial="draft",
    editable_states=("draft",),
    transitions=[
        Transition("submit_ratings", _l("Submit my ratings"), ["draft"], "submitted", conditions=[rated],
                   assignees="rater_id", style="success", signs=_l("Rater")),
        Transition("return_survey", _l("Return to the rater"), ["submitted"], "draft", permission=C.MANAGE,
                   comment_required=True, comment_label=_l("What to look at again"), style="outline-danger",
                   waits=False),
    ],
)

SURVEY = DocType(
    code=SURVEY_CODE, model=ServiceSurvey, label=_l("Service survey"), label_plural=_l("Service surveys"),
    fields=SURVEY_FIELDS, workflow=SURVEY_WORKFLOW, number_prefix="FW", number_reset="monthly",
    lines=Lines("lines", ServiceSurveyLine, fields=LINE_FIELDS, blank_rows=0, label=_l("People rated")),
    visibility=lambda user: ServiceSurvey.rater_id == user.id, before_save=save_survey, menu_order=25,
    deadline=Deadline("due", states=("draft",)),
)
C.CYCLE.relate(Related(_l("Service surveys"), SURVEY_CODE, "cycle_id", limit=200))


# ---- measuring -------------------------------------------------------------------------------------
@hookimpl
def hr_appraisal_metrics(kpis, user_ids, start, end):
    """KPI-SERVICE-QUALITY: the submitted ratings of the period's surveys, one statement."""
    if SERVICE not in kpis:
        return []
    line = ServiceSurveyLine
    rows = db.session.execute(
        select(line.person_id, func.count(line.id), func.sum(line.rating))
        .join(ServiceSurvey, ServiceSurvey.id == line.survey_id)
        .where(ServiceSurvey.state == "submitted", ServiceSurvey.period_start >= start,
               ServiceSurvey.period_end <= end, line.person_id.in_(list(user_ids)), line.rating.is_not(None))
        .group_by(line.person_id)).all()
    out = []
    for person_id, count, total in rows:
        average = Decimal(int(total)) / count
        out.append({"kpi": SERVICE, "user_id": person_id, "rating_sum": Decimal(int(total)), "rating_count": count,
                    "detail": f"服务评价 {count} 份，平均 {average:.1f}"})
    return out


@hookimpl(trylast=True)
def erp_transition_done(document, transition, user, comment):
    # trylast: after cycles.py made the sheets
    if isinstance(document, C.AppraisalCycle) and transition.name == "start":
        make_surveys(document, user)


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [ServiceSurvey, ServiceSurveyLine]


@hookimpl
def erp_document_types():
    return [SURVEY]


@hookimpl
def erp_roles():
    rate = [f"{SURVEY_CODE}.{a}" for a in ("read", "edit", "submit_ratings")]
    admin = [f"{SURVEY_CODE}.{a}" for a in ("read", "read_all", "export")]
    return [RoleTemplate(role, permissions=rate) for role in RATER_ROLES] + [
        RoleTemplate("ROLE-ADM", permissions=admin)]


@hookimpl
def erp_settings():
    return [Setting("hr.service_raters", "list", DEFAULT_RATERS, _l("Who rates the service of a role"),
                    _l("One line per rated role: the role = the roles of the department managers rating it, joined "
                       "by + (names or codes). Raters need a manager's role. Nobody rates himself."))]
