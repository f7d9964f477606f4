"""Fixtures in the style of Flask's tutorial: app, client, runner, login_as.

The database is migrated once per run (real Alembic migrations) into a fresh SQLite file, or a
fresh PostgreSQL schema when ERP_TEST_DATABASE_URL is set; every test then starts from empty
tables with the reference data seeded. The app of each configuration (module set, test plugins,
overridden settings) is built once per run and seeded once; see SeededApps.
"""
import gc
import os
import tempfile
import uuid
from typing import NamedTuple

import pytest
from sqlalchemy import MetaData, create_engine, inspect, select, text

from core import create_app
from core.extensions import db

PG_URL = os.environ.get("ERP_TEST_DATABASE_URL")
# Keys, demo passwords and SQLite files that apps (and the servers tests start) write go to a
# folder of this run, never into the checkout's instance/ folder.
os.environ.setdefault("ERP_INSTANCE_PATH", tempfile.mkdtemp(prefix="erp-instance-"))
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


class Snapshot(NamedTuple):
    """Seeded rows copied aside in the database."""
    namespace: str       # a schema (PostgreSQL) or a table-name prefix in the attached file (SQLite)
    tables: list         # the tables copied
    sequences: dict      # each id sequence's value


class SeededApp(NamedTuple):
    app: object
    snapshot: Snapshot
    config: dict         # its configuration, put back after each test
    plugins: dict        # its plugins by name, put back after each test


class SeededApps:
    """Apps built once per configuration for the whole run, and the seeded rows their tests start from.

    Building an app and seeding its reference data cost about 0.15 s on SQLite and 0.4 s on
    PostgreSQL, paid again by every test. Here the first test of a configuration builds and seeds
    its app, and the seeded rows are copied aside in the database itself (a schema of their own on
    PostgreSQL, an attached file on SQLite); every later test of that configuration empties the
    tables that hold rows, copies the seeded ones back and restarts the id sequences (~20 ms on
    either database). A transaction rolled back after each test would not do: the code under test
    commits, writes on connections of its own (API token use, the sign-in throttle), locks rows,
    and some tests drive several threads, processes or servers against the database.

    A shared app must not carry one test's traces into the next: its caches are emptied before
    each test, and its configuration and plugins are put back after it. A test that changes the app
    in other ways (a route of its own...) is marked `own_app` and gets an app of its own.
    """

    def __init__(self, database):
        url, options = database
        self.database = database
        self.engine = create_engine(url, **options)
        self.connection = self.engine.connect()
        self.postgresql = self.connection.dialect.name == "postgresql"
        metadata = MetaData()
        metadata.reflect(self.connection)
        self.tables = [t.name for t in metadata.sorted_tables if t.name != "alembic_version"]
        self.sequences = self._sequences()
        self.connection.commit()
        self.apps: dict[tuple, SeededApp] = {}  # by configuration

    def app(self, **extra):
        """The app for this configuration, its database back to the seeded state."""
        key = _config_key(extra)
        if key not in self.apps:
            self.restore(None)
            app = create_app(base_config(self.database, **extra))
            with app.app_context():
                from core.seed import seed_all
                seed_all()
            gc.collect()  # the app lives for the whole run: keep it out of the collector's scans
            gc.freeze()
            self.apps[key] = SeededApp(app, self._snapshot(f"seed{len(self.apps)}"), dict(app.config),
                                       dict(app.extensions["erp"].pm.list_name_plugin()))
        else:
            self.restore(self.apps[key].snapshot)
        app = self.apps[key].app
        erp = app.extensions["erp"]
        erp.caches.clear()
        return app

    def tidy(self, app) -> None:
        """Undo what a test did to a shared app: its configuration and the plugins it registered."""
        config, plugins = next((e.config, e.plugins) for e in self.apps.values() if e.app is app)
        with app.app_context():
            db.session.remove()
        if app.config != config:
            app.config.clear()
            app.config.update(config)
        pm = app.extensions["erp"].pm
        for name, plugin in pm.list_name_plugin():
            if name not in plugins:
                pm.unregister(plugin, name)

    def _quoted(self, snapshot: str, table: str) -> str:
        if self.postgresql:
            return f'"{snapshot}"."{table}"'
        return f'"seeds"."{snapshot}__{table}"'  # SQLite attaches at most 10 files: one holds them all

    def _snapshot(self, name: str) -> Snapshot:
        """Copy the tables that hold rows aside."""
        conn = self.connection
        if self.postgresql:
            name = f"{conn.execute(text('SELECT current_schema()')).scalar()}_{name}"
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        elif not self.apps:
            folder = os.path.dirname(self.engine.url.database)
            conn.commit()  # SQLite attaches outside a transaction
            conn.exec_driver_sql(f"ATTACH DATABASE '{folder}/seeds.sqlite3' AS \"seeds\"")
        copied = self._filled()
        for table in copied:
            conn.execute(text(f'CREATE TABLE {self._quoted(name, table)} AS SELECT * FROM "{table}"'))
        values = {sequence: conn.execute(text(f'SELECT max("{column}") FROM "{table}"')).scalar()
                  for sequence, (table, column) in self.sequences.items()}
        conn.commit()
        return Snapshot(name, copied, values)

    def restore(self, snapshot: Snapshot | None) -> None:
        """Empty the tables that hold rows, then copy `snapshot` back (None: leave them empty)."""
        name, copied, values = snapshot or Snapshot(None, [], {})
        conn = self.connection
        with conn.begin():
            filled = set(self._filled())
            for table in reversed(self.tables):  # referring tables first, for PostgreSQL's foreign keys
                if table in filled:
                    conn.execute(text(f'DELETE FROM "{table}"'))
            for table in copied:
                conn.execute(text(f'INSERT INTO "{table}" SELECT * FROM {self._quoted(name, table)}'))
            if self.sequences:  # the next ids are the ones a freshly seeded database gives
                conn.execute(text("SELECT " + ", ".join(
                    f"setval('{sequence}', {values.get(sequence) or 1}, {values.get(sequence) is not None})"
                    for sequence in self.sequences)))

    def _filled(self) -> list[str]:
        """The tables holding rows, in the order of self.tables."""
        found = set(self.connection.execute(text(" UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in self.tables))).scalars())
        return [t for t in self.tables if t in found]

    def _sequences(self) -> dict[str, tuple[str, str]]:
        """PostgreSQL: each sequence of a column of the schema -> (table, column)."""
        if not self.postgresql:
            return {}
        rows = self.connection.execute(text(
            "SELECT s.relname, t.relname, a.attname FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
            "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
            "WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"))
        return {f'"{sequence}"': (table, column) for sequence, table, column in rows}

    def close(self) -> None:
        for app, snapshot, _, _ in self.apps.values():
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if self.postgresql:
                self.connection.execute(text(f'DROP SCHEMA "{snapshot.namespace}" CASCADE'))
        self.connection.commit()
        self.connection.close()
        self.engine.dispose()


def _config_key(extra: dict):
    """A hashable key for configuration overrides (lists, sets and dicts of manifests included)."""
    def frozen(value):
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        if isinstance(value, (list, tuple, set, frozenset)):
            return tuple(frozen(v) for v in value)
        hash(value)  # a TypeError names what cannot be part of a key
        return value
    return frozen(extra)


@pytest.fixture(scope="session")
def seeded_apps(database):
    apps = SeededApps(database)
    yield apps
    apps.close()


@pytest.fixture
def seeded_app(seeded_apps):
    """The app built for the given configuration overrides in this run, its database back to the
    reference data freshly seeded; what the test changes in the app is undone after it."""
    used = []

    def factory(**extra):
        app = seeded_apps.app(**extra)
        used.append(app)
        return app
    yield factory
    for app in used:
        seeded_apps.tidy(app)


@pytest.fixture
def make_app(database):
    """Build a new app against the test database; keyword arguments override the configuration."""
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


def app_config(request) -> dict:
    """The configuration overrides a test asks for: indirect parameters and markers."""
    extra = dict(getattr(request, "param", {}) or {})
    marker = request.node.get_closest_marker("modules")
    if marker is not None:
        extra["ERP_MODULES"] = list(marker.args)
    if request.node.get_closest_marker("workshop") is not None:
        extra["ERP_MANIFESTS"] = with_workshop()
    return extra


@pytest.fixture
def app(request, seeded_app, make_app):
    extra = app_config(request)
    app = seeded_app(**extra)
    if request.node.get_closest_marker("own_app") is not None:
        app = make_app(**extra)  # built on the seeded state restored just above
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
