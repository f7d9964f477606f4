"""Nonconforming product (X-E10, WF-E07, I-12): found by the engineer or a buyer, reviewed by the
engineering manager (with the procurement manager's opinion for purchased goods), decided,
disposed with evidence and closed; a concession affecting the customer needs his consent; a
purchased-goods nonconformance counts against the supplier when procurement is on."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


def new(pid, **extra):
    return {"project_id": pid, "source": "receipt", "found_on": "2027-01-12", "item": "24口千兆接入交换机",
            "brand_model": "华为 S5735", "serials": "HW2412A0031", "qty": "1",
            "description": "通电自检失败，13-24口无链路。", **extra}


def step(team, eapi, who, nc_id, name, **values):
    return eapi(team, who, "post", f"nonconformance/{nc_id}/transitions/{name}", values)


def attach(app, nc_id, user_id):
    from core.documents.models import Attachment
    with app.app_context():
        db.session.add(Attachment(doctype="engineering.nonconformance", doc_id=nc_id, filename="退货单.jpg",
                                  size=1, sha256="0" * 64, stored_name=f"t-{nc_id}", uploaded_by_id=user_id))
        db.session.commit()


def test_each_step_and_who_may_take_it(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    status, nc = eapi(team, "pe", "post", "nonconformance", new(pid))
    assert status == 201, nc
    assert nc["number"].startswith("BH-") and nc["state"] == "found" and nc["title"].endswith("24口千兆接入交换机")
    # Bad input names the field; nothing saved.
    status, body = eapi(team, "pe", "post", "nonconformance", new(pid, qty="-1"))
    assert status == 422 and "qty" in body["fields"]
    status, body = eapi(team, "pe", "post", "nonconformance", {"project_id": pid})
    assert status == 422 and {"item", "description", "found_on"} <= set(body["fields"])
    # Another engineer neither sees it nor reports on the project; the finance role has no access.
    assert eapi(team, "pe2", "get", f"nonconformance/{nc['id']}")[0] == 404
    assert eapi(team, "fin", "get", "nonconformance")[0] == 403
    assert step(team, eapi, "pe", nc["id"], "submit")[0] == 200
    # Only the engineering manager decides.
    status, body = step(team, eapi, "pe", nc["id"], "decide", review="质量问题", disposition="rework")
    assert status == 403
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="质量问题")
    assert status == 422 and "disposition" in str(body)
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="质量问题，返厂维修", disposition="rework")
    assert status == 200, body
    nc = eapi(team, "pe", "get", f"nonconformance/{nc['id']}")[1]
    assert nc["state"] == "decided" and nc["disposition"] == "rework"
    # Disposed only with evidence attached.
    status, body = step(team, eapi, "pe", nc["id"], "dispose", disposal_result="已返修，复测合格")
    assert status == 422 and "R-E-047" in str(body)
    attach(app, nc["id"], team["ids"]["pe"])
    assert step(team, eapi, "pe", nc["id"], "dispose", disposal_result="已返修，复测合格")[0] == 200
    assert step(team, eapi, "pe", nc["id"], "close")[0] == 403
    assert step(team, eapi, "eng_mgr", nc["id"], "close")[0] == 200
    assert eapi(team, "pe", "get", f"nonconformance/{nc['id']}")[1]["state"] == "closed"


def test_review_returned_to_the_finder(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    nc = eapi(team, "pe", "post", "nonconformance", new(pid, source="site"))[1]
    step(team, eapi, "pe", nc["id"], "submit")
    assert step(team, eapi, "eng_mgr", nc["id"], "return")[0] == 422          # a reason is required
    assert step(team, eapi, "eng_mgr", nc["id"], "return", comment="补充照片")[0] == 200
    assert eapi(team, "pe", "get", f"nonconformance/{nc['id']}")[1]["state"] == "found"


def test_concession_affecting_the_customer_needs_his_consent(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    nc = eapi(team, "pe", "post", "nonconformance", new(pid, source="site", customer_affected=True))[1]
    step(team, eapi, "pe", nc["id"], "submit")
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="外观问题", disposition="concession")
    assert status == 422 and "customer_consent" in str(body) and "R-E-047" in str(body)
    assert eapi(team, "pe", "get", f"nonconformance/{nc['id']}")[1]["state"] == "under_review"
    nc = eapi(team, "pe", "get", f"nonconformance/{nc['id']}")[1]
    status, body = eapi(team, "pe", "put", f"nonconformance/{nc['id']}", {
        **new(pid, source="site", customer_affected=True), "version": nc["version"],
        "customer_consent_name": "王建国", "customer_consent_org": "市第一中学", "customer_consent_date": "2027-01-13"})
    assert status == 200, body
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="外观问题", disposition="concession")
    assert status == 200, body
    # Not affecting the customer: the manager's concession alone is enough.
    nc = eapi(team, "pe", "post", "nonconformance", new(pid, source="site"))[1]
    step(team, eapi, "pe", nc["id"], "submit")
    assert step(team, eapi, "eng_mgr", nc["id"], "decide", review="不影响", disposition="concession")[0] == 200


def test_purchased_goods_need_the_procurement_managers_opinion_and_stay_in_engineering(app, team, eapi):
    """Engineering alone: the procurement manager still gives his opinion; no supplier to count."""
    pid = make_project(app, team, state="in_construction")
    status, body = eapi(team, "buyer", "post", "nonconformance", new(pid, purchased=True))
    assert status == 422 and "supplier_id" in body["fields"]
    status, nc = eapi(team, "buyer", "post", "nonconformance",
                      new(pid, purchased=True, supplier_name="深圳市华信通网络设备有限公司", po_number="CG-0042"))
    assert status == 201, nc
    assert step(team, eapi, "buyer", nc["id"], "submit")[0] == 200
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="退货", disposition="return")
    assert status == 422 and "purchasing_opinion" in str(body)
    assert step(team, eapi, "pe", nc["id"], "purchasing_opinion", purchasing_opinion="同意")[0] == 403
    assert step(team, eapi, "pur_mgr", nc["id"], "purchasing_opinion", purchasing_opinion="同意退货")[0] == 200
    status, body = step(team, eapi, "eng_mgr", nc["id"], "decide", review="退货", disposition="return")
    assert status == 200, body


def test_hook_engineering_nonconformance(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    heard = []

    class Listener:
        from core.hookspecs import hookimpl

        @hookimpl
        def engineering_nonconformance(self, nc, event):
            heard.append((nc.number, event, nc.disposition, nc.supplier_name))

    app.extensions["erp"].pm.register(Listener(), name="nc-listener")
    try:
        nc = eapi(team, "pe", "post", "nonconformance", new(pid, purchased=True, supplier_name="华信通"))[1]
        own = eapi(team, "pe", "post", "nonconformance", new(pid, source="testing"))[1]
        for doc in (nc, own):
            step(team, eapi, "pe", doc["id"], "submit")
        step(team, eapi, "pur_mgr", nc["id"], "purchasing_opinion", purchasing_opinion="同意")
        assert step(team, eapi, "eng_mgr", nc["id"], "decide", review="退货", disposition="return")[0] == 200
        assert step(team, eapi, "eng_mgr", own["id"], "decide", review="返修", disposition="rework")[0] == 200
        attach(app, nc["id"], team["ids"]["pe"])
        assert step(team, eapi, "pe", nc["id"], "dispose", disposal_result="已退货")[0] == 200
    finally:
        app.extensions["erp"].pm.unregister(name="nc-listener")
    # Only the purchased goods are announced, decided then disposed.
    assert heard == [(nc["number"], "decided", "return", "华信通"), (nc["number"], "disposed", "return", "华信通")]


def a_supplier(app, team):
    """A qualified supplier of the directory (its party and profile); returns (party id, supplier id)."""
    from core.auth.models import User
    from core.documents import service
    from core.parties.models import Party, PartyRole
    from modules.procurement.suppliers import SUPPLIER
    with app.app_context():
        party = Party(code="S-T1", name="深圳市华信通网络设备有限公司", match_key="华信通")
        party.roles.append(PartyRole(role="supplier"))
        db.session.add(party)
        db.session.flush()
        buyer = db.session.get(User, team["ids"]["buyer"])
        supplier = service.new_document(SUPPLIER, buyer)
        supplier.party_id, supplier.title, supplier.credit_code = party.id, party.name, "91440300MA5F000001"
        supplier.categories, supplier.contact_name, supplier.contact_phone = ["network"], "李经理", "13800000000"
        supplier.buyer_id, supplier.state, supplier.nonconformance_count = buyer.id, "qualified", 0
        supplier.next_evaluation_due = date(2027, 9, 1)
        service.assign_number(SUPPLIER, supplier)
        db.session.add(supplier)
        db.session.commit()
        return party.id, supplier.id


@pytest.mark.modules("engineering", "procurement")
def test_procurement_counts_it_against_the_supplier_and_tasks_the_buyer(app, team, eapi):
    from core.reminders.models import Notification
    from modules.procurement.suppliers import Supplier
    pid = make_project(app, team, state="in_construction")
    party_id, supplier_id = a_supplier(app, team)
    nc = eapi(team, "pe", "post", "nonconformance", new(pid, purchased=True, supplier_id=party_id, qty="2"))
    assert nc[0] == 201, nc
    nc = nc[1]
    step(team, eapi, "pe", nc["id"], "submit")
    step(team, eapi, "pur_mgr", nc["id"], "purchasing_opinion", purchasing_opinion="同意退货")
    assert step(team, eapi, "eng_mgr", nc["id"], "decide", review="退货", disposition="return")[0] == 200
    with app.app_context():
        supplier = db.session.get(Supplier, supplier_id)
        assert supplier.nonconformance_count == 1
        assert supplier.next_evaluation_due <= date.today() or supplier.next_evaluation_due < date(2027, 9, 1)
        notes = db.session.scalars(select(Notification).where(Notification.user_id == team["ids"]["buyer"])).all()
        assert any(nc["number"] in n.title and "2" in n.title for n in notes)
    # A concession counts too, with no return task.
    other = eapi(team, "pe", "post", "nonconformance", new(pid, purchased=True, supplier_id=party_id))[1]
    step(team, eapi, "pe", other["id"], "submit")
    step(team, eapi, "pur_mgr", other["id"], "purchasing_opinion", purchasing_opinion="可让步")
    assert step(team, eapi, "eng_mgr", other["id"], "decide", review="可用", disposition="concession")[0] == 200
    with app.app_context():
        assert db.session.get(Supplier, supplier_id).nonconformance_count == 2
        # Recounted when a receipt of the supplier is accepted: engineering's are kept.
        from modules.procurement.receipts import update_supplier
        update_supplier(db.session.get(Supplier, supplier_id))
        assert db.session.get(Supplier, supplier_id).nonconformance_count == 2
        notes = db.session.scalars(select(Notification).where(Notification.user_id == team["ids"]["buyer"])).all()
        assert not any(other["number"] in n.title for n in notes)
    assert Decimal(nc["qty"]) == Decimal(2)


def test_demo_data(app, team):
    from core.auth.models import User
    from modules.engineering.nonconforming import Nonconformance, demo
    make_project(app, team, state="in_construction")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr")}
        demo(users)
        demo(users)                                 # once
        rows = db.session.scalars(select(Nonconformance).order_by(Nonconformance.id)).all()
        assert [(nc.purchased, nc.disposition, nc.state) for nc in rows] == [
            (True, "return", "disposed"), (False, "concession", "decided")]
        assert rows[1].customer_consent_name and rows[0].purchasing_opinion


def test_pages_open_and_stay_closed_to_others(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    nc = eapi(team, "pe", "post", "nonconformance", new(pid, purchased=True, supplier_name="华信通"))[1]
    browser = eweb("pe")
    for url in ("/engineering/nonconformance/", f"/engineering/nonconformance/{nc['id']}",
                "/engineering/nonconformance/new", f"/engineering/nonconformance/{nc['id']}/edit",
                f"/engineering/project/{pid}"):
        response = browser.get(url)
        assert response.status_code == 200, url
    assert nc["number"] in browser.get(f"/engineering/project/{pid}").get_data(as_text=True)
    # The PDF print of the form.
    response = browser.get(f"/engineering/nonconformance/{nc['id']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert eweb("fin").get("/engineering/nonconformance/").status_code == 403


@pytest.mark.modules("engineering", "procurement")
def test_hook_procurement_reported_nonconformances(app, team, eapi):
    """Engineering answers with the decided purchased-goods nonconformances of the supplier (by its
    party, or by its name typed); a plugin's answer is added to them."""
    from modules.procurement.receipts import update_supplier
    from modules.procurement.suppliers import Supplier
    pid = make_project(app, team, state="in_construction")
    party_id, supplier_id = a_supplier(app, team)
    for values in ({"supplier_id": party_id}, {"supplier_name": "深圳市华信通网络设备有限公司"}, {"supplier_id": party_id}):
        nc = eapi(team, "pe", "post", "nonconformance", new(pid, purchased=True, **values))[1]
        step(team, eapi, "pe", nc["id"], "submit")
    with app.app_context():
        supplier = db.session.get(Supplier, supplier_id)
        assert app.extensions["erp"].pm.hook.procurement_reported_nonconformances(supplier=supplier) == [0]
    for nc_id in (nc["id"] - 2, nc["id"] - 1):       # two decided, the third still under review
        step(team, eapi, "pur_mgr", nc_id, "purchasing_opinion", purchasing_opinion="同意")
        assert step(team, eapi, "eng_mgr", nc_id, "decide", review="返修", disposition="rework")[0] == 200

    class Helpdesk:
        from core.hookspecs import hookimpl

        @hookimpl
        def procurement_reported_nonconformances(self, supplier):
            return 3

    with app.app_context():
        supplier = db.session.get(Supplier, supplier_id)
        assert app.extensions["erp"].pm.hook.procurement_reported_nonconformances(supplier=supplier) == [2]
        app.extensions["erp"].pm.register(Helpdesk(), name="helpdesk")
        try:
            update_supplier(supplier)
            assert supplier.nonconformance_count == 5
        finally:
            app.extensions["erp"].pm.unregister(name="helpdesk")
