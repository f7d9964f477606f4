"""Deadlines and reminders (提醒): what is due and overdue per person, and the notification inbox.

Modules declare their cadences through the ``erp_reminders(now)`` hook: each implementation
returns the :class:`Reminder` items that are pending at ``now`` (a visit log not yet written
today, a half-year plan not yet submitted...). Core then

- shows each user's items due soon and overdue on the dashboard and on ``/notifications``,
  computed live (:func:`due_and_overdue`);
- turns them into notifications (通知) in the user's inbox with ``erp reminders send`` (cron), at
  most once per (user, key) (:func:`notify`, :func:`send`), and e-mails the new ones when SMTP is
  configured (``ERP_SMTP_HOST``...). Before that, the same run lets modules create what their
  cadences create by themselves (the ``erp_scheduled(now)`` hook, :func:`run_scheduled`).

An item is *due soon* when its ``due_at`` falls before the end of the working day
``core.reminder_lead_days`` working days from today (1: today and the next working day); it is
*overdue* once ``now`` is past its ``overdue_after`` (default: ``due_at``).

The cadence helpers compute the handbook's deadlines (SPEC.md 0.4) on the working calendar, as
aware datetimes in ERP_TIMEZONE (Asia/Shanghai)::

    daily_before_end_of_work(day)      下班前: 18:00 (core.workday_end_time) that day
    weekly_before_meeting(day)         before the Monday 09:30 meeting of day's week
    month_end(day) quarter_end(day) half_year_end(day)   18:00 on the period's last day

A deadline on a non-working day moves to the previous working day (``core.deadline_roll``).
"""
from __future__ import annotations

import calendar as _gregorian
import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from datetime import date, datetime, time, timedelta, timezone as _tz

from flask import current_app, g, has_request_context
from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from .. import calendar as cal
from .. import settings
from ..extensions import db
from .models import Notification

log = logging.getLogger(__name__)

DEADLINE, INFO = "deadline", "info"
KINDS = (DEADLINE, INFO)
KEY_MAX = 200


# ---- what modules return ---------------------------------------------------------------------

def _aware_datetime(value, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Reminder.{name} must be an aware datetime (use the cadence helpers "
                         f"or datetime(..., tzinfo=ZoneInfo('Asia/Shanghai'))), not {value!r}")


@dataclass(frozen=True)
class Reminder:
    """Something ``user_id`` has to do (``kind="deadline"``) or should know (``kind="info"``).

    ``key`` identifies the reminder for good (``"sales.visit_log:2026-11-27:user:5"``): the same
    key is never notified twice to the same user, so build it from the obligation and its period,
    not from the time you compute it. ``due_at`` is the deadline (an aware datetime); the item is
    overdue once ``now`` passes ``overdue_after`` (default ``due_at``; later for a grace period).
    An ``info`` item is notified once ``now`` reaches ``due_at`` and is never overdue.
    """
    key: str
    user_id: int
    title: object                       # str or lazy string; stored as text in the notification
    due_at: datetime
    url: str = ""
    overdue_after: datetime | None = None
    kind: str = DEADLINE
    body: object = ""

    def __post_init__(self):
        if not isinstance(self.key, str) or not self.key.strip() or len(self.key) > KEY_MAX:
            raise ValueError(f"Reminder.key must be a non-empty string of at most {KEY_MAX} characters, "
                             f"not {self.key!r}")
        if not isinstance(self.user_id, int) or isinstance(self.user_id, bool):
            raise ValueError(f"Reminder.user_id must be a user's id, not {self.user_id!r}")
        _aware_datetime(self.due_at, "due_at")
        if self.overdue_after is not None:
            _aware_datetime(self.overdue_after, "overdue_after")
        if self.kind not in KINDS:
            raise ValueError(f"Reminder.kind must be one of {', '.join(KINDS)}, not {self.kind!r}")

    @property
    def deadline(self) -> datetime:
        """The moment after which the item is overdue."""
        return self.overdue_after or self.due_at

    def is_overdue(self, now: datetime) -> bool:
        return self.kind == DEADLINE and _aware(now) > self.deadline


# ---- cadence helpers (SPEC.md 0.4) -------------------------------------------------------------

def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=cal.timezone())


def daily_before_end_of_work(day) -> datetime:
    """下班前 on `day`: core.workday_end_time (18:00), on the previous working day if `day` is not one."""
    return cal.deadline_end_of_work(day)


def weekly_before_meeting(day, weekday: int = 0, at: time = time(9, 30)) -> datetime:
    """Before the weekly meeting (例会) of the week (Monday to Sunday) containing `day`.

    The meeting is on `weekday` (0 = Monday) at `at` (sales passes its ``sales.weekly_meeting``).
    When that day is not a working day, the meeting is on the first working day after it in the
    same week (国庆: Thursday 8 October 2026); when the rest of the week is off too (春节), on the
    next working day.
    """
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
    d = cal._as_date(day)
    monday = d - timedelta(days=d.weekday())
    for offset in range(weekday, 7):
        candidate = monday + timedelta(days=offset)
        if cal.is_working_day(candidate):
            return _at(candidate, at)
    return _at(cal.next_working_day(monday + timedelta(days=6)), at)


def _last_day(day, months: int) -> date:
    """The last calendar day of the month, quarter (3) or half-year (6) containing `day`."""
    d = cal._as_date(day)
    month = (d.month - 1) // months * months + months
    return date(d.year, month, _gregorian.monthrange(d.year, month)[1])


def month_end(day) -> datetime:
    """18:00 on the last working day of `day`'s month (Saturday 31 October 2026: Friday the 30th)."""
    return cal.deadline_end_of_work(_last_day(day, 1))


def quarter_end(day) -> datetime:
    """18:00 on the last working day of `day`'s quarter (31 Mar, 30 Jun, 30 Sep, 31 Dec)."""
    return cal.deadline_end_of_work(_last_day(day, 3))


def half_year_end(day) -> datetime:
    """18:00 on the last working day of `day`'s half-year (30 Jun, 31 Dec)."""
    return cal.deadline_end_of_work(_last_day(day, 6))


# ---- collecting ------------------------------------------------------------------------------

def now() -> datetime:
    """The current time in ERP_TIMEZONE (one value per web request)."""
    if has_request_context():
        if "_erp_reminders_now" not in g:
            g._erp_reminders_now = datetime.now(cal.timezone())
        return g._erp_reminders_now
    return datetime.now(cal.timezone())


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return now()
    if moment.tzinfo is None:  # stored naive (SQLite) or typed on the command line
        return moment.replace(tzinfo=cal.timezone())
    return moment


def collect(now: datetime | None = None, errors: list | None = None) -> list[Reminder]:
    """Every enabled module's reminders at `now` (default: now), in registration order.

    A module whose implementation raises (or returns something other than Reminder items) stops
    the collection, unless `errors` is given: then the failure is logged, appended to `errors` as
    ``(module name, exception)`` and the other modules' reminders are still returned. The same
    (user, key) returned twice counts once. Cached for the web request.
    """
    moment = _aware(now)
    cache = g.setdefault("_erp_reminders", {}) if has_request_context() else None
    if cache is not None and moment in cache:
        reminders, failures = cache[moment]
        if errors is None and failures:
            raise failures[0][1]
        if errors is not None:
            errors.extend(failures)
        return list(reminders)
    with _url_context():  # modules link their reminders (url_for), also from the command line
        reminders, failures = _collected(moment, errors)
    if cache is not None:
        cache[moment] = (reminders, failures)
    if errors is not None:
        errors.extend(failures)
    return list(reminders)


def _collected(moment, errors):
    hook = current_app.extensions["erp"].pm.hook.erp_reminders
    seen, reminders, failures = set(), [], []
    for impl in hook.get_hookimpls():  # registration order
        try:
            # Lenient: a savepoint keeps the transaction usable when a module's query fails
            # (PostgreSQL refuses every statement after an error until the rollback).
            with db.session.begin_nested() if errors is not None else nullcontext():
                items = list(impl.function(*[{"now": moment}[a] for a in impl.argnames]) or [])
            for item in items:
                if not isinstance(item, Reminder):
                    raise TypeError(f"erp_reminders of module {impl.plugin_name!r} returned {item!r}, "
                                    f"not a core.reminders.Reminder")
        except Exception as exc:
            if errors is None:
                raise
            log.exception("erp_reminders of module %r failed", impl.plugin_name)
            failures.append((impl.plugin_name, exc))
            continue
        for item in items:
            if (item.user_id, item.key) not in seen:
                seen.add((item.user_id, item.key))
                reminders.append(item)
    return reminders, failures


def horizon(now: datetime | None = None) -> datetime:
    """Items due before this moment are "due soon": the end of the day core.reminder_lead_days
    working days after today (today itself when the lead is 0)."""
    moment = _aware(now).astimezone(cal.timezone())
    lead = settings.get("core.reminder_lead_days")
    last = cal.add_working_days(moment.date(), lead) if lead else moment.date()
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=cal.timezone())


def due_and_overdue(user, now: datetime | None = None) -> list[Reminder]:
    """`user`'s deadlines due soon or overdue at `now`, earliest first (for the dashboard).

    Computed live from the modules' reminders; a failing module is logged and left out.
    """
    moment = _aware(now)
    user_id = getattr(user, "id", user)
    limit = horizon(moment)
    items = [r for r in collect(moment, errors=[])
             if r.user_id == user_id and r.kind == DEADLINE and r.due_at < limit]
    return sorted(items, key=lambda r: (r.due_at, r.key))


def dashboard_widget(user, shown: int = 5):
    """Core's "Due and overdue" widget: the count, the overdue count, a link to the inbox, and the
    first `shown` items (overdue first), each a link to what is to be done."""
    from flask import url_for
    from flask_babel import gettext as _, lazy_gettext as _l
    from ..dashboard import Widget
    moment = now()
    items = due_and_overdue(user, moment)
    overdue = sum(1 for r in items if r.is_overdue(moment))
    first = sorted(items, key=lambda r: not r.is_overdue(moment))[:shown]
    return Widget(_l("Due and overdue"), body=_("Overdue: %(count)d", count=overdue),
                  value=len(items), url=url_for("reminders.inbox"), order=2,
                  items=tuple((str(r.title), r.url) for r in first))


def team_widget(user, shown: int = 10):
    """A manager's "Overdue in my team" widget: his people's overdue items, a link to /team, and a
    chart of the overdue count per person (the `shown` most behind, each a link to his row of
    /team); None for someone no one reports to."""
    from flask import url_for
    from flask_babel import lazy_gettext as _l
    from ..dashboard import Chart, Dataset, Widget
    from ..org.models import team_of
    people = {u.id: u for u in team_of(user)}
    if not people:
        return None
    moment = now()
    overdue = [r for r in collect(moment, errors=[]) if r.user_id in people and r.is_overdue(moment)]
    per_person: dict[int, int] = {}
    for r in overdue:
        per_person[r.user_id] = per_person.get(r.user_id, 0) + 1
    behind = sorted(per_person, key=lambda uid: (-per_person[uid], people[uid].display_name))[:shown]
    chart = Chart("bar", labels=[people[uid].display_name for uid in behind],
                  datasets=[Dataset(_l("Overdue"), [per_person[uid] for uid in behind])],
                  links=[url_for("reminders.team", _anchor=f"person-{people[uid].username}") for uid in behind],
                  horizontal=True) if behind else None
    return Widget(_l("Overdue in my team"), body=", ".join(sorted({str(r.title) for r in overdue})[:3]),
                  value=len(overdue), url=url_for("reminders.team"), order=3, chart=chart)


# ---- notifications -------------------------------------------------------------------------

def _utc(moment: datetime | None) -> datetime | None:
    # SQLite keeps no offset: store UTC, as every other timestamp of the ERP.
    return None if moment is None else _aware(moment).astimezone(_tz.utc)


def notify(user_id: int, key: str, title, body="", url: str = "", due_at: datetime | None = None):
    """Put a notification in `user_id`'s inbox unless one with `key` is already there.

    Returns the new :class:`Notification`, or None when (user, key) existed. Safe when two
    processes notify at once (the loser's insert is rolled back to a savepoint). Does not commit.
    """
    exists = select(Notification.id).where(Notification.user_id == user_id, Notification.key == key)
    if db.session.scalar(exists) is not None:
        return None
    note = Notification(user_id=user_id, key=key, title=str(title)[:200], body=str(body or ""),
                        url=str(url or "")[:500], due_at=_utc(due_at))
    try:
        with db.session.begin_nested():
            db.session.add(note)
    except IntegrityError:
        if db.session.scalar(exists) is None:
            raise  # not a duplicate: an unknown user, say
        return None
    return note


@cache
def _unread_statement():  # built once: it runs on every page (the navbar's badge)
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user_id: int) -> int:
    """Unread notifications of `user_id` (one COUNT on the (user_id, read_at) index)."""
    return db.session.scalar(_unread_statement(), {"user_id": user_id})


def unread_subquery():
    """unread_count's COUNT as a scalar subquery of the bind parameter "user_id"."""
    return _unread_statement().scalar_subquery()


def to_notify(reminders: list[Reminder], now: datetime | None = None) -> list[Reminder]:
    """The reminders that become notifications at `now`: deadlines due soon or overdue, and
    information whose time has come."""
    moment = _aware(now)
    limit = horizon(moment)
    return [r for r in reminders if (r.due_at < limit if r.kind == DEADLINE else r.due_at <= moment)]


@dataclass
class SendResult:
    reminders: int = 0                  # returned by the modules
    created: int = 0                    # new notifications
    emails: int = 0                     # messages sent (one per user per run)
    mail_configured: bool = False
    failed_modules: list = field(default_factory=list)   # (module, exception)
    mail_errors: list = field(default_factory=list)      # sentences

    @property
    def ok(self) -> bool:
        return not self.failed_modules and not self.mail_errors


def send(now: datetime | None = None) -> SendResult:
    """``erp reminders send``: notify what is due, then e-mail new notifications.

    Idempotent: a (user, key) is notified once and a notification e-mailed once, so running it
    again (or twice at once) sends nothing new. Reminders of unknown or inactive users are
    skipped. Commits.
    """
    from ..auth.models import User
    from . import mail
    moment = _aware(now)
    result = SendResult(mail_configured=mail.configured())
    with _url_context():
        run_scheduled(moment, result.failed_modules)
        reminders = collect(moment, errors=result.failed_modules)
        result.reminders = len(reminders)
        due = to_notify(reminders, moment)
        user_ids = sorted({r.user_id for r in due})
        active = set()
        for chunk in _chunks(user_ids):
            active.update(db.session.scalars(select(User.id).where(User.id.in_(chunk), User.active.is_(True))))
        due = [r for r in due if r.user_id in active]
        existing = set()
        for chunk in _chunks([(r.user_id, r.key) for r in due]):
            existing.update(tuple(row) for row in db.session.execute(
                select(Notification.user_id, Notification.key).where(
                    tuple_(Notification.user_id, Notification.key).in_(chunk))))
        for r in due:
            if (r.user_id, r.key) in existing:
                continue
            if notify(r.user_id, r.key, r.title, r.body, r.url, r.due_at) is not None:
                result.created += 1
        db.session.commit()
        if result.mail_configured:
            result.emails, result.mail_errors = mail.send_pending()
    return result


def run_scheduled(now: datetime | None = None, errors: list | None = None) -> None:
    """The modules' ``erp_scheduled(now)`` jobs (what their cadences create), each committed on
    its own: a failing one is rolled back, logged and appended to `errors` as (module name,
    exception), and the others still run (without `errors`, the failure is raised)."""
    moment = _aware(now)
    hook = current_app.extensions["erp"].pm.hook.erp_scheduled
    for impl in hook.get_hookimpls():
        before = g.get("audit_user")
        try:
            impl.function(*[{"now": moment}[a] for a in impl.argnames])
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            if errors is None:
                raise
            log.exception("erp_scheduled of module %r failed", impl.plugin_name)
            errors.append((impl.plugin_name, exc))
        finally:
            g.audit_user = before


@contextmanager
def acting_for(user):
    """A job's unit of work done for `user`: what it writes is his (a new document's owner and
    creator default to him) and the audit log names him; committed at the end, rolled back on an
    error. The audit names who acts at the commit, hence one commit per person."""
    before = g.get("audit_user")
    g.audit_user = user
    try:
        yield user
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        g.audit_user = before


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _url_context():
    """A request context so url_for works in the modules' hooks from the command line."""
    if has_request_context():
        return nullcontext()
    base = current_app.config.get("ERP_BASE_URL") or "http://localhost/"
    return current_app.test_request_context("/", base_url=base)


# ---- documents' declared deadlines (core.documents.Deadline) -----------------------------------

def deadline_reminders(now: datetime) -> list[Reminder]:
    """Every document still to be done by its type's Deadline and due soon or overdue at `now`:
    a reminder to its owner, and once overdue a notice to the owner's superiors (their manager
    by the org's reporting lines, else the department's head), each notified once."""
    from flask import url_for
    from flask_babel import gettext as _
    from ..auth.models import User
    from ..org.models import department_managers, superiors
    moment = _aware(now)
    limit = horizon(moment)
    items: list[Reminder] = []
    bosses: dict[int, list] = {}
    for doctype in current_app.extensions["erp"].doctypes.values():
        deadline = doctype.deadline
        if deadline is None:
            continue
        M = doctype.model
        due_column = getattr(M, deadline.attribute)
        is_date = deadline.is_date(M)
        bound = limit.date() if is_date else limit.astimezone(_tz.utc)
        rows = db.session.execute(select(M.id, M.number, M.title, M.owner_id, due_column.label("due")).where(
            M.state.in_(deadline.states), due_column.is_not(None), due_column < bound)).all()
        for row in rows:
            due = daily_before_end_of_work(row.due) if is_date else _stored_utc(row.due)
            url = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=row.id)
            what = f"{doctype.label} {row.number} {row.title or ''}".strip()
            key = f"{doctype.code}:{row.id}:{due.isoformat()}"
            items.append(Reminder(key, row.owner_id, _("Due: %(what)s", what=what), due, url=url))
            if due >= moment:
                continue
            if row.owner_id not in bosses:  # (the owner's name, his superiors), once per owner
                owner = db.session.get(User, row.owner_id)
                found = (superiors(owner) or department_managers(owner.department)) if owner else []
                bosses[row.owner_id] = (owner.display_name if owner else "",
                                        [u for u in found if u.id != row.owner_id])
            owner_name, superiors_of_owner = bosses[row.owner_id]
            for boss in superiors_of_owner:
                items.append(Reminder(f"{key}:overdue", boss.id,
                                      _("Overdue: %(what)s (%(owner)s)", what=what, owner=owner_name),
                                      due, url=url, kind=INFO))
    return items


def _stored_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=_tz.utc) if moment.tzinfo is None else moment  # SQLite: naive UTC
