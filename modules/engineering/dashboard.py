"""The engineering dashboard: my projects by state, what is overdue on them, and cost variance.

A project engineer sees his own projects, the 工程部经理 and the directors all: every figure is
counted over the projects the user may see (one grouped statement each). Parts add what is overdue
on a project (a schedule's tasks, a quality notice's rectification) to ``OVERDUE``: functions
``(projects_subquery) -> [(label, count, url)]``.
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
# Parts append (projects: a subquery of the visible project ids) -> [(label, count, url)].
OVERDUE: list[Callable] = []


def overdue(check):
    """Register a part's overdue counter (idempotent)."""
    if check not in OVERDUE:
        OVERDUE.append(check)
    return check


def visible_projects(user):
    return service.visible(doctype(), user, select(EngProject.id)).scalar_subquery()


@overdue
def unassigned(projects) -> list:
    count = db.session.scalar(select(func.count(EngProject.id)).where(
        EngProject.id.in_(projects),
        PROJECT.deadline.clause(EngProject, PROJECT.deadline.moment(EngProject, calendar_today.now()))))
    return [(_("Projects waiting for an engineer"), int(count or 0), url_for("engineering.project_list", overdue=1))]


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
    late = [item for check in OVERDUE for item in check(projects)]
    widgets.append(Widget(_l("Overdue on my projects"), value=sum(n for _label, n, _url in late),
                          items=tuple((f"{label}: {n}", url) for label, n, url in late if n),
                          body=_("Nothing overdue.") if not any(n for _l_, n, _u in late) else "",
                          section=ENGINEERING, order=11))
    return widgets
