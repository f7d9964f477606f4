"""Appraisal module. Only the manifest lives here: reading it must not import models."""
from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="hr_appraisal",
    version="0.1.0",
    label=N_("Appraisal"),
    description=N_("Job profiles, appraisal cycles and sheets, training and business trips."),
    package="modules.hr_appraisal",
    # Each part registers its own hooks, in this order (menu order).
    parts=("kpis", "cycles", "surveys", "profiles", "trips", "training", "sessions", "cycles_demo"),
    sequence=40,
)
