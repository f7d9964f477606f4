"""“Waiting for me” and delegation of approvals."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..auth.models import User
from ..extensions import db
from . import engine
from .inbox import waiting_count, waiting_documents
from .models import ApprovalTask, Delegation

bp = Blueprint("workflow", __name__)


def _document_url(task: ApprovalTask) -> str | None:
    doctype = current_app.extensions["erp"].doctypes.get(task.doctype)
    if doctype is None:  # its module is off: show the snapshot text only
        return None
    return url_for(f"{doctype.endpoint_prefix}_detail", doc_id=task.doc_id)


@bp.route("/inbox")
@login_required
def inbox():
    tasks = db.session.scalars(engine.waiting_for(current_user).order_by(
        ApprovalTask.created_at.desc(), ApprovalTask.id.desc()).limit(200)).all()
    doctypes = current_app.extensions["erp"].doctypes
    rows = [(t, _document_url(t), doctypes[t.doctype].label if t.doctype in doctypes else t.doctype) for t in tasks]
    return render_template("workflow/inbox.html", rows=rows, waiting=waiting_documents(current_user))


def open_task_count(user) -> int:
    """Approvals and other people's steps waiting for `user` (the dashboard's 待我处理)."""
    return db.session.scalar(engine.waiting_for(user, func.count())) + waiting_count(user)


class DelegationForm(FlaskForm):
    to_user_id = SelectField(_l("Deputy"), coerce=int, validators=[DataRequired()])
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("To"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, _("The end date is before the start date.")]
            valid = False
        if valid and self.to_user_id.data == current_user.id:
            self.to_user_id.errors = [*self.to_user_id.errors, _("Choose someone other than yourself.")]
            valid = False
        return valid


@bp.route("/delegations", methods=["GET", "POST"])
@login_required
def delegations():
    form = DelegationForm()
    form.to_user_id.choices = [SelectChoice(u.id, f"{u.display_name} ({u.username})") for u in db.session.scalars(
        select(User).where(User.active.is_(True), User.id != current_user.id).order_by(User.username))]
    if form.validate_on_submit():
        db.session.add(Delegation(from_user_id=current_user.id, to_user_id=form.to_user_id.data,
                                  starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                  reason=form.reason.data or ""))
        db.session.commit()
        flash(_("Your approvals are delegated."), "success")
        return redirect(url_for("workflow.delegations"))
    mine = db.session.scalars(select(Delegation).where(
        (Delegation.from_user_id == current_user.id) | (Delegation.to_user_id == current_user.id))
        .order_by(Delegation.starts_on.desc())).all()
    status = 400 if request.method == "POST" else 200
    return render_template("workflow/delegations.html", form=form, delegations=mine, today=date.today()), status


@bp.post("/delegations/<int:delegation_id>/end")
@login_required
def end_delegation(delegation_id):
    d = db.session.get(Delegation, delegation_id)
    if d is None or d.from_user_id != current_user.id or not FlaskForm().validate_on_submit():
        return redirect(url_for("workflow.delegations"))
    d.active = False
    db.session.commit()
    return redirect(url_for("workflow.delegations"))
