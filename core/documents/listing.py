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

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale, get_timezone, gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..auth.decorators import require
from . import formatting, service


def list_view(doctype):
    user = current_user._get_current_object()
    require(service.can_open_list(doctype, user))
    size = min(max(request.args.get("size", current_app.config["ERP_PAGE_SIZE"], type=int) or 50, 10), 200)
    columns = doctype.visible_columns(user)
    rows, number, has_next, sort_key = service.page(doctype, user, request.args, size,
                                                    fields=[c.name for c in columns])
    # The list's filters and sort, without the page: links never carry the row a page continued
    # from (sorting starts again at page 1), only previous/next add theirs, so that they do not
    # count rows with OFFSET (service.page); exports take every filtered row.
    view = {k: v for k, v in request.args.lists() if k not in ("after", "before", "page")}
    base = url_for(f"{doctype.endpoint_prefix}_list")

    def page_url(n, **changes):  # built here, not by url_for: a page has a dozen of them
        merged = {**view, **{k: [v] for k, v in changes.items()}, "page": [n]}
        return f"{base}?{urlencode(merged, doseq=True)}"
    prev_url = (page_url(number - 1, before=rows[0].id) if rows and number > 2 else page_url(number - 1)) \
        if number > 1 else None
    next_url = page_url(number + 1, after=rows[-1].id) if has_next and rows else None
    detail = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=1)
    layout = _list_layout(doctype, columns, detail[:-1])
    return render_template("documents/list.html", layout=layout, rows=_list_rows(layout, rows),
                           chrome=_list_chrome(doctype, layout, user, view, sort_key, base, page_url),
                           page=number, prev_url=prev_url, next_url=next_url)


def _list_chrome(doctype, layout, user, view, sort_key, base, page_url) -> Markup:
    """Title, buttons, filters and header of a list (documents/_list_chrome.html): the same for
    every page of the same filters and sort, so rendered once per worker for each."""
    permissions = user.permissions
    can = tuple(doctype.permission(action) in permissions for action in ("import", "export", "create"))
    key = ("list-chrome", doctype.code, layout.names, str(get_locale()), base, can,
           tuple(sorted((k, tuple(v)) for k, v in view.items())))  # the sort is among them

    def render():
        return Markup(render_template(
            "documents/_list_chrome.html", doctype=doctype, layout=layout, filters=view,
            value=lambda name: (view.get(name) or [""])[0], header=_list_header(layout, sort_key, page_url),
            can_import=can[0], can_export=can[1], can_create=can[2]))
    return current_app.extensions["erp"].caches.fragments.get(key, render)


@dataclass(frozen=True)
class ListLayout:
    """What the list of a type looks like for given listed columns, language, time zone and URL
    prefix: built once per worker (_list_layout), as it is the same on every request."""
    title: str
    states: list     # (code, label) for the state filter
    header: list     # (column name, label, sortable, css class)
    names: tuple     # what a row's values are read by
    render: Callable[[list], str]  # the rows' values of `names` -> their <tr>s


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
    return ListLayout(str(doctype.label_plural), states, header, names, render)


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
        css = ' class="text-end"' if c.kind in ("money", "number") else ""
        template.append(f'<td{css} data-label="{label(c.label)}">{{{i}}}</td>')
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


