"""A document type's list page: its rows rendered in Python a column at a time from a layout
built once per worker, its chrome (title, buttons, filters, header) rendered once per worker for
each set of filters. The page's speed at 100,000 rows lives here (see bench/README.md)."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from urllib.parse import urlencode

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone, gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import signals
from ..auth import access
from ..auth.decorators import require
from ..extensions import db
from . import formatting, service
from .models import SavedView


LIST_SIZES = (20, 50, 100, 200)
# Where the user's CSRF token goes in a cached chrome: the chrome is the same for everyone with
# the same filters, the token is not (it is put in at each request).
CSRF_MARK = "\x00csrf\x00"
# Arguments that do not filter: an empty list with only these is empty, not "no match".
NOT_FILTERS = ("sort", "size", "group", "after", "before", "page")


def list_view(doctype):
    user = current_user._get_current_object()
    require(service.can_open_list(doctype, user))
    settings, favourites = _saved_views(doctype, user)
    default_size = settings.page_size if settings is not None and settings.page_size else \
        current_app.config["ERP_PAGE_SIZE"]
    size = min(max(request.args.get("size", default_size, type=int) or 50, 10), 200)
    columns = chosen_columns(doctype, user, settings)
    group = request.args.get("group") or ""
    if group and group not in dict(service.group_options(doctype, user)):
        service.refuse_hidden_fields(doctype, user, request.args)  # a hidden field: 400, never ignored
        group = ""
    # The list's filters and sort, without the page: links never carry the row a page continued
    # from (sorting starts again at page 1), only previous/next add theirs, so that they do not
    # count rows with OFFSET (service.page); exports take every filtered row.
    view = {k: v for k, v in request.args.lists() if k not in ("after", "before", "page")}
    base = url_for(f"{doctype.endpoint_prefix}_list")

    def page_url(n, **changes):  # built here, not by url_for: a page has a dozen of them
        merged = {**view, **{k: [v] for k, v in changes.items()}, "page": [n]}
        return f"{base}?{urlencode(merged, doseq=True)}"
    detail = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=1)
    layout = _list_layout(doctype, columns, detail[:-1])
    choices = Choices(tuple(c.name for c in doctype.listable_columns(user)), size, group, favourites)
    if group:
        sums = [c for c in columns if c.kind == "money" and c.name in doctype.model.__table__.columns]
        groups = service.groups(doctype, user, request.args, group, [c.name for c in sums])
        chrome = _list_chrome(doctype, layout, user, view, request.args.get("sort") or "-id", base, page_url, choices)
        return render_template("documents/list.html", layout=layout, chrome=chrome, groups=groups, sums=sums,
                               group_url=lambda link: _group_url(base, view, link), page=1, empty=_empty(view),
                               doctype=doctype, money=formatting.money,
                               prev_url=None, next_url=None)
    rows, number, has_next, sort_key = service.page(doctype, user, request.args, size,
                                                    fields=[c.name for c in columns])
    prev_url = (page_url(number - 1, before=rows[0].id) if rows and number > 2 else page_url(number - 1)) \
        if number > 1 else None
    next_url = page_url(number + 1, after=rows[-1].id) if has_next and rows else None
    return render_template("documents/list.html", layout=layout, rows=_list_rows(layout, rows),
                           chrome=_list_chrome(doctype, layout, user, view, sort_key, base, page_url, choices),
                           page=number, prev_url=prev_url, next_url=next_url,
                           empty=None if rows else _empty(view), doctype=doctype)


def _empty(view) -> dict:
    """What an empty list says: no match for its filters (clear them), else none yet."""
    return {"filtered": any(v and any(v) for k, v in view.items() if k not in NOT_FILTERS)}


def _group_url(base, view, link) -> str:
    """The list of a group's rows: the list's filters and sort, the group's value, no grouping."""
    merged = {k: v for k, v in view.items() if k != "group"} | {k: [v] for k, v in link.items()}
    return f"{base}?{urlencode(merged, doseq=True)}"


@dataclass(frozen=True)
class Settings:
    columns: str       # chosen column names, comma-separated ("": the type's)
    page_size: int | None


@dataclass(frozen=True)
class Choices:
    """What the user chose for a list beyond its filters: the columns offered to him, the page
    size, the grouping and his saved filters (and those shared): part of the chrome's cache key."""
    offered: tuple
    size: int
    group: str
    favourites: tuple  # (id, name, query, mine, shared)


# Saved views change rarely: a worker keeps each user's per type while the "lists" cache signal
# (core.signals), read with the user at the start of the request, keeps its stamp; every write
# of a saved view gives it a new one. No stamp yet: no saved view was ever written.
SIGNAL = "lists"
access.read_with_user(SIGNAL, lambda: signals.stamp_of(SIGNAL))


def _changed_views():
    """Called before committing a change of saved views: every worker reads them again."""
    signals.bump(SIGNAL, db.session.connection())


def _saved_views(doctype, user):
    """(the user's settings of this list or None, the saved filters he sees), from the worker's
    store while the "lists" stamp holds (no query), else one query."""
    if g.get("_erp_read_with_user") is not None and g._erp_read_with_user[0] == user.id:
        stamp = access.read_with_user_value(SIGNAL, user.id)
        if stamp is None:
            return None, ()
        return current_app.extensions["erp"].caches.saved_views.get(
            (user.id, doctype.code, stamp), lambda: _read_saved_views(doctype, user))
    return _read_saved_views(doctype, user)


def _read_saved_views(doctype, user):
    from sqlalchemy import or_, select
    V = SavedView
    rows = db.session.execute(select(V.id, V.user_id, V.name, V.query, V.columns, V.page_size, V.shared).where(
        V.doctype == doctype.code, or_(V.user_id == user.id, V.shared.is_(True))).order_by(V.name, V.id)).all()
    settings = next((Settings(r.columns, r.page_size) for r in rows if r.user_id == user.id and r.name == ""), None)
    favourites = tuple((r.id, r.name, r.query, r.user_id == user.id, r.shared) for r in rows if r.name)
    return settings, favourites


def chosen_columns(doctype, user, settings=None) -> list:
    """The list's columns for `user`: those he chose (in his order, only what he may see), else
    the type's default ones."""
    if settings is not None and settings.columns:
        offered = {c.name: c for c in doctype.listable_columns(user)}
        chosen = [offered[n] for n in settings.columns.split(",") if n in offered]
        if chosen:
            return chosen
    return doctype.visible_columns(user)


def settings_view(doctype):
    """POST: the columns and page size the user chose for the list (``reset``: the defaults)."""
    user = current_user._get_current_object()
    require(service.can_open_list(doctype, user))
    row = db.session.scalar(db.select(SavedView).filter_by(user_id=user.id, doctype=doctype.code, name=""))
    if row is None:
        row = SavedView(user_id=user.id, doctype=doctype.code, name="", query="", shared=False)
        db.session.add(row)
    offered = {c.name for c in doctype.listable_columns(user)}
    if request.form.get("reset"):
        row.columns, row.page_size = "", None
    else:
        row.columns = ",".join(n for n in dict.fromkeys(request.form.getlist("columns")) if n in offered)
        size = request.form.get("size", type=int)
        row.page_size = size if size in LIST_SIZES else None
    _changed_views()
    db.session.commit()
    return redirect(_back(doctype))


def save_filter_view(doctype):
    """POST: the list's current filters and sort saved under a name (the same name replaces it),
    for the user or shared with everyone who may open the list."""
    user = current_user._get_current_object()
    require(service.can_open_list(doctype, user))
    name = (request.form.get("name") or "").strip()[:100]
    if not name:
        flash(_("Give the filter a name."), "danger")
        return redirect(_back(doctype))
    query = _clean_query(request.form.get("query") or "")
    row = db.session.scalar(db.select(SavedView).filter_by(user_id=user.id, doctype=doctype.code, name=name))
    if row is None:
        row = SavedView(user_id=user.id, doctype=doctype.code, name=name, columns="")
        db.session.add(row)
    row.query, row.shared = query, bool(request.form.get("shared"))
    _changed_views()
    db.session.commit()
    flash(_("Filter “%(name)s” saved.", name=name), "success")
    return redirect(url_for(f"{doctype.endpoint_prefix}_list") + (f"?{query}" if query else ""))


def delete_filter_view(doctype, filter_id):
    """POST: delete one of the user's own saved filters."""
    user = current_user._get_current_object()
    require(service.can_open_list(doctype, user))
    row = db.session.get(SavedView, filter_id)
    if row is None or row.user_id != user.id or row.doctype != doctype.code or not row.name:
        abort(404)
    db.session.delete(row)
    _changed_views()
    db.session.commit()
    return redirect(_back(doctype))


def _clean_query(query: str) -> str:
    """A list's query string as saved: its filters and sort, never a page or the row it started at."""
    from urllib.parse import parse_qsl
    pairs = [(k, v) for k, v in parse_qsl(query[:2000]) if k not in ("after", "before", "page") and v]
    return urlencode(pairs)


def _back(doctype) -> str:
    """The list the form was sent from (its filters kept), never another site."""
    base = url_for(f"{doctype.endpoint_prefix}_list")
    query = _clean_query(request.form.get("query") or "")
    return base + (f"?{query}" if query else "")


def _list_chrome(doctype, layout, user, view, sort_key, base, page_url, choices) -> Markup:
    """Title, buttons, filters and header of a list (documents/_list_chrome.html): the same for
    every page of the same filters, sort and user's choices, so rendered once per worker for each
    (the user's CSRF token put in afterwards)."""
    from flask_wtf.csrf import generate_csrf
    permissions = user.permissions
    can = tuple(doctype.permission(action) in permissions for action in ("import", "export", "create"))
    key = ("list-chrome", doctype.code, layout.names, str(get_locale()), base, can, choices,
           tuple(sorted((k, tuple(v)) for k, v in view.items())))  # the sort is among them

    def render():
        query = urlencode(view, doseq=True)
        sums = [c for c in layout.columns if c.kind == "money" and c.name in doctype.model.__table__.columns]
        return Markup(render_template(
            "documents/_list_chrome.html", doctype=doctype, layout=layout, filters=view, choices=choices,
            value=lambda name: (view.get(name) or [""])[0], header=_list_header(layout, sort_key, page_url),
            can_import=can[0], can_export=can[1], can_create=can[2], query=query, csrf=CSRF_MARK,
            offered=[(c.name, str(c.label)) for c in doctype.listable_columns(user)], sizes=LIST_SIZES,
            groups=service.group_options(doctype, user), sums=sums, base=base))
    chrome = current_app.extensions["erp"].caches.fragments.get(key, render)
    return Markup(chrome.replace(CSRF_MARK, generate_csrf()))


@dataclass(frozen=True)
class ListLayout:
    """What the list of a type looks like for given listed columns, language, time zone and URL
    prefix: built once per worker (_list_layout), as it is the same on every request."""
    title: str
    states: list     # (code, label) for the state filter
    header: list     # (column name, label, sortable, css class)
    names: tuple     # what a row's values are read by
    render: Callable[[list], str]  # the rows' values of `names` -> their <tr>s
    columns: tuple = ()  # the listed columns (core.documents.Column)


def _list_layout(doctype, columns, detail_prefix) -> ListLayout:
    key = ("list", doctype.code, tuple(c.name for c in columns), str(get_locale()), str(get_timezone()),
           detail_prefix)
    return current_app.extensions["erp"].caches.list_layouts.get(
        key, lambda: _build_list_layout(doctype, columns, detail_prefix))


def _build_list_layout(doctype, columns, detail_prefix) -> ListLayout:
    names, render = _rows_renderer(doctype, columns, detail_prefix)
    header = [("number", _("Number"), True, ""), ("title", _("Title"), True, "")]
    if doctype.workflow:
        header.append(("state", _("State"), True, ""))
    header += [(c.name, str(c.label), c.sortable, "text-end" if c.kind in ("money", "number") else "")
               for c in columns]
    header += [("owner", _("Owner"), False, ""), ("created_at", _("Created"), True, "")]
    states = [(code, str(label)) for code, label in doctype.workflow.states.items()] if doctype.workflow else []
    return ListLayout(str(doctype.label_plural), states, header, names, render, tuple(columns))


def _list_header(layout, sort_key, page_url) -> list[tuple]:
    """(label, link sorting by the column or None, arrow, css class) per column of the list."""
    def head(name, label, sortable, css):
        if not sortable:
            return label, None, "", css
        arrow = " ▲" if sort_key == name else " ▼" if sort_key == "-" + name else ""
        return label, page_url(1, sort="-" + name if sort_key == name else name), arrow, css
    return [head(*column) for column in layout.header]


def _list_rows(layout, rows) -> Markup:
    """The list's body, <tr> per row. `rows`: documents, or service.page's plain rows (which
    have the same names, read here by position: a Row's lookup by name costs more than the cell)."""
    if not rows:
        return Markup()
    fields = getattr(rows[0], "_fields", None)
    values = itemgetter(*map(fields.index, layout.names)) if fields else attrgetter(*layout.names)
    return Markup(layout.render(list(map(values, rows))))


def _rows_renderer(doctype, columns, detail_prefix):
    """(the names a row is read by, a function from the rows' values to their HTML). A page is
    50 rows × a dozen cells: formatted a column at a time with the column's formatter, escaped
    only in the columns that need it and filled into one string a row, they cost a fraction of
    what Jinja spends outputting them one by one."""
    names = ["id", "number", "title", "state"]
    formats = [str, _text, _text, _text]
    prefix = html.escape(detail_prefix).replace("{", "{{").replace("}", "}}")

    def label(text) -> str:  # what a cell is, shown before it on a phone (erp.css: erp-stack)
        return html.escape(str(text)).replace("{", "{{").replace("}", "}}")
    template = [f'<tr><td data-label="{label(_("Number"))}"><a href="' + prefix + '{0}">{1}</a></td>'
                f'<td data-label="{label(_("Title"))}">{{2}}</td>']
    if doctype.workflow:
        names.append("state")
        formats.append(formatting.formatter(doctype, "state", "state"))
        template.append(f'<td data-label="{label(_("State"))}"><span class="badge text-bg-light border" '
                        'data-state="{3}">{4}</span></td>')
    for c in columns:
        i = len(names)
        names.append(c.name)
        formats.append(formatting.formatter(doctype, c.name, c.kind))
        if c.kind in ("money", "number"):
            template.append(f'<td class="text-end" data-label="{label(c.label)}">{{{i}}}</td>')
        elif doctype.is_long_text(c.name):  # one line, clipped: a long text never makes a row tall
            template.append(f'<td class="list-clip" data-label="{label(c.label)}">{{{i}}}</td>')
        else:
            template.append(f'<td data-label="{label(c.label)}">{{{i}}}</td>')
    names += ["owner_name", "created_at"]
    formats += [_text, formatting.formatter(doctype, "created_at", "day")]
    template.append(f'<td data-label="{label(_("Owner"))}">{{{len(names) - 2}}}</td>'
                    f'<td class="text-nowrap" data-label="{label(_("Created"))}">{{{len(names) - 1}}}</td></tr>')
    fill = "".join(template).format

    def render(rows):
        columns = []
        for format, values in zip(formats, zip(*rows)):
            texts = list(map(format, values))  # formatters give "" for None
            if _UNSAFE("".join(texts)):  # most columns have nothing to escape: look once each
                texts = list(map(html.escape, texts))
            columns.append(texts)
        return "".join(map(fill, *columns))
    return tuple(names), render


def _text(value) -> str:
    return "" if value is None else str(value)


_UNSAFE = re.compile(r"[&<>\"']").search




BOARD_CARDS = 20  # cards a board shows per state; "more" leads to the list of that state


def board_view(doctype):
    """A type's board (DocType(kanban=True)): a column per workflow state with its count and its
    newest cards, each linking to its document; the list's search and filters apply. Cards are
    not dragged: a state changes through the workflow's actions on the document."""
    user = current_user._get_current_object()
    if not doctype.kanban:
        abort(404)
    require(service.can_open_list(doctype, user))
    columns = service.board(doctype, user, request.args, BOARD_CARDS)
    view = {k: v for k, v in request.args.lists() if k not in ("after", "before", "page", "state", "group")}
    base = url_for(f"{doctype.endpoint_prefix}_list")
    amounts = [(c.name, str(c.label), formatting.formatter(doctype, c.name, "money"))
               for c in doctype.visible_columns(user) if c.kind == "money"][:2]
    return render_template("documents/board.html", doctype=doctype, columns=columns, amounts=amounts,
                           list_url=f"{base}?{urlencode(view, doseq=True)}" if view else base,
                           more=lambda state: f"{base}?{urlencode({**view, 'state': [state]}, doseq=True)}",
                           detail=url_for(f"{doctype.endpoint_prefix}_detail", doc_id=1)[:-1],
                           day=formatting.formatter(doctype, "created_at", "day"), limit=BOARD_CARDS,
                           title=str(doctype.label_plural))
