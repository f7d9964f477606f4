"""Language: the user's choice, else the session's, else ERP_LANGUAGE (Chinese first).

Babel parses ``zh_CN`` as ``zh_Hans_CN``: catalogs live under ``translations/zh`` so both match.
"""
from pathlib import Path

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user


def translation_directories(app) -> list[str]:
    dirs = [str(Path(__file__).parent / "translations")]
    for status in app.extensions["erp"].statuses:
        if status.enabled:
            path = status.manifest.path / "translations"
            if path.is_dir():
                dirs.append(str(path))
    return dirs


def normalise(code: str) -> str:
    return "en" if code and code.lower().startswith("en") else "zh_CN"


def select_locale() -> str:
    if not has_request_context():  # CLI: `erp modules disable` translates its refusal too
        return normalise(current_app.config["ERP_LANGUAGE"])
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.language:
        return normalise(current_user.language)
    if "language" in session:
        return normalise(session["language"])
    return normalise(current_app.config["ERP_LANGUAGE"])


def inject_i18n() -> dict:
    locale = str(get_locale() or "zh_CN")
    return {"current_language": "en" if locale.startswith("en") else "zh_CN",
            "html_lang": "en" if locale.startswith("en") else "zh-CN"}
