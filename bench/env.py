"""Databases and apps for the benchmarks: a temp SQLite file or a fresh PostgreSQL schema."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-key"
PASSWORD = "bench-password-1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Database:
    kind: str                      # sqlite | postgresql
    url: str
    schema: str | None = None
    folder: str | None = None
    options: dict = field(default_factory=dict)

    def env(self) -> dict:
        """Environment for the gunicorn workers (bench.wsgi reads it)."""
        return {"BENCH_DB_URL": self.url, "BENCH_DB_SCHEMA": self.schema or "",
                "BENCH_MODULES": "all" if MODULES["names"] is None else ",".join(MODULES["names"])}

    def drop(self):
        if self.kind == "postgresql":
            admin = create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            admin.dispose()
        elif self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def engine_options(schema: str | None) -> dict:
    options = {"pool_pre_ping": True}
    if schema:
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return options


def create_database(kind: str) -> Database:
    if kind == "postgresql":
        schema = f"erp_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        return Database(kind, PG_URL, schema=schema, options=engine_options(schema))
    folder = tempfile.mkdtemp(prefix="erp-bench-")
    return Database(kind, f"sqlite:///{folder}/bench.sqlite3", folder=folder, options=engine_options(None))


def database_from_env() -> Database:
    url, schema = os.environ["BENCH_DB_URL"], os.environ.get("BENCH_DB_SCHEMA") or None
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    return Database(kind, url, schema=schema, options=engine_options(schema))


# Which modules the benchmark apps enable: None = every installed module (the full menu), or a
# list such as ["bench"] (core + the benchmark module). Set once by bench.run (--modules), passed
# to the gunicorn workers as BENCH_MODULES.
MODULES = {"names": None if os.environ.get("BENCH_MODULES", "all") == "all"
           else os.environ["BENCH_MODULES"].split(",")}


def manifests() -> dict:
    """Installed modules plus the benchmark's own module (bench/orders)."""
    from core import plugins
    from bench.orders import MANIFEST
    return {**plugins.discover(), "bench": MANIFEST}


def config(database: Database, **extra) -> dict:
    """A production-like configuration (CSRF on, Chinese pages, audit on); only what a benchmark
    cannot do without differs: a fixed secret shared by the workers, plain-HTTP cookies, fast
    password hashing for the benchmark's own users."""
    cfg = {
        "SQLALCHEMY_DATABASE_URI": database.url,
        "SQLALCHEMY_ENGINE_OPTIONS": database.options,
        "SECRET_KEY": SECRET,
        "ERP_AUDIT_KEY": SECRET,
        "ERP_MODULES": None if MODULES["names"] is None else list(MODULES["names"]),
        "ERP_MANIFESTS": manifests(),
        "ERP_PASSWORD_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }
    cfg.update(extra)
    return cfg


def make_app(database: Database, **extra):
    from core import create_app
    return create_app(config(database, **extra))


def migrate(database: Database) -> None:
    """core.migrate.upgrade, then the benchmark module's tables with metadata.create_all."""
    from core import migrate as core_migrate
    from core.extensions import db
    app = make_app(database)
    with app.app_context():
        core_migrate.upgrade(app)
        tables = [m.__table__ for m in app.extensions["erp"].models["bench"]]
        db.metadata.create_all(db.engine, tables=tables)
        db.session.remove()
        db.engine.dispose()
