"""Cache signals: one stamp per kind of rarely changing data, shared by every worker.

A worker may keep such data in memory (each user's permissions, for instance) as long as the
stamp it reads at the start of a request is the one the data was computed under. Whoever changes
the data gives the stamp a new random value in the same transaction, so every worker sees the
change with its commit. (Odoo signals its registry and caches between workers the same way.)
The stamp is random rather than a counter so that a rolled-back or restored database can never
bring an old value back to life.
"""
import secrets

from sqlalchemy import BigInteger, String, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class CacheSignal(db.Model):
    __tablename__ = "cache_signal"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


def stamp_of(name: str):
    """The stamp as a scalar subquery, to read it with another query in one round trip."""
    return select(CacheSignal.stamp).where(CacheSignal.name == name).scalar_subquery()


def read(name: str, session=None) -> int | None:
    """The current stamp, or None (no row: callers then do not cache)."""
    session = session or db.session
    return session.execute(select(stamp_of(name))).scalar()


def bump(name: str, connection) -> None:
    """Give `name` a new stamp on `connection`, inside the caller's transaction."""
    table = CacheSignal.__table__
    stamp = secrets.randbits(62)
    if connection.execute(update(table).where(table.c.name == name).values(stamp=stamp)).rowcount == 0:
        connection.execute(insert(table).values(name=name, stamp=stamp))
