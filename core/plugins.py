"""Module discovery, dependency resolution and the per-app plugin manager.

discover() reads manifests from the ``erp.modules`` entry points (importing only each module's
``__init__``); resolve() decides what runs; load() imports the enabled modules' hooks.
"""
from __future__ import annotations

import graphlib
import importlib
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

import pluggy

from . import hookspecs
from .manifest import Manifest

ENTRY_POINT_GROUP = "erp.modules"
log = logging.getLogger(__name__)


class ModuleError(RuntimeError):
    """A module cannot be loaded; the message is a sentence naming the module(s)."""


@dataclass
class ModuleStatus:
    manifest: Manifest
    enabled: bool
    reason: str


def discover() -> dict[str, Manifest]:
    manifests: dict[str, Manifest] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            manifest = ep.load()
        except Exception as exc:  # a broken plugin is named, not a bare traceback
            raise ModuleError(f"module {ep.name!r} ({ep.value}) cannot be loaded: {exc}") from exc
        if not isinstance(manifest, Manifest):
            raise ModuleError(f"entry point {ep.name!r} ({ep.value}) is not a core.manifest.Manifest")
        if manifest.name != ep.name:
            raise ModuleError(f"entry point {ep.name!r} points at the manifest of {manifest.name!r}")
        if manifest.name in manifests:
            raise ModuleError(f"module {manifest.name!r} is installed twice")
        dist = ep.dist.name if ep.dist else ""
        manifests[manifest.name] = Manifest(**{**manifest.__dict__, "distribution": dist})
    return manifests


def dependency_order(manifests: dict[str, Manifest]) -> list[str]:
    """Names sorted so that each module comes after what it depends on."""
    graph = {name: [d for d in m.depends if d in manifests] for name, m in manifests.items()}
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        # graphlib lists each node before the one that needs it; show it as "needs" arrows.
        cycle = " -> ".join(reversed(exc.args[1]))
        raise ModuleError(f"modules depend on each other in a cycle: {cycle}") from exc


def resolve(manifests: dict[str, Manifest], allowed: list[str] | None,
            switches: dict[str, bool], strict: bool = True) -> list[ModuleStatus]:
    """Effective modules = ERP_MODULES (allowed; None = all) ∩ the admin's switches.

    A wanted module whose dependency is missing or off raises ModuleError (strict) or is
    reported off with the reason (lenient; used by ``erp modules`` so the operator can fix it).
    """
    if allowed is not None:
        unknown = [n for n in allowed if n not in manifests]
        if unknown:
            raise ModuleError(
                f"ERP_MODULES names modules that are not installed: {', '.join(unknown)}")
    order = dependency_order(manifests)
    statuses: dict[str, ModuleStatus] = {}
    for name in order:
        m = manifests[name]
        if allowed is not None and name not in allowed:
            statuses[name] = ModuleStatus(m, False, "not in ERP_MODULES")
            continue
        if not switches.get(name, True):
            statuses[name] = ModuleStatus(m, False, "disabled by the administrator")
            continue
        problems = []
        for dep in m.depends:
            if dep not in manifests:
                problems.append(f"needs module {dep!r}, which is not installed")
            elif not statuses[dep].enabled:
                problems.append(f"needs module {dep!r}, which is off ({statuses[dep].reason})")
        if problems:
            message = f"module {name!r} " + "; ".join(problems)
            if strict:
                raise ModuleError(message)
            statuses[name] = ModuleStatus(m, False, message.split(" ", 2)[2])
            continue
        statuses[name] = ModuleStatus(m, True, "enabled")
    return [statuses[n] for n in order]


def requirements(name: str, manifests: dict[str, Manifest]) -> list[str]:
    """Every module `name` needs, transitively, in dependency order."""
    needed, stack = [], list(manifests[name].depends)
    while stack:
        dep = stack.pop()
        if dep not in manifests:
            raise ModuleError(f"module {name!r} needs module {dep!r}, which is not installed")
        if dep not in needed:
            needed.append(dep)
            stack.extend(manifests[dep].depends)
    order = dependency_order(manifests)
    return sorted(needed, key=order.index)


def dependents(name: str, manifests: dict[str, Manifest], enabled: set[str]) -> list[str]:
    """Enabled modules that need `name`, directly or transitively."""
    found: list[str] = []
    for other in dependency_order(manifests):
        if other in enabled and other != name and name in requirements(other, manifests):
            found.append(other)
    return found


def make_plugin_manager(statuses: list[ModuleStatus]) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for status in statuses:
        if not status.enabled:
            continue
        m = status.manifest
        try:
            specs = importlib.import_module(f"{m.package}.hookspecs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{m.package}.hookspecs":
                raise ModuleError(f"module {m.name!r} failed to import its hookspecs: {exc}") from exc
        else:
            pm.add_hookspecs(specs)
    for status in statuses:
        if not status.enabled:
            continue
        m = status.manifest
        try:
            hooks = importlib.import_module(m.hooks)
        except Exception as exc:
            raise ModuleError(f"module {m.name!r} failed to load ({m.hooks}): {exc}") from exc
        pm.register(hooks, name=m.name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or exc.plugin
        raise ModuleError(f"module {name!r} implements an unknown hook: {exc}") from exc
    return pm


def collect(pm: pluggy.PluginManager, hook_name: str, key, what: str, **kwargs) -> list:
    """Call a declaration hook and flatten the lists, refusing duplicates by key naming both modules."""
    owners: dict = {}
    items = []
    hook = getattr(pm.hook, hook_name)
    for impl in reversed(hook.get_hookimpls()):  # registration order
        result = impl.function(*[kwargs[a] for a in impl.argnames]) or []
        for item in result:
            k = key(item)
            if k in owners:
                raise ModuleError(
                    f"{what} {k!r} is declared by both module {owners[k]!r} and module {impl.plugin_name!r}")
            owners[k] = impl.plugin_name
            items.append((impl.plugin_name, item))
    return items
