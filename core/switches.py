"""Turning modules on and off (takes effect at the next start). Used by the CLI and admin page."""
from flask import current_app
from flask_babel import gettext as _

from . import plugins
from .extensions import db
from .models import ModuleState


class SwitchRefused(Exception):
    pass


def _set(name: str, enabled: bool) -> None:
    state = db.session.get(ModuleState, name)
    if state is None:
        db.session.add(ModuleState(name=name, enabled=enabled))
    elif state.enabled != enabled:
        state.enabled = enabled


def _wanted() -> set[str]:
    """Modules the admin has switched on (whether or not ERP_MODULES lets them run)."""
    manifests = current_app.extensions["erp"].manifests
    switches = {s.name: s.enabled for s in db.session.query(ModuleState)}
    return {n for n in manifests if switches.get(n, True)}


def enable(name: str) -> list[str]:
    """Switch `name` on with everything it needs; returns the names switched on."""
    erp = current_app.extensions["erp"]
    manifests = erp.manifests
    if name in erp.broken:
        raise SwitchRefused(_("Module %(name)s cannot be enabled: %(error)s.", name=name, error=str(erp.broken[name])))
    if name not in manifests:
        raise SwitchRefused(_("Module %(name)s is not installed.", name=name))
    needed = plugins.requirements(name, manifests)
    wanted = _wanted()
    turned_on = [n for n in needed + [name] if n not in wanted]
    for n in needed + [name]:
        _set(n, True)
    db.session.commit()
    return turned_on


def disable(name: str) -> None:
    """Switch `name` off; works on an installed module whose code fails to load (broken)."""
    erp = current_app.extensions["erp"]
    manifests = erp.manifests
    if name not in manifests and name not in erp.broken:
        raise SwitchRefused(_("Module %(name)s is not installed.", name=name))
    users = plugins.dependents(name, manifests, _wanted())
    if users:
        raise SwitchRefused(_("Module %(name)s cannot be disabled: %(users)s depend on it. Disable them first.",
                              name=name, users=", ".join(users)))
    _set(name, False)
    db.session.commit()
