"""Queries and writes shared by the web views, the JSON API, exports and imports."""
from __future__ import annotations

from datetime import datetime, time, timezone
from functools import lru_cache

from flask import abort
from sqlalchemy import String, and_, cast, func, inspect, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import operators

from ..auth.models import User
from ..extensions import db
from ..workflow.models import ApprovalTask
from . import numbering


class ValidationFailed(Exception):
    """Field errors ({field: [messages]}) and form-level errors; nothing was saved."""

    def __init__(self, fields: dict, errors: list | None = None):
        self.fields, self.errors = fields, errors or []
        super().__init__(str(fields or errors))


def visible(doctype, user, stmt=None):
    """Restrict a select to the rows `user` may see; compiled into the SQL, never filtered later."""
    M = doctype.model
    stmt = select(M) if stmt is None else stmt
    if user.can(doctype.permission("read_all")):
        return stmt
    conditions = []
    if user.can(doctype.permission("read")):
        conditions.append(M.owner_id == user.id)
    if user.can(doctype.permission("read_department")) and user.department_id:
        conditions.append(M.department_id == user.department_id)
    if doctype.visibility is not None:
        extra = doctype.visibility(user)
        if extra is not None:
            conditions.append(extra)
    # Approvers see what they are asked to approve (and approved before): a correlated EXISTS,
    # last so that it runs only for rows the cheap conditions above did not admit, and each run is
    # one probe of ix_approval_task_doc. Not "id IN (the user's tasks)": for a manager with tens
    # of thousands of tasks that built (PostgreSQL: hashed) and sorted (SQLite) the whole id set
    # on every page. doc_id is matched as a range on purpose: PostgreSQL turns an equality into
    # that same hashed set, and SQLite then probes the user's tasks instead of the document's.
    conditions.append(select(ApprovalTask.id).where(
        ApprovalTask.doctype == doctype.code, ApprovalTask.doc_id >= M.id, ApprovalTask.doc_id <= M.id,
        ApprovalTask.user_id == user.id).exists())
    return stmt.where(or_(*conditions))


def can_open_list(doctype, user) -> bool:
    return any(user.can(doctype.permission(a)) for a in ("read", "read_department", "read_all"))


def get_visible(doctype, user, doc_id: int):
    M = doctype.model
    doc = db.session.scalar(visible(doctype, user).where(M.id == doc_id))
    if doc is None:
        abort(404)  # not "forbidden": the existence of other people's records is not revealed
    return doc


def _date_bound(value: str, end: bool):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)


def sortable(doctype) -> dict:
    M = doctype.model
    names = ["number", "title", "state", "created_at", "updated_at"] + [c.name for c in doctype.columns if c.sortable]
    return {n: getattr(M, n) for n in names if n in M.__table__.columns}


def filtered(doctype, user, args):
    """The visible rows matching the request's search and filters (no order, no limit)."""
    M = doctype.model
    stmt = visible(doctype, user, select(M.id))
    q = (args.get("q") or "").strip()
    if q:
        prefix = doctype.number_prefix.upper()
        if prefix and q.upper().startswith(prefix + "-"):
            # Number search uses the unique index (a range, so any collation can use it).
            stmt = stmt.where(M.number >= q.upper(), M.number < q.upper() + "\uffff")
        else:
            like = f"%{q}%"
            fields = [M.title, M.number] + [getattr(M, f) for f in doctype.search]
            stmt = stmt.where(or_(*[cast(f, String).ilike(like) for f in fields]))
    states = [s for s in args.getlist("state") if s] if hasattr(args, "getlist") else []
    if states:
        stmt = stmt.where(M.state.in_(states))
    owner = args.get("owner")
    if owner == "me":
        stmt = stmt.where(M.owner_id == user.id)
    elif owner and owner.isdecimal() and 0 < int(owner) < 2**31:
        stmt = stmt.where(M.owner_id == int(owner))
    if args.get("from") and (d := _date_bound(args["from"], False)):
        stmt = stmt.where(M.created_at >= d)
    if args.get("to") and (d := _date_bound(args["to"], True)):
        stmt = stmt.where(M.created_at <= d)
    return stmt


def ordering(doctype, args):
    M = doctype.model
    key = args.get("sort") or "-id"
    desc = key.startswith("-")
    column = sortable(doctype).get(key.lstrip("-"), M.id)
    if column is M.id:
        return [M.id.desc() if desc else M.id.asc()], key
    return ([column.desc(), M.id.desc()] if desc else [column.asc(), M.id.asc()]), key


def _cursor(args):
    """("after" | "before", id) from the request: the row the page starts after / ends before."""
    for name in ("after", "before"):
        raw = str(args.get(name, ""))
        if raw.isdecimal() and 0 < int(raw) < 2**31:
            return name, int(raw)
    return None, None


def _keyset(doctype, user, args, direction: str, anchor: int):
    """The condition selecting the rows after (or before) the anchor row in the list's order,
    or None when it cannot be used (a nullable sort column, an anchor the user cannot see)."""
    M = doctype.model
    key = args.get("sort") or "-id"
    desc = key.startswith("-")
    column = sortable(doctype).get(key.lstrip("-"), M.id)
    forward = desc if direction == "after" else not desc  # True: towards smaller values
    if column is M.id:
        return M.id < anchor if forward else M.id > anchor
    if column.nullable is not False:  # NULLs sort differently on SQLite and PostgreSQL
        return None
    value = db.session.scalar(visible(doctype, user, select(column)).where(M.id == anchor))
    if value is None:
        return None
    if forward:
        return or_(column < value, and_(column == value, M.id < anchor))
    return or_(column > value, and_(column == value, M.id > anchor))


def page(doctype, user, args, size: int, fields=None):
    """One page of rows with their owners, in one query; a typed deep page in two (see below).

    No count(*) of the whole table: the page fetches size + 1 rows to know if there is a next one.
    Previous/next links carry the row they continue from (?after=id / ?before=id, with the page
    number for display): such a page is as fast as page 1 however deep it is; a bare ?page=N (a
    typed URL, the API) skips rows with OFFSET, over the ids only (a deferred join).

    `fields` (a list page's columns): when each is a column of the table, the rows are plain
    tuples of them (with id, number, title, state, created_at and owner_name) rather than
    documents, which cost twice as much to load; else, and without `fields`, documents.
    """
    M = doctype.model
    raw = str(args.get("page", "1"))
    number = min(max(int(raw), 1), 100_000) if raw.isdecimal() else 1
    order, sort_key = ordering(doctype, args)
    stmt = filtered(doctype, user, args)
    direction, anchor = _cursor(args)
    condition = _keyset(doctype, user, args, direction, anchor) if direction else None
    backwards = condition is not None and direction == "before"
    if backwards:  # the rows just before the anchor: reverse order, then flip them back
        order = [o.element.asc() if o.modifier is operators.desc_op else o.element.desc() for o in order]
    load = _loader(doctype, fields)
    if condition is None and number > 1:
        ids = db.session.scalars(stmt.order_by(*order).limit(size + 1).offset((number - 1) * size)).all()
        by_id = {r.id: r for r in load(select(M.id).where(M.id.in_(ids)))} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        rows = list(load((stmt if condition is None else stmt.where(condition)).order_by(*order).limit(size + 1)))
    has_next = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        number = max(number, 2) if has_next else 1  # nothing before these rows: the first page
        has_next = True  # the anchor's page follows
    return rows, number, has_next, sort_key


LIST_FIELDS = ("id", "number", "title", "state", "created_at")


def _loader(doctype, fields):
    """select of ids -> the rows: documents with their owners, or plain rows of `fields`."""
    M = doctype.model
    plain = _plain_row(M, tuple(dict.fromkeys(LIST_FIELDS + tuple(fields)))) if fields is not None else None
    if plain is None:
        return lambda stmt: db.session.scalars(stmt.with_only_columns(M).options(joinedload(M.owner)))
    columns, owner = plain
    return lambda stmt: db.session.execute(stmt.with_only_columns(*columns).outerjoin(User, owner))


@lru_cache(maxsize=256)
def _plain_row(model, names: tuple):
    """(columns, owner join) of a list's plain rows; None if a name is not a column of the table."""
    if not set(names) <= set(inspect(model).column_attrs.keys()):
        return None
    owner_name = func.coalesce(func.nullif(User.full_name, ""), User.username).label("owner_name")
    return [getattr(model, name) for name in names] + [owner_name], User.id == model.owner_id


def rows_for_export(doctype, user, args, limit: int):
    M = doctype.model
    order, _ = ordering(doctype, args)
    ids = filtered(doctype, user, args)
    stmt = select(M).where(M.id.in_(ids)).order_by(*order).limit(limit).options(joinedload(M.owner))
    return db.session.execute(stmt.execution_options(yield_per=1000)).scalars()


def new_document(doctype, user):
    M = doctype.model
    doc = M()
    doc.state = doctype.workflow.initial if doctype.workflow else "draft"
    doc.owner_id = user.id
    doc.department_id = user.department_id
    return doc


def assign_number(doctype, doc):
    assign_numbers(doctype, [doc])


def assign_numbers(doctype, docs):
    """Number the documents that have no number yet, in order, with one counter update (the
    type's sequence is created on first use)."""
    docs = [d for d in docs if not d.number]
    if docs:
        numbers = numbering.next_numbers(doctype.code, len(docs), reset=doctype.number_reset,
                                         prefix=doctype.number_prefix or doctype.slug.upper()[:4])
        for doc, number in zip(docs, numbers):
            doc.number = number


def before_save(doctype, doc):
    """The type's own save step (totals, linked records); raises ValidationFailed to refuse."""
    if doctype.before_save is not None:
        doctype.before_save(doc)


def can_edit(doctype, user, doc) -> bool:
    if not user.can(doctype.permission("edit")):
        return False
    if doc.owner_id != user.id and not user.can(doctype.permission("read_all")):
        return False
    wf = doctype.workflow
    return wf is None or doc.state in wf.editable_states


def set_lines(doctype, doc, rows: list[dict]):
    """Update lines in place by position (so the audit shows field changes), add or drop the rest."""
    spec = doctype.lines
    collection = getattr(doc, spec.attribute)  # read once (an import sets lines on thousands)
    existing = list(collection)
    for i, values in enumerate(rows):
        line = existing[i] if i < len(existing) else spec.model()
        for k, v in values.items():
            setattr(line, k, v)
        if i >= len(existing):
            collection.append(line)
    for line in existing[len(rows):]:
        collection.remove(line)
