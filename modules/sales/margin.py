"""The price rules every sales price obeys, and their exception route, in one place.

R-S-010: a margin below the minimum needs an exception approved by the 市场总监, or by the 总经理
when the price is above ``sales.margin_exception_gm_threshold``; ``sales.min_margin_mode`` may
instead refuse such prices (``block``) or only warn (``warn``). R-S-012: a price below the
estimated cost is refused; only the 总经理 may grant an exception (never in ``block`` mode).

Budgets and quotations (WF-S05, WF-S07) and bids (WF-S06) each describe their price with a
:class:`PriceRule`; the rule gives the margin, the objections, the condition of the transition
asking for an exception and the approval steps deciding it, so every route is the same.
"""
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import settings
from core.documents.formatting import money
from core.workflow import ApprovalStep, ByRole, Issue

CENT = Decimal("0.01")
DIRECTOR, GENERAL_MANAGER = "director", "general_manager"


def margin_pct(price: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """On the tax-exclusive price (or mark-up on cost, ``sales.margin_basis``); None when unknown."""
    if price is None or cost is None:
        return None
    base = price if settings.get("sales.margin_basis") == "price" else cost
    return ((price - cost) / base * 100).quantize(CENT, ROUND_HALF_UP) if base else None


@dataclass(frozen=True)
class PriceRule:
    """How a document type's price is judged: ``price`` and ``cost`` read the document
    (tax-exclusive, None while unknown), ``field`` is the field objections name, ``minimum``
    gives the setting holding the minimum margin for a document."""
    price: Callable
    cost: Callable
    field: str
    minimum: Callable = lambda doc: "sales.min_profit_margin_pct"

    def minimum_pct(self, doc) -> Decimal:
        return Decimal(str(settings.get(self.minimum(doc))))

    def margin(self, doc) -> Decimal | None:
        return margin_pct(self.price(doc), self.cost(doc))

    def below_cost(self, doc) -> bool:
        price, cost = self.price(doc), self.cost(doc)
        return price is not None and cost is not None and price < cost

    def below_minimum(self, doc) -> bool:
        margin = self.margin(doc)
        return margin is not None and margin < self.minimum_pct(doc)

    def issues(self, doc) -> list[Issue]:
        """R-S-012 (below cost, always blocking) or R-S-010 (below the minimum; a warning in
        ``warn`` mode)."""
        if self.below_cost(doc):
            return [Issue(_("The price %(price)s is below the estimated cost %(cost)s: quoting below cost needs the general manager's exception (R-S-012).",
                            price=money(self.price(doc)), cost=money(self.cost(doc))), field=self.field, code="R-S-012")]
        if self.below_minimum(doc):
            mode = settings.get("sales.min_margin_mode")
            if mode == "exception":
                text = _("The margin %(margin)s%% is below the minimum of %(minimum)s%% (R-S-010): an exception must be approved.",
                         margin=self.margin(doc), minimum=self.minimum_pct(doc))
            else:
                text = _("The margin %(margin)s%% is below the minimum of %(minimum)s%% (R-S-010).",
                         margin=self.margin(doc), minimum=self.minimum_pct(doc))
            return [Issue(text, field=self.field, blocking=mode != "warn", code="R-S-010")]
        return []

    def exception_approver(self, doc) -> str | None:
        """Who grants the exception the price needs: ``general_manager`` below cost or above the
        threshold, else ``director``; None when no exception is needed or none may be granted."""
        mode = settings.get("sales.min_margin_mode")
        if mode == "block":
            return None
        if self.below_cost(doc):
            return GENERAL_MANAGER
        if mode == "exception" and self.below_minimum(doc):
            threshold = Decimal(str(settings.get("sales.margin_exception_gm_threshold")))
            return DIRECTOR if self.price(doc) <= threshold else GENERAL_MANAGER
        return None

    def exception_needed(self, doc, user) -> list[Issue]:
        """Condition of the transition asking for an exception: only for a price that needs one."""
        if settings.get("sales.min_margin_mode") == "block" and (self.below_cost(doc) or self.below_minimum(doc)):
            return [Issue(_("Prices below the minimum margin are not accepted: no exception can be granted (R-S-010)."),
                          field=self.field, code="R-S-010")]
        if self.exception_approver(doc) is None:
            return [Issue(_("The margin is not below the minimum: no exception is needed."), field=self.field)]
        return []

    def exception_steps(self, general_manager_also: Callable | None = None) -> list[ApprovalStep]:
        """The exception's approval steps; ``general_manager_also(doc)`` adds the 总经理's step
        for another reason (a bid's amount)."""
        def by_gm(doc):
            return self.exception_approver(doc) == GENERAL_MANAGER or bool(general_manager_also and general_manager_also(doc))
        return [ApprovalStep(DIRECTOR, _l("Marketing director"), ByRole("ROLE-MKT-DIR"),
                             when=lambda doc: self.exception_approver(doc) == DIRECTOR),
                ApprovalStep(GENERAL_MANAGER, _l("General manager"), ByRole("ROLE-GM"), when=by_gm)]
