"""The company's organisation (SPEC.md 1.1-1.3): roles are core data, whichever modules are on.

Modules add permissions to these roles through erp_roles(); the admin edits grants afterwards.
"""
from .auth.permissions import RoleTemplate

ADMIN = "ROLE-ADMIN"

# (code, Chinese name, English name, department code)
ROLES = [
    ("ROLE-GM", "总经理", "General Manager", ""),
    ("ROLE-MKT-DIR", "市场总监", "Marketing Director", "MKT"),
    ("ROLE-MKT-MGR", "市场部经理", "Market Manager", "MKT"),
    ("ROLE-MKT-AAM", "片区客户经理", "Area Account Manager", "MKT"),
    ("ROLE-MKT-AM", "客户经理", "Account Manager", "MKT"),
    ("ROLE-PS-MGR", "售前经理", "Pre-sales Manager", "MKT"),
    ("ROLE-MKT-PSE", "售前工程师", "Pre-sales Engineer", "MKT"),
    ("ROLE-MKT-AST", "市场部助理", "Market Dept Assistant", "MKT"),
    ("ROLE-ENG-MGR", "工程部经理", "Engineering Manager", "ENG"),
    ("ROLE-ENG-PE", "项目工程师", "Project Engineer", "ENG"),
    ("ROLE-PUR-MGR", "采购部经理", "Procurement Manager", "PUR"),
    ("ROLE-PUR-BUY", "采购员", "Buyer", "PUR"),
    ("ROLE-ADM", "行政部", "Administration", "ADM"),
    ("ROLE-FIN", "财务", "Finance Officer", "FIN"),
    (ADMIN, "系统管理员", "System Administrator", ""),
]

# (code, Chinese name, English name, parent code)
DEPARTMENTS = [
    ("GMO", "总经理室", "General Manager's Office", None),
    ("MKT", "市场部", "Market Department", "GMO"),
    ("ENG", "工程部", "Engineering Department", "MKT"),   # reports to the 市场总监 (C6)
    ("PUR", "采购部", "Procurement Department", "GMO"),
    ("ADM", "行政部", "Administration Department", "GMO"),
    ("FIN", "财务", "Finance", "GMO"),
]

# Positions with their reporting lines (C3, C5, C6): (code, name, department, reports_to, role,
# code of the department the position heads)
POSITIONS = [
    ("POS-GM", "总经理", "GMO", None, "ROLE-GM", "GMO"),
    ("POS-MKT-DIR", "市场总监", "MKT", "POS-GM", "ROLE-MKT-DIR", None),
    ("POS-MKT-MGR", "市场部经理", "MKT", "POS-MKT-DIR", "ROLE-MKT-MGR", "MKT"),
    ("POS-MKT-AAM", "片区客户经理", "MKT", "POS-MKT-MGR", "ROLE-MKT-AAM", None),
    ("POS-MKT-AM", "客户经理", "MKT", "POS-MKT-MGR", "ROLE-MKT-AM", None),
    ("POS-PS-MGR", "售前经理", "MKT", "POS-MKT-DIR", "ROLE-PS-MGR", None),
    ("POS-MKT-PSE", "售前工程师", "MKT", "POS-MKT-MGR", "ROLE-MKT-PSE", None),
    ("POS-MKT-AST", "市场部助理", "MKT", "POS-MKT-MGR", "ROLE-MKT-AST", None),
    ("POS-ENG-MGR", "工程部经理", "ENG", "POS-MKT-DIR", "ROLE-ENG-MGR", "ENG"),
    ("POS-ENG-PE", "项目工程师", "ENG", "POS-ENG-MGR", "ROLE-ENG-PE", None),
    ("POS-PUR-MGR", "采购部经理", "PUR", "POS-MKT-DIR", "ROLE-PUR-MGR", "PUR"),
    ("POS-PUR-BUY", "采购员", "PUR", "POS-PUR-MGR", "ROLE-PUR-BUY", None),
    ("POS-ADM", "行政部经理", "ADM", "POS-GM", "ROLE-ADM", "ADM"),
    ("POS-FIN", "财务", "FIN", "POS-GM", "ROLE-FIN", "FIN"),
]

ALL_MANAGERS = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR", "ROLE-ENG-MGR",
                "ROLE-PUR-MGR", "ROLE-ADM", "ROLE-FIN")


def core_role_templates(admin_permissions) -> list[RoleTemplate]:
    templates = [RoleTemplate(code, name, description=name_en, department=dept)
                 for code, name, name_en, dept in ROLES if code != ADMIN]
    templates.append(RoleTemplate(ADMIN, "系统管理员", tuple(admin_permissions),
                                  description="System Administrator"))
    templates.append(RoleTemplate("ROLE-GM", permissions=("core.audit.view",)))
    return templates
