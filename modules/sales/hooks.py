"""Sales module (市场管理): what belongs to the module as a whole.

Each part (customers and opportunities, pre-sales, requirements, visit logs, reports, bidding,
regulations; listed in the manifest's ``parts``) declares its own models, document types,
grants, settings, rules and events with ``@hookimpl`` functions at its end.
"""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

# SPEC 5.7: every market role opens the module; costs and margins (R-S-028) for the owners of
# opportunities (they see only their own), pre-sales, the managers; not the assistant.
MARKET_ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-PS-MGR",
                "ROLE-MKT-PSE", "ROLE-MKT-AST")
COST_ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-MKT-AAM",
              "ROLE-MKT-AM")


@hookimpl
def erp_permissions():
    return [Permission("sales.access", _l("Open the sales module")),
            Permission("sales.cost.view", _l("See costs and margins"))]


@hookimpl
def erp_roles():
    return [RoleTemplate(role, permissions=("sales.access",) + (("sales.cost.view",) if role in COST_ROLES else ()))
            for role in MARKET_ROLES]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Overview"), "sales.index", "sales.access", order=1)]


@hookimpl
def erp_demo_data(app):
    from .demo_data import load
    load()
