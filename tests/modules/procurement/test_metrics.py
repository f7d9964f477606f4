"""Procurement's answer to hr_appraisal_metrics (SPEC 3.6) on fixed data: KPI-PUR-TIMELINESS from
the order lines promised and the inquiries due in the period, KPI-PUR-COST from the savings
against budget (banded), KPI-SERVICE-QUALITY from the purchase request lines handled by their
required date; a buyer on his own, the procurement manager on the department's; a fixed number
of statements whatever the people; an appraisal sheet shows the values."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from core.extensions import db
from tests.modules.procurement.conftest import make_supplier

pytestmark = pytest.mark.modules("procurement")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOV = (date(2026, 11, 1), date(2026, 11, 30))
KPIS = ["KPI-PUR-TIMELINESS", "KPI-PUR-COST", "KPI-SERVICE-QUALITY"]


@pytest.fixture
def clock(monkeypatch):
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def nov(day):
    return date(2026, 11, day)


def fixed_data(app, people):
    """buyer: order A (received; created 2 Nov) with L1 10 promised 10 Nov received in full on time,
    L2 5 promised 12 Nov received late, L3 4 promised 20 Nov 3 received (short, no budget); order B
    (contracted) with L4 2 promised 25 Nov still in inspection and L5 promised in December; a
    cancelled and a draft order (not counted). Budgets 10×100, 5×200, 2×1000 = 4,000 against
    3,900 paid: 2.5 % saved. Inquiries due 10, 12 and 14 Nov: answered on the day, a day late
    (01:00 Shanghai, still the 12th in UTC), never; one cancelled. Requests: R1 ordered on L1
    promised before it is required, R2 on L2 promised after, R3 cancelled, R4 not ordered.
    buyer2: order E (approved) L7 1 promised 5 Nov, 1,100 paid against a budget of 1,000 (10 %
    over); order F L8 2 promised 8 Nov received in two on-time deliveries.
    Nobody's: an inquiry nobody took (due 20 Nov), a request awaiting procurement (required
    25 Nov), a draft request."""
    from modules.procurement.inquiries import Inquiry
    from modules.procurement.orders import Order, OrderLine
    from modules.procurement.receipts import Receipt, ReceiptLine
    from modules.procurement.requests import PurchaseRequest, PurchaseRequestLine
    ids = people["ids"]
    supplier = make_supplier(app, people)

    def doc(model, who, number, state, **values):
        uid = ids[who]
        return model(number=number, title=number, state=state, owner_id=uid, created_by_id=uid, updated_by_id=uid,
                     **values)

    def order(who, number, state, created, *lines):
        made = doc(Order, who, number, state, supplier_id=supplier, payment_terms="30天", delivery_terms="送货",
                   created_at=datetime(2026, 11, created, 2, tzinfo=UTC))
        for qty, promised, price, budget in lines:
            made.lines.append(OrderLine(item="交换机", qty=Decimal(qty), unit_price=Decimal(price),
                                        vat_rate=Decimal(13), amount=Decimal(qty) * Decimal(price),
                                        promised_date=promised, budget_unit_cost=budget and Decimal(budget)))
        return made

    def receipt(number, made, state, *rows):
        got = doc(Receipt, "buyer", number, state, order=made, received_at=datetime(2026, 11, 20, 2, tzinfo=UTC),
                  received_by_id=ids["buyer"], location="warehouse")
        for line, qty, late in rows:
            got.lines.append(ReceiptLine(order_line_id=line.id, item=line.item, qty_received=Decimal(qty),
                                         inspection="passed", qty_accepted=Decimal(qty), promised_date=line.promised_date,
                                         late=late, short=False))
        return got

    def inquiry(number, state, due, buyer=None, answered=None):
        return doc(Inquiry, "buyer", number, state, source="purchase", answer_due=due,
                   buyer_id=buyer and ids[buyer], answered_at=answered)

    with app.app_context():
        a = order("buyer", "PO-T1", "received", 2, ("10", nov(10), "95", "100"), ("5", nov(12), "190", "200"),
                  ("4", nov(20), "50", None))
        b = order("buyer", "PO-T2", "contracted", 5, ("2", nov(25), "1000", "1000"),
                  ("1", date(2026, 12, 20), "10", None))
        cancelled = order("buyer", "PO-T3", "cancelled", 3, ("1", nov(15), "10", "100"))
        draft = order("buyer", "PO-T4", "draft", 4, ("1", nov(15), "10", "100"))
        e = order("buyer2", "PO-T5", "approved", 10, ("1", nov(5), "1100", "1000"))
        f = order("buyer2", "PO-T6", "received", 6, ("2", nov(8), "10", None))
        db.session.add_all([a, b, cancelled, draft, e, f])
        db.session.flush()
        l1, l2, l3 = a.lines
        db.session.add_all([
            receipt("DH-T1", a, "accepted", (l1, 10, False), (l2, 5, True), (l3, 3, False)),
            receipt("DH-T2", b, "inspecting", (b.lines[0], 2, False)),
            receipt("DH-T3", f, "accepted", (f.lines[0], 1, False)),
            receipt("DH-T4", f, "accepted", (f.lines[0], 1, False)),
            inquiry("XJ-T1", "answered", nov(10), "buyer", datetime(2026, 11, 10, 7, tzinfo=UTC)),
            inquiry("XJ-T2", "answered", nov(12), "buyer", datetime(2026, 11, 12, 17, tzinfo=UTC)),
            inquiry("XJ-T3", "in_progress", nov(14), "buyer"),
            inquiry("XJ-T4", "cancelled", nov(15), "buyer"),
            inquiry("XJ-T5", "requested", nov(20)),
        ])

        def request(number, state, buyer, *lines):
            made = doc(PurchaseRequest, "pe", number, state, purpose="项目采购", buyer_id=buyer and ids[buyer])
            made.lines.extend(PurchaseRequestLine(item="交换机", qty=Decimal(qty), required_date=required,
                                                  line_status=status) for qty, required, status in lines)
            return made
        ordered = request("SQ-T1", "ordered", "buyer", ("10", nov(15), "ordered"), ("5", nov(11), "ordered"),
                          ("3", nov(18), "cancelled"))
        db.session.add_all([ordered, request("SQ-T2", "sourcing", "buyer", ("2", nov(22), "open")),
                            request("SQ-T3", "draft", None, ("1", nov(10), "open")),
                            request("SQ-T4", "dept_approved", None, ("1", nov(25), "open"))])
        db.session.flush()
        l1.request_line_id, l2.request_line_id = ordered.lines[0].id, ordered.lines[1].id
        db.session.commit()


def measured(app, user_ids, kpis=KPIS, period=NOV):
    from modules.procurement.metrics import hr_appraisal_metrics
    statements = []

    def count(*args):
        statements.append(args[2])
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = hr_appraisal_metrics(kpis=kpis, user_ids=user_ids, start=period[0], end=period[1])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return {(r["kpi"], r["user_id"]): r for r in rows}, statements


def test_a_buyer_on_his_own_orders_inquiries_and_requests(app, purchasing, clock):
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    ids = purchasing["ids"]
    rows, _statements = measured(app, [ids["buyer"], ids["buyer2"], ids["pe"]])
    timely = rows[("KPI-PUR-TIMELINESS", ids["buyer"])]
    # 4 lines due (on time, late, short, not yet accepted) + 3 inquiries (on the day, a day late, never)
    assert (timely["due"], timely["on_time"]) == (7, 2)
    assert timely["detail"] == "到货 1/4 按时；询价 1/3 按时"
    cost = rows[("KPI-PUR-COST", ids["buyer"])]
    assert cost["score"] == Decimal("85.00")              # 2.5 % saved: halfway from 70 to 100
    assert cost["detail"] == "节约 2.5%（预算 4,000，订单 3,900，3 行）"
    service = rows[("KPI-SERVICE-QUALITY", ids["buyer"])]
    assert (service["due"], service["on_time"]) == (3, 1) and service["detail"] == "请购 1/3 按需求日期下单"
    # buyer2: one line never delivered, one received in full over two on-time deliveries; 10 % over budget
    other = rows[("KPI-PUR-TIMELINESS", ids["buyer2"])]
    assert (other["due"], other["on_time"], other["detail"]) == (2, 1, "到货 1/2 按时")
    over = rows[("KPI-PUR-COST", ids["buyer2"])]
    assert over["score"] == Decimal("20.00") and over["detail"].startswith("超支 10.0%")
    # Nothing to measure: no answer (the sheet shows 无数据)
    assert ("KPI-SERVICE-QUALITY", ids["buyer2"]) not in rows
    assert not [key for key in rows if key[1] == ids["pe"]]
    for row in rows.values():
        assert row["detail"] and sum(m in row for m in ("score", "due", "points", "rating_sum")) == 1


def test_the_procurement_manager_answers_for_the_department(app, purchasing, clock):
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    ids = purchasing["ids"]
    rows, _statements = measured(app, [ids["pur_mgr"], ids["buyer"]])
    timely = rows[("KPI-PUR-TIMELINESS", ids["pur_mgr"])]
    # both buyers' lines (4 + 2) and inquiries, with the one nobody took (3 + 1)
    assert (timely["due"], timely["on_time"]) == (10, 3)
    assert timely["detail"] == "部门 到货 2/6 按时；询价 1/4 按时"
    cost = rows[("KPI-PUR-COST", ids["pur_mgr"])]
    assert cost["score"] == Decimal("70.00") and cost["detail"] == "部门 节约 0.0%（预算 5,000，订单 5,000，4 行）"
    service = rows[("KPI-SERVICE-QUALITY", ids["pur_mgr"])]
    assert (service["due"], service["on_time"]) == (4, 1) and service["detail"].startswith("部门 请购")
    # the buyer asked with his manager still gets his own figures
    assert (rows[("KPI-PUR-TIMELINESS", ids["buyer"])]["due"], rows[("KPI-PUR-COST", ids["buyer"])]["score"]) == \
        (7, Decimal("85.00"))


def test_what_is_not_yet_due_is_not_counted(app, purchasing, clock):
    clock("2026-11-13 10:00")             # mid-November: only what fell due by the 12th
    fixed_data(app, purchasing)
    ids = purchasing["ids"]
    rows, _statements = measured(app, [ids["buyer"]])
    timely = rows[("KPI-PUR-TIMELINESS", ids["buyer"])]
    assert (timely["due"], timely["on_time"]) == (4, 2) and timely["detail"] == "到货 1/2 按时；询价 1/2 按时"
    assert rows[("KPI-SERVICE-QUALITY", ids["buyer"])]["due"] == 1       # R2, required on the 11th
    rows, _statements = measured(app, [ids["buyer"]], period=(date(2026, 10, 1), date(2026, 10, 31)))
    assert rows == {}                                                     # October: nothing at all


def test_the_cost_band_and_its_settings(app, purchasing):
    from core import settings
    from modules.procurement.metrics import cost_score
    with app.app_context():
        assert [cost_score(Decimal(s)) for s in ("8", "5", "2.5", "0", "-0.5", "-10", "-20")] == [
            100, 100, Decimal("85.00"), 70, Decimal("58.00"), Decimal("20.00"), 0]
        settings.set_many({"pur.cost_kpi_full_savings": 10, "pur.cost_kpi_overrun_points": 2})
        assert cost_score(Decimal(5)) == Decimal("85.00") and cost_score(Decimal(-10)) == Decimal("40.00")
        with pytest.raises(settings.ValidationError, match="savings"):
            settings.set_many({"pur.cost_kpi_full_savings": 0})          # 100 at no savings: no band


def test_a_fixed_number_of_statements_whatever_the_people(app, purchasing, clock, make_user):
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    ids = purchasing["ids"]
    many = [make_user(f"buyer_x{n}", "ROLE-PUR-BUY") for n in range(12)]
    _rows, one = measured(app, [ids["buyer"]])
    _rows, lots = measured(app, [ids["buyer"], ids["buyer2"], ids["pe"], *many])
    _rows, department = measured(app, [ids["pur_mgr"], ids["buyer"], *many])
    # the managers among them; per KPI one statement (timeliness: lines and inquiries)
    assert len(one) == len(lots) == len(department) <= 6, one


def test_only_the_kpis_asked_and_nobody_asked(app, purchasing, clock):
    from modules.procurement.metrics import hr_appraisal_metrics
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    ids = purchasing["ids"]
    rows, _statements = measured(app, [ids["buyer"]], kpis=["KPI-PUR-COST", "KPI-SALES-OWN"])
    assert set(rows) == {("KPI-PUR-COST", ids["buyer"])}
    rows, statements = measured(app, [ids["buyer"]], kpis=["KPI-SALES-OWN"])
    assert rows == {} and statements == []
    with app.app_context():
        assert hr_appraisal_metrics(kpis=KPIS, user_ids=[], start=NOV[0], end=NOV[1]) == []


def test_procurement_works_without_the_appraisal_module(app, purchasing, clock, pweb):
    """hr_appraisal off: nobody declares the hook, procurement's part is inert and its pages work."""
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    erp = app.extensions["erp"]
    assert "hr_appraisal" not in erp.enabled and "procurement" in erp.enabled and not erp.broken
    assert erp.pm.hook.hr_appraisal_metrics.spec is None        # nobody calls it
    assert pweb("pur_mgr").get("/procurement/statistics?year=2026").status_code == 200
    rows, _statements = measured(app, [purchasing["ids"]["buyer"]])
    assert rows[("KPI-PUR-COST", purchasing["ids"]["buyer"])]["score"] == Decimal("85.00")


@pytest.mark.modules("procurement", "hr_appraisal")
def test_a_buyers_appraisal_sheet_shows_his_measures(app, purchasing, clock, module_api):
    clock("2026-12-06 10:00")
    fixed_data(app, purchasing)
    hapi = module_api("hr_appraisal")
    ids = purchasing["ids"]
    status, cycle = hapi(purchasing, "adm", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                              "departments": ["PUR"]})
    assert status == 201, cycle
    status, got = hapi(purchasing, "adm", "get", f"cycle/{cycle['id']}")
    status, body = hapi(purchasing, "adm", "post", f"cycle/{cycle['id']}/transitions/start",
                        {"version": got["version"], "comment": ""})
    assert status == 200, body
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        sheets = {s.employee_id: s.id for s in db.session.query(AppraisalSheet).filter_by(cycle_id=cycle["id"])}
    status, sheet = hapi(purchasing, "adm", "get", f"sheet/{sheets[ids['buyer']]}")
    assert status == 200, sheet
    kpi = {line["code"]: line for line in sheet["lines"]}
    assert Decimal(kpi["KPI-PUR-TIMELINESS"]["score"]) == Decimal("28.57")       # 2 of 7
    assert kpi["KPI-PUR-TIMELINESS"]["data"] == "到货 1/4 按时；询价 1/3 按时"
    assert Decimal(kpi["KPI-PUR-COST"]["score"]) == 85
    status, sheet = hapi(purchasing, "adm", "get", f"sheet/{sheets[ids['pur_mgr']]}")
    kpi = {line["code"]: line for line in sheet["lines"]}
    assert kpi["KPI-PUR-TIMELINESS"]["data"].startswith("部门 ") and Decimal(kpi["KPI-PUR-COST"]["score"]) == 70
