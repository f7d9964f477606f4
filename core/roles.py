"""The one role every deployment needs: 系统管理员, holding every permission core declares.

The company's own roles (总经理, 市场部经理 ...) are data: see core/org/company.toml. Modules add
permissions to them through erp_roles(); the admin edits grants afterwards.
"""
from .auth.permissions import RoleTemplate

ADMIN = "ROLE-ADMIN"


def admin_role_template(admin_permissions) -> RoleTemplate:
    return RoleTemplate(ADMIN, "系统管理员", tuple(admin_permissions), description="System Administrator")
