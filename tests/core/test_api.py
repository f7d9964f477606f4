"""The JSON API: tokens, the same permissions and visibility as the web, JSON errors, OpenAPI."""
import re

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id

pytestmark = pytest.mark.workshop
BASE = "/api/v1/workshop/request"


@pytest.fixture
def token_for(app, make_user):
    def issue(username, *roles, **fields):
        user_id = make_user(username, *roles, **fields)
        with app.app_context():
            from core.auth.models import User
            token, secret = ApiToken.issue(db.session.get(User, user_id), "test")
            db.session.add(token)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}
    return issue


def body(**overrides):
    data = {"title": "接口创建", "supplier": "供应商", "amount": "1500.00", "cost": "900.00",
            "lines": [{"item": "网线", "qty": 3, "price": "10.00"}]}
    data.update(overrides)
    return data


def test_create_read_list_update_with_versions(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    created = client.post(BASE, json=body(), headers=headers)
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert doc["number"].startswith("QR-") and doc["state"] == "draft" and doc["version"] == 1
    assert doc["lines"][0]["item"] == "网线" and doc["cost"] == "900.00"
    assert client.get(created.headers["Location"], headers=headers).get_json()["title"] == "接口创建"
    listing = client.get(BASE + "?q=接口", headers=headers).get_json()
    assert [i["id"] for i in listing["items"]] == [doc["id"]] and listing["has_next"] is False
    patched = client.patch(f"{BASE}/{doc['id']}", json={"title": "改名", "version": 1}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["version"] == 2
    lost = client.patch(f"{BASE}/{doc['id']}", json={"title": "覆盖", "version": 1}, headers=headers)
    assert lost.status_code == 409 and lost.is_json and "error" in lost.get_json()
    history = client.get(f"{BASE}/{doc['id']}/history", headers=headers).get_json()["items"]
    assert [h["action"] for h in history] == ["insert", "update"]
    assert history[1]["changes"]["title"] == ["接口创建", "改名"]


def test_validation_errors_name_the_field(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    response = client.post(BASE, json=body(title="", amount="lots", lines=[{"item": "x", "qty": 0}]), headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) == {"title", "amount", "lines"} and "qty" in fields["lines"]["0"]
    assert client.post(BASE, data="not json", headers=headers, content_type="application/json").status_code == 400
    assert client.patch(f"{BASE}/1", json={"title": "x"}, headers=headers).status_code == 404


def test_transitions_through_the_api(app, client, token_for):
    mkt = department_id(app, "MKT")
    seller = token_for("seller", "ROLE-MKT-AM", department_id=mkt)
    manager = token_for("manager", "ROLE-MKT-MGR", department_id=mkt)
    with app.app_context():
        from core.auth.models import User
        pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        mgr = db.session.scalar(select(User).where(User.username == "manager"))
        db.session.add(UserPosition(user_id=mgr.id, position_id=pos.id))
        db.session.commit()
    doc = client.post(BASE, json=body(), headers=seller).get_json()
    stale = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={"version": 99}, headers=seller)
    assert stale.status_code == 409
    submitted = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={"version": 1}, headers=seller)
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "submitted"
    refused = client.post(f"{BASE}/{doc['id']}/transitions/approve", json={}, headers=seller)
    assert refused.status_code == 403 and refused.get_json()["error"]
    no_comment = client.post(f"{BASE}/{doc['id']}/transitions/reject", json={}, headers=manager)
    assert no_comment.status_code == 422 and "comment" in no_comment.get_json()["fields"]
    approved = client.post(f"{BASE}/{doc['id']}/transitions/approve", json={"comment": "同意"}, headers=manager)
    assert approved.get_json()["state"] == "approved"


def test_same_permissions_and_visibility_as_the_web(client, token_for):
    owner = token_for("owner", "ROLE-MKT-AM")
    other = token_for("other", "ROLE-MKT-AM")
    engineer = token_for("engineer", "ROLE-ENG-PE")
    doc = client.post(BASE, json=body(), headers=owner).get_json()
    assert "cost" not in doc and "price" not in doc["lines"][0]  # costs hidden from a 客户经理
    assert client.get(f"{BASE}/{doc['id']}", headers=other).status_code == 404
    assert client.get(BASE, headers=other).get_json()["items"] == []
    forbidden = client.get(BASE, headers=engineer)
    assert forbidden.status_code == 403 and forbidden.is_json
    assert client.post(BASE, json=body(), headers=engineer).status_code == 403


def test_tokens_authenticate_and_can_be_revoked(app, client, login_as):
    assert client.get(BASE, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    login_as("ROLE-MKT-MGR")
    page = client.post("/profile/tokens", data={"name": "ERP 对接"}).get_data(as_text=True)
    secret = page.split('id="new-token">')[1].split("<")[0]
    client.post("/logout")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get(BASE, headers=headers).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash != secret and token.last_used_at is not None
    login_as("ROLE-MKT-MGR", username="again")  # another user cannot revoke it
    client.post(f"/profile/tokens/{token.id}/revoke")
    assert api.get(BASE, headers=headers).status_code == 200


def test_errors_are_json_never_html(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    for response in (client.get("/api/v1/nope/nothing", headers=headers),
                     client.delete(f"{BASE}/1", headers=headers),
                     client.get(BASE)):
        assert response.is_json and "error" in response.get_json()


def test_openapi_describes_every_document_endpoint(client, token_for):
    assert client.get("/api/v1/openapi.json").status_code == 401
    spec = client.get("/api/v1/openapi.json", headers=token_for("reader", "ROLE-MKT-AM")).get_json()
    assert spec["openapi"].startswith("3.")
    assert {BASE, BASE + "/{doc_id}", BASE + "/{doc_id}/transitions/{name}", BASE + "/{doc_id}/history"} <= set(spec["paths"])
    assert "WorkshopRequestInput" in spec["components"]["schemas"]
    document = spec["components"]["schemas"]["WorkshopRequestDocument"]["properties"]
    assert all(document[name]["readOnly"] for name in ("id", "number", "state", "version", "owner", "created_at"))
    operations = spec["paths"][BASE + "/{doc_id}"]
    assert {"200", "400", "401", "403", "404", "405", "409", "413", "415", "422"} <= set(operations["patch"]["responses"])
    assert operations["patch"]["responses"]["405"]["headers"]["Allow"]["required"] is True
    listing = {p["name"]: p["schema"] for p in spec["paths"][BASE]["get"]["parameters"]}
    assert listing["state"]["items"]["enum"] == ["draft", "submitted", "approved", "cancelled"]
    assert "-number" in listing["sort"]["enum"]


def test_a_method_the_path_does_not_have_gets_405_with_allow(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    response = client.delete(f"{BASE}/1", headers=headers)
    assert response.status_code == 405 and response.get_json()["status"] == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PUT", "PATCH"}


def test_a_body_over_the_limit_gets_413_as_json_for_the_api_and_a_page_for_the_web(app, client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(BASE, json=body(title="x" * 2000), headers=headers)
    assert response.status_code == 413 and response.get_json()["error"] == "The request is too large."
    page = client.post("/login", data={"username": "x" * 2000, "password": "p"})
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "The request is too large." in page.get_data(as_text=True)


def test_invalid_list_filters_are_refused_with_400_naming_them(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    client.post(BASE, json=body(), headers=headers)
    assert len(client.get(f"{BASE}?state=draft&owner=me&from=2000-01-01&sort=-number&page=1&size=5",
                          headers=headers).get_json()["items"]) == 1
    response = client.get(f"{BASE}?state=drafty&owner=bob&from=2024-1-5&to=yesterday&sort=cost;drop"
                          f"&page=0&size=500", headers=headers)
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == {"state", "owner", "from", "to", "sort", "page", "size"}


def test_history_hides_the_fields_hidden_from_the_reader(client, token_for):
    owner = token_for("owner", "ROLE-MKT-AM")
    doc = client.post(BASE, json=body(), headers=owner).get_json()
    client.patch(f"{BASE}/{doc['id']}", json={"cost": "950.00", "supplier": "新供应商", "version": 1}, headers=owner)
    history = client.get(f"{BASE}/{doc['id']}/history", headers=owner).get_json()["items"]
    assert [h["action"] for h in history] == ["insert", "update"]
    assert history[1]["changes"] == {"supplier": ["供应商", "新供应商"]}
    # The cost neither as a field nor as a value (a bare "900" may be a timestamp's microseconds).
    assert not any("cost" in h["changes"] or re.search(r"\b9[05]0(\.0+)?\b", str(h["changes"])) for h in history)


def test_amounts_beyond_their_column_are_refused_and_the_openapi_says_so(client, token_for):
    headers = token_for("api_user", "ROLE-MKT-MGR")
    response = client.post(BASE, json=body(amount="1000000000000", lines=[{"item": "x", "qty": 1, "price": 1e12}]),
                           headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"amount", "lines"}
    amount = client.get("/api/v1/openapi.json", headers=headers).get_json()["components"]["schemas"]["WorkshopRequestInput"][
        "properties"]["amount"]
    assert amount["maximum"] == 1e12 and amount["exclusiveMaximum"] is True


def test_openapi_can_be_made_public(make_app):
    assert make_app(ERP_OPENAPI_PUBLIC=True).test_client().get("/api/v1/openapi.json").status_code == 200
