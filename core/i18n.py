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


def install_template_gettext(app) -> None:
    """Templates translate through the request's catalog, looked up once per request and
    language: Flask-Babel's own gettext finds the context, the locale and the catalog again on
    every call, which for the two dozen labels of a page cost more than its queries."""
    from flask import g
    from flask_babel import get_translations

    def translations():
        locale = get_locale()
        cached = g.get("_erp_translations")
        if cached is None or cached[0] is not locale:  # force_locale (e-mails) switches it
            cached = g._erp_translations = (locale, get_translations())
        return cached[1]

    app.jinja_env.install_gettext_callables(  # as Flask-Babel's; Jinja formats the variables
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
