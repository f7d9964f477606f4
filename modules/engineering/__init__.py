"""Engineering module. Only the manifest lives here: reading it must not import models."""
from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="engineering",
    version="0.1.0",
    label=N_("Engineering"),
    description=N_("Projects, schedules, supervision forms, construction teams, penalties and after-sales service of the engineering department."),
    package="modules.engineering",
    # Each part registers its own hooks, in this order (menu order).
    parts=("projects", "schedule", "costs", "site", "site_reports", "selfchecks", "cabling", "nonconforming",
           "evaluation", "metrics", "teams", "forms", "form_money", "subcontracts", "supervision", "penalties",
           "installed", "service", "dashboard", "training", "trips"),
    sequence=20,
)
