"""How values look to staff: money as ¥1,234,567.89, dates as 2026-11-27, times in Asia/Shanghai."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import get_timezone, gettext as _


def money(value) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


def formatter(doctype, name: str, kind: str = "text", native: bool = False):
    """A function turning values of `doc.<name>` into their display text (`native`: numbers and
    dates kept typed, for XLSX cells). Labels and the user's time zone are looked up here, once,
    so that a list or an export formatting thousands of cells does not repeat it per cell."""
    if kind == "choice":
        column = doctype.column(name)
        labels = {k: str(v) for k, v in ((column.choices if column is not None else None) or {}).items()}
        return lambda value: labels.get(value, "" if value is None else str(value))
    if kind == "state" and doctype.workflow is not None:
        states = {code: str(label) for code, label in doctype.workflow.states.items()}
        return lambda value: states.get(value, "" if value is None else str(value))
    if kind == "user" or name == "owner":
        return lambda value: value.display_name if value is not None else ""
    if kind == "money":
        return _unless_none(float if native else money, native)
    if kind == "number":
        return _unless_none((lambda v: float(v) if isinstance(v, Decimal) else v) if native else "{:,}".format,
                            native)
    local = _local_time(get_timezone())
    pattern = "{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}"
    yes, no = _("Yes"), _("No")

    def text(value):
        if type(value) is str:  # most cells
            return value
        if value is None:
            return None if native else ""
        if kind == "bool" or isinstance(value, bool):
            return yes if value else no
        if isinstance(value, datetime):  # in the user's time zone, as text also in XLSX
            return local(value).date().isoformat() if kind == "day" else pattern.format(local(value))
        if isinstance(value, date):
            return value if native else value.isoformat()
        return value if native and isinstance(value, (int, float)) else str(value)

    if kind == "day" and not native:
        def day(value):  # a list's Created column: one a row, so straight to the common case
            return local(value).date().isoformat() if type(value) is datetime else text(value)
        return day
    return text


def cell_text(doctype, doc, name: str, kind: str = "text", native: bool = False):
    """Display value of `doc.<name>` (one cell; lists and exports use `formatter` per column)."""
    if kind == "declared":
        from .fields import display
        return display(doctype, doc, doctype.declared(name))
    return formatter(doctype, name, kind, native)(getattr(doc, name, None))


def _unless_none(convert, native):
    empty = None if native else ""
    return lambda value: empty if value is None else convert(value)


def _local_time(zone):
    """datetime -> the same instant in the user's zone (naive values are UTC, as stored)."""
    zone = ZoneInfo(str(zone))  # Babel may hand out pytz zones; zoneinfo converts ~5× faster

    def local(value):
        if value.tzinfo is None:
            return zone.fromutc(value.replace(tzinfo=zone))  # as astimezone from UTC, a third faster
        return value.astimezone(zone)
    return local
