"""How values look to staff: money as ¥1,234,567.89, dates as 2026-11-27, times in Asia/Shanghai."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import get_timezone, gettext as _


def money(value) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


def number(value) -> str:
    """A quantity or rate as people write it: 20 for 20.0000, 2.5 for 2.5000, 1,234.75."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return "{:,}".format(value)


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
        return _unless_none((lambda v: float(v) if isinstance(v, Decimal) else v) if native else number, native)
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


def file_size(size) -> str:
    """A file's size as staff read it: 512 B, 12.3 KB, 4.5 MB."""
    if size is None:
        return ""
    size = int(size)
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def _section(number: int) -> str:
    """0 < number < 10000 in capitals, zeros inside written once (1001: 壹仟零壹)."""
    out, zero = [], False
    for position in range(3, -1, -1):
        digit = number // 10 ** position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _UNITS[position])
    return "".join(out)


def chinese_amount(value) -> str:
    """An amount of yuan in Chinese capitals (大写) as cheques and invoices write it (the People's
    Bank's rules for 票据): 123456.78 → 壹拾贰万叁仟肆佰伍拾陆元柒角捌分, 100 → 壹佰元整,
    1001.05 → 壹仟零壹元零伍分, 0.5 → 伍角整, negative amounts with 负. Rounded to the fen."""
    from decimal import ROUND_HALF_UP
    if value is None:
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if yuan >= 10 ** 16:
        raise ValueError(f"{value} is too large to write in capitals")
    words, pending_zero = [], False
    sections = []
    rest = yuan
    while rest:
        sections.append(rest % 10000)
        rest //= 10000
    for index in range(len(sections) - 1, -1, -1):
        part = sections[index]
        if part == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or part < 1000):
            words.append("零")
        pending_zero = False
        words.append(_section(part) + _SECTIONS[index])
    text = "".join(words)
    if yuan:
        text += "元"
    if not jiao and not fen:
        return sign + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
