"""片区 are kept on a page of their own by the 市场部经理 and 市场总监: a fresh installation can
register its first customer once it has one; refusals say what to change; every change is audited."""
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.extensions import db


def test_the_market_manager_adds_an_area_and_a_customer_can_then_use_it(app, client, login_as, api_client):
    login_as("ROLE-MKT-MGR")
    assert "No area yet" in client.get("/sales/areas/").get_data(as_text=True)
    response = client.post("/sales/areas/", data={"code": "SZ", "name": "深圳片区", "kind": "geographic",
                                                 "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        from modules.sales.models import Area
        area = db.session.scalar(select(Area))
        assert (area.code, area.name, area.active) == ("SZ", "深圳片区", True)
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.model == "sales_area")) == "insert"
        area_id = area.id
    am = api_client("ROLE-MKT-AM")
    created = am.post("sales/customer", json={"title": "深圳大学", "industry": "education", "area_id": area_id,
                                              "credit": "good"})
    assert created.status_code == 201, created.get_json()


def test_refusals_name_the_field_and_save_nothing(app, client, login_as):
    login_as("ROLE-MKT-DIR")
    assert client.post("/sales/areas/", data={"code": "SZ", "name": "深圳片区", "kind": "geographic"}).status_code == 302
    again = client.post("/sales/areas/", data={"code": "SZ", "name": "另一个", "kind": "geographic"})
    assert again.status_code == 400 and "Another area already has this code." in again.get_data(as_text=True)
    blank = client.post("/sales/areas/", data={"code": "", "name": "", "kind": "moon"})
    assert blank.status_code == 400
    with app.app_context():
        from modules.sales.models import Area
        assert db.session.scalars(select(Area.name)).all() == ["深圳片区"]


def test_an_area_taken_out_of_use_is_not_offered_to_new_customers(app, client, login_as):
    login_as("ROLE-MKT-MGR")
    client.post("/sales/areas/", data={"code": "GZ", "name": "广州片区", "kind": "geographic", "active": "y"})
    with app.app_context():
        from modules.sales.models import Area
        area_id = db.session.scalar(select(Area.id))
    assert client.post(f"/sales/areas/{area_id}", data={"code": "GZ", "name": "广州片区", "kind": "geographic"}
                       ).status_code == 302  # the box unticked
    login_as("ROLE-MKT-AM", username="am")
    assert "广州片区</option>" not in client.get("/sales/customer/new").get_data(as_text=True)


def test_others_may_not_keep_areas(client, login_as):
    login_as("ROLE-MKT-AM")
    assert client.get("/sales/areas/").status_code == 403
    assert client.post("/sales/areas/", data={"code": "X", "name": "X", "kind": "geographic"}).status_code == 403
