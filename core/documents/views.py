"""Generic pages for every declared document type: one implementation, used by every module."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from pathlib import Path

from flask import (Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, HiddenField

from ..audit import log as audit
from ..audit.models import AuditEntry
from ..auth.decorators import require
from ..extensions import db
from ..workflow import engine
from . import formatting, listing, service
from .extensions import extension_models_of, preloaded
from .formatting import cell_text
from .listing import list_view
from .models import Attachment, Comment

EXPORT_LIMIT = 100_000


# ---- helpers ----------------------------------------------------------------------------------
def form_class(doctype):
    """The module's form, plus a FieldList for the lines when the type has lines."""
    if not doctype.lines:
        return doctype.form
    spec = doctype.lines
    # Each row carries its line's id (empty for a new row): a moved line keeps its other values.
    row = type(spec.form.__name__, (_translated(spec.form),), {"id": HiddenField()})
    return type(doctype.form.__name__, (doctype.form,), {spec.attribute: FieldList(FormField(row), min_entries=0)})


def _translated(form):
    """Line forms are plain WTForms forms: give them Flask-WTF's translations of built-in messages."""
    from flask_wtf.i18n import translations

    class Meta:
        def get_translations(self, form):
            return translations
    return type(form.__name__, (form,), {"Meta": Meta})


def _without_blank_lines(doctype, data: MultiDict) -> MultiDict:
    """Drop line rows the user left empty (a line emptied is removed) and renumber the rest in the
    order of their indexes (the rows' order on the page: core/static/js/lines.js numbers them so),
    so that blank rows are not validated."""
    if not doctype.lines:
        return data
    attr = doctype.lines.attribute
    # A default as the row shows it (a percent's 13 as "13.00"), else the row is never blank.
    defaults = {name: "" if field.default is None else field._value() if hasattr(field, "_value") else str(field.default)
                for name, field in doctype.lines.form()._fields.items()}
    pattern = re.compile(rf"^{attr}-(\d+)-(.+)$")
    rows: dict[int, list] = {}
    out = MultiDict()
    for key, value in data.items(multi=True):
        m = pattern.match(key)
        if m:
            rows.setdefault(int(m.group(1)), []).append((m.group(2), value))
        else:
            out.add(key, value)
    for new_index, (_index, fields) in enumerate(
            (i, f) for i, f in sorted(rows.items())
            # A row is blank when the user typed nothing: empty, or still the field's default.
            if any(str(v).strip() and str(v).strip() != defaults.get(k, "") for k, v in f if k not in ("csrf_token", "id"))):
        for name, value in fields:
            out.add(f"{attr}-{new_index}-{name}", value)
    return out


LINE_INDEX = "__index__"  # in the blank row the page copies to add a line (core/static/js/lines.js)


def _line_prototype(doctype, form):
    """A blank line row named ``lines-__index__-...``, its fields at their defaults: the form's
    "add a line" copies it."""
    if not doctype.lines or doctype.lines.attribute not in form._fields:
        return None
    lines_field = form[doctype.lines.attribute]
    options = {"name": f"{lines_field.name}-{LINE_INDEX}", "id": f"{lines_field.id}-{LINE_INDEX}",
               "_meta": lines_field.meta, "translations": lines_field._translations}
    row = lines_field.meta.bind_field(form, lines_field.unbound_field, options)
    row.process(None)
    return row


def _line_values(doctype, form) -> list[dict]:
    rows = []
    for entry in getattr(form, doctype.lines.attribute).entries:
        rows.append({name: field.data for name, field in entry.form._fields.items() if name != "csrf_token"})
    return rows


def _populate(doctype, form, doc, submitted=None):
    """Set the form's values on `doc`; a field the form showed as text (not the user's to change
    now) and the browser did not send is left as it is."""
    skip = {doctype.lines.attribute} if doctype.lines else set()
    if submitted is not None:
        skip |= {name for name in _locked(doctype, doc, current_user) if name not in submitted}
    for name, field in form._fields.items():
        if name in skip or name in ("csrf_token", "version") or not hasattr(doc, name):
            continue
        field.populate_obj(doc, name)
    if doctype.lines and doctype.lines.attribute in form._fields:
        service.set_lines(doctype, doc, _line_values(doctype, form))


def _locked(doctype, doc, user) -> set[str]:
    """The form inputs of declared fields `user` may not change in the document's state."""
    return {a for f in doctype.fields if not f.editable(doc.state, user) for a in f.attributes}


def form_sections(doctype, form, doc) -> list[tuple]:
    """(section label or None, [(form field, its text when shown rather than entered)]) in the
    declared order: what this person may fill in this state as inputs, the rest as text."""
    from .fields import display
    locked = _locked(doctype, doc, current_user) if doctype.fields else set()
    skip = {"csrf_token", doctype.lines.attribute if doctype.lines else ""}
    sections: dict = {}
    for f in form:
        if f.name in skip or f.type == "HiddenField":
            continue
        declared = doctype.declared(f.name) if doctype.fields else None
        if declared is not None and declared.permission and not current_user.can(declared.permission):
            continue  # hidden from who may not see it (the guard refuses it if sent anyway)
        text = None
        if f.name in locked:
            text = display(doctype, doc, declared)
            if not text and doc.id is None:
                continue  # a new document: what a later step fills in is not shown empty
            text = text or "—"
        sections.setdefault(declared.section if declared else None, []).append((f, text))
    return list(sections.items())


HIDDEN_IN_TIMELINE = {"version", "updated_at", "updated_by_id", "state", "created_at", "created_by_id", "id"}


def field_labels(doctype) -> dict:
    """Field name -> label, from the declared columns and the form (for the timeline)."""
    from wtforms.fields.core import UnboundField
    labels = {}
    if doctype.form is not None:
        for name in dir(doctype.form):
            attr = getattr(doctype.form, name, None)
            if isinstance(attr, UnboundField):
                label = attr.args[0] if attr.args else attr.kwargs.get("label")
                if label:
                    labels[name] = label
    labels.update({c.name: c.label for c in doctype.columns})
    for t in doctype.workflow.transitions if doctype.workflow else ():  # what actions asking for input set
        labels.update({a: f.label for f in t.fields for a in f.attributes if a not in labels})
    return labels


def _timeline(doctype, doc) -> list[dict]:
    """Approvals, transitions, field changes, comments and attachments, newest first: fields by
    their labels, values as staff read them (names, local times, translated choices), people by
    name; what staff never enter or see (versions, ids of internal columns) left out."""
    from ..auth.models import User
    items = []
    labels = field_labels(doctype)
    hidden = doctype.hidden_fields(current_user)
    # Other modules' extension rows share the document's id: their changes are the document's.
    extended = {m.__tablename__ for m in extension_models_of(doctype)}
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.model.in_([doc.__tablename__, *extended]), AuditEntry.record_id == str(doc.id))
        .order_by(AuditEntry.id.desc()).limit(200)).all()
    names = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_({e.user_id for e in entries if e.user_id}))).all()) if entries else {}
    for e in entries:
        if e.action == "print":  # audited, but not a step of the document's life
            continue
        data = json.loads(e.changes or "{}")
        action = e.action
        if e.model in extended and action == "insert":  # its first values: a change of the document
            action, data = "update", {k: [None, v] for k, v in data.items() if k != "id"}
        if action == "update":
            data = {str(labels[k]): [change_text(doctype, k, v) for v in (pair if isinstance(pair, list) else [pair])]
                    for k, pair in data.items()
                    if k not in HIDDEN_IN_TIMELINE and k not in hidden and k in labels}
            if not data:
                continue  # a transition's own state/version bump: shown by its transition entry
        elif action == "transition" and doctype.workflow is not None:
            transition = doctype.workflow.transition(data.get("transition", ""))
            data["label"] = transition.label if transition is not None else data.get("transition", "")
        items.append({"ts": e.ts, "kind": action, "actor": names.get(e.user_id, e.actor), "data": data})
    comments = db.session.scalars(select(Comment).where(Comment.doctype == doctype.code, Comment.doc_id == doc.id)).all()
    mentioned = {i for c in comments for i in (c.mentions or [])}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(mentioned)))} if mentioned else {}
    for c in comments:
        items.append({"ts": c.created_at, "kind": "comment", "actor": c.author.display_name if c.author else "",
                      "data": {"body": comment_markup(c.body, [people[i] for i in c.mentions or [] if i in people])}})
    items.sort(key=lambda i: i["ts"].replace(tzinfo=None), reverse=True)
    return items


def comment_markup(body: str, people):
    """A comment's text (escaped, as Markup) with the @mentions of `people` marked."""
    from markupsafe import Markup
    tokens = sorted({"@" + n for p in people for n in (p.full_name, p.username) if n}, key=len, reverse=True)
    if not tokens:
        return Markup.escape(body)
    parts = re.split("(" + "|".join(map(re.escape, tokens)) + ")", body)
    return Markup("").join(Markup('<span class="mention text-primary" data-mention>{}</span>').format(part)
                           if part in tokens else Markup.escape(part) for part in parts)


def change_text(doctype, attribute: str, value) -> str:
    """An audited value of `attribute` as staff read it (the audit keeps it as JSON)."""
    from types import SimpleNamespace

    from ..auth.models import User
    from .fields import SIG_DECISIONS, display
    if value is None or value == "" or value == []:
        return "—"
    f = doctype.asked(attribute)
    if f is None:  # a list column of a hand-written type, or a property
        column = doctype.column(attribute)
        kind = column.kind if column else "text"
        if kind == "user":
            value = db.session.get(User, value)
        return formatting.formatter(doctype, attribute, kind)(_revive(value, ""))
    if f.kind == "sig":
        part = attribute[len(f.name) + 1:]
        if part == "by_id":
            person = db.session.get(User, value)
            return person.display_name if person else f"#{value}"
        if part == "decision":
            return str(dict(SIG_DECISIONS).get(value, value))
        return formatting.formatter(doctype, attribute, "datetime")(_revive(value, "datetime" if part == "at" else ""))
    holder = SimpleNamespace(**{a: None for a in f.attributes})
    setattr(holder, attribute, _revive(value, f.kind))
    if f.kind == "user":
        setattr(holder, f.name, db.session.get(User, value))
    return display(doctype, holder, f) or "—"


def _revive(value, kind: str):
    """A value as the audit stored it (ISO text for times, text for decimals) back to its type."""
    from datetime import date, datetime
    from decimal import Decimal
    try:
        if kind == "datetime" and isinstance(value, str):
            return datetime.fromisoformat(value)
        if kind == "date" and isinstance(value, str):
            return date.fromisoformat(value)
        if kind in ("money", "decimal", "percent") and isinstance(value, str):
            return Decimal(value)
    except ValueError:
        pass
    return value


def _attachments(doctype, doc):
    return db.session.scalars(select(Attachment).where(
        Attachment.doctype == doctype.code, Attachment.doc_id == doc.id).order_by(Attachment.id)).all()


def _related(doctype, doc):
    """(Related, other doctype, rows) for the detail page; visibility applies to each list. All
    the lists come from one statement (a UNION ALL of each list's latest rows): a project shows
    twenty-odd of them, and a statement each cost more than their rows."""
    doctypes = current_app.extensions["erp"].doctypes
    lists, parts = [], []
    for rel in doctype.related:
        other = doctypes.get(rel.code)
        if other is None:
            continue
        if not service.can_open_list(other, current_user) and not other.visibility:
            continue
        model = other.model
        # The columns the list shows, not the documents (their lines, owners and signers).
        shown = select(literal_column(str(len(lists))).label("list_index"), model.id, model.number, model.title,
                       model.state, model.created_at).where(getattr(model, rel.attribute) == doc.id)
        latest = service.visible(other, current_user, shown).order_by(model.id.desc()).limit(rel.limit)
        parts.append(select(latest.subquery()))
        lists.append((rel, other, []))
    if parts:
        for row in db.session.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
            lists[row.list_index][2].append(row)
    for _rel, _other, rows in lists:
        rows.sort(key=lambda row: row.id, reverse=True)
    return lists


def _signatures(doctype, doc):
    """The print's sign-off boxes, in the order they were signed: who took each transition that
    `signs` (since the document last went back to its first state) and each approval step of the
    latest round (its approvers, or empty while waiting)."""
    from types import SimpleNamespace

    from ..auth.models import User
    wf = doctype.workflow
    if wf is None:
        return []
    boxes = []
    signing = {t.name: t for t in wf.transitions if t.signs}
    if signing:
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.model == doc.__tablename__, AuditEntry.record_id == str(doc.id),
            AuditEntry.action == "transition").order_by(AuditEntry.id)).all()
        trail = []
        for e in entries:
            data = json.loads(e.changes or "{}")
            if data.get("to") == wf.initial and data.get("from") != wf.initial:
                trail = []  # returned for changes: the earlier signatures no longer hold
            elif data.get("transition") in signing:
                trail.append((e, data))
        people = dict(db.session.execute(select(User.id, User.display_name).where(
            User.id.in_({e.user_id for e, _data in trail if e.user_id}))).all()) if trail else {}
        for e, data in trail:
            signer = SimpleNamespace(name=people.get(e.user_id, e.actor), at=e.ts, comment=data.get("comment", ""))
            boxes.append({"label": str(signing[data["transition"]].signs), "signed": [signer], "at": e.ts})
    if wf.steps:
        steps: dict[int, dict] = {}
        for t in engine.tasks(doctype, doc):
            box = steps.setdefault(t.step_index, {"label": t.label, "signed": [], "at": None})
            if t.status == "approved":
                box["signed"].append(SimpleNamespace(name=t.decided_by.display_name if t.decided_by else "",
                                                     at=t.decided_at, comment=t.comment))
                box["at"] = box["at"] or t.decided_at
        boxes.extend(steps[k] for k in sorted(steps))
    from datetime import datetime
    far = datetime.max
    return sorted(boxes, key=lambda b: b["at"].replace(tzinfo=None) if b["at"] else far)


# ---- registration -----------------------------------------------------------------------------
def register_doctype(app, doctype):
    base = f"/{doctype.module}/{doctype.slug}"
    ep = doctype.endpoint_prefix

    views = {}

    def add(rule, name, view, methods=("GET",)):  # a name given twice: two URLs of one view
        if name not in views:
            def bound(**kwargs):
                return view(doctype, **kwargs)
            bound.__name__ = f"{ep}_{name}"
            views[name] = login_required(bound)
        app.add_url_rule(base + rule, endpoint=f"{ep}_{name}", view_func=views[name], methods=list(methods))

    add("/", "list", list_view)
    add("/list/settings", "list_settings", listing.settings_view, ("POST",))
    add("/list/filters", "save_filter", listing.save_filter_view, ("POST",))
    add("/list/filters/<id:filter_id>/delete", "delete_filter", listing.delete_filter_view, ("POST",))
    add("/board", "board", listing.board_view)
    add("/export.<fmt>", "export", export_view)
    add("/new", "create", edit_view, ("GET", "POST"))
    add("/import", "import", import_view, ("GET", "POST"))
    add("/import/template.<fmt>", "import_template", import_template_view)
    add("/<id:doc_id>", "detail", detail_view)
    add("/<id:doc_id>/edit", "edit", edit_view, ("GET", "POST"))
    add("/<id:doc_id>/transitions/<name>", "transition", transition_view, ("POST",))
    add("/<id:doc_id>/transitions/<name>/input", "transition_input", transition_input_view, ("GET", "POST"))
    add("/<id:doc_id>/comments", "comment", comment_view, ("POST",))
    add("/<id:doc_id>/follow", "follow", follow_view, ("POST",))
    add("/<id:doc_id>/people", "people", people_view)
    add("/<id:doc_id>/attachments", "attach", attach_view, ("POST",))
    add("/<id:doc_id>/attachments/<id:attachment_id>", "attachment", attachment_view)
    add("/<id:doc_id>/print", "print", print_view)
    add("/<id:doc_id>/print/<variant>", "print", print_view)
    add("/choices/<field>", "choices", choices_view)
    add("/<id:doc_id>/pdf", "pdf", pdf_view)
    add("/<id:doc_id>/pdf/<variant>", "pdf", pdf_view)


# ---- export ----------------------------------------------------------------------------------
def _export_table(doctype):
    added = [f.column() for e in doctype.extensions for f in e.fields
             if f.permission is None or current_user.can(f.permission)]  # other modules' fields
    columns = [("number", _("Number")), ("title", _("Title")), ("state", _("State"))] + \
              [(c.name, str(c.label)) for c in doctype.visible_columns(current_user) + added] + \
              [("owner", _("Owner")), ("created_at", _("Created"))]
    kinds = {c.name: c.kind for c in doctype.columns + added}
    kinds.update({"state": "state", "owner": "user", "created_at": "datetime"})
    return columns, kinds


def _export_cells(doctype, columns, kinds, native: bool, text_cell):
    """One formatter per exported column (see formatting.formatter): 100,000 rows are formatted
    with labels and the time zone looked up once. `text_cell` makes the cells of text columns
    inert (numbers stay numbers, a negative one too)."""
    def column(name):
        kind = kinds.get(name, "text")
        fmt = formatting.formatter(doctype, name, kind, native)
        return fmt if kind in NUMERIC_KINDS else (lambda value: text_cell(fmt(value)))
    cells = [(name, column(name)) for name, _label in columns]
    return lambda doc: [fmt(getattr(doc, name, None)) for name, fmt in cells]


NUMERIC_KINDS = ("money", "number")
# OWASP's CSV injection: a spreadsheet reads a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A CSV text cell that a spreadsheet shows as text: a leading quote if it would be a formula."""
    return "'" + value if type(value) is str and value.startswith(FORMULA_START) else value


def xlsx_text(sheet):
    """XLSX text cells stay text: what would be a formula (or an error like #N/A) is written as a
    string cell marked "quote prefix", so Excel keeps it text even when the cell is edited."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    def cell(value):
        if type(value) is not str or not (value.startswith(FORMULA_START) or value in ERROR_CODES):
            return value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        text.quotePrefix = True
        return text
    return cell


def sheet_title(label) -> str:
    """Excel refuses \\ / ? * [ ] : in a sheet's name (the plural of 商机 is 商机/项目) and more
    than 31 characters."""
    return re.sub(r"[\\/?*\[\]:]", "-", str(label))[:31]


def export_view(doctype, fmt):
    require(current_user.can(doctype.permission("export")))
    if fmt not in ("csv", "xlsx"):
        abort(404)
    columns, kinds = _export_table(doctype)
    rows = preloaded(doctype, service.rows_for_export(doctype, current_user, request.args, EXPORT_LIMIT))
    filters = {k: v for k, v in request.args.items()}
    filename = f"{doctype.slug}.{fmt}"

    def audited(count):  # after reading: committing earlier would close the server-side cursor
        audit.record_now("export", doctype.model.__tablename__, "", {"format": fmt, "filters": filters, "rows": count})

    headers = [label for _name, label in columns]
    if fmt == "csv":
        values = _export_cells(doctype, columns, kinds, False, csv_text)
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(list(map(csv_text, headers)))
        count = 0
        for doc in rows:
            writer.writerow(values(doc))
            count += 1
        audited(count)
        return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(doctype.label_plural))
    text_cell = xlsx_text(sheet)
    values = _export_cells(doctype, columns, kinds, True, text_cell)
    sheet.append(list(map(text_cell, headers)))
    count = 0
    for doc in rows:
        sheet.append(values(doc))
        count += 1
    audited(count)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, download_name=filename, as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---- detail, edit -----------------------------------------------------------------------------
def _dialog_form(form, name: str):
    """An action's form in its dialog, its inputs' ids made unique on the page (#fix_price-comment)."""
    for f in form:
        f.id = f"{name}-{f.id}"
        f.label.field_id = f.id
    return form


def detail_view(doctype, doc_id):
    from . import following
    doc = service.get_visible(doctype, current_user, doc_id)
    from . import actions
    wf = doctype.workflow
    lines = list(getattr(doc, doctype.lines.attribute)) if doctype.lines else []
    transitions = engine.available(doctype, doc, current_user)
    # An action asking for input (its fields, a comment) is asked in a dialog on this page.
    dialogs = {t.name: _dialog_form(actions.page_form(doctype, t, doc, first=True), t.name)
               for t in transitions if t.button and t.fields}
    return render_template(
        "documents/detail.html", doctype=doctype, doc=doc, workflow=wf, cell=cell_text,
        columns=doctype.detail_columns(current_user), lines=lines,
        line_columns=doctype.visible_line_columns(current_user), line_totals=line_totals(doctype, lines),
        transitions=transitions, dialogs=dialogs,
        can_edit=service.can_edit(doctype, current_user, doc),
        timeline=_timeline(doctype, doc), attachments=_attachments(doctype, doc),
        approvals=engine.tasks(doctype, doc) if wf and wf.steps else [], form=FlaskForm(),
        related=_related(doctype, doc), following=following.is_following(doctype, doc, current_user),
        followers=following.followers(doctype, doc), panels=_panels(doctype, doc))


def _panels(doctype, doc) -> list[tuple]:
    """(panel, its data) for the modules' sections shown on this document's page."""
    out = []
    for panel in doctype.panels:
        data = panel.context(doc, current_user)
        if data is not None:
            out.append((panel, data))
    return out


def line_totals(doctype, lines):
    """The sums of the line fields declared ``total=True`` (None when the type sums none)."""
    from decimal import Decimal
    from types import SimpleNamespace
    if not doctype.lines or not doctype.lines.totals:
        return None
    return SimpleNamespace(**{name: sum((getattr(line, name) or 0 for line in lines), Decimal(0))
                              for name in doctype.lines.totals})


def _prefill(doctype, args):
    """A new document's declared fields given in the URL (``/new?visit_date=2026-03-02``, a
    related record's "new" button, a reminder's link): entered values, checked on saving."""
    typed = {a for f in doctype.fields if not f.readonly for a in f.attributes}
    values = MultiDict([(k, v) for k, v in args.items(multi=True) if k in typed])
    return values or None


def _with_defaults(F, prefill):
    """The values given in the URL, and the declared defaults of the fields they leave out (form
    data replaces every default: a default-on checkbox would otherwise open unticked)."""
    for name, bound in F(formdata=None)._fields.items():
        if name in prefill or bound.type in ("CSRFTokenField", "FieldList", "HiddenField") or \
                bound.data in (None, "", False, []):
            continue
        if bound.type == "BooleanField":
            prefill.add(name, "y")
        elif isinstance(bound.data, (list, tuple)):
            for value in bound.data:
                prefill.add(name, str(value))
        else:
            prefill.add(name, bound._value() if hasattr(bound, "_value") else str(bound.data))
    return prefill


def edit_view(doctype, doc_id=None):
    if doc_id is None:
        require(current_user.can(doctype.permission("create")))
        doc = service.new_document(doctype, current_user)
    else:
        doc = service.get_visible(doctype, current_user, doc_id)
        require(service.can_edit(doctype, current_user, doc))
    F = form_class(doctype)
    if request.method == "POST":
        form = F(formdata=_without_blank_lines(doctype, request.form))
        form.document = None if doc_id is None else doc  # for validators that compare with it
        for name in _locked(doctype, doc, current_user) - set(request.form):  # shown as text: as they are
            if name in form._fields:
                form[name].data = getattr(doc, name, None)
    else:
        prefill = _prefill(doctype, request.args) if doc_id is None else None
        form = F(formdata=_with_defaults(F, prefill)) if prefill else F(obj=doc if doc_id else None)
        if doctype.lines:
            lines_field = getattr(form, doctype.lines.attribute)
            if doc_id is None and doctype.lines.initial and not lines_field.entries:
                for row in doctype.lines.initial():
                    lines_field.append_entry(row)
            for _row in range(doctype.lines.blank_rows):
                lines_field.append_entry()
    status = 200
    if request.method == "POST":
        expected = request.form.get("version", type=int)
        if doc_id is not None and expected is not None and expected != doc.version:
            flash(str(engine.Conflict()), "danger")
            status = 409
        elif form.validate():
            _populate(doctype, form, doc, submitted=request.form)
            try:
                with db.session.no_autoflush:
                    service.before_save(doctype, doc)
                if doc_id is None:
                    service.assign_number(doctype, doc)
                    db.session.add(doc)
                service.commit(doctype)
            except StaleDataError:
                db.session.rollback()
                flash(str(engine.Conflict()), "danger")
                return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id)), 303
            except service.ValidationFailed as exc:
                db.session.rollback()
                for name, messages in exc.fields.items():
                    target = form._fields.get(name)
                    if target is not None:
                        target.errors = [*target.errors, *messages]
                    else:
                        form.form_errors.extend(messages)
                form.form_errors.extend(exc.errors)
                return render_template("documents/form.html", doctype=doctype, doc=doc, form=form,
                                       sections=form_sections(doctype, form, doc), creating=doc_id is None,
                                       line_prototype=_line_prototype(doctype, form)), 400
            flash(_("%(doc)s %(number)s saved.", doc=doctype.label, number=doc.number), "success")
            return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc.id))
        else:
            db.session.rollback()
            status = 400
    return render_template("documents/form.html", doctype=doctype, doc=doc, form=form,
                           sections=form_sections(doctype, form, doc), creating=doc_id is None,
                           line_prototype=_line_prototype(doctype, form)), status


# ---- workflow, comments, attachments ----------------------------------------------------------
def perform_and_report(doctype, doc, name, comment="", expected_version=None) -> bool:
    """Perform a transition for the signed-in user; refusals and conflicts become flash messages.

    Used by the generic transition button and by modules' special forms. True when it happened.
    """
    return _perform_or_flash(doctype, doc, name, comment, expected_version) is None


def _perform_or_flash(doctype, doc, name, comment, expected_version) -> int | None:
    """None when the transition happened; else the HTTP status of why not (flashed): 409 when
    someone else acted first, 422 when it was refused."""
    try:
        engine.perform(doctype, doc, name, current_user, comment, expected_version=expected_version)
    except engine.TransitionRefused as exc:
        db.session.rollback()
        for issue in exc.issues:
            flash(issue.message, "danger")
        return 422
    except engine.Conflict as exc:
        flash(str(exc), "danger")
        return 409
    return None


def transition_view(doctype, doc_id, name):
    doc = service.get_visible(doctype, current_user, doc_id)
    if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(400)
    if doctype.workflow is None or doctype.workflow.transition(name) is None:
        abort(404)
    if doctype.workflow.transition(name).fields:  # it asks for input: on its own page
        return redirect(url_for(f"{doctype.endpoint_prefix}_transition_input", doc_id=doc_id, name=name)), 303
    detail = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id)
    refused = _perform_or_flash(doctype, doc, name, request.form.get("comment", ""),
                                request.form.get("version", type=int))
    if refused == 409:  # the page as it is now, with who acted first
        return detail_view(doctype, doc_id), 409
    if refused:
        return redirect(detail), 303
    transition = doctype.workflow.transition(name)
    flash(transition.done_text(doc, doctype.workflow.state_label(doc.state)), "success")
    return redirect(detail)


def transition_input_view(doctype, doc_id, name):
    """The page of an action that asks for input (core.documents.actions)."""
    from . import actions
    doc = service.get_visible(doctype, current_user, doc_id)
    transition = doctype.workflow.transition(name) if doctype.workflow else None
    if transition is None or not transition.fields:
        abort(404)
    if doc.state not in transition.source and current_user.can(doctype.transition_permission(transition)):
        # An old link of someone who takes this step: the document has moved on meanwhile.
        flash(_("This action is no longer possible: the document is now %(state)s.",
                state=doctype.workflow.state_label(doc.state)), "warning")
        return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id)), 303
    require(transition in engine.available(doctype, doc, current_user))
    form = actions.page_form(doctype, transition, doc, first=request.method == "GET")
    status = 200
    if form.validate_on_submit():
        expected = request.form.get("version", type=int)
        with db.session.no_autoflush:
            problems = actions.apply(doctype, transition, doc, form.data, current_user)
        if problems:
            db.session.rollback()
            for name_, reasons in problems.items():
                (form._fields[name_].errors if name_ in form._fields else form.form_errors).extend(reasons)
            status = 400
        else:
            refused = _perform_or_flash(doctype, doc, name, form.comment.data or "", expected)
            if not refused:
                flash(transition.done_text(doc, doctype.workflow.state_label(doc.state)), "success")
                return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id))
            status = refused
    elif request.method == "POST":
        status = 400
    return render_template("documents/special_form.html", form=form, doc=doc, doctype=doctype,
                           heading=transition.label), status


def comment_view(doctype, doc_id):
    """A comment on the timeline; the colleagues it @mentions who may see the document are told
    (core.documents.following), those who may not are named to the author."""
    from . import following
    doc = service.get_visible(doctype, current_user, doc_id)
    body = (request.form.get("body") or "").strip()
    if not body:
        flash(_("The comment is empty."), "danger")
    else:
        posted = following.add_comment(doctype, doc, current_user, body, request.form.getlist("mentions"))
        db.session.commit()
        if posted.told:
            flash(_("Told: %(names)s.", names=", ".join(p.display_name for p in posted.told)), "success")
        if posted.not_told:
            flash(_("%(names)s may not see this document and were not told.",
                    names=", ".join(p.display_name for p in posted.not_told)), "warning")
    return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id) + "#timeline")


def follow_view(doctype, doc_id):
    """Follow or stop following the document (told of its transitions)."""
    from . import following
    doc = service.get_visible(doctype, current_user, doc_id)
    if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(400)
    on = request.form.get("follow", "1") == "1"
    following.set_following(doctype, doc, current_user, on)
    db.session.commit()
    flash(_("You follow %(number)s: you will be told of its steps.", number=doc.number) if on else
          _("You no longer follow %(number)s.", number=doc.number), "success")
    return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id))


def people_view(doctype, doc_id):
    """Colleagues for the comment box's @ list, with whether each may see the document."""
    from . import following
    doc = service.get_visible(doctype, current_user, doc_id)
    return jsonify(items=following.people_matching(doctype, doc, request.args.get("q", "")))


def _attachment_dir() -> Path:
    path = Path(current_app.config.get("ERP_ATTACHMENT_DIR") or Path(current_app.instance_path) / "attachments")
    path.mkdir(parents=True, exist_ok=True)
    return path


# What an attachment is stored and served as, from its checked extension: never what the client
# said (a browser could be told that an uploaded page is text/html).
CONTENT_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain", "csv": "text/csv", "zip": "application/zip", "rar": "application/vnd.rar",
    "7z": "application/x-7z-compressed", "dwg": "image/vnd.dwg", "vsd": "application/vnd.visio",
    "vsdx": "application/vnd.ms-visio.drawing"}
ALLOWED_EXTENSIONS = set(CONTENT_TYPES)
# The kinds puremagic must find in a file of each binary extension (it names all a signature may
# be: a ZIP is also .docx, .xlsx...; it has no name for .vsdx, a ZIP too).
SIGNATURES = {ext: {ext} for ext in ("pdf", "jpg", "jpeg", "png", "gif", "doc", "xls", "ppt", "docx", "xlsx",
                                      "pptx", "zip", "rar", "7z", "dwg", "vsd")} | {"vsdx": {"zip"}}
PLAIN_TEXT_KINDS = {"", "txt", "csv", "json"}  # "": a byte-order mark


def content_type_for(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def contents_match(extension: str, data: bytes) -> bool:
    """Whether the file's contents are of the kind its extension says: a .pdf that is really a
    web page or a program is not; text (and an extension without a known signature) must not
    look like anything else."""
    import puremagic
    try:
        kinds = {m.extension.lstrip(".").lower() for m in puremagic.magic_string(data)} if data else set()
    except puremagic.PureError:  # no known signature
        kinds = set()
    if extension in SIGNATURES:
        return bool(kinds & SIGNATURES[extension])
    return kinds <= PLAIN_TEXT_KINDS | {extension}


def keep_attachment(doctype_code: str, doc_id: int, name: str, data: bytes, user) -> Attachment:
    """Store `data` as an attachment of the document named `name` (checked by the caller; a
    module keeps a file it received, e.g. an imported test export), not committed."""
    stored = uuid.uuid4().hex
    (_attachment_dir() / stored).write_bytes(data)
    attachment = Attachment(doctype=doctype_code, doc_id=doc_id, filename=name[:255],
                            content_type=content_type_for(name), size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), stored_name=stored, uploaded_by_id=user.id)
    db.session.add(attachment)
    return attachment


def attach_view(doctype, doc_id):
    doc = service.get_visible(doctype, current_user, doc_id)
    upload = request.files.get("file")
    back = redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc_id) + "#attachments")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "danger")
        return back
    name = Path(upload.filename).name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = current_app.config.get("ERP_ATTACHMENT_EXTENSIONS", ALLOWED_EXTENSIONS)
    if extension not in allowed:
        flash(_("Files of type “%(ext)s” are not accepted.", ext=extension or "?"), "danger")
        return back
    data = upload.read()
    limit = current_app.config.get("ERP_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
    if len(data) > limit:
        flash(_("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)), "danger")
        return back
    if not contents_match(extension, data):
        flash(_("“%(name)s” is not a real %(ext)s file: its contents are of another kind.", name=name,
                ext=extension), "danger")
        return back
    keep_attachment(doctype.code, doc.id, name, data, current_user)
    db.session.commit()
    flash(_("Uploaded %(name)s.", name=name), "success")
    return back


def attachment_view(doctype, doc_id, attachment_id):
    doc = service.get_visible(doctype, current_user, doc_id)
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.doctype != doctype.code or att.doc_id != doc.id:
        abort(404)
    # Always as a download, typed by the extension (also for files stored with the client's type).
    return send_file(_attachment_dir() / att.stored_name, download_name=att.filename, as_attachment=True,
                     mimetype=content_type_for(att.filename))


def choices_view(doctype, field):
    """What a reference field (of the document or of an action asking for input) offers as the
    user types: records of its target he may see (and, for a field depending on others, those
    its `where` admits for their values as the form sends them)."""
    from .fields import dependency_values, reference_choices
    declared = doctype.asked(field)
    require(service.can_open_list(doctype, current_user))
    if declared is None or declared.kind != "reference":
        abort(404)
    query = (request.args.get("q") or "").strip()[:100]
    doc = dependency_values(doctype, declared, request.args) if declared.depends_on else None
    items = [{"value": value, "text": text}
             for value, text in reference_choices(declared, current_user, query=query, doc=doc)]
    empty = None  # why there is nothing to choose, for the dropdown to say
    if not items:
        empty = _("No match for “%(query)s”.", query=query) if query else \
            str(declared.refusal) if declared.refusal else _("Nothing to choose yet: no record you may see fits here.")
    return jsonify(items=items, empty=empty)


# ---- print and PDF ----------------------------------------------------------------------------
def _variant(doctype, name, doc):
    variant = doctype.print_variant(name)
    if name is not None and (variant is None or not variant.offered(doc)):
        abort(404)
    return variant


def _print_html(doctype, doc, variant=None):
    """The print of `doc`: the internal one, or a PrintVariant (a customer's copy)."""
    lines = list(getattr(doc, doctype.lines.attribute)) if doctype.lines else []
    from ..org.models import Company
    company = db.session.scalar(select(Company.name).order_by(Company.id).limit(1)) or ""
    columns = doctype.detail_columns(current_user)
    line_columns = doctype.visible_line_columns(current_user)
    if variant is not None:
        if variant.fields is not None:
            columns = [c for name in variant.fields for c in columns if c.name == name]
        columns = [c for c in columns if c.name not in variant.omit]
        line_columns = [c for c in line_columns if c.name not in variant.omit]
    return render_template(doctype.print_template or "documents/print.html", doctype=doctype, doc=doc, cell=cell_text,
                           columns=columns, lines=lines, line_columns=line_columns, variant=variant,
                           rows=[(str(row[0]), row[1], len(row) > 2 and bool(row[2]))
                                 for row in (variant.rows(doc) if variant and variant.rows else [])],
                           signatures=_signatures(doctype, doc), company=company)


def print_view(doctype, doc_id, variant=None):
    doc = service.get_visible(doctype, current_user, doc_id)
    chosen = _variant(doctype, variant, doc)
    audit.record_now("print", doc.__tablename__, doc.id, {"number": doc.number, **({"variant": variant} if variant else {})})
    return _print_html(doctype, doc, chosen)


def pdf_view(doctype, doc_id, variant=None):
    doc = service.get_visible(doctype, current_user, doc_id)
    chosen = _variant(doctype, variant, doc)
    html = _print_html(doctype, doc, chosen)
    from weasyprint import HTML
    pdf = HTML(string=html, base_url=request.host_url).write_pdf()
    audit.record_now("print", doc.__tablename__, doc.id,
                     {"number": doc.number, "format": "pdf", **({"variant": variant} if variant else {})})
    name = f"{doc.number}-{variant}" if variant else doc.number
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={name}.pdf"})


# ---- import -----------------------------------------------------------------------------------
def _import_fields(doctype):
    form = doctype.form(meta={"csrf": False}, formdata=None)
    return [(name, str(field.label.text)) for name, field in form._fields.items()
            if name not in ("csrf_token", "version")]


def import_template_view(doctype, fmt):
    require(current_user.can(doctype.permission("import")))
    headers = [label for _name, label in _import_fields(doctype)]
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer).writerow(list(map(csv_text, headers)))
        return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={doctype.slug}-template.csv"})
    if fmt != "xlsx":
        abort(404)
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(doctype.label))
    sheet.append(list(map(xlsx_text(sheet), headers)))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, download_name=f"{doctype.slug}-template.xlsx", as_attachment=True)


def _read_rows(upload) -> list[list[str]]:
    name = (upload.filename or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    text = data.decode("utf-8-sig")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def import_view(doctype):
    require(current_user.can(doctype.permission("import")) and current_user.can(doctype.permission("create")))
    report = None
    status = 200
    if request.method == "POST":
        if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
            abort(400)
        upload = request.files.get("file")
        dry_run = bool(request.form.get("dry_run"))
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload."), "danger")
            return redirect(url_for(f"{doctype.endpoint_prefix}_import"))
        try:
            rows = _read_rows(upload)
        except Exception:
            flash(_("The file cannot be read. Use the template (CSV in UTF-8 or XLSX)."), "danger")
            return redirect(url_for(f"{doctype.endpoint_prefix}_import"))
        report = import_rows(doctype, rows, dry_run)
        status = 200 if report["ok"] else 400
    return render_template("documents/import.html", doctype=doctype, report=report,
                           fields=_import_fields(doctype), form=FlaskForm()), status


def import_rows(doctype, rows: list[list[str]], dry_run: bool) -> dict:
    """Validate every row with the document's own form; save all or nothing."""
    fields = _import_fields(doctype)
    by_header = {label: name for name, label in fields} | {name: name for name, _label in fields}
    if not rows:
        return {"ok": False, "errors": [(0, _("The file is empty."))], "count": 0, "saved": False}
    header = rows[0]
    unknown = [h for h in header if h and h not in by_header]
    if unknown:
        return {"ok": False, "errors": [(1, _("Unknown columns: %(cols)s", cols=", ".join(unknown)))],
                "count": 0, "saved": False}
    names = [by_header.get(h) for h in header]
    errors, docs = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        data = MultiDict([(n, v) for n, v in zip(names, row) if n])
        form = doctype.form(formdata=data, meta={"csrf": False})
        form.document = None
        if not form.validate():
            for name, messages in form.errors.items():
                label = dict(fields).get(name, name)
                for message in messages:
                    errors.append((number, f"{label}: {message}"))
            continue
        doc = service.new_document(doctype, current_user)
        _populate(doctype, form, doc)
        try:
            with db.session.no_autoflush:
                service.before_save(doctype, doc)
        except service.ValidationFailed as exc:
            for name, messages in exc.fields.items():
                label = dict(fields).get(name, name)
                errors.extend((number, f"{label}: {m}") for m in messages)
            errors.extend((number, m) for m in exc.errors)
            continue
        docs.append(doc)
    ok = not errors
    saved = False
    if ok and not dry_run and docs:
        service.assign_numbers(doctype, docs)  # one counter update for the whole batch
        for doc in docs:
            db.session.add(doc)
        audit.record(db.session, "import", doctype.model.__tablename__, "", {"rows": len(docs)})
        try:
            service.commit(doctype)
            saved = True
        except service.ValidationFailed as exc:  # a value the file repeats, or one already saved
            labels = dict(fields)
            errors = [(0, f"{labels.get(name, name)}: {m}") for name, ms in exc.fields.items() for m in ms]
            errors += [(0, m) for m in exc.errors]
            return {"ok": False, "errors": errors, "count": len(docs), "saved": False, "dry_run": dry_run}
    else:
        db.session.rollback()
    return {"ok": ok, "errors": errors, "count": len(docs), "saved": saved, "dry_run": dry_run}
