from flask_babel import lazy_gettext as _l

from core.documents.extensions import extension_columns
from core.documents.fields import Field
from core.extensions import db

SECTORS = (("smart_city", _l("Smart city")), ("campus", _l("Campus")), ("datacenter", _l("Data centre")))
SECTOR_FIELDS = [
    Field("sector", _l("Sector"), "choice", choices=SECTORS),
    Field("employees", _l("Employees"), "integer", minimum=0, maximum=10_000_000),
    Field("strategic", _l("Strategic partner"), "bool"),
]


class CustomerSector(db.Model, extension_columns("sales_customer", SECTOR_FIELDS)):
    __tablename__ = "crm_customer_sector"
