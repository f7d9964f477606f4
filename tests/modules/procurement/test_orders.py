"""Purchase orders (X-P03, WF-P01): only to qualified suppliers (R-P-010), approval by total
(R-P-020), budget check (R-P-002), purchase contract or confirmation (R-P-021), promised dates
followed up (R-P-022), prices hidden from requesters (R-P-040)."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import calendar_today
from core.extensions import db
from tests.modules.procurement.conftest import make_supplier

pytestmark = pytest.mark.modules("procurement")


def today():
    return calendar_today.today()


def line(item="华为 S5735-L24T4S 交换机", qty="2", price="5000", days=10, **extra):
    return {"item": item, "model": "S5735-L24T4S-A1", "qty": qty, "unit": "台", "unit_price": price,
            "vat_rate": "13", "promised_date": (today() + timedelta(days=days)).isoformat(),
            "delivery_place": "深圳仓库", "project_ref": "GC-2026-0007", **extra}


def body(supplier_id, *lines, **extra):
    return {"supplier_id": supplier_id, "payment_terms": "货到验收合格后 30 天内付款",
            "delivery_terms": "送货至深圳市南山区仓库，运费由供方承担", "lines": list(lines) or [line()], **extra}


def act(people, papi, who, doc_id, name, **payload):
    return papi(people, who, "post", f"order/{doc_id}/transitions/{name}", payload)


def new_order(app, people, papi, *lines, supplier=None, who="buyer"):
    supplier = supplier or make_supplier(app, people)
    status, doc = papi(people, who, "post", "order", body(supplier, *lines))
    assert status == 201, doc
    return doc


def steps_of(app, doc_id):
    from core.workflow.models import ApprovalTask
    with app.app_context():
        return sorted(set(db.session.scalars(select(ApprovalTask.step_name).where(
            ApprovalTask.doctype == "procurement.order", ApprovalTask.doc_id == doc_id)).all()))


def approved(app, people, papi, *lines, supplier=None):
    doc = new_order(app, people, papi, *lines, supplier=supplier)
    assert act(people, papi, "buyer", doc["id"], "submit")[0] == 200
    steps = steps_of(app, doc["id"])
    for who, step in (("pur_mgr", "manager"), ("dir", "director"), ("gm", "gm")):
        if step in steps:
            status, doc = act(people, papi, who, doc["id"], "approve", comment="同意")
            assert status == 200, doc
    assert doc["state"] == "approved", doc
    return doc


def attach(pweb, who, doc_id, name="采购合同扫描件.pdf"):
    response = pweb(who).post(f"/procurement/order/{doc_id}/attachments",
                              data={"file": (io.BytesIO(b"%PDF-1.4"), name)}, content_type="multipart/form-data")
    assert response.status_code == 302


def contracted(app, people, papi, pweb, *lines, supplier=None):
    doc = approved(app, people, papi, *lines, supplier=supplier)
    attach(pweb, "pur_mgr", doc["id"])
    status, doc = act(people, papi, "pur_mgr", doc["id"], "contract", contract_no="CG-2026-031")
    assert status == 200 and doc["state"] == "contracted", doc
    return doc


def set_supplier_state(app, supplier_id, state):
    from modules.procurement.suppliers import Supplier
    with app.app_context():
        db.session.get(Supplier, supplier_id).state = state
        db.session.commit()


# ---- creating -----------------------------------------------------------------------------------
def test_an_order_totals_its_lines_and_keeps_the_earliest_promise(app, purchasing, papi):
    doc = new_order(app, purchasing, papi, line(), line("超五类网线", qty="10", price="650.50", days=4))
    assert doc["number"].startswith("PO-") and doc["state"] == "draft"
    assert doc["total"] == "16505.00"
    assert [row["amount"] for row in doc["lines"]] == ["10000.00", "6505.00"]
    assert doc["promised_date"] == (today() + timedelta(days=4)).isoformat()
    assert doc["title"].startswith("深圳市华讯网络设备有限公司")
    assert [row["received_qty"] for row in doc["lines"]] == ["0.0000", "0.0000"]


def test_bad_input_is_refused_with_the_field_and_nothing_saved(app, purchasing, papi):
    supplier = make_supplier(app, purchasing)
    status, doc = papi(purchasing, "buyer", "post", "order", {**body(supplier), "delivery_terms": ""})
    assert status == 422 and "delivery_terms" in doc["fields"], doc
    status, doc = papi(purchasing, "buyer", "post", "order", body(supplier, line(qty="0")))
    assert status == 422 and "quantity above zero" in str(doc), doc
    status, doc = papi(purchasing, "buyer", "post", "order", body(supplier, {**line(), "promised_date": None}))
    assert status == 422 and "promised_date" in str(doc), doc
    assert papi(purchasing, "buyer", "get", "order")[1]["items"] == []


@pytest.mark.parametrize("state", ["blacklisted", "suspended", "candidate"])
def test_only_qualified_suppliers_are_ordered_from(app, purchasing, papi, state):
    supplier = make_supplier(app, purchasing, "深圳市低价杂货贸易有限公司", state=state)
    status, doc = papi(purchasing, "buyer", "post", "order", body(supplier))
    assert status == 422 and "R-P-010" in str(doc["fields"]["supplier_id"]), doc
    assert papi(purchasing, "buyer", "get", "order")[1]["items"] == []


def test_a_supplier_suspended_after_the_draft_stops_submission_and_approval(app, purchasing, papi):
    supplier = make_supplier(app, purchasing)
    doc = new_order(app, purchasing, papi, supplier=supplier)
    set_supplier_state(app, supplier, "suspended")
    status, refused = act(purchasing, papi, "buyer", doc["id"], "submit")
    assert status == 422 and refused["rules"] == ["R-P-010"] and "supplier_id" in refused["fields"], refused
    set_supplier_state(app, supplier, "qualified")
    assert act(purchasing, papi, "buyer", doc["id"], "submit")[1]["state"] == "pending_approval"
    set_supplier_state(app, supplier, "blacklisted")
    status, refused = act(purchasing, papi, "pur_mgr", doc["id"], "approve", comment="同意")
    assert status == 422 and refused["rules"] == ["R-P-010"], refused
    assert papi(purchasing, "buyer", "get", f"order/{doc['id']}")[1]["state"] == "pending_approval"


def test_a_grade_c_supplier_is_a_warning_not_a_refusal(app, purchasing, papi):
    supplier = make_supplier(app, purchasing, "三级供应商有限公司", grade="C")
    doc = new_order(app, purchasing, papi, supplier=supplier)
    status, doc = act(purchasing, papi, "buyer", doc["id"], "submit")
    assert status == 200 and doc["state"] == "pending_approval", doc
    from core.rules.models import RuleViolation
    with app.app_context():
        assert db.session.scalar(select(RuleViolation.kind).where(RuleViolation.rule_code == "R-P-050")) == "warned"


# ---- approval (R-P-020) -------------------------------------------------------------------------
@pytest.mark.parametrize("price, steps", [
    ("10000.00", ["manager"]),                         # 20 000: the manager's limit itself
    ("10000.01", ["director", "manager"]),             # just above
    ("50000.00", ["director", "manager"]),             # 100 000: the director's limit itself
    ("50000.01", ["director", "gm", "manager"]),       # just above
])
def test_approval_tiers_at_and_just_above_each_limit(app, purchasing, papi, price, steps):
    doc = new_order(app, purchasing, papi, line(qty="2", price=price))
    assert act(purchasing, papi, "buyer", doc["id"], "submit")[0] == 200
    assert steps_of(app, doc["id"]) == steps
    assert act(purchasing, papi, "dir", doc["id"], "approve")[0] == 403          # the manager first
    order = ["pur_mgr"] + (["dir"] if "director" in steps else []) + (["gm"] if "gm" in steps else [])
    for who in order:
        status, doc = act(purchasing, papi, who, doc["id"], "approve", comment="同意")
        assert status == 200, doc
    assert doc["state"] == "approved"


def test_the_approvers_return_the_order_with_a_reason(app, purchasing, papi):
    doc = new_order(app, purchasing, papi)
    act(purchasing, papi, "buyer", doc["id"], "submit")
    assert act(purchasing, papi, "pur_mgr", doc["id"], "reject")[0] == 422      # a reason is required
    status, doc = act(purchasing, papi, "pur_mgr", doc["id"], "reject", comment="单价偏高，再议价")
    assert status == 200 and doc["state"] == "draft", doc


# ---- budget (R-P-002) ---------------------------------------------------------------------------
def test_a_line_above_budget_beyond_the_tolerance_needs_a_reason(app, purchasing, papi):
    within = line(price="1050.00", budget_unit_cost="1000.00")                   # exactly 5 % above
    beyond = line("光模块", price="1050.01", budget_unit_cost="1000.00")
    doc = new_order(app, purchasing, papi, within, beyond)
    assert [row["over_budget"] for row in doc["lines"]] == [False, True]
    status, refused = act(purchasing, papi, "buyer", doc["id"], "submit")
    assert status == 422 and refused["rules"] == ["R-P-002"] and "光模块" in str(refused), refused
    status, doc = papi(purchasing, "buyer", "put", f"order/{doc['id']}", {
        **body(doc["supplier_id"], within, {**beyond, "budget_note": "原厂调价，已询三家"}), "version": doc["version"]})
    assert status == 200, doc
    assert act(purchasing, papi, "buyer", doc["id"], "submit")[1]["state"] == "pending_approval"


# ---- contract (R-P-021) -------------------------------------------------------------------------
def test_from_the_threshold_the_signed_contract_is_required(app, purchasing, papi, pweb):
    doc = approved(app, purchasing, papi, line(qty="1", price="10000"))          # the threshold itself
    status, refused = act(purchasing, papi, "pur_mgr", doc["id"], "contract")
    assert status == 422 and refused["rules"] == ["R-P-021"] and "contract_no" in refused["fields"], refused
    assert len(refused["fields"]["contract_no"]) == 2                            # number and scan
    attach(pweb, "pur_mgr", doc["id"])
    status, refused = act(purchasing, papi, "pur_mgr", doc["id"], "contract")
    assert status == 422 and "number" in str(refused), refused
    assert act(purchasing, papi, "buyer", doc["id"], "contract", contract_no="CG-1")[0] == 403   # the manager's
    status, doc = act(purchasing, papi, "pur_mgr", doc["id"], "contract", contract_no="CG-2026-031")
    assert status == 200 and doc["state"] == "contracted" and doc["contract_no"] == "CG-2026-031", doc


def test_below_the_threshold_the_suppliers_confirmation_is_enough(app, purchasing, papi, pweb):
    doc = approved(app, purchasing, papi, line(qty="1", price="9999.99"))
    status, refused = act(purchasing, papi, "pur_mgr", doc["id"], "contract")
    assert status == 422 and "confirmation" in str(refused) and refused["rules"] == ["R-P-021"], refused
    attach(pweb, "pur_mgr", doc["id"], "供方订单确认.pdf")
    status, doc = act(purchasing, papi, "pur_mgr", doc["id"], "contract")
    assert status == 200 and doc["state"] == "contracted", doc


# ---- cancelling ---------------------------------------------------------------------------------
def test_the_procurement_manager_cancels_with_a_reason(app, purchasing, papi, pweb):
    doc = contracted(app, purchasing, papi, pweb)
    status, refused = act(purchasing, papi, "buyer", doc["id"], "cancel", comment="项目取消")
    assert status == 403 and "permission" in str(refused), refused
    assert act(purchasing, papi, "pur_mgr", doc["id"], "cancel")[0] == 422
    status, doc = act(purchasing, papi, "pur_mgr", doc["id"], "cancel", comment="项目取消，已通知供方")
    assert status == 200 and doc["state"] == "cancelled", doc


# ---- who sees what (R-P-040) --------------------------------------------------------------------
def test_prices_are_hidden_from_a_requester(app, purchasing, papi, pweb):
    doc = new_order(app, purchasing, papi, line(price="4321.50", budget_unit_cost="4400"))
    status, seen = papi(purchasing, "pe", "get", f"order/{doc['id']}")
    assert status == 200 and seen["lines"][0]["item"] == doc["lines"][0]["item"]
    assert "total" not in seen and not {"unit_price", "amount", "budget_unit_cost"} & set(seen["lines"][0]), seen
    listed = papi(purchasing, "pe", "get", "order")[1]["items"]
    assert [row["id"] for row in listed] == [doc["id"]] and "total" not in listed[0]
    assert papi(purchasing, "pe", "get", "order?sort=total")[0] == 400
    page = pweb("pe").get(f"/procurement/order/{doc['id']}").get_data(as_text=True)
    assert "华为 S5735-L24T4S 交换机" in page and "4,321.50" not in page and "8,643.00" not in page
    page = pweb("buyer").get(f"/procurement/order/{doc['id']}").get_data(as_text=True)
    assert "4,321.50" in page and "8,643.00" in page
    assert papi(purchasing, "fin", "get", f"order/{doc['id']}")[1]["total"] == "8643.00"


def test_roles_without_orders_are_refused(app, purchasing, papi):
    doc = new_order(app, purchasing, papi)
    for who in ("am", "mkt_mgr", "adm"):
        assert papi(purchasing, who, "get", "order")[0] == 403, who
    for who in ("pe", "fin", "dir"):
        assert papi(purchasing, who, "post", "order", body(doc["supplier_id"]))[0] == 403, who
    assert papi(purchasing, "pe", "put", f"order/{doc['id']}", {**body(doc["supplier_id"]),
                                                                 "version": doc["version"]})[0] == 403
    status, refused = act(purchasing, papi, "pe", doc["id"], "submit")
    assert status == 403 and "permission" in str(refused), refused


def test_the_web_form_creates_and_the_detail_offers_the_receipt(app, purchasing, papi, pweb):
    supplier = make_supplier(app, purchasing)
    browser = pweb("buyer")
    assert browser.get("/procurement/order/new").status_code == 200
    response = browser.post("/procurement/order/new", data={
        "title": "", "supplier_id": supplier, "payment_terms": "月结 30 天", "delivery_terms": "送货上门",
        "lines-0-item": "机柜 42U", "lines-0-qty": "3", "lines-0-unit": "台", "lines-0-unit_price": "2800",
        "lines-0-vat_rate": "13", "lines-0-promised_date": (today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    doc = papi(purchasing, "buyer", "get", "order")[1]["items"][0]
    assert doc["total"] == "8400.00" and doc["lines"][0]["item"] == "机柜 42U"
    assert "/procurement/order" in browser.get("/procurement/order/").get_data(as_text=True)


# ---- follow-up (R-P-022) ------------------------------------------------------------------------
def test_lines_due_are_reminded_to_the_buyer_and_the_procurement_manager(app, purchasing, papi, pweb):
    doc = contracted(app, purchasing, papi, pweb, line(days=1), line("配线架", days=20))
    from modules.procurement.orders import erp_reminders
    with app.app_context():
        due = erp_reminders(calendar_today.now())
    people = {purchasing["ids"]["buyer"], purchasing["ids"]["pur_mgr"]}
    assert {r.user_id for r in due} == people and len(due) == 2
    assert all("交换机" in str(r.title) and r.url == f"/procurement/order/{doc['id']}" for r in due)


def test_hook_procurement_order_approved(app, purchasing, papi):
    from core.hookspecs import hookimpl
    booked = []

    class Engineering:
        @staticmethod
        @hookimpl
        def procurement_order_approved(order):
            booked.append((order.number, order.total, [(line.project_ref, line.amount) for line in order.lines]))
    app.extensions["erp"].pm.register(Engineering, name="engineering_test")
    try:
        doc = new_order(app, purchasing, papi, line(qty="3", price="15000"))
        act(purchasing, papi, "buyer", doc["id"], "submit")
        act(purchasing, papi, "pur_mgr", doc["id"], "approve")
        assert booked == []                                                      # the director's turn
        act(purchasing, papi, "dir", doc["id"], "approve")
    finally:
        app.extensions["erp"].pm.unregister(name="engineering_test")
    assert booked == [(doc["number"], Decimal("45000.00"), [("GC-2026-0007", Decimal("45000.00"))])]
