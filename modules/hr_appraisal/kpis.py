"""The KPI catalogue (考核指标, SPEC 3.6), the role templates (考核模板: weights per role, editable)
and the engine measuring the quantitative KPIs of a cycle's people.

The catalogue is declared here; a partner adds KPIs through ``hr_appraisal_kpis()``. A KPI is
quantitative (measured by the modules answering ``hr_appraisal_metrics``, with the measure its
answers carry), qualitative (the superior scores it 1-5, mapped to 20..100) or mixed (SPEC's
"superior's rating + ...": both, the measured value averaged with the rating, either alone if the
other is missing). KPI-MGMT-CAPABILITY's measured part is the average KPI-COMPLIANCE and
KPI-REPORT-TIMELINESS of the manager's direct reports, read in the same single hook call.

The engine (:func:`compute`) asks ``hr_appraisal_metrics`` once for all the people of a cycle and
combines the answers per the hook's contract: scores averaged over modules, due/on-time counts
summed (score = on_time/due × 100), deduction points summed (100 − sum, floor 0), reader ratings
averaged (1..5 → 20..100). KPI-COMPLIANCE also deducts ``hr.violation_points`` per violation of
core's registry (warned or deadline missed, not waived) in the period: it always has a value. A
KPI without an answer for a person is 无数据 (:data:`NO_DATA`); what that does to the sheet is
``hr.missing_kpi_policy``'s (see cycles.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar
from core.auth.permissions import RoleTemplate
from core.documents import DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.rules.models import RuleViolation
from core.settings import Setting

TEMPLATE_CODE = "hr_appraisal.template"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
NO_DATA = None


@dataclass(frozen=True)
class Kpi:
    """One indicator of the catalogue: ``kind`` quantitative (``measure``: score, due, points or
    rating), qualitative (scored 1-5 by the superior) or mixed (both, averaged)."""
    code: str
    name_zh: str
    name_en: str
    kind: str = "quantitative"
    measure: str | None = "score"

    @property
    def quantitative(self) -> bool:
        return self.kind == "quantitative"

    @property
    def measured(self) -> bool:
        """Measured from the modules' data (quantitative or mixed)."""
        return self.kind in ("quantitative", "mixed")

    @property
    def rated(self) -> bool:
        """Scored 1-5 by the superior (qualitative or mixed)."""
        return self.kind in ("qualitative", "mixed")


def _q(code, zh, en, measure="score"):
    return Kpi(code, zh, en, "quantitative", measure)


def _m(code, zh, en):
    return Kpi(code, zh, en, "qualitative", None)


def _x(code, zh, en, measure="score"):
    return Kpi(code, zh, en, "mixed", measure)


# SPEC 3.6, in its order.
KPIS = [
    _q("KPI-SALES-OWN", "本人销售业绩", "Own sales performance"),
    _q("KPI-SALES-AREA", "负责地区市场销售业绩", "Sales performance of the area"),
    _q("KPI-SALES-TEAM", "部门销售业绩", "Sales performance of the department"),
    _q("KPI-ASSIST-REPS", "协助销售代表业绩完成情况", "Achievement of the assisted account managers"),
    _q("KPI-PRESALES-ASSIST", "协助销售代表的销售业绩", "Sales assisted as pre-sales"),
    _q("KPI-PRESALES-PORTFOLIO", "售前项目管理状况", "Pre-sales portfolio"),
    _q("KPI-MARKET-EXPANSION", "市场份额拓展", "Market expansion"),
    _x("KPI-MGMT-CAPABILITY", "内部管理能力", "Internal management capability", "department"),
    _q("KPI-REPORT-TIMELINESS", "上交报告的时效性", "Timeliness of reports", "due"),
    _q("KPI-REPORT-QUALITY", "上交报告的建设性", "Quality of reports", "rating"),
    _q("KPI-COMPLIANCE", "公司及部门管理规范的执行情况", "Compliance with company and department rules", "points"),
    _q("KPI-INTERNAL-ORDER", "各项内部工作的有效性、条理性", "Order of internal work", "due"),
    _x("KPI-ARCHIVE-CLARITY", "市场部商务、技术资源的清晰性", "Clarity of the market archive"),
    _q("KPI-SERVICE-QUALITY", "对各部门沟通与协调的服务质量", "Service to other departments", "rating"),
    _q("KPI-PROJECT-PORTFOLIO", "工程项目的管理状况", "Management of engineering projects"),
    _q("KPI-PROJECT-EVAL", "本人负责工程项目的评估情况", "Evaluation of own projects"),
    _q("KPI-PUR-TIMELINESS", "采购货物的时效性", "Timeliness of purchases", "due"),
    _q("KPI-PUR-COST", "货物成本控制", "Cost control of goods"),
]
COMPLIANCE = "KPI-COMPLIANCE"
TIMELINESS = "KPI-REPORT-TIMELINESS"
# Measured here from the direct reports' KPI-COMPLIANCE and KPI-REPORT-TIMELINESS, not asked of the modules.
MGMT = "KPI-MGMT-CAPABILITY"

# SPEC 3.6's default role templates (weights %), per role code.
DEFAULT_TEMPLATES = {
    "ROLE-MKT-DIR": [("KPI-MARKET-EXPANSION", 40), ("KPI-MGMT-CAPABILITY", 30), ("KPI-SALES-TEAM", 10),
                     ("KPI-COMPLIANCE", 20)],
    "ROLE-MKT-MGR": [("KPI-SALES-TEAM", 50), ("KPI-REPORT-TIMELINESS", 10), ("KPI-REPORT-QUALITY", 10),
                     ("KPI-COMPLIANCE", 30)],
    "ROLE-MKT-AAM": [("KPI-SALES-OWN", 45), ("KPI-ASSIST-REPS", 15), ("KPI-REPORT-TIMELINESS", 10),
                     ("KPI-REPORT-QUALITY", 10), ("KPI-COMPLIANCE", 20)],
    "ROLE-MKT-AM": [("KPI-SALES-OWN", 60), ("KPI-REPORT-TIMELINESS", 10), ("KPI-REPORT-QUALITY", 10),
                    ("KPI-COMPLIANCE", 20)],
    "ROLE-MKT-PSE": [("KPI-PRESALES-ASSIST", 50), ("KPI-REPORT-TIMELINESS", 15), ("KPI-REPORT-QUALITY", 15),
                     ("KPI-COMPLIANCE", 20)],
    "ROLE-MKT-AST": [("KPI-INTERNAL-ORDER", 30), ("KPI-ARCHIVE-CLARITY", 25), ("KPI-SERVICE-QUALITY", 25),
                     ("KPI-COMPLIANCE", 20)],
    "ROLE-PS-MGR": [("KPI-PRESALES-PORTFOLIO", 50), ("KPI-REPORT-TIMELINESS", 10), ("KPI-REPORT-QUALITY", 10),
                    ("KPI-COMPLIANCE", 30)],
    "ROLE-ENG-MGR": [("KPI-PROJECT-PORTFOLIO", 50), ("KPI-REPORT-TIMELINESS", 10), ("KPI-REPORT-QUALITY", 10),
                     ("KPI-COMPLIANCE", 30)],
    "ROLE-ENG-PE": [("KPI-PROJECT-EVAL", 50), ("KPI-REPORT-TIMELINESS", 15), ("KPI-REPORT-QUALITY", 10),
                    ("KPI-COMPLIANCE", 25)],
    "ROLE-PUR-MGR": [("KPI-PUR-TIMELINESS", 30), ("KPI-PUR-COST", 30), ("KPI-SERVICE-QUALITY", 20),
                     ("KPI-COMPLIANCE", 20)],
    "ROLE-PUR-BUY": [("KPI-PUR-TIMELINESS", 35), ("KPI-PUR-COST", 25), ("KPI-SERVICE-QUALITY", 20),
                     ("KPI-COMPLIANCE", 20)],
}
ROLES = [("ROLE-MKT-DIR", "市场总监"), ("ROLE-MKT-MGR", "市场部经理/副经理"), ("ROLE-MKT-AAM", "片区客户经理"),
         ("ROLE-MKT-AM", "客户经理"), ("ROLE-MKT-PSE", "售前工程师"), ("ROLE-MKT-AST", "市场部助理"),
         ("ROLE-PS-MGR", "售前经理"), ("ROLE-ENG-MGR", "工程部经理/副经理"), ("ROLE-ENG-PE", "项目工程师"),
         ("ROLE-PUR-MGR", "采购部经理"), ("ROLE-PUR-BUY", "采购员")]

# 工作禁忌 per role (SPEC 1.4): what the superior may record against a person.
TABOOS = {
    "ROLE-MKT-DIR": ["对市场变化反应迟缓，看不清市场形势", "未能及时、正确反馈市场需求", "在下属面前表现消极情绪"],
    "ROLE-MKT-MGR": ["对客户敷衍，看不清客户需求和销售形势", "未能清楚反馈市场开发需求", "在下属面前表现消极情绪"],
    "ROLE-MKT-AAM": ["对客户敷衍", "不了解客户需求和销售形势"],
    "ROLE-MKT-AM": ["对客户敷衍", "不了解客户需求和销售形势"],
    "ROLE-MKT-AST": ["工作缺乏计划", "不清楚自己的职责和目标", "缺乏经验，不思考，不学习"],
    "ROLE-ENG-MGR": ["对工程敷衍，不能解决工程中出现的问题", "不清楚工程项目的进展情况", "在下属面前表现消极或畏难情绪"],
    "ROLE-ENG-PE": ["不能控制现场，不能主动解决问题"],
    "ROLE-PS-MGR": ["对客户敷衍，不了解客户需求", "做出超成本的工程预算报价"],
    "ROLE-MKT-PSE": ["对客户敷衍，不了解客户需求", "做出超成本的工程预算报价"],
    "ROLE-PUR-MGR": ["工作缺乏计划", "采购价格过高或货物不能按时到达"],
    "ROLE-PUR-BUY": ["工作缺乏计划", "采购价格过高或货物不能按时到达"],
}


def catalogue() -> dict[str, Kpi]:
    """code -> Kpi: SPEC's KPIs, then those partners add (a code already known is ignored)."""
    found = {k.code: k for k in KPIS}
    for batch in current_app.extensions["erp"].pm.hook.hr_appraisal_kpis():
        for row in batch or ():
            if row.get("code") and row["code"] not in found:
                kind = row.get("kind", "quantitative")
                found[row["code"]] = Kpi(row["code"], row.get("name_zh", row["code"]), row.get("name_en", row["code"]),
                                         kind, row.get("measure", "score") if kind != "qualitative" else None)
    return found


def kpi_label(code: str, kpis: dict | None = None) -> str:
    kpi = (kpis or catalogue()).get(code)
    return f"{code} {kpi.name_zh}" if kpi else code


def kpi_name(code: str, kpis: dict | None = None) -> str:
    """The KPI's Chinese name (a sheet line shows its code in a column of its own)."""
    kpi = (kpis or catalogue()).get(code)
    return kpi.name_zh if kpi else code


# ---- role templates (考核模板) -----------------------------------------------------------------------
TEMPLATE_FIELDS = [
    Field("title", _l("Template name"), required=True),
    Field("role_code", _l("Role"), "choice", choices=ROLES, required=True),
    Field("notes", _l("Notes"), "textarea"),
]
TEMPLATE_LINE_FIELDS = [
    Field("kpi", _l("Indicator"), required=True, max_length=40, help=_l("The KPI's code, e.g. KPI-COMPLIANCE.")),
    Field("weight", _l("Weight (%)"), "decimal", required=True, minimum=0, maximum=100, total=True),
]


class AppraisalTemplate(Document, declared_columns([f for f in TEMPLATE_FIELDS if f.name != "title"]), db.Model):
    """考核模板: a role's KPIs and their weights."""
    __tablename__ = "hr_appraisal_template"
    lines = relationship(lambda: AppraisalTemplateLine, cascade="all, delete-orphan",
                         order_by=lambda: AppraisalTemplateLine.id, lazy="selectin")


class AppraisalTemplateLine(declared_columns(TEMPLATE_LINE_FIELDS), db.Model):
    __tablename__ = "hr_appraisal_template_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("hr_appraisal_template.id", ondelete="CASCADE"), index=True)


def weight_problems(lines) -> list[str]:
    """Why these (kpi, weight) lines are no valid template: unknown or repeated KPI, weights not 100."""
    kpis = catalogue()
    codes = [code for code, _w in lines]
    problems = [_("Unknown indicator %(code)s.", code=c) for c in codes if c not in kpis]
    if len(set(codes)) != len(codes):
        problems.append(_("An indicator is listed twice."))
    total = sum((Decimal(w or 0) for _c, w in lines), Decimal(0))
    if total != HUNDRED:
        problems.append(_("The weights add up to %(total)s, not 100.", total=total.normalize()))
    return problems


def save_template(template):
    taken = db.session.scalar(select(AppraisalTemplate.number).where(
        AppraisalTemplate.role_code == template.role_code, AppraisalTemplate.id != template.id).limit(1)) \
        if template.role_code else None
    if taken:
        raise ValidationFailed({"role_code": [_("The role has a template already (%(number)s): edit that one.",
                                                number=taken)]})
    if not template.lines:
        template.lines.extend(AppraisalTemplateLine(kpi=k, weight=Decimal(w))
                              for k, w in DEFAULT_TEMPLATES.get(template.role_code, ()))
    if problems := weight_problems([(line.kpi, line.weight) for line in template.lines]):
        raise ValidationFailed({"lines": problems})


TEMPLATE = DocType(
    code=TEMPLATE_CODE, model=AppraisalTemplate, label=_l("Appraisal template"),
    label_plural=_l("Appraisal templates"), fields=TEMPLATE_FIELDS, number_prefix="KM", number_reset="never",
    lines=Lines("lines", AppraisalTemplateLine, fields=TEMPLATE_LINE_FIELDS, blank_rows=0,
                label=_l("Indicators and weights")),
    menu_order=90, before_save=save_template,
)


def templates() -> dict[str, list[tuple[str, Decimal]]]:
    """role code -> [(kpi, weight)]: the saved templates, SPEC's defaults for roles without one."""
    found = {role: [(k, Decimal(w)) for k, w in lines] for role, lines in DEFAULT_TEMPLATES.items()}
    for template in db.session.scalars(select(AppraisalTemplate).order_by(AppraisalTemplate.id)):
        if template.lines:
            found[template.role_code] = [(line.kpi, Decimal(line.weight)) for line in template.lines]
    return found


def seed_templates(owner=None) -> int:
    """SPEC 3.6's role templates as records, once per role (idempotent), owned by `owner` (default:
    the first user; none yet: nothing, the defaults apply until then). Returns how many were made."""
    from core.auth.models import User
    from core.documents import service
    have = set(db.session.scalars(select(AppraisalTemplate.role_code)))
    owner = owner or db.session.scalar(select(User).order_by(User.id).limit(1))
    if owner is None:
        return 0
    made = 0
    names = dict(ROLES)
    for role, lines in DEFAULT_TEMPLATES.items():
        if role in have:
            continue
        template = service.new_document(TEMPLATE, owner)
        template.title, template.role_code = f"{names[role]}考核模板", role
        template.lines.extend(AppraisalTemplateLine(kpi=k, weight=Decimal(w)) for k, w in lines)
        service.assign_number(TEMPLATE, template)
        db.session.add(template)
        made += 1
    db.session.flush()
    return made


# ---- the engine ------------------------------------------------------------------------------------
@dataclass
class Measured:
    """A person's KPI as measured: ``score`` 0-100 (None: 无数据) and the text shown on the sheet."""
    score: Decimal | None
    detail: str = ""


def _combine(rows: list[dict]) -> Measured:
    """One person's answers for one KPI, per the hook's contract."""
    scores, due, on_time, points, rating_sum, rating_count = [], 0, 0, None, Decimal(0), 0
    for row in rows:
        if row.get("score") is not None:
            scores.append((Decimal(str(row["score"])), Decimal(str(row.get("weight") or 1))))
        if row.get("due") is not None:
            due += int(row["due"])
            on_time += int(row.get("on_time") or 0)
        if row.get("points") is not None:
            points = (points or Decimal(0)) + Decimal(str(row["points"]))
        if row.get("rating_count"):
            rating_sum += Decimal(str(row.get("rating_sum") or 0))
            rating_count += int(row["rating_count"])
    parts = []
    if scores:  # weighted: a module measuring part of a KPI says how much of it (SPEC's 40/30/30)
        parts.append(sum((s * w for s, w in scores), Decimal(0)) / sum((w for _s, w in scores), Decimal(0)))
    if due:
        parts.append(Decimal(on_time) * HUNDRED / Decimal(due))
    if points is not None:
        parts.append(max(Decimal(0), HUNDRED - points))
    if rating_count:
        parts.append(rating_sum / rating_count * 20)
    detail = "；".join(str(row["detail"]) for row in rows if row.get("detail"))
    if not parts:
        return Measured(NO_DATA, detail)
    score = min(HUNDRED, max(Decimal(0), sum(parts, Decimal(0)) / len(parts)))
    return Measured(score.quantize(CENT), detail)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return calendar.utc_bounds(start, end)


def violation_counts(user_ids, start: date, end: date) -> dict[int, int]:
    """Violations of core's registry (warned or deadline missed, not waived; refusals blocked the
    act, so they are not held against the person) per person in the period: one statement.
    Same rows as ``core.rules.violations_of`` per person, read for everybody at once."""
    first, after = _bounds(start, end)
    rows = db.session.execute(
        select(RuleViolation.user_id, func.count(RuleViolation.id))
        .where(RuleViolation.user_id.in_(list(user_ids)), RuleViolation.occurred_at >= first,
               RuleViolation.occurred_at < after, RuleViolation.waived_at.is_(None),
               RuleViolation.kind.in_(("warned", "deadline_missed")))
        .group_by(RuleViolation.user_id))
    return {user_id: n for user_id, n in rows}


def measure(kpis, user_ids, start: date, end: date) -> dict[tuple[int, str], Measured]:
    """(user id, KPI code) -> Measured for the quantitative ``kpis`` of ``user_ids``: the hook is
    called once for everybody; KPI-COMPLIANCE adds the registry's violations."""
    from core import settings
    user_ids, kpis = list(dict.fromkeys(user_ids)), list(dict.fromkeys(kpis))
    answers: dict[tuple[int, str], list[dict]] = {}
    if kpis and user_ids:
        for batch in current_app.extensions["erp"].pm.hook.hr_appraisal_metrics(
                kpis=kpis, user_ids=user_ids, start=start, end=end):
            for row in batch or ():
                if row.get("kpi") in kpis and row.get("user_id") in user_ids:
                    answers.setdefault((row["user_id"], row["kpi"]), []).append(row)
    if COMPLIANCE in kpis:
        points = Decimal(str(settings.get("hr.violation_points")))
        counts = violation_counts(user_ids, start, end)
        for user_id in user_ids:
            n = counts.get(user_id, 0)
            answers.setdefault((user_id, COMPLIANCE), []).append(
                {"points": points * n, "detail": _("%(n)s rule violations", n=n)})
    return {key: _combine(rows) for key, rows in answers.items()}


def department_averages(measured, reports: dict[int, list[int]]) -> dict[tuple[int, str], Measured]:
    """(manager, KPI-MGMT-CAPABILITY) -> the average KPI-COMPLIANCE and KPI-REPORT-TIMELINESS of his
    direct reports (each average over the reports having it; the two averaged, either alone)."""
    out = {}
    for manager, people in reports.items():
        parts, texts = [], []
        for code, label in ((COMPLIANCE, "规范执行"), (TIMELINESS, "报告时效")):
            scores = [m.score for p in people if (m := measured.get((p, code))) and m.score is not None]
            if scores:
                average = (sum(scores, Decimal(0)) / len(scores)).quantize(CENT)
                parts.append(average)
                texts.append(f"{label} {average}")
        if parts:
            score = (sum(parts, Decimal(0)) / len(parts)).quantize(CENT)
            out[(manager, MGMT)] = Measured(score, f"下属 {len(people)} 人 {'、'.join(texts)}")
    return out


def compute(cycle, user_ids, reports: dict[int, list[int]] | None = None) -> dict[tuple[int, str], Measured]:
    """The measured KPIs of the catalogue (quantitative and mixed) for ``user_ids`` over ``cycle``'s
    period (``period_start``..``period_end``): one hook call for all of them. ``reports``
    (manager -> his direct reports) are measured in the same call for KPI-MGMT-CAPABILITY."""
    reports = {m: people for m, people in (reports or {}).items() if people}
    codes = [code for code, kpi in catalogue().items() if kpi.measured and code != MGMT]
    everybody = list(dict.fromkeys([*user_ids, *(p for people in reports.values() for p in people)]))
    measured = measure(codes, everybody, cycle.period_start, cycle.period_end)
    measured.update(department_averages(measured, reports))
    return measured


def grade_of(total: Decimal | None) -> str:
    """A-E from ``hr.grade_bands`` (the lower bounds of A, B, C, D: "90,80,70,60")."""
    from core import settings
    if total is None:
        return ""
    bounds = [Decimal(b.strip()) for b in str(settings.get("hr.grade_bands")).split(",")]
    for letter, bound in zip("ABCD", bounds):
        if total >= bound:
            return letter
    return "E"


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [AppraisalTemplate, AppraisalTemplateLine]


@hookimpl
def erp_document_types():
    return [TEMPLATE]


@hookimpl
def erp_seed_data(app):
    seed_templates()


@hookimpl
def erp_roles():
    read = [f"{TEMPLATE_CODE}.read", f"{TEMPLATE_CODE}.read_all"]
    return [RoleTemplate("ROLE-ADM", permissions=read + [f"{TEMPLATE_CODE}.{a}" for a in ("create", "edit", "export")]),
            RoleTemplate("ROLE-GM", permissions=read)]


@hookimpl
def erp_settings():
    return [
        Setting("hr.taboo_points", "int", 5, _l("Points deducted per recorded taboo"),
                _l("Each taboo (工作禁忌) recorded on a sheet deducts this from KPI-COMPLIANCE."), min=0, max=100),
        Setting("hr.violation_points", "int", 2, _l("Points deducted per rule violation"),
                _l("Each violation of a rule in the period (not waived) deducts this from KPI-COMPLIANCE."),
                min=0, max=100),
        Setting("hr.missing_kpi_policy", "choice", "redistribute", _l("An indicator without data"),
                _l("redistribute: its weight is spread over the sheet's other indicators; manual: the superior "
                   "scores it by hand."), choices=(("redistribute", _l("Redistribute its weight")),
                                                   ("manual", _l("Scored by hand")))),
        Setting("hr.qualitative_weight", "int", 0, _l("Weight of the qualitative items in the total (%)"),
                _l("0: the total is the indicators' only (SPEC 3.6). Above 0: the indicators' total weighs 100 "
                   "less this, the superior's qualitative score this."), min=0, max=50),
        Setting("hr.appeal_days", "int", 3, _l("Days to acknowledge or appeal a result (working days)"),
                _l("R-H-031: after consolidation the employee acknowledges or appeals within this many working days."),
                min=1, max=30),
        Setting("hr.grade_bands", "str", "90,80,70,60", _l("Grade bands (lower bounds of A, B, C, D)"),
                _l("Total at or above the first: A 优秀; the second: B 良好; the third: C 合格; the fourth: "
                   "D 基本合格; below: E 不合格.")),
        Setting("hr.sales_kpi_basis", "choice", "signed", _l("Basis of the sales KPIs"),
                _l("What the sales KPIs (own, area, department, assisted reps) compare with the targets: "
                   "signed amount, collected amount or both (mixed)."),
                choices=(("signed", _l("Signed amount")), ("collected", _l("Collected amount")),
                         ("mixed", _l("Mixed")))),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-H-030", "考核主体", "The administration runs appraisal cycles; direct superiors score; the marketing "
             "director scores the engineering manager.", "block"),
        Rule("R-H-031", "考核结果确认", "Results are acknowledged by the employee; appeals within 3 working days to the "
             "administration.", "deadline", params=("hr.appeal_days",)),
        Rule("R-H-032", "数据口径", "Quantitative KPIs are computed from module data at consolidation and frozen in "
             "the sheet at cycle close.", "block"),
    ]
