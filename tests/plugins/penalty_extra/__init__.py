"""A partner plugin extending the penalty regulations through engineering's hooks: it adds a
catalogue item, proposes it from a quality issue notice about site photos, and records the
penalties confirmed (as an appraisal or a team portal would)."""
from core.manifest import Manifest

MANIFEST = Manifest(name="penalty_extra", version="0.0.1", depends=("engineering",),
                    package="tests.plugins.penalty_extra")
