"""Customers (客户资源, X-S05) and opportunities (商机/项目, WF-S01).

Point A of WF-S01 needs approvals, never a salesperson alone: the win is confirmed by the 市场部经理;
then the contract (contracts.py: review, signing, handover) carries the opportunity to engineering.

Rules (tests in tests/modules/sales/):
- R-S-030 enforced: an opportunity names a registered customer the user may see, still
  cooperating. test_presales.py (test_opportunity_needs_a_registered_visible_customer,
  test_opportunities_only_for_customers_still_cooperating), test_visits.py.
- R-S-031 enforced: one owner and one area per customer; the 市场部经理 (or 市场总监) transfers it,
  audited, its department following the new owner. test_presales.py (customer transfer tests).
- R-S-036 enforced: own customers, the 片区客户经理's areas, managers all, a 售前工程师 the customers
  of his opportunities; exports by permission. test_presales.py, test_customer_parties.py,
  test_reviews_permissions_activities.py.
- R-S-060 / R-S-061: on the contract (contracts.py), test_contracts.py.
- R-S-013 (the opportunity's part): its pre-sales lead comes only from an approved registration.
  test_presales.py.
- R-S-033 (dormant customers), R-S-035 (hand over before deactivation) and R-S-037 (key accounts):
  handover.py, test_customer_rules.py.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, or_, select
from wtforms.fields.choices import SelectChoice

from core.auth.permissions import Permission, RoleTemplate
from core.documents import Column, DocType, Related
from core.documents.fields import Field
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow

from .models import Area, Customer, Opportunity

INDUSTRIES = [("government", _l("Government")), ("education", _l("Education")), ("finance", _l("Finance")),
              ("healthcare", _l("Healthcare")), ("manufacturing", _l("Manufacturing")),
              ("telecom", _l("Telecom and IT")), ("real_estate", _l("Real estate")), ("energy", _l("Energy")),
              ("transport", _l("Transport")), ("other", _l("Other"))]
CREDIT = [("good", _l("Good")), ("fair", _l("Fair")), ("poor", _l("Poor")), ("unknown", _l("Unknown"))]
INFO_TYPES = [("engineering", _l("Engineering project")), ("tender", _l("Tender")),
              ("equipment", _l("Equipment demand"))]
SOURCES = [("visit", _l("Customer visit")), ("activity", _l("Business activity")),
           ("tender_notice", _l("Tender notice")), ("partner", _l("Partner")), ("inbound", _l("Customer call")),
           ("other", _l("Other"))]
LOSS_REASONS = [("price", _l("Price")), ("technology", _l("Technology")), ("relationship", _l("Relationship")),
                ("qualification", _l("Qualification")), ("budget_cancelled", _l("Customer cancelled the budget")),
                ("other", _l("Other"))]


def _choices(pairs):
    return [SelectChoice(v, l) for v, l in pairs]


# ---- customers --------------------------------------------------------------------------------
def active_areas() -> list[tuple[int, str]]:
    return [(a.id, a.name) for a in db.session.scalars(select(Area).where(Area.active.is_(True)).order_by(Area.code))]


CUSTOMER_FIELDS = [
    Field("title", _l("Customer name"), required=True),
    Field("industry", _l("Industry"), "choice", choices=INDUSTRIES, required=True),
    Field("area", _l("Area"), "reference", options=active_areas, required=True),
    Field("scale", _l("Scale"), max_length=80),
    Field("key_account", _l("Key account"), "bool"),
    Field("it_status", _l("Requirements and IT status"), "textarea"),
    Field("organisation", _l("Organisation"), "textarea"),
    Field("decision_process", _l("Decision procedure"), "textarea"),
    Field("funding", _l("Funding"), "textarea"),
    Field("credit", _l("Credit"), "choice", choices=CREDIT, required=True, default="unknown"),
    Field("competitors_present", _l("Competitors present"), "textarea"),
    Field("last_contact_on", _l("Last contact"), "date", readonly=True),
]


TRANSFER_ROLES = ("ROLE-MKT-AM", "ROLE-MKT-AAM", "ROLE-MKT-MGR")   # who may be given a customer

CUSTOMER_WORKFLOW = Workflow(
    states={"potential": _l("Potential"), "active": _l("Active customer"), "dormant": _l("Dormant"),
            "stopped": _l("No longer a customer")},
    initial="potential",
    transitions=[
        Transition("activate", _l("Mark active"), ["potential", "dormant"], "active"),
        Transition("mark_dormant", _l("Mark dormant"), ["active", "potential"], "dormant"),
        Transition("stop", _l("Stop cooperation"), ["potential", "active", "dormant"], "stopped",
                   comment_required=True, style="outline-danger"),
        Transition("reopen", _l("Reopen"), ["stopped"], "potential"),
        # R-S-031: the 市场部经理 or 市场总监 hands the customer to another salesperson, with the
        # reason; the customer stays in its state, its department follows the new owner.
        Transition("transfer", _l("Transfer to another salesperson"), ["potential", "active", "dormant", "stopped"],
                   None, permission="sales.customer.transfer", comment_required=True, comment_label=_l("Reason"),
                   style="outline-secondary",
                   fields=[Field("owner", _l("New responsible salesperson"), "user", roles=TRANSFER_ROLES, required=True)],
                   done_message=lambda customer: _l("Customer transferred to %(name)s.",
                                                    name=customer.owner.display_name)),
    ],
    editable_states=("potential", "active", "dormant"),
)


def save_customer(customer):
    """Every customer is a core party with the customer role (R-S-030): one register, no duplicates."""
    from core.documents.service import ValidationFailed
    from core.parties import services as parties
    if not customer.area_id or db.session.get(Area, customer.area_id) is None:
        raise ValidationFailed({"area_id": [str(_l("Choose the customer's area."))]})
    try:
        if customer.party_id is None:
            party = parties.create_party(customer.title, roles=["customer"])
            customer.party_id = party.id
        else:
            party = db.session.get(parties.Party, customer.party_id)
            if party.name != customer.title:
                parties.update_party(party, name=customer.title)
            if "customer" not in {r.role for r in party.roles}:
                parties.add_role(party, "customer")
    except parties.ValidationError as exc:
        raise ValidationFailed({"title" if k == "name" else k: v if isinstance(v, list) else [v]
                                for k, v in exc.errors.items()})


@hookimpl
def erp_party_access(user):
    """Who sees and edits a customer's party (SPEC 5.7): who sees the customer (its owner, the
    片区客户经理 of its area, read-all roles such as the 市场总监) sees its party; who may edit the
    customer (its owner; the 市场部经理, who edits every customer) edits its party."""
    from core.documents.service import visible
    from core.parties import Party, ProfileAccess
    profile = select(Customer.id).where(Customer.party_id == Party.id)
    every = user.can(CUSTOMER.permission("read_all"))
    # the others see few customers: their party ids as one set, looked up per party listed
    readable = profile.exists() if every else Party.id.in_(visible(CUSTOMER, user, select(Customer.party_id)))
    if not user.can(CUSTOMER.permission("edit")):
        editable = false()
    else:
        editable = profile.exists() if every else profile.where(Customer.owner_id == user.id).exists()
    return [ProfileAccess(profiled=profile.exists(), readable=readable, editable=editable)]


def area_visibility(model):
    """片区客户经理 see the records of the areas they are responsible for (R-S-036)."""
    def clause(user):
        return model.area_id.in_(select(Area.id).where(Area.manager_id == user.id))
    return clause


def customer_visibility(user):
    """Their areas' customers (R-S-036), and for a 售前工程师 the customers of the opportunities
    he is assigned to (SPEC 5.7: R (assigned))."""
    return or_(area_visibility(Customer)(user),
               Customer.id.in_(select(Opportunity.customer_id).where(Opportunity.presales_lead_id == user.id)))


CUSTOMER = DocType(
    code="sales.customer", model=Customer, label=_l("Customer"), label_plural=_l("Customers"),
    fields=CUSTOMER_FIELDS, workflow=CUSTOMER_WORKFLOW, number_prefix="KH",
    number_reset="never",
    columns=[Column("industry", _l("Industry"), kind="choice", choices=dict(INDUSTRIES)),
             Column("area", _l("Area"), sortable=False),
             Column("credit", _l("Credit"), kind="choice", choices=dict(CREDIT)),
             Column("last_contact_on", _l("Last contact"), kind="date")],
    search=("industry",), visibility=customer_visibility, print_title="客户详细资料", menu_order=10,
    before_save=save_customer,
    related=[Related(_l("Opportunities"), "sales.opportunity", "customer_id")],
)


# ---- opportunities ----------------------------------------------------------------------------
OPPORTUNITY_FIELDS = [
    Field("title", _l("Project name"), required=True),
    # Opportunities are recorded for registered customers still cooperating (R-S-030).
    Field("customer", _l("Customer"), "reference", target="sales.customer", required=True,
          where=lambda Customer, user: Customer.state != "stopped"),
    Field("info_type", _l("Information type"), "choice", choices=INFO_TYPES, required=True),
    Field("source", _l("Source"), "choice", choices=SOURCES, required=True, default="visit"),
    Field("est_amount", _l("Estimated amount"), "money", required=True, minimum=0, maximum=10**11),
    Field("expected_sign_date", _l("Expected signing date"), "date"),
    Field("competitors", _l("Competitors"), "textarea"),
    Field("description", _l("Demand"), "textarea"),
    # Set through an approved registration (R-S-013).
    Field("presales_lead", _l("Pre-sales lead"), "user", readonly=True),
    Field("registration_no", _l("Registration number"), readonly=True),
    # R-S-032: the approved registration protects its owner until then (extended by contacts).
    Field("protected_until", _l("Protected until"), "date", readonly=True),
    # Given with the win and with the contract submitted for review.
    Field("won_on", _l("Accepted on"), "date", readonly=True),
    Field("contract_amount", _l("Contract amount (incl. tax)"), "money", readonly=True),
]


def of_type(info_type):
    return lambda doc: doc.info_type == info_type


def tender_registration(doc, user):
    """A tender needs technical staff, so by default its registration is approved first."""
    from core import settings
    if settings.get("sales.tender_requires_registration") and not doc.registration_no:
        return [Issue(str(_l("A tender needs an approved project registration first (R-S-013).")), code="R-S-013")]
    return []


IN_PROGRESS = ["eng_in_progress", "tender_in_progress", "equip_in_progress"]
BRANCH = {"engineering": "eng_in_progress", "tender": "tender_in_progress", "equipment": "equip_in_progress"}


# ---- closing the deal (WF-S01 point A) ----------------------------------------------------------
# The 市场部经理 confirms the win; the contract (contracts.py: review, signing, handover) then
# carries the opportunity through contracting to engineering.
def in_state(*states):
    """An approval step of the round submitted from one of `states` (steps are planned at
    submission, while the opportunity is still there)."""
    return lambda doc: doc.state in states


DEAL_STEPS = [
    ApprovalStep("confirm_win", _l("Market manager confirms the win"), ByRole("ROLE-MKT-MGR"),
                 when=in_state(*IN_PROGRESS)),
]


def refuse_win(info_type):
    """The win not confirmed: back to the branch it came from."""
    return Transition(f"refuse_win_{info_type}", _l("Win not confirmed"), ["win_pending"], BRANCH[info_type],
                      kind="reject", comment_required=True, when=of_type(info_type))

OPPORTUNITY_WORKFLOW = Workflow(
    states={"lead": _l("Demand recorded"), "eng_in_progress": _l("Engineering project in progress"),
            "tender_in_progress": _l("Bidding in progress"), "equip_in_progress": _l("Equipment sale in progress"),
            "reg_rejected": _l("Registration not approved"), "win_pending": _l("Won, awaiting confirmation"),
            "won": _l("Won"), "contracting": _l("Contracting"), "contract_review": _l("Contract under review"),
            "approved_to_sign": _l("Approved for signing"), "signed": _l("Signed"),
            "handover_pending": _l("Handover awaiting engineering"), "handed_over": _l("Engineering notified"),
            "lost": _l("Lost"),
            "closed_lost": _l("Lost-order summary done"), "cancelled": _l("Cancelled")},
    initial="lead",
    transitions=[
        # Only the branch of the opportunity's information type is offered (WF-S04).
        Transition("follow_engineering", _l("Follow as engineering project"), ["lead"], "eng_in_progress",
                   when=of_type("engineering")),
        Transition("follow_tender", _l("Follow the tender"), ["lead"], "tender_in_progress",
                   conditions=[tender_registration], when=of_type("tender")),
        Transition("follow_equipment", _l("Quote equipment"), ["lead"], "equip_in_progress",
                   when=of_type("equipment")),
        # The owner records the customer's acceptance; the 市场部经理 confirms it (WF-S01).
        Transition("win", _l("Won"), IN_PROGRESS, "win_pending", kind="submit", comment_required=True,
                   comment_label=_l("The customer's acceptance (how it was given)"), style="success",
                   fields=[Field("won_on", _l("Accepted on"), "date", required=True)],
                   done_message=_l("Recorded as won. The market manager confirms it.")),
        Transition("confirm_win", _l("Confirm the win"), ["win_pending"], "won", kind="approve", style="success"),
        refuse_win("engineering"), refuse_win("tender"), refuse_win("equipment"),
        # A tender won with its award notice (WF-S06): bidding.py carries it.
        Transition("bid_won", _l("Tender won"), ["tender_in_progress"], "won", automatic=True),
        Transition("lose", _l("Lost"), IN_PROGRESS, "lost", comment_required=True, comment_label=_l("What happened"),
                   fields=[Field("outcome_reason", _l("Reason"), "choice", choices=LOSS_REASONS, required=True)],
                   done_message=_l("Recorded as lost. A lost-order summary is due."), style="outline-danger"),
        Transition("cancel", _l("Cancel"), ["lead", "reg_rejected"] + IN_PROGRESS, "cancelled",
                   comment_required=True, style="outline-danger"),
        # The registration's decisions move the engineering branch (presales.py carries them).
        Transition("reject_registration", _l("Registration not approved"), ["eng_in_progress"], "reg_rejected",
                   automatic=True),
        # A corrected registration submitted again puts the project back on the engineering branch,
        # where its approval moves it on as a first approval does (presales.py carries it).
        Transition("reapply", _l("Registration resubmitted"), ["reg_rejected"], "eng_in_progress", automatic=True),
        # Carried from the contract (contracts.py), never by hand.
        *(Transition(name, label, source, target, automatic=True) for name, label, source, target in (
            ("start_contract", _l("Contract drafted"), ["won"], "contracting"),
            ("submit_contract", _l("Contract submitted for review"), ["contracting"], "contract_review"),
            ("approve_contract", _l("Contract approved for signing"), ["contract_review"], "approved_to_sign"),
            ("reject_contract", _l("Contract review not passed"), ["contract_review"], "contracting"),
            ("sign", _l("Contract signed"), ["approved_to_sign"], "signed"),
            ("hand_over", _l("Handover submitted to engineering"), ["signed"], "handover_pending"),
            ("accept_handover", _l("Handover accepted by engineering"), ["handover_pending"], "handed_over"),
            ("return_handover", _l("Handover returned"), ["handover_pending"], "signed"))),
        # Closed by the review of its lost-order summary (WF-S09: reports.py carries it), never by hand.
        Transition("close_lost", _l("Lost-order summary reviewed"), ["lost"], "closed_lost", automatic=True),
        # R-S-035: handed to another salesperson with all of its owner's customers (客户交接清单,
        # handover.py), in the state it is in.
        Transition("hand_over_owner", _l("Handed over to another salesperson"),
                   ["lead", "reg_rejected", *IN_PROGRESS, "win_pending", "won", "contracting", "contract_review",
                    "approved_to_sign", "signed", "handover_pending", "lost"], None, automatic=True),
    ],
    steps=DEAL_STEPS,
    editable_states=("lead", "eng_in_progress", "tender_in_progress", "equip_in_progress", "reg_rejected"),
)


def save_opportunity(opportunity):
    """Opportunities inherit their customer's area (the declared field checked the customer)."""
    from core.documents.service import ValidationFailed
    customer = db.session.get(Customer, opportunity.customer_id) if opportunity.customer_id else None
    if customer is None:
        raise ValidationFailed({"customer_id": [str(_l("Choose a registered customer."))]})
    opportunity.area_id = customer.area_id
    opportunity.customer = customer
    from .training import new_staff_problem
    if (problem := new_staff_problem(opportunity)) is not None:
        raise ValidationFailed({"est_amount": [problem]})


def opportunity_visibility(user):
    """Area managers see their areas; pre-sales engineers the opportunities assigned to them."""
    return or_(Opportunity.area_id.in_(select(Area.id).where(Area.manager_id == user.id)),
               Opportunity.presales_lead_id == user.id)


OPPORTUNITY = DocType(
    code="sales.opportunity", model=Opportunity, label=_l("Opportunity"), label_plural=_l("Opportunities"),
    fields=OPPORTUNITY_FIELDS, workflow=OPPORTUNITY_WORKFLOW, number_prefix="SJ",
    columns=[Column("customer_name", _l("Customer"), sortable=False), Column("info_type", _l("Information type"), kind="choice", choices=dict(INFO_TYPES)),
             Column("est_amount", _l("Estimated amount"), kind="money"),
             Column("expected_sign_date", _l("Expected signing date"), kind="date"),
             Column("presales_lead", _l("Pre-sales lead"), kind="user", sortable=False),
             Column("registration_no", _l("Registration number"))],
    visibility=opportunity_visibility, print_title="商机登记", menu_order=20, before_save=save_opportunity, kanban=True,
    related=[Related(_l("Project registrations"), "sales.registration", "opportunity_id"),
             Related(_l("Budgets and quotations"), "sales.quotation", "opportunity_id"),
             Related(_l("Sales contracts"), "sales.contract", "opportunity_id")],
)

@hookimpl
def erp_transition_done(document, transition, user):
    """A transferred customer's department follows its new owner (R-S-031)."""
    if isinstance(document, Customer) and transition.name == "transfer":
        from core.auth.models import User
        owner = db.session.get(User, document.owner_id)
        document.department_id = owner.department_id or document.department_id


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Area, Customer, Opportunity]


@hookimpl
def erp_document_types():
    return [CUSTOMER, OPPORTUNITY]


@hookimpl
def erp_permissions():
    return [Permission("sales.customer.transfer", _l("Transfer customers between salespeople")),
            Permission("sales.area.manage", _l("Manage sales areas"))]


@hookimpl
def erp_roles():
    grants = [
        ("ROLE-MKT-AM", [f"sales.customer.{a}" for a in ("read", "create", "edit", "activate", "mark_dormant")]
         + [f"sales.opportunity.{a}" for a in ("read", "create", "edit", "follow_engineering", "follow_tender",
                                                "follow_equipment", "win", "lose")]),
        ("ROLE-MKT-AAM", [f"sales.customer.{a}" for a in ("read", "create", "edit", "activate", "mark_dormant")]
         + [f"sales.opportunity.{a}" for a in ("read", "create", "edit", "follow_engineering", "follow_tender",
                                                "follow_equipment", "win", "lose")]),
        ("ROLE-MKT-MGR", [f"sales.customer.{a}" for a in ("read_all", "create", "edit", "export", "import", "activate",
                                                          "mark_dormant", "stop", "reopen")]
         + ["sales.customer.transfer", "sales.area.manage"]
         + [f"sales.opportunity.{a}" for a in ("read_all", "create", "edit", "export", "follow_engineering",
                                                "follow_tender", "follow_equipment", "win", "lose", "cancel")]),
        # Only the 市场部经理 cancels an opportunity (WF-S01); the director reads and transfers.
        ("ROLE-MKT-DIR", ["sales.customer.read_all", "sales.customer.export", "sales.customer.transfer",
                          "sales.opportunity.read_all", "sales.opportunity.export"]),
        ("ROLE-GM", ["sales.customer.read_all", "sales.opportunity.read_all", "sales.customer.export",
                     "sales.opportunity.export"]),
        ("ROLE-PS-MGR", ["sales.customer.read_all", "sales.opportunity.read_all"]),
        ("ROLE-MKT-AST", ["sales.customer.read_all", "sales.opportunity.read_all", "sales.customer.export",
                          "sales.opportunity.export"]),
        # Reads the opportunities and their customers he is assigned to (visibility above).
        ("ROLE-MKT-PSE", ["sales.opportunity.read", "sales.customer.read"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.tender_requires_registration", "bool", True, _l("Tenders need an approved registration"),
                _l("A bid needs technical staff, so its registration is approved first (R-S-013).")),
        Setting("sales.registration_protection_days", "int", 90, _l("Registration protection (days)"),
                _l("An approved registration protects the owner of the project for this many days (R-S-032)."), min=1, max=3650),
        Setting("sales.sign_mgr_limit", "decimal", "100000", _l("The market manager approves signing contracts up to (¥)"),
                _l("R-S-061: up to this amount the market manager, above it the marketing director."), min="0"),
        Setting("sales.sign_dir_limit", "decimal", "500000", _l("The marketing director approves signing contracts up to (¥)"),
                _l("R-S-061: above this amount the general manager."), min="0"),
        Setting("sales.customer_dormant_days", "int", 60, _l("Customer dormant after (days without contact)"),
                _l("R-S-033."), min=1, max=3650),
        Setting("sales.key_account_contact_days", "int", 30, _l("Key accounts: contact at least every (days)"),
                _l("R-S-037."), min=1, max=365),
    ]


# ---- I-17: complaints and low satisfaction from engineering's after-sales service ---------------
def _customer_of_party(party_id):
    return db.session.scalar(select(Customer).where(Customer.party_id == party_id)) if party_id else None


def _on_timeline(customer, author_id, body: str):
    from core.auth.models import User
    from core.documents.following import add_comment
    author = db.session.get(User, author_id)
    if author is not None:
        add_comment(CUSTOMER, customer, author, body)


@hookimpl(optionalhook=True)
def engineering_complaint(ticket, event):
    """I-17 (R-S-027): a complaint opened or closed is written on the customer's timeline and its
    salesperson is told (the 市场部经理's list is engineering's: complaints until closed)."""
    from flask_babel import gettext as _

    from core.reminders import notify
    customer = _customer_of_party(ticket.customer_id)
    if customer is None:
        return
    if event == "opened":
        title = _("Complaint %(number)s from %(customer)s", number=ticket.number, customer=customer.title)
        body = ticket.symptom or ""
    else:
        title = _("Complaint %(number)s of %(customer)s closed", number=ticket.number, customer=customer.title)
        body = ticket.closure_note or ""
    _on_timeline(customer, ticket.owner_id, f"{title}\n{body}")
    notify(customer.owner_id, f"sales.customer:{customer.id}:complaint:{ticket.number}:{event}", title, body,
           f"/sales/customer/{customer.id}")


@hookimpl(optionalhook=True)
def engineering_low_satisfaction(survey, customer_party_id, score):
    """X-E04: a low satisfaction score is a follow-up for the customer's salesperson."""
    from datetime import timedelta

    from flask_babel import gettext as _

    from core import calendar_today
    from core.reminders import notify
    customer = _customer_of_party(customer_party_id)
    if customer is None:
        return
    notify(customer.owner_id, f"sales.customer:{customer.id}:low_satisfaction:{survey.number}",
           _("Low satisfaction score %(score)s from %(customer)s (%(number)s): visit the customer",
             score=score, customer=customer.title, number=survey.number), survey.comments or "",
           f"/sales/customer/{customer.id}", due_at=calendar_today.now() + timedelta(days=3))
