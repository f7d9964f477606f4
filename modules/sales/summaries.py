"""Periodic sales reporting (WF-S10): the weekly work summary (每周工作总结 F-S11) and the monthly
project summary (月度项目总结汇报 X-S04).

- 每周工作总结 F-S11 (R-S-022): one per person per week (Monday to Sunday) by the holders of
  ``sales.weekly_summary.required_roles`` (SALES_STAFF, 售前工程师, 市场部助理), due before the
  weekly meeting of the next week (Monday ``sales.weekly_summary_due``, 09:00; the first working
  day of that week when Monday is off). ``erp reminders send`` (core's ``erp_scheduled``) creates
  each writer's draft, as him, from the week's last working day (and until the deadline if the
  run missed it; :func:`open_weekly_summaries`), pre-filled with the week's figures
  (:func:`weekly_figures`: visit logs and customer contacts, new customers and opportunities,
  quotations sent, bids handed in, signed and collected amounts) and a line per opportunity he
  owns or leads for pre-sales, with its stage changes of the week (read from the audit log's
  transitions). The figures are counted again when it is submitted. Highlights and next week's
  plan are required to submit it.
- 月度项目总结汇报 X-S04 (R-S-009 = R-S-023): one per salesperson (``sales.monthly_summary.required_roles``)
  per month, due at the end of work on the month's last working day (``core.reminders.month_end``),
  created ``sales.monthly_summary.open_days_before`` days before the month ends with a line per
  opportunity he owned that was open during the month, its stage and result (进行中/成功/失败/暂停/取消)
  from its state; each line's summary is required to submit it.

Both: DRAFT → SUBMITTED → READ (the 市场部经理 rates 1–5 and comments, or returns it) → ARCHIVED
(市场部助理); the monthly one is forwarded to the 市场总监 when read (carried). A submission after
the deadline is flagged late and recorded as a violation of the rule (first submission only).
Tested in tests/modules/sales/test_summaries.py.

Left: the signed and collected amounts come from the contracts and collections of sales part 2
(:func:`contract_figures` returns zeros until they are plugged in).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import Role, User, user_roles
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents import service
from core.documents.fields import Field
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow, engine

from .customers import OPPORTUNITY, OPPORTUNITY_WORKFLOW
from .models import MONEY, Customer, Opportunity, Quotation
from .reports import _submission
from .visits import DONE_STATES, MANAGER_REVIEW, RATING, VisitLine, VisitLog, _blank, _start_of, review_inputs, \
    utc, writing_since

# An opportunity in one of these is finished: it is no longer "open" (WF-S01).
FINISHED = ("handed_over", "lost", "closed_lost", "cancelled")
ROLE_CHOICES = [("ROLE-MKT-AAM", _l("Area account managers")), ("ROLE-MKT-AM", _l("Account managers")),
                ("ROLE-MKT-PSE", _l("Pre-sales engineers")), ("ROLE-MKT-AST", _l("Market assistants")),
                ("ROLE-MKT-MGR", _l("Market managers")), ("ROLE-MKT-DIR", _l("Marketing directors"))]


def contract_figures(user_id: int, start: date, end: date) -> tuple[Decimal, Decimal]:
    """(signed amount, collected amount) of `user_id`'s contracts from `start` to `end` inclusive."""
    from .collections import signed_and_collected
    return signed_and_collected(user_id, start, end)


def writers(setting: str) -> list[User]:
    """Active holders of the roles named by `setting`, in id order."""
    roles = settings.get(setting) or []
    if not roles:
        return []
    return list(db.session.scalars(select(User).join(user_roles).join(Role).where(
        Role.code.in_(roles), User.active.is_(True)).distinct().order_by(User.id)))


def _stage_label(state: str) -> str:
    return str(OPPORTUNITY_WORKFLOW.state_label(state))


def stage_changes(opportunity_ids, first: date, last: date) -> dict[int, list[tuple[str, str]]]:
    """Opportunity id -> its state changes (from, to) from `first` to `last`, in order, read from
    the audit log's transition entries (performed and carried, WF-S01)."""
    from core.audit.models import AuditEntry
    ids = {str(i) for i in opportunity_ids}
    if not ids:
        return {}
    changes: dict[int, list[tuple[str, str]]] = {}
    rows = db.session.execute(select(AuditEntry.record_id, AuditEntry.changes).where(
        AuditEntry.model == Opportunity.__tablename__, AuditEntry.action == "transition",
        AuditEntry.record_id.in_(ids), AuditEntry.ts >= _start_of(first),
        AuditEntry.ts < _start_of(last + timedelta(days=1))).order_by(AuditEntry.id))
    for record_id, text in rows:
        try:
            change = json.loads(text or "{}")
        except ValueError:
            continue
        if change.get("from") and change.get("to") and change["from"] != change["to"]:
            changes.setdefault(int(record_id), []).append((change["from"], change["to"]))
    return changes


def _created_in(model, first: date, last: date):
    return model.created_at >= _start_of(first), model.created_at < _start_of(last + timedelta(days=1))


# ---- 每周工作总结 F-S11 ---------------------------------------------------------------------------
class WeeklySummary(Document, db.Model):
    __tablename__ = "sales_weekly_summary"
    __table_extra__ = (UniqueConstraint("owner_id", "week_start"),)
    week_start: Mapped[date] = mapped_column(Date)        # a Monday
    week_end: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_late: Mapped[bool] = mapped_column(Boolean, default=False)
    # 本周工作量统计 (stats): counted by the module.
    visit_logs: Mapped[int] = mapped_column(Integer, default=0)
    customer_contacts: Mapped[int] = mapped_column(Integer, default=0)
    new_customers: Mapped[int] = mapped_column(Integer, default=0)
    new_opportunities: Mapped[int] = mapped_column(Integer, default=0)
    quotations: Mapped[int] = mapped_column(Integer, default=0)
    bids: Mapped[int] = mapped_column(Integer, default=0)
    signed_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    collected_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    highlights: Mapped[str] = mapped_column(Text, default="")
    support_needed: Mapped[str] = mapped_column(Text, default="")
    next_week: Mapped[str] = mapped_column(Text, default="")
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")

    opportunity_progress = relationship("WeeklySummaryLine", cascade="all, delete-orphan",
                                        order_by="WeeklySummaryLine.id", lazy="selectin")


class WeeklySummaryLine(db.Model):
    __tablename__ = "sales_weekly_summary_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("sales_weekly_summary.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    progress: Mapped[str] = mapped_column(Text, default="")
    stage_change: Mapped[str] = mapped_column(String(200), default="")
    issues: Mapped[str] = mapped_column(Text, default="")

    opportunity = relationship(Opportunity)

    @property
    def opportunity_name(self) -> str:
        return f"{self.opportunity.number} {self.opportunity.title}" if self.opportunity else ""


SUMMARY_AUTHOR = {"readonly_in": ("submitted",)}
# Created blank on its cadence: what the author writes is required to submit it.
WEEKLY_CONTENT = {"required_in": ("submitted", "read", "archived"), **SUMMARY_AUTHOR}
WEEKLY_REVIEW = {"editable_in": ("submitted",), "edit_permission": "sales.weekly_summary.mark_read",
                 "section": MANAGER_REVIEW}

WEEKLY_SUMMARY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("week_start", _l("Week (any day in it)"), "date", required=True,
          default=lambda: calendar_today.today(), **SUMMARY_AUTHOR),
    Field("highlights", _l("Main work and results of the week"), "textarea", **WEEKLY_CONTENT),
    Field("support_needed", _l("Problems and support needed"), "textarea", **SUMMARY_AUTHOR),
    Field("next_week", _l("Plan for next week"), "textarea", **WEEKLY_CONTENT),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **WEEKLY_REVIEW),
    Field("mgr_comment", _l("Market manager's comment"), "textarea", **WEEKLY_REVIEW),
    # Set by the module: the week, its deadline (R-S-022) and the week's figures.
    Field("week_end", _l("Week ending"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_late", _l("Submitted late"), "bool", readonly=True),
    Field("visit_logs", _l("Visit logs handed in"), "integer", readonly=True),
    Field("customer_contacts", _l("Customer contacts"), "integer", readonly=True),
    Field("new_customers", _l("New customers"), "integer", readonly=True),
    Field("new_opportunities", _l("New opportunities"), "integer", readonly=True),
    Field("quotations", _l("Quotations sent"), "integer", readonly=True),
    Field("bids", _l("Bids handed in"), "integer", readonly=True),
    Field("signed_amount", _l("Contracts signed"), "money", readonly=True),
    Field("collected_amount", _l("Money collected"), "money", readonly=True),
]
WEEKLY_LINE_FIELDS = [
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True),
    Field("progress", _l("Progress"), "textarea"),
    Field("stage_change", _l("Stage change"), max_length=200),
    Field("issues", _l("Problems"), "textarea"),
]


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def weekly_due(week_start: date) -> datetime:
    """R-S-022: before the weekly meeting of the next week, Monday ``sales.weekly_summary_due``."""
    from core.reminders import weekly_before_meeting
    return weekly_before_meeting(week_start + timedelta(days=7), weekday=0,
                                 at=settings.get("sales.weekly_summary_due"))


def _mine(user_id: int):
    """Opportunities `user_id` owns or leads for pre-sales."""
    return or_(Opportunity.owner_id == user_id, Opportunity.presales_lead_id == user_id)


def weekly_figures(user_id: int, first: date, last: date) -> dict:
    """F-S11 stats of `user_id` from `first` to `last`: visit logs handed in and their customer
    contacts, customers and opportunities he registered, quotations sent to customers and bids
    handed in on his opportunities (or by him), signed and collected amounts."""
    from .bidding import Tender
    logs = list(db.session.scalars(select(VisitLog.id).where(
        VisitLog.owner_id == user_id, VisitLog.visit_date >= first, VisitLog.visit_date <= last,
        VisitLog.state.in_(DONE_STATES))))
    contacts = db.session.scalar(select(func.count(VisitLine.id)).where(VisitLine.log_id.in_(logs))) if logs else 0
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    mine = select(Opportunity.id).where(_mine(user_id))
    signed, collected = contract_figures(user_id, first, last)
    return {
        "visit_logs": len(logs), "customer_contacts": contacts,
        "new_customers": count(select(func.count(Customer.id)).where(Customer.owner_id == user_id,
                                                                      *_created_in(Customer, first, last))),
        "new_opportunities": count(select(func.count(Opportunity.id)).where(
            Opportunity.owner_id == user_id, *_created_in(Opportunity, first, last))),
        "quotations": count(select(func.count(Quotation.id)).where(
            Quotation.sent_on >= first, Quotation.sent_on <= last,
            or_(Quotation.owner_id == user_id, Quotation.opportunity_id.in_(mine)))),
        "bids": count(select(func.count(Tender.id)).where(
            Tender.submitted_at >= _start_of(first), Tender.submitted_at < _start_of(last + timedelta(days=1)),
            or_(Tender.owner_id == user_id, Tender.bid_lead_id == user_id, Tender.opportunity_id.in_(mine)))),
        "signed_amount": signed, "collected_amount": collected,
    }


def weekly_progress_rows(user_id: int, first: date, last: date) -> list[dict]:
    """A line per opportunity `user_id` owns or leads, created by the week's end, still open or
    moved during the week; its stage changes of the week as "from → to"."""
    candidates = list(db.session.scalars(select(Opportunity).where(
        _mine(user_id), Opportunity.created_at < _start_of(last + timedelta(days=1))).order_by(Opportunity.id)))
    changes = stage_changes([o.id for o in candidates], first, last)
    rows = []
    for o in candidates:
        if o.state in FINISHED and o.id not in changes:
            continue
        moves = changes.get(o.id, [])
        text = "；".join(f"{_stage_label(a)} → {_stage_label(b)}" for a, b in moves)
        rows.append({"opportunity_id": o.id, "stage_change": text[:200], "progress": "", "issues": ""})
    return rows


def compute_weekly(summary) -> None:
    for name, value in weekly_figures(summary.owner_id, summary.week_start, summary.week_end).items():
        setattr(summary, name, value)


def _check_opportunities(doc, attribute: str) -> None:
    """Every line names an opportunity the author may see, once."""
    owner = db.session.get(User, doc.owner_id)
    seen = set()
    for n, line in enumerate(getattr(doc, attribute), start=1):
        found = db.session.scalar(visible(OPPORTUNITY, owner, select(Opportunity)).where(
            Opportunity.id == line.opportunity_id)) if line.opportunity_id else None
        if found is None:
            raise ValidationFailed({}, [_("Line %(n)s: choose an opportunity of yours.", n=n)])
        if found.id in seen:
            raise ValidationFailed({}, [_("Line %(n)s: opportunity %(number)s is already on another line.",
                                          n=n, number=found.number)])
        seen.add(found.id)
        line.opportunity = found


def _lines_kept_once_submitted(doc, attribute: str) -> None:
    """The author's lines are his to change while the summary is a draft, as its other fields."""
    from sqlalchemy import inspect
    if doc.state == "draft" or doc.id is None:
        return
    history = inspect(doc).attrs[attribute].history
    if history.added or history.deleted or any(db.session.is_modified(line) for line in getattr(doc, attribute)):
        label = WEEKLY_SUMMARY_WORKFLOW.state_label(doc.state) if attribute == "opportunity_progress" \
            else MONTHLY_SUMMARY_WORKFLOW.state_label(doc.state)
        raise ValidationFailed({attribute: [_("The lines cannot be changed while the document is %(state)s.",
                                              state=label)]})


def save_weekly_summary(summary):
    if summary.week_start is None:
        raise ValidationFailed({"week_start": [_("Enter the week.")]})
    first, last = week_of(summary.week_start)
    if first > calendar_today.today():
        raise ValidationFailed({"week_start": [_("This week has not begun yet.")]})
    clash = select(WeeklySummary).where(WeeklySummary.owner_id == summary.owner_id, WeeklySummary.week_start == first)
    if summary.id:
        clash = clash.where(WeeklySummary.id != summary.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"week_start": [_(
            "You already have a weekly summary for %(first)s – %(last)s (%(number)s): one per person per week.",
            first=first.isoformat(), last=last.isoformat(), number=clash.number)]})
    new = summary.id is None
    summary.week_start, summary.week_end = first, last
    owner = db.session.get(User, summary.owner_id)
    summary.title = f"{owner.display_name} {first.isoformat()} ~ {last.isoformat()}"
    summary.due_at = utc(weekly_due(first))
    if new and not summary.opportunity_progress:
        service.set_lines(WEEKLY_SUMMARY, summary, weekly_progress_rows(summary.owner_id, first, last))
    _lines_kept_once_submitted(summary, "opportunity_progress")
    _check_opportunities(summary, "opportunity_progress")
    if summary.state == "draft":
        compute_weekly(summary)


def weekly_written(doc, user):
    """F-S11: the week's highlights and next week's plan, not just spaces."""
    labels = {"highlights": _("Main work and results of the week"), "next_week": _("Plan for next week")}
    return [Issue(_("Write “%(field)s” before submitting the summary.", field=label), field=name)
            for name, label in labels.items() if _blank(getattr(doc, name))]


WEEKLY_SUMMARY_WORKFLOW = Workflow(
    states={"draft": _l("Being written"), "submitted": _l("Submitted to the market manager"),
            "read": _l("Read by the market manager"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to the market manager"), ["draft"], "submitted", conditions=[weekly_written]),
        Transition("return", _l("Return for changes"), ["submitted"], "draft", comment_required=True,
                   style="outline-danger", reviews=True),
        Transition("mark_read", _l("Mark as read"), ["submitted"], "read", style="success", reviews=True,
                   fields=review_inputs(WEEKLY_SUMMARY_FIELDS), comment_label=_l("Note")),
        Transition("archive", _l("Archive"), ["read"], "archived", style="outline-secondary"),
    ],
    editable_states=("draft", "submitted"),
)

WEEKLY_SUMMARY = DocType(
    code="sales.weekly_summary", model=WeeklySummary, label=_l("Weekly work summary"),
    label_plural=_l("Weekly work summaries"), fields=WEEKLY_SUMMARY_FIELDS,
    workflow=WEEKLY_SUMMARY_WORKFLOW, number_prefix="ZJ", print_title="每周工作总结", menu_order=57,
    before_save=save_weekly_summary, deadline=Deadline("due_at"),
    columns=[Column("week_start", _l("Week starting (Monday)"), kind="date"),
             Column("due_at", _l("Due"), kind="datetime"), Column("submitted_late", _l("Submitted late"), kind="bool"),
             Column("visit_logs", _l("Visit logs handed in"), kind="number"),
             Column("customer_contacts", _l("Customer contacts"), kind="number"),
             Column("new_opportunities", _l("New opportunities"), kind="number"),
             Column("signed_amount", _l("Contracts signed"), kind="money"),
             Column("collected_amount", _l("Money collected"), kind="money"),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number")],
    lines=Lines("opportunity_progress", WeeklySummaryLine, fields=WEEKLY_LINE_FIELDS, blank_rows=1, columns=[
        Column("opportunity_name", _l("Opportunity")), Column("progress", _l("Progress")),
        Column("stage_change", _l("Stage change")), Column("issues", _l("Problems"))]),
)


# ---- 月度项目总结汇报 X-S04 ------------------------------------------------------------------------
RESULTS = [("in_progress", _l("In progress")), ("success", _l("Succeeded")), ("failure", _l("Failed")),
           ("paused", _l("Paused")), ("cancelled", _l("Cancelled"))]
_RESULT_OF_STATE = {"won": "success", "contracting": "success", "contract_review": "success",
                    "approved_to_sign": "success", "signed": "success", "handover_pending": "success",
                    "handed_over": "success", "lost": "failure", "closed_lost": "failure",
                    "cancelled": "cancelled", "reg_rejected": "paused"}


def result_of(state: str) -> str:
    """X-S04's result of an opportunity in `state` (the author corrects it)."""
    return _RESULT_OF_STATE.get(state, "in_progress")


class MonthlySummary(Document, db.Model):
    __tablename__ = "sales_monthly_summary"
    __table_extra__ = (UniqueConstraint("owner_id", "period_start"),)
    period_start: Mapped[date] = mapped_column(Date)      # the 1st of the month
    period_end: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_late: Mapped[bool] = mapped_column(Boolean, default=False)
    remarks: Mapped[str] = mapped_column(Text, default="")
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")

    projects = relationship("MonthlySummaryLine", cascade="all, delete-orphan", order_by="MonthlySummaryLine.id",
                            lazy="selectin")


class MonthlySummaryLine(db.Model):
    __tablename__ = "sales_monthly_summary_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("sales_monthly_summary.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    stage: Mapped[str] = mapped_column(String(40), default="")
    result: Mapped[str] = mapped_column(String(20), default="in_progress")
    summary: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")

    opportunity = relationship(Opportunity)

    @property
    def opportunity_name(self) -> str:
        return f"{self.opportunity.number} {self.opportunity.title}" if self.opportunity else ""


MONTHLY_REVIEW = {"editable_in": ("submitted",), "edit_permission": "sales.monthly_summary.mark_read",
                  "section": MANAGER_REVIEW}
STAGES = [(state, label) for state, label in OPPORTUNITY_WORKFLOW.states.items()]

MONTHLY_SUMMARY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("period_start", _l("Month (any day in it)"), "date", required=True,
          default=lambda: calendar_today.today(), **SUMMARY_AUTHOR),
    Field("remarks", _l("Remarks"), "textarea", **SUMMARY_AUTHOR),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **MONTHLY_REVIEW),
    Field("mgr_comment", _l("Market manager's comment"), "textarea", **MONTHLY_REVIEW),
    Field("period_end", _l("Month ending"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_late", _l("Submitted late"), "bool", readonly=True),
]
MONTHLY_LINE_FIELDS = [
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True),
    Field("stage", _l("Stage"), "choice", choices=STAGES, readonly=True),
    Field("result", _l("Result"), "choice", choices=RESULTS, required=True, default="in_progress"),
    Field("summary", _l("Summary"), "textarea"),
    Field("next_step", _l("Next step"), "textarea"),
]


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def monthly_due(first: date) -> datetime:
    """R-S-009: the end of work on the month's last working day."""
    from core.reminders import month_end
    return month_end(first)


def monthly_project_rows(user_id: int, first: date, last: date) -> list[dict]:
    """A line per opportunity `user_id` owns that was open during the month: created by its end,
    and not finished before it began (still open, or finished since its first day)."""
    candidates = list(db.session.scalars(select(Opportunity).where(
        Opportunity.owner_id == user_id, Opportunity.created_at < _start_of(last + timedelta(days=1)))
        .order_by(Opportunity.id)))
    finished = [o.id for o in candidates if o.state in FINISHED]
    since = set(db.session.scalars(engine.entered(OPPORTUNITY, list(FINISHED), _start_of(first),
                                                  _start_of(date(9999, 1, 1))))) if finished else set()
    return [{"opportunity_id": o.id, "stage": o.state, "result": result_of(o.state), "summary": "", "next_step": ""}
            for o in candidates if o.state not in FINISHED or o.id in since]


def save_monthly_summary(summary):
    if summary.period_start is None:
        raise ValidationFailed({"period_start": [_("Enter the month.")]})
    first, last = month_of(summary.period_start)
    if first > calendar_today.today():
        raise ValidationFailed({"period_start": [_("This month has not begun yet.")]})
    clash = select(MonthlySummary).where(MonthlySummary.owner_id == summary.owner_id,
                                         MonthlySummary.period_start == first)
    if summary.id:
        clash = clash.where(MonthlySummary.id != summary.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"period_start": [_(
            "You already have a project summary for %(month)s (%(number)s): one per person per month.",
            month=first.strftime("%Y-%m"), number=clash.number)]})
    new = summary.id is None
    summary.period_start, summary.period_end = first, last
    owner = db.session.get(User, summary.owner_id)
    summary.title = f"{owner.display_name} {first.strftime('%Y-%m')}"
    summary.due_at = utc(monthly_due(first))
    if new and not summary.projects:
        service.set_lines(MONTHLY_SUMMARY, summary, monthly_project_rows(summary.owner_id, first, last))
    _lines_kept_once_submitted(summary, "projects")
    _check_opportunities(summary, "projects")
    for line in summary.projects:
        if summary.state == "draft":
            line.stage = line.opportunity.state     # auto: where it stands now
        line.result = line.result or result_of(line.stage)


def projects_summarised(doc, user):
    """X-S04: a summary of each project."""
    missing = [str(n) for n, line in enumerate(doc.projects, start=1) if _blank(line.summary)]
    if missing:
        return [Issue(_("Summarise each project: line %(lines)s.", lines=", ".join(missing)), field="projects")]
    return []


MONTHLY_SUMMARY_WORKFLOW = Workflow(
    states={"draft": _l("Being written"), "submitted": _l("Submitted to the market manager"),
            "read": _l("Read by the market manager"), "forwarded": _l("Forwarded to the marketing director"),
            "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to the market manager"), ["draft"], "submitted",
                   conditions=[projects_summarised]),
        Transition("return", _l("Return for changes"), ["submitted"], "draft", comment_required=True,
                   style="outline-danger", reviews=True),
        Transition("mark_read", _l("Mark as read"), ["submitted"], "read", style="success", reviews=True,
                   fields=review_inputs(MONTHLY_SUMMARY_FIELDS), comment_label=_l("Note")),
        # Read by the 市场部经理, it goes on to the 市场总监 at once (erp_transition_done).
        Transition("forward", _l("Forward to the marketing director"), ["read"], "forwarded", automatic=True),
        Transition("archive", _l("Archive"), ["forwarded"], "archived", style="outline-secondary"),
    ],
    editable_states=("draft", "submitted"),
)

MONTHLY_SUMMARY = DocType(
    code="sales.monthly_summary", model=MonthlySummary, label=_l("Monthly project summary"),
    label_plural=_l("Monthly project summaries"), fields=MONTHLY_SUMMARY_FIELDS,
    workflow=MONTHLY_SUMMARY_WORKFLOW, number_prefix="YZ", print_title="月度项目总结汇报", menu_order=58,
    before_save=save_monthly_summary, deadline=Deadline("due_at"),
    columns=[Column("period_start", _l("Month"), kind="date"), Column("due_at", _l("Due"), kind="datetime"),
             Column("submitted_late", _l("Submitted late"), kind="bool"),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number")],
    lines=Lines("projects", MonthlySummaryLine, fields=MONTHLY_LINE_FIELDS, blank_rows=1, columns=[
        Column("opportunity_name", _l("Opportunity")),
        Column("stage", _l("Stage"), kind="choice", choices=dict(STAGES)),
        Column("result", _l("Result"), kind="choice", choices=dict(RESULTS)),
        Column("summary", _l("Summary")), Column("next_step", _l("Next step"))]),
)


# ---- transition side effects ------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user):
    """Lateness on the first submission (R-S-022, R-S-009), the week's figures counted again, and
    the monthly summary forwarded to the 市场总监 once read; idempotent."""
    if isinstance(document, WeeklySummary) and transition.name == "submit":
        compute_weekly(document)
        _submission(document, document.due_at, "R-S-022")
    elif isinstance(document, MonthlySummary) and transition.name == "submit":
        _submission(document, document.due_at, "R-S-009")
    elif isinstance(document, MonthlySummary) and transition.name == "mark_read" and document.state == "read":
        engine.carry(document, "forward", user, because=str(_l("Monthly project summary (R-S-009)")))


# ---- what the cadences create by themselves (erp reminders send) ------------------------------
def _last_working_day(first: date, last: date) -> date | None:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    working = [d for d in days if cal.is_working_day(d)]
    return working[-1] if working else None


def _open_for(doctype, model, period_attribute, first: date, last: date, people: list[User], fill) -> list:
    have = set(db.session.scalars(select(model.owner_id).where(getattr(model, period_attribute) == first)))
    created = []
    from core.reminders import acting_for
    for user in people:
        if user.id in have or writing_since(user.created_at, calendar_today.today()) > last:
            continue  # his own already, or his account came after the period
        with acting_for(user):
            doc = service.new_document(doctype, user)
            setattr(doc, period_attribute, first)
            fill(doc)
            service.assign_number(doctype, doc)
            db.session.add(doc)
        created.append(doc)
    return created


def open_weekly_summaries(now: datetime) -> list[WeeklySummary]:
    """R-S-022: from the week's last working day, each writer's draft of the week, his own (created
    as him, pre-filled); last week's too while its deadline has not passed (a run missed).
    None twice for a person and week; none for a week without a working day."""
    day = now.astimezone(cal.timezone()).date()
    this_week, _end = week_of(day)
    weeks = []
    for first in (this_week - timedelta(days=7), this_week):
        last = first + timedelta(days=6)
        closing = _last_working_day(first, last)
        if closing is None or day < closing:
            continue
        if first < this_week and now >= weekly_due(first):
            continue
        weeks.append(first)
    created = []
    people = writers("sales.weekly_summary.required_roles") if weeks else []
    for first in weeks:
        created += _open_for(WEEKLY_SUMMARY, WeeklySummary, "week_start", first, first + timedelta(days=6),
                             people, save_weekly_summary)
    return created


def monthly_opens_on(first: date) -> date:
    """X-S04: created ``sales.monthly_summary.open_days_before`` days before the month's last working day."""
    return monthly_due(first).date() - timedelta(days=settings.get("sales.monthly_summary.open_days_before"))


def open_monthly_summaries(day: date) -> list[MonthlySummary]:
    """R-S-009: from ``open_days_before`` days before the month's deadline, each salesperson's
    draft of the month, pre-filled with his opportunities open during it; none twice."""
    first, last = month_of(day)
    if day < monthly_opens_on(first):
        return []
    return _open_for(MONTHLY_SUMMARY, MonthlySummary, "period_start", first, last,
                     writers("sales.monthly_summary.required_roles"), save_monthly_summary)


@hookimpl
def erp_scheduled(now):
    """The weekly summaries at the week's end, the monthly ones before the month's (idempotent)."""
    open_weekly_summaries(now)
    open_monthly_summaries(now.astimezone(cal.timezone()).date())


# ---- demo data --------------------------------------------------------------------------------
def demo() -> None:
    """Last week's summaries of the demo salespeople, the pre-sales engineer and the assistant in a
    few states (one read by the market manager, one submitted, the others in draft), and this
    month's project summaries in draft. Safe to run twice. The caller commits."""
    from flask import g
    today = calendar_today.today()
    first = week_of(today)[0] - timedelta(days=7)
    before = g.get("audit_user")
    texts = {"highlights": "完成深圳市第一人民医院门诊楼方案交流；新增两家潜在客户。",
             "next_week": "提交门诊楼综合布线报价；拜访南方电网信息中心。",
             "support_needed": "需要售前工程师支持现场勘察。"}
    try:
        for n, user in enumerate(writers("sales.weekly_summary.required_roles")):
            if db.session.scalar(select(WeeklySummary.id).where(WeeklySummary.owner_id == user.id,
                                                                WeeklySummary.week_start == first)):
                continue
            g.audit_user = user
            doc = service.new_document(WEEKLY_SUMMARY, user)
            doc.week_start = first
            # The demo's opportunities were made today: their lines as of today.
            service.set_lines(WEEKLY_SUMMARY, doc, weekly_progress_rows(user.id, first, today))
            save_weekly_summary(doc)
            service.assign_number(WEEKLY_SUMMARY, doc)
            db.session.add(doc)
            if n % 3 != 2:
                for name, value in texts.items():
                    setattr(doc, name, value)
                for line in doc.opportunity_progress:
                    line.progress = "方案已提交，等待客户反馈"
                doc.state, doc.submitted_at = "submitted", utc(doc.due_at) - timedelta(hours=16)
            if n % 3 == 0:
                doc.state, doc.mgr_rating, doc.mgr_comment = "read", 4, "进展清楚，下周重点跟进报价。"
            db.session.flush()
        month = month_of(today)[0]
        for user in writers("sales.monthly_summary.required_roles"):
            if db.session.scalar(select(MonthlySummary.id).where(MonthlySummary.owner_id == user.id,
                                                                 MonthlySummary.period_start == month)):
                continue
            g.audit_user = user
            doc = service.new_document(MONTHLY_SUMMARY, user)
            doc.period_start = month
            save_monthly_summary(doc)
            service.assign_number(MONTHLY_SUMMARY, doc)
            db.session.add(doc)
            db.session.flush()
    finally:
        g.audit_user = before


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [WeeklySummary, WeeklySummaryLine, MonthlySummary, MonthlySummaryLine]


@hookimpl
def erp_document_types():
    return [WEEKLY_SUMMARY, MONTHLY_SUMMARY]


@hookimpl
def erp_roles():
    weekly_own = [f"sales.weekly_summary.{a}" for a in ("read", "create", "edit", "submit")]
    monthly_own = [f"sales.monthly_summary.{a}" for a in ("read", "create", "edit", "submit")]
    read_all = ["sales.weekly_summary.read_all", "sales.monthly_summary.read_all"]
    grants = [
        ("ROLE-MKT-AM", weekly_own + monthly_own),
        ("ROLE-MKT-AAM", weekly_own + monthly_own),
        ("ROLE-MKT-PSE", weekly_own),
        # The assistant writes her own weekly summary and files everyone's.
        ("ROLE-MKT-AST", weekly_own + read_all + ["sales.weekly_summary.archive", "sales.monthly_summary.archive"]),
        # The manager reads, rates and returns; as SALES_STAFF when he owns opportunities he may write his own.
        ("ROLE-MKT-MGR", weekly_own + monthly_own + read_all
         + [f"sales.weekly_summary.{a}" for a in ("return", "mark_read", "export")]
         + [f"sales.monthly_summary.{a}" for a in ("return", "mark_read", "export")]),
        ("ROLE-MKT-DIR", read_all + ["sales.monthly_summary.export"]),
        ("ROLE-GM", list(read_all)),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.weekly_summary_due", "time", "09:00", _l("Weekly work summary due on Monday at"),
                _l("R-S-022: before the weekly meeting of the next week (its first working day when Monday is off).")),
        Setting("sales.weekly_summary.required_roles", "list",
                ["ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-PSE", "ROLE-MKT-AST"],
                _l("Roles that write a weekly work summary"),
                _l("WF-S10: each gets a draft of the week on its last working day."), choices=ROLE_CHOICES),
        Setting("sales.monthly_summary.required_roles", "list", ["ROLE-MKT-AAM", "ROLE-MKT-AM"],
                _l("Roles that write a monthly project summary"),
                _l("R-S-009: every salesperson reports each month on the projects he is responsible for."),
                choices=ROLE_CHOICES),
        Setting("sales.monthly_summary.open_days_before", "int", 5,
                _l("Monthly project summary created (days before the month's last working day)"),
                _l("R-S-009: the month's summary is created in draft this many days before it is due."), min=0, max=27),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-S-009", "销售人员每月项目总结汇报",
             "Each salesperson reports monthly on the final result of each project he is responsible for "
             "(R-S-023).", "deadline",
             params=("sales.monthly_summary.required_roles", "sales.monthly_summary.open_days_before")),
        Rule("R-S-022", "每周工作总结例会前提交",
             "The weekly work summary (F-S11) is submitted before the weekly meeting.", "deadline",
             params=("sales.weekly_summary_due", "sales.weekly_summary.required_roles")),
    ]
