"""Language: the user's choice, else the session's, else ERP_LANGUAGE (Chinese first).

Babel parses ``zh_CN`` as ``zh_Hans_CN``: catalogs live under ``translations/zh`` so both match.
"""
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

import pytz
from babel import Locale
from flask import current_app, has_request_context, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup


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


def select_locale() -> Locale:
    if not has_request_context():  # CLI: `erp modules disable` translates its refusal too
        return _locale(normalise(current_app.config["ERP_LANGUAGE"]))
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.language:
        return _locale(normalise(current_user.language))
    if "language" in session:
        return _locale(normalise(session["language"]))
    return _locale(normalise(current_app.config["ERP_LANGUAGE"]))


def select_timezone():
    return _zone(current_app.config["BABEL_DEFAULT_TIMEZONE"])


# Flask-Babel parses the selected locale and looks the default zone up again on every request
# (a twentieth of a page's time); both are the same few objects all day.
_locale = cache(Locale.parse)
_zone = cache(pytz.timezone)


def inject_i18n() -> dict:
    locale = str(get_locale() or "zh_CN")
    return {"current_language": "en" if locale.startswith("en") else "zh_CN",
            "html_lang": "en" if locale.startswith("en") else "zh-CN"}


def template_gettext() -> dict:
    """`_`, gettext, ngettext, pgettext and npgettext for a template being rendered, bound to the
    catalog of its language (a context processor: `force_locale` renders, e-mails, get theirs).
    Flask-Babel's own template gettext, installed as Jinja globals, finds the context, the locale
    and the catalog again on every call; a page's two dozen labels cost more than its queries.
    Templates rendered without context processors still get Flask-Babel's."""
    translations = get_translations()
    functions = _bound_gettext.get(translations)
    if functions is None:
        functions = _bound_gettext[translations] = _gettext_functions(translations)
    return functions


_bound_gettext: "WeakKeyDictionary" = WeakKeyDictionary()  # catalog -> its template functions


def _gettext_functions(translations) -> dict:
    """Jinja's newstyle gettext (its i18n extension) over one catalog: autoescaped templates get
    the translation as Markup, and it is always a format string for the call's variables."""
    def finish(eval_ctx, text, variables):
        if eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        return finish(eval_ctx, translations.ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return finish(eval_ctx, translations.ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx, context, string, **variables):
        return finish(eval_ctx, translations.upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return finish(eval_ctx, translations.unpgettext(context, singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
