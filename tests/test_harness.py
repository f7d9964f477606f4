"""Core's pytest plugin (core.testing) as a module's tests use it: the markers, the document
factory, the API client, the `erp` runner, and a database migrated only for the modules in use."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select

from core.audit.models import AuditEntry
from core.documents.service import ValidationFailed
from core.extensions import db
from core.testing import TestDatabase
from tests.plugins.needs_sales import MANIFEST as NEEDS_SALES

ROOT = Path(__file__).resolve().parents[1]
BASE = "workshop/request"


def request_body(**overrides):
    return {"title": "接口创建", "supplier": "供应商", "amount": "1500.00",
            "lines": [{"item": "网线", "qty": 3, "price": "10.00"}], **overrides}


@pytest.mark.modules("hello")
def test_modules_marker_runs_only_the_modules_named(app):
    assert app.extensions["erp"].enabled == ["hello"]


@pytest.mark.manifests(NEEDS_SALES)
@pytest.mark.modules("needs_sales")
def test_modules_marker_adds_what_the_modules_need_and_manifests_adds_a_module_not_installed(app):
    assert app.extensions["erp"].enabled == ["sales", "needs_sales"]


@pytest.mark.modules("no_such_module")
def test_modules_marker_naming_a_module_not_installed_fails_in_a_sentence(request):
    with pytest.raises(Exception, match="ERP_MODULES names modules that are not installed: no_such_module"):
        request.getfixturevalue("app")


@pytest.mark.workshop
def test_make_document_fills_required_fields_numbers_and_audits(app, make_document):
    doc_id = make_document("workshop.specimen", points=3)
    model = app.extensions["erp"].doctypes["workshop.specimen"].model
    with app.app_context():
        doc = db.session.get(model, doc_id)
        assert doc.number.startswith("SP-") and doc.state == "draft" and doc.version == 1
        assert (doc.site, doc.shift, doc.points, doc.title) == ("Test site", "day", 3, "Test title")
        assert doc.owner.username == "doc_author" and doc.created_by_id == doc.owner_id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "workshop_specimen"))
        assert (entry.action, entry.record_id, entry.user_id) == ("insert", str(doc_id), doc.owner_id)


@pytest.mark.workshop
def test_make_document_with_lines_for_an_owner(app, make_document, make_user, client):
    owner = make_user("ann", "ROLE-MKT-AM")
    doc_id = make_document("workshop.request", owner=owner, title="交换机", amount=1200,
                           lines=[{"item": "S5735", "qty": 2}])
    from tests.conftest import sign_in_as
    sign_in_as(client, "ann")
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert "交换机" in page and "S5735" in page and "QR-" in page


@pytest.mark.workshop
def test_make_document_refused_by_the_guards_saves_nothing(app, make_document, make_user):
    outsider = make_user("outsider", "ROLE-FIN")  # not an ROLE-ENG-PE: no inspector
    with pytest.raises(ValidationFailed) as refused:
        make_document("workshop.specimen", inspector_id=outsider)
    assert list(refused.value.fields) == ["inspector_id"]
    model = app.extensions["erp"].doctypes["workshop.specimen"].model
    with app.app_context():
        assert db.session.scalar(select(model)) is None
    with pytest.raises(LookupError, match="no document type 'workshop.nothing' in this app"):
        make_document("workshop.nothing")


def test_make_document_makes_the_documents_a_required_reference_needs(app, make_document):
    with pytest.raises(LookupError, match="sales.customer: 'area' is required and offers no record to choose "
                                          "yet: create one and pass area_id=its id"):
        make_document("sales.customer")
    from modules.sales.models import Area, Opportunity
    with app.app_context():
        db.session.add(Area(code="SZ", name="深圳片区"))
        db.session.commit()
    opportunity_id = make_document("sales.opportunity", est_amount=5000)
    with app.app_context():
        opportunity = db.session.get(Opportunity, opportunity_id)
        assert opportunity.customer.title.startswith("Test title ") and opportunity.customer.number
        assert opportunity.est_amount == 5000 and opportunity.customer.owner_id == opportunity.owner_id


@pytest.mark.workshop
def test_api_client_sends_the_token_and_json(api_client, client):
    api = api_client("ROLE-MKT-MGR")
    created = api.post(BASE, json=request_body())
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert api.get(created.headers["Location"]).get_json()["title"] == "接口创建"
    changed = api.put(f"{BASE}/{doc['id']}", json={**request_body(title="改名"), "version": 1})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    assert api_client("ROLE-FIN").post(BASE, json=request_body()).status_code == 403
    assert client.post("/api/v1/" + BASE, json=request_body()).status_code == 401  # no token


def test_runner_runs_erp_commands(runner):
    result = runner.invoke(["hello", "count"])
    assert result.exit_code == 0 and result.output.strip() == "0"
    result = runner.invoke(["modules", "list"])
    assert result.exit_code == 0 and "hello" in result.output


def test_a_run_migrates_only_the_modules_in_use(tmp_path):
    database = TestDatabase(f"sqlite:///{tmp_path / 'run.sqlite3'}", {})
    database.upgrade([])
    database.prepare({"ERP_MODULES": ["hello"]})
    engine = create_engine(database.url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            heads = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    assert {"user", "hello_greeting"} <= tables
    assert not any(t.startswith("sales_") for t in tables)
    assert len(heads) == 2 and database.migrated == {"core", "hello"}


@pytest.mark.slow
def test_a_partner_suite_gets_the_fixtures_and_markers_without_warnings(tmp_path):
    """A module's own tests, outside core's checkout, with only the plugin's entry point."""
    (tmp_path / "test_partner.py").write_text(textwrap.dedent('''
        import pytest

        @pytest.mark.modules("hello")
        def test_page_and_api(app, client, login_as, api_client, runner):
            assert client.get("/hello/").status_code == 302  # to the sign-in page
            login_as("ROLE-GM")
            assert client.get("/hello/").status_code == 200
            assert api_client("ROLE-GM").get("inbox").status_code == 200
            assert runner.invoke(["hello", "count"]).output.strip() == "0"
    '''))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers",
                             "-W", "error::pytest.PytestUnknownMarkWarning", "-rw"],
                            cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and "warning" not in result.stdout.lower()
