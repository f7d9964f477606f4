"""Sales' answer to hr_appraisal_metrics (I-14, SPEC 3.6) on fixed data: KPI-SALES-OWN against the
personal targets of approved plans, KPI-REPORT-TIMELINESS from visit logs and weekly summaries,
KPI-REPORT-QUALITY from the manager's ratings; a fixed number of statements whatever the people."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event

from core.extensions import db
from tests.modules.sales.conftest import area_id

pytestmark = pytest.mark.modules("sales", "hr_appraisal")
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def at(day, hour):
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def seed(app, market):
    from modules.sales.reports import SalesPlan, SalesPlanLine
    from modules.sales.summaries import WeeklySummary
    from modules.sales.visits import VisitLog
    ids, sz = market["ids"], area_id(app)
    with app.app_context():
        # second half 2026: 184 days; November is 30 of them
        plan = SalesPlan(number="CH-T1", title="2026下半年", state="approved", owner_id=ids["mgr"], year=2026, half=2,
                         period_start=date(2026, 7, 1), period_end=date(2026, 12, 31))
        plan.lines = [SalesPlanLine(area_id=sz, signed_target=Decimal(1_840_000), collection_target=Decimal(920_000),
                                    person_id=ids["am"]),
                      SalesPlanLine(area_id=sz, signed_target=Decimal(368_000), collection_target=Decimal(0),
                                    person_id=ids["am2"])]
        draft = SalesPlan(number="CH-T2", title="草稿", state="draft", owner_id=ids["mgr"], year=2027, half=1,
                          period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
        draft.lines = [SalesPlanLine(area_id=sz, signed_target=Decimal(1), collection_target=Decimal(1),
                                     person_id=ids["aam"])]
        db.session.add_all([plan, draft])
        logs = [(3, at(3, 10), at(3, 9)), (4, at(4, 10), at(4, 12)), (5, at(5, 10), None), (6, at(6, 10), at(6, 10))]
        for n, (day, due, submitted) in enumerate(logs):
            db.session.add(VisitLog(number=f"XF-T{n}", title="巡访", state="submitted" if submitted else "draft",
                                    owner_id=ids["am"], visit_date=date(2026, 11, day), due_at=due,
                                    submitted_at=submitted))
        db.session.add(VisitLog(number="XF-T9", title="巡访", state="submitted", owner_id=ids["am"],
                                visit_date=date(2026, 10, 30), due_at=datetime(2026, 10, 30, 10, tzinfo=UTC),
                                submitted_at=datetime(2026, 11, 2, tzinfo=UTC)))          # October's
        for n, (monday, rating, submitted) in enumerate([(2, 4, at(9, 1)), (9, 2, at(17, 1)), (23, None, at(30, 1))]):
            db.session.add(WeeklySummary(number=f"ZJ-T{n}", title="周总结", state="submitted", owner_id=ids["am"],
                                         week_start=date(2026, 11, monday), week_end=date(2026, 11, monday + 6),
                                         due_at=at(monday + 7, 2), submitted_at=submitted, mgr_rating=rating))
        db.session.commit()


def test_sales_metrics_on_fixed_data(app, market, monkeypatch):
    from modules.sales import collections, metrics
    seed(app, market)
    ids = market["ids"]
    actual = {ids["am"]: (Decimal(240_000), Decimal(200_000)), ids["am2"]: (Decimal(90_000), Decimal(0))}
    monkeypatch.setattr(collections, "signed_and_collected_by_owner", lambda start, end, user_id=None: actual)
    people = [ids["am"], ids["am2"], ids["aam"], ids["pse"]]
    with app.app_context():
        statements = []

        def count(*args):
            statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = metrics.hr_appraisal_metrics(kpis=["KPI-SALES-OWN", "KPI-REPORT-TIMELINESS", "KPI-REPORT-QUALITY"],
                                                user_ids=people, start=NOV[0], end=NOV[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    got = {(r["kpi"], r["user_id"]): r for r in rows}
    # targets prorated: 1,840,000 × 30/184 = 300,000; signed 240,000 -> 80 %
    own = got[("KPI-SALES-OWN", ids["am"])]
    assert own["score"] == Decimal("80.00") and "240,000/300,000" in own["detail"]
    assert got[("KPI-SALES-OWN", ids["am2"])]["score"] == Decimal(100)          # 150 % capped
    assert ("KPI-SALES-OWN", ids["aam"]) not in got                                # a draft plan's target: 无数据
    # 4 November logs due (one on time, one late, one never submitted, one at the deadline) + 3 summaries
    # (due the next Monday: the week of the 9th handed in a day late)
    timely = got[("KPI-REPORT-TIMELINESS", ids["am"])]
    assert (timely["due"], timely["on_time"]) == (7, 4) and timely["detail"] == "按时 巡访登记 2/4，周总结 2/3"
    quality = got[("KPI-REPORT-QUALITY", ids["am"])]
    assert (quality["rating_sum"], quality["rating_count"]) == (Decimal(6), 2)
    assert not [r for r in rows if r["user_id"] == ids["pse"]]                      # nothing to measure
    assert len(statements) <= 6


def test_collected_or_mixed_basis(app, market, monkeypatch):
    from modules.sales import collections, metrics
    seed(app, market)
    ids = market["ids"]
    monkeypatch.setattr(collections, "signed_and_collected_by_owner",
                        lambda start, end, user_id=None: {ids["am"]: (Decimal(240_000), Decimal(120_000))})
    with app.app_context():
        monkeypatch.setattr(metrics, "_basis", lambda: "collected")
        rows = metrics.sales_own([ids["am"]], *NOV)
        assert rows[0]["score"] == Decimal("80.00")        # 120,000 / (920,000 × 30/184 = 150,000)
        monkeypatch.setattr(metrics, "_basis", lambda: "mixed")
        assert metrics.sales_own([ids["am"]], *NOV)[0]["score"] == Decimal("80.00")
