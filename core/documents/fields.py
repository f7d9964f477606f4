"""Fields declared once: a document type lists its fields, core derives the rest.

    FIELDS = [
        Field("supplier", _l("Supplier"), required=True, max_length=100),
        Field("amount", _l("Amount"), "money", required=True, minimum=0),
        Field("cost", _l("Cost"), "money", permission="workshop.cost.view"),
        Field("kind", _l("Kind"), "choice", choices=[("goods", _l("Goods")), ("works", _l("Works"))]),
        Field("checked_by", _l("Checked by"), "user", roles=("ROLE-ENG-PE",), required_in=("approved",)),
        Field("notes", _l("Notes"), "textarea", readonly_in=("approved",)),
    ]

    class Request(Document, declared_columns(FIELDS), db.Model):
        __tablename__ = "workshop_request"

    REQUEST = DocType(code="workshop.request", model=Request, ..., fields=FIELDS)

From the list core derives the model's columns (``declared_columns``), the web form, the API
schema (and so OpenAPI), list columns and filters, detail and print rows, export and import
columns, and the guards: a field read-only in some states or editable only by a permission is
refused on every save (form, API, import) with the field and the reason; a field required from a
state on (SPEC's ``A``/``C`` requirements) stops the transitions into that state until filled.
A hand-written ``form=`` or ``schema=`` on the DocType still wins (the escape hatch).

Kinds: text, textarea, integer, decimal, money, percent, date, datetime (entered and shown in the
company's time zone, stored in UTC), bool, choice, multichoice (a JSON list of values, filtered
in lists), user (``<name>_id``, a user holding one of ``roles``), reference (``<name>_id``, a
record of document type ``target``, offered only as the reader may see it; no foreign key, so it
survives the target's module being off), sig (an internal signature: who, when, decision, opinion;
set by ``sign()``, never typed), xsig (an external signature: name, organisation, title, date,
opinion, typed from the signed paper). ``section``: the form groups fields under these labels; it offers as inputs
only what the reader may change in the document's state (Field.editable) and shows the rest as text. A choice whose values are whole numbers (a month 1..12, a
half-year, a year: ``choices=((1, _l("First half")), (2, _l("Second half")))``) is stored as an
Integer and its form and API input is read as a number (``"13"`` or ``13`` is refused as no
choice, with the field). ``readonly=True``: a value the module sets (a workflow step's
answer, a computed due date), shown and given in the API, never entered. A reference with ``options``
(() -> [(id, label)]) instead of ``target`` points into a small table (areas): all listed; a value
no longer among them shows the model's ``<name>_label`` if it keeps one. A
reference's ``where`` ((Model, user) -> clause) further limits the target's records offered and
accepted, e.g. ``where=lambda M, user: M.state != "stopped"``. A reference whose records depend on
another field of the same document names it in ``depends_on``; its ``where`` then also receives the
document, ``(Model, user, doc) -> clause``: a tender's quotation is one of the tender's own
opportunity,

    Field("quotation", _l("Quotation"), "reference", target="sales.quotation", depends_on=("opportunity",),
          where=lambda Quotation, user, doc: Quotation.opportunity_id == doc.opportunity_id,
          refusal=_l("Choose a quotation of the same opportunity."))

The form's searched select sends the depended-on inputs' current values to the choices page
(``?opportunity_id=12``), which offers what ``where`` admits for them (the ``doc`` it gets holds
just those values); the save guard checks the chosen record against the document whenever the
reference or a field it depends on changes. ``refusal`` is the reason given when a record the user
may see is not admitted by ``where`` (default: a general sentence).

Lines (``Lines(..., fields=[...])``): in the form, rows are added, removed and moved up or down
(core/static/js/lines.js); each row carries its line's id, so a moved line keeps what the form
does not show (a task's status) and a removed one is deleted (service.set_lines). A line's
number with ``total=True`` is summed under the rows (as one types in the form; on the detail
page); an amount the module computes from other fields of the line (in ``before_save`` or as a
property) says so with ``product``, and the form previews it as one types, the server computing
the value that is kept:

    Field("qty", _l("Quantity"), "decimal", required=True),
    Field("unit_price", _l("Unit price"), "money", required=True),
    Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True),
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timezone
from types import SimpleNamespace
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import declared_attr, mapped_column, relationship

KINDS = ("text", "textarea", "integer", "decimal", "money", "percent", "date", "datetime", "bool",
         "choice", "multichoice", "user", "reference", "sig", "xsig")
# How each kind is shown in lists, exports and prints (core.documents.Column kinds).
_COLUMN_KINDS = {"money": "money", "integer": "number", "decimal": "number", "percent": "number",
                 "date": "date", "datetime": "datetime", "bool": "bool", "choice": "choice",
                 "multichoice": "choice", "user": "user"}
_PLACES = {"money": 2, "percent": 2, "decimal": 4}
_NUMERIC = {"money": (14, 2), "percent": (7, 2), "decimal": (18, 4)}
XSIG_PARTS = (("name", _l("Signatory")), ("org", _l("Signatory's organisation")), ("title", _l("Job title")),
              ("date", _l("Date signed")), ("opinion", _l("Opinion")))
SIG_DECISIONS = (("agree", _l("Agree")), ("revise", _l("Revise and resubmit")), ("disagree", _l("Disagree")))


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    kind: str = "text"
    required: bool = False            # always (SPEC's Y)
    required_in: tuple = ()           # states in which it must be filled (SPEC's A and C)
    readonly_in: tuple = ()           # states in which it may not change
    editable_in: tuple = ()           # if given, the only states in which it may change (a reviewer's opinion)
    edit_permission: str | None = None  # who may change it (besides editing the document)
    permission: str | None = None     # who may see it: hidden (pages, exports, API) from others
    max_length: int = 200             # text
    choices: tuple = ()               # choice, multichoice: ((value, label), ...)
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    roles: tuple = ()                 # user: holders of these roles are offered
    target: str = ""                  # reference: the document type's code, e.g. "sales.customer"
    options: Callable | None = None   # reference to a small table instead: () -> [(id, label)], all offered
    where: Callable | None = None     # reference: (Model, user) -> a clause limiting the records offered and accepted
    depends_on: tuple = ()            # reference: fields of the same document `where` reads: (Model, user, doc) -> clause
    refusal: object = ""              # reference: why a record `where` does not admit is refused
    default: object = None            # the value a new document starts with
    listed: bool | None = None        # a list column (default: the simple kinds)
    readonly: bool = False            # set by the module (its workflow, before_save), never typed: shown, not entered
    help: object = ""
    section: object = None            # the form's section it is shown in (e.g. the reviewer's), in declared order
    total: bool = False               # a line's number: its column is summed under the lines (form and detail)
    product: tuple = ()               # a line's amount the module computes as the product of these line fields
    asked_when: Callable | None = None  # a transition's field: (document) -> whether that step asks for it

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r} (one of {', '.join(KINDS)})")
        if self.kind in ("choice", "multichoice") and not self.choices:
            raise ValueError(f"field {self.name!r}: a {self.kind} needs choices")
        if self.kind == "choice" and len({_is_int(value) for value, _label in self.choices}) > 1:
            raise ValueError(f"field {self.name!r}: a choice's values are all whole numbers or all text")
        if self.kind == "reference" and "." not in self.target and self.options is None:
            raise ValueError(f"field {self.name!r}: a reference needs target='<module>.<slug>' or options")
        if self.where is not None and not self.target:
            raise ValueError(f"field {self.name!r}: where= limits a reference's target records")
        if isinstance(self.depends_on, str):
            object.__setattr__(self, "depends_on", (self.depends_on,))
        if self.refusal and self.where is None:
            raise ValueError(f"field {self.name!r}: refusal= explains a refusal by where=")
        if self.depends_on and self.where is None:
            raise ValueError(f"field {self.name!r}: depends_on= needs where=(Model, user, doc) -> clause")
        object.__setattr__(self, "depends_on", tuple(self.depends_on))
        object.__setattr__(self, "product", tuple(self.product))
        if (self.total or self.product) and self.kind not in ("integer", "decimal", "money"):
            raise ValueError(f"field {self.name!r}: total= and product= are for a number (integer, decimal, money)")
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "required_in", tuple(self.required_in))
        object.__setattr__(self, "readonly_in", tuple(self.readonly_in))
        object.__setattr__(self, "editable_in", tuple(self.editable_in))
        object.__setattr__(self, "roles", tuple(self.roles))

    # ---- storage -------------------------------------------------------------------------------
    @property
    def integer_choices(self) -> bool:
        """A choice whose values are whole numbers (a month, a half-year): stored as an Integer."""
        return self.kind == "choice" and all(_is_int(value) for value, _label in self.choices)

    @property
    def attributes(self) -> tuple[str, ...]:
        """The model attributes holding this field's value."""
        if self.kind in ("user", "reference"):
            return (f"{self.name}_id",)
        if self.kind == "sig":
            return tuple(f"{self.name}_{part}" for part in ("by_id", "at", "decision", "opinion"))
        if self.kind == "xsig":
            return tuple(f"{self.name}_{part}" for part, _label in XSIG_PARTS)
        return (self.name,)

    def columns(self) -> dict:
        """attribute -> a function making its mapped column (called once per model)."""
        kind, name = self.kind, self.name
        if kind == "text":
            return {name: lambda: mapped_column(String(self.max_length), default="")}
        if kind == "textarea":
            return {name: lambda: mapped_column(Text, default="")}
        if kind == "integer":
            return {name: lambda: mapped_column(Integer, nullable=True)}
        if kind in _NUMERIC:
            return {name: lambda: mapped_column(Numeric(*_NUMERIC[kind]), nullable=True)}
        if kind == "date":
            return {name: lambda: mapped_column(Date, nullable=True)}
        if kind == "datetime":
            return {name: lambda: mapped_column(DateTime(timezone=True), nullable=True)}
        if kind == "bool":
            return {name: lambda: mapped_column(Boolean, default=False)}
        if kind == "choice" and self.integer_choices:
            return {name: lambda: mapped_column(Integer, nullable=True)}
        if kind == "choice":
            return {name: lambda: mapped_column(String(40), default="")}
        if kind == "multichoice":
            return {name: lambda: mapped_column(JSON, default=list)}
        if kind == "user":
            return {f"{name}_id": lambda: mapped_column(ForeignKey("user.id"), nullable=True, index=True)}
        if kind == "reference":
            return {f"{name}_id": lambda: mapped_column(Integer, nullable=True, index=True)}
        if kind == "sig":
            return {f"{name}_by_id": lambda: mapped_column(ForeignKey("user.id"), nullable=True),
                    f"{name}_at": lambda: mapped_column(DateTime(timezone=True), nullable=True),
                    f"{name}_decision": lambda: mapped_column(String(20), default=""),
                    f"{name}_opinion": lambda: mapped_column(Text, default="")}
        parts = {f"{name}_{part}": (lambda: mapped_column(String(200), default="")) for part in ("name", "org", "title")}
        parts[f"{name}_date"] = lambda: mapped_column(Date, nullable=True)
        parts[f"{name}_opinion"] = lambda: mapped_column(Text, default="")
        return parts

    # ---- presentation ----------------------------------------------------------------------------
    @property
    def is_listed(self) -> bool:
        if self.listed is not None:
            return self.listed
        return self.kind in ("text", "integer", "decimal", "money", "percent", "date", "datetime", "bool", "choice")

    def column(self):
        from . import Column
        return Column(self.name, self.label, kind=_COLUMN_KINDS.get(self.kind, "text"),
                      sortable=self.kind not in ("multichoice", "textarea", "sig", "xsig"),
                      permission=self.permission,
                      choices=dict(self.choices) if self.choices else None)

    def editable(self, state: str, user) -> bool:
        """Whether `user` may change the field of a document in `state`: what its form offers as
        an input (the rest it shows as text; the save guards refuse them either way)."""
        if self.readonly or state in self.readonly_in or (self.editable_in and state not in self.editable_in):
            return False
        return all(not p or user.can(p) for p in (self.edit_permission, self.permission))

    def is_empty(self, doc) -> bool:
        if self.kind == "sig":
            return getattr(doc, f"{self.name}_at", None) is None
        if self.kind == "xsig":
            return not getattr(doc, f"{self.name}_name", "")
        value = getattr(doc, self.attributes[0], None)
        return value is None or value == "" or value == [] or (self.kind == "bool" and value is False)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def display(doctype, doc, f: Field) -> str:
    """The field's value as staff read it on the detail page and the print (one document)."""
    from .formatting import cell_text, formatter
    if f.kind == "user":
        person = getattr(doc, f.name, None)
        return person.display_name if person is not None else ""
    if f.kind == "reference" and f.options is not None:
        value = getattr(doc, f"{f.name}_id", None)
        # A record no longer offered (its module off, another reader) shows the label kept with it.
        kept = getattr(doc, f"{f.name}_label", None) or f"#{value}"
        return "" if value is None else str(dict(f.options()).get(value, kept))
    if f.kind == "reference":
        value = getattr(doc, f"{f.name}_id", None)
        target = _target(f) if value is not None else None
        if target is None:
            return "" if value is None else f"#{value}"
        from ..extensions import db
        row = db.session.execute(db.select(target.model.number, target.model.title).where(target.model.id == value)).first()
        return f"{row.number} {row.title}".strip() if row else f"#{value}"
    if f.kind == "choice":
        value = getattr(doc, f.name, None)
        return "" if value in (None, "") else str(dict(f.choices).get(value, value))
    if f.kind == "multichoice":
        labels = dict(f.choices)
        return "、".join(str(labels.get(v, v)) for v in getattr(doc, f.name, None) or [])
    if f.kind == "percent":
        value = getattr(doc, f.name, None)
        return "" if value is None else f"{value}%"
    if f.kind == "sig":
        if getattr(doc, f"{f.name}_at", None) is None:
            return ""
        by = getattr(doc, f"{f.name}_by", None)
        decision = dict(SIG_DECISIONS).get(getattr(doc, f"{f.name}_decision", ""), "")
        when = formatter(doctype, f"{f.name}_at", "datetime")(getattr(doc, f"{f.name}_at"))
        parts = [by.display_name if by is not None else "", when, str(decision), getattr(doc, f"{f.name}_opinion", "")]
        return " · ".join(p for p in parts if p)
    if f.kind == "xsig":
        parts = [cell_text(doctype, doc, a) for a in f.attributes]
        return " · ".join(p for p in parts if p)
    return cell_text(doctype, doc, f.name, f.column().kind)


def declared_columns(fields: list[Field]) -> type:
    """A mixin giving a model the columns of its declared fields (and a relationship per user
    field): ``class Request(Document, declared_columns(FIELDS), db.Model)``."""
    attributes = {}
    for f in fields:
        for attribute, make in f.columns().items():
            attributes[attribute] = declared_attr(lambda cls, make=make: make())
        if f.kind in ("user", "sig"):
            key = f"{f.name}_id" if f.kind == "user" else f"{f.name}_by_id"
            rel = f.name if f.kind == "user" else f"{f.name}_by"
            attributes[rel] = declared_attr(lambda cls, key=key: relationship(
                "User", foreign_keys=[getattr(cls, key)], lazy="joined", viewonly=True))
    return type("DeclaredFields", (), attributes)


def sign(doc, field: str, user, decision: str = "", opinion: str = "") -> None:
    """Put `user`'s internal signature (sig) on `doc`: who, when, decision and opinion."""
    setattr(doc, f"{field}_by_id", user.id)
    setattr(doc, f"{field}_at", datetime.now(timezone.utc))
    setattr(doc, f"{field}_decision", decision)
    setattr(doc, f"{field}_opinion", opinion)


# ---- guards ---------------------------------------------------------------------------------------
def save_problems(doctype, doc, user, fields=None) -> dict[str, list[str]]:
    """What this save may not do, field -> reasons (nothing is saved if any): change a field
    read-only in the document's state or reserved to a permission, point a reference at a record
    the user may not see or a user field at someone without the role, leave empty a field the
    state requires."""
    from sqlalchemy import inspect
    state = inspect(doc)
    problems: dict[str, list[str]] = {}
    current = doc.state
    new = state.transient or state.pending
    for f in doctype.fields if fields is None else fields:
        if f.readonly:  # the module's own value: only what the state requires is checked
            if current in f.required_in and f.is_empty(doc):
                problems[f.name] = [_("“%(field)s” is required.", field=f.label)]
            continue
        changed = not f.is_empty(doc) if new else any(_changed(state, a) for a in f.attributes)
        reasons = []
        if changed and (current in f.readonly_in or (f.editable_in and current not in f.editable_in)):
            label = doctype.workflow.state_label(current) if doctype.workflow else current
            reasons.append(_("“%(field)s” cannot be changed while the document is %(state)s.",
                             field=f.label, state=label))
        elif changed and any(p and not user.can(p) for p in (f.edit_permission, f.permission)):
            reasons.append(_("You may not change “%(field)s”.", field=f.label))
        elif f.kind == "reference" and (changed or (not new and _dependency_changed(doctype, state, f))):
            value = getattr(doc, f"{f.name}_id", None)
            if value is not None and value not in reference_ids(f, user, [value], doc):
                admitted_elsewhere = f.refusal and value in reference_ids(f, user, [value], limited=False)
                reasons.append(str(f.refusal) if admitted_elsewhere else _("Choose a record you may see."))
        elif changed and f.kind == "user" and f.roles:
            value = getattr(doc, f"{f.name}_id", None)
            if value is not None and value not in {u.id for u in _role_holders(f.roles)}:
                reasons.append(_("Choose a person holding the role this field asks for."))
        elif changed and f.kind == "user":
            value = getattr(doc, f"{f.name}_id", None)
            if value is not None and not _is_person(value):
                reasons.append(_("Choose a person of the company."))
        if current in f.required_in and f.is_empty(doc):
            reasons.append(_("“%(field)s” is required.", field=f.label))
        if reasons:
            problems[f.name] = reasons
    return problems


def line_problems(doctype, doc, user) -> list[str]:
    """What the document's lines may not hold, as sentences naming the line and the field (set or
    changed by this save): a person without the role a user field asks for, a value not among a
    small table's options. A line's reference to a document type's records is the module's to
    check in before_save (which records a line may name is its rule: a visit's customer...)."""
    from sqlalchemy import inspect
    spec = doctype.lines
    checked = [f for f in (spec.fields if spec else ()) if not f.readonly and (
        f.kind == "user" or (f.kind == "reference" and f.options is not None))]
    if not checked:
        return []
    problems = []
    for n, line in enumerate(getattr(doc, spec.attribute), start=1):
        state = inspect(line)
        for f in checked:
            attribute = f.attributes[0]
            value = getattr(line, attribute, None)
            if value is None or not (state.transient or state.pending or _changed(state, attribute)):
                continue
            if f.kind == "reference" and value not in reference_ids(f, user, [value]):
                reason = _("Choose one of the options offered.")
            elif f.kind == "user" and f.roles and value not in {u.id for u in _role_holders(f.roles)}:
                reason = _("Choose a person holding the role this field asks for.")
            elif f.kind == "user" and not f.roles and not _is_person(value):
                reason = _("Choose a person of the company.")
            else:
                continue
            problems.append(_("Line %(n)s: “%(field)s”: %(reason)s", n=n, field=f.label, reason=reason))
    return problems


def dependency_attributes(doctype, f: Field) -> tuple[str, ...]:
    """The attributes holding the fields `f` depends on (`opportunity` -> `opportunity_id`)."""
    out = []
    for name in f.depends_on:
        other = doctype.declared(name) if doctype is not None else None
        out.extend(other.attributes if other is not None else (name,))
    return tuple(out)


def _dependency_changed(doctype, state, f: Field) -> bool:
    return any(_changed(state, a) for a in dependency_attributes(doctype, f))


def _changed(state, attribute: str) -> bool:
    """Whether this save changes the attribute; text compared as typed (a browser sends CRLF),
    times as instants (SQLite gives back naive UTC what a form gives as aware UTC)."""
    if attribute not in state.attrs:
        return False
    history = state.attrs[attribute].history
    if not history.has_changes():
        return False
    before = history.deleted[0] if history.deleted else None
    after = history.added[0] if history.added else None
    if isinstance(before, str) or isinstance(after, str):
        return (before or "").replace("\r\n", "\n") != (after or "").replace("\r\n", "\n")
    if isinstance(before, datetime) and isinstance(after, datetime):
        return _utc(before) != _utc(after)
    return before != after


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def missing_for(doctype, doc, target_state: str) -> list[tuple[Field, str]]:
    """The fields `doc` must fill before entering `target_state`, with the reason."""
    return [(f, _("“%(field)s” is required before this step.", field=f.label))
            for f in doctype.fields if target_state in f.required_in and f.is_empty(doc)]


# ---- choices offered ------------------------------------------------------------------------------
def _is_person(user_id) -> bool:
    """An active user of the company has this id (a user field without roles takes anyone)."""
    from ..auth.models import User
    from ..extensions import db
    person = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return person is not None and person.active


def _role_holders(roles):
    from ..auth.models import users_with_roles
    return users_with_roles(*roles)


def user_choices(f: Field) -> list[tuple[int, str]]:
    from ..auth.models import User
    from ..extensions import db
    from sqlalchemy import select
    people = _role_holders(f.roles) if f.roles else db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.username)).all()
    return [(u.id, u.display_name) for u in people]


def _target(f: Field):
    from flask import current_app
    return current_app.extensions["erp"].doctypes.get(f.target)


def reference_ids(f: Field, user, ids, doc=None, limited: bool = True) -> set[int]:
    """Of `ids`, the records of the field's target that `user` may see (none if its module is off)
    and the field's `where` admits for `doc` (not if `limited` is False), or those among the
    field's options."""
    if f.options is not None:
        return set(ids) & {value for value, _label in f.options()}
    from ..extensions import db
    target = _target(f)
    if target is None:
        return set()
    M = target.model
    stmt = _offered(f, target, user, db.select(M.id), doc) if limited else _visible(target, user, db.select(M.id))
    return set(db.session.scalars(stmt.where(M.id.in_(list(ids)))))


class Values(SimpleNamespace):
    """Some of a document's values (those a reference depends on); any other reads as None."""

    def __getattr__(self, name):
        return None


def dependency_values(doctype, f: Field, args) -> Values:
    """The values of the fields `f` depends on as the form sends them (query parameters named as
    its inputs, ``?opportunity_id=12``): the document `where` gets on the choices page."""
    values = {}
    for name in f.depends_on:
        other = doctype.declared(name)
        for attribute in (other.attributes if other is not None else (name,)):
            raw = str(args.get(attribute) or "")[:1000]
            if other is not None and other.kind in ("user", "reference", "integer"):
                raw = int(raw) if raw.isascii() and raw.isdecimal() and 0 < int(raw) < 2**31 else None
            values[attribute] = raw if raw != "" else None
    return Values(**values)


def _visible(target, user, stmt):
    from . import service
    return service.visible(target, user, stmt)


def _offered(f: Field, target, user, stmt, doc=None):
    """`stmt` limited to the target's records `user` may see and the field's `where` admits (for
    `doc`, when the field depends on others of its fields)."""
    stmt = _visible(target, user, stmt)
    if f.where is None:
        return stmt
    if f.depends_on:
        return stmt.where(f.where(target.model, user, doc if doc is not None else Values()))
    return stmt.where(f.where(target.model, user))


def reference_choices(f: Field, user, ids=None, query: str = "", limit: int = 20, doc=None) -> list[tuple[int, str]]:
    """Records of the field's target that `user` may see, as (id, "number title"): those of
    `ids` (the value already chosen, shown even if `where` no longer admits it), or the newest
    the field offers (for `doc`'s values of the fields it depends on) matching `query` (number or
    title), at most `limit`."""
    from ..extensions import db
    from . import service
    target = _target(f)
    if target is None:
        return []
    M = target.model
    columns = db.select(M.id, M.number, M.title)
    if ids is not None:
        stmt = service.visible(target, user, columns).where(M.id.in_(list(ids)))
    else:
        stmt = _offered(f, target, user, columns, doc)
    if ids is None and query:
        like = f"%{query}%"
        stmt = stmt.where(M.number.ilike(like) | M.title.ilike(like))
    rows = db.session.execute(stmt.order_by(M.id.desc()).limit(limit)).all()
    return [(row.id, f"{row.number} {row.title}".strip()) for row in rows]
