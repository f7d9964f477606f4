"""A plugin used by tests: one implementation of every core hook, registered without pip."""
from core.manifest import Manifest

MANIFEST = Manifest(name="sample", version="0.0.1", label="Sample", package="tests.plugins.sample")
