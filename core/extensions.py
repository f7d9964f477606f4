"""Flask extensions, unbound; create_app binds them."""
import re
from functools import cached_property

from flask import current_app
from flask_babel import Babel, Domain
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Every SQLite connection: write-ahead log, and fsync at checkpoints rather than per commit.

    In WAL mode a commit appends to the log; synchronous=NORMAL skips the fsync of each commit
    (the log is synced when it is checkpointed), SQLite's recommended setting for WAL: the database
    stays consistent after a crash or power loss, which may at worst lose the last commits. A
    commit then costs no disk flush (~1 ms a commit on the development machine), and
    readers no longer block the writer nor the writer the readers. Other databases are untouched.
    """
    import sqlite3
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        try:
            mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.OperationalError:  # a read-only file still in rollback-journal mode
            return
        if mode and str(mode[0]).lower() == "wal":  # not for in-memory databases ("memory")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()


class _AppDomain(Domain):
    """Flask-Babel's domain with its catalogs cached per app, not per process: each app merges the
    catalogs of its own enabled modules (a test run builds apps with different modules)."""

    def get_translations_cache(self, ctx):
        return current_app.extensions.setdefault("erp_translations", {})


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return _AppDomain(domain=self.domain)


babel = _Babel()


def commit_reads(app) -> None:
    """End a request whose transaction only read with COMMIT rather than Flask-SQLAlchemy's
    ROLLBACK. Both end a read-only transaction alike, but psycopg forgets its prepared statements
    on every ROLLBACK: committed, a page's statements are prepared once per connection instead of
    planned on every request (a tenth of a PostgreSQL list page). A transaction that ran anything
    but SELECTs (ORM flushes, Core or textual writes) is rolled back as before."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _forget_writes)
        event.listen(engine, "rollback", _forget_writes)

    @app.teardown_appcontext  # runs before Flask-SQLAlchemy's, registered earlier, removes the session
    def _commit_reads(exc):
        session = db.session()
        if exc is not None or not session.in_transaction():
            return
        connection = session.connection()
        if not connection.info.get("erp_wrote"):
            try:
                connection.connection.dbapi_connection.commit()
            except connection.dialect.loaded_dbapi.Error:
                pass  # a transaction that failed: the rollback that follows ends it


_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE).match


def _note_write(conn, cursor, statement, parameters, context, executemany):
    if not _READ(statement):
        conn.info["erp_wrote"] = True


def _forget_writes(conn):
    conn.info.pop("erp_wrote", None)
