"""What sales measures for the appraisal (I-14): its answer to ``hr_appraisal_metrics``.

- KPI-SALES-OWN (``score``): the person's signed (or collected, or both: ``hr.sales_kpi_basis``)
  amount in the period against his personal targets of the approved sales plans (X-S02 lines
  naming him), prorated by the days of the plan's half-year inside the period; score =
  min(100, achievement %). No personal target: no answer (无数据).
- KPI-REPORT-TIMELINESS (``due``/``on_time``): his visit logs (F-S01) and weekly summaries (F-S11)
  whose deadline fell in the period (and is past), on time when first submitted by it.
- KPI-REPORT-QUALITY (``rating_sum``/``rating_count``): the market manager's 1-5 ratings of his
  weekly summaries of weeks ending in the period.
- KPI-SALES-AREA (``score``, 片区客户经理): as SALES-OWN for the areas he manages (片区 whose
  manager he is): all contracts and collection lines of those areas against the areas' targets
  (the plan's area lines, which its personal lines share out), prorated the same way.
- KPI-SALES-TEAM (``score``, 市场部经理 and 市场总监): as SALES-OWN for the whole department against
  the approved plans' totals (the sum of the area targets).
- KPI-ASSIST-REPS (``score``, 片区客户经理): the average KPI-SALES-OWN score (achievement capped at
  100 %) of the 客户经理 holding a personal target in his areas' lines of the approved plans.
- KPI-MARKET-EXPANSION (``score``, 市场总监): growth g of the department's signed amount over the
  same dates a year before. Growth part: ``sales.expansion_base_score`` (70) at g = 0, rising
  linearly to 100 at g ≥ ``sales.expansion_full_growth_pct`` (20 %); below 0 scaled down,
  base × (1 + g), floor 0; nothing signed a year before but something now: 100. New customers
  (first signed contract or first opportunity ever falling in the period) add
  ``sales.expansion_points_per_new_customer`` (2) each, at most
  ``sales.expansion_new_customer_max_points`` (10); score = min(100, growth part + points).
  Nothing signed in either year and no new customer: no answer (无数据).

Set-based: a fixed number of statements whatever the number of people. Never imports hr_appraisal.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, union

from core import calendar, calendar_today
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PLAN_STATES = ("approved", "archived")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return calendar.utc_bounds(start, end)


def _basis() -> str:
    from core import settings
    try:
        return str(settings.get("hr.sales_kpi_basis"))
    except KeyError:
        return "signed"


def _share(first: date, last: date, start: date, end: date) -> Decimal:
    """The part of a plan's half-year first..last inside start..end, by days."""
    return Decimal((min(last, end) - max(first, start)).days + 1) / Decimal((last - first).days + 1)


def _plan_lines(key, start: date, end: date, *conditions) -> dict:
    """key -> (signing target, collection target): the approved plans' lines overlapping start..end
    summed per key, each prorated by the days of its half-year inside the period. One statement."""
    from .reports import SalesPlan, SalesPlanLine
    rows = db.session.execute(
        select(key, SalesPlan.period_start, SalesPlan.period_end,
               func.sum(SalesPlanLine.signed_target), func.sum(SalesPlanLine.collection_target))
        .join(SalesPlan, SalesPlan.id == SalesPlanLine.plan_id)
        .where(*conditions, SalesPlan.state.in_(PLAN_STATES), SalesPlan.period_start <= end,
               SalesPlan.period_end >= start)
        .group_by(key, SalesPlan.period_start, SalesPlan.period_end))
    out: dict = {}
    for k, first, last, signed, collected in rows:
        share = _share(first, last, start, end)
        totals = out.setdefault(k, [Decimal(0), Decimal(0)])
        totals[0] += Decimal(signed or 0) * share
        totals[1] += Decimal(collected or 0) * share
    return {k: (v[0], v[1]) for k, v in out.items()}


def personal_targets(user_ids, start: date, end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """user id -> (signing target, collection target) for start..end: his lines of the approved
    plans, each prorated by the days of its half-year inside the period. One statement."""
    from .reports import SalesPlanLine
    return _plan_lines(SalesPlanLine.person_id, start, end, SalesPlanLine.person_id.in_(list(user_ids)))


def area_targets(start: date, end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """area id -> (signing target, collection target) for start..end: the area lines (no person)
    of the approved plans, prorated; the personal lines share these out. One statement."""
    from .reports import SalesPlanLine
    return _plan_lines(SalesPlanLine.area_id, start, end, SalesPlanLine.person_id.is_(None))


def _achievement(actual, target, basis: str) -> tuple[Decimal, list[str]] | None:
    """(achievement %, detail parts) of actual (signed, collected) against target (signing,
    collection) on `basis`; None when the basis has no target to measure against."""
    ratios, parts = [], []
    if basis in ("signed", "mixed") and target[0] > 0:
        ratios.append(actual[0] / target[0])
        parts.append(f"签约 {actual[0]:,.0f}/{target[0]:,.0f}")
    if basis in ("collected", "mixed") and target[1] > 0:
        ratios.append(actual[1] / target[1])
        parts.append(f"回款 {actual[1]:,.0f}/{target[1]:,.0f}")
    if not ratios:
        return None
    return sum(ratios, Decimal(0)) / len(ratios) * HUNDRED, parts


def _score(achievement: Decimal) -> Decimal:
    return min(HUNDRED, achievement).quantize(CENT)


def _sum(pairs) -> tuple[Decimal, Decimal]:
    pairs = list(pairs)
    return sum((p[0] for p in pairs), Decimal(0)), sum((p[1] for p in pairs), Decimal(0))


def _holders(user_ids, roles) -> set[int]:
    """Those of user_ids holding any of the role codes. One statement."""
    from core.auth.models import Role, user_roles
    return set(db.session.scalars(
        select(user_roles.c.user_id).join(Role, Role.id == user_roles.c.role_id)
        .where(user_roles.c.user_id.in_(list(user_ids)), Role.code.in_(roles)).distinct()))


def _managed_areas(user_ids) -> dict[int, list[int]]:
    """user id -> the areas he is the 片区客户经理 of. One statement."""
    from .models import Area
    out: dict[int, list[int]] = {}
    for area_id, manager_id in db.session.execute(
            select(Area.id, Area.manager_id).where(Area.manager_id.in_(list(user_ids))).order_by(Area.code)):
        out.setdefault(manager_id, []).append(area_id)
    return out


def sales_own(user_ids, start: date, end: date) -> list[dict]:
    from .collections import signed_and_collected_by_owner
    targets = personal_targets(user_ids, start, end)
    if not targets:
        return []
    actual = signed_and_collected_by_owner(start, end)
    basis = _basis()
    rows = []
    for user_id, target in targets.items():
        measured = _achievement(actual.get(user_id, (Decimal(0), Decimal(0))), target, basis)
        if measured is None:
            continue
        achievement, parts = measured
        rows.append({"kpi": "KPI-SALES-OWN", "user_id": user_id, "score": _score(achievement),
                     "detail": f"{'，'.join(parts)}，完成率 {achievement:.1f}%"})
    return rows


def sales_area(user_ids, start: date, end: date) -> list[dict]:
    from .collections import signed_and_collected_by_area
    areas = _managed_areas(user_ids)
    if not areas:
        return []
    targets = area_targets(start, end)
    actual = signed_and_collected_by_area(start, end)
    basis = _basis()
    rows = []
    for user_id, area_ids in areas.items():
        planned = [a for a in area_ids if a in targets]
        measured = _achievement(_sum(actual.get(a, (0, 0)) for a in planned),
                                _sum(targets[a] for a in planned), basis) if planned else None
        if measured is None:
            continue
        achievement, parts = measured
        rows.append({"kpi": "KPI-SALES-AREA", "user_id": user_id, "score": _score(achievement),
                     "detail": f"片区 {len(planned)} 个，{'，'.join(parts)}，完成率 {achievement:.1f}%"})
    return rows


def sales_team(user_ids, start: date, end: date) -> list[dict]:
    from .collections import signed_and_collected_by_area
    managers = _holders(user_ids, ("ROLE-MKT-MGR", "ROLE-MKT-DIR"))
    if not managers:
        return []
    target = _sum(area_targets(start, end).values())
    measured = _achievement(_sum(signed_and_collected_by_area(start, end).values()), target, _basis())
    if measured is None:
        return []
    achievement, parts = measured
    return [{"kpi": "KPI-SALES-TEAM", "user_id": user_id, "score": _score(achievement),
             "detail": f"市场部 {'，'.join(parts)}，完成率 {achievement:.1f}%"} for user_id in sorted(managers)]


def assist_reps(user_ids, start: date, end: date) -> list[dict]:
    """The 客户经理 of an area: ROLE-MKT-AM holders with a personal line on the area in an approved plan."""
    from core.auth.models import Role, User, user_roles

    from .collections import signed_and_collected_by_owner
    from .reports import SalesPlan, SalesPlanLine
    areas = _managed_areas(user_ids)
    if not areas:
        return []
    reps_of_area: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for area_id, person_id, name in db.session.execute(
            select(SalesPlanLine.area_id, SalesPlanLine.person_id, User.display_name)
            .join(SalesPlan, SalesPlan.id == SalesPlanLine.plan_id)
            .join(User, User.id == SalesPlanLine.person_id)
            .join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
            .where(SalesPlanLine.area_id.in_([a for ids in areas.values() for a in ids]), Role.code == "ROLE-MKT-AM",
                   SalesPlan.state.in_(PLAN_STATES), SalesPlan.period_start <= end, SalesPlan.period_end >= start)
            .distinct()):
        reps_of_area.setdefault(area_id, set()).add(person_id)
        names[person_id] = name
    if not reps_of_area:
        return []
    targets = personal_targets(names, start, end)
    actual = signed_and_collected_by_owner(start, end)
    basis = _basis()
    scores = {}
    for person_id, target in targets.items():
        measured = _achievement(actual.get(person_id, (Decimal(0), Decimal(0))), target, basis)
        if measured is not None:
            scores[person_id] = _score(measured[0])
    rows = []
    for user_id, area_ids in areas.items():
        reps = sorted({p for a in area_ids for p in reps_of_area.get(a, ()) if p in scores and p != user_id},
                      key=lambda p: names[p])
        if not reps:
            continue
        average = sum((scores[p] for p in reps), Decimal(0)) / len(reps)
        rows.append({"kpi": "KPI-ASSIST-REPS", "user_id": user_id, "score": average.quantize(CENT),
                     "detail": f"客户经理 {len(reps)} 人：" + "，".join(f"{names[p]} {scores[p]:.1f}%" for p in reps)
                               + f"，平均 {average:.1f}%"})
    return rows


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:          # 29 February
        return day.replace(year=day.year - 1, day=28)


def new_customers(start: date, end: date) -> int:
    """Customers whose first signed contract or first opportunity (not cancelled) falls in
    start..end. One statement."""
    from .contracts import SIGNED_STATES, Contract
    from .models import Opportunity
    first, after = _bounds(start, end)
    won = (select(Contract.customer_id.label("customer_id"))
           .where(Contract.kind == "contract", Contract.state.in_(SIGNED_STATES + ("changed",)),
                  Contract.signed_on.is_not(None))
           .group_by(Contract.customer_id)
           .having(func.min(Contract.signed_on) >= start, func.min(Contract.signed_on) <= end))
    opened = (select(Opportunity.customer_id.label("customer_id")).where(Opportunity.state != "cancelled")
              .group_by(Opportunity.customer_id)
              .having(func.min(Opportunity.created_at) >= first, func.min(Opportunity.created_at) < after))
    return int(db.session.scalar(select(func.count()).select_from(union(won, opened).subquery())) or 0)


def market_expansion(user_ids, start: date, end: date) -> list[dict]:
    from core import settings

    from .collections import signed_and_collected_by_area
    directors = _holders(user_ids, ("ROLE-MKT-DIR",))
    if not directors:
        return []
    now = _sum(signed_and_collected_by_area(start, end).values())[0]
    before = _sum(signed_and_collected_by_area(_year_before(start), _year_before(end)).values())[0]
    added = new_customers(start, end)
    if not now and not before and not added:
        return []
    base = Decimal(str(settings.get("sales.expansion_base_score")))
    full = Decimal(str(settings.get("sales.expansion_full_growth_pct")))
    if before > 0:
        growth = (now - before) / before * HUNDRED
        if growth >= 0:
            part = base + (HUNDRED - base) * min(growth / full, Decimal(1)) if full > 0 else HUNDRED
        else:
            part = max(Decimal(0), base * (1 + growth / HUNDRED))
        growth_text = f"增长 {growth:.1f}%"
    else:
        part, growth_text = (HUNDRED, "去年同期无签约") if now > 0 else (base, "两年同期均无签约")
    points = min(Decimal(str(settings.get("sales.expansion_points_per_new_customer"))) * added,
                 Decimal(str(settings.get("sales.expansion_new_customer_max_points"))))
    score = min(HUNDRED, part + points).quantize(CENT)
    detail = f"签约 {now:,.0f}（去年同期 {before:,.0f}），{growth_text}；新客户 {added} 家 +{points.normalize():f}分"
    return [{"kpi": "KPI-MARKET-EXPANSION", "user_id": user_id, "score": score, "detail": detail}
            for user_id in sorted(directors)]


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


MEASURES = {"KPI-SALES-OWN": sales_own, "KPI-SALES-AREA": sales_area, "KPI-SALES-TEAM": sales_team,
            "KPI-ASSIST-REPS": assist_reps, "KPI-MARKET-EXPANSION": market_expansion,
            "KPI-REPORT-TIMELINESS": report_timeliness, "KPI-REPORT-QUALITY": report_quality}


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    if not user_ids:
        return []
    return [row for code, measure in MEASURES.items() if code in kpis for row in measure(user_ids, start, end)]


@hookimpl
def erp_settings():
    return [
        Setting("sales.expansion_base_score", "int", 70, _l("Market expansion: score at 0 % growth"),
                _l("KPI-MARKET-EXPANSION: the score when the signed amount equals the same period of last year."),
                min=0, max=100),
        Setting("sales.expansion_full_growth_pct", "decimal", "20", _l("Market expansion: growth scoring 100 (%)"),
                _l("KPI-MARKET-EXPANSION: growth of the signed amount over the same period of last year at "
                   "which the growth part reaches 100; linear from the score at 0 % growth."), min="0", max="1000"),
        Setting("sales.expansion_points_per_new_customer", "decimal", "2",
                _l("Market expansion: points per new customer"),
                _l("KPI-MARKET-EXPANSION: added per customer whose first signed contract or first opportunity "
                   "falls in the period."), min="0", max="100"),
        Setting("sales.expansion_new_customer_max_points", "decimal", "10",
                _l("Market expansion: at most these points for new customers"), min="0", max="100"),
    ]
