"""Alembic: one branch per module, and migrations that match the models."""
import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from core import create_app, migrate
from core.extensions import db


def test_migrations_match_models(app):
    """The "migrations match models" check: the migrated test database equals the models."""
    assert {"sales", "engineering", "procurement", "hr_appraisal", "hello"} <= set(app.extensions["erp"].enabled)
    with app.app_context():
        assert migrate.differences(app) == []


def fresh_app(tmp_path, **extra):
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "SECRET_KEY": "test",
              "ERP_AUDIT_KEY": "test",
              "ERP_LANGUAGE": "en", "ERP_MODULES": None, **extra}
    return create_app(config)


def test_differences_reports_what_migrations_lack(tmp_path):
    """The check can fail: a model table missing from the database, or an extra column, is reported."""
    app = fresh_app(tmp_path)
    with app.app_context():
        migrate.upgrade(app)
        assert migrate.differences(app) == []
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE hello_greeting"))
            conn.execute(sa.text("ALTER TABLE module_state ADD COLUMN stray INTEGER"))
        diffs = migrate.differences(app)
        db.engine.dispose()
    kinds = {(d[0], d[1].name) for d in diffs if d[0] == "add_table"}
    kinds |= {(d[0], d[3].name) for d in diffs if d[0] == "remove_column"}
    assert kinds == {("add_table", "hello_greeting"), ("remove_column", "stray")}
    assert len(diffs) == 2


@pytest.mark.modules("sales")
def test_tables_of_modules_left_out_are_not_differences(app, database):
    database.upgrade(["hello"])  # hello's table is in the database; hello does not run
    with app.app_context():
        assert "hello_greeting" in inspect(db.engine).get_table_names()
        assert migrate.differences(app) == []


def test_alembic_config_lists_every_module_with_migrations(app):
    cfg = migrate.alembic_config(app)
    assert cfg.get_main_option("path_separator") == "os"
    locations = cfg.get_main_option("version_locations").split(os.pathsep)
    expected = [migrate.CORE_MIGRATIONS / "versions"] + [
        m.migrations_path for m in app.extensions["erp"].manifests.values() if m.migrations_path.is_dir()]
    known = [Path(p) for name, p in app.config["ERP_KNOWN_MIGRATIONS"].items()
             if name not in app.extensions["erp"].manifests]  # test plugins other tests migrated
    assert [Path(p) for p in locations] == expected + known
    assert len(set(locations)) == len(locations)
    assert Path(locations[0]) == Path(migrate.__file__).parent / "migrations" / "versions"
    hello = app.extensions["erp"].manifests["hello"]
    assert str(hello.migrations_path) in locations
    assert hello.migrations_path.name == "versions" and hello.migrations_path.parent.parent.name == "erp_hello"


def test_alembic_heads_are_labelled_core_and_hello(app):
    cfg = migrate.alembic_config(app)
    script = ScriptDirectory.from_config(cfg)
    heads = {rev: script.get_revision(rev) for rev in script.get_heads()}
    labels = {label for revision in heads.values() for label in revision.branch_labels}
    assert {"core", "hello"} <= labels
    assert script.get_revision("core@head").revision in heads
    assert script.get_revision("hello@head").revision in heads
    assert script.get_revision("hello@head").revision != script.get_revision("core@head").revision

    cfg.stdout = io.StringIO()
    command.heads(cfg)  # what `alembic heads` prints
    out = cfg.stdout.getvalue()
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == len(heads)
    assert any("(core)" in line and "(head)" in line for line in lines)
    assert any("(hello)" in line and "(head)" in line for line in lines)


def test_test_database_is_at_the_heads(app):
    script = ScriptDirectory.from_config(migrate.alembic_config(app))
    with app.app_context(), db.engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == set(script.get_heads())


def test_upgrade_follows_the_enabled_modules(tmp_path):
    """A fresh database gets core's branch, then each enabled module's; hello's table waits until it runs."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    def tables():
        engine = create_engine(url)
        try:
            return set(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    sales_only = fresh_app(tmp_path, ERP_MODULES=["sales"])
    with sales_only.app_context():
        assert migrate.upgrade(sales_only) == ["core", "sales"]
        assert migrate.differences(sales_only) == []
        db.engine.dispose()
    assert {"user", "role", "audit_entry", "module_state"} <= tables()
    assert "hello_greeting" not in tables()

    everything = fresh_app(tmp_path)
    erp = everything.extensions["erp"]
    # Every enabled module with migrations of its own, whichever others are installed.
    branches = ["core"] + [m for m in erp.enabled if erp.manifests[m].migrations_path.is_dir()]
    assert {"sales", "hello", "engineering", "hr_appraisal"} <= set(branches)
    with everything.app_context():
        assert migrate.upgrade(everything) == branches
        assert migrate.differences(everything) == []
        assert migrate.upgrade(everything) == branches  # running again is harmless
        db.engine.dispose()
    assert "hello_greeting" in tables()
