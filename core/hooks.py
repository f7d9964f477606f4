"""Core's own declarations, made through the same hooks a module uses."""
from flask_babel import lazy_gettext as _l

from .auth.permissions import Permission
from .hookspecs import hookimpl
from .menu import MenuItem
from .roles import core_role_templates

PERMISSIONS = [
    Permission("core.users.manage", _l("Manage users")),
    Permission("core.roles.manage", _l("Manage roles and permissions")),
    Permission("core.modules.manage", _l("Enable and disable modules")),
    Permission("core.audit.view", _l("View the audit log")),
]


@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    return core_role_templates(p.code for p in PERMISSIONS)


@hookimpl
def erp_models():
    from .models import CORE_MODELS
    return CORE_MODELS


@hookimpl
def erp_blueprints():
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .dashboard import bp as dashboard_bp
    return [auth_bp, dashboard_bp, admin_bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem("core", _l("Users"), "admin.users", "core.users.manage", 10, "people"),
        MenuItem("core", _l("Roles"), "admin.roles", "core.roles.manage", 20, "shield-lock"),
        MenuItem("core", _l("Modules"), "admin.modules", "core.modules.manage", 30, "puzzle"),
        MenuItem("core", _l("Audit log"), "admin.audit_log", "core.audit.view", 40, "journal-text"),
    ]
