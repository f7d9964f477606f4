"""Document numbers: never a duplicate, also when many people create documents at once.

The counter row is incremented with a single UPDATE ... RETURNING inside the document's own
transaction, so the row lock serialises concurrent creators on PostgreSQL (SQLite serialises all
writers) and a rolled-back document gives its number back.

A sequence's settings (prefix, reset, padding) are remembered per process as a hint only: the
counter UPDATE carries them in its WHERE clause (an EXISTS on the sequence row), so a number is
formatted with settings that are current in the database or the statement changes nothing and
they are read again. Numbering a document is then one statement.
"""
from datetime import date

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..audit import log as audit
from ..extensions import db
from .models import NumberSequence, SequenceCounter


def period_of(reset: str, day: date) -> str:
    if reset == "yearly":
        return f"{day.year}"
    if reset == "monthly":
        return f"{day.year}-{day.month:02d}"
    return ""


_counter = SequenceCounter.__table__
_sequences = NumberSequence.__table__
# Built once (a statement is costly to construct; the form numbers a document per transaction).
_BUMP = (update(_counter).where(_counter.c.code == bindparam("seq_code"), _counter.c.period == bindparam("seq_period"))
         .values(value=_counter.c.value + bindparam("seq_count")).returning(_counter.c.value))
# The same, only if the sequence still has the settings the numbers will be formatted with.
_BUMP_CHECKED = _BUMP.where(exists().where(
    _sequences.c.code == bindparam("seq_code"), _sequences.c.prefix == bindparam("seq_prefix"),
    _sequences.c.reset == bindparam("seq_reset"), _sequences.c.padding == bindparam("seq_padding")))
_SETTINGS = select(_sequences.c.prefix, _sequences.c.reset, _sequences.c.padding).where(
    _sequences.c.code == bindparam("seq_code"))
_known: dict[str, tuple[str, str, int]] = {}  # code -> (prefix, reset, padding) last seen


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
    if seq is None:  # two servers may number a type's first documents at once: one row wins
        values = {"code": code, "prefix": prefix, "reset": reset, "padding": padding}
        if _insert_unless_present(db.session, _sequences, ["code"], **values):
            audit.record(db.session, "insert", _sequences.name, code, values)
        seq = _sequence(code)
    return seq


def next_number(code: str, day: date | None = None) -> str:
    return next_numbers(code, 1, day)[0]


def next_numbers(code: str, count: int, day: date | None = None, *, prefix: str | None = None,
                 reset: str = "yearly", padding: int = 4) -> list[str]:
    """`count` consecutive numbers with one counter update (an import numbers its whole batch);
    the same numbers as `count` calls of next_number in this transaction.

    With `prefix`, a missing sequence is created first (as ensure_sequence(code, prefix, reset,
    padding) would); without it, a missing sequence raises LookupError."""
    from ..calendar_today import today
    day = day or today()
    session = db.session
    with session.no_autoflush:  # the documents of a batch are inserted together, at the commit
        settings, value = _known.get(code), None
        if settings is not None and count >= 1:
            value = session.connection().execute(_BUMP_CHECKED, {
                "seq_code": code, "seq_period": period_of(settings[1], day), "seq_count": count,
                "seq_prefix": settings[0], "seq_reset": settings[1], "seq_padding": settings[2]}).scalar()
        if value is None:  # first use in this process, settings changed, a new period, no sequence
            settings = _settings(code, prefix, reset, padding)
            if count < 1:
                return []
            period = period_of(settings[1], day)
            key = {"seq_code": code, "seq_period": period, "seq_count": count}
            value = session.execute(_BUMP, key).scalar()
            if value is None:  # the period's first number: create its counter, then bump it
                _create_counter(session, code, period)
                value = session.execute(_BUMP, key).scalar()
    seq_prefix, seq_reset, seq_padding = settings
    period = period_of(seq_reset, day)
    out = []
    for n in range(value - count + 1, value + 1):
        parts = [seq_prefix, period, f"{n:0{seq_padding}d}"]
        out.append("-".join(p for p in parts if p))
    return out


def _create_counter(session, code: str, period: str):
    """The period's counter at 0, unless another transaction created it first (it then waits
    for that one: the unique key serialises them, and the bump that follows counts on)."""
    _insert_unless_present(session, _counter, ["code", "period"], code=code, period=period, value=0)


def _insert_unless_present(session, table, keys: list[str], **values) -> bool:
    """Insert the row unless one with the same `keys` exists or is being inserted by another
    transaction (whose commit it then waits for); whether it inserted."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        # ON CONFLICT DO NOTHING: no savepoint, whose rollback or release would touch the rest
        # of the transaction (the audit collected so far).
        module = postgresql if dialect == "postgresql" else sqlite
        return session.execute(module.insert(table).values(**values).on_conflict_do_nothing(
            index_elements=keys).returning(table.c[keys[0]])).first() is not None
    try:
        with session.begin_nested():
            session.execute(insert(table).values(**values))
        return True
    except IntegrityError:
        return False


def _settings(code: str, prefix: str | None, reset: str, padding: int) -> tuple[str, str, int]:
    """The sequence's (prefix, reset, padding) read from the database (created when missing and
    a prefix is given), and remembered for the next numbers."""
    row = db.session.execute(_SETTINGS, {"seq_code": code}).first()
    if row is None:
        if prefix is None:
            raise LookupError(f"no number sequence {code!r}")
        seq = ensure_sequence(code, prefix, reset, padding)
        row = (seq.prefix, seq.reset, seq.padding)
    settings = (row[0], row[1], row[2])
    _known[code] = settings
    return settings
