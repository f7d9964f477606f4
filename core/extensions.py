"""Flask extensions, unbound; create_app binds them."""
from flask_babel import Babel
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
babel = Babel()
