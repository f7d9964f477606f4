"""What sales measures for the appraisal (I-14): its answer to ``hr_appraisal_metrics``.

- KPI-SALES-OWN (``score``): the person's signed (or collected, or both: ``hr.sales_kpi_basis``)
  amount in the period against his personal targets of the approved sales plans (X-S02 lines
  naming him), prorated by the days of the plan's half-year inside the period; score =
  min(100, achievement %). No personal target: no answer (无数据).
- KPI-REPORT-TIMELINESS (``due``/``on_time``): his visit logs (F-S01) and weekly summaries (F-S11)
  whose deadline fell in the period (and is past), on time when first submitted by it.
- KPI-REPORT-QUALITY (``rating_sum``/``rating_count``): the market manager's 1-5 ratings of his
  weekly summaries of weeks ending in the period.

Set-based: a fixed number of statements whatever the number of people. Never imports hr_appraisal.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from core import calendar, calendar_today
from core.extensions import db
from core.hookspecs import hookimpl

HUNDRED = Decimal(100)
PLAN_STATES = ("approved", "archived")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = calendar.timezone()
    return (datetime.combine(start, time.min, zone).astimezone(UTC),
            datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC))


def _basis() -> str:
    from core import settings
    try:
        return str(settings.get("hr.sales_kpi_basis"))
    except KeyError:
        return "signed"


def personal_targets(user_ids, start: date, end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """user id -> (signing target, collection target) for start..end: his lines of the approved
    plans, each prorated by the days of its half-year inside the period. One statement."""
    from .reports import SalesPlan, SalesPlanLine
    rows = db.session.execute(
        select(SalesPlanLine.person_id, SalesPlan.period_start, SalesPlan.period_end,
               func.sum(SalesPlanLine.signed_target), func.sum(SalesPlanLine.collection_target))
        .join(SalesPlan, SalesPlan.id == SalesPlanLine.plan_id)
        .where(SalesPlanLine.person_id.in_(list(user_ids)), SalesPlan.state.in_(PLAN_STATES),
               SalesPlan.period_start <= end, SalesPlan.period_end >= start)
        .group_by(SalesPlanLine.person_id, SalesPlan.period_start, SalesPlan.period_end))
    out: dict[int, list] = {}
    for person, first, last, signed, collected in rows:
        share = Decimal((min(last, end) - max(first, start)).days + 1) / Decimal((last - first).days + 1)
        totals = out.setdefault(person, [Decimal(0), Decimal(0)])
        totals[0] += Decimal(signed or 0) * share
        totals[1] += Decimal(collected or 0) * share
    return {k: (v[0], v[1]) for k, v in out.items()}


def sales_own(user_ids, start: date, end: date) -> list[dict]:
    from .collections import signed_and_collected_by_owner
    targets = personal_targets(user_ids, start, end)
    if not targets:
        return []
    actual = signed_and_collected_by_owner(start, end)
    basis = _basis()
    rows = []
    for user_id, (signed_target, collection_target) in targets.items():
        signed, collected = actual.get(user_id, (Decimal(0), Decimal(0)))
        ratios, parts = [], []
        if basis in ("signed", "mixed") and signed_target > 0:
            ratios.append(signed / signed_target)
            parts.append(f"签约 {signed:,.0f}/{signed_target:,.0f}")
        if basis in ("collected", "mixed") and collection_target > 0:
            ratios.append(collected / collection_target)
            parts.append(f"回款 {collected:,.0f}/{collection_target:,.0f}")
        if not ratios:
            continue
        achievement = sum(ratios, Decimal(0)) / len(ratios) * HUNDRED
        rows.append({"kpi": "KPI-SALES-OWN", "user_id": user_id,
                     "score": min(HUNDRED, achievement).quantize(Decimal("0.01")),
                     "detail": f"{'，'.join(parts)}，完成率 {achievement:.1f}%"})
    return rows


def report_timeliness(user_ids, start: date, end: date) -> list[dict]:
    from .summaries import WeeklySummary
    from .visits import VisitLog
    first, after = _bounds(start, end)
    after = min(after, calendar_today.now().astimezone(UTC))
    counts: dict[int, list[int]] = {}
    for model, name in ((VisitLog, "巡访登记"), (WeeklySummary, "周总结")):
        on_time = case((model.submitted_at.is_not(None) & (model.submitted_at <= model.due_at), 1), else_=0)
        rows = db.session.execute(
            select(model.owner_id, func.count(model.id), func.sum(on_time))
            .where(model.owner_id.in_(list(user_ids)), model.due_at >= first, model.due_at < after)
            .group_by(model.owner_id))
        for owner_id, due, ok in rows:
            entry = counts.setdefault(owner_id, [0, 0, []])
            entry[0] += due
            entry[1] += int(ok or 0)
            entry[2].append(f"{name} {int(ok or 0)}/{due}")
    return [{"kpi": "KPI-REPORT-TIMELINESS", "user_id": user_id, "due": due, "on_time": ok,
             "detail": "按时 " + "，".join(parts)} for user_id, (due, ok, parts) in counts.items()]


def report_quality(user_ids, start: date, end: date) -> list[dict]:
    from .summaries import WeeklySummary
    rows = db.session.execute(
        select(WeeklySummary.owner_id, func.sum(WeeklySummary.mgr_rating), func.count(WeeklySummary.mgr_rating))
        .where(WeeklySummary.owner_id.in_(list(user_ids)), WeeklySummary.mgr_rating.is_not(None),
               WeeklySummary.week_end >= start, WeeklySummary.week_end <= end)
        .group_by(WeeklySummary.owner_id))
    return [{"kpi": "KPI-REPORT-QUALITY", "user_id": user_id, "rating_sum": Decimal(total), "rating_count": n,
             "detail": f"周总结评分 {n} 份，平均 {Decimal(total) / n:.1f}"} for user_id, total, n in rows if n]


MEASURES = {"KPI-SALES-OWN": sales_own, "KPI-REPORT-TIMELINESS": report_timeliness,
            "KPI-REPORT-QUALITY": report_quality}


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    if not user_ids:
        return []
    return [row for code, measure in MEASURES.items() if code in kpis for row in measure(user_ids, start, end)]
