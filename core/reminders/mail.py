"""E-mail of new notifications (``erp reminders send``), when SMTP is configured.

Configuration (core/config.py, from the environment): ``ERP_SMTP_HOST`` (MAIL_SERVER; unset = no
e-mail), ``ERP_SMTP_PORT`` (default 587 with STARTTLS, 465 with SSL, else 25), ``ERP_SMTP_USER``
and ``ERP_SMTP_PASSWORD`` (log in when set), ``ERP_SMTP_FROM`` (sender), ``ERP_SMTP_TLS``
(``starttls``, the default; ``ssl`` for implicit TLS; ``0`` for none), ``ERP_BASE_URL`` (the
address staff open, for links).

Each user with an e-mail address gets one message per run listing their notifications not yet
e-mailed, unread and created in the last ``MAX_AGE_DAYS`` days (so giving an address later does
not send a year of old news). A notification is claimed (``emailed_at`` set and committed)
before its message is sent and released when sending fails, so two runs at once never send it
twice.
"""
from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from itertools import groupby
from urllib.parse import urljoin

from flask import current_app
from flask_babel import force_locale, format_datetime, gettext as _
from sqlalchemy import select, update

from .. import settings
from ..extensions import db
from ..i18n import normalise
from .models import Notification

MAX_AGE_DAYS = 7
TIMEOUT = 30


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _connect():
    config = current_app.config
    use_ssl, use_tls = config.get("MAIL_USE_SSL"), config.get("MAIL_USE_TLS")
    port = config.get("MAIL_PORT") or (465 if use_ssl else 587 if use_tls else 25)
    if use_ssl:
        smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], port, timeout=TIMEOUT,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], port, timeout=TIMEOUT)
        if use_tls:
            smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def sender() -> str:
    config = current_app.config
    address = config.get("MAIL_DEFAULT_SENDER") or config.get("MAIL_USERNAME") or "erp@localhost"
    if "<" in address:
        return address
    return formataddr((settings.get("core.company_name"), address))


def _link(url: str) -> str:
    base = current_app.config.get("ERP_BASE_URL") or ""
    if not url:
        return ""
    return urljoin(base if base.endswith("/") else base + "/", url) if base else url


def message(user, notes: list[Notification]) -> EmailMessage:
    """The message telling `user` about `notes`, in the user's language."""
    language = normalise(user.language or current_app.config.get("ERP_LANGUAGE", "zh_CN"))
    with force_locale(language):
        if len(notes) == 1:
            subject = notes[0].title
        else:
            subject = _("%(count)d new reminders", count=len(notes))
        lines = [_("Hello %(name)s,", name=user.display_name), ""]
        for note in notes:
            lines.append(f"- {note.title}")
            if note.due_at is not None:
                lines.append("  " + _("Due: %(when)s", when=format_datetime(
                    _as_utc(note.due_at), "yyyy-MM-dd HH:mm")))
            if note.body:
                lines.extend("  " + line for line in note.body.splitlines())
            if note.url:
                lines.append("  " + _link(note.url))
        lines += ["", _("All your notifications: %(url)s", url=_link("/notifications") or "/notifications")]
        company = settings.get("core.company_name")
    msg = EmailMessage()
    msg["Subject"] = f"[{company}] {subject}"
    msg["From"] = sender()
    msg["To"] = formataddr((user.display_name, user.email))
    msg["Message-ID"] = make_msgid(domain="erp")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content("\n".join(lines) + "\n")
    return msg


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def send_pending() -> tuple[int, list[str]]:
    """E-mail every user their pending notifications; returns (messages sent, error sentences)."""
    from ..auth.models import User
    cutoff = datetime.now(timezone.utc) - timedelta(days=MAX_AGE_DAYS)
    rows = db.session.execute(
        select(Notification.id, Notification.user_id).join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at >= cutoff, User.active.is_(True), User.email != "")
        .order_by(Notification.user_id, Notification.id)).all()
    if not rows:
        return 0, []
    try:
        smtp = _connect()
    except OSError as exc:  # smtplib's errors are OSErrors too
        return 0, [f"cannot connect to the SMTP server {current_app.config['MAIL_SERVER']}: {exc}"]
    sent, errors = 0, []
    try:
        for user_id, group in groupby(rows, key=lambda row: row.user_id):
            ids = [row.id for row in group]
            claimed = _claim(ids)
            if not claimed:
                continue  # another run took them
            user = db.session.get(User, user_id)
            notes = db.session.scalars(select(Notification).where(Notification.id.in_(claimed))
                                       .order_by(Notification.due_at, Notification.id)).all()
            try:
                smtp.send_message(message(user, notes))
            except OSError as exc:
                _release(claimed)
                errors.append(f"cannot e-mail {user.username} <{user.email}>: {exc}")
                if isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(exc, smtplib.SMTPException):
                    break  # the connection is gone: the next run retries the rest
                continue
            sent += 1
    finally:
        try:
            smtp.quit()
        except OSError:
            pass
    return sent, errors


def _claim(ids: list[int]) -> list[int]:
    table = Notification.__table__
    claimed = db.session.execute(
        update(table).where(table.c.id.in_(ids), table.c.emailed_at.is_(None))
        .values(emailed_at=datetime.now(timezone.utc)).returning(table.c.id)).scalars().all()
    db.session.commit()
    return sorted(claimed)


def _release(ids: list[int]) -> None:
    table = Notification.__table__
    db.session.execute(update(table).where(table.c.id.in_(ids)).values(emailed_at=None))
    db.session.commit()
