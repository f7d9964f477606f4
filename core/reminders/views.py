"""The notification inbox (通知) at /notifications and the navbar's unread badge."""
import logging
from datetime import datetime, timezone

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from ..auth import access
from ..extensions import db
from . import due_and_overdue, now, unread_count, unread_subquery
from .models import Notification

log = logging.getLogger(__name__)
bp = Blueprint("reminders", __name__)
PER_PAGE = 50


# The badge's count is read with the signed-in user at the start of each request, in the same
# statement (core.auth.access.load_user): a page costs one statement fewer.
access.read_with_user("reminders.unread", unread_subquery)


@bp.app_context_processor
def _unread_badge():
    def unread_notifications() -> int:
        """Called by base.html only for a signed-in user."""
        if not current_user.is_authenticated:
            return 0
        if "_erp_unread" not in g:
            # A GET changes no notification: the count read at its start is still exact. Other
            # requests (marking read, a transition notifying its author) count again.
            count = access.read_with_user_value("reminders.unread", current_user.id) \
                if request.method in ("GET", "HEAD") else None
            if count is None:
                try:
                    count = unread_count(current_user.id)
                except SQLAlchemyError:  # an error page while the database is down still renders
                    log.warning("cannot count unread notifications", exc_info=True)
                    count = 0
            g._erp_unread = count
        return g._erp_unread
    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@login_required
def inbox():
    page = max(request.args.get("page", 1, type=int), 1)
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    moment = now()
    due = due_and_overdue(current_user, moment)
    return render_template("reminders/inbox.html", notifications=rows[:PER_PAGE], page=page,
                           has_more=len(rows) > PER_PAGE, due=due, now=moment, form=FlaskForm(),
                           unread=unread_count(current_user.id))


def _own(notification_id: int) -> Notification:
    """The signed-in user's notification, else 404 (someone else's is not revealed)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    return note


def _local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


@bp.post("/notifications/<id:notification_id>/read")
@login_required
def mark_read(notification_id):
    note = _own(notification_id)
    if note.read_at is None:
        note.read_at = datetime.now(timezone.utc)
        db.session.commit()
    return redirect(url_for("reminders.inbox", page=request.form.get("page", type=int) or None))


@bp.post("/notifications/<id:notification_id>/open")
@login_required
def open_notification(notification_id):
    """Mark read and go to what the notification is about."""
    note = _own(notification_id)
    if note.read_at is None:
        note.read_at = datetime.now(timezone.utc)
        db.session.commit()
    return redirect(note.url if _local(note.url) else url_for("reminders.inbox"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    table = Notification.__table__
    done = db.session.execute(update(table).where(
        table.c.user_id == current_user.id, table.c.read_at.is_(None))
        .values(read_at=datetime.now(timezone.utc))).rowcount
    db.session.commit()
    if done:
        flash(_("%(count)d notifications marked as read.", count=done), "success")
    return redirect(url_for("reminders.inbox"))


@bp.route("/team")
@login_required
def team():
    """我的团队: what is overdue per person whose work the signed-in manager oversees (org's
    reporting lines and departments), each item a link; due-soon items beside."""
    from ..org.models import team_of
    from . import collect, horizon
    people = team_of(current_user)
    moment = now()
    limit = horizon(moment)
    ids = {u.id for u in people}
    items: dict[int, list] = {}
    for r in collect(moment, errors=[]):
        if r.user_id in ids and r.kind == "deadline" and r.due_at < limit:
            items.setdefault(r.user_id, []).append(r)
    rows = [(u, sorted(items.get(u.id, []), key=lambda r: r.due_at)) for u in people]
    rows.sort(key=lambda row: -sum(r.is_overdue(moment) for r in row[1]))
    return render_template("reminders/team.html", rows=rows, now=moment)
