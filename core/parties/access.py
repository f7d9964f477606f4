"""Who sees and edits which party (SPEC 5.7): a party's visibility follows the profiles that use it.

A module that adds a profile to parties (sales' customers, procurement's suppliers, engineering's
teams) answers the hook ``erp_party_access(user)`` with :class:`ProfileAccess` items: SQL criteria
on :class:`Party` saying which parties carry its profile and which of those `user` may see and
edit. Core combines them into one condition compiled into the party queries:

* a party no profile covers is shared master data: ``core.parties.view`` sees it,
  ``core.parties.manage`` edits it;
* a party some profiles cover is seen (edited) by the users one of them admits, who also hold
  ``core.parties.view`` (``core.parties.manage``).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import false, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class ProfileAccess:
    """One module's answer for one profile, as boolean SQL expressions correlated to Party."""
    profiled: ColumnElement   # the parties that have this profile
    readable: ColumnElement   # of those, the ones the user may see
    editable: ColumnElement   # of those, the ones the user may edit


def profile_access(user) -> list[ProfileAccess]:
    hook = current_app.extensions["erp"].pm.hook.erp_party_access
    return [item for answer in hook(user=user) for item in (answer or ())]


def readable(user) -> ColumnElement:
    """The condition admitting the parties `user` may see."""
    return _admitted(user, "core.parties.view", "readable")


def editable(user) -> ColumnElement:
    """The condition admitting the parties `user` may edit (with their contacts)."""
    return _admitted(user, "core.parties.manage", "editable")


def _admitted(user, permission: str, attribute: str) -> ColumnElement:
    if not user.can(permission):
        return false()
    answers = profile_access(user)
    if not answers:
        return true()
    return or_(not_(or_(*(a.profiled for a in answers))), *(getattr(a, attribute) for a in answers))
