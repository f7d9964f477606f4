"""New-employee training of the market department (市场部新员工培训管理, SPEC 3.2.7).

Sales contributes its curriculum (R-S-070) to the appraisal module's training plans as a template
(``hr_appraisal_training_curricula``); the accompanied visits are signed off by the mentor (R-S-071).
A new salesperson owns opportunities above ``sales.new_staff_amount_limit`` only after passing the
probation (R-S-073): sales asks ``sales_training_gate``; nobody answering (the appraisal module off,
not a new employee) is a pass (I-15).
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

PROBATION_GATE = "R-S-073"

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



def new_staff_problem(opportunity) -> str | None:
    """R-S-073: why the opportunity's owner may not own it yet, or None."""
    limit = Decimal(str(settings.get("sales.new_staff_amount_limit")))
    if not opportunity.owner_id or Decimal(opportunity.est_amount or 0) <= limit:
        return None
    answer = current_app.extensions["erp"].pm.hook.sales_training_gate(user_id=opportunity.owner_id,
                                                                       gate=PROBATION_GATE)
    if answer is not False:
        return None
    return _("A new salesperson owns opportunities above %(limit)s only after passing the probation assessment "
             "(R-S-073).", limit=limit)


@hookimpl
def erp_settings():
    return [Setting("sales.new_staff_amount_limit", "decimal", "100000",
                    _l("New salespeople own opportunities up to (estimated amount, ¥)"),
                    _l("R-S-073: before passing the probation assessment a new salesperson owns opportunities only up "
                       "to this amount."), min="0")]


@hookimpl
def erp_rules():
    return [Rule(PROBATION_GATE, "独立接单前提", "A new salesperson can own opportunities above the limit only after "
                 "passing the probation assessment.", "block", params=("sales.new_staff_amount_limit",))]
