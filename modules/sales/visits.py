"""Daily customer visit logs (客户巡访登记表 F-S01) and the weekly bundle (周巡访汇总表 X-S01), WF-S02 cycle 1.

Rules of WF-S02 cycle 1, where enforced and tested (tests/modules/sales/):
- R-S-001: every salesperson (``sales.visit_log.required_roles``) fills in the day's log before
  the end of work. Each working day ``erp reminders send`` (core's ``erp_scheduled`` hook) creates
  his empty draft of the day, as him (:func:`open_daily_logs`; none on days off, none twice);
  a log submitted after the deadline is flagged late and recorded as a violation, a working day
  without a handed-in log counts as missing (reminders, dashboard, bundle). Tested in
  test_visits.py (lateness, violation), test_overdue.py (reminders), test_cadence.py (drafts).
- R-S-002: the 市场部助理 reports the week's logs to the 市场部经理 before the Monday meeting
  (``sales.weekly_meeting_time``). From Monday 00:00 the same run creates last week's bundle in
  draft for the assistant, pre-filled per salesperson (:func:`open_weekly_bundle`); a report
  after the meeting is late and a violation. test_visits.py, test_cadence.py.
- R-S-013 (its visit-log part): technical staff (售前工程师, 项目工程师) log customer visits only
  against a registered opportunity they are assigned to (refused, code R-S-013). test_visits.py.
- R-S-030: a line names a registered customer the writer may see. test_visits.py.
Deliberately left: R-S-020 (field attendance evidenced by the visit log: no attendance module
consumes it yet); R-S-029 (market trips: no trip document in part 1); the per-salesperson
rating of the bundle (X-S01 mgr_rating per line: the manager rates the bundle as a whole until
the appraisal module reads it); missed days are not back-filled with drafts (the reminder of a
missing day links to the form of that day instead).

Transition side effects live in :func:`erp_transition_done`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from dataclasses import replace

from flask import g, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func, or_,
                        select)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import Form, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from core import calendar as cal, calendar_today, rules, settings
from core.auth.models import Role, User, user_roles
from core.auth.permissions import RoleTemplate
from core.dashboard import Widget
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents import service
from core.documents.fields import Field
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow, engine

from .customers import CUSTOMER, OPPORTUNITY, active_areas
from .dashboard import MY_WEEK
from .models import Area, Customer, Opportunity

TECH_ROLES = ("ROLE-MKT-PSE", "ROLE-ENG-PE")       # TECH_STAFF of R-S-013
DONE_STATES = ("submitted", "bundled", "archived")  # a log in these states was handed in


# ---- helpers shared with reports.py ------------------------------------------------------------
RATING = {"minimum": 1, "maximum": 5}   # a reviewer's rating, 1 to 5
MANAGER_REVIEW = _l("Market manager's review")  # the form's section of the manager's fields


def review_inputs(fields, rating: bool = True, opinion: bool = True) -> list:
    """The manager's rating and opinion among `fields`, asked in his step's dialog (required as
    said), starting from what he may already have written (what the API takes when left out)."""
    required = {"mgr_rating": rating, "mgr_comment": opinion}
    return [replace(f, required=required[f.name], default=lambda doc, name=f.name: getattr(doc, name))
            for f in fields if f.name in required]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _start_of(day: date) -> datetime:
    """Midnight of `day` in Asia/Shanghai, in UTC (as timestamps are stored)."""
    return datetime.combine(day, time.min, tzinfo=cal.timezone()).astimezone(timezone.utc)


def utc(moment: datetime | None) -> datetime | None:
    """An aware UTC datetime (SQLite gives stored timestamps back naive, in UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def log_deadline(day: date) -> datetime:
    """下班前: the end of work that day; a weekend log is due at the end of the next working day."""
    return cal.deadline_end_of_work(day, how=cal.ROLL_NEXT)


def due_days(first: date, last: date, now: datetime) -> list[date]:
    """Working days from first to last whose visit-log deadline has passed at `now`."""
    days, day = [], first
    while day <= last:
        if cal.is_working_day(day) and log_deadline(day) < now:
            days.append(day)
        day += timedelta(days=1)
    return days


def required_user_ids() -> set[int]:
    """Active holders of the roles that must write a daily log (sales.visit_log.required_roles)."""
    roles = settings.get("sales.visit_log.required_roles") or []
    if not roles:
        return set()
    return set(db.session.scalars(select(User.id).join(user_roles).join(Role).where(
        Role.code.in_(roles), User.active.is_(True))))


def writing_since(created_at, today: date) -> date:
    """The first day someone owes visit logs for: the day his account was made (none before)."""
    if created_at is None:
        return date.min
    day = utc(created_at).astimezone(cal.timezone()).date()
    return day if day <= today else date.min  # a clock set back (tests, a corrected server time)


def missing_days(user_id: int, first: date, last: date, now: datetime | None = None) -> list[date]:
    """Working days from first to last, past their deadline, without a handed-in log (R-S-001)."""
    now = now or calendar_today.now()
    handed_in = set(db.session.scalars(select(VisitLog.visit_date).where(
        VisitLog.owner_id == user_id, VisitLog.visit_date >= first, VisitLog.visit_date <= last,
        VisitLog.state.in_(DONE_STATES))))
    return [d for d in due_days(first, last, now) if d not in handed_in]


# ---- models -----------------------------------------------------------------------------------
class WeeklyBundle(Document, db.Model):
    """周巡访汇总表 X-S01: the week's visit logs per salesperson, reported to the 市场部经理."""
    __tablename__ = "sales_weekly_bundle"
    week_start: Mapped[date] = mapped_column(Date, unique=True)     # a Monday
    week_end: Mapped[date] = mapped_column(Date)
    assistant_note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_late: Mapped[bool] = mapped_column(Boolean, default=False)
    total_submitted: Mapped[int] = mapped_column(Integer, default=0)
    total_late: Mapped[int] = mapped_column(Integer, default=0)
    total_missing: Mapped[int] = mapped_column(Integer, default=0)
    total_contacts: Mapped[int] = mapped_column(Integer, default=0)
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")

    # Lines load with the document: a lazy load while the form is applied would flush the new
    # values before the declared fields' guards can check them.
    lines = relationship("WeeklyBundleLine", cascade="all, delete-orphan", order_by="WeeklyBundleLine.id",
                         lazy="selectin")


class WeeklyBundleLine(db.Model):
    __tablename__ = "sales_weekly_bundle_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("sales_weekly_bundle.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    expected: Mapped[int] = mapped_column(Integer, default=0)
    submitted: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    contacts: Mapped[int] = mapped_column(Integer, default=0)
    new_opportunities: Mapped[int] = mapped_column(Integer, default=0)

    user = relationship("User")


class VisitLog(Document, db.Model):
    """客户巡访登记表 F-S01: one per salesperson per day, a line per customer contact."""
    __tablename__ = "sales_visit_log"
    __table_extra__ = (UniqueConstraint("owner_id", "visit_date"),)
    visit_date: Mapped[date] = mapped_column(Date)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("sales_area.id"))
    no_contact_reason: Mapped[str] = mapped_column(String(12), default="")
    no_contact_note: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))         # log_deadline(visit_date)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))   # first submission
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("sales_weekly_bundle.id"), index=True)

    area = relationship(Area)
    bundle = relationship(WeeklyBundle)
    lines = relationship("VisitLine", cascade="all, delete-orphan", order_by="VisitLine.id", lazy="selectin")


class VisitLine(db.Model):
    __tablename__ = "sales_visit_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("sales_visit_log.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    contact: Mapped[str] = mapped_column(String(80))
    contact_title: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    visit_mode: Mapped[str] = mapped_column(String(12), default="onsite")
    purpose: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    demand: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)

    customer = relationship(Customer)
    opportunity = relationship(Opportunity)

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""

    @property
    def opportunity_number(self) -> str:
        return self.opportunity.number if self.opportunity else ""


# ---- visit log: form, schema, rules ----------------------------------------------------------
NO_CONTACT = [("office", _l("Office work")), ("training", _l("Training")), ("travel", _l("Travelling")),
              ("leave", _l("On leave")), ("other", _l("Other"))]
VISIT_MODES = [("onsite", _l("Visit at the customer")), ("phone", _l("Phone")), ("message", _l("E-mail or chat")),
               ("customer_came", _l("Customer came to us")), ("meeting", _l("Meeting or exhibition"))]


def allowed_customers(user):
    """Customers `user` may log a contact with: registered (R-S-030), not stopped, and either visible
    to the user or the customer of an opportunity visible to them (pre-sales staff)."""
    through_opportunities = visible(OPPORTUNITY, user, select(Opportunity.customer_id))
    return (select(Customer).where(Customer.state != "stopped")
            .where(or_(Customer.id.in_(visible(CUSTOMER, user, select(Customer.id))),
                       Customer.id.in_(through_opportunities))))


def _line_choices():
    cache = g.setdefault("_sales_visit_line_choices", {})
    if "customers" not in cache:
        customers = db.session.scalars(allowed_customers(current_user).order_by(Customer.title).limit(500))
        cache["customers"] = [SelectChoice("", "—")] + [SelectChoice(c.id, f"{c.title} ({c.number})") for c in customers]
        opportunities = db.session.scalars(visible(OPPORTUNITY, current_user, select(Opportunity)).where(
            Opportunity.state.notin_(("cancelled", "closed_lost"))).order_by(Opportunity.id.desc()).limit(300))
        cache["opportunities"] = [SelectChoice("", "—")] + [
            SelectChoice(o.id, f"{o.number} {o.title}") for o in opportunities]
    return cache["customers"], cache["opportunities"]


VISIT_LOG_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("visit_date", _l("Date"), "date", required=True, default=lambda: calendar_today.today()),
    Field("no_contact_reason", _l("No customer contact today because"), "choice", choices=NO_CONTACT),
    Field("no_contact_note", _l("Explanation")),
    # Set by the module: the owner's area, the first submission and its lateness, the bundle.
    Field("area", _l("Area"), "reference", options=active_areas, readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_at", _l("Submitted at"), "datetime", readonly=True),
    Field("late", _l("Handed in late"), "bool", readonly=True),
    Field("bundle", _l("Weekly visit bundle"), "reference", target="sales.weekly_bundle", readonly=True),
]
VISIT_LINE_FIELDS = [
    Field("customer", _l("Customer"), "reference", target="sales.customer", required=True),
    Field("contact", _l("Contact person"), required=True, max_length=80),
    Field("contact_title", _l("Contact's position"), max_length=80),
    Field("phone", _l("Phone"), max_length=40),
    Field("visit_mode", _l("Contact by"), "choice", choices=VISIT_MODES, required=True, default="onsite"),
    Field("purpose", _l("Purpose of the visit"), "textarea", required=True),
    Field("summary", _l("Content of the talks"), "textarea", required=True),
    Field("demand", _l("Customer demand"), "textarea"),
    Field("next_step", _l("Next step"), "textarea", required=True),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity"),
    Field("customer_name", _l("Customer"), readonly=True),
]
VISIT_LINES = Lines("lines", VisitLine, fields=VISIT_LINE_FIELDS, blank_rows=3, columns=[
    Column("customer_name", _l("Customer")), Column("contact", _l("Contact person")),
    Column("contact_title", _l("Contact's position")), Column("phone", _l("Phone")),
    Column("visit_mode", _l("Contact by"), kind="choice", choices=dict(VISIT_MODES)),
    Column("purpose", _l("Purpose of the visit")), Column("summary", _l("Content of the talks")),
    Column("demand", _l("Customer demand")), Column("next_step", _l("Next step")),
    Column("opportunity_number", _l("Opportunity"))])


class VisitLineForm(VISIT_LINES.form):
    """The derived line form, offered the customers and opportunities the user may log: core
    fills the choices of a document's own reference fields, not of its lines' (yet)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer_id.choices, self.opportunity_id.choices = _line_choices()


def _is_technical(user) -> bool:
    return any(user.has_role(r) for r in TECH_ROLES) and settings.get("sales.tech_support_requires_registration")


def _assigned(opportunity, user) -> bool:
    """R-S-013: a 售前工程师 visits for an opportunity he is the pre-sales lead of; a 项目工程师 for
    a registered one (its registration approved by the market department and the 售前经理)."""
    if user.has_role("ROLE-MKT-PSE"):
        return opportunity.presales_lead_id == user.id
    return opportunity.registration_no is not None and opportunity.presales_lead_id is not None


def line_problems(log, owner) -> list[Issue]:
    """Why the log's lines may not be saved: unregistered customers (R-S-030), foreign
    opportunities, technical staff without an assigned opportunity (R-S-013)."""
    problems = []
    technical = _is_technical(owner)
    for n, line in enumerate(log.lines, start=1):
        opportunity = db.session.get(Opportunity, line.opportunity_id) if line.opportunity_id else None
        if technical:
            if opportunity is None or not _assigned(opportunity, owner):
                problems.append(Issue(_("Line %(n)s: technical staff may log a customer visit only for a registered "
                                        "opportunity they are assigned to; choose it (R-S-013).", n=n),
                                      field="lines", code="R-S-013"))
            elif line.customer_id != opportunity.customer_id:
                problems.append(Issue(_("Line %(n)s: opportunity %(number)s is not this customer's.", n=n,
                                        number=opportunity.number), field="lines"))
            continue
        customer = db.session.scalar(allowed_customers(owner).where(Customer.id == line.customer_id)) \
            if line.customer_id else None
        if customer is None:
            problems.append(Issue(_("Line %(n)s: choose a registered customer of yours (R-S-030).", n=n),
                                  field="lines", code="R-S-030"))
            continue
        if opportunity is not None:
            mine = db.session.scalar(visible(OPPORTUNITY, owner, select(Opportunity.id)).where(
                Opportunity.id == opportunity.id))
            if mine is None or opportunity.customer_id != customer.id:
                problems.append(Issue(_("Line %(n)s: opportunity %(number)s is not this customer's.", n=n,
                                        number=opportunity.number), field="lines"))
    return problems


def save_visit_log(log):
    owner = db.session.get(User, log.owner_id)
    if log.visit_date is None:
        raise ValidationFailed({"visit_date": [_("Enter the day of the visits.")]})
    if log.visit_date > calendar_today.today():
        raise ValidationFailed({"visit_date": [_("A visit log is written on the day or after it, not in advance.")]})
    clash = select(VisitLog).where(VisitLog.owner_id == log.owner_id, VisitLog.visit_date == log.visit_date)
    if log.id:
        clash = clash.where(VisitLog.id != log.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"visit_date": [_(
            "You already have a visit log for %(day)s (%(number)s): there is one per person per day.",
            day=log.visit_date.isoformat(), number=clash.number)]})
    log.no_contact_reason = log.no_contact_reason or ""
    if log.lines and log.no_contact_reason:
        raise ValidationFailed({"no_contact_reason": [_("Leave this empty when you record customer contacts.")]})
    if log.no_contact_reason == "other" and _blank(log.no_contact_note):
        raise ValidationFailed({"no_contact_note": [_("Say why there was no customer contact.")]})
    problems = line_problems(log, owner)
    if problems:
        if any(p.code == "R-S-013" for p in problems):
            # Nothing of the refused log is kept, but the R-S-013 refusal is (as the engine does).
            from core import rules
            db.session.rollback()
            rules.record_issues("refused", [p for p in problems if p.code == "R-S-013"], user_id=owner.id)
            db.session.commit()
        raise ValidationFailed({}, [p.message for p in problems])
    log.title = f"{owner.display_name} {log.visit_date.isoformat()}"
    log.due_at = utc(log_deadline(log.visit_date))
    area = db.session.scalar(select(Area.id).where(Area.manager_id == owner.id, Area.active.is_(True))
                             .order_by(Area.id).limit(1))
    log.area_id = area if area is not None else log.area_id


def log_has_content(doc, user):
    if not doc.lines and not doc.no_contact_reason:
        return [Issue(_("Record at least one customer contact, or say why there was none today."), field="lines")]
    return []


def log_lines_allowed(doc, user):
    return line_problems(doc, db.session.get(User, doc.owner_id))


VISIT_LOG_WORKFLOW = Workflow(
    states={"draft": _l("Being filled in"), "submitted": _l("Submitted"), "bundled": _l("In the weekly bundle"),
            "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit"), ["draft"], "submitted", conditions=[log_has_content, log_lines_allowed]),
        Transition("return", _l("Return for completion"), ["submitted"], "draft", comment_required=True, reviews=True,
                   style="outline-danger"),
        # These follow the weekly bundle (see erp_transition_done), never taken by hand.
        Transition("bundle", _l("Put in the weekly bundle"), ["submitted"], "bundled", automatic=True),
        Transition("archive", _l("Archive with the bundle"), ["bundled"], "archived", automatic=True),
    ],
)

VISIT_LOG = DocType(
    code="sales.visit_log", model=VisitLog, label=_l("Visit log"), label_plural=_l("Visit logs"),
    fields=VISIT_LOG_FIELDS, workflow=VISIT_LOG_WORKFLOW, number_prefix="XF",
    print_title="客户巡访登记表", menu_order=50, before_save=save_visit_log, deadline=Deadline("due_at"),
    columns=[Column("visit_date", _l("Date"), kind="date"),
             Column("no_contact_reason", _l("No customer contact today because"), kind="choice", choices=dict(NO_CONTACT)),
             Column("no_contact_note", _l("Explanation"), sortable=False),
             Column("submitted_at", _l("Submitted at"), kind="datetime"),
             Column("late", _l("Handed in late"), kind="bool")],
    lines=replace(VISIT_LINES, form=VisitLineForm),
)


# ---- weekly bundle ----------------------------------------------------------------------------
class WeeklyBundleLineForm(Form):
    """The per-person lines are computed; the form only carries them along unchanged."""
    user_id = IntegerField("", widget=HiddenInput(), validators=[Optional()])


BUNDLE_REVIEW = {"editable_in": ("reported",), "edit_permission": "sales.weekly_bundle.mark_read", "section": MANAGER_REVIEW}
BUNDLE_AUTHOR = {"readonly_in": ("reported",)}

WEEKLY_BUNDLE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("week_start", _l("Week starting (Monday)"), "date", required=True,
          default=lambda: last_week_start(calendar_today.today()), **BUNDLE_AUTHOR),
    Field("assistant_note", _l("Assistant's note"), "textarea", **BUNDLE_AUTHOR),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **BUNDLE_REVIEW),
    Field("mgr_comment", _l("Market manager's comment"), "textarea", **BUNDLE_REVIEW),
    # Computed from the week's visit logs.
    Field("week_end", _l("Week ending"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("reported_late", _l("Reported late"), "bool", readonly=True),
    Field("total_submitted", _l("Logs submitted"), "integer", readonly=True),
    Field("total_late", _l("Logs late"), "integer", readonly=True),
    Field("total_missing", _l("Logs missing"), "integer", readonly=True),
    Field("total_contacts", _l("Customer contacts"), "integer", readonly=True),
]
BUNDLE_LINE_FIELDS = [
    Field("user", _l("Salesperson"), "user", readonly=True, listed=True),
    Field("expected", _l("Logs expected"), "integer", readonly=True),
    Field("submitted", _l("Logs submitted"), "integer", readonly=True),
    Field("late", _l("Logs late"), "integer", readonly=True),
    Field("missing", _l("Logs missing"), "integer", readonly=True),
    Field("contacts", _l("Customer contacts"), "integer", readonly=True),
    Field("new_opportunities", _l("New opportunities"), "integer", readonly=True),
]


def last_week_start(day: date) -> date:
    return day - timedelta(days=day.weekday() + 7)


def bundle_due(week_start: date) -> datetime:
    """R-S-002: before the weekly meeting of the following week (Monday 09:30 by default)."""
    from core.reminders import weekly_before_meeting
    return weekly_before_meeting(week_start + timedelta(days=7), weekday=0,
                                 at=settings.get("sales.weekly_meeting_time"))


def bundle_rows(first: date, last: date) -> list[dict]:
    """Per salesperson: logs expected (working days past their deadline), handed in, late, missing,
    customer contacts and opportunities created in the week."""
    now = calendar_today.now()
    days = due_days(first, last, now)
    required = required_user_ids()
    logs = db.session.scalars(select(VisitLog).where(
        VisitLog.visit_date >= first, VisitLog.visit_date <= last, VisitLog.state.in_(DONE_STATES))).all()
    contacts = dict(db.session.execute(select(VisitLine.log_id, func.count(VisitLine.id)).where(
        VisitLine.log_id.in_([l.id for l in logs])).group_by(VisitLine.log_id)).all()) if logs else {}
    opportunities = dict(db.session.execute(select(Opportunity.owner_id, func.count(Opportunity.id)).where(
        Opportunity.created_at >= _start_of(first), Opportunity.created_at < _start_of(last + timedelta(days=1)))
        .group_by(Opportunity.owner_id)).all())
    people = required | {l.owner_id for l in logs}
    users = db.session.scalars(select(User).where(User.id.in_(people)).order_by(User.username, User.id)).all() \
        if people else []
    rows = []
    for user in users:
        mine = [l for l in logs if l.owner_id == user.id]
        handed_in = {l.visit_date for l in mine}
        expected = len(days) if user.id in required else 0
        rows.append({
            "user_id": user.id, "expected": expected, "submitted": len(mine),
            "late": sum(1 for l in mine if l.late),
            "missing": sum(1 for d in days if d not in handed_in) if user.id in required else 0,
            "contacts": sum(contacts.get(l.id, 0) for l in mine),
            "new_opportunities": opportunities.get(user.id, 0)})
    return rows


def compute_bundle(bundle) -> None:
    rows = bundle_rows(bundle.week_start, bundle.week_end)
    service.set_lines(WEEKLY_BUNDLE, bundle, rows)
    bundle.total_submitted = sum(r["submitted"] for r in rows)
    bundle.total_late = sum(r["late"] for r in rows)
    bundle.total_missing = sum(r["missing"] for r in rows)
    bundle.total_contacts = sum(r["contacts"] for r in rows)


def save_weekly_bundle(bundle):
    start = bundle.week_start
    if start is None:
        raise ValidationFailed({"week_start": [_("Enter the Monday the week starts on.")]})
    if start.weekday() != 0:
        raise ValidationFailed({"week_start": [_("A week starts on a Monday; %(day)s is not one.", day=start.isoformat())]})
    if start > calendar_today.today():
        raise ValidationFailed({"week_start": [_("This week has not begun yet.")]})
    clash = select(WeeklyBundle).where(WeeklyBundle.week_start == start)
    if bundle.id:
        clash = clash.where(WeeklyBundle.id != bundle.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"week_start": [_("The week of %(day)s is already bundled in %(number)s.",
                                                 day=start.isoformat(), number=clash.number)]})
    bundle.week_end = start + timedelta(days=6)
    bundle.title = f"{start.isoformat()} ~ {bundle.week_end.isoformat()}"
    bundle.due_at = utc(bundle_due(start))
    compute_bundle(bundle)


WEEKLY_BUNDLE_WORKFLOW = Workflow(
    states={"draft": _l("Being prepared"), "reported": _l("Reported to the market manager"),
            "read": _l("Read by the market manager"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("report", _l("Report to the market manager"), ["draft"], "reported"),
        Transition("mark_read", _l("Mark as read"), ["reported"], "read", style="success", reviews=True,
                   fields=review_inputs(WEEKLY_BUNDLE_FIELDS, opinion=False), comment_label=_l("Note")),
        Transition("archive", _l("Archive"), ["read"], "archived", style="outline-secondary"),
    ],
    editable_states=("draft", "reported"),
)

WEEKLY_BUNDLE = DocType(
    code="sales.weekly_bundle", model=WeeklyBundle, label=_l("Weekly visit bundle"),
    label_plural=_l("Weekly visit bundles"), fields=WEEKLY_BUNDLE_FIELDS,
    workflow=WEEKLY_BUNDLE_WORKFLOW, number_prefix="XH", print_title="周巡访汇总表", menu_order=55,
    before_save=save_weekly_bundle, deadline=Deadline("due_at"),
    columns=[Column("week_start", _l("Week starting (Monday)"), kind="date"),
             Column("week_end", _l("Week ending"), kind="date"),
             Column("due_at", _l("Due"), kind="datetime"),
             Column("reported_late", _l("Reported late"), kind="bool"),
             Column("total_submitted", _l("Logs submitted"), kind="number"),
             Column("total_late", _l("Logs late"), kind="number"),
             Column("total_missing", _l("Logs missing"), kind="number"),
             Column("total_contacts", _l("Customer contacts"), kind="number"),
             Column("assistant_note", _l("Assistant's note"), sortable=False),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number"),
             Column("mgr_comment", _l("Market manager's comment"), sortable=False)],
    lines=Lines("lines", WeeklyBundleLine, WeeklyBundleLineForm, fields=BUNDLE_LINE_FIELDS, blank_rows=0),
)


# ---- transition side effects ------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user):
    """Side effects of visit-log and bundle transitions; idempotent (safe to call twice)."""
    if isinstance(document, VisitLog) and transition.name == "submit":
        now = calendar_today.now()
        if document.submitted_at is None:  # lateness is judged on the first submission
            document.submitted_at = utc(now)
            document.late = now > log_deadline(document.visit_date)
            if document.late:
                rules.record_violation("R-S-001", "deadline_missed", user_id=document.owner_id, document=document,
                                       details=_("Submitted after %(due)s.", due=log_deadline(document.visit_date)
                                                 .strftime("%Y-%m-%d %H:%M")))
        from .staff_handover import record_contact
        for line in document.lines:   # R-S-033 (a dormant customer wakes up), R-S-032 (protection)
            customer = db.session.get(Customer, line.customer_id)
            if customer is not None:
                opportunity = db.session.get(Opportunity, line.opportunity_id) if line.opportunity_id else None
                record_contact(customer, document.visit_date, user, document.number, opportunity)
    elif isinstance(document, WeeklyBundle) and transition.name == "report":
        now = calendar_today.now()
        if document.reported_at is None:
            document.reported_at = utc(now)
            document.reported_late = document.due_at is not None and now > utc(document.due_at)
            if document.reported_late:
                rules.record_violation("R-S-002", "deadline_missed", user_id=user.id, document=document,
                                       details=_("Reported after %(due)s.", due=utc(document.due_at).astimezone(cal.timezone())
                                                 .strftime("%Y-%m-%d %H:%M")))
        compute_bundle(document)
        for log in db.session.scalars(select(VisitLog).where(
                VisitLog.visit_date >= document.week_start, VisitLog.visit_date <= document.week_end,
                VisitLog.state == "submitted")):
            log.bundle_id = document.id
            engine.carry(log, "bundle", user, because=document.number)
    elif isinstance(document, WeeklyBundle) and transition.name == "mark_read":
        for log in db.session.scalars(select(VisitLog).where(
                VisitLog.bundle_id == document.id, VisitLog.state == "bundled")):
            engine.carry(log, "archive", user, because=document.number)


# ---- dashboard --------------------------------------------------------------------------------
@hookimpl
def erp_dashboard_widgets(user) -> list[Widget]:
    widgets = []
    now = calendar_today.now()
    today = now.date()
    if user.can("sales.visit_log.create"):
        log = db.session.scalar(select(VisitLog).where(VisitLog.owner_id == user.id, VisitLog.visit_date == today))
        deadline = log_deadline(today)  # a weekend log is due on the next working day
        due = deadline.strftime("%H:%M") if deadline.date() == today else deadline.strftime("%m-%d %H:%M")
        if log is None and not cal.is_working_day(today):
            widgets.append(Widget(_("Today's visit log"), _("Not a working day: no visit log is due today."),
                                  value=_("Not due"), url=url_for("sales.visit_log_list", owner="me"), order=20,
                                  section=MY_WEEK))
        elif log is None:
            widgets.append(Widget(_("Today's visit log"), _("Not started; due before %(time)s.", time=due),
                                  value=_("Not started"), url=url_for("sales.visit_log_create"), order=20,
                                  section=MY_WEEK))
        else:
            state = VISIT_LOG_WORKFLOW.state_label(log.state)
            body = _("Due before %(time)s.", time=due) if log.state == "draft" else \
                (_("Submitted late.") if log.late else _("Submitted on time."))
            widgets.append(Widget(_("Today's visit log"), body, value=str(state),
                                  url=url_for("sales.visit_log_detail", doc_id=log.id), order=20,
                                  section=MY_WEEK))
        if user.id in required_user_ids():
            first = max(today.replace(day=1), writing_since(user.created_at, today))  # as reminded
            missing = missing_days(user.id, first, today, now)
            points = len(missing) * settings.get("sales.visit_log.violation_points")
            widgets.append(Widget(
                _("Visit logs missing this month"),
                _("Overdue working days without a log: %(days)s. Counted for appraisal (%(points)s points, R-S-001).",
                  days=", ".join(d.strftime("%m-%d") for d in missing) or "—", points=points),
                value=len(missing), url=url_for("sales.visit_log_list", owner="me"), order=21, section=MY_WEEK))
    if user.can("sales.weekly_bundle.create"):
        start = last_week_start(today)
        bundle = db.session.scalar(select(WeeklyBundle).where(WeeklyBundle.week_start == start))
        if bundle is None or bundle.state == "draft":
            due = bundle_due(start)
            widgets.append(Widget(
                _("Weekly visit bundle due"),
                _("Week %(first)s – %(last)s: report it to the market manager before %(due)s.",
                  first=start.isoformat(), last=(start + timedelta(days=6)).isoformat(),
                  due=due.strftime("%Y-%m-%d %H:%M")),
                value=_("Overdue") if now > due else _("Due"),
                url=url_for("sales.weekly_bundle_detail", doc_id=bundle.id) if bundle else url_for("sales.weekly_bundle_create"),
                order=22))
    if user.can("sales.weekly_bundle.mark_read"):
        waiting = db.session.scalar(select(func.count(WeeklyBundle.id)).where(WeeklyBundle.state == "reported"))
        if waiting:
            widgets.append(Widget(_("Weekly visit bundles to read"), value=waiting,
                                  url=url_for("sales.weekly_bundle_list", state="reported"), order=23))
    return widgets


# ---- demo data --------------------------------------------------------------------------------
def demo(owner_users) -> None:
    """Demo visit logs for `owner_users` (salespeople): last week handed in, today's in draft.

    Safe to run twice (a day that has a log is skipped). The caller commits.
    """
    today = calendar_today.today()
    start = last_week_start(today)
    days = [start + timedelta(days=i) for i in range(7) if cal.is_working_day(start + timedelta(days=i))]
    for user in owner_users:
        customers = db.session.scalars(select(Customer).where(Customer.owner_id == user.id,
                                                              Customer.state != "stopped").order_by(Customer.id)).all()
        for index, day in enumerate(days + ([today] if cal.is_working_day(today) else [])):
            if db.session.scalar(select(VisitLog.id).where(VisitLog.owner_id == user.id, VisitLog.visit_date == day)):
                continue
            log = VisitLog(owner_id=user.id, department_id=user.department_id, visit_date=day, state="draft",
                           title=f"{user.display_name} {day.isoformat()}", created_by_id=user.id, updated_by_id=user.id,
                           due_at=utc(log_deadline(day)))
            if customers and index % 3 != 2:
                customer = customers[index % len(customers)]
                log.lines.append(VisitLine(
                    customer_id=customer.id, contact="王主任", contact_title="信息中心主任", visit_mode="onsite",
                    purpose="了解明年机房改造计划", summary="客户计划明年二季度改造主机房，预算待批。",
                    demand="机房 UPS 与精密空调更换", next_step="下周提交初步方案"))
            else:
                log.no_contact_reason = "office"
            if day != today:
                log.state = "submitted"
                log.late = index % 4 == 0
                log.submitted_at = utc(log_deadline(day) + timedelta(hours=2 if log.late else -1))
            service.assign_number(VISIT_LOG, log)
            db.session.add(log)
            db.session.flush()


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_reminders(now):
    """R-S-001: a working day of this week or the last on which someone who must write a visit
    log has none, due at that day's end of work (a log started is reminded of by its own
    deadline, core's). The link opens the log of that day."""
    from core.reminders import Reminder
    users = required_user_ids()
    if not users:
        return []
    today = now.astimezone(cal.timezone()).date()
    first = today - timedelta(days=today.weekday() + 7)
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    days = [d for d in days if cal.is_working_day(d)]
    written = set(db.session.execute(select(VisitLog.owner_id, VisitLog.visit_date).where(
        VisitLog.owner_id.in_(users), VisitLog.visit_date >= first)).all())
    since = {u: writing_since(c, today) for u, c in db.session.execute(
        select(User.id, User.created_at).where(User.id.in_(users)))}
    return [Reminder(f"sales.visit_log:{day.isoformat()}:user:{uid}", uid,
                     _("Write the visit log of %(day)s", day=day.isoformat()), log_deadline(day),
                     url=url_for("sales.visit_log_create", visit_date=day.isoformat()))
            for uid in sorted(users) for day in days
            if (uid, day) not in written and day >= since.get(uid, first)]


# ---- what the cadences create by themselves (erp reminders send) ------------------------------
def open_daily_logs(day: date) -> list[VisitLog]:
    """WF-S02: on a working day, an empty draft log for each person who must write one
    (sales.visit_log.required_roles) and has none for `day`, his own (created as him)."""
    from core.reminders import acting_for
    if not cal.is_working_day(day):
        return []
    users = required_user_ids()
    have = set(db.session.scalars(select(VisitLog.owner_id).where(VisitLog.visit_date == day,
                                                                  VisitLog.owner_id.in_(users)))) if users else set()
    created = []
    for user in db.session.scalars(select(User).where(User.id.in_(users - have)).order_by(User.id)):
        if writing_since(user.created_at, day) > day:
            continue  # no log is owed before his account existed
        with acting_for(user):
            log = service.new_document(VISIT_LOG, user)
            log.visit_date = day
            save_visit_log(log)
            service.assign_number(VISIT_LOG, log)
            db.session.add(log)
        created.append(log)
    return created


def assistant() -> User | None:
    """The 市场部助理 who bundles the logs (the first active one)."""
    return db.session.scalar(select(User).join(user_roles).join(Role).where(
        Role.code == "ROLE-MKT-AST", User.active.is_(True)).order_by(User.id).limit(1))


def open_weekly_bundle(day: date) -> WeeklyBundle | None:
    """WF-S02 (R-S-002): from Monday 00:00, last week's bundle in draft for the 市场部助理,
    pre-filled with the week's handed-in logs per salesperson (counted again when reported).
    None when it exists already, the week had no working day or there is no assistant."""
    from core.reminders import acting_for
    start = last_week_start(day)
    if db.session.scalar(select(WeeklyBundle.id).where(WeeklyBundle.week_start == start)) is not None:
        return None
    if not any(cal.is_working_day(start + timedelta(days=n)) for n in range(7)):
        return None
    owner = assistant()
    if owner is None:
        return None
    with acting_for(owner):
        bundle = service.new_document(WEEKLY_BUNDLE, owner)
        bundle.week_start = start
        save_weekly_bundle(bundle)
        service.assign_number(WEEKLY_BUNDLE, bundle)
        db.session.add(bundle)
    return bundle


@hookimpl
def erp_scheduled(now):
    """Each working day the day's draft visit logs; from Monday the week's bundle (idempotent)."""
    day = now.astimezone(cal.timezone()).date()
    open_daily_logs(day)
    open_weekly_bundle(day)


@hookimpl
def erp_models():
    return [WeeklyBundle, WeeklyBundleLine, VisitLog, VisitLine]


@hookimpl
def erp_document_types():
    return [VISIT_LOG, WEEKLY_BUNDLE]


@hookimpl
def erp_roles():
    own_logs = [f"sales.visit_log.{a}" for a in ("read", "create", "edit", "submit")]
    grants = [
        # SPEC 5.7: salespeople and pre-sales engineers write their own logs (R-S-013 for the latter).
        ("ROLE-MKT-AM", own_logs),
        ("ROLE-MKT-AAM", own_logs),
        ("ROLE-MKT-PSE", own_logs),
        # The assistant files and bundles; the manager reads, returns and rates.
        ("ROLE-MKT-AST", ["sales.visit_log.read_all", "sales.visit_log.return", "sales.visit_log.export"]
         + [f"sales.weekly_bundle.{a}" for a in ("read_all", "create", "edit", "report", "archive", "export")]),
        ("ROLE-MKT-MGR", ["sales.visit_log.read_all", "sales.visit_log.return", "sales.visit_log.export"]
         + [f"sales.weekly_bundle.{a}" for a in ("read_all", "edit", "mark_read", "export")]),
        ("ROLE-MKT-DIR", ["sales.visit_log.read_all", "sales.weekly_bundle.read_all"]),
        ("ROLE-GM", ["sales.visit_log.read_all", "sales.weekly_bundle.read_all"]),
        ("ROLE-PS-MGR", ["sales.visit_log.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.visit_log.required_roles", "list", ["ROLE-MKT-AAM", "ROLE-MKT-AM"],
                _l("Roles that write a visit log every working day"),
                _l("R-S-001: their working days without a log count as missing."),
                choices=[("ROLE-MKT-AAM", _l("Area account managers")), ("ROLE-MKT-AM", _l("Account managers")),
                         ("ROLE-MKT-MGR", _l("Market managers")), ("ROLE-MKT-DIR", _l("Marketing directors")),
                         ("ROLE-MKT-PSE", _l("Pre-sales engineers"))]),
        Setting("sales.weekly_meeting_time", "time", "09:30", _l("Monday weekly meeting at"),
                _l("R-S-002: the weekly visit bundle is due before it.")),
        Setting("sales.visit_log.violation_points", "int", 1, _l("Appraisal points per missing visit log"),
                _l("R-S-001."), min=0, max=100),
    ]
