"""A partner's module adds fields, a condition and an action to sales' customers without sales'
cooperation (tests/plugins/crm): kept in its own table, shown everywhere the customer is, gone
when the module is off, back when it is on."""
import csv
import io
import json

import pytest
from sqlalchemy import select, text

from core import migrate, plugins
from core.extensions import db
from tests.conftest import sign_in_as
from tests.plugins.crm import MANIFEST as CRM

def with_crm():
    return {**plugins.discover(), "crm": CRM}


with_plugin = pytest.mark.manifests(CRM)  # the harness migrates the module's branch for its apps


@pytest.fixture
def am(app, client, make_user):
    """An account manager (and assistant, who exports) of the market department with an area,
    signed in; returns its token headers."""
    from core.api.models import ApiToken
    from core.auth.models import User
    from modules.sales.models import Area
    from tests.conftest import department_id
    user_id = make_user("am", "ROLE-MKT-AM", "ROLE-MKT-AST", department_id=department_id(app, "MKT"))
    with app.app_context():
        db.session.add(Area(code="SZ", name="深圳片区"))
        token, secret = ApiToken.issue(db.session.get(User, user_id), "tests")
        db.session.add(token)
        db.session.commit()
    sign_in_as(client, "am")
    return {"Authorization": f"Bearer {secret}"}


def area(app):
    from modules.sales.models import Area
    with app.app_context():
        return db.session.scalar(select(Area.id).where(Area.code == "SZ"))


def create_customer(app, client, headers, **extra):
    body = {"title": "深圳大学", "industry": "education", "area_id": area(app), "credit": "good", **extra}
    response = client.post("/api/v1/sales/customer", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored(app, customer_id):
    with app.app_context():
        row = db.session.execute(text("SELECT sector, employees, strategic FROM crm_customer_sector "
                                      "WHERE id = :id"), {"id": customer_id}).first()
        return tuple(row) if row else None


@with_plugin
def test_hook_erp_document_extensions(app, client, am):
    """Through the API: kept in the partner's table, versioned with the document, refused values
    field errors."""
    customer = create_customer(app, client, am, sector="campus", employees=12000)
    assert customer["sector"] == "campus" and customer["employees"] == 12000 and customer["strategic"] is False
    assert stored(app, customer["id"]) == ("campus", 12000, False)
    response = client.patch(f"/api/v1/sales/customer/{customer['id']}", headers=am,
                            json={"version": customer["version"], "employees": 15000})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["employees"] == 15000 and response.get_json()["version"] == customer["version"] + 1
    assert stored(app, customer["id"]) == ("campus", 15000, False)
    # A stale version is refused even when only the partner's field changed.
    stale = client.patch(f"/api/v1/sales/customer/{customer['id']}", headers=am,
                         json={"version": customer["version"], "employees": 1})
    assert stale.status_code == 409
    # Refused values are field errors, nothing saved.
    bad = client.patch(f"/api/v1/sales/customer/{customer['id']}", headers=am,
                       json={"version": customer["version"] + 1, "sector": "moon", "employees": -1})
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"sector", "employees"}
    assert stored(app, customer["id"]) == ("campus", 15000, False)
    listed = client.get("/api/v1/sales/customer", headers=am).get_json()["items"]
    assert [(c["sector"], c["employees"]) for c in listed] == [("campus", 15000)]
    spec = client.get("/api/v1/openapi.json", headers=am).get_json()
    assert "sector" in json.dumps(spec)


@with_plugin
def test_extension_fields_in_the_form_detail_history_and_print(app, client, am):
    response = client.post("/sales/customer/new", data={
        "title": "福田区政务中心", "industry": "government", "area_id": area(app), "credit": "good",
        "sector": "smart_city", "employees": "800", "strategic": "y"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/new" not in response.request.path, page[page.find("invalid"):][:800]
    customer_id = int(response.request.path.rstrip("/").split("/")[-1])
    assert stored(app, customer_id) == ("smart_city", 800, True)
    assert "Smart city" in page and "Strategic partner" in page
    edit = client.get(f"/sales/customer/{customer_id}/edit").get_data(as_text=True)
    assert "Partner CRM" in edit and '<option selected value="smart_city">' in edit
    # Its changes are the customer's history, audited.
    with app.app_context():
        from core.audit.models import AuditEntry
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "crm_customer_sector"))
        assert entry.action == "insert" and entry.record_id == str(customer_id) and entry.user_id is not None
    history = client.get(f"/sales/customer/{customer_id}").get_data(as_text=True)
    assert "Employees" in history and "800" in history
    printed = client.get(f"/sales/customer/{customer_id}/print").get_data(as_text=True)
    assert "Smart city" in printed and "Sector" in printed
    # A bad value is a form error under its field; nothing saved.
    version = client.get(f"/api/v1/sales/customer/{customer_id}", headers=am).get_json()["version"]
    bad = client.post(f"/sales/customer/{customer_id}/edit", data={
        "title": "福田区政务中心", "industry": "government", "area_id": area(app), "credit": "good",
        "sector": "smart_city", "employees": "-5", "version": version})
    assert bad.status_code in (200, 400) and "Employees" in bad.get_data(as_text=True)
    assert stored(app, customer_id) == ("smart_city", 800, True)


@with_plugin
def test_extension_fields_filter_export_and_import(app, client, am):
    create_customer(app, client, am, title="A 大学", sector="campus", strategic=True)
    create_customer(app, client, am, title="B 数据中心", sector="datacenter")
    create_customer(app, client, am, title="C 医院")
    titles = lambda query: sorted(c["title"] for c in client.get(  # noqa: E731
        f"/api/v1/sales/customer?{query}", headers=am).get_json()["items"])
    assert titles("sector=campus") == ["A 大学"]
    assert titles("strategic=1") == ["A 大学"]
    assert titles("strategic=0") == ["B 数据中心", "C 医院"]
    assert "A 大学" in client.get("/sales/customer/?sector=campus").get_data(as_text=True)
    assert "B 数据中心" not in client.get("/sales/customer/?sector=campus").get_data(as_text=True)
    response = client.get("/sales/customer/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert "Sector" in rows[0] and "Strategic partner" in rows[0]
    by_title = {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert by_title["A 大学"]["Sector"] == "Campus" and by_title["A 大学"]["Strategic partner"] == "Yes"
    assert by_title["C 医院"]["Sector"] == ""
    # Import takes the partner's columns like the others.
    with app.app_context():
        from core.auth.models import Role, RolePermission
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-AST"))
        role.grants.append(RolePermission(code="sales.customer.import"))
        db.session.commit()
    data = io.BytesIO("\ufeffCustomer name,Industry,Area,Credit,Sector,Employees\nD 园区,education,{},good,campus,30\n"
                      .format(area(app)).encode())
    imported = client.post("/sales/customer/import", data={"file": (data, "c.csv")},
                           content_type="multipart/form-data")
    assert imported.status_code == 200, imported.get_data(as_text=True)
    assert titles("sector=campus") == ["A 大学", "D 园区"]


@with_plugin
def test_extension_condition_has_a_code_and_the_extra_action_works(app, client, am):
    customer = create_customer(app, client, am, strategic=True)
    response = client.post(f"/api/v1/sales/customer/{customer['id']}/transitions/activate", headers=am,
                           json={"version": customer["version"]})
    assert response.status_code == 422
    body = response.get_json()
    assert body["rules"] == ["CRM-001"] and body["fields"]["sector"] == ["A strategic partner needs its sector."]
    detail = client.get(f"/sales/customer/{customer['id']}").get_data(as_text=True)
    assert "Verify the sector" in detail
    done = client.post(f"/api/v1/sales/customer/{customer['id']}/transitions/verify_sector", headers=am,
                       json={"version": customer["version"]})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["state"] == customer["state"]


@with_plugin
def test_hook_erp_references(app):
    """The states and choices of other modules' document types are published by name."""
    from core.reference import ReferenceUnavailable, reference
    with app.app_context():
        assert ("education", "Education") in [(v, str(label)) for v, label in reference("sales.customer.industry")]
        assert "potential" in dict(reference("sales.customer.states"))
        assert dict(reference("crm.sales.customer.sector"))["campus"]  # an extension's, under its module
        with pytest.raises(ReferenceUnavailable, match="publishes no such reference"):
            reference("sales.nothing")
        with pytest.raises(ReferenceUnavailable, match="version 1; this code was written for version 2"):
            reference("sales.customer.states", version=2)


@with_plugin
def test_off_the_fields_are_gone_and_the_data_kept_then_back_on(app, client, am, make_app):
    customer = create_customer(app, client, am, sector="campus", employees=5, strategic=True)
    off = make_app()  # the same database, the module not installed
    browser = off.test_client()
    sign_in_as(browser, "am")
    data = browser.get(f"/api/v1/sales/customer/{customer['id']}", headers=am).get_json()
    assert data["title"] == "深圳大学" and "sector" not in data and "employees" not in data
    page = browser.get(f"/sales/customer/{customer['id']}").get_data(as_text=True)
    assert "深圳大学" in page and "Sector" not in page and "Verify the sector" not in page
    assert "Sector" not in browser.get("/sales/customer/export.csv").get_data(as_text=True)
    assert 'name="sector"' not in browser.get(f"/sales/customer/{customer['id']}/edit").get_data(as_text=True)
    refused = browser.post(f"/api/v1/sales/customer/{customer['id']}/transitions/verify_sector", headers=am,
                           json={"version": customer["version"]})
    assert refused.status_code == 422 and refused.get_json()["error"] == "Unknown action."
    # Saved while it is off, the customer keeps the partner's values.
    response = browser.patch(f"/api/v1/sales/customer/{customer['id']}", headers=am,
                             json={"version": customer["version"], "scale": "large"})
    assert response.status_code == 200, response.get_json()
    with off.app_context():
        from modules.sales.models import Customer
        with pytest.raises(AttributeError):
            db.session.get(Customer, customer["id"]).sector
    assert stored(app, customer["id"]) == ("campus", 5, True)
    on = make_app(ERP_MANIFESTS=with_crm())
    again = on.test_client().get(f"/api/v1/sales/customer/{customer['id']}", headers=am).get_json()
    assert (again["sector"], again["employees"], again["strategic"], again["scale"]) == ("campus", 5, True, "large")


@with_plugin
def test_the_command_line_shows_a_partner_what_to_extend(app):
    from core.cli import cli
    runner = app.test_cli_runner()
    shown = runner.invoke(cli, ["doctypes", "sales.customer"])
    assert shown.exit_code == 0, shown.output
    assert "(table sales_customer)" in shown.output
    assert "field industry  choice  required" in shown.output
    assert "field sector  choice  Sector  [table crm_customer_sector]" in shown.output
    assert "transition verify_sector: potential, active, dormant -> (same state)" in shown.output
    assert "    condition tests.plugins.crm.hooks.key_account_has_sector" in shown.output  # on activate
    quotation = runner.invoke(cli, ["doctypes", "sales.quotation"]).output
    assert "line field lines.item  text  required" in quotation and "[table sales_quotation_line]" in quotation
    assert "sales.customer  table sales_customer" in runner.invoke(cli, ["doctypes"]).output
    missing = runner.invoke(cli, ["doctypes", "sales.nothing"])
    assert missing.exit_code == 1 and "no enabled module declares document type 'sales.nothing'" in missing.output
    published = runner.invoke(cli, ["references", "sales.customer."]).output
    assert "sales.customer.industry  v1  government, education" in published and "sector" not in published
    assert "crm.sales.customer.sector  v1  smart_city, campus, datacenter" in runner.invoke(
        cli, ["references", "crm."]).output


@with_plugin
def test_a_repeated_unique_value_is_a_field_error_not_a_server_error(app, client, am):
    first = create_customer(app, client, am, registry_no=4403)
    response = client.post("/api/v1/sales/customer", headers=am, json={
        "title": "重复", "industry": "education", "area_id": area(app), "credit": "good", "registry_no": 4403})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"registry_no": ["Another record already has this value."]}
    page = client.post("/sales/customer/new", data={
        "title": "重复", "industry": "education", "area_id": area(app), "credit": "good", "registry_no": "4403"})
    assert page.status_code == 400 and "Another record already has this value." in page.get_data(as_text=True)
    with app.app_context():
        from modules.sales.models import Customer
        assert [c.title for c in db.session.scalars(select(Customer))] == ["深圳大学"]  # nothing half-saved
    assert stored(app, first["id"]) == ("", None, False)


@with_plugin
def test_the_partners_migration_matches_its_models(app):
    with app.app_context():
        assert migrate.differences(app) == []


@with_plugin
def test_api_timestamps_carry_their_offset_and_a_bad_choice_names_only_real_ones(app, client, am):
    customer = create_customer(app, client, am)
    assert customer["created_at"].endswith("+00:00") and customer["updated_at"].endswith("+00:00")
    bad = client.patch(f"/api/v1/sales/customer/{customer['id']}", headers=am,
                       json={"version": customer["version"], "sector": "moon"})
    assert bad.get_json()["fields"]["sector"] == ["Choose one of: smart_city, campus, datacenter."]
