"""Today in the company's time zone (Asia/Shanghai), not the server's."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def zone() -> ZoneInfo:
    name = current_app.config.get("ERP_TIMEZONE", "Asia/Shanghai") if has_app_context() else "Asia/Shanghai"
    return ZoneInfo(name)


def now() -> datetime:
    return datetime.now(zone())


def today() -> date:
    return now().date()
