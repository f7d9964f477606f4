"""Sign-in throttling: attempts counted per username and per address in the shared database.

Each attempt is counted *before* its password is checked, by one atomic upsert that returns the
new count: twenty simultaneous guesses get the counts 1 to 20, and only the first
ERP_LOGIN_MAX_FAILURES are checked, whichever server or worker they reach. A successful sign-in
gives its attempt back and clears the username's count. The window is fixed: it starts at the
first counted attempt and lasts ERP_LOGIN_WINDOW_MINUTES.
"""
import time

from flask import current_app
from sqlalchemy import BigInteger, Integer, String, case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class LoginThrottle(db.Model):
    __tablename__ = "login_throttle"
    __audit__ = False  # the attempts themselves are audited (login_failed, login_throttled)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "user:<name>" or "ip:<address>"
    window_start: Mapped[int] = mapped_column(BigInteger)  # Unix time of the window's first attempt
    attempts: Mapped[int] = mapped_column(Integer)


def keys(username: str, ip: str) -> tuple[str, str]:
    return f"user:{username.lower()[:190]}", f"ip:{ip[:190]}"


def _count(key: str, now: int, window: int) -> int:
    table = LoginThrottle.__table__
    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    expired = table.c.window_start <= now - window
    statement = insert.values(key=key, window_start=now, attempts=1).on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"attempts": case((expired, 1), else_=table.c.attempts + 1),
              "window_start": case((expired, now), else_=table.c.window_start)},
    ).returning(table.c.attempts)
    return db.session.execute(statement).scalar_one()


def attempt(username: str, ip: str) -> bool:
    """Count one sign-in attempt (committed at once, so every server sees it); True while it is
    within the limit, False when it must be refused unchecked."""
    cfg = current_app.config
    now, window = int(time.time()), cfg["ERP_LOGIN_WINDOW_MINUTES"] * 60
    counts = [_count(key, now, window) for key in sorted(keys(username, ip))]  # one lock order
    db.session.commit()
    return max(counts) <= cfg["ERP_LOGIN_MAX_FAILURES"]


def succeeded(username: str, ip: str) -> None:
    """A good password: the username starts afresh and the address gets its attempt back (people
    behind one office address are not locked out by each other's sign-ins). Part of the
    sign-in's own transaction."""
    user_key, ip_key = keys(username, ip)
    table = LoginThrottle.__table__
    db.session.execute(delete(table).where(table.c.key == user_key))
    db.session.execute(update(table).where(table.c.key == ip_key, table.c.attempts > 0)
                       .values(attempts=table.c.attempts - 1))
