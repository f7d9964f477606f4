"""Sales module: declarations registered with the plugin manager."""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

PERMISSIONS = [
    Permission("sales.access", _l("Open the sales module")),
    Permission("sales.customer.view", _l("View customers")),
    Permission("sales.customer.manage", _l("Create and edit customers")),
    Permission("sales.visit.create", _l("Fill in visit logs")),
    Permission("sales.opportunity.approve", _l("Approve opportunity registrations")),
    Permission("sales.quotation.approve", _l("Approve quotations and external prices")),
    Permission("sales.cost.view", _l("See costs and margins")),
]


@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    return [
        RoleTemplate("ROLE-GM", permissions=('sales.access', 'sales.customer.view', 'sales.quotation.approve', 'sales.cost.view')),
        RoleTemplate("ROLE-MKT-DIR", permissions=('sales.access', 'sales.customer.view', 'sales.opportunity.approve', 'sales.quotation.approve', 'sales.cost.view')),
        RoleTemplate("ROLE-MKT-MGR", permissions=('sales.access', 'sales.customer.view', 'sales.customer.manage', 'sales.opportunity.approve', 'sales.quotation.approve', 'sales.cost.view')),
        RoleTemplate("ROLE-MKT-AAM", permissions=('sales.access', 'sales.customer.view', 'sales.customer.manage', 'sales.visit.create')),
        RoleTemplate("ROLE-MKT-AM", permissions=('sales.access', 'sales.customer.view', 'sales.customer.manage', 'sales.visit.create')),
        RoleTemplate("ROLE-PS-MGR", permissions=('sales.access', 'sales.customer.view', 'sales.opportunity.approve', 'sales.quotation.approve', 'sales.cost.view')),
        RoleTemplate("ROLE-MKT-PSE", permissions=('sales.access', 'sales.customer.view', 'sales.visit.create', 'sales.cost.view')),
        RoleTemplate("ROLE-MKT-AST", permissions=('sales.access', 'sales.customer.view')),
    ]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem("sales", _l("Overview"), "sales.index", "sales.access", order=10),
    ]
