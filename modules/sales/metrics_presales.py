"""What sales measures for the pre-sales staff and the market assistant (I-14, SPEC 3.6): its
second answer to ``hr_appraisal_metrics`` (metrics.py answers the salespeople's KPIs).

- KPI-PRESALES-ASSIST (售前工程师, ``score``), over the opportunities where he is the pre-sales
  lead (``presales_lead_id``): signed = the amount of their contracts and supplements signed in
  the period (counted as KPI-SALES-OWN counts them); win rate = won / (won + lost) of those decided
  in the period (entered 赢单 or 丢单, from the audit log). Target = ``sales.presales_signed_target``
  (a year's signing target per pre-sales engineer), prorated by the period's days of each year.
  With a target: score = (min(100, signed / target %) + win rate) / 2, or the achievement alone
  when none was decided; without one: score = win rate. Nothing signed nor decided: no answer.
- KPI-PRESALES-PORTFOLIO (售前经理, ``score`` with ``weight`` 70: sales measures SPEC's 40 % + 30 %,
  engineering the budget accuracy's 30 %): score = (40 × win rate + 30 × turnaround %) / 70, one
  part alone when the other has no data. Win rate: of all opportunities with a pre-sales lead
  decided in the period. Turnaround: the 售前经理's reviews — the sign-off of a registration
  (``pending_ps`` → assign / ps_reject) and the review of a budget and quotation (``ps_review`` →
  ps_approve / ps_return) — due by the end of work of the 2nd working day after the document
  reached him, counted when that fell in the period and is past; on time when answered by then (a
  review withdrawn or cancelled before it was due is not counted; one still waiting, or ended
  otherwise after it was due, is late).
- KPI-INTERNAL-ORDER (市场部助理, ``due``/``on_time``): what sales records with a due time for him:
  the weekly visit bundles he owns (X-S01, R-S-002: reported by ``due_at``) and the contract
  ledger entries (R-S-063/R-S-064: a signed contract registered by the end of the 2nd working day
  after ``signed_on``). Not measured: archive items (the register records no filing deadline)
  and collection statistics (no due time is recorded for them).
- KPI-ARCHIVE-CLARITY (市场部助理, ``score``): archived / expected × 100, where expected = the
  documents of the types the assistant files by hand (a manual ``archive`` transition his role is
  granted: R-S-026) that were archived in the period or are waiting to be archived (in a state
  ``archive`` leaves from) since before its end (their last change).

The pre-sales reviews, the contract ledger and the archive are the department's, kept by the
role (R-S-063, R-S-026): they count for each holder of ROLE-PS-MGR (reviews, portfolio win
rate) or ROLE-MKT-AST (ledger, archive) among the people. Set-based: a fixed number of
statements whatever the number of people (test_metrics_presales.py). Never imports hr_appraisal.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_, select, union_all

from core import calendar, calendar_today, settings
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PS_MGR, ASSISTANT = "ROLE-PS-MGR", "ROLE-MKT-AST"
PORTFOLIO_WEIGHT, WIN_SHARE, TURNAROUND_SHARE = 70, Decimal(40), Decimal(30)
REVIEW_DAYS = 2
LEDGER_DAYS = 2
# The last answer to a review is at most a few weeks after it arrived: how far before the period
# to look for arrivals (and signatures) whose deadline falls in it.
LOOK_BACK = timedelta(days=31)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    from .visits import _start_of
    return _start_of(start), _start_of(end + timedelta(days=1))


def _now() -> datetime:
    return calendar_today.now().astimezone(UTC)


def _due_after(moment_or_day, days: int) -> tuple[date, datetime]:
    """The working day `days` working days after, and the end of work on it (UTC)."""
    day = moment_or_day.astimezone(calendar.timezone()).date() if isinstance(moment_or_day, datetime) \
        else moment_or_day
    due_day = calendar.add_working_days(day, days)
    return due_day, calendar.deadline_end_of_work(due_day).astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _pct(part, whole) -> Decimal:
    return Decimal(part) * HUNDRED / Decimal(whole)


class Period:
    """What several measures of one call share, read once: the people holding the roles whose
    duties are the department's, and the decided opportunities by pre-sales lead."""

    def __init__(self, user_ids, start: date, end: date):
        self.user_ids, self.start, self.end = list(user_ids), start, end

    @cached_property
    def holders(self) -> dict[str, set[int]]:
        return role_holders(self.user_ids, [PS_MGR, ASSISTANT])

    @cached_property
    def decided(self) -> dict[int, tuple[int, int]]:
        return decided_by_lead(self.start, self.end)


def role_holders(user_ids, codes) -> dict[str, set[int]]:
    """role code -> the people among `user_ids` holding it: one statement."""
    from core.auth.models import Role, user_roles
    out: dict[str, set[int]] = {code: set() for code in codes}
    for user_id, code in db.session.execute(
            select(user_roles.c.user_id, Role.code).join(Role, Role.id == user_roles.c.role_id)
            .where(user_roles.c.user_id.in_(list(user_ids)), Role.code.in_(list(codes)))):
        out[code].add(user_id)
    return out


def prorated_target(yearly: Decimal, start: date, end: date) -> Decimal:
    """A year's target for start..end: the share of each calendar year's days in the period."""
    total = Decimal(0)
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        total += yearly * Decimal((last - first).days + 1) / Decimal((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    return total


# ---- 售前: signed amounts, win rates, reviews ------------------------------------------------
def decided_by_lead(start: date, end: date) -> dict[int, tuple[int, int]]:
    """pre-sales lead -> (decided, won): his opportunities won or lost in the period. One statement.
    A transition that stays won or lost (handed to another salesperson) decides nothing."""
    from core.audit.models import AuditEntry
    from core.workflow import engine

    from .customers import OPPORTUNITY
    from .models import Opportunity
    first, after = _bounds(start, end)

    def decided(states):
        return engine.entered(OPPORTUNITY, states, first, after).where(
            *[AuditEntry.changes.not_like(f'%"from": "{state}"%') for state in ("won", "lost")])
    won = case((Opportunity.id.in_(decided(["won"])), 1), else_=0)
    rows = db.session.execute(
        select(Opportunity.presales_lead_id, func.count(Opportunity.id), func.sum(won))
        .where(Opportunity.presales_lead_id.is_not(None), Opportunity.id.in_(decided(["won", "lost"])))
        .group_by(Opportunity.presales_lead_id))
    return {lead: (n_decided, int(n_won or 0)) for lead, n_decided, n_won in rows}


def signed_by_lead(user_ids, start: date, end: date) -> dict[int, Decimal]:
    """pre-sales lead -> amount of his opportunities' contracts signed in the period. One statement."""
    from .contracts import SIGNED_STATES, Contract
    from .models import Opportunity
    rows = db.session.execute(
        select(Opportunity.presales_lead_id, func.sum(Contract.amount))
        .join(Opportunity, Opportunity.id == Contract.opportunity_id)
        .where(Opportunity.presales_lead_id.in_(list(user_ids)), Contract.state.in_(SIGNED_STATES + ("changed",)),
               Contract.signed_on >= start, Contract.signed_on <= end)
        .group_by(Opportunity.presales_lead_id))
    return {lead: Decimal(amount or 0) for lead, amount in rows}


def presales_assist(period: Period) -> list[dict]:
    user_ids, start, end = period.user_ids, period.start, period.end
    decided = period.decided
    yearly = Decimal(str(settings.get("sales.presales_signed_target") or 0))
    target = prorated_target(yearly, start, end) if yearly > 0 else Decimal(0)
    signed = signed_by_lead(user_ids, start, end) if target > 0 else {}
    rows = []
    for user_id in user_ids:
        parts, texts = [], []
        if target > 0:
            amount = signed.get(user_id, Decimal(0))
            achievement = amount * HUNDRED / target
            parts.append(min(HUNDRED, achievement))
            texts.append(f"协助签约 {amount:,.0f}/{target:,.0f}，完成率 {achievement:.1f}%")
        n_decided, n_won = decided.get(user_id, (0, 0))
        if n_decided:
            parts.append(_pct(n_won, n_decided))
            texts.append(f"赢单 {n_won}/{n_decided}")
        if not n_decided and user_id not in signed:
            continue   # nothing signed or decided for him: 无数据, not a zero
        rows.append({"kpi": "KPI-PRESALES-ASSIST", "user_id": user_id,
                     "score": (sum(parts, Decimal(0)) / len(parts)).quantize(CENT), "detail": "，".join(texts)})
    return rows


def review_turnaround(start: date, end: date) -> tuple[int, int]:
    """(due, on time) of the 售前经理's reviews due in the period: one statement over the audit
    log's transitions of registrations and quotations."""
    from core.audit.models import AuditEntry

    from .models import Quotation, Registration
    waits = {Registration.__tablename__: ("pending_ps", {"assign", "ps_reject"}),
             Quotation.__tablename__: ("ps_review", {"ps_approve", "ps_return"})}
    first, after = _bounds(start, end)
    now = _now()
    patterns = [AuditEntry.changes.like(f'%"{key}": "{state}"%') for state, _ in waits.values()
                for key in ("from", "to")]
    entries = db.session.execute(
        select(AuditEntry.model, AuditEntry.record_id, AuditEntry.ts, AuditEntry.changes)
        .where(AuditEntry.action == "transition", AuditEntry.model.in_(list(waits)),
               AuditEntry.ts >= first - LOOK_BACK, AuditEntry.ts < after, or_(*patterns))
        .order_by(AuditEntry.id))
    arrived: dict[tuple, datetime] = {}
    reviews: list[tuple[datetime, datetime | None, bool]] = []   # (arrived, ended, answered)
    for model, record_id, ts, changes in entries:
        state, answers = waits[model]
        change = json.loads(changes or "{}")
        key = (model, record_id)
        if change.get("from") == state and key in arrived:
            reviews.append((arrived.pop(key), _aware(ts), change.get("transition") in answers))
        if change.get("to") == state:
            arrived[key] = _aware(ts)
    reviews.extend((moment, None, False) for moment in arrived.values())
    due = on_time = 0
    for came, ended, answered in reviews:
        _day, deadline = _due_after(came, REVIEW_DAYS)
        if not (first <= deadline < after) or deadline > now:
            continue
        if ended is not None and ended <= deadline and not answered:
            continue   # withdrawn or cancelled in time: nothing to review
        due += 1
        on_time += int(answered and ended <= deadline)
    return due, on_time


def presales_portfolio(period: Period) -> list[dict]:
    start, end = period.start, period.end
    managers = period.holders[PS_MGR]
    if not managers:
        return []
    decided = period.decided
    n_decided = sum(d for d, _w in decided.values())
    n_won = sum(w for _d, w in decided.values())
    due, on_time = review_turnaround(start, end)
    weighted, texts = [], []
    if n_decided:
        weighted.append((_pct(n_won, n_decided), WIN_SHARE))
        texts.append(f"支持商机赢单 {n_won}/{n_decided}")
    if due:
        weighted.append((_pct(on_time, due), TURNAROUND_SHARE))
        texts.append(f"评审{REVIEW_DAYS}个工作日内 {on_time}/{due}")
    if not weighted:
        return []
    score = (sum((s * w for s, w in weighted), Decimal(0)) / sum((w for _s, w in weighted), Decimal(0))).quantize(CENT)
    return [{"kpi": "KPI-PRESALES-PORTFOLIO", "user_id": user_id, "score": score, "weight": PORTFOLIO_WEIGHT,
             "detail": "，".join(texts)} for user_id in sorted(managers)]


# ---- 市场部助理: bundles, contract ledger, archive ---------------------------------------------
def ledger_entries(start: date, end: date) -> tuple[int, int]:
    """(due, on time) of the contract ledger entries due in the period: one statement."""
    from .contracts import Contract
    first, after = _bounds(start, end)
    after = min(after, _now())
    rows = db.session.execute(
        select(Contract.signed_on, Contract.registered_on)
        .where(Contract.signed_on >= start - LOOK_BACK, Contract.signed_on <= end,
               or_(Contract.registered_on.is_not(None), Contract.state == "signed")))
    due = on_time = 0
    for signed_on, registered_on in rows:
        due_day, deadline = _due_after(signed_on, LEDGER_DAYS)
        if first <= deadline < after:
            due += 1
            on_time += int(registered_on is not None and registered_on <= due_day)
    return due, on_time


def internal_order(period: Period) -> list[dict]:
    user_ids, start, end = period.user_ids, period.start, period.end
    from .visits import WeeklyBundle
    first, after = _bounds(start, end)
    after = min(after, _now())
    counts: dict[int, list] = {}
    reported = case((WeeklyBundle.reported_at.is_not(None) & (WeeklyBundle.reported_at <= WeeklyBundle.due_at), 1),
                    else_=0)
    for owner_id, due, ok in db.session.execute(
            select(WeeklyBundle.owner_id, func.count(WeeklyBundle.id), func.sum(reported))
            .where(WeeklyBundle.owner_id.in_(list(user_ids)), WeeklyBundle.due_at >= first,
                   WeeklyBundle.due_at < after).group_by(WeeklyBundle.owner_id)):
        counts[owner_id] = [due, int(ok or 0), [f"周巡访汇总 {int(ok or 0)}/{due}"]]
    assistants = period.holders[ASSISTANT]
    if assistants:
        due, ok = ledger_entries(start, end)
        if due:
            for user_id in assistants:
                entry = counts.setdefault(user_id, [0, 0, []])
                entry[0] += due
                entry[1] += ok
                entry[2].append(f"合同台账{LEDGER_DAYS}个工作日内登记 {ok}/{due}")
    return [{"kpi": "KPI-INTERNAL-ORDER", "user_id": user_id, "due": due, "on_time": ok,
             "detail": "按时 " + "，".join(texts)} for user_id, (due, ok, texts) in counts.items()]


def filed_by_hand() -> list[tuple]:
    """(doctype, states its ``archive`` leaves from) of the sales types the assistant's role files
    by hand (granted their ``archive`` transition): one statement."""
    from core.auth.models import Role, RolePermission

    from .archive import archived_types
    candidates = {}
    for doctype in archived_types():
        transition = doctype.workflow.transition("archive")
        if transition is not None and not transition.automatic:
            candidates[doctype.transition_permission(transition)] = (doctype, tuple(transition.source))
    granted = set(db.session.scalars(select(RolePermission.code).join(Role, Role.id == RolePermission.role_id).where(
        Role.code == ASSISTANT, RolePermission.code.in_(list(candidates))))) if candidates else set()
    return [entry for code, entry in candidates.items() if code in granted]


def archive_completeness(start: date, end: date) -> dict[str, tuple[int, int]]:
    """type label -> (expected, archived) over the period: one UNION ALL statement."""
    from .archive import ARCHIVED
    first, after = _bounds(start, end)
    parts, labels = [], {}
    for doctype, waiting in filed_by_hand():
        M = doctype.model
        labels[doctype.code] = str(doctype.label)
        filed = case((M.state == ARCHIVED, 1), else_=0)
        parts.append(select(literal(doctype.code).label("code"), func.count(M.id).label("expected"),
                            func.sum(filed).label("archived"))
                     .where(or_(and_(M.state == ARCHIVED, M.updated_at >= first, M.updated_at < after),
                                and_(M.state.in_(waiting), M.updated_at < after))))
    if not parts:
        return {}
    rows = db.session.execute(union_all(*parts)).all()
    return {labels[code]: (expected, int(archived or 0)) for code, expected, archived in rows if expected}


def archive_clarity(period: Period) -> list[dict]:
    start, end = period.start, period.end
    assistants = period.holders[ASSISTANT]
    if not assistants:
        return []
    by_type = archive_completeness(start, end)
    expected = sum(e for e, _a in by_type.values())
    if not expected:
        return []
    archived = sum(a for _e, a in by_type.values())
    score = _pct(archived, expected).quantize(CENT)
    waiting = "，".join(f"{label}待存档 {e - a}" for label, (e, a) in by_type.items() if e > a)
    detail = f"已存档 {archived}/{expected}" + (f"（{waiting}）" if waiting else "")
    return [{"kpi": "KPI-ARCHIVE-CLARITY", "user_id": user_id, "score": score, "detail": detail}
            for user_id in sorted(assistants)]


MEASURES = {"KPI-PRESALES-ASSIST": presales_assist, "KPI-PRESALES-PORTFOLIO": presales_portfolio,
            "KPI-INTERNAL-ORDER": internal_order, "KPI-ARCHIVE-CLARITY": archive_clarity}


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    if not user_ids:
        return []
    period = Period(user_ids, start, end)
    return [row for code, measure in MEASURES.items() if code in kpis for row in measure(period)]


@hookimpl
def erp_settings():
    return [Setting("sales.presales_signed_target", "decimal", "0",
                    _l("Pre-sales engineer: yearly signing target (¥)"),
                    help=_l("Signed amount of the opportunities a pre-sales engineer leads, per year, for his "
                            "appraisal (prorated by the period). 0: no target, his win rate alone counts."),
                    min=0)]
