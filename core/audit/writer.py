"""How a transaction's audit entries reach the database: one writer per kind of connection.

Extending the chain is two steps: read the head under a lock (one writer at a time), insert the
entries hashed onto it. ``PlainWriter`` does both through SQLAlchemy Core and works on any
database. ``DriverWriter`` sends the same statements to SQLite's sqlite3 or PostgreSQL's psycopg
directly: per form save they cost less than SQLAlchemy's execution around them (a quarter of a
millisecond on PostgreSQL; see bench/README.md). Its values are bound with SQLAlchemy's own bind
processors, so the stored rows are the same either way, and driver errors are raised as
SQLAlchemy's exceptions; SQLAlchemy's cursor events and echo do not show its statements.

``ERP_AUDIT_WRITER`` chooses: ``fast`` (the default: the driver's writer where there is one) or
``plain`` (always SQLAlchemy). The test suite runs the write path with both.
"""
from __future__ import annotations

import weakref
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import String, insert, select, text
from sqlalchemy.exc import DBAPIError

from .models import AuditEntry

_table = AuditEntry.__table__
class Shared(NamedTuple):
    """The columns every entry of a transaction has in common."""
    ts: object
    user_id: int | None
    actor: str
    ip: str
    request_id: str


class Row(NamedTuple):
    """One entry's own columns, hashed onto the entry before it."""
    action: str
    model: str
    record_id: str
    changes: str
    prev_hash: str
    hash: str


COLUMNS = Shared._fields + Row._fields
SHARED = len(Shared._fields)

_HEAD = select(_table.c.hash).order_by(_table.c.id.desc()).limit(1)
_INSERT = insert(_table)
HEAD_SQL = f"SELECT hash FROM {_table.name} ORDER BY id DESC LIMIT 1"
# PostgreSQL: one writer at a time extends the chain, so the advisory lock (held until the
# transaction ends) comes before reading the head. Sent as one query string of two statements
# (one round trip): each statement of a simple query takes its own snapshot (READ COMMITTED),
# so the SELECT sees the entries committed by the writer the lock waited for. One SELECT cannot
# do both: its snapshot would predate the lock.
PG_LOCK = "SELECT pg_advisory_xact_lock(7311)"
PG_LOCK_AND_HEAD = PG_LOCK + "; " + HEAD_SQL
_VALUES_ROWS = 32  # psycopg: up to this many entries in one multi-row VALUES statement
# PostgreSQL with psycopg: a form save's entries take one round trip instead of two (lock and
# head, then the insert; each also costs ~0.1 ms of psycopg's own CPU). They are hashed onto a
# guessed head, the last hash this process wrote through the engine, and sent in one pipeline:
# the lock; the insert, guarded by "the head is still the guess"; the head. Each statement of a
# pipeline takes its own snapshot, after the lock, as in PG_LOCK_AND_HEAD. If another writer
# extended the chain since (another process, a rolled-back transaction), the guard inserts
# nothing and the entries are hashed again onto the head read in that pipeline, still under the
# lock: two round trips, as without the guess. The guard, not the guess, keeps the chain.
_GUARDED_INSERT = (f"INSERT INTO {_table.name} ({', '.join(COLUMNS)}) SELECT * FROM (VALUES {{}}) AS entries "
                   f"WHERE ({HEAD_SQL}) = %s")


class PlainWriter:
    """Through SQLAlchemy Core, on any database SQLAlchemy supports."""

    def guess(self, conn, count: int) -> str | None:
        """A head to hash onto before reading it (None: read it first)."""
        return None

    def head(self, conn) -> str | None:
        """The chain's head, read under the write lock (None: the chain is empty)."""
        if conn.dialect.name == "postgresql":
            conn.execute(text(PG_LOCK))
        elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # an event-only transaction: see DriverWriter.head
        return conn.execute(_HEAD).scalar()

    def insert(self, conn, shared: Shared, rows: list[Row]) -> None:
        """Insert the entries: `shared` are the first SHARED columns, each row the others."""
        conn.execute(_INSERT, [dict(zip(COLUMNS, shared + row)) for row in rows])

    def insert_onto(self, conn, shared: Shared, rows: list[Row], guess: str) -> tuple[bool, str | None]:
        raise NotImplementedError  # only writers that guess

    def remember(self, conn, digest: str) -> None:
        """The head this process just wrote (a later guess)."""


class DriverWriter(PlainWriter):
    """The same statements through the driver's own cursor (sqlite3 with "?", psycopg with "%s")."""

    def __init__(self, dialect, placeholder: str, pipeline: bool):
        self.dialect, self.placeholder, self.pipeline = dialect, placeholder, pipeline
        self.processors = tuple(_table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in COLUMNS)
        self._guarded: dict[int, str] = {}  # number of entries -> the guarded INSERT for them
        self._heads = weakref.WeakKeyDictionary()  # engine -> the last hash this process wrote there

    def guess(self, conn, count: int) -> str | None:
        if not self.pipeline or count > _VALUES_ROWS:
            return None
        return self._heads.get(conn.engine)

    def remember(self, conn, digest: str) -> None:
        if self.pipeline:
            self._heads[conn.engine] = digest

    def head(self, conn) -> str | None:
        with _cursor(conn) as (dbapi, cursor):
            if conn.dialect.name == "postgresql":
                cursor.execute(PG_LOCK_AND_HEAD)
                cursor.nextset()
            else:
                # SQLite has one writer at a time, and a transaction that changed rows already
                # is it. One that only records events (a sign-in) has not begun in the database
                # yet (the driver begins at the first write): take the write lock before reading
                # the head, or another writer could extend the chain between this read and the
                # insert.
                if not dbapi.in_transaction:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(HEAD_SQL)
            row = cursor.fetchone()
        return row[0] if row else None

    def _bind(self, shared: Shared, rows: list[Row]):
        processors = self.processors
        shared = tuple(p(v) if p else v for p, v in zip(processors, shared))
        own = processors[SHARED:]
        if any(own):
            rows = [tuple(p(v) if p else v for p, v in zip(own, row)) for row in rows]
        return shared, rows

    def _guarded_insert(self, count: int) -> str:
        sql = self._guarded.get(count)
        if sql is None:
            # A VALUES list in a sub-select types its columns by itself (an all-NULL user_id
            # would be text): the columns that are not strings get their type.
            one = "(" + ", ".join("%s" if isinstance(_table.c[c].type, String)
                                  else f"CAST(%s AS {_table.c[c].type.compile(dialect=self.dialect)})"
                                  for c in COLUMNS) + ")"
            sql = self._guarded[count] = _GUARDED_INSERT.format(", ".join([one] * count))
        return sql

    def insert_onto(self, conn, shared: Shared, rows: list[Row], guess: str) -> tuple[bool, str | None]:
        """PostgreSQL (psycopg): the lock, and the entries hashed onto `guess` inserted if the
        head is still `guess`, in one round trip. (True, _) if they were, else (False, the head
        to hash them onto)."""
        shared, bound = self._bind(shared, rows)
        params = tuple(v for row in bound for v in shared + row) + (guess,)
        with _cursor(conn) as (dbapi, cursor), dbapi.cursor() as head:
            with dbapi.pipeline():
                cursor.execute(PG_LOCK)
                cursor.execute(self._guarded_insert(len(rows)), params)
                head.execute(HEAD_SQL)
            if cursor.rowcount == len(rows):
                return True, None
            row = head.fetchone()
        return False, row[0] if row else None

    def insert(self, conn, shared: Shared, rows: list[Row]) -> None:
        shared, rows = self._bind(shared, rows)
        sql = f"INSERT INTO {_table.name} ({', '.join(COLUMNS)}) VALUES "
        one = "(" + ", ".join([self.placeholder] * len(COLUMNS)) + ")"
        with _cursor(conn) as (dbapi, cursor):
            if self.placeholder == "?":
                cursor.executemany(sql + one, [shared + row for row in rows])
            elif len(rows) <= _VALUES_ROWS:
                # psycopg: a transaction's few entries in one statement, one round trip (its
                # executemany pipelines a statement per row).
                cursor.execute(sql + ", ".join([one] * len(rows)), tuple(v for row in rows for v in shared + row))
            else:  # an import's batch: COPY, in order (the ids follow the rows)
                with cursor.copy(f"COPY {_table.name} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(shared + row)


@contextmanager
def _cursor(conn):
    dbapi = conn.connection.dbapi_connection
    cursor = dbapi.cursor()
    try:
        yield dbapi, cursor
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(None, None, exc, conn.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


_PLAIN = PlainWriter()
_writers: dict = {}  # (dialect class, driver, paramstyle) -> the DriverWriter for it, or the plain one


def writer_for(conn, kind: str = "fast") -> PlainWriter:
    """The writer for this connection: its driver's where there is one (unless `kind` is "plain")."""
    if kind == "plain":
        return _PLAIN
    dialect = conn.dialect
    key = (type(dialect), dialect.driver, dialect.paramstyle)
    writer = _writers.get(key)
    if writer is None:
        writer = _PLAIN
        if (dialect.name, dialect.driver, dialect.paramstyle) == ("sqlite", "pysqlite", "qmark"):
            writer = DriverWriter(dialect, "?", False)
        elif dialect.name == "postgresql" and dialect.driver == "psycopg":
            writer = DriverWriter(dialect, "%s", dialect.loaded_dbapi.Pipeline.is_supported())  # libpq 14+
        _writers[key] = writer
    return writer
