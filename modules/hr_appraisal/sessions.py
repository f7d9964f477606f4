"""Training sessions (培训课程, WF-H02): one lesson given to several new employees at once, with its
attendance (签到) and exam scores; holding it signs off the lesson on every attendee's plan.

A session names its topic, trainer, date and whether it ends with an exam. Saved as planned with
no participants, it invites the employees in training whose plan has that topic still open. The
trainer (or the department manager, or 行政部) records it as held: who attended and, for an exam, each
attendee's score. Then, for every attendee who was there (and passed the exam, ``hr.exam_pass_score``),
the open item of that topic on his plan is signed off on the session's date by the trainer, with
the score; a failed exam is recorded and the item stays open for a retake; an absent attendee's
item stays open (and is reminded when overdue, as any item). A plan whose last item is signed off
is completed.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, exists, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import settings
from core.auth.permissions import RoleTemplate
from core.documents import DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import Issue, Transition, Workflow, engine

from .training import CREATORS, TRAINERS, TrainingItem, TrainingPlan, next_due

SESSION_CODE = "hr_appraisal.training_session"

SESSION_FIELDS = [
    Field("title", _l("Lesson topic"), required=True,
          help=_l("As the training plans name it: holding the session signs off this topic on the attendees' plans.")),
    Field("held_on", _l("Date"), "date", required=True),
    Field("hours", _l("Hours"), "decimal", minimum=0, maximum=24),
    Field("trainer", _l("Trainer"), "user", required=True, listed=True),
    Field("place", _l("Place"), max_length=120),
    Field("exam", _l("Exam"), "bool"),
    Field("content", _l("Lesson content"), "textarea"),
    Field("signed_off_count", _l("Plan items signed off"), "integer", readonly=True),
]
ATTENDEE_FIELDS = [
    Field("employee", _l("Participant"), "user", required=True, listed=True),
    Field("attended", _l("Attended"), "bool", default=True),
    Field("score", _l("Exam score"), "integer", minimum=0, maximum=100),
    Field("note", _l("Note"), max_length=200),
]


class TrainingSession(Document, declared_columns([f for f in SESSION_FIELDS if f.name != "title"]), db.Model):
    """培训课程: a lesson and its attendance."""
    __tablename__ = "hr_training_session"
    attendees = relationship(lambda: SessionAttendee, cascade="all, delete-orphan",
                             order_by=lambda: SessionAttendee.id, lazy="selectin")


class SessionAttendee(declared_columns(ATTENDEE_FIELDS), db.Model):
    __tablename__ = "hr_training_session_attendee"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("hr_training_session.id", ondelete="CASCADE"), index=True)


def _open_items(topic: str, employee_ids=None):
    """(employee id, item) of the plans in training whose item of ``topic`` is not signed off."""
    stmt = (select(TrainingPlan.employee_id, TrainingItem)
            .join(TrainingPlan, TrainingPlan.id == TrainingItem.plan_id)
            .where(TrainingPlan.state == "in_training", TrainingItem.signed_off_on.is_(None),
                   func.lower(func.trim(TrainingItem.topic)) == topic.strip().lower())
            .order_by(TrainingItem.id))
    if employee_ids is not None:
        stmt = stmt.where(TrainingPlan.employee_id.in_(list(employee_ids)))
    return db.session.execute(stmt).all()


def save_session(session):
    """A planned session without participants invites those whose plan has its topic open."""
    if session.state == "draft" and not session.attendees and session.title:
        invited = dict.fromkeys(employee for employee, _item in _open_items(session.title))
        session.attendees.extend(SessionAttendee(employee_id=employee, attended=True) for employee in invited)
    seen = set()
    for line in session.attendees:
        if line.employee_id in seen:
            raise ValidationFailed({"attendees": [_("A participant is listed twice.")]})
        seen.add(line.employee_id)


def may_record(session, user) -> list[Issue]:
    """The trainer, a department manager or 行政部 records the session; there is someone to record."""
    if user.id != session.trainer_id and not any(user.has_role(role) for role in CREATORS):
        return [Issue(_("Only the trainer or a manager records the session."), field="trainer_id")]
    if not session.attendees:
        return [Issue(_("List the participants."), field="attendees")]
    if session.exam:
        missing = [n for n, line in enumerate(session.attendees, start=1) if line.attended and line.score is None]
        if missing:
            return [Issue(_("The session has an exam: give the score of line %(lines)s.",
                            lines="、".join(map(str, missing))), field="attendees")]
    return []


SESSION_WORKFLOW = Workflow(
    states={"draft": _l("Planned"), "held": _l("Held"), "cancelled": _l("Cancelled")},
    initial="draft", editable_states=("draft",),
    transitions=[
        Transition("hold", _l("Record as held"), ["draft"], "held", style="success", conditions=[may_record],
                   assignees=("trainer_id",)),
        Transition("cancel", _l("Cancel"), ["draft"], "cancelled", style="outline-danger", waits=False),
    ],
)


def sign_off_attendees(session, user) -> int:
    """The held session's effect on the attendees' plans; returns how many items were signed off."""
    passing = int(settings.get("hr.exam_pass_score"))
    present = {line.employee_id: line for line in session.attendees if line.attended}
    done, plans = 0, set()
    for employee, item in _open_items(session.title, present):
        line = present[employee]
        if session.exam or item.exam:
            item.score = line.score
        if (session.exam or item.exam) and (line.score is None or line.score < passing):
            continue
        item.signed_off_on, item.signed_off_by_id = session.held_on, session.trainer_id or user.id
        item.trainer_id = item.trainer_id or session.trainer_id
        plans.add(item.plan_id)
        done += 1
    for plan in db.session.scalars(select(TrainingPlan).where(TrainingPlan.id.in_(plans))):
        plan.next_due = next_due(plan)
        if all(i.signed_off_on is not None for i in plan.items):
            engine.carry(plan, "complete", user, _("Every item signed off"))
    session.signed_off_count = done
    return done


def session_visibility(user):
    """The trainer and the participants see a session; the managers read all of them."""
    return or_(TrainingSession.trainer_id == user.id,
               exists().where(SessionAttendee.session_id == TrainingSession.id, SessionAttendee.employee_id == user.id))


SESSION = DocType(
    code=SESSION_CODE, model=TrainingSession, label=_l("Training session"), label_plural=_l("Training sessions"),
    fields=SESSION_FIELDS, workflow=SESSION_WORKFLOW, number_prefix="PXK", print_title="培训签到表",
    lines=Lines("attendees", SessionAttendee, fields=ATTENDEE_FIELDS, blank_rows=2, label=_l("Attendance")),
    visibility=session_visibility, before_save=save_session, menu_order=61, search=("place",),
)


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, TrainingSession) and transition.name == "hold":
        sign_off_attendees(document, user)


@hookimpl
def erp_models():
    return [TrainingSession, SessionAttendee]


@hookimpl
def erp_document_types():
    return [SESSION]


@hookimpl
def erp_roles():
    trainer = [f"{SESSION_CODE}.{a}" for a in ("read", "hold")]
    manager = trainer + [f"{SESSION_CODE}.{a}" for a in ("read_all", "create", "edit", "cancel", "export")]
    return [*(RoleTemplate(role, permissions=trainer) for role in TRAINERS),
            *(RoleTemplate(role, permissions=manager) for role in CREATORS),
            RoleTemplate("ROLE-GM", permissions=[f"{SESSION_CODE}.read_all"])]


def demo() -> None:
    """A safety lesson held for the engineering trainees (their safety item signed off) and a
    product lesson planned: idempotent."""
    from datetime import timedelta

    from flask import g

    from core import calendar_today
    from core.auth.models import User
    from core.documents import service
    if db.session.scalar(select(func.count()).select_from(TrainingSession)):
        return
    open_topics = db.session.execute(
        select(TrainingItem.topic, func.count(TrainingItem.id))
        .join(TrainingPlan, TrainingPlan.id == TrainingItem.plan_id)
        .where(TrainingPlan.state == "in_training", TrainingItem.signed_off_on.is_(None))
        .group_by(TrainingItem.topic).order_by(func.count(TrainingItem.id).desc(), TrainingItem.topic)).all()
    admin = db.session.scalar(select(User).where(User.username == "adm"))
    if admin is None or not open_topics:
        return  # the demo people and plans come first
    trainer_id = db.session.scalar(select(User.id).where(User.username == "eng_mgr")) or admin.id
    g.audit_user = admin
    today = calendar_today.today()
    for (topic, _n), days, hold in zip(open_topics, (-3, 5), (True, False)):
        session = service.new_document(SESSION, admin)
        session.title, session.held_on, session.trainer_id = topic, today + timedelta(days=days), trainer_id
        session.hours, session.place = 2, "公司会议室"
        save_session(session)
        service.assign_number(SESSION, session)
        db.session.add(session)
        db.session.flush()
        if hold and session.attendees:
            session.attendees[-1].attended = False
            session.attendees[-1].note = "请假"
            engine.carry(session, "hold", admin, "")
    db.session.commit()
    g.audit_user = None


@hookimpl
def erp_demo_data(app):
    from .training import demo as training_demo
    training_demo()  # the plans first (it runs once)
    demo()
