"""Engineering reporting (WF-E09): the engineer weekly report (工程师周报, F-E01; R-E-010) and the
monthly progress report to the company (工程进展情况报告, X-E05).

- Weekly report: one per engineer per week (Monday to Sunday), created with a line per project
  he is an engineer of and that is active (work done, person-days, planned and actual progress,
  problems, handling, coordination needed), after-sales and other work, the self-checks (F-E06)
  he recorded that week (counted when the self-check part is installed, else 0) and next week's
  plan. Due on ``eng.weekly_report_day`` at ``eng.weekly_report_due`` (Friday 18:00) on the
  working calendar: when that day is off, the last working day of the week before it (the next
  working day when the week has none before it). A draft past it is overdue in the list; a
  submission after it is late (recorded against R-E-010); a week without one is missing:
  :func:`weekly_report_counts`. Each engineer with active projects and no report of this or last
  week is reminded by its due time. L3: the 工程部经理 reads it with a rating 1-5 or returns it.
- Monthly progress report: the 工程部经理's report of a month; "Generate from the projects" fills
  a line per active project (state and phase, engineer, planned and actual completion and the
  schedule status from the construction schedule when that part is installed, the problems of
  the month's site logs) and the engineers' load. L3: the 总经理 or the 市场总监 reads it. Due on
  the ``eng.progress_report_days``-th working day of the next month.
"""
from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, rules, settings
from core.auth.models import User, users_with_roles
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents.derived import as_utc, local
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, Approvers, ByRole, Issue, Transition, engine, lifecycles

from .projects import ACTIVE, CODE as PROJECT_CODE, PHASE_OF, PHASES, STATES, EngProject
from .site import SiteLog, with_transition

WEEKLY_CODE = "engineering.weekly_report"
MONTHLY_CODE = "engineering.progress_report"
SUBMITTED = ("submitted", "read", "archived")
WEEKDAYS = [("MON", _l("Monday")), ("TUE", _l("Tuesday")), ("WED", _l("Wednesday")), ("THU", _l("Thursday")),
            ("FRI", _l("Friday")), ("SAT", _l("Saturday")), ("SUN", _l("Sunday"))]
RATING = Field("rating", _l("Engineering manager's rating (1-5)"), "integer", required=True, minimum=1, maximum=5)


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def weekly_due(monday: date) -> datetime:
    """R-E-010: the week's report is due on ``eng.weekly_report_day`` at ``eng.weekly_report_due``;
    that day off, on the last working day of the week before it (else the next working day)."""
    day = monday + timedelta(days=[v for v, _label in WEEKDAYS].index(settings.get("eng.weekly_report_day")))
    if not cal.is_working_day(day):
        before = cal.previous_working_day(day)
        day = before if before >= monday else cal.next_working_day(day)
    return datetime.combine(day, settings.get("eng.weekly_report_due"), tzinfo=cal.timezone())


def engineers_of_active_projects() -> set[int]:
    """The active users who are an engineer of an active project (one query)."""
    rows = db.session.execute(select(EngProject.engineer_id, EngProject.deputy_engineer_id).where(
        EngProject.state.in_(ACTIVE))).all()
    ids = {uid for row in rows for uid in row if uid}
    if not ids:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True))))


def active_projects_of(user_id: int) -> list[EngProject]:
    return list(db.session.scalars(select(EngProject).where(
        EngProject.state.in_(ACTIVE), or_(EngProject.engineer_id == user_id, EngProject.deputy_engineer_id == user_id))
        .order_by(EngProject.id)))


def selfchecks_done(user_id: int, first: date, last: date) -> int:
    """F-E06 self-checks `user_id` recorded from `first` to `last` (0 without the self-check part)."""
    doctype = current_app.extensions["erp"].doctypes.get("engineering.selfcheck")
    if doctype is None or not hasattr(doctype.model, "check_date"):
        return 0
    M = doctype.model
    return db.session.scalar(select(db.func.count(M.id)).where(
        M.owner_id == user_id, M.check_date >= first, M.check_date <= last, M.state != "draft")) or 0


# ---- 工程师周报 F-E01 -------------------------------------------------------------------------------
WORK_FIELDS = [
    Field("project", _l("Project"), "reference", target=PROJECT_CODE),
    Field("project_name", _l("Project or work item"), max_length=200),
    Field("work_done", _l("Work done"), "textarea"),
    Field("person_days", _l("Person-days"), "decimal", minimum=0, maximum=1000, total=True),
    Field("planned_pct", _l("Planned progress (%)"), "percent", minimum=0, maximum=100),
    Field("actual_pct", _l("Actual progress (%)"), "percent", minimum=0, maximum=100),
    Field("issues", _l("Problems"), "textarea"),
    Field("handling", _l("Handling"), "textarea"),
    Field("coordination", _l("Coordination needed"), "textarea"),
]

WEEKLY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("week_start", _l("Week (any day in it)"), "date", required=True, default=lambda: calendar_today.today()),
    Field("week_end", _l("Week ending"), "date", readonly=True),
    Field("service_work", _l("After-sales service work"), "textarea"),
    Field("other_work", _l("Other work"), "textarea",
          help=_l("Internal IT maintenance, training, pre-sales support.")),
    Field("selfchecks_done", _l("Self-checks this week"), "integer", readonly=True),
    Field("next_week", _l("Plan for next week"), "textarea", required_in=SUBMITTED),
    Field("support_needed", _l("Support needed from the manager"), "textarea"),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_at", _l("Submitted at"), "datetime", readonly=True),
    Field("submitted_late", _l("Submitted late"), "bool", readonly=True),
    Field("rating", RATING.label, "integer", readonly=True),
]


class WeeklyReport(Document, declared_columns(WEEKLY_FIELDS[1:]), db.Model):
    """工程师周报 (F-E01)."""
    __tablename__ = "eng_weekly_report"
    __table_extra__ = (UniqueConstraint("owner_id", "week_start"),)

    project_work = relationship(lambda: WeeklyWorkLine, cascade="all, delete-orphan",
                                order_by=lambda: WeeklyWorkLine.id, lazy="selectin")


class WeeklyWorkLine(declared_columns(WORK_FIELDS), db.Model):
    __tablename__ = "eng_weekly_report_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("eng_weekly_report.id", ondelete="CASCADE"), index=True)


def prefill_projects(report) -> None:
    """A line per active project of the report's author."""
    for project in active_projects_of(report.owner_id):
        report.project_work.append(WeeklyWorkLine(project_id=project.id,
                                                  project_name=f"{project.number} {project.title}"[:200]))


def save_weekly(report):
    if report.week_start is None:
        raise ValidationFailed({"week_start": [_("Enter the week.")]})
    first, last = week_of(report.week_start)
    if first > calendar_today.today():
        raise ValidationFailed({"week_start": [_("This week has not begun yet.")]})
    clash = select(WeeklyReport.number).where(WeeklyReport.owner_id == report.owner_id,
                                              WeeklyReport.week_start == first)
    if report.id:
        clash = clash.where(WeeklyReport.id != report.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"week_start": [_(
            "You already have a weekly report for %(first)s – %(last)s (%(number)s): one per engineer per week.",
            first=first.isoformat(), last=last.isoformat(), number=number)]})
    report.week_start, report.week_end = first, last
    report.due_at = as_utc(weekly_due(first))
    owner = db.session.get(User, report.owner_id)
    report.title = f"{owner.display_name if owner else ''} {first.isoformat()} – {last.isoformat()}".strip()[:200]
    if report.id is None and not report.project_work:
        prefill_projects(report)
    ids = {line.project_id for line in report.project_work if line.project_id}
    names = dict(db.session.execute(select(EngProject.id, EngProject.number + " " + EngProject.title).where(
        EngProject.id.in_(ids))).all()) if ids else {}
    for n, line in enumerate(report.project_work, start=1):
        if line.project_id and not (line.project_name or "").strip():
            line.project_name = (names.get(line.project_id) or "")[:200]
        if not line.project_id and not (line.project_name or "").strip():
            raise ValidationFailed({"project_work": [_("Line %(n)s: name the project or the work.", n=n)]})
    report.selfchecks_done = selfchecks_done(report.owner_id, first, last)


def projects_reported(report, user) -> list[Issue]:
    """F-E01: with active projects, a line per project's work, each saying what was done."""
    issues = []
    if not report.project_work and active_projects_of(report.owner_id):
        issues.append(Issue(_("Report the work on your active projects."), field="project_work"))
    for n, line in enumerate(report.project_work, start=1):
        if not (line.work_done or "").strip():
            issues.append(Issue(_("Line %(n)s (%(project)s): say what was done.", n=n, project=line.project_name),
                                field="project_work"))
    return issues


WEEKLY_WORKFLOW = lifecycles.report(
    readers=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))])
with_transition(WEEKLY_WORKFLOW, "submit", conditions=(projects_reported,))
with_transition(WEEKLY_WORKFLOW, "read", fields=(RATING,))

WEEKLY = DocType(
    code=WEEKLY_CODE, model=WeeklyReport, label=_l("Engineer weekly report"),
    label_plural=_l("Engineer weekly reports"), fields=WEEKLY_FIELDS, workflow=WEEKLY_WORKFLOW, number_prefix="GZ",
    print_title="工程师周报", menu_order=60, before_save=save_weekly, deadline=Deadline("due_at", states=("draft",)),
    lines=Lines("project_work", WeeklyWorkLine, fields=WORK_FIELDS, blank_rows=1),
    columns=[Column("week_start", _l("Week (any day in it)"), kind="date"),
             Column("due_at", _l("Due"), kind="datetime"),
             Column("submitted_late", _l("Submitted late"), kind="bool"),
             Column("rating", RATING.label, kind="number")],
)


def weekly_report_counts(start: date, end: date, user_ids=None) -> dict[int, tuple[int, int, int]]:
    """user id -> (on time, late, missing) weekly reports of the weeks beginning from `start`'s
    Monday to `end`. Missing: a week whose report is due and was never submitted. The people
    counted are `user_ids`, else the engineers of active projects and whoever wrote a report of
    those weeks. Two queries (the reports, the engineers) whatever the period."""
    first = week_of(start)[0]
    mondays = [first + timedelta(days=7 * n) for n in range((end - first).days // 7 + 1)] if end >= first else []
    rows = db.session.execute(select(WeeklyReport.owner_id, WeeklyReport.week_start, WeeklyReport.submitted_at,
                                     WeeklyReport.submitted_late).where(
        WeeklyReport.week_start >= first, WeeklyReport.week_start <= end)).all()
    people = set(user_ids) if user_ids is not None else engineers_of_active_projects() | {r.owner_id for r in rows}
    handed_in = {(r.owner_id, r.week_start): r.submitted_late for r in rows if r.submitted_at is not None}
    now = calendar_today.now()
    counts = {uid: [0, 0, 0] for uid in people}
    for monday in mondays:
        overdue = now > weekly_due(monday)
        for uid in people:
            late = handed_in.get((uid, monday))
            if late is not None:
                counts[uid][1 if late else 0] += 1
            elif overdue:
                counts[uid][2] += 1
    return {uid: tuple(c) for uid, c in counts.items()}


def weekly_reminders(now) -> list:
    """R-E-010: each engineer with active projects and no report of this week or the last, by its due time."""
    from core.reminders import Reminder
    writers = engineers_of_active_projects()
    if not writers:
        return []
    monday = week_of(now.astimezone(cal.timezone()).date())[0]
    weeks = (monday - timedelta(days=7), monday)
    have = set(db.session.execute(select(WeeklyReport.owner_id, WeeklyReport.week_start).where(
        WeeklyReport.week_start.in_(weeks), WeeklyReport.owner_id.in_(writers))).all())
    # A week before the engineer had a project to report on is not asked for.
    since: dict[int, date] = {}
    for engineer, deputy, created in db.session.execute(select(
            EngProject.engineer_id, EngProject.deputy_engineer_id, EngProject.created_at).where(
            EngProject.state.in_(ACTIVE))):
        day = local(created).date() if created else monday
        for uid in (engineer, deputy):
            if uid in writers and day < since.get(uid, date.max):
                since[uid] = day
    return [Reminder(f"{WEEKLY_CODE}:{week.isoformat()}:user:{uid}", uid,
                     _("Write your weekly report of %(first)s – %(last)s", first=week.isoformat(),
                       last=(week + timedelta(days=6)).isoformat()),
                     weekly_due(week), url=f"/engineering/weekly_report/new?week_start={week.isoformat()}")
            for week in weeks for uid in sorted(writers)
            if (uid, week) not in have and week + timedelta(days=6) >= since.get(uid, week)]


# ---- 工程进展情况报告 X-E05 ------------------------------------------------------------------------
SCHEDULE_STATUS = [("normal", _l("On schedule")), ("warning", _l("At risk")), ("delayed", _l("Delayed"))]

PROGRESS_FIELDS = [
    Field("project", _l("Project"), "reference", target=PROJECT_CODE, readonly=True),
    Field("engineer_name", _l("Project engineer"), readonly=True, max_length=60),
    Field("state_label", _l("State"), readonly=True, max_length=60),
    Field("phase_label", _l("Phase"), readonly=True, max_length=40),
    Field("planned_pct", _l("Planned completion (%)"), "percent", readonly=True),
    Field("actual_pct", _l("Actual completion (%)"), "percent", readonly=True),
    Field("schedule_status", _l("Schedule status"), "choice", choices=SCHEDULE_STATUS, readonly=True),
    Field("issues", _l("Problems"), "textarea"),
]

MONTHLY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("month", _l("Month (any day in it)"), "date", required=True,
          default=lambda: calendar_today.today().replace(day=1)),
    Field("month_end", _l("Month ending"), "date", readonly=True),
    Field("summary", _l("Summary"), "textarea", required_in=SUBMITTED),
    Field("resource_load", _l("Engineers' load"), "textarea", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
]


class ProgressReport(Document, declared_columns(MONTHLY_FIELDS[1:]), db.Model):
    """工程进展情况报告 (X-E05)."""
    __tablename__ = "eng_progress_report"

    lines = relationship(lambda: ProgressLine, cascade="all, delete-orphan", order_by=lambda: ProgressLine.id,
                         lazy="selectin")


class ProgressLine(declared_columns(PROGRESS_FIELDS), db.Model):
    __tablename__ = "eng_progress_report_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("eng_progress_report.id", ondelete="CASCADE"), index=True)


def month_span(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def schedule_progress(project_id: int, day: date):
    """(planned %, actual %, status) of the project's current construction schedule at `day`,
    weighted by the tasks' planned days; None without the schedule part or a schedule. Status:
    on schedule up to 5 points behind the plan, at risk up to 15, delayed beyond."""
    doctype = current_app.extensions["erp"].doctypes.get("engineering.schedule")
    current = getattr(sys.modules.get(doctype.model.__module__), "current_schedule", None) if doctype else None
    schedule = current(project_id) if current and doctype.lines else None
    tasks = [t for t in getattr(schedule, doctype.lines.attribute, ()) if t.plan_start and t.plan_end] \
        if schedule is not None else []
    if not tasks:
        return None
    planned = actual = total = Decimal(0)
    for task in tasks:
        days = Decimal((task.plan_end - task.plan_start).days + 1)
        elapsed = min(max(Decimal((day - task.plan_start).days + 1), Decimal(0)), days)
        done = Decimal(100) if getattr(task, "actual_end", None) else min(Decimal(task.pct_done or 0), Decimal(100))
        total += days
        planned += elapsed * 100
        actual += days * done
    planned, actual = (planned / total).quantize(Decimal("0.01")), (actual / total).quantize(Decimal("0.01"))
    gap = planned - actual
    return planned, actual, "normal" if gap <= 5 else "warning" if gap <= 15 else "delayed"


def generate(report) -> None:
    """A line per active project (problems typed on a project's line are kept; an empty one takes
    the month's site-log problems), and the engineers' load."""
    first, last = month_span(report.month)
    typed = {line.project_id: line.issues for line in report.lines if (line.issues or "").strip()}
    projects = list(db.session.scalars(select(EngProject).where(EngProject.state.in_(ACTIVE)).order_by(EngProject.id)))
    problems: dict[int, list[str]] = {}
    for project_id, text in db.session.execute(select(SiteLog.project_id, SiteLog.problems).where(
            SiteLog.project_id.in_([p.id for p in projects]), SiteLog.log_date >= first, SiteLog.log_date <= last,
            SiteLog.problems != "").order_by(SiteLog.log_date)):
        problems.setdefault(project_id, []).append(text.strip())
    rows, load = [], {}
    for project in projects:
        progress = schedule_progress(project.id, last)
        engineer = project.engineer.display_name if project.engineer else ""
        load[engineer] = load.get(engineer, 0) + 1
        rows.append(ProgressLine(
            project_id=project.id, engineer_name=engineer[:60], state_label=str(STATES[project.state])[:60],
            phase_label=str(PHASES[PHASE_OF[project.state]])[:40],
            planned_pct=progress[0] if progress else None, actual_pct=progress[1] if progress else None,
            schedule_status=progress[2] if progress else "",
            issues=typed.get(project.id) or "；".join(problems.get(project.id, []))[:2000]))
    report.lines = rows
    report.resource_load = "\n".join(_("%(engineer)s: %(count)s active projects", engineer=name or _("Not assigned"),
                                       count=count) for name, count in sorted(load.items()))


def save_monthly(report):
    if report.month is None:
        raise ValidationFailed({"month": [_("Enter the month.")]})
    first, last = month_span(report.month)
    clash = select(ProgressReport.number).where(ProgressReport.month == first)
    if report.id:
        clash = clash.where(ProgressReport.id != report.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"month": [_("The progress report of %(month)s exists already (%(number)s).",
                                            month=first.strftime("%Y-%m"), number=number)]})
    report.month, report.month_end = first, last
    report.title = f"{first.year}年{first.month}月工程进展情况报告"
    report.due_at = as_utc(cal.deadline_end_of_work(
        cal.add_working_days(last, int(settings.get("eng.progress_report_days")))))
    if report.id is None and not report.lines:
        generate(report)


class Directors(Approvers):
    """The 总经理 and the 市场总监: either reads the department's report."""
    def users(self, document):
        return users_with_roles("ROLE-GM", "ROLE-MKT-DIR")


MONTHLY_WORKFLOW = lifecycles.report(
    readers=[ApprovalStep("directors", _l("General manager or marketing director"), Directors())])
MONTHLY_WORKFLOW.transitions.insert(0, Transition(
    "generate", _l("Generate from the projects"), ["draft"], None, style="outline-primary", waits=False,
    done_message=_l("The lines were filled from the projects.")))

MONTHLY = DocType(
    code=MONTHLY_CODE, model=ProgressReport, label=_l("Engineering progress report"),
    label_plural=_l("Monthly progress reports"), fields=MONTHLY_FIELDS, workflow=MONTHLY_WORKFLOW,
    number_prefix="JZ", print_title="工程进展情况报告", menu_order=62, before_save=save_monthly,
    deadline=Deadline("due_at", states=("draft",)),
    lines=Lines("lines", ProgressLine, fields=PROGRESS_FIELDS, blank_rows=0),
    columns=[Column("month", _l("Month (any day in it)"), kind="date"), Column("due_at", _l("Due"), kind="datetime")],
)


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, ProgressReport) and transition.name == "generate":
        generate(document)
    elif isinstance(document, WeeklyReport) and transition.name == "submit" and document.submitted_at is None:
        now = calendar_today.now()
        document.submitted_at = as_utc(now)
        document.submitted_late = now > weekly_due(document.week_start)
        document.selfchecks_done = selfchecks_done(document.owner_id, document.week_start, document.week_end)
        if document.submitted_late:
            rules.record_violation("R-E-010", "deadline_missed", user_id=document.owner_id, document=document,
                                   details=_("Submitted after %(due)s.",
                                             due=weekly_due(document.week_start).strftime("%Y-%m-%d %H:%M")))


@hookimpl
def erp_reminders(now):
    return weekly_reminders(now)


# ---- demo data ----------------------------------------------------------------------------------
def demo(users) -> list:
    """Last week's submitted weekly report of each engineer of an active project, and last month's
    progress report generated by the engineering manager (``users["eng_mgr"]``, else the first
    holder of ROLE-ENG-MGR). Returns the records made (not committed)."""
    from core.documents import service
    made = []
    today = calendar_today.today()
    monday = week_of(today)[0] - timedelta(days=7)
    for uid in sorted(engineers_of_active_projects()):
        author = db.session.get(User, uid)
        if db.session.scalar(select(WeeklyReport.id).where(WeeklyReport.owner_id == uid,
                                                           WeeklyReport.week_start == monday)):
            continue
        report = service.new_document(WEEKLY, author)
        report.week_start = monday
        save_weekly(report)
        for line in report.project_work:
            line.work_done = "跟进现场施工，协调施工队与建设单位，检查桥架及穿线质量。"
            line.person_days = Decimal("3")
            line.issues = "部分区域吊顶未封闭前需完成隐蔽工程验收。"
            line.handling = "已与监理约定周三联合验收。"
        report.other_work = "维护公司办公网络，处理两次打印机故障。"
        report.next_week = "完成四层水平布线；准备机房设备安装；提交隐蔽工程验收申请。"
        report.submitted_at = as_utc(weekly_due(monday) - timedelta(hours=3))   # on time, not "now"
        service.assign_number(WEEKLY, report)
        db.session.add(report)
        db.session.flush()
        engine.carry(report, "submit", author)       # the manager's reading task, as the button makes
        made.append(report)
    manager = users.get("eng_mgr") or next(iter(users_with_roles("ROLE-ENG-MGR")), None)
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if manager is not None and not db.session.scalar(select(ProgressReport.id).where(ProgressReport.month == month)):
        report = service.new_document(MONTHLY, manager)
        report.month = month
        save_monthly(report)
        report.summary = "本月在建项目按计划推进；一个项目因甲方空调未到货，机房设备安装顺延一周。"
        service.assign_number(MONTHLY, report)
        db.session.add(report)
        made.append(report)
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [WeeklyReport, WeeklyWorkLine, ProgressReport, ProgressLine]


@hookimpl
def erp_document_types():
    return [WEEKLY, MONTHLY]


@hookimpl
def erp_roles():
    weekly_read = [f"{WEEKLY_CODE}.{a}" for a in ("read", "read_all", "export")]
    monthly_read = [f"{MONTHLY_CODE}.{a}" for a in ("read", "read_all", "export")]
    writer = [f"{WEEKLY_CODE}.{a}" for a in ("read", "create", "edit", "submit", "export")]
    manager = writer + weekly_read + [f"{WEEKLY_CODE}.archive"] + monthly_read + [
        f"{MONTHLY_CODE}.{a}" for a in ("create", "edit", "generate", "submit", "archive")]
    return [RoleTemplate("ROLE-ENG-PE", permissions=writer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-GM", permissions=weekly_read + monthly_read),
            RoleTemplate("ROLE-MKT-DIR", permissions=weekly_read + monthly_read)]


@hookimpl
def erp_settings():
    return [
        Setting("eng.weekly_report_day", "choice", "FRI", _l("Engineer weekly report due on"),
                _l("R-E-010: the weekday the weekly report is due (the last working day before it when it is off)."),
                choices=WEEKDAYS),
        Setting("eng.weekly_report_due", "time", "18:00", _l("Engineer weekly report due at"),
                _l("R-E-010: the time of day the weekly report is due.")),
        Setting("eng.progress_report_days", "int", 5, _l("Monthly progress report due on working day"),
                _l("WF-E09: the engineering progress report of a month is due on this working day of the next "
                   "month."), min=1, max=20),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-010", "工程师周报", "Every project engineer submits the weekly report by its due time.", "deadline",
             params=("eng.weekly_report_day", "eng.weekly_report_due")),
    ]
