"""From a purchase request to orders and receipts (WF-P01): the buyer orders the request's lines
(split across suppliers if need be), the request follows its orders once approved, and its
receipts; a cancelled order gives its quantities back."""
from datetime import timedelta

import pytest

from core import calendar_today
from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_orders import act as order_act
from tests.modules.procurement.test_orders import attach, steps_of
from tests.modules.procurement.test_receipts import inspected_and_accepted, register, row
from tests.modules.procurement.test_requests import act, get

pytestmark = pytest.mark.modules("procurement")


def request_in_sourcing(purchasing, papi):
    required = (calendar_today.today() + timedelta(days=20)).isoformat()
    status, doc = papi(purchasing, "pe", "post", "request", {
        "purpose": "南山数据中心综合布线", "project_related": True, "project_ref": "GC-2026-0003",
        "lines": [{"item": "42U 网络机柜", "brand_model_spec": "图腾 G36042", "qty": "2", "unit": "台",
                   "budget_unit_cost": "3800", "required_date": required, "delivery_place": "南山数据中心"},
                  {"item": "六类网线", "brand_model_spec": "康普 1427254", "qty": "10", "unit": "箱",
                   "budget_unit_cost": "650", "required_date": required, "delivery_place": "南山数据中心"}]})
    assert status == 201, doc
    assert act(purchasing, papi, "pe", doc["id"], "submit")[0] == 200
    assert act(purchasing, papi, "eng_mgr", doc["id"], "approve", comment="同意")[0] == 200
    assert act(purchasing, papi, "pur_mgr", doc["id"], "accept", buyer_id=purchasing["ids"]["buyer"])[0] == 200
    status, doc = act(purchasing, papi, "buyer", doc["id"], "source")
    assert status == 200 and doc["state"] == "sourcing", doc
    return doc


def order_from(purchasing, papi, request, supplier, keep=None, prices=None):
    status, order = papi(purchasing, "buyer", "post", "order", {
        "supplier_id": supplier, "request_id": request["id"], "payment_terms": "货到验收后 30 天",
        "delivery_terms": "送至项目现场"})
    assert status == 201, order
    lines = [dict(line) for line in order["lines"] if keep is None or line["item"] in keep]
    for line in lines:
        line["unit_price"] = (prices or {}).get(line["item"], line["unit_price"])
        for k in ("amount", "over_budget", "received_qty", "accepted_qty"):  # computed, not entered
            line.pop(k, None)
    status, order = papi(purchasing, "buyer", "patch", f"order/{order['id']}", {"lines": lines, "version": order["version"]})
    assert status == 200, order
    return order


def approve(app, purchasing, papi, order):
    assert order_act(purchasing, papi, "buyer", order["id"], "submit")[0] == 200
    for who, step in (("pur_mgr", "manager"), ("dir", "director"), ("gm", "gm")):
        if step in steps_of(app, order["id"]):
            status, order = order_act(purchasing, papi, who, order["id"], "approve", comment="同意")
            assert status == 200, order
    return order


def test_a_request_ordered_from_two_suppliers_received_and_closed(app, purchasing, papi, pweb):
    request = request_in_sourcing(purchasing, papi)
    racks = make_supplier(app, purchasing, "深圳市图腾机柜有限公司", categories=("room",))
    cables = make_supplier(app, purchasing, "广州市金缆通信器材有限公司", categories=("cabling",))

    first = order_from(purchasing, papi, request, racks, keep=("42U 网络机柜",), prices={"42U 网络机柜": "3700"})
    line, = first["lines"]
    assert (line["item"], line["qty"], line["unit_price"], line["budget_unit_cost"], line["project_ref"]) == (
        "42U 网络机柜", "2.0000", "3700.00", "3800.00", "GC-2026-0003")
    assert line["request_line_id"] is not None
    # the second order takes only what is still to order: the cables
    second = order_from(purchasing, papi, request, cables)
    assert [line["item"] for line in second["lines"]] == ["42U 网络机柜", "六类网线"]   # nothing ordered yet
    second = order_from(purchasing, papi, request, cables, keep=("六类网线",), prices={"六类网线": "640"})

    assert approve(app, purchasing, papi, first)["state"] == "approved"
    doc = get(purchasing, papi, request["id"])
    assert doc["state"] == "sourcing"
    assert [(line["ordered_qty"], line["line_status"]) for line in doc["lines"]] == [("2.0000", "ordered"),
                                                                                     (None, "open")]
    approve(app, purchasing, papi, second)
    assert get(purchasing, papi, request["id"])["state"] == "ordered"

    for order in (first, second):
        attach(pweb, "pur_mgr", order["id"])
        assert order_act(purchasing, papi, "pur_mgr", order["id"], "contract", contract_no="CG-1")[0] == 200
    inspected_and_accepted(purchasing, papi, register(purchasing, papi, first), [row(2, "passed", qty_accepted="2")])
    doc = get(purchasing, papi, request["id"])
    assert doc["state"] == "partially_received"
    assert [line["line_status"] for line in doc["lines"]] == ["received", "ordered"]
    inspected_and_accepted(purchasing, papi, register(purchasing, papi, second), [row(10, "passed", qty_accepted="10")])
    assert get(purchasing, papi, request["id"])["state"] == "closed"


def test_a_cancelled_order_gives_its_quantities_back(app, purchasing, papi):
    request = request_in_sourcing(purchasing, papi)
    supplier = make_supplier(app, purchasing, "深圳市图腾机柜有限公司", categories=("room",))
    order = approve(app, purchasing, papi, order_from(purchasing, papi, request, supplier,
                                                      keep=("42U 网络机柜",)))
    assert get(purchasing, papi, request["id"])["lines"][0]["line_status"] == "ordered"
    status, order = order_act(purchasing, papi, "pur_mgr", order["id"], "cancel", comment="供应商无货")
    assert status == 200 and order["state"] == "cancelled", order
    line = get(purchasing, papi, request["id"])["lines"][0]
    assert (line["ordered_qty"], line["line_status"]) == ("0.0000", "open")


def test_an_order_names_only_a_request_being_sourced(app, purchasing, papi):
    required = (calendar_today.today() + timedelta(days=20)).isoformat()
    status, draft = papi(purchasing, "pe", "post", "request", {
        "purpose": "办公", "lines": [{"item": "打印纸", "qty": "5", "unit": "箱", "required_date": required}]})
    assert status == 201, draft
    supplier = make_supplier(app, purchasing, "深圳市图腾机柜有限公司")
    status, refused = papi(purchasing, "buyer", "post", "order", {
        "supplier_id": supplier, "request_id": draft["id"], "payment_terms": "月结", "delivery_terms": "送货"})
    assert status == 422 and "request_id" in str(refused), refused
