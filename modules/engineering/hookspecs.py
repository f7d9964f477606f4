"""Hooks the engineering module calls; other modules and partner plugins implement them.

A project's milestones are announced so sales can make collection lines due (I-07) and a plugin
can notify a customer portal; a confirmed change of contract value is offered to sales for a
contract supplement (I-08); the materials a project needs are handed to procurement as a
purchase request (I-03); the cost baseline is asked from the pre-sales budget.
Implement these with ``@hookimpl(optionalhook=True)`` so the plugin is inert when engineering is off.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.hookspecs import hookspec

# The milestones announced by engineering_project_milestone (I-07).
MILESTONES = ("arrival_accepted", "subitem_accepted", "final_acceptance", "warranty_end", "payment_approved",
              "final_account")


@hookspec
def engineering_project_milestone(project, milestone, day, user, amount, reference):
    """A project reached a milestone, inside the transaction that reached it; every
    implementation is called. ``milestone`` is one of ``MILESTONES``: ``arrival_accepted``
    (equipment accepted on site, F-T15), ``subitem_accepted`` (a sub-item's F-T21 passed),
    ``final_acceptance`` (the customer accepted the works), ``warranty_end``,
    ``payment_approved`` (an outward payment application F-T10 approved: ``amount`` is the amount
    approved) and ``final_account`` (the outward final account F-T12 agreed: ``amount`` is the
    agreed value). ``day`` is the date it was reached, ``reference`` the number of the form that
    reached it (or ``""``). ``project`` carries ``number``, ``title``, ``contract_ref`` and
    ``sales_contract_id`` (``None`` for a project created by hand). Sales makes the contract's
    collection lines waiting for that event due.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_project_milestone(project, milestone, day, user, amount, reference):
            if milestone == "final_acceptance":
                portal.tell_customer(project.contract_ref, "竣工验收通过", day)
    """


@hookspec
def engineering_change_confirmed(project, amount, reference, description, user):
    """A change of the contract's value was confirmed by the customer (an outward F-T11 change
    cost verification, I-08), inside the confirming transaction; every implementation is called.
    ``amount`` is the confirmed increase (negative: a decrease), ``reference`` the form's number.
    Sales proposes a contract supplement to the contract's owner.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_change_confirmed(project, amount, reference, description, user):
            crm.note(project.contract_ref, f"变更 {reference}: {amount}")
    """


@hookspec(firstresult=True)
def engineering_request_purchase(project, lines, requester):
    """A project engineer asks for the materials and equipment the company supplies (I-03).
    ``lines``: ``[{"item", "brand_model", "qty", "unit", "required_date"}]``. First answer wins:
    return the purchase request's number, or ``None`` when you do not handle it (procurement is
    off: the engineer buys outside the system and posts the costs by hand).

    Example::

        @hookimpl(optionalhook=True)
        def engineering_request_purchase(project, lines, requester):
            return erp_bridge.create_request(project.number, lines, requester.username)
    """


@hookspec(firstresult=True)
def engineering_cost_budget(project):
    """The pre-sales budget a project's cost baseline starts from (F-E04, R-E-020). First answer
    wins: ``None`` when you do not know the project's contract, else a dict ``{"contract_amount_excl_tax":
    Decimal, "target_margin_pct": Decimal, "lines": [{"category": "equipment", "budget": Decimal}]}``
    (categories as ``modules.engineering.costs.CATEGORIES``). Sales answers from the contract's
    approved quotation; with no answer the engineer types the budget.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_cost_budget(project):
            budget = estimator.budget_of(project.contract_ref)
            return budget and {"contract_amount_excl_tax": budget.price, "target_margin_pct": budget.margin,
                               "lines": [{"category": "equipment", "budget": budget.equipment}]}
    """


@hookspec
def engineering_complaint(ticket, event):
    """A customer complaint (a service ticket flagged 投诉, I-17, R-S-027) was ``"opened"`` (saved
    with the flag) or ``"closed"`` (the 工程部经理 closed it with its handling conclusion), inside
    that transaction; every implementation is called. ``ticket`` carries ``number``,
    ``customer_id`` (the core party), ``customer_name``, ``symptom``, ``closure_note`` and
    ``urgency``. Sales puts it on the customer's timeline and tells the customer's salesperson.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_complaint(ticket, event):
            crm.log(ticket.customer_id, f"投诉{ticket.number}: {event}")
    """


@hookspec(firstresult=True)
def engineering_service_fee(ticket, customer_party_id, amount, user):
    """A chargeable service ticket was confirmed by the customer (I-11, R-E-064, R-S-056), inside
    that transaction: ``amount`` (Decimal) is its fee, ``customer_party_id`` the core party served,
    ``ticket.sales_contract_id`` the sales contract of its project (``None`` if none). First answer
    wins: return the number of the collection line made for the customer's salesperson, or
    ``None`` (nobody collects it: the fee stays on the ticket with its paid flag).

    Example::

        @hookimpl(optionalhook=True)
        def engineering_service_fee(ticket, customer_party_id, amount, user):
            return billing.invoice(customer_party_id, amount, ref=ticket.number)
    """


@hookspec
def engineering_low_satisfaction(survey, customer_party_id, score):
    """A satisfaction survey (X-E04) came back with a score below ``eng.satisfaction_alert``
    (``score`` is its lowest), inside that transaction; every implementation is called. The
    工程部经理 already has his follow-up; sales gives the customer's salesperson his.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_low_satisfaction(survey, customer_party_id, score):
            crm.task(customer_party_id, f"满意度{score}分，回访客户")
    """



@hookspec
def engineering_nonconformance(nc, event):
    """A nonconformance on purchased goods (X-E10, WF-E07, I-12) reached a step, inside the
    transaction that reached it; every implementation is called. ``event`` is ``"decided"`` (the
    engineering manager decided the disposition: ``nc.disposition`` is one of ``return``,
    ``replace``, ``rework``, ``concession``, ``scrap``) or ``"disposed"`` (carried out, evidence
    attached). ``nc`` carries ``number``, ``project`` (``number``, ``title``), ``item``,
    ``brand_model``, ``serials``, ``qty``, ``supplier_id`` (a core party id, or ``None``),
    ``supplier_name`` (free text), ``po_number``, ``description`` and ``review``. Procurement
    counts it against the supplier's evaluation and gives the buyer the return or replacement to
    arrange; without procurement the nonconformance stays in engineering.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_nonconformance(nc, event):
            if event == "decided" and nc.disposition == "return":
                rma.open(nc.supplier_name, nc.po_number, nc.item, nc.qty, reference=nc.number)
    """


@hookspec
def engineering_project_evaluated(project, evaluation):
    """A project's evaluation (项目汇评表 F-E08, I-18) was approved by the engineering manager,
    inside the approving transaction; every implementation is called. ``evaluation`` carries
    ``number``, ``total`` and ``grade`` (``A`` 优 / ``B`` 良 / ``C`` 中 / ``D`` 差),
    ``budget_cost`` (the approved cost baseline), ``actual_cost``, ``budget_accuracy`` (%: 100
    less the actual cost's deviation from the budget, ``None`` without a budget), ``margin_pct``
    and ``contract_amount``; ``project`` carries ``number``, ``contract_ref`` and
    ``sales_contract_id``. Sales uses the budget accuracy for the pre-sales KPIs
    (KPI-PRESALES-PORTFOLIO).

    Example::

        @hookimpl(optionalhook=True)
        def engineering_project_evaluated(project, evaluation):
            if evaluation.budget_accuracy is not None and evaluation.budget_accuracy < 90:
                crm.flag(project.contract_ref, f"预算准确率 {evaluation.budget_accuracy}%")
    """


# ---- penalties (工程部处罚条例, SPEC 3.3.4, WF-E08) ------------------------------------------------
@dataclass(frozen=True)
class PenaltyItemSpec:
    """An item of the penalty catalogue, as ``engineering_penalty_items`` returns it.

    ``target``: ``"staff"``, ``"team"`` or ``"both"``; ``points`` a staff penalty's points and
    ``fine`` a team's fine in CNY (per ``unit``: ``"occurrence"``, ``"day"``, ``"person"``,
    ``"item"``, times the penalty's quantity); ``variants`` by severity
    ``{"minor"|"major"|"serious": (points, fine)}``; ``points_max`` and ``fine_max`` the top of a
    range (the proposer sets the sanction from ``points``/``fine`` up to it); ``fine_pct`` a fine as a percentage of the
    subcontract value with ``fine_min`` (CNY) and ``fine_cap_pct``; ``measure`` one of ``none``,
    ``suspension``, ``stop_work``, ``withhold``, ``termination``, ``removal``, ``dismissal`` (the
    last three are confirmed by the 总经理); ``measures`` and ``evidence`` free text."""
    code: str
    description: str
    target: str = "both"
    points: Decimal | None = None
    fine: Decimal | None = None
    description_en: str = ""
    variants: dict = field(default_factory=dict)
    points_max: Decimal | None = None
    fine_max: Decimal | None = None
    fine_pct: Decimal | None = None
    fine_min: Decimal | None = None
    fine_cap_pct: Decimal | None = None
    unit: str = "occurrence"
    measure: str = "none"
    measures: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class PenaltyEvent:
    """Evidence that may call for a penalty, given to ``engineering_penalties``. ``kind``: the
    module's own are ``ft16_issued`` (an inward quality issue notice issued), ``ft14_issued`` (a
    quality incident of a team submitted), ``weekly_report_late`` (an engineer's weekly report
    submitted late), and from the scheduled sweep ``weekly_report_missing`` and
    ``selfcheck_missing`` (an acceptance refused by R-E-041); partners may emit their own through
    ``modules.engineering.penalties.propose_from(event, user)``. ``document`` is the evidence
    (its ``number`` is ``reference``), ``team_party_id`` the construction team it names (a party
    with the role ``construction_team``, or None), ``user_id`` the person concerned, ``severity``
    ``minor``/``major``/``serious`` or None, ``day`` the day of the violation."""
    kind: str
    project: object = None
    document: object = None
    reference: str = ""
    team_party_id: int | None = None
    user_id: int | None = None
    severity: str | None = None
    day: date | None = None
    subcontract_value: Decimal | None = None


@dataclass(frozen=True)
class PenaltyProposal:
    """A penalty proposed from an event: the catalogue item's ``code``, ``target_type``
    (``"staff"`` with ``person_id``, ``"team"`` with ``team_party_id``), the ``facts`` and, if the
    item needs them, ``severity``, ``quantity`` and ``subcontract_value``. It becomes a penalty in
    state proposed, owned by whoever took the step that raised the event; a second proposal of the
    same item for the same evidence and target is ignored."""
    code: str
    target_type: str
    person_id: int | None = None
    team_party_id: int | None = None
    facts: str = ""
    severity: str | None = None
    quantity: int = 1
    subcontract_value: Decimal | None = None
    evidence_ref: str = ""


@hookspec
def engineering_penalty_items():
    """Items to add to the penalty catalogue (SPEC 3.3.4): a list of ``PenaltyItemSpec``. Every
    implementation is asked when reference data is seeded (``erp db upgrade``, ``erp demo``); an
    item whose code is not in the catalogue yet is added as the implementing module's, and the
    工程部经理 may edit it afterwards. While the module is off its items are not offered for new
    penalties (the penalties citing them are kept).

    Example::

        @hookimpl(optionalhook=True)
        def engineering_penalty_items():
            return [PenaltyItemSpec("X-01", "未按要求上传现场照片", target="team", fine=Decimal(100),
                                    description_en="Site photos not uploaded as required")]
    """


@hookspec
def engineering_penalties(event):
    """Penalties `event` (a ``PenaltyEvent``) calls for: return a list of ``PenaltyProposal``
    (empty when none). Called inside the transaction of the step that produced the evidence
    (an F-T16 issued, an F-T14 submitted, a weekly report submitted late...); every
    implementation is asked, and each proposal is recorded as a penalty in state proposed with the
    evidence's number, never twice for the same evidence, item and target.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_penalties(event):
            if event.kind == "ft16_issued" and event.team_party_id and "照片" in event.document.description:
                return [PenaltyProposal("X-01", "team", team_party_id=event.team_party_id,
                                        facts="现场照片未上传")]
            return []
    """


@hookspec
def engineering_penalty_confirmed(penalty):
    """A penalty was confirmed (WF-E08 确认: by the 工程部经理, or the 总经理), inside the confirming
    transaction; every implementation is called. ``penalty`` carries ``number``, ``item``
    (``code``, ``description``), ``target_type`` (``staff``/``team``), ``person_id`` or
    ``team_party_id``, ``project_id``, ``points``, ``fine``, ``repeat_count`` and ``decided_on``.
    Appraisal counts a staff penalty's points (I-13, KPI-COMPLIANCE); a team's fine waits as a
    deduction pending until a payment deducts it.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_penalty_confirmed(penalty):
            if penalty.target_type == "staff":
                hr_system.deduct(penalty.person_id, penalty.points, reason=penalty.number)
    """


@hookspec
def engineering_subcontract_check(package, team):
    """Objections to inviting or awarding construction team ``team`` (its core ``Party``: ``id``,
    ``name``, ``address``, ``credit_code``) for the work package ``package`` (WF-E06, X-E06:
    ``number``, ``title``, ``project`` (``site_address``, ``customer_name``), ``work_type``,
    ``package_amount``, ``award_amount``). Called for every invited team when the quotations are
    invited, and for the recommended team when the award is submitted, approved and contracted;
    every implementation is called and a blocking ``Issue`` refuses the step (the message is shown
    after the team's name). Engineering's own rule (R-E-091: the qualified register and
    ``eng.min_team_grade``) is its own implementation, called last. Return a list of
    ``core.workflow.Issue`` with a ``code``.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_subcontract_check(package, team):
            if package.package_amount > 50000 and "深圳" not in team.address:
                return [Issue("本地用工：5 万元以上的发包须本地施工队", field="quotes", code="X-LOCAL")]
            return []
    """


@hookspec
def engineering_team_payment(payment, amount, team, user):
    """An inward payment application (F-T10) to a construction team was approved (I-10), inside
    the approving transaction; every implementation is called. ``payment`` carries ``number``,
    ``project_id``, ``team_name``, ``subcontract_id`` (``None`` when it names no subcontract) and
    ``payment_type``; ``amount`` is the amount approved (Decimal); ``team`` the team's core
    ``Party`` (``None`` when the payment names no subcontract); ``user`` who approved it. Finance
    or procurement create the payable; engineering still asks finance to pay and records the
    payment on the form.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_team_payment(payment, amount, team, user):
            ledger.payable(team.name if team else payment.team_name, amount, reference=payment.number)
    """
