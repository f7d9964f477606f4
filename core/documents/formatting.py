"""How values look to staff: money as ¥1,234,567.89, dates as 2026-11-27, times in Asia/Shanghai."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_datetime, gettext as _


def money(value) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


def cell_text(doctype, doc, name: str, kind: str = "text", for_export: bool = False, native: bool = False):
    """Display value of `doc.<name>`; `native` keeps numbers and dates typed (for XLSX cells)."""
    value = getattr(doc, name, None)
    if kind == "choice":
        column = doctype.column(name)
        labels = (column.choices if column is not None else None) or {}
        return str(labels.get(value, value if value is not None else ""))
    if kind == "state" and doctype.workflow is not None:
        return str(doctype.workflow.state_label(value))
    if kind == "user" or name == "owner":
        return value.display_name if value is not None else ""
    if value is None:
        return None if native else ""
    if kind == "money":
        return float(value) if native else money(value)
    if kind == "number":
        if native:
            return float(value) if isinstance(value, Decimal) else value
        return f"{value:,}"
    if kind == "bool" or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    if isinstance(value, date):
        return value if native else value.isoformat()
    return value if native and isinstance(value, (int, float)) else str(value)
