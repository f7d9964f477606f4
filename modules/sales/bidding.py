"""Bidding (项目投标, WF-S06): the tender with its task breakdown (投标文件任务分解进程表 F-S06).

The 市场部经理 decides to bid, buys the tender documents (购买标书) and appoints the bid lead
(项目负责人), who becomes the tender's owner. The lead holds the bid-preparation meeting
(编标讨论会) and fills in F-S06: at least the commercial part (商务标, owned by a 市场部助理) and
the technical part (技术标, owned by a 售前工程师), with tasks for the bid price, the qualification documents
and (when a bond is asked) the bid bond, every task due by the bid deadline minus
``sales.bid_integration_buffer_days`` (R-S-016: no preparation without the breakdown). Task
owners accept and report progress on their own tasks (a small form per task); late tasks are
flagged. A task is accepted by the end of the working day after it was given (the breakdown issued
at the meeting, or the task added or reassigned later; a Friday's task by Monday): its owner is
reminded, and past that it is escalated once to the bid lead and the 市场部经理 (``erp_reminders``). After integration the bid price is approved by the 市场部经理 (and the 总经理 from
``sales.bid_gm_threshold``) and submitted before the deadline. A price under the minimum margin
(R-S-010) or below cost (R-S-012) cannot be submitted for approval as such: the lead asks for a
low-margin exception with its reason, decided after the 市场部经理 by the 市场总监 (the 总经理
above ``sales.margin_exception_gm_threshold``, and alone below cost), the route quotations take
(``modules/sales/margin.py``); ``sales.min_margin_mode = block`` allows no exception.
Rules (tests in tests/modules/sales/):
- R-S-016 enforced: the 市场部经理 decides, buys the documents and appoints the lead (permissions);
  no preparation without F-S06's parts, owners and due dates before the deadline minus the
  buffer; tasks accepted before writing, each accepted within a working day (escalated) and
  reminded by its due day. test_bidding.py (test_bid_happy_path_with_refusals),
  test_rules_s14.py (five parts; acceptance escalated). Left: a task done late is flagged
  (``late``, the tender's late count), not recorded as a RuleViolation.
- R-S-010 / R-S-012 enforced on the bid price: test_bidding.py (exception tests).
- R-S-013 enforced: a tender needs an approved registration (``sales.tender_requires_registration``).
  test_bidding.py (test_tender_needs_a_registered_tender_opportunity).
- I-20 enforced (sales' side): the tender document fee (标书费) and the bid bond (投标保证金) paid,
  with the date and the payer, and the bond refunded, recorded by the 市场部助理 (or the 市场部经理)
  through actions that keep the tender's state (FINANCE_STEPS); the refund is due
  ``sales.bond_refund_days`` after the result, then reminded to the tender's owner and the
  assistants and listed on the assistant's dashboard. test_bid_bonds.py. Left: no payment request
  to core finance (``erp_payment_request`` is not a core hook yet).
The result moves the opportunity: 中标 (award notice attached) → won, 未中标 (winner and price
recorded) → lost; 放弃投标 withdraws the bid.
"""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, inspect, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import settings
from core.auth.permissions import RoleTemplate
from core.calendar_today import today
from core.documents import Action, DocType, Document, Lines, Related
from core.documents.derived import as_utc, declared_form, local
from core.documents.fields import Field
from core.documents.formatting import money
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow

from .customers import LOSS_REASONS, OPPORTUNITY
from .margin import PriceRule, margin_pct
from .models import Area, Opportunity, Quotation

MONEY = Numeric(14, 2)
CENT = Decimal("0.01")
UTC = timezone.utc

TASK_KINDS = [("commercial", _l("Commercial part (商务标)")), ("technical", _l("Technical part (技术标)")),
              ("pricing", _l("Bid price")), ("qualification", _l("Qualification documents")),
              ("bond", _l("Bid bond")), ("sample", _l("Samples or demonstration")),
              ("integration", _l("Integration, proofreading, binding")), ("other", _l("Other"))]
TASK_STATUSES = [("assigned", _l("Assigned")), ("accepted", _l("Accepted")), ("in_progress", _l("Being written")),
                 ("done", _l("Done")), ("verified", _l("Verified by the lead"))]
FINISHED = ("done", "verified")
BOND_METHODS = [("transfer", _l("Bank transfer")), ("guarantee", _l("Bank guarantee")), ("cash", _l("Cash"))]
# SALES_STAFF or 售前工程师 may lead a bid (WF-S06).
LEAD_ROLES = ("ROLE-MKT-AM", "ROLE-MKT-AAM", "ROLE-MKT-PSE")
COMMERCIAL_ROLE, TECHNICAL_ROLE = "ROLE-MKT-AST", "ROLE-MKT-PSE"
BREAKDOWN_STATES = ("kickoff_done", "preparing", "integrating")
TASK_STATES = ("kickoff_done", "preparing", "integrating")
PRICE_STATES = ("identified", "purchase_pending", "docs_purchased", "lead_assigned", "kickoff_done", "preparing",
                "integrating")
COST = "sales.cost.view"


# ---- models -----------------------------------------------------------------------------------
class Tender(Document, db.Model):
    """投标项目 (WF-S06) with its task breakdown F-S06; ``owner`` is the bid lead once appointed."""
    __tablename__ = "sales_tender"
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    quotation_id: Mapped[int | None] = mapped_column(ForeignKey("sales_quotation.id"))
    tenderer: Mapped[str] = mapped_column(String(200), default="")          # 招标单位
    agent: Mapped[str] = mapped_column(String(200), default="")             # 招标代理
    tender_no: Mapped[str] = mapped_column(String(60), default="")          # 招标编号
    qualification_req: Mapped[str] = mapped_column(Text, default="")
    doc_bought_on: Mapped[date | None] = mapped_column(Date)
    doc_fee: Mapped[Decimal | None] = mapped_column(MONEY)
    clarification_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bid_deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opening_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opening_place: Mapped[str] = mapped_column(String(200), default="")
    bond_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    bond_method: Mapped[str] = mapped_column(String(12), default="")
    bond_due_on: Mapped[date | None] = mapped_column(Date)
    validity_days: Mapped[int | None] = mapped_column(Integer)
    bid_lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    meeting_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    meeting_attendees: Mapped[str] = mapped_column(Text, default="")
    bid_price: Mapped[Decimal | None] = mapped_column(MONEY)
    estimated_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    integrated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    competitor_prices: Mapped[str] = mapped_column(Text, default="")
    winner: Mapped[str] = mapped_column(String(200), default="")
    winner_price: Mapped[Decimal | None] = mapped_column(MONEY)
    loss_reason: Mapped[str] = mapped_column(String(20), default="")
    # I-20: the tender document fee (标书费) and the bid bond (投标保证金) paid, the bond refunded;
    # the finance steps recorded by the 市场部助理.
    doc_fee_paid_on: Mapped[date | None] = mapped_column(Date)
    doc_fee_payer: Mapped[str] = mapped_column(String(80), default="")
    bond_paid_on: Mapped[date | None] = mapped_column(Date)
    bond_payer: Mapped[str] = mapped_column(String(80), default="")
    bond_refund_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    bond_refunded_on: Mapped[date | None] = mapped_column(Date)
    bond_refunded_amount: Mapped[Decimal | None] = mapped_column(MONEY)

    opportunity = relationship("Opportunity", lazy="joined")
    quotation = relationship("Quotation")
    bid_lead = relationship("User", foreign_keys=[bid_lead_id])
    integrated_by = relationship("User", foreign_keys=[integrated_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    tasks = relationship("BidTask", cascade="all, delete-orphan", order_by="BidTask.id", back_populates="tender",
                         lazy="selectin")   # lists show progress and late tasks: one query per page

    @property
    def customer_name(self) -> str:
        return self.opportunity.customer_name if self.opportunity else ""

    @property
    def late_tasks(self) -> int:
        return sum(1 for t in self.tasks if t.late)

    @property
    def progress(self) -> int:
        """Average progress of the tasks (%)."""
        return round(sum(t.progress or 0 for t in self.tasks) / len(self.tasks)) if self.tasks else 0


class BidTask(db.Model):
    """One line of F-S06: a part of the bid, its owner, due date, status and progress."""
    __tablename__ = "sales_bid_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("sales_tender.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="other")
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="assigned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(500), default="")
    # When its owner was given the task (the breakdown issued at the meeting, or a task added or
    # reassigned later): acceptance is due one working day after (WF-S06, acceptance_due).
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tender = relationship("Tender", back_populates="tasks")
    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")
    department = relationship("Department")

    @property
    def department_name(self) -> str:
        return self.department.name if self.department else ""

    @property
    def late(self) -> bool:
        """Past its due date and not done, or done after it (R-S-016 deadline per task)."""
        if self.due_on is None:
            return False
        if self.status in FINISHED:
            return self.done_at is not None and local(self.done_at).date() > self.due_on
        return today() > self.due_on


def acceptance_due(assigned_at: datetime) -> datetime:
    """WF-S06: a task is accepted by the end of the working day after its assignment (a Friday
    assignment by Monday's end of work, a Saturday one too)."""
    from core import calendar as cal
    return cal.deadline_end_of_work(cal.add_working_days(local(assigned_at).date(), 1))


# ---- declared fields -----------------------------------------------------------------------------
def departments() -> list[tuple[int, str]]:
    from core.org.models import Department
    return [(d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.code))]


# When each part of the tender may change (issue 12: a later step's fields not before it).
SUBMITTED_ON = ("final_approval", "approved", "submitted", "opened", "won", "not_won", "withdrawn")
NOTICE = {"readonly_in": SUBMITTED_ON}                      # the tender notice: until the approval
MEETING = {"editable_in": ("lead_assigned", "kickoff_done")}  # the lead's bid-preparation meeting
PRICE = {"editable_in": PRICE_STATES}                       # the bid price: until it is approved
OPENING = {"editable_in": ("opened",)}                      # what the opening told: after it
BUYING = {"editable_in": ("purchase_pending", "docs_purchased"), "edit_permission": "sales.tender.buy_docs"}

TENDER_FIELDS = [
    Field("customer_name", _l("Customer"), readonly=True),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True,
          editable_in=("identified",), listed=False,
          where=lambda Opportunity, user: (Opportunity.info_type == "tender")
          & (Opportunity.state == "tender_in_progress"),
          refusal=_l("The opportunity is not a tender followed as a tender (its state must be “bidding in progress”).")),
    Field("title", _l("Tender project name"), listed=False, **NOTICE),
    Field("tenderer", _l("Tendering entity"), required=True, **NOTICE),
    Field("agent", _l("Tendering agent"), **NOTICE),
    Field("tender_no", _l("Tender number"), required=True, max_length=60, **NOTICE),
    Field("qualification_req", _l("Qualification requirements"), "textarea", **NOTICE),
    Field("doc_fee", _l("Tender document fee"), "money", minimum=0, maximum=10**9, **NOTICE),
    Field("doc_bought_on", _l("Tender documents bought on"), "date", listed=False, **BUYING),
    Field("clarification_deadline", _l("Clarification deadline"), "datetime", listed=False, **NOTICE),
    Field("bid_deadline", _l("Bid deadline"), "datetime", required=True, **NOTICE),
    Field("opening_at", _l("Bid opening"), "datetime", required=True, **NOTICE),
    Field("opening_place", _l("Opening place"), listed=False, **NOTICE),
    Field("bond_amount", _l("Bid bond"), "money", minimum=0, maximum=10**11, **NOTICE),
    Field("bond_method", _l("Bond paid by"), "choice", choices=BOND_METHODS, listed=False, **NOTICE),
    Field("bond_due_on", _l("Bond due on"), "date", listed=False, **NOTICE),
    Field("validity_days", _l("Bid validity (days)"), "integer", minimum=1, maximum=3650, listed=False, **NOTICE),
    # Appointed by the market manager (the appoint_lead action below), who then owns the tender.
    Field("bid_lead", _l("Bid lead"), "user", readonly=True, listed=True),
    Field("meeting_at", _l("Bid-preparation meeting"), "datetime", listed=False, **MEETING),
    Field("meeting_attendees", _l("Meeting attendees"), "textarea", max_length=2000, **MEETING),
    Field("quotation", _l("Budget and quotation"), "reference", target="sales.quotation", depends_on=("opportunity",),
          where=lambda Quotation, user, doc: Quotation.opportunity_id == doc.opportunity_id,
          refusal=_l("Choose a quotation of the same opportunity."), **PRICE),
    Field("bid_price", _l("Bid price (excl. tax)"), "money", minimum=0, maximum=10**11, **PRICE),
    Field("estimated_cost", _l("Estimated cost"), "money", minimum=0, maximum=10**11, permission=COST, **PRICE),
    Field("margin_pct", _l("Margin (%)"), "percent", readonly=True, permission=COST),
    Field("progress", _l("Progress (%)"), "integer", readonly=True),
    Field("late_tasks", _l("Late tasks"), "integer", readonly=True),
    # Set by the workflow: who integrated and submitted the bid, and when it was opened.
    Field("integrated_by", _l("Integrated and proofread by"), "user", readonly=True),
    Field("submitted_at", _l("Submitted at"), "datetime", readonly=True),
    Field("submitted_by", _l("Submitted by"), "user", readonly=True),
    Field("opened_at", _l("Bids opened at"), "datetime", readonly=True, listed=False),
    Field("competitor_prices", _l("Competitors' bid prices at the opening"), "textarea", **OPENING),
    Field("winner", _l("Winning bidder"), **OPENING),
    Field("winner_price", _l("Winning price"), "money", minimum=0, maximum=10**11, **OPENING),
    Field("loss_reason", _l("Reason the bid was not won"), "choice", choices=LOSS_REASONS, listed=False, **OPENING),
    # I-20, recorded by the 市场部助理 through the actions below (FINANCE_STEPS).
    Field("doc_fee_paid_on", _l("Tender document fee paid on"), "date", readonly=True, listed=False),
    Field("doc_fee_payer", _l("Tender document fee paid by"), readonly=True, listed=False),
    Field("bond_paid_on", _l("Bid bond paid on"), "date", readonly=True),
    Field("bond_payer", _l("Bid bond paid by"), readonly=True, listed=False),
    Field("bond_refund_due_on", _l("Bond refund due on"), "date", readonly=True),
    Field("bond_refunded_on", _l("Bond refunded on"), "date", readonly=True),
    Field("bond_refunded_amount", _l("Bond refunded"), "money", readonly=True, listed=False),
]

# F-S06's lines: the lead enters the part, task, owner, due date and note; the owner reports the
# status and progress on the task page (TASK_UPDATE_FIELDS), the rest is computed.
TASK_FIELDS = [
    Field("kind", _l("Part"), "choice", choices=TASK_KINDS, required=True),
    Field("name", _l("Task"), required=True),
    Field("owner", _l("Owner"), "user", required=True, listed=True),
    Field("department", _l("Department"), "reference", options=departments, readonly=True, listed=False),
    Field("department_name", _l("Department"), readonly=True),
    Field("due_on", _l("Due"), "date", required=True),
    Field("status", _l("Status"), "choice", choices=TASK_STATUSES, readonly=True),
    Field("progress", _l("Progress (%)"), "integer", minimum=0, maximum=100, readonly=True),
    Field("done_at", _l("Done at"), "datetime", readonly=True, listed=False),
    Field("assigned_at", _l("Assigned at"), "datetime", readonly=True, listed=False),
    Field("late", _l("Late"), "bool", readonly=True),
    Field("note", _l("Note"), max_length=500),
]
TASK_UPDATE_FIELDS = [replace(f, readonly=False, required=f.name == "status") for f in TASK_FIELDS
                      if f.name in ("status", "progress", "note")]


# ---- rules ------------------------------------------------------------------------------------
# R-S-010 / R-S-012 on the bid price, the same rule and exception route as quotations.
PRICE_RULE = PriceRule(price=lambda t: t.bid_price, cost=lambda t: t.estimated_cost, field="bid_price")


def compute(tender) -> None:
    """R-S-010 basis: margin on the bid price (or mark-up on cost, ``sales.margin_basis``)."""
    tender.margin_pct = margin_pct(tender.bid_price, tender.estimated_cost)


def latest_task_day(tender) -> date | None:
    """Tasks are due by the bid deadline minus the integration buffer (calendar days)."""
    if tender.bid_deadline is None:
        return None
    return local(tender.bid_deadline).date() - timedelta(days=settings.get("sales.bid_integration_buffer_days"))


def breakdown_issues(tender) -> list[Issue]:
    """R-S-016: F-S06 has the commercial part (市场部助理) and the technical part (售前工程师), on time."""
    from core.auth.models import User
    issues = []
    tasks = list(tender.tasks)
    if not tasks:
        return [Issue(_("Fill in the task breakdown (F-S06) first (R-S-016)."), field="tasks", code="R-S-016")]
    owners = {t.owner_id: db.session.get(User, t.owner_id) for t in tasks if t.owner_id}
    if not any(t.kind == "commercial" and owners.get(t.owner_id) is not None
               and owners[t.owner_id].has_role(COMMERCIAL_ROLE) for t in tasks):
        issues.append(Issue(_("The breakdown needs the commercial part (商务标) owned by a market assistant (R-S-016)."),
                            field="tasks", code="R-S-016"))
    if not any(t.kind == "technical" and owners.get(t.owner_id) is not None
               and owners[t.owner_id].has_role(TECHNICAL_ROLE) for t in tasks):
        issues.append(Issue(_("The breakdown needs the technical part (技术标) owned by a pre-sales engineer (R-S-016)."),
                            field="tasks", code="R-S-016"))
    # F-S06's other required parts: the bid price, the qualification documents and, when a bond
    # is asked, the bid bond (their owners vary: procurement, 行政部, finance).
    kinds = {t.kind for t in tasks}
    required = [("pricing", _("the bid price (投标报价)")), ("qualification", _("the qualification documents (资质及证明文件)"))]
    if tender.bond_amount:
        required.append(("bond", _("the bid bond (投标保证金)")))
    for kind, label in required:
        if kind not in kinds:
            issues.append(Issue(_("The breakdown needs a task for %(part)s (F-S06, R-S-016).", part=label),
                                field="tasks", code="R-S-016"))
    last = latest_task_day(tender)
    for index, task in enumerate(tasks, start=1):
        if task.owner_id is None or task.due_on is None:
            issues.append(Issue(_("Task %(n)s (%(name)s) needs an owner and a due date.", n=index, name=task.name),
                                field="tasks", code="R-S-016"))
        elif last is not None and task.due_on > last:
            issues.append(Issue(_("Task %(n)s (%(name)s) is due %(due)s, after %(last)s: tasks must be done %(days)s days before the bid deadline to leave time for integration (R-S-016).",
                                  n=index, name=task.name, due=task.due_on.isoformat(), last=last.isoformat(),
                                  days=settings.get("sales.bid_integration_buffer_days")), field="tasks",
                                code="R-S-016"))
    return issues


def _changed(obj, name) -> bool:
    state = inspect(obj)
    return state.persistent and state.attrs[name].history.has_changes()


def _same_moment(obj, name) -> None:
    """Times arrive aware (UTC); SQLite gives them back naive: the same moment is no change."""
    value = getattr(obj, name)
    if value is not None and value.tzinfo is not None:
        setattr(obj, name, value.astimezone(UTC))
    state = inspect(obj)
    if state.persistent:
        history = state.attrs[name].history
        if history.deleted and history.added and history.deleted[0] is not None and history.added[0] is not None \
                and as_utc(history.deleted[0]) == as_utc(history.added[0]):
            setattr(obj, name, history.deleted[0])


def save_tender(tender):
    """The opportunity (offered and checked by its declared field: a tender followed as one) is
    linked, registered first (R-S-013); the chosen quotation gives the estimated cost; the tender's
    times are in order; each task's owner is active and gives the task its department."""
    from core.auth.models import User
    errors: dict[str, list] = {}
    opportunity = db.session.get(Opportunity, tender.opportunity_id) if tender.opportunity_id else None
    if opportunity is None:
        raise ValidationFailed({"opportunity_id": [_("Choose the tender opportunity.")]})
    if settings.get("sales.tender_requires_registration") and not opportunity.registration_no:
        errors.setdefault("opportunity_id", []).append(
            _("A tender needs an approved project registration first (R-S-013)."))
    if tender.quotation_id is not None and tender.estimated_cost is None:
        quotation = db.session.get(Quotation, tender.quotation_id)
        tender.estimated_cost = quotation.total_cost if quotation is not None else None
    for name in ("clarification_deadline", "bid_deadline", "opening_at", "meeting_at"):
        _same_moment(tender, name)
    deadline, opening, clarification = (as_utc(tender.bid_deadline), as_utc(tender.opening_at),
                                        as_utc(tender.clarification_deadline))
    if deadline is None:
        errors.setdefault("bid_deadline", []).append(_("Give the bid deadline."))
    else:
        if opening is not None and opening < deadline:
            errors.setdefault("opening_at", []).append(_("The opening cannot come before the bid deadline."))
        if clarification is not None and clarification > deadline:
            errors.setdefault("clarification_deadline", []).append(_("Clarifications end before the bid deadline."))
    for index, task in enumerate(tender.tasks, start=1):
        if not (task.name or "").strip() or task.due_on is None or task.kind not in dict(TASK_KINDS):
            errors.setdefault("tasks", []).append(_("Task %(n)s: give its part, name and due date.", n=index))
            continue
        owner = db.session.get(User, task.owner_id) if task.owner_id else None
        if owner is None or not owner.active:
            errors.setdefault("tasks", []).append(_("Task %(n)s: choose an active owner.", n=index))
            continue
        reassigned = inspect(task).persistent and _changed(task, "owner_id")
        if reassigned:
            task.status, task.progress, task.done_at = "assigned", 0, None   # reassigned by the lead
        if tender.state in TASK_STATES and (reassigned or not inspect(task).persistent):
            task.assigned_at = assignment_moment()   # before the meeting, the kickoff assigns it
        task.department_id = owner.department_id
        if task.status is None:
            task.status = "assigned"
        if task.progress is None:
            task.progress = 0
    if errors:
        raise ValidationFailed(errors)
    tender.opportunity = opportunity
    if not (tender.title or "").strip():
        tender.title = opportunity.title
    compute(tender)
    if tender.state in BREAKDOWN_STATES:
        issues = breakdown_issues(tender)
        if issues:
            raise ValidationFailed({"tasks": [i.message for i in issues]})


def assignment_moment() -> datetime:
    from core import calendar_today
    return calendar_today.now().astimezone(UTC)


def lead_or_manager(doc, user):
    """Acts of the bid lead (项目负责人); the market manager may act for him."""
    if user.id == doc.bid_lead_id or user.can("sales.tender.appoint_lead"):
        return []
    return [Issue(_("Only the bid lead or the market manager can do this."))]


def meeting_held(doc, user):
    issues = []
    if doc.meeting_at is None:
        issues.append(Issue(_("Record when the bid-preparation meeting (编标讨论会) was held."), field="meeting_at"))
    if not (doc.meeting_attendees or "").strip():
        issues.append(Issue(_("Record who attended the bid-preparation meeting."), field="meeting_attendees"))
    return issues


def breakdown(doc, user):
    return breakdown_issues(doc)


def tasks_accepted(doc, user):
    waiting = [t.name for t in doc.tasks if t.status == "assigned"]
    if waiting:
        return [Issue(_("Every task owner must accept the task first; still waiting: %(names)s.", names=", ".join(waiting)),
                      field="tasks")]
    return []


def tasks_finished(doc, user):
    open_ = [t.name for t in doc.tasks if t.status not in FINISHED]
    if open_:
        return [Issue(_("Not every part is done yet: %(names)s.", names=", ".join(open_)), field="tasks")]
    return []


def price_entered(doc, user):
    if doc.bid_price is None:
        return [Issue(_("Enter the bid price first."), field="bid_price")]
    if doc.estimated_cost is None:
        return [Issue(_("Enter the estimated cost first."), field="estimated_cost")]
    compute(doc)
    return []


def margin_issues(doc) -> list[Issue]:
    """R-S-012 (never below cost) and R-S-010 (minimum margin) on the bid price."""
    return price_entered(doc, None) or PRICE_RULE.issues(doc)


def price_rules(doc, user):
    return margin_issues(doc)


def exception_needed(doc, user):
    return price_entered(doc, user) or PRICE_RULE.exception_needed(doc, user)


def before_deadline(doc, user):
    if doc.bid_deadline is None or datetime.now(UTC) >= as_utc(doc.bid_deadline):
        deadline = local(doc.bid_deadline).strftime("%Y-%m-%d %H:%M") if doc.bid_deadline else "—"
        return [Issue(_("The bid deadline (%(deadline)s) has passed: the bid can no longer be submitted.", deadline=deadline),
                      field="bid_deadline")]
    return []


def award_notice(doc, user):
    """中标: the award notice (中标通知书) is attached after the opening."""
    from core.documents.models import Attachment
    stmt = select(Attachment.id).where(Attachment.doctype == TENDER_CODE, Attachment.doc_id == doc.id)
    if doc.opened_at is not None:
        stmt = stmt.where(Attachment.uploaded_at >= as_utc(doc.opened_at))
    if db.session.scalar(stmt.limit(1)) is None:
        return [Issue(_("Attach the award notice (中标通知书) before recording the bid as won."), field="attachments")]
    return []


def winner_recorded(doc, user):
    issues = []
    if not (doc.winner or "").strip():
        issues.append(Issue(_("Record the winning bidder."), field="winner"))
    if doc.winner_price is None:
        issues.append(Issue(_("Record the winning price."), field="winner_price"))
    return issues


def needs_gm(doc) -> bool:
    return (doc.bid_price or 0) >= Decimal(settings.get("sales.bid_gm_threshold"))


# ---- I-20: tender document fee and bid bond paid, bond refunded (the 市场部助理's finance steps) ----
RESULT_STATES = ("won", "not_won", "withdrawn")
ALL_STATES = ("identified", "purchase_pending", "docs_purchased", "lead_assigned", "kickoff_done", "preparing",
              "integrating", "final_approval", "margin_exception", "approved", "submitted", "opened", *RESULT_STATES)
PAYER = {"required": True, "max_length": 80, "help": _l("Who paid: the finance department, or the person who advanced it.")}


def stored(doc, name):
    """The value saved before this action (its fields are set before it is checked)."""
    history = inspect(doc).attrs[name].history
    if history.has_changes():
        return history.deleted[0] if history.deleted else None
    return getattr(doc, name)


def today_default(doc):
    return today()


def paid_in_the_past(*names):
    def check(doc, user):
        return [Issue(_("A payment is recorded once made: the date cannot be in the future."), field=name)
                for name in names if getattr(doc, name) is not None and getattr(doc, name) > today()]
    return check


def refund_after_payment(doc, user):
    issues = paid_in_the_past("bond_refunded_on")(doc, user)
    if doc.bond_refunded_on is not None and doc.bond_paid_on is not None and doc.bond_refunded_on < doc.bond_paid_on:
        issues.append(Issue(_("The bond cannot come back before it was paid (%(day)s).", day=doc.bond_paid_on.isoformat()),
                            field="bond_refunded_on"))
    if doc.bond_refunded_amount is not None and doc.bond_amount is not None and doc.bond_refunded_amount > doc.bond_amount:
        issues.append(Issue(_("More than the bond paid (%(amount)s) cannot be refunded.", amount=money(doc.bond_amount)),
                            field="bond_refunded_amount"))
    elif doc.bond_refunded_amount is not None and doc.bond_amount is not None and doc.bond_refunded_amount < doc.bond_amount:
        issues.append(Issue(_("Less than the bond paid (%(amount)s) came back: the difference is reported to the market manager.",
                              amount=money(doc.bond_amount)), field="bond_refunded_amount", blocking=False))
    return issues


def refund_due(day: date) -> date:
    """I-20: the bond is expected back sales.bond_refund_days after the tender's result."""
    return day + timedelta(days=settings.get("sales.bond_refund_days"))


FINANCE_STEPS = [
    Transition("record_doc_fee", _l("Tender document fee paid (标书费)"), ALL_STATES, None, style="outline-secondary",
               when=lambda doc: stored(doc, "doc_fee_paid_on") is None, conditions=[paid_in_the_past("doc_fee_paid_on")],
               waits=False,
               fields=[Field("doc_fee", _l("Tender document fee"), "money", required=True, minimum=0, maximum=10**9,
                             default=lambda doc: doc.doc_fee),
                       Field("doc_fee_paid_on", _l("Paid on"), "date", required=True, default=today_default),
                       Field("doc_fee_payer", _l("Paid by"), **PAYER)]),
    Transition("record_bond", _l("Bid bond paid (投标保证金)"), ALL_STATES, None, style="outline-secondary",
               when=lambda doc: stored(doc, "bond_paid_on") is None, conditions=[paid_in_the_past("bond_paid_on")], waits=False,
               fields=[Field("bond_amount", _l("Bid bond"), "money", required=True, minimum=Decimal("0.01"),
                             maximum=10**11, default=lambda doc: doc.bond_amount),
                       Field("bond_method", _l("Bond paid by"), "choice", choices=BOND_METHODS, required=True,
                             default=lambda doc: doc.bond_method or "transfer"),
                       Field("bond_paid_on", _l("Paid on"), "date", required=True, default=today_default),
                       Field("bond_payer", _l("Paid by"), **PAYER)]),
    Transition("record_refund", _l("Bid bond refunded"), ALL_STATES, None, style="outline-secondary",
               when=lambda doc: stored(doc, "bond_paid_on") is not None and stored(doc, "bond_refunded_on") is None,
               conditions=[refund_after_payment], waits=False,
               fields=[Field("bond_refunded_on", _l("Refunded on"), "date", required=True, default=today_default),
                       Field("bond_refunded_amount", _l("Amount refunded"), "money", required=True, minimum=0,
                             maximum=10**11, default=lambda doc: doc.bond_amount)]),
]


BEFORE_SUBMISSION = ["identified", "purchase_pending", "docs_purchased", "lead_assigned", "kickoff_done", "preparing",
                     "integrating", "final_approval", "margin_exception", "approved"]

TENDER_WORKFLOW = Workflow(
    states={"identified": _l("Tender notice recorded"), "purchase_pending": _l("Tender documents to buy"),
            "docs_purchased": _l("Tender documents bought"), "lead_assigned": _l("Bid lead appointed"),
            "kickoff_done": _l("Bid meeting held"), "preparing": _l("Bid being written"),
            "integrating": _l("Integration and proofreading"), "final_approval": _l("Bid approval"),
            "margin_exception": _l("Low-margin exception"),
            "approved": _l("Bid approved"), "submitted": _l("Bid submitted"), "opened": _l("Bids opened"),
            "won": _l("Won the bid"), "not_won": _l("Bid not won"), "withdrawn": _l("Bid withdrawn")},
    initial="identified",
    transitions=[
        Transition("decide", _l("Decide to bid"), ["identified"], "purchase_pending"),
        Transition("buy_docs", _l("Tender documents bought"), ["purchase_pending"], "docs_purchased"),
        # The market manager picks the lead (SALES_STAFF or 售前工程师) and gives his instructions.
        Transition("appoint_lead", _l("Appoint the bid lead"), ["docs_purchased"], "lead_assigned", style="success",
                   fields=[Field("bid_lead", _l("Bid lead"), "user", roles=LEAD_ROLES, required=True)],
                   comment_label=_l("Market manager's instructions")),
        Transition("kickoff", _l("Bid meeting held, breakdown issued"), ["lead_assigned"], "kickoff_done",
                   conditions=[lead_or_manager, meeting_held, breakdown]),
        Transition("start_preparing", _l("Tasks accepted: start writing"), ["kickoff_done"], "preparing",
                   conditions=[lead_or_manager, breakdown, tasks_accepted]),
        Transition("integrate", _l("All parts done: integrate"), ["preparing"], "integrating",
                   conditions=[lead_or_manager, tasks_finished]),
        Transition("request_approval", _l("Integrated: submit for approval"), ["integrating"], "final_approval",
                   kind="submit", conditions=[lead_or_manager, tasks_finished, price_rules, before_deadline]),
        # Under the margin (R-S-010) or below cost (R-S-012): the exception is decided with the bid.
        Transition("request_exception", _l("Request a low-margin exception"), ["integrating"], "margin_exception",
                   kind="submit", comment_required=True, style="warning",
                   conditions=[lead_or_manager, tasks_finished, exception_needed, before_deadline],
                   comment_label=_l("Why the exception should be granted")),
        Transition("approve", _l("Approve the bid"), ["final_approval"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Return for changes"), ["final_approval"], "integrating", kind="reject",
                   comment_required=True),
        Transition("approve_exception", _l("Approve the exception"), ["margin_exception"], "approved",
                   kind="approve", style="success"),
        Transition("reject_exception", _l("Refuse the exception"), ["margin_exception"], "integrating",
                   kind="reject", comment_required=True),
        Transition("submit_bid", _l("Bid submitted"), ["approved"], "submitted",
                   conditions=[lead_or_manager, before_deadline], style="success"),
        Transition("open", _l("Bids opened"), ["submitted"], "opened", conditions=[lead_or_manager]),
        Transition("win", _l("Won the bid (中标)"), ["opened"], "won", conditions=[lead_or_manager, award_notice],
                   style="success"),
        Transition("lose", _l("Not won (未中标)"), ["opened"], "not_won", conditions=[lead_or_manager, winner_recorded],
                   style="outline-danger"),
        Transition("withdraw", _l("Withdraw from the tender (放弃投标)"), BEFORE_SUBMISSION, "withdrawn",
                   comment_required=True, style="outline-danger"),
        *FINANCE_STEPS,
    ],
    # The market manager approves the price; the exception's approver follows when the price
    # needs one (R-S-010, R-S-012), the general manager too from sales.bid_gm_threshold.
    steps=[ApprovalStep("market_manager", _l("Market manager"), ByRole("ROLE-MKT-MGR")),
           *PRICE_RULE.exception_steps(general_manager_also=needs_gm)],
    editable_states=("identified", "purchase_pending", "docs_purchased", "lead_assigned", "kickoff_done",
                     "preparing", "integrating", "opened"),
)


def tender_visibility(user):
    """The lead, whoever recorded it, task owners, and the opportunity's people (owner, pre-sales, area)."""
    return or_(Tender.bid_lead_id == user.id, Tender.created_by_id == user.id,
               Tender.id.in_(select(BidTask.tender_id).where(BidTask.owner_id == user.id)),
               Tender.opportunity_id.in_(select(Opportunity.id).where(or_(
                   Opportunity.owner_id == user.id, Opportunity.presales_lead_id == user.id,
                   Opportunity.area_id.in_(select(Area.id).where(Area.manager_id == user.id))))))


TENDER_CODE = "sales.tender"
TENDER = DocType(
    code=TENDER_CODE, model=Tender, label=_l("Tender"), label_plural=_l("Tenders"),
    fields=TENDER_FIELDS, workflow=TENDER_WORKFLOW, number_prefix="TB", print_title="投标文件任务分解进程表",
    lines=Lines("tasks", BidTask, fields=TASK_FIELDS, blank_rows=4),
    search=("tenderer", "tender_no"), visibility=tender_visibility, menu_order=60, before_save=save_tender, kanban=True,
    actions=[Action(_l("Bid tasks: accept and report progress"), "sales.tender_tasks", states=TASK_STATES)],
)

# The page where a task's owner reports on it (views.tender_task_update).
TaskUpdateForm = declared_form(TENDER, "TaskUpdateForm", TASK_UPDATE_FIELDS)

OPPORTUNITY.relate(Related(_l("Tenders"), TENDER_CODE, "opportunity_id"))


# ---- task updates by their owners (special form, see views.py) -------------------------------
def task_update_problem(tender, task, user, status: str) -> str | None:
    """Why ``user`` may not move ``task`` to ``status`` now, or None."""
    is_lead = user.id == tender.bid_lead_id
    if not is_lead and task.owner_id != user.id:
        return _("Only the task's owner or the bid lead can update it.")
    if tender.state not in TASK_STATES:
        return _("Tasks are updated between the bid meeting and the integration.")
    if status not in dict(TASK_STATUSES):
        return _("Unknown status.")
    if status == "verified" and (not is_lead or task.status not in FINISHED):
        return _("Only the bid lead verifies a task, once it is done.")
    if task.status == "verified" and status != "verified" and not is_lead:
        return _("The bid lead has verified this task already.")
    if tender.state == "integrating" and status not in FINISHED:
        return _("The bid is being integrated: only the bid lead can reopen a task by returning the bid.")
    if status in ("in_progress", "done") and tender.state == "kickoff_done" and task.status == "assigned":
        return _("Accept the task first.")
    return None


def update_task(task, status: str, progress: int | None, note: str | None) -> None:
    task.status = status
    if status in FINISHED:
        task.progress = 100
        task.done_at = task.done_at or datetime.now(UTC)
    else:
        task.done_at = None
        if progress is not None:
            task.progress = max(0, min(99 if status != "assigned" else 0, int(progress)))
    if note is not None:
        task.note = note[:500]


# ---- events -----------------------------------------------------------------------------------
def _move_opportunity(tender, transition_name: str, user, comment: str) -> None:
    """The tender's result moves its opportunity through the opportunity's own transition (its
    consequences follow: a lost one gets its lost-order summary, WF-S09)."""
    from core.workflow import engine
    opportunity = tender.opportunity
    if opportunity is None or opportunity.state != "tender_in_progress":
        return
    if transition_name == "lose":
        opportunity.outcome_reason = tender.loss_reason or opportunity.outcome_reason or "other"
    engine.carry(opportunity, transition_name, user, because=comment)


@hookimpl
def erp_transition_done(document, transition, user):
    """Lead appointed: he owns the tender. Result: the opportunity becomes won / lost (WF-S01)."""
    if not isinstance(document, Tender):
        return
    name = transition.name
    now = datetime.now(UTC)
    if name == "buy_docs" and document.doc_bought_on is None:
        document.doc_bought_on = today()
    elif name == "appoint_lead":
        from core.auth.models import User
        lead = db.session.get(User, document.bid_lead_id)
        document.owner_id = lead.id
        document.department_id = lead.department_id or document.department_id
    elif name == "kickoff":   # the breakdown is issued: its owners are to accept their tasks
        for task in document.tasks:
            if task.status == "assigned":
                task.assigned_at = assignment_moment()
    elif name in ("request_approval", "request_exception"):
        document.integrated_by_id = user.id
        compute(document)
    elif name == "submit_bid":
        document.submitted_at, document.submitted_by_id = now, user.id
    elif name == "open":
        document.opened_at = now
    elif name == "withdraw":
        from core.workflow.models import ApprovalTask
        for task in db.session.scalars(select(ApprovalTask).where(
                ApprovalTask.doctype == TENDER_CODE, ApprovalTask.doc_id == document.id,
                ApprovalTask.status.in_(("open", "waiting")))):
            task.status = "skipped"    # nothing left to approve
    # I-20: a bond paid is expected back sales.bond_refund_days after the result (or after it was
    # recorded, when recorded once the result was known).
    if (name in ("win", "lose", "withdraw") or (name == "record_bond" and document.state in RESULT_STATES)) \
            and document.bond_paid_on is not None and document.bond_refunded_on is None:
        document.bond_refund_due_on = refund_due(today())
    if name == "win":
        _move_opportunity(document, "bid_won", user,
                          _("Tender %(number)s won (award notice attached).", number=document.number))
    elif name == "lose":
        _move_opportunity(document, "lose", user,
                          _("Tender %(number)s not won: %(winner)s won at %(price)s.", number=document.number,
                            winner=document.winner, price=money(document.winner_price)))


# ---- dashboard and reminders ------------------------------------------------------------------
def my_open_tasks(user):
    return db.session.scalars(select(BidTask).join(Tender).where(
        BidTask.owner_id == user.id, BidTask.status.not_in(FINISHED), Tender.state.in_(TASK_STATES))
        .order_by(BidTask.due_on, BidTask.id)).all()


@hookimpl
def erp_dashboard_widgets(user):
    from core.dashboard import Widget
    from flask import url_for
    widgets = []
    if user.can("sales.tender.record_refund"):
        # I-20: the bonds still out, overdue first, for the 市场部助理 who records the refunds.
        waiting = db.session.scalars(bonds_to_recover().limit(6)).all()
        if waiting:
            day = today()
            overdue = sum(1 for t in waiting if t.bond_refund_due_on < day)
            widgets.append(Widget(
                _l("Bid bonds to recover"), body=_("%(overdue)s overdue.", overdue=overdue), value=len(waiting),
                url=url_for("sales.tender_list", sort="bond_refund_due_on"), order=41,
                items=tuple((f"{t.number} {money(t.bond_amount)} {t.bond_refund_due_on.isoformat()}"
                             + (" " + _("overdue") if t.bond_refund_due_on < day else ""),
                             url_for("sales.tender_detail", doc_id=t.id)) for t in waiting[:5])))
    tasks = my_open_tasks(user)
    if not tasks:
        return widgets
    late = sum(1 for t in tasks if t.late)
    body = _("%(late)s late.", late=late) if late else _("Next due %(day)s.", day=tasks[0].due_on.isoformat())
    return widgets + [Widget(_l("My bid tasks"), body=body, value=len(tasks), url=url_for("sales.bid_tasks_mine"),
                             order=40)]


@hookimpl
def erp_reminders(now):
    """R-S-016 deadline per task: each open task reminds its owner before its due day ends.
    WF-S06 acceptance: a task still to accept is due one working day after its assignment
    (reminded to its owner); past that it is escalated, once, to the bid lead and the 市场部经理
    (and the owner is told again). I-20: bonds to recover (:func:`bond_reminders`)."""
    from core.auth.models import User, users_with_roles
    from core.reminders import INFO, Reminder, daily_before_end_of_work
    rows = db.session.execute(select(BidTask.id, BidTask.owner_id, BidTask.name, BidTask.due_on, BidTask.status,
                                     BidTask.assigned_at, Tender.id.label("tid"), Tender.number,
                                     Tender.bid_lead_id, User.display_name.label("owner_name"))
                              .select_from(BidTask).join(Tender, Tender.id == BidTask.tender_id)
                              .join(User, User.id == BidTask.owner_id).where(
        BidTask.status.not_in(FINISHED), Tender.state.in_(TASK_STATES))).all()
    items = [Reminder(f"sales.bid_task:{r.id}:{r.owner_id}:{r.due_on.isoformat()}", r.owner_id,
                      _("Bid task due: %(name)s (%(number)s)", name=r.name, number=r.number),
                      daily_before_end_of_work(r.due_on), url=f"/sales/tender/{r.tid}/tasks")
             for r in rows]
    moment = as_utc(now)
    managers = None
    for r in rows:
        if r.status != "assigned" or r.assigned_at is None:
            continue
        assigned = as_utc(r.assigned_at)
        due, url = acceptance_due(assigned), f"/sales/tender/{r.tid}/tasks"
        key = f"sales.bid_task_accept:{r.id}:{r.owner_id}:{assigned.isoformat()}"
        items.append(Reminder(key, r.owner_id, _("Accept the bid task: %(name)s (%(number)s)", name=r.name,
                                                 number=r.number), due, url=url))
        if moment <= due:
            continue
        if managers is None:
            managers = [u.id for u in users_with_roles("ROLE-MKT-MGR")]
        title = _("Bid task not accepted within a working day: %(name)s (%(number)s), owner %(owner)s",
                  name=r.name, number=r.number, owner=r.owner_name)
        for uid in dict.fromkeys([r.owner_id, *([r.bid_lead_id] if r.bid_lead_id else []), *managers]):
            items.append(Reminder(f"{key}:escalated", uid, title, due, url=url, kind=INFO))
    return items + bond_reminders(now)


def bonds_to_recover(now=None):
    """Tenders whose bid bond is paid, its result known, not refunded yet (I-20), by due day."""
    return select(Tender).where(Tender.bond_paid_on.is_not(None), Tender.bond_refunded_on.is_(None),
                                Tender.bond_refund_due_on.is_not(None)).order_by(Tender.bond_refund_due_on, Tender.id)


def _assistants() -> list[int]:
    from core.auth.models import users_with_roles
    return [u.id for u in users_with_roles(COMMERCIAL_ROLE)]


def bond_reminders(now):
    """I-20: a bid bond not refunded by its due day is reminded to the tender's owner (the bid
    lead) and to the 市场部助理, who records the refund."""
    from core.reminders import Reminder, daily_before_end_of_work
    rows = db.session.execute(select(Tender.id, Tender.number, Tender.title, Tender.owner_id, Tender.bond_amount,
                                     Tender.bond_refund_due_on).where(
        Tender.bond_paid_on.is_not(None), Tender.bond_refunded_on.is_(None), Tender.bond_refund_due_on.is_not(None))).all()
    assistants = _assistants() if rows else []
    items = []
    for r in rows:
        title = _("Bid bond to recover: %(number)s %(title)s (%(amount)s)", number=r.number, title=r.title,
                  amount=money(r.bond_amount))
        for uid in dict.fromkeys([r.owner_id, *assistants]):
            items.append(Reminder(f"sales.bond_refund:{r.id}:{uid}:{r.bond_refund_due_on.isoformat()}", uid, title,
                                  daily_before_end_of_work(r.bond_refund_due_on), url=f"/sales/tender/{r.id}"))
    return items


@hookimpl
def erp_models():
    return [Tender, BidTask]


@hookimpl
def erp_document_types():
    return [TENDER]


@hookimpl
def erp_roles():
    lead = [f"sales.tender.{a}" for a in ("read", "edit", "kickoff", "start_preparing", "integrate", "request_approval",
                                          "request_exception", "submit_bid", "open", "win", "lose")]
    finance = [f"sales.tender.{t.name}" for t in FINANCE_STEPS]
    grants = [
        ("ROLE-MKT-AM", lead + ["sales.tender.create"]),
        ("ROLE-MKT-AAM", lead + ["sales.tender.create"]),
        ("ROLE-MKT-PSE", lead),
        # I-20: the finance steps (fee and bond paid, bond refunded) are recorded by the 市场部助理.
        ("ROLE-MKT-AST", [f"sales.tender.{a}" for a in ("read", "read_all", "create", "edit", "export")] + finance),
        ("ROLE-MKT-MGR", lead + [f"sales.tender.{a}" for a in ("read_all", "create", "export", "import", "decide",
                                                              "buy_docs", "appoint_lead", "withdraw")] + finance),
        ("ROLE-PS-MGR", ["sales.tender.read", "sales.tender.read_all"]),
        # Only the 市场部经理 withdraws from a tender (WF-S06 放弃).
        ("ROLE-MKT-DIR", ["sales.tender.read", "sales.tender.read_all", "sales.tender.export"]),
        ("ROLE-GM", ["sales.tender.read", "sales.tender.read_all", "sales.tender.export"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.bid_integration_buffer_days", "int", 2, _l("Bid tasks due before the deadline (days)"),
                _l("Every task of the breakdown is due at least this many days before the bid deadline, leaving time to integrate (R-S-016)."),
                min=0, max=60),
        Setting("sales.bond_refund_days", "int", 30, _l("Bid bond expected back within (days after the result)"),
                _l("I-20: a bid bond not refunded this many days after the tender's result is reminded to the bid lead and the market assistant."),
                min=1, max=365),
        Setting("sales.bid_gm_threshold", "decimal", "1000000", _l("Bids from this price are also approved by the general manager (¥)"),
                min="0"),
    ]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("My bid tasks"), "sales.bid_tasks_mine", "sales.access", order=65)]
