"""Hooks the engineering module calls; other modules and partner plugins implement them.

A project's milestones are announced so sales can make collection lines due (I-07) and a plugin
can notify a customer portal; a confirmed change of contract value is offered to sales for a
contract supplement (I-08); the materials a project needs are handed to procurement as a
purchase request (I-03); the cost baseline is asked from the pre-sales budget.
Implement these with ``@hookimpl(optionalhook=True)`` so the plugin is inert when engineering is off.
"""
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


@hookspec(firstresult=True)
def engineering_training_gate(user_id, gate):
    """Whether the employee ``user_id`` passed the training gate ``gate`` (the code of the rule
    asking for it (I-15): ``"R-E-101"``, the safety training before any site work; ``"R-E-102"``,
    the probation passed before being the sole project engineer of a project of
    ``eng.new_staff_project_limit`` or more. First answer
    wins: ``True`` passed, ``False`` not yet (the assignment is refused naming the rule), ``None``
    no opinion (not a new employee, or no training records): the gate is satisfied. Engineering
    asks it when a project engineer is assigned; the appraisal module answers from the
    employee's training plan.

    Example::

        @hookimpl(optionalhook=True)
        def engineering_training_gate(user_id, gate):
            return lms.completed(user_id, course=gate) if lms.knows(user_id) else None
    """
