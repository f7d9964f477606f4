"""The market department's dashboard widgets (issue 12, item 12), through core's
erp_dashboard_widgets hook and core.dashboard's charts.

- 销售概览 (``sales.dashboard.overview``: 市场总监, 总经理): the pipeline by state and by area
  (count and estimated amount), won and lost this month, the sales approvals waiting and at which
  step. Overdue work per person is core's "Overdue in my team" chart (every module's deadlines,
  the org's reporting lines).
- 本周 (``sales.dashboard.my_week``: 客户经理, 片区客户经理): his visit logs this week, his open
  opportunities by state; his own overdue items are core's "Due and overdue" list. Today's visit
  log card (visits.py) joins this section.

Each widget is computed only for a user holding its permission, with one grouped query.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import format_date, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from core import calendar as cal, calendar_today
from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Chart, Dataset, Section, Widget
from core.documents.service import visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import engine
from core.workflow.models import ApprovalTask

from .customers import OPPORTUNITY, OPPORTUNITY_WORKFLOW
from .models import Area, Opportunity

OVERVIEW = "sales.dashboard.overview"
MY_WEEK_PERMISSION = "sales.dashboard.my_week"
SALES_OVERVIEW = Section("sales.overview", _l("Sales overview"), 20)
MY_WEEK = Section("sales.my_week", _l("My week"), 10)
# The pipeline: opportunities not yet signed, lost or cancelled (as the regional report counts them).
PIPELINE = ("lead", "eng_in_progress", "tender_in_progress", "equip_in_progress", "reg_rejected", "win_pending",
            "won", "contracting", "contract_review", "approved_to_sign")
TEN_THOUSAND = Decimal(10000)


def in_ten_thousands(amount) -> float:
    """An amount in 万元 (ten thousand yuan), as the department reads its pipeline."""
    return float((Decimal(amount or 0) / TEN_THOUSAND).quantize(Decimal("0.01")))


def shown(amount) -> str:
    """An amount in 万元 as written on a card: 1,234.50."""
    return format(in_ten_thousands(amount), ",.2f")


def _figures(labels, counts, amounts, links=()) -> Chart:
    """A bar chart of opportunities: their count, and their estimated amount on a second scale."""
    return Chart("bar", labels=labels, links=links,
                 datasets=[Dataset(_l("Opportunities"), counts),
                           Dataset(_l("Estimated amount (10k yuan)"), amounts, axis="right")])


def _list_url(**args) -> str:
    return url_for(f"{OPPORTUNITY.endpoint_prefix}_list", **args)


# ---- 销售概览 -------------------------------------------------------------------------------------
def pipeline_by_state(user, owner_id: int | None = None) -> list[tuple[str, int, Decimal]]:
    """(state, count, estimated amount) of the open opportunities `user` sees (of `owner_id`'s
    only, if given), in the workflow's order; one GROUP BY query."""
    stmt = select(Opportunity.state, func.count(Opportunity.id), func.coalesce(func.sum(Opportunity.est_amount), 0)) \
        .where(Opportunity.state.in_(PIPELINE))
    if owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == owner_id)
    found = {state: (count, Decimal(amount)) for state, count, amount in
             db.session.execute(visible(OPPORTUNITY, user, stmt).group_by(Opportunity.state))}
    return [(state, *found[state]) for state in OPPORTUNITY_WORKFLOW.states if state in found]


def pipeline_by_area(user) -> list[tuple[str, int, Decimal]]:
    """(area name, count, estimated amount) of the open opportunities `user` sees, the largest
    amount first; those without an area last."""
    stmt = select(Area.name, func.count(Opportunity.id), func.coalesce(func.sum(Opportunity.est_amount), 0)) \
        .select_from(Opportunity).outerjoin(Area, Area.id == Opportunity.area_id) \
        .where(Opportunity.state.in_(PIPELINE))
    rows = db.session.execute(visible(OPPORTUNITY, user, stmt).group_by(Area.id, Area.name)).all()
    rows = sorted(rows, key=lambda r: (r[0] is None, -Decimal(r[2]), r[0] or ""))
    return [(name or str(_l("No area")), count, Decimal(amount)) for name, count, amount in rows]


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The first moment of `now`'s month and of the next, in the company's time zone."""
    first = now.astimezone(cal.timezone()).date().replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (datetime.combine(first, time(0), tzinfo=cal.timezone()),
            datetime.combine(following, time(0), tzinfo=cal.timezone()))


def won_and_lost(user, now: datetime) -> dict[str, tuple[int, Decimal]]:
    """state -> (count, estimated amount) of the opportunities `user` sees that were won and lost
    in `now`'s month (their transitions, from the audit log)."""
    start, end = month_bounds(now)
    out = {}
    for state in ("won", "lost"):
        stmt = select(func.count(Opportunity.id), func.coalesce(func.sum(Opportunity.est_amount), 0)).where(
            Opportunity.id.in_(engine.entered(OPPORTUNITY, [state], start, end)))
        count, amount = db.session.execute(visible(OPPORTUNITY, user, stmt)).one()
        out[state] = (count, Decimal(amount))
    return out


def approvals_waiting() -> list[tuple[str, str, int, datetime]]:
    """(document type code, step label, documents, oldest task) of the sales documents waiting
    for an approval, by step; one GROUP BY query."""
    codes = [code for code in current_app.extensions["erp"].doctypes if code.startswith("sales.")]
    rows = db.session.execute(select(ApprovalTask.doctype, ApprovalTask.step_name, ApprovalTask.step_label,
                                     func.count(func.distinct(ApprovalTask.doc_id)), func.min(ApprovalTask.created_at))
                              .where(ApprovalTask.status == "open", ApprovalTask.doctype.in_(codes))
                              .group_by(ApprovalTask.doctype, ApprovalTask.step_name, ApprovalTask.step_label)).all()
    return sorted(rows, key=lambda r: (-r[3], r[0], r[1]))


def _step_label(doctype, step_name: str, stored: str):
    for step in doctype.workflow.steps if doctype.workflow else ():
        if step.name == step_name:
            return step.label
    return stored


def overview_widgets(user) -> list[Widget]:
    now = calendar_today.now()
    widgets = []
    states = pipeline_by_state(user)
    total, amount = sum(r[1] for r in states), sum((r[2] for r in states), Decimal(0))
    widgets.append(Widget(
        _l("Pipeline by state"), value=total, section=SALES_OVERVIEW, order=10, url=_list_url(),
        body=_("Estimated amount: %(amount)s (10k yuan)", amount=shown(amount)),
        chart=_figures([OPPORTUNITY_WORKFLOW.state_label(s) for s, _c, _a in states], [c for _s, c, _a in states],
                       [in_ten_thousands(a) for _s, _c, a in states],
                       links=[_list_url(state=s) for s, _c, _a in states])))
    areas = pipeline_by_area(user)
    widgets.append(Widget(
        _l("Pipeline by area"), value=len(areas), section=SALES_OVERVIEW, order=20,
        body=_("Areas with open opportunities."),
        chart=_figures([name for name, _c, _a in areas], [c for _n, c, _a in areas],
                       [in_ten_thousands(a) for _n, _c, a in areas])))
    outcome = won_and_lost(user, now)
    (won, won_amount), (lost, lost_amount) = outcome["won"], outcome["lost"]
    widgets.append(Widget(
        _l("Won and lost this month"), value=f"{won} / {lost}", section=SALES_OVERVIEW, order=30,
        body=_("Won %(won)s, lost %(lost)s (10k yuan).", won=shown(won_amount),
               lost=shown(lost_amount)),
        chart=_figures([OPPORTUNITY_WORKFLOW.state_label("won"), OPPORTUNITY_WORKFLOW.state_label("lost")],
                       [won, lost], [in_ten_thousands(won_amount), in_ten_thousands(lost_amount)],
                       links=[_list_url(state="won"), _list_url(state="lost")])))
    doctypes = current_app.extensions["erp"].doctypes
    steps = approvals_waiting()
    labels, counts, links = [], [], []
    for code, step_name, stored, count, _oldest in steps:
        doctype = doctypes[code]
        labels.append(f"{doctype.label} · {_step_label(doctype, step_name, stored)}")
        counts.append(count)
        links.append(url_for(f"{doctype.endpoint_prefix}_list"))
    oldest = min((r[4] for r in steps), default=None)
    body = _("Waiting since %(day)s.", day=cal_day(oldest)) if oldest is not None else _("No approval is waiting.")
    widgets.append(Widget(
        _l("Approvals waiting"), value=sum(counts), section=SALES_OVERVIEW, order=40, body=body,
        chart=Chart("bar", labels=labels, datasets=[Dataset(_l("Documents"), counts)], links=links,
                    horizontal=True) if steps else None))
    return widgets


def cal_day(moment: datetime) -> str:
    """The company's calendar day of a stored timestamp (SQLite gives it back naive, in UTC)."""
    aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return aware.astimezone(cal.timezone()).date().isoformat()


# ---- 本周 -----------------------------------------------------------------------------------------
def week_of(day) -> tuple:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def my_week_logs(user, today) -> list[tuple]:
    """(day, state or None, lines) for each working day of `today`'s week up to today, and any
    other day of it with a log; one grouped query."""
    from .visits import VisitLine, VisitLog  # visits.py puts its cards in this file's section
    first, last = week_of(today)
    logs = {day: (state, lines) for day, state, lines in db.session.execute(
        select(VisitLog.visit_date, VisitLog.state, func.count(VisitLine.id))
        .outerjoin(VisitLine, VisitLine.log_id == VisitLog.id)
        .where(VisitLog.owner_id == user.id, VisitLog.visit_date >= first, VisitLog.visit_date <= last)
        .group_by(VisitLog.id, VisitLog.visit_date, VisitLog.state))}
    days = sorted({first + timedelta(days=i) for i in range((today - first).days + 1)
                   if cal.is_working_day(first + timedelta(days=i))} | set(logs))
    return [(day, *logs.get(day, (None, 0))) for day in days]


def my_week_widgets(user) -> list[Widget]:
    from .visits import DONE_STATES
    today = calendar_today.today()
    days = my_week_logs(user, today)
    handed_in = sum(1 for _day, state, _lines in days if state in DONE_STATES)
    due = sum(1 for day, _state, _lines in days if cal.is_working_day(day))
    widgets = [Widget(
        _l("My visit logs this week"), value=f"{handed_in} / {due}", section=MY_WEEK, order=30,
        url=url_for("sales.visit_log_list", owner="me"),
        body=_("Handed in for %(done)s of %(due)s working days so far; customers contacted: %(lines)s.",
               done=handed_in, due=due, lines=sum(lines for _day, _state, lines in days)),
        chart=Chart("bar", labels=[format_date(day, "EEE MM-dd") for day, _state, _lines in days],
                    datasets=[Dataset(_l("Customers contacted"), [lines for _day, _state, lines in days])]))]
    states = pipeline_by_state(user, owner_id=user.id)
    amount = sum((r[2] for r in states), Decimal(0))
    widgets.append(Widget(
        _l("My opportunities by state"), value=sum(r[1] for r in states), section=MY_WEEK, order=40,
        url=_list_url(owner="me"),
        body=_("Estimated amount: %(amount)s (10k yuan)", amount=shown(amount)),
        chart=Chart("doughnut", labels=[OPPORTUNITY_WORKFLOW.state_label(s) for s, _c, _a in states],
                    datasets=[Dataset(_l("Opportunities"), [c for _s, c, _a in states])],
                    links=[_list_url(owner="me", state=s) for s, _c, _a in states])))
    return widgets


# ---- declarations ---------------------------------------------------------------------------------
@hookimpl
def erp_dashboard_widgets(user):
    widgets = []
    if user.can(MY_WEEK_PERMISSION):
        widgets += my_week_widgets(user)
    if user.can(OVERVIEW):
        widgets += overview_widgets(user)
    return widgets


@hookimpl
def erp_permissions():
    return [Permission(OVERVIEW, _l("Dashboard: sales overview (pipeline, won and lost, approvals)")),
            Permission(MY_WEEK_PERMISSION, _l("Dashboard: my week (visit logs, my opportunities)"))]


@hookimpl
def erp_roles():
    return [RoleTemplate("ROLE-MKT-DIR", permissions=[OVERVIEW]), RoleTemplate("ROLE-GM", permissions=[OVERVIEW]),
            RoleTemplate("ROLE-MKT-AM", permissions=[MY_WEEK_PERMISSION]),
            RoleTemplate("ROLE-MKT-AAM", permissions=[MY_WEEK_PERMISSION])]
