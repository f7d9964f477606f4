"""Administration: users, roles (permission matrix), modules and the audit log."""
import json
import secrets
from datetime import datetime, time, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from .. import switches
from ..audit import log as audit
from ..audit.models import AuditEntry
from ..auth.decorators import permission_required
from ..auth.models import Role, RolePermission, User
from ..auth.passwords import StrongPassword
from ..extensions import db
from ..org.models import Department

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(max=64),
        Regexp(r"^[A-Za-z0-9_.@-]+$", message=_l("Use letters, digits and . _ @ - only."))])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(message=_l("Not a valid e-mail address.")), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    roles = SelectMultipleField(_l("Roles"), coerce=int)
    language = SelectField(_l("Language"), choices=[
        SelectChoice("", "—"), SelectChoice("zh_CN", "简体中文"), SelectChoice("en", "English")])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200), StrongPassword(
        lambda form: (form.username.data, form.full_name.data))])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user
        self.department_id.choices = [SelectChoice(0, "—")] + [
            SelectChoice(d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.id))]
        self.roles.choices = [SelectChoice(r.id, r.name) for r in db.session.scalars(select(Role).order_by(Role.id))]

    def validate_username(self, field):
        existing = db.session.scalar(select(User).where(func.lower(User.username) == field.data.lower()))
        if existing is not None and existing is not self._user:
            raise ValidationError(_("This username is already taken."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self._user is None and not self.password.data:
            self.password.errors = [*self.password.errors, _("A new user needs a password.")]
            valid = False
        return valid


@bp.route("/users")
@permission_required("core.users.manage")
def users():
    q = request.args.get("q", "").strip()
    stmt = select(User).order_by(User.username)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(User.username.ilike(like) | User.full_name.ilike(like))
    page = max(request.args.get("page", 1, type=int), 1)
    size = current_app.config["ERP_PAGE_SIZE"]
    rows = db.session.scalars(stmt.limit(size + 1).offset((page - 1) * size)).all()
    return render_template("admin/users.html", users=rows[:size], q=q, page=page, has_next=len(rows) > size)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("core.users.manage")
def user_edit(user_id=None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=user, user=user)
    if request.method == "GET" and user is not None:
        form.roles.data = [r.id for r in user.roles]
        form.department_id.data = user.department_id or 0
    if form.validate_on_submit() and _not_self_deactivation(form, user) and _nothing_left_to_hand_over(form, user):
        creating = user is None
        roles = list(db.session.scalars(select(Role).where(Role.id.in_(form.roles.data or []))))
        user = user or User()
        user.username = form.username.data
        user.full_name = form.full_name.data
        user.email = form.email.data or ""
        user.department_id = form.department_id.data or None
        user.language = form.language.data
        user.active = form.active.data
        user.roles = roles
        if form.password.data:
            user.set_password(form.password.data)
        if creating:
            db.session.add(user)
        db.session.commit()
        flash(_("User %(name)s saved.", name=user.username), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_edit.html", form=form, user=user), status


def _not_self_deactivation(form, user) -> bool:
    if user is not None and user.id == current_user.id and not form.active.data:
        form.active.errors = [_("You cannot deactivate yourself.")]
        return False
    return True


def _nothing_left_to_hand_over(form, user) -> bool:
    """An account is deactivated only once the modules have nothing of his left to hand over
    (erp_user_deactivation_blockers, e.g. R-S-035): refused with their sentences."""
    from ..auth import deactivation_blockers
    if user is None or not user.active or form.active.data:
        return True
    blockers = deactivation_blockers(user)
    if blockers:
        form.active.errors = [_("The account cannot be deactivated yet:")] + blockers
        return False
    return True


@bp.post("/users/<int:user_id>/reset-password")
@permission_required("core.users.manage")
def user_reset_password(user_id):
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    db.session.commit()
    flash(_("New password for %(name)s: %(password)s (shown once; pass it on privately).",
            name=user.username, password=password), "warning")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/roles", methods=["GET", "POST"])
@permission_required("core.roles.manage")
def roles():
    erp = current_app.extensions["erp"]
    all_roles = db.session.scalars(select(Role).order_by(Role.id)).all()
    by_module: dict[str, list] = {}
    for code, (module, label) in erp.permissions.items():
        by_module.setdefault(module, []).append((code, label))
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        for role in all_roles:
            wanted = {c for c in request.form.getlist(f"role-{role.id}") if c in erp.permissions}
            current = role.permission_codes & erp.permissions.keys()
            for grant in list(role.grants):
                if grant.code in current - wanted:
                    role.grants.remove(grant)
            for code in sorted(wanted - current):
                role.grants.append(RolePermission(code=code))
            # Permission changes are audited as such, beside the row-level entries.
            if wanted != current:
                audit.record(db.session, "permissions_changed", "role", role.id,
                             {"role": role.code, "granted": sorted(wanted - current),
                              "revoked": sorted(current - wanted)})
        db.session.commit()
        flash(_("Permissions saved."), "success")
        return redirect(url_for("admin.roles"))
    sections = [(erp.section_label(m), sorted(by_module.get(m, []))) for m in erp.section_order if by_module.get(m)]
    return render_template("admin/roles.html", roles=all_roles, sections=sections, form=FlaskForm())


@bp.route("/modules", methods=["GET", "POST"])
@permission_required("core.modules.manage")
def modules():
    erp = current_app.extensions["erp"]
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        name, action = request.form.get("name", ""), request.form.get("action")
        try:
            if action == "enable":
                turned_on = switches.enable(name)
                flash(_("Enabled: %(names)s. Restart the application to apply.",
                        names=", ".join(turned_on) or name), "success")
            elif action == "disable":
                switches.disable(name)
                flash(_("Module %(name)s disabled. Restart the application to apply.", name=name), "success")
            else:
                abort(400)
        except switches.SwitchRefused as exc:
            flash(str(exc), "danger")
            return redirect(url_for("admin.modules")), 303
        return redirect(url_for("admin.modules"))
    from ..models import ModuleState
    saved = {s.name: s.enabled for s in db.session.scalars(select(ModuleState))}
    return render_template("admin/modules.html", statuses=erp.statuses, saved=saved, form=FlaskForm())


def _parse_date(value: str, end: bool):
    try:
        d = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(d, time.max if end else time.min, tzinfo=timezone.utc)


@bp.route("/audit")
@permission_required("core.audit.view")
def audit_log():
    args = request.args
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if args.get("user"):
        stmt = stmt.where(AuditEntry.actor == args["user"])
    if args.get("model"):
        stmt = stmt.where(AuditEntry.model == args["model"])
    if args.get("record"):
        stmt = stmt.where(AuditEntry.record_id == args["record"])
    if args.get("action"):
        stmt = stmt.where(AuditEntry.action == args["action"])
    if args.get("date_from") and (d := _parse_date(args["date_from"], False)):
        stmt = stmt.where(AuditEntry.ts >= d)
    if args.get("date_to") and (d := _parse_date(args["date_to"], True)):
        stmt = stmt.where(AuditEntry.ts <= d)
    # Keyset pagination: "before" is the last id seen; no count(*) over the whole log.
    before = args.get("before", type=int)
    if before:
        stmt = stmt.where(AuditEntry.id < before)
    size = current_app.config["ERP_PAGE_SIZE"]
    rows = db.session.scalars(stmt.limit(size + 1)).all()
    entries = [(e, json.loads(e.changes or "{}")) for e in rows[:size]]
    older_url = (url_for("admin.audit_log", **{**args.to_dict(), "before": rows[size - 1].id})
                 if len(rows) > size else None)
    return render_template("admin/audit.html", entries=entries, args=args, older_url=older_url)
