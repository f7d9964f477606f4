"""A module that needs sales and declares nothing: for the `modules` marker's dependencies."""
from core.manifest import Manifest

MANIFEST = Manifest(name="needs_sales", version="0.0.1", depends=("sales",), package="tests.plugins.needs_sales")
