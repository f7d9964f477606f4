"""业务招待费申请/报销单 X-S09 (WF-S12, SPEC 3.2.4): entertainment is approved before it happens, recorded
with its invoices once it took place, claimed and reimbursed by finance.

States: 申请草稿 draft → 待审批 pending → 已批准 approved / 未批准 rejected → 已发生 incurred (actual
amount, invoice numbers) → 已报销申请 claimed → 已报销 reimbursed (财务 ROLE-FIN, which core's company
roles define). A claim that needs an approval (overspend R-S-043, late R-S-044) waits in 报销待审批
claim_pending first; an approved request not taken place is cancelled by its owner.

Rules (tests in tests/modules/sales/test_expenses.py):
- R-S-040 enforced: the approver by the estimated amount: up to ``sales.entertain_mgr_limit`` the
  市场部经理, up to ``sales.entertain_dir_limit`` the 市场总监, above the 总经理 (approval steps fixed at
  submission, ``approval_level`` kept). A request dated in the past is refused unless R-S-048 admits it.
- R-S-042 enforced: customer, purpose and both sides' attendees are required; the opportunity is
  optional but must be one of the customer's (refused on save with the field).
- R-S-043 enforced: an actual cost above the approved amount by more than
  ``sales.reception_overspend_tolerance_pct`` % needs the written explanation (refused without it)
  and the approval of the original approver's superior (市场部经理 → 市场总监, 市场总监 → 总经理; the
  总经理 has no superior in the company: he approves it again) before the claim.
- R-S-044 enforced: the claim is due ``sales.entertain_claim_days`` calendar days after the event
  (``due_at`` while incurred: core reminds and lists it overdue); a later claim needs the 市场总监.
- R-S-046 enforced at the request: when the entertainment of the opportunity (others' actual or
  estimated amounts, not rejected or cancelled, plus this one) exceeds ``sales.entertain_cap_pct`` % of
  its contract amount (the estimated amount until one is submitted), the 市场总监 approves too.
  Left: the cap is not checked again at the claim with the actual amounts (an overspend above the
  tolerance goes to the superior anyway).
- R-S-047 enforced: a gift (礼品) is submitted only with its register lines (item, value, recipient;
  the date is the request's), each line complete.
- R-S-048 enforced: a request dated before today up to ``sales.entertain_post_approval_limit`` is
  allowed as 事后补批 (``post_approval``), its approval due ``sales.entertain_post_approval_days`` (2)
  working days after the event (``due_at`` while pending); above the limit it is refused.
- R-S-045 (monthly report per salesperson): the page /sales/entertainment-report/
  (:func:`spending_report`, for the readers of every request) shows the entertainment that took
  place per salesperson and month beside the year's signed and collected amounts (contracts and
  collections) and the share of the collected amount it took.
The requester alone submits, records and claims (:func:`by_its_owner`); approvers never decide
their own request (core). Finance (ROLE-FIN) records the reimbursement, signing ``reimbursed``.
Left: ``attendees_ours`` is a text (names), not a list of users (no multi-user field kind in core);
the invoices themselves are the document's attachments, their numbers a text; SPEC 1.4.14's
fallback when no one holds ROLE-FIN (``core.finance_role_fallback``) is not there: the 财务 role
exists in the company's roles, so finance reimburses; the print's sign-off boxes show the latest
approval round (the claim's, once there was one), the audit trail shows every one.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Approvers, ApprovalStep, ByRole, Issue, Transition, Workflow

from core.auth.decorators import permission_required
from core.menu import MenuItem

from .customers import CUSTOMER, OPPORTUNITY
from .models import MONEY, Customer, Opportunity
from .views import bp
from .visits import _blank, utc

KINDS = [("banquet", _l("Meals")), ("gift", _l("Gifts")), ("entertainment", _l("Entertainment")),
         ("reception", _l("Reception"))]
KIND_TITLES = {"banquet": "宴请", "gift": "礼品", "entertainment": "娱乐", "reception": "接待"}   # in the title
LEVELS = [("manager", _l("Market manager")), ("director", _l("Marketing director")), ("gm", _l("General manager"))]
LEVEL_ROLES = {"manager": "ROLE-MKT-MGR", "director": "ROLE-MKT-DIR", "gm": "ROLE-GM"}
# R-S-043: the original approver's superior (the general manager has none: he approves it again).
SUPERIOR = {"manager": "director", "director": "gm", "gm": "gm"}
# Spent on an opportunity (R-S-046): every request approved or on its way, not refused or dropped.
NOT_SPENT = ("draft", "rejected", "cancelled")


def deal_amount(opportunity) -> Decimal:
    """The contract amount once the contract went to review, else the estimate (R-S-046)."""
    amount = opportunity.contract_amount if opportunity.contract_amount is not None else opportunity.est_amount
    return Decimal(amount or 0)


class EntertainmentRequest(Document, db.Model):
    __tablename__ = "sales_entertainment"
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="banquet")
    purpose: Mapped[str] = mapped_column(Text, default="")
    planned_date: Mapped[date] = mapped_column(Date)
    attendees_ours: Mapped[str] = mapped_column(String(200), default="")
    attendees_customer: Mapped[str] = mapped_column(Text, default="")
    est_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    approval_level: Mapped[str] = mapped_column(String(10), default="manager")
    cap_exceeded: Mapped[bool] = mapped_column(Boolean, default=False)
    post_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    incurred_on: Mapped[date | None] = mapped_column(Date)
    actual_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    invoice_numbers: Mapped[str] = mapped_column(String(200), default="")
    overspend_reason: Mapped[str] = mapped_column(Text, default="")
    claimed_on: Mapped[date | None] = mapped_column(Date)
    reimbursed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reimbursed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reimbursed_decision: Mapped[str] = mapped_column(String(20), default="")
    reimbursed_opinion: Mapped[str] = mapped_column(Text, default="")

    customer = relationship(Customer, lazy="joined")
    opportunity = relationship(Opportunity)
    reimbursed_by = relationship(User, foreign_keys=[reimbursed_by_id], lazy="joined", viewonly=True)
    lines = relationship("EntertainmentGift", cascade="all, delete-orphan", order_by="EntertainmentGift.id",
                         lazy="selectin")

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""

    @property
    def spent(self) -> Decimal:
        """What it costs: the actual amount once recorded, else the estimate."""
        return self.actual_amount if self.actual_amount is not None else (self.est_amount or Decimal(0))


class EntertainmentGift(db.Model):
    """礼品登记 (R-S-047): one gift given, on the request's date."""
    __tablename__ = "sales_entertainment_gift"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("sales_entertainment.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    recipient: Mapped[str] = mapped_column(String(120), default="")


# ---- fields -------------------------------------------------------------------------------------
REQUEST = {"editable_in": ("draft",)}            # the request itself: written before it is submitted
INCURRED = {"readonly": True, "required_in": ("incurred", "claim_pending", "claimed", "reimbursed")}


def _opportunity_of_customer(Opportunity, user, doc):
    return Opportunity.customer_id == doc.customer_id


ENTERTAINMENT_FIELDS = [
    Field("title", _l("Subject"), readonly=True),
    # R-S-042: the customer (registered, still cooperating), the opportunity if any (the customer's).
    Field("customer", _l("Customer"), "reference", target="sales.customer", required=True,
          where=lambda Customer, user: Customer.state != "stopped", **REQUEST),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", depends_on=("customer",),
          where=_opportunity_of_customer, refusal=_l("Choose an opportunity of this customer (R-S-042)."), **REQUEST),
    Field("kind", _l("Type of entertainment"), "choice", choices=KINDS, required=True, default="banquet", **REQUEST),
    Field("purpose", _l("Purpose"), "textarea", required=True, **REQUEST),
    Field("planned_date", _l("Date of the entertainment"), "date", required=True,
          default=lambda: calendar_today.today(), **REQUEST),
    Field("attendees_ours", _l("Our attendees"), required=True, **REQUEST),
    Field("attendees_customer", _l("Customer's attendees (name, position)"), "textarea", required=True, **REQUEST),
    Field("est_amount", _l("Estimated amount"), "money", required=True, minimum=Decimal("0.01"), maximum=10**9,
          **REQUEST),
    # Set by the module.
    Field("approval_level", _l("Approved by (R-S-040)"), "choice", choices=LEVELS, readonly=True),
    Field("cap_exceeded", _l("Above the opportunity's entertainment cap (R-S-046)"), "bool", readonly=True),
    Field("post_approval", _l("Approved afterwards (事后补批, R-S-048)"), "bool", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    # Recorded once it took place (the action "Record the actual cost").
    Field("incurred_on", _l("Took place on"), "date", **INCURRED),
    Field("actual_amount", _l("Actual amount"), "money", **INCURRED),
    Field("invoice_numbers", _l("Invoice numbers (发票)"), **INCURRED),
    Field("overspend_reason", _l("Explanation of the overspend (R-S-043)"), "textarea", editable_in=("incurred",)),
    Field("claimed_on", _l("Claimed on"), "date", readonly=True),
    Field("reimbursed", _l("Reimbursed by finance"), "sig"),
]
GIFT_FIELDS = [
    Field("item", _l("Gift"), required=True, max_length=120),
    Field("value", _l("Value"), "money", required=True, minimum=Decimal("0.01"), maximum=10**9, total=True),
    Field("recipient", _l("Recipient"), required=True, max_length=120),
]
INCUR_FIELDS = [
    Field("incurred_on", _l("Took place on"), "date", required=True, default=lambda doc: doc.planned_date),
    Field("actual_amount", _l("Actual amount"), "money", required=True, minimum=0, maximum=10**9,
          default=lambda doc: doc.est_amount),
    Field("invoice_numbers", _l("Invoice numbers (发票)"), required=True),
    Field("overspend_reason", _l("Explanation of the overspend (R-S-043)"), "textarea",
          help=lambda doc: _("Required when the actual amount exceeds ¥%(amount)s (the approved amount plus "
                             "%(pct)s %%).", amount=f"{tolerated(doc):,.2f}",
                             pct=settings.get("sales.reception_overspend_tolerance_pct"))),
]


# ---- the rules ----------------------------------------------------------------------------------
def approval_level(amount) -> str:
    """R-S-040: who approves an entertainment of `amount` before it happens."""
    amount = amount or Decimal(0)
    if amount <= Decimal(settings.get("sales.entertain_mgr_limit")):
        return "manager"
    if amount <= Decimal(settings.get("sales.entertain_dir_limit")):
        return "director"
    return "gm"


def opportunity_spending(doc) -> tuple[Decimal, Decimal] | None:
    """R-S-046: (the opportunity's entertainment with this request, its cap), None without one."""
    if not doc.opportunity_id:
        return None
    opportunity = db.session.get(Opportunity, doc.opportunity_id)
    if opportunity is None:
        return None
    M = EntertainmentRequest
    others = select(func.coalesce(func.sum(func.coalesce(M.actual_amount, M.est_amount)), 0)).where(
        M.opportunity_id == opportunity.id, M.state.notin_(NOT_SPENT))
    if doc.id:
        others = others.where(M.id != doc.id)
    total = Decimal(db.session.scalar(others)) + doc.spent
    cap = (deal_amount(opportunity) * Decimal(settings.get("sales.entertain_cap_pct")) / 100).quantize(Decimal("0.01"))
    return total, cap


def above_cap(doc) -> bool:
    spending = opportunity_spending(doc)
    return spending is not None and spending[0] > spending[1]


def tolerated(doc) -> Decimal:
    """R-S-043: the most the actual cost may be without an explanation and a further approval."""
    pct = Decimal(settings.get("sales.reception_overspend_tolerance_pct"))
    return ((doc.est_amount or Decimal(0)) * (100 + pct) / 100).quantize(Decimal("0.01"))


def overspent(doc) -> bool:
    return doc.actual_amount is not None and doc.actual_amount > tolerated(doc)


def claim_due_day(doc) -> date | None:
    """R-S-044: the last day of the claim, ``sales.entertain_claim_days`` after the event."""
    if doc.incurred_on is None:
        return None
    return doc.incurred_on + timedelta(days=settings.get("sales.entertain_claim_days"))


def claimed_late(doc) -> bool:
    last = claim_due_day(doc)
    return last is not None and calendar_today.today() > last


def _day_end(day: date) -> datetime:
    return utc(datetime.combine(day + timedelta(days=1), time.min, tzinfo=cal.timezone()))


def post_approval_due(doc) -> datetime:
    """R-S-048: approved afterwards within the working days after the event, by the end of work."""
    return utc(cal.deadline_end_of_work(cal.add_working_days(
        doc.planned_date, settings.get("sales.entertain_post_approval_days"))))


def is_after_the_event(doc) -> bool:
    return doc.planned_date is not None and doc.planned_date < calendar_today.today()


def save_entertainment(doc):
    customer = db.session.get(Customer, doc.customer_id) if doc.customer_id else None
    if customer is None:
        raise ValidationFailed({"customer_id": [_("Choose a registered customer (R-S-042).")]})
    if doc.opportunity_id:
        opportunity = db.session.get(Opportunity, doc.opportunity_id)
        if opportunity is None or opportunity.customer_id != customer.id:
            raise ValidationFailed({"opportunity_id": [_("Choose an opportunity of this customer (R-S-042).")]})
    blank = {name: [_("Name the purpose and the attendees of both sides (R-S-042).")]
             for name in ("purpose", "attendees_ours", "attendees_customer") if _blank(getattr(doc, name))}
    if blank:
        raise ValidationFailed(blank)
    for n, line in enumerate(doc.lines, start=1):
        if _blank(line.item) or _blank(line.recipient) or line.value is None or line.value <= 0:
            raise ValidationFailed({"lines": [_("Line %(n)s: give the gift, its value and its recipient (R-S-047).",
                                                n=n)]})
    if doc.kind == "gift" and not doc.lines and doc.state != "draft":
        raise ValidationFailed({"lines": [_("Register the gifts given: item, value, recipient (R-S-047).")]})
    if doc.state == "draft":
        doc.approval_level = approval_level(doc.est_amount)
        doc.cap_exceeded = above_cap(doc)
        doc.post_approval = is_after_the_event(doc)
    day = doc.planned_date.isoformat() if doc.planned_date else ""
    doc.title = f"{customer.title} · {KIND_TITLES.get(doc.kind, doc.kind)} · {day}"


def by_its_owner(doc, user):
    """WF-S12: the owner requests, records and claims his entertainment (no one does it for him)."""
    if user.id != doc.owner_id:
        return [Issue(_("Only %(owner)s, who requested this entertainment, may do this.",
                        owner=doc.owner.display_name if doc.owner else ""))]
    return []


def approved_beforehand(doc, user):
    """R-S-040 / R-S-048: approved before it happens; afterwards only up to the emergency limit."""
    if not is_after_the_event(doc):
        return []
    limit = Decimal(settings.get("sales.entertain_post_approval_limit"))
    if (doc.est_amount or 0) > limit:
        return [Issue(_("Entertainment is approved before it takes place (R-S-040); afterwards only up to "
                        "¥%(limit)s (事后补批, R-S-048).", limit=f"{limit:,.2f}"), field="planned_date", code="R-S-048")]
    return []


def gifts_registered(doc, user):
    if doc.kind == "gift" and not doc.lines:
        return [Issue(_("Register the gifts given: item, value, recipient (R-S-047)."), field="lines", code="R-S-047")]
    return []


def took_place(doc, user):
    if doc.incurred_on and doc.incurred_on > calendar_today.today():
        return [Issue(_("The entertainment is dated %(day)s: it has not taken place yet.",
                        day=doc.incurred_on.isoformat()), field="incurred_on")]
    return []


def overspend_explained(doc, user):
    if overspent(doc) and _blank(doc.overspend_reason):
        return [Issue(_("The actual amount exceeds the approved ¥%(approved)s by more than %(pct)s %%: explain "
                        "the overspend (R-S-043).", approved=f"{doc.est_amount:,.2f}",
                        pct=settings.get("sales.reception_overspend_tolerance_pct")),
                      field="overspend_reason", code="R-S-043")]
    return []


def needs_claim_approval(doc) -> bool:
    return overspent(doc) or claimed_late(doc)


def _at(state, test=None):
    """A step of the round submitted from `state` (steps are planned at submission)."""
    return lambda doc: doc.state == state and (test is None or test(doc))


class OriginalApproversSuperior(Approvers):
    """R-S-043: the superior of whoever approved the request by its amount."""

    def users(self, document):
        return ByRole(LEVEL_ROLES[SUPERIOR.get(document.approval_level, "director")]).users(document)


def _late_needs_director(doc) -> bool:
    """R-S-044, unless the director approves the overspend in the same round already."""
    return claimed_late(doc) and not (overspent(doc) and SUPERIOR.get(doc.approval_level) == "director")


ENTERTAINMENT_STEPS = [
    # R-S-040 by amount; R-S-046 adds the 市场总监 above the opportunity's cap.
    ApprovalStep("manager", _l("Market manager"), ByRole("ROLE-MKT-MGR"),
                 when=_at("draft", lambda d: approval_level(d.est_amount) == "manager")),
    ApprovalStep("director", _l("Marketing director"), ByRole("ROLE-MKT-DIR"),
                 when=_at("draft", lambda d: approval_level(d.est_amount) == "director" or above_cap(d))),
    ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"),
                 when=_at("draft", lambda d: approval_level(d.est_amount) == "gm")),
    # The claim: an overspend (R-S-043) and a late claim (R-S-044).
    ApprovalStep("overspend", _l("Overspend: the approver's superior (R-S-043)"), OriginalApproversSuperior(),
                 when=_at("incurred", overspent)),
    ApprovalStep("late_claim", _l("Late claim: marketing director (R-S-044)"), ByRole("ROLE-MKT-DIR"),
                 when=_at("incurred", _late_needs_director)),
]

ENTERTAINMENT_WORKFLOW = Workflow(
    states={"draft": _l("Request draft"), "pending": _l("Awaiting approval"), "approved": _l("Approved"),
            "rejected": _l("Not approved"), "incurred": _l("Took place"),
            "claim_pending": _l("Claim awaiting approval"), "claimed": _l("Reimbursement claimed"),
            "reimbursed": _l("Reimbursed"), "cancelled": _l("Cancelled")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit for approval"), ["draft"], "pending", kind="submit",
                   conditions=[by_its_owner, approved_beforehand, gifts_registered]),
        Transition("approve", _l("Approve"), ["pending"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Not approved"), ["pending"], "rejected", kind="reject", comment_required=True),
        Transition("revise", _l("Revise and resubmit"), ["rejected"], "draft", style="outline-secondary"),
        Transition("incur", _l("Record the actual cost"), ["approved"], "incurred", fields=INCUR_FIELDS,
                   conditions=[by_its_owner, took_place, overspend_explained]),
        # One of the two is offered: the claim straight to finance, or first to the approvers of an
        # overspend or a late claim.
        Transition("claim", _l("Claim reimbursement"), ["incurred"], "claimed", when=lambda d: not needs_claim_approval(d),
                   conditions=[by_its_owner, overspend_explained, gifts_registered], style="success"),
        Transition("submit_claim", _l("Claim reimbursement (to be approved)"), ["incurred"], "claim_pending", kind="submit",
                   when=needs_claim_approval, conditions=[by_its_owner, overspend_explained, gifts_registered]),
        Transition("approve_claim", _l("Approve the claim"), ["claim_pending"], "claimed", kind="approve",
                   style="success"),
        Transition("reject_claim", _l("Return the claim"), ["claim_pending"], "incurred", kind="reject",
                   comment_required=True),
        Transition("reimburse", _l("Reimbursed"), ["claimed"], "reimbursed", style="success",
                   comment_label=_l("Payment (voucher number, date)"), signs=_l("Finance")),
        Transition("cancel", _l("Cancel"), ["draft", "approved"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    steps=ENTERTAINMENT_STEPS,
    editable_states=("draft", "incurred"),
)

ENTERTAINMENT = DocType(
    code="sales.entertainment", model=EntertainmentRequest, label=_l("Entertainment expense request"),
    label_plural=_l("Entertainment expenses"), fields=ENTERTAINMENT_FIELDS, workflow=ENTERTAINMENT_WORKFLOW,
    number_prefix="ZD", print_title="业务招待费申请/报销单", menu_order=80, before_save=save_entertainment,
    deadline=Deadline("due_at", states=("pending", "incurred")), search=("attendees_customer",),
    lines=Lines("lines", EntertainmentGift, fields=GIFT_FIELDS, blank_rows=2),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("kind", _l("Type of entertainment"), kind="choice", choices=dict(KINDS)),
             Column("planned_date", _l("Date of the entertainment"), kind="date"),
             Column("est_amount", _l("Estimated amount"), kind="money"),
             Column("actual_amount", _l("Actual amount"), kind="money"),
             Column("approval_level", _l("Approved by (R-S-040)"), kind="choice", choices=dict(LEVELS)),
             Column("post_approval", _l("Approved afterwards (事后补批, R-S-048)"), kind="bool"),
             Column("due_at", _l("Due"), kind="datetime"),
             Column("claimed_on", _l("Claimed on"), kind="date")],
)


# ---- transition side effects ------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user):
    """Deadlines and dates set by the entertainment's steps."""
    if not isinstance(document, EntertainmentRequest):
        return
    name = transition.name
    if name == "submit":
        document.approval_level = approval_level(document.est_amount)
        document.cap_exceeded = above_cap(document)
        document.post_approval = is_after_the_event(document)
        # R-S-048: approved afterwards within the working days after the event.
        document.due_at = post_approval_due(document) if document.post_approval else None
    elif name in ("approve", "reject", "revise", "recall", "cancel") and document.state in (
            "approved", "rejected", "draft", "cancelled"):
        document.due_at = None
    elif name == "incur":
        document.due_at = _day_end(claim_due_day(document))   # R-S-044: the claim is due
    elif name in ("claim", "submit_claim"):
        document.claimed_on = calendar_today.today()
        document.due_at = None
    elif name in ("reject_claim", "recall") and document.state == "incurred":
        document.claimed_on = None
        document.due_at = _day_end(claim_due_day(document))
    elif name == "reimburse":
        sign(document, "reimbursed", user, "agree")


# ---- R-S-045: entertainment per salesperson and month -------------------------------------------
TOOK_PLACE = ("incurred", "claim_pending", "claimed", "reimbursed")


def spending_report(year: int) -> list[dict]:
    """Per salesperson, month by month of `year`: the entertainment that took place (incurred or
    later, by its date) at its actual amount: ``{"owner", "months": {1: (count, amount), ...},
    "count", "amount", "signed", "collected"}``, by name, with the year's signed and collected
    amounts it is compared with (R-S-045)."""
    M = EntertainmentRequest
    rows = db.session.execute(
        select(M.owner_id, M.incurred_on, M.actual_amount).where(
            M.state.in_(TOOK_PLACE), M.incurred_on >= date(year, 1, 1), M.incurred_on <= date(year, 12, 31))).all()
    people: dict[int, dict] = {}
    for owner_id, day, amount in rows:
        person = people.setdefault(owner_id, {"months": {}, "count": 0, "amount": Decimal(0)})
        count, total = person["months"].get(day.month, (0, Decimal(0)))
        person["months"][day.month] = (count + 1, total + (amount or Decimal(0)))
        person["count"] += 1
        person["amount"] += amount or Decimal(0)
    # What it is compared with (R-S-045): the year's signed and collected amounts of each.
    from .collections import signed_and_collected_by_owner
    results = signed_and_collected_by_owner(date(year, 1, 1), date(year, 12, 31))
    for owner_id in results:
        people.setdefault(owner_id, {"months": {}, "count": 0, "amount": Decimal(0)})
    for owner_id, person in people.items():
        person["signed"], person["collected"] = results.get(owner_id, (Decimal(0), Decimal(0)))
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(list(people))))} \
        if people else {}
    return sorted(({"owner": names.get(k, ""), **v} for k, v in people.items()), key=lambda r: r["owner"])


@bp.route("/entertainment-report/")
@permission_required("sales.entertainment.read_all")
def entertainment_report():
    """R-S-045: the month-by-month entertainment of each salesperson (a year at a time)."""
    from flask import render_template, request
    from core.documents.formatting import money
    this_year = calendar_today.today().year
    year = request.args.get("year", type=int) or this_year
    if not 2000 <= year <= 2100:
        year = this_year
    rows = spending_report(year)
    totals = {m: sum((r["months"].get(m, (0, Decimal(0)))[1] for r in rows), Decimal(0)) for m in range(1, 13)}
    return render_template("sales/entertainment_report.html", rows=rows, year=year, years=range(this_year - 4,
                           this_year + 1), totals=totals, total=sum(totals.values(), Decimal(0)), money=money)


# ---- demo ---------------------------------------------------------------------------------------
def demo(as_user) -> None:
    """A few entertainment requests in different states for `erp demo` (``as_user(username)``
    makes the demo user the acting one and returns him): one reimbursed, one claimed, a gift
    awaiting the market manager, one approved by the director still to take place, an emergency
    dinner awaiting its approval afterwards (事后补批) and a draft. Commits."""
    from core.auth.models import users_with_roles
    from core.documents import service
    from core.workflow import engine
    am, aam = (db.session.scalar(select(User).where(User.username == u)) for u in ("am", "aam"))
    if am is None or aam is None or db.session.scalar(select(func.count()).select_from(EntertainmentRequest)):
        return
    today = calendar_today.today()

    def request(owner, customer, kind, amount, purpose, day=today, gifts=()):
        as_user(owner.username)
        doc = service.new_document(ENTERTAINMENT, owner)
        opportunity = db.session.scalar(select(Opportunity).where(Opportunity.customer_id == customer.id)
                                        .order_by(Opportunity.id).limit(1))
        doc.customer_id, doc.opportunity_id = customer.id, opportunity.id if opportunity else None
        doc.kind, doc.est_amount, doc.purpose, doc.planned_date = kind, Decimal(amount), purpose, day
        doc.attendees_ours = owner.display_name
        doc.attendees_customer = "王主任(信息中心主任)、李工(网络管理员)"
        for item, value, recipient in gifts:
            doc.lines.append(EntertainmentGift(item=item, value=Decimal(value), recipient=recipient))
        service.before_save(ENTERTAINMENT, doc)
        service.assign_number(ENTERTAINMENT, doc)
        db.session.add(doc)
        db.session.commit()
        return doc

    def step(doc, name, username, comment=""):
        engine.perform(ENTERTAINMENT, doc, name, as_user(username), comment)

    def decide(doc, comment):
        """Approved by whoever the open step waits for."""
        task = next((t for t in engine.tasks(ENTERTAINMENT, doc) if t.status == "open"), None)
        if task is not None:
            step(doc, "approve", db.session.get(User, task.user_id).username, comment)

    def incurred(doc, amount, invoices):
        doc.incurred_on, doc.actual_amount, doc.invoice_numbers = today, Decimal(amount), invoices
        step(doc, "incur", db.session.get(User, doc.owner_id).username)

    customers = db.session.scalars(select(Customer).order_by(Customer.id)).all()
    if len(customers) < 4:
        return
    first = request(am, customers[0], "banquet", "1800", "门诊楼方案汇报后宴请信息科")
    step(first, "submit", "am")
    decide(first, "同意")
    incurred(first, "1760", "04400012, 04400013")
    step(first, "claim", "am")
    finance = next(iter(users_with_roles("ROLE-FIN")), None)
    if finance is not None:
        step(first, "reimburse", finance.username, "凭证 记-0315")
    second = request(aam, customers[3], "reception", "1500", "调度中心机房参观接待")
    step(second, "submit", "aam")
    decide(second, "同意")
    incurred(second, "1520", "05500021")
    step(second, "claim", "aam")
    gift = request(am, customers[2], "gift", "600", "教师节走访赠送礼品", gifts=[("茶叶礼盒", "300", "总务处张主任"),
                                                                      ("茶叶礼盒", "300", "信息中心刘老师")])
    step(gift, "submit", "am")
    later = request(aam, customers[1], "banquet", "5000", "园区监控升级项目决策层交流晚宴",
                    day=today + timedelta(days=7))
    step(later, "submit", "aam")
    decide(later, "同意, 控制标准")
    emergency = request(am, customers[0], "banquet", "420", "客户临时来访工作餐", day=cal.previous_working_day(today))
    step(emergency, "submit", "am")
    request(am, customers[0], "entertainment", "1200", "中标后答谢活动", day=today + timedelta(days=14))


# ---- related lists ------------------------------------------------------------------------------
CUSTOMER.relate(Related(_l("Entertainment expenses"), "sales.entertainment", "customer_id"))
OPPORTUNITY.relate(Related(_l("Entertainment expenses"), "sales.entertainment", "opportunity_id"))


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [EntertainmentRequest, EntertainmentGift]


@hookimpl
def erp_document_types():
    return [ENTERTAINMENT]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Entertainment by salesperson"), "sales.entertainment_report",
                     "sales.entertainment.read_all", order=81)]


@hookimpl
def erp_roles():
    staff = [f"sales.entertainment.{a}" for a in ("read", "create", "edit", "submit", "revise", "incur", "claim",
                                                   "submit_claim", "cancel")]
    grants = [
        ("ROLE-MKT-AM", staff),
        ("ROLE-MKT-AAM", staff),
        ("ROLE-MKT-MGR", staff + ["sales.entertainment.read_all", "sales.entertainment.export"]),
        ("ROLE-MKT-DIR", ["sales.entertainment.read_all", "sales.entertainment.export"]),
        ("ROLE-GM", ["sales.entertainment.read_all", "sales.entertainment.export"]),
        ("ROLE-MKT-AST", ["sales.entertainment.read_all"]),
        # 财务 reimburses (SPEC 1.4.14); it opens the sales module for this list only.
        ("ROLE-FIN", ["sales.access", "sales.entertainment.read_all", "sales.entertainment.export",
                      "sales.entertainment.reimburse"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.entertain_mgr_limit", "decimal", "2000",
                _l("The market manager approves entertainment up to (¥)"),
                _l("R-S-040: up to this amount the market manager, above it the marketing director."), min="0"),
        Setting("sales.entertain_dir_limit", "decimal", "10000",
                _l("The marketing director approves entertainment up to (¥)"),
                _l("R-S-040: above this amount the general manager."), min="0"),
        Setting("sales.entertain_claim_days", "int", 30, _l("Entertainment claimed within (days of the event)"),
                _l("R-S-044: later claims need the marketing director's approval."), min=1, max=365),
        Setting("sales.entertain_cap_pct", "decimal", "2", _l("Entertainment per opportunity up to (% of its amount)"),
                _l("R-S-046: above it the marketing director approves."), min="0", max="100"),
        Setting("sales.entertain_post_approval_limit", "decimal", "500",
                _l("Emergency entertainment approved afterwards up to (¥)"),
                _l("R-S-048: unplanned entertainment up to this amount may be approved after it took place."),
                min="0"),
        Setting("sales.entertain_post_approval_days", "int", 2,
                _l("Emergency entertainment approved within (working days)"),
                _l("R-S-048: the approval afterwards is due this many working days after the event."), min=1, max=30),
        # Shared with the reception summary F-S08 (WF-S03, s15-reception declares the same key, int 10):
        # keep one declaration when both are merged.
        Setting("sales.reception_overspend_tolerance_pct", "int", 10, _l("Overspend tolerated (%)"),
                _l("R-S-043: an actual cost above the approved amount (budget) by more than this needs a written "
                   "explanation; for entertainment also the approval of the approver's superior."), min=0, max=100),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-S-040", "业务招待事前审批", "Entertainment must be approved before it happens, by amount: up to 2000 "
             "CNY the market manager, up to 10000 the marketing director, above the general manager.", "approval",
             params=("sales.entertain_mgr_limit", "sales.entertain_dir_limit")),
        Rule("R-S-042", "关联客户与项目", "Every entertainment request names the customer, the opportunity (if any), "
             "the purpose and the attendees on both sides.", "block"),
        Rule("R-S-044", "报销时限", "Claims with valid invoices within 30 days of the event; later claims need the "
             "marketing director's approval.", "deadline", params=("sales.entertain_claim_days",)),
        Rule("R-S-046", "单项目招待费上限", "Total entertainment per opportunity should not exceed a percentage of its "
             "estimated or contract amount; above it the marketing director approves.", "approval",
             params=("sales.entertain_cap_pct",)),
        Rule("R-S-047", "礼品登记", "Gifts given are registered (item, value, recipient, date).", "block"),
        Rule("R-S-048", "事后补批", "Unplanned entertainment up to 500 CNY may be approved afterwards within 2 "
             "working days.", "approval",
             params=("sales.entertain_post_approval_limit", "sales.entertain_post_approval_days")),
        # Shared with the reception summary (s15-reception declares R-S-043 too): keep one when merged.
        Rule("R-S-043", "超支说明", "Actual cost above the approved amount by more than the tolerance requires a "
             "written explanation and approval by the original approver's superior.", "approval",
             params=("sales.reception_overspend_tolerance_pct",)),
    ]
