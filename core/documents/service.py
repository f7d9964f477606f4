"""Queries and writes shared by the web views, the JSON API, exports and imports."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import (Boolean, Integer, String, and_, bindparam, case, cast, exists, false, func, inspect, or_,
                        select, type_coerce)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import joinedload

from .. import calendar_today
from ..auth.models import User
from ..errors import Refused
from ..extensions import db
from ..workflow.models import ApprovalTask
from . import numbering


class ValidationFailed(Exception):
    """Field errors ({field: [messages]}) and form-level errors; nothing was saved."""

    def __init__(self, fields: dict, errors: list | None = None):
        self.fields, self.errors = fields, errors or []
        super().__init__(str(fields or errors))


def commit(doctype) -> None:
    """Commit the document's changes; a unique value another record already has is refused as
    ValidationFailed on its field(s), never a server error (the database is the judge: two
    people saving the same value at once cannot both pass a check made before)."""
    from sqlalchemy.exc import IntegrityError
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        columns = _unique_columns(exc)
        if columns is None:
            raise
        raise ValidationFailed(*_clash_errors(doctype, columns)) from None


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")


def _unique_columns(exc) -> list[str] | None:
    """The columns of the unique constraint or index the database names in `exc` (None: not a
    unique violation)."""
    orig = exc.orig
    if (match := _SQLITE_UNIQUE.search(str(orig).splitlines()[0])) is not None:
        return [part.strip().split(".")[-1] for part in match.group(1).split(",")]
    name = getattr(getattr(orig, "diag", None), "constraint_name", None)  # psycopg
    if getattr(orig, "sqlstate", None) != "23505" or not name:
        return None
    for table in db.metadata.tables.values():
        for item in [*table.constraints, *table.indexes]:
            if item.name == name:
                return [c.name for c in item.columns]
    return []


def _clash_errors(doctype, columns: list[str]) -> tuple[dict, list]:
    """(field errors, form errors) saying that another record already has these values."""
    message = _("Another record already has this value.")
    names = {a for f in doctype.fields for a in f.attributes}
    fields = {c: [message] for c in columns if c in names}
    if fields:
        return fields, []
    labels = ", ".join(str(c.label) for name in columns if (c := doctype.column(name)) is not None) or ", ".join(columns)
    return {}, [_("Another record already has the same %(fields)s.", fields=labels)]


def visible(doctype, user, stmt=None):
    """Restrict a select to the rows `user` may see; compiled into the SQL, never filtered later."""
    stmt = select(doctype.model) if stmt is None else stmt
    sees = _sees(doctype, user)
    if sees is None:
        return stmt
    return stmt.where(_visibility(doctype, *sees, user.id, user.department_id, _extra_visibility(doctype, user)))


def _sees(doctype, user):
    """None when `user` sees every row, else (own rows?, their department's?): which conditions
    of _visibility apply. It depends only on the user's permissions and department, not on the
    rows, so page() keys its statements with it."""
    granted = user.permissions  # User.can looks them up per call
    if doctype.permission("read_all") in granted:
        return None
    return (doctype.permission("read") in granted,
            bool(doctype.permission("read_department") in granted and user.department_id))


def _extra_visibility(doctype, user):
    """The type's own visibility clause for `user` (an arbitrary expression), or None."""
    return doctype.visibility(user) if doctype.visibility is not None else None


def _visibility(doctype, own: bool, department: bool, user_id, department_id, extra=None):
    """The condition admitting the rows a user sees (not for read_all: see _sees). user_id and
    department_id are values, or bind parameters in page()'s cached statements."""
    M = doctype.model
    conditions = []
    if own:
        conditions.append(M.owner_id == user_id)
    if department:
        conditions.append(M.department_id == department_id)
    if extra is not None:
        conditions.append(extra)
    # Approvers see what they are asked to approve (and approved before): a correlated EXISTS,
    # last so that it runs only for rows the cheap conditions above did not admit, and each run is
    # one probe of ix_approval_task_doc. Not "id IN (the user's tasks)": for a manager with tens
    # of thousands of tasks that built (PostgreSQL: hashed) and sorted (SQLite) the whole id set
    # on every page. doc_id is matched as a range on purpose: PostgreSQL turns an equality into
    # that same hashed set, and SQLite then probes the user's tasks instead of the document's.
    # Only a workflow with approval steps ever plans tasks (engine._submit): a type without steps
    # (a collection line) skips the probe, which every row its cheap conditions did not admit
    # paid (an area manager's collection ageing: about 52,000 probes, issue 15's bench).
    if doctype.workflow is not None and doctype.workflow.steps:
        conditions.append(select(ApprovalTask.id).where(
            ApprovalTask.doctype == doctype.code, ApprovalTask.doc_id >= M.id, ApprovalTask.doc_id <= M.id,
            ApprovalTask.user_id == user_id).exists())
    return or_(*conditions) if conditions else false()


def can_open_list(doctype, user) -> bool:
    return any(user.can(doctype.permission(a)) for a in ("read", "read_department", "read_all"))


def get_visible(doctype, user, doc_id: int):
    M = doctype.model
    doc = db.session.scalar(visible(doctype, user).where(M.id == doc_id))
    if doc is None:
        abort(404)  # not "forbidden": the existence of other people's records is not revealed
    return doc


MAX_PAGE = 100_000


def _date_bound(value: str, end: bool):
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)


def record_id(raw) -> int | None:
    """The id in a request argument, if it is one a database integer column can hold."""
    raw = str(raw)
    return int(raw) if raw.isascii() and raw.isdecimal() and 0 < int(raw) < 2**31 else None


def states(doctype) -> list[str]:
    """The states a document of this type can be in."""
    return list(doctype.workflow.states) if doctype.workflow else ["draft"]


def sort_keys(doctype) -> list[str]:
    """The values of the sort argument: a sortable name, descending with a leading '-'."""
    names = ["id", *sortable(doctype)]
    return names + ["-" + name for name in names]


def invalid_list_arguments(doctype, args) -> dict:
    """{argument: [reasons]} for the list arguments that are not valid. The JSON API refuses
    them; the web list ignores them, so that a page keeps working when its URL is edited."""
    errors = {}
    if any(s not in states(doctype) for s in args.getlist("state")):
        errors["state"] = [_("Give one of: %(values)s.", values=", ".join(states(doctype)))]
    owner = args.get("owner")
    if owner is not None and owner != "me" and record_id(owner) is None:
        errors["owner"] = [_("Give \"me\" or the id of a user.")]
    for name in ("from", "to"):
        if name in args and _date_bound(args[name], False) is None:
            errors[name] = [_("Give a date as YYYY-MM-DD.")]
    if "sort" in args and args["sort"] not in sort_keys(doctype):
        errors["sort"] = [_("Give one of: %(values)s.", values=", ".join(sort_keys(doctype)))]
    for f in filterable(doctype):
        allowed = ["1", "0", "true", "false"] if f.kind == "bool" else [str(v) for v, _label in f.choices]
        if f.name in args and args[f.name] not in allowed:
            errors[f.name] = [_("Give one of: %(values)s.", values=", ".join(allowed))]
    page = args.get("page")
    if page is not None and not 1 <= (record_id(page) or 0) <= MAX_PAGE:
        errors["page"] = [_("Give a whole number from %(low)d to %(high)d.", low=1, high=MAX_PAGE)]
    return errors


def sortable(doctype) -> dict:
    M = doctype.model
    names = ["number", "title", "state", "created_at", "updated_at"] + [c.name for c in doctype.columns if c.sortable]
    return {n: getattr(M, n) for n in names if n in M.__table__.columns}


def filtered(doctype, user, args):
    """The visible rows matching the request's search and filters (no order, no limit)."""
    shape, values = _filters(doctype, user, args)
    stmt = visible(doctype, user, select(doctype.model.id)).where(*_filter_conditions(doctype, shape))
    return stmt.params(values) if values else stmt


def _filters(doctype, user, args) -> tuple[tuple, dict]:
    """The request's search and filters as (shape, values): which conditions apply (see
    _filter_conditions) and the values of their bind parameters."""
    shape, values = [], {}
    q = (args.get("q") or "").strip()
    if q:
        prefix = doctype.number_prefix.upper()
        if prefix and q.upper().startswith(prefix + "-"):
            shape.append("number")
            values.update(number_from=q.upper(), number_to=q.upper() + "\uffff")
        else:
            shape.append("search")
            values["like"] = f"%{q}%"
    states = [s for s in args.getlist("state") if s] if hasattr(args, "getlist") else []
    if states:
        shape.append("state")
        values["states"] = states
    owner = args.get("owner")
    if owner == "me":
        shape.append("owner")
        values["owner"] = user.id
    elif owner and (owner_id := record_id(owner)):
        shape.append("owner")
        values["owner"] = owner_id
    if args.get("from") and (d := _date_bound(args["from"], False)):
        shape.append("from")
        values["created_from"] = d
    if args.get("to") and (d := _date_bound(args["to"], True)):
        shape.append("to")
        values["created_to"] = d
    for f in filterable(doctype):  # ?<field>=<value>: a declared choice, multi-choice or flag
        value = args.get(f.name)
        if f.integer_choices and value is not None:  # a month, a half-year: a number (the list ignores others)
            value = int(value) if value.isascii() and value.isdecimal() and len(value) < 10 else None
        if value not in (None, ""):
            shape.append(f"field:{f.name}")
            values[f"field_{f.name}"] = value in ("1", "true", "y", "yes") if f.kind == "bool" else value
    for f in person_filters(doctype):  # ?<field>=<user id>: a declared person (a group's link)
        if (person := record_id(args.get(f.name) or "")) is not None:
            shape.append(f"person:{f.name}")
            values[f"person_{f.name}"] = person
    for name in month_filters(doctype):  # ?<field>_month=2026-11: a date or time in that month
        if (bounds := _month_bounds(doctype, name, args.get(f"{name}_month") or "")) is not None:
            shape.append(f"month:{name}")
            values[f"month_{name}_from"], values[f"month_{name}_to"] = bounds
    if doctype.deadline is not None and args.get("overdue") not in (None, ""):
        shape.append("overdue" if args["overdue"] in ("1", "true", "y", "yes") else "not_overdue")
    if doctype.deadline is not None:  # the clock the overdue column and filter are judged by
        values["now"] = doctype.deadline.moment(doctype.model, calendar_today.now())
    return tuple(shape), values


def filterable(doctype) -> list:
    """The declared fields a list filters by value: choices, multi-choices, flags (stored ones,
    not a model's property)."""
    stored = inspect(doctype.model).column_attrs
    return [f for f in doctype.fields if f.kind in ("choice", "multichoice", "bool")
            and (f.name in stored or doctype.extension_of(f.name) is not None)]


def _filter_conditions(doctype, shape: tuple) -> list:
    """The conditions of _filters' shape, with bind parameters for its values."""
    M = doctype.model
    conditions = []
    for name in shape:
        if name == "number":  # number search uses the unique index (a range, so any collation can use it)
            conditions += [M.number >= bindparam("number_from"), M.number < bindparam("number_to")]
        elif name == "search":
            fields = [M.title, M.number] + [getattr(M, f) for f in doctype.search]
            conditions.append(or_(*[cast(f, String).ilike(bindparam("like")) for f in fields]))
        elif name == "state":
            conditions.append(M.state.in_(bindparam("states", expanding=True)))
        elif name == "owner":
            conditions.append(M.owner_id == bindparam("owner"))
        elif name == "from":
            conditions.append(M.created_at >= bindparam("created_from"))
        elif name == "to":
            conditions.append(M.created_at <= bindparam("created_to"))
        elif name.startswith("field:"):
            conditions.append(_field_condition(doctype, name[6:]))
        elif name.startswith("person:"):
            conditions.append(getattr(M, f"{name[7:]}_id") == bindparam(f"person_{name[7:]}"))
        elif name.startswith("month:"):
            column = getattr(M, name[6:])
            conditions += [column >= bindparam(f"month_{name[6:]}_from"), column < bindparam(f"month_{name[6:]}_to")]
        elif name in ("overdue", "not_overdue"):
            clause = doctype.deadline.clause(M, bindparam("now"))
            conditions.append(clause if name == "overdue" else ~clause)
    return conditions


def _field_condition(doctype, name: str):
    extension = doctype.extension_of(name)
    if extension is not None:  # another module's field, in its own table keyed by the document's id
        model = extension.model
        if doctype.declared(name).kind == "bool":  # a document without a row has the flag off
            holds = doctype.model.id.in_(select(model.id).where(getattr(model, name).is_(True)))
            return case((bindparam(f"field_{name}"), holds), else_=~holds)
        return doctype.model.id.in_(select(model.id).where(_value_condition(doctype, model, name)))
    return _value_condition(doctype, doctype.model, name)


def _value_condition(doctype, model, name: str):
    f, column, value = doctype.declared(name), getattr(model, name), bindparam(f"field_{name}")
    if f.kind != "multichoice":
        return column == value
    if db.session.get_bind().dialect.name == "postgresql":  # the JSON list holds the value
        return cast(column, JSONB).contains(func.jsonb_build_array(cast(value, String)))
    listed = func.json_each(column).table_valued("value")
    return exists(select(1).select_from(listed).where(listed.c.value == value))


def person_filters(doctype) -> list:
    """The declared people (user fields) a list filters by id: ?inspector=12."""
    stored = set(doctype.model.__table__.columns.keys())
    return [f for f in doctype.fields if f.kind == "user" and f"{f.name}_id" in stored]


def month_filters(doctype) -> list[str]:
    """The dates and times a list filters by month (?created_at_month=2026-11): the declared
    ones stored in the table, and the creation time."""
    stored = set(doctype.model.__table__.columns.keys())
    return ["created_at"] + [f.name for f in doctype.fields if f.kind in ("date", "datetime") and f.name in stored]


def _is_datetime(doctype, name: str) -> bool:
    from sqlalchemy import DateTime
    return isinstance(doctype.model.__table__.c[name].type, DateTime)


def _month_bounds(doctype, name: str, value: str):
    """The first moment of the month `value` (YYYY-MM) and of the next one, in the company's time
    zone for a time (as groups by month count them), or None."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        return None
    year, month = int(value[:4]), int(value[5:])
    first, following = date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    if not _is_datetime(doctype, name):
        return first, following
    from .. import calendar
    zone = calendar.timezone()
    return tuple(datetime.combine(d, time.min, tzinfo=zone).astimezone(timezone.utc) for d in (first, following))


# ---- groups --------------------------------------------------------------------------------------
GROUP_LIMIT = 200


def group_options(doctype, user) -> list[tuple[str, str]]:
    """What a list may be grouped by, (key, label): its state, its owner, the declared choices,
    flags and people, and dates and times by month (never a field hidden from `user`)."""
    from flask_babel import gettext
    hidden = doctype.hidden_fields(user)
    options = [("state", gettext("State"))] if doctype.workflow else []
    options.append(("owner", gettext("Owner")))
    stored = set(doctype.model.__table__.columns.keys())
    for f in doctype.fields:
        if f.name in hidden or f.name in ("state", "owner"):
            continue
        if (f.kind in ("choice", "bool") and f.name in stored) or (f.kind == "user" and f"{f.name}_id" in stored):
            options.append((f.name, str(f.label)))
        elif f.kind in ("date", "datetime") and f.name in stored:
            options.append((f"{f.name}:month", gettext("%(field)s (month)", field=f.label)))
    options.append(("created_at:month", gettext("Created (month)")))
    return options


def _month_of(doctype, name: str):
    """SQL: the month (YYYY-MM) of a date or time column, a time in the company's time zone."""
    column = getattr(doctype.model, name)
    dialect = db.session.get_bind().dialect.name
    is_time = _is_datetime(doctype, name)
    if dialect == "postgresql":
        from .. import calendar
        return func.to_char(func.timezone(str(calendar.timezone()), column) if is_time else column, "YYYY-MM")
    if not is_time:
        return func.strftime("%Y-%m", column)
    from .. import calendar
    offset = calendar.timezone().utcoffset(calendar_today.now().replace(tzinfo=None))
    return func.strftime("%Y-%m", column, f"{int(offset.total_seconds() // 60):+d} minutes")


def groups(doctype, user, args, key: str, sums=()) -> list[dict]:
    """The list's rows (its search and filters) grouped by `key` (one of group_options) in SQL:
    per group its value, label, count, the sums of the `sums` columns and the arguments of the
    list of its rows ({} when they cannot be filtered, e.g. no value). At most GROUP_LIMIT."""
    M = doctype.model
    refuse_hidden_fields(doctype, user, args)
    name, _sep, by_month = key.partition(":")
    f = doctype.declared(name)
    if by_month:
        expr = _month_of(doctype, name)
    elif name in ("state", "owner"):
        expr = M.state if name == "state" else M.owner_id
    elif f is not None and f.kind == "user":
        expr = getattr(M, f"{name}_id")
    else:
        expr = getattr(M, name)
    shape, values = _filters(doctype, user, args)
    totals = [func.sum(getattr(M, s)) for s in sums]
    stmt = visible(doctype, user, select(expr.label("value"), func.count().label("count"), *totals))
    stmt = stmt.where(*_filter_conditions(doctype, shape)).group_by(expr).order_by(expr).limit(GROUP_LIMIT)
    rows = db.session.execute(stmt, values).all()
    people = {}
    if name == "owner" or (f is not None and f.kind == "user" and not by_month):
        ids = {r.value for r in rows if r.value is not None}
        people = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) \
            if ids else {}
    out = []
    for row in rows:
        value = row.value
        if value is None or value == "":
            label, link = "—", {}
        elif by_month:
            label, link = str(value), {f"{name}_month": str(value)}
        elif name == "state":
            label, link = str(doctype.workflow.state_label(value)), {"state": value}
        elif name == "owner" or f.kind == "user":
            label, link = people.get(value, f"#{value}"), {name: str(value)}
        elif f.kind == "bool":
            label, link = (_("Yes"), {name: "1"}) if value else (_("No"), {name: "0"})
        else:
            label, link = str(dict(f.choices).get(value, value)), {name: str(value)}
        out.append({"value": value, "label": label, "count": row.count, "sums": list(row[2:]), "link": link})
    return out


# ---- the board -----------------------------------------------------------------------------------
def board(doctype, user, args, per_state: int) -> list[dict]:
    """Per workflow state: its code, label, how many of the list's rows (its search and filters,
    any state filter aside) are in it, and the newest `per_state` of them (documents)."""
    M = doctype.model
    refuse_hidden_fields(doctype, user, args)
    shape, values = _filters(doctype, user, args)
    shape = tuple(s for s in shape if s != "state")
    conditions = _filter_conditions(doctype, shape)
    counts = dict(db.session.execute(visible(doctype, user, select(M.state, func.count())).where(*conditions)
                                     .group_by(M.state), values).all())
    columns = []
    for code, label in doctype.workflow.states.items():
        cards = db.session.scalars(visible(doctype, user).where(M.state == code, *conditions)
                                   .order_by(M.id.desc()).limit(per_state).options(joinedload(M.owner)),
                                   values).all() if counts.get(code) else []
        columns.append({"state": code, "label": str(label), "count": counts.get(code, 0), "cards": cards})
    return columns


def refuse_hidden_fields(doctype, user, args):
    """Sorting or filtering by a field hidden from `user` (cost, margin) would reveal its values
    through the order or the choice of rows: refused with a 400 naming the field, never ignored."""
    hidden = doctype.hidden_fields(user)
    if not hidden:
        return
    group = str(args.get("group") or "").partition(":")[0]
    asked = [("sort", str(args.get("sort") or "").lstrip("-")), ("group", group)] + [
        (name, name.removesuffix("_month")) for name in args]
    refused = {param: [_("You may not sort or filter by “%(field)s”: it is hidden from you.",
                         field=doctype.column(field).label)] for param, field in asked if field in hidden}
    if refused:
        raise Refused(next(iter(refused.values()))[0], refused)


def _sort(doctype, args) -> tuple[str, str, bool]:
    """(the request's sort key, the name of the column it sorts by, descending?)."""
    key = args.get("sort") or "-id"
    name = key.lstrip("-")
    if name != "id" and name not in sortable(doctype):
        name = "id"
    return key, name, key.startswith("-")


def ordering(doctype, args):
    key, name, desc = _sort(doctype, args)
    return _order(doctype, name, desc), key


def _order(doctype, name: str, desc: bool) -> list:
    M = doctype.model
    if name == "id":
        return [M.id.desc() if desc else M.id.asc()]
    column = getattr(M, name)
    return [column.desc(), M.id.desc()] if desc else [column.asc(), M.id.asc()]


def _cursor(args):
    """("after" | "before", id) from the request: the row the page starts after / ends before."""
    for name in ("after", "before"):
        if anchor := record_id(args.get(name, "")):
            return name, anchor
    return None, None


def _keyset(doctype, user, sort: str, desc: bool, direction: str, anchor: int, values: dict):
    """Towards which end the rows after (or before) the anchor row lie in the list's order (True:
    smaller values), with the anchor's values added to `values`; None when the anchor cannot be
    used (a nullable sort column, an anchor the user cannot see)."""
    M = doctype.model
    forward = desc if direction == "after" else not desc
    if sort != "id":
        column = getattr(M, sort)
        if column.nullable is not False:  # NULLs sort differently on SQLite and PostgreSQL
            return None
        value = db.session.scalar(visible(doctype, user, select(column)).where(M.id == anchor))
        if value is None:
            return None
        values["anchor_value"] = value
    values["anchor"] = anchor
    return forward


def _keyset_condition(doctype, sort: str, forward: bool):
    M = doctype.model
    anchor = bindparam("anchor")
    if sort == "id":
        return M.id < anchor if forward else M.id > anchor
    column, value = getattr(M, sort), bindparam("anchor_value")
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
    args = args or {}  # an empty MultiDict raises (and catches) an exception per missing key
    refuse_hidden_fields(doctype, user, args)
    raw = str(args.get("page", "1"))
    number = min(max(int(raw), 1), MAX_PAGE) if raw.isdecimal() else 1
    sort_key, sort, desc = _sort(doctype, args)
    sees = _sees(doctype, user)
    filters, values = _filters(doctype, user, args)
    if sees is not None:
        values.update(user_id=user.id, department_id=user.department_id)
    direction, anchor = _cursor(args)
    forward = _keyset(doctype, user, sort, desc, direction, anchor, values) if direction else None
    backwards = forward is not None and direction == "before"
    # All that varies in the statement's SQL (its values are parameters): which visibility
    # conditions, which filters, the order (reversed for the rows just before the anchor, flipped
    # back below), the keyset condition, OFFSET or not, the columns.
    shape = (sees, filters, sort, desc != backwards, forward, forward is None and number > 1,
             None if fields is None else tuple(fields))
    extra = _extra_visibility(doctype, user) if sees is not None else None
    stmt, load, plain = _page_statements(doctype, shape, extra)
    values["limit"] = size + 1
    if load is not None:  # the deferred join: the page's ids with OFFSET, then their rows
        values["offset"] = (number - 1) * size
        ids = [i for i, in _fetch(M, stmt, values, plain=True)]
        by_id = {r.id: r for r in _fetch(M, load, {"ids": ids}, plain)} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        rows = _fetch(M, stmt, values, plain)
    has_next = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        number = max(number, 2) if has_next else 1  # nothing before these rows: the first page
        has_next = True  # the anchor's page follows
    return rows, number, has_next, sort_key


def _page_statements(doctype, shape: tuple, extra=None):
    """(statement of the page's rows, None, plain?), or for a page skipped to with OFFSET
    (statement of its ids, statement of the rows with those ids, plain?); plain: rows of columns
    rather than documents (see _rows_of). Built once per shape (see page): building a statement
    and its cache key costs more than running it. They hold bind parameters, never values: each
    request runs them with its own. Not with a type's own visibility clause: it is arbitrary."""
    if extra is not None:
        return _build_page_statements(doctype, shape, extra)
    return current_app.extensions["erp"].caches.statements.get((doctype.code, shape),
                                                                lambda: _build_page_statements(doctype, shape))


def _build_page_statements(doctype, shape: tuple, extra=None):
    sees, filters, sort, desc, forward, offset, fields = shape
    M = doctype.model
    stmt = select(M.id)
    if sees is not None:
        stmt = stmt.where(_visibility(doctype, *sees, bindparam("user_id"), bindparam("department_id"), extra))
    stmt = stmt.where(*_filter_conditions(doctype, filters))
    if forward is not None:
        stmt = stmt.where(_keyset_condition(doctype, sort, forward))
    stmt = stmt.order_by(*_order(doctype, sort, desc)).limit(bindparam("limit", type_=Integer))
    if offset:
        load, plain = _rows_of(doctype, select(M.id).where(M.id.in_(bindparam("ids", expanding=True))), fields)
        return stmt.offset(bindparam("offset", type_=Integer)), load, plain
    stmt, plain = _rows_of(doctype, stmt, fields)
    return stmt, None, plain


def _fetch(model, stmt, values: dict, plain: bool) -> list:
    """The rows: documents, or plain rows read on the session's connection, the same SQL and rows
    as session.execute without the ORM's result processing (a third of a page's time)."""
    session = db.session()
    if not plain:
        return session.scalars(stmt, values).all()
    if session.autoflush:  # as session.execute would
        session.flush()
    return session.connection(bind_arguments={"mapper": model}).execute(stmt, values).all()


LIST_FIELDS = ("id", "number", "title", "state", "created_at")


def _rows_of(doctype, stmt, fields):
    """A select of ids -> (a select of the rows, plain?): documents with their owners, or plain
    rows of `fields` (see page)."""
    M = doctype.model
    overdue = fields is not None and "overdue" in fields and doctype.deadline is not None
    if overdue:  # computed in the query, from the deadline and the clock
        fields = [f for f in fields if f != "overdue"]
    plain = _plain_row(M, tuple(dict.fromkeys(LIST_FIELDS + tuple(fields)))) if fields is not None else None
    if plain is None:
        return stmt.with_only_columns(M).options(joinedload(M.owner)), False
    columns, owner = plain
    if overdue:
        clause = doctype.deadline.clause(M, bindparam("now"))
        columns = [*columns, type_coerce(case((clause, True), else_=False), Boolean).label("overdue")]
    return stmt.with_only_columns(*columns).outerjoin(User, owner), True


@lru_cache(maxsize=256)
def _plain_row(model, names: tuple):
    """(columns, owner join) of a list's plain rows; None if a name is not a column of the table."""
    if not set(names) <= set(inspect(model).column_attrs.keys()):
        return None
    # Labelled: a computed column (column_property) would come back under an anonymous name.
    return [getattr(model, name).label(name) for name in names] + [User.display_name.label("owner_name")], \
        User.id == model.owner_id


def rows_for_export(doctype, user, args, limit: int):
    M = doctype.model
    refuse_hidden_fields(doctype, user, args)
    order, _ = ordering(doctype, args)
    ids = filtered(doctype, user, args)
    stmt = select(M).where(M.id.in_(ids)).order_by(*order).limit(limit).options(joinedload(M.owner))
    return db.session.execute(stmt.execution_options(yield_per=1000)).scalars()


def choosable(doctype, user, query: str = "", record_id: int | None = None, where=None, limit: int = 200):
    """(id, number, title) rows of `doctype` that `user` may see and pick from another module's
    form (a trip's link): the one `record_id`, or those whose number or title holds `query`,
    restricted by `where(model)`; newest first."""
    M = doctype.model
    stmt = visible(doctype, user, select(M.id, M.number, M.title))
    if where is not None:
        stmt = stmt.where(where(M))
    if record_id is not None:
        stmt = stmt.where(M.id == record_id)
    elif query:
        stmt = stmt.where(M.number.ilike(f"%{query}%") | M.title.ilike(f"%{query}%"))
    return db.session.execute(stmt.order_by(M.id.desc()).limit(limit)).all()


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
    """The declared fields' guards, then the type's own save step (totals, linked records);
    raises ValidationFailed to refuse."""
    if doctype.fields:
        from ..auth import acting_user
        from .fields import save_problems
        user = acting_user()
        problems = save_problems(doctype, doc, user) if user is not None else {}
        if problems:
            raise ValidationFailed({doctype.declared(name).attributes[0]: reasons
                                    for name, reasons in problems.items()})
    if doctype.lines and doctype.lines.fields:
        from ..auth import acting_user
        from .fields import line_problems
        user = acting_user()
        if user is not None and (problems := line_problems(doctype, doc, user)):
            raise ValidationFailed({}, problems)
    if doctype.before_save is not None:
        doctype.before_save(doc)


def apply_values(doctype, doc, values: dict, lines: list | None = None) -> None:
    """Set `values` (attribute -> value) and `lines` (rows, see set_lines) on `doc`, then run the
    save guards and the type's own step (before_save); a refusal rolls the session back and
    raises ValidationFailed. The API and core's test harness save this way."""
    for key, value in values.items():
        setattr(doc, key, value)
    if lines is not None:
        set_lines(doctype, doc, lines)
    try:
        with db.session.no_autoflush:
            before_save(doctype, doc)
    except ValidationFailed:
        db.session.rollback()
        raise


def can_edit(doctype, user, doc) -> bool:
    if not user.can(doctype.permission("edit")):
        return False
    if doc.owner_id != user.id and not user.can(doctype.permission("read_all")) and not (
            doctype.edited_by is not None and doctype.edited_by(doc, user)):
        return False
    wf = doctype.workflow
    return wf is None or doc.state in wf.editable_states


def set_lines(doctype, doc, rows: list[dict]):
    """Make the document's lines the `rows`, in their order. Lines are kept in id order and updated
    in place by position (so the audit shows field changes), the rest added or dropped.

    A row naming one of the document's lines by ``"id"`` (the form sends each row's id) brings that
    line's other values, those the row does not give (a task's status and progress, a quotation
    line's inquiry), to the row's place: moved up, down or past a removed row, a line stays whole.
    A row whose ``"id"`` is empty (or not one of this document's lines) is a new line, starting
    from the columns' defaults. A row without ``"id"`` (the API, an import) updates the line at
    its position, keeping its other values.
    """
    spec = doctype.lines
    with db.session.no_autoflush:  # the document's changes stay pending for before_save's guards
        collection = getattr(doc, spec.attribute)  # read once (an import sets lines on thousands)
    existing = list(collection)
    carried = _line_attributes(type(doc), spec) if any("id" in values for values in rows) else {}
    before = {line.id: {a: getattr(line, a) for a in carried} for line in existing if line.id is not None}
    for i, values in enumerate(rows):
        values = dict(values)
        line = existing[i] if i < len(existing) else spec.model()
        if "id" in values:
            source = record_id(values.pop("id"))
            whole = before.get(source)
            if whole is None and i < len(existing):  # a new line in an old one's place
                whole = carried
            for k, v in (whole or {}).items():
                if k not in values and getattr(line, k) != v:
                    setattr(line, k, v)
        for k, v in values.items():
            setattr(line, k, v)
        if i >= len(existing):
            collection.append(line)
    for line in existing[len(rows):]:
        collection.remove(line)


def _line_attributes(model, spec) -> dict:
    """The line model's column attributes a row may carry (not its id, not its document's), each
    with the value a new line starts with (the column's default)."""
    mapper = inspect(spec.model)
    parent = {c.key for c in inspect(model).relationships[spec.attribute].remote_side}
    out = {}
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.primary_key or column.name in parent or attr.key in parent:
            continue
        default = column.default
        if default is not None and default.is_callable:
            out[attr.key] = default.arg(None)
        else:  # a SQL expression's value is the database's: none here
            out[attr.key] = default.arg if default is not None and default.is_scalar else None
    return out
