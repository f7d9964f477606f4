"""Hooks the sales module calls; other modules and partner plugins implement them.

Implement another module's hook with ``@hookimpl(optionalhook=True)`` so it is inert when sales is off.
"""
from core.hookspecs import hookspec


@hookspec
def sales_validate_quotation(quotation):
    """Return a list of :class:`core.workflow.Issue` objecting to ``quotation``'s price (or ``[]``).

    Called when a quotation is submitted for review and when the 市场部经理 fixes the external
    price. Sales' own implementation (``trylast``) applies R-S-012 (not below cost) and R-S-010
    (margin below ``sales.min_profit_margin_pct`` needs an approved exception). A plugin can add
    stricter rules, e.g. per customer industry.

    Example::

        @hookimpl(optionalhook=True)
        def sales_validate_quotation(quotation):
            if quotation.opportunity.customer.industry == "government" and quotation.margin_pct < 8:
                return [Issue("政府项目利润率不得低于 8%")]
            return []
    """


@hookspec(firstresult=True)
def sales_request_price_inquiry(quotation, lines, requester):
    """Ask for equipment costs (I-01); the procurement module answers. First answer wins.

    ``lines`` are the quotation lines needing a cost (``id``, ``item``, ``brand_model``, ``qty``,
    ``unit``). Return ``None`` when you do not handle it, else a dict ``{"reference":
    "XJ-2026-0001", "costs": {line_id: {"unit_cost": Decimal, "supplier": str, "valid_until":
    date}}}``; ``costs`` may be empty when the answer comes later: an equipment quotation then
    waits in ``cost_inquiry`` until the answer arrives. Procurement's answer comes back through
    its own event ``procurement_inquiry_answered(inquiry, costs)`` (costs by quotation line id),
    which sales implements; another implementation answers the same way or calls
    ``modules.sales.presales.receive_prices(quotation, costs, user, reference)``. With no answer
    (procurement off) staff enter costs by hand with a reason (R-P-004).

    Example::

        @hookimpl(optionalhook=True)
        def sales_request_price_inquiry(quotation, lines, requester):
            inquiry = create_inquiry(quotation.number, lines, requester)
            return {"reference": inquiry.number, "costs": {}}
    """


@hookspec
def sales_contract_signed(contract):
    """A sales contract was signed (WF-S08, I-05/I-06): prepare for it (engineering plans its
    people, procurement its orders). Broadcast to every implementation, inside the signing's
    transaction.

    Example::

        @hookimpl(optionalhook=True)
        def sales_contract_signed(contract):
            notify_planner(contract.number, contract.customer_name, contract.due_completion)
    """


@hookspec(firstresult=True)
def sales_handover_accepted(handover, user):
    """The 工程部经理 accepted a project implementation handover (F-S09, I-05): open the project.
    First answer wins; return ``None`` when you do not handle it, else a dict
    ``{"reference": "GC-2026-0001", "project_engineer_id": 12}`` (the engineer optional), shown
    on the handover and the contract. With no implementation the handover is recorded on paper.

    ``handover`` carries the project's data: ``title``, ``contract`` (customer, amount, terms),
    ``site_address``, ``customer_contacts``, ``due_completion``, ``warranty_months``, ``lines``
    (scope: item, brand_model, qty, unit, supply_by), ``commitments``, ``supervision_mode``.

    Example::

        @hookimpl(optionalhook=True)
        def sales_handover_accepted(handover, user):
            project = open_project(handover, user)
            return {"reference": project.number}
    """


@hookspec(firstresult=True)
def sales_propose_purchase(contract, lines, requester):
    """An equipment-only contract was signed (I-06): propose its purchase lines to procurement.
    ``lines``: ``[{"item", "brand_model", "qty", "unit"}]``. Return the purchase request's
    reference, or ``None`` (nothing is ordered in the system: the owner orders outside it).

    Example::

        @hookimpl(optionalhook=True)
        def sales_propose_purchase(contract, lines, requester):
            return create_purchase_request(contract.number, lines, requester).number
    """


@hookspec
def sales_contract_changed(contract, supplement):
    """A contract changed (I-09): ``supplement`` is the registered supplement agreement that
    changed it, or ``None`` when the contract was terminated. Engineering records the change on
    its project (or stops it).

    Example::

        @hookimpl(optionalhook=True)
        def sales_contract_changed(contract, supplement):
            project = project_of(contract.project_ref)
            project.note_change(supplement.number if supplement else "terminated")
    """


@hookspec(firstresult=True)
def sales_training_gate(user_id, gate):
    """Whether the salesperson ``user_id`` passed the training gate ``gate`` (the code of the rule
    asking for it: ``"R-S-073"``, the probation assessment passed before owning opportunities above
    ``sales.new_staff_amount_limit``; I-15). First answer wins: ``True`` passed, ``False`` not yet
    (the opportunity is refused naming the rule), ``None`` no opinion (not a new employee, or no
    training records): the gate is satisfied. The appraisal module answers from the employee's
    training plan.

    Example::

        @hookimpl(optionalhook=True)
        def sales_training_gate(user_id, gate):
            return hr_system.confirmed(user_id) if hr_system.knows(user_id) else None
    """
