"""New-employee training of the engineering department (工程部新员工培训制度, SPEC 3.3.8).

Engineering contributes its curriculum (R-E-100) to the appraisal module's training plans as a
template (``hr_appraisal_training_curricula``) and guards its own gate: no site assignment before the
safety-training item is signed off (R-E-101), and a new engineer is the sole project engineer of a
project of ``eng.new_staff_project_limit`` or more only after passing his probation (R-E-102). It asks ``engineering_training_gate`` when a project
engineer is assigned; without the appraisal module nobody answers and the gate is satisfied (I-15).
"""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import settings
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue

from .projects import gate

SAFETY_GATE = "R-E-101"
PROBATION_GATE = "R-E-102"

# SPEC R-E-100: (topic, week from, week to, trainer, gate, exam).
CURRICULUM = [
    ("公司概况、规章制度、工程部流程及22种表单", 1, 1, "工程部经理", None, True),
    ("安全培训（现场安全、用电安全、高处作业）", 1, 1, "工程部经理", SAFETY_GATE, True),
    ("布线标准（GB 50311/50312）、标识、测试及测试仪器使用", 1, 2, "工程部经理", None, True),
    ("公司产品及配置", 2, 4, "高级工程师/厂商培训", None, False),
    ("在导师工程师指导下的现场施工", 2, 8, "导师", None, False),
    ("文档资料及自检实践", 3, 8, "导师", None, False),
]


@hookimpl(optionalhook=True)
def hr_appraisal_training_curricula():
    return [{"department": "ENG", "title": "工程部新员工培训大纲",
             "items": [{"topic": topic, "week_from": first, "week_to": last, "trainer_role": trainer, "gate": code,
                        "exam": exam} for topic, first, last, trainer, code, exam in CURRICULUM]}]


def training_gate(user_id: int, code: str) -> bool:
    """Whether the employee passed the gate; no answer (appraisal off, not a new employee) is a pass."""
    return current_app.extensions["erp"].pm.hook.engineering_training_gate(user_id=user_id, gate=code) is not False


@gate("assign")
def safety_trained(project, user) -> list[Issue]:
    """R-E-101: the engineers assigned have signed-off safety training."""
    for field, uid in (("engineer_id", project.engineer_id), ("deputy_engineer_id", project.deputy_engineer_id)):
        if uid and not training_gate(uid, SAFETY_GATE):
            return [Issue(_("The engineer's safety training is not signed off yet: no site assignment before it "
                            "(R-E-101)."), field=field, code=SAFETY_GATE)]
    return []


@gate("assign")
def confirmed_for_sole_charge(project, user) -> list[Issue]:
    """R-E-102: a new engineer is the sole project engineer of a project of
    ``eng.new_staff_project_limit`` or more only after passing the probation assessment."""
    if not project.engineer_id or project.deputy_engineer_id:
        return []
    limit = Decimal(str(settings.get("eng.new_staff_project_limit")))
    if project.current_amount < limit:
        return []
    if training_gate(project.engineer_id, PROBATION_GATE):
        return []
    return [Issue(_("A new engineer in probation is the sole project engineer only of projects below %(limit)s: "
                    "add a second project engineer (R-E-102).", limit=limit),
                  field="engineer_id", code=PROBATION_GATE)]


@hookimpl
def erp_settings():
    return [Setting("eng.new_staff_project_limit", "decimal", "50000",
                    _l("New engineers in sole charge of projects below (contract amount, ¥)"),
                    _l("R-E-102: before passing the probation assessment a new engineer is the sole project engineer "
                       "only of projects below this amount."), min="0")]


@hookimpl
def erp_rules():
    return [
        Rule(PROBATION_GATE, "独立负责项目", "A new engineer may be assigned as sole project engineer only after passing "
             "the probation assessment, or for projects below the limit.", "block",
             params=("eng.new_staff_project_limit",)),
        Rule(SAFETY_GATE, "安全培训先行", "No site assignment before the safety-training item is signed off.",
             "block"),
    ]
