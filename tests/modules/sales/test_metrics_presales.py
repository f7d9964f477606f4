"""Sales' answer to hr_appraisal_metrics for the pre-sales staff and the market assistant (I-14,
SPEC 3.6) on fixed November 2026 data: KPI-PRESALES-ASSIST (signed vs target and win rate of the
opportunities he leads), KPI-PRESALES-PORTFOLIO (win rate 40 + review turnaround 30, weight 70),
KPI-INTERNAL-ORDER (weekly bundles, contract ledger) and KPI-ARCHIVE-CLARITY; nothing to measure
gives no answer; a fixed number of statements whatever the people."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from flask import g
from sqlalchemy import event

from core.extensions import db
from tests.modules.sales.conftest import area_id

pytestmark = pytest.mark.modules("sales", "hr_appraisal")
NOV = (date(2026, 11, 1), date(2026, 11, 30))
SH = ZoneInfo("Asia/Shanghai")
KPIS = ["KPI-PRESALES-ASSIST", "KPI-PRESALES-PORTFOLIO", "KPI-INTERNAL-ORDER", "KPI-ARCHIVE-CLARITY"]


def local(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture
def transitions(app, monkeypatch):
    """transition(doc or (table, id), name, from, to, when, who): the audit entry the workflow
    engine writes, stamped at `when` (the audit log takes the real time otherwise)."""
    from core.audit import log as audit

    def write(target, name, before, after, when, who):
        from core.auth.models import User

        class Stamped(datetime):
            @classmethod
            def now(cls, tz=None):
                return when.astimezone(UTC)
        table, record_id = target if isinstance(target, tuple) else (target.__tablename__, target.id)
        monkeypatch.setattr(audit, "datetime", Stamped)
        g.audit_user = db.session.get(User, who)
        audit.record(db.session, "transition", table, record_id,
                     {"transition": name, "from": before, "to": after, "comment": ""})
        db.session.commit()
        g.pop("audit_user")
        monkeypatch.setattr(audit, "datetime", datetime)
    return write


def seed(app, market, transitions):
    from core.parties.models import Party
    from modules.sales.contracts import Contract
    from modules.sales.models import Customer, Opportunity
    from modules.sales.summaries import WeeklySummary
    from modules.sales.visits import WeeklyBundle
    ids = market["ids"]
    with app.app_context():
        party = Party(code="C-T1", name="深圳市第一人民医院")
        db.session.add(party)
        db.session.flush()
        customer = Customer(number="KH-T1", title=party.name, state="active", party_id=party.id, owner_id=ids["am"],
                            area_id=area_id(app))
        db.session.add(customer)
        db.session.flush()

        def opportunity(n, lead):
            o = Opportunity(number=f"SJ-T{n}", title=f"项目{n}", state="eng_in_progress", owner_id=ids["am"],
                            customer_id=customer.id, info_type="engineering", presales_lead_id=lead)
            db.session.add(o)
            db.session.flush()
            return o
        pse, ps_mgr = ids["pse"], ids["ps_mgr"]
        won1, won2, lost, lost_oct, cancelled = (opportunity(n, pse) for n in range(1, 6))
        led_by_mgr, unsupported = opportunity(6, ps_mgr), opportunity(7, None)
        db.session.commit()
        decided = [(won1, "confirm_win", "won", local(11, 3, 10)), (won2, "bid_won", "won", local(11, 20, 15)),
                   (lost, "lose", "lost", local(11, 12, 9)), (lost_oct, "lose", "lost", local(10, 28, 9)),
                   (cancelled, "cancel", "cancelled", local(11, 5, 9)),
                   (led_by_mgr, "confirm_win", "won", local(11, 6, 9)),
                   (unsupported, "confirm_win", "won", local(11, 9, 9))]
        for o, name, state, when in decided:
            transitions(o, name, "eng_in_progress", state, when, ids["mgr"])
        transitions(lost_oct, "hand_over_owner", "lost", "lost", local(11, 16, 9), ids["mgr"])   # decides nothing

        def contract(n, o, amount, state, signed_on, registered_on=None):
            db.session.add(Contract(number=f"HT-T{n}", title=f"合同{n}", state=state, owner_id=ids["am"],
                                    opportunity_id=o.id, customer_id=customer.id, amount=Decimal(amount),
                                    signed_on=signed_on, registered_on=registered_on))
        contract(1, won1, 300_000, "registered", date(2026, 11, 10), date(2026, 11, 12))   # due Thu 12th: on time
        contract(2, won2, 150_000, "signed", date(2026, 11, 25))                           # due Fri 27th: never
        contract(3, won1, 999_999, "draft", None)                                          # not signed
        contract(4, led_by_mgr, 100_000, "registered", date(2026, 11, 2), date(2026, 11, 6))  # due Wed 4th: late
        contract(5, won1, 50_000, "signed", date(2026, 10, 20))                            # signed in October
        contract(6, won2, 20_000, "signed", date(2026, 11, 30))                            # due 2 December

        # The pre-sales manager's reviews (table, id): registrations and engineering budgets.
        reviews = [
            (("sales_registration", 901), "approve", "pending_mgr", "pending_ps", local(11, 2, 10)),
            (("sales_registration", 901), "assign", "pending_ps", "approved", local(11, 4, 17)),       # on time
            (("sales_registration", 902), "approve", "pending_mgr", "pending_ps", local(11, 5, 10)),
            (("sales_registration", 902), "ps_reject", "pending_ps", "rejected", local(11, 10, 9)),   # late
            (("sales_quotation", 903), "submit", "draft", "ps_review", local(11, 16, 10)),
            (("sales_quotation", 903), "ps_approve", "ps_review", "mgr_pricing", local(11, 17, 11)),  # on time
            (("sales_quotation", 904), "submit", "draft", "ps_review", local(11, 18, 10)),
            (("sales_quotation", 904), "recall", "ps_review", "draft", local(11, 18, 11)),           # withdrawn
            (("sales_quotation", 905), "submit", "draft", "ps_review", local(11, 26, 10)),           # never answered
            (("sales_quotation", 906), "submit", "draft", "ps_review", local(11, 30, 10)),           # due in December
        ]
        for target, name, before, after, when in reviews:
            transitions(target, name, before, after, when, ps_mgr)

        # The assistant's weekly bundles (due the next Monday 09:30) and what waits to be archived.
        bundles = [(2, local(11, 9, 9), "archived", local(11, 20, 9)), (9, local(11, 16, 11), "read", local(11, 18, 9)),
                   (16, None, "draft", local(11, 16, 9)), (23, local(11, 30, 9), "reported", local(11, 30, 9))]
        for n, (monday, reported, state, changed) in enumerate(bundles):
            db.session.add(WeeklyBundle(number=f"XH-T{n}", title="周巡访汇总", state=state, owner_id=ids["ast"],
                                        week_start=date(2026, 11, monday), week_end=date(2026, 11, monday + 6),
                                        due_at=local(11, monday + 7, 9, 30), reported_at=reported,
                                        created_at=changed, updated_at=changed))
        summaries = [("archived", local(11, 25, 9)), ("read", local(10, 5, 9)), ("archived", local(10, 20, 9)),
                     ("submitted", local(11, 3, 9))]
        for n, (state, changed) in enumerate(summaries):
            monday = date(2026, 10, 5 + 7 * n)
            db.session.add(WeeklySummary(number=f"ZJ-T{n}", title="周总结", state=state, owner_id=ids["am"],
                                         week_start=monday, week_end=date.fromordinal(monday.toordinal() + 6),
                                         created_at=changed, updated_at=changed))
        db.session.commit()


def measure(app, kpis, people, period=NOV):
    """(rows, statements) of one hook call in a fresh app context (caches empty)."""
    from modules.sales import metrics_presales
    statements = []

    def count(*args):
        statements.append(args[2])
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = metrics_presales.hr_appraisal_metrics(kpis=kpis, user_ids=people, start=period[0], end=period[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return {(r["kpi"], r["user_id"]): r for r in rows}, statements


def set_target(app, yearly):
    from core import settings
    with app.app_context():
        settings.set("sales.presales_signed_target", yearly)


def test_presales_and_assistant_kpis_on_fixed_data(app, market, transitions, clock):
    clock("2026-12-02 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    people = [ids[n] for n in ("pse", "ps_mgr", "ast", "am", "mgr")]
    got, _statements = measure(app, KPIS, people)

    # No target: the pre-sales engineer's win rate alone (won 2 of the 3 decided in November;
    # October's loss and the cancelled one do not count).
    assist = got[("KPI-PRESALES-ASSIST", ids["pse"])]
    assert assist["score"] == Decimal("66.67") and assist["detail"] == "赢单 2/3"
    assert got[("KPI-PRESALES-ASSIST", ids["ps_mgr"])]["score"] == Decimal(100)   # he led one, won

    # Supported opportunities 3 of 4 won (75 %, the one without a pre-sales lead aside); reviews
    # due in November 4, answered within 2 working days 2 (50 %): (40 × 75 + 30 × 50) / 70.
    portfolio = got[("KPI-PRESALES-PORTFOLIO", ids["ps_mgr"])]
    assert portfolio["score"] == Decimal("64.29") and portfolio["weight"] == 70
    assert portfolio["detail"] == "支持商机赢单 3/4，评审2个工作日内 2/4"
    assert ("KPI-PRESALES-PORTFOLIO", ids["pse"]) not in got                   # the manager's KPI only

    # Bundles due in November: 4, reported by the Monday meeting 2; ledger entries due: 3, in time 1.
    order = got[("KPI-INTERNAL-ORDER", ids["ast"])]
    assert (order["due"], order["on_time"]) == (7, 3)
    assert order["detail"] == "按时 周巡访汇总 2/4，合同台账2个工作日内登记 1/3"

    # Archived in November 2 (a bundle, a summary) of 4 expected (+ a bundle read and a summary
    # read in October, still not filed); October's archived summary and the drafts are not counted.
    clarity = got[("KPI-ARCHIVE-CLARITY", ids["ast"])]
    assert clarity["score"] == Decimal("50.00") and clarity["detail"].startswith("已存档 2/4")

    # Nobody else has anything of these KPIs: no answer (无数据), not a zero.
    assert not [key for key in got if key[1] in (ids["am"], ids["mgr"])]
    assert {key for key in got if key[1] == ids["ast"]} == {("KPI-INTERNAL-ORDER", ids["ast"]),
                                                             ("KPI-ARCHIVE-CLARITY", ids["ast"])}


def test_presales_assist_against_a_yearly_target(app, market, transitions, clock):
    clock("2026-12-02 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    set_target(app, "9125000")             # November: 9,125,000 × 30/365 = 750,000
    got, _ = measure(app, ["KPI-PRESALES-ASSIST"], [ids["pse"], ids["ps_mgr"], ids["am"]])
    # signed in November on his opportunities: 300,000 + 150,000 + 20,000 (October's and the draft
    # aside): 62.67 %
    assist = got[("KPI-PRESALES-ASSIST", ids["pse"])]
    assert assist["score"] == Decimal("64.67")                               # (62.67 + 66.67) / 2
    assert assist["detail"] == "协助签约 470,000/750,000，完成率 62.7%，赢单 2/3"
    assert got[("KPI-PRESALES-ASSIST", ids["ps_mgr"])]["score"] == Decimal("56.67")   # (13.33 + 100) / 2
    assert ("KPI-PRESALES-ASSIST", ids["am"]) not in got                     # leads nothing

    # Days when nothing was decided: the achievement alone (29-30 November: 20,000 of 50,000).
    days, _ = measure(app, ["KPI-PRESALES-ASSIST"], [ids["pse"]], (date(2026, 11, 29), date(2026, 11, 30)))
    assert days[("KPI-PRESALES-ASSIST", ids["pse"])]["score"] == Decimal("40.00")
    assert days[("KPI-PRESALES-ASSIST", ids["pse"])]["detail"] == "协助签约 20,000/50,000，完成率 40.0%"
    # Nothing signed nor decided (January): no answer, even with a target.
    assert measure(app, ["KPI-PRESALES-ASSIST"], [ids["pse"]], (date(2026, 1, 1), date(2026, 1, 31)))[0] == {}


def test_no_data_no_answer(app, market, transitions, clock):
    clock("2026-12-02 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    got, _ = measure(app, KPIS, [ids["pse"], ids["ps_mgr"], ids["ast"]], (date(2026, 1, 1), date(2026, 1, 31)))
    assert got == {}
    got, _ = measure(app, KPIS, [])
    assert got == {}


def test_reviews_not_yet_due_are_not_counted(app, market, transitions, clock):
    """Measured on 27 November: the budget submitted on the 26th is due on the 30th, not late yet;
    the contract signed on the 25th is due on the 27th at the end of work, not yet either."""
    clock("2026-11-27 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    got, _ = measure(app, ["KPI-PRESALES-PORTFOLIO", "KPI-INTERNAL-ORDER"], [ids["ps_mgr"], ids["ast"]])
    assert got[("KPI-PRESALES-PORTFOLIO", ids["ps_mgr"])]["detail"] == "支持商机赢单 3/4，评审2个工作日内 2/3"
    order = got[("KPI-INTERNAL-ORDER", ids["ast"])]
    assert order["detail"] == "按时 周巡访汇总 1/3，合同台账2个工作日内登记 1/2"


def test_statements_do_not_grow_with_the_people(app, market, transitions, clock):
    clock("2026-12-02 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    set_target(app, "9125000")
    few, few_statements = measure(app, KPIS, [ids["pse"], ids["ast"], ids["ps_mgr"]])
    everybody, all_statements = measure(app, KPIS, list(ids.values()))
    assert len(few) == 5 and len(everybody) == 5
    # decided, signed, setting, roles, reviews, calendar, bundles, ledger, archive grants, archive
    assert len(all_statements) == len(few_statements) <= 10


def test_the_appraisal_engine_gets_them_through_the_hook(app, market, transitions, clock):
    """The part is in the manifest: hr_appraisal's one hook call for everybody collects these
    answers; the portfolio's 70 are the whole KPI while engineering answers nothing."""
    from modules.hr_appraisal.kpis import measure as appraisal_measure
    clock("2026-12-02 10:00")
    seed(app, market, transitions)
    ids = market["ids"]
    with app.app_context():
        got = appraisal_measure(["KPI-PRESALES-ASSIST", "KPI-PRESALES-PORTFOLIO", "KPI-INTERNAL-ORDER"],
                                list(ids.values()), *NOV)
    assert got[(ids["pse"], "KPI-PRESALES-ASSIST")].score == Decimal("66.67")
    assert got[(ids["ps_mgr"], "KPI-PRESALES-PORTFOLIO")].score == Decimal("64.29")
    assert got[(ids["ast"], "KPI-INTERNAL-ORDER")].score == Decimal("42.86")     # 3 of 7 on time
    assert (ids["am"], "KPI-PRESALES-ASSIST") not in got
