"""Project evaluation (项目汇评表, F-E08; WF-E04 CLOSING (c), I-18).

One per project, written by its engineer once the customer accepted the works (the project in
closing, warranty or closed) and approved by the 工程部经理 (L1); the 售前经理 / 市场部经理 may add
the market side's comment. It is due ``eng.evaluation_days`` working days after the final
acceptance (overdue in the list while a draft, the engineers reminded, a late submission recorded
against R-E-077 for KPI-REPORT-TIMELINESS). The project may not go from closing to warranty
without an approved evaluation (R-E-077: a check of the gate ``closing``, which guards the
CLOSING → WARRANTY transition ``to_warranty``).

The calculated block is filled from the project when the evaluation is saved (:func:`figures`,
a handful of grouped queries whatever the number of projects): contract amount, planned and
actual dates and the delay, the F-E04 baseline budget, the actual cost and the margin, the change
notices (F-T05/F-T06) and the confirmed change amount (F-T11), the sub-item first-pass rate
(F-T21), the self-check first-pass rate (F-E06), the quality issue notices (F-T16) and incidents
(F-T14). A score line per dimension (进度 20, 成本 25, 质量 25, 客户满意 15, 资料 10, 安全 5) starts
with a proposal from those figures (:func:`proposals`); the engineer may change every score. The
total gives the grade: 优 ≥ 90, 良 80–89, 中 70–79, 差 < 70.

Proposals: schedule 20 less half a point per day late; cost 25 when the actual cost stays within
the budget, else less a point per % over (no proposal without a budget); quality 25 × the sub-item
first-pass rate (else the self-check one, else 25) less 2 per quality issue notice and 5 per
quality incident; safety 5; customer satisfaction and documentation are scored by hand.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, and_, case, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, rules, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.derived import as_utc
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, lifecycles

from .projects import PROJECT, EngProject, gate, of_project, on_my_projects

CODE = "engineering.project_evaluation"
EVALUATED_STATES = ("closing", "warranty", "closed")
SUBMITTED = ("submitted", "approved", "archived")
APPROVED = ("approved", "archived")
ZERO, CENT = Decimal(0), Decimal("0.01")

DIMENSIONS = [("schedule", _l("Progress against schedule")), ("cost", _l("Cost")), ("quality", _l("Quality")),
              ("satisfaction", _l("Customer satisfaction")), ("documentation", _l("Documentation")),
              ("safety", _l("Safety"))]
MAX_SCORE = {"schedule": 20, "cost": 25, "quality": 25, "satisfaction": 15, "documentation": 10, "safety": 5}
GRADES = [("A", _l("Excellent (90 and above)")), ("B", _l("Good (80-89)")), ("C", _l("Fair (70-79)")),
          ("D", _l("Poor (below 70)"))]
MARKET_COMMENT = Field("market_comment", _l("Market side's comment"), "textarea", required=True)


def grade_of(total) -> str | None:
    """优 ≥ 90, 良 80–89, 中 70–79, 差 < 70."""
    if total is None:
        return None
    total = Decimal(total)
    return "A" if total >= 90 else "B" if total >= 80 else "C" if total >= 70 else "D"


EVAL_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=EVALUATED_STATES),
    Field("contract_amount", _l("Contract amount (incl. tax)"), "money", readonly=True),
    Field("planned_start", _l("Planned start"), "date", readonly=True, listed=False),
    Field("planned_completion", _l("Completion required by"), "date", readonly=True, listed=False),
    Field("actual_start", _l("Actual start"), "date", readonly=True, listed=False),
    Field("actual_completion", _l("Final acceptance on"), "date", readonly=True, listed=False),
    Field("delay_days", _l("Days late"), "integer", readonly=True),
    Field("delay_reasons", _l("Reasons for the delay"), "textarea"),
    Field("budget_cost", _l("Budgeted cost"), "money", readonly=True, listed=False),
    Field("actual_cost", _l("Actual cost"), "money", readonly=True, listed=False),
    Field("margin_pct", _l("Gross margin (%)"), "percent", readonly=True, listed=False),
    Field("budget_accuracy", _l("Budget accuracy (%)"), "percent", readonly=True, listed=False),
    Field("change_count", _l("Change and additional works notices"), "integer", readonly=True, listed=False),
    Field("change_amount", _l("Confirmed changes"), "money", readonly=True, listed=False),
    Field("subitem_pass_rate", _l("Sub-item first-pass rate"), "percent", readonly=True, listed=False),
    Field("selfcheck_pass_rate", _l("Self-check first-pass rate"), "percent", readonly=True, listed=False),
    Field("quality_notices", _l("Quality issue notices"), "integer", readonly=True, listed=False),
    Field("quality_incidents", _l("Quality incidents"), "integer", readonly=True, listed=False),
    Field("safety", _l("Safety"), "textarea", required_in=SUBMITTED),
    Field("lessons", _l("Lessons learned"), "textarea", required_in=SUBMITTED),
    Field("people", _l("Evaluation of the people and construction teams"), "textarea", required_in=SUBMITTED,
          help=_l("One line each: person or team, role, evaluation, score.")),
    Field("total", _l("Total score"), "decimal", readonly=True),
    Field("grade", _l("Grade"), "choice", choices=GRADES, readonly=True),
    Field("market_comment", MARKET_COMMENT.label, "textarea", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_at", _l("Submitted at"), "datetime", readonly=True, listed=False),
    Field("submitted_late", _l("Submitted late"), "bool", readonly=True),
]

SCORE_FIELDS = [
    Field("dimension", _l("Dimension"), "choice", choices=DIMENSIONS, required=True),
    Field("max_score", _l("Full marks"), "integer", readonly=True),
    Field("proposed", _l("Proposed from the data"), "decimal", readonly=True),
    Field("score", _l("Score"), "decimal", minimum=0, maximum=25, total=True),
    Field("note", _l("Note"), max_length=300),
]


class ProjectEvaluation(Document, declared_columns([f for f in EVAL_FIELDS if f.name not in ("title", "project")]),
                        db.Model):
    """项目汇评表 (F-E08)."""
    __tablename__ = "eng_project_evaluation"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    scores = relationship(lambda: EvaluationScore, cascade="all, delete-orphan", order_by=lambda: EvaluationScore.id,
                          lazy="selectin")


class EvaluationScore(declared_columns(SCORE_FIELDS), db.Model):
    __tablename__ = "eng_project_evaluation_score"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("eng_project_evaluation.id", ondelete="CASCADE"),
                                               index=True)


# ---- the calculated block -----------------------------------------------------------------------
def _rate(passed, checked) -> Decimal | None:
    return (Decimal(int(passed or 0)) * 100 / Decimal(int(checked))).quantize(CENT) if checked else None


def figures(project_ids) -> dict[int, dict]:
    """project id -> the F-E08 calculated block, for all the projects in a fixed number of grouped
    queries (the projects, the baselines, the postings, each family of forms, the self-checks)."""
    from .costs import CostPosting, CostSheet
    from .forms import REGISTRY
    from .selfchecks import DONE, SelfCheck, SelfCheckItem
    ids = list(project_ids)
    if not ids:
        return {}
    out: dict[int, dict] = {}
    for p in db.session.execute(select(
            EngProject.id, EngProject.contract_amount, EngProject.change_amount, EngProject.planned_start,
            EngProject.planned_completion, EngProject.actual_start, EngProject.actual_completion,
            EngProject.extension_days).where(EngProject.id.in_(ids))):
        due = p.planned_completion
        delay = 0
        if due and p.actual_completion:
            delay = max(0, (p.actual_completion - due).days - int(p.extension_days or 0))
        out[p.id] = {"contract_amount": p.contract_amount, "change_amount": p.change_amount or ZERO,
                     "planned_start": p.planned_start, "planned_completion": p.planned_completion,
                     "actual_start": p.actual_start, "actual_completion": p.actual_completion, "delay_days": delay,
                     "budget_cost": None, "revenue": None, "actual_cost": ZERO, "change_count": 0,
                     "subitem_pass_rate": None, "selfcheck_pass_rate": None, "quality_notices": 0,
                     "quality_incidents": 0}
    latest = (select(CostSheet.project_id, func.max(CostSheet.id).label("sheet_id"))
              .where(CostSheet.project_id.in_(ids), CostSheet.state == "approved")
              .group_by(CostSheet.project_id).subquery())
    for project_id, budget, excl in db.session.execute(
            select(CostSheet.project_id, CostSheet.budget_total, CostSheet.contract_amount_excl_tax)
            .join(latest, latest.c.sheet_id == CostSheet.id)):
        out[project_id]["budget_cost"] = Decimal(budget or 0)
        out[project_id]["revenue"] = Decimal(excl) if excl is not None else None
    for project_id, spent in db.session.execute(
            select(CostPosting.project_id, func.sum(CostPosting.amount))
            .where(CostPosting.project_id.in_(ids), CostPosting.kind == "actual").group_by(CostPosting.project_id)):
        out[project_id]["actual_cost"] = Decimal(spent or 0)

    def count(code, key):
        if code not in REGISTRY:
            return
        model = REGISTRY[code].model
        for project_id, n in db.session.execute(select(model.project_id, func.count(model.id)).where(
                model.project_id.in_(ids), model.state != "draft").group_by(model.project_id)):
            out[project_id][key] += int(n)
    count("ft05", "change_count")
    count("ft06", "change_count")
    count("ft16", "quality_notices")
    count("ft14", "quality_incidents")
    if "ft21" in REGISTRY:
        model = REGISTRY["ft21"].model
        for project_id, checked, passed in db.session.execute(
                select(model.project_id, func.count(func.distinct(model.application_id)),
                       func.sum(case((model.first_pass.is_(True), 1), else_=0)))
                .where(model.project_id.in_(ids), model.state != "draft").group_by(model.project_id)):
            out[project_id]["subitem_pass_rate"] = _rate(passed, checked)
    for project_id, checked, passed in db.session.execute(
            select(SelfCheck.project_id, func.count(SelfCheckItem.id),
                   func.sum(case((SelfCheckItem.result == "passed", 1), else_=0)))
            .join(SelfCheck, SelfCheck.id == SelfCheckItem.selfcheck_id)
            .where(SelfCheck.project_id.in_(ids), SelfCheck.state.in_(DONE),
                   SelfCheckItem.result.in_(("passed", "failed"))).group_by(SelfCheck.project_id)):
        out[project_id]["selfcheck_pass_rate"] = _rate(passed, checked)
    for row in out.values():
        revenue = row.pop("revenue")
        if revenue is None and row["contract_amount"] is not None:
            revenue = Decimal(row["contract_amount"]) + Decimal(row["change_amount"] or 0)
        actual, budget = row["actual_cost"], row["budget_cost"]
        row["margin_pct"] = ((revenue - actual) * 100 / revenue).quantize(CENT) if revenue else None
        row["budget_accuracy"] = (max(ZERO, 100 - abs(actual - budget) * 100 / budget)).quantize(CENT) \
            if budget else None
    return out


def proposals(data: dict) -> dict[str, Decimal | None]:
    """The score each dimension's line starts with (None: scored by hand)."""
    def floor0(value) -> Decimal:
        return max(ZERO, Decimal(value)).quantize(CENT)
    budget, actual = data["budget_cost"], data["actual_cost"]
    cost = None
    if budget:
        over = (actual - budget) * 100 / budget
        cost = Decimal(25) if over <= 0 else floor0(25 - over)
    rate = data["subitem_pass_rate"] if data["subitem_pass_rate"] is not None else data["selfcheck_pass_rate"]
    quality = Decimal(25) * (rate / 100 if rate is not None else 1)
    quality -= 2 * data["quality_notices"] + 5 * data["quality_incidents"]
    return {"schedule": floor0(20 - Decimal(data["delay_days"]) / 2), "cost": cost, "quality": floor0(quality),
            "satisfaction": None, "documentation": None, "safety": Decimal(5)}


def due_at(acceptance: date):
    """``eng.evaluation_days`` working days after the final acceptance, by the end of work."""
    return as_utc(cal.deadline_end_of_work(cal.add_working_days(acceptance, int(settings.get("eng.evaluation_days")))))


def save_evaluation(evaluation):
    project = db.session.get(EngProject, evaluation.project_id) if evaluation.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    clash = select(ProjectEvaluation.number).where(ProjectEvaluation.project_id == project.id)
    if evaluation.id:
        clash = clash.where(ProjectEvaluation.id != evaluation.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"project_id": [_("The project has its evaluation already (%(number)s).",
                                                 number=number)]})
    evaluation.title = f"{project.number} {project.title}"[:200]
    data = figures([project.id])[project.id]
    proposed = proposals(data)
    for key, value in data.items():
        setattr(evaluation, key, value)
    if project.actual_completion and evaluation.due_at is None:
        evaluation.due_at = due_at(project.actual_completion)
    if not evaluation.scores:
        evaluation.scores.extend(EvaluationScore(dimension=key) for key, _label in DIMENSIONS)
    for line in evaluation.scores:  # a dimension left blank takes the figure proposed from the data
        if line.score is None:
            line.score = proposed.get(line.dimension)
    seen = set()
    for line in evaluation.scores:
        if line.dimension in seen:
            raise ValidationFailed({"scores": [_("Score each dimension once: %(dimension)s twice.",
                                                 dimension=dict(DIMENSIONS).get(line.dimension))]})
        seen.add(line.dimension)
        line.max_score = MAX_SCORE.get(line.dimension)
        line.proposed = proposed.get(line.dimension)
        if line.score is not None and line.max_score is not None and Decimal(line.score) > line.max_score:
            raise ValidationFailed({"scores": [_("%(dimension)s: at most %(max)s points.",
                                                 dimension=dict(DIMENSIONS).get(line.dimension), max=line.max_score)]})
    scored = [Decimal(line.score) for line in evaluation.scores if line.score is not None]
    evaluation.total = sum(scored, ZERO).quantize(CENT) if scored else None
    evaluation.grade = grade_of(evaluation.total)


def fully_scored(evaluation, user) -> list[Issue]:
    """Every dimension scored; a late project says why."""
    issues = []
    have = {line.dimension for line in evaluation.scores if line.score is not None}
    missing = [str(label) for key, label in DIMENSIONS if key not in have]
    if missing:
        issues.append(Issue(_("Score every dimension: %(missing)s.", missing="、".join(missing)), field="scores"))
    if (evaluation.delay_days or 0) > 0 and not (evaluation.delay_reasons or "").strip():
        issues.append(Issue(_("The project finished %(days)s days late: give the reasons.",
                            days=evaluation.delay_days), field="delay_reasons"))
    return issues


def the_engineer(evaluation, user) -> list[Issue]:
    if user is None or user.id in evaluation.project.engineer_ids() or user.has_role("ROLE-ENG-MGR"):
        return []
    return [Issue(_("Only the project's engineers write its evaluation."))]


EVAL_WORKFLOW = lifecycles.application(
    steps=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))])
EVAL_WORKFLOW.transitions = [
    t if t.name != "submit" else Transition(t.name, t.label, t.source, t.target, kind=t.kind,
                                            conditions=(the_engineer, fully_scored), signs=_l("Project engineer"))
    for t in EVAL_WORKFLOW.transitions] + [
    Transition("comment_market", _l("Market side's comment"), ["submitted", "approved", "archived"], None,
               fields=(MARKET_COMMENT,), waits=False, style="outline-primary")]

EVALUATION = DocType(
    code=CODE, model=ProjectEvaluation, label=_l("Project evaluation"), label_plural=_l("Project evaluations"),
    fields=EVAL_FIELDS, workflow=EVAL_WORKFLOW, number_prefix="HP", print_title="项目汇评表", menu_order=76,
    visibility=on_my_projects(ProjectEvaluation), edited_by=lambda doc, user: user.id in doc.project.engineer_ids(),
    before_save=save_evaluation, deadline=Deadline("due_at", states=("draft",)),
    lines=Lines("scores", EvaluationScore, fields=SCORE_FIELDS, blank_rows=0, label=_l("Scores"),
                initial=lambda: [{"dimension": key} for key, _label in DIMENSIONS]),
    columns=[Column("total", _l("Total score"), kind="number"),
             Column("grade", _l("Grade"), kind="choice", choices=dict(GRADES)),
             Column("due_at", _l("Due"), kind="datetime"),
             Column("submitted_late", _l("Submitted late"), kind="bool")],
)

PROJECT.relate(Related(_l("Project evaluation"), CODE, "project_id"))


# ---- the gate, the deadline, I-18 ---------------------------------------------------------------
@gate("closing")
def evaluation_approved(project, user) -> list[Issue]:
    """WF-E04 CLOSING (c): the project goes under warranty with its evaluation approved."""
    if db.session.scalar(select(ProjectEvaluation.id).where(ProjectEvaluation.project_id == project.id,
                                                            ProjectEvaluation.state.in_(APPROVED)).limit(1)) is None:
        return [Issue(_("Have the project evaluation (F-E08) approved by the engineering manager first (R-E-077)."),
                      code="R-E-077")]
    return []


@hookimpl
def erp_transition_done(document, transition, user):
    if not isinstance(document, ProjectEvaluation):
        return
    if transition.name == "submit" and document.submitted_at is None:
        now = calendar_today.now()
        document.submitted_at = as_utc(now)
        document.submitted_late = bool(document.due_at and as_utc(now) > as_utc(document.due_at))
        if document.submitted_late:
            rules.record_violation("R-E-077", "deadline_missed", user_id=document.owner_id, document=document,
                                   details=_("Submitted after %(due)s.", due=str(document.due_at)[:16]))
    elif transition.name == "approve" and document.state == "approved":
        current_app.extensions["erp"].pm.hook.engineering_project_evaluated(project=document.project,
                                                                          evaluation=document)


@hookimpl
def erp_reminders(now):
    """R-E-077: the engineers of a project accepted by the customer write its evaluation by the due
    time (one query for all projects)."""
    from core.reminders import Reminder
    handed_in = select(ProjectEvaluation.id).where(ProjectEvaluation.project_id == EngProject.id,
                                                   ProjectEvaluation.state.in_(SUBMITTED)).exists()
    rows = db.session.execute(select(EngProject.id, EngProject.number, EngProject.title, EngProject.engineer_id,
                                     EngProject.deputy_engineer_id, EngProject.actual_completion).where(
        EngProject.state == "closing", EngProject.actual_completion.is_not(None), ~handed_in)).all()
    out = []
    for row in rows:
        due = due_at(row.actual_completion)
        for user_id in dict.fromkeys(u for u in (row.engineer_id, row.deputy_engineer_id) if u):
            out.append(Reminder(f"{CODE}:{row.id}:{user_id}", user_id,
                                _("Write the project evaluation by %(day)s: %(number)s %(title)s",
                                  day=due.astimezone(cal.timezone()).date().isoformat(),
                                  number=row.number, title=row.title),
                                due, url=f"/engineering/project_evaluation/new?project_id={row.id}"))
    return out


def evaluation_totals(user_ids, start: date, end: date) -> dict[int, list[Decimal]]:
    """user id -> the approved F-E08 totals of the projects accepted from `start` to `end` where
    he was the project engineer (one query): KPI-PROJECT-EVAL."""
    out: dict[int, list[Decimal]] = {}
    for user_id, total in db.session.execute(
            select(EngProject.engineer_id, ProjectEvaluation.total)
            .join(ProjectEvaluation, ProjectEvaluation.project_id == EngProject.id)
            .where(EngProject.engineer_id.in_(list(user_ids)), ProjectEvaluation.state.in_(APPROVED),
                   ProjectEvaluation.total.is_not(None),
                   and_(EngProject.actual_completion >= start, EngProject.actual_completion <= end))):
        out.setdefault(user_id, []).append(Decimal(total))
    return out


def evaluation_timeliness(user_ids, start: date, end: date) -> dict[int, tuple[int, int]]:
    """user id -> (due, on time) F-E08 evaluations falling due from `start` to `end` of the projects he
    is the engineer of (one query): due when the project was accepted; on time when submitted
    before its due time."""
    out: dict[int, list[int]] = {}
    now = as_utc(calendar_today.now())
    rows = db.session.execute(
        select(EngProject.engineer_id, EngProject.actual_completion, ProjectEvaluation.submitted_at,
               ProjectEvaluation.submitted_late)
        .outerjoin(ProjectEvaluation, ProjectEvaluation.project_id == EngProject.id)
        .where(EngProject.engineer_id.in_(list(user_ids)), EngProject.actual_completion.is_not(None),
               EngProject.state.in_(EVALUATED_STATES))).all()
    for row in rows:
        due = due_at(row.actual_completion)
        day = due.astimezone(cal.timezone()).date()
        if not start <= day <= end or (row.submitted_at is None and now <= due):
            continue
        counts = out.setdefault(row.engineer_id, [0, 0])
        counts[0] += 1
        counts[1] += 1 if row.submitted_at is not None and not row.submitted_late else 0
    return {uid: (c[0], c[1]) for uid, c in out.items()}


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [ProjectEvaluation, EvaluationScore]


@hookimpl
def erp_document_types():
    return [EVALUATION]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "submit")]
    manager = engineer + [f"{CODE}.{a}" for a in ("read_all", "archive")]
    market = read + [f"{CODE}.read_all", f"{CODE}.comment_market"]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-PS-MGR", permissions=market),
            RoleTemplate("ROLE-MKT-MGR", permissions=market),
            RoleTemplate("ROLE-MKT-DIR", permissions=market),
            RoleTemplate("ROLE-GM", permissions=read + [f"{CODE}.read_all"])]


@hookimpl
def erp_settings():
    return [
        Setting("eng.evaluation_days", "int", 10, _l("Project evaluation due within (working days)"),
                _l("WF-E04: the project engineer submits the project evaluation (F-E08) within this many working days "
                   "of the final acceptance."), min=1, max=60),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-077", "项目汇评", "The project engineer submits the project evaluation (F-E08) within the working days "
             "set after the final acceptance; the project goes under warranty only with it approved.", "deadline",
             params=("eng.evaluation_days",)),
    ]


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> None:
    """The evaluations of the demo projects accepted by their customers: approved for those under
    warranty or closed (submitted on time), a draft for the one in closing. ``users``:
    {"eng_mgr": User, "pe": User}; runs once."""
    from datetime import timedelta

    from flask import g

    from core.documents import service
    from core.workflow import engine
    manager = users.get("eng_mgr")
    if manager is None or db.session.scalar(select(ProjectEvaluation.id).limit(1)):
        return
    projects = db.session.scalars(select(EngProject).where(
        EngProject.state.in_(EVALUATED_STATES), EngProject.actual_completion.is_not(None)).order_by(EngProject.id)).all()
    by_hand = {"satisfaction": Decimal(13), "documentation": Decimal(9), "cost": Decimal(22)}
    for n, project in enumerate(projects):
        by_hand["satisfaction"] = Decimal(13 - 4 * (n % 3))          # 优 and 良 both shown
        engineer = project.engineer or users.get("pe")
        if engineer is None:
            continue
        g.audit_user = engineer
        evaluation = service.new_document(EVALUATION, engineer)
        evaluation.project_id = project.id
        save_evaluation(evaluation)
        for line in evaluation.scores:
            if line.score is None:
                line.score = by_hand.get(line.dimension)
        evaluation.safety = "施工期间无安全事故，高空作业均系安全带并设专人监护。"
        evaluation.lessons = "甲供设备到货时间需在开工前书面确认；隐蔽工程验收应提前两天预约监理。"
        evaluation.people = "刘建国 施工队长 组织得力，按期完成布线 90\n张伟 项目工程师 协调及时，资料齐全 88"
        if (evaluation.delay_days or 0) > 0:
            evaluation.delay_reasons = "甲方机房装修延期，设备安装顺延。"
        save_evaluation(evaluation)
        service.assign_number(EVALUATION, evaluation)
        db.session.add(evaluation)
        db.session.commit()
        if project.state == "closing":
            continue
        evaluation.submitted_at = as_utc(cal.deadline_end_of_work(project.actual_completion + timedelta(days=7)))
        evaluation.submitted_late = False
        engine.perform(EVALUATION, evaluation, "submit", engineer, "")
        g.audit_user = manager
        engine.perform(EVALUATION, evaluation, "approve", manager, "同意")
    g.audit_user = None
