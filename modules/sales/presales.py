"""Project pre-sales (WF-S05): registration F-S04, budget and quotation X-S10, the margin rule.

R-S-013: technical staff are put on an opportunity only through an approved registration.
R-S-011: an engineering budget is built (saved as a draft) and submitted only once the project
has an approved registration and a requirement analysis (F-S05) whose technical capability
engineering confirmed (capable, or capable with conditions); equipment quotations need neither.
WF-S07: an equipment quotation (kind ``equipment``, on an equipment opportunity) is made by the
market staff, who may ask procurement for the costs (``sales_request_price_inquiry``; while the
answer is awaited it waits in "costs asked of procurement", procurement's answer
(``procurement_inquiry_answered``, or ``receive_prices`` called directly) brings it back;
with nobody answering the costs are entered by hand with their source, R-P-004). Within the
limits the owner sends it himself; below ``sales.equipment_min_margin_pct`` or from
``sales.equipment_quote_approval_amount`` it is approved by the 市场部经理, then as an exception
by the 市场总监 (总经理 above the threshold, alone below cost). Approved, the owner sends it
(SPEC has the approval send it: sending stays an act of its own, dated, as for engineering).
R-S-010/012: a quotation's margin is checked by the ``sales_validate_quotation`` hook (sales' own
rule runs last; plugins may add theirs); below the minimum, only an exception approved by the
市场总监 (or, above a threshold, the 总经理) lets it reach the customer; below cost, only the
总经理's exception. The rule and its exception route are ``margin.PriceRule``, shared with bids.
The 售前经理's review and sign-off and the 市场部经理's pricing are reviews (``reviews=True``): never
taken by whoever owns, created or submitted the document; a submitted registration or quotation
is withdrawn by its submitter (core's ``recall``, 撤回) until someone acts on it.
Versions: a quotation approved, sent or expired is revised (``new_version``, the customer's request
as comment) into the next version's draft (BJ-…-V2), reviewed and priced again; the old one stays
readable, superseded, linked both ways (``supersedes_id`` / ``superseded_by_id``).
Validity: ``validity_days`` defaults to ``sales.quote_validity_days``; ``valid_until`` is set when
sent, printed, reminded (Deadline while quoted) and past it ``erp_scheduled`` expires the quotation.
A registration's approval is due ``sales.registration_approval_days`` working days after its
submission (Deadline ``approval_due_on``; the 市场部经理 holding the task is reminded).
Rules (tests in tests/modules/sales/):
- R-S-010 / R-S-012 enforced (margin and cost, exception route): test_presales.py,
  test_equipment.py; bids: bidding.py.
- R-S-011 enforced: test_presales.py (test_no_budget_without_the_requirement_analysis_...,
  test_a_budget_is_submitted_only_while_its_analysis_stands), test_deal.py, e2e/test_sales_flow.py.
- R-S-013 enforced (technical staff only through an approved registration; tenders registered
  first): test_presales.py (test_no_technical_staff_without_an_approved_registration,
  test_tender_needs_a_registration_first), test_bidding.py, test_rules_s14.py (visit logs).
- R-S-014 enforced (a hand-entered cost says its source and why): test_presales.py
  (test_manual_cost_needs_a_reason, price inquiry tests), test_equipment.py. Left: refusing expired
  inquiries at contract review (part 2, the contract).
- R-S-015 enforced (the customer gets a quotation only after the 售前经理's review and the 市场部经理's
  price): test_presales.py (the price tests), test_reviews_permissions_activities.py.
- R-S-028 enforced (costs and margins under ``sales.cost.view``; the customer's copy has none):
  test_presales.py (test_costs_and_margins_hidden_from_roles_that_must_not_see_them),
  test_quotation_print.py.
- R-S-032 enforced: approval protects the owner for ``sales.registration_protection_days``, extended
  by each later visit-log line or activity on the project (handover.record_contact). A
  registration for a customer another owner's protected registration covers is submitted with a
  warning (recorded as warned, code R-S-032) and the clash (撞单) found is recorded on it
  (``clash_with``); the 市场部经理 then cannot simply approve: he decides who keeps the project,
  with his reasons (``approve_clash``: this one, the other project's protection ends, audited on
  it, its owner told; ``refuse_clash``: the protected one, this registration is refused, its owner
  told), the decision recorded (``clash_decision``). test_customer_rules.py. Left: the match is
  on the customer only (any protected project of his), not on similar project names.
- Left: R-S-034 (the customer's four research items before a registration is approved):
  ``Customer.profile_complete`` exists but approval does not require it yet, because customers
  registered without them (the import, the demo data) would block their registrations.
Left: quotations sent before s0009 have no ``valid_until`` and do not expire by themselves.
"""
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from core import settings
from core.auth import acting_user
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, Deadline, DocType, Lines, PrintVariant, chinese_amount, money
from core.documents.fields import Field
from core.documents.service import ValidationFailed, visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .customers import CREDIT, OPPORTUNITY, SOURCES
from .margin import PriceRule, margin_pct
from .models import Opportunity, Quotation, QuotationLine, Registration

CLASH_DECISIONS = [("this", _l("This registration keeps the project")),
                   ("existing", _l("The protected registration keeps the project"))]
PROJECT_TYPES = [("cabling", _l("Structured cabling")), ("network", _l("Computer network")),
                 ("server", _l("Servers and storage")), ("machine_room", _l("Machine room")),
                 ("security", _l("Security and CCTV")), ("building", _l("Intelligent building")),
                 ("integration", _l("System integration")), ("supply", _l("Equipment supply")),
                 ("software", _l("Software and services")), ("other", _l("Other"))]
SUPPORT = [("solution", _l("Pre-sales solution")), ("survey", _l("Site survey")),
           ("presentation", _l("Technical presentation")), ("tech_bid", _l("Technical bid")),
           ("sample_test", _l("Sample test"))]
LINE_CATEGORIES = [("equipment", _l("Equipment")), ("main_material", _l("Main materials")),
                   ("aux_material", _l("Auxiliary materials")), ("subcontract", _l("Subcontracted construction")),
                   ("labour", _l("Own labour")), ("travel", _l("Travel")), ("other", _l("Other")),
                   ("contingency", _l("Contingency"))]
COST_SOURCES = [("inquiry", _l("Procurement inquiry")), ("history", _l("Historical price")),
                ("manual", _l("Manual"))]
CENT = Decimal("0.01")


# ---- technical staff only through an approved registration (R-S-013) --------------------------
def approved_registration(opportunity) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.opportunity_id == opportunity.id, Registration.state == "approved")
        .order_by(Registration.id.desc()).limit(1))


def assign_presales_lead(opportunity, user) -> None:
    """Put a 售前工程师 on an opportunity; refused without an approved registration (R-S-013)."""
    if settings.get("sales.tech_support_requires_registration") and approved_registration(opportunity) is None:
        raise ValidationFailed({"presales_lead_id": [
            _("Technical staff can only be assigned after the project registration is approved (R-S-013).")]})
    if not user.has_role("ROLE-MKT-PSE") and not user.has_role("ROLE-PS-MGR"):
        raise ValidationFailed({"presales_lead_id": [_("The pre-sales lead must be a pre-sales engineer.")]})
    opportunity.presales_lead_id = user.id


# ---- registration F-S04 -----------------------------------------------------------------------
OPEN_STATES = ("lead", "eng_in_progress", "tender_in_progress", "equip_in_progress", "reg_rejected")
REGISTRATION_FIELDS = [
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True,
          where=lambda Opportunity, user: Opportunity.state.in_(OPEN_STATES)),
    Field("title", _l("Project name"), required=True),
    Field("site_address", _l("Project site"), required=True),
    Field("customer_contacts", _l("Customer contacts (name, title, phone, role)"), "textarea", required=True),
    Field("project_types", _l("Project categories"), "multichoice", choices=PROJECT_TYPES, required=True),
    Field("source", _l("Source"), "choice", choices=SOURCES, required=True, default="visit"),
    Field("overview", _l("Project overview"), "textarea", required=True),
    Field("est_amount", _l("Estimated amount"), "money", required=True, minimum=0, maximum=10**11),
    Field("funding", _l("Funding and its status"), "textarea", required=True),
    Field("decision_process", _l("Decision procedure and decision makers"), "textarea", required=True),
    Field("credit", _l("Customer credit"), "choice", choices=CREDIT, required=True, default="unknown"),
    Field("expected_tender_date", _l("Expected tender or signing date"), "date", required=True),
    Field("expected_impl_date", _l("Expected implementation date"), "date"),
    Field("competitors", _l("Competitors"), "textarea"),
    Field("swot", _l("Our strengths and weaknesses"), "textarea"),
    Field("support_needed", _l("Pre-sales support needed"), "multichoice", choices=SUPPORT, required=True),
    # Chosen by the 售前经理 when signing (the assign step below).
    Field("presales_lead", _l("Pre-sales lead"), "user", readonly=True),
    Field("approval_due_on", _l("Approval due on"), "date", readonly=True),
    # R-S-032: found at submission; decided by the 市场部经理 (approve_clash / refuse_clash).
    Field("clash_with", _l("Possible clash with (撞单)"), "reference", target="sales.opportunity", readonly=True),
    Field("clash_decision", _l("Clash decided"), "choice", choices=CLASH_DECISIONS, readonly=True),
]


def save_registration(registration):
    """The opportunity the declared field checked (open, visible to the user) is linked."""
    opportunity = db.session.get(Opportunity, registration.opportunity_id) if registration.opportunity_id else None
    if opportunity is None:
        raise ValidationFailed({"opportunity_id": [_("Choose the opportunity.")]})
    registration.opportunity = opportunity


def clashing_project(doc) -> Opportunity | None:
    """R-S-032: another owner's project of the same customer still protected by its registration."""
    opportunity = doc.opportunity
    return db.session.scalar(select(Opportunity).where(
        Opportunity.customer_id == opportunity.customer_id, Opportunity.id != opportunity.id,
        Opportunity.protected_until >= date.today(), Opportunity.owner_id != doc.owner_id)
        .order_by(Opportunity.protected_until.desc(), Opportunity.id).limit(1))


def clashing(doc) -> bool:
    """Submitted over another owner's protected project: the 市场部经理 decides who keeps it."""
    return doc.clash_with_id is not None


def duplicate_registration(doc, user):
    """R-S-032: a second registration for the same customer while another is protected."""
    clash = clashing_project(doc)
    if clash is not None:
        return [Issue(_("The customer already has a protected registration (%(number)s %(title)s, owner %(owner)s) until %(until)s: the market manager decides (撞单).",
                        number=clash.registration_no, title=clash.title, owner=clash.owner.display_name,
                        until=clash.protected_until.isoformat()), blocking=False, code="R-S-032")]
    return []


def resubmission_allowed(doc, user):
    """WF-S01: a rejected registration is corrected and submitted again, unless switched off."""
    if not settings.get("sales.registration_resubmit_allowed"):
        return [Issue(_("Rejected registrations may not be resubmitted (setting “Rejected registrations may be "
                        "resubmitted”): cancel the opportunity instead."))]
    return []


REGISTRATION_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "pending_mgr": _l("Awaiting the market manager"),
            "pending_ps": _l("Awaiting the pre-sales manager"), "approved": _l("Approved, pre-sales assigned"),
            "rejected": _l("Not approved")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit for approval"), ["draft"], "pending_mgr", kind="submit",
                   conditions=[duplicate_registration]),
        Transition("approve", _l("Approve"), ["pending_mgr"], "pending_ps", kind="approve", style="success",
                   when=lambda doc: not clashing(doc)),
        # R-S-032 撞单: over another owner's protected project the 市场部经理 decides who keeps it,
        # with his reasons: this registration (the other project loses its protection) or the
        # protected one (this registration is refused).
        Transition("approve_clash", _l("Approve: this registration keeps the project (撞单)"), ["pending_mgr"],
                   "pending_ps", kind="approve", style="success", when=clashing, comment_required=True,
                   comment_label=_l("Why this registration keeps the project")),
        Transition("refuse_clash", _l("Refuse: the protected registration keeps the project (撞单)"), ["pending_mgr"],
                   "rejected", kind="reject", when=clashing, comment_required=True,
                   comment_label=_l("Why the protected registration keeps the project")),
        Transition("reject", _l("Not approved"), ["pending_mgr"], "rejected", kind="reject", comment_required=True),
        # The 售前经理 signs and assigns the pre-sales lead, who joins the opportunity (R-S-013).
        Transition("assign", _l("Sign and assign pre-sales"), ["pending_ps"], "approved", style="success", reviews=True,
                   fields=[Field("presales_lead", _l("Pre-sales lead"), "user", roles=("ROLE-MKT-PSE",), required=True)],
                   comment_label=_l("Pre-sales manager's opinion"), signs=_l("Pre-sales manager")),
        Transition("ps_reject", _l("Pre-sales manager disagrees"), ["pending_ps"], "rejected", reviews=True,
                   permission="sales.registration.assign", comment_required=True, style="outline-danger"),
        Transition("revise", _l("Revise and resubmit"), ["rejected"], "draft", conditions=[resubmission_allowed]),
    ],
    steps=[ApprovalStep("market_manager", _l("Market manager"), ByRole("ROLE-MKT-MGR"))],
)

REGISTRATION = DocType(
    code="sales.registration", model=Registration, label=_l("Project registration"),
    label_plural=_l("Project registrations"), fields=REGISTRATION_FIELDS,
    workflow=REGISTRATION_WORKFLOW, number_prefix="LX", print_title="项目登记表",
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("est_amount", _l("Estimated amount"), kind="money"),
             Column("expected_tender_date", _l("Expected tender or signing date"), kind="date"),
             Column("presales_lead", _l("Pre-sales lead"), kind="user", sortable=False)],
    search=("site_address",), menu_order=30, before_save=save_registration,
    # The approval is due sales.registration_approval_days working days after submission (WF-S05).
    deadline=Deadline("approval_due_on", states=("pending_mgr", "pending_ps")),
    visibility=lambda user: Registration.opportunity_id.in_(
        select(Opportunity.id).where(Opportunity.presales_lead_id == user.id)),
)


# ---- budget and quotation X-S10 ---------------------------------------------------------------
COST = "sales.cost.view"
QUOTABLE_STATES = ("eng_in_progress", "tender_in_progress", "equip_in_progress")
KINDS = [("engineering", _l("Engineering budget and quotation")), ("equipment", _l("Equipment quotation"))]
QUOTATION_FIELDS = [
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", required=True,
          where=lambda Opportunity, user: Opportunity.state.in_(QUOTABLE_STATES),
          refusal=_l("Choose an opportunity being followed up: an engineering budget needs an approved project registration first (R-S-011).")),
    Field("title", _l("Title"), required=True),
    Field("kind", _l("Kind"), "choice", choices=KINDS, required=True, default="engineering"),
    Field("vat_rate", _l("VAT rate (%)"), "percent", required=True, minimum=0, maximum=30, default=Decimal(13)),
    Field("validity_days", _l("Validity (days)"), "integer", required=True, minimum=1, maximum=365,
          default=lambda *doc: settings.get("sales.quote_validity_days")),
    Field("notes", _l("Notes"), "textarea"),
    # Computed from the lines (compute), numbered per opportunity, fixed by the 市场部经理, sent.
    Field("customer_name", _l("Customer"), readonly=True),
    Field("revision", _l("Version"), "integer", readonly=True),
    # Versions (客户要求修改方案/报价): each links to the one it replaces and to its successor.
    Field("supersedes", _l("Replaces version"), "reference", target="sales.quotation", readonly=True),
    Field("superseded_by", _l("Replaced by version"), "reference", target="sales.quotation", readonly=True),
    Field("total_price", _l("Proposed price (excl. tax)"), "money", readonly=True),
    Field("total_cost", _l("Estimated cost"), "money", readonly=True, permission=COST),
    Field("margin_pct", _l("Margin (%)"), "percent", readonly=True, permission=COST),
    Field("external_price", _l("External price (excl. tax)"), "money", readonly=True),
    Field("price_incl_tax", _l("Price incl. tax"), "money", readonly=True),
    Field("sent_on", _l("Sent to the customer on"), "date", readonly=True),
    Field("valid_until", _l("Valid until"), "date", readonly=True),
]
LINE_FIELDS = [
    Field("category", _l("Category"), "choice", choices=LINE_CATEGORIES, required=True, default="equipment"),
    Field("item", _l("Item"), required=True, max_length=120),
    Field("brand_model", _l("Brand and model"), max_length=120),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=Decimal("0.01"), maximum=10**7),
    Field("unit", _l("Unit"), max_length=12),
    Field("unit_cost", _l("Unit cost"), "money", minimum=0, maximum=10**10, permission=COST),
    Field("cost_source", _l("Cost source"), "choice", choices=COST_SOURCES, permission=COST),
    Field("cost_note", _l("Cost note"), permission=COST),
    Field("unit_price", _l("Unit price"), "money", required=True, minimum=0, maximum=10**10),
    Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True),
]


def compute(quotation) -> None:
    """Totals and margin (R-S-010 basis: on the tax-exclusive price, or mark-up on cost)."""
    quotation.total_cost = sum((line.cost_amount for line in quotation.lines), Decimal(0)).quantize(CENT)
    quotation.total_price = sum((line.amount for line in quotation.lines), Decimal(0)).quantize(CENT)
    quotation.margin_pct = margin_pct(quotation.price_ex_tax, quotation.total_cost)


def requirement_missing(opportunity) -> str | None:
    """R-S-011: an engineering budget is built on the customer requirement analysis (F-S05),
    submitted and with the company's technical capability confirmed; None when it is."""
    # Imported here: requirements builds on the registrations of this file.
    from .requirements import RequirementAnalysis
    answers = set(db.session.scalars(select(RequirementAnalysis.eng_capability).where(
        RequirementAnalysis.opportunity_id == opportunity.id,
        RequirementAnalysis.state.in_(("confirmed", "archived")))))
    if answers & {"capable", "conditional"}:
        return None
    if "not_capable" in answers:
        return _("The engineering manager found the company not capable of this project: no budget can be built (R-S-011).")
    return _("An engineering budget needs the customer requirement analysis (F-S05) submitted and the technical capability confirmed first (R-S-011).")


def requirement_confirmed(doc, user):
    missing = requirement_missing(doc.opportunity) if doc.kind == "engineering" else None
    return [Issue(missing, field="opportunity_id", code="R-S-011")] if missing else []


def kind_problem(quotation, opportunity, user) -> str | None:
    """Engineering budgets are built by pre-sales staff (WF-S05); equipment quotations by market
    staff, on an equipment opportunity (WF-S07). Who holds which is read from the transitions
    each may take: ``submit`` (to the pre-sales review) and ``quote`` (straight to the customer)."""
    if quotation.kind == "equipment":
        if opportunity.info_type != "equipment":
            return _("An equipment quotation is made on an equipment sales opportunity (WF-S07).")
        if user is not None and not user.can("sales.quotation.quote"):
            return _("Equipment quotations are made by the market staff (WF-S07).")
    elif user is not None and not user.can("sales.quotation.submit"):
        return _("Engineering budgets are built by the pre-sales staff; market staff make equipment quotations.")
    return None


def save_quotation(quotation):
    opportunity = db.session.scalar(visible(OPPORTUNITY, acting_user(), select(Opportunity)).where(
        Opportunity.id == quotation.opportunity_id)) if quotation.opportunity_id else None
    if opportunity is None:
        raise ValidationFailed({"opportunity_id": [_("Choose the opportunity.")]})
    if quotation.state == "draft":
        wrong = kind_problem(quotation, opportunity, acting_user())
        if wrong:
            raise ValidationFailed({"kind": [wrong]})
    if opportunity.info_type != "equipment" or quotation.kind == "engineering":
        # Engineering budgets are made by pre-sales staff on registered projects (R-S-011, R-S-013).
        if approved_registration(opportunity) is None:
            raise ValidationFailed({"opportunity_id": [
                _("An engineering budget needs an approved project registration first (R-S-011).")]})
    if quotation.kind == "engineering" and quotation.state == "draft":
        missing = requirement_missing(opportunity)
        if missing:
            raise ValidationFailed({"opportunity_id": [missing]})
    quotation.opportunity = opportunity
    if not quotation.id:  # a new quotation starts at version 1; new_version numbers the next ones
        quotation.revision = quotation.supersedes.revision + 1 if quotation.supersedes is not None else 1
    compute(quotation)


def version_number(number: str, revision: int) -> str:
    """The first version's number with the version: BJ-2026-0007, BJ-2026-0007-V2, -V3..."""
    base = number.rsplit("-V", 1)[0] if "-V" in number else number
    return base if revision <= 1 else f"{base}-V{revision}"


def new_version(old, user) -> Quotation:
    """The customer asked for a change (WF-S05 PURSUIT → SOLUTION_DESIGN): a copy of ``old`` with
    its lines as the next version's draft, to be reviewed and priced again; ``old`` is kept,
    superseded, linked both ways. The draft belongs to the old version's owner (its editor)."""
    new = Quotation(state="draft", owner_id=old.owner_id, department_id=old.department_id,
                    opportunity_id=old.opportunity_id, opportunity=old.opportunity, title=old.title,
                    kind=old.kind, vat_rate=old.vat_rate, validity_days=old.validity_days, notes=old.notes,
                    supersedes_id=old.id, supersedes=old, revision=(old.revision or 1) + 1)
    new.number = version_number(old.number, new.revision)
    for line in old.lines:
        new.lines.append(QuotationLine(**{c: getattr(line, c) for c in (
            "category", "item", "brand_model", "qty", "unit", "unit_cost", "cost_source", "cost_note",
            "inquiry_ref", "unit_price")}))
    compute(new)
    db.session.add(new)
    db.session.flush()
    return new


def latest_version(doc, user):
    """Only the latest version is revised (one successor each)."""
    if doc.superseded_by_id is not None:
        return [Issue(_("This quotation already has a newer version."))]
    return []


# R-S-010 / R-S-012 on the price the 市场部经理 fixes (else the lines' total), shared with bids.
# Equipment quotations (WF-S07) have their own minimum, sales.equipment_min_margin_pct.
PRICE_RULE = PriceRule(price=lambda q: q.price_ex_tax, cost=lambda q: q.total_cost, field="external_price",
                       minimum=lambda q: "sales.equipment_min_margin_pct" if q.kind == "equipment"
                       else "sales.min_profit_margin_pct")


def margin_issues(quotation) -> list[Issue]:
    """Sales' own price rules: never below cost (R-S-012); margin below the minimum (R-S-010)."""
    compute(quotation)
    return PRICE_RULE.issues(quotation)


def _validate_quotation(quotation) -> list[Issue]:
    compute(quotation)  # the plugins' rules judge the price as it now stands, as sales' own do
    pm = current_app.extensions["erp"].pm
    return [i for result in pm.hook.sales_validate_quotation(quotation=quotation) for i in (result or [])]


def lines_costed(doc, user):
    """Every line has a cost with its source; hand-entered costs carry a reason (R-S-014, R-P-004)."""
    issues = []
    if not doc.lines:
        issues.append(Issue(_("Add the budget lines first."), field="lines"))
    for index, line in enumerate(doc.lines, start=1):
        if line.unit_cost is None or not line.cost_source:
            issues.append(Issue(_("Line %(n)s (%(item)s) has no cost and cost source.", n=index, item=line.item), field="lines"))
        elif line.cost_source == "manual" and not line.cost_note.strip():
            issues.append(Issue(_("Line %(n)s (%(item)s): say why the cost was entered by hand.", n=index, item=line.item),
                                field="lines", code="R-S-014"))
    return issues


def price_not_below_cost(doc, user):
    return [i for i in _validate_quotation(doc) if i.code == "R-S-012"]


def price_rules(doc, user):
    return _validate_quotation(doc)


def margin_below_minimum(doc, user):
    """An exception is asked for only when the price needs one (R-S-010, R-S-012)."""
    compute(doc)
    return PRICE_RULE.exception_needed(doc, user)


# ---- equipment-only sales (WF-S07) ------------------------------------------------------------
def is_engineering(doc) -> bool:
    return doc.kind != "equipment"


def is_equipment(doc) -> bool:
    return doc.kind == "equipment"


def equipment_approval_reasons(doc) -> list[Issue]:
    """Why an equipment quotation needs approval: its margin under the equipment minimum or below
    cost (R-S-010, R-S-012), or its amount from ``sales.equipment_quote_approval_amount``."""
    compute(doc)
    reasons = list(PRICE_RULE.issues(doc))
    if PRICE_RULE.below_minimum(doc) and not any(i.code == "R-S-010" for i in reasons):  # warn mode
        reasons.append(Issue(_("The margin %(margin)s%% is below the minimum of %(minimum)s%% (R-S-010).",
                               margin=PRICE_RULE.margin(doc), minimum=PRICE_RULE.minimum_pct(doc)),
                             field="lines", code="R-S-010"))
    limit = Decimal(str(settings.get("sales.equipment_quote_approval_amount")))
    if doc.price_ex_tax >= limit:
        reasons.append(Issue(_("Equipment quotations from %(limit)s (excl. tax) are approved by the market manager.",
                               limit=f"¥{limit:,.2f}"), field="lines"))
    return reasons


def within_limits(doc, user):
    """Sent without approval only within the limits; else it is submitted for approval."""
    reasons = equipment_approval_reasons(doc)
    if reasons:
        return [Issue(_("This quotation needs approval: %(reasons)s Submit it for approval.",
                        reasons=" ".join(i.message for i in reasons)), field="lines",
                      code=next((i.code for i in reasons if i.code), None))]
    return []


def needs_approval(doc, user):
    """Submitted only when a limit requires it; block mode accepts no low margin at all."""
    if not equipment_approval_reasons(doc):
        return [Issue(_("Within the limits the quotation needs no approval: send it to the customer."))]
    if settings.get("sales.min_margin_mode") == "block":
        return [i for i in PRICE_RULE.exception_needed(doc, user) if i.code]
    return []


def offered_price(quotation) -> Decimal:
    """The external price the 市场部经理 starts from: the one fixed, else the lines' total."""
    return quotation.external_price if quotation.external_price is not None else quotation.total_price


def price_help(quotation) -> str:
    """What the 市场部经理 prices: the lines' total, their cost and margin (if he may see them)
    and the minimum margin (R-S-010)."""
    total, minimum = f"¥{quotation.total_price or 0:,.2f}", settings.get("sales.min_profit_margin_pct")
    user = acting_user()
    if user is None or not user.can(COST):
        return _("The lines add up to %(total)s (excl. tax). The minimum margin is %(minimum)s%% (R-S-010).",
                 total=total, minimum=minimum)
    cost, margin = f"¥{quotation.total_cost or 0:,.2f}", "—" if quotation.margin_pct is None else quotation.margin_pct
    return _("The lines add up to %(total)s (excl. tax) at an estimated cost of %(cost)s, a margin of %(margin)s%%. "
             "The minimum margin is %(minimum)s%% (R-S-010).", total=total, cost=cost, margin=margin, minimum=minimum)


# The 市场部经理's price: asked when he fixes it, and again when he asks for an exception for it.
EXTERNAL_PRICE = Field("external_price", _l("External price (excl. tax)"), "money", required=True, minimum=0,
                       maximum=10**11, default=offered_price, help=price_help)


QUOTATION_WORKFLOW = Workflow(
    states={"draft": _l("Solution and budget"), "ps_review": _l("Pre-sales manager review"),
            "mgr_pricing": _l("Market manager fixes the price"), "margin_exception": _l("Low-margin exception"),
            "cost_inquiry": _l("Costs asked of procurement"), "quote_approval": _l("Quotation approval"),
            "approved": _l("Price fixed"), "quoted": _l("Sent to the customer"), "superseded": _l("Superseded"),
            "expired": _l("Validity expired"), "cancelled": _l("Cancelled")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit for review"), ["draft"], "ps_review", when=is_engineering,
                   conditions=[requirement_confirmed, lines_costed, price_not_below_cost]),
        # WF-S07: the owner asks procurement for costs (request_prices carries it there while
        # procurement answers, receive_prices back); within the limits he sends it himself.
        Transition("inquire", _l("Costs asked of procurement"), ["draft"], "cost_inquiry", automatic=True,
                   when=is_equipment),
        Transition("costs_received", _l("Costs received from procurement"), ["cost_inquiry"], "draft",
                   automatic=True),
        Transition("withdraw_inquiry", _l("Enter the costs by hand"), ["cost_inquiry"], "draft",
                   comment_required=True, style="outline-secondary",
                   comment_label=_l("Why the costs are entered by hand (R-P-004)")),
        Transition("quote", _l("Send the equipment quotation"), ["draft"], "quoted", when=is_equipment,
                   conditions=[lines_costed, within_limits], style="success"),
        Transition("submit_quote", _l("Submit the quotation for approval"), ["draft"], "quote_approval",
                   kind="submit", when=is_equipment, conditions=[lines_costed, needs_approval]),
        Transition("approve_quote", _l("Approve the quotation"), ["quote_approval"], "approved", kind="approve",
                   style="success"),
        Transition("return_quote", _l("Return for changes"), ["quote_approval"], "draft", kind="reject",
                   comment_required=True),
        # Reviews (reviews=True): never by whoever owns, created or submitted the quotation.
        Transition("ps_approve", _l("Review passed"), ["ps_review"], "mgr_pricing", style="success",
                   signs=_l("Pre-sales manager"), reviews=True),
        Transition("ps_return", _l("Return for changes"), ["ps_review"], "draft", comment_required=True, reviews=True,
                   permission="sales.quotation.ps_approve", style="outline-danger"),
        # The 市场部经理 enters the external price; refused by a rule, it is not kept (R-S-010, R-S-012).
        Transition("fix_price", _l("Fix the external price"), ["mgr_pricing"], "approved", reviews=True,
                   conditions=[price_rules], style="success", fields=[EXTERNAL_PRICE], signs=_l("Market manager")),
        Transition("mgr_return", _l("Return for changes"), ["mgr_pricing"], "draft", comment_required=True, reviews=True,
                   permission="sales.quotation.fix_price", style="outline-danger"),
        Transition("request_exception", _l("Request a low-margin exception"), ["mgr_pricing"], "margin_exception",
                   kind="submit", comment_required=True, conditions=[margin_below_minimum],
                   permission="sales.quotation.fix_price", style="warning", fields=[EXTERNAL_PRICE],
                   comment_label=_l("Why the exception should be granted"), signs=_l("Market manager")),
        Transition("approve_exception", _l("Approve the exception"), ["margin_exception"], "approved",
                   kind="approve", style="success"),
        Transition("reject_exception", _l("Refuse the exception"), ["margin_exception"], "mgr_pricing",
                   kind="reject", comment_required=True),
        Transition("send", _l("Sent to the customer"), ["approved"], "quoted"),
        # Past its validity the customer's copy no longer binds: erp_scheduled expires it.
        Transition("expire", _l("Validity expired"), ["quoted"], "expired", automatic=True),
        # The customer asks for changes: the next version is drafted, this one kept (superseded).
        Transition("new_version", _l("New version (customer asked for changes)"), ["approved", "quoted", "expired"],
                   "superseded", comment_required=True, conditions=[latest_version], style="outline-primary",
                   comment_label=_l("What the customer asked to change")),
        Transition("cancel", _l("Cancel"), ["draft", "cost_inquiry", "ps_review", "mgr_pricing"], "cancelled",
                   comment_required=True, style="outline-danger"),
    ],
    # An equipment quotation is approved by the market manager, then by the exception's approver
    # when its price needs one; an engineering exception (asked by the manager) by the latter only.
    steps=[ApprovalStep("market_manager", _l("Market manager"), ByRole("ROLE-MKT-MGR"), when=is_equipment),
           *PRICE_RULE.exception_steps()],
    # Approval steps belong to the exception only; the owner may be a manager, never self-approving.
)

def valid_until(quotation) -> date:
    """The last day the quotation holds: validity days from the day it was sent (or printed)."""
    from core.calendar_today import today
    if quotation.valid_until is not None:
        return quotation.valid_until
    return (quotation.sent_on or today()) + timedelta(days=quotation.validity_days or 0)


def customer_totals(quotation) -> list:
    """The customer's copy after its lines: the total, any reduction to the fixed price, the
    tax, the total with tax in figures and in capitals (大写), the validity date. The lines are
    the proposed prices; an adjustment leads to the price the 市场部经理 fixed."""
    lines_total = quotation.total_price or Decimal(0)
    price = quotation.price_ex_tax
    rows = [(_l("Total of the lines (excl. tax)"), money(lines_total))]
    if price != lines_total:
        rows += [(_l("Adjustment"), money(price - lines_total)), (_l("Quoted price (excl. tax)"), money(price))]
    rows += [(_l("VAT (%(rate)s%%)", rate=f"{(quotation.vat_rate or Decimal(0)).normalize():f}"), money(quotation.price_incl_tax - price)),
             (_l("Total incl. tax"), money(quotation.price_incl_tax)),
             (_l("Total incl. tax in capitals"), chinese_amount(quotation.price_incl_tax), True),
             (_l("Valid until"), valid_until(quotation).isoformat())]
    return rows


# What the customer gets: the lines and prices, never costs, cost notes or margins (R-S-028).
CUSTOMER_COPY = PrintVariant(
    "customer", _l("Customer's quotation"), title="报价单", fields=("customer_name", "kind"),
    omit=("unit_cost", "cost_source", "cost_note", "total_cost", "margin_pct"), rows=customer_totals,
    note=lambda q: _("This quotation is valid for %(days)s days, until %(date)s.", days=q.validity_days,
                     date=valid_until(q).isoformat()))

QUOTATION = DocType(
    code="sales.quotation", model=Quotation, label=_l("Budget and quotation"),
    label_plural=_l("Budgets and quotations"), fields=QUOTATION_FIELDS,
    workflow=QUOTATION_WORKFLOW, number_prefix="BJ", print_title="工程预算与报价单",
    columns=[Column("customer_name", _l("Customer"), sortable=False), Column("revision", _l("Version"), kind="number"),
             Column("total_price", _l("Proposed price (excl. tax)"), kind="money"),
             Column("external_price", _l("External price (excl. tax)"), kind="money"),
             Column("vat_rate", _l("VAT rate (%)"), kind="number", sortable=False),
             Column("total_cost", _l("Estimated cost"), kind="money", permission=COST),
             Column("margin_pct", _l("Margin (%)"), kind="number", permission=COST)],
    lines=Lines("lines", QuotationLine, fields=LINE_FIELDS), prints=[CUSTOMER_COPY],
    menu_order=40, before_save=save_quotation,
    # The owner is reminded before the customer's copy expires (sales.quote_validity_days).
    deadline=Deadline("valid_until", states=("quoted",)),
    # The opportunity's owner and its pre-sales lead see its quotations (R-S-028).
    visibility=lambda user: Quotation.opportunity_id.in_(select(Opportunity.id).where(
        (Opportunity.presales_lead_id == user.id) | (Opportunity.owner_id == user.id))),
    actions=[Action(_l("Ask procurement for prices"), "sales.quotation_inquiry", permission="sales.quotation.edit",
                    states=("draft",), method="post")],
)


# ---- events -----------------------------------------------------------------------------------
def decide_clash(registration, keeps: bool, user, comment: str) -> None:
    """R-S-032: the 市场部经理's decision recorded on the registration. This one keeps the
    project: the other project's protection ends (audited on it, its owner told why). The
    protected one keeps it: this registration is refused (the transition), its owner told why."""
    from core.audit import log as audit
    from core.reminders import notify
    registration.clash_decision = "this" if keeps else "existing"
    other = db.session.get(Opportunity, registration.clash_with_id)
    if other is None:
        return
    if keeps:
        audit.record(db.session, "clash_decided", other.__tablename__, other.id,
                     {"protected_until": [other.protected_until.isoformat() if other.protected_until else None, None],
                      "registration": registration.number, "comment": comment})
        other.protected_until = None
        notify(other.owner_id, f"sales.clash:{registration.id}:{other.id}",
               _("Clash (撞单) decided: %(number)s %(title)s goes to %(owner)s", number=registration.number,
                 title=registration.title, owner=registration.owner.display_name),
               body=comment, url=f"/sales/opportunity/{other.id}")
    else:
        notify(registration.owner_id, f"sales.clash:{registration.id}:{other.id}",
               _("Clash (撞单) decided: %(number)s %(title)s stays with %(owner)s", number=other.registration_no or other.number,
                 title=other.title, owner=other.owner.display_name),
               body=comment, url=f"/sales/registration/{registration.id}")


@hookimpl
def erp_transition_done(document, transition, user, comment):
    """Registration signed: the pre-sales lead joins the opportunity, which gets its number."""
    doctype = getattr(document, "__doctype__", None)
    if doctype is REGISTRATION and transition.name == "assign":
        from core.documents import numbering
        opportunity = document.opportunity
        from core.auth.models import User
        lead = db.session.get(User, document.presales_lead_id)
        assign_presales_lead(opportunity, lead)
        numbering.ensure_sequence("sales.registration_no", "XM")
        opportunity.registration_no = opportunity.registration_no or numbering.next_number("sales.registration_no")
        opportunity.protected_until = date.today() + timedelta(days=settings.get("sales.registration_protection_days"))
        if opportunity.state == "lead" and opportunity.info_type == "engineering":
            engine.carry(opportunity, "follow_engineering", user, because=document.number)
    elif doctype is REGISTRATION and transition.name == "submit":
        from core.calendar import add_working_days
        from core.calendar_today import today
        document.approval_due_on = add_working_days(today(), settings.get("sales.registration_approval_days"))
        clash = clashing_project(document)    # R-S-032: the 市场部经理 decides (approve_clash, refuse_clash)
        document.clash_with_id, document.clash_decision = (clash.id if clash is not None else None), ""
        # Resubmitted after a rejection (revised, or a new registration): the project is followed again.
        if document.opportunity.state == "reg_rejected":
            engine.carry(document.opportunity, "reapply", user, because=document.number)
    elif doctype is REGISTRATION and transition.name in ("approve_clash", "refuse_clash"):
        decide_clash(document, transition.name == "approve_clash", user, comment)
    if doctype is REGISTRATION and transition.name in ("reject", "ps_reject", "refuse_clash"):
        if document.opportunity.state == "eng_in_progress":
            engine.carry(document.opportunity, "reject_registration", user, because=document.number)
    elif doctype is QUOTATION and transition.name in ("send", "quote"):
        from core.calendar_today import today
        document.sent_on = today()
        document.valid_until = document.sent_on + timedelta(days=document.validity_days or 0)
    elif doctype is QUOTATION and transition.name == "new_version":
        new_version(document, user)


@hookimpl
def erp_scheduled(now):
    """Quotations past their validity (valid_until, from sales.quote_validity_days) expire."""
    from core.documents.derived import local
    from core.reminders import acting_for
    stale = db.session.scalars(select(Quotation).where(Quotation.state == "quoted", Quotation.valid_until.is_not(None),
                                                       Quotation.valid_until < local(now).date())).all()
    for quotation in stale:
        with acting_for(quotation.owner):
            engine.carry(quotation, "expire", quotation.owner,
                         because=_("Valid until %(date)s.", date=quotation.valid_until.isoformat()))


@hookimpl
def erp_reminders(now):
    """The 市场部经理 holding a registration's approval is reminded by its due day (WF-S05)."""
    from core.reminders import Reminder, daily_before_end_of_work
    from core.workflow.models import ApprovalTask
    rows = db.session.execute(select(ApprovalTask.user_id, Registration.id, Registration.number,
                                     Registration.title, Registration.approval_due_on).join(
        Registration, Registration.id == ApprovalTask.doc_id).where(
        ApprovalTask.doctype == REGISTRATION.code, ApprovalTask.status == "open",
        Registration.state == "pending_mgr", Registration.approval_due_on.is_not(None))).all()
    return [Reminder(f"sales.registration_approval:{r.id}:{r.user_id}:{r.approval_due_on.isoformat()}", r.user_id,
                     _("Registration to approve: %(number)s %(title)s", number=r.number, title=r.title),
                     daily_before_end_of_work(r.approval_due_on), url=f"/sales/registration/{r.id}") for r in rows]


@hookimpl
def erp_models():
    return [Registration, Quotation, QuotationLine]


@hookimpl
def erp_document_types():
    return [REGISTRATION, QUOTATION]


@hookimpl
def erp_roles():
    reg_staff = [f"sales.registration.{a}" for a in ("read", "create", "edit", "submit", "revise")]
    quote_staff = [f"sales.quotation.{a}" for a in ("read", "create", "edit", "submit", "send", "cancel", "export",
                                                    "new_version")]
    # Market staff make equipment quotations (WF-S07) and send what is approved; editing an
    # engineering budget stays pre-sales' (save_quotation), cancelling the market manager's.
    equipment = [f"sales.quotation.{a}" for a in ("read", "create", "edit", "quote", "submit_quote", "withdraw_inquiry",
                                                  "send", "new_version")]
    grants = [
        ("ROLE-MKT-AM", reg_staff + equipment),
        ("ROLE-MKT-AAM", reg_staff + equipment),
        ("ROLE-MKT-MGR", reg_staff + ["sales.registration.read_all", "sales.registration.export",
                                      "sales.quotation.read_all", "sales.quotation.fix_price", "sales.quotation.export",
                                      "sales.quotation.send", "sales.quotation.cancel"]),
        ("ROLE-PS-MGR", ["sales.registration.read_all", "sales.registration.assign",
                         "sales.quotation.read_all", "sales.quotation.ps_approve"] + quote_staff),
        ("ROLE-MKT-PSE", ["sales.registration.read"] + quote_staff),
        ("ROLE-MKT-DIR", ["sales.registration.read_all", "sales.quotation.read_all", "sales.quotation.export"]),
        ("ROLE-GM", ["sales.registration.read_all", "sales.quotation.read_all"]),
        ("ROLE-MKT-AST", ["sales.registration.read_all", "sales.quotation.read_all", "sales.quotation.export"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.min_profit_margin_pct", "decimal", "5", _l("Minimum profit margin (%)"),
                _l("Quotations below it need an approved exception (R-S-010)."), min="0", max="100"),
        Setting("sales.min_margin_mode", "choice", "exception", _l("Below the minimum margin"),
                choices=[("exception", _l("an exception must be approved")), ("block", _l("refuse the quotation")),
                         ("warn", _l("warn only"))]),
        Setting("sales.margin_basis", "choice", "price", _l("Margin is computed on"),
                choices=[("price", _l("the price (margin)")), ("cost", _l("the cost (mark-up)"))]),
        Setting("sales.margin_exception_gm_threshold", "decimal", "500000", _l("Low-margin exceptions above this price go to the general manager (¥)"),
                min="0"),
        Setting("sales.equipment_min_margin_pct", "decimal", "5", _l("Equipment quotations: minimum margin (%)"),
                _l("Below it an equipment quotation is approved by the market manager and, as an exception, the marketing director (WF-S07)."),
                min="0", max="100"),
        Setting("sales.equipment_quote_approval_amount", "decimal", "50000",
                _l("Equipment quotations from this amount are approved by the market manager (¥)"), min="0"),
        Setting("sales.quote_validity_days", "int", 30, _l("Quotation validity (days)"), min=1, max=365),
        Setting("sales.tech_support_requires_registration", "bool", True, _l("Technical staff only on registered projects"),
                _l("R-S-013: pre-sales staff are assigned through an approved registration.")),
        Setting("sales.registration_resubmit_allowed", "bool", True, _l("Rejected registrations may be resubmitted"),
                _l("WF-S01: a registration not approved is corrected and submitted again; its approval moves "
                   "the project on as a first approval does.")),
        Setting("sales.registration_approval_days", "int", 2, _l("Registration approval due within (working days)"), min=1, max=30),
    ]


@hookimpl(trylast=True)
def sales_validate_quotation(quotation):
    """Sales' own rules, last: R-S-012 (never below cost) and R-S-010 (minimum margin)."""
    return margin_issues(quotation)


def request_prices(quotation, user) -> tuple[str, str]:
    """Send the lines without a cost to procurement (I-01); without procurement, costs are manual."""
    lines = [l for l in quotation.lines if l.category in ("equipment", "main_material", "aux_material")
             and l.unit_cost is None]
    if not lines:
        return _("Every equipment line already has a cost."), "info"
    pm = current_app.extensions["erp"].pm
    answer = pm.hook.sales_request_price_inquiry(quotation=quotation, lines=lines, requester=user)
    if answer is None:
        return _("Procurement is not available: enter the costs by hand and say where they come from (R-P-004)."), "warning"
    reference = answer.get("reference", "")
    costs = answer.get("costs") or {}
    for line in lines:
        line.inquiry_ref = reference
        found = costs.get(line.id)
        if found is not None:
            line.unit_cost = Decimal(str(found["unit_cost"]))
            line.cost_source = "inquiry"
            line.cost_note = found.get("supplier", "") or ""
    compute(quotation)
    from core.audit import log as audit
    audit.record(db.session, "price_inquiry", quotation.__tablename__, quotation.id,
                 {"reference": reference, "lines": [l.id for l in lines], "answered": len(costs)})
    if is_equipment(quotation) and len(costs) < len(lines):
        from core.workflow import engine
        engine.carry(quotation, "inquire", user, _("Price inquiry %(ref)s sent to procurement.", ref=reference))
    db.session.commit()
    if costs:
        return _("Procurement answered %(n)s of %(total)s lines (%(ref)s).", n=len(costs), total=len(lines), ref=reference), "success"
    return _("Price inquiry %(ref)s sent to procurement.", ref=reference), "success"


def receive_prices(quotation, costs: dict, user, reference: str = "") -> int:
    """Procurement's answer to a price inquiry (I-01) arriving later: ``costs`` maps line ids to
    ``{"unit_cost": Decimal, "supplier": str}``. The lines get their cost (source ``inquiry``);
    an equipment quotation waiting for its costs goes back to its owner once every equipment
    line has one. Returns the number of lines costed; commits."""
    answered = 0
    for line in quotation.lines:
        found = costs.get(line.id)
        if found is None:
            continue
        line.unit_cost = Decimal(str(found["unit_cost"]))
        line.cost_source, line.cost_note = "inquiry", found.get("supplier", "") or ""
        line.inquiry_ref = reference or line.inquiry_ref
        answered += 1
    compute(quotation)
    waiting = [l for l in quotation.lines if l.category in ("equipment", "main_material", "aux_material")
               and l.unit_cost is None]
    if quotation.state == "cost_inquiry" and not waiting:
        from core.workflow import engine
        engine.carry(quotation, "costs_received", user,
                     _("Procurement answered the price inquiry %(ref)s.", ref=reference or "—"))
    db.session.commit()
    return answered


@hookimpl(optionalhook=True)
def procurement_inquiry_cancelled(inquiry, reason):
    """I-01: procurement cancelled the price inquiry a quotation waits for: the quotation leaves
    "costs asked of procurement" for its draft, where its owner enters the costs by hand with their
    source (R-P-004), and he is told why."""
    if getattr(inquiry, "source", "") != "presales":
        return
    quotation = db.session.scalar(select(Quotation).where(Quotation.number == inquiry.source_ref))
    if quotation is None or quotation.state != "cost_inquiry":
        return
    because = _("Procurement cancelled the price inquiry %(ref)s: %(reason)s", ref=inquiry.number, reason=reason)
    engine.carry(quotation, "withdraw_inquiry", acting_user() or quotation.owner, because)
    from core.reminders import notify
    notify(quotation.owner_id, f"sales.quotation:{quotation.id}:inquiry_cancelled:{inquiry.number}", because,
           _("Enter the costs by hand with their source (R-P-004)."), f"/sales/quotation/{quotation.id}")


@hookimpl(optionalhook=True)
def procurement_inquiry_answered(inquiry, costs):
    """I-01: procurement answered the price inquiry a quotation asked for (``source_ref`` is its
    number). The lines still without a cost, or costed by an earlier inquiry, get the answer
    (a substitute offered is noted with the supplier); a quotation past its draft keeps its costs."""
    if getattr(inquiry, "source", "") != "presales" or not costs:
        return
    quotation = db.session.scalar(select(Quotation).where(Quotation.number == inquiry.source_ref))
    if quotation is None or quotation.state not in ("draft", "cost_inquiry"):
        return
    open_lines = {l.id for l in quotation.lines if l.unit_cost is None or l.cost_source == "inquiry"}
    answers = {}
    for line_id, quote in costs.items():
        if line_id not in open_lines:
            continue
        note = quote.get("supplier") or ""
        if quote.get("substitute"):
            note = _("%(supplier)s, substitute: %(substitute)s", supplier=note, substitute=quote["substitute"])
        answers[line_id] = {"unit_cost": quote["unit_cost"], "supplier": note[:200]}
    if answers:
        receive_prices(quotation, answers, acting_user() or quotation.owner, inquiry.number)


# ---- R-E-020: an engineering project's cost baseline starts from the pre-sales budget ------------
@hookimpl(optionalhook=True)
def engineering_cost_budget(project):
    """The contract's amount excl. tax, its margin and the approved quotation's costs summed per
    category (the engineering categories use the quotation's keys; the contract's budget cost as
    one 其他 line without a quotation). None for a project without a contract of ours."""
    from .contracts import Contract
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
