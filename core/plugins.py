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
    error: BaseException | None = None   # why a module is broken (its code fails to import)


def discover(broken: dict[str, ModuleError] | None = None) -> dict[str, Manifest]:
    """The installed modules' manifests by name. An entry point that cannot be loaded raises
    ModuleError naming it, or, given a `broken` dict, is recorded there (name -> ModuleError) and
    left out, so that `erp modules` can still list and disable it."""
    manifests: dict[str, Manifest] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            manifest = _load_manifest(ep)
        except ModuleError as exc:
            if broken is None or ep.name in manifests:
                raise
            broken[ep.name] = exc
            continue
        if manifest.name in manifests:
            raise ModuleError(f"module {manifest.name!r} is installed twice")
        dist = ep.dist.name if ep.dist else ""
        manifests[manifest.name] = Manifest(**{**manifest.__dict__, "distribution": dist})
    return manifests


def _load_manifest(ep) -> Manifest:
    try:
        manifest = ep.load()
    except Exception as exc:  # a broken plugin is named, not a bare traceback
        raise ModuleError(f"module {ep.name!r} ({ep.value}) cannot be loaded: {error_text(exc)}") from exc
    if not isinstance(manifest, Manifest):
        raise ModuleError(f"entry point {ep.name!r} ({ep.value}) is not a core.manifest.Manifest")
    if manifest.name != ep.name:
        raise ModuleError(f"entry point {ep.name!r} points at the manifest of {manifest.name!r}")
    return manifest


def error_text(exc: BaseException) -> str:
    """An exception on one line: its class and message (a SyntaxError names file and line)."""
    message = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__


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
    """Enabled modules that need `name`, directly or transitively (`name` may be uninstalled or
    broken: what needs it is still found)."""
    def needs(module: str) -> set[str]:
        seen, stack = set(), list(manifests[module].depends)
        while stack:
            dep = stack.pop()
            if dep not in seen:
                seen.add(dep)
                stack.extend(manifests[dep].depends if dep in manifests else ())
        return seen
    return [other for other in dependency_order(manifests)
            if other in enabled and other != name and name in needs(other)]


def module_of(plugin_name: str) -> str:
    """The module a plugin belongs to: ``sales`` for both ``sales`` and its part ``sales.customers``."""
    return plugin_name.split(".", 1)[0]


def describe(plugin_name: str) -> str:
    """A plugin named for messages: "module 'sales'" or "module 'sales' (part 'customers')"."""
    module, _, part = plugin_name.partition(".")
    return f"module {module!r}" + (f" (part {part!r})" if part else "")


def hookspec_module(manifest: Manifest):
    """The module's ``<package>.hookspecs`` (hooks it offers to others), or None if it has none."""
    try:
        return importlib.import_module(f"{manifest.package}.hookspecs")
    except ModuleNotFoundError as exc:
        if exc.name != f"{manifest.package}.hookspecs":
            raise ModuleError(f"module {manifest.name!r} failed to import its hookspecs: {exc}") from exc
        return None


def make_plugin_manager(statuses: list[ModuleStatus], strict: bool = True) -> pluggy.PluginManager:
    """The plugin manager with the enabled modules' hooks. An enabled module whose code fails to
    import raises ModuleError naming it (strict), or is reported off as broken, with what needs it
    (lenient: `erp modules` lists and disables it)."""
    if not strict:
        _set_aside_broken(statuses)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    enabled = [status.manifest for status in statuses if status.enabled]
    for m in enabled:
        specs = hookspec_module(m)
        if specs is not None:
            pm.add_hookspecs(specs)
    for m in enabled:
        # pluggy calls the last registered first: registered backwards, a module's hooks.py is
        # called before its parts, and the parts in the manifest's order.
        for plugin_name, module_name in reversed(m.plugins):
            try:
                plugin = importlib.import_module(module_name)
            except Exception as exc:
                what = f"its part {plugin_name.partition('.')[2]!r} " if plugin_name != m.name else ""
                raise ModuleError(f"module {m.name!r} failed to load {what}({module_name}): {exc}") from exc
            pm.register(plugin, name=plugin_name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or str(exc.plugin)
        raise ModuleError(f"{describe(name)} implements an unknown hook: {exc}") from exc
    return pm


def _set_aside_broken(statuses: list[ModuleStatus]) -> None:
    broken: set[str] = set()
    for status in statuses:  # in dependency order: a module's needs come before it
        if not status.enabled:
            continue
        m = status.manifest
        needed = [d for d in m.depends if d in broken]
        if needed:
            status.enabled, status.reason = False, f"needs module {needed[0]!r}, which is broken"
            broken.add(m.name)
            continue
        module_name = f"{m.package}.hookspecs"
        try:
            hookspec_module(m)
            for _, module_name in m.plugins:
                importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - any error of the module's own code is reported
            cause = exc.__cause__ if isinstance(exc, ModuleError) and exc.__cause__ else exc
            status.enabled, status.error = False, exc
            status.reason = f"broken: {module_name} fails to import ({error_text(cause)})"
            broken.add(m.name)


def trace_hooks(pm: pluggy.PluginManager, logger: logging.Logger) -> None:
    """Log every hook call, its arguments and its result (ERP_TRACE_HOOKS=1)."""
    pm.trace.root.setwriter(lambda message: logger.info("%s", message.rstrip("\n")))
    pm.enable_tracing()


def collect(pm: pluggy.PluginManager, hook_name: str, key, what: str, **kwargs) -> list:
    """Call a declaration hook and flatten the lists into (module, item) pairs, refusing
    duplicates by key with a sentence naming both modules.

    The hook is called the way pluggy calls every hook, so tracing and wrappers apply; pluggy
    returns one result per implementation that returned something, in its calling order, which
    is how each list is traced back to the plugin that declared it.
    """
    hook = getattr(pm.hook, hook_name)
    results = hook(**kwargs)
    calling_order = [impl for impl in reversed(hook.get_hookimpls()) if not (impl.wrapper or impl.hookwrapper)]
    if len(results) != len(calling_order):
        names = ", ".join(impl.plugin_name for impl in calling_order)
        raise ModuleError(f"every implementation of {hook_name} must return a list (an empty one when it "
                          f"declares nothing), and a wrapper must keep one list per implementation; "
                          f"{len(results)} lists came back from {len(calling_order)} implementations ({names})")
    owners: dict = {}
    items = []
    for impl, result in zip(calling_order, results):
        for item in result:
            k = key(item)
            if k in owners:
                raise ModuleError(f"{what} {k!r} is declared by both {describe(owners[k])} and "
                                  f"{describe(impl.plugin_name)}")
            owners[k] = impl.plugin_name
            items.append((module_of(impl.plugin_name), item))
    return items
