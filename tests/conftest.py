"""Fixtures in the style of Flask's tutorial: app, client, runner, login_as.

The database is migrated once per run (real Alembic migrations) into a fresh SQLite file, or a
fresh PostgreSQL schema when ERP_TEST_DATABASE_URL is set; every test then starts from empty
tables with the reference data seeded.
"""
import os
import tempfile
import uuid

import pytest
from sqlalchemy import create_engine, inspect, select, text

from core import create_app
from core.extensions import db

PG_URL = os.environ.get("ERP_TEST_DATABASE_URL")
PASSWORD = "correct-horse-battery"


def _engine_options(schema):
    options = {"pool_pre_ping": True}
    if schema:
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return options


@pytest.fixture(scope="session")
def database():
    """(url, engine options) of a database migrated for this run only."""
    if PG_URL:
        schema = f"erp_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        info = (PG_URL, _engine_options(schema))
    else:
        folder = tempfile.mkdtemp(prefix="erp-test-")
        info = (f"sqlite:///{folder}/test.sqlite3", _engine_options(None))
    app = create_app(base_config(info))
    with app.app_context():
        from core import migrate
        migrate.upgrade(app)
        db.engine.dispose()
    # The test-only document type has no migrations of its own: create its tables directly.
    docs_app = create_app(base_config(info, ERP_MANIFESTS=with_workshop()))
    with docs_app.app_context():
        tables = [m.__table__ for m in docs_app.extensions["erp"].models["workshop"]]
        db.metadata.create_all(db.engine, tables=tables)
        db.engine.dispose()
    yield info
    if PG_URL:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def with_workshop():
    """Installed modules plus the test plugin declaring a document type (tests/plugins/workshop)."""
    from core import plugins
    from tests.plugins.workshop import MANIFEST
    return {**plugins.discover(), "workshop": MANIFEST}


def base_config(database, **extra):
    url, options = database
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ERP_AUDIT_KEY": "test-audit-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": options,
        "ERP_MODULES": None,
        "ERP_PASSWORD_METHOD": "pbkdf2:sha256:1000",  # fast hashing; production uses scrypt
        "ERP_LANGUAGE": "en",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(extra)
    return config


def reset_database(url, options):
    engine = create_engine(url, **options)
    with engine.begin() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
    engine.dispose()


@pytest.fixture
def make_app(database):
    """Build an app against the test database; keyword arguments override the configuration."""
    apps = []

    def factory(**extra):
        app = create_app(base_config(database, **extra))
        apps.append(app)
        return app
    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(request, database, make_app):
    reset_database(*database)
    marker = request.node.get_closest_marker("modules")
    extra = dict(getattr(request, "param", {}) or {})
    if marker is not None:
        extra["ERP_MODULES"] = list(marker.args)
    if request.node.get_closest_marker("workshop") is not None:
        extra["ERP_MANIFESTS"] = with_workshop()
    app = make_app(**extra)
    with app.app_context():
        from core.seed import seed_all
        seed_all()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create an active user holding the given role codes."""
    def factory(username, *roles, password=PASSWORD, **fields):
        from core.seed import create_user
        with app.app_context():
            user = create_user(username, password, roles, fields.pop("full_name", username))
            for k, v in fields.items():
                setattr(user, k, v)
            db.session.commit()
            return user.id
    return factory


def department_id(app, code: str) -> int:
    """The id of a seeded department (MKT, ENG...)."""
    from core.org.models import Department
    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.code == code))


def sign_in_as(client, username: str, password: str = PASSWORD):
    """Sign out, then in through the login form as an existing user."""
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def login_as(client, make_user):
    """Sign in through the real login form as a new user holding `roles`; returns the user id."""
    def login(*roles, username=None):
        username = username or ("u_" + "_".join(r.lower().replace("-", "_") for r in roles) or "u_none")
        user_id = make_user(username, *roles)
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id
    return login
