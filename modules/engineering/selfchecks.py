"""Self-checks (工程师项目实施过程自检表, F-E06; R-E-040, R-E-041, R-E-045, R-E-046) and the checklist
templates they start from (自检模板).

Three levels of checking (R-E-040): the construction team checks its own work first (recorded on
the sheet: the team's result and its leader's signature), the project engineer re-checks every
item of the stage's checklist and confirms the sheet (he signs), the 工程部经理 may spot-check a
confirmed sheet (部门抽检, his signature).

A self-check of a stage starts with the items of the stage's template (kept by the 工程部经理;
until he writes one, SPEC's default items). Each item is found passed (合格), failed (不合格) or
not applicable (不适用); a failed item gets a rectification requirement and a due date and is
re-checked (R-E-046). The conclusion follows the items: passed only when nothing failed, passed
after rectification when every failed item was re-checked as passed. The first-pass rate (一次合格率:
items passed at the first check of the items checked) feeds the engineer's appraisal (F-E02,
R-E-045: ``first_pass_rate``); a sub-item acceptance asks ``selfcheck_passed`` (R-E-041).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, case, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow

from .projects import ACTIVE, PROJECT, EngProject, of_project, on_my_projects

CODE = "engineering.selfcheck"
TEMPLATE_CODE = "engineering.checklist"

STAGES = [("materials", _l("Materials arrival")), ("conduits", _l("Conduits and cable trays")),
          ("cabling", _l("Cable laying")), ("termination", _l("Termination and installation")),
          ("equipment", _l("Equipment installation")), ("commissioning", _l("System commissioning")),
          ("concealed", _l("Concealed works")), ("completion", _l("Completion"))]
RESULTS = [("passed", _l("Passed")), ("failed", _l("Not passed")), ("na", _l("Not applicable"))]
RECHECK = [("passed", _l("Passed")), ("failed", _l("Not passed"))]
CONCLUSIONS = [("passed", _l("Passed")), ("passed_after_rectification", _l("Passed after rectification")),
               ("failed", _l("Not passed"))]
PASSED = ("passed", "passed_after_rectification")
DONE = ("confirmed", "archived")

# SPEC F-E06's default checklist, per stage: (item, requirement). The 工程部经理 edits them as
# templates; a template written for a stage replaces these.
DEFAULT_ITEMS = {
    "materials": [
        ("线缆型号规格", "线缆类型、类别与设计一致，有合格证和检测报告"),
        ("设备及配件", "品牌型号、数量与合同清单一致，外观完好"),
        ("管材桥架", "规格、壁厚、防腐符合设计要求"),
    ],
    "conduits": [
        ("桥架和线管固定", "桥架、线管固定牢固，支吊架间距符合规范"),
        ("管路填充率及弯曲半径", "填充率与弯曲半径在规定范围内（UTP弯曲半径≥4倍线缆外径）"),
        ("与强电间距", "与电力电缆的间距符合 GB 50311"),
    ],
    "cabling": [
        ("线缆类型/类别", "线缆类型和类别与设计一致"),
        ("水平永久链路长度", "水平永久链路不超过 90 m"),
        ("与强电间距", "与电力电缆的间距符合 GB 50311"),
        ("两端标识", "线缆两端按标识方案标记"),
        ("光纤弯曲半径和保护", "光纤弯曲半径符合要求，有保护措施"),
    ],
    "termination": [
        ("端接线序", "端接线序（T568A/T568B）全程一致"),
        ("配线架理线", "配线架及跳线整理整齐"),
        ("两端标识", "信息点和配线架端口按标识方案标记"),
        ("光纤熔接和保护", "光纤熔接损耗合格，盘纤和保护到位"),
    ],
    "equipment": [
        ("机柜和设备固定接地", "机柜和设备固定牢固，可靠接地"),
        ("设备电源和UPS", "设备电源和UPS接线正确"),
        ("设备标识", "设备和线缆标识清晰"),
    ],
    "commissioning": [
        ("设备配置备份", "设备配置已备份"),
        ("系统功能", "各系统功能测试符合设计要求"),
        ("测试记录", "测试记录完整"),
    ],
    "concealed": [
        ("隐蔽管线", "隐蔽前管线敷设、固定和标识符合设计"),
        ("与强电间距", "与电力电缆的间距符合 GB 50311"),
        ("隐蔽影像资料", "隐蔽部位已拍照留档"),
    ],
    "completion": [
        ("两端标识", "线缆两端和设备标识完整"),
        ("设备配置备份", "设备配置已备份"),
        ("现场清理", "现场已清理，工完场清"),
    ],
}


# ---- checklist templates (自检模板) ---------------------------------------------------------------
TEMPLATE_FIELDS = [
    Field("title", _l("Template name"), required=True),
    Field("stage", _l("Check stage"), "choice", choices=STAGES, required=True),
    Field("notes", _l("Notes"), "textarea"),
]
TEMPLATE_ITEM_FIELDS = [
    Field("item", _l("Check item"), required=True, max_length=120),
    Field("requirement", _l("Check requirement"), max_length=300),
]


class CheckTemplate(Document, declared_columns([f for f in TEMPLATE_FIELDS if f.name != "title"]), db.Model):
    """自检模板: the checklist of a stage."""
    __tablename__ = "eng_check_template"
    items = relationship(lambda: CheckTemplateItem, cascade="all, delete-orphan",
                         order_by=lambda: CheckTemplateItem.id, lazy="selectin")


class CheckTemplateItem(declared_columns(TEMPLATE_ITEM_FIELDS), db.Model):
    __tablename__ = "eng_check_template_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("eng_check_template.id", ondelete="CASCADE"), index=True)


def save_template(template):
    """One template per stage; a new one starts with SPEC's default items."""
    taken = db.session.scalar(select(CheckTemplate.number).where(
        CheckTemplate.stage == template.stage, CheckTemplate.id != template.id).limit(1)) if template.stage else None
    if taken:
        raise ValidationFailed({"stage": [_("The stage has a template already (%(number)s): edit that one.",
                                            number=taken)]})
    if not template.items:
        template.items.extend(CheckTemplateItem(item=item, requirement=requirement)
                              for item, requirement in DEFAULT_ITEMS.get(template.stage, ()))


TEMPLATE = DocType(
    code=TEMPLATE_CODE, model=CheckTemplate, label=_l("Self-check template"),
    label_plural=_l("Self-check templates"), fields=TEMPLATE_FIELDS, number_prefix="ZM", number_reset="never",
    lines=Lines("items", CheckTemplateItem, fields=TEMPLATE_ITEM_FIELDS, blank_rows=0),
    menu_order=72, before_save=save_template,
)


def checklist(stage: str) -> list[tuple[str, str]]:
    """The (item, requirement) pairs a self-check of `stage` starts with."""
    template = db.session.scalar(select(CheckTemplate).where(CheckTemplate.stage == stage)
                                 .order_by(CheckTemplate.id.desc()).limit(1))
    if template is not None and template.items:
        return [(i.item, i.requirement or "") for i in template.items]
    return list(DEFAULT_ITEMS.get(stage, ()))


# ---- self-checks (F-E06) ------------------------------------------------------------------------
SELFCHECK_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE),
    Field("scope", _l("Part or sub-item checked"), required=True, max_length=200),
    Field("task_id", _l("Schedule sub-item"), "integer", listed=False,
          help=_l("The sub-item of the construction schedule this check covers (its acceptance asks for it).")),
    Field("stage", _l("Check stage"), "choice", choices=STAGES, required=True,
          help=_l("Selects the checklist the sheet starts with.")),
    Field("check_date", _l("Check date"), "date", required=True),
    Field("team", _l("Construction team"), max_length=120, help=_l("If the work is outsourced.")),
    Field("team_selfcheck", _l("Team's self-check result"), "choice", choices=RECHECK, listed=False),
    Field("team_sig", _l("Team leader's signature"), "xsig"),
    Field("conclusion", _l("Conclusion"), "choice", choices=CONCLUSIONS, required_in=DONE),
    Field("first_pass_rate", _l("First-pass rate"), "percent", readonly=True,
          help=_l("Items passed at the first check of the items checked (R-E-045).")),
    Field("spot_check", _l("Department spot check"), "sig", readonly=True),
]

ITEM_FIELDS = [
    Field("item", _l("Check item"), required=True, max_length=120),
    Field("requirement", _l("Check requirement"), max_length=300),
    Field("result", _l("Result"), "choice", choices=RESULTS),
    Field("problem", _l("Problem found"), max_length=300),
    Field("rectify_req", _l("Rectification required"), max_length=300),
    Field("rectify_due", _l("Rectify by"), "date"),
    Field("recheck_result", _l("Re-check result"), "choice", choices=RECHECK),
    Field("recheck_date", _l("Re-checked on"), "date"),
]


class SelfCheck(Document, declared_columns([f for f in SELFCHECK_FIELDS if f.name not in ("title", "project")]),
                db.Model):
    """工程师项目实施过程自检表 (F-E06)."""
    __tablename__ = "eng_selfcheck"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    items = relationship(lambda: SelfCheckItem, cascade="all, delete-orphan", order_by=lambda: SelfCheckItem.id,
                         lazy="selectin")


class SelfCheckItem(declared_columns(ITEM_FIELDS), db.Model):
    __tablename__ = "eng_selfcheck_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    selfcheck_id: Mapped[int] = mapped_column(ForeignKey("eng_selfcheck.id", ondelete="CASCADE"), index=True)


def rate(first_passed: int, checked: int) -> Decimal | None:
    if not checked:
        return None
    return (Decimal(first_passed) * 100 / Decimal(checked)).quantize(Decimal("0.01"))


def conclusion_problem(selfcheck) -> str | None:
    """Why the sheet's conclusion does not follow from its items, or None."""
    failed = [(n, i) for n, i in enumerate(selfcheck.items, start=1) if i.result == "failed"]
    open_ = [f"{n} {i.item}" for n, i in failed if i.recheck_result != "passed"]
    if selfcheck.conclusion == "passed" and open_:
        return _("Item %(items)s failed and is not re-checked as passed: the conclusion cannot be passed.",
                 items="、".join(open_))
    if selfcheck.conclusion == "passed" and failed:
        return _("Items failed at the first check were rectified: conclude passed after rectification.")
    if selfcheck.conclusion == "passed_after_rectification" and not failed:
        return _("No item failed: the conclusion is passed.")
    if selfcheck.conclusion == "passed_after_rectification" and open_:
        return _("Item %(items)s is not re-checked as passed yet.", items="、".join(open_))
    return None


def save_selfcheck(selfcheck):
    project = db.session.get(EngProject, selfcheck.project_id) if selfcheck.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    selfcheck.title = f"{project.number} {selfcheck.scope or ''}".strip()[:200]
    if not selfcheck.items:
        selfcheck.items.extend(SelfCheckItem(item=item, requirement=requirement)
                               for item, requirement in checklist(selfcheck.stage))
    checked = [i for i in selfcheck.items if i.result in ("passed", "failed")]
    selfcheck.first_pass_rate = rate(sum(i.result == "passed" for i in checked), len(checked))
    if (problem := conclusion_problem(selfcheck)) is not None:
        raise ValidationFailed({"conclusion": [problem]})


def every_item_checked(selfcheck, user) -> list[Issue]:
    """Every item has a result; a failed one its rectification and due date (R-E-046)."""
    issues = []
    unchecked = [f"{n} {i.item}" for n, i in enumerate(selfcheck.items, start=1) if not i.result]
    if unchecked:
        issues.append(Issue(_("Give the result of every item: %(items)s.", items="、".join(unchecked)), field="items"))
    untold = [f"{n} {i.item}" for n, i in enumerate(selfcheck.items, start=1)
              if i.result == "failed" and not ((i.rectify_req or "").strip() and i.rectify_due)]
    if untold:
        issues.append(Issue(_("Give the rectification required and its due date of the failed item %(items)s "
                              "(R-E-046).", items="、".join(untold)), field="items", code="R-E-046"))
    return issues


def not_spot_checked(selfcheck) -> bool:
    return selfcheck.spot_check_at is None


SELFCHECK_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "confirmed": _l("Confirmed"), "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("confirm", _l("Confirm the self-check"), ["draft"], "confirmed", style="success",
                   conditions=[every_item_checked], signs=_l("Checking engineer")),
        Transition("spot_check", _l("Spot-check (department)"), ["confirmed", "archived"], None,
                   when=not_spot_checked, comment_label=_l("Spot-check findings"), waits=False,
                   style="outline-primary"),
        Transition("archive", _l("Archive"), ["confirmed"], "archived", style="outline-secondary"),
    ],
)

SELFCHECK = DocType(
    code=CODE, model=SelfCheck, label=_l("Self-check"), label_plural=_l("Self-checks"),
    fields=SELFCHECK_FIELDS, workflow=SELFCHECK_WORKFLOW, number_prefix="ZC", print_title="工程师项目实施过程自检表",
    lines=Lines("items", SelfCheckItem, fields=ITEM_FIELDS, blank_rows=0),
    visibility=on_my_projects(SelfCheck), edited_by=lambda doc, user: user.id in doc.project.engineer_ids(),
    before_save=save_selfcheck, menu_order=70, search=("scope", "team"),
    columns=[Column("stage", _l("Check stage"), kind="choice", choices=dict(STAGES)),
             Column("check_date", _l("Check date"), kind="date"),
             Column("conclusion", _l("Conclusion"), kind="choice", choices=dict(CONCLUSIONS)),
             Column("first_pass_rate", _l("First-pass rate"), kind="number")],
)

PROJECT.relate(Related(_l("Self-checks"), CODE, "project_id"))


# ---- what other parts ask -----------------------------------------------------------------------
def selfcheck_passed(selfcheck_id: int, project_id: int, on: date | None = None) -> bool:
    """Whether the self-check is the project's, confirmed and passed (or passed after
    rectification): R-E-041 before a sub-item acceptance. With `on` (the application's date) it
    must also be dated within ``eng.selfcheck_validity_days`` before it."""
    stmt = select(SelfCheck.id).where(SelfCheck.id == selfcheck_id, SelfCheck.project_id == project_id,
                                      SelfCheck.state.in_(DONE), SelfCheck.conclusion.in_(PASSED))
    if on is not None:
        days = int(settings.get("eng.selfcheck_validity_days"))
        stmt = stmt.where(SelfCheck.check_date >= on - timedelta(days=days), SelfCheck.check_date <= on)
    return db.session.scalar(stmt) is not None


def first_pass_rate(project_ids, start: date, end: date) -> Decimal | None:
    """一次合格率 (R-E-045) of the projects' confirmed self-checks dated from `start` to `end`: the
    items passed at the first check of the items checked, in %; None when nothing was checked.
    One query, whatever the number of projects."""
    row = db.session.execute(
        select(func.count(SelfCheckItem.id), func.sum(case((SelfCheckItem.result == "passed", 1), else_=0)))
        .join(SelfCheck, SelfCheck.id == SelfCheckItem.selfcheck_id)
        .where(SelfCheck.project_id.in_(project_ids), SelfCheck.state.in_(DONE),
               SelfCheck.check_date >= start, SelfCheck.check_date <= end,
               SelfCheckItem.result.in_(("passed", "failed")))).one()
    return rate(int(row[1] or 0), int(row[0] or 0))


@hookimpl
def erp_reminders(now):
    """R-E-044: the engineers of a project under construction self-check its site at least every
    ``eng.selfcheck_min_interval_days`` days (from the start, then from the last confirmed check)."""
    from core.reminders import Reminder, daily_before_end_of_work
    interval = timedelta(days=int(settings.get("eng.selfcheck_min_interval_days")))
    last = (select(SelfCheck.project_id, func.max(SelfCheck.check_date).label("day"))
            .where(SelfCheck.state.in_(DONE)).group_by(SelfCheck.project_id).subquery())
    rows = db.session.execute(
        select(EngProject.id, EngProject.number, EngProject.title, EngProject.engineer_id,
               EngProject.deputy_engineer_id, EngProject.actual_start, last.c.day)
        .outerjoin(last, last.c.project_id == EngProject.id)
        .where(EngProject.state == "in_construction")).all()
    reminders = []
    for row in rows:
        due = (row.day or row.actual_start or calendar_today.today()) + interval
        for user_id in dict.fromkeys(u for u in (row.engineer_id, row.deputy_engineer_id) if u):
            reminders.append(Reminder(
                f"{CODE}.weekly:{row.id}:{due.isoformat()}:{user_id}", user_id,
                _("Self-check the site by %(day)s: %(number)s %(title)s", day=due.isoformat(), number=row.number,
                  title=row.title),
                daily_before_end_of_work(due), url=f"/engineering/project/{row.id}"))
    return reminders


@hookimpl
def erp_transition_done(document, transition, user, comment):
    if isinstance(document, SelfCheck) and transition.name == "spot_check":
        sign(document, "spot_check", user, "agree", comment or "")


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [CheckTemplate, CheckTemplateItem, SelfCheck, SelfCheckItem]


@hookimpl
def erp_document_types():
    return [TEMPLATE, SELFCHECK]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "confirm", "archive")]
    manager = engineer + [f"{CODE}.read_all", f"{CODE}.spot_check"]
    template_read = [f"{TEMPLATE_CODE}.read", f"{TEMPLATE_CODE}.read_all"]
    template_edit = template_read + [f"{TEMPLATE_CODE}.{a}" for a in ("create", "edit", "export")]
    directors = read + [f"{CODE}.read_all"]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer + template_read),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager + template_edit),
            RoleTemplate("ROLE-GM", permissions=directors),
            RoleTemplate("ROLE-MKT-DIR", permissions=directors)]


@hookimpl
def erp_settings():
    return [
        Setting("eng.selfcheck_validity_days", "int", 7, _l("A self-check stays valid for (days)"),
                _l("R-E-041: a sub-item acceptance or a pre-acceptance needs a passed self-check of the same scope "
                   "dated within this many days."), min=1, max=90),
        Setting("eng.selfcheck_min_interval_days", "int", 7, _l("Self-check every site at least every (days)"),
                _l("R-E-044: during construction the engineer self-checks each active site at least this often."),
                min=1, max=60),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-040", "三级检查", "The construction team self-checks its work, the project engineer re-checks it on "
             "the self-check sheet (F-E06), the engineering manager spot-checks at key milestones.", "block"),
        Rule("R-E-041", "自检合格方可报验", "A sub-item acceptance (F-T20) or a pre-acceptance (F-T22) needs a passed "
             "self-check of the same scope dated within the validity.", "block",
             params=("eng.selfcheck_validity_days",)),
        Rule("R-E-044", "自检频次", "During construction the engineer self-checks each active site at least weekly.",
             "deadline", params=("eng.selfcheck_min_interval_days",)),
        Rule("R-E-046", "不合格项闭环", "Every failed self-check item has a rectification requirement and deadline "
             "and is closed by a re-check.", "block"),
    ]


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> None:
    """The eight stage templates (SPEC's items) and a few self-checks on the projects under
    construction or later: one passed, one passed after a rectification (spot-checked by the
    manager), one still a draft. ``users``: {"eng_mgr": User, "pe": User}; runs once."""
    from flask import g

    from core.documents import service
    from core.workflow import engine

    from .projects import STARTED
    manager = users.get("eng_mgr")
    if manager is None or db.session.scalar(select(func.count()).select_from(CheckTemplate)):
        return
    names = {"materials": "材料进场", "conduits": "管路桥架", "cabling": "线缆敷设", "termination": "端接安装",
             "equipment": "设备安装", "commissioning": "系统调试", "concealed": "隐蔽工程", "completion": "完工"}
    g.audit_user = manager
    for stage, _label in STAGES:
        template = service.new_document(TEMPLATE, manager)
        template.title, template.stage = f"{names[stage]}自检模板", stage
        save_template(template)
        service.assign_number(TEMPLATE, template)
        db.session.add(template)
    db.session.commit()
    projects = db.session.scalars(select(EngProject).where(EngProject.state.in_(STARTED)).order_by(EngProject.id)).all()
    today = calendar_today.today()
    for project in projects[:3]:
        engineer = project.engineer or users.get("pe")
        if engineer is None:
            continue
        g.audit_user = engineer
        sheets = [("cabling", "1号楼3层水平布线", today - timedelta(days=9), "passed", None),
                  ("termination", "1号楼弱电间配线架端接", today - timedelta(days=3), "passed_after_rectification", 1),
                  ("equipment", "中心机房机柜安装", today, None, None)]
        for stage, scope, day, conclusion, failed in sheets:
            check = service.new_document(SELFCHECK, engineer)
            check.project_id, check.scope, check.stage, check.check_date = project.id, scope, stage, day
            check.team, check.team_selfcheck = "深圳市鑫达弱电安装队", "passed"
            check.team_sig_name, check.team_sig_title, check.team_sig_date = "刘建国", "施工队负责人", day
            save_selfcheck(check)
            for n, item in enumerate(check.items):
                if conclusion is None:
                    continue
                item.result = "passed"
                if n == failed:
                    item.result, item.problem = "failed", "3个端口线序为T568A，与设计T568B不一致"
                    item.rectify_req, item.rectify_due = "重新端接并复测", day + timedelta(days=1)
                    item.recheck_result, item.recheck_date = "passed", day + timedelta(days=1)
            check.conclusion = conclusion
            save_selfcheck(check)
            service.assign_number(SELFCHECK, check)
            db.session.add(check)
            db.session.commit()
            if conclusion is not None:
                engine.perform(SELFCHECK, check, "confirm", engineer, "已按检查表逐项检查")
            if failed is not None:
                g.audit_user = manager
                engine.perform(SELFCHECK, check, "spot_check", manager, "抽检6个端口，线序正确，标识清楚")
                g.audit_user = engineer
    g.audit_user = None
