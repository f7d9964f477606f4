"""Sales module (市场管理): declarations registered with the plugin manager.

The module is split into parts (customers and opportunities, pre-sales, visit logs and reports,
bidding); each part module exposes MODELS, DOCTYPES, PERMISSIONS, ROLE_GRANTS, SETTINGS and
MENU, and this file hands them to core.
"""
import importlib

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

# Part modules, in menu order; each is imported only when the sales module is enabled.
PARTS = ("customers", "presales", "requirements", "visits", "reports", "bidding")

# The regulations part implements its own hook; registered here until parts are plugins of their own.
from .rules import erp_rules  # noqa: E402,F401

PERMISSIONS = [
    Permission("sales.access", _l("Open the sales module")),
    Permission("sales.cost.view", _l("See costs and margins")),
]

# SPEC 5.7: every market role opens the module; costs and margins (R-S-028) for the owners of
# opportunities (they see only their own), pre-sales, the managers; not the assistant.
MARKET_ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-PS-MGR",
                "ROLE-MKT-PSE", "ROLE-MKT-AST")
COST_ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-MKT-AAM",
              "ROLE-MKT-AM")


def _parts():
    for name in PARTS:
        try:
            yield importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise


def _collect(attribute):
    return [item for part in _parts() for item in getattr(part, attribute, [])]


@hookimpl
def erp_models():
    return _collect("MODELS")


@hookimpl
def erp_document_types():
    return _collect("DOCTYPES")


@hookimpl
def erp_permissions():
    return PERMISSIONS + _collect("PERMISSIONS")


@hookimpl
def erp_roles():
    grants: dict[str, list] = {role: ["sales.access"] for role in MARKET_ROLES}
    for role in COST_ROLES:
        grants[role].append("sales.cost.view")
    for role, codes in _collect("ROLE_GRANTS"):
        grants.setdefault(role, []).extend(codes)
    return [RoleTemplate(role, permissions=tuple(dict.fromkeys(codes))) for role, codes in grants.items()]


@hookimpl
def erp_settings():
    return _collect("SETTINGS")


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Overview"), "sales.index", "sales.access", order=1)] + _collect("MENU")


@hookimpl
def erp_transition_done(document, transition, user):
    """Each part reacts to its own documents' transitions (``transition_done`` in the part)."""
    if getattr(getattr(document, "__doctype__", None), "module", None) != "sales":
        return
    for part in _parts():
        if hasattr(part, "transition_done"):
            part.transition_done(document, transition, user)


@hookimpl(trylast=True)
def sales_validate_quotation(quotation):
    """Sales' own rules, last: R-S-012 (never below cost) and R-S-010 (minimum margin)."""
    from .presales import margin_issues
    return margin_issues(quotation)


@hookimpl
def erp_demo_data(app):
    from .demo_data import load
    load()


@hookimpl
def erp_dashboard_widgets(user):
    return [w for part in _parts() if hasattr(part, "dashboard_widgets") for w in part.dashboard_widgets(user)]


@hookimpl
def erp_reminders(now):
    """Deadlines of the sales forms (bid tasks, requirement analyses...), from each part."""
    return [r for part in _parts() if hasattr(part, "reminders") for r in part.reminders(now)]


@hookimpl
def erp_party_access(user):
    """A customer's party follows the customer: its owner and those who see the customer (SPEC 5.7)."""
    from .customers import party_access
    return [party_access(user)]
