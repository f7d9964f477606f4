"""Hooks the appraisal module calls; other modules and partner plugins implement them.

At a cycle's scoring the appraisal engine asks every module for the measured values of the KPIs
on the people's sheets (``hr_appraisal_metrics``, once per cycle for all people at once), and a
partner plugin can add KPIs to the catalogue (``hr_appraisal_kpis``). A trip links to a record
other modules offer (``hr_appraisal_trip_links``), under their rules (``hr_appraisal_trip_rules``);
an approved trip's costs are offered to the module of what the trip was for (``hr_appraisal_trip_costs``). The departments
contribute their new-employee training curricula (``hr_appraisal_training_curricula``, I-15). Implement these with
``@hookimpl(optionalhook=True)`` so the plugin is inert when the appraisal module is off; never
import ``modules.hr_appraisal``.
"""
from core.hookspecs import hookspec

# The measures an ``hr_appraisal_metrics`` answer carries (one per dict) and how the engine
# combines several answers for one person and KPI.
MEASURES = ("score", "due", "points", "rating_sum")


@hookspec
def hr_appraisal_metrics(kpis, user_ids, start, end):
    """-> list[dict]: this module's measured values of the KPIs in ``kpis`` (codes such as
    ``"KPI-REPORT-TIMELINESS"``) for the people ``user_ids`` over ``start``..``end`` (dates,
    inclusive). Set-based: one query per KPI for all people, never a query per person.
    Each dict: ``{"kpi": code, "user_id": int, <one measure>, "detail": "short text shown on the sheet"}``
    where the measure is one of

    - ``"score"``: Decimal 0-100 (several modules' scores for one KPI are averaged, weighted by
      an optional ``"weight"``, default 1: a module measuring 30 % of a KPI answers ``weight=30``
      and the module measuring the rest ``weight=70``)
    - ``"due"``: int, ``"on_time"``: int (counts, summed over modules; score = on_time/due*100)
    - ``"points"``: Decimal (deductions, summed; KPI score = 100 - sum, floor 0)
    - ``"rating_sum"``: Decimal, ``"rating_count"``: int (1-5 reader ratings; avg mapped 1..5 -> 20..100)

    A person with nothing to measure gets no dict (the KPI then shows 无数据). Every
    implementation is called; the engine combines the answers.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_metrics(kpis, user_ids, start, end):
            if "KPI-REPORT-TIMELINESS" not in kpis:
                return []
            return [{"kpi": "KPI-REPORT-TIMELINESS", "user_id": uid, "due": due, "on_time": on_time,
                     "detail": f"周报 {on_time}/{due} 按时"}
                    for uid, due, on_time in weekly_counts(user_ids, start, end)]
    """


@hookspec
def hr_appraisal_kpis():
    """-> list of KPIs a partner adds to the appraisal catalogue, each a dict
    ``{"code", "name_zh", "name_en", "kind"}`` where ``kind`` is ``"quantitative"`` (then also
    ``"measure"``: one of ``"score"``, ``"due"``, ``"points"``, ``"rating"``, the measure its
    ``hr_appraisal_metrics`` answers carry), ``"qualitative"`` (scored 1-5 by hand) or ``"mixed"``
    (both, with ``"measure"``: the measured value averaged with the superior's rating). Every
    implementation is called; a code already in the catalogue is ignored. The new KPI can then
    be weighted in a role template.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_kpis():
            return [{"code": "KPI-TICKETS", "name_zh": "工单响应", "name_en": "Ticket response",
                     "kind": "quantitative", "measure": "due"}]
    """


# ---- business trips (part "trips") --------------------------------------------------------------
@hookspec
def hr_appraisal_trip_links(user, query, kind, record_id):
    """-> list of the records ``user`` may link a business trip to (X-H01 ``link``; the costs are
    charged to it, R-H-025), each ``{"kind": "customer" | "area" | "opportunity" | "project" |
    "ticket", "id": int, "number": str, "label": str}``. Every implementation is called; a module
    answers for the kinds it owns, at most about 200 of each, newest first. ``query``: text the
    number or label contains ("" for any); ``kind`` and ``record_id`` (both or neither None) ask for
    that one record: an empty answer refuses it (unknown, or not one ``user`` may link).

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_trip_links(user, query, kind, record_id):
            if kind not in (None, "project"):
                return []
            return [{"kind": "project", "id": p.id, "number": p.number, "label": p.title}
                    for p in my_projects(user, query, record_id)]
    """


@hookspec
def hr_appraisal_trip_rules(trip, traveller):
    """-> list[Issue]: the objections of your module's rules to the trip's link, at every save and
    at submission (e.g. R-S-029: a 市场部 traveller links a customer, area or opportunity). ``trip``
    carries ``link_type`` (a kind of ``hr_appraisal_trip_links`` or ``"none"``) and
    ``link_record_id``; ``traveller`` is its owner. Each Issue names its rule's ``code`` and
    ``field="link_id"``; the trip is refused with them. Every implementation is called.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_trip_rules(trip, traveller):
            if in_department(traveller, "PUR") and trip.link_type == "none":
                return [Issue("采购出差须关联采购订单 (R-P-099)", field="link_id", code="R-P-099")]
            return []
    """


@hookspec
def hr_appraisal_trip_costs(trip, lines, user):
    """A business trip's expense claim was approved (R-H-025, I-16), inside the approving
    transaction; every implementation is called. ``trip`` carries ``number``, ``title``,
    ``destination``, ``owner`` (the traveller), ``link_type`` (``"opportunity"``, ``"project"``,
    ``"customer"``, ``"area"``, ``"ticket"`` or ``"none"``), ``link_record_id`` (the linked
    record's id, as ``hr_appraisal_trip_links`` gave it; None for a trip of before, whose free-text
    ``link_ref`` is kept) and ``link_label``. ``lines``: ``[{"category": "transport" | "hotel" |
    "meals" | "other", "day": date, "amount": Decimal, "note": str}]``. ``user`` approved the
    claim. Sales records the cost on the opportunity, engineering on the project's cost control
    sheet (F-E04, category 差旅); with no implementation the cost stays on the trip's claim.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_trip_costs(trip, lines, user):
            if trip.link_type == "project":
                ledger.post(trip.link_record_id, "差旅", sum(line["amount"] for line in lines), trip.number)
    """


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
