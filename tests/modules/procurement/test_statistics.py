"""Procurement statistics (R-P-041): amounts by supplier, category, project and month, savings
against budget, price history per item; charts and exports; prices only for those allowed."""
from decimal import Decimal

import pytest

from core import calendar_today
from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_orders import approved, line, new_order

pytestmark = pytest.mark.modules("procurement")


def orders(app, purchasing, papi):
    huaxun = make_supplier(app, purchasing, "深圳市华讯网络设备有限公司", categories=("network",))
    jinlan = make_supplier(app, purchasing, "广州市金缆通信器材有限公司", categories=("cabling", "other"))
    approved(app, purchasing, papi, line(qty="2", price="5000", project_ref="GC-2026-0007", budget_unit_cost="5200"),
             supplier=huaxun)
    approved(app, purchasing, papi, line(qty="1", price="4800", project_ref="GC-2026-0008"), supplier=huaxun)
    approved(app, purchasing, papi, line(item="六类网线", qty="10", price="600", project_ref="GC-2026-0007",
                                         budget_unit_cost="550", budget_note="铜价上涨"), supplier=jinlan)
    new_order(app, purchasing, papi, line(qty="100", price="1"), supplier=jinlan)   # a draft: not counted


def test_amounts_by_supplier_category_project_and_month(app, purchasing, papi, pweb):
    orders(app, purchasing, papi)
    browser = pweb("pur_mgr")
    page = browser.get("/procurement/statistics").get_data(as_text=True)
    assert "深圳市华讯网络设备有限公司" in page and "14,800.00" in page and "6,000.00" in page
    assert "20,800.00" in page                                   # the total, without the draft
    assert "400.00" in page and "-500.00" in page                # savings: 2 × 200, and 10 × −50
    by_category = browser.get("/procurement/statistics?by=category").get_data(as_text=True)
    assert "网络设备" in by_category or "Network equipment" in by_category
    by_project = browser.get("/procurement/statistics?by=project").get_data(as_text=True)
    assert "GC-2026-0007" in by_project and "16,000.00" in by_project and "4,800.00" in by_project
    month = calendar_today.today().strftime("%Y-%m")
    by_month = browser.get("/procurement/statistics?by=month").get_data(as_text=True)
    assert month in by_month and "20,800.00" in by_month
    exported = browser.get("/procurement/statistics?by=supplier&format=csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    assert "深圳市华讯网络设备有限公司,14800.00,2,2,400.00" in text
    assert browser.get("/procurement/statistics?by=supplier&format=xlsx").status_code == 200
    assert browser.get("/procurement/statistics?by=nonsense").status_code == 404


def test_price_history_of_an_item(app, purchasing, papi, pweb):
    orders(app, purchasing, papi)
    page = pweb("buyer").get("/procurement/statistics/prices?item=S5735").get_data(as_text=True)
    assert "5,000.00" in page and "4,800.00" in page and "六类网线" not in page
    assert "data-chart" in page


def test_statistics_are_for_procurement_and_the_managers(app, purchasing, pweb):
    assert pweb("pe").get("/procurement/statistics").status_code == 403
    assert pweb("am").get("/procurement/statistics/prices?item=x").status_code == 403
    assert pweb("gm").get("/procurement/statistics").status_code == 200


def test_the_scorecard_shows_delivery_quality_and_evaluations(app, purchasing, papi, pweb):
    from tests.modules.procurement.test_receipts import inspected_and_accepted, ordered, register, row
    supplier = make_supplier(app, purchasing, "深圳市华讯网络设备有限公司", grade="C")
    order = ordered(app, purchasing, papi, pweb, supplier=supplier)
    receipt = register(purchasing, papi, order)
    # 10 switches: 8 delivered, 1 of them defective; the 5 modules in full
    inspected_and_accepted(purchasing, papi, receipt, [
        row(8, "failed", qty_accepted="7", qty_rejected="1", nonconformance="外壳破损", return_note="退货换新"),
        row(5, "passed", qty_accepted="5")])
    browser = pweb("pur_mgr")
    page = browser.get(f"/procurement/supplier/{supplier}/scorecard").get_data(as_text=True)
    assert "深圳市华讯网络设备有限公司" in page
    assert "50.0%" in page          # one line of two short: delivered on time 50%
    assert "92.3%" in page          # 12 accepted of 13 received
    assert "1 nonconformances" in page or "1 次不合格" in page
    assert "54,000.00" in page      # ordered: 10 × 5000 + 5 × 800
    assert "graded C" in page or "C 级" in page       # the standing's warning
    detail = browser.get(f"/procurement/supplier/{supplier}").get_data(as_text=True)
    assert f"/procurement/supplier/{supplier}/scorecard" in detail
    assert pweb("pe").get(f"/procurement/supplier/{supplier}/scorecard").status_code == 403
    assert pweb("pur_mgr").get("/procurement/supplier/999999/scorecard").status_code == 404


def test_the_dashboard_shows_purchases_late_deliveries_and_reviews(app, purchasing, papi, pweb):
    orders(app, purchasing, papi)
    page = pweb("pur_mgr").get("/").get_data(as_text=True)
    assert "Purchases this year" in page or "本年采购" in page
    assert "/procurement/order/?overdue=1" in page and "/procurement/supplier/?overdue=1" in page
    assert "data-chart" in page
    assert "/procurement/order/?overdue=1" not in pweb("pe").get("/").get_data(as_text=True)


def test_buyer_metrics_for_the_appraisal(app, purchasing, papi, pweb, monkeypatch):
    from datetime import timedelta

    from modules.procurement.statistics import buyer_metrics
    from tests.modules.procurement.test_receipts import inspected_and_accepted, ordered, register, row
    orders(app, purchasing, papi)                       # budgets: 2 × 5,200 and 10 × 550; paid 10,000 and 6,000
    order = ordered(app, purchasing, papi, pweb, supplier=make_supplier(app, purchasing, "深圳市另一家设备有限公司"))
    inspected_and_accepted(purchasing, papi, register(purchasing, papi, order), [
        row(10, "passed", qty_accepted="10"), row(4, "passed", qty_accepted="4")])   # the second line short
    today = calendar_today.today()
    later = calendar_today.now() + timedelta(days=11)       # every promised date (in 5 and 10 days) past
    monkeypatch.setattr(calendar_today, "now", lambda: later)
    with app.app_context():
        figures = buyer_metrics(purchasing["ids"]["buyer"], today.replace(day=1), today + timedelta(days=10))
        # the received order's two lines (one in full) and the three approved orders' lines not delivered
        assert figures["lines"] == 5 and figures["timeliness"] == 20
        assert (figures["budget"], figures["ordered"]) == (15900, 16000) and figures["cost"] == Decimal("-0.6")
        assert buyer_metrics(purchasing["ids"]["buyer2"], today.replace(day=1), today)["timeliness"] is None
