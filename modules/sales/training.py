"""New-employee training of the market department (市场部新员工培训管理, SPEC 3.2.7).

Sales contributes its curriculum (R-S-070) to the appraisal module's training plans as a template
(``hr_appraisal_training_curricula``); the accompanied visits are signed off by the mentor (R-S-071).
"""
from __future__ import annotations

from core.hookspecs import hookimpl

# SPEC R-S-070: (topic, week from, week to, trainer, gate, exam).
CURRICULUM = [
    ("公司概况、组织机构及本手册的制度和表单", 1, 1, "市场部助理/行政部", None, False),
    ("产品及解决方案", 1, 1, "售前工程师", None, True),
    ("销售流程、项目报备、拜访日志、报价规则", 1, 1, "市场部经理", None, True),
    ("导师陪同客户拜访", 2, 4, "导师", None, False),
    ("回款及合同规则", 2, 2, "市场部经理", None, True),
]


@hookimpl(optionalhook=True)
def hr_appraisal_training_curricula():
    return [{"department": "MKT", "title": "市场部新员工培训大纲",
             "items": [{"topic": topic, "week_from": first, "week_to": last, "trainer_role": trainer, "gate": code,
                        "exam": exam} for topic, first, last, trainer, code, exam in CURRICULUM]}]

