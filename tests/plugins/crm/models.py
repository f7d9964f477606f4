from flask_babel import lazy_gettext as _l
from sqlalchemy import UniqueConstraint

from core.documents.extensions import extension_columns
from core.documents.fields import Field
from core.extensions import db

SECTORS = (("smart_city", _l("Smart city")), ("campus", _l("Campus")), ("datacenter", _l("Data centre")))
SECTOR_FIELDS = [
    Field("sector", _l("Sector"), "choice", choices=SECTORS),
    Field("employees", _l("Employees"), "integer", minimum=0, maximum=10_000_000),
    Field("strategic", _l("Strategic partner"), "bool"),
    Field("registry_no", _l("Registry number"), "integer", minimum=1, maximum=10**9),
]


class CustomerSector(db.Model, extension_columns("sales_customer", SECTOR_FIELDS)):
    __tablename__ = "crm_customer_sector"
    __table_args__ = (UniqueConstraint("registry_no"),)  # one customer per registry entry
