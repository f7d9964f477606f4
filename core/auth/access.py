"""Each user's role codes and permission set, cached per worker.

Loading them from the database costs queries on every page, and they change rarely. Any flush
that changes a user's roles, a role or its grants bumps the "auth" cache signal in the same
transaction (core.signals); a worker uses its cached sets only while the stamp read at the start
of the request is the one they were computed under, so a revoked permission is gone with the
commit that revoked it, in every worker.
"""
from dataclasses import dataclass
from functools import cache
from itertools import chain

from flask import current_app, g, has_app_context
from sqlalchemy import and_, bindparam, event, inspect, select
from sqlalchemy.orm import Session

from .. import signals
from ..extensions import db
from . import sessions
from .models import Role, RolePermission, User, user_roles
from .sessions import UserSession

SIGNAL = "auth"


@dataclass(frozen=True)
class Access:
    roles: frozenset
    permissions: frozenset  # granted codes that an enabled module declares


def access_of(user) -> Access:
    per_request = g.setdefault("_erp_access", {})
    if user.id in per_request:
        return per_request[user.id]
    declared = current_app.extensions["erp"].permissions
    state = inspect(user)
    if state.transient or state.pending:  # not saved yet: its roles are only in memory
        return Access(frozenset(r.code for r in user.roles),
                      frozenset({p.code for r in user.roles for p in r.grants} & declared.keys()))
    cache = current_app.extensions["erp"].caches.access
    stamp = _stamp()
    cached = cache.get(user.id)
    if cached is not None and stamp is not None and cached[0] == stamp:
        access = cached[1]
    else:
        access = _load(user.id, declared)
        if stamp is not None:
            cache[user.id] = (stamp, access)
    per_request[user.id] = access
    return access


# Values other packages read in load_user's statement rather than in one of their own (a page
# then costs a statement fewer each): name -> function returning a scalar subquery of the bind
# parameter "user_id". See read_with_user.
_read_with_user: dict = {}


def read_with_user(name: str, subquery) -> None:
    """Have load_user read `subquery()` with the user, at the start of each request (it runs for
    the signed-in user, before the view); read_with_user_value returns it."""
    _read_with_user[name] = subquery
    _user_statement.cache_clear()


def read_with_user_value(name: str, user_id: int):
    """The value of `name` that load_user read with this user in this request, else None (a user
    signed in otherwise, by an API token for instance)."""
    read = g.get("_erp_read_with_user")
    return read[1].get(name) if read is not None and read[0] == user_id else None


@cache
def _user_statement(with_session: bool):  # built once: it runs on every request
    statement = select(User, signals.stamp_of(SIGNAL), *(subquery() for subquery in _read_with_user.values()))
    if with_session:  # the sign-in session the cookie names, if it is this user's
        statement = statement.add_columns(UserSession.id, UserSession.remember, UserSession.ended_at,
                                          UserSession.expires_at).outerjoin(UserSession, and_(
            UserSession.user_id == User.id, UserSession.token_hash == bindparam("token_hash")))
    return statement.where(User.id == bindparam("user_id"))


def load_user(user_id: int, token_hash: str | None = None):
    """The active user with this id, or None; reads the request's auth stamp in the same query.
    With `token_hash` (a session cookie's), only while that session of his is alive."""
    with_session = token_hash is not None
    params = {"user_id": user_id, "token_hash": token_hash} if with_session else {"user_id": user_id}
    row = db.session.execute(_user_statement(with_session), params).first()
    if row is None or not row[0].active:
        return None
    extra = len(_read_with_user) + 2
    if with_session:
        session_id, remember, ended_at, expires_at = row[extra:]
        if not sessions.alive(ended_at, expires_at):
            return None
        g._erp_session = (session_id, remember, expires_at)
    g._erp_auth_stamp = row[1]
    g._erp_read_with_user = (user_id, dict(zip(_read_with_user, row[2:extra])))
    return row[0]


def _stamp():
    if "_erp_auth_stamp" not in g:
        g._erp_auth_stamp = signals.read(SIGNAL)
    return g._erp_auth_stamp


def _load(user_id: int, declared) -> Access:
    rows = db.session.execute(
        select(Role.code, RolePermission.code).select_from(user_roles)
        .join(Role, Role.id == user_roles.c.role_id)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(user_roles.c.user_id == user_id)).all()
    return Access(frozenset(role for role, _ in rows),
                  frozenset(code for _, code in rows if code in declared))


def _changes_access(session, obj) -> bool:
    if isinstance(obj, (Role, RolePermission)):
        return True
    if isinstance(obj, User):
        return obj in session.new or obj in session.deleted or inspect(obj).attrs.roles.history.has_changes()
    return False


def _after_flush(session, flush_context):
    # In after_flush, new/dirty/deleted and attribute histories still describe what was flushed.
    if any(_changes_access(session, obj) for obj in chain(session.new, session.dirty, session.deleted)):
        signals.bump(SIGNAL, session.connection())
        # This request reads the new stamp from now on, inside its own transaction: what it
        # caches under it is never used if the transaction rolls back (the stamp goes back too).
        if has_app_context():
            g.pop("_erp_auth_stamp", None)
            g.pop("_erp_access", None)


def install():
    """Attach the listener once per process."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
