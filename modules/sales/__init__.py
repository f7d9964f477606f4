"""Sales module. Only the manifest lives here: reading it must not import models."""
from core.manifest import Manifest

MANIFEST = Manifest(
    name="sales",
    version="0.1.0",
    label="Sales",
    description="Customers, visits, opportunities, pre-sales, quotations, bids and contracts of the market department.",
    package="modules.sales",
    sequence=10,
)
