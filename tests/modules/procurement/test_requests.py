"""Purchase requests (X-P01, WF-P01): raised by anyone, approved by the requester's superior (and
the 总经理 above ``pur.request_gm_threshold``), accepted by the 采购部经理 who assigns a buyer,
sourced by that buyer; ordered and received from the lines; R-P-001 project references, R-P-003
urgency; I-06 equipment-only contracts proposing their purchase."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.extensions import db

pytestmark = pytest.mark.modules("procurement")

SITE = "南山数据中心项目现场"


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-03-02 10:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    set_time("2026-03-02 10:00")      # a Monday
    return set_time


def body(cost="3800", qty="6", required="2026-03-20", **extra):
    return {"purpose": "南山数据中心综合布线：机柜", "project_related": True, "project_ref": "GC-2026-0003",
            "lines": [{"item": "42U 网络机柜", "brand_model_spec": "图腾 G36042", "qty": qty, "unit": "台",
                       "budget_unit_cost": cost, "required_date": required, "delivery_place": SITE}], **extra}


def raise_request(purchasing, papi, who="pe", **extra):
    status, doc = papi(purchasing, who, "post", "request", body(**extra))
    assert status == 201, doc
    return doc


def act(purchasing, papi, who, doc_id, name, **payload):
    return papi(purchasing, who, "post", f"request/{doc_id}/transitions/{name}", payload)


def get(purchasing, papi, doc_id, who="pur_mgr"):
    status, doc = papi(purchasing, who, "get", f"request/{doc_id}")
    assert status == 200, doc
    return doc


def plan(app, doc_id):
    from core.auth.models import User
    from core.workflow import engine
    from modules.procurement.requests import REQUEST, PurchaseRequest
    with app.app_context():
        return [(t.step_name, t.status, db.session.get(User, t.user_id).username)
                for t in engine.tasks(REQUEST, db.session.get(PurchaseRequest, doc_id))]


def notes(app, username, key_part=""):
    from core.auth.models import User
    from core.reminders.models import Notification
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == username))
        return [n.title for n in db.session.scalars(select(Notification).where(
            Notification.user_id == uid, Notification.key.contains(key_part)))]


def accepted(purchasing, papi, clock=None, **extra):
    doc = raise_request(purchasing, papi, **extra)
    assert act(purchasing, papi, "pe", doc["id"], "submit")[1]["state"] == "submitted"
    assert act(purchasing, papi, "eng_mgr", doc["id"], "approve", comment="同意")[1]["state"] == "dept_approved"
    status, done = act(purchasing, papi, "pur_mgr", doc["id"], "accept", buyer_id=purchasing["ids"]["buyer"])
    assert status == 200 and done["state"] == "accepted", done
    return done


# ---- the happy path, role by role --------------------------------------------------------------
def test_the_request_walks_the_handbook_flow(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi)
    assert doc["state"] == "draft" and doc["number"].startswith("SQ-") and doc["owner"] == "pe"
    assert doc["title"] == "南山数据中心综合布线：机柜" and doc["total_budget"] == "22800.00"
    assert doc["lines"][0]["budget_amount"] == "22800.00" and doc["lines"][0]["line_status"] == "open"
    assert doc["urgent"] is False and doc["buyer_id"] is None
    with app.app_context():
        from tests.conftest import department_id
        assert doc["department_id"] == department_id(app, "ENG")              # the requester's department
    status, sent = act(purchasing, papi, "pe", doc["id"], "submit")
    assert status == 200 and sent["state"] == "submitted", sent
    assert plan(app, doc["id"]) == [("superior", "open", "eng_mgr")]         # 22,800: the superior alone
    # A buyer is no approver of it; the engineering manager approves as the requester's superior.
    status, refused = act(purchasing, papi, "buyer", doc["id"], "approve")
    assert status == 403 and "not an approver" in refused["error"], refused
    assert get(purchasing, papi, doc["id"])["state"] == "submitted"
    assert act(purchasing, papi, "eng_mgr", doc["id"], "approve", comment="同意")[1]["state"] == "dept_approved"
    # Accepted by the procurement manager only, who assigns a buyer (a buyer by role).
    assert act(purchasing, papi, "buyer", doc["id"], "accept", buyer_id=purchasing["ids"]["buyer"])[0] == 403
    status, refused = act(purchasing, papi, "pur_mgr", doc["id"], "accept", buyer_id=purchasing["ids"]["pe"])
    assert status == 422 and "buyer_id" in refused["fields"], refused
    status, taken = act(purchasing, papi, "pur_mgr", doc["id"], "accept", buyer_id=purchasing["ids"]["buyer"],
                        comment="本周内询价")
    assert status == 200 and taken["state"] == "accepted" and taken["buyer_id"] == purchasing["ids"]["buyer"], taken
    assert notes(app, "buyer", "assigned") == [f"Purchase request assigned to you: {doc['number']} {doc['title']}"]
    # Sourced by the buyer it was assigned to, not by another.
    status, refused = act(purchasing, papi, "buyer2", doc["id"], "source")
    assert status == 422 and "buyer_id" in refused["fields"], refused
    assert act(purchasing, papi, "buyer", doc["id"], "source")[1]["state"] == "sourcing"
    # Ordered, received and closed follow from the lines (the orders and receipts set them).
    assert act(purchasing, papi, "buyer", doc["id"], "order")[0] == 403            # never by hand
    from core.auth.models import User
    from modules.procurement.requests import (
        PurchaseRequest,
        close_request,
        lines_ordered,
        lines_received,
    )
    with app.test_request_context():
        buyer = db.session.get(User, purchasing["ids"]["buyer"])
        request = db.session.get(PurchaseRequest, doc["id"])
        request.lines[0].ordered_qty = Decimal(4)
        assert lines_ordered(request, buyer, "CG-2026-0001") == "sourcing"       # 4 of 6 ordered
        request.lines[0].ordered_qty = Decimal(6)
        assert lines_ordered(request, buyer, "CG-2026-0002") == "ordered"
        assert request.lines[0].line_status == "ordered"
        db.session.commit()
    assert act(purchasing, papi, "pe", doc["id"], "cancel", comment="不要了")[0] == 422   # ordered: too late
    with app.test_request_context():
        request = db.session.get(PurchaseRequest, doc["id"])
        buyer = db.session.get(User, purchasing["ids"]["buyer"])
        assert lines_received(request, buyer, "DH-2026-0001") == "ordered"      # nothing arrived yet
        request.lines[0].line_status = "received"
        assert lines_received(request, buyer, "DH-2026-0001") == "received"
        assert close_request(request, buyer, "DH-2026-0001") == "closed"
        db.session.commit()
    assert get(purchasing, papi, doc["id"], who="pe")["state"] == "closed"


def test_lines_received_in_part_leave_it_partially_received(app, purchasing, papi, clock):
    extra = {"purpose": "机柜与配线架", "lines": [
        {"item": "42U 网络机柜", "qty": "6", "unit": "台", "budget_unit_cost": "3800"},
        {"item": "24 口六类配线架", "qty": "20", "unit": "个", "budget_unit_cost": "420"},
        {"item": "理线器", "qty": "20", "unit": "个", "budget_unit_cost": "60"}]}
    doc = accepted(purchasing, papi, **extra)
    from core.auth.models import User
    from modules.procurement.requests import (
        PurchaseRequest,
        lines_ordered,
        lines_received,
    )
    with app.test_request_context():
        buyer = db.session.get(User, purchasing["ids"]["buyer"])
        request = db.session.get(PurchaseRequest, doc["id"])
        first, second, third = request.lines
        third.line_status = "cancelled"                     # bought no more
        first.line_status = second.line_status = "ordered"
        assert lines_ordered(request, buyer) == "ordered"     # straight from accepted
        first.line_status = "received"
        assert lines_received(request, buyer) == "partially_received"
        second.line_status = "received"
        assert lines_received(request, buyer) == "received"
        db.session.commit()


# ---- approvals by the amount ------------------------------------------------------------------
@pytest.mark.parametrize("cost, steps", [("8333.34", [("superior", "open", "eng_mgr"), ("gm", "waiting", "gm")]),
                                         ("8333.33", [("superior", "open", "eng_mgr")])])
def test_above_the_threshold_the_general_manager_approves_too(app, purchasing, papi, clock, cost, steps):
    doc = raise_request(purchasing, papi, cost=cost)          # 6 × 8,333.34 = 50,000.04; × 8,333.33 = 49,999.98
    assert act(purchasing, papi, "pe", doc["id"], "submit")[0] == 200
    assert plan(app, doc["id"]) == steps
    after = act(purchasing, papi, "eng_mgr", doc["id"], "approve")[1]["state"]
    if len(steps) == 2:
        assert after == "submitted"
        assert act(purchasing, papi, "gm", doc["id"], "approve", comment="同意")[1]["state"] == "dept_approved"
    else:
        assert after == "dept_approved"


def test_at_the_threshold_exactly_the_superior_alone_approves(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi, cost="10000", qty="5")                  # 50,000: not above it
    act(purchasing, papi, "pe", doc["id"], "submit")
    assert plan(app, doc["id"]) == [("superior", "open", "eng_mgr")]
    from core import settings
    with app.app_context():
        settings.set("pur.request_gm_threshold", "40000")
    second = raise_request(purchasing, papi, cost="10000", qty="5")
    act(purchasing, papi, "pe", second["id"], "submit")
    assert plan(app, second["id"]) == [("superior", "open", "eng_mgr"), ("gm", "waiting", "gm")]


def test_the_general_manager_as_superior_approves_once(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi, who="adm", cost="30000", project_related=False, project_ref="")
    assert act(purchasing, papi, "adm", doc["id"], "submit")[0] == 200
    assert plan(app, doc["id"]) == [("superior", "open", "gm")]                   # 180,000, the GM once
    assert act(purchasing, papi, "gm", doc["id"], "approve")[1]["state"] == "dept_approved"


# ---- rules and refusals -----------------------------------------------------------------------
def test_a_project_purchase_names_its_project_or_contract(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi, project_ref="")
    status, refused = act(purchasing, papi, "pe", doc["id"], "submit")
    assert status == 422 and "project_ref" in refused["fields"] and refused["rules"] == ["R-P-001"], refused
    assert get(purchasing, papi, doc["id"])["state"] == "draft" and plan(app, doc["id"]) == []
    with app.app_context():
        from core.rules.models import RuleViolation
        assert db.session.scalar(select(func.count()).select_from(RuleViolation).where(
            RuleViolation.rule_code == "R-P-001")) == 1
    status, fixed = papi(purchasing, "pe", "patch", f"request/{doc['id']}",
                         {"version": doc["version"], "contract_ref": "HT-2026-0008"})
    assert status == 200, fixed
    assert act(purchasing, papi, "pe", doc["id"], "submit")[1]["state"] == "submitted"
    office = raise_request(purchasing, papi, who="adm", project_related=False, project_ref="")   # office items
    assert act(purchasing, papi, "adm", office["id"], "submit")[1]["state"] == "submitted"


def test_bad_input_is_refused_with_the_field_and_nothing_is_saved(app, purchasing, papi, clock):
    status, refused = papi(purchasing, "pe", "post", "request", body(qty="-2"))
    assert status == 422 and "qty" in str(refused["fields"]["lines"]), refused
    status, refused = papi(purchasing, "pe", "post", "request", body(purpose=""))
    assert status == 422 and "purpose" in refused["fields"], refused
    status, refused = papi(purchasing, "pe", "post", "request", {**body(), "lines": []})
    assert status == 422 and "lines" in refused["fields"], refused
    status, refused = papi(purchasing, "pe", "post", "request", {**body(), "buyer_id": purchasing["ids"]["buyer"]})
    assert status == 422 and "buyer_id" in refused["fields"], refused         # the manager's, on acceptance
    with app.app_context():
        from modules.procurement.requests import PurchaseRequest, PurchaseRequestLine
        assert db.session.scalar(select(func.count()).select_from(PurchaseRequest)) == 0
        assert db.session.scalar(select(func.count()).select_from(PurchaseRequestLine)) == 0
    doc = raise_request(purchasing, papi, required="2026-02-27")                   # a date already past
    status, refused = act(purchasing, papi, "pe", doc["id"], "submit")
    assert status == 422 and "lines" in refused["fields"], refused
    # Only the requester edits it, even for those who read every request.
    draft = raise_request(purchasing, papi)
    status, refused = papi(purchasing, "pur_mgr", "patch", f"request/{draft['id']}",
                           {"version": draft["version"], "purpose": "改了"})
    assert status == 422 and "requester" in str(refused["fields"]), refused
    assert get(purchasing, papi, draft["id"])["purpose"] == "南山数据中心综合布线：机柜"
    # Submitted, it is no longer edited.
    doc = raise_request(purchasing, papi)
    act(purchasing, papi, "pe", doc["id"], "submit")
    current = get(purchasing, papi, doc["id"], who="pe")
    status, _body = papi(purchasing, "pe", "patch", f"request/{doc['id']}", {"version": current["version"],
                                                                           "purpose": "改了"})
    assert status == 403


def test_who_reads_which_request(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi)
    assert papi(purchasing, "am", "get", f"request/{doc['id']}")[0] == 404          # another requester's
    assert papi(purchasing, "am", "get", "request")[1]["items"] == []
    assert papi(purchasing, "eng_mgr", "get", f"request/{doc['id']}")[0] == 404     # nothing to approve yet
    assert papi(purchasing, "fin", "get", f"request/{doc['id']}")[0] == 404         # finance raises its own only
    for who in ("buyer", "pur_mgr", "gm", "dir"):
        assert papi(purchasing, who, "get", f"request/{doc['id']}")[0] == 200, who
    act(purchasing, papi, "pe", doc["id"], "submit")
    assert papi(purchasing, "eng_mgr", "get", f"request/{doc['id']}")[0] == 200     # the one he approves
    assert papi(purchasing, "am", "get", f"request/{doc['id']}")[0] == 404
    # Everyone raises requests: the account manager, the administration.
    assert papi(purchasing, "am", "post", "request", body(project_ref="", contract_ref="HT-2026-0001"))[0] == 201
    assert papi(purchasing, "adm", "post", "request", body(project_related=False, project_ref=""))[0] == 201


def test_the_requester_or_the_procurement_manager_cancels_until_ordered(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi)
    act(purchasing, papi, "pe", doc["id"], "submit")
    assert act(purchasing, papi, "am", doc["id"], "cancel", comment="x")[0] == 404     # not his to see
    status, refused = act(purchasing, papi, "buyer", doc["id"], "cancel", comment="x")
    assert status == 422 and "requester" in refused["error"], refused
    assert act(purchasing, papi, "pe", doc["id"], "cancel")[0] == 422                    # a comment is required
    status, done = act(purchasing, papi, "pe", doc["id"], "cancel", comment="项目取消")
    assert status == 200 and done["state"] == "cancelled", done
    assert plan(app, doc["id"]) == [("superior", "withdrawn", "eng_mgr")]                # nothing left to approve
    assert act(purchasing, papi, "eng_mgr", doc["id"], "approve")[0] in (404, 422)
    taken = accepted(purchasing, papi)
    status, done = act(purchasing, papi, "pur_mgr", taken["id"], "cancel", comment="改由库存调拨")
    assert status == 200 and done["state"] == "cancelled", done


def test_the_procurement_manager_returns_a_request_and_it_is_submitted_again(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi)
    act(purchasing, papi, "pe", doc["id"], "submit")
    act(purchasing, papi, "eng_mgr", doc["id"], "approve")
    assert act(purchasing, papi, "pur_mgr", doc["id"], "decline")[0] == 422             # say why
    status, back = act(purchasing, papi, "pur_mgr", doc["id"], "decline", comment="型号请写完整")
    assert status == 200 and back["state"] == "rejected", back
    status, fixed = papi(purchasing, "pe", "patch", f"request/{doc['id']}", {"version": back["version"],
                                                                           "purpose": "机柜（图腾 G36042）"})
    assert status == 200, fixed
    assert act(purchasing, papi, "pe", doc["id"], "submit")[1]["state"] == "submitted"
    assert plan(app, doc["id"]) == [("superior", "open", "eng_mgr")]                      # a new round
    # The superior returns it too, with a comment.
    assert act(purchasing, papi, "eng_mgr", doc["id"], "reject", comment="数量再核")[1]["state"] == "rejected"


def test_the_procurement_manager_assigns_another_buyer(app, purchasing, papi, clock):
    doc = accepted(purchasing, papi)
    assert act(purchasing, papi, "buyer", doc["id"], "reassign", buyer_id=purchasing["ids"]["buyer2"])[0] == 403
    status, moved = act(purchasing, papi, "pur_mgr", doc["id"], "reassign", buyer_id=purchasing["ids"]["buyer2"])
    assert status == 200 and moved["state"] == "accepted" and moved["buyer_id"] == purchasing["ids"]["buyer2"], moved
    assert notes(app, "buyer2", "assigned")
    assert act(purchasing, papi, "buyer", doc["id"], "source")[0] == 422
    assert act(purchasing, papi, "buyer2", doc["id"], "source")[1]["state"] == "sourcing"


# ---- R-P-003 urgent requests --------------------------------------------------------------------
def test_an_urgent_request_is_told_at_once_and_due_the_same_day(app, purchasing, papi, clock):
    clock("2026-03-06 10:00")                                               # a Friday
    doc = raise_request(purchasing, papi, required="2026-03-10")           # Tuesday: 2 working days
    assert doc["urgent"] is True
    calm = raise_request(purchasing, papi, required="2026-03-11")          # 3 working days
    assert calm["urgent"] is False
    sent = act(purchasing, papi, "pe", doc["id"], "submit")[1]
    assert sent["approval_due_at"] == "2026-03-06T18:00:00+08:00" and sent["overdue"] is False, sent
    assert notes(app, "eng_mgr", "urgent") == [
        f"Urgent purchase request to approve today: {doc['number']} {doc['title']}"]
    from core.reminders import collect
    with app.test_request_context():
        due = [r for r in collect(datetime(2026, 3, 6, 11, tzinfo=ZoneInfo("Asia/Shanghai")))
               if r.key.startswith("procurement.request.approval:")]
        assert [r.user_id for r in due] == [purchasing["ids"]["eng_mgr"]]
    clock("2026-03-06 18:30")
    assert get(purchasing, papi, doc["id"])["overdue"] is True
    act(purchasing, papi, "eng_mgr", doc["id"], "approve")
    assert notes(app, "pur_mgr", "urgent") == [f"Urgent purchase request to accept: {doc['number']} {doc['title']}"]
    # Submitted after the end of work, it is due by the next working day's.
    late = raise_request(purchasing, papi, required="2026-03-09")
    assert act(purchasing, papi, "pe", late["id"], "submit")[1]["approval_due_at"] == "2026-03-09T18:00:00+08:00"
    act(purchasing, papi, "pe", calm["id"], "submit")
    assert get(purchasing, papi, calm["id"])["approval_due_at"] is None


def test_an_urgent_request_above_the_threshold_tells_the_general_manager_in_turn(app, purchasing, papi, clock):
    doc = raise_request(purchasing, papi, cost="9000", required="2026-03-03")   # 54,000, needed tomorrow
    act(purchasing, papi, "pe", doc["id"], "submit")
    assert notes(app, "gm", "urgent") == []                                       # not his turn yet
    act(purchasing, papi, "eng_mgr", doc["id"], "approve")
    assert notes(app, "gm", "urgent") == [f"Urgent purchase request to approve today: {doc['number']} {doc['title']}"]


# ---- the web pages ------------------------------------------------------------------------------
def test_the_web_pages_raise_approve_and_accept(app, purchasing, papi, pweb, clock):
    engineer = pweb("pe")
    page = engineer.get("/procurement/request/new")
    assert page.status_code == 200 and 'name="lines-0-item"' in page.get_data(as_text=True)
    form = {"purpose": "机房 UPS 电池更换", "project_related": "y", "project_ref": "GC-2026-0003", "contract_ref": "",
            "lines-0-item": "UPS 蓄电池", "lines-0-brand_model_spec": "理士 DJM12100", "lines-0-qty": "32",
            "lines-0-unit": "节", "lines-0-budget_unit_cost": "780", "lines-0-required_date": "2026-03-20",
            "lines-0-delivery_place": SITE, "lines-0-note": "",
            "lines-1-item": "", "lines-1-qty": "", "lines-1-unit": "", "lines-1-budget_unit_cost": ""}
    response = engineer.post("/procurement/request/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    [doc] = papi(purchasing, "pe", "get", "request")[1]["items"]
    assert doc["total_budget"] == "24960.00" and [line["item"] for line in doc["lines"]] == ["UPS 蓄电池"]
    base = f"/procurement/request/{doc['id']}"
    assert engineer.post(f"{base}/transitions/submit").status_code == 302
    manager = pweb("eng_mgr")
    assert "UPS" in manager.get(base).get_data(as_text=True)
    assert manager.post(f"{base}/transitions/approve", data={"comment": "同意"}).status_code == 302
    procurement = pweb("pur_mgr")
    assert procurement.get(f"{base}/transitions/accept/input").status_code == 200
    response = procurement.post(f"{base}/transitions/accept/input",
                                data={"buyer_id": str(purchasing["ids"]["buyer"]), "comment": "尽快"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert get(purchasing, papi, doc["id"])["state"] == "accepted"
    assert pweb("buyer").get(f"{base}/transitions/accept/input").status_code == 403
    assert pweb("am").get(base).status_code == 404
    printed = pweb("pe").get(f"{base}/print")
    assert printed.status_code == 200 and "采购申请单" in printed.get_data(as_text=True)
    listing = pweb("pur_mgr").get("/procurement/request/")
    assert listing.status_code == 200 and doc["number"] in listing.get_data(as_text=True)


# ---- I-06: an equipment-only contract signed -----------------------------------------------------
from tests.modules.sales import conftest as sales_fixtures
from tests.modules.sales import test_contracts as contracts

# Sales' fixtures (the market department and its reviewers) and its contract helpers.
market, api, web, people = sales_fixtures.market, sales_fixtures.api, sales_fixtures.web, contracts.people
won_equipment, reviewed_and_signed = contracts.won_equipment, contracts.reviewed_and_signed


@pytest.mark.modules("procurement", "sales")
def test_a_signed_equipment_contract_proposes_a_submitted_request(app, people, api, web, papi):
    """I-06, driven through sales: the signed equipment-only contract's equipment lines become a
    submitted request of the account manager, for his superior to approve."""
    from core.org.models import Position, UserPosition
    from modules.procurement.requests import PurchaseRequest
    with app.app_context():
        position = db.session.scalar(select(Position).where(Position.code == "POS-MKT-AM"))
        db.session.add(UserPosition(user_id=people["ids"]["am"], position_id=position.id))
        db.session.commit()
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    with app.app_context():
        [request] = db.session.scalars(select(PurchaseRequest)).all()
        assert (request.state, request.owner.username, request.contract_ref, request.project_related) == (
            "submitted", "am", contract["number"], True)
        assert request.purpose == f"设备销售合同 {contract['number']} 采购"
        assert [(line.item, line.qty, line.line_status) for line in request.lines] == [("核心交换机", 1, "open")]
        request_id = request.id
    assert plan(app, request_id) == [("superior", "open", "mgr")]
    client = app.test_client()                                  # the market manager approves as the superior
    response = client.post(f"/api/v1/procurement/request/{request_id}/transitions/approve", json={"comment": "同意"},
                           headers=people["headers"]["mgr"])
    assert response.status_code == 200 and response.get_json()["state"] == "dept_approved", response.get_json()
    # The account manager sees his own request; a project engineer does not.
    assert client.get(f"/api/v1/procurement/request/{request_id}", headers=people["headers"]["am"]).status_code == 200
    assert client.get(f"/api/v1/procurement/request/{request_id}", headers=people["headers"]["pe"]).status_code == 404


@pytest.mark.modules("procurement", "sales")
def test_a_proposal_nobody_can_approve_stays_a_draft(app, people, api, web):
    """Without a superior of the account manager the proposal stays a draft and he is told why."""
    from modules.procurement.requests import PurchaseRequest
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    with app.app_context():
        [request] = db.session.scalars(select(PurchaseRequest)).all()
        assert request.state == "draft" and request.contract_ref == contract["number"]
    assert any("waits in draft" in title for title in notes(app, "am", "draft"))
