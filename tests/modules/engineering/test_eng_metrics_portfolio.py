"""Engineering's department-wide measures for the appraisal (hr_appraisal_metrics, SPEC 3.6):
KPI-PROJECT-PORTFOLIO for the 工程部经理 (on-time milestones 30, cost 25, F-T21 first pass 20,
satisfaction 15, open quality notices 10; parts without data left out), the budget accuracy part
(30 %) of the 售前经理's KPI-PRESALES-PORTFOLIO, and the schedule adherence of KPI-PROJECT-EVAL's
fallback; a fixed number of queries whatever the number of people."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from core.extensions import db

from .conftest import PEOPLE, make_project

pytestmark = pytest.mark.modules("engineering")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (date(2027, 3, 1), date(2027, 3, 31))
KPIS = ["KPI-PROJECT-PORTFOLIO", "KPI-PRESALES-PORTFOLIO", "KPI-PROJECT-EVAL"]


@pytest.fixture
def staff(make_staff):
    return make_staff({**PEOPLE, "ps_mgr": ("ROLE-PS-MGR", "MKT", "POS-PS-MGR")})


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    from core import calendar_today
    moment = datetime(2027, 4, 10, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr(calendar_today, "now", lambda: moment)
    monkeypatch.setattr(calendar_today, "today", lambda: moment.date())


def _doc(people, **values):
    uid = people["ids"]["pe"]
    return dict(title="", owner_id=uid, created_by_id=uid, updated_by_id=uid, **values)


def schedule(people, pid, tasks, state="approved"):
    from modules.engineering.schedule import Schedule, ScheduleTask
    plan = Schedule(**_doc(people, number=f"JH-T{pid}-{state}", state=state, project_id=pid, plan_type="overall",
                           period_start=date(2027, 1, 1), period_end=date(2027, 6, 30), baseline_version=1))
    plan.tasks.extend(ScheduleTask(wbs=str(n), name=f"分项{n}", plan_start=plan_end - timedelta(days=5),
                                   plan_end=plan_end, actual_end=actual_end, milestone=milestone)
                      for n, (plan_end, actual_end, milestone) in enumerate(tasks, 1))
    db.session.add(plan)


def baseline(people, pid, budget, source="manual", state="approved", n=1):
    from modules.engineering.costs import CostSheet
    db.session.add(CostSheet(**_doc(people, number=f"FY-T{pid}-{n}", state=state, project_id=pid,
                                    contract_amount_excl_tax=Decimal(budget) * 2, target_margin_pct=Decimal(20),
                                    budget_total=Decimal(budget), budget_source=source)))
    db.session.flush()


def cost(people, pid, kind, amount, n):
    from modules.engineering.costs import CostPosting
    db.session.add(CostPosting(**_doc(people, number=f"CB-T{pid}-{n}", state="posted", project_id=pid,
                                      category="equipment", kind=kind, amount=Decimal(amount), source="manual")))


def fixed_data(app, people, quality=True):
    """In March 2027 (measured on 10 April):

    - A (pe2, under construction since January): approved schedule with milestones due 10, 20 and
      31 March finished on the 9th, the 25th and not at all (one task on time, not a milestone, and
      a milestone due in April); its superseded (archived) baseline's late milestone is ignored.
      Manual baseline 100,000, 60,000 committed + 50,000 spent (10 % over → 90). An open quality
      notice, a closed one. A self-check of March, 3 of 4 items passed first.
    - B (accepted on 12 March, due on the 15th: on time): baseline from the pre-sales budget 200,000,
      re-baselined to 220,000, 210,000 spent (cost 100; budget accuracy 95). Evaluation graded 优.
    - D (accepted on 28 March, due on the 20th: late): pre-sales baseline 100,000, 130,000 spent
      (cost 70; accuracy 70). Evaluation graded 中.
    - C (accepted in January) and a cancelled project: not under way in March.
    - A survey returned on 20 March: 5, 4, 4, 5, 4 (4.4 → 88); one returned in February.
    - F-T21 (if `quality`): two sub-items, one passed first time, the other at its second opinion.
    """
    from modules.engineering.evaluation import ProjectEvaluation
    from modules.engineering.forms import REGISTRY
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem
    from modules.engineering.service import SatisfactionSurvey, SurveyScore
    a = make_project(app, people, state="in_construction", engineer="pe2", actual_start=date(2027, 1, 10),
                     planned_completion=date(2027, 6, 30))
    b = make_project(app, people, state="closing", actual_start=date(2026, 12, 1),
                     planned_completion=date(2027, 3, 15), actual_completion=date(2027, 3, 12))
    d = make_project(app, people, state="closing", actual_start=date(2027, 1, 1),
                     planned_completion=date(2027, 3, 20), actual_completion=date(2027, 3, 28))
    c = make_project(app, people, state="warranty", actual_start=date(2026, 10, 1),
                     planned_completion=date(2027, 1, 10), actual_completion=date(2027, 1, 5))
    cancelled = make_project(app, people, state="cancelled", actual_start=date(2027, 2, 1))
    with app.app_context():
        schedule(people, a, [(date(2027, 3, 10), date(2027, 3, 9), True), (date(2027, 3, 20), date(2027, 3, 25), True),
                             (date(2027, 3, 31), None, True), (date(2027, 3, 15), date(2027, 3, 14), False),
                             (date(2027, 4, 20), None, True)])
        schedule(people, a, [(date(2027, 3, 5), None, True)], state="archived")
        schedule(people, cancelled, [(date(2027, 3, 5), None, True)])
        baseline(people, a, 100000)
        cost(people, a, "committed", 60000, 1)
        cost(people, a, "actual", 50000, 2)
        baseline(people, b, 200000, "presales", state="archived", n=1)
        baseline(people, b, 220000, "manual", n=2)
        cost(people, b, "actual", 210000, 1)
        baseline(people, d, 100000, "presales")
        cost(people, d, "actual", 130000, 1)
        baseline(people, c, 50000, "presales")
        cost(people, c, "actual", 10000, 1)
        ft16 = REGISTRY["ft16"].model
        db.session.add(ft16(**_doc(people, number="TZ-T1", state="issued", project_id=a)))
        db.session.add(ft16(**_doc(people, number="TZ-T2", state="closed", project_id=a)))
        db.session.add(ft16(**_doc(people, number="TZ-T3", state="issued", project_id=c)))
        for pid, grade in ((b, "A"), (d, "C"), (c, "A")):
            db.session.add(ProjectEvaluation(**_doc(people, number=f"HP-T{pid}", state="approved", project_id=pid,
                                                    total=Decimal(92 if grade == "A" else 75), grade=grade)))
        for n, (returned, scores) in enumerate(((date(2027, 3, 20), (5, 4, 4, 5, 4)), (date(2027, 2, 20), (1, 1)))):
            survey = SatisfactionSurvey(**_doc(people, number=f"MY-T{n}", state="returned", project_id=b,
                                               survey_type="after_acceptance", sent_on=returned - timedelta(days=5),
                                               returned_on=returned, customer_name="市第一中学"))
            survey.scores.extend(SurveyScore(aspect=f"a{i}", score=s) for i, s in enumerate(scores))
            db.session.add(survey)
        check = SelfCheck(**_doc(people, number="ZC-T1", state="confirmed", project_id=a, scope="布线",
                                 stage="cabling", check_date=date(2027, 3, 15)))
        check.items.extend(SelfCheckItem(item=f"项{n}", result=r) for n, r in enumerate(
            ("passed", "passed", "failed", "passed")))
        db.session.add(check)
        if quality:
            ft21 = REGISTRY["ft21"].model
            for n, (application, conclusion, first) in enumerate(((1, "qualified", True), (2, "reinspect", False),
                                                                  (2, "qualified", False))):
                db.session.add(ft21(**_doc(people, number=f"YS-T{n}", state="closed", project_id=a,
                                           application_id=application, inspected_on=date(2027, 3, 10 + n),
                                           conclusion=conclusion, first_pass=first)))
        db.session.commit()
    return {"a": a, "b": b, "d": d}


def measured(app, people, user_ids, kpis=KPIS):
    from modules.engineering.metrics import hr_appraisal_metrics
    with app.app_context():
        statements = []
        listen = lambda *args: statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            rows = hr_appraisal_metrics(kpis=kpis, user_ids=user_ids, start=MARCH[0], end=MARCH[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    return {(row["kpi"], row["user_id"]): row for row in rows}, statements


def test_portfolio_on_fixed_data(app, staff):
    fixed_data(app, staff)
    ids = staff["ids"]
    rows, _ = measured(app, staff, [ids["eng_mgr"], ids["pe"], ids["ps_mgr"]])
    row = rows[("KPI-PROJECT-PORTFOLIO", ids["eng_mgr"])]
    # Milestones 2/5 → 40 (×30); cost (90 + 100 + 70) / 3 → 86.67 (×25); F-T21 1/2 → 50 (×20);
    # satisfaction 4.4 → 88 (×15); one notice open → 90 (×10): 6586.75 / 100.
    assert row["score"] == Decimal("65.87")
    assert "weight" not in row and "无数据不计" not in row["detail"]
    for text in ("在建项目 3 个", "里程碑按期 2/5", "成本超基线 2/3", "分项验收一次通过 1/2", "客户满意度 4.4/5（1 份）",
                 "未关闭质量问题/事故 1 份", "优良率 50.00%（1/2）"):
        assert text in row["detail"]
    # Only the engineering manager is measured on it.
    assert [key for key in rows if key[0] == "KPI-PROJECT-PORTFOLIO"] == [("KPI-PROJECT-PORTFOLIO", ids["eng_mgr"])]


def test_portfolio_leaves_out_a_part_without_data(app, staff):
    fixed_data(app, staff, quality=False)
    ids = staff["ids"]
    rows, _ = measured(app, staff, [ids["eng_mgr"]])
    # No F-T21 in March: its 20 left out, the other 80 rescaled: 5586.75 / 80.
    row = rows[("KPI-PROJECT-PORTFOLIO", ids["eng_mgr"])]
    assert row["score"] == Decimal("69.83") and "分项验收一次通过" not in row["detail"]
    assert "无数据不计：分项验收（其余权重按比例放大）" in row["detail"]


def test_budget_accuracy_for_the_presales_manager(app, staff):
    fixed_data(app, staff)
    ids = staff["ids"]
    rows, _ = measured(app, staff, [ids["eng_mgr"], ids["pe"], ids["ps_mgr"]])
    row = rows[("KPI-PRESALES-PORTFOLIO", ids["ps_mgr"])]
    # B: the first pre-sales baseline 200,000 (not the re-baseline) against 210,000 → 95; D 100,000
    # against 130,000 → 70; A not accepted, C accepted in January.
    assert (row["score"], row["weight"]) == (Decimal("82.50"), 30)
    assert "竣工项目 2 个" in row["detail"] and "售前预算 300,000" in row["detail"] and "实际成本 340,000" in row["detail"]
    assert [key for key in rows if key[0] == "KPI-PRESALES-PORTFOLIO"] == [("KPI-PRESALES-PORTFOLIO", ids["ps_mgr"])]


def test_project_eval_fallback_averages_first_pass_and_schedule_adherence(app, staff):
    fixed_data(app, staff)
    ids = staff["ids"]
    rows, _ = measured(app, staff, [ids["pe2"]], kpis=["KPI-PROJECT-EVAL"])
    row = rows[("KPI-PROJECT-EVAL", ids["pe2"])]
    # Self-check 3/4 → 75; A's tasks due in March: 2 of 4 finished on time → 50.
    assert row["score"] == Decimal("62.50")
    assert "自检一次合格率 75.00%（3/4 项）" in row["detail"] and "进度计划按期完成率 50.00%（2/4 项）" in row["detail"]


def test_no_data_no_answer(app, staff):
    ids = staff["ids"]
    make_project(app, staff, state="planning")            # not started: not under way
    rows, _ = measured(app, staff, [ids["eng_mgr"], ids["ps_mgr"], ids["pe2"]])
    assert rows == {}


def test_portfolio_queries_fixed_whatever_the_people(app, staff):
    fixed_data(app, staff)
    ids = staff["ids"]
    _rows, one = measured(app, staff, [ids["eng_mgr"], ids["ps_mgr"]],
                          kpis=["KPI-PROJECT-PORTFOLIO", "KPI-PRESALES-PORTFOLIO"])
    rows, many = measured(app, staff, list(ids.values()), kpis=["KPI-PROJECT-PORTFOLIO", "KPI-PRESALES-PORTFOLIO"])
    assert len(rows) == 2
    # The role holders (twice), the projects, the milestones, the costs, F-T21, the surveys, F-T16,
    # F-T14, the grades, the pre-sales budgets.
    assert len(one) == len(many) == 11


@pytest.mark.modules("engineering", "hr_appraisal")
def test_the_appraisal_weights_the_budget_accuracy_share(app, staff):
    """Through the appraisal's engine: the 售前经理's KPI-PRESALES-PORTFOLIO is engineering's 30 %
    alone while sales (off here) answers nothing."""
    from modules.hr_appraisal.kpis import measure
    fixed_data(app, staff)
    ids = staff["ids"]
    with app.app_context():
        results = measure(["KPI-PRESALES-PORTFOLIO", "KPI-PROJECT-PORTFOLIO"], [ids["ps_mgr"], ids["eng_mgr"]],
                          MARCH[0], MARCH[1])
    assert results[(ids["ps_mgr"], "KPI-PRESALES-PORTFOLIO")].score == Decimal("82.50")
    assert results[(ids["eng_mgr"], "KPI-PROJECT-PORTFOLIO")].score == Decimal("65.87")
