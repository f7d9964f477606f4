"""A partner plugin feeding the appraisal engine through hr_appraisal's hooks: fixed measured
values (set by the test in ``hooks.ANSWERS``) and one extra KPI."""
from core.manifest import Manifest

MANIFEST = Manifest(name="appraisal_metrics", version="0.0.1", depends=("hr_appraisal",),
                    package="tests.plugins.appraisal_metrics")
