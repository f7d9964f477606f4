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
