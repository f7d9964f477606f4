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

    ``lines`` are the quotation lines needing a cost. Return ``None`` when you do not handle it,
    else a dict ``{"reference": "XJ-2026-0001", "costs": {line_id: {"unit_cost": Decimal,
    "supplier": str, "valid_until": date}}}``; ``costs`` may be empty when the answer comes
    later: an equipment quotation then waits in ``cost_inquiry`` until the answer is given with
    ``modules.sales.presales.receive_prices(quotation, costs, user, reference)``. With no answer
    (procurement off) staff enter costs by hand with a reason (R-P-004).

    Example::

        @hookimpl(optionalhook=True)
        def sales_request_price_inquiry(quotation, lines, requester):
            inquiry = create_inquiry(quotation.number, lines, requester)
            return {"reference": inquiry.number, "costs": {}}
    """
