"""The benchmark's own module: sales orders (`bench.order`) with 3 lines each and a workflow."""
from core.manifest import Manifest

MANIFEST = Manifest(name="bench", version="0.0.1", label="Benchmark", package="bench.orders", sequence=900)
