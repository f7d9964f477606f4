"""Automatic audit of every ORM insert, update and delete, in the same transaction.

Changes are collected at each flush (merged per record) and written just before the commit, so a
transaction's entries are one batch and a rolled-back change leaves none.

Models opt out with ``__audit__ = False`` and hide fields with ``__audit_redact__``. Entries are
hash-chained: hash = sha256(prev_hash + canonical JSON of the entry), so an altered, removed or
re-ordered row breaks the chain that ``erp audit verify`` walks.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event, inspect, insert, select, text
from sqlalchemy.orm import Mapper, Session

from ..extensions import db
from .models import AuditEntry

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


def entry_hash(prev_hash: str, row: dict) -> str:
    payload = json.dumps(
        [row["ts"].astimezone(timezone.utc).isoformat() if row["ts"].tzinfo else row["ts"].isoformat(),
         row["user_id"], row["actor"], row["ip"], row["request_id"], row["action"],
         row["model"], row["record_id"], row["changes"]],
        ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _context() -> dict:
    """Who and where: the signed-in user in a request, the OS user from the CLI."""
    ctx = {"user_id": None, "actor": "", "ip": "", "request_id": ""}
    if has_request_context():
        from flask_login import current_user
        user = getattr(g, "_login_user", None) or (current_user if current_user else None)
        if user is not None and getattr(user, "is_authenticated", False):
            ctx["user_id"], ctx["actor"] = user.id, user.username
        ctx["ip"] = request.remote_addr or ""
        ctx["request_id"] = g.get("request_id", "")
    else:
        ctx["actor"] = g.get("audit_actor", "") if has_app_context() else ""
        if not ctx["actor"]:
            try:
                ctx["actor"] = "cli:" + getpass.getuser()
            except Exception:
                ctx["actor"] = "system"
    if has_app_context() and g.get("audit_user") is not None:
        ctx["user_id"], ctx["actor"] = g.audit_user.id, g.audit_user.username
    return ctx


def _audited(obj) -> bool:
    return getattr(type(obj), "__audit__", True) and hasattr(type(obj), "__table__")


def _pk(obj) -> str:
    # The identity key is not assigned yet inside after_flush; the primary key columns are.
    state = inspect(obj)
    keys = _pk_keys.get(state.mapper)
    if keys is None:
        keys = _pk_keys[state.mapper] = [state.mapper.get_property_by_column(c).key
                                         for c in state.mapper.primary_key]
    values = [state.dict[k] if k in state.dict else getattr(obj, k, None) for k in keys]
    return ",".join("" if v is None else str(v) for v in values)


_pk_keys: dict = {}       # mapper -> attribute names of its primary key columns
_m2m: dict = {}           # mapper -> its many-to-many relationships (most have none)


def _snapshot(obj, only_changed: bool):
    state = inspect(obj)
    redact = getattr(type(obj), "__audit_redact__", ())
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if only_changed:
            hist = state.attrs[key].history  # (not needed for a full snapshot: it is not cheap)
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
        else:
            changes[key] = REDACTED if key in redact else _jsonable(getattr(obj, key, None))
    return changes


def _collection_changes(obj) -> dict:
    """Many-to-many changes (e.g. a user's roles) shown as added/removed members."""
    state = inspect(obj)
    out = {}
    rels = _m2m.get(state.mapper)
    if rels is None:
        rels = _m2m[state.mapper] = [r for r in state.mapper.relationships
                                     if r.secondary is not None and not r.viewonly]
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
        changes = {k: v for k, v in _snapshot(obj, only_changed=False).items() if v is not None}
        changes.update({k: v["added"] for k, v in _collection_changes(obj).items()})
        found.append(("insert", obj.__tablename__, _pk(obj), changes))
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


def _after_rollback(session):
    for key in ("audit_changes", "audit_events", "audit_rows", "audit_new", "audit_deleted"):
        session.info.pop(key, None)


def _write(session, entries):
    if has_app_context() and not current_app.config.get("ERP_AUDIT", True):
        return  # benchmarks measure the audit's cost by switching it off
    ctx = _context()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # One writer at a time extends the chain; held until this transaction ends.
        conn.execute(text("SELECT pg_advisory_xact_lock(7311)"))
    prev = conn.execute(select(_table.c.hash).order_by(_table.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    now = datetime.now(timezone.utc)
    values = []
    for action, model, record_id, changes in entries:
        row = {"ts": now, **ctx, "action": action, "model": model, "record_id": record_id,
               "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)}
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(prev, row)
        values.append(row)
    conn.execute(insert(_table), values)
    if has_app_context() and "erp" in current_app.extensions:
        hook = current_app.extensions["erp"].pm.hook.erp_audit_recorded
        for row in values:
            hook(entry=row)


class AuditTamperError(Exception):
    pass


def verify(session, batch: int = 5000) -> tuple[int, AuditEntry | None, str]:
    """Walk the chain; return (entries checked, first bad entry or None, reason).

    Reads plain rows (no ORM objects: several times faster on a long log); only a bad entry is
    loaded as an AuditEntry for the caller."""
    prev, last_id, checked = GENESIS, 0, 0
    fields = ("ts", "user_id", "actor", "ip", "request_id", "action", "model", "record_id", "changes")
    columns = [_table.c.id, _table.c.prev_hash, _table.c.hash] + [_table.c[f] for f in fields]
    while True:
        rows = session.execute(
            select(*columns).where(_table.c.id > last_id).order_by(_table.c.id).limit(batch)).all()
        if not rows:
            return checked, None, ""
        for entry in rows:
            row = dict(zip(fields, entry[3:]))
            if row["ts"].tzinfo is None:
                row["ts"] = row["ts"].replace(tzinfo=timezone.utc)
            if entry.prev_hash != prev:
                return checked, session.get(AuditEntry, entry.id), \
                    "does not follow the entry before it (a row was removed or re-ordered)"
            if entry_hash(prev, row) != entry.hash:
                return checked, session.get(AuditEntry, entry.id), \
                    "content does not match its hash (the row was altered)"
            prev, last_id = entry.hash, entry.id
            checked += 1


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
        event.listen(getattr(cls, attr.key), "set", _noop, active_history=True)


def _noop(target, value, oldvalue, initiator):
    return value


def install():
    """Attach the listeners once per process (they read the app from the context)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
        event.listen(Mapper, "mapper_configured", _keep_old_values)
        event.listen(Mapper, "after_delete", _after_delete)
    for mapper in db.Model.registry.mappers:
        if mapper.configured:  # the others get the mapper_configured event later
            _keep_old_values(mapper)


def new_request_id() -> str:
    return request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
