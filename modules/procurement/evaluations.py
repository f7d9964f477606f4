"""Supplier evaluation (供应商评审表, X-P05; WF-P03, R-P-050).

One evaluation scores one supplier on the criteria every module and plugin declares
(``procurement_evaluation_criteria``; procurement's own five: 资质与授权 15, 产品质量 30, 价格 25,
交货及时 20, 服务与配合 10), each weight scaled so they add up to 100. A criterion with a
``measure`` suggests its score from the records of the period (the qualification lines for
资质与授权); the evaluator scores every line 0-100 and explains a score far from the suggestion.
The total is the weighted mean; the grade comes from the bands in the settings (A, B, C, else
failed). The buyer submits, the engineering manager may add a technical opinion, and the
采购部经理 decides (an approval step). Approved:

- an admission evaluation (准入评审) with a passing grade admits the supplier to the directory
  once every admission check passes (``procurement_admission_checks``); a failing grade rejects it;
- an annual or special re-evaluation (年度评审, 专项评审) that fails suspends a qualified supplier;
- the supplier's grade, score, last evaluation and next re-evaluation date (R-P-050) follow.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .hookspecs import Criterion
from .suppliers import GRADES, SUPPLIER, Supplier, add_months, admission_issues

CODE = "procurement.evaluation"

STATES = {"draft": _l("Draft"), "submitted": _l("Awaiting the procurement manager's decision"),
          "approved": _l("Decided"), "cancelled": _l("Cancelled")}
KINDS = [("admission", _l("Admission evaluation")), ("annual", _l("Annual evaluation")),
         ("special", _l("Special evaluation"))]
PASSING = ("A", "B", "C")
HUNDRED = Decimal(100)


def qualification_score(supplier, start, end) -> Decimal:
    """资质与授权: a valid business licence and brand authorisations or certificates valid at the
    end of the period; 60 for the licence alone, 0 without it."""
    if not supplier.has_valid("licence", on=end):
        return Decimal(0)
    others = [q for q in supplier.qualifications if q.kind != "licence"]
    if not others:
        return Decimal(60)
    valid = [q for q in others if q.valid_until is None or q.valid_until >= end]
    return (Decimal(60) + Decimal(40) * len(valid) / len(others)).quantize(Decimal("0.01"))


def quality_score(supplier, start, end):
    """产品质量: the quantity accepted of the quantity received in the period (receipts.py)."""
    from .receipts import quality_score as measure
    return measure(supplier, start, end)


def delivery_score(supplier, start, end):
    """交货及时: the received lines delivered in full by their promised date (receipts.py)."""
    from .receipts import delivery_score as measure
    return measure(supplier, start, end)


BUILTIN_CRITERIA = [
    Criterion("qualification", _l("Qualifications and authorisations"), 15, measure=qualification_score,
              help=_l("Suggested from the qualification lines valid at the end of the period.")),
    Criterion("quality", _l("Product quality"), 30, measure=quality_score,
              help=_l("Suggested from the receipts of the period: the quantity accepted of the quantity received.")),
    Criterion("price", _l("Price"), 25),
    Criterion("delivery", _l("Delivery on time"), 20, measure=delivery_score,
              help=_l("Suggested from the receipts of the period: the lines delivered in full by their promised date.")),
    Criterion("service", _l("Service and cooperation"), 10),
]


def criteria() -> list[Criterion]:
    """Every enabled module's and plugin's criteria, procurement's first; a code once."""
    found: dict[str, Criterion] = {}
    for batch in current_app.extensions["erp"].pm.hook.procurement_evaluation_criteria():   # ours first (tryfirst)
        for criterion in batch or ():
            found.setdefault(criterion.code, criterion)
    return list(found.values())


@hookimpl(tryfirst=True)
def procurement_evaluation_criteria():
    return BUILTIN_CRITERIA


EVALUATION_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, required=True,
          where=lambda S, user: S.state != "blacklisted", readonly_in=("submitted", "approved", "cancelled")),
    Field("kind", _l("Kind of evaluation"), "choice", choices=KINDS, required=True, default="admission",
          readonly_in=("submitted", "approved", "cancelled")),
    Field("period_start", _l("Period from"), "date", required=True),
    Field("period_end", _l("Period to"), "date", required=True),
    Field("total", _l("Total score"), "percent", readonly=True),
    Field("grade", _l("Grade"), "choice", choices=GRADES, readonly=True),
    Field("technical_opinion", _l("Engineering's technical opinion"), "textarea", editable_in=("draft", "submitted"),
          edit_permission=f"{CODE}.technical"),
    Field("summary", _l("Evaluator's summary"), "textarea"),
]

LINE_FIELDS = [
    Field("code", _l("Criterion code"), readonly=True, max_length=40, listed=False),
    Field("label", _l("Criterion"), readonly=True),
    Field("weight", _l("Weight"), "percent", readonly=True),
    Field("suggested", _l("Suggested by the records"), "percent", readonly=True),
    Field("score", _l("Score (0-100)"), "percent", required=True, minimum=0, maximum=100),
    Field("note", _l("Note"), max_length=300),
]


class Evaluation(Document, declared_columns([f for f in EVALUATION_FIELDS if f.name not in ("title", "supplier")]),
                 db.Model):
    """供应商评审表 (X-P05)."""
    __tablename__ = "procurement_evaluation"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship(lambda: EvaluationLine, cascade="all, delete-orphan", order_by=lambda: EvaluationLine.id,
                         lazy="selectin")


class EvaluationLine(declared_columns([f for f in LINE_FIELDS if f.name != "code"]), db.Model):
    __tablename__ = "procurement_evaluation_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("procurement_evaluation.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), default="")


# ---- scoring ------------------------------------------------------------------------------------
def grade_of(total: Decimal) -> str:
    for grade, key in (("A", "pur.grade_a_min"), ("B", "pur.grade_b_min"), ("C", "pur.grade_pass_min")):
        if total >= Decimal(str(settings.get(key))):
            return grade
    return "F"


def _suggest(criterion: Criterion, supplier, start, end):
    if criterion.measure is None or supplier is None or start is None or end is None:
        return None
    value = criterion.measure(supplier, start, end)
    return None if value is None else max(Decimal(0), min(HUNDRED, Decimal(value))).quantize(Decimal("0.01"))


def save_evaluation(doc):
    supplier = db.session.get(Supplier, doc.supplier_id) if doc.supplier_id else None
    if supplier is None:
        raise ValidationFailed({"supplier_id": [_("Choose a supplier of the directory.")]})
    if doc.period_start and doc.period_end and doc.period_end < doc.period_start:
        raise ValidationFailed({"period_end": [_("The period ends before it starts.")]})
    doc.supplier = supplier
    declared = criteria()
    weights = sum(Decimal(c.weight) for c in declared) or HUNDRED
    by_code = {line.code: line for line in doc.lines if line.code}
    for line in [line for line in doc.lines if line.code not in {c.code for c in declared}]:
        doc.lines.remove(line)          # a row typed in the form, or a criterion no longer declared
    for criterion in declared:
        line = by_code.get(criterion.code)
        if line is None:
            line = EvaluationLine(code=criterion.code)
            doc.lines.append(line)
        line.label = str(criterion.label)[:200]
        line.weight = (Decimal(criterion.weight) * HUNDRED / weights).quantize(Decimal("0.01"))
        line.suggested = _suggest(criterion, supplier, doc.period_start, doc.period_end)
        if line.score is None and line.suggested is not None:
            line.score = line.suggested
    order = {c.code: i for i, c in enumerate(declared)}
    doc.lines.sort(key=lambda line: order[line.code])
    scored = [line for line in doc.lines if line.score is not None]
    doc.total = (sum((line.weight * line.score for line in scored), Decimal(0)) / HUNDRED).quantize(
        Decimal("0.01"), ROUND_HALF_UP) if len(scored) == len(doc.lines) else None
    doc.grade = grade_of(doc.total) if doc.total is not None else None
    doc.title = supplier.title


# ---- workflow -----------------------------------------------------------------------------------
def all_scored(doc, user) -> list:
    missing = [line.label for line in doc.lines if line.score is None]
    return [Issue(_("Score every criterion: %(names)s.", names="、".join(missing)), field="lines")] if missing else []


def supplier_fits(doc, user) -> list:
    """An admission evaluates a candidate; a re-evaluation a qualified or suspended supplier."""
    state = doc.supplier.state
    if doc.kind == "admission" and state != "candidate":
        return [Issue(_("%(supplier)s is not a candidate: evaluate it as an annual or special evaluation.",
                        supplier=doc.supplier.title), field="kind")]
    if doc.kind != "admission" and state not in ("qualified", "suspended"):
        return [Issue(_("%(supplier)s is not in the directory yet: its first evaluation is the admission.",
                        supplier=doc.supplier.title), field="kind")]
    return []


def admissible(doc, user) -> list:
    """A passing admission (or a passing evaluation of a suspended supplier) admits: the admission
    checks of procurement and of every plugin must pass."""
    if doc.grade in PASSING and doc.kind == "admission":
        return admission_issues(doc.supplier)
    return []


EVALUATION_WORKFLOW = Workflow(
    states=STATES, initial="draft",
    transitions=[
        Transition("submit", _l("Submit for decision"), ["draft"], "submitted", kind="submit",
                   conditions=[all_scored, supplier_fits]),
        Transition("approve", _l("Decide"), ["submitted"], "approved", kind="approve", style="success",
                   conditions=[admissible], comment_label=_l("Procurement manager's decision")),
        Transition("reject", _l("Return"), ["submitted"], "draft", kind="reject", comment_required=True,
                   comment_label=_l("What to look at again")),
        Transition("cancel", _l("Cancel"), ["draft", "submitted"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    steps=[ApprovalStep("decision", _l("Procurement manager's decision"), ByRole("ROLE-PUR-MGR"))],
)


def _apply(doc, user) -> None:
    supplier = doc.supplier
    today = calendar_today.today()
    supplier.grade, supplier.score, supplier.last_evaluated_on = doc.grade, doc.total, today
    supplier.next_evaluation_due = add_months(today, settings.get("pur.reeval_months"))
    because = _("Evaluation %(number)s: %(total)s points, grade %(grade)s.", number=doc.number,
                total=doc.total, grade=doc.grade)
    if doc.kind == "admission" and supplier.state == "evaluating":
        engine.carry(supplier, "qualify" if doc.grade in PASSING else "fail", user, because)
    elif doc.grade not in PASSING and supplier.state == "qualified":
        engine.carry(supplier, "downgrade", user, because)


@hookimpl
def erp_transition_done(document, transition, user):
    if not isinstance(document, Evaluation):
        return
    supplier = document.supplier
    if transition.name == "submit" and document.kind == "admission" and supplier.state == "candidate":
        engine.carry(supplier, "evaluate", user, document.number)
    elif transition.name in ("reject", "cancel") and supplier.state == "evaluating":
        engine.carry(supplier, "evaluation_withdrawn", user, document.number)
    elif transition.name == "approve" and document.state == "approved":
        _apply(document, user)


SUPPLIER.relate(Related(_l("Evaluations"), CODE, "supplier_id"))

EVALUATION = DocType(
    code=CODE, model=Evaluation, label=_l("Supplier evaluation"), label_plural=_l("Supplier evaluations"),
    fields=EVALUATION_FIELDS, workflow=EVALUATION_WORKFLOW, number_prefix="GPS", print_title="供应商评审表",
    menu_order=55, before_save=save_evaluation,
    lines=Lines("lines", EvaluationLine, fields=LINE_FIELDS, blank_rows=0),
    columns=[Column("kind", _l("Kind of evaluation"), kind="choice", choices=dict(KINDS)),
             Column("period_end", _l("Period to"), kind="date"),
             Column("total", _l("Total score"), kind="number"),
             Column("grade", _l("Grade"), kind="choice", choices=dict(GRADES))],
)


def new_evaluation(supplier, user, kind: str = "admission", start: date | None = None, end: date | None = None):
    """A draft evaluation of ``supplier`` with every criterion's line (scores suggested), not committed."""
    from core.documents import service
    doc = service.new_document(EVALUATION, user)
    today = calendar_today.today()
    doc.supplier_id, doc.kind = supplier.id, kind
    doc.period_start, doc.period_end = start or add_months(today, -12), end or today
    save_evaluation(doc)
    return doc


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Evaluation, EvaluationLine]


@hookimpl
def erp_document_types():
    return [EVALUATION]


@hookimpl
def erp_permissions():
    from core.auth.permissions import Permission
    return [Permission(f"{CODE}.technical", _l("Supplier evaluation: give engineering's technical opinion"))]


@hookimpl
def erp_roles():
    buyer = [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "submit", "cancel", "export")]
    grants = [
        ("ROLE-PUR-BUY", buyer),
        ("ROLE-PUR-MGR", buyer),
        ("ROLE-ENG-MGR", [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.edit", f"{CODE}.technical"]),
        ("ROLE-MKT-DIR", [f"{CODE}.read", f"{CODE}.read_all"]),
        ("ROLE-GM", [f"{CODE}.read", f"{CODE}.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.grade_a_min", "int", 85, _l("Supplier grade A from (points)"),
                _l("X-P05: a total score from this many points grades the supplier A."), min=1, max=100),
        Setting("pur.grade_b_min", "int", 70, _l("Supplier grade B from (points)"),
                _l("X-P05: from this many points B (below A)."), min=1, max=100),
        Setting("pur.grade_pass_min", "int", 60, _l("Supplier passes from (points)"),
                _l("X-P05: from this many points C; below it the supplier fails (not admitted, or suspended)."),
                min=1, max=100),
    ]
