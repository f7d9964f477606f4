"""Engineering's measures for the appraisal (F-E02, I-13; SPEC 3.6): ``hr_appraisal_metrics``.

- ``KPI-PROJECT-EVAL`` (score): the average approved F-E08 total of the projects whose final
  acceptance falls in the period and of which the person is the project engineer; for a person
  without such a project, the average of the self-check first-pass rate (一次合格率, R-E-045) of
  the confirmed self-checks of the period on the projects he is the engineer of and the schedule
  adherence of his active projects (tasks of the approved overall schedules due in the period
  finished by their planned finish), either alone when the other has no data.
- ``KPI-PROJECT-PORTFOLIO`` (score, the 工程部经理s among the people; department-wide): over the
  projects under way in the period (started by its end, not accepted before its start), weighted
  on-time milestones 30 (milestone tasks of the approved overall schedules and the projects'
  completion, due in the period), cost 25 (100 less the % by which committed + actual costs
  exceed the approved baseline, per project, averaged), quality 20 (F-T21 first-pass rate of the
  opinions of the period), customer satisfaction 15 (X-E04 surveys returned in the period, average
  1-5 × 20) and open quality notices/incidents 10 (100 less 10 per F-T16/F-T14 still open). A part
  without data is left out and the other weights rescaled. The detail adds the 优良率: the share
  of the projects accepted in the period whose approved F-E08 grade is 优 or 良.
- ``KPI-PRESALES-PORTFOLIO``, its budget accuracy (score with ``weight`` 30, the 售前经理s among
  the people; sales answers the other 70): for the projects accepted in the period whose cost
  baseline was taken from the pre-sales budget (the first approved F-E04 with budget source
  "pre-sales budget"), the average of 1 − |actual cost − that budget| / budget (floor 0) × 100.
- ``KPI-REPORT-TIMELINESS`` (due / on time): the weekly reports due in the period (F-E01, R-E-010:
  on time, late, missing) and the project evaluations falling due in it (F-E08, R-E-077).
- ``KPI-REPORT-QUALITY`` (ratings): the engineering manager's 1-5 ratings of the weekly reports of
  the period.

Set-based: a fixed number of queries for all the people, whatever their number (the KPI-PROJECT-EVAL
fallback adds two, the evaluations' timeliness one, the portfolios theirs). ``KPI-COMPLIANCE``
(penalty points) is answered by the penalties part, not here. Implemented without importing
hr_appraisal: the hook is optional, inert when the appraisal module is off.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from core import calendar_today
from core.auth.models import Role, user_roles
from core.extensions import db
from core.hookspecs import hookimpl

from .evaluation import evaluation_timeliness, evaluation_totals
from .projects import ACTIVE, EngProject
from .schedule import Schedule, ScheduleTask
from .selfchecks import DONE, SelfCheck, SelfCheckItem, rate
from .site_reports import WeeklyReport, week_of, weekly_report_counts

CENT = Decimal("0.01")
ZERO, HUNDRED = Decimal(0), Decimal(100)


def role_holders(user_ids: list[int], role: str) -> list[int]:
    """The people among `user_ids` holding `role` (one statement)."""
    return sorted(db.session.scalars(
        select(user_roles.c.user_id).join(Role, Role.id == user_roles.c.role_id)
        .where(Role.code == role, user_roles.c.user_id.in_(user_ids))).all())


def task_punctuality(group, where, start: date, end: date, milestones_only: bool) -> dict:
    """group value -> (counted, on time): the tasks of the approved overall schedules whose planned
    finish falls in the period and that are finished or already late (one statement)."""
    today = calendar_today.today()
    on_time = case((ScheduleTask.actual_end.is_not(None) & (ScheduleTask.actual_end <= ScheduleTask.plan_end), 1),
                   else_=0)
    query = (select(group, func.count(ScheduleTask.id), func.sum(on_time))
             .join(Schedule, Schedule.id == ScheduleTask.schedule_id)
             .join(EngProject, EngProject.id == Schedule.project_id)
             .where(Schedule.state == "approved", Schedule.plan_type == "overall",
                    ScheduleTask.plan_end >= start, ScheduleTask.plan_end <= end,
                    (ScheduleTask.plan_end < today) | ScheduleTask.actual_end.is_not(None), *where)
             .group_by(group))
    if milestones_only:
        query = query.where(ScheduleTask.milestone.is_(True))
    return {key: (int(n), int(ok or 0)) for key, n, ok in db.session.execute(query) if n}


def project_eval(user_ids: list[int], start: date, end: date) -> list[dict]:
    totals = evaluation_totals(user_ids, start, end)
    out = [{"kpi": "KPI-PROJECT-EVAL", "user_id": uid, "score": (sum(values) / len(values)).quantize(CENT),
            "detail": f"项目汇评 {len(values)} 个，平均 {(sum(values) / len(values)).quantize(CENT)} 分"}
           for uid, values in totals.items()]
    rest = [uid for uid in user_ids if uid not in totals]
    if not rest:
        return out
    first_pass = {uid: (int(passed or 0), int(checked)) for uid, checked, passed in db.session.execute(
            select(EngProject.engineer_id, func.count(SelfCheckItem.id),
                   func.sum(case((SelfCheckItem.result == "passed", 1), else_=0)))
            .join(SelfCheck, SelfCheck.id == SelfCheckItem.selfcheck_id)
            .join(EngProject, EngProject.id == SelfCheck.project_id)
            .where(EngProject.engineer_id.in_(rest), SelfCheck.state.in_(DONE),
                   SelfCheck.check_date >= start, SelfCheck.check_date <= end,
                   SelfCheckItem.result.in_(("passed", "failed"))).group_by(EngProject.engineer_id)) if checked}
    adherence = task_punctuality(EngProject.engineer_id, (EngProject.engineer_id.in_(rest),
                                                          EngProject.state.in_(ACTIVE)), start, end, False)
    for uid in rest:
        parts, details = [], []
        if uid in first_pass:
            passed, checked = first_pass[uid]
            parts.append(rate(passed, checked))
            details.append(f"自检一次合格率 {parts[-1]}%（{passed}/{checked} 项）")
        if uid in adherence:
            counted, on_time = adherence[uid]
            parts.append(rate(on_time, counted))
            details.append(f"进度计划按期完成率 {parts[-1]}%（{on_time}/{counted} 项）")
        if parts:
            out.append({"kpi": "KPI-PROJECT-EVAL", "user_id": uid,
                        "score": (sum(parts) / len(parts)).quantize(CENT), "detail": "无项目汇评；" + "，".join(details)})
    return out


# KPI-PROJECT-PORTFOLIO's parts and their weights (SPEC 3.6).
PORTFOLIO_WEIGHTS = {"milestones": 30, "cost": 25, "quality": 20, "satisfaction": 15, "open_quality": 10}
PORTFOLIO_NAMES = {"milestones": "里程碑", "cost": "成本", "quality": "分项验收", "satisfaction": "客户满意度",
                   "open_quality": "质量问题"}
OPEN_QUALITY_POINTS = 10        # each quality notice or incident still open costs this much


def active_projects(start: date, end: date):
    """The projects under way in the period: started by its end, not accepted before its start."""
    return select(EngProject.id).where(
        EngProject.state != "cancelled", EngProject.actual_start.is_not(None), EngProject.actual_start <= end,
        EngProject.actual_completion.is_(None) | (EngProject.actual_completion >= start))


def portfolio_parts(start: date, end: date) -> tuple[dict, list[str]]:
    """part -> score (0-100) of the parts with data, and the detail's pieces."""
    from .costs import CostPosting, CostSheet
    from .evaluation import APPROVED, ProjectEvaluation
    from .forms import REGISTRY
    from .service import SatisfactionSurvey, SurveyScore
    from .supervision import OPEN_NOTICE
    today = calendar_today.today()
    active = active_projects(start, end)
    projects = db.session.execute(select(EngProject.id, EngProject.planned_completion, EngProject.extension_days,
                                         EngProject.actual_completion).where(EngProject.id.in_(active))).all()
    if not projects:
        return {}, []
    parts, detail = {}, [f"在建项目 {len(projects)} 个"]

    # Milestones: the milestone tasks, and each project's completion (with the extensions granted).
    tasks = task_punctuality(Schedule.project_id, (Schedule.project_id.in_(active),), start, end, True).values()
    counted, on_time = sum(n for n, _ok in tasks), sum(ok for _n, ok in tasks)
    for p in projects:
        due = p.planned_completion and p.planned_completion + timedelta(days=int(p.extension_days or 0))
        if due and start <= due <= end and (due < today or p.actual_completion):
            counted += 1
            on_time += 1 if p.actual_completion and p.actual_completion <= due else 0
    if counted:
        parts["milestones"] = rate(on_time, counted)
        detail.append(f"里程碑按期 {on_time}/{counted}")

    # Cost: committed + actual against the approved baseline, per project.
    latest = (select(func.max(CostSheet.id)).where(CostSheet.project_id.in_(active), CostSheet.state == "approved")
              .group_by(CostSheet.project_id))
    spent = (select(CostPosting.project_id, func.sum(CostPosting.amount).label("amount"))
             .where(CostPosting.project_id.in_(active)).group_by(CostPosting.project_id).subquery())
    costs = db.session.execute(select(CostSheet.budget_total, spent.c.amount)
                               .outerjoin(spent, spent.c.project_id == CostSheet.project_id)
                               .where(CostSheet.id.in_(latest), CostSheet.budget_total > 0)).all()
    if costs:
        scores = [max(ZERO, HUNDRED - max(ZERO, (Decimal(amount or 0) - Decimal(budget)) * 100 / Decimal(budget)))
                  for budget, amount in costs]
        parts["cost"] = (sum(scores) / len(scores)).quantize(CENT)
        overrun = sum(1 for budget, amount in costs if Decimal(amount or 0) > Decimal(budget))
        detail.append(f"成本超基线 {overrun}/{len(costs)} 个")

    # Quality: the sub-items' first-pass rate of the pre-acceptance opinions (F-T21) of the period.
    if "ft21" in REGISTRY:
        model = REGISTRY["ft21"].model
        checked, passed = db.session.execute(
            select(func.count(func.distinct(model.application_id)), func.sum(case((model.first_pass.is_(True), 1),
                                                                                  else_=0)))
            .where(model.project_id.in_(active), model.state != "draft",
                   model.inspected_on >= start, model.inspected_on <= end)).one()
        if checked:
            parts["quality"] = rate(int(passed or 0), int(checked))
            detail.append(f"分项验收一次通过 {int(passed or 0)}/{int(checked)}")

    # Customer satisfaction: the surveys returned in the period.
    surveys, total, n = db.session.execute(
        select(func.count(func.distinct(SatisfactionSurvey.id)), func.sum(SurveyScore.score), func.count(SurveyScore.score))
        .join(SurveyScore, SurveyScore.survey_id == SatisfactionSurvey.id)
        .where(SatisfactionSurvey.state.in_(("returned", "analysed", "archived")),
               SatisfactionSurvey.returned_on >= start, SatisfactionSurvey.returned_on <= end)).one()
    if n:
        average = Decimal(int(total)) / Decimal(int(n))
        parts["satisfaction"] = (average * 20).quantize(CENT)
        detail.append(f"客户满意度 {average.quantize(Decimal('0.1'))}/5（{surveys} 份）")

    # Quality notices (F-T16) and incidents (F-T14) still open on these projects.
    still_open = 0
    for code, states in (("ft16", OPEN_NOTICE), ("ft14", ("submitted", "reviewed", "owner_approved"))):
        if code in REGISTRY:
            model = REGISTRY[code].model
            still_open += int(db.session.scalar(select(func.count(model.id)).where(
                model.project_id.in_(active), model.state.in_(states))) or 0)
    parts["open_quality"] = max(ZERO, HUNDRED - OPEN_QUALITY_POINTS * still_open).quantize(CENT)
    detail.append(f"未关闭质量问题/事故 {still_open} 份")

    # 优良率: the approved evaluations of the projects accepted in the period graded 优 or 良.
    graded, good = db.session.execute(
        select(func.count(ProjectEvaluation.id), func.sum(case((ProjectEvaluation.grade.in_(("A", "B")), 1), else_=0)))
        .join(EngProject, EngProject.id == ProjectEvaluation.project_id)
        .where(ProjectEvaluation.state.in_(APPROVED), ProjectEvaluation.grade.is_not(None),
               EngProject.actual_completion >= start, EngProject.actual_completion <= end)).one()
    if graded:
        detail.append(f"优良率 {rate(int(good or 0), int(graded))}%（{int(good or 0)}/{int(graded)}）")
    return parts, detail


def project_portfolio(user_ids: list[int], start: date, end: date) -> list[dict]:
    managers = role_holders(user_ids, "ROLE-ENG-MGR")
    if not managers:
        return []
    parts, detail = portfolio_parts(start, end)
    if not parts:
        return []
    weight = sum(PORTFOLIO_WEIGHTS[key] for key in parts)
    score = (sum(value * PORTFOLIO_WEIGHTS[key] for key, value in parts.items()) / weight).quantize(CENT)
    missing = [PORTFOLIO_NAMES[key] for key in PORTFOLIO_WEIGHTS if key not in parts]
    if missing:
        detail.append(f"无数据不计：{'、'.join(missing)}（其余权重按比例放大）")
    text = "，".join(detail)
    return [{"kpi": "KPI-PROJECT-PORTFOLIO", "user_id": uid, "score": score, "detail": text} for uid in managers]


def budget_accuracy(user_ids: list[int], start: date, end: date) -> list[dict]:
    """KPI-PRESALES-PORTFOLIO's 30 %: the pre-sales budget against the actual cost of the projects
    accepted in the period (sales answers the win rate and review turnaround, 70 %)."""
    from .costs import CostPosting, CostSheet
    managers = role_holders(user_ids, "ROLE-PS-MGR")
    if not managers:
        return []
    # The baseline first approved from the pre-sales budget (a later re-baseline is not the pre-sales one).
    first = (select(func.min(CostSheet.id)).where(CostSheet.state.in_(("approved", "archived")),
                                                  CostSheet.budget_source == "presales")
             .group_by(CostSheet.project_id))
    actual = (select(CostPosting.project_id, func.sum(CostPosting.amount).label("amount"))
              .where(CostPosting.kind == "actual").group_by(CostPosting.project_id).subquery())
    rows = db.session.execute(
        select(CostSheet.budget_total, actual.c.amount)
        .join(EngProject, EngProject.id == CostSheet.project_id)
        .outerjoin(actual, actual.c.project_id == CostSheet.project_id)
        .where(CostSheet.id.in_(first), CostSheet.budget_total > 0, EngProject.state != "cancelled",
               EngProject.actual_completion >= start, EngProject.actual_completion <= end)).all()
    if not rows:
        return []
    scores = [max(ZERO, HUNDRED - abs(Decimal(amount or 0) - Decimal(budget)) * 100 / Decimal(budget))
              for budget, amount in rows]
    score = (sum(scores) / len(scores)).quantize(CENT)
    budget = sum((Decimal(b) for b, _a in rows), ZERO)
    spent = sum((Decimal(a or 0) for _b, a in rows), ZERO)
    detail = f"预算准确率 {score}%（竣工项目 {len(rows)} 个，售前预算 {budget:,.0f}，实际成本 {spent:,.0f}）"
    return [{"kpi": "KPI-PRESALES-PORTFOLIO", "user_id": uid, "score": score, "weight": 30, "detail": detail}
            for uid in managers]


def timeliness(user_ids: list[int], start: date, end: date) -> list[dict]:
    wanted = set(user_ids)
    weekly = {uid: c for uid, c in weekly_report_counts(start, end).items() if uid in wanted}
    evaluations = evaluation_timeliness(user_ids, start, end)
    out = []
    for uid in sorted(set(weekly) | set(evaluations)):
        on_time, late, missing = weekly.get(uid, (0, 0, 0))
        e_due, e_on_time = evaluations.get(uid, (0, 0))
        due = on_time + late + missing + e_due
        if not due:
            continue
        detail = f"周报 {on_time}/{on_time + late + missing} 按时（迟交 {late}，未交 {missing}）"
        if e_due:
            detail += f"；项目汇评 {e_on_time}/{e_due} 按时"
        out.append({"kpi": "KPI-REPORT-TIMELINESS", "user_id": uid, "due": due, "on_time": on_time + e_on_time,
                    "detail": detail})
    return out


def quality(user_ids: list[int], start: date, end: date) -> list[dict]:
    rows = db.session.execute(
        select(WeeklyReport.owner_id, func.sum(WeeklyReport.rating), func.count(WeeklyReport.rating))
        .where(WeeklyReport.owner_id.in_(user_ids), WeeklyReport.rating.is_not(None),
               WeeklyReport.week_start >= week_of(start)[0], WeeklyReport.week_start <= end)
        .group_by(WeeklyReport.owner_id)).all()
    return [{"kpi": "KPI-REPORT-QUALITY", "user_id": uid, "rating_sum": Decimal(int(total)), "rating_count": int(n),
             "detail": f"周报经理评分 {n} 次，平均 {(Decimal(int(total)) / n).quantize(Decimal('0.1'))}"}
            for uid, total, n in rows if n]


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    """Engineering's KPI-PROJECT-EVAL, KPI-PROJECT-PORTFOLIO, KPI-PRESALES-PORTFOLIO (budget accuracy),
    KPI-REPORT-TIMELINESS and KPI-REPORT-QUALITY (see the module)."""
    ids = sorted({int(uid) for uid in user_ids or ()})
    if not ids:
        return []
    kpis = set(kpis or ())
    out = []
    if "KPI-PROJECT-EVAL" in kpis:
        out += project_eval(ids, start, end)
    if "KPI-PROJECT-PORTFOLIO" in kpis:
        out += project_portfolio(ids, start, end)
    if "KPI-PRESALES-PORTFOLIO" in kpis:
        out += budget_accuracy(ids, start, end)
    if "KPI-REPORT-TIMELINESS" in kpis:
        out += timeliness(ids, start, end)
    if "KPI-REPORT-QUALITY" in kpis:
        out += quality(ids, start, end)
    return out
