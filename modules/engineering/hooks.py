"""Engineering module (工程部): what belongs to the module as a whole.

Each part (projects, ...; listed in the manifest's ``parts``) declares its own models, document
types, grants, settings, rules and events with ``@hookimpl`` functions at its end.
"""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

# SPEC 5.7: the engineering department, and those who follow its projects (read-only).
ENGINEERING_ROLES = ("ROLE-ENG-MGR", "ROLE-ENG-PE", "ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR",
                     "ROLE-MKT-PSE", "ROLE-MKT-AST", "ROLE-PUR-MGR", "ROLE-PUR-BUY")


@hookimpl
def erp_permissions():
    return [Permission("engineering.access", _l("Open the engineering module"))]


@hookimpl
def erp_roles():
    return [RoleTemplate(role, permissions=("engineering.access",)) for role in ENGINEERING_ROLES]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [MenuItem("engineering", _l("Overview"), "engineering.index", "engineering.access", order=10)]


@hookimpl
def erp_demo_data(app):
    from .demo_data import load
    load()
