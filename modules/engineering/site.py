"""On the site: the site survey record (现场勘探记录, X-E01; R-E-030) and the site log (施工日志,
X-E09; R-E-011).

- Site survey: before implementation the project engineer surveys the site (conditions, cable
  routes, machine room, power and grounding, differences from the pre-sales solution) and records
  it with photos or drawings attached. It is due ``eng.survey_days`` working days after the
  engineer was assigned (the project's last "assign" step in the audit log, else its creation);
  a draft past that is overdue. Confirming it signs it as the project engineer (L4 record); the
  project leaves SURVEY for PLANNING only with a confirmed survey (``@gate("survey")``). When the
  differences change scope or cost, the record says a change proposal (F-T05) is needed before
  the start.
- Site log: one per project per day (a second one is refused with the day named), weather,
  manpower per team, work done, materials used, problems; confirmed (signed) by the engineer.
  With ``eng.site_log_required``, the engineers of a project under construction are reminded of
  a working day's log at its end of work.

Both are listed on the project's page (with "New"), seen by the project's engineers, the
工程部经理 and the directors.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, Deadline, DocType, Document, Lines, Related
from core.documents.derived import as_utc, local
from core.documents.fields import Field, declared_columns, sign
from core.documents.models import Attachment
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, lifecycles

from .projects import ACTIVE, EARLY, PROJECT, EngProject, gate, of_project, on_my_projects
from .views import bp

SURVEY_CODE = "engineering.site_survey"
LOG_CODE = "engineering.site_log"
DONE = ("confirmed", "archived")


def with_transition(workflow, name: str, **changes):
    """`workflow` (a lifecycle) with its transition `name` given more (conditions, a signature)."""
    workflow.transitions = [replace(t, **changes) if t.name == name else t for t in workflow.transitions]
    return workflow


def project_engineers_edit(doc, user) -> bool:
    return doc.project is not None and user.id in doc.project.engineer_ids()


def has_attachment(code: str, doc_id) -> bool:
    return doc_id is not None and db.session.scalar(
        select(Attachment.id).where(Attachment.doctype == code, Attachment.doc_id == doc_id).limit(1)) is not None


# ---- 现场勘探记录 X-E01 ------------------------------------------------------------------------------
PARTICIPANT_FIELDS = [
    Field("org", _l("Organisation taking part"), required=True, max_length=120),
    Field("name", _l("Participant"), required=True, max_length=60),
]

SURVEY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=EARLY),
    Field("survey_date", _l("Survey date"), "date", required=True, default=lambda: calendar_today.today()),
    Field("building", _l("Site and building conditions"), "textarea", required=True),
    Field("routes", _l("Cable routes, trays and conduits"), "textarea", required=True),
    Field("machine_room", _l("Machine room / weak-current room conditions"), "textarea", required=True),
    Field("power_grounding", _l("Power supply and grounding"), "textarea", required=True),
    Field("constraints", _l("Site constraints (hours, access, hot work)"), "textarea"),
    Field("differences", _l("Differences from the pre-sales solution"), "textarea", required=True,
          help=_l("Write “none” when the site matches the solution.")),
    Field("change_needed", _l("The differences change scope or cost"), "bool",
          help=_l("Then a change proposal (F-T05) is needed before the start.")),
    Field("follow_up", _l("Follow-up"), readonly=True, max_length=200),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("pe_sig", _l("Project engineer"), "sig", readonly=True),
]


class SiteSurvey(Document, declared_columns([f for f in SURVEY_FIELDS if f.name not in ("title", "project")]),
                 db.Model):
    """现场勘探记录 (X-E01)."""
    __tablename__ = "eng_site_survey"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    participants = relationship(lambda: SurveyParticipant, cascade="all, delete-orphan",
                                order_by=lambda: SurveyParticipant.id, lazy="selectin")


class SurveyParticipant(declared_columns(PARTICIPANT_FIELDS), db.Model):
    __tablename__ = "eng_site_survey_participant"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("eng_site_survey.id", ondelete="CASCADE"), index=True)


def assigned_on(projects) -> dict[int, date]:
    """project id -> the day its engineer was last assigned: its last "assign" step in the audit
    log, else its creation (one query)."""
    from core.audit.models import AuditEntry
    ids = {str(p.id): p for p in projects}
    stamps = dict(db.session.execute(select(AuditEntry.record_id, func.max(AuditEntry.ts)).where(
        AuditEntry.action == "transition", AuditEntry.model == EngProject.__tablename__,
        AuditEntry.record_id.in_(ids), AuditEntry.changes.like('%"transition": "assign"%'))
        .group_by(AuditEntry.record_id)).all()) if ids else {}
    out = {}
    for key, project in ids.items():
        moment = stamps.get(key) or project.created_at
        out[project.id] = local(moment).date() if moment is not None else calendar_today.today()
    return out


def survey_due(project, assigned: date | None = None):
    """R-E-030: the end of work `eng.survey_days` working days after the engineer's assignment (UTC)."""
    assigned = assigned or assigned_on([project])[project.id]
    day = cal.add_working_days(assigned, int(settings.get("eng.survey_days")))
    return as_utc(cal.deadline_end_of_work(day))


def save_survey(survey):
    project = db.session.get(EngProject, survey.project_id) if survey.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project surveyed.")]})
    survey.project = project
    survey.title = f"{project.number} {project.title}"[:200]
    survey.due_at = survey_due(project)
    survey.follow_up = _("A change proposal (F-T05) is needed before the start.") if survey.change_needed else ""


def photos_attached(survey, user) -> list[Issue]:
    if not has_attachment(SURVEY_CODE, survey.id):
        return [Issue(_("Attach the site photos or drawings first."), field="attachments")]
    return []


def participants_named(survey, user) -> list[Issue]:
    if not survey.participants:
        return [Issue(_("Name who took part in the survey."), field="participants")]
    return []


SURVEY_WORKFLOW = with_transition(lifecycles.record(), "confirm", label=_l("Confirm and sign"),
                                  conditions=(participants_named, photos_attached), signs=_l("Project engineer"))

SURVEY = DocType(
    code=SURVEY_CODE, model=SiteSurvey, label=_l("Site survey record"), label_plural=_l("Site surveys"),
    fields=SURVEY_FIELDS, workflow=SURVEY_WORKFLOW, number_prefix="KT", print_title="现场勘探记录", menu_order=20,
    before_save=save_survey, visibility=on_my_projects(SiteSurvey), edited_by=project_engineers_edit,
    deadline=Deadline("due_at", states=("draft",)),
    lines=Lines("participants", SurveyParticipant, fields=PARTICIPANT_FIELDS, blank_rows=2),
    columns=[Column("survey_date", _l("Survey date"), kind="date"),
             Column("change_needed", _l("The differences change scope or cost"), kind="bool"),
             Column("due_at", _l("Due"), kind="datetime")],
)


@gate("survey")
def survey_recorded(project, user) -> list[Issue]:
    """R-E-030: the project leaves SURVEY with a confirmed site survey record."""
    found = db.session.scalar(select(SiteSurvey.id).where(SiteSurvey.project_id == project.id,
                                                          SiteSurvey.state.in_(DONE)).limit(1))
    if found is None:
        return [Issue(_("Record and confirm the site survey record (现场勘探记录) first (R-E-030)."),
                      code="R-E-030")]
    return []


# ---- 施工日志 X-E09 ------------------------------------------------------------------------------
MANPOWER_FIELDS = [
    Field("team", _l("Team or company"), required=True, max_length=120),
    Field("trade", _l("Trade"), max_length=60),
    Field("count", _l("Workers"), "integer", required=True, minimum=0, maximum=10000, total=True),
]

LOG_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE),
    Field("log_date", _l("Date"), "date", required=True, default=lambda: calendar_today.today(),
          readonly_in=DONE),
    Field("weather", _l("Weather"), max_length=60),
    Field("work_done", _l("Work done"), "textarea", required=True),
    Field("materials_used", _l("Materials used"), "textarea"),
    Field("inspections", _l("Inspections and tests"), "textarea"),
    Field("problems", _l("Problems"), "textarea"),
    Field("visitors", _l("Visitors and instructions"), "textarea"),
    Field("pe_sig", _l("Project engineer"), "sig", readonly=True),
]


class SiteLog(Document, declared_columns([f for f in LOG_FIELDS if f.name not in ("title", "project")]), db.Model):
    """施工日志 (X-E09)."""
    __tablename__ = "eng_site_log"
    __table_extra__ = (UniqueConstraint("project_id", "log_date"),)
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    manpower = relationship(lambda: SiteLogManpower, cascade="all, delete-orphan",
                            order_by=lambda: SiteLogManpower.id, lazy="selectin")


class SiteLogManpower(declared_columns(MANPOWER_FIELDS), db.Model):
    __tablename__ = "eng_site_log_manpower"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("eng_site_log.id", ondelete="CASCADE"), index=True)


def save_log(log):
    project = db.session.get(EngProject, log.project_id) if log.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    if log.log_date is None or log.log_date > calendar_today.today():
        raise ValidationFailed({"log_date": [_("A site log records a day that has begun.")]})
    clash = select(SiteLog.number).where(SiteLog.project_id == project.id, SiteLog.log_date == log.log_date)
    if log.id:
        clash = clash.where(SiteLog.id != log.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"log_date": [_(
            "Project %(project)s already has a site log for %(day)s (%(number)s): one per project per day.",
            project=project.number, day=log.log_date.isoformat(), number=number)]})
    log.project = project
    log.title = f"{project.number} {log.log_date.isoformat()}"


LOG = DocType(
    code=LOG_CODE, model=SiteLog, label=_l("Site log"), label_plural=_l("Site logs"), fields=LOG_FIELDS,
    workflow=with_transition(lifecycles.record(), "confirm", label=_l("Confirm and sign"),
                             signs=_l("Project engineer")),
    number_prefix="RZ", print_title="施工日志", menu_order=22, before_save=save_log,
    visibility=on_my_projects(SiteLog), edited_by=project_engineers_edit,
    lines=Lines("manpower", SiteLogManpower, fields=MANPOWER_FIELDS, blank_rows=2),
    columns=[Column("log_date", _l("Date"), kind="date"), Column("weather", _l("Weather"))],
    search=("work_done", "problems"),
)

PROJECT.relate(Related(_l("Site survey records"), SURVEY_CODE, "project_id"))
PROJECT.add_action(Action(_l("Record the site survey"), "engineering.record_survey",
                          permission=f"{SURVEY_CODE}.create", states=("received", "survey")))
PROJECT.relate(Related(_l("Site logs"), LOG_CODE, "project_id"))


@bp.route("/project/<int:doc_id>/site-survey")
@permission_required(f"{SURVEY_CODE}.create")
def record_survey(doc_id):
    """记录现场勘探 on the project's page: a new survey record of the project."""
    return redirect(url_for("engineering.site_survey_create", project_id=doc_id))


def tell_managers_of_changes(survey) -> None:
    """WF-E02: differences that change scope or cost need a change proposal before the start: the
    工程部经理 hears of it when the survey is confirmed."""
    from core.auth.models import users_with_roles
    from core.reminders import notify
    for manager in users_with_roles("ROLE-ENG-MGR"):
        notify(manager.id, f"{SURVEY_CODE}:{survey.id}:change_needed",
               _("Site survey %(number)s: a change proposal is needed before the start of %(project)s",
                 number=survey.number, project=survey.project.number),
               survey.differences, f"/engineering/site_survey/{survey.id}")


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, (SiteSurvey, SiteLog)) and transition.name == "confirm":
        sign(document, "pe_sig", user, "agree")
        if isinstance(document, SiteSurvey) and document.change_needed:
            tell_managers_of_changes(document)


# ---- reminders ----------------------------------------------------------------------------------
def survey_reminders(now) -> list:
    """R-E-030: the engineer of a project still before its survey, with no survey record begun, by
    the survey's due time (a record begun is reminded of by its own deadline)."""
    from core.reminders import Reminder
    begun = select(SiteSurvey.project_id)
    projects = list(db.session.scalars(select(EngProject).where(
        EngProject.state.in_(("received", "survey")), EngProject.engineer_id.is_not(None),
        EngProject.id.not_in(begun))))
    assigned = assigned_on(projects)
    out = []
    for project in projects:
        due = survey_due(project, assigned[project.id])
        out.append(Reminder(f"{SURVEY_CODE}:project:{project.id}:{project.engineer_id}", project.engineer_id,
                            _("Survey the site of %(number)s %(title)s", number=project.number, title=project.title),
                            due, url=f"/engineering/site_survey/new?project_id={project.id}"))
    return out


def site_log_reminders(now) -> list:
    """R-E-011: today's site log of each project under construction, by the end of work, to its
    engineers (on working days, while ``eng.site_log_required``)."""
    from core.reminders import Reminder
    today = now.astimezone(cal.timezone()).date()
    if not settings.get("eng.site_log_required") or not cal.is_working_day(today):
        return []
    written = select(SiteLog.project_id).where(SiteLog.log_date == today)
    rows = db.session.execute(select(EngProject.id, EngProject.number, EngProject.engineer_id,
                                     EngProject.deputy_engineer_id).where(
        EngProject.state == "in_construction", EngProject.id.not_in(written))).all()
    due = cal.deadline_end_of_work(today)
    return [Reminder(f"{LOG_CODE}:{row.id}:{today.isoformat()}:{uid}", uid,
                     _("Write today's site log of %(number)s", number=row.number), due,
                     url=f"/engineering/site_log/new?project_id={row.id}")
            for row in rows for uid in (row.engineer_id, row.deputy_engineer_id) if uid]


@hookimpl
def erp_reminders(now):
    return survey_reminders(now) + site_log_reminders(now)


# ---- demo data ----------------------------------------------------------------------------------
def demo(users) -> list:
    """A confirmed site survey on the first demo project past its survey and a few site logs on
    the first one under construction. `users`: {"pe": User, ...} (the project's engineer is used
    when present). Returns the records made (not committed)."""
    from core.documents import service
    made = []
    surveyed = db.session.scalar(select(EngProject).where(EngProject.state.in_(
        ("planning", "start_applied", "in_construction"))).order_by(EngProject.id).limit(1))
    building = db.session.scalar(select(EngProject).where(EngProject.state == "in_construction")
                                 .order_by(EngProject.id).limit(1))
    fallback = users.get("pe")
    if surveyed is not None and not db.session.scalar(select(SiteSurvey.id).where(
            SiteSurvey.project_id == surveyed.id)):
        author = surveyed.engineer or fallback
        survey = service.new_document(SURVEY, author)
        survey.project_id = surveyed.id
        survey.survey_date = calendar_today.today()
        survey.building = "教学楼五层框架结构，吊顶已完成约六成，走廊有检修口。"
        survey.routes = "主干沿走廊吊顶内新敷200×100桥架至各层弱电间，水平线缆穿PVC管暗敷；一层至五层竖井可用。"
        survey.machine_room = "一层东侧中心机房约40㎡，已做防静电地板，需新增两台42U机柜，空调待甲方落实。"
        survey.power_grounding = "机房有独立配电箱，UPS需新购；接地电阻实测3.2Ω，满足要求。"
        survey.constraints = "上课时间禁止电钻作业，施工安排在17:30以后及周末；动火需提前报学校后勤。"
        survey.differences = "五层新增两间多媒体教室，需增加信息点24个，超出售前方案。"
        survey.change_needed = True
        survey.participants.extend([SurveyParticipant(org="我司工程部", name=author.display_name),
                                    SurveyParticipant(org="建设单位信息中心", name="王主任")])
        save_survey(survey)
        survey.state = "confirmed"
        sign(survey, "pe_sig", author, "agree")
        service.assign_number(SURVEY, survey)
        db.session.add(survey)
        made.append(survey)
    if building is not None:
        author = building.engineer or fallback
        today = calendar_today.today()
        days = [cal.add_working_days(today, -n) for n in (3, 2, 1)]
        entries = [("晴", "三层水平桥架安装完成80%，穿线30个点位。", "桥架200×100 60米，六类线4箱", ""),
                   ("多云", "三层穿线完成，开始四层桥架安装。", "六类线6箱，PVC管200米", "四层吊顶内有空调风管，桥架需绕行。"),
                   ("小雨", "四层桥架安装，机房机柜就位。", "42U机柜2台", "甲方空调尚未到货，机房设备暂不上电。")]
        have = set(db.session.scalars(select(SiteLog.log_date).where(SiteLog.project_id == building.id)))
        for day, (weather, work, materials, problems) in zip(days, entries):
            if day in have:
                continue
            log = service.new_document(LOG, author)
            log.project_id, log.log_date, log.weather = building.id, day, weather
            log.work_done, log.materials_used, log.problems = work, materials, problems
            log.manpower.extend([SiteLogManpower(team="宏达弱电施工队", trade="布线", count=6),
                                 SiteLogManpower(team="我司工程部", trade="技术指导", count=1)])
            save_log(log)
            log.state = "confirmed"
            sign(log, "pe_sig", author, "agree")
            service.assign_number(LOG, log)
            db.session.add(log)
            made.append(log)
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [SiteSurvey, SurveyParticipant, SiteLog, SiteLogManpower]


@hookimpl
def erp_document_types():
    return [SURVEY, LOG]


@hookimpl
def erp_roles():
    grants = []
    for code in (SURVEY_CODE, LOG_CODE):
        read = [f"{code}.read", f"{code}.export"]
        engineer = read + [f"{code}.{a}" for a in ("create", "edit", "confirm")]
        grants += [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
                   RoleTemplate("ROLE-ENG-MGR", permissions=engineer + [f"{code}.read_all", f"{code}.archive"]),
                   RoleTemplate("ROLE-GM", permissions=read + [f"{code}.read_all"]),
                   RoleTemplate("ROLE-MKT-DIR", permissions=read + [f"{code}.read_all"])]
    return grants


@hookimpl
def erp_settings():
    return [
        Setting("eng.survey_days", "int", 5, _l("Site survey recorded within (working days)"),
                _l("R-E-030: the site survey record is due this many working days after the project engineer "
                   "is assigned."), min=0, max=60),
        Setting("eng.site_log_required", "bool", True, _l("Daily site log required"),
                _l("R-E-011: the engineers of a project under construction are reminded of each working day's "
                   "site log.")),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-011", "现场考勤与施工日志", "Engineers on site keep a daily site log per active project.",
             "deadline", params=("eng.site_log_required",)),
    ]
