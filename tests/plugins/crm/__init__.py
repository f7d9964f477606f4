"""A partner's module used by core's tests: fields, a condition and an action added to sales'
customers without sales' cooperation (core.documents.extensions), with its own migration."""
from core.manifest import Manifest

MANIFEST = Manifest(name="crm", version="0.0.1", label="Partner CRM", depends=("sales",),
                    package="tests.plugins.crm")
