"""Sales' own pages: only where a form is special (assigning pre-sales, fixing a price...)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from core.auth.decorators import permission_required
from core.auth.models import User, users_with_roles
from core.documents import service
from core.documents.views import perform_and_report
from core.extensions import db
from core.views import module_blueprint
from core.workflow import engine

bp = module_blueprint("sales", __name__, "sales.access")


def _doctype(code):
    return current_app.extensions["erp"].doctypes[code]


def _detail(doctype, doc):
    return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc.id))


def _perform(doctype, doc, name, comment="", check_version=True):
    version = request.form.get("version", type=int) if check_version else None
    return perform_and_report(doctype, doc, name, comment, version)


# ---- registration: the 售前经理 signs and assigns the pre-sales lead (WF-S05) ------------------
class AssignForm(FlaskForm):
    presales_lead_id = SelectField(_l("Pre-sales lead"), coerce=int,
                                   validators=[DataRequired(message=_l("Choose the pre-sales lead."))])
    comment = TextAreaField(_l("Pre-sales manager's opinion"), validators=[Optional()])


@bp.route("/registration/<id:doc_id>/assign", methods=["GET", "POST"])
@permission_required("sales.registration.assign")
def registration_assign(doc_id):
    doctype = _doctype("sales.registration")
    doc = service.get_visible(doctype, current_user, doc_id)
    if doc.state != "pending_ps":
        abort(409)
    form = AssignForm()
    form.presales_lead_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(u.id, u.display_name) for u in users_with_roles("ROLE-MKT-PSE")]
    if form.validate_on_submit():
        doc.presales_lead_id = form.presales_lead_id.data
        if _perform(doctype, doc, "assign", form.comment.data or ""):
            flash(_("Pre-sales lead assigned; the registration is approved."), "success")
            return _detail(doctype, doc)
        return render_template("documents/special_form.html", form=form, doc=doc, doctype=doctype), 400
    return render_template("documents/special_form.html", form=form, doc=doc, doctype=doctype), 400 if form.errors else 200


# ---- quotation: the 市场部经理 fixes the external price (R-S-015, R-S-010) ---------------------
class PriceForm(FlaskForm):
    external_price = DecimalField(_l("External price (excl. tax)"), places=2,
                                  validators=[DataRequired(), NumberRange(min=0, max=10**11)])


@bp.route("/quotation/<id:doc_id>/price", methods=["GET", "POST"])
@permission_required("sales.quotation.fix_price")
def quotation_price(doc_id):
    doctype = _doctype("sales.quotation")
    doc = service.get_visible(doctype, current_user, doc_id)
    if doc.state != "mgr_pricing":
        abort(409)
    form = PriceForm(obj=doc if request.method == "GET" else None)
    if request.method == "GET" and doc.external_price is None:
        form.external_price.data = doc.total_price
    if form.validate_on_submit():
        if request.form.get("version", type=int) not in (None, doc.version):
            flash(str(engine.Conflict()), "danger")
            return _detail(doctype, doc)
        doc.external_price = form.external_price.data
        from .presales import compute
        compute(doc)
        db.session.commit()  # the price the manager entered is kept (and audited) even if refused
        if _perform(doctype, doc, "fix_price", check_version=False):
            flash(_("External price fixed: %(price)s.", price=f"¥{doc.external_price:,.2f}"), "success")
        return _detail(doctype, doc)
    from core import settings
    return render_template("sales/price.html", form=form, doc=doc, doctype=doctype,
                           min_margin=settings.get("sales.min_profit_margin_pct")), 400 if form.errors else 200


# ---- quotation: equipment price inquiry to procurement (I-01) ---------------------------------
@bp.post("/quotation/<id:doc_id>/inquiry")
@permission_required("sales.quotation.edit")
def quotation_inquiry(doc_id):
    doctype = _doctype("sales.quotation")
    doc = service.get_visible(doctype, current_user, doc_id)
    if doc.state != "draft" or not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(409 if doc.state != "draft" else 400)
    from .presales import request_prices
    message, category = request_prices(doc, current_user)
    flash(message, category)
    return _detail(doctype, doc)


# ---- customer transfer (R-S-031) and the reason for a lost order -------------------------------
class TransferForm(FlaskForm):
    owner_id = SelectField(_l("New responsible salesperson"), coerce=int,
                           validators=[DataRequired(message=_l("Choose the new owner."))])
    comment = TextAreaField(_l("Reason"), validators=[DataRequired()])


@bp.route("/customer/<id:doc_id>/transfer", methods=["GET", "POST"])
@permission_required("sales.customer.transfer")
def customer_transfer(doc_id):
    doctype = _doctype("sales.customer")
    doc = service.get_visible(doctype, current_user, doc_id)
    form = TransferForm()
    form.owner_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(u.id, u.display_name) for u in users_with_roles("ROLE-MKT-AM", "ROLE-MKT-AAM", "ROLE-MKT-MGR")]
    if form.validate_on_submit():
        from core.audit import log as audit
        previous = doc.owner_id
        doc.owner_id = form.owner_id.data
        new_owner = db.session.get(User, form.owner_id.data)
        doc.department_id = new_owner.department_id or doc.department_id
        audit.record(db.session, "transfer", doc.__tablename__, doc.id,
                     {"from": previous, "to": doc.owner_id, "reason": form.comment.data})
        db.session.commit()
        flash(_("Customer transferred to %(name)s.", name=new_owner.display_name), "success")
        return _detail(doctype, doc)
    return render_template("documents/special_form.html", form=form, doc=doc, doctype=doctype), 400 if form.errors else 200


class OutcomeForm(FlaskForm):
    outcome_reason = SelectField(_l("Reason"), validators=[DataRequired()])
    comment = TextAreaField(_l("What happened"), validators=[DataRequired()])


@bp.route("/opportunity/<id:doc_id>/outcome", methods=["GET", "POST"])
@permission_required("sales.opportunity.lose")
def opportunity_outcome(doc_id):
    from .customers import LOSS_REASONS
    doctype = _doctype("sales.opportunity")
    doc = service.get_visible(doctype, current_user, doc_id)
    form = OutcomeForm()
    form.outcome_reason.choices = [SelectChoice("", "—")] + [SelectChoice(v, l) for v, l in LOSS_REASONS]
    if form.validate_on_submit():
        doc.outcome_reason = form.outcome_reason.data
        if _perform(doctype, doc, "lose", form.comment.data):
            flash(_("Recorded as lost. A lost-order summary is due."), "warning")
            return _detail(doctype, doc)
    return render_template("documents/special_form.html", form=form, doc=doc, doctype=doctype), 400 if form.errors else 200


# =================================================================================================
# Bidding (WF-S06, modules/sales/bidding.py): task owners accept their F-S06 tasks and report
# progress (only the task's owner or the bid lead) on a page of their own, the tender's editors
# being others. The bid lead is appointed by the tender's appoint_lead action (core's page).
# =================================================================================================
from flask_login import login_required  # noqa: E402

from core.documents.formatting import cell_text  # noqa: E402


def _task_form(task, formdata=None):
    """The task's update form (bidding.TaskUpdateForm: derived from the line fields its owner reports)."""
    from .bidding import TaskUpdateForm
    return TaskUpdateForm(prefix=f"t{task.id}") if formdata is not None else \
        TaskUpdateForm(formdata=None, prefix=f"t{task.id}", obj=task)


def _task_rows(doctype, tender):
    """(task, form or None): a form for each task the signed-in user may update."""
    rows = []
    for task in tender.tasks:
        mine = task.owner_id == current_user.id or tender.bid_lead_id == current_user.id
        rows.append((task, _task_form(task) if mine else None))
    return rows


def _tasks_page(doctype, doc, status=200):
    from .bidding import TASK_STATES
    return render_template("sales/bid_tasks.html", doc=doc, doctype=doctype, rows=_task_rows(doctype, doc),
                           open_for_updates=doc.state in TASK_STATES, cell=cell_text), status


@bp.route("/tender/<id:doc_id>/tasks")
@login_required
def tender_tasks(doc_id):
    doctype = _doctype("sales.tender")
    return _tasks_page(doctype, service.get_visible(doctype, current_user, doc_id))


@bp.post("/tender/<id:doc_id>/tasks/<id:task_id>")
@login_required
def tender_task_update(doc_id, task_id):
    from .bidding import BidTask, task_update_problem, update_task
    doctype = _doctype("sales.tender")
    doc = service.get_visible(doctype, current_user, doc_id)
    task = db.session.get(BidTask, task_id)
    if task is None or task.tender_id != doc.id:
        abort(404)
    if task.owner_id != current_user.id and doc.bid_lead_id != current_user.id:
        abort(403)
    form = _task_form(task, request.form)
    problem = None
    if not form.validate_on_submit():
        problem = "; ".join(f"{getattr(form, name).label.text}: {m}" for name, ms in form.errors.items() for m in ms)
    else:
        problem = task_update_problem(doc, task, current_user, form.status.data)
    if problem:
        db.session.rollback()
        flash(problem, "danger")
        return _tasks_page(doctype, doc, 400)
    update_task(task, form.status.data, form.progress.data, form.note.data)
    db.session.commit()
    flash(_("Task “%(name)s” updated.", name=task.name), "success")
    return redirect(url_for("sales.tender_tasks", doc_id=doc.id))


@bp.route("/bid-tasks/")
@permission_required("sales.access")
def bid_tasks_mine():
    from .bidding import TASK_STATUSES, my_open_tasks
    return render_template("sales/bid_tasks_mine.html", tasks=my_open_tasks(current_user),
                           statuses=dict(TASK_STATUSES))
