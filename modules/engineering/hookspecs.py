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
