"""The market department's records shared by every sales form: areas, customers, opportunities.

Forms with their own file (registrations and quotations here; visit logs, reports and bids in
their own modules) refer to these by foreign key.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.documents import Document
from core.extensions import db

MONEY = Numeric(14, 2)


class Area(db.Model):
    """片区: a geographic or industry area with its responsible 片区客户经理 (SPEC 1.6)."""
    __tablename__ = "sales_area"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12), default="geographic")   # geographic | industry
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    manager = relationship("User")

    def __str__(self):
        return self.name


class Customer(Document, db.Model):
    """客户详细资料 (X-S05): the sales profile of a core party with the customer role.

    ``title`` is the customer's name, ``owner`` the responsible salesperson (R-S-031), ``state``
    the customer status (潜在 / 活跃 / 休眠 / 停止合作).
    """
    __tablename__ = "sales_customer"
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), unique=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("sales_area.id"), index=True)
    industry: Mapped[str] = mapped_column(String(40), default="")
    scale: Mapped[str] = mapped_column(String(80), default="")
    key_account: Mapped[bool] = mapped_column(Boolean, default=False)
    it_status: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    decision_process: Mapped[str] = mapped_column(Text, default="")
    funding: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(10), default="unknown")
    competitors_present: Mapped[str] = mapped_column(Text, default="")
    last_contact_on: Mapped[date | None] = mapped_column(Date)

    party = relationship("Party", lazy="joined")
    area = relationship("Area", lazy="joined")

    @property
    def profile_complete(self) -> bool:
        """The four items of initial sales research (R-S-034): needs, decision, funds, credit."""
        return all([self.it_status.strip(), self.decision_process.strip(), self.funding.strip(),
                    self.credit != "unknown"])


class Opportunity(Document, db.Model):
    """商机/项目 (WF-S01): one customer demand, followed through one of three branches."""
    __tablename__ = "sales_opportunity"
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("sales_area.id"), index=True)
    info_type: Mapped[str] = mapped_column(String(12))         # engineering | tender | equipment
    source: Mapped[str] = mapped_column(String(20), default="visit")
    est_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    expected_sign_date: Mapped[date | None] = mapped_column(Date)
    competitors: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # 售前负责人: only set through an approved registration (R-S-013).
    presales_lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    registration_no: Mapped[str | None] = mapped_column(String(20))
    protected_until: Mapped[date | None] = mapped_column(Date)
    outcome_reason: Mapped[str] = mapped_column(String(20), default="")
    won_on: Mapped[date | None] = mapped_column(Date)                  # the customer's acceptance
    contract_amount: Mapped[Decimal | None] = mapped_column(MONEY)     # submitted for review (R-S-061)

    customer = relationship("Customer", lazy="joined")
    area = relationship("Area")
    presales_lead = relationship("User", foreign_keys=[presales_lead_id])

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""


class Registration(Document, db.Model):
    """项目(立项)登记表 F-S04: approved by the 市场部经理, then signed by the 售前经理 who assigns
    the pre-sales lead (WF-S05 steps 1-3)."""
    __tablename__ = "sales_registration"
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    site_address: Mapped[str] = mapped_column(String(200), default="")
    project_types: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20), default="visit")
    overview: Mapped[str] = mapped_column(Text, default="")
    est_amount: Mapped[Decimal] = mapped_column(MONEY, default=0)
    funding: Mapped[str] = mapped_column(Text, default="")
    decision_process: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(10), default="unknown")
    customer_contacts: Mapped[str] = mapped_column(Text, default="")
    expected_tender_date: Mapped[date | None] = mapped_column(Date)
    expected_impl_date: Mapped[date | None] = mapped_column(Date)
    competitors: Mapped[str] = mapped_column(Text, default="")
    swot: Mapped[str] = mapped_column(Text, default="")
    support_needed: Mapped[list] = mapped_column(JSON, default=list)
    presales_lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set on submission: sales.registration_approval_days working days later (the Deadline).
    approval_due_on: Mapped[date | None] = mapped_column(Date)
    # R-S-032 撞单: the other owner's protected project found at submission, and the 市场部经理's
    # decision on who keeps it ("this" registration, or the "existing" one).
    clash_with_id: Mapped[int | None] = mapped_column(ForeignKey("sales_opportunity.id"))
    clash_decision: Mapped[str] = mapped_column(String(12), default="")

    opportunity = relationship("Opportunity", lazy="joined", foreign_keys=[opportunity_id])
    clash_with = relationship("Opportunity", foreign_keys=[clash_with_id])
    presales_lead = relationship("User", foreign_keys=[presales_lead_id])

    @property
    def customer_name(self) -> str:
        return self.opportunity.customer_name if self.opportunity else ""


class Quotation(Document, db.Model):
    """工程预算与报价单 X-S10 (WF-S05 budget and quotation; WF-S07 equipment quotation)."""
    __tablename__ = "sales_quotation"
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="engineering")   # engineering | equipment
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The version this one replaces (客户要求修改方案/报价): the old one stays readable, superseded.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("sales_quotation.id"), index=True)
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("13"))
    validity_days: Mapped[int] = mapped_column(Integer, default=30)
    total_cost: Mapped[Decimal] = mapped_column(MONEY, default=0)
    total_price: Mapped[Decimal] = mapped_column(MONEY, default=0)       # sum of lines, tax-exclusive
    external_price: Mapped[Decimal | None] = mapped_column(MONEY)        # fixed by the 市场部经理
    margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    sent_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)    # sent_on + validity_days, set when sent
    notes: Mapped[str] = mapped_column(Text, default="")

    opportunity = relationship("Opportunity", lazy="joined")
    lines = relationship("QuotationLine", cascade="all, delete-orphan", order_by="QuotationLine.id")
    supersedes = relationship("Quotation", remote_side="Quotation.id", foreign_keys=[supersedes_id])

    @property
    def superseded_by_id(self) -> int | None:
        """The next version, made when this one was revised (None while it is the latest)."""
        from sqlalchemy import select
        if self.id is None:
            return None
        return db.session.scalar(select(Quotation.id).where(Quotation.supersedes_id == self.id).limit(1))

    @property
    def customer_name(self) -> str:
        return self.opportunity.customer_name if self.opportunity else ""

    @property
    def price_ex_tax(self) -> Decimal:
        """The price the margin is judged on: the fixed external price once there is one."""
        return self.external_price if self.external_price is not None else (self.total_price or Decimal(0))

    @property
    def price_incl_tax(self) -> Decimal:
        return (self.price_ex_tax * (1 + (self.vat_rate or 0) / 100)).quantize(Decimal("0.01"))


class QuotationLine(db.Model):
    __tablename__ = "sales_quotation_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    quotation_id: Mapped[int] = mapped_column(ForeignKey("sales_quotation.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20), default="equipment")
    item: Mapped[str] = mapped_column(String(120))
    brand_model: Mapped[str] = mapped_column(String(120), default="")
    qty: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=1)
    unit: Mapped[str] = mapped_column(String(12), default="")
    unit_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    cost_source: Mapped[str] = mapped_column(String(12), default="")     # inquiry | history | manual
    cost_note: Mapped[str] = mapped_column(String(200), default="")
    inquiry_ref: Mapped[str] = mapped_column(String(40), default="")
    unit_price: Mapped[Decimal] = mapped_column(MONEY, default=0)

    @property
    def cost_amount(self) -> Decimal:
        return (self.qty or 0) * (self.unit_cost or 0)

    @property
    def amount(self) -> Decimal:
        return (self.qty or 0) * (self.unit_price or 0)
