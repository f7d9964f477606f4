import secrets
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, g, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..audit import log as audit
from ..errors import wants_json
from ..extensions import db, login_manager
from . import access, sessions, throttle
from .passwords import StrongPassword
from .models import User

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200), StrongPassword(
        lambda form: (current_user.username, current_user.full_name))])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new", message=_l("The passwords do not match."))])


@login_manager.user_loader
def load_user(session_key):
    parsed = sessions.parse(session_key)
    return access.load_user(parsed[0], sessions.token_hash(parsed[1])) if parsed else None


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(error=_("Please sign in."), status=401), 401
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


def _check_password(user, password: str) -> bool:
    """The password check, costing the same hashing time whether or not the user exists (an
    unknown name must not answer faster than a known one)."""
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return user.check_password(password)


def _dummy_hash() -> str:
    method = current_app.config.get("ERP_PASSWORD_METHOD", "scrypt")
    return current_app.extensions["erp"].caches.password_hashes.get(method, lambda: generate_password_hash(
        secrets.token_hex(16), method=method))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        ip = request.remote_addr or ""
        if not throttle.attempt(username, ip):
            audit.record_now("login_throttled", "login", username.lower(), {"username": username})
            form.form_errors.append(_("Too many failed sign-ins. Please wait %(minutes)s minutes and try again.",
                                      minutes=current_app.config["ERP_LOGIN_WINDOW_MINUTES"]))
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        password_ok = _check_password(user, form.password.data)
        if not password_ok or not user.active:
            reason = "unknown user" if user is None else ("inactive" if password_ok else "bad password")
            audit.record_now("login_failed", "login", username.lower(), {"username": username, "reason": reason})
            # One message whatever the cause, so names cannot be probed.
            form.form_errors.append(_("Invalid username or password."))
            status = 401
        else:
            throttle.succeeded(username, ip)
            session.clear()
            sessions.start(user, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            g._login_user = user
            user.last_login_at = datetime.now(timezone.utc)
            audit.record(db.session, "login", "user", user.id, {"username": user.username})
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    sessions.end_current("signed out")
    audit.record_now("logout", "user", current_user.id, {"username": current_user.username})
    language = current_user.language or session.get("language")
    logout_user()
    session.clear()
    if language:
        session["language"] = language  # the sign-in page stays in the user's language
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    from ..i18n import normalise
    form = FlaskForm()
    if form.validate_on_submit():
        language = normalise(request.form.get("language", ""))
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            current_user.set_password(form.new.data)
            db.session.flush()  # ends all his sessions, this one too (core.auth.sessions)
            sessions.restart(current_user._get_current_object())
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, sessions=sessions.alive_of(current_user.id),
                           this_session=sessions.current_id(), end_form=FlaskForm())


@bp.post("/profile/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out everywhere else (a phone left behind, a shared computer)."""
    if FlaskForm().validate_on_submit():
        ended = sessions.end_others(current_user.id)
        audit.record(db.session, "sessions_ended", "user", current_user.id, {"sessions": ended})
        db.session.commit()
        flash(_("Signed out of %(count)s other sessions.", count=ended), "success")
    return redirect(url_for("auth.profile"))
