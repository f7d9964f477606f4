"""Document numbers: never a duplicate, also when many people create documents at once.

The counter row is incremented with a single UPDATE ... RETURNING inside the document's own
transaction, so the row lock serialises concurrent creators on PostgreSQL (SQLite serialises all
writers) and a rolled-back document gives its number back.
"""
from datetime import date

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import NumberSequence, SequenceCounter


def period_of(reset: str, day: date) -> str:
    if reset == "yearly":
        return f"{day.year}"
    if reset == "monthly":
        return f"{day.year}-{day.month:02d}"
    return ""


_counter = SequenceCounter.__table__
# Built once (a statement is costly to construct; a document batch bumps the counter per document).
_BUMP = (update(_counter).where(_counter.c.code == bindparam("seq_code"), _counter.c.period == bindparam("seq_period"))
         .values(value=_counter.c.value + bindparam("seq_count")).returning(_counter.c.value))


def _sequence(code: str) -> NumberSequence | None:
    """The sequence row, without flushing the documents waiting to be inserted (numbering never
    reads them), and kept referenced by the session: the identity map holds clean objects weakly,
    so without it every document of a batch re-read the row and flushed the batch one by one."""
    held = db.session.info.setdefault("erp_number_sequences", {})
    with db.session.no_autoflush:
        seq = db.session.get(NumberSequence, code)
    if seq is not None:
        held[code] = seq
    return seq


def ensure_sequence(code: str, prefix: str, reset: str = "yearly", padding: int = 4) -> NumberSequence:
    seq = _sequence(code)
    if seq is None:
        seq = NumberSequence(code=code, prefix=prefix, reset=reset, padding=padding)
        db.session.add(seq)
        db.session.flush()
        db.session.info.setdefault("erp_number_sequences", {})[code] = seq
    return seq


def next_number(code: str, day: date | None = None) -> str:
    return next_numbers(code, 1, day)[0]


def next_numbers(code: str, count: int, day: date | None = None) -> list[str]:
    """`count` consecutive numbers with one counter update (an import numbers its whole batch);
    the same numbers as `count` calls of next_number in this transaction."""
    from ..calendar_today import today
    day = day or today()
    seq = _sequence(code)
    if seq is None:
        raise LookupError(f"no number sequence {code!r}")
    if count < 1:
        return []
    period = period_of(seq.reset, day)
    table = SequenceCounter.__table__
    key = {"seq_code": code, "seq_period": period, "seq_count": count}
    with db.session.no_autoflush:  # the documents of a batch are inserted together, at the commit
        value = db.session.execute(_BUMP, key).scalar()
    if value is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(table).values(code=code, period=period, value=count))
            value = count
        except IntegrityError:  # another transaction created the period's counter first
            value = db.session.execute(_BUMP, key).scalar()
    out = []
    for n in range(value - count + 1, value + 1):
        parts = [seq.prefix, period, f"{n:0{seq.padding}d}"]
        out.append("-".join(p for p in parts if p))
    return out
