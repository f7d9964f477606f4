"""The CSRF token that pages put in their forms (the layout's sign-out and language forms)."""
from flask import current_app, session
from flask_wtf.csrf import generate_csrf


def csrf_token() -> str:
    """Flask-WTF's token, signed once per worker for each session rather than on every page (a
    twentieth of a list page's time). Tokens do not expire here (WTF_CSRF_TIME_LIMIT is None): a
    signed token is as good as the session's own token, which it is kept under."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None or field not in session:
        return generate_csrf()
    return current_app.extensions["erp"].caches.csrf_tokens.get(session[field], generate_csrf)
