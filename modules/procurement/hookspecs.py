"""Hooks the procurement module calls; other modules and partner plugins implement them.

The supplier directory (供货商名录) is the module's extension point: a plugin can answer a
supplier lookup from an external registry, add an admission rule or add an evaluation criterion;
another module (sales, I-01) learns of the answer to a price inquiry it asked for.
Implement these with ``@hookimpl(optionalhook=True)`` so the plugin is inert when procurement is off.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.hookspecs import hookspec


@dataclass(frozen=True)
class Criterion:
    """One line of the supplier evaluation (X-P05): ``code``, ``label``, ``weight`` (points out of
    the total; weights are scaled to 100 when plugins add criteria) and ``measure``: ``(supplier,
    start, end) -> Decimal 0..100 | None``, the score the records suggest for the period (the
    evaluator may change it, with a note); ``None`` (or no measure) = scored by hand."""
    code: str
    label: object
    weight: int
    measure: Callable | None = None
    help: object = ""


@hookspec(firstresult=True)
def procurement_lookup_supplier(name, credit_code):
    """Look a supplier up in an external registry before it is entered (WF-P03 候选). First
    answer wins; return ``None`` when you do not know it, else a dict of what you know:
    ``{"title", "credit_code", "bank_name", "bank_account", "categories": [...], "source"}``
    (any subset). The buyer's new supplier form is filled from it (``source`` is shown), and the
    same answer is offered by ``GET /procurement/suppliers/lookup?name=&credit_code=``.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_lookup_supplier(name, credit_code):
            row = registry_api.find(credit_code or name)
            return {"title": row.name, "credit_code": row.uscc, "source": "企业信用库"} if row else None
    """


@hookspec
def procurement_admission_checks(supplier):
    """Return a list of :class:`core.workflow.Issue` objecting to admitting ``supplier`` to the
    directory (合格供方), or ``[]``. Asked when an admission or re-evaluation is approved with a
    passing grade and when a suspended supplier is reinstated; any blocking issue refuses the step
    and is shown with its code. Procurement's own (``trylast``) requires a valid business licence
    and the bank details (R-P-010).

    Example::

        @hookimpl(optionalhook=True)
        def procurement_admission_checks(supplier):
            if "security" in supplier.categories and not supplier.has_valid("ccc"):
                return [Issue("安防设备供应商须有有效的 3C 认证", code="X-CCC")]
            return []
    """


@hookspec
def procurement_evaluation_criteria():
    """Return a list of :class:`modules.procurement.hookspecs.Criterion` to add to the supplier
    evaluation (X-P05). Procurement's own are the five of SPEC (资质与授权 15, 产品质量 30,
    价格 25, 交货及时 20, 服务与配合 10); weights are scaled so the total stays 100.

    Example::

        from modules.procurement.hookspecs import Criterion

        @hookimpl(optionalhook=True)
        def procurement_evaluation_criteria():
            return [Criterion("green", "环保合规", 10, measure=lambda supplier, start, end: None)]
    """


@hookspec
def procurement_inquiry_answered(inquiry, costs):
    """A price inquiry (询价单 X-P02, WF-P02) was answered; every implementation is called, inside
    the answer's transaction. ``inquiry`` carries ``number``, ``source`` (``"presales"`` or
    ``"purchase"``), ``source_ref`` (the number of the document it was asked for: a sales
    quotation, a purchase request), ``requested_by``, ``buyer`` and ``lines``. ``costs`` maps each
    line of that document the inquiry answers (the rows' ``source_line_id``) to the quote chosen:
    ``{"unit_cost": Decimal, "supplier": str, "valid_until": date, "lead_time_days": int | None,
    "brand_model_spec": str, "substitute": str}`` (``substitute`` not empty: another brand or
    model is offered). Sales (I-01) puts the costs on the quotation ``source_ref`` names.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_inquiry_answered(inquiry, costs):
            if inquiry.source == "presales":
                budget = budgets.find(inquiry.source_ref)
                for line_id, quote in costs.items():
                    budget.set_cost(line_id, quote["unit_cost"], quote["supplier"], inquiry.number)
    """


@hookspec
def procurement_inquiry_cancelled(inquiry, reason):
    """A price inquiry (X-P02) was cancelled by procurement before its answer (``reason`` is the
    buyer's); every implementation is called, inside the cancellation's transaction. Sales (I-01)
    takes the quotation ``inquiry.source_ref`` names out of "costs asked of procurement" so its
    owner enters the costs by hand (R-P-004), and tells him.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_inquiry_cancelled(inquiry, reason):
            if inquiry.source == "presales":
                budgets.find(inquiry.source_ref).note(f"{inquiry.number} cancelled: {reason}")
    """


@hookspec
def procurement_order_approved(order):
    """A purchase order (X-P03) was approved (R-P-020), inside the approval's transaction; every
    implementation is called (I-04: engineering books the project's committed cost). ``order``
    carries ``number``, ``supplier`` (its ``title``), ``total`` and ``lines`` (``item``, ``model``,
    ``qty``, ``unit``, ``unit_price``, ``amount``, ``promised_date``, ``project_ref``,
    ``request_line_id``).

    Example::

        @hookimpl(optionalhook=True)
        def procurement_order_approved(order):
            for line in order.lines:
                if line.project_ref:
                    commit_cost(line.project_ref, order.number, line.amount)
    """


@hookspec
def procurement_goods_received(receipt):
    """A goods receipt (X-P04) was accepted after inspection, inside the acceptance's transaction;
    every implementation is called (I-04: engineering books the actual cost and proposes the serial
    numbers for the installed base). ``receipt`` carries ``number``, ``order`` (with its
    ``supplier``), ``received_at``, ``location`` and ``accepted_lines()``: dicts ``{"item",
    "model", "qty", "unit_price", "amount", "serials": [...], "project_ref", "order_line_id"}``
    of the quantities accepted.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_goods_received(receipt):
            for line in receipt.accepted_lines():
                book_actual_cost(line["project_ref"], receipt.number, line["amount"])
    """


@hookspec
def procurement_payment_recorded(payment):
    """Finance recorded the payment of a supplier payment request (付款申请单, X-P08), inside the
    transaction that settles its payables; every implementation is called (an accounting or
    bank-export integration books it). ``payment`` carries ``number``, ``supplier`` (its
    ``title``, ``bank_name``, ``bank_account``), ``amount``, ``paid_on``, ``bank_ref`` and
    ``lines`` (``payable_id``, ``invoice_no``, ``amount``); the payables are already settled.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_payment_recorded(payment):
            ledger.post(credit="银行存款", debit="应付账款", party=payment.supplier.title,
                        amount=payment.amount, day=payment.paid_on, reference=payment.bank_ref)
    """


@hookspec
def procurement_reported_nonconformances(supplier):
    """-> int: how many nonconformances of ``supplier``'s goods your module recorded and decided
    (I-12: engineering's nonconforming products found on site, in testing or after-sales). Every
    implementation is called; procurement adds the answers to the nonconformances its own
    receipts found, as the supplier's ``nonconformance_count`` (shown on the supplier and read by
    its evaluation). ``supplier`` carries ``id``, ``party_id`` (the core party) and ``title``.

    Example::

        @hookimpl(optionalhook=True)
        def procurement_reported_nonconformances(supplier):
            return helpdesk.count_faulty_units(vendor=supplier.title)
    """
