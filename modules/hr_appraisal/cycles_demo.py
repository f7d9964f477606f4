"""Demo appraisal cycles (issue 19): last month's cycle of the 市场部 and 工程部 taken to closed
through the real workflow, its sheets covering every grade A-E (one appealed, then acknowledged),
and this month's cycle started with a few self-assessments done, so that sheets wait for the
superiors' scores (待我评分); the closed month's service surveys were submitted, the open one's
wait for their raters.

Every step is a save (core's guards and the sheet's own) or a transition (``engine.perform``: the
permission and conditions checked, audited) by the person who would do it. Registered as its own
part so that its ``erp_demo_data`` runs last (``trylast``): the sales and engineering demo data
are there when the KPIs are measured; without them the indicators are 无数据 and the totals come
from KPI-COMPLIANCE and the qualitative indicators.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

from flask import g
from sqlalchemy import select

from core import calendar_today
from core.extensions import db
from core.hookspecs import hookimpl

from . import cycles as C
from . import kpis as K
from . import surveys as S

DEPARTMENTS = ["MKT", "ENG"]
GRADE_ORDER = "ABCDE"
MAX_TABOOS = 20
QUALITY_COMMENTS = {1: "多次未按要求完成，需限期改进", 2: "表现不稳定，需加强", 3: "基本达到岗位要求",
                    4: "表现良好，能主动完成工作", 5: "表现突出，超出预期"}


@contextmanager
def _acting(user):
    """Saves check who is acting: a script names him in ``g.audit_user`` (core.auth.acting_user)."""
    before = g.get("audit_user")
    g.audit_user = user
    try:
        yield
    finally:
        g.audit_user = before


def _save_lines(sheet, user, rows, values=None):
    from core.documents import service
    with _acting(user):
        service.apply_values(C.SHEET, sheet, values or {}, lines=rows)
    db.session.commit()


def _perform(doc, doctype, name, user, comment=""):
    from core.workflow import engine
    with _acting(user):
        engine.perform(doctype, doc, name, user, comment)


def _rows(sheet):
    return [{"item": line.item, "weight": line.weight, "self_score": line.self_score, "mgr_score": line.mgr_score,
             "comment": line.comment, "day": line.day} for line in sheet.lines]


def self_assess(sheet, employee, score=4):
    rows = _rows(sheet)
    for row, line in zip(rows, sheet.lines):
        if line.kind == "quality":
            row["self_score"], row["comment"] = score, QUALITY_COMMENTS[score]
    _save_lines(sheet, employee, rows)
    _perform(sheet, C.SHEET, "submit_self", employee)


def _trial_total(sheet, hand: set[int], q: int, taboos: int, measured, catalogue):
    """The total and grade the sheet would get with the hand-scored indicators at `q` and
    `taboos` taboos recorded: the module's own computation on a copy."""
    lines = [SimpleNamespace(kind=line.kind, code=line.code, weight=line.weight, data=None, no_data=False,
                             score=None, mgr_score=(q if i in hand else line.mgr_score))
             for i, line in enumerate(sheet.lines) if line.kind != "taboo"]
    lines += [SimpleNamespace(kind="taboo") for _ in range(taboos)]
    copy = SimpleNamespace(state="consolidation", frozen=False, employee_id=sheet.employee_id, lines=lines,
                           taboo_points=None, total=None, grade=None, qualitative_score=None)
    C.score_sheet(copy, measured, catalogue)
    return copy.grade


def _options(sheet, measured, catalogue) -> dict[str, tuple[int, int]]:
    """grade -> (score of the hand-scored indicators, taboos) reaching it, the mildest first."""
    hand = {i for i, line in enumerate(sheet.lines) if line in C._hand_scored(sheet) and line.kind == "kpi"}
    found: dict[str, tuple[int, int]] = {}
    for taboos in range(MAX_TABOOS + 1):
        for q in (4, 3, 5, 2, 1) if hand else (4,):
            grade = _trial_total(sheet, hand, q, taboos, measured, catalogue)
            if grade:
                found.setdefault(grade, (q, taboos))
    return found


def plan_grades(options: list[dict]) -> list[str | None]:
    """A grade per sheet: every grade A-E on some sheet when possible (a matching of grades to
    sheets), the others the mildest grade they reach."""
    match: dict[int, str] = {}          # sheet index -> grade

    def place(grade, seen):
        for i, opts in enumerate(options):
            if grade in opts and i not in seen:
                seen.add(i)
                if i not in match or place(match[i], seen):
                    match[i] = grade
                    return True
        return False

    for grade in GRADE_ORDER:
        place(grade, set())
    out = []
    for i, opts in enumerate(options):
        mild = min(opts.values(), key=lambda o: (o[1], abs(o[0] - 4)), default=None)
        out.append(match.get(i) or next((gr for gr, o in opts.items() if o == mild), None))
    return out


def superior_scores(sheet, superior, q: int, taboos: int):
    rows = _rows(sheet)
    hand = C._hand_scored(sheet)
    for row, line in zip(rows, sheet.lines):
        if line in hand:
            score = q if line.kind == "kpi" else 4
            row["mgr_score"], row["comment"] = score, QUALITY_COMMENTS[score]
    allowed = K.TABOOS.get(sheet.role_code) or []
    start = sheet.period_start
    for n in range(taboos if allowed else 0):
        rows.append({"item": allowed[n % len(allowed)], "day": start + timedelta(days=(n * 3) % 28),
                     "comment": "上级检查时发现（演示数据）"})
    _save_lines(sheet, superior, rows, {"mgr_comment": "本月工作总体情况已面谈沟通。"})
    _perform(sheet, C.SHEET, "submit_scores", superior)


def rate_surveys(cycle):
    """Each rater of the cycle's service surveys (服务质量评价) rates and submits his."""
    from core.documents import service
    surveys = db.session.scalars(select(S.ServiceSurvey).where(S.ServiceSurvey.cycle_id == cycle.id,
                                                               S.ServiceSurvey.state == "draft")).all()
    raters = _users({s.rater_id for s in surveys})
    for survey in surveys:
        rater = raters[survey.rater_id]
        rows = [{"rating": 4 + i % 2, "comment": QUALITY_COMMENTS[4 + i % 2]} for i, _line in enumerate(survey.lines)]
        with _acting(rater):
            service.apply_values(S.SURVEY, survey, {}, lines=rows)
        db.session.commit()
        _perform(survey, S.SURVEY, "submit_ratings", rater)


def _users(ids):
    from core.auth.models import User
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(ids))))} if ids else {}


def _cycle_of(adm, day, departments):
    """A started cycle of `departments` for the month holding `day`; None if one exists already."""
    from core.documents import service
    start, _end = C.period_of("monthly", day)
    if db.session.scalar(select(C.AppraisalCycle.id).where(C.AppraisalCycle.period_start == start,
                                                           C.AppraisalCycle.cadence == "monthly").limit(1)):
        return None
    cycle = service.new_document(C.CYCLE, adm)
    with _acting(adm):
        service.apply_values(C.CYCLE, cycle, {"cadence": "monthly", "period_start": start,
                                              "departments": list(departments),
                                              "notes": "演示数据"})
    service.assign_number(C.CYCLE, cycle)
    db.session.add(cycle)
    db.session.commit()
    _perform(cycle, C.CYCLE, "start", adm)
    return cycle


def closed_cycle(adm, day) -> C.AppraisalCycle | None:
    """Last month's cycle: every sheet assessed, scored so that the grades cover A-E, consolidated,
    one appealed and consolidated again, all acknowledged, the cycle closed."""
    from core.workflow import engine
    cycle = _cycle_of(adm, day, DEPARTMENTS)
    if cycle is None:
        return None
    sheets = [s for s in C._cycle_sheets(cycle) if s.superior_id and s.employee_id]
    people = _users({s.employee_id for s in sheets} | {s.superior_id for s in sheets})
    for sheet in sheets:
        self_assess(sheet, people[sheet.employee_id], 4)
    rate_surveys(cycle)
    measured, catalogue = C.measure_people(sheets, cycle), K.catalogue()
    options = [_options(s, measured, catalogue) for s in sheets]
    for sheet, opts, grade in zip(sheets, options, plan_grades(options)):
        q, taboos = opts.get(grade, (4, 0))
        superior_scores(sheet, people[sheet.superior_id], q, taboos)
        _perform(sheet, C.SHEET, "consolidate", adm)
    # the D (else the lowest) result is appealed, looked at again and then acknowledged
    appealed = min(sheets, key=lambda s: (s.grade != "D", -GRADE_ORDER.find(s.grade or "A")), default=None)
    for sheet in sheets:
        employee = people[sheet.employee_id]
        if sheet is appealed:
            _perform(sheet, C.SHEET, "appeal", employee, "对本月定量指标的统计有异议，申请行政部复核。")
            _perform(sheet, C.SHEET, "consolidate", adm, "已核对各项指标数据，维持原结果。")
        _perform(sheet, C.SHEET, "acknowledge", employee)
    try:
        _perform(cycle, C.CYCLE, "close", adm)
    except engine.TransitionRefused:      # a sheet without a superior (an incomplete organisation)
        pass
    return cycle


def open_cycle(adm, day) -> C.AppraisalCycle | None:
    """This month's cycle, started; the first report of each superior has assessed himself."""
    cycle = _cycle_of(adm, day, DEPARTMENTS)
    if cycle is None:
        return None
    sheets = [s for s in C._cycle_sheets(cycle) if s.superior_id and s.employee_id]
    first: dict[int, C.AppraisalSheet] = {}
    for sheet in sheets:
        first.setdefault(sheet.superior_id, sheet)
    people = _users({s.employee_id for s in first.values()})
    for sheet in first.values():
        self_assess(sheet, people[sheet.employee_id], 4)
    return cycle


def demo() -> list:
    """Both cycles (idempotent: a month that has a cycle gets none). Commits."""
    from core.auth.models import users_with_roles
    adm = next(iter(users_with_roles("ROLE-ADM")), None)
    if adm is None:
        return []
    today = calendar_today.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    return [c for c in (closed_cycle(adm, last_month), open_cycle(adm, today)) if c is not None]


@hookimpl(trylast=True)
def erp_demo_data(app):
    demo()
