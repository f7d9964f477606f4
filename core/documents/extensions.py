"""Fields, conditions and actions one module adds to another module's document type, the way
Odoo's ``_inherit`` adds a field to the customer form, without altering the other module's
table: the values live in the extending module's own table, one row per document, whose primary
key is the document's id.

    SECTOR_FIELDS = [Field("sector", _l("Sector"), "choice", choices=SECTORS),
                     Field("employees", _l("Employees"), "integer", minimum=0)]

    class CustomerSector(db.Model, extension_columns("sales_customer", SECTOR_FIELDS)):
        __tablename__ = "crm_customer_sector"

    @hookimpl
    def erp_document_extensions():
        return [Extension("sales.customer", CustomerSector, SECTOR_FIELDS)]

The fields then appear in the document's form, detail page, print, list filters (choices and
flags), export, import and API, and their changes in its history (audited as rows of the
extending table). They read as attributes of the document (``customer.sector``) while the
extending module is on; when it is off they are gone at run time and the rows stay.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import current_app, has_app_context
from sqlalchemy import ForeignKey, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from ..extensions import db
from .fields import declared_columns

# Kinds an extension may add: values of the row itself (people and references need the
# document's own relationships).
KINDS = ("text", "textarea", "integer", "decimal", "money", "percent", "date", "datetime", "bool",
         "choice", "multichoice")
_ROWS = "_erp_extension_rows"  # document.__dict__ key: extension model -> its row (or None)


@dataclass(frozen=True)
class Extension:
    """What a module adds to the document type ``doctype`` ("<module>.<slug>") of another module.

    ``model``: the module's table of the values (``extension_columns``), with ``fields`` its
    declared fields (kinds: see KINDS). ``section``: the form and detail section they are shown
    under (default: at the end, without a heading). ``conditions``: transition name -> callables
    ``(document, user) -> [Issue]`` objecting to that step of the document's workflow; give
    each Issue a ``code`` (``Issue(msg, code="CRM-001")``) so callers and the violation
    registry know it by that, not by its text. ``transitions``: extra actions on the workflow
    (``core.workflow.Transition``, between its existing states), each with the permission
    ``<doctype>.<name>`` unless given.
    """
    doctype: str
    model: type | None = None
    fields: tuple = ()
    section: object = None
    conditions: dict = field(default_factory=dict)
    transitions: tuple = ()
    module: str = field(default="", compare=False)  # the extending module, set by core at start-up

    def __post_init__(self):
        object.__setattr__(self, "fields", tuple(replace(f, section=f.section or self.section)
                                                 for f in self.fields))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        if self.fields and self.model is None:
            raise ValueError(f"extension of {self.doctype}: fields need model=, the table they are kept in")
        for f in self.fields:
            if f.kind not in KINDS:
                raise ValueError(f"extension of {self.doctype}: field {f.name!r} is a {f.kind}; "
                                 f"an extension adds {', '.join(KINDS)}")
            if f.name not in self.model.__table__.columns:
                raise ValueError(f"extension of {self.doctype}: {self.model.__name__} has no column "
                                 f"{f.name!r} (build it with extension_columns(table, fields))")


def extension_columns(table: str, fields) -> type:
    """A mixin for an extension's model: ``id``, the extended document's id (its primary key and
    a foreign key to ``table``, the document type's table, rows removed with the document), and
    a column per declared field (as ``declared_columns``)."""
    class ExtensionRow(declared_columns(list(fields))):
        id: Mapped[int] = mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"),
                                        primary_key=True, autoincrement=False)
    return ExtensionRow


class ExtensionValue:
    """A field of an extension read and written as an attribute of the extended document."""

    def __init__(self, model: type, name: str):
        self.model, self.name = model, name

    def active(self) -> bool:
        return has_app_context() and self.model in current_app.extensions["erp"].extension_models

    def __get__(self, doc, owner):
        if doc is None:
            return self
        if not self.active():
            raise AttributeError(self.name)
        row = row_of(doc, self.model)
        if row is None:  # no row yet: the column's default, as a new row would have
            default = self.model.__table__.c[self.name].default
            return default.arg(None) if default is not None and default.is_callable else (
                default.arg if default is not None else None)
        return getattr(row, self.name)

    def __set__(self, doc, value):
        if not self.active():
            raise AttributeError(self.name)
        row = row_of(doc, self.model)
        if row is None:
            row = self.model()
            row.document = doc
            doc.__dict__.setdefault(_ROWS, {})[self.model] = row
            if doc.id is not None:
                db.session.add(row)
        if getattr(row, self.name) != value:
            setattr(row, self.name, value)
            if doc.id is not None:  # the document's version moves: a stale edit form is refused
                flag_modified(doc, "updated_at")


def row_of(doc, model):
    """The extension row of `doc` in `model` (None if it has none), read once per document."""
    rows = doc.__dict__.setdefault(_ROWS, {})
    if model not in rows:
        with db.session.no_autoflush:
            rows[model] = db.session.get(model, doc.id) if doc.id is not None else None
    return rows[model]


def preload(doctype, docs) -> list:
    """Read the extension rows of many documents in one query per extension (a list, an export
    chunk), so that reading their fields costs no query per document."""
    docs = list(docs)
    for model in extension_models_of(doctype):
        wanted = [d for d in docs if model not in d.__dict__.get(_ROWS, {}) and d.id is not None]
        if not wanted:
            continue
        found = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_([d.id for d in wanted])))}
        for d in wanted:
            d.__dict__.setdefault(_ROWS, {})[model] = found.get(d.id)
    return docs


def preloaded(doctype, docs, chunk: int = 1000):
    """`docs` (an iterator, e.g. an export's rows) with their extension rows read per chunk."""
    if not extension_models_of(doctype):
        yield from docs
        return
    batch = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == chunk:
            yield from preload(doctype, batch)
            batch = []
    yield from preload(doctype, batch)


def extension_models_of(doctype) -> tuple:
    return tuple(e.model for e in doctype.extensions if e.model is not None)


def apply(erp, extensions: list[tuple[str, Extension]]) -> None:
    """Put each module's extensions on the document types they extend (app start-up)."""
    from ..plugins import ModuleError
    for module, ext in extensions:
        doctype = erp.doctypes.get(ext.doctype)
        if doctype is None:
            raise ModuleError(f"module {module!r} extends document type {ext.doctype!r}, which no enabled "
                              f"module declares (name its module in the manifest's depends)")
        if ext.fields and not doctype.fields:
            raise ModuleError(f"module {module!r} extends {ext.doctype!r}, whose form is not built from "
                              f"declared fields: it cannot take extension fields")
        taken = {n for f in doctype.fields for n in (f.name, *f.attributes)} | set(
            doctype.model.__table__.columns.keys())
        for f in ext.fields:
            if f.name in taken:
                raise ModuleError(f"module {module!r} adds field {f.name!r} to {ext.doctype!r}, which "
                                  f"already has one of that name")
            _install(doctype.model, ext.model, f.name)
        ext = replace(ext, module=module)
        erp.doctypes[ext.doctype] = doctype.extended(ext, _workflow(doctype, ext, module))
        if ext.model is not None:
            erp.extension_models.add(ext.model)


def _install(target: type, model: type, name: str) -> None:
    """The attribute `name` of `target`'s documents reads and writes `model`'s column (once per
    process: apps without the extension find it inactive)."""
    existing = target.__dict__.get(name)
    if isinstance(existing, ExtensionValue) and existing.model is model:
        return
    if existing is not None:
        from ..plugins import ModuleError
        raise ModuleError(f"{target.__name__}.{name} is already defined; an extension field needs another name")
    if "document" not in model.__mapper__.attrs:
        model.__mapper__.add_property("document", relationship(target))
    setattr(target, name, ExtensionValue(model, name))


def _workflow(doctype, ext: Extension, module: str):
    wf = doctype.workflow
    if not ext.conditions and not ext.transitions:
        return wf
    from ..plugins import ModuleError
    if wf is None:
        raise ModuleError(f"module {module!r} adds workflow steps to {ext.doctype!r}, which has no workflow")
    names = {t.name for t in wf.transitions}
    unknown = set(ext.conditions) - names
    if unknown:
        raise ModuleError(f"module {module!r} sets conditions on {ext.doctype!r}'s transitions "
                          f"{', '.join(sorted(unknown))}, which its workflow does not have")
    clash = names & {t.name for t in ext.transitions}
    if clash:
        raise ModuleError(f"module {module!r} adds transitions {', '.join(sorted(clash))} to {ext.doctype!r}, "
                          f"which its workflow already has")
    transitions = [replace(t, conditions=t.conditions + tuple(ext.conditions.get(t.name, ())))
                   for t in wf.transitions]
    try:
        return replace(wf, transitions=transitions + list(ext.transitions))
    except ValueError as exc:
        raise ModuleError(f"module {module!r} extends {ext.doctype!r}'s workflow: {exc}") from exc


@event.listens_for(Session, "before_flush", insert=True)  # before the audit's: its rows are audited
def _add_new_rows(session, flush_context, instances):
    """A new document's extension rows join the session with it (flushed after it)."""
    for obj in list(session.new):
        rows = obj.__dict__.get(_ROWS)
        if rows:
            session.add_all(r for r in rows.values() if r is not None)

