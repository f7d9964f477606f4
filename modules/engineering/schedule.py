"""Construction schedules (施工进度计划表, F-E05; WF-E02 (b), R-E-031, R-E-042).

The project engineer plans the works as tasks (分项工程) with WBS codes, planned dates and
predecessors (a task starts after the tasks it names end; unknown codes and cycles are refused
with the task named). Tasks marked as sub-items are accepted one by one through F-T20/F-T21
(``mark_subitem_accepted``) or waived by the 工程部经理; the project enters system testing only
when none is left open (R-E-042). The 工程部经理 approves the schedule (L1); the project applies
for the start only with an approved overall schedule (R-E-031).

An approved schedule is a baseline: its plan (codes, names, planned dates, predecessors) is frozen,
progress (actual dates, % done) is still recorded on it. A new overall schedule approved, or an
extension of time granted (``rebaseline``), makes a new baseline version; the old one is kept,
superseded, for comparison. The current schedule of a project is its approved overall baseline,
else its latest overall draft (``current_schedule``).

The tasks are drawn as a Gantt chart (vendored frappe-gantt) on the schedule's page and in the
project's "进度计划" section; tasks past their planned finish and not done are red and counted,
and their engineers reminded (``overdue_tasks`` for the dashboard).
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, and_, func, inspect, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines, Panel
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.workflow import ApprovalStep, ByRole, Issue, Transition, engine, lifecycles

from .projects import ACTIVE, PROJECT, EngProject, gate, my_projects, of_project, on_my_projects

CODE = "engineering.schedule"
WAIVE = f"{CODE}.waive"
PLAN_TYPES = [("overall", _l("Overall schedule")), ("monthly", _l("Monthly plan")), ("weekly", _l("Weekly plan"))]
LIVE = ("draft", "submitted", "approved")     # not superseded

SCHEDULE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE),
    Field("plan_type", _l("Plan type"), "choice", choices=PLAN_TYPES, required=True, default="overall",
          readonly_in=("submitted", "approved", "archived")),
    Field("period_start", _l("Plan period from"), "date", required=True, readonly_in=("submitted", "approved")),
    Field("period_end", _l("Plan period to"), "date", required=True, readonly_in=("submitted", "approved")),
    Field("baseline_version", _l("Baseline version"), "integer", readonly=True),
    Field("previous_number", _l("Re-baselined from"), readonly=True, max_length=40),
    Field("shifted_days", _l("Days the open tasks moved"), "integer", readonly=True, listed=False),
    Field("rebaseline_reason", _l("Reason for the new baseline"), "textarea", readonly=True),
    Field("notes", _l("Notes"), "textarea"),
]

TASK_FIELDS = [
    Field("wbs", _l("WBS code"), required=True, max_length=20),
    Field("name", _l("Sub-item of works"), required=True, max_length=120),
    Field("quantity", _l("Quantity"), "decimal", minimum=0, maximum=10**9),
    Field("unit", _l("Unit"), max_length=20),
    Field("responsible", _l("Responsible (person or team)"), max_length=60),
    Field("plan_start", _l("Planned start of the task"), "date", required=True),
    Field("plan_end", _l("Planned finish of the task"), "date", required=True),
    Field("duration_days", _l("Duration (days)"), "integer", readonly=True),
    Field("predecessors", _l("Predecessors (WBS codes)"), max_length=100,
          help=_l("The WBS codes of the tasks that must end before this one starts, separated by commas.")),
    Field("milestone", _l("Milestone"), "bool"),
    Field("is_subitem", _l("Sub-item to accept"), "bool",
          help=_l("Accepted through a sub-item acceptance (F-T20/F-T21) before system testing (R-E-042).")),
    Field("actual_start", _l("Task started on"), "date"),
    Field("actual_end", _l("Task finished on"), "date"),
    Field("pct_done", _l("% done"), "percent", minimum=0, maximum=100),
    Field("accepted_on", _l("Sub-item accepted on"), "date", readonly=True),
    Field("accepted_ref", _l("Acceptance reference"), readonly=True, max_length=40),
    Field("waived", _l("Acceptance waived"), "bool", edit_permission=WAIVE,
          help=_l("The engineering manager's decision that this sub-item needs no acceptance form.")),
]
# What an approved baseline freezes (progress and waivers are still recorded on it).
PLAN = ("wbs", "name", "quantity", "unit", "plan_start", "plan_end", "predecessors", "milestone", "is_subitem")


class Schedule(Document, declared_columns([f for f in SCHEDULE_FIELDS if f.name != "title"]), db.Model):
    """施工进度计划表 (F-E05)."""
    __tablename__ = "eng_schedule"

    tasks = relationship(lambda: ScheduleTask, cascade="all, delete-orphan", order_by=lambda: ScheduleTask.id,
                         lazy="selectin", back_populates="schedule")

    @property
    def overdue_count(self) -> int:
        today = calendar_today.today()
        return sum(task.is_overdue(today) for task in self.tasks)

    @property
    def open_subitems(self) -> list[ScheduleTask]:
        return [task for task in self.tasks if task.is_open_subitem]


class ScheduleTask(declared_columns(TASK_FIELDS), db.Model):
    """A task (分项工程) of a schedule; a sub-item when ``is_subitem``."""
    __tablename__ = "eng_schedule_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("eng_schedule.id", ondelete="CASCADE"), index=True)
    schedule = relationship(Schedule, back_populates="tasks")

    @property
    def done(self) -> bool:
        return self.actual_end is not None or Decimal(self.pct_done or 0) >= 100

    def is_overdue(self, today: date) -> bool:
        return self.plan_end is not None and self.plan_end < today and not self.done

    @property
    def is_open_subitem(self) -> bool:
        return bool(self.is_subitem) and self.accepted_on is None and not self.waived

    @property
    def label(self) -> str:
        return f"{self.wbs} {self.name}"


# ---- which schedule counts ----------------------------------------------------------------------
def current_schedule(project_id: int) -> Schedule | None:
    """The project's overall schedule in force: the approved baseline, else the latest draft (or
    submitted) one."""
    return db.session.scalar(
        select(Schedule).where(Schedule.project_id == project_id, Schedule.plan_type == "overall",
                               Schedule.state.in_(LIVE))
        .order_by((Schedule.state == "approved").desc(), Schedule.id.desc()).limit(1))


def subitems(project_id: int) -> list[ScheduleTask]:
    """The sub-items of the project's current schedule, in the schedule's order."""
    schedule = current_schedule(project_id)
    return [task for task in schedule.tasks if task.is_subitem] if schedule is not None else []


def mark_subitem_accepted(task_id: int, day: date, reference: str) -> None:
    """A sub-item's acceptance passed (F-T21): the task is accepted on `day` by form `reference`,
    and so is the task of the same WBS code in the project's current baseline (the form may name a
    task of an older version). Not committed."""
    task = db.session.get(ScheduleTask, task_id)
    if task is None:
        return
    tasks = [task]
    current = current_schedule(task.schedule.project_id)
    if current is not None and current.id != task.schedule_id:
        tasks += [t for t in current.tasks if t.wbs == task.wbs]
    for t in tasks:
        t.accepted_on, t.accepted_ref = day, (reference or "")[:40]


def approved_overall(project_id: int) -> Schedule | None:
    return db.session.scalar(select(Schedule).where(
        Schedule.project_id == project_id, Schedule.plan_type == "overall", Schedule.state == "approved")
        .order_by(Schedule.id.desc()).limit(1))


# ---- saving -------------------------------------------------------------------------------------
def codes_of(text: str | None) -> list[str]:
    """The WBS codes named in a predecessors text ("1.1, 1.2" or "1.1，1.2" or "1.1、1.2")."""
    return [code for code in re.split(r"[\s,，、;；]+", text or "") if code]


def task_problems(tasks: list[ScheduleTask]) -> list[str]:
    """What is wrong with the plan, each sentence naming its task: dates, duplicate or unknown
    codes, predecessors not yet ended when the task starts, cycles."""
    problems = []
    by_code: dict[str, ScheduleTask] = {}
    for task in tasks:
        task.wbs = (task.wbs or "").strip()
        if task.wbs in by_code:
            problems.append(_("Task %(task)s: the WBS code %(code)s is used twice.", task=task.label, code=task.wbs))
        by_code.setdefault(task.wbs, task)
    for task in tasks:
        if task.plan_start and task.plan_end and task.plan_end < task.plan_start:
            problems.append(_("Task %(task)s finishes before it starts.", task=task.label))
        for code in codes_of(task.predecessors):
            before = by_code.get(code)
            if before is None or before is task:
                problems.append(_("Task %(task)s: no other task has the WBS code %(code)s.", task=task.label,
                                  code=code))
            elif before.plan_end and task.plan_start and (
                    task.plan_start < before.plan_end or (task.plan_start == before.plan_end and not before.milestone)):
                problems.append(_("Task %(task)s starts before its predecessor %(before)s ends (%(day)s).",
                                  task=task.label, before=before.label, day=before.plan_end.isoformat()))
    cycle = find_cycle({code: [c for c in codes_of(t.predecessors) if c in by_code and c != code]
                        for code, t in by_code.items()})
    if cycle:
        problems.append(_("Tasks %(codes)s wait for each other in a circle: remove one of their predecessors.",
                          codes=" → ".join(cycle + cycle[:1])))
    return problems


def find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """The codes of one cycle of the predecessor graph, in order, else []."""
    state: dict[str, int] = {}           # 1: being visited, 2: done
    path: list[str] = []

    def visit(code) -> list[str]:
        state[code] = 1
        path.append(code)
        for before in graph.get(code, ()):
            if state.get(before) == 1:
                return path[path.index(before):]
            if before not in state and (found := visit(before)):
                return found
        state[code] = 2
        path.pop()
        return []

    for code in graph:
        if code not in state and (found := visit(code)):
            return found
    return []


def frozen_changes(schedule) -> list[str]:
    """The changes of an approved baseline's plan this save would make."""
    problems = []
    removed = inspect(schedule).attrs.tasks.history.deleted
    if removed:
        problems.append(_("Tasks cannot be removed from an approved schedule: make a new baseline."))
    for task in schedule.tasks:
        state = inspect(task)
        if state.transient or state.pending:
            problems.append(_("Task %(task)s cannot be added to an approved schedule: make a new baseline.",
                              task=task.label))
        elif any(state.attrs[a].history.has_changes() for a in PLAN):
            problems.append(_("Task %(task)s: the plan of an approved schedule is kept as it is; record the "
                              "progress only, or make a new baseline.", task=task.label))
    return problems


def waiver_changes(schedule, user) -> list[str]:
    if user is None or user.can(WAIVE):
        return []
    changed = []
    for task in schedule.tasks:
        state = inspect(task)
        new = state.transient or state.pending
        if (new and task.waived) or (not new and state.attrs.waived.history.has_changes()):
            changed.append(_("Task %(task)s: only the engineering manager waives a sub-item's acceptance.",
                             task=task.label))
    return changed


def save_schedule(schedule):
    from core.auth import acting_user
    project = db.session.get(EngProject, schedule.project_id) if schedule.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    if schedule.period_start and schedule.period_end and schedule.period_end < schedule.period_start:
        raise ValidationFailed({"period_end": [_("The period ends after it starts.")]})
    if not schedule.tasks:
        raise ValidationFailed({"tasks": [_("Plan at least one task.")]})
    problems = task_problems(list(schedule.tasks))
    for task in schedule.tasks:
        if task.plan_start and task.plan_end:
            task.duration_days = (task.plan_end - task.plan_start).days + 1
            if schedule.period_start and schedule.period_end and (
                    task.plan_start < schedule.period_start or task.plan_end > schedule.period_end):
                problems.append(_("Task %(task)s lies outside the plan's period.", task=task.label))
        if task.actual_start and task.actual_end and task.actual_end < task.actual_start:
            problems.append(_("Task %(task)s is recorded finished before it started.", task=task.label))
    if schedule.state == "approved":
        problems += frozen_changes(schedule)
    problems += waiver_changes(schedule, acting_user())
    if problems:
        raise ValidationFailed({}, problems)
    plan = dict(PLAN_TYPES).get(schedule.plan_type, "")
    schedule.title = f"{project.number} {project.title} {plan}"[:200]


# ---- workflow -----------------------------------------------------------------------------------
_L1 = lifecycles.application(steps=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))],
                             editable_states=("draft", "approved"))
SCHEDULE_WORKFLOW = replace(_L1, states={**_L1.states, "archived": _l("Superseded")}, transitions=[
    *(t for t in _L1.transitions if t.name != "archive"),
    Transition("rebaselined", _l("New baseline after an approved extension or change"), ["draft"], "approved",
               automatic=True),
    Transition("superseded", _l("Superseded by a new baseline"), ["approved"], "archived", automatic=True),
])


GANTT_SCRIPTS = ("vendor/frappe-gantt/frappe-gantt.umd.js", "js/gantt.js")
GANTT_STYLES = ("vendor/frappe-gantt/frappe-gantt.css",)

SCHEDULE = DocType(
    code=CODE, model=Schedule, label=_l("Construction schedule"), label_plural=_l("Construction schedules"),
    fields=SCHEDULE_FIELDS, workflow=SCHEDULE_WORKFLOW, number_prefix="JH", print_title="施工进度计划表",
    menu_order=20, before_save=save_schedule, visibility=on_my_projects(Schedule),
    edited_by=lambda schedule, user: user.id in (db.session.get(EngProject, schedule.project_id).engineer_ids()
                                                 if schedule.project_id else ()),
    lines=Lines("tasks", ScheduleTask, fields=TASK_FIELDS, blank_rows=2),
    columns=[Column("plan_type", _l("Plan type"), kind="choice", choices=dict(PLAN_TYPES)),
             Column("period_start", _l("Plan period from"), kind="date"),
             Column("period_end", _l("Plan period to"), kind="date"),
             Column("baseline_version", _l("Baseline version"), kind="number")],
    panels=[Panel("engineering/schedule_gantt.html", lambda schedule, user: {"charts": [chart(schedule, user)]},
                  scripts=GANTT_SCRIPTS, styles=GANTT_STYLES)],
)


def doctype():
    return current_app.extensions["erp"].doctypes.get(CODE, SCHEDULE)


def version_key(schedule):
    """The schedules one baseline replaces: the project's overall schedule; a monthly or weekly
    plan of the same period."""
    clause = [Schedule.project_id == schedule.project_id, Schedule.plan_type == schedule.plan_type]
    if schedule.plan_type != "overall":
        clause.append(Schedule.period_start == schedule.period_start)
    return and_(*clause)


def approved(schedule, user, because: str = "") -> None:
    """A schedule became a baseline: it takes the next version, the baseline it replaces is
    superseded."""
    key = version_key(schedule)
    last = db.session.scalar(select(func.max(Schedule.baseline_version)).where(key, Schedule.id != schedule.id))
    schedule.baseline_version = (last or 0) + 1
    for old in db.session.scalars(select(Schedule).where(key, Schedule.state == "approved", Schedule.id != schedule.id)):
        engine.carry(old, "superseded", user, because or _("Replaced by %(number)s", number=schedule.number))


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Schedule) and transition.name in ("approve", "rebaselined") \
            and document.state == "approved":
        approved(document, user)


# ---- re-baselining (F-T09, changes) -------------------------------------------------------------
def rebaseline(project, days: int, user, because: str) -> Schedule | None:
    """Move the open tasks (not done) of the project's current overall schedule `days` calendar
    days later (earlier if negative) in a new approved baseline version; the old version is kept,
    superseded. A schedule not yet approved is moved in place. Returns the schedule in force
    (None when the project has no schedule). Not committed."""
    from core.documents import service
    current = current_schedule(project.id)
    if current is None or not days:
        return current
    if current.state != "approved":
        shift(current.tasks, days)
        current.period_end = moved_end(current, days)
        return current
    new = service.new_document(doctype(), user)
    for name in ("project_id", "plan_type", "period_start", "period_end", "notes", "title"):
        setattr(new, name, getattr(current, name))
    new.owner_id, new.department_id = current.owner_id, current.department_id
    new.previous_number, new.shifted_days, new.rebaseline_reason = current.number, days, (because or "")
    columns = [c.key for c in inspect(ScheduleTask).column_attrs if c.key not in ("id", "schedule_id")]
    new.tasks = [ScheduleTask(**{c: getattr(task, c) for c in columns}) for task in current.tasks]
    shift(new.tasks, days)
    new.period_end = moved_end(new, days)
    service.assign_number(doctype(), new)
    db.session.add(new)
    db.session.flush()
    engine.carry(new, "rebaselined", user, because)
    return new


def moved_end(schedule, days: int) -> date:
    """The plan's period ends `days` later, and not before its last task."""
    return max(schedule.period_end + timedelta(days=days), *(t.plan_end for t in schedule.tasks))


def shift(tasks, days: int) -> None:
    moved = timedelta(days=days)
    for task in tasks:
        if not task.done:
            task.plan_start, task.plan_end = task.plan_start + moved, task.plan_end + moved


# ---- gates --------------------------------------------------------------------------------------
@gate("start")
def schedule_approved(project, user) -> list[Issue]:
    """R-E-031: the works start on an approved overall schedule."""
    if approved_overall(project.id) is None:
        return [Issue(_("Approve the construction schedule first (R-E-031)."), code="R-E-031")]
    return []


@gate("system_test")
def subitems_accepted(project, user) -> list[Issue]:
    """R-E-042: every sub-item of the schedule accepted (F-T21) or waived by the 工程部经理."""
    still_open = [task.label for task in subitems(project.id) if task.is_open_subitem]
    if still_open:
        return [Issue(_("Sub-items not yet accepted (R-E-042): %(items)s.", items="、".join(still_open)),
                      code="R-E-042")]
    return []


# ---- overdue tasks ------------------------------------------------------------------------------
def _overdue_clause(today: date):
    return and_(Schedule.state == "approved", Schedule.plan_type == "overall", EngProject.state.in_(ACTIVE),
                ScheduleTask.plan_end < today, ScheduleTask.actual_end.is_(None),
                or_(ScheduleTask.pct_done.is_(None), ScheduleTask.pct_done < 100))


def _overdue_tasks_query(columns):
    return (select(*columns).select_from(ScheduleTask)
            .join(Schedule, Schedule.id == ScheduleTask.schedule_id)
            .join(EngProject, EngProject.id == Schedule.project_id)
            .where(_overdue_clause(calendar_today.today())))


def overdue_tasks(project_ids=None) -> int:
    """How many tasks of the active projects' baselines are past their planned finish and not
    done (of `project_ids` only, if given: a subquery or a list)."""
    stmt = _overdue_tasks_query([func.count()])
    if project_ids is not None:
        stmt = stmt.where(Schedule.project_id.in_(project_ids))
    return db.session.scalar(stmt) or 0


@hookimpl
def erp_reminders(now):
    """The project's engineers are reminded of each task overdue (once per task and finish date)."""
    from core.reminders import Reminder
    from core.documents.derived import as_utc
    from core import calendar as cal
    rows = db.session.execute(_overdue_tasks_query([
        ScheduleTask.id, ScheduleTask.wbs, ScheduleTask.name, ScheduleTask.plan_end, Schedule.id.label("schedule_id"),
        EngProject.number, EngProject.engineer_id, EngProject.deputy_engineer_id])).all()
    out = []
    for r in rows:
        due = as_utc(cal.deadline_end_of_work(r.plan_end))
        for uid in {r.engineer_id, r.deputy_engineer_id} - {None}:
            out.append(Reminder(f"{CODE}.overdue:{r.id}:{r.plan_end.isoformat()}:{uid}", uid,
                                _("Task overdue on project %(number)s: %(task)s", number=r.number,
                                  task=f"{r.wbs} {r.name}"), due, url=f"/engineering/schedule/{r.schedule_id}"))
    return out


# ---- the chart ----------------------------------------------------------------------------------
def gantt_data(schedule) -> list[dict]:
    """The schedule's tasks as frappe-gantt reads them; overdue tasks carry the class ``overdue``."""
    today = calendar_today.today()
    ids = {task.wbs: f"t{task.id}" for task in schedule.tasks}
    out = []
    for task in schedule.tasks:
        if not (task.plan_start and task.plan_end):
            continue
        classes = ["overdue"] if task.is_overdue(today) else []
        if task.milestone:
            classes.append("milestone")
        if task.is_subitem:
            classes.append("subitem")
        out.append({"id": f"t{task.id}", "name": task.label, "start": task.plan_start.isoformat(),
                    "end": task.plan_end.isoformat(), "progress": float(task.pct_done or (100 if task.done else 0)),
                    "dependencies": ",".join(ids[c] for c in codes_of(task.predecessors) if c in ids),
                    "custom_class": " ".join(classes)})
    return out


def acceptance_link(schedule, task) -> str:
    """The new F-T20 form prefilled with the project and the sub-item (forms' document type)."""
    from urllib.parse import urlencode
    return "/engineering/ft20/new?" + urlencode({"project_id": schedule.project_id, "task_id": task.id,
                                                  "subitem_name": task.name})


def chart(schedule, user) -> dict:
    """What the Gantt section shows of `schedule`: its tasks, how many are overdue, its sub-items
    with their acceptance (and the link applying for it where the user may)."""
    ft20 = current_app.extensions["erp"].doctypes.get("engineering.ft20")
    may_apply = ft20 is not None and user.can(ft20.permission("create")) and schedule.state in LIVE
    return {"schedule": schedule, "tasks": gantt_data(schedule), "overdue": schedule.overdue_count,
            "subitems": [(task, acceptance_link(schedule, task) if may_apply and task.is_open_subitem else "")
                         for task in schedule.tasks if task.is_subitem]}


def project_panel(project, user) -> dict | None:
    """The project's "进度计划" section: its current schedule's chart, links to its other
    schedules the reader may see."""
    from core.documents import service
    if not user.can(doctype().permission("read")) and not user.can(doctype().permission("read_all")):
        return None
    schedules = db.session.scalars(service.visible(doctype(), user).where(
        Schedule.project_id == project.id, Schedule.state.in_(LIVE))
        .order_by((Schedule.plan_type == "overall").desc(), (Schedule.state == "approved").desc(),
                  Schedule.id.desc())).all()
    return {"charts": [chart(s, user) for s in schedules[:1]], "others": schedules[1:], "project": project,
            "may_create": user.can(doctype().permission("create"))}


PROJECT.add_panel(Panel("engineering/schedule_gantt.html", project_panel, label=_l("Schedule"),
                        scripts=GANTT_SCRIPTS, styles=GANTT_STYLES))


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> list[Schedule]:
    """An approved overall schedule (written by the project engineer, approved by the 工程部经理)
    on each demo project in preparation or under way, with cabling sub-items; the first
    accepted, one task overdue. `users`: {username: User} holding at least "pe" and "eng_mgr"."""
    from flask import g

    from core.documents import service
    pe, manager = users.get("pe"), users.get("eng_mgr")
    if pe is None or manager is None:
        return []
    projects = db.session.scalars(select(EngProject).where(
        EngProject.state.in_(("planning", "start_applied", "in_construction")),
        EngProject.id.in_(my_projects(pe))).order_by(EngProject.id)).all()
    made = []
    for project in projects:
        if current_schedule(project.id) is not None:
            continue
        start = project.planned_start or calendar_today.today() - timedelta(days=20)
        plan = [  # wbs, name, quantity, unit, responsible, first day, days, predecessors, milestone, sub-item
            ("1", "施工准备与材料进场", None, "", "项目工程师", 0, 5, "", False, False),
            ("2", "桥架及管路敷设", "850", "米", "施工队", 5, 10, "1", False, True),
            ("3", "水平线缆敷设", "420", "点", "施工队", 15, 12, "2", False, True),
            ("4", "主干光缆敷设与熔接", "6", "芯", "施工队", 20, 6, "2", False, True),
            ("5", "机柜与配线架安装", "4", "台", "施工队", 27, 5, "3,4", False, True),
            ("6", "网络设备安装与配置", "12", "台", "项目工程师", 32, 6, "5", False, True),
            ("7", "分项工程验收完成", None, "", "工程部经理", 38, 1, "6", True, False),
        ]
        g.audit_user = pe
        schedule = service.new_document(SCHEDULE, pe)
        schedule.project_id, schedule.plan_type = project.id, "overall"
        schedule.period_start = start
        schedule.period_end = start + timedelta(days=45)
        schedule.notes = "按合同工期编制，节假日不施工。"
        for wbs, name, qty, unit, who, first, days, before, milestone, subitem in plan:
            schedule.tasks.append(ScheduleTask(
                wbs=wbs, name=name, quantity=Decimal(qty) if qty else None, unit=unit, responsible=who,
                plan_start=start + timedelta(days=first), plan_end=start + timedelta(days=first + days - 1),
                predecessors=before, milestone=milestone, is_subitem=subitem))
        save_schedule(schedule)
        service.assign_number(SCHEDULE, schedule)
        db.session.add(schedule)
        db.session.commit()
        engine.perform(SCHEDULE, schedule, "submit", pe)
        g.audit_user = manager
        engine.perform(SCHEDULE, schedule, "approve", manager, "同意按此计划组织施工")
        if project.state == "in_construction":
            first_task, second = schedule.tasks[0], schedule.tasks[1]
            first_task.actual_start, first_task.actual_end, first_task.pct_done = start, start + timedelta(days=4), 100
            second.actual_start, second.pct_done = start + timedelta(days=5), Decimal(60)
            mark_subitem_accepted(second.id, start + timedelta(days=14), "")
            db.session.commit()
        made.append(schedule)
    g.audit_user = None
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Schedule, ScheduleTask]


@hookimpl
def erp_document_types():
    return [SCHEDULE]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "submit")]
    manager = engineer + [f"{CODE}.read_all", WAIVE]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-GM", permissions=read + [f"{CODE}.read_all"]),
            RoleTemplate("ROLE-MKT-DIR", permissions=read + [f"{CODE}.read_all"])]


@hookimpl
def erp_permissions():
    from core.auth.permissions import Permission
    return [Permission(WAIVE, _l("Construction schedule: waive a sub-item's acceptance"))]
