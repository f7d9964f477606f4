"""Menu items declared by modules, filtered per user."""
from dataclasses import dataclass

from flask import current_app, render_template, request, url_for
from markupsafe import Markup


# Core's own sections: shared records every department uses, and the administrator's pages.
MASTER_DATA = "masterdata"
SYSTEM = "core"


@dataclass(frozen=True)
class MenuItem:
    section: str          # module name; the section is titled with the module's label
    label: object         # str or lazy string (translated at render time)
    endpoint: str
    permission: str | tuple | None = None   # a code, or a tuple of codes of which any will do
    order: int = 100
    icon: str = ""


def menu_for(user) -> list[dict]:
    """Sections with the items `user` may open, in module dependency order then item order.

    The same for every user holding the same permissions in the same language: built once per
    worker (labels translated, URLs built), the page marks the current item itself.
    """
    erp = current_app.extensions["erp"]
    return erp.caches.menus.get(_key(user), lambda: _build(erp, user))


def sidebar(user, here: str | None) -> Markup:
    """The side menu's HTML with the page `here` marked: the same for every request with the same
    (permissions, language, root URL, page), so rendered once per worker for each; rendering it
    every time cost about a tenth of a list page."""
    return current_app.extensions["erp"].caches.fragments.get(
        ("sidebar", *_key(user), here),
        lambda: Markup(render_template("_sidebar.html", menu=menu_for(user), here=here)))


def _key(user) -> tuple:
    from flask_babel import get_locale
    return user.permissions if user.is_authenticated else None, str(get_locale()), request.script_root


def _build(erp, user) -> list[dict]:
    sections: dict[str, list] = {}
    for item in erp.menu_items:
        if item.permission and not (user.is_authenticated and _allowed(user, item.permission)):
            continue
        sections.setdefault(item.section, []).append(item)
    out = []
    for name in erp.section_order:
        items = sorted(sections.get(name, []), key=lambda i: (i.order, str(i.label)))
        if items:
            out.append({"name": name, "label": str(erp.section_label(name)),
                        "items": [{"label": str(i.label), "url": url_for(i.endpoint), "icon": i.icon,
                                   "endpoint": i.endpoint} for i in items]})
    return out


def _allowed(user, permission) -> bool:
    codes = (permission,) if isinstance(permission, str) else permission
    return any(user.can(code) for code in codes)
