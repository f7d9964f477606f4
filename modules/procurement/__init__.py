"""Procurement module. Only the manifest lives here: reading it must not import models."""
from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="procurement",
    version="0.1.0",
    label=N_("Procurement"),
    description=N_("Price inquiries, purchase requests and orders, receipts, the supplier directory and payables."),
    package="modules.procurement",
    # Each part registers its own hooks, in this order (menu order).
    parts=("suppliers", "evaluations", "inquiries", "requests", "orders", "receipts", "sourcing", "payables",
           "payments", "statistics", "metrics"),
    sequence=30,
)
