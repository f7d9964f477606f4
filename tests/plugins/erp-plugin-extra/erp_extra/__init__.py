"""A plugin declaring a bit of everything (a document type, a permission given to core's roles, a
menu section, a widget, a setting, a command), installed beside core's modules to show that core's
tests do not count on which plugins are installed (tests/test_extra_plugin.py)."""
from core.manifest import Manifest

MANIFEST = Manifest(name="extra", version="0.1.0", label="Extra", package="erp_extra", sequence=5)
