"""Hooks the appraisal module calls; other modules and partner plugins implement them.

The departments contribute their new-employee training curricula (I-15).
Implement these with ``@hookimpl(optionalhook=True)`` so the plugin is inert when hr_appraisal is off.
"""
from core.hookspecs import hookspec


# ---- training (WF-H02, I-15) --------------------------------------------------------------------
@hookspec
def hr_appraisal_training_curricula():
    """The new-employee training curricula (培训大纲) your module contributes as templates; every
    implementation is called. Return a list of ``{"department": code, "title": str, "items":
    [{"topic", "week_from", "week_to", "trainer_role", "gate", "exam"}]}`` (``department``: a
    department code such as ``"ENG"``; weeks counted from the start of the training, 1 = the first
    week; ``gate``: the code of the rule that asks for the item, e.g. ``"R-E-101"``, or ``None``;
    ``exam``: the item ends with an exam scored against ``hr.exam_pass_score``). A department's
    curriculum starts with its template; its manager edits it as data.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_training_curricula():
            return [{"department": "PUR", "title": "采购部新员工培训大纲",
                     "items": [{"topic": "采购制度与流程", "week_from": 1, "week_to": 1,
                                "trainer_role": "采购部经理", "gate": None, "exam": True}]}]
    """
