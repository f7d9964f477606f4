"""Document numbers: never a duplicate, also when many people create documents at once.

The counter row is incremented with a single UPDATE ... RETURNING inside the document's own
transaction, so the row lock serialises concurrent creators on PostgreSQL (SQLite serialises all
writers) and a rolled-back document gives its number back.
"""
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import NumberSequence, SequenceCounter


def period_of(reset: str, day: date) -> str:
    if reset == "yearly":
        return f"{day.year}"
    if reset == "monthly":
        return f"{day.year}-{day.month:02d}"
    return ""


def ensure_sequence(code: str, prefix: str, reset: str = "yearly", padding: int = 4) -> NumberSequence:
    seq = db.session.get(NumberSequence, code)
    if seq is None:
        seq = NumberSequence(code=code, prefix=prefix, reset=reset, padding=padding)
        db.session.add(seq)
        db.session.flush()
    return seq


def next_number(code: str, day: date | None = None) -> str:
    from ..calendar_today import today
    day = day or today()
    seq = db.session.get(NumberSequence, code)
    if seq is None:
        raise LookupError(f"no number sequence {code!r}")
    period = period_of(seq.reset, day)
    table = SequenceCounter.__table__
    bump = (update(table).where(table.c.code == code, table.c.period == period)
            .values(value=table.c.value + 1).returning(table.c.value))
    value = db.session.execute(bump).scalar()
    if value is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(table).values(code=code, period=period, value=1))
            value = 1
        except IntegrityError:  # another transaction created the period's counter first
            value = db.session.execute(bump).scalar()
    parts = [seq.prefix, period, f"{value:0{seq.padding}d}"]
    return "-".join(p for p in parts if p)
