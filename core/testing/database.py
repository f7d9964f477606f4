"""The test database: created for one run, migrated module by module as the run's apps need them,
and put back to the seeded state before each test (SeededApps)."""
from __future__ import annotations

import functools
import gc
import os
import tempfile
import uuid
from typing import NamedTuple

from sqlalchemy import MetaData, create_engine, inspect, text

from core import create_app, plugins
from core.extensions import db

PG_URL_VARIABLE = "ERP_TEST_DATABASE_URL"


def engine_options(schema):
    options = {"pool_pre_ping": True}
    if schema:
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return options


def base_config(database, **extra):
    """The configuration of a test app on `database`; keyword arguments override it."""
    url, options = database[0], database[1]
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
        # Every app of the run resolves the revisions of the test plugins migrated in it.
        "ERP_KNOWN_MIGRATIONS": getattr(database, "known_migrations", {}),
    }
    config.update(extra)
    return config


@functools.cache
def installed_manifests() -> dict:
    """The modules installed in this environment (entry points), read once per run."""
    return plugins.discover()


def manifests_of(config: dict) -> dict:
    return config.get("ERP_MANIFESTS") or installed_manifests()


def modules_in_use(manifests: dict, allowed) -> list[str]:
    """The modules an app may run: those allowed (None: all) and what they need, in dependency
    order. Names that are not installed are left to create_app, which refuses them in a sentence."""
    wanted = set(manifests if allowed is None else [n for n in allowed if n in manifests])
    for name in list(wanted):
        try:
            wanted |= set(plugins.requirements(name, manifests))
        except plugins.ModuleError:
            pass  # a missing dependency: create_app says so
    return [n for n in plugins.dependency_order(manifests) if n in wanted]


def with_requirements(names: list[str], manifests: dict) -> list[str]:
    """`names`, then the modules they need that are not among them (names not installed are kept:
    create_app refuses them in a sentence)."""
    needed = [n for n in modules_in_use(manifests, names) if n not in names]
    return [*names, *needed]


class TestDatabase(tuple):
    """(url, engine options) of a database for this run only, and which modules are migrated in it.

    Core is migrated when the database is created; each module when the first app (or upgrade())
    needing it comes: real Alembic migrations, branch by branch. A module of a test manifest (not
    installed, passed to the app in ERP_MANIFESTS) that has no migrations gets its models' tables
    created directly; an installed module never does (its migrations are what production runs).
    """
    __test__ = False  # not a test class, whatever its name

    def __new__(cls, url: str, options: dict, schema: str | None = None):
        self = super().__new__(cls, (url, options))
        self.schema = schema
        self.migrated: set[str] = set()
        self.known_migrations: dict = {}  # test plugins' versions folders (ERP_KNOWN_MIGRATIONS), shared
        self.generation = 0  # counts the upgrades that added tables
        return self

    @property
    def url(self) -> str:
        return self[0]

    @property
    def options(self) -> dict:
        return self[1]

    @classmethod
    def create(cls) -> TestDatabase:
        """A fresh PostgreSQL schema (ERP_TEST_DATABASE_URL) or SQLite file, core migrated."""
        url = os.environ.get(PG_URL_VARIABLE)
        if url:
            schema = f"erp_test_{uuid.uuid4().hex[:10]}"
            admin = create_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            database = cls(url, engine_options(schema), schema)
        else:
            folder = tempfile.mkdtemp(prefix="erp-test-")
            database = cls(f"sqlite:///{folder}/test.sqlite3", engine_options(None))
        database.upgrade([], installed_manifests())
        return database

    def drop(self) -> None:
        if self.schema:
            admin = create_engine(self.url)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()

    def prepare(self, config: dict) -> None:
        """Migrate what an app of this configuration (overrides of base_config) runs."""
        manifests = manifests_of(config)
        self.upgrade(modules_in_use(manifests, config.get("ERP_MODULES")), manifests)

    def upgrade(self, modules: list[str], manifests: dict | None = None) -> None:
        """Migrate core and `modules` (in dependency order) unless done already in this run."""
        from alembic import command
        from alembic.script import ScriptDirectory

        from core import migrate
        manifests = manifests or installed_manifests()
        todo = [n for n in ["core", *modules] if n not in self.migrated]
        if not todo:
            return
        # An app running core alone applies the migrations: nothing of a module runs before its tables exist.
        app = create_app(base_config(self, ERP_MANIFESTS=manifests, ERP_MODULES=[]))
        created = []
        with app.app_context():
            cfg = migrate.alembic_config(app)
            script = ScriptDirectory.from_config(cfg)
            for name in todo:
                if name == "core" or _has_branch(script, name):
                    command.upgrade(cfg, f"{name}@head")
                    if name != "core" and not manifests[name].distribution:
                        # A test plugin's revisions, now recorded, must resolve in every app of the run.
                        self.known_migrations[name] = str(manifests[name].migrations_path)
                elif not manifests[name].distribution:
                    created.append(name)
            db.engine.dispose()
        if created:
            self._create_tables(created, manifests)
        self.migrated.update(todo)
        self.generation += 1

    def _create_tables(self, names: list[str], manifests: dict) -> None:
        """The tables of test modules without migrations, from their models."""
        app = create_app(base_config(self, ERP_MANIFESTS=manifests, ERP_MODULES=modules_in_use(manifests, names)))
        with app.app_context():
            tables = [m.__table__ for name in names for m in app.extensions["erp"].models.get(name, [])]
            db.metadata.create_all(db.engine, tables=tables)
            db.engine.dispose()


def _has_branch(script, label: str) -> bool:
    from alembic.util import CommandError
    try:
        script.get_revision(f"{label}@head")
        return True
    except CommandError:  # no revision carries the label
        return False


def reset_database(url, options, *_):
    """Empty every table but alembic_version (reference data included)."""
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

    def __init__(self, database: TestDatabase):
        self.database = database
        self.engine = create_engine(database.url, **database.options)
        self.connection = self.engine.connect()
        self.postgresql = self.connection.dialect.name == "postgresql"
        self.apps: dict[tuple, SeededApp] = {}  # by configuration
        self._reflect()

    def _reflect(self) -> None:
        """The tables and sequences of the database as migrated so far."""
        metadata = MetaData()
        metadata.reflect(self.connection)
        self.tables = [t.name for t in metadata.sorted_tables if t.name != "alembic_version"]
        self.sequences = self._sequences()
        self.connection.commit()
        self.generation = self.database.generation

    def app(self, **extra):
        """The app for this configuration, its database back to the seeded state."""
        key = _config_key(extra)
        if key not in self.apps:
            self.database.prepare(extra)
            if self.generation != self.database.generation:
                self._reflect()
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
            if self.generation != self.database.generation:  # another app migrated more tables
                self._reflect()
            self.restore(self.apps[key].snapshot)
        app = self.apps[key].app
        erp = app.extensions["erp"]
        erp.caches.clear()
        self._release_previous(app)
        return app

    def _release_previous(self, app) -> None:
        """On PostgreSQL, close the idle connections of the app the previous test used when this
        one uses another: a run builds dozens of apps, and their pools together (with a nested
        run's) would exceed the server's max_connections."""
        previous, self.current = getattr(self, "current", None), app
        if self.postgresql and previous is not None and previous is not app:
            with previous.app_context():
                db.session.remove()
                db.engine.dispose()

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
