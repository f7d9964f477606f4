from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="hello",
    version="1.0.0",
    label=N_("Greetings"),
    description=N_("An example partner module."),
    package="erp_hello",
    sequence=90,
)
