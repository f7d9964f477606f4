"""Engineering's measures for the appraisal (F-E02, I-13; SPEC 3.6): ``hr_appraisal_metrics``.

- ``KPI-PROJECT-EVAL`` (score): the average approved F-E08 total of the projects whose final
  acceptance falls in the period and of which the person is the project engineer; for a person
  without such a project, the self-check first-pass rate (一次合格率, R-E-045) of the confirmed
  self-checks of the period on the projects he is the engineer of.
- ``KPI-REPORT-TIMELINESS`` (due / on time): the weekly reports due in the period (F-E01, R-E-010:
  on time, late, missing) and the project evaluations falling due in it (F-E08, R-E-077).
- ``KPI-REPORT-QUALITY`` (ratings): the engineering manager's 1-5 ratings of the weekly reports of
  the period.

Set-based: a fixed number of queries for all the people, whatever their number (the KPI-PROJECT-EVAL
fallback and the evaluations' timeliness add one each). ``KPI-COMPLIANCE`` (penalty points) is
answered by the penalties part, not here. Implemented without importing hr_appraisal: the hook is
optional, inert when the appraisal module is off.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from core.extensions import db
from core.hookspecs import hookimpl

from .evaluation import evaluation_timeliness, evaluation_totals
from .projects import EngProject
from .selfchecks import DONE, SelfCheck, SelfCheckItem, rate
from .site_reports import WeeklyReport, week_of, weekly_report_counts

CENT = Decimal("0.01")


def project_eval(user_ids: list[int], start: date, end: date) -> list[dict]:
    totals = evaluation_totals(user_ids, start, end)
    out = [{"kpi": "KPI-PROJECT-EVAL", "user_id": uid, "score": (sum(values) / len(values)).quantize(CENT),
            "detail": f"项目汇评 {len(values)} 个，平均 {(sum(values) / len(values)).quantize(CENT)} 分"}
           for uid, values in totals.items()]
    rest = [uid for uid in user_ids if uid not in totals]
    if not rest:
        return out
    for uid, checked, passed in db.session.execute(
            select(EngProject.engineer_id, func.count(SelfCheckItem.id),
                   func.sum(case((SelfCheckItem.result == "passed", 1), else_=0)))
            .join(SelfCheck, SelfCheck.id == SelfCheckItem.selfcheck_id)
            .join(EngProject, EngProject.id == SelfCheck.project_id)
            .where(EngProject.engineer_id.in_(rest), SelfCheck.state.in_(DONE),
                   SelfCheck.check_date >= start, SelfCheck.check_date <= end,
                   SelfCheckItem.result.in_(("passed", "failed"))).group_by(EngProject.engineer_id)):
        value = rate(int(passed or 0), int(checked or 0))
        if value is not None:
            out.append({"kpi": "KPI-PROJECT-EVAL", "user_id": uid, "score": value,
                        "detail": f"无项目汇评；自检一次合格率 {value}%（{int(passed or 0)}/{int(checked)} 项）"})
    return out


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
    """Engineering's KPI-PROJECT-EVAL, KPI-REPORT-TIMELINESS and KPI-REPORT-QUALITY (see the module)."""
    ids = sorted({int(uid) for uid in user_ids or ()})
    if not ids:
        return []
    kpis = set(kpis or ())
    out = []
    if "KPI-PROJECT-EVAL" in kpis:
        out += project_eval(ids, start, end)
    if "KPI-REPORT-TIMELINESS" in kpis:
        out += timeliness(ids, start, end)
    if "KPI-REPORT-QUALITY" in kpis:
        out += quality(ids, start, end)
    return out
