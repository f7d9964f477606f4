"""Unapplied migrations: the app starts but does not go live half-way.

When core's or an enabled module's latest migration is not applied, every page but signing in
answers 503: the administrator (core.modules.manage) reads which migrations are missing and that
`erp db upgrade` applies them; everyone else reads that the system is under maintenance. The
database's alembic_version is read once per process; only while something is missing is it read
again (every few seconds), so the site comes back by itself once the operator has upgraded.
"""
from __future__ import annotations

import time

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

OPEN_ENDPOINTS = {"auth.login", "auth.logout", "auth.set_language", "static", "healthz", "favicon"}
RECHECK_SECONDS = 5
ADMIN_PERMISSION = "core.modules.manage"


def read(app) -> list[str] | None:
    """The branches not applied (logged once when any); None when the database cannot be read."""
    from . import migrate
    erp = app.extensions["erp"]
    first = erp.pending is None
    try:
        with app.app_context():
            names = migrate.pending(app)
    except migrate.MigrationError as exc:  # a revision id clash: the command line refuses, say it here
        app.logger.error("%s", exc)
        names = []
    except SQLAlchemyError as exc:
        app.logger.warning("cannot read the applied migrations: %s", exc.__class__.__name__)
        return None
    if names and first:
        app.logger.warning("%s", migrate.pending_sentence(names))
    erp.pending = names
    return names


def install(app) -> None:
    checked = [0.0]

    @app.before_request
    def _migrations_applied():
        erp = app.extensions["erp"]
        if erp.pending is None or (erp.pending and time.monotonic() - checked[0] > RECHECK_SECONDS):
            read(app)
            checked[0] = time.monotonic()
        if not erp.pending or request.endpoint in OPEN_ENDPOINTS:
            return None
        return _maintenance(erp.pending)


def _maintenance(names: list[str]):
    from flask_login import current_user

    from .errors import wants_json
    try:
        signed_in = current_user.is_authenticated
        admin = signed_in and current_user.can(ADMIN_PERMISSION)
    except SQLAlchemyError:  # core's own tables are not there yet
        db.session.rollback()
        signed_in = admin = False
    if admin:
        message = _("The database lacks the migrations of %(modules)s: run “erp db upgrade” on the server, "
                    "then reload this page.", modules=", ".join(names))
    else:
        message = _("The system is under maintenance. Please try again later.")
    headers = {"Retry-After": str(RECHECK_SECONDS * 12)}
    if wants_json():
        return jsonify(error=message, status=503), 503, headers
    return render_template("core/maintenance.html", message=message, admin=admin,
                           signed_in=signed_in), 503, headers
