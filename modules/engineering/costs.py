"""Project cost control (工程项目费用控制表 F-E04; R-E-020, R-E-021; WF-E03 E03-m; I-03, I-04).

A project's cost baseline is a cost control sheet (``FY``): the contract amount excl. tax, the
target margin and a budget per cost category, proposed from the contract's pre-sales budget
(``engineering_cost_budget``, answered by sales) or typed by the engineer, and approved by the
工程部经理 (L1). The start of works needs the approved baseline (``@gate("start")``, R-E-020).
A newer baseline approved archives the older one.

Costs are cost postings (``CB``): committed or actual, per category. Procurement posts them
(I-04): an approved purchase order commits the lines whose project reference names the project,
an accepted receipt turns the accepted amount from committed into actual. The engineer posts
the rest by hand (a negative amount corrects); other parts call ``post_cost``. A manual commitment
taking the costs above the baseline by more than ``eng.cost_overrun_gm_pct`` is refused unless
the poster holds ``engineering.cost_posting.over_budget`` (the 总经理, R-E-021).

The cost table (``cost_table``) puts the baseline beside the postings, summed by ONE grouped
query: per category budget, committed, actual, estimate at completion (EAC: the budget, or what is
committed and spent when more), variance (budget − EAC) and the forecast margin. When committed +
actual exceed the baseline by ``eng.cost_overrun_alert_pct`` or the forecast margin falls below
the minimum margin (sales' ``sales.min_profit_margin_pct``, else ``eng.min_margin_pct``), the
engineers and the 工程部经理 are told, once each time it crosses (R-E-021); the table shows it red.

A monthly snapshot (``FYK``, L3 report read by the 工程部经理) freezes the table's figures.
The project's "Request purchase" sends the scope supplied by us to procurement (I-03).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Boolean, ForeignKey, Integer, func, insert, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today, settings
from core.auth.decorators import permission_required
from core.auth.permissions import Permission, RoleTemplate
from core.documents import Action, Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting, UnknownSetting
from core.workflow import ApprovalStep, ByRole, Issue, engine, lifecycles

from .projects import ACTIVE, PROJECT, STARTED, EngProject, gate, on_my_projects, of_project
from .views import bp

SHEET_CODE = "engineering.cost_sheet"
POSTING_CODE = "engineering.cost_posting"
SNAPSHOT_CODE = "engineering.cost_snapshot"
OVER_BUDGET = f"{POSTING_CODE}.over_budget"
ZERO = Decimal(0)
CENT = Decimal("0.01")

# F-E04's cost categories; the keys sales' pre-sales budget lines use where they exist.
CATEGORIES = [
    ("equipment", _l("Equipment")), ("main_material", _l("Main materials")),
    ("aux_material", _l("Auxiliary materials")), ("subcontract", _l("Subcontracted construction")),
    ("labour", _l("Own labour")), ("travel", _l("Travel")), ("transport", _l("Freight and transport")),
    ("entertainment", _l("Business entertainment")), ("inspection", _l("Testing and supervision fees")),
    ("tax", _l("Taxes and surcharges")), ("contingency", _l("Contingency")), ("other", _l("Other")),
]
CATEGORY_KEYS = tuple(key for key, _label in CATEGORIES)
KINDS = [("committed", _l("Committed")), ("actual", _l("Actual"))]
SOURCES = [("manual", _l("Entered by hand")), ("procurement", _l("Procurement events")), ("form", _l("Engineering form"))]
# A purchase line whose item names one of these is main material (cable, conduit, tray), else equipment.
MAIN_MATERIAL_WORDS = ("线缆", "电缆", "光缆", "网线", "双绞线", "跳线", "尾纤", "桥架", "线管", "线槽", "管材", "PVC",
                       "cable", "conduit")


def category_label(key: str) -> str:
    return str(dict(CATEGORIES).get(key, key))


# ---- the cost baseline (F-E04) ------------------------------------------------------------------
SHEET_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(),
    Field("contract_amount_excl_tax", _l("Contract amount (excl. tax)"), "money", minimum=0, maximum=10**11,
          help=_l("From the contract's pre-sales budget when sales is in use; else type it.")),
    Field("change_amount", _l("Confirmed changes"), "money", readonly=True),
    Field("target_margin_pct", _l("Target margin (%)"), "percent", minimum=-100, maximum=100,
          help=_l("From the pre-sales budget when sales is in use; else type it.")),
    Field("budget_total", _l("Total budget"), "money", readonly=True),
    Field("budget_source", _l("Budget taken from"), "choice", readonly=True,
          choices=[("presales", _l("The pre-sales budget")), ("manual", _l("Entered by the engineer"))]),
    Field("note", _l("Notes"), "textarea"),
]

BUDGET_FIELDS = [
    Field("category", _l("Cost category"), "choice", choices=CATEGORIES, required=True),
    Field("budget", _l("Budget"), "money", required=True, minimum=0, maximum=10**11, total=True),
    Field("note", _l("Note"), max_length=200),
]


class CostSheet(Document, declared_columns([f for f in SHEET_FIELDS if f.name != "title"]), db.Model):
    """工程项目费用控制表 (F-E04): the cost baseline."""
    __tablename__ = "eng_cost_sheet"
    # R-E-021: the alerts raised on this baseline (one notification each time the costs cross).
    overrun_alerted: Mapped[bool] = mapped_column(Boolean, default=False)
    margin_alerted: Mapped[bool] = mapped_column(Boolean, default=False)
    alert_round: Mapped[int] = mapped_column(Integer, default=0)

    lines = relationship(lambda: CostBudgetLine, cascade="all, delete-orphan", order_by=lambda: CostBudgetLine.id,
                         lazy="selectin")


class CostBudgetLine(declared_columns(BUDGET_FIELDS), db.Model):
    __tablename__ = "eng_cost_sheet_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("eng_cost_sheet.id", ondelete="CASCADE"), index=True)


OPEN_SHEET = ("draft", "submitted")


def budget_proposal(project) -> dict | None:
    """The pre-sales budget sales gives for `project` (engineering_cost_budget), or None."""
    return current_app.extensions["erp"].pm.hook.engineering_cost_budget(project=project)


def propose_lines(sheet, proposal: dict) -> None:
    """Budget lines from the pre-sales budget, in the categories' order (unknown ones as 其他)."""
    budgets = {}
    for line in proposal.get("lines") or ():
        key = line.get("category") if line.get("category") in CATEGORY_KEYS else "other"
        budgets[key] = budgets.get(key, ZERO) + Decimal(str(line.get("budget") or 0))
    for key in CATEGORY_KEYS:
        if key in budgets:
            sheet.lines.append(CostBudgetLine(category=key, budget=budgets[key].quantize(CENT)))


def save_sheet(sheet):
    project = db.session.get(EngProject, sheet.project_id) if sheet.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    other = db.session.scalar(select(CostSheet.number).where(
        CostSheet.project_id == project.id, CostSheet.state.in_(OPEN_SHEET),
        *([CostSheet.id != sheet.id] if sheet.id else [])).limit(1))
    if other:
        raise ValidationFailed({"project_id": [_("Cost control sheet %(number)s of this project is still being "
                                                 "prepared.", number=other)]})
    if sheet.id is None and (not sheet.lines or sheet.contract_amount_excl_tax is None
                             or sheet.target_margin_pct is None):
        proposal = budget_proposal(project)
        if proposal:
            sheet.budget_source = "presales"
            if sheet.contract_amount_excl_tax is None:
                sheet.contract_amount_excl_tax = Decimal(str(proposal.get("contract_amount_excl_tax") or 0))
            if sheet.target_margin_pct is None and proposal.get("target_margin_pct") is not None:
                sheet.target_margin_pct = Decimal(str(proposal["target_margin_pct"])).quantize(CENT)
            if not sheet.lines:
                propose_lines(sheet, proposal)
    sheet.budget_source = sheet.budget_source or "manual"
    problems = {}
    if sheet.contract_amount_excl_tax is None:
        problems["contract_amount_excl_tax"] = [_("Give the contract amount excluding tax.")]
    if sheet.target_margin_pct is None:
        problems["target_margin_pct"] = [_("Give the target margin.")]
    if not sheet.lines:
        problems["lines"] = [_("Give the budget of each cost category.")]
    if problems:
        raise ValidationFailed(problems)
    seen = set()
    for line in sheet.lines:
        if line.category in seen:
            raise ValidationFailed({"lines": [_("%(category)s is listed twice: one line per cost category.",
                                                category=category_label(line.category))]})
        seen.add(line.category)
    sheet.change_amount = project.change_amount
    sheet.budget_total = sum((Decimal(line.budget or 0) for line in sheet.lines), ZERO)
    sheet.title = f"{project.number} {project.title}"[:200]


def the_projects_engineer(doc, user) -> bool:
    project = db.session.get(EngProject, doc.project_id) if doc.project_id else None
    return project is not None and user.id in project.engineer_ids()


SHEET_WORKFLOW = lifecycles.application(
    steps=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))])

SHEET = DocType(
    code=SHEET_CODE, model=CostSheet, label=_l("Cost control sheet"), label_plural=_l("Cost control sheets"),
    fields=SHEET_FIELDS, workflow=SHEET_WORKFLOW, number_prefix="FY", print_title="工程项目费用控制表",
    menu_order=40, visibility=on_my_projects(CostSheet), edited_by=the_projects_engineer, before_save=save_sheet,
    lines=Lines("lines", CostBudgetLine, fields=BUDGET_FIELDS, blank_rows=3),
    columns=[Column("contract_amount_excl_tax", _l("Contract amount (excl. tax)"), kind="money"),
             Column("target_margin_pct", _l("Target margin (%)"), kind="number"),
             Column("budget_total", _l("Total budget"), kind="money")],
)


def baseline(project_id: int) -> CostSheet | None:
    """The project's approved cost baseline (the latest approved sheet)."""
    return db.session.scalar(select(CostSheet).where(CostSheet.project_id == project_id, CostSheet.state == "approved")
                             .order_by(CostSheet.id.desc()).limit(1))


@gate("start")
def baseline_approved(project, user) -> list[Issue]:
    """R-E-020 / R-E-031: the works start with an approved cost baseline."""
    if baseline(project.id) is None:
        return [Issue(_("Have the cost baseline (cost control sheet) approved by the engineering manager first "
                        "(R-E-020)."), code="R-E-020")]
    return []


# ---- cost postings ------------------------------------------------------------------------------
POSTING_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE + ("warranty",)),
    Field("category", _l("Cost category"), "choice", choices=CATEGORIES, required=True),
    Field("kind", _l("Committed or actual"), "choice", choices=KINDS, required=True, default="actual"),
    Field("amount", _l("Amount"), "money", required=True, minimum=-10**11, maximum=10**11,
          help=_l("A negative amount corrects an earlier posting.")),
    Field("posted_on", _l("Posted on"), "date", help=_l("Today if left empty.")),
    Field("reference", _l("Reference"), max_length=60,
          help=_l("The order, receipt, invoice, expense claim or form the cost comes from.")),
    Field("source", _l("Posted from"), "choice", choices=SOURCES, readonly=True),
    Field("note", _l("Note"), max_length=200),
]


class CostPosting(Document, declared_columns([f for f in POSTING_FIELDS if f.name != "title"]), db.Model):
    """A cost committed or spent on a project (费用记账)."""
    __tablename__ = "eng_cost_posting"


def save_posting(posting):
    """A posting's defaults; a manual commitment above the GM threshold refused (R-E-021); the
    R-E-021 alert raised if this posting makes the costs cross."""
    project = db.session.get(EngProject, posting.project_id) if posting.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    posting.state = "posted"      # no workflow: a posting is corrected by another, never changed
    posting.source = posting.source or "manual"
    posting.posted_on = posting.posted_on or calendar_today.today()
    posting.title = f"{category_label(posting.category)} {dict(KINDS)[posting.kind]} {posting.amount}"[:200]
    table = cost_table(project, pending=posting if posting.id is None else None)
    if (posting.source == "manual" and posting.kind == "committed" and Decimal(posting.amount or 0) > 0
            and table.overrun_pct is not None and table.overrun_pct > gm_pct()):
        from core.auth import acting_user
        user = acting_user()
        if user is None or not user.can(OVER_BUDGET):
            raise ValidationFailed({"amount": [_(
                "With this commitment the costs exceed the baseline by %(pct)s %%, more than %(limit)s %%: the "
                "general manager approves further commitments (R-E-021).", pct=table.overrun_pct, limit=gm_pct())]})
    raise_alerts(project, table)


POSTING = DocType(
    code=POSTING_CODE, model=CostPosting, label=_l("Cost posting"), label_plural=_l("Cost postings"),
    fields=POSTING_FIELDS, number_prefix="CB", menu_order=41, visibility=on_my_projects(CostPosting),
    before_save=save_posting,
    columns=[Column("category", _l("Cost category"), kind="choice", choices=dict(CATEGORIES)),
             Column("kind", _l("Committed or actual"), kind="choice", choices=dict(KINDS)),
             Column("amount", _l("Amount"), kind="money"), Column("posted_on", _l("Posted on"), kind="date"),
             Column("reference", _l("Reference")),
             Column("source", _l("Posted from"), kind="choice", choices=dict(SOURCES))],
    search=("reference", "note"),
)


def _doctype(code, declared):
    return current_app.extensions["erp"].doctypes.get(code, declared)


def post_cost(project, category: str, kind: str, amount, source: str, reference: str, user, note: str = "",
              posted_on: date | None = None) -> CostPosting:
    """Post a cost on `project` (its cost table and R-E-021 alerts follow): ``category`` one of
    ``CATEGORY_KEYS``, ``kind`` "committed" or "actual", ``source`` "manual", "procurement" or
    "form", ``user`` who posts it (None: the project's owner). Not committed."""
    from core.documents import service
    doctype = _doctype(POSTING_CODE, POSTING)
    posting = service.new_document(doctype, user or project.owner)
    posting.project_id = project.id
    posting.category = category if category in CATEGORY_KEYS else "other"
    posting.kind, posting.amount = kind, Decimal(str(amount)).quantize(CENT)
    posting.source, posting.reference, posting.note = source, (reference or "")[:60], (note or "")[:200]
    posting.posted_on = posted_on
    save_posting(posting)
    service.assign_number(doctype, posting)
    db.session.add(posting)
    db.session.flush()
    return posting


def add_postings(project, n: int, user, day: date | None = None) -> None:
    """Bench helper: `n` postings spread over the categories, written with one insert. Not committed."""
    from core.documents import numbering
    doctype = _doctype(POSTING_CODE, POSTING)
    numbers = numbering.next_numbers(doctype.code, n, reset=doctype.number_reset, prefix=doctype.number_prefix)
    day = day or calendar_today.today()
    rows = [dict(number=number, title="", state="posted", version=1, owner_id=user.id, created_by_id=user.id,
                 updated_by_id=user.id, project_id=project.id, category=CATEGORY_KEYS[i % len(CATEGORY_KEYS)],
                 kind=KINDS[i % 2][0], amount=Decimal(100 + i % 50), posted_on=day, reference=f"BENCH-{i}",
                 source="manual", note="")
            for i, number in enumerate(numbers)]
    db.session.execute(insert(CostPosting), rows)


# ---- the cost table -----------------------------------------------------------------------------
@dataclass
class CostRow:
    category: str
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO
    note: str = ""

    @property
    def label(self) -> str:
        return category_label(self.category)

    @property
    def eac(self) -> Decimal:
        """Estimate at completion: the budget, or what is committed and spent when more."""
        return max(self.budget, self.committed + self.actual)

    @property
    def variance(self) -> Decimal:
        """Budget − EAC: negative is an overrun."""
        return self.budget - self.eac

    @property
    def variance_pct(self) -> Decimal | None:
        return (self.variance * 100 / self.budget).quantize(CENT) if self.budget else None


@dataclass
class Total(CostRow):
    eac_sum: Decimal = ZERO

    @property
    def eac(self) -> Decimal:
        return self.eac_sum


@dataclass
class CostTable:
    project: EngProject
    sheet: CostSheet | None
    rows: list = field(default_factory=list)
    revenue: Decimal = ZERO          # contract amount excl. tax with the confirmed changes
    target_margin_pct: Decimal | None = None
    total: Total = None

    @property
    def overrun_pct(self) -> Decimal | None:
        """How far committed + actual exceed the baseline (%), None without a baseline budget."""
        if self.sheet is None or not self.total.budget:
            return None
        spent = self.total.committed + self.total.actual
        return ((spent - self.total.budget) * 100 / self.total.budget).quantize(CENT)

    @property
    def forecast_margin(self) -> Decimal | None:
        return self.revenue - self.total.eac if self.sheet is not None else None

    @property
    def forecast_margin_pct(self) -> Decimal | None:
        if self.sheet is None or not self.revenue:
            return None
        return (self.forecast_margin * 100 / self.revenue).quantize(CENT)

    @property
    def overrun(self) -> bool:
        return self.overrun_pct is not None and self.overrun_pct > alert_pct()

    @property
    def low_margin(self) -> bool:
        return self.forecast_margin_pct is not None and self.forecast_margin_pct < min_margin_pct()


def alert_pct() -> Decimal:
    return Decimal(str(settings.get("eng.cost_overrun_alert_pct")))


def gm_pct() -> Decimal:
    return Decimal(str(settings.get("eng.cost_overrun_gm_pct")))


def min_margin_pct() -> Decimal:
    """Sales' minimum profit margin when sales is in use, else engineering's own."""
    try:
        return Decimal(str(settings.get("sales.min_profit_margin_pct")))
    except UnknownSetting:
        return Decimal(str(settings.get("eng.min_margin_pct")))


def change_excl_tax(project, sheet) -> Decimal:
    """The confirmed changes (incl. tax on the project) at the contract's ratio excl. tax."""
    change = Decimal(project.change_amount or 0)
    if not change or not project.contract_amount or sheet.contract_amount_excl_tax is None:
        return change
    return (change * Decimal(sheet.contract_amount_excl_tax) / Decimal(project.contract_amount)).quantize(CENT)


def cost_table(project, pending: CostPosting | None = None) -> CostTable:
    """`project`'s cost table: the approved baseline beside the postings, summed by one grouped
    query (plus `pending`, a posting not yet saved)."""
    sheet = baseline(project.id)
    rows = {key: CostRow(key) for key in CATEGORY_KEYS}
    for line in sheet.lines if sheet is not None else ():
        row = rows.setdefault(line.category, CostRow(line.category))
        row.budget, row.note = Decimal(line.budget or 0), line.note or ""
    sums = db.session.execute(select(CostPosting.category, CostPosting.kind, func.sum(CostPosting.amount))
                              .where(CostPosting.project_id == project.id)
                              .group_by(CostPosting.category, CostPosting.kind)).all()
    if pending is not None and pending.amount is not None:
        sums.append((pending.category, pending.kind, pending.amount))
    for category, kind, amount in sums:
        row = rows.setdefault(category, CostRow(category))
        setattr(row, kind, getattr(row, kind) + Decimal(amount or 0))
    # The total's EAC sums the categories': an overrun in one is not offset by what another leaves unspent.
    total = Total("total", budget=sum((r.budget for r in rows.values()), ZERO),
                  committed=sum((r.committed for r in rows.values()), ZERO),
                  actual=sum((r.actual for r in rows.values()), ZERO), eac_sum=sum((r.eac for r in rows.values()), ZERO))
    revenue = ZERO
    if sheet is not None:
        revenue = Decimal(sheet.contract_amount_excl_tax or 0) + change_excl_tax(project, sheet)
    return CostTable(project, sheet, [r for r in rows.values() if r.budget or r.committed or r.actual],
                     revenue, sheet.target_margin_pct if sheet is not None else None, total)


def raise_alerts(project, table: CostTable) -> None:
    """R-E-021: the engineers and the 工程部经理 told once each time the costs cross the alert
    threshold or the forecast margin falls below the minimum (the flags reset when back)."""
    sheet = table.sheet
    if sheet is None:
        return
    crossed = []
    if table.overrun and not sheet.overrun_alerted:
        crossed.append(_("Project %(number)s: costs exceed the baseline by %(pct)s %% (R-E-021)",
                         number=project.number, pct=table.overrun_pct))
    if table.low_margin and not sheet.margin_alerted:
        crossed.append(_("Project %(number)s: forecast margin %(pct)s %% below the minimum %(minimum)s %% (R-E-021)",
                         number=project.number, pct=table.forecast_margin_pct, minimum=min_margin_pct()))
    sheet.overrun_alerted, sheet.margin_alerted = table.overrun, table.low_margin
    if not crossed:
        return
    sheet.alert_round = (sheet.alert_round or 0) + 1
    from core.auth.models import users_with_roles
    from core.reminders import notify
    people = set(project.engineer_ids()) | {u.id for u in users_with_roles("ROLE-ENG-MGR")}
    for uid in people:
        notify(uid, f"{SHEET_CODE}:{sheet.id}:alert:{sheet.alert_round}", "; ".join(crossed), project.title,
               f"/engineering/project/{project.id}/costs")


# ---- monthly snapshot (L3) ----------------------------------------------------------------------
SNAPSHOT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(),
    Field("snapshot_date", _l("Snapshot date"), "date", required=True),
    Field("revenue", _l("Contract amount excl. tax, with changes"), "money", readonly=True),
    Field("budget_total", _l("Total budget"), "money", readonly=True),
    Field("committed_total", _l("Committed"), "money", readonly=True),
    Field("actual_total", _l("Actual"), "money", readonly=True),
    Field("eac_total", _l("Estimate at completion"), "money", readonly=True),
    Field("forecast_margin", _l("Forecast margin"), "money", readonly=True),
    Field("forecast_margin_pct", _l("Forecast margin (%)"), "percent", readonly=True),
    Field("summary", _l("Analysis and measures"), "textarea"),
]

SNAPSHOT_LINE_FIELDS = [
    Field("category", _l("Cost category"), "choice", choices=CATEGORIES, readonly=True),
    Field("budget", _l("Budget"), "money", readonly=True, total=True),
    Field("committed", _l("Committed"), "money", readonly=True, total=True),
    Field("actual", _l("Actual"), "money", readonly=True, total=True),
    Field("eac", _l("Estimate at completion"), "money", readonly=True, total=True),
    Field("variance", _l("Variance"), "money", readonly=True, total=True),
    Field("variance_pct", _l("Variance (%)"), "percent", readonly=True),
]


class CostSnapshot(Document, declared_columns([f for f in SNAPSHOT_FIELDS if f.name != "title"]), db.Model):
    """费用控制表月度快照: the cost table frozen at a month's end."""
    __tablename__ = "eng_cost_snapshot"
    lines = relationship(lambda: CostSnapshotLine, cascade="all, delete-orphan", order_by=lambda: CostSnapshotLine.id,
                         lazy="selectin")


class CostSnapshotLine(declared_columns(SNAPSHOT_LINE_FIELDS), db.Model):
    __tablename__ = "eng_cost_snapshot_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("eng_cost_snapshot.id", ondelete="CASCADE"), index=True)


def freeze(snapshot, table: CostTable) -> None:
    """The table's figures copied onto the snapshot."""
    snapshot.lines[:] = [CostSnapshotLine(category=r.category, budget=r.budget, committed=r.committed, actual=r.actual,
                                          eac=r.eac, variance=r.variance, variance_pct=r.variance_pct)
                         for r in table.rows]
    total = table.total
    snapshot.revenue, snapshot.budget_total = table.revenue, total.budget
    snapshot.committed_total, snapshot.actual_total, snapshot.eac_total = total.committed, total.actual, total.eac
    snapshot.forecast_margin, snapshot.forecast_margin_pct = table.forecast_margin, table.forecast_margin_pct


def save_snapshot(snapshot):
    """In draft the snapshot follows the cost table; submitted, it stays as it was."""
    project = db.session.get(EngProject, snapshot.project_id) if snapshot.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    day = snapshot.snapshot_date
    first = day.replace(day=1)
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    clash = db.session.scalar(select(CostSnapshot.number).where(
        CostSnapshot.project_id == project.id, CostSnapshot.snapshot_date >= first,
        CostSnapshot.snapshot_date < following, *([CostSnapshot.id != snapshot.id] if snapshot.id else [])).limit(1))
    if clash:
        raise ValidationFailed({"snapshot_date": [_("This month's snapshot is %(number)s already.", number=clash)]})
    table = cost_table(project)
    if table.sheet is None:
        raise ValidationFailed({"project_id": [_("The project has no approved cost baseline to report on (R-E-020).")]})
    if snapshot.state == "draft":
        freeze(snapshot, table)
    snapshot.title = f"{project.number} {day.strftime('%Y-%m')}"


SNAPSHOT = DocType(
    code=SNAPSHOT_CODE, model=CostSnapshot, label=_l("Monthly cost snapshot"),
    label_plural=_l("Monthly cost snapshots"), fields=SNAPSHOT_FIELDS,
    workflow=lifecycles.report(readers=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))]),
    number_prefix="FYK", print_title="工程项目费用控制表(月度快照)", menu_order=42,
    visibility=on_my_projects(CostSnapshot), edited_by=the_projects_engineer, before_save=save_snapshot,
    lines=Lines("lines", CostSnapshotLine, fields=SNAPSHOT_LINE_FIELDS, blank_rows=0),
    columns=[Column("snapshot_date", _l("Snapshot date"), kind="date"),
             Column("actual_total", _l("Actual"), kind="money"),
             Column("forecast_margin_pct", _l("Forecast margin (%)"), kind="number")],
)


@hookimpl
def erp_reminders(now):
    """The engineer of a project under way with an approved baseline makes the month's snapshot by
    the month's end (18:00 on its last working day)."""
    from core.documents.derived import local
    from core.reminders import Reminder, month_end
    today = local(now).date()
    first = today.replace(day=1)
    done = select(CostSnapshot.project_id).where(CostSnapshot.snapshot_date >= first)
    rows = db.session.execute(select(EngProject.id, EngProject.number, EngProject.engineer_id).where(
        EngProject.state.in_(STARTED), EngProject.engineer_id.is_not(None), EngProject.id.not_in(done),
        EngProject.id.in_(select(CostSheet.project_id).where(CostSheet.state == "approved")))).all()
    due = month_end(today)
    return [Reminder(f"{SNAPSHOT_CODE}:{r.id}:{first.isoformat()}", r.engineer_id,
                     _("Monthly cost snapshot of %(number)s", number=r.number), due,
                     url=f"/engineering/project/{r.id}/costs") for r in rows]


# ---- I-04: procurement's orders and receipts ----------------------------------------------------
def project_named(reference: str, known: dict) -> EngProject | None:
    """The project a purchase line's free-text reference names (its number or its contract's, first
    word: "GC-2026-0003 南山数据中心"); `known` caches the answers of one event."""
    word = (reference or "").strip().split(" ")[0].strip()
    if not word:
        return None
    if word not in known:
        known[word] = db.session.scalar(select(EngProject).where(
            or_(EngProject.number == word, EngProject.contract_ref == word)).order_by(EngProject.id.desc()).limit(1))
    return known[word]


def purchase_category(item: str) -> str:
    text = (item or "").lower()
    return "main_material" if any(word.lower() in text for word in MAIN_MATERIAL_WORDS) else "equipment"


def _acting():
    from core.auth import acting_user
    return acting_user()


@hookimpl(optionalhook=True)
def procurement_order_approved(order):
    """I-04: an approved order commits its project lines' amounts."""
    known, user = {}, _acting()
    for line in order.lines:
        project = project_named(line.project_ref, known)
        if project is not None and line.amount:
            post_cost(project, purchase_category(line.item), "committed", line.amount, "procurement", order.number,
                      user, note=f"{order.supplier.title if order.supplier else ''} {line.item}")


@hookimpl(optionalhook=True)
def procurement_goods_received(receipt):
    """I-04: what a receipt accepted is spent: its amount leaves the committed cost for the actual."""
    known, user = {}, _acting()
    for line in receipt.accepted_lines():
        project = project_named(line["project_ref"], known)
        if project is None or not line["amount"]:
            continue
        category, note = purchase_category(line["item"]), f"{receipt.order.number} {line['item']}"
        post_cost(project, category, "committed", -line["amount"], "procurement", receipt.number, user, note=note)
        post_cost(project, category, "actual", line["amount"], "procurement", receipt.number, user, note=note)


# ---- I-03: the project's purchase request -------------------------------------------------------
def request_purchase(project, user) -> str | None:
    """Send the scope supplied by us to procurement (engineering_request_purchase): the purchase
    request's number, None when procurement does not take it (bought outside the system).
    Raises ValueError when nothing in the scope is ours to supply."""
    today = calendar_today.today()
    lines = [{"item": line.item, "brand_model": line.brand_model or "", "qty": line.qty, "unit": line.unit or "",
              "required_date": project.planned_start if project.planned_start and project.planned_start > today
              else None}
             for line in project.scope if line.supply_by == "ours" and line.qty]
    if not lines:
        raise ValueError(_("The project's scope lists nothing supplied by us."))
    return current_app.extensions["erp"].pm.hook.engineering_request_purchase(project=project, lines=lines,
                                                                                requester=user)


@bp.post("/project/<id:doc_id>/request-purchase")
@permission_required("engineering.project.edit")
def request_purchase_view(doc_id):
    from core.documents import service
    from .projects import doctype as project_doctype, the_engineer
    project = service.get_visible(project_doctype(), current_user, doc_id)
    if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(400)
    back = redirect(url_for("engineering.project_detail", doc_id=project.id))
    refusal = the_engineer(project, current_user)
    if refusal:
        flash(refusal[0].message, "warning")
        return back
    try:
        number = request_purchase(project, current_user)
    except ValueError as exc:
        flash(str(exc), "warning")
        return back
    db.session.commit()
    if number:
        flash(_("Purchase request %(number)s sent to procurement.", number=number), "success")
    else:
        flash(_("Procurement is not in use: buy outside the system and post the costs on the project's cost "
                "table."), "info")
    return back


# ---- the cost table page ------------------------------------------------------------------------
@bp.route("/project/<id:doc_id>/costs")
@permission_required(f"{SHEET_CODE}.read")
def cost_table_view(doc_id):
    from core.documents import service
    from .projects import doctype as project_doctype
    project = service.get_visible(project_doctype(), current_user, doc_id)
    table = cost_table(project)
    postings = db.session.scalars(select(CostPosting).where(CostPosting.project_id == project.id)
                                  .order_by(CostPosting.id.desc()).limit(20)).all()
    sheets = db.session.scalars(select(CostSheet).where(CostSheet.project_id == project.id)
                                .order_by(CostSheet.id.desc())).all()
    return render_template("engineering/costs.html", project=project, table=table, postings=postings, sheets=sheets,
                           kinds=dict(KINDS), sources=dict(SOURCES), categories=dict(CATEGORIES), alert_pct=alert_pct(),
                           min_margin=min_margin_pct(), sheet_workflow=SHEET_WORKFLOW,
                           labels={f.name: f.label for f in SHEET_FIELDS + SNAPSHOT_FIELDS + SNAPSHOT_LINE_FIELDS})


PROJECT.add_action(Action(_l("Cost table"), "engineering.cost_table_view", permission=f"{SHEET_CODE}.read"))
PROJECT.add_action(Action(_l("Request purchase"), "engineering.request_purchase_view",
                          permission="engineering.project.edit", states=ACTIVE, method="post"))
PROJECT.relate(Related(_l("Cost control sheets"), SHEET_CODE, "project_id"))
PROJECT.relate(Related(_l("Monthly cost snapshots"), SNAPSHOT_CODE, "project_id"))


@bp.route("/cost_sheet/<id:doc_id>/table")
@permission_required(f"{SHEET_CODE}.read")
def sheet_cost_table_view(doc_id):
    from core.documents import service
    sheet = service.get_visible(_doctype(SHEET_CODE, SHEET), current_user, doc_id)
    return redirect(url_for("engineering.cost_table_view", doc_id=sheet.project_id))


SHEET.add_action(Action(_l("Cost table"), "engineering.sheet_cost_table_view", permission=f"{SHEET_CODE}.read"))


@hookimpl
def erp_transition_done(document, transition, user):
    """A newer baseline approved archives the older one; the costs already posted are measured
    against it at once (R-E-021)."""
    if isinstance(document, CostSheet) and transition.name == "approve" and document.state == "approved":
        older = db.session.scalars(select(CostSheet).where(
            CostSheet.project_id == document.project_id, CostSheet.state == "approved", CostSheet.id != document.id))
        for sheet in older:
            engine.carry(sheet, "archive", user, _("Replaced by %(number)s", number=document.number))
        db.session.flush()
        project = db.session.get(EngProject, document.project_id)
        raise_alerts(project, cost_table(project))


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> None:
    """On the projects past their start application: an approved baseline, postings (spent at
    different paces: one above its baseline) and a monthly snapshot. ``users``: {username: User}
    (``pe`` and ``eng_mgr`` used when present)."""
    from flask import g

    from core.auth.models import User
    from core.documents import service
    from .projects import STARTED
    projects = db.session.scalars(select(EngProject).where(
        EngProject.engineer_id.is_not(None), EngProject.state.in_(("start_applied", *STARTED, "warranty")))
        .order_by(EngProject.id)).all()
    paces = ("1", "0.7", "1.6", "0.9", "1.2", "0.5", "1", "0.8")
    manager = users.get("eng_mgr")
    budgets = {"equipment": "0.45", "main_material": "0.15", "aux_material": "0.04", "subcontract": "0.12",
               "labour": "0.05", "travel": "0.02", "transport": "0.01", "inspection": "0.01", "tax": "0.01",
               "contingency": "0.02"}
    spent = [("equipment", "committed", "0.30", "CG-2026-0012", "核心交换机、接入交换机订货"),
             ("equipment", "actual", "0.12", "DH-2026-0008", "机柜到货验收"),
             ("main_material", "actual", "0.08", "DH-2026-0009", "六类非屏蔽双绞线 80 箱"),
             ("subcontract", "committed", "0.10", "WB-2026-0003", "综合布线劳务分包"),
             ("travel", "actual", "0.006", "BX-2026-0115", "项目工程师驻场差旅"),
             ("transport", "actual", "0.004", "YF-2026-0021", "设备运输至现场")]
    for index, project in enumerate(projects):
        pace = Decimal(paces[index % len(paces)])
        engineer = db.session.get(User, project.engineer_id)
        g.audit_user = engineer
        if baseline(project.id) is not None:
            continue
        revenue = (Decimal(project.contract_amount or 0) / Decimal("1.09")).quantize(CENT)
        sheet = service.new_document(SHEET, engineer)
        sheet.project_id, sheet.contract_amount_excl_tax, sheet.target_margin_pct = project.id, revenue, Decimal(12)
        sheet.note = "按售前预算编制，设备按询价结果控制"
        for key, share in budgets.items():
            sheet.lines.append(CostBudgetLine(category=key, budget=(revenue * Decimal(share)).quantize(CENT)))
        save_sheet(sheet)
        service.assign_number(SHEET, sheet)
        db.session.add(sheet)
        db.session.commit()
        engine.perform(SHEET, sheet, "submit", engineer, "请审核费用控制基线")
        if manager is not None:
            g.audit_user = manager
            engine.perform(SHEET, sheet, "approve", manager, "同意，注意控制设备采购成本")
        for category, kind, share, reference, note in spent:
            post_cost(project, category, kind, (revenue * Decimal(share) * pace).quantize(CENT), "manual", reference,
                      engineer, note=note)
        db.session.commit()
        if baseline(project.id) is not None:
            g.audit_user = engineer
            snapshot = service.new_document(SNAPSHOT, engineer)
            snapshot.project_id, snapshot.snapshot_date = project.id, calendar_today.today()
            snapshot.summary = "设备已大部分订货，差旅费略超预算，整体在控制范围内。"
            save_snapshot(snapshot)
            service.assign_number(SNAPSHOT, snapshot)
            db.session.add(snapshot)
            db.session.commit()
            engine.perform(SNAPSHOT, snapshot, "submit", engineer, "")
    g.audit_user = None


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [CostSheet, CostBudgetLine, CostPosting, CostSnapshot, CostSnapshotLine]


@hookimpl
def erp_document_types():
    return [SHEET, POSTING, SNAPSHOT]


@hookimpl
def erp_permissions():
    return [Permission(OVER_BUDGET, _l("Cost postings: commit above the overrun limit (R-E-021)"))]


@hookimpl
def erp_roles():
    def grants(code, *actions):
        return [f"{code}.{a}" for a in actions]
    read = ("read", "export")
    directors = ("read", "read_all", "export")
    engineer = (grants(SHEET_CODE, *read, "create", "edit", "submit") + grants(POSTING_CODE, *read, "create")
                + grants(SNAPSHOT_CODE, *read, "create", "edit", "submit"))
    manager = engineer + grants(SHEET_CODE, "read_all", "archive") + grants(POSTING_CODE, "read_all") + grants(
        SNAPSHOT_CODE, "read_all", "archive", "forward")
    follow = grants(SHEET_CODE, *directors) + grants(POSTING_CODE, *directors) + grants(SNAPSHOT_CODE, *directors)
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-GM", permissions=follow + grants(POSTING_CODE, "create") + [OVER_BUDGET]),
            RoleTemplate("ROLE-MKT-DIR", permissions=follow)]


@hookimpl
def erp_settings():
    return [
        Setting("eng.cost_overrun_alert_pct", "decimal", "5", _l("Cost overrun alert from (% above the baseline)"),
                _l("R-E-021: the project engineer and the engineering manager are told when committed and actual "
                   "costs exceed the approved baseline by more than this."), min="0", max="100"),
        Setting("eng.cost_overrun_gm_pct", "decimal", "10",
                _l("Further commitments need the general manager from (% above the baseline)"),
                _l("R-E-021: a commitment taking the costs further above the baseline than this is posted by the "
                   "general manager."), min="0", max="1000"),
        Setting("eng.min_margin_pct", "decimal", "5", _l("Minimum forecast margin of a project (%)"),
                _l("R-E-021: below it the forecast margin is alerted (sales' minimum profit margin is used "
                   "instead when sales is in use)."), min="-100", max="100"),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-020", "费用控制基线", "A cost baseline derived from the approved pre-sales budget is approved by the "
             "engineering manager before the start.", "block"),
        Rule("R-E-021", "成本超支预警", "Alert when actual and committed costs exceed the baseline by the alert "
             "percentage or the forecast margin drops below the minimum; above the general manager's percentage "
             "further commitments need the general manager.", "warn",
             params=("eng.cost_overrun_alert_pct", "eng.cost_overrun_gm_pct", "eng.min_margin_pct")),
    ]
