from flask_babel import lazy_gettext as _l

from core.auth.permissions import RoleTemplate
from core.documents.extensions import Extension
from core.hookspecs import hookimpl
from core.workflow import Issue, Transition


def key_account_has_sector(customer, user):
    if customer.strategic and not customer.sector:
        return [Issue("A strategic partner needs its sector.", field="sector", code="CRM-001")]
    return []


@hookimpl
def erp_models():
    from .models import CustomerSector
    return [CustomerSector]


@hookimpl
def erp_document_extensions():
    from .models import SECTOR_FIELDS, CustomerSector
    return [Extension("sales.customer", CustomerSector, SECTOR_FIELDS, section=_l("Partner CRM"),
                      conditions={"activate": (key_account_has_sector,)},
                      transitions=(Transition("verify_sector", _l("Verify the sector"),
                                              ("potential", "active", "dormant"), None),))]


@hookimpl
def erp_roles():
    return [RoleTemplate("ROLE-MKT-AM", permissions=["sales.customer.verify_sector"])]
