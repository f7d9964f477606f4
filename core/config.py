"""Configuration: defaults, then ERP_* environment variables, then overrides passed to create_app."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from .org.company import DEFAULT_COMPANY_FILE


def _key(variable: str, instance_path: str, file_name: str) -> str:
    """The environment variable, else a key generated once and kept in the instance folder (never
    in code)."""
    key = os.environ.get(variable)
    if key:
        return key
    path = Path(instance_path) / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _modules_from_env() -> list[str] | None:
    value = os.environ.get("ERP_MODULES")
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _mail_from_env() -> dict:
    """SMTP for `erp reminders send`: ERP_SMTP_HOST (unset: no e-mail), _PORT, _USER, _PASSWORD,
    _FROM and _TLS (starttls, the default; ssl; or 0 for none)."""
    security = os.environ.get("ERP_SMTP_TLS", "starttls").strip().lower()
    port = os.environ.get("ERP_SMTP_PORT", "").strip()
    return {
        "MAIL_SERVER": os.environ.get("ERP_SMTP_HOST", "").strip() or None,
        "MAIL_PORT": int(port) if port else None,
        "MAIL_USERNAME": os.environ.get("ERP_SMTP_USER") or None,
        "MAIL_PASSWORD": os.environ.get("ERP_SMTP_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("ERP_SMTP_FROM") or None,
        "MAIL_USE_SSL": security in ("ssl", "smtps", "implicit"),
        "MAIL_USE_TLS": security in ("starttls", "tls", "1", "true", "yes", "on"),
        # The address staff open, for links in e-mails (e.g. https://erp.example.com/).
        "ERP_BASE_URL": os.environ.get("ERP_BASE_URL", "").strip(),
    }


def default_database_url(instance_path: str) -> str:
    """The embedded SQLite database in the instance folder (used when ERP_DATABASE_URL is unset)."""
    return "sqlite:///" + str(Path(instance_path) / "erp.sqlite3")


def load(instance_path: str, overrides: dict | None = None) -> dict:
    overrides = dict(overrides or {})
    database_url = os.environ.get("ERP_DATABASE_URL") or default_database_url(instance_path)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "ERP_MODULES": _modules_from_env(),
        "ERP_LANGUAGE": os.environ.get("ERP_LANGUAGE", "zh_CN"),
        "ERP_LANGUAGES": {"zh_CN": "简体中文", "en": "English"},
        "ERP_TIMEZONE": "Asia/Shanghai",
        # Failed sign-ins allowed per username or IP within the window before refusal.
        "ERP_LOGIN_MAX_FAILURES": int(os.environ.get("ERP_LOGIN_MAX_FAILURES", 5)),
        "ERP_LOGIN_WINDOW_MINUTES": int(os.environ.get("ERP_LOGIN_WINDOW_MINUTES", 15)),
        # Sign-in sessions end after this many hours; with "remember me", after this many days.
        "ERP_SESSION_HOURS": int(os.environ.get("ERP_SESSION_HOURS", 12)),
        "ERP_REMEMBER_DAYS": int(os.environ.get("ERP_REMEMBER_DAYS", 14)),
        # How audit entries are written: "fast" (the driver's own cursor where there is one) or
        # "plain" (SQLAlchemy); see core/audit/writer.py.
        "ERP_AUDIT_WRITER": os.environ.get("ERP_AUDIT_WRITER", "fast"),
        "ERP_PASSWORD_METHOD": "scrypt",
        "ERP_PASSWORD_MIN_LENGTH": int(os.environ.get("ERP_PASSWORD_MIN_LENGTH", 12)),
        "ERP_PAGE_SIZE": 50,
        # The organisation seeded into the database (departments, positions, roles, demo users).
        "ERP_COMPANY_FILE": os.environ.get("ERP_COMPANY_FILE", "").strip() or str(DEFAULT_COMPANY_FILE),
        # The OpenAPI document without signing in (for API gateways and code generators).
        "ERP_OPENAPI_PUBLIC": os.environ.get("ERP_OPENAPI_PUBLIC", "0") == "1",
        # Every hook call, its arguments and results logged to the app logger (for plugin authors).
        "ERP_TRACE_HOOKS": os.environ.get("ERP_TRACE_HOOKS", "0") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("ERP_COOKIE_SECURE", "1") != "0",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    }
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config.update(_mail_from_env())
    config.update(overrides)
    config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=config["ERP_REMEMBER_DAYS"]))
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _key("ERP_SECRET_KEY", instance_path, "secret_key")
    # The audit chain's HMAC key: kept apart from the session key, so rotating that one (which
    # only signs people out) does not leave the audit log unverifiable.
    if "ERP_AUDIT_KEY" not in config:
        config["ERP_AUDIT_KEY"] = _key("ERP_AUDIT_KEY", instance_path, "audit_key")
    return config
