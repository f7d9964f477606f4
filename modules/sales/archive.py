"""The 市场部助理's archive register (R-S-026: 市场部文件由市场部助理存档): every archived sales
document, of every sales type whose workflow has an ``archived`` state, newest first, filtered
by type and month, paged without counting the whole register. Each type's rows are those the
user may see (its visibility); "when archived" is the document's last change (an archived
document is not edited any more). test_customer_rules.py.
"""
from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import literal, select, union_all

from core.auth.decorators import permission_required
from core.auth.permissions import Permission, RoleTemplate
from core.documents.service import visible
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem

from .views import bp

ARCHIVED = "archived"
PAGE_SIZE = 50


def archived_types() -> list:
    """The sales document types that end in the archive (an ``archived`` state), in menu order."""
    types = [d for d in current_app.extensions["erp"].doctypes.values()
             if d.code.startswith("sales.") and d.workflow is not None and ARCHIVED in d.workflow.states]
    return sorted(types, key=lambda d: (d.menu_order or 0, d.code))


def _month(text: str | None) -> tuple[date, date] | None:
    """'2026-03' -> its first day and the next month's first day; None if not a month."""
    try:
        first = date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return None
    return first, (first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1))


def register_rows(user, types, month: tuple[date, date] | None, page: int, size: int = PAGE_SIZE):
    """One page of the register (rows, has_next): the archived documents of `types` `user` may see."""
    from .visits import _start_of
    parts = []
    for doctype in types:
        M = doctype.model
        stmt = select(literal(doctype.code).label("code"), M.id.label("id"), M.number.label("number"),
                      M.title.label("title"), M.owner_id.label("owner_id"), M.updated_at.label("archived_at")
                      ).where(M.state == ARCHIVED)
        if month is not None:
            stmt = stmt.where(M.updated_at >= _start_of(month[0]), M.updated_at < _start_of(month[1]))
        parts.append(visible(doctype, user, stmt))
    if not parts:
        return [], False
    union = union_all(*parts).subquery()
    rows = db.session.execute(select(union).order_by(union.c.archived_at.desc(), union.c.code, union.c.id.desc())
                              .limit(size + 1).offset((page - 1) * size)).all()
    return rows[:size], len(rows) > size


@bp.route("/archive/")
@permission_required("sales.archive.view")
def archive_register():
    from core.auth.models import User
    from .visits import utc
    from core import calendar as cal
    types = archived_types()
    by_code = {d.code: d for d in types}
    chosen = request.args.get("type") or ""
    month_text = request.args.get("month") or ""
    month = _month(month_text)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    wanted = [by_code[chosen]] if chosen in by_code else types
    rows, has_next = register_rows(current_user, wanted, month, page)
    owners = {u.id: u.display_name for u in db.session.scalars(
        select(User).where(User.id.in_({r.owner_id for r in rows})))} if rows else {}
    items = [{"type": by_code[r.code].label, "number": r.number, "title": r.title or "",
              "owner": owners.get(r.owner_id, ""),
              "archived_at": utc(r.archived_at).astimezone(cal.timezone()).strftime("%Y-%m-%d %H:%M") if r.archived_at else "",
              "url": url_for(f"{by_code[r.code].endpoint_prefix}_detail", doc_id=r.id)} for r in rows]
    args = {k: v for k, v in (("type", chosen if chosen in by_code else ""), ("month", month_text if month else "")) if v}
    return render_template("sales/archive.html", items=items, types=types, chosen=chosen, month=month_text if month else "",
                           page=page, has_next=has_next,
                           prev_url=url_for("sales.archive_register", page=page - 1, **args) if page > 1 else None,
                           next_url=url_for("sales.archive_register", page=page + 1, **args) if has_next else None)


@hookimpl
def erp_permissions():
    return [Permission("sales.archive.view", _l("View the sales archive register"))]


@hookimpl
def erp_roles():
    return [RoleTemplate(role, permissions=["sales.archive.view"])
            for role in ("ROLE-MKT-AST", "ROLE-MKT-MGR", "ROLE-MKT-DIR", "ROLE-GM")]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Archive register"), "sales.archive_register", "sales.archive.view", order=95)]
