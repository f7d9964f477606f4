"""The engineering dashboard: my projects by state, what is overdue on them, and cost variance.

A project engineer sees his own projects, the 工程部经理 and the directors all: every figure is
counted over the projects the user may see (one grouped statement each). Parts add what is overdue
on a project (a schedule's tasks, a quality notice's rectification) to ``OVERDUE``: functions
``(projects_subquery, user) -> [(label, count, url)]``, empty for a user who may not read them.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import calendar_today
from core.dashboard import Chart, Dataset, Section, Widget
from core.documents import service
from core.extensions import db
from core.hookspecs import hookimpl

from .projects import ACTIVE, PROJECT, STATES, EngProject, doctype

ENGINEERING = Section("engineering", _l("Engineering"), 20)
# Parts append (projects: a subquery of the visible project ids, user) -> [(label, count, url)].
OVERDUE: list[Callable] = []


def overdue(check):
    """Register a part's overdue counter (idempotent)."""
    if check not in OVERDUE:
        OVERDUE.append(check)
    return check


def visible_projects(user):
    return service.visible(doctype(), user, select(EngProject.id)).scalar_subquery()


@overdue
def unassigned(projects, user) -> list:
    count = db.session.scalar(select(func.count(EngProject.id)).where(
        EngProject.id.in_(projects),
        PROJECT.deadline.clause(EngProject, PROJECT.deadline.moment(EngProject, calendar_today.now()))))
    return [(_("Projects waiting for an engineer"), int(count or 0), url_for("engineering.project_list", overdue=1))]


def _deadline_count(doctype, projects) -> int:
    """How many documents of `doctype` (with a Deadline) on `projects` are overdue now."""
    M, deadline = doctype.model, doctype.deadline
    return int(db.session.scalar(select(func.count(M.id)).where(
        M.project_id.in_(projects), deadline.clause(M, deadline.moment(M, calendar_today.now())))) or 0)


@overdue
def surveys(projects, user) -> list:
    from .site import SURVEY
    if not user.can(f"{SURVEY.code}.read"):
        return []
    return [(_("Site surveys overdue"), _deadline_count(SURVEY, projects),
             url_for("engineering.site_survey_list", overdue=1))]


@overdue
def tasks(projects, user) -> list:
    from .schedule import CODE, overdue_tasks
    if not user.can(f"{CODE}.read"):
        return []
    return [(_("Schedule tasks overdue"), overdue_tasks(projects), url_for("engineering.schedule_list"))]


def cost_variance(projects) -> Widget | None:
    """R-E-021 at a glance: the started projects' cost so far (committed and actual) against their
    approved baseline, the most spent first (two grouped statements)."""
    from .costs import CostPosting, CostSheet
    budgets = dict(db.session.execute(select(CostSheet.project_id, func.max(CostSheet.budget_total)).where(
        CostSheet.project_id.in_(projects), CostSheet.state == "approved").group_by(CostSheet.project_id)).all())
    if not budgets:
        return None
    spent = dict(db.session.execute(select(CostPosting.project_id, func.sum(CostPosting.amount)).where(
        CostPosting.project_id.in_(list(budgets))).group_by(CostPosting.project_id)).all())
    numbers = dict(db.session.execute(select(EngProject.id, EngProject.number).where(
        EngProject.id.in_(list(budgets)), EngProject.state.in_(ACTIVE))).all())
    ranked = sorted(numbers, key=lambda pid: -(spent.get(pid) or 0) / (budgets[pid] or 1))[:8]
    if not ranked:
        return None
    over = sum(1 for pid in numbers if (spent.get(pid) or 0) > (budgets[pid] or 0))
    return Widget(_l("Cost against baseline"), value=over, section=ENGINEERING, order=12,
                  body=_("%(n)s projects above their baseline (10k yuan: baseline, spent)", n=over),
                  chart=Chart("bar", [numbers[pid] for pid in ranked], [
                      Dataset(_l("Baseline"), [round(float(budgets[pid] or 0) / 10000, 1) for pid in ranked]),
                      Dataset(_l("Committed and spent"), [round(float(spent.get(pid) or 0) / 10000, 1)
                                                           for pid in ranked])],
                      links=[url_for("engineering.cost_table_view", doc_id=pid) for pid in ranked]))


@hookimpl
def erp_dashboard_widgets(user):
    if not user.can(f"{PROJECT.code}.read"):
        return []
    projects = visible_projects(user)
    counts = dict(db.session.execute(select(EngProject.state, func.count(EngProject.id)).where(
        EngProject.id.in_(projects), EngProject.state.in_(ACTIVE + ("warranty",))).group_by(EngProject.state)).all())
    states = [s for s in (*ACTIVE, "warranty") if counts.get(s)]
    mine = user.can(f"{PROJECT.code}.read_all")
    widgets = [Widget(
        _l("Projects by state") if mine else _l("My projects by state"), value=sum(counts.values()),
        url=url_for("engineering.project_list"), section=ENGINEERING, order=10,
        chart=Chart("bar", [str(STATES[s]) for s in states], [Dataset(_l("Projects"), [counts[s] for s in states])],
                    links=[url_for("engineering.project_list", state=s) for s in states]))]
    late = [item for check in OVERDUE for item in check(projects, user)]
    widgets.append(Widget(_l("Overdue on my projects"), value=sum(n for _label, n, _url in late),
                          items=tuple((f"{label}: {n}", url) for label, n, url in late if n),
                          body=_("Nothing overdue.") if not any(n for _l_, n, _u in late) else "",
                          section=ENGINEERING, order=11))
    if user.can("engineering.cost_sheet.read"):
        widgets.append(cost_variance(projects))
    return [w for w in widgets if w is not None]
