"""Subcontract award (外包工程发包, WF-E06; R-E-090..R-E-095, R-E-099, R-E-080): the work package
and its comparison sheet (发包申请/比价表, X-E06), the subcontract (施工协议, X-E07) and the safety
briefing (安全技术交底记录, X-E12) before the team enters the site.

- Work package (``engineering.work_package``): the project engineer describes the package (scope,
  bill of quantities, work type, schedule window, package amount) of a project; the labour budget
  left on the project's approved cost baseline (F-E04, category "subcontract", less the awards of
  its other packages) is shown. A work type outside ``eng.outsourceable_work_types`` is warned
  (R-E-090). The invited teams are its lines, each with its quotation (amount, schedule days,
  note) and its grades of the last three months. Invite (draft → inquiry): every team is checked
  through ``engineering_subcontract_check(package, team)`` (the module's own implementation:
  R-E-091, the qualified register and ``eng.min_team_grade``; partners add theirs), refused naming
  the team and the reason. Compare (inquiry → evaluation): at least ``eng.min_team_quotes``
  quotations when the package amount is at or above ``eng.competitive_award_threshold``; below it a
  direct award with a written reason (R-E-092). Submit the award: the chosen team is checked again,
  a reason is needed when it is not the cheapest quotation; the 工程部经理 approves, and the 总经理
  too when the award is at or above ``eng.award_gm_threshold`` or above the labour budget left
  (R-E-093). Signing its subcontract makes the package "contracted".
- Subcontract (``engineering.subcontract``): made from an approved package (team, price, scope
  filled in); R-E-095's contents are required to sign (named when missing, code R-E-095). The
  工程部经理 signs it (the team leader's signature recorded from the paper); it prints as the
  contract. Entering the site (contracted → in progress) needs a confirmed safety briefing with
  the team leader's acknowledgement of the team code (R-E-080) and the team still clear to work
  (R-E-099, insurance).
- Safety briefing (``engineering.safety_briefing``): per subcontract, date, topics, attendees
  (worker, certificate no.), the leader's acknowledgement; confirmed by the engineer.

Tests: tests/modules/engineering/test_subcontracts*.py.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.parties import Party
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .projects import ACTIVE, PROJECT, EngProject, of_project, on_my_projects
from .views import bp

PACKAGE_CODE = "engineering.work_package"
SUBCONTRACT_CODE = "engineering.subcontract"
BRIEFING_CODE = "engineering.safety_briefing"
MATERIAL_CODE = "engineering.material_note"
TEAM_ROLE = "construction_team"
CENT = Decimal("0.01")
ZERO = Decimal(0)

WORK_TYPES = [("cable_laying", _l("Cable laying")), ("conduit", _l("Conduits")), ("trunking", _l("Cable trays and trunking")),
              ("outlets", _l("Installation of outlets")), ("cabinets", _l("Installation of cabinets")),
              ("civil", _l("Civil works")), ("equipment_config", _l("Core equipment configuration")),
              ("testing", _l("Testing and sign-off")), ("design", _l("Solution design"))]
OUTSOURCEABLE = ["cable_laying", "conduit", "trunking", "outlets", "cabinets", "civil"]


def money(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def setting_decimal(key: str) -> Decimal:
    return Decimal(str(settings.get(key)))


# ---- teams ----------------------------------------------------------------------------------------
def team_options() -> list[tuple[int, str]]:
    """The construction teams (core parties with the role construction_team), by name."""
    from core.parties.models import PartyRole
    rows = db.session.execute(select(Party.id, Party.name).join(PartyRole, PartyRole.party_id == Party.id)
                              .where(PartyRole.role == TEAM_ROLE).order_by(Party.name)).all()
    return [(row.id, row.name) for row in rows]


def team_name(party_id) -> str:
    return db.session.scalar(select(Party.name).where(Party.id == party_id)) or "" if party_id else ""


def register_entry(party_id):
    """The team's entry in the qualified construction-team register (X-E11), or None."""
    from .teams import ConstructionTeam
    return db.session.scalar(select(ConstructionTeam).where(ConstructionTeam.party_id == party_id)) \
        if party_id else None


def register_issues(party, on=None, min_grade=None) -> list[Issue]:
    """Why the team may not be invited, awarded or enter the site (R-E-091, R-E-099, R-E-080): the
    register's ``team_issues`` of its entry; a party without one is not registered."""
    from .teams import team_issues
    if party is None or not party.active:
        return [Issue(_("It is not a registered construction team (R-E-091)."), code="R-E-091")]
    entry = register_entry(party.id)
    if entry is None:
        return [Issue(_("It is not in the qualified construction-team register (R-E-091)."), code="R-E-091")]
    return list(team_issues(entry, on=on, min_grade=min_grade))


def grades_text(party_ids) -> dict[int, str]:
    """party id -> its approved monthly grades of the last three months, newest first
    ("2026-11 A, 2026-10 B"), from the register (R-E-098)."""
    from .teams import ConstructionTeam, grades_of
    ids = [i for i in party_ids if i]
    if not ids:
        return {}
    entries = dict(db.session.execute(select(ConstructionTeam.id, ConstructionTeam.party_id).where(
        ConstructionTeam.party_id.in_(ids))).all())
    grades = grades_of(list(entries), months=3)
    return {entries[team_id]: ", ".join(f"{month} {grade}" for month, grade, _total in rows)[:40]
            for team_id, rows in grades.items()}


def subcontract_check(package, team) -> list[Issue]:
    """Everyone's objections to `team` (a core Party) for `package` (engineering_subcontract_check)."""
    pm = current_app.extensions["erp"].pm
    return [i for result in pm.hook.engineering_subcontract_check(package=package, team=team) for i in (result or [])]


def named(team, issues: list[Issue], field: str) -> list[Issue]:
    """The issues on `field`, with the team's name in front where they do not name it."""
    name = team.name if team else "?"
    return [Issue(i.message if name in i.message else _("%(team)s: %(reason)s", team=name, reason=i.message),
                  field=field, blocking=i.blocking, code=i.code) for i in issues]


# ---- 发包申请/比价表 X-E06 -------------------------------------------------------------------------
QUOTE_FIELDS = [
    Field("team", _l("Construction team"), "reference", options=team_options, required=True),
    Field("team_title", _l("Construction team"), readonly=True, max_length=200),
    Field("quoted_amount", _l("Quoted amount"), "money", minimum=0, maximum=10**10, total=True),
    Field("schedule_days", _l("Schedule (days)"), "integer", minimum=0, maximum=3650),
    Field("grades", _l("Grades of the last 3 months"), readonly=True, max_length=40),
    Field("note", _l("Note"), max_length=200),
]

PACKAGE_FIELDS = [
    Field("title", _l("Work package"), required=True, max_length=200),
    of_project(states=ACTIVE),
    Field("work_type", _l("Work type"), "choice", choices=WORK_TYPES, required=True, default="cable_laying",
          help=_l("R-E-090: labour-intensive works may be outsourced; design, core configuration, testing "
                  "sign-off and acceptance stay with company engineers.")),
    Field("scope", _l("Scope of the works"), "textarea", required=True),
    Field("boq", _l("Bill of quantities (item, unit, quantity)"), "textarea", required=True,
          help=_l("One item a line, e.g. “六类线敷设 米 3000”.")),
    Field("start_from", _l("Schedule window from"), "date", required=True),
    Field("finish_by", _l("Schedule window to"), "date", required=True),
    Field("package_amount", _l("Package amount (budget)"), "money", required=True, minimum=0, maximum=10**10),
    Field("labour_budget", _l("Subcontract budget left (F-E04)"), "money", readonly=True,
          help=_l("The approved cost baseline's subcontract budget less the project's other awards.")),
    Field("work_type_warning", _l("Work type check"), readonly=True, max_length=200, listed=False),
    Field("recommended_team", _l("Recommended team"), "reference", options=team_options,
          editable_in=("draft", "inquiry", "evaluation")),
    Field("award_amount", _l("Award amount"), "money", readonly=True),
    Field("direct_award_reason", _l("Reason for a direct award"), "textarea",
          help=_l("R-E-092: below the competitive award threshold, the engineering manager may award directly "
                  "with a reason.")),
    Field("award_reason", _l("Reason when not the lowest quotation"), "textarea"),
    Field("needs_gm", _l("General manager's approval needed"), "bool", readonly=True),
]


class WorkPackage(Document, declared_columns([f for f in PACKAGE_FIELDS if f.name not in ("title", "project")]),
                  db.Model):
    """外包发包申请及比价表 (X-E06)."""
    __tablename__ = "eng_work_package"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    quotes = relationship(lambda: PackageQuote, cascade="all, delete-orphan", order_by=lambda: PackageQuote.id,
                          lazy="selectin")


class PackageQuote(declared_columns(QUOTE_FIELDS), db.Model):
    __tablename__ = "eng_work_package_quote"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("eng_work_package.id", ondelete="CASCADE"), index=True)


AWARDED = ("approved", "contracted", "closed")


def labour_budget_left(project_id: int, package_id=None) -> Decimal | None:
    """The subcontract budget of the project's approved cost baseline less the award amounts of
    its other packages approved or contracted; None without an approved baseline."""
    from .costs import CostBudgetLine, baseline
    sheet = baseline(project_id)
    if sheet is None:
        return None
    budget = Decimal(db.session.scalar(select(func.coalesce(func.sum(CostBudgetLine.budget), 0)).where(
        CostBudgetLine.sheet_id == sheet.id, CostBudgetLine.category == "subcontract")) or 0)
    others = select(func.coalesce(func.sum(WorkPackage.award_amount), 0)).where(
        WorkPackage.project_id == project_id, WorkPackage.state.in_(AWARDED))
    if package_id is not None:
        others = others.where(WorkPackage.id != package_id)
    return budget - Decimal(db.session.scalar(others) or 0)


def chosen_quote(package):
    return next((q for q in package.quotes if q.team_id == package.recommended_team_id), None)


def quoted(package) -> list:
    return [q for q in package.quotes if q.quoted_amount is not None]


def award_needs_gm(package) -> bool:
    """R-E-093: the 总经理 approves an award at or above the threshold, or above the labour budget left."""
    amount = Decimal(package.award_amount or 0)
    if amount >= setting_decimal("eng.award_gm_threshold"):
        return True
    return package.labour_budget is not None and amount > Decimal(package.labour_budget)


def save_package(package):
    project = db.session.get(EngProject, package.project_id) if package.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    package.project = project
    if package.start_from and package.finish_by and package.finish_by < package.start_from:
        raise ValidationFailed({"finish_by": [_("The schedule window ends after it starts.")]})
    teams = [q.team_id for q in package.quotes]
    twice = sorted({team_name(t) for t in teams if teams.count(t) > 1})
    if twice:
        raise ValidationFailed({"quotes": [_("%(teams)s: a team is invited once.", teams="、".join(twice))]})
    grades = grades_text(set(teams))
    names = dict(db.session.execute(select(Party.id, Party.name).where(Party.id.in_(set(teams)))).all()) if teams else {}
    for quote in package.quotes:
        quote.grades = grades.get(quote.team_id, "")
        quote.team_title = names.get(quote.team_id, "")
    if package.recommended_team_id and package.recommended_team_id not in teams:
        raise ValidationFailed({"recommended_team_id": [_("Recommend one of the invited teams.")]})
    quote = chosen_quote(package)
    package.award_amount = quote.quoted_amount if quote is not None else None
    if package.state in ("draft", "inquiry", "evaluation"):
        package.labour_budget = labour_budget_left(project.id, package.id)
    package.needs_gm = award_needs_gm(package)
    outsourceable = settings.get("eng.outsourceable_work_types") or []
    package.work_type_warning = "" if package.work_type in outsourceable else _(
        "This work type stays with company engineers (R-E-090).")


def work_type_outsourceable(package, user) -> list[Issue]:
    """R-E-090 (WARN): a work type outside the outsourceable list is warned, not refused."""
    if package.work_type in (settings.get("eng.outsourceable_work_types") or []):
        return []
    return [Issue(_("This work type stays with company engineers (R-E-090): check the package before inviting."),
                  field="work_type", blocking=False, code="R-E-090")]


def teams_may_be_invited(package, user) -> list[Issue]:
    """R-E-091 and the partners' rules: every invited team is checked through the hook."""
    if not package.quotes:
        return [Issue(_("Invite at least one construction team."), field="quotes", code="R-E-091")]
    issues = []
    for quote in package.quotes:
        team = db.session.get(Party, quote.team_id)
        issues += named(team, subcontract_check(package, team), "quotes")
    return issues


def competitive(package) -> bool:
    return Decimal(package.package_amount or 0) >= setting_decimal("eng.competitive_award_threshold")


def enough_quotations(package, user) -> list[Issue]:
    """R-E-092: at or above the threshold, at least ``eng.min_team_quotes`` quotations; below it a
    direct award with a written reason."""
    count, least = len(quoted(package)), int(settings.get("eng.min_team_quotes"))
    if competitive(package) and count < least:
        return [Issue(_("A package of ¥%(amount)s (at least ¥%(threshold)s) needs %(least)s quotations; it has "
                        "%(count)s (R-E-092).", amount=money(package.package_amount),
                        threshold=money(settings.get("eng.competitive_award_threshold")), least=least, count=count),
                      field="quotes", code="R-E-092")]
    if not count:
        return [Issue(_("Record the quotation of the team (R-E-092)."), field="quotes", code="R-E-092")]
    if not competitive(package) and count < least and not (package.direct_award_reason or "").strip():
        return [Issue(_("A direct award below ¥%(threshold)s gives its reason (R-E-092).",
                        threshold=money(settings.get("eng.competitive_award_threshold"))),
                      field="direct_award_reason", code="R-E-092")]
    return []


def award_justified(package, user) -> list[Issue]:
    """The award names a quoted team, checked again; a reason when it is not the lowest (WF-E06)."""
    quote = chosen_quote(package)
    if quote is None or quote.quoted_amount is None:
        return [Issue(_("Recommend one of the teams that quoted."), field="recommended_team_id", code="R-E-092")]
    issues = enough_quotations(package, user)
    lowest = min(Decimal(q.quoted_amount) for q in quoted(package))
    if Decimal(quote.quoted_amount) > lowest and not (package.award_reason or "").strip():
        issues.append(Issue(_("The recommended team is not the lowest quotation (¥%(lowest)s): give the reason.",
                              lowest=money(lowest)), field="award_reason", code="R-E-093"))
    team = db.session.get(Party, quote.team_id)
    return issues + named(team, subcontract_check(package, team), "recommended_team_id")


def award_approved(package) -> None:
    package.labour_budget = labour_budget_left(package.project_id, package.id)
    package.needs_gm = award_needs_gm(package)


PACKAGE_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "inquiry": _l("Inquiry"), "evaluation": _l("Evaluation"),
            "submitted": _l("Award submitted"), "approved": _l("Award approved"), "contracted": _l("Contracted"),
            "closed": _l("Closed"), "cancelled": _l("Cancelled")},
    initial="draft", editable_states=("draft", "inquiry", "evaluation"),
    transitions=[
        Transition("invite", _l("Invite quotations"), ["draft"], "inquiry",
                   conditions=[work_type_outsourceable, teams_may_be_invited]),
        Transition("evaluate", _l("Compare the quotations"), ["inquiry"], "evaluation",
                   conditions=[enough_quotations]),
        Transition("submit", _l("Submit the award"), ["evaluation"], "submitted", kind="submit",
                   conditions=[award_justified]),
        Transition("approve", _l("Approve the award"), ["submitted"], "approved", kind="approve", style="success",
                   conditions=[award_justified]),
        Transition("reject", _l("Return for revision"), ["submitted"], "evaluation", kind="reject",
                   comment_required=True, style="outline-danger"),
        Transition("contract", _l("Subcontract signed"), ["approved"], "contracted", automatic=True),
        Transition("close", _l("Close"), ["contracted"], "closed", style="outline-secondary"),
        Transition("cancel", _l("Cancel"), ["draft", "inquiry", "evaluation", "approved"], "cancelled",
                   comment_required=True, style="outline-danger"),
    ],
    steps=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR")),
           ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"), when=lambda p: bool(p.needs_gm))],
)

PACKAGE = DocType(
    code=PACKAGE_CODE, model=WorkPackage, label=_l("Work package"), label_plural=_l("Work packages"),
    fields=PACKAGE_FIELDS, workflow=PACKAGE_WORKFLOW, number_prefix="FB", print_title="外包发包申请及比价表",
    menu_order=80, before_save=save_package, visibility=on_my_projects(WorkPackage),
    edited_by=lambda doc, user: doc.project is not None and user.id in doc.project.engineer_ids(),
    lines=Lines("quotes", PackageQuote, fields=QUOTE_FIELDS, blank_rows=3,
                label=_l("Invited teams and their quotations")),
    columns=[Column("package_amount", _l("Package amount (budget)"), kind="money"),
             Column("award_amount", _l("Award amount"), kind="money")],
    search=("scope",),
)


@hookimpl(trylast=True)
def engineering_subcontract_check(package, team):
    """The module's own rule, last: R-E-091, the qualified register and ``eng.min_team_grade``."""
    return register_issues(team, on=calendar_today.today(), min_grade=settings.get("eng.min_team_grade"))


# ---- 外包施工合同 X-E07 ----------------------------------------------------------------------------
PRICING = [("lump_sum", _l("Lump sum")), ("unit_rates", _l("Composite unit rates")),
           ("as_built", _l("Settled as built"))]
MATERIAL_SPLIT = [("all_company", _l("All materials supplied by the company (甲供)")),
                  ("main_company", _l("Main materials by the company, the rest by the team")),
                  ("team", _l("Labour and materials by the team (乙供)"))]
SAFETY_TEXT = "乙方对其施工人员的人身安全负全部责任，须为全部施工人员办理意外伤害保险，遵守甲方及建设单位的安全管理规定。"
PENALTY_TEXT = "按《工程部处罚条例》及《施工队守则》执行，罚款从进度款或结算款中扣除。"
SUB_DONE = ("contracted", "in_progress", "settled", "closed")

SUB_LINE_FIELDS = [
    Field("item", _l("Item"), required=True, max_length=120),
    Field("unit", _l("Unit"), max_length=20),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("unit_price", _l("Price per unit"), "money", required=True, minimum=0, maximum=10**9),
    Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True),
]

SUB_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE),
    Field("package", _l("Work package"), "reference", target=PACKAGE_CODE, required=True, depends_on=("project",),
          where=lambda P, user, doc: (P.project_id == doc.project_id) & (P.state == "approved"),
          refusal=_l("Choose an approved work package of the same project.")),
    Field("team", _l("Construction team"), "reference", options=team_options, readonly=True),
    Field("team_title", _l("Construction team"), readonly=True, max_length=200, listed=False),
    Field("scope", _l("Scope of the works"), "textarea", section=_l("Contents (R-E-095)"),
          help=_l("From the work package when left empty.")),
    Field("price", _l("Contract price"), "money", minimum=0, maximum=10**10,
          section=_l("Contents (R-E-095)")),
    Field("pricing", _l("Pricing"), "choice", choices=PRICING, required=True, default="unit_rates",
          section=_l("Contents (R-E-095)")),
    Field("start_on", _l("Start"), "date", section=_l("Contents (R-E-095)")),
    Field("finish_on", _l("Completion"), "date", section=_l("Contents (R-E-095)")),
    Field("quality_standard", _l("Quality standard"), "textarea", section=_l("Contents (R-E-095)")),
    Field("safety_responsibility", _l("Safety responsibility"), "textarea", default=SAFETY_TEXT,
          section=_l("Contents (R-E-095)"),
          help=_l("The team bears its workers' safety and insurance.")),
    Field("material_split", _l("Material supply"), "choice", choices=MATERIAL_SPLIT,
          section=_l("Contents (R-E-095)")),
    Field("payment_schedule", _l("Payment schedule"), "textarea", section=_l("Contents (R-E-095)")),
    Field("warranty_months", _l("Warranty (months)"), "integer", minimum=0, maximum=120,
          default=lambda: settings.get("eng.team_warranty_months"), section=_l("Contents (R-E-095)")),
    Field("retention_pct", _l("Retention (%)"), "percent", minimum=0, maximum=100,
          default=lambda: Decimal(str(settings.get("eng.team_retention_pct"))), section=_l("Contents (R-E-095)")),
    Field("penalty_clause", _l("Penalties"), "textarea", default=PENALTY_TEXT, section=_l("Contents (R-E-095)")),
    Field("code_ack", _l("The team leader accepts the construction team code (施工队守则)"), "bool",
          section=_l("Contents (R-E-095)")),
    Field("leader_sig", _l("Team leader"), "xsig", section=_l("Signatures")),
    Field("manager_sig", _l("Engineering manager"), "sig", readonly=True, section=_l("Signatures")),
]

# R-E-095: what a subcontract states before it is signed.
MANDATORY = ("scope", "price", "pricing", "start_on", "finish_on", "quality_standard", "safety_responsibility",
             "material_split", "payment_schedule", "warranty_months", "retention_pct", "penalty_clause")


class Subcontract(Document, declared_columns([f for f in SUB_FIELDS if f.name not in ("title", "project")]),
                  db.Model):
    """外包施工合同 / 施工协议 (X-E07)."""
    __tablename__ = "eng_subcontract"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    lines = relationship(lambda: SubcontractLine, cascade="all, delete-orphan", order_by=lambda: SubcontractLine.id,
                         lazy="selectin")


class SubcontractLine(declared_columns(SUB_LINE_FIELDS), db.Model):
    __tablename__ = "eng_subcontract_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subcontract_id: Mapped[int] = mapped_column(ForeignKey("eng_subcontract.id", ondelete="CASCADE"), index=True)


def save_subcontract(sub):
    project = db.session.get(EngProject, sub.project_id) if sub.project_id else None
    package = db.session.get(WorkPackage, sub.package_id) if sub.package_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    if package is None or package.project_id != project.id:
        raise ValidationFailed({"package_id": [_("Choose an approved work package of the same project.")]})
    sub.project = project
    sub.team_id = package.recommended_team_id
    sub.team_title = team_name(sub.team_id)
    if not (sub.scope or "").strip():
        sub.scope = package.scope
    if sub.price is None:
        sub.price = package.award_amount
    for line in sub.lines:
        line.amount = (Decimal(line.qty or 0) * Decimal(line.unit_price or 0)).quantize(CENT, ROUND_HALF_UP)
    if sub.start_on and sub.finish_on and sub.finish_on < sub.start_on:
        raise ValidationFailed({"finish_on": [_("The completion comes after the start.")]})
    sub.title = f"{project.number} {sub.team_title} {package.title}"[:200]


def contents_complete(sub, user) -> list[Issue]:
    """R-E-095: the subcontract states all its contents, the quantities and the team code's acceptance."""
    labels = {f.name: f.label for f in SUB_FIELDS}
    issues = [Issue(_("State the subcontract's %(what)s (R-E-095).", what=labels[name]), field=name, code="R-E-095")
              for name in MANDATORY if getattr(sub, name) in (None, "") or (
                  isinstance(getattr(sub, name), str) and not getattr(sub, name).strip())]
    if not sub.lines:
        issues.append(Issue(_("List the quantities and unit prices (R-E-095)."), field="lines", code="R-E-095"))
    if not sub.code_ack:
        issues.append(Issue(_("The team leader accepts the construction team code (R-E-095, R-E-080)."),
                            field="code_ack", code="R-E-080"))
    if not (sub.leader_sig_name or "").strip():
        issues.append(Issue(_("Record the team leader's signature."), field="leader_sig_name", code="R-E-095"))
    return issues


def package_still_approved(sub, user) -> list[Issue]:
    package = db.session.get(WorkPackage, sub.package_id)
    if package is None or package.state != "approved":
        return [Issue(_("The work package's award is not approved (or is contracted already)."), field="package_id")]
    team = db.session.get(Party, sub.team_id)
    return named(team, subcontract_check(package, team), "team_id")


def briefing_done(sub, user) -> list[Issue]:
    """R-E-080, R-E-099: the team enters with a confirmed safety briefing acknowledged by its leader,
    and still clear to work (insurance valid)."""
    found = db.session.scalar(select(SafetyBriefing.id).where(
        SafetyBriefing.subcontract_id == sub.id, SafetyBriefing.state.in_(("confirmed", "archived")),
        SafetyBriefing.leader_ack.is_(True)).limit(1))
    issues = []
    if found is None:
        issues.append(Issue(_("Record and confirm the safety briefing (安全技术交底) with the team leader's "
                              "acknowledgement of the team code first (R-E-080)."), code="R-E-080"))
    team = db.session.get(Party, sub.team_id)
    issues += named(team, [i if i.code else Issue(i.message, i.field, i.blocking, "R-E-099")
                           for i in register_issues(team, on=calendar_today.today())], "team_id")
    return issues


def warranty_ended(sub, user) -> list[Issue]:
    """R-E-094: the retention is released once the team's warranty (from the completion) ended."""
    from .projects import add_months
    if sub.finish_on is None:
        return [Issue(_("The subcontract names no completion date."), field="finish_on", code="R-E-094")]
    end = add_months(sub.finish_on, int(sub.warranty_months or 0))
    if calendar_today.today() < end:
        return [Issue(_("The team's warranty runs until %(day)s: the retention is released after it (R-E-094).",
                        day=end.isoformat()), field="warranty_months", code="R-E-094")]
    return []


def contract_signed(sub, user, comment=""):
    sign(sub, "manager_sig", user, "agree", comment)
    package = db.session.get(WorkPackage, sub.package_id)
    engine.carry(package, "contract", user, because=sub.number)


SUB_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "contracted": _l("Signed"), "in_progress": _l("Works in progress"),
            "settled": _l("Settled"), "closed": _l("Closed"), "cancelled": _l("Cancelled")},
    initial="draft", editable_states=("draft",),
    transitions=[
        Transition("sign", _l("Sign the subcontract"), ["draft"], "contracted", style="success",
                   conditions=[contents_complete, package_still_approved], signs=_l("Engineering manager")),
        Transition("enter", _l("Team enters the site"), ["contracted"], "in_progress", conditions=[briefing_done]),
        Transition("settle", _l("Settled"), ["in_progress"], "settled", automatic=True),
        Transition("close", _l("Warranty over: retention released"), ["settled"], "closed",
                   conditions=[warranty_ended], style="outline-secondary"),
        Transition("cancel", _l("Cancel"), ["draft"], "cancelled", comment_required=True, style="outline-danger"),
    ],
)

SUBCONTRACT = DocType(
    code=SUBCONTRACT_CODE, model=Subcontract, label=_l("Subcontract"), label_plural=_l("Subcontracts"),
    fields=SUB_FIELDS, workflow=SUB_WORKFLOW, number_prefix="WB", print_title="外包施工合同（施工协议）",
    menu_order=81, before_save=save_subcontract, visibility=on_my_projects(Subcontract),
    edited_by=lambda doc, user: doc.project is not None and user.id in doc.project.engineer_ids(),
    lines=Lines("lines", SubcontractLine, fields=SUB_LINE_FIELDS, blank_rows=3,
                label=_l("Scope, quantities and unit prices")),
    columns=[Column("team_title", _l("Construction team")), Column("price", _l("Contract price"), kind="money")],
    search=("team_title", "scope"),
)


# ---- 安全技术交底记录 X-E12 -------------------------------------------------------------------------
TOPICS = [("safety_rules", _l("Safety rules")), ("temporary_power", _l("Temporary power")),
          ("work_at_height", _l("Work at height")), ("hot_work", _l("Hot work")),
          ("protection", _l("Protection of finished work")), ("workmanship", _l("Workmanship")),
          ("labelling", _l("Labelling")), ("quality", _l("Quality standards"))]
ATTENDEE_FIELDS = [
    Field("worker", _l("Worker"), required=True, max_length=60),
    Field("certificate_no", _l("Certificate no."), max_length=60),
]
BRIEFING_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("subcontract", _l("Subcontract"), "reference", target=SUBCONTRACT_CODE, required=True,
          where=lambda S, user: S.state.in_(("contracted", "in_progress")),
          refusal=_l("Choose a signed subcontract.")),
    Field("briefing_date", _l("Briefing date"), "date", required=True, default=lambda: calendar_today.today()),
    Field("topics", _l("Topics"), "multichoice", choices=TOPICS, required=True),
    Field("content", _l("Content of the briefing"), "textarea", required=True),
    Field("leader_ack", _l("The team leader acknowledges the construction team code (R-E-080)"), "bool"),
    Field("leader_sig", _l("Team leader"), "xsig"),
    Field("briefer_sig", _l("Briefed by"), "sig", readonly=True),
]


class SafetyBriefing(Document, declared_columns([f for f in BRIEFING_FIELDS if f.name != "title"]), db.Model):
    """安全技术交底记录 (X-E12)."""
    __tablename__ = "eng_safety_briefing"
    project_id: Mapped[int | None] = mapped_column(ForeignKey("eng_project.id"), index=True)

    attendees = relationship(lambda: BriefingAttendee, cascade="all, delete-orphan",
                             order_by=lambda: BriefingAttendee.id, lazy="selectin")


class BriefingAttendee(declared_columns(ATTENDEE_FIELDS), db.Model):
    __tablename__ = "eng_safety_briefing_attendee"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("eng_safety_briefing.id", ondelete="CASCADE"), index=True)


def save_briefing(briefing):
    sub = db.session.get(Subcontract, briefing.subcontract_id) if briefing.subcontract_id else None
    if sub is None:
        raise ValidationFailed({"subcontract_id": [_("Choose a signed subcontract.")]})
    briefing.project_id = sub.project_id
    briefing.title = f"{sub.team_title} {briefing.briefing_date.isoformat() if briefing.briefing_date else ''}"[:200]


def briefing_complete(briefing, user) -> list[Issue]:
    issues = []
    if not briefing.attendees:
        issues.append(Issue(_("List the workers briefed."), field="attendees"))
    if not briefing.leader_ack:
        issues.append(Issue(_("The team leader acknowledges the construction team code (R-E-080)."),
                            field="leader_ack", code="R-E-080"))
    if not (briefing.leader_sig_name or "").strip():
        issues.append(Issue(_("Record the team leader's signature."), field="leader_sig_name", code="R-E-080"))
    return issues


BRIEFING_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "confirmed": _l("Confirmed"), "archived": _l("Archived")},
    initial="draft",
    transitions=[Transition("confirm", _l("Confirm and sign"), ["draft"], "confirmed", style="success",
                            conditions=[briefing_complete], signs=_l("Briefed by")),
                 Transition("archive", _l("Archive"), ["confirmed"], "archived", style="outline-secondary")],
)

BRIEFING = DocType(
    code=BRIEFING_CODE, model=SafetyBriefing, label=_l("Safety briefing"), label_plural=_l("Safety briefings"),
    fields=BRIEFING_FIELDS, workflow=BRIEFING_WORKFLOW, number_prefix="JD", print_title="安全技术交底记录",
    menu_order=82, before_save=save_briefing, visibility=on_my_projects(SafetyBriefing),
    lines=Lines("attendees", BriefingAttendee, fields=ATTENDEE_FIELDS, blank_rows=3, label=_l("Attendees")),
    columns=[Column("briefing_date", _l("Briefing date"), kind="date")],
)

# ---- 甲供材料领用/退料单 X-E13 ---------------------------------------------------------------------
DIRECTIONS = [("issue", _l("Issued to the team")), ("return", _l("Returned by the team")),
              ("installed", _l("Installed (declared at settlement)"))]
MATERIAL_LINE_FIELDS = [
    Field("item", _l("Material"), required=True, max_length=120),
    Field("spec", _l("Specification"), max_length=120),
    Field("unit", _l("Unit"), max_length=20),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("unit_price", _l("Purchase price per unit"), "money", minimum=0, maximum=10**9),
]
MATERIAL_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("subcontract", _l("Subcontract"), "reference", target=SUBCONTRACT_CODE, required=True,
          where=lambda S, user: S.state.in_(("contracted", "in_progress")),
          refusal=_l("Choose a subcontract signed and not settled.")),
    Field("direction", _l("Issue or return"), "choice", choices=DIRECTIONS, required=True, default="issue"),
    Field("note_date", _l("Date"), "date", required=True, default=lambda: calendar_today.today()),
    Field("receiver_sig", _l("Team's signature"), "xsig"),
    Field("issuer_sig", _l("Issued / received by"), "sig", readonly=True),
]


class MaterialNote(Document, declared_columns([f for f in MATERIAL_FIELDS if f.name != "title"]), db.Model):
    """甲供材料领用/退料单 (X-E13)."""
    __tablename__ = "eng_material_note"
    project_id: Mapped[int | None] = mapped_column(ForeignKey("eng_project.id"), index=True)

    lines = relationship(lambda: MaterialNoteLine, cascade="all, delete-orphan", order_by=lambda: MaterialNoteLine.id,
                         lazy="selectin")


class MaterialNoteLine(declared_columns(MATERIAL_LINE_FIELDS), db.Model):
    __tablename__ = "eng_material_note_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("eng_material_note.id", ondelete="CASCADE"), index=True)


def save_material_note(note):
    sub = db.session.get(Subcontract, note.subcontract_id) if note.subcontract_id else None
    if sub is None:
        raise ValidationFailed({"subcontract_id": [_("Choose a subcontract signed and not settled.")]})
    if not note.lines:
        raise ValidationFailed({"lines": [_("List the materials.")]})
    if note.direction == "issue" and any(line.unit_price is None for line in note.lines):
        raise ValidationFailed({"lines": [_("Give the purchase price of every material issued (P-11).")]})
    note.project_id = sub.project_id
    label = dict(DIRECTIONS).get(note.direction, "")
    note.title = f"{sub.team_title} {label}"[:200]


def material_signed(note, user) -> list[Issue]:
    if not (note.receiver_sig_name or "").strip():
        return [Issue(_("Record the team's signature (R-E-097)."), field="receiver_sig_name", code="R-E-097")]
    return []


MATERIAL_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "confirmed": _l("Confirmed"), "archived": _l("Archived")},
    initial="draft",
    transitions=[Transition("confirm", _l("Confirm and sign"), ["draft"], "confirmed", style="success",
                            conditions=[material_signed], signs=_l("Issued / received by")),
                 Transition("archive", _l("Archive"), ["confirmed"], "archived", style="outline-secondary")],
)

MATERIAL = DocType(
    code=MATERIAL_CODE, model=MaterialNote, label=_l("Material issue / return note"),
    label_plural=_l("Material issue / return notes"), fields=MATERIAL_FIELDS, workflow=MATERIAL_WORKFLOW,
    number_prefix="LL", print_title="甲供材料领用/退料单", menu_order=83, before_save=save_material_note,
    visibility=on_my_projects(MaterialNote),
    lines=Lines("lines", MaterialNoteLine, fields=MATERIAL_LINE_FIELDS, blank_rows=3),
    columns=[Column("direction", _l("Issue or return"), kind="choice", choices=dict(DIRECTIONS)),
             Column("note_date", _l("Date"), kind="date")],
)


def material_losses(subcontract_id: int) -> list[dict]:
    """R-E-097, P-11, per material of the subcontract's confirmed notes: issued, returned,
    installed, loss (issued - returned - installed), the allowance (``eng.material_loss_allowance_pct``
    of the issued), the excess over it and its charge at the purchase price + 10 %."""
    rows = db.session.execute(select(MaterialNote.direction, MaterialNoteLine.item, MaterialNoteLine.unit,
                                     func.sum(MaterialNoteLine.qty), func.sum(MaterialNoteLine.qty * MaterialNoteLine.unit_price))
                              .join(MaterialNote, MaterialNote.id == MaterialNoteLine.note_id)
                              .where(MaterialNote.subcontract_id == subcontract_id,
                                     MaterialNote.state.in_(("confirmed", "archived")))
                              .group_by(MaterialNote.direction, MaterialNoteLine.item, MaterialNoteLine.unit)).all()
    items: dict = {}
    for direction, item, unit, qty, value in rows:
        entry = items.setdefault(item, {"item": item, "unit": unit or "", "issued": ZERO, "returned": ZERO,
                                        "installed": ZERO, "value": ZERO})
        entry[{"issue": "issued", "return": "returned", "installed": "installed"}[direction]] += Decimal(qty or 0)
        if direction == "issue":
            entry["value"] += Decimal(str(value or 0))
    pct = setting_decimal("eng.material_loss_allowance_pct")
    out = []
    for entry in items.values():
        issued = entry["issued"]
        price = (entry["value"] / issued) if issued else ZERO
        loss = issued - entry["returned"] - entry["installed"]
        allowance = issued * pct / 100
        excess = max(loss - allowance, ZERO)
        charge = (excess * price * Decimal("1.10")).quantize(CENT, ROUND_HALF_UP)
        out.append({**entry, "unit_price": price.quantize(CENT, ROUND_HALF_UP), "loss": loss,
                    "allowance": allowance, "excess": excess, "charge": charge})
    return out


def material_charge(subcontract_id: int) -> Decimal:
    return sum((row["charge"] for row in material_losses(subcontract_id)), ZERO)


# ---- payments and final accounts of a subcontract (F-T10, F-T12 inward; R-E-094, I-10) ------------
def subcontract_of(doc) -> Subcontract | None:
    sub_id = getattr(doc, "subcontract_id", None)
    return db.session.get(Subcontract, sub_id) if sub_id else None


def fill_from_subcontract(doc) -> None:
    """An inward F-T10/F-T12 naming a subcontract: its team and value fill in."""
    sub = subcontract_of(doc)
    if sub is None:
        return
    if sub.project_id != doc.project_id or sub.state not in ("contracted", "in_progress", "settled", "closed"):
        raise ValidationFailed({"subcontract_id": [_("Choose a signed subcontract of the same project.")]})
    doc.relation = "inward"
    doc.team_name = sub.team_title[:120]
    doc.contract_amount = sub.price


def team_pay_pct(sub, project) -> tuple[Decimal, str]:
    """R-E-094: the share of the value of its work a team may be paid at its subcontract's stage."""
    if sub.state == "closed":
        return Decimal(100), _("warranty ended, retention released")
    if project.state in ("closing", "warranty", "closed") and sub.state == "settled":
        return setting_decimal("eng.team_pay_after_acceptance_pct"), _("after final acceptance and settlement")
    return setting_decimal("eng.team_progress_pay_max_pct"), _("progress payments")


def subcontract_cap(doc, user) -> list[Issue]:
    """R-E-094 for a payment naming a subcontract: 70 % of the value of the work before final
    acceptance and settlement, 95 % after, the retention only once the warranty ended."""
    sub = subcontract_of(doc)
    project = doc.eng_project
    if sub is None or project is None:
        return []
    from .form_money import cap_of
    value, _cap, total = cap_of(doc)
    pct, stage = team_pay_pct(sub, project)
    cap = (value * pct / 100).quantize(CENT, ROUND_HALF_UP)
    if total <= cap:
        return []
    field = "approved_amount" if doc.approved_amount is not None else (
        "verified_amount" if doc.verified_amount is not None else "requested_amount")
    return [Issue(_("Payments to %(team)s (%(stage)s) are at most %(pct)s%% of the value of its work: ¥%(cap)s of "
                    "¥%(value)s; with this application they come to ¥%(total)s (R-E-094).", team=sub.team_title,
                    stage=stage, pct=pct, cap=money(cap), value=money(value), total=money(total)),
                  field=field, code="R-E-094")]


def announce_team_payment(doc, user) -> None:
    """I-10: an approved inward payment is announced for finance's or procurement's payables."""
    sub = subcontract_of(doc)
    team = db.session.get(Party, sub.team_id) if sub is not None and sub.team_id else None
    pm = current_app.extensions["erp"].pm
    pm.hook.engineering_team_payment(payment=doc, amount=Decimal(doc.approved_amount or 0), team=team, user=user)


def settlement_deductions(doc, line_model) -> None:
    """An inward final account of a subcontract lists, while a draft, the charge for the excess
    loss of company-supplied material (P-11) and the team's pending penalties."""
    sub = subcontract_of(doc)
    if sub is None or doc.state != "draft":
        return
    pending = pending_penalties(sub)
    numbers = {number for number, _fine in pending}
    kept = [line for line in doc.lines if line.type != "material" and not (
        line.type == "penalty" and line.reference in numbers)]
    charge = material_charge(sub.id)
    automatic = [line_model(type="material", amount=charge, reference="P-11")] if charge > 0 else []
    automatic += [line_model(type="penalty", amount=fine, reference=number) for number, fine in pending]
    doc.lines = kept + automatic


def pending_penalties(sub) -> list[tuple[str, Decimal]]:
    """(number, fine) of the team's penalties not yet deducted, when the penalty register is there."""
    try:
        from . import penalties
    except ImportError:
        return []
    return [(p.number, Decimal(p.fine or 0)) for p in penalties.pending_team_deductions(sub.team_id, sub.project_id)]


def settlement_agreed(doc, user) -> None:
    """The inward final account of a subcontract agreed: the subcontract is settled and the team's
    penalties listed on it are marked deducted."""
    sub = subcontract_of(doc)
    if sub is None:
        return
    if sub.state == "in_progress":
        engine.carry(sub, "settle", user, because=doc.number)
    mark_penalties_deducted(doc, user)
    record_material_loss(doc, sub, user)


def record_material_loss(doc, sub, user) -> None:
    """P-11 on the team's record once its settlement charging the excess material loss is agreed.

    The money is not deducted twice: the compensation (excess at purchase price + 10 %) is the
    settlement's own ``material`` line, so the P-11 penalty proposed here (``engineering_penalties``
    event ``material_loss_charged``, once per settlement) carries the facts and the amount but no
    fine of its own (the catalogue gives P-11 none), and it is marked as executed in this
    settlement (``executed_in``), which keeps it out of ``pending_team_deductions`` even if the
    catalogue item is later given a fine. It then follows WF-E08 (notified, confirmed) for the
    team's record and the repetition count."""
    charged = sum((Decimal(line.amount or 0) for line in doc.lines if line.type == "material"), ZERO)
    if charged <= 0 or not sub.team_id:
        return
    try:
        from . import penalties
    except ImportError:
        return
    from .hookspecs import PenaltyEvent
    event = PenaltyEvent("material_loss_charged", project=db.session.get(EngProject, sub.project_id), document=doc,
                         reference=doc.number, team_party_id=sub.team_id, user_id=user.id if user else None,
                         day=calendar_today.today(), subcontract_value=charged)
    p11 = penalties.item_of("P-11")
    for penalty in penalties.propose_from(event, user):
        if penalty.item_id == p11:
            penalty.executed_in = (doc.number or "")[:60]


def mark_penalties_deducted(doc, user) -> None:
    sub = subcontract_of(doc)
    if sub is None:
        return
    try:
        from . import penalties
    except ImportError:
        return
    pending = penalties.pending_team_deductions(sub.team_id, sub.project_id)
    numbers = {line.reference for line in doc.lines if line.type == "penalty"}
    chosen = [p for p in pending if p.number in numbers]
    if chosen:
        penalties.mark_deducted(chosen, doc.number, user)


# ---- WF-E09 cadence: the inward supervision reports of each subcontract in progress ---------------
def supervision_report_reminders(now) -> list:
    """WF-E09: for each subcontract whose works are in progress, its project engineer writes the
    inward weekly supervision report F-T18 of the week (due with his own weekly report F-E01,
    ``site_reports.weekly_due``; this week's and last week's) and the monthly F-T17 of the month
    (due 18:00 on its last working day), while none exists for the period with the subcontract's
    team (an inward form of the project naming the team; one query per form). A week ending
    before the subcontract's start is not asked for."""
    from core.reminders import Reminder, month_end

    from .forms import built
    from .site_reports import week_of, weekly_due
    day = now.astimezone(cal.timezone()).date()
    rows = db.session.execute(select(Subcontract.id, Subcontract.team_title, Subcontract.project_id,
                                     Subcontract.start_on, EngProject.engineer_id)
                              .join(EngProject, EngProject.id == Subcontract.project_id)
                              .where(Subcontract.state == "in_progress", EngProject.engineer_id.is_not(None))
                              .order_by(Subcontract.id)).all()
    if not rows:
        return []
    projects = {r.project_id for r in rows}
    monday = week_of(day)[0]
    weeks = (monday - timedelta(days=7), monday)
    Weekly, Monthly = built("ft18").model, built("ft17").model
    weekly = db.session.execute(select(Weekly.project_id, Weekly.team_name, Weekly.week_from, Weekly.week_to).where(
        Weekly.project_id.in_(projects), Weekly.relation == "inward", Weekly.week_from <= monday + timedelta(days=6),
        Weekly.week_to >= weeks[0])).all()
    month = day.strftime("%Y-%m")
    monthly = set(db.session.execute(select(Monthly.project_id, Monthly.team_name).where(
        Monthly.project_id.in_(projects), Monthly.relation == "inward", Monthly.month == month)).all())
    out = []
    for r in rows:
        team = (r.team_title or "")[:120]
        for week in weeks:
            last = week + timedelta(days=6)
            if (r.start_on and last < r.start_on) or any(
                    w.project_id == r.project_id and w.team_name == team and w.week_from <= last and w.week_to >= week
                    for w in weekly):
                continue
            out.append(Reminder(f"{SUBCONTRACT_CODE}.ft18:{r.id}:{week.isoformat()}:{r.engineer_id}", r.engineer_id,
                                _("Write the weekly supervision report (F-T18) of %(team)s for %(first)s – %(last)s",
                                  team=team, first=week.isoformat(), last=last.isoformat()),
                                weekly_due(week), url=f"/engineering/ft18/new?project_id={r.project_id}"))
        if (r.project_id, team) not in monthly:
            out.append(Reminder(f"{SUBCONTRACT_CODE}.ft17:{r.id}:{month}:{r.engineer_id}", r.engineer_id,
                                _("Write the monthly supervision report (F-T17) of %(team)s for %(month)s",
                                  team=team, month=month),
                                month_end(day), url=f"/engineering/ft17/new?project_id={r.project_id}"))
    return out


@hookimpl
def erp_reminders(now):
    return supervision_report_reminders(now)


PROJECT.relate(Related(_l("Work packages"), PACKAGE_CODE, "project_id"))
PROJECT.relate(Related(_l("Subcontracts"), SUBCONTRACT_CODE, "project_id"))
PACKAGE.relate(Related(_l("Subcontracts"), SUBCONTRACT_CODE, "package_id"))
SUBCONTRACT.relate(Related(_l("Safety briefings"), BRIEFING_CODE, "subcontract_id"))
PACKAGE.add_action(Action(_l("Draw up the subcontract"), "engineering.package_subcontract",
                          permission=f"{SUBCONTRACT_CODE}.create", states=("approved",)))
SUBCONTRACT.relate(Related(_l("Material issue / return notes"), MATERIAL_CODE, "subcontract_id"))
SUBCONTRACT.add_action(Action(_l("Record the safety briefing"), "engineering.subcontract_briefing",
                              permission=f"{BRIEFING_CODE}.create", states=("contracted", "in_progress")))


@bp.route("/work_package/<int:doc_id>/subcontract")
@permission_required(f"{SUBCONTRACT_CODE}.create")
def package_subcontract(doc_id):
    """签订外包合同: a new subcontract of the approved package."""
    package = db.session.get(WorkPackage, doc_id)
    return redirect(url_for("engineering.subcontract_create", project_id=package.project_id if package else "",
                            package_id=doc_id))


@bp.route("/subcontract/<int:doc_id>/briefing")
@permission_required(f"{BRIEFING_CODE}.create")
def subcontract_briefing(doc_id):
    return redirect(url_for("engineering.safety_briefing_create", subcontract_id=doc_id))


@hookimpl
def erp_transition_done(document, transition, user):
    if isinstance(document, Subcontract) and transition.name == "sign":
        contract_signed(document, user)
    elif isinstance(document, SafetyBriefing) and transition.name == "confirm":
        sign(document, "briefer_sig", user, "agree")
    elif isinstance(document, MaterialNote) and transition.name == "confirm":
        sign(document, "issuer_sig", user, "agree")
    elif isinstance(document, WorkPackage) and transition.name in ("submit", "approve"):
        award_approved(document)


# ---- demo data ----------------------------------------------------------------------------------
DEMO_TEAMS = [("宏达弱电施工队", "本市高新区科技路18号"), ("鑫源布线工程队", "本市江北区工业园3栋"),
              ("立信安装工程有限公司", "本市城南开发区兴业路66号"), ("恒通建筑劳务有限公司", "邻市经济开发区")]


def demo_team(name: str, address: str, user) -> Party:
    """The demo team `name`: a qualified team of the register (graded B, insured, the team code
    acknowledged), its party at `address`."""
    from core.documents import service

    from .teams import TEAM, ConstructionTeam, save_team
    entry = db.session.scalar(select(ConstructionTeam).where(ConstructionTeam.title == name))
    if entry is None:
        entry = service.new_document(TEAM, user)
        entry.title, entry.legal_form, entry.leader_name, entry.phone = name, "labour_team", name[:2] + "队长", "13800000000"
        entry.leader_id_no, entry.guarantor = "440301198001010011", "本市建安劳务有限公司"
        entry.work_types = ["cabling", "conduit"]
        entry.insurance_policy_no = "PICC-" + str(abs(hash(name)) % 10**6)
        entry.insurance_expiry = calendar_today.today() + timedelta(days=300)
        entry.code_ack_version = str(settings.get("eng.team_code_version"))
        entry.code_ack_date = calendar_today.today() - timedelta(days=30)
        entry.grade, entry.state = "B", "approved"
        save_team(entry)
        service.assign_number(TEAM, entry)
        db.session.add(entry)
        db.session.flush()
    party = db.session.get(Party, entry.party_id)
    party.address = party.address or address
    return party


def demo(users) -> list:
    """On the demo projects: a package above ¥100,000 awarded with the 总经理's approval, its
    subcontract signed and the team on site (briefed, materials issued and returned); a direct award
    below ¥30,000 with its reason; a package awarded to a team that was not the cheapest, with the
    reason, waiting for the 工程部经理. `users`: {"pe", "eng_mgr", "gm": User}. Returns the documents
    made (not committed); nothing when packages exist."""
    from core.documents import service
    pe, manager, gm = users.get("pe"), users.get("eng_mgr"), users.get("gm")
    if pe is None or manager is None or db.session.scalar(select(func.count()).select_from(WorkPackage)):
        return []
    teams = [demo_team(name, address, manager) for name, address in DEMO_TEAMS]
    db.session.flush()
    today = calendar_today.today()
    made = []

    def project_in(*states):
        return db.session.scalar(select(EngProject).where(EngProject.state.in_(states)).order_by(EngProject.id).limit(1))

    def package(project, title, amount, quotes, chosen, state, **values):
        doc = service.new_document(PACKAGE, pe)
        doc.project_id, doc.title, doc.work_type = project.id, title, values.pop("work_type", "cable_laying")
        doc.scope = values.pop("scope", title)
        doc.boq = values.pop("boq", "六类线敷设 米 3000\n信息点安装 个 240")
        doc.start_from, doc.finish_by = today, today + timedelta(days=45)
        doc.package_amount = Decimal(amount)
        doc.quotes = [PackageQuote(team_id=t.id, quoted_amount=Decimal(q), schedule_days=d, note=n)
                      for t, (q, d, n) in zip(teams, quotes)]
        doc.recommended_team_id = teams[chosen].id
        for name, value in values.items():
            setattr(doc, name, value)
        save_package(doc)
        doc.state = "evaluation" if state == "submitted" else state
        service.assign_number(PACKAGE, doc)
        db.session.add(doc)
        db.session.flush()
        if state == "submitted":        # submitted as the engineer would: the manager's approval task is open
            from flask import g

            from core.workflow.engine import TransitionRefused
            g.audit_user = pe
            db.session.commit()
            try:
                engine.perform(PACKAGE, doc, "submit", pe, "")
            except TransitionRefused:
                pass
        made.append(doc)
        return doc

    building = project_in("in_construction")
    if building is not None:
        big = package(building, "机房及楼层综合布线劳务分包", "128000",
                      [("118000", 40, "含桥架安装"), ("124500", 35, ""), ("131000", 30, "工期最短")], 0, "contracted",
                      scope="三层机房桥架、线槽安装，一至五层水平线缆敷设及信息点安装、配线架端接")
        sub = service.new_document(SUBCONTRACT, manager)
        sub.project_id, sub.package_id = building.id, big.id
        sub.pricing, sub.start_on, sub.finish_on = "unit_rates", today - timedelta(days=10), today + timedelta(days=35)
        sub.quality_standard = "GB 50311-2016、GB 50312-2016，一次验收合格"
        sub.material_split = "main_company"
        sub.payment_schedule = "按月核定工程量支付70%；竣工验收并结算后付至95%；5%质保金质保期满无缺陷退还"
        sub.code_ack = True
        sub.leader_sig_name, sub.leader_sig_org, sub.leader_sig_date = "张宏达", teams[0].name, today - timedelta(days=12)
        sub.lines = [SubcontractLine(item="桥架安装", unit="米", qty=Decimal(900), unit_price=Decimal(38)),
                     SubcontractLine(item="六类线敷设", unit="米", qty=Decimal(9000), unit_price=Decimal("5.2")),
                     SubcontractLine(item="信息点安装端接", unit="个", qty=Decimal(500), unit_price=Decimal(74))]
        save_subcontract(sub)      # the price is the award's, 118,000 = the lines' amounts
        sub.state = "in_progress"
        sign(sub, "manager_sig", manager, "agree")
        service.assign_number(SUBCONTRACT, sub)
        db.session.add(sub)
        db.session.flush()
        made.append(sub)
        brief = service.new_document(BRIEFING, pe)
        brief.subcontract_id, brief.briefing_date = sub.id, today - timedelta(days=11)
        brief.topics = ["safety_rules", "temporary_power", "work_at_height", "labelling"]
        brief.content = "进入机房须登记；2米以上作业系安全带；临时用电由我司电工接驳；线缆两端按标识方案标记。"
        brief.leader_ack, brief.leader_sig_name = True, "张宏达"
        brief.attendees = [BriefingAttendee(worker="张宏达", certificate_no="电工证 T440300198001"),
                           BriefingAttendee(worker="李国强", certificate_no="登高作业证 G4403002"),
                           BriefingAttendee(worker="王小军", certificate_no="")]
        save_briefing(brief)
        brief.state = "confirmed"
        sign(brief, "briefer_sig", pe, "agree")
        service.assign_number(BRIEFING, brief)
        db.session.add(brief)
        made.append(brief)
        for direction, lines, days in (
                ("issue", [("六类非屏蔽双绞线", "305米/箱", "米", 6100, "2.10"), ("信息面板", "86型双口", "个", 250, "12")], 9),
                ("return", [("六类非屏蔽双绞线", "305米/箱", "米", 120, "2.10")], 2)):
            note = service.new_document(MATERIAL, pe)
            note.subcontract_id, note.direction, note.note_date = sub.id, direction, today - timedelta(days=days)
            note.receiver_sig_name = "张宏达"
            note.lines = [MaterialNoteLine(item=i, spec=sp, unit=u, qty=Decimal(q), unit_price=Decimal(p))
                          for i, sp, u, q, p in lines]
            save_material_note(note)
            note.state = "confirmed"
            sign(note, "issuer_sig", pe, "agree")
            service.assign_number(MATERIAL, note)
            db.session.add(note)
            made.append(note)
        if gm is not None:
            big.needs_gm = True
    early = project_in("start_applied", "planning")
    if early is not None:
        package(early, "弱电井线槽安装劳务", "18600", [("17800", 12, "曾在该小区施工")], 0, "approved",
                work_type="trunking", direct_award_reason="金额低于比价限额，该队熟悉小区弱电井情况，工期紧")
        package(early, "室外管道及手井土建", "62000", [("61500", 25, "质量评级A"), ("58800", 30, ""),
                                                     ("60300", 28, "")], 0, "submitted", work_type="civil",
                award_reason="最低报价队伍近三月评级为C，选择评级A且工期更短的宏达弱电施工队")
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [WorkPackage, PackageQuote, Subcontract, SubcontractLine, SafetyBriefing, BriefingAttendee, MaterialNote,
            MaterialNoteLine]


@hookimpl
def erp_document_types():
    return [PACKAGE, SUBCONTRACT, BRIEFING, MATERIAL]


@hookimpl
def erp_roles():
    read = lambda code: [f"{code}.read", f"{code}.export"]
    everything = lambda code: [f"{code}.read_all", f"{code}.read_department"]
    pe = (read(PACKAGE_CODE) + [f"{PACKAGE_CODE}.{a}" for a in ("create", "edit", "invite", "evaluate", "submit",
                                                                 "cancel")]
          + read(SUBCONTRACT_CODE) + [f"{SUBCONTRACT_CODE}.{a}" for a in ("create", "edit", "enter")]
          + read(BRIEFING_CODE) + [f"{BRIEFING_CODE}.{a}" for a in ("create", "edit", "confirm")]
          + read(MATERIAL_CODE) + [f"{MATERIAL_CODE}.{a}" for a in ("create", "edit", "confirm")])
    manager = pe + everything(PACKAGE_CODE) + everything(SUBCONTRACT_CODE) + everything(BRIEFING_CODE) + everything(MATERIAL_CODE) + [
        f"{PACKAGE_CODE}.approve", f"{PACKAGE_CODE}.reject", f"{PACKAGE_CODE}.close",
        f"{SUBCONTRACT_CODE}.sign", f"{SUBCONTRACT_CODE}.settle", f"{SUBCONTRACT_CODE}.close",
        f"{SUBCONTRACT_CODE}.cancel", f"{BRIEFING_CODE}.archive",
        f"{MATERIAL_CODE}.archive"]
    readers = [p for code in (PACKAGE_CODE, SUBCONTRACT_CODE, BRIEFING_CODE, MATERIAL_CODE) for p in read(code) + everything(code)]
    return [RoleTemplate("ROLE-ENG-PE", permissions=pe), RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-GM", permissions=readers + [f"{PACKAGE_CODE}.approve", f"{PACKAGE_CODE}.reject"])]


@hookimpl
def erp_settings():
    return [
        Setting("eng.outsourceable_work_types", "list", OUTSOURCEABLE, _l("Work types that may be outsourced"),
                _l("R-E-090: other work types stay with company engineers (a warning when a package has one)."),
                choices=tuple(WORK_TYPES)),
        Setting("eng.min_team_quotes", "int", 3, _l("Quotations needed for a competitive award"),
                _l("R-E-092: a package at or above the competitive award threshold needs this many quotations."),
                min=1, max=10),
        Setting("eng.competitive_award_threshold", "decimal", "30000", _l("Competitive award from (package, ¥)"),
                _l("R-E-092: below this amount the engineering manager may award directly, with a reason."),
                min="0"),
        Setting("eng.award_gm_threshold", "decimal", "100000", _l("Awards also approved by the general manager from (¥)"),
                _l("R-E-093: awards at or above this amount, or above the subcontract budget left, are approved "
                   "by the general manager too."), min="0"),
        Setting("eng.team_warranty_months", "int", 12, _l("Warranty of a team's works (months)"),
                _l("R-E-094, R-E-095: the retention is released at the end of this warranty."), min=0, max=120),
        Setting("eng.material_loss_allowance_pct", "decimal", "3", _l("Allowed loss of company-supplied material (%)"),
                _l("R-E-097, P-11: a loss above this share of the quantity issued is charged to the team at the "
                   "purchase price + 10 %."), min="0", max="100"),
        Setting("eng.team_pay_after_acceptance_pct", "decimal", "95",
                _l("Payments to a team after final acceptance and settlement at most (% of the value of its work)"),
                _l("R-E-094: the rest, the retention, is paid once the warranty ended without defects."),
                min="0", max="100"),
        Setting("eng.team_retention_pct", "decimal", "5", _l("Retention of a team's works (%)"),
                _l("R-E-094: withheld from the payments until the warranty ends."), min="0", max="100"),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-090", "可外包范围", "Labour-intensive works may be outsourced; design, core configuration, testing "
             "sign-off and acceptance stay with company engineers.", "warn", params=("eng.outsourceable_work_types",)),
        Rule("R-E-092", "比价发包", "Packages at or above the threshold need the minimum number of quotations; below "
             "it a direct award with a reason.", "block",
             params=("eng.competitive_award_threshold", "eng.min_team_quotes")),
        Rule("R-E-093", "预算控制", "An award above the subcontract budget or the threshold is approved by the "
             "general manager; an award not to the lowest quotation gives its reason.", "approval",
             params=("eng.award_gm_threshold",)),
        Rule("R-E-095", "外包合同内容", "The subcontract states scope and quantities, prices, schedule, quality, safety "
             "responsibility, material supply, warranty, retention, penalties and the team code's acceptance.",
             "block", params=("eng.team_warranty_months", "eng.team_retention_pct")),
        Rule("R-E-097", "甲供材料管理", "Company-supplied materials are issued and returned against notes; a loss "
             "above the allowance is charged to the team (P-11).", "penalty", params=("eng.material_loss_allowance_pct",)),
    ]
