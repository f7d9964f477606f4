"""Error pages, or JSON for API clients: never a stack trace, never the data."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("This page does not exist."),
    405: lambda: _("This action is not allowed here."),
    409: lambda: _("Someone else changed this record in the meantime."),
    413: lambda: _("The request is too large."),
    429: lambda: _("Too many attempts. Please wait and try again."),
    500: lambda: _("Something went wrong on our side. The error has been logged."),
}


class Refused(BadRequest):
    """A request refused with its own sentence (in the user's language) and, for API clients,
    the request fields it names: {field: [reasons]}."""

    def __init__(self, sentence: str, fields: dict | None = None):
        super().__init__(sentence)
        self.fields = fields or {}


def register(app):
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = MESSAGES.get(exc.code, lambda: exc.description)()
        if isinstance(exc, Refused):
            message = exc.description
        elif exc.code == 400 and exc.description and "CSRF" in str(exc.description):
            message = _("The form has expired. Please reload the page and try again.")
        # The exception's own headers tell the client what to do next (Allow on a 405,
        # Retry-After on a 429); the body is ours.
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if wants_json():
            fields = {"fields": exc.fields} if isinstance(exc, Refused) and exc.fields else {}
            return jsonify(error=message, status=exc.code, **fields), exc.code, headers
        return render_template("core/error.html", code=exc.code, message=message), exc.code, headers

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("unhandled error")
        from .extensions import db
        db.session.rollback()
        message = MESSAGES[500]()
        if wants_json():
            return jsonify(error=message, status=500), 500
        return render_template("core/error.html", code=500, message=message), 500
