"""Procurement module (采购管理): what belongs to the module as a whole.

Each part (suppliers, evaluations, ...; listed in the manifest's ``parts``) declares its own
models, document types, grants, settings, rules and events with ``@hookimpl`` functions at its end.
"""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

# SPEC 5.2/5.7: procurement staff and the approvers open the module; purchase requests are raised
# by anyone (engineering, market, office items), so every company role opens it too.
PROCUREMENT_ROLES = ("ROLE-PUR-MGR", "ROLE-PUR-BUY", "ROLE-GM", "ROLE-MKT-DIR", "ROLE-FIN")
REQUESTER_ROLES = ("ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-MKT-AST",
                   "ROLE-ENG-MGR", "ROLE-ENG-PE", "ROLE-ADM")
# R-P-040: supplier prices and inquiry answers are restricted.
PRICE_ROLES = ("ROLE-PUR-MGR", "ROLE-PUR-BUY", "ROLE-GM", "ROLE-MKT-DIR", "ROLE-FIN")


@hookimpl
def erp_permissions():
    return [Permission("procurement.access", _l("Open the procurement module")),
            Permission("procurement.price.view", _l("See supplier prices"))]


@hookimpl
def erp_roles():
    return [RoleTemplate(role, permissions=("procurement.access",) + (
        ("procurement.price.view",) if role in PRICE_ROLES else ()))
        for role in PROCUREMENT_ROLES + REQUESTER_ROLES]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [MenuItem("procurement", _l("Overview"), "procurement.index", "procurement.access", order=10)]


@hookimpl
def erp_demo_data(app):
    from .demo_data import load
    load()
