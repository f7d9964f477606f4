"""Appraisal cycles (考核周期) and sheets (考核表, F-E02 for engineering staff), WF-H01; rules R-H-030..R-H-032.

The 行政部 opens a monthly or quarterly cycle for chosen departments; starting it makes a sheet
for every active person of those departments holding a role with a template (考核模板), its
indicators and weights copied from the template, the quantitative ones measured at once
(kpis.compute: one ``hr_appraisal_metrics`` call for everybody). A sheet then goes:

自评 (self_assessment: the employee scores the qualitative items 1-5; the 行政部 may still change
the weights) → 上级评分 (manager_assessment: the direct superior only, R-H-030: the holder of the
position his position reports to, so the 市场总监 scores the 工程部经理; he scores the qualitative
items and indicators, records taboos) → 行政部汇总 (consolidation: the KPIs are measured again,
taboos deducted, total and grade computed) → 待确认 (acknowledgement: the employee acknowledges,
or appeals within ``hr.appeal_days`` working days, R-H-031, back to consolidation) → 已确认 →
已归档 (closed with the cycle: its values frozen, R-H-032; nothing measures a closed sheet again).

A score of 1, 2 or 5 needs a comment. An indicator without data (无数据) has its weight spread
over the others (``hr.missing_kpi_policy = redistribute``) or is scored by hand by the superior
(``manual``). A mixed indicator averages its measured value with the superior's rating.
Total = Σ weight × score / 100 (SPEC 3.6), or with ``hr.qualitative_weight`` = w > 0:
(100 − w) % of that plus w % of the superior's qualitative score; grade by ``hr.grade_bands``.
"""
from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar, calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import DocType, Document, Lines, Panel, PrintVariant, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import Issue, Transition, Workflow

from . import kpis as K

CYCLE_CODE = "hr_appraisal.cycle"
SHEET_CODE = "hr_appraisal.sheet"
CADENCES = [("monthly", _l("Monthly")), ("quarterly", _l("Quarterly"))]
DEPARTMENTS = [("MKT", "市场部"), ("ENG", "工程部"), ("PUR", "采购部"), ("ADM", "行政部"), ("FIN", "财务部")]
GRADES = [("A", "A 优秀"), ("B", "B 良好"), ("C", "C 合格"), ("D", "D 基本合格"), ("E", "E 不合格")]
LINE_KINDS = [("kpi", _l("Indicator")), ("quality", _l("Qualitative item")), ("taboo", _l("Taboo"))]
# F-E02's qualitative items for engineering staff; the generic ones for others (SPEC 1.4).
ENG_ITEMS = ["工作态度", "团队协作", "技术能力提升", "客户沟通", "执行力"]
GENERIC_ITEMS = ["工作态度", "团队协作", "工作主动性", "责任心"]
SCORING = ("self_assessment", "manager_assessment", "consolidation")
CONSOLIDATED = ("acknowledgement", "acknowledged", "closed")


# ---- cycles ---------------------------------------------------------------------------------------
CYCLE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("cadence", _l("Cycle"), "choice", choices=CADENCES, required=True, default="monthly"),
    Field("period_start", _l("Period (any day in it)"), "date", required=True),
    Field("departments", _l("Departments"), "multichoice", choices=DEPARTMENTS, required=True),
    Field("period_end", _l("Period to"), "date", readonly=True),
    Field("sheet_count", _l("Sheets"), "integer", readonly=True),
    Field("notes", _l("Notes"), "textarea"),
]


class AppraisalCycle(Document, declared_columns([f for f in CYCLE_FIELDS if f.name != "title"]), db.Model):
    """考核周期."""
    __tablename__ = "hr_appraisal_cycle"


def period_of(cadence: str, day: date) -> tuple[date, date]:
    """The calendar month or quarter holding `day`: (first day, last day)."""
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1) if cadence == "quarterly" else day.replace(day=1)
    last_month = first.month + (2 if cadence == "quarterly" else 0)
    return first, date(first.year, last_month, monthrange(first.year, last_month)[1])


def save_cycle(cycle):
    if cycle.period_start is None or cycle.cadence is None:
        return
    cycle.period_start, cycle.period_end = period_of(cycle.cadence, cycle.period_start)
    names = dict(DEPARTMENTS)
    depts = "、".join(names.get(d, d) for d in cycle.departments or ())
    when = (f"{cycle.period_start.year}年{cycle.period_start.month}月" if cycle.cadence == "monthly"
            else f"{cycle.period_start.year}年第{(cycle.period_start.month - 1) // 3 + 1}季度")
    cycle.title = f"{when}考核 {depts}"[:200]


def every_sheet_acknowledged(cycle, user) -> list[Issue]:
    """R-H-031: a cycle closes when each sheet is acknowledged or its appeal window has passed."""
    today = calendar_today.today()
    sheets = db.session.execute(select(AppraisalSheet.number, AppraisalSheet.state, AppraisalSheet.appeal_due)
                                .where(AppraisalSheet.cycle_id == cycle.id).order_by(AppraisalSheet.id)).all()
    waiting = [s.number for s in sheets if s.state != "acknowledged" and not (
        s.state == "acknowledgement" and s.appeal_due is not None and s.appeal_due < today)]
    if waiting:
        return [Issue(_("Sheets not acknowledged yet (appeal window open or not consolidated): %(numbers)s (R-H-031).",
                        numbers="、".join(waiting[:20])), code="R-H-031")]
    return []


MANAGE = "hr_appraisal.cycle.manage"
CYCLE_WORKFLOW = Workflow(
    states={"open": _l("Not started"), "assessment": _l("Assessment"), "closed": _l("Closed")},
    initial="open",
    transitions=[
        Transition("start", _l("Start: make the sheets and collect the data"), ["open"], "assessment",
                   permission=MANAGE, style="success"),
        Transition("collect", _l("Collect the KPI data again"), ["assessment"], None, permission=MANAGE,
                   style="outline-primary", waits=False,
                   done_message=_l("The data of the sheets not consolidated yet was collected again.")),
        Transition("close", _l("Close the cycle"), ["assessment"], "closed", permission=MANAGE,
                   conditions=[every_sheet_acknowledged], style="outline-secondary"),
    ],
)


# ---- sheets ---------------------------------------------------------------------------------------
SHEET_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("cycle", _l("Appraisal cycle"), "reference", target=CYCLE_CODE, readonly=True),
    Field("employee", _l("Employee"), "user", readonly=True),
    Field("position", _l("Position"), readonly=True, max_length=80),
    Field("role_code", _l("Role"), "choice", choices=K.ROLES, readonly=True, listed=False),
    Field("superior", _l("Scored by"), "user", readonly=True),
    Field("period_start", _l("Period from"), "date", readonly=True),
    Field("period_end", _l("Period to"), "date", readonly=True),
    Field("total", _l("Total"), "decimal", readonly=True),
    Field("grade", _l("Grade"), "choice", choices=GRADES, readonly=True),
    Field("qualitative_score", _l("Qualitative score"), "decimal", readonly=True, listed=False),
    Field("taboo_points", _l("Taboo deductions"), "decimal", readonly=True, listed=False),
    Field("mgr_comment", _l("Superior's opinion"), "textarea", editable_in=("manager_assessment",)),
    Field("appeal_due", _l("Acknowledge or appeal by"), "date", readonly=True),
    Field("appeal_reason", _l("Appeal"), "textarea", readonly=True),
    Field("frozen", _l("Frozen"), "bool", readonly=True, listed=False),
]
# The module writes the kind, code, data and score of a line; a line added by hand is a taboo.
LINE_FIELDS = [
    Field("kind", _l("Kind"), "choice", choices=LINE_KINDS, readonly=True, default="taboo"),
    Field("code", _l("Code"), max_length=40, readonly=True),
    Field("item", _l("Item"), required=True, max_length=200),
    Field("data", _l("Data"), max_length=400, readonly=True),
    Field("weight", _l("Weight (%)"), "decimal", minimum=0, maximum=100, total=True),
    Field("no_data", _l("No data"), "bool", readonly=True, listed=False),   # the data says 无数据
    Field("score", _l("Score"), "decimal", readonly=True),
    Field("self_score", _l("Self score (1-5)"), "integer", minimum=1, maximum=5),
    Field("mgr_score", _l("Superior's score (1-5)"), "integer", minimum=1, maximum=5),
    Field("comment", _l("Comment"), max_length=400),
    Field("day", _l("Date"), "date"),
]


class AppraisalSheetLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "hr_appraisal_sheet_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("hr_appraisal_sheet.id", ondelete="CASCADE"), index=True)


class AppraisalSheet(Document, declared_columns([f for f in SHEET_FIELDS if f.name not in ("title", "cycle")]),
                     db.Model):
    """考核表 (F-E02 for engineering staff)."""
    __tablename__ = "hr_appraisal_sheet"
    cycle_id: Mapped[int] = mapped_column(ForeignKey("hr_appraisal_cycle.id"), index=True)
    lines = relationship(AppraisalSheetLine, cascade="all, delete-orphan", order_by=AppraisalSheetLine.id,
                         lazy="selectin")


# The line columns the module sets: nobody changes them through a save.
OWN_COLUMNS = ("kind", "code", "item", "data", "no_data", "score")
# Who may change which column, in which state (the kind of line it is on).
EDITS = {"weight": ("kpi", "self_assessment", "admin"), "self_score": ("quality", "self_assessment", "employee"),
         "mgr_score": (("kpi", "quality"), "manager_assessment", "superior")}


def _stored_lines(sheet_id) -> list[dict]:
    t = AppraisalSheetLine.__table__
    return [dict(row._mapping) for row in db.session.execute(
        select(t).where(t.c.sheet_id == sheet_id).order_by(t.c.id))]


def _who(sheet, user) -> set[str]:
    found = set()
    if user.id == sheet.employee_id:
        found.add("employee")
    if user.id == sheet.superior_id:
        found.add("superior")
    if user.can(MANAGE):
        found.add("admin")
    return found


def save_sheet(sheet):
    """Guards of a save (R-H-030): the module's columns and lines stay; the employee scores
    himself in self-assessment, the 行政部 sets weights before scoring, only the direct superior
    scores, comments and records taboos in manager assessment."""
    from core.auth import acting_user
    if sheet.id is None or sheet.cycle_id is None:
        raise ValidationFailed({}, [_("Appraisal sheets are made by starting an appraisal cycle (R-H-030).")])
    if sheet.frozen:
        raise ValidationFailed({}, [_("A closed sheet is frozen: its values no longer change (R-H-032).")])
    user = acting_user()
    if user is None:
        return
    who = _who(sheet, user)
    for line in sheet.lines:
        if not line.kind:       # a line added by hand
            line.kind = "taboo"
    before = _stored_lines(sheet.id)
    fixed = [line for line in sheet.lines if line.kind != "taboo"]
    stored_fixed = [row for row in before if row["kind"] != "taboo"]
    problems = []
    if len(fixed) != len(stored_fixed):
        problems.append(_("The indicators and qualitative items of a sheet cannot be added or removed."))
    for line, row in zip(fixed, stored_fixed):
        for column in OWN_COLUMNS:
            setattr(line, column, row[column])
        for column, (kinds, state, role) in EDITS.items():
            if getattr(line, column) != row[column] and not (
                    row["kind"] in kinds and sheet.state == state and role in who):
                problems.append(_("“%(item)s”: you may not change this score or weight now (R-H-030).",
                                  item=row["item"]))
        if (line.comment or "") != (row["comment"] or "") and not (
                (sheet.state == "self_assessment" and "employee" in who)
                or (sheet.state == "manager_assessment" and "superior" in who)):
            problems.append(_("“%(item)s”: you may not change this comment now (R-H-030).", item=row["item"]))
    taboos = [(t.item, t.day, t.comment or "") for t in sheet.lines if t.kind == "taboo"]
    stored_taboos = [(r["item"], r["day"], r["comment"] or "") for r in before if r["kind"] == "taboo"]
    if taboos != stored_taboos:
        if not (sheet.state == "manager_assessment" and "superior" in who):
            problems.append(_("Only the direct superior records taboos, while he scores (R-H-030)."))
        allowed = K.TABOOS.get(sheet.role_code, [])
        for item, _day, _note in taboos:
            if item not in allowed:
                problems.append(_("“%(item)s” is no taboo of the role: choose one of %(list)s.", item=item,
                                  list="、".join(allowed)))
    if problems:
        raise ValidationFailed({"lines": list(dict.fromkeys(problems))})


def comment_problems(sheet, column: str) -> list[str]:
    """A score of 1, 2 or 5 needs a comment (SPEC 3.6)."""
    return [_named(line) for line in sheet.lines
            if getattr(line, column) in (1, 2, 5) and not (line.comment or "").strip()]


def _missing(sheet, column: str, lines) -> list[str]:
    return [_named(line) for line in lines if getattr(line, column) is None]


def _named(line) -> str:
    """A line as a refusal names it: an indicator with its code (a survey's line has none)."""
    code = getattr(line, "code", None)
    return f"{code} {line.item}" if code and not line.item.startswith(code) else line.item


def self_assessed(sheet, user) -> list[Issue]:
    issues = []
    if user.id != sheet.employee_id:
        issues.append(Issue(_("Only the employee assesses himself (R-H-030)."), code="R-H-030"))
    if missing := _missing(sheet, "self_score", [line for line in sheet.lines if line.kind == "quality"]):
        issues.append(Issue(_("Give your score of %(items)s.", items="、".join(missing)), field="lines"))
    if uncommented := comment_problems(sheet, "self_score"):
        issues.append(Issue(_("A score of 1, 2 or 5 needs a comment: %(items)s.", items="、".join(uncommented)),
                            field="lines"))
    return issues


def _hand_scored(sheet) -> list:
    """The lines the superior scores: qualitative items, qualitative and mixed indicators, and
    indicators without data when ``hr.missing_kpi_policy`` is manual."""
    catalogue = K.catalogue()
    manual = settings.get("hr.missing_kpi_policy") == "manual"
    return [line for line in sheet.lines if line.kind == "quality" or (line.kind == "kpi" and (
        (catalogue.get(line.code) is not None and catalogue[line.code].rated) or (manual and line.no_data)))]


def superior_scored(sheet, user) -> list[Issue]:
    issues = []
    if user.id == sheet.employee_id:
        issues.append(Issue(_("Nobody scores his own sheet as superior (R-H-030)."), code="R-H-030"))
    elif user.id != sheet.superior_id:
        issues.append(Issue(_("Only the direct superior scores this sheet (R-H-030)."), code="R-H-030"))
    if missing := _missing(sheet, "mgr_score", _hand_scored(sheet)):
        issues.append(Issue(_("Give your score of %(items)s.", items="、".join(missing)), field="lines"))
    if uncommented := comment_problems(sheet, "mgr_score"):
        issues.append(Issue(_("A score of 1, 2 or 5 needs a comment: %(items)s.", items="、".join(uncommented)),
                            field="lines"))
    return issues


def the_employee(sheet, user) -> list[Issue]:
    return [] if user.id == sheet.employee_id else [Issue(_("Only the employee acknowledges his result (R-H-031)."), code="R-H-031")]


def within_appeal_window(sheet, user) -> list[Issue]:
    issues = the_employee(sheet, user)
    if sheet.appeal_due is not None and calendar_today.today() > sheet.appeal_due:
        issues.append(Issue(_("The appeal window closed on %(day)s (R-H-031).", day=sheet.appeal_due.isoformat()),
                            code="R-H-031"))
    return issues


SHEET_WORKFLOW = Workflow(
    states={"self_assessment": _l("Self assessment"), "manager_assessment": _l("Superior's assessment"),
            "consolidation": _l("Consolidation"), "acknowledgement": _l("Awaiting acknowledgement"),
            "acknowledged": _l("Acknowledged"), "closed": _l("Closed")},
    initial="self_assessment",
    editable_states=("self_assessment", "manager_assessment"),
    transitions=[
        Transition("submit_self", _l("Submit my self assessment"), ["self_assessment"], "manager_assessment",
                   permission="hr_appraisal.access", conditions=[self_assessed], style="success",
                   signs=_l("Employee")),
        Transition("submit_scores", _l("Submit my scores"), ["manager_assessment"], "consolidation",
                   permission="hr_appraisal.sheet.score", conditions=[superior_scored], style="success",
                   signs=_l("Superior")),
        Transition("consolidate", _l("Consolidate"), ["consolidation"], "acknowledgement", permission=MANAGE,
                   style="success", signs=_l("Administration")),
        Transition("acknowledge", _l("Acknowledge the result"), ["acknowledgement"], "acknowledged",
                   permission="hr_appraisal.access", conditions=[the_employee], style="success"),
        Transition("appeal", _l("Appeal to the administration"), ["acknowledgement"], "consolidation",
                   permission="hr_appraisal.access", conditions=[within_appeal_window], comment_required=True,
                   comment_label=_l("Why you appeal"), style="outline-danger"),
        Transition("close", _l("Close"), ["acknowledgement", "acknowledged"], "closed", automatic=True),
    ],
)


def is_engineering(sheet) -> bool:
    """An engineering staff's sheet: F-E02's items and print are his."""
    return (sheet.role_code or "").startswith("ROLE-ENG")


def _fe02_rows(sheet) -> list:
    """F-E02's closing rows: the penalties of the month, total and grade in full."""
    grade = dict(GRADES).get(sheet.grade or "", "")
    return [(_l("Taboo deductions"), f"{sheet.taboo_points or 0:g}"),
            (_l("Total"), f"{sheet.total:.2f}" if sheet.total is not None else "", True),
            (_l("Grade"), grade, True)]


# F-E02 工程部人员月考评表: the engineering staff's monthly sheet, as the paper form (employee,
# position, month, quantitative lines, qualitative lines, taboos, total and grade, the signatures).
FE02 = PrintVariant("fe02", _l("Engineering staff monthly appraisal (F-E02)"), title="工程部人员月考评表",
                    fields=("employee", "position", "period_start", "period_end", "superior", "mgr_comment",
                            "appeal_reason"),
                    omit=("no_data", "code"), rows=_fe02_rows, internal=True, when=is_engineering)


def sheet_visibility(user):
    return AppraisalSheet.superior_id == user.id


SHEET = DocType(
    code=SHEET_CODE, model=AppraisalSheet, label=_l("Appraisal sheet"), label_plural=_l("Appraisal sheets"),
    fields=SHEET_FIELDS, workflow=SHEET_WORKFLOW, number_prefix="KP", number_reset="monthly",
    print_title="员工考核表",
    lines=Lines("lines", AppraisalSheetLine, fields=LINE_FIELDS, blank_rows=0, label=_l("Indicators and items"),
                wide=True),
    visibility=sheet_visibility, edited_by=lambda doc, user: user.id == doc.superior_id,
    before_save=save_sheet, menu_order=20, search=("position",), prints=[FE02],
)

CYCLE = DocType(
    code=CYCLE_CODE, model=AppraisalCycle, label=_l("Appraisal cycle"), label_plural=_l("Appraisal cycles"),
    fields=CYCLE_FIELDS, workflow=CYCLE_WORKFLOW, number_prefix="KH", menu_order=10, before_save=save_cycle,
)
CYCLE.relate(Related(_l("Appraisal sheets"), SHEET_CODE, "cycle_id", limit=500))


# ---- computing a sheet ---------------------------------------------------------------------------
def score_sheet(sheet, measured: dict, catalogue: dict) -> None:
    """Put the measured values on the sheet's indicator lines, deduct the taboos from KPI-COMPLIANCE
    and compute the total and grade. A closed sheet is never touched (R-H-032)."""
    if sheet.state == "closed" or sheet.frozen:
        return
    policy = settings.get("hr.missing_kpi_policy")
    taboos = [line for line in sheet.lines if line.kind == "taboo"]
    sheet.taboo_points = Decimal(settings.get("hr.taboo_points")) * len(taboos)
    weighted, weights = Decimal(0), Decimal(0)
    for line in sheet.lines:
        if line.kind != "kpi":
            continue
        kpi = catalogue.get(line.code)
        if kpi is not None and kpi.kind == "mixed":
            score, line.data = _mixed_score(line, measured.get((sheet.employee_id, line.code)))
            line.no_data = score is None
        elif kpi is not None and kpi.quantitative:
            m = measured.get((sheet.employee_id, line.code), K.Measured(K.NO_DATA, ""))
            score, line.data = m.score, (m.detail or "")[:400]
            if line.code == K.COMPLIANCE and score is not None and taboos:
                score = max(Decimal(0), score - sheet.taboo_points)
                line.data = f"{line.data}；工作禁忌 {len(taboos)} 次"[:400]
            line.no_data = score is None
            if score is None and policy == "manual" and line.mgr_score:
                score = Decimal(line.mgr_score * 20)
            if score is None and not line.data:
                line.data = "无数据"
        else:
            line.no_data = False
            score = Decimal(line.mgr_score * 20) if line.mgr_score else None
        line.score = score
        if score is not None:
            weighted += Decimal(line.weight or 0) * score
            weights += Decimal(line.weight or 0)
        elif policy == "manual":
            weights += Decimal(line.weight or 0)
    # redistribute: the weights of the lines without data are spread over the others in proportion
    base = weights if policy == "redistribute" else K.HUNDRED
    total = (weighted / base).quantize(K.CENT) if base else None
    quality = [line.mgr_score for line in sheet.lines if line.kind == "quality" and line.mgr_score]
    sheet.qualitative_score = (Decimal(sum(quality)) * 20 / len(quality)).quantize(K.CENT) if quality else None
    share = Decimal(settings.get("hr.qualitative_weight") or 0)
    if share and total is not None and sheet.qualitative_score is not None:
        total = ((total * (K.HUNDRED - share) + sheet.qualitative_score * share) / K.HUNDRED).quantize(K.CENT)
    sheet.total = total
    # The grade is given from consolidation on: before it the total is provisional (scores missing).
    sheet.grade = (K.grade_of(sheet.total) or None) if sheet.state not in SCORING[:2] else None


def _mixed_score(line, measured) -> tuple[Decimal | None, str]:
    """A mixed KPI's score: the measured value and the superior's rating (1-5 → 20..100) averaged,
    either alone if the other is missing; the data text shows both parts."""
    rating = Decimal(line.mgr_score * 20) if line.mgr_score else None
    value = measured.score if measured is not None else None
    parts = [v for v in (value, rating) if v is not None]
    score = (sum(parts, Decimal(0)) / len(parts)).quantize(K.CENT) if parts else None
    found = f"实测 {value}" if value is not None else "实测 无数据"
    if measured is not None and measured.detail:
        found += f"（{measured.detail}）"
    rated = f"上级评分 {rating:.0f}" if rating is not None else "上级评分 待评"
    return score, f"{found}；{rated}"[:400]


def measure_people(sheets, cycle) -> dict:
    """The measured KPIs of the people of `sheets`, and of the direct reports of those whose sheet
    has KPI-MGMT-CAPABILITY: one hook call."""
    managers = [s.employee_id for s in sheets if any(line.code == K.MGMT for line in s.lines)]
    return K.compute(cycle, [s.employee_id for s in sheets], _reports_of(managers))


def measure_sheets(sheets, cycle) -> None:
    """Measure and score `sheets` (of `cycle`): one hook call for all of them."""
    sheets = [s for s in sheets if s.state != "closed" and not s.frozen]
    if not sheets:
        return
    measured, catalogue = measure_people(sheets, cycle), K.catalogue()
    for sheet in sheets:
        score_sheet(sheet, measured, catalogue)


def _superiors_of(user_ids) -> dict[int, int]:
    """user id -> the first holder (not a deputy) of the position his position reports to: two statements."""
    from core.auth.models import User
    from core.org.models import Position, UserPosition
    rows = db.session.execute(select(UserPosition.user_id, Position.reports_to_id, Position.name)
                              .join(Position, Position.id == UserPosition.position_id)
                              .where(UserPosition.user_id.in_(list(user_ids)), UserPosition.is_deputy.is_(False))
                              .order_by(UserPosition.id)).all()
    boss_positions = {r.reports_to_id for r in rows if r.reports_to_id}
    holders = {}
    for position_id, user_id in db.session.execute(
            select(UserPosition.position_id, UserPosition.user_id).join(User, User.id == UserPosition.user_id)
            .where(UserPosition.position_id.in_(boss_positions), UserPosition.is_deputy.is_(False),
                   User.active.is_(True)).order_by(UserPosition.id)):
        holders.setdefault(position_id, user_id)
    out = {}
    for r in rows:
        if r.user_id not in out and r.reports_to_id in holders:
            out[r.user_id] = holders[r.reports_to_id]
    return out


def _reports_of(managers) -> dict[int, list[int]]:
    """manager -> his direct reports: the active people :func:`_superiors_of` gives him as superior
    (three statements; none without managers)."""
    from core.auth.models import User
    from core.org.models import Position, UserPosition
    managers = set(managers)
    if not managers:
        return {}
    held = select(UserPosition.position_id).where(UserPosition.user_id.in_(managers),
                                                  UserPosition.is_deputy.is_(False))
    candidates = db.session.scalars(
        select(UserPosition.user_id).join(Position, Position.id == UserPosition.position_id)
        .join(User, User.id == UserPosition.user_id)
        .where(Position.reports_to_id.in_(held), UserPosition.is_deputy.is_(False), User.active.is_(True))
        .order_by(UserPosition.user_id)).all()
    out: dict[int, list[int]] = {}
    for person, boss in _superiors_of(dict.fromkeys(candidates)).items():
        if boss in managers and person != boss:
            out.setdefault(boss, []).append(person)
    return out


def _positions_of(user_ids) -> dict[int, str]:
    from core.org.models import Position, UserPosition
    out = {}
    for user_id, name in db.session.execute(select(UserPosition.user_id, Position.name)
                                            .join(Position, Position.id == UserPosition.position_id)
                                            .where(UserPosition.user_id.in_(list(user_ids))).order_by(UserPosition.id)):
        out.setdefault(user_id, name)
    return out


def make_sheets(cycle, user) -> list[AppraisalSheet]:
    """A sheet for each active person of the cycle's departments whose role has a template: a fixed
    number of statements whatever the number of people."""
    from core.auth.models import Role, User, user_roles
    from core.documents import service
    from core.org.models import Department
    K.seed_templates(user)
    templates = K.templates()
    order = [code for code, _name in K.ROLES]
    dept_ids = list(db.session.scalars(select(Department.id).where(Department.code.in_(cycle.departments or ()))))
    people: dict[int, tuple] = {}
    for uid, name, dept, role in db.session.execute(
            select(User.id, User.full_name, User.department_id, Role.code).select_from(User)
            .join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
            .where(User.active.is_(True), User.department_id.in_(dept_ids), Role.code.in_(order))
            .order_by(User.id)):
        current = people.get(uid)
        if current is None or order.index(role) < order.index(current[2]):
            people[uid] = (name, dept, role)
    superiors, positions = _superiors_of(people), _positions_of(people)
    managers = [uid for uid, (_n, _d, role) in people.items() if any(c == K.MGMT for c, _w in templates.get(role, ()))]
    measured, catalogue = K.compute(cycle, list(people), _reports_of(managers)), K.catalogue()
    roles = dict(K.ROLES)
    sheets = []
    for uid, (name, dept, role) in people.items():
        sheet = service.new_document(SHEET, user)
        sheet.owner_id, sheet.department_id = uid, dept
        sheet.cycle_id, sheet.employee_id, sheet.role_code = cycle.id, uid, role
        sheet.superior_id = superiors.get(uid)
        sheet.position = positions.get(uid) or roles.get(role, role)
        sheet.period_start, sheet.period_end = cycle.period_start, cycle.period_end
        sheet.title = f"{cycle.title.split(' ')[0]} {name or ''}".strip()[:200]
        sheet.lines = [AppraisalSheetLine(kind="kpi", code=code, item=K.kpi_name(code, catalogue), weight=weight)
                       for code, weight in templates.get(role, [])]
        items = ENG_ITEMS if is_engineering(sheet) else GENERIC_ITEMS
        sheet.lines += [AppraisalSheetLine(kind="quality", item=item) for item in items]
        score_sheet(sheet, measured, catalogue)     # measured before the rows are written: no update after
        sheets.append(sheet)
    service.assign_numbers(SHEET, sheets)
    db.session.add_all(sheets)
    cycle.sheet_count = len(sheets)
    return sheets


def _cycle_sheets(cycle, states=None):
    stmt = select(AppraisalSheet).where(AppraisalSheet.cycle_id == cycle.id)
    if states:
        stmt = stmt.where(AppraisalSheet.state.in_(states))
    return db.session.scalars(stmt.order_by(AppraisalSheet.id)).all()


def close_sheets(cycle) -> int:
    """Close `cycle`'s acknowledged (or deemed acknowledged) sheets and freeze their values
    (R-H-032) in a fixed number of statements whatever the number of sheets: one read of their
    ids and states, one UPDATE of state, frozen and version, one UPDATE deciding open
    submissions, and an audited transition entry per sheet (written in one batch with the
    cycle's). The values frozen are those computed at consolidation: nothing measures them again.
    Same outcome as carrying each sheet through its ``close`` transition (its only side effect
    is ``frozen``), without a statement per sheet. Returns how many were closed."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from core.audit import log as audit
    from core.workflow.models import Submission
    sheet = AppraisalSheet
    rows = db.session.execute(select(sheet.id, sheet.state).where(
        sheet.cycle_id == cycle.id, sheet.state.in_(("acknowledgement", "acknowledged")))).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    db.session.execute(
        update(sheet).where(sheet.cycle_id == cycle.id, sheet.state.in_(("acknowledgement", "acknowledged")))
        .values(state="closed", frozen=True, updated_at=datetime.now(UTC), version=sheet.version + 1)
        .execution_options(synchronize_session=False))
    db.session.execute(update(Submission).where(
        Submission.doctype == SHEET_CODE, Submission.status == "open",
        Submission.doc_id.in_(select(sheet.id).where(sheet.cycle_id == cycle.id, sheet.state == "closed")))
        .values(status="decided").execution_options(synchronize_session=False))
    for row in rows:
        audit.record(db.session, "transition", sheet.__tablename__, row.id,
                     {"transition": "close", "from": row.state, "to": "closed", "comment": cycle.number})
    closed = set(ids)
    for obj in list(db.session.identity_map.values()):   # sheets read earlier in the request: read again
        if isinstance(obj, AppraisalSheet) and obj.id in closed:
            db.session.expire(obj)
    return len(ids)


@hookimpl
def erp_transition_done(document, transition, user, comment):
    if isinstance(document, AppraisalCycle):
        if transition.name == "start":
            make_sheets(document, user)
        elif transition.name == "collect":
            measure_sheets(_cycle_sheets(document, SCORING), document)
        elif transition.name == "close":
            close_sheets(document)
    elif isinstance(document, AppraisalSheet):
        if transition.name == "consolidate":
            cycle = db.session.get(AppraisalCycle, document.cycle_id)
            measure_sheets([document], cycle)
            days = int(settings.get("hr.appeal_days"))
            document.appeal_due = calendar.add_working_days(calendar_today.today(), days)
        elif transition.name == "appeal":
            document.appeal_reason = comment
        elif transition.name == "close":
            document.frozen = True


# ---- reminders ------------------------------------------------------------------------------------
@hookimpl
def erp_reminders(now):
    """F-E02's timing: the self-assessment by the last working day of the period, the superior's
    scores by the 3rd working day after it, the acknowledgement by the appeal date (R-H-031).
    One statement for every open sheet."""
    from core.reminders import Reminder, daily_before_end_of_work
    rows = db.session.execute(
        select(AppraisalSheet.id, AppraisalSheet.number, AppraisalSheet.title, AppraisalSheet.state,
               AppraisalSheet.employee_id, AppraisalSheet.superior_id, AppraisalSheet.period_end,
               AppraisalSheet.appeal_due)
        .where(AppraisalSheet.state.in_(("self_assessment", "manager_assessment", "acknowledgement")))).all()
    reminders = []
    for row in rows:
        url = f"/hr_appraisal/sheet/{row.id}"
        if row.state == "self_assessment" and row.employee_id:
            day = row.period_end if calendar.is_working_day(row.period_end) else \
                calendar.previous_working_day(row.period_end)
            reminders.append(Reminder(f"{SHEET_CODE}.self:{row.id}", row.employee_id,
                                      _("Assess yourself: %(number)s %(title)s", number=row.number, title=row.title),
                                      daily_before_end_of_work(day), url=url))
        elif row.state == "manager_assessment" and row.superior_id:
            day = calendar.add_working_days(row.period_end, 3)
            reminders.append(Reminder(f"{SHEET_CODE}.score:{row.id}", row.superior_id,
                                      _("Score your report: %(number)s %(title)s", number=row.number, title=row.title),
                                      daily_before_end_of_work(day), url=url))
        elif row.state == "acknowledgement" and row.employee_id and row.appeal_due:
            reminders.append(Reminder(f"{SHEET_CODE}.ack:{row.id}", row.employee_id,
                                      _("Acknowledge or appeal your appraisal result: %(number)s", number=row.number),
                                      daily_before_end_of_work(row.appeal_due), url=url))
    return reminders


# ---- results --------------------------------------------------------------------------------------
def results(cycle_id: int) -> dict:
    """Per department and grade, the number of consolidated sheets: one grouped statement."""
    from core.org.models import Department
    rows = db.session.execute(
        select(Department.name, AppraisalSheet.grade, func.count(AppraisalSheet.id), func.avg(AppraisalSheet.total))
        .outerjoin(Department, Department.id == AppraisalSheet.department_id)
        .where(AppraisalSheet.cycle_id == cycle_id, AppraisalSheet.grade.is_not(None),
               AppraisalSheet.state.in_(CONSOLIDATED))
        .group_by(Department.name, AppraisalSheet.grade)).all()
    grades = [g for g, _label in GRADES]
    by_dept: dict[str, dict] = {}
    for dept, grade, n, _avg in rows:
        by_dept.setdefault(dept or "-", dict.fromkeys(grades, 0))[grade] = n
    return {"grades": grades, "departments": by_dept,
            "distribution": {g: sum(d[g] for d in by_dept.values()) for g in grades}}


def results_panel(cycle, user):
    """The cycle page's results: grade distribution chart and the table by department; shown to
    whoever sees every sheet (the 行政部)."""
    if not user.can(f"{SHEET_CODE}.read_all"):
        return None
    from core.dashboard import Chart, Dataset
    data = results(cycle.id)
    labels = [label for _g, label in GRADES]
    data["chart"] = Chart("bar", labels, [Dataset(_l("Sheets"), [data["distribution"][g] for g in data["grades"]])]
                          ).config()
    return data


CYCLE.add_panel(Panel("hr_appraisal/cycle_results.html", results_panel, label=_l("Results by department and grade"),
                      scripts=("vendor/chartjs/chart.umd.min.js", "js/dashboard.js")))


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [AppraisalCycle, AppraisalSheet, AppraisalSheetLine]


@hookimpl
def erp_document_types():
    return [CYCLE, SHEET]


EVERYONE = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-PSE", "ROLE-MKT-AST",
            "ROLE-PS-MGR", "ROLE-ENG-MGR", "ROLE-ENG-PE", "ROLE-PUR-MGR", "ROLE-PUR-BUY", "ROLE-ADM", "ROLE-FIN")


@hookimpl
def erp_roles():
    # Self assessment, acknowledgement and appeal are everybody's (permission hr_appraisal.access),
    # the conditions checking he is the sheet's employee.
    own = ["hr_appraisal.access", f"{SHEET_CODE}.read", f"{SHEET_CODE}.edit"]
    admin = [f"{CYCLE_CODE}.{a}" for a in ("read", "read_all", "create", "edit", "export")] + [
        f"{SHEET_CODE}.read_all", f"{SHEET_CODE}.export", MANAGE]
    return [RoleTemplate(role, permissions=own + (admin if role == "ROLE-ADM" else [])) for role in EVERYONE]
