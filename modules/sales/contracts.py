"""Sales contracts (销售合同, WF-S08) with their review (合同评审表 F-S10) and the project
implementation handover (项目实施交接表 F-S09).

- The contract is drafted from a won opportunity; its price is the last approved quotation's
  (or the won tender's) and must stay so (R-S-066). Submitted, it is reviewed in turn by the
  departments of R-S-060 (``sales.contract_reviewers``: commercial 市场部经理, technical 售前经理,
  engineering 工程部经理 when it installs, procurement 采购部经理 when it supplies equipment, finance
  财务), by the 市场总监 when the customer has receivables overdue over ``sales.credit_block_days``
  (R-S-057), then approved by the signing authority by amount (R-S-061). Each review is an
  approval step of core's workflow, so it works whatever modules are on: the roles are core's.
- Signed with its scan attached (R-S-064) and the profit rule checked again (R-S-010/R-S-012), it
  fires ``sales_contract_signed`` (I-05/I-06: an equipment-only contract proposes its purchase
  lines to procurement through ``sales_propose_purchase``). The 市场部助理 registers it in the
  contract ledger within 2 working days, once its collection plan adds up to the amount (R-S-051).
- The handover (F-S09) is submitted by the owner and accepted or returned by the 工程部经理; on
  acceptance ``sales_handover_accepted`` lets the engineering module open the project and return
  its reference. With no engineering module answering, the owner records the paper handover
  signed by engineering, its scan attached (I-05 fallback).
- A supplement (补充协议) is a contract of kind ``supplement`` reviewed like a contract (R-S-065):
  while it is under way the contract is ``changed``; signed and registered, the contract is in
  execution again with its amount changed.
- The opportunity follows its contract: its contracting steps are carried from here.

Rules: R-S-051, R-S-057, R-S-060, R-S-061, R-S-063 (numbers HT-yyyy-nnnn), R-S-064, R-S-065,
R-S-066, R-S-067 (visibility: owner, managers, assistant, reviewers, finance, engineering without
the margin) enforced, tested in tests/modules/sales/test_contracts.py. R-S-062 is the
``template_deviations`` field of the review form (listed, not checked against a template text).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines, PrintVariant, Related
from core.documents import Deadline
from core.documents.fields import Field
from core.documents.models import Attachment
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .customers import OPPORTUNITY
from .margin import PriceRule, margin_pct
from .models import MONEY, Customer, Opportunity, Quotation
from .visits import utc

CENT = Decimal("0.01")


# ---- 销售合同 WF-S08 / 合同评审表 F-S10 --------------------------------------------------------
class Contract(Document, db.Model):
    __tablename__ = "sales_contract"
    kind: Mapped[str] = mapped_column(String(12), default="contract")         # contract | supplement
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sales_contract.id"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("sales_area.id"), index=True)
    quotation_id: Mapped[int | None] = mapped_column(ForeignKey("sales_quotation.id"))
    installs: Mapped[bool] = mapped_column(Boolean, default=True)      # installation or services
    supplies: Mapped[bool] = mapped_column(Boolean, default=True)      # equipment supplied
    amount: Mapped[Decimal] = mapped_column(MONEY, default=0)          # incl. tax
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("13"))
    amount_excl_tax: Mapped[Decimal] = mapped_column(MONEY, default=0)
    price_basis: Mapped[Decimal | None] = mapped_column(MONEY)        # the approved price, incl. tax
    budget_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    delivery_terms: Mapped[str] = mapped_column(Text, default="")
    warranty_terms: Mapped[str] = mapped_column(Text, default="")
    liability: Mapped[str] = mapped_column(Text, default="")
    template_deviations: Mapped[str] = mapped_column(Text, default="")
    warranty_months: Mapped[int | None] = mapped_column(Integer)
    due_completion: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date, index=True)
    seal_request: Mapped[str] = mapped_column(String(60), default="")
    registered_on: Mapped[date | None] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    project_ref: Mapped[str] = mapped_column(String(60), default="")    # engineering's project

    opportunity = relationship(Opportunity, lazy="joined")
    customer = relationship(Customer)
    parent = relationship("Contract", remote_side="Contract.id", foreign_keys=[parent_id])

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""

    @property
    def current_amount(self) -> Decimal:
        """The amount with the signed supplements' changes."""
        if self.id is None or self.kind != "contract":
            return self.amount or Decimal(0)
        change = db.session.scalar(select(func.coalesce(func.sum(Contract.amount), 0)).where(
            Contract.parent_id == self.id, Contract.state.in_(SIGNED_STATES)))
        return (self.amount or Decimal(0)) + Decimal(change or 0)


OPEN_CONTRACT = ("draft", "in_review", "review_failed", "approved_to_sign", "signed", "registered", "handover_pending",
                 "in_execution", "delivered", "collecting", "changed")
SIGNED_STATES = ("signed", "registered", "handover_pending", "in_execution", "delivered", "collecting", "closed")
KINDS = [("contract", _l("New contract")), ("supplement", _l("Supplement agreement"))]
COST = "sales.cost.view"
CONTRACT_TERMS = {"required": True}

CONTRACT_FIELDS = [
    Field("title", _l("Contract title"), required=True),
    Field("kind", _l("Review type"), "choice", choices=KINDS, required=True, default="contract"),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity",
          where=lambda O, user: O.state.in_(("won", "contracting", "contract_review", "approved_to_sign", "signed",
                                             "handover_pending", "handed_over"))),
    Field("parent", _l("Contract supplemented"), "reference", target="sales.contract",
          help=_l("Only for a supplement agreement: the contract it changes (R-S-065).")),
    Field("customer_name", _l("Customer"), readonly=True),
    Field("installs", _l("Includes installation or services"), "bool", default=True,
          help=_l("The engineering manager then reviews feasibility and schedule (R-S-060).")),
    Field("supplies", _l("Includes equipment supply"), "bool", default=True,
          help=_l("The procurement manager then reviews supply and cost validity (R-S-060).")),
    Field("amount", _l("Contract amount (incl. tax)"), "money", minimum=-10**11, maximum=10**11,
          help=_l("Left empty: the approved price. A supplement gives the change of the contract amount "
                  "(negative when it decreases).")),
    Field("vat_rate", _l("VAT rate (%)"), "percent", required=True, minimum=0, maximum=100, default=Decimal("13")),
    Field("amount_excl_tax", _l("Contract amount (excl. tax)"), "money", readonly=True),
    Field("price_basis", _l("Approved price (incl. tax)"), "money", readonly=True),
    Field("budget_cost", _l("Budget cost"), "money", readonly=True, permission=COST),
    Field("margin_pct", _l("Margin (%)"), "percent", readonly=True, permission=COST),
    Field("payment_terms", _l("Payment terms"), "textarea", **CONTRACT_TERMS),
    Field("delivery_terms", _l("Construction period / delivery"), "textarea", **CONTRACT_TERMS),
    Field("warranty_terms", _l("Warranty and service terms"), "textarea", **CONTRACT_TERMS),
    Field("liability", _l("Liability for breach"), "textarea", **CONTRACT_TERMS),
    Field("template_deviations", _l("Deviations from the template"), "textarea",
          help=_l("List every clause that differs from the company's standard contract (R-S-062).")),
    Field("warranty_months", _l("Warranty (months)"), "integer", minimum=0, maximum=240),
    Field("due_completion", _l("Completion required by"), "date"),
    Field("signed_on", _l("Signed on"), "date", readonly=True),
    Field("seal_request", _l("Seal use request no."), readonly=True),
    Field("registered_on", _l("Registered on"), "date", readonly=True),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("delivered_on", _l("Delivered / accepted on"), "date", readonly=True),
    Field("project_ref", _l("Engineering project"), readonly=True),
]


def _quotation_basis(opportunity) -> Quotation | None:
    """The price the customer accepted: the last quotation approved or sent (R-S-066)."""
    return db.session.scalar(select(Quotation).where(
        Quotation.opportunity_id == opportunity.id, Quotation.state.in_(("approved", "quoted")))
        .order_by(Quotation.revision.desc(), Quotation.id.desc()).limit(1))


def _tender_basis(opportunity):
    from .bidding import Tender
    return db.session.scalar(select(Tender).where(Tender.opportunity_id == opportunity.id, Tender.state == "won")
                             .order_by(Tender.id.desc()).limit(1))


def save_contract(contract):
    """The customer, area, price basis, cost and margin follow the opportunity; a supplement
    belongs to a contract in execution."""
    if contract.kind == "supplement":
        parent = db.session.get(Contract, contract.parent_id) if contract.parent_id else None
        if parent is None or parent.kind != "contract":
            raise ValidationFailed({"parent_id": [_("Choose the contract this supplement changes.")]})
        if parent.state not in ("in_execution", "delivered", "collecting", "changed") and contract.state == "draft":
            raise ValidationFailed({"parent_id": [_("Only a contract in execution is supplemented (R-S-065).")]})
        contract.opportunity_id = parent.opportunity_id
    else:
        contract.parent_id = None
    opportunity = db.session.get(Opportunity, contract.opportunity_id) if contract.opportunity_id else None
    if opportunity is None:
        raise ValidationFailed({"opportunity_id": [_("Choose the won opportunity.")]})
    if contract.kind == "contract":
        if opportunity.state not in ("won", "contracting") and contract.state == "draft":
            raise ValidationFailed({"opportunity_id": [_("A contract is drafted for a won opportunity.")]})
        clash = select(Contract.number).where(Contract.opportunity_id == opportunity.id, Contract.kind == "contract",
                                              Contract.state != "terminated")
        if contract.id:
            clash = clash.where(Contract.id != contract.id)
        clash = db.session.scalar(clash.limit(1))
        if clash is not None:
            raise ValidationFailed({"opportunity_id": [_("This opportunity already has its contract (%(number)s).",
                                                         number=clash or "")]})
    contract.customer_id, contract.area_id = opportunity.customer_id, opportunity.area_id
    contract.customer = db.session.get(Customer, opportunity.customer_id)
    contract.opportunity = opportunity
    if contract.kind == "contract":
        quotation = _quotation_basis(opportunity)
        tender = _tender_basis(opportunity)
        contract.quotation_id = quotation.id if quotation else None
        if tender is not None and tender.bid_price is not None:
            contract.price_basis = tender.bid_price
        else:
            contract.price_basis = quotation.price_incl_tax if quotation else None
        contract.budget_cost = quotation.total_cost if quotation else (tender.estimated_cost if tender else None)
        if contract.vat_rate is None:
            contract.vat_rate = quotation.vat_rate if quotation else Decimal("13")
    if contract.amount is None:
        if contract.price_basis is None:
            raise ValidationFailed({"amount": [_("Give the contract amount.")]})
        contract.amount = contract.price_basis
    rate = Decimal(contract.vat_rate or 0)
    contract.amount_excl_tax = (Decimal(contract.amount or 0) / (1 + rate / 100)).quantize(CENT)
    contract.margin_pct = CONTRACT_PRICE.margin(contract) if contract.kind == "contract" else None
    if not contract.title:
        contract.title = opportunity.title


CONTRACT_PRICE = PriceRule(price=lambda c: c.amount_excl_tax if c.budget_cost is not None else None,
                           cost=lambda c: c.budget_cost, field="amount")


def price_as_approved(doc, user):
    """R-S-066: the contract price is the approved quotation's or the winning bid's."""
    if doc.kind != "contract":
        return []
    if doc.price_basis is None:
        return [Issue(_("The opportunity has no approved quotation or won tender: the contract price has no basis (R-S-066)."),
                      field="amount", code="R-S-066")]
    if Decimal(doc.amount or 0) != Decimal(doc.price_basis):
        return [Issue(_("The contract amount %(amount)s differs from the approved price %(basis)s: have the quotation revised and approved again (R-S-066).",
                        amount=f"¥{Decimal(doc.amount or 0):,.2f}", basis=f"¥{Decimal(doc.price_basis):,.2f}"),
                      field="amount", code="R-S-066")]
    return []


def margin_holds(doc, user):
    """R-S-010/R-S-012 again at review and signing: an exception granted on the quotation covers
    the contract only at the margin it was granted for."""
    if doc.kind != "contract":
        return []
    issues = CONTRACT_PRICE.issues(doc)
    quotation = db.session.get(Quotation, doc.quotation_id) if doc.quotation_id else None
    granted = quotation.margin_pct if quotation is not None else None
    if issues and granted is not None and doc.margin_pct is not None and doc.margin_pct >= granted:
        return []   # the price of the quotation approved with its exception
    return issues


def scan_attached(doc, user):
    """R-S-064: the signed original's scan is attached before the contract counts as signed."""
    if db.session.scalar(select(Attachment.id).where(Attachment.doctype == CONTRACT.code,
                                                     Attachment.doc_id == doc.id).limit(1)) is None:
        return [Issue(_("Attach the scan of the signed contract first (R-S-064)."), field="signed_on", code="R-S-064")]
    return []


def plan_adds_up(doc, user):
    """R-S-051: a collection plan whose lines add up to the amount when the contract is registered."""
    from .collections import Collection
    if doc.kind == "supplement" and Decimal(doc.amount or 0) <= 0:
        return []
    planned = db.session.scalar(select(func.coalesce(func.sum(Collection.amount), 0)).where(
        Collection.contract_id == doc.id, Collection.state != "written_off"))
    if Decimal(planned or 0) != Decimal(doc.amount or 0):
        return [Issue(_("The collection plan adds up to %(planned)s, not the contract amount %(amount)s (R-S-051).",
                        planned=f"¥{Decimal(planned or 0):,.2f}", amount=f"¥{Decimal(doc.amount or 0):,.2f}"),
                      field="amount", code="R-S-051")]
    return []


def open_lines(contract) -> int:
    """How many of the contract's collection lines are still to be collected."""
    from .collections import OPEN, Collection
    return db.session.scalar(select(func.count()).select_from(Collection).where(
        Collection.contract_id == contract.id, Collection.state.in_(OPEN)))


def collected_in_full(doc, user):
    left = open_lines(doc)
    if left:
        return [Issue(_("%(count)s collection lines are still open: a contract closes when all are received or written off.",
                        count=left))]
    return []


def reviewer(code):
    """R-S-060: whether the review of `code` is configured (``sales.contract_reviewers``) and due."""
    def applies(doc):
        if doc.state != "draft" and doc.state != "review_failed":
            return False
        if code not in [c.strip() for c in str(settings.get("sales.contract_reviewers")).split(",")]:
            return False
        return {"engineering": doc.installs, "procurement": doc.supplies}.get(code, True)
    return applies


def signing(level):
    """R-S-061: the signing authority by the amount (a supplement: by the contract's new amount)."""
    def applies(doc):
        if doc.state not in ("draft", "review_failed"):
            return False
        amount = abs(Decimal(doc.amount or 0))
        if doc.kind == "supplement" and doc.parent_id:
            amount = db.session.get(Contract, doc.parent_id).current_amount + Decimal(doc.amount or 0)
        mgr, director = Decimal(settings.get("sales.sign_mgr_limit")), Decimal(settings.get("sales.sign_dir_limit"))
        return {"manager": amount <= mgr, "director": mgr < amount <= director, "gm": amount > director}[level]
    return applies


def customer_overdue(doc) -> bool:
    """R-S-057: the customer owes money overdue more than ``sales.credit_block_days``."""
    from .collections import customer_overdue_beyond
    return doc.state in ("draft", "review_failed") and customer_overdue_beyond(
        doc.customer_id, settings.get("sales.credit_block_days"))


CONTRACT_STEPS = [
    ApprovalStep("commercial", _l("Review: market manager (commercial terms)"), ByRole("ROLE-MKT-MGR"),
                 when=reviewer("commercial")),
    ApprovalStep("technical", _l("Review: pre-sales manager (technical scope)"), ByRole("ROLE-PS-MGR"),
                 when=reviewer("technical")),
    ApprovalStep("engineering", _l("Review: engineering manager (feasibility, schedule)"), ByRole("ROLE-ENG-MGR"),
                 when=reviewer("engineering")),
    ApprovalStep("procurement", _l("Review: procurement manager (supply, cost validity)"), ByRole("ROLE-PUR-MGR"),
                 when=reviewer("procurement")),
    ApprovalStep("finance", _l("Review: finance (payment terms, invoicing)"), ByRole("ROLE-FIN"),
                 when=reviewer("finance")),
    ApprovalStep("credit", _l("Marketing director: customer with overdue receivables (R-S-057)"),
                 ByRole("ROLE-MKT-DIR"), when=customer_overdue),
    ApprovalStep("sign_manager", _l("Approval to sign: market manager"), ByRole("ROLE-MKT-MGR"), when=signing("manager")),
    ApprovalStep("sign_director", _l("Approval to sign: marketing director"), ByRole("ROLE-MKT-DIR"),
                 when=signing("director")),
    ApprovalStep("sign_gm", _l("Approval to sign: general manager"), ByRole("ROLE-GM"), when=signing("gm")),
]


def is_contract(doc):
    return doc.kind == "contract"


CONTRACT_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "in_review": _l("Under review"), "review_failed": _l("Review not passed"),
            "approved_to_sign": _l("Approved for signing"), "signed": _l("Signed"),
            "registered": _l("Registered in the ledger"), "handover_pending": _l("Handover awaiting engineering"),
            "in_execution": _l("In execution"), "delivered": _l("Delivered / accepted"),
            "collecting": _l("Collecting"), "closed": _l("Closed"), "changed": _l("Supplement under review"),
            "terminated": _l("Terminated")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit for review"), ["draft"], "in_review", kind="submit",
                   conditions=[price_as_approved, margin_holds],
                   comment_label=_l("What the reviewers should look at")),
        Transition("approve", _l("Agree"), ["in_review"], "approved_to_sign", kind="approve", style="success",
                   comment_label=_l("Review opinion")),
        Transition("reject", _l("Disagree"), ["in_review"], "review_failed", kind="reject", comment_required=True,
                   comment_label=_l("Review opinion")),
        Transition("revise", _l("Revise"), ["review_failed"], "draft"),
        # R-S-064: signed with the seal request and the scan; the profit rule once more.
        Transition("sign", _l("Contract signed"), ["approved_to_sign"], "signed", style="success",
                   conditions=[margin_holds, scan_attached],
                   fields=[Field("signed_on", _l("Signed on"), "date", required=True,
                                 default=lambda doc: calendar_today.today()),
                           Field("seal_request", _l("Seal use request no."), required=True,
                                 help=_l("The administration department's seal use (用印) request."))]),
        Transition("register", _l("Register in the contract ledger"), ["signed"], "registered", style="success",
                   conditions=[plan_adds_up]),
        # The handover (F-S09) carries these; a supplement has none.
        Transition("hand_over", _l("Handover submitted"), ["registered"], "handover_pending", automatic=True),
        Transition("return_handover", _l("Handover returned"), ["handover_pending"], "registered", automatic=True),
        Transition("accept_handover", _l("Handover accepted"), ["handover_pending"], "in_execution", automatic=True),
        # An equipment delivery without engineering, or engineering's final acceptance (I-07).
        Transition("deliver", _l("Delivered / accepted"), ["in_execution"], "delivered", when=is_contract,
                   fields=[Field("delivered_on", _l("Delivered / accepted on"), "date", required=True,
                                 default=lambda doc: calendar_today.today())]),
        Transition("collect", _l("Collecting the rest"), ["delivered"], "collecting", automatic=True),
        Transition("close", _l("Collected in full, archive"), ["delivered", "collecting"], "closed",
                   conditions=[collected_in_full], style="success"),
        # A supplement under way (R-S-065), carried from the supplement.
        Transition("change", _l("Supplement started"), ["in_execution", "delivered", "collecting"], "changed",
                   automatic=True),
        Transition("changed", _l("Supplement concluded"), ["changed"], "in_execution", automatic=True),
        Transition("terminate", _l("Terminate"), ["draft", "in_review", "review_failed", "approved_to_sign", "signed",
                                                   "registered", "handover_pending", "in_execution", "delivered",
                                                   "collecting", "changed"], "terminated",
                   comment_required=True, style="outline-danger", comment_label=_l("Why the contract ends")),
        # R-S-035/R-S-050: the salesperson leaving hands his contracts over (staff_handover.py).
        Transition("hand_over_owner", _l("Handed over to another salesperson"), OPEN_CONTRACT, None, automatic=True),
    ],
    steps=CONTRACT_STEPS,
    editable_states=("draft", "review_failed"),
)


def contract_visibility(user):
    """R-S-067: beyond their own and what they review, the opportunity's pre-sales lead."""
    return Contract.opportunity_id.in_(select(Opportunity.id).where(Opportunity.presales_lead_id == user.id))


CONTRACT = DocType(
    code="sales.contract", model=Contract, label=_l("Sales contract"), label_plural=_l("Sales contracts"),
    fields=CONTRACT_FIELDS, workflow=CONTRACT_WORKFLOW, number_prefix="HT", print_title="合同评审表",
    menu_order=45, before_save=save_contract, visibility=contract_visibility,
    deadline=Deadline("due_at", states=("signed", "registered")),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("kind", _l("Review type"), kind="choice", choices=dict(KINDS)),
             Column("amount", _l("Contract amount (incl. tax)"), kind="money"),
             Column("signed_on", _l("Signed on"), kind="date"),
             Column("margin_pct", _l("Margin (%)"), kind="number", permission=COST),
             Column("due_at", _l("Due"), kind="datetime")],
    related=[Related(_l("Collection plan"), "sales.collection", "contract_id", limit=50),
             Related(_l("Handovers"), "sales.handover", "contract_id"),
             Related(_l("Supplement agreements"), "sales.contract", "parent_id")],
    prints=[PrintVariant("ledger", _l("Contract ledger entry"), title="合同台账",
                         omit=("budget_cost", "margin_pct", "template_deviations"))],
    search=("seal_request",),
)


# ---- 项目实施交接表 F-S09 -------------------------------------------------------------------------
class Handover(Document, db.Model):
    __tablename__ = "sales_handover"
    contract_id: Mapped[int] = mapped_column(ForeignKey("sales_contract.id"), index=True)
    site_address: Mapped[str] = mapped_column(String(200), default="")
    customer_contacts: Mapped[str] = mapped_column(Text, default="")
    contract_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    due_completion: Mapped[date | None] = mapped_column(Date)
    warranty_months: Mapped[int | None] = mapped_column(Integer)
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(String(200), default="")
    commitments: Mapped[str] = mapped_column(Text, default="")
    site_notes: Mapped[str] = mapped_column(Text, default="")
    supervision_mode: Mapped[str] = mapped_column(String(12), default="")
    supervisor_firm: Mapped[str] = mapped_column(String(200), default="")
    handover_docs: Mapped[list] = mapped_column(JSON, default=list)
    handover_meeting: Mapped[date | None] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assigned_pe_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    project_ref: Mapped[str] = mapped_column(String(60), default="")
    paper_signed_by: Mapped[str] = mapped_column(String(60), default="")

    contract = relationship(Contract, lazy="joined")
    lines = relationship("HandoverLine", cascade="all, delete-orphan", order_by="HandoverLine.id", lazy="selectin")

    @property
    def customer_name(self) -> str:
        return self.contract.customer_name if self.contract else ""


class HandoverLine(db.Model):
    __tablename__ = "sales_handover_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("sales_handover.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(120))
    brand_model: Mapped[str] = mapped_column(String(120), default="")
    qty: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=1)
    unit: Mapped[str] = mapped_column(String(12), default="")
    supply_by: Mapped[str] = mapped_column(String(12), default="ours")
    note: Mapped[str] = mapped_column(String(200), default="")


SUPERVISION = [("firm", _l("Supervision company")), ("owner_rep", _l("Owner's representative")), ("none", _l("None"))]
SUPPLY_BY = [("ours", _l("Our stock")), ("customer", _l("Supplied by the customer")), ("purchased", _l("Purchased"))]
HANDOVER_DOCS = [("contract", _l("Contract")), ("solution", _l("Technical solution")),
                 ("requirements", _l("Requirement analysis")), ("equipment", _l("Equipment list")),
                 ("drawings", _l("Drawings")), ("tender", _l("Tender documents")), ("customer", _l("Customer profile"))]
HANDOVER_FIELDS = [
    Field("title", _l("Project name"), required=True),
    Field("contract", _l("Contract"), "reference", target="sales.contract", required=True,
          where=lambda C, user: (C.state == "registered") & (C.kind == "contract")),
    Field("customer_name", _l("Customer"), readonly=True),
    Field("site_address", _l("Project site"), required=True),
    Field("customer_contacts", _l("Customer contacts (name, department and title, phone, duty)"), "textarea",
          required=True),
    Field("contract_amount", _l("Contract amount (incl. tax)"), "money", readonly=True),
    Field("due_completion", _l("Completion required by"), "date", required=True),
    Field("warranty_months", _l("Warranty (months)"), "integer", required=True, minimum=0, maximum=240),
    Field("payment_terms", _l("Payment terms and milestones"), "textarea", readonly=True),
    Field("solution", _l("Final technical solution (name and version)"), required=True),
    Field("commitments", _l("Special commitments and points to watch"), "textarea", required=True),
    Field("site_notes", _l("Site conditions"), "textarea"),
    Field("supervision_mode", _l("Supervision"), "choice", choices=SUPERVISION, required=True),
    Field("supervisor_firm", _l("Supervision company")),
    Field("handover_docs", _l("Documents handed over"), "multichoice", choices=HANDOVER_DOCS, required=True),
    Field("handover_meeting", _l("Handover meeting on"), "date"),
    Field("due_at", _l("Due"), "datetime", readonly=True),
    Field("assigned_pe", _l("Project engineer assigned"), "user", readonly=True),
    Field("project_ref", _l("Engineering project"), readonly=True),
    Field("paper_signed_by", _l("Paper handover signed by (engineering)"), readonly=True),
]
HANDOVER_LINE_FIELDS = [
    Field("item", _l("Item"), required=True),
    Field("brand_model", _l("Brand / model")),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("unit", _l("Unit")),
    Field("supply_by", _l("Supplied by"), "choice", choices=SUPPLY_BY, required=True, default="ours"),
    Field("note", _l("Note")),
]


def save_handover(handover):
    contract = db.session.get(Contract, handover.contract_id) if handover.contract_id else None
    if contract is None or contract.kind != "contract":
        raise ValidationFailed({"contract_id": [_("Choose the registered contract.")]})
    if handover.state == "draft" and contract.state not in ("registered", "handover_pending"):
        raise ValidationFailed({"contract_id": [_("The handover is made for a contract registered in the ledger.")]})
    if handover.supervision_mode == "firm" and not (handover.supervisor_firm or "").strip():
        raise ValidationFailed({"supervisor_firm": [_("Name the supervision company.")]})
    if not handover.lines:
        raise ValidationFailed({}, [_("List the contract's scope: what is supplied and built.")])
    handover.contract = contract
    handover.contract_amount = contract.current_amount
    handover.payment_terms = payment_summary(contract)
    handover.due_at = contract.due_at if handover.due_at is None else handover.due_at


def payment_summary(contract) -> str:
    """F-S09 payment terms: the collection plan's milestones, then the contract's terms."""
    from .collections import MILESTONES, Collection
    labels = dict(MILESTONES)
    rows = db.session.execute(select(Collection.milestone, Collection.amount).where(
        Collection.contract_id == contract.id).order_by(Collection.id)).all()
    lines = [f"{labels.get(m, m)}: ¥{Decimal(a):,.2f}" for m, a in rows]
    return "\n".join(lines + ([contract.payment_terms] if contract.payment_terms else []))


def engineering_answers() -> bool:
    """Whether a module opens engineering projects from handovers (I-05)."""
    return bool(current_app.extensions["erp"].pm.hook.sales_handover_accepted.get_hookimpls())


def no_engineering_module(doc, user):
    if engineering_answers():
        return [Issue(_("The engineering module takes the handover: its manager accepts it."))]
    if db.session.scalar(select(Attachment.id).where(Attachment.doctype == HANDOVER.code,
                                                     Attachment.doc_id == doc.id).limit(1)) is None:
        return [Issue(_("Attach the scan of the handover form signed by engineering first."), field="paper_signed_by")]
    return []


HANDOVER_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting the engineering manager"), "accepted": _l("Accepted"),
            "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit to engineering"), ["draft"], "submitted", kind="submit"),
        Transition("approve", _l("Accept the handover"), ["submitted"], "accepted", kind="approve", style="success",
                   comment_label=_l("Engineering manager's note")),
        Transition("reject", _l("Return the handover"), ["submitted"], "draft", kind="reject", comment_required=True,
                   comment_label=_l("What is missing")),
        # I-05 fallback: no engineering module; engineering signed the printed form.
        Transition("record_paper", _l("Record the paper handover"), ["submitted"], "accepted", style="outline-primary",
                   conditions=[no_engineering_module],
                   fields=[Field("paper_signed_by", _l("Paper handover signed by (engineering)"), required=True)]),
        Transition("archive", _l("Archive"), ["accepted"], "archived", style="outline-secondary"),
    ],
    steps=[ApprovalStep("engineering", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))],
)

HANDOVER = DocType(
    code="sales.handover", model=Handover, label=_l("Project implementation handover"),
    label_plural=_l("Project implementation handovers"), fields=HANDOVER_FIELDS, workflow=HANDOVER_WORKFLOW,
    number_prefix="JJ", print_title="项目实施交接表", menu_order=46, before_save=save_handover,
    deadline=Deadline("due_at", states=("draft",)),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("contract_amount", _l("Contract amount (incl. tax)"), kind="money"),
             Column("due_completion", _l("Completion required by"), kind="date"),
             Column("project_ref", _l("Engineering project")), Column("due_at", _l("Due"), kind="datetime")],
    lines=Lines("lines", HandoverLine, fields=HANDOVER_LINE_FIELDS),
)


# ---- what follows from the contract's and the handover's steps --------------------------------
def working_days_after(day: date, days: int) -> datetime:
    return utc(cal.deadline_end_of_work(cal.add_working_days(day, days)))


OPPORTUNITY_FOLLOWS = {  # the contract's transition -> the opportunity's (customers.py)
    "submit": "submit_contract", "approve": "approve_contract", "reject": "reject_contract", "sign": "sign",
    "hand_over": "hand_over", "return_handover": "return_handover", "accept_handover": "accept_handover",
}


def _carry_opportunity(contract, name, user, because):
    opportunity = db.session.get(Opportunity, contract.opportunity_id)
    follows = OPPORTUNITY_FOLLOWS.get(name)
    if follows is None or opportunity is None or contract.kind != "contract":
        return
    if opportunity.state == "won":
        engine.carry(opportunity, "start_contract", user, because)
    if name == "submit":
        opportunity.contract_amount = contract.amount
    if name == "approve" and contract.state != "approved_to_sign":
        return   # an intermediate review
    if opportunity.state in OPPORTUNITY.workflow.transition(follows).source:
        engine.carry(opportunity, follows, user, because)


def contract_done(contract, transition, user):
    hook = current_app.extensions["erp"].pm.hook
    because = _("Contract %(number)s", number=contract.number or "")
    if transition.name == "sign":
        contract.due_at = working_days_after(contract.signed_on, 2)          # R-S-064: registered
        if contract.kind == "contract":
            hook.sales_contract_signed(contract=contract)
            if not contract.installs:
                _propose_purchase(contract, user)
    elif transition.name == "register":
        contract.registered_on = calendar_today.today()
        if contract.kind == "contract":
            contract.due_at = working_days_after(contract.signed_on, settings.get("sales.handover_days"))
        else:
            contract.due_at = None
            parent = db.session.get(Contract, contract.parent_id)
            if parent is not None and parent.state == "changed":
                engine.carry(parent, "changed", user, because)
                hook.sales_contract_changed(contract=parent, supplement=contract)
    elif transition.name in ("accept_handover", "terminate", "deliver"):
        contract.due_at = None
        if transition.name == "deliver":
            from .collections import trigger_on_delivery
            trigger_on_delivery(contract, contract.delivered_on, user)
            if open_lines(contract):
                engine.carry(contract, "collect", user, because)
        if transition.name == "terminate":
            hook.sales_contract_changed(contract=contract, supplement=None)
    elif transition.name == "submit" and contract.kind == "supplement":
        parent = db.session.get(Contract, contract.parent_id)
        if parent is not None and parent.state in ("in_execution", "delivered", "collecting"):
            engine.carry(parent, "change", user, _("Supplement %(number)s", number=contract.number or ""))
    _carry_opportunity(contract, transition.name, user, because)


def _propose_purchase(contract, user):
    """I-06: an equipment-only contract proposes its quotation's lines to procurement."""
    quotation = db.session.get(Quotation, contract.quotation_id) if contract.quotation_id else None
    if quotation is None:
        return
    lines = [{"item": line.item, "brand_model": line.brand_model, "qty": line.qty, "unit": line.unit}
             for line in quotation.lines if line.category == "equipment"]
    if lines:
        current_app.extensions["erp"].pm.hook.sales_propose_purchase(contract=contract, lines=lines, requester=user)


def handover_done(handover, transition, user):
    contract = db.session.get(Contract, handover.contract_id)
    because = _("Handover %(number)s", number=handover.number or "")
    if transition.name == "submit" and contract.state == "registered":
        engine.carry(contract, "hand_over", user, because)
        _carry_opportunity(contract, "hand_over", user, because)
    elif transition.name == "reject" and contract.state == "handover_pending":
        engine.carry(contract, "return_handover", user, because)
        _carry_opportunity(contract, "return_handover", user, because)
    elif transition.name in ("approve", "record_paper") and contract.state == "handover_pending":
        if transition.name == "approve":
            answer = current_app.extensions["erp"].pm.hook.sales_handover_accepted(handover=handover, user=user)
            if answer:
                handover.project_ref = str(answer.get("reference", ""))[:60]
                handover.assigned_pe_id = answer.get("project_engineer_id") or handover.assigned_pe_id
                contract.project_ref = handover.project_ref
        engine.carry(contract, "accept_handover", user, because)
        _carry_opportunity(contract, "accept_handover", user, because)


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Contract):
        contract_done(document, transition, user)
    elif isinstance(document, Handover):
        handover_done(document, transition, user)


def new_contract(opportunity, user) -> Contract:
    """A draft contract for a won opportunity (the opportunity page's button), its terms to fill in."""
    from core.documents import service
    contract = service.new_document(CONTRACT, user)
    contract.opportunity_id, contract.kind, contract.installs = opportunity.id, "contract", opportunity.info_type != "equipment"
    contract.title = opportunity.title
    return contract


# ---- R-E-020: an engineering project's cost baseline starts from the pre-sales budget ------------
@hookimpl(optionalhook=True)
def engineering_cost_budget(project):
    """The contract's amount excl. tax, its margin and the approved quotation's costs summed per
    category (the engineering categories use the quotation's keys; the contract's budget cost as
    one 其他 line without a quotation). None for a project without a contract of ours."""
    contract = db.session.get(Contract, project.sales_contract_id) if project.sales_contract_id else None
    if contract is None and project.contract_ref:
        contract = db.session.scalar(select(Contract).where(Contract.number == project.contract_ref,
                                                            Contract.kind == "contract").limit(1))
    if contract is None:
        return None
    quotation = db.session.get(Quotation, contract.quotation_id) if contract.quotation_id else None
    budgets: dict[str, Decimal] = {}
    for line in quotation.lines if quotation is not None else ():
        budgets[line.category] = budgets.get(line.category, Decimal(0)) + Decimal(line.cost_amount)
    if not budgets and contract.budget_cost is not None:
        budgets["other"] = Decimal(contract.budget_cost)
    return {"contract_amount_excl_tax": Decimal(contract.amount_excl_tax or 0),
            "target_margin_pct": contract.margin_pct,
            "lines": [{"category": key, "budget": amount.quantize(CENT)} for key, amount in budgets.items()]}


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_rules():
    return [
        Rule("R-S-060", "合同评审", "Every sales contract is reviewed with F-S10 before signing by the departments "
             "concerned.", "block", params=("sales.contract_reviewers",)),
        Rule("R-S-061", "签约权限", "Approval to sign by amount: market manager, marketing director, general manager.",
             "approval", params=("sales.sign_mgr_limit", "sales.sign_dir_limit")),
        Rule("R-S-064", "原件归档与用印", "Seal use is requested from administration; the signed original is filed "
             "within 2 working days and its scan attached.", "deadline"),
        Rule("R-S-065", "合同变更", "Any change of scope, price, schedule or payment terms needs a supplement "
             "agreement reviewed like a contract.", "block"),
        Rule("R-S-066", "价格一致性", "The contract price equals the approved quotation or winning bid.", "block"),
    ]


@hookimpl
def erp_models():
    return [Contract, Handover, HandoverLine]


@hookimpl
def erp_document_types():
    return [CONTRACT, HANDOVER]


OWNERS = ("ROLE-MKT-AM", "ROLE-MKT-AAM", "ROLE-MKT-MGR")


@hookimpl
def erp_roles():
    own = ["read", "create", "edit", "submit", "revise", "sign", "deliver"]
    handover = ["read", "create", "edit", "submit", "record_paper"]
    grants = {role: [f"sales.contract.{a}" for a in own] + [f"sales.handover.{a}" for a in handover]
              for role in OWNERS}
    grants["ROLE-MKT-MGR"] += ["sales.contract.read_all", "sales.contract.export", "sales.handover.read_all",
                               "sales.handover.export", "sales.contract.close"]
    grants.update({
        "ROLE-MKT-DIR": ["sales.contract.read_all", "sales.contract.export", "sales.handover.read_all",
                         "sales.handover.export"],
        "ROLE-GM": ["sales.contract.read_all", "sales.contract.export", "sales.handover.read_all",
                    "sales.contract.terminate"],
        # The assistant keeps the ledger (R-S-063): registers, closes, archives.
        "ROLE-MKT-AST": ["sales.contract.read_all", "sales.contract.export", "sales.contract.register",
                         "sales.contract.close", "sales.handover.read_all", "sales.handover.export",
                         "sales.handover.archive"],
        # Reviewers and receivers from other departments open the module for their part (R-S-060).
        "ROLE-ENG-MGR": ["sales.access", "sales.contract.read_all", "sales.handover.read_all", "sales.handover.archive"],
        "ROLE-FIN": ["sales.access", "sales.contract.read_all"],
        "ROLE-PS-MGR": ["sales.contract.read_all", "sales.handover.read_all"],
        "ROLE-MKT-PSE": ["sales.contract.read", "sales.handover.read"],
        "ROLE-PUR-MGR": ["sales.access", "sales.contract.read"],
    })
    return [RoleTemplate(role, permissions=tuple(codes)) for role, codes in grants.items()]


@hookimpl
def erp_settings():
    return [
        Setting("sales.contract_reviewers", "str", "commercial,technical,engineering,procurement,finance",
                _l("Contract reviewers"),
                _l("R-S-060: commercial, technical, engineering (when it installs), procurement (when it supplies "
                   "equipment), finance; remove those your company does without.")),
        Setting("sales.handover_days", "int", 3, _l("Handover due (working days after signing)"),
                _l("WF-S08: the project implementation handover."), min=1, max=60),
        Setting("sales.credit_block_days", "int", 90, _l("Credit control: overdue receivables (days)"),
                _l("R-S-057: a new contract for a customer owing money overdue longer needs the marketing director."),
                min=1, max=3650),
    ]


# ---- demo data (erp demo) ---------------------------------------------------------------------
def demo(won, signed, user_named) -> None:
    """A contract waiting for its review (the won equipment deal, at its quotation's price) and a
    signed, registered contract handed over, with collections received, due and overdue."""
    from core.documents import service
    from .collections import COLLECTION
    from .models import QuotationLine
    today = calendar_today.today()
    quotations = current_app.extensions["erp"].doctypes["sales.quotation"]
    for opportunity, price, cost in ((won, "80000", "62000"), (signed, "132743.36", "112000")):
        quote = service.new_document(quotations, db.session.get(User, opportunity.owner_id))
        quote.title, quote.opportunity_id, quote.kind, quote.vat_rate = f"{opportunity.title} 报价", opportunity.id, \
            "equipment", Decimal("13")
        quote.lines.append(QuotationLine(category="equipment", item=opportunity.title, brand_model="华为", qty=Decimal(1),
                                         unit="批", unit_cost=Decimal(cost), cost_source="history",
                                         unit_price=Decimal(price)))
        # As its approval left it (the deal has moved on since: the form would refuse a new one).
        quote.total_cost, quote.total_price = Decimal(cost), Decimal(price)
        quote.margin_pct = margin_pct(Decimal(price), Decimal(cost))
        quote.state, quote.sent_on = "quoted", today - timedelta(days=20)
        service.assign_number(quotations, quote)
        db.session.add(quote)
    db.session.flush()

    def contract_for(opportunity, **values):
        owner = db.session.get(User, opportunity.owner_id)
        contract = new_contract(opportunity, owner)
        contract.supplies, contract.vat_rate = True, Decimal("13")
        contract.payment_terms, contract.delivery_terms = "签订后付30%，到货验收后付70%", "签订后20个工作日内到货"
        contract.warranty_terms, contract.liability = "原厂质保三年，7×24 小时响应", "逾期交货每日按合同额千分之一"
        contract.warranty_months = 36
        for key, value in values.items():
            setattr(contract, key, value)
        service.before_save(CONTRACT, contract)
        contract.amount = contract.price_basis
        service.before_save(CONTRACT, contract)
        service.assign_number(CONTRACT, contract)
        db.session.add(contract)
        db.session.flush()
        return contract

    # Waiting in the reviewers' inboxes: commercial review done, technical next.
    waiting = contract_for(won)
    db.session.commit()
    try:
        engine.perform(CONTRACT, waiting, "submit", db.session.get(User, won.owner_id), "请各部门评审")
        engine.perform(CONTRACT, waiting, "approve", user_named("mkt_mgr"), "商务条款可接受")
    except engine.TransitionRefused:   # a company without some reviewer: the draft waits for the settings
        db.session.rollback()

    # Signed two months ago, registered, handed over on paper: one receipt, one line overdue.
    running = contract_for(signed, signed_on=today - timedelta(days=60), seal_request="YY-demo-001",
                           registered_on=today - timedelta(days=58), delivered_on=today - timedelta(days=35),
                           state="collecting", project_ref="纸质交接")
    owner = db.session.get(User, running.owner_id)
    amount = Decimal(running.amount)
    advance = (amount * Decimal("0.3")).quantize(CENT)
    for milestone, share, trigger, planned, state, term in (
            ("advance", advance, "date", today - timedelta(days=55), "received", 5),
            ("delivery", amount - advance - (amount * Decimal("0.1")).quantize(CENT), "arrival", None, "triggered", 15),
            ("retention", (amount * Decimal("0.1")).quantize(CENT), "warranty_end", None, "planned", 30)):
        line = service.new_document(COLLECTION, owner)
        line.contract_id, line.milestone, line.amount, line.trigger = running.id, milestone, share, trigger
        line.planned_date, line.term_days = planned, term
        line.triggered_on = today - timedelta(days=35) if trigger == "arrival" else None
        service.before_save(COLLECTION, line)
        line.state = state
        if state == "received":
            line.received_amount, line.received_on, line.bank_ref = share, planned + timedelta(days=3), "工行 95588-demo"
        service.assign_number(COLLECTION, line)
        db.session.add(line)
    db.session.commit()

