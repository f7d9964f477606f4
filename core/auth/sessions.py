"""Sign-in sessions kept server-side, so that signing out, a password change, a deactivation or a
role removal ends them everywhere at once.

The session cookie (and the remember-me cookie, which Flask-Login derives from the same value)
carries ``"<user id>.<random token>"``; only the token's SHA-256 is stored. A request is signed in
only while its row is neither ended nor expired; load_user checks that in the statement that
reads the user, so it costs no extra round trip. A remember-me cookie is single use: restoring a
session from it ends its row and issues a new token (a stolen cookie that was used is worthless).
"""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, g, request, session as cookie_session
from sqlalchemy import Boolean, DateTime, ForeignKey, String, event, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(db.Model):
    __tablename__ = "user_session"
    __audit__ = False  # sign-in and sign-out are audited as events; the rows hold only token hashes
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str] = mapped_column(String(40), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")


def lifetime(remember: bool) -> timedelta:
    cfg = current_app.config
    return timedelta(days=cfg["ERP_REMEMBER_DAYS"]) if remember else timedelta(hours=cfg["ERP_SESSION_HOURS"])


def start(user, remember: bool, expires_at: datetime | None = None) -> str:
    """A new session row for `user`; returns the key the cookies carry (also kept on the user
    object, whose get_id Flask-Login asks at login_user)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=token_hash(token), remember=remember,
                      expires_at=expires_at or _now() + lifetime(remember),
                      ip=(request.remote_addr or "")[:45] if request else "",
                      user_agent=(request.user_agent.string or "")[:200] if request else "")
    db.session.add(row)
    db.session.flush()
    g._erp_session = (row.id, remember, row.expires_at)
    user.session_key = f"{user.id}.{token}"
    return user.session_key


def parse(key: str) -> tuple[int, str] | None:
    user_id, _, token = str(key).partition(".")
    if not user_id.isdigit() or not token or int(user_id) > 2**31 - 1:
        return None
    return int(user_id), token


def alive(ended_at, expires_at) -> bool:
    if ended_at is not None or expires_at is None:
        return False
    if expires_at.tzinfo is None:  # SQLite returns the stored UTC time without its zone
        expires_at = expires_at.replace(tzinfo=timezone.utc)
    return expires_at > _now()


def current_id() -> int | None:
    """The id of this request's session row (None when signed in by an API token)."""
    found = g.get("_erp_session")
    return found[0] if found else None


def end_current(reason: str) -> None:
    session_id = current_id()
    if session_id is not None:
        db.session.execute(update(UserSession).where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                           .values(ended_at=_now(), ended_reason=reason))


def end_all(connection, user_id: int, reason: str) -> None:
    connection.execute(update(UserSession.__table__)
                       .where(UserSession.__table__.c.user_id == user_id, UserSession.__table__.c.ended_at.is_(None))
                       .values(ended_at=_now(), ended_reason=reason))


def alive_of(user_id: int) -> list[UserSession]:
    """The user's sessions that are still alive, newest first (his profile lists them)."""
    rows = db.session.scalars(db.select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)).order_by(UserSession.id.desc())).all()
    return [row for row in rows if alive(row.ended_at, row.expires_at)]


def end_others(user_id: int) -> int:
    """End every session of the user but this request's; how many were alive."""
    others = [row for row in alive_of(user_id) if row.id != current_id()]
    for row in others:
        row.ended_at, row.ended_reason = _now(), "ended by the user"
    return len(others)


def purge(older_than: timedelta) -> int:
    """Delete the rows of sessions that ended or expired more than `older_than` ago; how many."""
    cutoff = _now() - older_than
    table = UserSession.__table__
    result = db.session.execute(table.delete().where(
        (table.c.ended_at < cutoff) | (table.c.expires_at < cutoff)))
    return result.rowcount


def restart(user) -> None:
    """After this user's sessions were ended (his own password change): carry on signed in, in a
    new session of the same kind."""
    from flask_login import login_user
    _, remember, expires_at = g.get("_erp_session") or (None, False, None)
    start(user, remember, expires_at)
    login_user(user, remember=remember)


def rotate_remembered(sender, user) -> None:
    """Flask-Login restored this session from the remember-me cookie: that token is spent; the
    browser gets a new one, valid until the original remember-me expiry."""
    end_current("remember token used")
    _, remember, expires_at = g._erp_session
    start(user, True, expires_at)
    cookie_session["_user_id"] = user.session_key
    cookie_session["_remember"] = "set"
    db.session.commit()


def _ended_by(session, obj) -> str | None:
    """Why a flushed change to a user ends all his sessions, or None."""
    state = inspect(obj)
    if obj in session.new:
        return None
    if state.attrs.password_hash.history.deleted:
        return "password changed"
    if state.attrs.active.history.deleted and not obj.active:
        return "deactivated"
    if state.attrs.roles.history.deleted:
        return "roles changed"
    return None


def _after_flush(session, flush_context):
    from .models import User
    for obj in list(session.dirty):
        if isinstance(obj, User):
            reason = _ended_by(session, obj)
            if reason:
                end_all(session.connection(), obj.id, reason)


def install():
    """Attach the listener once per process."""
    from flask_login import user_loaded_from_cookie
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    user_loaded_from_cookie.connect(rotate_remembered)
