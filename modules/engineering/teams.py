"""The qualified construction-team register (合格施工队名录, X-E11; R-E-091, R-E-099, R-E-080) and the
monthly team assessment (工程部施工队月度考核表, F-E03; R-E-098, WF-E09).

A construction team is a core party with the party role ``construction_team`` plus its engineering
profile ``ConstructionTeam``: leader, business licence (its unified social credit code is the
party's, so one register without duplicates) or the leader's ID number and a guarantor company,
bank account, work types (the outsourceable list of R-E-090), accident insurance, the team code
(施工队守则, 3.3.6) version its leader acknowledged, and lines of qualifications and workers'
certificates with their expiry dates (their scans are the team's attachments).

A 项目工程师 or the 工程部经理 enters a candidate (候选); the 工程部经理 approves it (合格) after the
registration checks (licence or ID + guarantor, valid insurance, current code acknowledged), giving
its starting grade (B unless he sets another); he suspends it by hand with a reason (暂停),
reinstates it, or removes it from the register (淘汰). A team is also suspended automatically when
an approved monthly assessment grades it D, or C for the second month running (R-E-091), and by
other parts through ``suspend(team, reason, user)`` (repeated code breaches, P-09).

``team_issues(team)`` says why a team may not be invited, awarded or enter the site today;
``grades_of(team_ids)`` gives the teams' last approved monthly grades (for comparison sheets).

The monthly assessment (F-E03) is filled by a 项目工程师 for each team that worked in the month
(one per team per month) with SPEC's seven criteria and their weights; its total gives the grade by
the bands ``eng.team_grade_bands`` (A ≥ 90, B 80-89, C 70-79, D < 70); the 工程部经理's approval
sets the team's grade (L1). Due on the last working day of the month, approved by the 3rd working
day of the next (reminders).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, UniqueConstraint, false, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.dashboard import Chart, Dataset, Widget
from core.documents import Column, DocType, Document, Lines, Panel, Related
from core.documents.fields import Field, declared_columns, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.parties.models import register_party_role
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, lifecycles

CODE = "engineering.team"
ASSESSMENT_CODE = "engineering.team_assessment"
PARTY_ROLE = "construction_team"
register_party_role(PARTY_ROLE, _l("Construction team"))

TEAM_GRADES = ("A", "B", "C", "D")
STATES = {"candidate": _l("Candidate"), "approved": _l("Qualified"), "suspended": _l("Suspended"),
          "removed": _l("Removed from the register")}
LEGAL_FORMS = [("company", _l("Company")), ("labour_team", _l("Individual / labour team"))]
# R-E-090: the outsourceable work types.
WORK_TYPES = [("cabling", _l("Cabling")), ("conduit", _l("Conduit and trunking")),
              ("installation", _l("Installation")), ("civil", _l("Civil works"))]
QUALIFICATION_KINDS = [("licence", _l("Business licence")), ("qualification", _l("Qualification certificate")),
                       ("safety_licence", _l("Safety production licence")),
                       ("worker_certificate", _l("Worker's certificate")), ("insurance", _l("Insurance"))]

# 施工队守则 (SPEC 3.3.6): the items shown on the team's page, each with the penalty it maps to.
CODE_ITEMS = [
    ("R-E-080", "守则确认：队长确认现行版本守则，工人已交底，确认记录在施工队档案。", ""),
    ("R-E-081", "服从管理：服从项目工程师和客户现场规定（门禁、作业时间、动火或停电许可）。", "P-09"),
    ("R-E-082", "持证上岗：电工、焊工、登高作业人员持有效证件（电工证、登高作业证），进场前提交名单。", "P-06"),
    ("R-E-083", "安全防护：佩戴安全帽，2米以上高处作业系安全带，使用绝缘工具，不得私接临时电源。", "P-06"),
    ("R-E-084", "文明施工：现场禁止吸烟饮酒、打架；按要求佩戴工牌、穿工服；控制噪音和粉尘。", "P-09"),
    ("R-E-085", "工完场清：每日及完工后清理现场，清运垃圾。", "P-09"),
    ("R-E-086", "成品保护：保护客户财产和已完工程，损坏立即报告。", "P-16"),
    ("R-E-087", "按图施工：严格按图纸、标识方案和规范施工，不得替换材料。", "P-04"),
    ("R-E-088", "不私下交涉：不得与客户直接商谈范围、价格或增项，一切请求经项目工程师。", "P-09"),
    ("R-E-089", "材料管理：甲供材料签收、妥善保管、专用于本项目，余料退回，不得私卖。", "P-11"),
    ("R-E-08A", "保密：不得复制、拍摄或泄露图纸、网络拓扑、密码和客户信息。", "P-14"),
    ("R-E-08B", "不得转包：不得再分包或雇用未登记的施工队。", "P-15"),
    ("R-E-08C", "事故报告：事故和质量问题立即报告项目工程师。", "P-05"),
    ("R-E-08D", "自检：每项工作报完工前先自检（R-E-040）。", "P-02"),
]


def today() -> date:
    return calendar_today.today()


# ---- 合格施工队名录 X-E11 ---------------------------------------------------------------------------
TEAM_FIELDS = [
    Field("title", _l("Team name"), required=True),
    Field("legal_form", _l("Legal form"), "choice", choices=LEGAL_FORMS, default="labour_team"),
    Field("leader_name", _l("Team leader"), required=True, max_length=60),
    Field("leader_id_no", _l("Leader's ID number"), max_length=18, listed=False,
          help=_l("Required (with a guarantor company) when the team has no business licence.")),
    Field("licence_no", _l("Business licence (unified social credit code)"), max_length=18, listed=False),
    Field("guarantor", _l("Guarantor company"), max_length=200, listed=False,
          help=_l("Required when the team registers with its leader's ID only.")),
    Field("phone", _l("Phone"), required=True, max_length=40),
    Field("bank_name", _l("Bank"), listed=False),
    Field("bank_account", _l("Bank account"), listed=False, max_length=40),
    Field("work_types", _l("Work types"), "multichoice", choices=WORK_TYPES, required=True),
    Field("leader_user", _l("Leader's user account"), "user", listed=False),
    Field("grade", _l("Grade"), "choice", choices=[(g, g) for g in TEAM_GRADES], readonly=True),
    Field("grade_month", _l("Graded for the month"), readonly=True, max_length=7, listed=False),
    Field("status_reason", _l("Reason of the status"), "textarea", readonly=True),
    Field("insurance_policy_no", _l("Accident insurance policy no."), max_length=60, listed=False),
    Field("insurance_expiry", _l("Insurance valid until"), "date"),
    Field("code_ack_version", _l("Team code version acknowledged"), readonly=True, max_length=20),
    Field("code_ack_date", _l("Team code acknowledged on"), "date", readonly=True, listed=False),
    Field("references", _l("References (past projects)"), "textarea", listed=False),
    Field("notes", _l("Notes"), "textarea"),
]

QUALIFICATION_FIELDS = [
    Field("kind", _l("Kind"), "choice", choices=QUALIFICATION_KINDS, required=True),
    Field("name", _l("Certificate"), required=True, max_length=120,
          help=_l("e.g. 电工证, 登高作业证, 电子与智能化工程专业承包资质")),
    Field("holder", _l("Holder"), max_length=60),
    Field("certificate_no", _l("Certificate no."), max_length=60),
    Field("valid_until", _l("Expires on"), "date"),
]


class ConstructionTeam(Document, declared_columns([f for f in TEAM_FIELDS if f.name != "title"]), db.Model):
    """合格施工队名录条目 (X-E11): the engineering profile of a core party with the construction team role."""
    __tablename__ = "eng_team"
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), unique=True)

    party = relationship("Party", lazy="joined")
    qualifications = relationship(lambda: TeamQualification, cascade="all, delete-orphan",
                                  order_by=lambda: TeamQualification.id, lazy="selectin")

    @property
    def status(self) -> str:
        return self.state

    def __str__(self):
        return self.title


class TeamQualification(declared_columns(QUALIFICATION_FIELDS), db.Model):
    """A licence, qualification, safety licence, worker's certificate or insurance, with its expiry."""
    __tablename__ = "eng_team_qualification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("eng_team.id", ondelete="CASCADE"), index=True)


def save_team(team):
    """Every team is a core party with the construction team role (its business licence is the
    party's credit code: no duplicates). A 项目工程师 edits candidates only."""
    from core.auth import acting_user
    from core.parties import services as parties
    user = acting_user()
    if team.id is not None and team.state != "candidate" and user is not None and not user.can(f"{CODE}.approve"):
        raise ValidationFailed({}, [_("Only the engineering manager changes a team of the register once approved.")])
    team.licence_no = parties.normalize_credit_code(team.licence_no)
    try:
        if team.party_id is None:
            party = parties.create_party(team.title, roles=[PARTY_ROLE], credit_code=team.licence_no,
                                         phone=team.phone or "")
            team.party_id = party.id
        else:
            party = db.session.get(parties.Party, team.party_id)
            changes = {k: v for k, v in (("name", team.title), ("credit_code", team.licence_no))
                       if getattr(party, k) != v}
            if changes:
                parties.update_party(party, **changes)
            if PARTY_ROLE not in {r.role for r in party.roles}:
                parties.add_role(party, PARTY_ROLE)
    except parties.ValidationError as exc:
        names = {"name": "title", "credit_code": "licence_no"}
        raise ValidationFailed({names.get(k, k): v if isinstance(v, list) else [v] for k, v in exc.errors.items()})


# ---- eligibility ----------------------------------------------------------------------------------
def insured_until(team) -> date | None:
    """The day the team's accident insurance runs to (the policy on the register)."""
    return team.insurance_expiry


def registration_issues(team, on: date | None = None, field: str | None = None) -> list[Issue]:
    """What the register asks of a team (R-E-091, R-E-099, R-E-080), the fields named on the team
    (or all `field`)."""
    on = on or today()
    issues = []
    if not team.licence_no and not (team.leader_id_no or "").strip():
        issues.append(Issue(_("Record the team's business licence or its leader's ID number (R-E-091)."),
                            field=field or "licence_no", code="R-E-091"))
    elif not team.licence_no and not (team.guarantor or "").strip():
        issues.append(Issue(_("A team registered with its leader's ID needs a guarantor company (R-E-091)."),
                            field=field or "guarantor", code="R-E-091"))
    until = insured_until(team)
    if until is None or not (team.insurance_policy_no or "").strip():
        issues.append(Issue(_("Record the accident insurance of %(team)s's workers (R-E-099).", team=team.title),
                            field=field or "insurance_expiry", code="R-E-099"))
    elif until < on:
        issues.append(Issue(_("The accident insurance of %(team)s expired on %(day)s (R-E-099).", team=team.title,
                              day=until.isoformat()), field=field or "insurance_expiry", code="R-E-099"))
    current = settings.get("eng.team_code_version")
    if team.code_ack_version != current:
        message = _("The leader of %(team)s has not acknowledged the team code version %(version)s (R-E-080).",
                    team=team.title, version=current)
        issues.append(Issue(message, field=field or "code_ack_version", code="R-E-080"))
    return issues


def grade_below(grade: str | None, minimum: str) -> bool:
    rank = {g: n for n, g in enumerate(TEAM_GRADES)}
    return rank.get(grade or "B", 1) > rank.get(minimum, 1)


def team_issues(team, on: date | None = None, min_grade: str | None = None) -> list[Issue]:
    """Why ``team`` may not be invited, awarded or enter the site on ``on`` (today): not an
    approved team of the register, suspended or removed, graded below ``min_grade`` (default
    ``eng.min_team_grade``) (R-E-091), no valid accident insurance (R-E-099), the current team code
    not acknowledged (R-E-080), neither licence nor ID with a guarantor (R-E-091). Every issue
    names the field ``team_id``."""
    if team is None:
        return [Issue(_("Choose a team of the qualified construction-team register (R-E-091)."), field="team_id",
                      code="R-E-091")]
    issues = []
    if team.state != "approved":
        issues.append(Issue(_("%(team)s is not a qualified team of the register (%(state)s) (R-E-091).",
                              team=team.title, state=STATES.get(team.state, team.state)), field="team_id",
                            code="R-E-091"))
    minimum = min_grade or settings.get("eng.min_team_grade")
    if grade_below(team.grade, minimum):
        issues.append(Issue(_("%(team)s is graded %(grade)s, below the minimum grade %(minimum)s (R-E-091).",
                              team=team.title, grade=team.grade, minimum=minimum), field="team_id", code="R-E-091"))
    return issues + registration_issues(team, on, field="team_id")


def grades_of(team_ids, months: int = 3) -> dict[int, list[tuple[str, str, Decimal]]]:
    """team id -> its last ``months`` approved monthly grades, newest first, as (month "YYYY-MM",
    grade, score). One query, whatever the number of teams."""
    ids = list(team_ids)
    out: dict[int, list] = {i: [] for i in ids}
    if not ids:
        return out
    ranked = select(TeamAssessment.team_id, TeamAssessment.month, TeamAssessment.grade, TeamAssessment.total,
                    func.row_number().over(partition_by=TeamAssessment.team_id,
                                           order_by=TeamAssessment.month.desc()).label("n")).where(
        TeamAssessment.team_id.in_(ids), TeamAssessment.state.in_(DONE)).subquery()
    for row in db.session.execute(select(ranked).where(ranked.c.n <= months).order_by(ranked.c.team_id, ranked.c.n)):
        out[row.team_id].append((row.month, row.grade, row.total))
    return out


def tell_managers(team, key: str, title, body="") -> None:
    from core.auth.models import users_with_roles
    from core.reminders import notify
    for manager in users_with_roles("ROLE-ENG-MGR"):
        notify(manager.id, f"{CODE}:{team.id}:{key}", title, body, f"/engineering/team/{team.id}")


def remove(team, reason: str, user) -> bool:
    """Remove a team from the register (淘汰) as the consequence of something else (a confirmed
    penalty terminating the team, e.g. the third breach of the team code in six months, P-09):
    audited as the team's transition with ``reason``, the 工程部经理 notified. Not committed. False
    when the team was removed already (nothing done)."""
    from core.workflow import engine
    if team.state == "removed":
        return False
    engine.carry(team, "auto_remove", user, because=reason)
    team.status_reason = reason
    tell_managers(team, f"removed:{team.version}", _("Construction team removed from the register: %(team)s",
                                                      team=team.title), reason)
    return True


def suspend(team, reason: str, user) -> bool:
    """Suspend an approved team (暂停) as the consequence of something else (a second C month, a
    grade D, repeated breaches of the team code): audited as the team's transition with ``reason``,
    the reason kept on the team, the 工程部经理 notified. Not committed. False when the team was
    not approved (nothing done)."""
    from core.workflow import engine
    if team.state != "approved":
        return False
    engine.carry(team, "auto_suspend", user, because=reason)
    team.status_reason = reason
    tell_managers(team, f"suspended:{team.version}", _("Construction team suspended: %(team)s", team=team.title),
                  reason)
    return True


# ---- the register's workflow ----------------------------------------------------------------------
def registration_checks(team, user) -> list[Issue]:
    return registration_issues(team)


TEAM_WORKFLOW = Workflow(
    states=STATES, initial="candidate", editable_states=("candidate", "approved", "suspended"),
    transitions=[
        Transition("approve", _l("Approve into the register"), ["candidate"], "approved", style="success",
                   conditions=[registration_checks], signs=_l("Engineering manager"),
                   fields=[Field("grade", _l("Starting grade"), "choice", choices=[(g, g) for g in TEAM_GRADES],
                                 required=True, default="B")]),
        Transition("acknowledge_code", _l("Record the code acknowledgement"), ["candidate", "approved", "suspended"],
                   None, style="outline-primary", waits=False,
                   comment_label=_l("Note"),
                   fields=[Field("code_ack_date", _l("Signed by the leader on"), "date", required=True,
                                 default=lambda team: today())],
                   done_message=_l("The team code acknowledgement is recorded.")),
        Transition("suspend", _l("Suspend"), ["approved"], "suspended", comment_required=True,
                   comment_label=_l("Reason"), style="warning"),
        Transition("auto_suspend", _l("Suspended automatically"), ["approved"], "suspended", automatic=True),
        Transition("reinstate", _l("Reinstate"), ["suspended"], "approved", conditions=[registration_checks],
                   comment_required=True, comment_label=_l("Reason"), style="success"),
        Transition("remove", _l("Remove from the register"), ["candidate", "approved", "suspended"], "removed",
                   comment_required=True, comment_label=_l("Reason"), style="danger"),
        Transition("auto_remove", _l("Removed automatically"), ["candidate", "approved", "suspended"], "removed",
                   automatic=True),
    ],
)


def code_panel(team, user) -> dict:
    current = settings.get("eng.team_code_version")
    return {"version": current, "acknowledged": team.code_ack_version, "on": team.code_ack_date,
            "current": team.code_ack_version == current, "items": CODE_ITEMS}


TEAM = DocType(
    code=CODE, model=ConstructionTeam, label=_l("Construction team"), label_plural=_l("Construction team register"),
    fields=TEAM_FIELDS, workflow=TEAM_WORKFLOW, number_prefix="SGD", number_reset="never",
    print_title="合格施工队名录条目", menu_order=80, before_save=save_team,
    lines=Lines("qualifications", TeamQualification, fields=QUALIFICATION_FIELDS, blank_rows=2,
                label=_l("Qualifications and workers' certificates")),
    panels=[Panel("engineering/team_code.html", code_panel, label=_l("Construction team code"))],
    search=("leader_name", "licence_no", "phone"),
)


# ---- 工程部施工队月度考核表 F-E03 -------------------------------------------------------------------
# SPEC F-E03's criteria and their default weights (maximum scores).
CRITERIA = [("progress", _l("Progress against schedule"), 20), ("quality", _l("Workmanship quality"), 30),
            ("safety", _l("Safety and civilised work"), 15), ("code", _l("Compliance with the team code"), 10),
            ("cooperation", _l("Cooperation and obedience to site management"), 10),
            ("documentation", _l("Documents and labelling"), 5), ("customer", _l("Customer's evaluation"), 10)]
ELIGIBILITY = [("normal", _l("Normal")), ("warning", _l("Warning")), ("suspended", _l("Awards suspended"))]
DONE = ("approved", "archived")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

CRITERION_FIELDS = [
    Field("item", _l("Criterion"), "choice", choices=[(c, label) for c, label, _w in CRITERIA], required=True),
    Field("max_score", _l("Maximum"), "decimal", required=True, minimum=0, maximum=100, total=True),
    Field("score", _l("Score"), "decimal", minimum=0, maximum=100, total=True),
    Field("deduction_reason", _l("Reason of deductions"), max_length=300),
]


def criteria_rows() -> list[dict]:
    """SPEC's seven criteria with their maximum scores: the rows an assessment starts with."""
    return [{"item": code, "max_score": Decimal(weight)} for code, _label, weight in CRITERIA]


def this_month() -> str:
    return today().strftime("%Y-%m")


ASSESSMENT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("team", _l("Construction team"), "reference", target=CODE, required=True,
          where=lambda T, user: T.state.in_(("approved", "suspended")),
          refusal=_l("Only teams of the register are assessed.")),
    Field("team_leader", _l("Team leader"), readonly=True, max_length=60),
    Field("month", _l("Month assessed"), required=True, max_length=7, default=lambda: this_month(),
          help=_l("YYYY-MM")),
    Field("projects", _l("Projects worked on this month"), "textarea", required=True,
          help=_l("Project, work done, workers and person-days.")),
    Field("penalty_points", _l("Penalty deductions this month"), "decimal", readonly=True, listed=False),
    Field("total", _l("Total score"), "decimal", readonly=True),
    Field("grade", _l("Grade"), "choice", choices=[(g, g) for g in TEAM_GRADES], readonly=True),
    Field("eligibility", _l("Eligibility next month"), "choice", choices=ELIGIBILITY, readonly=True),
    Field("pe_sig", _l("Project engineer"), "sig", readonly=True),
    Field("team_ack", _l("Team's acknowledgement"), "xsig"),
]


class TeamAssessment(Document, declared_columns([f for f in ASSESSMENT_FIELDS if f.name not in ("title", "team")]),
                     db.Model):
    """工程部施工队月度考核表 (F-E03): one per team per month."""
    __tablename__ = "eng_team_assessment"
    __table_extra__ = (UniqueConstraint("team_id", "month"),)
    team_id: Mapped[int] = mapped_column(ForeignKey("eng_team.id"), index=True)

    team = relationship(ConstructionTeam, lazy="joined")
    criteria = relationship(lambda: AssessmentCriterion, cascade="all, delete-orphan",
                            order_by=lambda: AssessmentCriterion.id, lazy="selectin")


class AssessmentCriterion(declared_columns(CRITERION_FIELDS), db.Model):
    __tablename__ = "eng_team_assessment_criterion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("eng_team_assessment.id", ondelete="CASCADE"), index=True)


# Parts append ``(team_id, month "YYYY-MM") -> Decimal``: the points a team loses in the month
# (its confirmed penalties, WF-E08), deducted from the assessment's total while it is a draft.
PENALTY_POINTS: list[Callable] = []


def penalty_source(source):
    """Register a part's penalty points of a team in a month (idempotent)."""
    if source not in PENALTY_POINTS:
        PENALTY_POINTS.append(source)
    return source


def month_range(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    return first, date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)


def quality_rate(team, month: str) -> Decimal | None:
    """一次合格率 (R-E-045) of the self-checks of the month naming the team (F-E06's team), in %."""
    from sqlalchemy import case

    from .selfchecks import DONE as CHECKED
    from .selfchecks import SelfCheck, SelfCheckItem, rate
    first, last = month_range(month)
    row = db.session.execute(
        select(func.count(SelfCheckItem.id), func.sum(case((SelfCheckItem.result == "passed", 1), else_=0)))
        .join(SelfCheck, SelfCheck.id == SelfCheckItem.selfcheck_id)
        .where(SelfCheck.team == team.title, SelfCheck.state.in_(CHECKED), SelfCheck.check_date >= first,
               SelfCheck.check_date <= last, SelfCheckItem.result.in_(("passed", "failed")))).one()
    return rate(int(row[1] or 0), int(row[0] or 0))


def bands() -> tuple[Decimal, Decimal, Decimal]:
    """The lowest totals of grades A, B and C (``eng.team_grade_bands``, "90,80,70")."""
    try:
        a, b, c = (Decimal(part.strip()) for part in str(settings.get("eng.team_grade_bands")).split(","))
    except (ValueError, InvalidOperation):
        a, b, c = Decimal(90), Decimal(80), Decimal(70)
    return a, b, c


def grade_of(total) -> str:
    """The grade of a total score by the bands (A ≥ 90, B 80-89, C 70-79, D < 70 by default)."""
    a, b, c = bands()
    total = Decimal(total or 0)
    return "A" if total >= a else "B" if total >= b else "C" if total >= c else "D"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def approved_grade(team_id: int, month: str) -> str | None:
    return db.session.scalar(select(TeamAssessment.grade).where(
        TeamAssessment.team_id == team_id, TeamAssessment.month == month, TeamAssessment.state.in_(DONE)))


def eligibility(team_id: int, month: str, grade: str) -> str:
    """R-E-091: D, or C for the second month running, suspends; C once warns."""
    if grade == "D" or (grade == "C" and approved_grade(team_id, previous_month(month)) == "C"):
        return "suspended"
    return "warning" if grade == "C" else "normal"


def save_assessment(assessment):
    team = db.session.get(ConstructionTeam, assessment.team_id) if assessment.team_id else None
    if team is None:
        raise ValidationFailed({"team_id": [_("Choose the team assessed.")]})
    month = (assessment.month or "").strip()
    if not MONTH.match(month) or month > this_month():
        raise ValidationFailed({"month": [_("Give a month that has begun as YYYY-MM (e.g. 2026-11).")]})
    assessment.month = month
    clash = select(TeamAssessment.number).where(TeamAssessment.team_id == team.id, TeamAssessment.month == month)
    if assessment.id:
        clash = clash.where(TeamAssessment.id != assessment.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"month": [_(
            "%(team)s already has its assessment of %(month)s (%(number)s): one per team per month.",
            team=team.title, month=month, number=number)]})
    assessment.team = team
    assessment.team_leader = team.leader_name
    assessment.title = f"{team.title} {month}"[:200]
    if not assessment.criteria:
        assessment.criteria.extend(AssessmentCriterion(**row) for row in criteria_rows())
    # Quality left blank: pre-filled from the first-pass rate of the team's self-checks of the month (F-E03).
    quality = next((c for c in assessment.criteria if c.item == "quality" and c.score is None), None)
    passed = quality_rate(team, month) if quality is not None else None
    if passed is not None:
        quality.score = (Decimal(quality.max_score or 0) * passed / 100).quantize(Decimal("0.01"))
        quality.deduction_reason = quality.deduction_reason or _("Self-check first-pass rate %(rate)s%%", rate=passed)
    if assessment.state == "draft" and PENALTY_POINTS:
        assessment.penalty_points = sum((Decimal(source(team.id, month) or 0) for source in PENALTY_POINTS),
                                        Decimal(0))
    over = [f"{n}" for n, c in enumerate(assessment.criteria, start=1)
            if c.score is not None and c.max_score is not None and c.score > c.max_score]
    if over:
        raise ValidationFailed({"criteria": [_("The score of line %(lines)s is above its maximum.",
                                               lines="、".join(over))]})
    if sum((c.max_score or 0) for c in assessment.criteria) != 100:
        raise ValidationFailed({"criteria": [_("The maximum scores of the criteria add up to 100.")]})
    scored = sum((Decimal(c.score) for c in assessment.criteria if c.score is not None), Decimal(0))
    assessment.total = max(Decimal(0), scored - Decimal(assessment.penalty_points or 0)).quantize(Decimal("0.01"))
    assessment.grade = grade_of(assessment.total)
    assessment.eligibility = eligibility(team.id, month, assessment.grade)


def every_criterion_scored(assessment, user) -> list[Issue]:
    unscored = [f"{n}" for n, c in enumerate(assessment.criteria, start=1) if c.score is None]
    if unscored:
        return [Issue(_("Score every criterion: line %(lines)s.", lines="、".join(unscored)), field="criteria",
                      code="R-E-098")]
    return []


def with_transition(workflow, name: str, **changes):
    workflow.transitions = [replace(t, **changes) if t.name == name else t for t in workflow.transitions]
    return workflow


ASSESSMENT_WORKFLOW = with_transition(
    lifecycles.application([ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))]),
    "submit", conditions=(every_criterion_scored,), signs=_l("Project engineer"))

ASSESSMENT = DocType(
    code=ASSESSMENT_CODE, model=TeamAssessment, label=_l("Team monthly assessment"),
    label_plural=_l("Team monthly assessments"), fields=ASSESSMENT_FIELDS, workflow=ASSESSMENT_WORKFLOW,
    number_prefix="SK", print_title="工程部施工队月度考核表", menu_order=82, before_save=save_assessment,
    lines=Lines("criteria", AssessmentCriterion, fields=CRITERION_FIELDS, blank_rows=0,
                label=_l("Assessment criteria"), initial=criteria_rows),
    columns=[Column("month", _l("Month assessed")), Column("total", _l("Total score"), kind="number"),
             Column("grade", _l("Grade")),
             Column("eligibility", _l("Eligibility next month"), kind="choice", choices=dict(ELIGIBILITY))],
    search=("month", "team_leader"),
)
TEAM.relate(Related(_l("Monthly assessments"), ASSESSMENT_CODE, "team_id"))
TEAM.add_panel(Panel("engineering/team_grades.html",
                     lambda team, user: {"rows": grades_of([team.id], months=12)[team.id]}, label=_l("Grade history")))


def assessment_approved(assessment, user) -> None:
    """The approved grade becomes the team's (the latest month's); D, or C twice running, suspends."""
    team = assessment.team
    if team.grade_month is None or assessment.month >= team.grade_month:
        team.grade, team.grade_month = assessment.grade, assessment.month
    assessment.eligibility = eligibility(team.id, assessment.month, assessment.grade)
    if assessment.eligibility == "suspended":
        if assessment.grade == "D":
            reason = _("Graded D in %(month)s (%(number)s) (R-E-091).", month=assessment.month,
                       number=assessment.number)
        else:
            reason = _("Graded C in two consecutive months, %(previous)s and %(month)s (%(number)s) (R-E-091).",
                       previous=previous_month(assessment.month), month=assessment.month, number=assessment.number)
        suspend(team, reason, user)


@hookimpl
def erp_transition_done(document, transition, user, comment):
    if isinstance(document, ConstructionTeam):
        if transition.name in ("suspend", "reinstate", "remove", "auto_suspend", "auto_remove"):
            document.status_reason = comment or ""
        elif transition.name == "acknowledge_code":
            document.code_ack_version = settings.get("eng.team_code_version")
            document.code_ack_date = document.code_ack_date or today()
    elif isinstance(document, TeamAssessment):
        if transition.name == "submit":
            sign(document, "pe_sig", user, "agree")
        elif transition.name == "approve" and document.state == "approved":
            assessment_approved(document, user)


# ---- reminders ------------------------------------------------------------------------------------
def expiry_reminders(now) -> list:
    """Insurance and certificates expiring within ``eng.team_expiry_notice_days`` (or expired) of
    the teams of the register, to every 工程部经理."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder
    horizon = today() + timedelta(days=int(settings.get("eng.team_expiry_notice_days")))
    managers = [u.id for u in users_with_roles("ROLE-ENG-MGR")]
    live = ("candidate", "approved", "suspended")
    insurance = db.session.execute(select(ConstructionTeam.id, ConstructionTeam.title, ConstructionTeam.insurance_expiry)
                                   .where(ConstructionTeam.state.in_(live),
                                          ConstructionTeam.insurance_expiry <= horizon)).all()
    certificates = db.session.execute(select(ConstructionTeam.id, ConstructionTeam.title, TeamQualification.name,
                                             TeamQualification.holder, TeamQualification.valid_until).join(
        TeamQualification, TeamQualification.team_id == ConstructionTeam.id).where(
        ConstructionTeam.state.in_(live), TeamQualification.valid_until <= horizon)).all()
    out = []
    for row in insurance:
        for uid in managers:
            out.append(Reminder(f"{CODE}.insurance:{row.id}:{row.insurance_expiry}:{uid}", uid,
                                _("Accident insurance of %(team)s expires on %(day)s", team=row.title,
                                  day=row.insurance_expiry.isoformat()),
                                cal.deadline_end_of_work(row.insurance_expiry), url=f"/engineering/team/{row.id}"))
    for row in certificates:
        name = f"{row.name} {row.holder}".strip() if row.holder else row.name
        for uid in managers:
            out.append(Reminder(f"{CODE}.certificate:{row.id}:{name}:{row.valid_until}:{uid}", uid,
                                _("Certificate of %(team)s expires on %(day)s: %(name)s", team=row.title,
                                  day=row.valid_until.isoformat(), name=name),
                                cal.deadline_end_of_work(row.valid_until), url=f"/engineering/team/{row.id}"))
    return out


def assessment_reminders(now) -> list:
    """WF-E09: each approved team's assessment of the month by its last working day, to the
    项目工程师 (until one is begun); the submitted ones approved by the 3rd working day of the next
    month, to the 工程部经理."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder, month_end
    day = now.astimezone(cal.timezone()).date()
    month = day.strftime("%Y-%m")
    begun = select(TeamAssessment.team_id).where(TeamAssessment.month == month)
    teams = db.session.execute(select(ConstructionTeam.id, ConstructionTeam.title).where(
        ConstructionTeam.state == "approved", ConstructionTeam.id.not_in(begun))).all()
    due = month_end(day)
    out = [Reminder(f"{ASSESSMENT_CODE}:{row.id}:{month}:{pe.id}", pe.id,
                    _("Assess %(team)s for %(month)s (F-E03)", team=row.title, month=month), due,
                    url=f"/engineering/team_assessment/new?team_id={row.id}")
           for row in teams for pe in users_with_roles("ROLE-ENG-PE")]
    waiting = db.session.execute(select(TeamAssessment.id, TeamAssessment.number, TeamAssessment.title,
                                        TeamAssessment.month).where(TeamAssessment.state == "submitted")).all()
    managers = [u.id for u in users_with_roles("ROLE-ENG-MGR")]
    for row in waiting:
        year, number = (int(p) for p in row.month.split("-"))
        last = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
        by = cal.deadline_end_of_work(cal.add_working_days(last, 3))
        out += [Reminder(f"{ASSESSMENT_CODE}.approve:{row.id}:{uid}", uid,
                         _("Approve the team assessment %(number)s %(title)s", number=row.number, title=row.title),
                         by, url=f"/engineering/team_assessment/{row.id}") for uid in managers]
    return out


@hookimpl
def erp_reminders(now):
    return expiry_reminders(now) + assessment_reminders(now)


# ---- dashboard ------------------------------------------------------------------------------------
@hookimpl
def erp_dashboard_widgets(user):
    """The register at a glance for the 工程部经理: qualified teams by grade, and the suspended."""
    from flask import url_for

    from .dashboard import ENGINEERING
    if not user.can(f"{CODE}.approve"):
        return []
    rows = db.session.execute(select(ConstructionTeam.state, ConstructionTeam.grade, func.count(ConstructionTeam.id))
                              .where(ConstructionTeam.state.in_(("approved", "suspended")))
                              .group_by(ConstructionTeam.state, ConstructionTeam.grade)).all()
    counts = {g: 0 for g in TEAM_GRADES}
    suspended = 0
    for state, grade, n in rows:
        if state == "suspended":
            suspended += n
        else:
            counts[grade or "B"] = counts.get(grade or "B", 0) + n
    labels = [*TEAM_GRADES, str(_l("Suspended"))]
    values = [counts[g] for g in TEAM_GRADES] + [suspended]
    base = url_for("engineering.team_list")
    return [Widget(_l("Construction teams by grade"), value=sum(values), url=base, section=ENGINEERING, order=15,
                   chart=Chart("bar", labels, [Dataset(_l("Teams"), values)],
                               links=[url_for("engineering.team_list", state="approved", grade=g)
                                      for g in TEAM_GRADES] + [url_for("engineering.team_list", state="suspended")]))]


# ---- demo data ------------------------------------------------------------------------------------
# name, legal form, leader, ID no. (labour teams), guarantor, work types, grades of the month before last
# and of last month (None: not assessed), state at the start
DEMO_TEAMS = [
    ("深圳市鑫达弱电安装队", "company", "刘建国", "", "", ["cabling", "installation"], (92, 95), "approved"),
    ("宏达弱电施工队", "company", "陈志强", "", "", ["cabling", "conduit"], (86, 83), "approved"),
    ("恒通管路桥架施工队", "labour_team", "王海涛", "440301198205063318", "深圳市建安劳务有限公司", ["conduit", "civil"],
     (84, 76), "approved"),
    ("永安土建劳务队", "labour_team", "赵永安", "440306197911204415", "深圳市永固建设工程有限公司", ["civil"], (81, 64),
     "approved"),
    ("华建综合布线队", "company", "周华建", "", "", ["cabling"], (74, 71), "approved"),
    ("新锐智能安装队", "company", "孙新锐", "", "", ["installation"], (None, None), "candidate"),
]


def demo_credit_code(name: str) -> str:
    import zlib

    from core.parties.services import CREDIT_ALPHABET, CREDIT_WEIGHTS
    stem = f"914403{zlib.crc32(name.encode()) % 10**11:011d}"
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(stem, CREDIT_WEIGHTS))
    return stem + CREDIT_ALPHABET[(31 - total % 31) % 31]


def demo_scores(total: int) -> list:
    """SPEC's criteria scored to add up to ``total`` (deductions from schedule and quality first)."""
    missing, lines = Decimal(100 - total), []
    for code, _label, weight in CRITERIA:
        off = min(Decimal(weight), missing)
        missing -= off
        reason = {"progress": "部分楼层布线滞后于进度计划", "quality": "自检发现端接线序错误，返工",
                  "safety": "高处作业未系安全带"}.get(code, "") if off else ""
        lines.append(AssessmentCriterion(item=code, max_score=Decimal(weight), score=Decimal(weight) - off,
                                         deduction_reason=reason))
    return lines


def demo(users) -> None:
    """The register: teams of every grade with insurance and workers' certificates, one candidate;
    their assessments of the last two months approved by the manager (one team is suspended
    after a D, another after two C months). ``users``: {"eng_mgr": User, "pe": User}; runs once."""
    from flask import g

    from core.documents import service
    from core.workflow import engine
    manager, engineer = users.get("eng_mgr"), users.get("pe")
    if manager is None or engineer is None or db.session.scalar(select(func.count(ConstructionTeam.id))):
        return
    day = today()
    first = day.replace(day=1)
    last_month = (first - timedelta(days=1)).strftime("%Y-%m")
    month_before = (first - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    months = (month_before.strftime("%Y-%m"), last_month)
    g.audit_user = manager
    made = []
    for n, (name, form, leader, id_no, guarantor, kinds, grades, state) in enumerate(DEMO_TEAMS):
        team = service.new_document(TEAM, manager)
        team.title, team.legal_form, team.leader_name, team.work_types = name, form, leader, kinds
        team.licence_no = demo_credit_code(name) if form == "company" else None
        team.leader_id_no, team.guarantor = id_no, guarantor
        team.phone, team.bank_name, team.bank_account = f"1391234{n:04d}", "中国工商银行深圳分行", f"62220240000{n:05d}"
        team.insurance_policy_no = f"PICC-YW-{day.year}-{n + 1:04d}"
        # One policy runs out within the notice period: the manager is reminded.
        team.insurance_expiry = day + timedelta(days=20 if n == 1 else 240)
        team.code_ack_version, team.code_ack_date = settings.get("eng.team_code_version"), day - timedelta(days=60)
        team.qualifications.extend([
            TeamQualification(kind="worker_certificate", name="电工证", holder=leader, certificate_no=f"T4403{n:06d}",
                              valid_until=day + timedelta(days=400)),
            TeamQualification(kind="worker_certificate", name="登高作业证", holder="李明",
                              certificate_no=f"D4403{n:06d}", valid_until=day + timedelta(days=25 if n == 0 else 500)),
            TeamQualification(kind="insurance", name="团体意外伤害保险", holder=name,
                              certificate_no=team.insurance_policy_no, valid_until=team.insurance_expiry)])
        if form == "company":
            team.qualifications.append(TeamQualification(kind="licence", name="营业执照", holder=name,
                                                         certificate_no=team.licence_no))
        save_team(team)
        if state == "approved":
            team.state, team.grade = "approved", "B"
        service.assign_number(TEAM, team)
        db.session.add(team)
        db.session.commit()
        made.append((team, grades))
    for month, index in zip(months, (0, 1)):
        for team, grades in made:
            if grades[index] is None or team.state != "approved":
                continue
            g.audit_user = engineer
            sheet = service.new_document(ASSESSMENT, engineer)
            sheet.team_id, sheet.month = team.id, month
            sheet.projects = "市政务服务中心机房工程：桥架及水平布线，6人，132工日"
            sheet.criteria.extend(demo_scores(grades[index]))
            save_assessment(sheet)
            service.assign_number(ASSESSMENT, sheet)
            db.session.add(sheet)
            db.session.commit()
            engine.perform(ASSESSMENT, sheet, "submit", engineer, "本月考核已完成")
            g.audit_user = manager
            engine.perform(ASSESSMENT, sheet, "approve", manager, "同意")
    g.audit_user = None


# ---- parties --------------------------------------------------------------------------------------
@hookimpl
def erp_party_access(user):
    """A team's party is seen by who sees the register and edited by who edits teams."""
    from core.parties import Party, ProfileAccess
    profile = select(ConstructionTeam.id).where(ConstructionTeam.party_id == Party.id).exists()
    readable = profile if user.can(f"{CODE}.read_all") else false()
    editable = profile if user.can(f"{CODE}.approve") else false()
    return [ProfileAccess(profiled=profile, readable=readable, editable=editable)]


# ---- declarations ---------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [ConstructionTeam, TeamQualification, TeamAssessment, AssessmentCriterion]


@hookimpl
def erp_document_types():
    return [TEAM, ASSESSMENT]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "acknowledge_code")]
    manager = engineer + [f"{CODE}.{a}" for a in ("approve", "suspend", "reinstate", "remove", "import")]
    a_read = [f"{ASSESSMENT_CODE}.read", f"{ASSESSMENT_CODE}.read_all", f"{ASSESSMENT_CODE}.export"]
    a_engineer = a_read + [f"{ASSESSMENT_CODE}.{a}" for a in ("create", "edit", "submit")]
    a_manager = a_engineer + [f"{ASSESSMENT_CODE}.{a}" for a in ("approve", "reject", "archive")]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer + a_engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager + a_manager),
            RoleTemplate("ROLE-GM", permissions=read + a_read),
            RoleTemplate("ROLE-MKT-DIR", permissions=read + a_read)]


@hookimpl
def erp_settings():
    return [
        Setting("eng.min_team_grade", "choice", "B", _l("Minimum team grade for invitation and award"),
                _l("R-E-091: only teams of the register graded at least this are invited or awarded."),
                choices=list(TEAM_GRADES)),
        Setting("eng.team_code_version", "str", "2026-1", _l("Current version of the construction team code"),
                _l("R-E-080: a new version makes the team leaders' earlier acknowledgements stale."), min=1, max=20),
        Setting("eng.team_grade_bands", "str", "90,80,70", _l("Team grade bands (lowest total of A, B, C)"),
                _l("F-E03: A from the first total, B from the second, C from the third, D below."), min=5, max=40),
        Setting("eng.team_expiry_notice_days", "int", 30, _l("Team insurance and certificates reminded before "
                                                             "expiry (days)"),
                _l("R-E-099: the engineering manager is reminded this many days before a team's insurance or "
                   "certificate expires."), min=1, max=180),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-080", "守则确认", "The team leader acknowledges the current version of the construction team code; "
             "the acknowledgement is stored on the team record.", "block", params=("eng.team_code_version",)),
        Rule("R-E-091", "合格施工队名录", "Only teams of the qualified construction-team register are invited or "
             "awarded; registration needs a business licence or the leader's ID and a guarantor; teams graded D, or "
             "C in two consecutive months, are suspended.", "block", params=("eng.min_team_grade",)),
        Rule("R-E-098", "月度考核", "Each team working in a month is assessed monthly (F-E03).", "deadline",
             params=("eng.team_grade_bands",)),
        Rule("R-E-099", "保险与安全责任", "A team proves the accident insurance of its workers before entering the "
             "site.", "block", params=("eng.team_expiry_notice_days",)),
    ]
