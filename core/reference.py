"""Reference data a module publishes for others: its public constants (industry codes, states,
a field's choices), read by name at run time so that no module imports or copies another's.

A module publishes values with the ``erp_references()`` hook; core also publishes, for every
document type, ``<type>.states`` (its workflow's states) and ``<type>.<field>`` (each declared
choice field's choices; a field another module adds is ``<that module>.<type>.<field>``), each as
``((value, label), ...)``::

    from core.reference import reference
    reference("sales.customer.industry")        # (("government", "Government"), ...)
    reference("sales.opportunity.states")       # (("draft", "Draft"), ...)
    reference("sales.industries", version=1)    # what sales publishes itself

``version`` is the shape's version the caller was written for: a module raises the version of a
value when it changes it incompatibly, and a caller asking for another version gets a
ReferenceUnavailable naming both, at once, rather than wrong data later. ``erp references`` lists
everything published.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Reference:
    """A published value: ``name`` is "<module>.<name>"; ``value`` is what readers get (a tuple of
    (value, label) pairs for codes); ``version`` rises when its shape changes incompatibly."""
    name: str
    value: object
    version: int = 1
    description: str = ""

    @property
    def module(self) -> str:
        return self.name.split(".", 1)[0]


class ReferenceUnavailable(LookupError):
    """Asked for what is not published (its module off or not installed), or in another version."""


def register_declarations(erp) -> None:
    """Collect the modules' references and derive the document types' (app start-up)."""
    from .plugins import ModuleError, collect
    found: dict[str, Reference] = {}
    for module, ref in collect(erp.pm, "erp_references", lambda r: r.name, "reference"):
        if ref.module != module:
            raise ModuleError(f"module {module!r} publishes reference {ref.name!r} outside its own name")
        found[ref.name] = ref
    for doctype in erp.doctypes.values():
        derived = []
        if doctype.workflow is not None:
            derived.append(Reference(f"{doctype.code}.states", tuple(doctype.workflow.states.items()),
                                     description=f"the states of {doctype.code}"))
        for f in doctype.fields:
            if f.kind not in ("choice", "multichoice"):
                continue
            added = doctype.extension_of(f.name)  # another module's field: published under its name
            prefix = f"{added.module}.{doctype.code}" if added is not None else doctype.code
            derived.append(Reference(f"{prefix}.{f.name}", tuple(f.choices), description=f"the choices of {f.name}"))
        for ref in derived:
            found.setdefault(ref.name, ref)
    erp.references = dict(sorted(found.items()))


def reference(name: str, version: int | None = None):
    """The value published as `name` in the current app (see the module's docstring)."""
    references = current_app.extensions["erp"].references
    ref = references.get(name)
    if ref is None:
        module = name.split(".", 1)[0]
        erp = current_app.extensions["erp"]
        if module not in erp.manifests:
            why = f"module {module!r} is not installed"
        elif module not in erp.enabled:
            why = f"module {module!r} is off"
        else:
            why = f"module {module!r} publishes no such reference (see `erp references`)"
        raise ReferenceUnavailable(f"reference {name!r} is not available: {why}")
    if version is not None and version != ref.version:
        raise ReferenceUnavailable(f"reference {name!r} is published in version {ref.version}; "
                             f"this code was written for version {version}")
    return ref.value


def available(name: str) -> bool:
    """Whether `name` is published in the current app (its module on)."""
    return name in current_app.extensions["erp"].references
