"""Sales' own pages: only where a form is special (transferring a customer, a bid's tasks...)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from core.auth.decorators import permission_required
from core.documents import service
from core.documents.views import perform_and_report
from core.extensions import db
from core.views import module_blueprint

bp = module_blueprint("sales", __name__, "sales.access")


def _doctype(code):
    return current_app.extensions["erp"].doctypes[code]


def _detail(doctype, doc):
    return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc.id))


def _perform(doctype, doc, name, comment=""):
    return perform_and_report(doctype, doc, name, comment, request.form.get("version", type=int))


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
