"""Sales' answer to hr_appraisal_metrics (I-14, SPEC 3.6) on fixed data: KPI-SALES-OWN against the
personal targets of approved plans, KPI-REPORT-TIMELINESS from visit logs and weekly summaries,
KPI-REPORT-QUALITY from the manager's ratings; KPI-SALES-AREA, -SALES-TEAM, -ASSIST-REPS and
-MARKET-EXPANSION from contracts, collection lines, customers' first business and the plans' area
lines; a fixed number of statements whatever the people."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select

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


# ---- areas, the department, assisted account managers, market expansion ------------------------
AREA_KPIS = ["KPI-SALES-AREA", "KPI-SALES-TEAM", "KPI-ASSIST-REPS", "KPI-MARKET-EXPANSION"]


def seed_department(app, market):
    """2026-H2 plan (November: 30/184 of it): 深圳 300,000 (am 240,000, am2 60,000; collection
    150,000), 广州 150,000 (aam's own), department 450,000. Signed in November 2026: 深圳 255,000
    (am 180,000 + a 30,000 supplement, am2 45,000), 广州 90,000 (aam), 40,000 without area (am):
    385,000; in November 2025: 350,000. 75,000 collected in 深圳. New customers: one first signing,
    one first opportunity in November."""
    from core.parties.models import Party
    from modules.sales.collections import Collection
    from modules.sales.contracts import Contract
    from modules.sales.models import Customer, Opportunity
    from modules.sales.reports import SalesPlan, SalesPlanLine
    ids, sz, gz = market["ids"], area_id(app), area_id(app, "GZ")
    with app.app_context():
        def by(name):
            return {"owner_id": ids[name], "created_by_id": ids[name], "updated_by_id": ids[name]}

        plan = SalesPlan(number="CH-T1", title="2026下半年", state="approved", year=2026, half=2,
                         period_start=date(2026, 7, 1), period_end=date(2026, 12, 31), **by("mgr"))
        plan.lines = [SalesPlanLine(area_id=sz, signed_target=Decimal(1_840_000), collection_target=Decimal(920_000)),
                      SalesPlanLine(area_id=sz, signed_target=Decimal(1_472_000), collection_target=Decimal(920_000),
                                    person_id=ids["am"]),
                      SalesPlanLine(area_id=sz, signed_target=Decimal(368_000), collection_target=Decimal(0),
                                    person_id=ids["am2"]),
                      SalesPlanLine(area_id=gz, signed_target=Decimal(920_000), collection_target=Decimal(0)),
                      SalesPlanLine(area_id=gz, signed_target=Decimal(920_000), collection_target=Decimal(0),
                                    person_id=ids["aam"])]
        draft = SalesPlan(number="CH-T2", title="草稿", state="draft", year=2027, half=1,
                          period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), **by("mgr"))
        draft.lines = [SalesPlanLine(area_id=sz, signed_target=Decimal(1), collection_target=Decimal(1))]
        db.session.add_all([plan, draft])

        def customer(code, *opportunities):
            party = Party(code=code, name=f"客户{code}")
            db.session.add(party)
            db.session.flush()
            row = Customer(number=f"KH-{code}", title=party.name, state="active", party_id=party.id, **by("am"))
            db.session.add(row)
            db.session.flush()
            made = []
            for n, (created, state) in enumerate(opportunities):
                opp = Opportunity(number=f"XM-{code}{n}", title="项目", state=state, customer_id=row.id,
                                  info_type="engineering", created_at=datetime(*created, 2, tzinfo=UTC), **by("am"))
                db.session.add(opp)
                made.append(opp)
            db.session.flush()
            return row.id, made[0].id

        def contract(number, owner, where, amount, signed_on, state="signed", **extra):
            row = Contract(number=number, title="合同", state=state, kind=extra.pop("kind", "contract"),
                           opportunity_id=opp, customer_id=cust, area_id=where, amount=Decimal(amount),
                           signed_on=signed_on, **by(owner), **extra)
            db.session.add(row)
            db.session.flush()
            return row.id

        cust, opp = customer("OLD", ((2025, 10, 1), "handed_over"))
        contract("HT-T0", "am", sz, 350_000, date(2025, 11, 20), "closed")                 # last year's
        main = contract("HT-T1", "am", sz, 180_000, date(2026, 11, 10))
        contract("HT-T1-1", "am", sz, 30_000, date(2026, 11, 20), kind="supplement", parent_id=main)
        contract("HT-T5", "am", sz, 500_000, None, "draft")                               # not signed
        contract("HT-T6", "am", sz, 100_000, date(2026, 10, 31))                          # October's
        contract("HT-T4", "am", None, 40_000, date(2026, 11, 12))                         # no area
        db.session.add(Collection(number="SK-T1", title="预付款", state="received", contract_id=main,
                                  customer_id=cust, area_id=sz, milestone="advance", amount=Decimal(75_000),
                                  received_on=date(2026, 11, 18), received_amount=Decimal(75_000), **by("am")))
        cust, opp = customer("NEW1", ((2026, 10, 15), "signed"))                          # first signing
        contract("HT-T2", "am2", sz, 45_000, date(2026, 11, 5), "registered")
        cust, opp = customer("GZC", ((2025, 6, 1), "signed"))
        contract("HT-T7", "aam", gz, 10_000, date(2025, 3, 1), "closed")
        contract("HT-T3", "aam", gz, 90_000, date(2026, 11, 15))
        customer("NEW2", ((2026, 11, 8), "lead"))                                         # first opportunity
        customer("PAST", ((2025, 5, 1), "lost"), ((2026, 11, 9), "lead"))
        customer("CANC", ((2026, 11, 3), "cancelled"))
        db.session.commit()


def measure(app, kpis, people, period=NOV):
    from modules.sales import metrics
    with app.app_context():
        statements = []

        def count(*args):
            statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = metrics.hr_appraisal_metrics(kpis=kpis, user_ids=people, start=period[0], end=period[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return {(r["kpi"], r["user_id"]): r for r in rows}, len(statements)


def test_area_team_assist_and_expansion_on_fixed_data(app, market):
    seed_department(app, market)
    ids = market["ids"]
    got, _n = measure(app, AREA_KPIS, [ids[n] for n in ("am", "am2", "aam", "mgr", "dir", "pse")])
    area = got[("KPI-SALES-AREA", ids["aam"])]          # 深圳 only: 广州 has no manager of his
    assert area["score"] == Decimal("85.00") and area["detail"] == "片区 1 个，签约 255,000/300,000，完成率 85.0%"
    for who in ("mgr", "dir"):                             # 385,000 / 450,000
        team = got[("KPI-SALES-TEAM", ids[who])]
        assert team["score"] == Decimal("85.56") and "签约 385,000/450,000" in team["detail"]
    # am 250,000/240,000 -> 100 (capped), am2 45,000/60,000 -> 75
    reps = got[("KPI-ASSIST-REPS", ids["aam"])]
    assert reps["score"] == Decimal("87.50") and reps["detail"] == "客户经理 2 人：am 100.0%，am2 75.0%，平均 87.5%"
    # growth 10 % -> 70 + 30 × 10/20 = 85; two new customers (NEW1 signed, NEW2 opened) + 2 × 2
    expansion = got[("KPI-MARKET-EXPANSION", ids["dir"])]
    assert expansion["score"] == Decimal("89.00")
    assert expansion["detail"] == "签约 385,000（去年同期 350,000），增长 10.0%；新客户 2 家 +4分"
    # Nothing for those the KPI is not theirs: no area, not a manager, not the director (无数据).
    assert set(got) == {("KPI-SALES-AREA", ids["aam"]), ("KPI-ASSIST-REPS", ids["aam"]),
                        ("KPI-SALES-TEAM", ids["mgr"]), ("KPI-SALES-TEAM", ids["dir"]),
                        ("KPI-MARKET-EXPANSION", ids["dir"])}


def test_area_and_team_on_the_collected_basis(app, market, monkeypatch):
    from modules.sales import metrics
    seed_department(app, market)
    ids = market["ids"]
    monkeypatch.setattr(metrics, "_basis", lambda: "collected")
    got, _n = measure(app, ["KPI-SALES-AREA", "KPI-SALES-TEAM"], [ids["aam"], ids["mgr"]])
    assert got[("KPI-SALES-AREA", ids["aam"])]["detail"] == "片区 1 个，回款 75,000/150,000，完成率 50.0%"
    assert got[("KPI-SALES-TEAM", ids["mgr"])]["score"] == Decimal("50.00")


def test_without_a_plan_or_sales_there_is_no_data(app, market):
    seed_department(app, market)
    ids = market["ids"]
    january = (date(2027, 1, 1), date(2027, 1, 31))       # no approved plan; nothing signed either year
    got, _n = measure(app, AREA_KPIS, [ids[n] for n in ("aam", "mgr", "dir")], january)
    assert got == {}


@pytest.mark.parametrize("growth_now, before, added, score", [
    (Decimal(300_000), Decimal(250_000), 0, Decimal("100.00")),     # +20 %: full
    (Decimal(175_000), Decimal(250_000), 0, Decimal("49.00")),      # -30 %: 70 × 0.7
    (Decimal(0), Decimal(250_000), 1, Decimal("2.00")),             # -100 %: 0, one new customer
    (Decimal(100_000), Decimal(0), 0, Decimal("100.00")),           # nothing a year before
    (Decimal(0), Decimal(0), 9, Decimal("80.00")),                  # no sales, new customers capped at 10
])
def test_market_expansion_formula(app, market, monkeypatch, growth_now, before, added, score):
    from modules.sales import collections, metrics
    ids = market["ids"]
    monkeypatch.setattr(collections, "signed_and_collected_by_area", lambda start, end: {
        None: (growth_now if start.year == 2026 else before, Decimal(0))})
    monkeypatch.setattr(metrics, "new_customers", lambda start, end: added)
    with app.app_context():
        rows = metrics.market_expansion([ids["dir"], ids["mgr"]], *NOV)
    assert [(r["user_id"], r["score"]) for r in rows] == [(ids["dir"], score)]


def test_statements_do_not_grow_with_the_people(app, market, make_user):
    from modules.sales.models import Area
    from modules.sales.reports import SalesPlan, SalesPlanLine
    seed_department(app, market)
    ids = market["ids"]
    few = [ids[n] for n in ("am", "aam", "mgr", "dir")]
    _got, before = measure(app, AREA_KPIS, few)
    people = [[make_user(f"x{role}{n}", code) for role, code in (("aam", "ROLE-MKT-AAM"), ("am", "ROLE-MKT-AM"),
                                                                 ("mgr", "ROLE-MKT-MGR"), ("dir", "ROLE-MKT-DIR"))]
              for n in range(4)]
    with app.app_context():
        plan = db.session.scalar(select(SalesPlan).where(SalesPlan.number == "CH-T1"))
        for n, (manager, rep, _mgr, _dir) in enumerate(people):
            area = Area(code=f"A{n}", name=f"片区{n}", manager_id=manager)
            db.session.add(area)
            db.session.flush()
            plan.lines.extend([SalesPlanLine(area_id=area.id, signed_target=Decimal(184_000)),
                               SalesPlanLine(area_id=area.id, signed_target=Decimal(184_000), person_id=rep)])
        db.session.commit()
    more = [person for four in people for person in four]
    got, after = measure(app, AREA_KPIS, few + more)
    assert got[("KPI-SALES-AREA", more[0])]["score"] == Decimal(0)      # nothing signed in 片区0
    assert got[("KPI-ASSIST-REPS", more[0])]["detail"] == "客户经理 1 人：xam0 0.0%，平均 0.0%"
    assert len([k for k in got if k[0] == "KPI-MARKET-EXPANSION"]) == 5
    assert after == before and after <= 22          # 4-6 per KPI
