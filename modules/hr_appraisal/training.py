"""New-employee training (新员工培训, WF-H02): curricula (培训大纲), training plans and records
(培训计划与记录, X-H03), probation assessments (试用期考核表, X-H04) and the training gates other
modules ask (I-15).

A department's curriculum is editable data; until its manager writes one, the department's module
contributes its template through ``hr_appraisal_training_curricula()`` (sales: R-S-070, engineering:
R-E-100). An item may be a gate (安全培训先行, R-E-101): its code names the rule that asks for it.

行政部 or the department manager creates a new employee's plan from the curriculum (the items are
copied as lines with their planned dates from the start date), names the mentor (R-S-071) and
starts the training. The trainer named on an item, the mentor or the department's manager signs it
off (an item with an exam needs a score at or above ``hr.exam_pass_score``: below it the score is
recorded and the item stays open for a retake). When the last item is signed off the plan is
completed. The department manager's probation assessment, approved by 行政部, marks the plan
assessed with its conclusion (合格转正 / 延长试用 / 不合格).

Engineering asks ``engineering_training_gate(user_id, gate)`` before a project engineer is
assigned: an employee with a plan whose gate items are not all signed off does not pass; someone
without a plan (not a new employee) is no concern of ours (None).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, exists, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import (
    ApprovalStep,
    ByRole,
    Issue,
    Transition,
    Workflow,
    engine,
    lifecycles,
)

CURRICULUM_CODE = "hr_appraisal.curriculum"
PLAN_CODE = "hr_appraisal.training_plan"
PROBATION_CODE = "hr_appraisal.probation"

DEPARTMENTS = [("MKT", _l("Market department")), ("ENG", _l("Engineering department")),
               ("PUR", _l("Procurement department")), ("ADM", _l("Administration department")),
               ("FIN", _l("Finance"))]
# Who heads each department's training (creates plans, assesses probation, signs off any item).
MANAGER_ROLES = {"MKT": "ROLE-MKT-MGR", "ENG": "ROLE-ENG-MGR", "PUR": "ROLE-PUR-MGR", "ADM": "ROLE-ADM",
                 "FIN": "ROLE-FIN"}
CREATORS = ("ROLE-ADM", "ROLE-MKT-MGR", "ROLE-ENG-MGR", "ROLE-PUR-MGR")
CONCLUSIONS = [("pass", _l("Confirmed in the post")), ("extend", _l("Probation extended")), ("fail", _l("Not passed"))]


# ---- curricula (培训大纲) --------------------------------------------------------------------------
CURRICULUM_FIELDS = [
    Field("title", _l("Curriculum"), required=True),
    Field("department_code", _l("Department"), "choice", choices=DEPARTMENTS, required=True),
    Field("notes", _l("Notes"), "textarea"),
]
CURRICULUM_ITEM_FIELDS = [
    Field("topic", _l("Topic"), required=True, max_length=200),
    Field("week_from", _l("From week"), "integer", required=True, minimum=1, maximum=52, default=1),
    Field("week_to", _l("To week"), "integer", required=True, minimum=1, maximum=52, default=1),
    Field("trainer_role", _l("Trainer"), max_length=60),
    Field("gate", _l("Gate (rule code)"), max_length=20,
          help=_l("A gate item must be signed off before what the rule guards (R-E-101: site work).")),
    Field("exam", _l("Exam"), "bool"),
]


class Curriculum(Document, declared_columns([f for f in CURRICULUM_FIELDS if f.name != "title"]), db.Model):
    """培训大纲 of a department."""
    __tablename__ = "hr_curriculum"
    items = relationship(lambda: CurriculumItem, cascade="all, delete-orphan", order_by=lambda: CurriculumItem.id,
                         lazy="selectin")


class CurriculumItem(declared_columns(CURRICULUM_ITEM_FIELDS), db.Model):
    __tablename__ = "hr_curriculum_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("hr_curriculum.id", ondelete="CASCADE"), index=True)


def contributed() -> dict[str, dict]:
    """department code -> the template its module contributes (hr_appraisal_training_curricula)."""
    templates = {}
    for answer in current_app.extensions["erp"].pm.hook.hr_appraisal_training_curricula():
        for template in answer or ():
            templates.setdefault(template["department"], template)
    return templates


def _item_of(row: dict) -> CurriculumItem:
    return CurriculumItem(topic=row["topic"][:200], week_from=int(row.get("week_from") or 1),
                          week_to=int(row.get("week_to") or row.get("week_from") or 1),
                          trainer_role=(row.get("trainer_role") or "")[:60], gate=row.get("gate") or None,
                          exam=bool(row.get("exam")))


def save_curriculum(curriculum):
    """One curriculum per department; a new one starts with the department's template."""
    taken = db.session.scalar(select(Curriculum.number).where(
        Curriculum.department_code == curriculum.department_code, Curriculum.id != curriculum.id).limit(1)) \
        if curriculum.department_code else None
    if taken:
        raise ValidationFailed({"department_code": [_("The department has a curriculum already (%(number)s): "
                                                      "edit that one.", number=taken)]})
    if not curriculum.items:
        template = contributed().get(curriculum.department_code) or {}
        curriculum.items.extend(_item_of(row) for row in template.get("items", ()))
    wrong = [f"{n} {i.topic}" for n, i in enumerate(curriculum.items, start=1)
             if i.week_from and i.week_to and i.week_to < i.week_from]
    if wrong:
        raise ValidationFailed({"items": [_("The last week comes after the first: %(items)s.", items="、".join(wrong))]})


CURRICULUM = DocType(
    code=CURRICULUM_CODE, model=Curriculum, label=_l("Training curriculum"), label_plural=_l("Training curricula"),
    fields=CURRICULUM_FIELDS, number_prefix="PXDG", number_reset="never",
    lines=Lines("items", CurriculumItem, fields=CURRICULUM_ITEM_FIELDS, blank_rows=0),
    menu_order=62, before_save=save_curriculum,
)


def curriculum_items(department_code: str) -> list[dict]:
    """The items a plan of the department starts with: its curriculum, else its module's template."""
    curriculum = db.session.scalar(select(Curriculum).where(Curriculum.department_code == department_code)
                                   .order_by(Curriculum.id.desc()).limit(1))
    if curriculum is not None and curriculum.items:
        return [{"topic": i.topic, "week_from": i.week_from, "week_to": i.week_to, "trainer_role": i.trainer_role,
                 "gate": i.gate, "exam": bool(i.exam)} for i in curriculum.items]
    return list((contributed().get(department_code) or {}).get("items", ()))


# ---- training plans (X-H03) ---------------------------------------------------------------------
PLAN_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("employee", _l("New employee"), "user", required=True, readonly_in=("in_training", "completed", "assessed")),
    Field("department_code", _l("Department"), "choice", choices=DEPARTMENTS,
          help=_l("The department whose curriculum the plan starts with (default: the employee's).")),
    Field("mentor", _l("Mentor"), "user", required=True, help=_l("R-S-071: a senior colleague for the probation.")),
    Field("start_date", _l("Training starts on"), "date", required=True),
    Field("probation_end", _l("Probation ends"), "date", readonly=True),
    Field("next_due", _l("Next item due"), "date", readonly=True),
    Field("probation_result", _l("Probation result"), "choice", choices=CONCLUSIONS, readonly=True),
]
PLAN_ITEM_FIELDS = [
    Field("topic", _l("Topic"), required=True, max_length=200),
    Field("trainer", _l("Trainer"), "user"),
    Field("planned_start", _l("Planned from"), "date"),
    Field("planned_end", _l("Planned until"), "date"),
    Field("gate", _l("Gate (rule code)"), max_length=20),
    Field("exam", _l("Exam"), "bool"),
    Field("score", _l("Exam score"), "integer", readonly=True),
    Field("signed_off_on", _l("Signed off on"), "date", readonly=True),
    Field("signed_off_by", _l("Signed off by"), "user", readonly=True),
]


class TrainingPlan(Document, declared_columns([f for f in PLAN_FIELDS if f.name != "title"]), db.Model):
    """培训计划与记录 (X-H03)."""
    __tablename__ = "hr_training_plan"
    # The input of the sign-off action (the item's number, its exam score).
    signoff_item: Mapped[int | None] = mapped_column(Integer)
    signoff_score: Mapped[int | None] = mapped_column(Integer)
    items = relationship(lambda: TrainingItem, cascade="all, delete-orphan", order_by=lambda: TrainingItem.id,
                         lazy="selectin")

    def item_no(self, number):
        return self.items[number - 1] if number and 0 < number <= len(self.items) else None


class TrainingItem(declared_columns(PLAN_ITEM_FIELDS), db.Model):
    __tablename__ = "hr_training_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("hr_training_plan.id", ondelete="CASCADE"), index=True)


def add_months(day: date, months: int) -> date:
    import calendar as _calendar
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def next_due(plan) -> date | None:
    return min((i.planned_end for i in plan.items if i.signed_off_on is None and i.planned_end), default=None)


def save_plan(plan):
    from core.auth.models import User
    employee = db.session.get(User, plan.employee_id) if plan.employee_id else None
    if employee is None:
        raise ValidationFailed({"employee_id": [_("Choose the new employee.")]})
    if plan.mentor_id and plan.mentor_id == plan.employee_id:
        raise ValidationFailed({"mentor_id": [_("The mentor is a senior colleague, not the employee.")]})
    if not plan.department_code and employee.department is not None:
        plan.department_code = employee.department.code
    if plan.department_id is None:
        plan.department_id = employee.department_id
    plan.title = _("Training plan of %(name)s", name=employee.display_name)[:200]
    if plan.start_date:
        plan.probation_end = add_months(plan.start_date, int(settings.get("hr.probation_months")))
        if not plan.items:
            for row in curriculum_items(plan.department_code or ""):
                first = plan.start_date + timedelta(weeks=int(row.get("week_from") or 1) - 1)
                last = plan.start_date + timedelta(weeks=int(row.get("week_to") or 1), days=-1)
                plan.items.append(TrainingItem(topic=row["topic"][:200], planned_start=first, planned_end=last,
                                               gate=row.get("gate") or None, exam=bool(row.get("exam"))))
    plan.next_due = next_due(plan)


def is_manager_of(plan, user) -> bool:
    role = MANAGER_ROLES.get(plan.department_code or "")
    return bool(role and user.has_role(role))


def may_sign_off(plan, item, user) -> bool:
    """The trainer named on the item, the mentor, or the department's manager (R-S-071)."""
    return user.id in (item.trainer_id, plan.mentor_id) or is_manager_of(plan, user)


def has_items(plan, user) -> list[Issue]:
    if not plan.items:
        return [Issue(_("The plan has no training item: the department has no curriculum."), field="items")]
    if not plan.mentor_id:
        return [Issue(_("Name the mentor (R-S-071)."), field="mentor_id", code="R-S-071")]
    return []


def signable(plan, user) -> list[Issue]:
    item = plan.item_no(plan.signoff_item)
    if item is None:
        return [Issue(_("No such item: give its number (1 to %(count)s).", count=len(plan.items)),
                      field="signoff_item")]
    if item.signed_off_on is not None:
        return [Issue(_("Item %(no)s is signed off already.", no=plan.signoff_item), field="signoff_item")]
    if not may_sign_off(plan, item, user):
        return [Issue(_("Only the trainer of item %(no)s, the mentor or the department manager signs it off.",
                        no=plan.signoff_item), field="signoff_item")]
    if item.exam and plan.signoff_score is None:
        return [Issue(_("Item %(no)s has an exam: give the score.", no=plan.signoff_item), field="signoff_score")]
    if plan.signoff_score is not None and not 0 <= plan.signoff_score <= 100:
        return [Issue(_("A score is from 0 to 100."), field="signoff_score")]
    return []


PLAN_WORKFLOW = Workflow(
    states={"draft": _l("Planned"), "in_training": _l("In training"), "completed": _l("Training completed"),
            "assessed": _l("Probation assessed")},
    initial="draft", editable_states=("draft",),  # the records (sign-offs) are kept: no editing of lines later
    transitions=[
        Transition("start", _l("Start the training"), ["draft"], "in_training", style="success",
                   conditions=[has_items]),
        Transition("sign_off", _l("Sign off an item"), ["in_training"], None, waits=False,
                   conditions=[signable], style="outline-success",
                   fields=[Field("signoff_item", _l("Item no."), "integer", required=True, minimum=1, maximum=999),
                           Field("signoff_score", _l("Exam score"), "integer", minimum=0, maximum=100)]),
        Transition("complete", _l("Training completed"), ["in_training"], "completed", automatic=True),
        Transition("assess", _l("Probation assessed"), ["in_training", "completed"], "assessed", automatic=True),
    ],
)


def plan_visibility(user):
    """The employee, the mentor and the trainers see the plan; the managers read all of them."""
    return or_(TrainingPlan.employee_id == user.id, TrainingPlan.mentor_id == user.id,
               exists().where(TrainingItem.plan_id == TrainingPlan.id, TrainingItem.trainer_id == user.id))


PLAN = DocType(
    code=PLAN_CODE, model=TrainingPlan, label=_l("Training plan"), label_plural=_l("Training plans"),
    fields=PLAN_FIELDS, workflow=PLAN_WORKFLOW, number_prefix="PX", print_title="培训计划与记录",
    lines=Lines("items", TrainingItem, fields=PLAN_ITEM_FIELDS, blank_rows=0),
    visibility=plan_visibility, before_save=save_plan, menu_order=60,
    deadline=Deadline("next_due", states=("in_training",)),
    columns=[Column("department_code", _l("Department"), kind="choice", choices=dict(DEPARTMENTS)),
             Column("start_date", _l("Training starts on"), kind="date"),
             Column("next_due", _l("Next item due"), kind="date"),
             Column("probation_end", _l("Probation ends"), kind="date"),
             Column("probation_result", _l("Probation result"), kind="choice", choices=dict(CONCLUSIONS))],
)


def sign_off(plan, user) -> None:
    """The sign-off action's effect: the score recorded; the item signed off unless its exam failed."""
    item = plan.item_no(plan.signoff_item)
    if item is None:
        return
    score = plan.signoff_score
    if score is not None:
        item.score = score
    if not (item.exam and (score is None or score < int(settings.get("hr.exam_pass_score")))):
        item.signed_off_on, item.signed_off_by_id = calendar_today.today(), user.id
    plan.signoff_item = plan.signoff_score = None
    plan.next_due = next_due(plan)
    if all(i.signed_off_on is not None for i in plan.items):
        engine.carry(plan, "complete", user, _("Every item signed off"))


# ---- probation assessments (X-H04) --------------------------------------------------------------
DEFAULT_CRITERIA = ("工作态度", "业务知识", "工作能力", "培训完成情况", "团队合作")

PROBATION_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("plan", _l("Training plan"), "reference", target=PLAN_CODE, required=True,
          where=lambda P, user: P.state.in_(("in_training", "completed"))),
    Field("employee", _l("Employee"), "user", readonly=True),
    Field("assessed_on", _l("Assessed on"), "date", required=True),
    Field("total_score", _l("Average score"), "integer", readonly=True),
    Field("conclusion", _l("Conclusion"), "choice", choices=CONCLUSIONS, required=True),
    Field("extend_months", _l("Extended by (months)"), "integer", minimum=1, maximum=3, listed=False),
    Field("comment", _l("Manager's assessment"), "textarea", required=True),
]
CRITERIA_FIELDS = [
    Field("item", _l("Criterion"), required=True, max_length=120),
    Field("score", _l("Score"), "integer", minimum=0, maximum=100),
]


class Probation(Document, declared_columns([f for f in PROBATION_FIELDS if f.name not in ("title", "plan")]),
                db.Model):
    """试用期考核表 (X-H04)."""
    __tablename__ = "hr_probation"
    plan_id: Mapped[int] = mapped_column(ForeignKey("hr_training_plan.id"), index=True)
    plan = relationship(TrainingPlan, lazy="joined")
    criteria = relationship(lambda: ProbationCriterion, cascade="all, delete-orphan",
                            order_by=lambda: ProbationCriterion.id, lazy="selectin")


class ProbationCriterion(declared_columns(CRITERIA_FIELDS), db.Model):
    __tablename__ = "hr_probation_criterion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    probation_id: Mapped[int] = mapped_column(ForeignKey("hr_probation.id", ondelete="CASCADE"), index=True)


def save_probation(probation):
    plan = db.session.get(TrainingPlan, probation.plan_id) if probation.plan_id else None
    if plan is None:
        raise ValidationFailed({"plan_id": [_("Choose the training plan.")]})
    probation.employee_id, probation.department_id = plan.employee_id, plan.department_id
    probation.title = _("Probation assessment: %(title)s", title=plan.title)[:200]
    if probation.conclusion == "extend" and not probation.extend_months:
        raise ValidationFailed({"extend_months": [_("Say by how many months the probation is extended.")]})
    if not probation.criteria:
        probation.criteria.extend(ProbationCriterion(item=item) for item in DEFAULT_CRITERIA)
    scores = [c.score for c in probation.criteria if c.score is not None]
    probation.total_score = round(sum(scores) / len(scores)) if scores else None


def assessable(probation, user) -> list[Issue]:
    issues = []
    if any(c.score is None for c in probation.criteria):
        issues.append(Issue(_("Score every criterion."), field="criteria"))
    plan = probation.plan
    if probation.conclusion == "pass" and plan is not None and plan.state != "completed":
        issues.append(Issue(_("The training is not completed: every item of the plan must be signed off before "
                              "the employee is confirmed."), field="conclusion"))
    if plan is not None and not is_manager_of(plan, user) and not user.has_role("ROLE-ADM"):
        issues.append(Issue(_("The department manager assesses the probation (R-S-072)."), code="R-S-072"))
    return issues


PROBATION_WORKFLOW = lifecycles.application(
    steps=[ApprovalStep("adm", _l("Administration department"), ByRole("ROLE-ADM"))])
PROBATION_WORKFLOW.transitions = [
    replace(t, conditions=(assessable,), signs=_l("Department manager")) if t.name == "submit" else t
    for t in PROBATION_WORKFLOW.transitions]

PROBATION = DocType(
    code=PROBATION_CODE, model=Probation, label=_l("Probation assessment"), label_plural=_l("Probation assessments"),
    fields=PROBATION_FIELDS, workflow=PROBATION_WORKFLOW, number_prefix="ZZ", print_title="试用期考核表",
    lines=Lines("criteria", ProbationCriterion, fields=CRITERIA_FIELDS, blank_rows=0),
    visibility=lambda user: Probation.employee_id == user.id, before_save=save_probation, menu_order=64,
    columns=[Column("assessed_on", _l("Assessed on"), kind="date"),
             Column("total_score", _l("Average score"), kind="number"),
             Column("conclusion", _l("Conclusion"), kind="choice", choices=dict(CONCLUSIONS))],
)

PLAN.relate(Related(_l("Probation assessments"), PROBATION_CODE, "plan_id"))


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, TrainingPlan) and transition.name == "sign_off":
        sign_off(document, user)
    elif isinstance(document, Probation) and transition.name == "approve" and document.state == "approved":
        plan = document.plan
        plan.probation_result = document.conclusion
        if document.conclusion == "extend" and plan.probation_end:
            plan.probation_end = add_months(plan.probation_end, int(document.extend_months or 0))
        elif plan.state in PLAN_WORKFLOW.transition("assess").source:
            engine.carry(plan, "assess", user, document.number or "")


# ---- the gates other modules ask (I-15) ---------------------------------------------------------
# Gates passed by passing the probation assessment (合格转正), not by a training item: R-E-102 (sole
# project engineer of a larger project), R-S-073 (owning larger opportunities).
PROBATION_GATES = ("R-E-102", "R-S-073")


def gate_passed(user_id: int, gate: str) -> bool | None:
    """Whether the employee passed the gate: None when no plan of his has an item of that gate
    (not a new employee, or a curriculum without it), else whether the newest such plan's gate
    items are all signed off (or the probation was passed). A probation gate (PROBATION_GATES)
    is passed with the probation; None when the employee has no training plan."""
    if gate in PROBATION_GATES:
        result = db.session.execute(select(TrainingPlan.probation_result).where(TrainingPlan.employee_id == user_id)
                                    .order_by(TrainingPlan.id.desc()).limit(1)).first()
        return None if result is None else result[0] == "pass"
    plan = db.session.scalar(
        select(TrainingPlan).where(TrainingPlan.employee_id == user_id,
                                   exists().where(TrainingItem.plan_id == TrainingPlan.id, TrainingItem.gate == gate))
        .order_by(TrainingPlan.id.desc()).limit(1))
    if plan is None:
        return None
    if plan.probation_result == "pass":
        return True
    return all(i.signed_off_on is not None for i in plan.items if i.gate == gate)


@hookimpl(optionalhook=True)
def engineering_training_gate(user_id, gate):
    return gate_passed(user_id, gate)


@hookimpl(optionalhook=True)
def sales_training_gate(user_id, gate):
    return gate_passed(user_id, gate)


@hookimpl
def erp_reminders(now):
    """Items past their planned end and not signed off: the trainer (else the mentor) is reminded;
    a probation not assessed: whoever made the plan, by its end (R-S-072)."""
    from core.reminders import Reminder, daily_before_end_of_work
    today = calendar_today.today()
    rows = db.session.execute(
        select(TrainingItem.id, TrainingItem.topic, TrainingItem.planned_end, TrainingItem.trainer_id,
               TrainingPlan.id.label("plan_id"), TrainingPlan.mentor_id, TrainingPlan.title)
        .join(TrainingPlan, TrainingPlan.id == TrainingItem.plan_id)
        .where(TrainingPlan.state == "in_training", TrainingItem.signed_off_on.is_(None),
               TrainingItem.planned_end < today)).all()
    reminders = [Reminder(f"{PLAN_CODE}.item:{row.id}:{row.planned_end.isoformat()}", row.trainer_id or row.mentor_id,
                          _("Training item overdue: %(topic)s (%(title)s)", topic=row.topic, title=row.title),
                          daily_before_end_of_work(row.planned_end), url=f"/hr_appraisal/training_plan/{row.plan_id}")
                 for row in rows if row.trainer_id or row.mentor_id]
    # R-S-072: the probation is assessed before it ends (whoever made the plan is reminded).
    assessed = exists().where(Probation.plan_id == TrainingPlan.id, Probation.state.in_(("submitted", "approved",
                                                                                          "archived")))
    plans = db.session.execute(
        select(TrainingPlan.id, TrainingPlan.owner_id, TrainingPlan.title, TrainingPlan.probation_end)
        .where(TrainingPlan.state.in_(("in_training", "completed")), TrainingPlan.probation_end.is_not(None),
               ~assessed)).all()
    reminders += [Reminder(f"{PLAN_CODE}.probation:{row.id}:{row.probation_end.isoformat()}", row.owner_id,
                           _("Assess the probation by %(day)s: %(title)s", day=row.probation_end.isoformat(),
                             title=row.title),
                           daily_before_end_of_work(row.probation_end), url=f"/hr_appraisal/training_plan/{row.id}")
                  for row in plans]
    return reminders


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Curriculum, CurriculumItem, TrainingPlan, TrainingItem, Probation, ProbationCriterion]


@hookimpl
def erp_document_types():
    return [CURRICULUM, PLAN, PROBATION]


# Whoever may be named a trainer or mentor signs off items (the condition checks it is theirs).
TRAINERS = ("ROLE-MKT-DIR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-MKT-AST",
            "ROLE-ENG-PE", "ROLE-PUR-BUY", "ROLE-GM")


@hookimpl
def erp_roles():
    plan_read = [f"{PLAN_CODE}.read", f"{PLAN_CODE}.export"]
    trainer = ["hr_appraisal.access", *plan_read, f"{PLAN_CODE}.sign_off", f"{PROBATION_CODE}.read"]
    manager = trainer + [f"{PLAN_CODE}.{a}" for a in ("read_all", "create", "edit", "start")] \
        + [f"{PROBATION_CODE}.{a}" for a in ("create", "edit", "submit", "read_all", "export")] \
        + [f"{CURRICULUM_CODE}.{a}" for a in ("read", "read_all", "create", "edit", "export")]
    return [*(RoleTemplate(role, permissions=trainer) for role in TRAINERS),
            *(RoleTemplate(role, permissions=manager) for role in CREATORS),
            RoleTemplate("ROLE-GM", permissions=[f"{PLAN_CODE}.read_all", f"{PROBATION_CODE}.read_all",
                                                 f"{CURRICULUM_CODE}.read", f"{CURRICULUM_CODE}.read_all"])]


@hookimpl
def erp_settings():
    return [
        Setting("hr.exam_pass_score", "int", 60, _l("Training exam pass mark"),
                _l("WF-H02: a training item with an exam is signed off only with a score at or above this."),
                min=0, max=100),
        Setting("hr.probation_months", "int", 3, _l("Probation period (months)"),
                _l("R-S-072: the end-of-probation assessment falls within this period from the start."), min=1, max=6),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-S-071", "导师制", "Each new employee's training plan names a mentor for the probation period; the "
             "mentor signs off accompanied work.", "block"),
        Rule("R-S-072", "试用期考核", "End-of-probation assessment by the department manager within the probation "
             "period.", "deadline", params=("hr.probation_months",)),
    ]


# ---- demo ---------------------------------------------------------------------------------------
# username, name, role, position, mentor, started (days ago), what is done
DEMO_TRAINEES = [
    ("eng_new1", "林新工", "ROLE-ENG-PE", "POS-ENG-PE", "pe", 10, "safety"),
    ("eng_new2", "钱新工", "ROLE-ENG-PE", "POS-ENG-PE", "pe", 3, None),
    ("am_new", "黄新客", "ROLE-MKT-AM", "POS-MKT-AM", "am", 95, "assessed"),
]


def demo() -> None:
    """Three new employees: an engineer in training with the safety item signed off, one who has
    not had it yet (R-E-101 keeps him off the sites), and a salesperson whose training is
    completed and whose probation was passed. Runs once (skipped when plans exist)."""
    import secrets

    from flask import g

    from core.auth.models import User
    from core.documents import service
    from core.seed import create_user

    def user(name):
        return db.session.scalar(select(User).where(User.username == name))

    if db.session.scalar(select(func.count()).select_from(TrainingPlan)):
        return
    people = {name: user(name) for name in ("eng_mgr", "mkt_mgr", "adm", "pe", "am")}
    if any(p is None for p in people.values()):
        return  # the demo users come first
    today = calendar_today.today()
    for username, full_name, role, position, mentor, days_ago, done in DEMO_TRAINEES:
        employee = user(username) or create_user(username, secrets.token_urlsafe(16), [role], full_name, position)
        db.session.flush()
        manager = people["eng_mgr"] if role == "ROLE-ENG-PE" else people["mkt_mgr"]
        g.audit_user = manager
        plan = service.new_document(PLAN, manager)
        plan.employee_id, plan.mentor_id = employee.id, people[mentor].id
        plan.start_date = today - timedelta(days=days_ago)
        save_plan(plan)
        service.assign_number(PLAN, plan)
        db.session.add(plan)
        db.session.commit()
        engine.perform(PLAN, plan, "start", manager, "新员工入职培训")
        for no, item in enumerate(list(plan.items), start=1):
            if done == "safety" and no > 2 or done is None:
                break
            plan.signoff_item, plan.signoff_score = no, (88 if item.exam else None)
            engine.perform(PLAN, plan, "sign_off", manager, "已完成培训并考核合格" if item.exam else "已完成")
        if done == "assessed":
            assessment = service.new_document(PROBATION, manager)
            assessment.plan_id, assessment.assessed_on, assessment.conclusion = plan.id, today - timedelta(days=5), "pass"
            assessment.comment = "试用期内完成全部培训，能独立拜访客户，拜访日志及时，同意转正。"
            save_probation(assessment)
            for criterion, score in zip(assessment.criteria, (90, 85, 82, 95, 88)):
                criterion.score = score
            save_probation(assessment)
            service.assign_number(PROBATION, assessment)
            db.session.add(assessment)
            db.session.commit()
            engine.perform(PROBATION, assessment, "submit", manager, "")
            g.audit_user = people["adm"]
            engine.perform(PROBATION, assessment, "approve", people["adm"], "同意转正")
        db.session.commit()
    g.audit_user = None


@hookimpl
def erp_demo_data(app):
    demo()
