"""The fixtures every test stands on: an app built once per configuration for the whole run, each
test starting from the freshly seeded database whatever the test before it did, and a quick loop
(`pytest -m "not slow"`) that leaves the slow tests out."""
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from core.auth.models import Role, RolePermission
from core.extensions import db
from core.hookspecs import hookimpl
from core.org.models import Department

ROOT = Path(__file__).resolve().parents[1]


def every_row(app) -> dict:
    with app.app_context():
        conn = db.session.connection()
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        rows = {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in tables}
        db.session.rollback()
    return rows


def test_each_configuration_builds_its_app_once(app, seeded_app):
    assert seeded_app() is app
    sales_only = seeded_app(ERP_MODULES=["sales"])
    assert sales_only is not app and sales_only.extensions["erp"].enabled == ["sales"]
    assert seeded_app(ERP_MODULES=["sales"]) is sales_only


def test_a_test_starts_from_the_seeded_database_whatever_the_last_one_did(app, seeded_app, make_user):
    seeded = every_row(app)
    first_user = make_user("ann", "ROLE-ADMIN")
    with app.app_context():  # change and remove seeded rows too
        db.session.scalar(select(Department).where(Department.code == "MKT")).name = "改名"
        db.session.delete(db.session.scalars(select(RolePermission)).first())
        db.session.add(Role(code="ROLE-EXTRA", name="额外"))
        db.session.commit()
    assert every_row(app) != seeded
    assert seeded_app() is app  # what the next test of this configuration gets
    assert every_row(app) == seeded
    assert make_user("bob", "ROLE-ADMIN") == first_user  # ids start again as on a fresh database


def test_the_shared_app_forgets_what_a_test_cached_and_changed(app, client, login_as, seeded_app, seeded_apps):
    login_as("ROLE-ADMIN")
    assert client.get("/").status_code == 200
    erp = app.extensions["erp"]
    assert erp.caches.access and len(erp.caches.menus) and len(erp.caches.fragments)  # access, menus, pages

    class Extra:
        @hookimpl
        def erp_permissions(self):
            return []
    erp.pm.register(Extra(), name="added_by_this_test")
    page_size = app.config["ERP_PAGE_SIZE"]
    app.config["ERP_PAGE_SIZE"] = 2
    seeded_apps.tidy(app)  # what the end of a test does
    assert app.config["ERP_PAGE_SIZE"] == page_size and erp.pm.get_plugin("added_by_this_test") is None
    assert seeded_app() is app  # what the start of the next one does
    assert not erp.caches.access and not len(erp.caches.menus) and not len(erp.caches.fragments)


@pytest.mark.own_app
def test_a_test_that_changes_its_app_gets_one_of_its_own(app, seeded_app):
    app.add_url_rule("/only-here", "only_here", lambda: "here")
    assert app.test_client().get("/only-here").data == b"here"
    assert seeded_app() is not app
    assert seeded_app().test_client().get("/only-here").status_code == 404


@pytest.mark.slow
def test_the_quick_loop_leaves_out_the_slow_tests():
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
                             "-m", "not slow", "tests/core/test_api_fuzz.py", "tests/core/test_demo_serves.py",
                             "tests/core/test_several_servers.py", "tests/core/test_workflow.py", "tests/e2e"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    quick = [line for line in result.stdout.splitlines() if "::" in line]
    assert any("test_workflow.py" in test for test in quick)
    for slow in ("test_api_fuzz.py", "test_demo_serves.py", "test_several_servers.py", "tests/e2e/",
                 "test_two_approvers_at_the_same_instant"):
        assert not any(slow in test for test in quick), slow
