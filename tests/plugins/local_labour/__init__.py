"""A partner plugin adding a local-labour quota to engineering's subcontract award through
``engineering_subcontract_check``: above an amount, only teams registered in the project's city."""
from core.manifest import Manifest

MANIFEST = Manifest(name="local_labour", version="0.0.1", depends=("engineering",),
                    package="tests.plugins.local_labour")
