"""A module's manifest: what core needs to know before importing any of the module's code."""
from dataclasses import dataclass
from pathlib import Path
import importlib.util


def N_(message: str) -> str:
    """Mark a manifest string for translation; it is translated when shown."""
    return message


@dataclass(frozen=True)
class Manifest:
    """Declared in a module's ``__init__.py`` as ``MANIFEST``; nothing else lives there.

    ``hooks`` names the module (imported only when the module is enabled) whose ``@hookimpl``
    functions are registered with the plugin manager as plugin ``<name>``. A module split into
    parts lists them in ``parts`` (submodules of ``package``, e.g. ``("customers", "bidding")``):
    each part carries its own ``@hookimpl`` functions and is registered as plugin
    ``<name>.<part>``.
    """

    name: str
    version: str
    label: str = ""
    description: str = ""
    depends: tuple[str, ...] = ()
    hooks: str = ""
    parts: tuple[str, ...] = ()
    package: str = ""
    distribution: str = ""
    sequence: int = 100   # position of the module's menu section

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"module name {self.name!r} must be a Python identifier")
        object.__setattr__(self, "depends", tuple(self.depends))
        object.__setattr__(self, "parts", tuple(self.parts))
        if not self.package:
            object.__setattr__(self, "package", self.name)
        if not self.hooks:
            object.__setattr__(self, "hooks", f"{self.package}.hooks")

    @property
    def plugins(self) -> list[tuple[str, str]]:
        """(plugin name, importable module) of the hooks and of each part, in the manifest's order."""
        return [(self.name, self.hooks)] + [(f"{self.name}.{part}", f"{self.package}.{part}") for part in self.parts]

    @property
    def path(self) -> Path:
        """Folder of the module's package, found without importing it."""
        spec = importlib.util.find_spec(self.package)
        return Path(next(iter(spec.submodule_search_locations)))

    @property
    def migrations_path(self) -> Path:
        return self.path / "migrations" / "versions"
