"""Periodic reports and records of the market department.

- 区域市场调研报告 F-S02 (WF-S02 cycle 2, R-S-003): by the 片区客户经理 per area per quarter (or month,
  ``sales.regional_report.cadence``, C1) to the 市场部经理, who rates and forwards it to the 市场总监.
  ``erp reminders send`` (core's ``erp_scheduled`` hook) creates each active area's report in
  draft for its area manager ``sales.regional_report.open_days_before`` (10) days before the
  period ends (:func:`open_regional_reports`; once per area and period, by hand or not); created
  blank, it cannot be submitted before its author writes it. Due at the period's end of work; a
  late one is a violation. Tested in test_visits.py, test_overdue.py, test_cadence.py.
- 全国区域销售策划 X-S02 (WF-S02 cycle 3, R-S-004): half-yearly by the 市场部经理, approved by the 市场总监,
  due by the end of the half-year before. Its lines are the areas' targets (no salesperson) and
  the salespeople's personal targets within an area (``person``); it is submitted only when each
  area's signing and collection targets are shared out exactly among its salespeople
  (:func:`targets_add_up`). test_visits.py, test_cadence.py. Left: the plan is not created
  automatically (the manager writes it; its reminder is the Deadline) and approved targets are
  not yet published to appraisal (I-19: no appraisal module yet).
- 重要商务谈判记录 F-S03 (WF-S04, R-S-005/R-S-007): planned, done, recorded, reviewed, reported.
  An important one (``is_important``: a flag, or its opportunity's estimate at or above
  ``sales.important_activity_amount``) is due immediately: its record by the end of the activity's
  day plus ``core.immediate_deadline_hours`` (a Deadline; a late record is a violation of R-S-007;
  the day, not the hour, is recorded, so the day's end is when it ended at the latest). Reviewed
  by the 市场部经理 it is reported to the 市场总监 at once (carried), and it is never archived
  without that report (WF-S04). The 市场总监 reads it (read_all); his sign-off (dir_read) is not
  a step of its own. R-S-005 (purpose and plan before, summary after) refuses the save or the
  record. test_visits.py, test_reviews_permissions_activities.py. R-S-006 is only a checkbox
  (``profile_updated``): the stale-profile flag is left for the customer-profile work.
- 丢单总结 X-S03 (WF-S09): created with the opportunity's loss (by hand or from a tender not won), due
  in ``sales.lost_summary_days`` working days, submitted by the owner, rated and reviewed by the
  市场部经理; that review alone closes the opportunity as lost (``close_lost`` is automatic). Left:
  flagging lessons for the team (no consumer of the flag yet).
Rules (tests in tests/modules/sales/): R-S-003 enforced (test_visits.py regional report tests,
test_overdue.py, test_cadence.py); R-S-004 enforced as a Deadline with the plan's approval
(test_visits.py sales plan tests, test_cadence.py); R-S-005 enforced (test_visits.py business
activity tests); R-S-007 enforced (test_reviews_permissions_activities.py). Left: R-S-006's flag
of a stale customer profile (no profile update date is kept: the checkbox is the prompt only);
R-S-008, R-S-041, R-S-043 (WF-S03) live in reception.py; R-S-009 (WF-S10) and R-S-017 (WF-S11): sales part 2.
Deliberately left here: R-S-009 (monthly project summary X-S04, WF-S10: sales
part 2). WF-S05's rules live in presales.py and requirements.py.

Transition side effects live in :func:`erp_transition_done`.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, rules, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines, Related
from core.documents import Deadline
from core.documents.fields import Field
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .customers import CUSTOMER, OPPORTUNITY, active_areas
from .models import MONEY, Area, Customer, Opportunity, Quotation
from .visits import MANAGER_REVIEW, _blank, review_inputs, utc

OPEN_OPPORTUNITY = ("lead", "eng_in_progress", "tender_in_progress", "equip_in_progress", "reg_rejected", "win_pending",
                    "won", "contracting", "contract_review", "approved_to_sign")


def _submission(doc, due, rule_code: str) -> None:
    """First submission time and lateness against `due` (an aware datetime); a late one is
    recorded against its owner as a missed deadline of `rule_code`."""
    if doc.submitted_at is None:
        now = calendar_today.now()
        doc.submitted_at = utc(now)
        doc.submitted_late = due is not None and now > utc(due)
        if doc.submitted_late:
            rules.record_violation(rule_code, "deadline_missed", user_id=doc.owner_id, document=doc,
                                   details=_("Submitted after %(due)s.", due=utc(due).astimezone(cal.timezone())
                                             .strftime("%Y-%m-%d %H:%M")))


# ---- 区域市场调研报告 F-S02 ----------------------------------------------------------------------
CADENCES = [("quarterly", _l("Quarterly")), ("monthly", _l("Monthly"))]


class RegionalReport(Document, db.Model):
    __tablename__ = "sales_regional_report"
    __table_extra__ = (UniqueConstraint("area_id", "period_start"),)
    area_id: Mapped[int] = mapped_column(ForeignKey("sales_area.id"))
    cadence: Mapped[str] = mapped_column(String(10), default="quarterly")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_late: Mapped[bool] = mapped_column(Boolean, default=False)
    open_opportunities: Mapped[int] = mapped_column(Integer, default=0)
    open_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    market_overview: Mapped[str] = mapped_column(Text, default="")
    competitors: Mapped[str] = mapped_column(Text, default="")
    industry_policy: Mapped[str] = mapped_column(Text, default="")
    price_channel: Mapped[str] = mapped_column(Text, default="")
    last_plan_review: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_plan: Mapped[str] = mapped_column(Text, default="")
    next_target: Mapped[Decimal | None] = mapped_column(MONEY)
    suggestions: Mapped[str] = mapped_column(Text, default="")
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")

    area = relationship(Area, lazy="joined")


RATING = {"minimum": 1, "maximum": 5}   # the market manager's rating, 1 to 5
REPORT_REVIEW = {"editable_in": ("submitted",), "edit_permission": "sales.regional_report.forward", "section": MANAGER_REVIEW}
REPORT_AUTHOR = {"readonly_in": ("submitted",)}
# Created blank on its cadence: what the author writes is required to submit it.
REPORT_CONTENT = {"required": True, "required_in": ("submitted", "forwarded", "archived"), **REPORT_AUTHOR}

REGIONAL_REPORT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("area", _l("Area"), "reference", options=active_areas, required=True, **REPORT_AUTHOR),
    Field("period_start", _l("Report period (any day in it)"), "date", required=True,
          default=lambda: calendar_today.today(), **REPORT_AUTHOR),
    Field("market_overview", _l("Market overview of the area"), "textarea", **REPORT_CONTENT),
    Field("competitors", _l("Competitor analysis"), "textarea", **REPORT_AUTHOR),
    Field("industry_policy", _l("Industry and policy news"), "textarea", **REPORT_AUTHOR),
    Field("price_channel", _l("Prices and channels"), "textarea", **REPORT_AUTHOR),
    Field("last_plan_review", _l("Last period's plan: what was achieved"), "textarea", **REPORT_CONTENT),
    Field("problems", _l("Problems and difficulties"), "textarea", **REPORT_CONTENT),
    Field("next_plan", _l("Plan and goals for the next period"), "textarea", **REPORT_CONTENT),
    Field("next_target", _l("Sales target for the next period"), "money", minimum=0, maximum=10**11, **REPORT_AUTHOR),
    Field("suggestions", _l("Suggestions (products, prices, market strategy)"), "textarea", **REPORT_AUTHOR),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **REPORT_REVIEW),
    Field("mgr_comment", _l("Market manager's opinion"), "textarea", **REPORT_REVIEW),
    # Set by the module: the cadence in force when started, the period, the due date, the pipeline.
    Field("cadence", _l("Cadence"), "choice", choices=CADENCES, readonly=True),
    Field("period_end", _l("Period to"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("submitted_late", _l("Submitted late"), "bool", readonly=True),
    Field("open_opportunities", _l("Open opportunities"), "integer", readonly=True),
    Field("open_amount", _l("Their estimated amount"), "money", readonly=True),
]


_PERIOD = {"quarterly": "quarter", "monthly": "month"}


def report_period(day: date, cadence: str) -> tuple[date, date]:
    """The quarter (or month) containing `day`: (first day, last day)."""
    first_month = (day.month - 1) // 3 * 3 + 1 if cadence == "quarterly" else day.month
    first = date(day.year, first_month, 1)
    months = 3 if cadence == "quarterly" else 1
    following = date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


def save_regional_report(report):
    area = db.session.get(Area, report.area_id) if report.area_id else None
    if area is None:
        raise ValidationFailed({"area_id": [_("Choose the area.")]})
    if area.manager_id != report.owner_id:
        raise ValidationFailed({"area_id": [_("Only the area account manager of %(area)s reports on it (R-S-003).",
                                              area=area.name)]})
    if report.period_start is None:
        raise ValidationFailed({"period_start": [_("Enter the report period.")]})
    if not report.id:  # the cadence in force when the report is started
        report.cadence = settings.get("sales.regional_report.cadence")
    report.period_start, report.period_end = report_period(report.period_start, report.cadence)
    clash = select(RegionalReport).where(RegionalReport.area_id == area.id,
                                         RegionalReport.period_start == report.period_start)
    if report.id:
        clash = clash.where(RegionalReport.id != report.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"period_start": [_(
            "%(area)s already has a report for %(first)s – %(last)s (%(number)s): one per area per period.",
            area=area.name, first=report.period_start.isoformat(), last=report.period_end.isoformat(),
            number=clash.number)]})
    report.due_at = utc(cal.deadline_end_of_work(cal.period_end(report.period_start, _PERIOD[report.cadence])))
    report.title = f"{area.name} {report.period_start.isoformat()} ~ {report.period_end.isoformat()}"
    count, amount = db.session.execute(select(func.count(Opportunity.id), func.coalesce(func.sum(Opportunity.est_amount), 0))
                                       .where(Opportunity.area_id == area.id,
                                              Opportunity.state.in_(OPEN_OPPORTUNITY))).one()
    report.open_opportunities, report.open_amount = count, Decimal(amount)


def manager_review_given(doc, user):
    issues = []
    if doc.mgr_rating is None:
        issues.append(Issue(_("Rate the report (1-5) before forwarding it."), field="mgr_rating"))
    if _blank(doc.mgr_comment):
        issues.append(Issue(_("Write your opinion before forwarding the report."), field="mgr_comment"))
    return issues


REGIONAL_REPORT_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Submitted to the market manager"),
            "forwarded": _l("Forwarded to the marketing director"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to the market manager"), ["draft"], "submitted"),
        Transition("return", _l("Return for changes"), ["submitted"], "draft", comment_required=True,
                   style="outline-danger", reviews=True),
        Transition("forward", _l("Forward to the marketing director"), ["submitted"], "forwarded", reviews=True,
                   conditions=[manager_review_given], style="success",
                   fields=review_inputs(REGIONAL_REPORT_FIELDS), comment_label=_l("Note")),
        # The director reads it: a step his inbox waits for, though it only files the report.
        Transition("archive", _l("Read and archive"), ["forwarded"], "archived", style="outline-secondary",
                   waits=True),
    ],
    editable_states=("draft", "submitted"),
)

REGIONAL_REPORT = DocType(
    code="sales.regional_report", model=RegionalReport, label=_l("Regional market research report"),
    label_plural=_l("Regional market research reports"), fields=REGIONAL_REPORT_FIELDS,
    workflow=REGIONAL_REPORT_WORKFLOW, number_prefix="DY", print_title="区域市场调研报告", menu_order=65,
    before_save=save_regional_report, deadline=Deadline("due_at"),
    columns=[Column("area", _l("Area"), sortable=False),
             Column("period_start", _l("Period from"), kind="date"), Column("period_end", _l("Period to"), kind="date"),
             Column("cadence", _l("Cadence"), kind="choice", choices=dict(CADENCES)),
             Column("due_at", _l("Due"), kind="datetime"), Column("submitted_late", _l("Submitted late"), kind="bool"),
             Column("open_opportunities", _l("Open opportunities"), kind="number"),
             Column("open_amount", _l("Their estimated amount"), kind="money"),
             Column("market_overview", _l("Market overview of the area"), sortable=False),
             Column("competitors", _l("Competitor analysis"), sortable=False),
             Column("industry_policy", _l("Industry and policy news"), sortable=False),
             Column("price_channel", _l("Prices and channels"), sortable=False),
             Column("last_plan_review", _l("Last period's plan: what was achieved"), sortable=False),
             Column("problems", _l("Problems and difficulties"), sortable=False),
             Column("next_plan", _l("Plan and goals for the next period"), sortable=False),
             Column("next_target", _l("Sales target for the next period"), kind="money"),
             Column("suggestions", _l("Suggestions (products, prices, market strategy)"), sortable=False),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number"),
             Column("mgr_comment", _l("Market manager's opinion"), sortable=False)],
)


# ---- 全国区域销售策划 X-S02 ------------------------------------------------------------------------
class SalesPlan(Document, db.Model):
    __tablename__ = "sales_plan"
    __table_extra__ = (UniqueConstraint("year", "half"),)
    year: Mapped[int] = mapped_column(Integer)
    half: Mapped[int] = mapped_column(Integer)            # 1: January-June, 2: July-December
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    market_review: Mapped[str] = mapped_column(Text, default="")
    strategy: Mapped[str] = mapped_column(Text, default="")
    promotion: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    signed_target_total: Mapped[Decimal] = mapped_column(MONEY, default=0)
    collection_target_total: Mapped[Decimal] = mapped_column(MONEY, default=0)

    lines = relationship("SalesPlanLine", cascade="all, delete-orphan", order_by="SalesPlanLine.id", lazy="selectin")


class SalesPlanLine(db.Model):
    __tablename__ = "sales_plan_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sales_plan.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("sales_area.id"))
    signed_target: Mapped[Decimal] = mapped_column(MONEY, default=0)
    collection_target: Mapped[Decimal] = mapped_column(MONEY, default=0)
    key_accounts: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A salesperson's own target within the area (X-S02 person_targets); empty: the area's target.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    area = relationship(Area)
    owner = relationship(User, foreign_keys=[owner_id])
    person = relationship(User, foreign_keys=[person_id])

    @property
    def area_name(self) -> str:
        return self.area.name if self.area else ""


HALVES = [(1, _l("First half (January–June)")), (2, _l("Second half (July–December)"))]
PLAN_LINE_OWNER_ROLES = ("ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-MGR")
SALESPEOPLE = ("ROLE-MKT-AAM", "ROLE-MKT-AM")   # who gets a personal target


def _next(part: int):
    return lambda: next_half(calendar_today.today())[part]


SALES_PLAN_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("year", _l("Year"), "choice", choices=[(y, str(y)) for y in range(2020, 2061)], required=True,
          default=_next(0), listed=False),  # a choice: shown 2027, not as the number 2,027
    Field("half", _l("Half-year"), "choice", choices=HALVES, required=True, default=_next(1), listed=False),
    Field("market_review", _l("Review of the last half-year"), "textarea", required=True),
    Field("strategy", _l("Marketing strategy (products, prices, channels, industries)"), "textarea", required=True),
    Field("promotion", _l("Promotion plan"), "textarea"),
    Field("resources", _l("Resources needed"), "textarea"),
    # Set by the module: the half-year's dates, its deadline (R-S-004) and the lines' totals.
    Field("period_start", _l("Period from"), "date", readonly=True),
    Field("period_end", _l("Period to"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("signed_target_total", _l("Signing target"), "money", readonly=True),
    Field("collection_target_total", _l("Collection target"), "money", readonly=True),
]
SALES_PLAN_LINE_FIELDS = [
    Field("area", _l("Area"), "reference", options=active_areas, required=True),
    Field("signed_target", _l("Signing target"), "money", required=True, minimum=0, maximum=10**11, total=True),
    Field("collection_target", _l("Collection target"), "money", required=True, minimum=0, maximum=10**11,
          total=True),
    Field("key_accounts", _l("Key accounts")),
    Field("owner", _l("Responsible"), "user", roles=PLAN_LINE_OWNER_ROLES),
    Field("person", _l("Salesperson (personal target)"), "user", roles=SALESPEOPLE,
          help=_l("Leave empty for the area's target; a line per salesperson gives his share of it.")),
]


def next_half(day: date) -> tuple[int, int]:
    """The half-year a plan written on `day` is for (the next one)."""
    return (day.year, 2) if day.month <= 6 else (day.year + 1, 1)


def save_sales_plan(plan):
    if plan.half not in (1, 2) or not plan.year:
        raise ValidationFailed({"half": [_("Choose the half-year.")]})
    plan.period_start = date(plan.year, 1 if plan.half == 1 else 7, 1)
    plan.period_end = date(plan.year, 6, 30) if plan.half == 1 else date(plan.year, 12, 31)
    clash = select(SalesPlan).where(SalesPlan.year == plan.year, SalesPlan.half == plan.half)
    if plan.id:
        clash = clash.where(SalesPlan.id != plan.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"half": [_("There is already a plan for this half-year (%(number)s).", number=clash.number)]})
    seen = set()
    for n, line in enumerate(plan.lines, start=1):
        if line.area_id is None or db.session.get(Area, line.area_id) is None:
            raise ValidationFailed({}, [_("Line %(n)s: choose the area.", n=n)])
        if (line.area_id, line.person_id) in seen:
            raise ValidationFailed({}, [
                _("Line %(n)s: the area is already planned on another line.", n=n) if line.person_id is None else
                _("Line %(n)s: this salesperson already has a target in this area on another line.", n=n)])
        seen.add((line.area_id, line.person_id))
    # The plan's totals are the areas' targets; the personal targets share them out.
    areas = [l for l in plan.lines if l.person_id is None]
    plan.signed_target_total = sum((l.signed_target or Decimal(0) for l in areas), Decimal(0))
    plan.collection_target_total = sum((l.collection_target or Decimal(0) for l in areas), Decimal(0))
    # R-S-004: written by the end of the half-year before the one planned.
    plan.due_at = utc(cal.deadline_end_of_work(cal.period_end(plan.period_start - timedelta(days=1), "half_year")))
    plan.title = f"{plan.year}-H{plan.half}"


def plan_has_targets(doc, user):
    if not any(l.person_id is None for l in doc.lines):
        return [Issue(_("Add the target of at least one area."), field="lines")]
    return []


def targets_add_up(doc, user):
    """X-S02: each area's target is shared out among its salespeople, to the yuan."""
    issues = []
    names = {a.id: a.name for a in db.session.scalars(select(Area).where(
        Area.id.in_({l.area_id for l in doc.lines})))} if doc.lines else {}
    planned = {l.area_id: l for l in doc.lines if l.person_id is None}
    for area_id in dict.fromkeys(l.area_id for l in doc.lines if l.person_id is not None):
        if area_id not in planned:
            issues.append(Issue(_("%(area)s has personal targets but no area target.", area=names.get(area_id, "")),
                                field="lines"))
    for area_id, area_line in planned.items():
        people = [l for l in doc.lines if l.area_id == area_id and l.person_id is not None]
        if not people:
            issues.append(Issue(_("Share the target of %(area)s out among its salespeople (personal targets).",
                                  area=names.get(area_id, "")), field="lines"))
            continue
        for attribute, sentence in (
                ("signed_target", _l("The personal signing targets of %(area)s add up to ¥%(total)s, "
                                     "not the area's ¥%(target)s.")),
                ("collection_target", _l("The personal collection targets of %(area)s add up to ¥%(total)s, "
                                         "not the area's ¥%(target)s."))):
            total = sum((getattr(l, attribute) or Decimal(0) for l in people), Decimal(0))
            target = getattr(area_line, attribute) or Decimal(0)
            if total != target:
                issues.append(Issue(str(sentence) % {"area": names.get(area_id, ""), "total": f"{total:,.2f}",
                                                     "target": f"{target:,.2f}"}, field="lines"))
    return issues


SALES_PLAN_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting the marketing director"),
            "approved": _l("Approved by the marketing director"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to the marketing director"), ["draft"], "submitted", kind="submit",
                   conditions=[plan_has_targets, targets_add_up]),
        Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Return for changes"), ["submitted"], "draft", kind="reject", comment_required=True),
        Transition("archive", _l("Archive"), ["approved"], "archived", style="outline-secondary"),
    ],
    steps=[ApprovalStep("director", _l("Marketing director"), ByRole("ROLE-MKT-DIR"))],
)

SALES_PLAN = DocType(
    code="sales.sales_plan", model=SalesPlan, label=_l("Nationwide regional sales plan"),
    label_plural=_l("Nationwide regional sales plans"), fields=SALES_PLAN_FIELDS,
    workflow=SALES_PLAN_WORKFLOW, number_prefix="CH", print_title="全国区域销售策划", menu_order=70,
    before_save=save_sales_plan, deadline=Deadline("due_at"),
    # The area is shown by its name (area_name): a reference to a small table is no list column.
    lines=Lines("lines", SalesPlanLine, fields=SALES_PLAN_LINE_FIELDS, columns=[
        Column("area_name", _l("Area")),
        *(f.column() for f in SALES_PLAN_LINE_FIELDS if f.name != "area")]),
)


# ---- 重要商务谈判记录 F-S03 ------------------------------------------------------------------------
ACTIVITY_TYPES = [("negotiation", _l("Business negotiation")), ("technical", _l("Technical exchange")),
                  ("banquet", _l("Dinner or entertainment")), ("inspection", _l("Inspection visit")),
                  ("signing", _l("Signing ceremony")), ("other", _l("Other"))]


class BusinessActivity(Document, db.Model):
    __tablename__ = "sales_business_activity"
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    activity_type: Mapped[str] = mapped_column(String(20), default="negotiation")
    activity_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    our_attendees: Mapped[str] = mapped_column(String(200), default="")
    customer_attendees: Mapped[str] = mapped_column(Text, default="")
    decision_maker_present: Mapped[bool] = mapped_column(Boolean, default=False)
    terms_negotiated: Mapped[bool] = mapped_column(Boolean, default=False)
    flagged_important: Mapped[bool] = mapped_column(Boolean, default=False)
    expense: Mapped[Decimal | None] = mapped_column(MONEY)
    is_important: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    customer_positions: Mapped[str] = mapped_column(Text, default="")
    agreed: Mapped[str] = mapped_column(Text, default="")
    open_issues: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    profile_updated: Mapped[bool] = mapped_column(Boolean, default=False)
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))   # the record of an important one

    customer = relationship(Customer, lazy="joined")
    opportunity = relationship(Opportunity)

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""


ACTIVITY_REVIEW = {"editable_in": ("recorded",), "edit_permission": "sales.business_activity.review", "section": MANAGER_REVIEW}
ACTIVITY_AUTHOR = {"readonly_in": ("recorded",)}

BUSINESS_ACTIVITY_FIELDS = [
    Field("title", _l("Subject"), required=True, **ACTIVITY_AUTHOR),
    Field("customer", _l("Customer"), "reference", target="sales.customer", required=True, **ACTIVITY_AUTHOR),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", **ACTIVITY_AUTHOR),
    Field("activity_type", _l("Kind of activity"), "choice", choices=ACTIVITY_TYPES, required=True,
          default="negotiation", **ACTIVITY_AUTHOR),
    Field("activity_date", _l("Date"), "date", required=True, **ACTIVITY_AUTHOR),
    Field("place", _l("Place"), **ACTIVITY_AUTHOR),
    Field("our_attendees", _l("Our participants"), **ACTIVITY_AUTHOR),
    Field("customer_attendees", _l("Customer's participants (name, department, position, role)"), "textarea",
          **ACTIVITY_AUTHOR),
    Field("decision_maker_present", _l("A decision maker takes part"), "bool", **ACTIVITY_AUTHOR),
    Field("terms_negotiated", _l("Price, payment or contract terms are negotiated"), "bool", **ACTIVITY_AUTHOR),
    Field("flagged_important", _l("Important"), "bool", **ACTIVITY_AUTHOR),
    Field("expense", _l("Expense"), "money", minimum=0, maximum=10**9, **ACTIVITY_AUTHOR),
    Field("purpose", _l("Purpose of the activity"), "textarea", required=True, **ACTIVITY_AUTHOR),
    Field("plan", _l("Plan of the activity"), "textarea", required=True, **ACTIVITY_AUTHOR),
    Field("content", _l("Content of the talks"), "textarea", **ACTIVITY_AUTHOR),
    Field("customer_positions", _l("Customer's concerns and positions"), "textarea", **ACTIVITY_AUTHOR),
    Field("agreed", _l("Agreed"), "textarea", **ACTIVITY_AUTHOR),
    Field("open_issues", _l("Open issues"), "textarea", **ACTIVITY_AUTHOR),
    Field("analysis", _l("Summary and analysis"), "textarea", **ACTIVITY_AUTHOR),
    Field("next_steps", _l("Next steps (what, who, by when)"), "textarea", **ACTIVITY_AUTHOR),
    Field("profile_updated", _l("Customer profile updated (R-S-006)"), "bool", **ACTIVITY_AUTHOR),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **ACTIVITY_REVIEW),
    Field("mgr_comment", _l("Market manager's instructions"), "textarea", **ACTIVITY_REVIEW),
    Field("is_important", _l("Important (R-S-007)"), "bool", readonly=True),   # from the flags and the amount
    Field("due_at", _l("Record due"), "datetime", readonly=True),              # R-S-007, important ones only
]


def save_business_activity(activity):
    from .visits import allowed_customers
    owner = db.session.get(User, activity.owner_id)
    customer = db.session.scalar(allowed_customers(owner).where(Customer.id == activity.customer_id)) \
        if activity.customer_id else None
    if customer is None:
        raise ValidationFailed({"customer_id": [_("Choose a registered customer (R-S-030).")]})
    opportunity = None
    if activity.opportunity_id:
        opportunity = db.session.scalar(visible(OPPORTUNITY, owner, select(Opportunity)).where(
            Opportunity.id == activity.opportunity_id))
        if opportunity is None or opportunity.customer_id != customer.id:
            raise ValidationFailed({"opportunity_id": [_("Choose an opportunity of this customer.")]})
    # R-S-005: before the activity, its purpose and plan.
    blank = [name for name in ("purpose", "plan") if _blank(getattr(activity, name))]
    if blank:
        raise ValidationFailed({name: [_("Define the purpose and plan of the activity beforehand (R-S-005).")]
                                for name in blank})
    threshold = Decimal(settings.get("sales.important_activity_amount"))
    activity.is_important = bool(
        activity.flagged_important or activity.decision_maker_present or activity.terms_negotiated
        or (activity.expense or 0) > 0 or (opportunity is not None and (opportunity.est_amount or 0) >= threshold))
    activity.due_at = record_due(activity) if activity.is_important else None


def record_due(activity) -> datetime | None:
    """R-S-007: an important activity's record is due immediately, i.e. the immediate-submission
    hours after the end of the activity's day (its hour is not recorded)."""
    if activity.activity_date is None:
        return None
    day_end = datetime.combine(activity.activity_date + timedelta(days=1), datetime.min.time(), tzinfo=cal.timezone())
    return utc(day_end + timedelta(hours=settings.get("core.immediate_deadline_hours")))


def _recorded_late_before(activity) -> bool:
    """Whether its late record was already counted (a record returned and submitted again)."""
    from core.rules.models import RuleViolation
    return db.session.scalar(select(RuleViolation.id).where(
        RuleViolation.rule_code == "R-S-007", RuleViolation.doctype == BUSINESS_ACTIVITY.code,
        RuleViolation.doc_id == activity.id).limit(1)) is not None


def reported_if_important(doc, user):
    """WF-S04: an important activity goes to the 市场总监 before it is filed."""
    if doc.state == "reviewed" and doc.is_important:
        return [Issue(_("An important activity is reported to the marketing director before it is archived (WF-S04)."))]
    return []


def activity_happened(doc, user):
    if doc.activity_date and doc.activity_date > calendar_today.today():
        return [Issue(_("The activity is planned for %(day)s: it has not taken place yet.",
                        day=doc.activity_date.isoformat()), field="activity_date")]
    return []


def activity_recorded(doc, user):
    """R-S-005: afterwards, the talks, the summary and analysis and the next steps."""
    fields = [("content", _("Content of the talks")), ("customer_positions", _("Customer's concerns and positions")),
              ("analysis", _("Summary and analysis")), ("next_steps", _("Next steps (what, who, by when)"))]
    missing = [label for name, label in fields if _blank(getattr(doc, name))]
    if missing:
        return [Issue(_("After the activity, record %(fields)s (R-S-005).", fields=", ".join(missing)), code="R-S-005")]
    return []


BUSINESS_ACTIVITY_WORKFLOW = Workflow(
    states={"planned": _l("Planned"), "done": _l("Took place"), "recorded": _l("Recorded"),
            "reviewed": _l("Read by the market manager"), "reported": _l("Reported to the marketing director"),
            "archived": _l("Archived"), "cancelled": _l("Cancelled")},
    initial="planned",
    transitions=[
        Transition("mark_done", _l("The activity took place"), ["planned"], "done", conditions=[activity_happened]),
        Transition("record", _l("Submit the record"), ["done"], "recorded", conditions=[activity_recorded]),
        Transition("return", _l("Return for completion"), ["recorded"], "done", comment_required=True,
                   style="outline-danger", reviews=True),
        Transition("review", _l("Mark as read"), ["recorded"], "reviewed", style="success", reviews=True,
                   fields=review_inputs(BUSINESS_ACTIVITY_FIELDS, rating=False, opinion=False), comment_label=_l("Note")),
        Transition("report", _l("Report to the marketing director"), ["reviewed"], "reported"),
        Transition("archive", _l("Archive"), ["reviewed", "reported"], "archived", style="outline-secondary",
                   conditions=[reported_if_important]),
        Transition("cancel", _l("Cancel"), ["planned", "done"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    editable_states=("planned", "done", "recorded"),
)

BUSINESS_ACTIVITY = DocType(
    code="sales.business_activity", model=BusinessActivity, label=_l("Important business negotiation record"),
    label_plural=_l("Important business negotiation records"), fields=BUSINESS_ACTIVITY_FIELDS,
    workflow=BUSINESS_ACTIVITY_WORKFLOW, number_prefix="SW",
    print_title="重要商务谈判记录", menu_order=60, before_save=save_business_activity, search=("place",),
    deadline=Deadline("due_at", states=("planned", "done")),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("activity_type", _l("Kind of activity"), kind="choice", choices=dict(ACTIVITY_TYPES)),
             Column("activity_date", _l("Date"), kind="date"), Column("place", _l("Place")),
             Column("is_important", _l("Important"), kind="bool"), Column("due_at", _l("Record due"), kind="datetime"),
             Column("our_attendees", _l("Our participants"), sortable=False),
             Column("customer_attendees", _l("Customer's participants (name, department, position, role)"), sortable=False),
             Column("expense", _l("Expense"), kind="money"),
             Column("purpose", _l("Purpose of the activity"), sortable=False),
             Column("plan", _l("Plan of the activity"), sortable=False),
             Column("content", _l("Content of the talks"), sortable=False),
             Column("customer_positions", _l("Customer's concerns and positions"), sortable=False),
             Column("agreed", _l("Agreed"), sortable=False), Column("open_issues", _l("Open issues"), sortable=False),
             Column("analysis", _l("Summary and analysis"), sortable=False),
             Column("next_steps", _l("Next steps (what, who, by when)"), sortable=False),
             Column("profile_updated", _l("Customer profile updated (R-S-006)"), kind="bool"),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number"),
             Column("mgr_comment", _l("Market manager's instructions"), sortable=False)],
)


# ---- 丢单总结 X-S03 -----------------------------------------------------------------------------
LOST_STAGES = [("registration", _l("Registration stage")), ("solution", _l("Solution stage")),
               ("bidding", _l("Bidding stage")), ("negotiation", _l("Commercial negotiation stage"))]
LOSS_CAUSES = [("price", _l("Price")), ("solution", _l("Technical solution")), ("brand", _l("Brand")),
               ("relationship", _l("Customer relationship")), ("qualification", _l("Qualification")),
               ("service", _l("Service")), ("schedule", _l("Construction period")),
               ("customer_cancelled", _l("Customer cancelled")), ("other", _l("Other"))]


class LostSummary(Document, db.Model):
    __tablename__ = "sales_lost_summary"
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), unique=True)
    lost_stage: Mapped[str] = mapped_column(String(20))
    winner: Mapped[str] = mapped_column(String(200))
    winner_price: Mapped[Decimal | None] = mapped_column(MONEY)
    our_price: Mapped[Decimal | None] = mapped_column(MONEY)
    reasons: Mapped[list] = mapped_column(JSON, default=list)         # LOSS_CAUSES
    reason_note: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mgr_rating: Mapped[int | None] = mapped_column(Integer)
    mgr_comment: Mapped[str] = mapped_column(Text, default="")

    opportunity = relationship(Opportunity, lazy="joined")

    @property
    def customer_name(self) -> str:
        return self.opportunity.customer_name if self.opportunity else ""

    @property
    def reason_labels(self) -> str:
        labels = dict(LOSS_CAUSES)
        return "、".join(str(labels.get(code, code)) for code in self.reasons or [])


# Created blank when the opportunity is lost: what the owner fills in is required to submit it.
SUMMARY_AUTHOR = {"required": True, "required_in": ("submitted", "reviewed")}
SUMMARY_REVIEW = {"editable_in": ("submitted",), "section": MANAGER_REVIEW}
LOST_SUMMARY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True),
    Field("lost_stage", _l("Lost at"), "choice", choices=LOST_STAGES, **SUMMARY_AUTHOR),
    Field("winner", _l("Winner"), **SUMMARY_AUTHOR),
    Field("winner_price", _l("Winner's price"), "money", minimum=0, maximum=10**11),
    Field("reasons", _l("Why the order was lost"), "multichoice", choices=LOSS_CAUSES, **SUMMARY_AUTHOR),
    Field("reason_note", _l("Reasons in detail"), "textarea"),
    Field("lessons", _l("Lessons learned"), "textarea", **SUMMARY_AUTHOR),
    Field("follow_up", _l("Later opportunities"), "textarea"),
    Field("our_price", _l("Our price"), "money", readonly=True),   # the last approved quotation's
    Field("due_at", _l("Due"), "datetime", readonly=True),
    # WF-S09: the market manager rates how constructive the summary is when he reviews it.
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **SUMMARY_REVIEW),
    Field("mgr_comment", _l("Market manager's opinion"), "textarea", **SUMMARY_REVIEW),
]


def lost_summary_due(day: date) -> datetime:
    """WF-S09: the end of work on the ``sales.lost_summary_days``-th working day after the loss."""
    return utc(cal.deadline_end_of_work(cal.add_working_days(day, settings.get("sales.lost_summary_days"))))


def _lost_stage(opportunity) -> str:
    """Where the order was lost, as far as the records tell (the owner corrects it)."""
    if opportunity.info_type == "tender":
        return "bidding"
    if db.session.scalar(select(Quotation.id).where(Quotation.opportunity_id == opportunity.id,
                                                    Quotation.state == "quoted").limit(1)) is not None:
        return "negotiation"
    return "solution" if opportunity.registration_no else "registration"


def open_lost_summary(opportunity, winner: str = "", winner_price=None) -> LostSummary:
    """WF-S09: the lost-order summary the owner of a lost opportunity writes, created with it
    (once), due in ``sales.lost_summary_days`` working days."""
    from core.documents import service
    summary = db.session.scalar(select(LostSummary).where(LostSummary.opportunity_id == opportunity.id))
    if summary is not None:
        return summary
    summary = service.new_document(LOST_SUMMARY, db.session.get(User, opportunity.owner_id))
    summary.department_id = opportunity.department_id or summary.department_id
    summary.opportunity_id, summary.opportunity = opportunity.id, opportunity
    summary.lost_stage, summary.winner, summary.winner_price = _lost_stage(opportunity), winner or "", winner_price
    cause = {"technology": "solution", "budget_cancelled": "customer_cancelled"}.get(opportunity.outcome_reason,
                                                                                      opportunity.outcome_reason)
    summary.reasons = [cause] if cause in dict(LOSS_CAUSES) else []
    summary.due_at = lost_summary_due(calendar_today.today())
    _linked(summary, opportunity)
    service.assign_number(LOST_SUMMARY, summary)
    db.session.add(summary)
    return summary


def _linked(summary, opportunity) -> None:
    """Our last price (of the last quotation fixed) and the title, from the opportunity."""
    quotation = db.session.scalar(select(Quotation).where(
        Quotation.opportunity_id == opportunity.id, Quotation.state.in_(("approved", "quoted", "superseded")))
        .order_by(Quotation.revision.desc(), Quotation.id.desc()).limit(1))
    summary.our_price = quotation.price_ex_tax if quotation is not None else None
    summary.title = opportunity.title


def save_lost_summary(summary):
    owner = db.session.get(User, summary.owner_id)
    opportunity = db.session.scalar(visible(OPPORTUNITY, owner, select(Opportunity)).where(
        Opportunity.id == summary.opportunity_id)) if summary.opportunity_id else None
    if opportunity is None:
        raise ValidationFailed({"opportunity_id": [_("Choose the lost opportunity.")]})
    if opportunity.state != "lost":
        raise ValidationFailed({"opportunity_id": [_("Only an opportunity recorded as lost gets a lost-order summary.")]})
    clash = select(LostSummary).where(LostSummary.opportunity_id == opportunity.id)
    if summary.id:
        clash = clash.where(LostSummary.id != summary.id)
    clash = db.session.scalar(clash.limit(1))
    if clash is not None:
        raise ValidationFailed({"opportunity_id": [_("This opportunity already has a lost-order summary (%(number)s).",
                                                     number=clash.number)]})
    summary.reasons = list(dict.fromkeys(summary.reasons or []))
    _linked(summary, opportunity)
    summary.opportunity = opportunity
    if summary.due_at is None:  # written by hand (an opportunity lost before summaries were created)
        summary.due_at = lost_summary_due(calendar_today.today())


def summary_review_given(doc, user):
    if doc.mgr_rating is None:
        return [Issue(_("Rate the lost-order summary (1-5) before marking it reviewed."), field="mgr_rating")]
    return []


LOST_SUMMARY_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting the market manager"),
            "reviewed": _l("Reviewed by the market manager"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit"), ["draft"], "submitted", kind="submit"),
        # The review closes the opportunity as lost (erp_transition_done below); nothing else does.
        Transition("approve", _l("Summary reviewed"), ["submitted"], "reviewed", kind="approve", style="success",
                   conditions=[summary_review_given], fields=review_inputs(LOST_SUMMARY_FIELDS, opinion=False),
                   comment_label=_l("Note")),
        Transition("reject", _l("Return for changes"), ["submitted"], "draft", kind="reject", comment_required=True),
        Transition("archive", _l("Archive"), ["reviewed"], "archived", style="outline-secondary"),
    ],
    steps=[ApprovalStep("manager", _l("Market manager"), ByRole("ROLE-MKT-MGR"))],
)

LOST_SUMMARY = DocType(
    code="sales.lost_summary", model=LostSummary, label=_l("Lost-order summary"),
    label_plural=_l("Lost-order summaries"), fields=LOST_SUMMARY_FIELDS,
    workflow=LOST_SUMMARY_WORKFLOW, number_prefix="DD", print_title="丢单总结", menu_order=75,
    before_save=save_lost_summary, deadline=Deadline("due_at"),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("lost_stage", _l("Lost at"), kind="choice", choices=dict(LOST_STAGES)),
             Column("winner", _l("Winner")), Column("winner_price", _l("Winner's price"), kind="money"),
             Column("our_price", _l("Our price"), kind="money"),
             Column("reason_labels", _l("Why the order was lost"), sortable=False),
             Column("reason_note", _l("Reasons in detail"), sortable=False),
             Column("lessons", _l("Lessons learned"), sortable=False),
             Column("follow_up", _l("Later opportunities"), sortable=False),
             Column("due_at", _l("Due"), kind="datetime"),
             Column("mgr_rating", _l("Market manager's rating (1-5)"), kind="number")],
    search=("winner",),
)


# ---- transition side effects ------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user):
    """Side effects of report and record transitions; idempotent (safe to call twice)."""
    if isinstance(document, RegionalReport) and transition.name == "submit":
        _submission(document, document.due_at, "R-S-003")
    elif isinstance(document, Opportunity) and transition.name == "lose":
        # WF-S09: every lost order gets its summary, by hand or from a tender not won.
        from .bidding import Tender
        tender = db.session.scalar(select(Tender).where(Tender.opportunity_id == document.id, Tender.state == "not_won")
                                   .order_by(Tender.id.desc()).limit(1))
        open_lost_summary(document, winner=tender.winner if tender else "", winner_price=tender.winner_price if tender else None)
    elif isinstance(document, BusinessActivity) and transition.name == "mark_done":
        # A contact with the customer (R-S-033: a dormant customer wakes up; R-S-032: protection).
        from .staff_handover import record_contact
        record_contact(document.customer, document.activity_date, user, document.number, document.opportunity)
    elif isinstance(document, BusinessActivity) and transition.name == "record" and document.due_at is not None:
        now = calendar_today.now()
        if now > utc(document.due_at) and not _recorded_late_before(document):
            rules.record_violation("R-S-007", "deadline_missed", user_id=document.owner_id, document=document,
                                   details=_("Recorded after %(due)s.", due=utc(document.due_at).astimezone(
                                       cal.timezone()).strftime("%Y-%m-%d %H:%M")))
    elif isinstance(document, BusinessActivity) and transition.name == "review" and document.is_important:
        # WF-S04: reported to the 市场总监 at once (automatic for important ones).
        engine.carry(document, "report", user, because=str(_l("Important activity (R-S-007)")))
    elif isinstance(document, LostSummary) and transition.name == "approve" and document.state == "reviewed":
        # WF-S09: the reviewed summary closes the opportunity (lost -> closed_lost).
        opportunity = document.opportunity
        if opportunity is not None and opportunity.state == "lost":
            engine.carry(opportunity, "close_lost", user, because=document.number)


# ---- what the cadences create by themselves (erp reminders send) ------------------------------
def report_opens_on(period_end: date) -> date:
    """WF-S02 cycle 2: a period's report is created ``sales.regional_report.open_days_before``
    calendar days before the period ends."""
    return period_end - timedelta(days=settings.get("sales.regional_report.open_days_before"))


def open_regional_reports(day: date) -> list[RegionalReport]:
    """WF-S02 cycle 2 (R-S-003): from ``open_days_before`` days before the period's end, a draft
    report of the period for each active area with an active 片区客户经理, his own (created as
    him, pre-filled with the area's open pipeline). None twice for an area and period."""
    from core.documents import service
    from core.reminders import acting_for
    cadence = settings.get("sales.regional_report.cadence")
    first, last = report_period(day, cadence)
    if day < report_opens_on(last):
        return []
    done = set(db.session.scalars(select(RegionalReport.area_id).where(RegionalReport.period_start == first)))
    areas = [a for a in db.session.scalars(select(Area).join(User, User.id == Area.manager_id).where(
        Area.active.is_(True), User.active.is_(True)).order_by(Area.id)) if a.id not in done]
    created = []
    for area in areas:
        owner = db.session.get(User, area.manager_id)
        with acting_for(owner):
            report = service.new_document(REGIONAL_REPORT, owner)
            report.area_id, report.period_start = area.id, first
            save_regional_report(report)
            service.assign_number(REGIONAL_REPORT, report)
            db.session.add(report)
        created.append(report)
    return created


@hookimpl
def erp_scheduled(now):
    """The period's regional reports, on their cadence (idempotent)."""
    open_regional_reports(now.astimezone(cal.timezone()).date())


# ---- related lists on customers and opportunities ---------------------------------------------
CUSTOMER.relate(Related(_l("Important business negotiation records"), "sales.business_activity", "customer_id"))
OPPORTUNITY.relate(Related(_l("Important business negotiation records"), "sales.business_activity", "opportunity_id"))
OPPORTUNITY.relate(Related(_l("Lost-order summaries"), "sales.lost_summary", "opportunity_id"))


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [RegionalReport, SalesPlan, SalesPlanLine, BusinessActivity, LostSummary]


@hookimpl
def erp_document_types():
    return [BUSINESS_ACTIVITY, REGIONAL_REPORT, SALES_PLAN, LOST_SUMMARY]


@hookimpl
def erp_roles():
    activity_staff = [f"sales.business_activity.{a}" for a in ("read", "create", "edit", "mark_done", "record", "cancel")]
    lost_staff = [f"sales.lost_summary.{a}" for a in ("read", "create", "edit", "submit")]
    read_all = ["sales.regional_report.read_all", "sales.sales_plan.read_all", "sales.business_activity.read_all",
                "sales.lost_summary.read_all"]
    grants = [
        ("ROLE-MKT-AM", activity_staff + lost_staff),
        ("ROLE-MKT-AAM", activity_staff + lost_staff
         + [f"sales.regional_report.{a}" for a in ("read", "create", "edit", "submit")]),
        ("ROLE-MKT-MGR", read_all + activity_staff + lost_staff
         + [f"sales.regional_report.{a}" for a in ("edit", "return", "forward", "export")]
         + [f"sales.sales_plan.{a}" for a in ("create", "edit", "submit", "export")]
         + [f"sales.business_activity.{a}" for a in ("return", "review", "report", "export")]
         + ["sales.lost_summary.export"]),
        ("ROLE-MKT-DIR", read_all + ["sales.regional_report.archive", "sales.sales_plan.export"]),
        ("ROLE-MKT-AST", read_all + ["sales.regional_report.archive", "sales.sales_plan.archive",
                                     "sales.business_activity.archive", "sales.lost_summary.archive"]),
        ("ROLE-GM", list(read_all)),
        ("ROLE-PS-MGR", ["sales.lost_summary.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.regional_report.cadence", "choice", "quarterly", _l("Regional market research report every"),
                _l("R-S-003 (C1): the handbook's process says each quarter, its form list each month."),
                choices=CADENCES),
        Setting("sales.regional_report.open_days_before", "int", 10,
                _l("Regional market research report created (days before the period ends)"),
                _l("WF-S02: each area's report of the period is created in draft for its area account manager "
                   "this many days before the period ends."), min=0, max=90),
        Setting("sales.lost_summary_days", "int", 5, _l("Lost-order summary due within (working days)"),
                _l("WF-S09: the summary is created when the opportunity is lost and due this many working days later."),
                min=1, max=60),
        Setting("sales.important_activity_amount", "decimal", "200000",
                _l("Business activities on opportunities from this amount are important (¥)"),
                _l("WF-S04: important activities get the record F-S03 (R-S-007)."), min="0"),
    ]
