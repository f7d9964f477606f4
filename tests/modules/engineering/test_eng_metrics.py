"""Engineering's appraisal measures (hr_appraisal_metrics, I-13): KPI-PROJECT-EVAL from the F-E08
totals (else the self-check first-pass rate), KPI-REPORT-TIMELINESS from the weekly reports and the
evaluations' due dates, KPI-REPORT-QUALITY from the manager's ratings; a fixed number of queries
whatever the number of people."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (date(2027, 3, 1), date(2027, 3, 31))
KPIS = ["KPI-PROJECT-EVAL", "KPI-REPORT-TIMELINESS", "KPI-REPORT-QUALITY", "KPI-COMPLIANCE"]


@pytest.fixture
def clock(monkeypatch):
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def _doc(people, who, **values):
    uid = people["ids"][who]
    return dict(title="", owner_id=uid, created_by_id=uid, updated_by_id=uid, **values)


def fixed_data(app, people):
    """pe: two projects accepted in March, evaluated 85 and 90 (the first due and submitted in
    March), weekly reports of March: 3 on time (rated 4, 5, 3), 1 late, 1 missing.
    pe2: a project under construction, a confirmed self-check of March 3 of 4 items passed first,
    no weekly report."""
    from modules.engineering.evaluation import ProjectEvaluation
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem
    from modules.engineering.site_reports import WeeklyReport
    a = make_project(app, people, state="closing", actual_completion=date(2027, 3, 10))
    b = make_project(app, people, state="closing", actual_completion=date(2027, 3, 20))
    c = make_project(app, people, state="in_construction", engineer="pe2")
    old = make_project(app, people, state="warranty", actual_completion=date(2027, 1, 5))
    with app.app_context():
        for pid, total, submitted in ((a, 85, datetime(2027, 3, 18, 10, tzinfo=SHANGHAI)),
                                      (b, 90, datetime(2027, 3, 30, 10, tzinfo=SHANGHAI)),
                                      (old, 40, datetime(2027, 1, 10, 10, tzinfo=SHANGHAI))):
            db.session.add(ProjectEvaluation(**_doc(people, "pe", number=f"HP-T{pid}", state="approved",
                                                    project_id=pid, total=Decimal(total), submitted_at=submitted,
                                                    submitted_late=False)))
        check = SelfCheck(**_doc(people, "pe2", number="ZC-T1", state="confirmed", project_id=c, scope="布线",
                                 stage="cabling", check_date=date(2027, 3, 15)))
        check.items.extend(SelfCheckItem(item=f"项{n}", result=r) for n, r in enumerate(
            ("passed", "passed", "failed", "passed", "na")))
        db.session.add(check)
        for n, (monday, late, rating) in enumerate(((date(2027, 3, 1), False, 4), (date(2027, 3, 8), False, 5),
                                                    (date(2027, 3, 15), False, 3), (date(2027, 3, 22), True, None))):
            db.session.add(WeeklyReport(**_doc(people, "pe", number=f"GZ-T{n}", state="read" if rating else "submitted",
                                               week_start=monday, week_end=monday + timedelta(days=6),
                                               submitted_at=datetime.combine(monday, datetime.min.time(),
                                                                             tzinfo=SHANGHAI) + timedelta(days=4),
                                               submitted_late=late, rating=rating)))
        db.session.commit()


def measured(app, people, user_ids=None):
    from modules.engineering.metrics import hr_appraisal_metrics
    ids = people["ids"]
    with app.app_context():
        statements = []
        listen = lambda *args: statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            rows = hr_appraisal_metrics(kpis=KPIS, user_ids=user_ids or [ids["pe"], ids["pe2"], ids["eng_mgr"]],
                                        start=MARCH[0], end=MARCH[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    return {(row["kpi"], row["user_id"]): row for row in rows}, [s for s in statements if "eng_" in s]


def test_measures_on_fixed_data(app, team, clock):
    clock("2027-04-10 10:00")
    fixed_data(app, team)
    ids = team["ids"]
    rows, _statements = measured(app, team)
    assert rows[("KPI-PROJECT-EVAL", ids["pe"])]["score"] == Decimal("87.50")
    assert rows[("KPI-PROJECT-EVAL", ids["pe2"])]["score"] == Decimal("75.00")     # the first-pass rate
    pe = rows[("KPI-REPORT-TIMELINESS", ids["pe"])]
    # 5 weeks (3 on time, 1 late, 1 missing) + the evaluation of project A due on 24 March, on time;
    # project B's falls due in April.
    assert (pe["due"], pe["on_time"]) == (6, 4) and "周报" in pe["detail"]
    pe2 = rows[("KPI-REPORT-TIMELINESS", ids["pe2"])]
    assert (pe2["due"], pe2["on_time"]) == (5, 0)
    quality = rows[("KPI-REPORT-QUALITY", ids["pe"])]
    assert (quality["rating_sum"], quality["rating_count"]) == (Decimal(12), 3)
    # Nothing to measure: no answer (the sheet shows 无数据); compliance is not answered here.
    assert ("KPI-REPORT-QUALITY", ids["pe2"]) not in rows
    assert not [key for key in rows if key[1] == ids["eng_mgr"]]
    assert not [key for key in rows if key[0] == "KPI-COMPLIANCE"]
    for row in rows.values():
        assert row["detail"] and sum(m in row for m in ("score", "due", "points", "rating_sum")) == 1


def test_fixed_number_of_queries_whatever_the_people(app, team, clock):
    clock("2027-04-10 10:00")
    fixed_data(app, team)
    ids = team["ids"]
    _rows, one = measured(app, team, [ids["pe2"]])
    _rows, many = measured(app, team, [ids[name] for name in ("pe", "pe2", "eng_mgr", "gm", "dir", "buyer")])
    # Per KPI: the evaluations and the fallback's first-pass rate and schedule adherence; the weekly
    # reports, the engineers, the evaluations' due dates; the ratings.
    assert len(one) == len(many) == 7


def test_only_the_kpis_asked_and_nobody_asked(app, team, clock):
    from modules.engineering.metrics import hr_appraisal_metrics
    clock("2027-04-10 10:00")
    fixed_data(app, team)
    with app.app_context():
        rows = hr_appraisal_metrics(kpis=["KPI-REPORT-QUALITY"], user_ids=[team["ids"]["pe"]], start=MARCH[0],
                                    end=MARCH[1])
        assert {row["kpi"] for row in rows} == {"KPI-REPORT-QUALITY"}
        assert hr_appraisal_metrics(kpis=KPIS, user_ids=[], start=MARCH[0], end=MARCH[1]) == []


@pytest.mark.modules("engineering", "hr_appraisal")
def test_answers_the_appraisal_modules_hook(app, team, clock):
    clock("2027-04-10 10:00")
    fixed_data(app, team)
    ids = team["ids"]
    with app.app_context():
        answers = app.extensions["erp"].pm.hook.hr_appraisal_metrics(
            kpis=["KPI-PROJECT-EVAL"], user_ids=[ids["pe"], ids["pe2"]], start=MARCH[0], end=MARCH[1])
    rows = {(r["kpi"], r["user_id"]): r for batch in answers for r in batch}
    assert rows[("KPI-PROJECT-EVAL", ids["pe"])]["score"] == Decimal("87.50")
    assert rows[("KPI-PROJECT-EVAL", ids["pe2"])]["score"] == Decimal("75.00")
