"""Procurement module: declarations registered with the plugin manager."""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

PERMISSIONS = [
    Permission("procurement.access", _l("Open the procurement module")),
    Permission("procurement.supplier.view", _l("View the supplier directory")),
    Permission("procurement.order.create", _l("Create purchase orders")),
    Permission("procurement.order.approve", _l("Approve purchase orders")),
]


@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    return [
        RoleTemplate("ROLE-GM", permissions=('procurement.access', 'procurement.supplier.view', 'procurement.order.approve')),
        RoleTemplate("ROLE-MKT-DIR", permissions=('procurement.access', 'procurement.supplier.view', 'procurement.order.approve')),
        RoleTemplate("ROLE-PUR-MGR", permissions=('procurement.access', 'procurement.supplier.view', 'procurement.order.create', 'procurement.order.approve')),
        RoleTemplate("ROLE-PUR-BUY", permissions=('procurement.access', 'procurement.supplier.view', 'procurement.order.create')),
    ]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem("procurement", _l("Overview"), "procurement.index", "procurement.access", order=10),
    ]
