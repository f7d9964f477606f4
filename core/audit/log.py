"""Automatic audit of every ORM insert, update and delete, in the same transaction.

Changes are collected at each flush (merged per record) and written just before the commit, so a
transaction's entries are one batch and a rolled-back change leaves none.

Models opt out with ``__audit__ = False`` and hide fields with ``__audit_redact__``. Entries are
chained under a key kept outside the database (ERP_AUDIT_KEY): hash = HMAC-SHA256(key, prev_hash +
canonical JSON of the entry), so an altered, removed or re-ordered row breaks the chain that
``erp audit verify`` walks, and without the key nobody can write a chain that verifies. Rows
removed from the end leave a shorter chain that still verifies: a signed checkpoint of the head
kept elsewhere (``erp audit checkpoint``, see checkpoint.py) detects that.
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import uuid
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import bindparam, event, inspect, insert, select
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import instance_state

from ..extensions import db
from .models import AuditEntry
from .writer import COLUMNS, Row, Shared, writer_for

GENESIS = "0" * 64
REDACTED = "***"
_table = AuditEntry.__table__


_PLAIN = frozenset((str, int, float, bool, type(None)))


def _jsonable(value):
    if type(value) in _PLAIN:  # the common case first (exact types; subclasses go the long way)
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# The encoders json.dumps would build on every call with these options (same output).
_hash_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_changes_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def chain_key() -> str:
    """The key the chain is signed with: the app's ERP_AUDIT_KEY (never stored in the database)."""
    return current_app.config["ERP_AUDIT_KEY"]


def keyed(key: str):
    """An HMAC-SHA256 under `key` with nothing fed yet, copied per message: the keying is done
    once per key, not per entry."""
    mac = _macs.get(key)
    if mac is None:
        mac = _macs[key] = hmac.new(key.encode(), digestmod=hashlib.sha256)
    return mac


_macs: dict = {}  # key -> keyed(key)


def _utc_iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).isoformat() if ts.tzinfo else ts.isoformat()


def _payload(row: dict) -> str:
    return _hash_json([_utc_iso(row["ts"]), row["user_id"], row["actor"], row["ip"], row["request_id"],
                       row["action"], row["model"], row["record_id"], row["changes"]])


def entry_hash(prev_hash: str, row: dict, key: str | None = None) -> str:
    """The entry's link: HMAC-SHA256 under `key` (default: the app's) of the hash before it and
    the entry's content."""
    mac = keyed(key or chain_key()).copy()
    mac.update((prev_hash + _payload(row)).encode())
    return mac.hexdigest()


def unkeyed_entry_hash(prev_hash: str, row: dict) -> str:
    """The link of entries written before the chain had a key (plain SHA-256, anyone can compute
    it); only resign_unkeyed reads it."""
    return hashlib.sha256((prev_hash + _payload(row)).encode()).hexdigest()


def _hasher(row: dict, key: str):
    """entry_hash for entries sharing row's time and context (a transaction's): the common head
    of the payload is encoded once. Same result as entry_hash."""
    head = _hash_json([_utc_iso(row["ts"]), row["user_id"], row["actor"], row["ip"],
                       row["request_id"]])[:-1] + ","
    mac = keyed(key)

    def hash_of(prev_hash: str, action, model, record_id, changes) -> str:
        entry = mac.copy()
        entry.update((prev_hash + head + _hash_json([action, model, record_id, changes])[1:]).encode())
        return entry.hexdigest()
    return hash_of


def _context() -> dict:
    """Who and where: the signed-in user in a request, the OS user from the CLI; g.audit_user
    (a job acting for someone) takes precedence over both."""
    ctx = {"user_id": None, "actor": "", "ip": "", "request_id": ""}
    acting = g.get("audit_user") if has_app_context() else None
    if has_request_context():
        if acting is None:
            from flask_login import current_user
            user = getattr(g, "_login_user", None) or (current_user if current_user else None)
            if user is not None and getattr(user, "is_authenticated", False):
                ctx["user_id"], ctx["actor"] = user.id, user.username
        ctx["ip"] = request.remote_addr or ""
        ctx["request_id"] = g.get("request_id", "")
    elif acting is None:
        ctx["actor"] = g.get("audit_actor", "") if has_app_context() else ""
        if not ctx["actor"]:
            try:
                ctx["actor"] = "cli:" + getpass.getuser()
            except Exception:
                ctx["actor"] = "system"
    if acting is not None:
        ctx["user_id"], ctx["actor"] = acting.id, acting.username
    return ctx


def _audited(obj) -> bool:
    cls = type(obj)
    audited = _audited_classes.get(cls)
    if audited is None:
        audited = _audited_classes[cls] = bool(getattr(cls, "__audit__", True) and hasattr(cls, "__table__"))
    return audited


_audited_classes: dict = {}  # class -> whether its changes are audited


def _pk(obj, state=None) -> str:
    # The identity key is not assigned yet inside after_flush; the primary key columns are.
    state = instance_state(obj) if state is None else state
    keys = _pk_keys.get(state.mapper)
    if keys is None:
        keys = _pk_keys[state.mapper] = [state.mapper.get_property_by_column(c).key
                                         for c in state.mapper.primary_key]
    values = [state.dict[k] if k in state.dict else getattr(obj, k, None) for k in keys]
    return ",".join("" if v is None else str(v) for v in values)


_pk_keys: dict = {}       # mapper -> attribute names of its primary key columns
_m2m: dict = {}           # mapper -> its many-to-many relationships (most have none)
_columns: dict = {}       # mapper -> attribute names of its columns, in the mapper's order


def _column_keys(mapper) -> tuple:
    keys = _columns.get(mapper)
    if keys is None:
        keys = _columns[mapper] = tuple(attr.key for attr in mapper.column_attrs)
    return keys


def _snapshot(obj, only_changed: bool, state=None):
    state = instance_state(obj) if state is None else state
    redact = getattr(type(obj), "__audit_redact__", ())
    keys = _column_keys(state.mapper)
    if not only_changed:  # loaded values straight from the instance's dict (no history: not cheap)
        values = state.dict
        return {key: REDACTED if key in redact else
                _jsonable(values[key] if key in values else getattr(obj, key, None)) for key in keys}
    changes = {}
    modified = state.committed_state  # a column without an entry here has no history to show
    for key in keys:
        if key in modified:
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            if key in redact:
                changes[key] = [REDACTED, REDACTED]
            else:
                changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _inserted(obj, state) -> dict:
    """A new row's values, without the empty (None) ones: _snapshot(obj, False) minus the Nones,
    in one pass (an import inserts tens of thousands of rows)."""
    redact = getattr(type(obj), "__audit_redact__", ())
    values = state.dict
    out = {}
    for key in _column_keys(state.mapper):
        if key in redact:
            out[key] = REDACTED
            continue
        value = values[key] if key in values else getattr(obj, key, None)
        if value is not None:
            out[key] = value if type(value) in _PLAIN else _jsonable(value)
    return out


def _collection_changes(obj, state=None) -> dict:
    """Many-to-many changes (e.g. a user's roles) shown as added/removed members."""
    state = instance_state(obj) if state is None else state
    out = {}
    rels = _m2m.get(state.mapper)
    if rels is None:
        rels = _m2m[state.mapper] = [r for r in state.mapper.relationships
                                     if r.secondary is not None and not r.viewonly]
    if not rels:
        return out
    for rel in rels:
        hist = state.attrs[rel.key].history
        if hist.added or hist.deleted:
            out[rel.key] = {"added": [str(x) for x in hist.added],
                            "removed": [str(x) for x in hist.deleted]}
    return out


def record(session: Session, action: str, model: str = "", record_id="", changes: dict | None = None):
    """Add an event entry (sign-in, transition, export) to the session's transaction."""
    session.info.setdefault("audit_events", []).append(
        (action, model, str(record_id or ""), changes or {}))


def record_now(action: str, model: str = "", record_id="", changes: dict | None = None):
    """Write an event entry and commit (for events outside any business change, like sign-in)."""
    record(db.session, action, model, record_id, changes)
    db.session.commit()


def _before_flush(session, flush_context, instances):
    pending = session.info.setdefault("audit_rows", [])
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=True):
            changes = _snapshot(obj, only_changed=True)
            changes.update(_collection_changes(obj))
            if changes:
                pending.append(("update", obj, changes))
    for obj in session.deleted:
        if _audited(obj):
            pending.append(("delete", obj, _snapshot(obj, only_changed=False)))
            session.info.setdefault("audit_deleted", set()).add(id(obj))
    session.info["audit_new"] = [o for o in session.new if _audited(o)]


def _after_flush(session, flush_context):
    """Collect row changes; several flushes of one transaction merge into one entry per record."""
    pending = session.info.setdefault("audit_changes", {})
    found = []
    for obj in session.info.pop("audit_new", []):
        state = instance_state(obj)
        changes = _inserted(obj, state)
        changes.update({k: v["added"] for k, v in _collection_changes(obj, state).items()})
        found.append(("insert", obj.__tablename__, _pk(obj, state), changes))
    for action, obj, changes in session.info.pop("audit_rows", []):
        found.append((action, obj.__tablename__, _pk(obj), changes))
    session.info.pop("audit_deleted", None)
    for action, model, record_id, changes in found:
        key = (model, record_id)
        earlier = pending.get(key)
        if earlier is None or action == "delete":
            pending[key] = (action if earlier is None or earlier[0] != "insert" or action == "delete" else "insert",
                            changes)
        elif earlier[0] == "insert":
            merged = dict(earlier[1])
            for field, value in changes.items():
                merged[field] = value[1] if isinstance(value, list) and len(value) == 2 else value
            pending[key] = ("insert", merged)
        else:
            merged = dict(earlier[1])
            for field, value in changes.items():
                if field in merged and isinstance(value, list) and len(value) == 2:
                    merged[field] = [merged[field][0], value[1]]
                else:
                    merged[field] = value
            pending[key] = ("update", merged)


def _after_delete(mapper, connection, target):
    """Rows deleted during the flush itself (delete-orphan lines) never reach session.deleted."""
    session = inspect(target).session
    if session is None or not _audited(target) or id(target) in session.info.get("audit_deleted", ()):
        return
    state = inspect(target)
    redact = getattr(type(target), "__audit_redact__", ())
    loaded = {attr.key: (REDACTED if attr.key in redact else _jsonable(state.dict[attr.key]))
              for attr in state.mapper.column_attrs if attr.key in state.dict}
    session.info.setdefault("audit_rows", []).append(("delete", target, loaded))


def _before_commit(session):
    if session.dirty or session.new or session.deleted:
        session.flush()
    changes = session.info.pop("audit_changes", {})
    events = session.info.pop("audit_events", [])
    entries = [(action, model, record_id, diff) for (model, record_id), (action, diff) in changes.items()]
    entries.extend(events)
    if entries:
        _write(session, entries)


def _after_rollback(session, previous=None):
    """A rollback drops what its transaction collected. A savepoint's (begin_nested) gives back
    what was collected before it began: those changes are still in the transaction."""
    for key in ("audit_rows", "audit_new", "audit_deleted"):  # one flush's own, half done
        session.info.pop(key, None)
    boundary = previous  # the transaction rolled back in the database: the root or a savepoint
    while boundary is not None and not boundary.nested and boundary.parent is not None:
        boundary = boundary.parent
    if boundary is None or not boundary.nested:
        session.info.pop("audit_changes", None)
        session.info.pop("audit_events", None)
        return
    saved = session.info.get("audit_savepoints")
    kept = saved.pop(boundary, None) if saved is not None else None
    if kept is not None:  # (a savepoint is reported once per transaction object ended with it)
        session.info["audit_changes"], session.info["audit_events"] = kept


def _after_transaction_create(session, transaction):
    if transaction.nested:  # what to give back if this savepoint is rolled back
        saved = session.info.get("audit_savepoints")
        if saved is None:
            saved = session.info["audit_savepoints"] = weakref.WeakKeyDictionary()
        saved[transaction] = (dict(session.info.get("audit_changes", {})),
                              list(session.info.get("audit_events", [])))


def _write(session, entries):
    if has_app_context() and not current_app.config.get("ERP_AUDIT", True):
        return  # benchmarks measure the audit's cost by switching it off
    ctx = _context()
    ctx["ts"] = datetime.now(timezone.utc)
    shared = Shared(*(ctx[c] for c in Shared._fields))
    hash_of = _hasher(ctx, chain_key())
    entries = [(action, model, record_id, _changes_json(changes))
               for action, model, record_id, changes in entries]
    conn = session.connection()
    writer = writer_for(conn, current_app.config.get("ERP_AUDIT_WRITER", "fast") if has_app_context() else "fast")
    guess = writer.guess(conn, len(entries))
    inserted = False
    if guess is not None:
        rows = _chained(entries, hash_of, guess)
        inserted, head = writer.insert_onto(conn, shared, rows, guess)
    else:
        head = writer.head(conn)
    if not inserted:  # no guess, or the chain moved on since: onto the head read under the lock
        rows = _chained(entries, hash_of, head or GENESIS)
        writer.insert(conn, shared, rows)
    writer.remember(conn, rows[-1].hash)
    if has_app_context() and "erp" in current_app.extensions:
        hook = current_app.extensions["erp"].pm.hook.erp_audit_recorded
        if hook.get_hookimpls():
            for row in rows:
                hook(entry=dict(zip(COLUMNS, shared + row)))


def _chained(entries, hash_of, prev: str) -> list[Row]:
    """The rows of `entries` (changes as JSON) hashed one after the other onto `prev`."""
    rows = []
    for action, model, record_id, changes in entries:
        digest = hash_of(prev, action, model, record_id, changes)
        rows.append(Row(action, model, record_id, changes, prev, digest))
        prev = digest
    return rows


_FIELDS = COLUMNS[:-2]  # what an entry's hash covers


def _stored(executor, batch: int):
    """(id, prev_hash, hash, content) of every entry in order, read as plain rows in batches (no
    ORM objects: several times faster on a long log)."""
    columns = [_table.c.id, _table.c.prev_hash, _table.c.hash] + [_table.c[f] for f in _FIELDS]
    last_id = 0
    while True:
        rows = executor.execute(
            select(*columns).where(_table.c.id > last_id).order_by(_table.c.id).limit(batch)).all()
        if not rows:
            return
        for entry in rows:
            row = dict(zip(_FIELDS, entry[3:]))
            if row["ts"].tzinfo is None:  # SQLite gives back UTC without its zone
                row["ts"] = row["ts"].replace(tzinfo=timezone.utc)
            yield entry.id, entry.prev_hash, entry.hash, row
        last_id = rows[-1].id


@dataclass
class Verification:
    """What `verify` found: the intact part of the chain, and where it breaks."""
    checked: int = 0               # entries intact, from the first one
    head_id: int = 0               # the last intact entry (0: none)
    head_hash: str = GENESIS
    broken_at: int | None = None   # the altered entry, or the first removed one
    reason: str = ""
    entry: AuditEntry | None = None  # the entry at broken_at as stored (None: it is gone)

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def _break(self, entry_id: int, reason: str, session=None):
        self.broken_at, self.reason = entry_id, reason
        self.entry = session.get(AuditEntry, entry_id) if session is not None else None
        return self


def verify(session, checkpoint=None, batch: int = 5000) -> Verification:
    """Walk the chain from its start; with a checkpoint (checkpoint.Checkpoint), also check that
    the chain still holds the entry the checkpoint signed."""
    result = Verification()
    key = chain_key()
    anchored = None  # the hash stored at the checkpoint's entry
    for entry_id, prev_hash, digest, row in _stored(session, batch):
        if prev_hash != result.head_hash:
            if entry_id > result.head_id + 1:  # ids are not reused in the middle: the gap names it
                first, last = result.head_id + 1, entry_id - 1
                gone = f"entry #{first} was removed" if first == last else \
                    f"entries #{first} to #{last} were removed"
                return result._break(first, f"{gone} (entry #{entry_id} does not follow entry #{result.head_id})")
            return result._break(entry_id, f"does not follow entry #{result.head_id} (entries were re-ordered "
                                           "or renumbered)", session)
        if entry_hash(prev_hash, row, key) != digest:
            return result._break(entry_id, "content does not match its hash (the row was altered, or "
                                           "ERP_AUDIT_KEY is not the key the log was signed with)", session)
        if checkpoint is not None and entry_id == checkpoint.entry_id:
            anchored = digest
        result.head_id, result.head_hash = entry_id, digest
        result.checked += 1
    if checkpoint is None or checkpoint.entry_id == 0 or anchored == checkpoint.hash:
        return result
    if anchored is None and result.head_id < checkpoint.entry_id:
        return result._break(result.head_id + 1, f"entries were removed from the end: the checkpoint of "
                                                 f"{checkpoint.taken} holds entry #{checkpoint.entry_id}, the "
                                                 f"log now ends at entry #{result.head_id}")
    if anchored is None:
        return result._break(checkpoint.entry_id, f"entry #{checkpoint.entry_id}, held by the checkpoint of "
                                                  f"{checkpoint.taken}, is missing")
    return result._break(checkpoint.entry_id, f"is not the entry the checkpoint of {checkpoint.taken} signed: "
                                              "entries were removed from the end and others written in their "
                                              "place, or the log was rewritten with the key", session)


def resign_unkeyed(connection, key: str, batch: int = 5000) -> int:
    """Chain the entries written before the chain had a key (plain SHA-256) under `key`, once, at
    the upgrade that introduced it; returns how many there were.

    Their old chain is checked first and the outcome recorded in a last entry ("audit_keyed")
    of the new chain, so a break found in it stays on record instead of being signed over.
    Entries already keyed (written by servers running the new code before the upgrade) pass."""
    update_link = _table.update().where(_table.c.id == bindparam("entry_id")).values(
        prev_hash=bindparam("new_prev"), hash=bindparam("new_hash"))
    old_prev, new_prev, count, old_chain, pending = GENESIS, GENESIS, 0, "intact", []
    for entry_id, prev_hash, digest, row in _stored(connection, batch):
        if old_chain == "intact":
            if prev_hash != old_prev:
                old_chain = f"broken at entry #{entry_id}: it does not follow the entry before it"
            elif digest not in (unkeyed_entry_hash(prev_hash, row), entry_hash(prev_hash, row, key)):
                old_chain = f"broken at entry #{entry_id}: its content does not match its hash"
        old_prev = digest
        new_hash = entry_hash(new_prev, row, key)
        pending.append({"entry_id": entry_id, "new_prev": new_prev, "new_hash": new_hash})
        new_prev = new_hash
        count += 1
        if len(pending) == batch:
            connection.execute(update_link, pending)
            pending = []
    if pending:
        connection.execute(update_link, pending)
    if count:
        row = {"ts": datetime.now(timezone.utc), "user_id": None, "actor": "erp db upgrade", "ip": "",
               "request_id": "", "action": "audit_keyed", "model": "audit_entry", "record_id": "",
               "changes": _changes_json({"entries": count, "old_head": old_prev, "old_chain": old_chain})}
        connection.execute(insert(_table), [{**row, "prev_hash": new_prev, "hash": entry_hash(new_prev, row, key)}])
    return count


_with_old_values: set = set()


def _keep_old_values(mapper, cls=None):
    """Make column history load the old value when an expired attribute is set.

    Without it, editing a record after a commit would log the change as None -> new.
    """
    cls = mapper.class_
    if cls in _with_old_values or not getattr(cls, "__audit__", True):
        return
    _with_old_values.add(cls)
    for attr in mapper.column_attrs:
        instrumented = getattr(cls, attr.key)
        impl = getattr(instrumented, "impl", None)
        if impl is not None and isinstance(getattr(type(impl), "active_history", None), property):
            # What a "set" listener with active_history=True turns on, without the listener: it
            # ran for every attribute set (100,000 for an import of 5,000 documents) to do nothing.
            impl.active_history = True
        else:
            event.listen(instrumented, "set", _noop, active_history=True)


def _noop(target, value, oldvalue, initiator):
    return value


def install():
    """Attach the listeners once per process (they read the app from the context)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
        event.listen(Session, "after_transaction_create", _after_transaction_create)
        event.listen(Mapper, "mapper_configured", _keep_old_values)
        event.listen(Mapper, "after_delete", _after_delete)
    for mapper in db.Model.registry.mappers:
        if mapper.configured:  # the others get the mapper_configured event later
            _keep_old_values(mapper)


def new_request_id() -> str:
    return request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
