"""Document types: a module declares one; core gives it list, detail, form, print, PDF, export,
import, API, history, attachments, comments and approvals.

    QUOTATION = DocType(  # or fields=[Field(...), ...] instead of form, schema and columns
        code="sales.quotation", model=Quotation, label=_l("Quotation"), label_plural=_l("Quotations"),
        form=QuotationForm, schema=QuotationSchema, workflow=QUOTATION_WORKFLOW, number_prefix="BJ",
        columns=[Column("customer_name", _l("Customer")), Column("amount", _l("Amount"), kind="money")],
        lines=Lines("lines", QuotationLine, QuotationLineForm,
                    [Column("item", _l("Item")), Column("qty", _l("Qty"), kind="number")]),
    )

Return it from the module's ``erp_document_types()`` hook.
"""
from dataclasses import dataclass, field, replace
from typing import Callable

from flask_babel import lazy_gettext as _l

from .formatting import chinese_amount, money  # noqa: F401  (for modules' prints)
from .models import Document  # noqa: F401  (the mixin modules build on)


@dataclass(frozen=True)
class Column:
    """A field shown in lists, detail pages, exports and prints."""
    name: str
    label: object
    kind: str = "text"          # text | money | number | date | datetime | state | user | bool | choice
    sortable: bool = True
    permission: str | None = None   # hidden (pages, exports, API) from users without it
    choices: dict | None = None     # kind "choice": stored value -> label


@dataclass(frozen=True)
class Action:
    """An extra button on the detail page leading to a module's own view (a special form).

    ``endpoint`` takes ``doc_id``; ``method="get"`` opens a page, ``"post"`` submits at once.
    Shown when the document is in one of ``states`` (all if empty) and the user holds
    ``permission`` (if any); the view itself must check again.
    """
    label: object
    endpoint: str
    permission: str | None = None
    states: tuple = ()
    method: str = "get"
    style: str = "outline-primary"

    def shown(self, doc, user) -> bool:
        return (not self.states or doc.state in self.states) and (
            self.permission is None or user.can(self.permission))


@dataclass(frozen=True)
class Related:
    """Records of another document type that point at this one, listed on its detail page.

    ``attribute`` is the other type's column holding this document's id. Only rows the user may
    see are listed, and nothing when the other type's module is off.
    """
    label: object
    code: str
    attribute: str
    limit: int = 20


@dataclass(frozen=True)
class Panel:
    """A module's own section on the detail page (a chart, a table of another part's figures):
    ``template`` rendered with ``data``, what ``context(document, user)`` returns (None: not
    shown), under ``label``; ``scripts`` and ``styles`` are static files the page loads for it::

        PROJECT.add_panel(Panel("engineering/schedule_gantt.html", schedule_panel, label=_l("Schedule"),
                                scripts=("vendor/frappe-gantt/frappe-gantt.umd.js", "js/gantt.js"),
                                styles=("vendor/frappe-gantt/frappe-gantt.css",)))
    """
    template: str
    context: Callable
    label: object = None
    scripts: tuple = ()
    styles: tuple = ()


@dataclass(frozen=True)
class Lines:
    """The document's line items: relationship attribute, line model, and either declared
    ``fields`` (core.documents.fields.Field: form and columns derived) or a line form and columns."""
    attribute: str
    model: type
    form: type | None = None
    columns: list = field(default_factory=list)
    blank_rows: int = 3
    fields: tuple = ()
    label: object = None        # the lines' heading (default "Lines"), e.g. _l("Scope of supply")
    # () -> list of dicts: the rows a new document's form starts with, e.g. a form's fixed criteria
    initial: object = None
    wide: bool = False          # the detail page gives them its full width (the timeline below)

    def __post_init__(self):
        if self.fields:
            from .derived import build_line_form
            object.__setattr__(self, "fields", tuple(self.fields))
            if self.form is None:
                object.__setattr__(self, "form", build_line_form(self))
            if not self.columns:
                object.__setattr__(self, "columns", [f.column() for f in self.fields if f.is_listed])
            names = {f.name for f in self.fields}
            for f in self.fields:
                if set(f.product) - names:
                    raise ValueError(f"line field {f.name!r}: product= names fields of the same line "
                                     f"({', '.join(sorted(set(f.product) - names))} are not)")

    @property
    def totals(self) -> tuple[str, ...]:
        """The line fields summed under the rows (``Field(..., total=True)``)."""
        return tuple(f.name for f in self.fields if f.total)

    @property
    def previewed(self) -> tuple:
        """The amounts the form previews as one types: line fields the module computes as a
        product of others (``Field(..., readonly=True, product=("qty", "unit_price"))``)."""
        return tuple(f for f in self.fields if f.product)


OVERDUE = Column("overdue", _l("Overdue"), kind="bool", sortable=False)  # a type with a Deadline


@dataclass(frozen=True)
class Deadline:
    """When a document is due and while it is still to be done: it is overdue once the clock
    passes the deadline in one of ``states``, computed wherever it is shown (lists and their
    ``?overdue=1`` filter, detail, API, dashboards, reminders), never stored at a moment that
    goes stale.

        DocType(..., deadline=Deadline("due_at", states=("draft",)))

    ``attribute``: a date column (due by the end of that day) or an aware datetime column.
    ``states``: default the workflow's initial state (a draft to hand in).
    """
    attribute: str
    states: tuple = ()

    def is_date(self, model) -> bool:
        from sqlalchemy import Date, DateTime
        kind = model.__table__.c[self.attribute].type
        return isinstance(kind, Date) and not isinstance(kind, DateTime)

    def moment(self, model, now):
        """What the deadline is compared with: today's date for a date column, else `now`."""
        from datetime import timezone
        # In UTC, as timestamps are stored (SQLite compares them as text, without their zone).
        return now.astimezone(_zone()).date() if self.is_date(model) else now.astimezone(timezone.utc)

    def clause(self, model, now):
        """SQL: overdue at `now` (a value or a bind parameter of moment())."""
        from sqlalchemy import and_
        return and_(model.state.in_(self.states), getattr(model, self.attribute) < now)

    def is_overdue(self, document, now) -> bool:
        due = getattr(document, self.attribute, None)
        if due is None or document.state not in self.states:
            return False
        moment = self.moment(type(document), now)
        if not self.is_date(type(document)) and due.tzinfo is None:  # SQLite: naive UTC
            from datetime import timezone
            due = due.replace(tzinfo=timezone.utc)
        return due < moment


@dataclass(frozen=True)
class PrintVariant:
    """Another print of a document beside the internal one, e.g. the copy the customer gets::

        PrintVariant("customer", _l("Customer's copy"), title="报价单",
                     omit=("total_cost", "margin_pct", "unit_cost"),
                     rows=lambda doc: [(_l("Total incl. tax"), money(doc.price_incl_tax)),
                                       (_l("In capitals"), chinese_amount(doc.price_incl_tax))])

    The detail page offers it beside Print (``.../print/<name>``, ``.../pdf/<name>``), to whoever
    may see the document. ``fields``: the declared fields printed (default: those of the internal
    print) less ``omit`` (fields and line columns left out, whatever the reader may see);
    ``rows``: (document) -> [(label, value)] printed after the lines (a third item true prints
    the value in bold: the amount in capitals); ``internal``: whether the
    owner, department and state are printed (not on a copy that leaves the company); ``note``:
    text (or (document) -> text) printed above the sign-off block; ``when``: (document) -> bool,
    whether this document has the print at all (default: every one), e.g. a form of one
    department's staff only: offered only then, and its address answers 404 on the others.
    """
    name: str
    label: object
    title: object = None
    fields: tuple | None = None
    omit: tuple = ()
    rows: Callable | None = None
    internal: bool = False
    note: object = None
    when: Callable | None = None

    def offered(self, document) -> bool:
        return self.when is None or bool(self.when(document))

    def note_text(self, document) -> str:
        if self.note is None:
            return ""
        return str(self.note(document) if callable(self.note) else self.note)


def _zone():
    from .. import calendar
    return calendar.timezone()


@dataclass
class DocType:
    code: str                       # "<module>.<slug>", e.g. "sales.quotation"
    model: type
    label: object
    label_plural: object
    form: type | None = None        # FlaskForm subclass for create/edit
    schema: type | None = None      # marshmallow Schema for the JSON API
    workflow: object = None         # core.workflow.Workflow
    number_prefix: str = ""
    number_reset: str = "yearly"    # yearly | monthly | never
    columns: list = field(default_factory=list)
    search: tuple = ()              # extra attributes searched besides number and title
    lines: Lines | None = None
    visibility: Callable | None = None   # (user) -> extra SQL clause: rows the user may also see
    # (document, user) -> bool: who besides its owner (and read_all) may edit it, e.g. a
    # project's engineers; they still need the edit permission.
    edited_by: Callable | None = None
    print_title: object = None      # paper form title, e.g. "客户巡访登记表"
    # The print's template when the paper form has its own layout (a family of forms with the same
    # header and signature blocks); it gets the same values as core's documents/print.html.
    print_template: str | None = None
    menu_order: int = 50
    menu: bool = True
    actions: list = field(default_factory=list)   # extra buttons (Action) on the detail page
    # Called after the values are set and before the commit, on every save (web form, import,
    # API): compute totals, create linked records; raise service.ValidationFailed to refuse.
    before_save: Callable | None = None
    related: list = field(default_factory=list)   # Related lists shown on the detail page
    panels: list = field(default_factory=list)    # modules' own sections (Panel) on the detail page
    # Declared fields (core.documents.fields.Field), each once: the form, API schema, list
    # columns and per-state guards are derived from them unless given above.
    fields: list = field(default_factory=list)
    deadline: Deadline | None = None   # when it is due: an "Overdue" column, filter and API value
    # A board of cards by workflow state beside the list (/<module>/<slug>/board): counts per
    # state, the newest cards of each, "more" leading to the list of that state.
    kanban: bool = False
    # What a user may add to the list's columns (core.documents.listing): the declared fields a
    # list can show, long texts included (clipped to one line); default: `columns` (those listed).
    offered_columns: list = field(default_factory=list)
    prints: list = field(default_factory=list)   # PrintVariant: other prints beside the internal one
    # What other modules add to it (core.documents.extensions.Extension), set at start-up.
    extensions: tuple = ()
    derived: tuple = field(default=(), init=False, repr=False)  # "form", "schema": built from fields

    def __post_init__(self):
        if self.fields:
            from .derived import build_form, build_schema
            self.derived = tuple(name for name in ("form", "schema") if getattr(self, name) is None)
            self.form = self.form or build_form(self)
            self.schema = self.schema or build_schema(self)
            # A listed field that is not a column of the table (a property) is not sorted by.
            stored = set(self.model.__table__.columns.keys())
            self.columns = self.columns or [
                c if c.name in stored or not c.sortable else replace(c, sortable=False)
                for c in (f.column() for f in self.fields if f.is_listed and f.name != "title")]  # listed always
        if self.deadline is not None:
            if not self.deadline.states:
                self.deadline = Deadline(self.deadline.attribute, (self.workflow.initial,))
            if not any(c.name == "overdue" for c in self.columns):
                self.columns = [*self.columns, OVERDUE]
        if self.kanban and self.workflow is None:
            raise ValueError(f"{self.code}: a board (kanban=True) shows a workflow's states")
        self.offered_columns = self.offered_columns or self._offered_columns()

    def extended(self, extension, workflow) -> "DocType":
        """This type with `extension`'s fields (form and schema built again) and `workflow`."""
        return replace(self, fields=[*self.fields, *extension.fields], workflow=workflow,
                       extensions=(*self.extensions, extension),
                       **{name: None for name in self.derived})

    def extension_of(self, name: str):
        """The Extension that adds the field called `name`, else None."""
        return next((e for e in self.extensions if any(f.name == name for f in e.fields)), None)

    def _offered_columns(self) -> list:
        """The list's columns, then every declared field a list cell can show (its own attribute
        on the model: simple kinds, long texts, people), in the order declared."""
        stored = set(self.model.__table__.columns.keys())
        names = {c.name for c in self.columns} | {"number", "title", "state", "owner", "created_at"}
        extra = []
        for f in self.fields:
            if f.name in names or f.kind in ("multichoice", "reference", "sig", "xsig"):
                continue
            if f.kind == "user" and not hasattr(self.model, f.name):
                continue
            column = f.column()
            if column.sortable and f.name not in stored:
                column = replace(column, sortable=False)
            extra.append(column)
        return [*self.columns, *extra]

    def declared(self, name: str):
        """The declared field called `name` (or holding attribute `name`), else None."""
        return next((f for f in self.fields if f.name == name or name in f.attributes), None)

    def asked(self, name: str):
        """The field called `name` of the document, of one of its actions asking for input or of
        its lines."""
        actions = [f for t in (self.workflow.transitions if self.workflow else ()) for f in t.fields]
        lines = list(self.lines.fields) if self.lines else []
        return self.declared(name) or next((f for f in actions + lines if f.name == name), None)

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def slug(self) -> str:
        return self.code.split(".", 1)[1]

    @property
    def endpoint_prefix(self) -> str:
        return f"{self.module}.{self.slug}"

    def relate(self, related) -> None:
        """List another part's or module's records on this type's detail page (idempotent: a
        module imported again adds nothing): ``CUSTOMER.relate(Related(_l("Receptions"), CODE,
        "customer_id"))``."""
        if not any(r.code == related.code and r.attribute == related.attribute for r in self.related):
            self.related.append(related)

    def add_action(self, action) -> None:
        """Add a button (Action) to this type's detail page from another part (idempotent)."""
        if not any(a.endpoint == action.endpoint for a in self.actions):
            self.actions.append(action)

    def add_panel(self, panel) -> None:
        """Add a section (Panel) to this type's detail page from another part (idempotent)."""
        if not any(p.template == panel.template for p in self.panels):
            self.panels.append(panel)

    def permission(self, action: str) -> str:
        return f"{self.code}.{action}"

    def transition_permission(self, transition) -> str:
        return transition.permission or self.permission(transition.name)

    def column(self, name: str):
        columns = list(self.columns) + list(self.offered_columns) + (list(self.lines.columns) if self.lines else []) + [
            f.column() for e in self.extensions for f in e.fields]
        return next((c for c in columns if c.name == name), None)

    def visible_columns(self, user) -> list:
        return [c for c in self.columns if c.permission is None or user.can(c.permission)]

    def visible_line_columns(self, user) -> list:
        if not self.lines:
            return []
        return [c for c in self.lines.columns if c.permission is None or user.can(c.permission)]

    def detail_columns(self, user) -> list:
        """What the detail page and the print show: every declared field the user may see (kind
        "declared", displayed by core.documents.fields.display), else the list's columns."""
        if not self.fields:
            return self.visible_columns(user)
        return [Column(f.name, f.label, kind="declared", permission=f.permission) for f in self.fields
                if (f.permission is None or user.can(f.permission)) and f.name != "title"  # shown above
                ] + ([OVERDUE] if self.deadline else [])

    def listable_columns(self, user) -> list:
        """The columns `user` may choose for the list (never a field hidden from him)."""
        return [c for c in self.offered_columns if c.permission is None or user.can(c.permission)]

    def is_long_text(self, name: str) -> bool:
        """A long text (textarea): clipped to one line in lists."""
        f = self.declared(name)
        return f is not None and f.kind == "textarea"

    def print_variant(self, name: str | None):
        """The PrintVariant called `name` (None: the internal print, returned as None)."""
        if name is None:
            return None
        return next((v for v in self.prints if v.name == name), None)

    def prints_for(self, document) -> list:
        """The PrintVariants `document` has (those whose ``when`` holds)."""
        return [v for v in self.prints if v.offered(document)]

    def hidden_fields(self, user) -> set[str]:
        cols = list(self.offered_columns) + (list(self.lines.columns) if self.lines else [])
        declared = list(self.fields) + (list(self.lines.fields) if self.lines else [])
        return {c.name for c in cols if c.permission and not user.can(c.permission)} | {
            name for f in declared if f.permission and not user.can(f.permission) for name in (f.name, *f.attributes)}

    def permissions(self):
        """The permission codes this document type brings, with English labels for the matrix."""
        from flask_babel import lazy_gettext as _l
        from ..auth.permissions import Permission
        label = self.label
        perms = [
            Permission(self.permission("read"), _l("%(doc)s: read own", doc=label)),
            Permission(self.permission("read_department"), _l("%(doc)s: read the department's", doc=label)),
            Permission(self.permission("read_all"), _l("%(doc)s: read all", doc=label)),
            Permission(self.permission("create"), _l("%(doc)s: create", doc=label)),
            Permission(self.permission("edit"), _l("%(doc)s: edit", doc=label)),
            Permission(self.permission("export"), _l("%(doc)s: export", doc=label)),
            Permission(self.permission("import"), _l("%(doc)s: import", doc=label)),
        ]
        if self.workflow is not None:
            for t in self.workflow.transitions:
                if t.kind not in ("approve", "reject", "recall") and t.permission is None and not t.automatic:
                    perms.append(Permission(self.permission(t.name), _l("%(doc)s: %(action)s", doc=label, action=t.label)))
        return perms
