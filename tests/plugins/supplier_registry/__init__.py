"""A partner plugin extending the supplier directory through procurement's hooks: it answers
lookups from an external registry, adds an admission rule and adds an evaluation criterion."""
from core.manifest import Manifest

MANIFEST = Manifest(name="supplier_registry", version="0.0.1", depends=("procurement",),
                    package="tests.plugins.supplier_registry")
