"""Sales module. Only the manifest lives here: reading it must not import models."""
from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="sales",
    version="0.1.0",
    label=N_("Sales"),
    description=N_("Customers, visits, opportunities, pre-sales, quotations, bids and contracts of the market department."),
    package="modules.sales",
    # Each part registers its own hooks, in this order (menu order).
    parts=("customers", "presales", "requirements", "visits", "reports", "reception", "expenses", "summaries",
           "bidding", "contracts", "collections", "rules", "dashboard", "areas", "staff_handover", "archive", "metrics", "metrics_presales", "training", "trips"),
    sequence=10,
)
