"""Engineering module: declarations registered with the plugin manager."""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

PERMISSIONS = [
    Permission("engineering.access", _l("Open the engineering module")),
    Permission("engineering.project.view", _l("View engineering projects")),
    Permission("engineering.project.manage", _l("Manage engineering projects")),
    Permission("engineering.penalty.approve", _l("Approve penalties")),
]


@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    return [
        RoleTemplate("ROLE-GM", permissions=('engineering.access', 'engineering.project.view', 'engineering.penalty.approve')),
        RoleTemplate("ROLE-MKT-DIR", permissions=('engineering.access', 'engineering.project.view')),
        RoleTemplate("ROLE-ENG-MGR", permissions=('engineering.access', 'engineering.project.view', 'engineering.project.manage', 'engineering.penalty.approve')),
        RoleTemplate("ROLE-ENG-PE", permissions=('engineering.access', 'engineering.project.view')),
    ]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem("engineering", _l("Overview"), "engineering.index", "engineering.access", order=10),
    ]
