"""A document type used by core's tests: purchase requests with lines and approvals."""
from core.manifest import Manifest

MANIFEST = Manifest(name="workshop", version="0.0.1", label="Workshop", package="tests.plugins.workshop")
