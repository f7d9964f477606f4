"""Deadlines and reminders: cadences on the working calendar, the erp_reminders hook, the inbox,
the dashboard widget and `erp reminders send` (idempotent, e-mail through SMTP)."""
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from core import calendar as cal
from core import config as erp_config
from core import reminders, settings
from core.auth.models import User
from core.calendar import CalendarDay
from core.cli import cli
from core.extensions import db
from core.hookspecs import hookimpl
from core.reminders import (Reminder, daily_before_end_of_work, half_year_end, month_end, quarter_end,
                            weekly_before_meeting)
from core.reminders.models import Notification
from tests.conftest import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=18, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


class Deadlines:
    """A test plugin: erp_reminders returns what `make(now)` builds."""

    def __init__(self, make):
        self.make = make
        self.calls = []

    @hookimpl
    def erp_reminders(self, now):
        self.calls.append(now)
        return self.make(now)


def register(app, make, name="deadlines"):
    plugin = Deadlines(make)
    app.extensions["erp"].pm.register(plugin, name=name)
    return plugin


def notifications(app, user_id=None):
    with app.app_context():
        query = select(Notification).order_by(Notification.id)
        if user_id is not None:
            query = query.where(Notification.user_id == user_id)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


# ---- cadence helpers ---------------------------------------------------------------------------

def test_daily_before_end_of_work_rolls_over_weekends_and_holidays(app):
    with app.app_context():
        assert daily_before_end_of_work(date(2026, 11, 27)) == at(2026, 11, 27)         # Friday
        assert daily_before_end_of_work(date(2026, 11, 28)) == at(2026, 11, 27)         # Saturday -> Friday
        assert daily_before_end_of_work(date(2026, 10, 3)) == at(2026, 9, 30)           # 国庆 -> 30 Sep
        assert daily_before_end_of_work(date(2026, 10, 10)) == at(2026, 10, 10)         # 调休 Saturday
        # A datetime counts by its day in Shanghai: 23:30 UTC on the 26th is the 27th there.
        assert daily_before_end_of_work(datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)) == at(2026, 11, 27)
        due = daily_before_end_of_work(date(2026, 11, 27))
        assert due.tzinfo == SHANGHAI and due.utcoffset() == timedelta(hours=8)


def test_weekly_before_meeting(app):
    with app.app_context():
        assert weekly_before_meeting(date(2026, 11, 27)) == at(2026, 11, 23, 9, 30)     # Monday of the week
        assert weekly_before_meeting(date(2026, 11, 23)) == at(2026, 11, 23, 9, 30)
        assert weekly_before_meeting(date(2026, 11, 29)) == at(2026, 11, 23, 9, 30)     # Sunday: same week
        # 国庆 week: Monday to Wednesday are off, the meeting is on Thursday 8 October.
        assert weekly_before_meeting(date(2026, 10, 11)) == at(2026, 10, 8, 9, 30)
        # 春节: the whole week of 16 February is off, then Monday the 23rd too.
        assert weekly_before_meeting(date(2026, 2, 18)) == at(2026, 2, 24, 9, 30)
        assert weekly_before_meeting(date(2026, 2, 25)) == at(2026, 2, 24, 9, 30)
        # Another weekday and time (sales passes its own setting).
        assert weekly_before_meeting(date(2026, 11, 23), weekday=4, at=time(17, 0)) == at(2026, 11, 27, 17, 0)
        with pytest.raises(ValueError, match="weekday"):
            weekly_before_meeting(date(2026, 11, 23), weekday=7)


def test_period_ends_roll_to_the_previous_working_day(app):
    with app.app_context():
        assert month_end(date(2026, 11, 5)) == at(2026, 11, 30)                         # Monday
        assert month_end(date(2026, 10, 15)) == at(2026, 10, 30)                        # 31st is a Saturday
        assert month_end(date(2026, 2, 2)) == at(2026, 2, 28)                           # 调休 Saturday
        assert month_end(date(2026, 1, 9)) == at(2026, 1, 30)
        assert quarter_end(date(2026, 8, 1)) == at(2026, 9, 30)
        assert quarter_end(date(2028, 7, 1)) == at(2028, 9, 29)                         # Saturday 30th
        assert half_year_end(date(2026, 2, 1)) == at(2026, 6, 30)
        assert half_year_end(date(2028, 12, 31)) == at(2028, 12, 29)                    # Sunday 31st
        # A holiday the administrator adds moves the deadline too.
        db.session.add(CalendarDay(day=date(2026, 12, 31), kind="holiday", name="公司年会"))
        db.session.commit()
        cal.forget()
        assert quarter_end(date(2026, 11, 27)) == at(2026, 12, 30)
        assert half_year_end(date(2026, 11, 27)) == at(2026, 12, 30)


def test_cadences_follow_the_settings(app):
    with app.app_context():
        settings.set_many({"core.deadline_roll": "next_working_day", "core.workday_end_time": "17:30"})
        db.session.commit()
        assert month_end(date(2026, 10, 1)) == at(2026, 11, 2, 17, 30)
        assert daily_before_end_of_work(date(2026, 10, 3)) == at(2026, 10, 8, 17, 30)


def test_reminder_refuses_naive_datetimes_and_unknown_kinds():
    with pytest.raises(ValueError, match="aware"):
        Reminder("k", 1, "t", datetime(2026, 11, 27, 18, 0))
    with pytest.raises(ValueError, match="kind"):
        Reminder("k", 1, "t", at(2026, 11, 27), kind="urgent")
    with pytest.raises(ValueError, match="key"):
        Reminder("", 1, "t", at(2026, 11, 27))
    r = Reminder("k", 1, "t", at(2026, 11, 27), overdue_after=at(2026, 11, 28))
    assert not r.is_overdue(at(2026, 11, 27, 20)) and r.is_overdue(at(2026, 11, 28, 18, 1))
    assert not Reminder("i", 1, "t", at(2026, 1, 1), kind="info").is_overdue(at(2026, 11, 27))


# ---- the hook ----------------------------------------------------------------------------------

@pytest.mark.modules()  # these cadences alone: sales reminds of visit logs too
def test_hook_erp_reminders(app, make_user):
    alice = make_user("alice", "ROLE-MKT-AM")
    now = at(2026, 11, 27, 8)
    plugin = register(app, lambda now: [
        Reminder(f"test.visit_log:{now.date()}:user:{alice}", alice, "Write today's visit log",
                 daily_before_end_of_work(now)),
        Reminder(f"test.visit_log:{now.date()}:user:{alice}", alice, "duplicate key", daily_before_end_of_work(now)),
        Reminder(f"test.plan:2026-H2:user:{alice}", alice, "Half-year plan", half_year_end(now)),
    ])
    with app.app_context():
        found = reminders.collect(now)
        assert plugin.calls == [now]
        assert [r.title for r in found] == ["Write today's visit log", "Half-year plan"]
        # Due soon and overdue for the dashboard: the plan (31 Dec) is not due yet.
        assert [r.title for r in reminders.due_and_overdue(db.session.get(User, alice), now)] == [
            "Write today's visit log"]


@pytest.mark.modules()  # these cadences alone: sales reminds of visit logs too
def test_a_failing_module_is_named_and_the_others_still_count(app, make_user):
    alice = make_user("alice", "ROLE-MKT-AM")
    register(app, lambda now: [Reminder("ok", alice, "fine", now)], name="good")

    def broken(now):
        raise RuntimeError("database on fire")
    register(app, broken, name="broken")
    register(app, lambda now: ["not a reminder"], name="sloppy")
    with app.app_context():
        with pytest.raises(RuntimeError):
            reminders.collect(at(2026, 11, 27, 8))
        errors = []
        assert [r.key for r in reminders.collect(at(2026, 11, 27, 8), errors=errors)] == ["ok"]
        assert [(module, type(exc)) for module, exc in errors] == [("broken", RuntimeError), ("sloppy", TypeError)]


class Scheduled:
    """A test plugin: erp_scheduled runs `job(now)`."""

    def __init__(self, job):
        self.job = job

    @hookimpl
    def erp_scheduled(self, now):
        self.job(now)


@pytest.mark.modules()  # this job alone: sales creates its periodic drafts too
def test_hook_erp_scheduled(app, runner, make_user):
    """`erp reminders send` runs the modules' jobs first (what a job creates is reminded of in the
    same run), acting for whom the job says (documents and audit name him); a failing job is
    reported, its work undone, the others kept; the dashboard's live reminders never run them."""
    from flask import g

    from core.audit.models import AuditEntry
    from core.org.models import Department
    alice = make_user("alice", "ROLE-MKT-AM")

    def open_branch(now):   # idempotent: creates the department once
        if db.session.scalar(select(Department.id).where(Department.code == "BR-SZ")) is None:
            with reminders.acting_for(db.session.get(User, alice)):
                db.session.add(Department(code="BR-SZ", name="深圳分公司"))
            assert g.get("audit_user") is None

    def half_done(now):
        db.session.add(Department(code="BR-GZ", name="广州分公司"))
        db.session.flush()
        raise RuntimeError("disk full")

    app.extensions["erp"].pm.register(Scheduled(open_branch), name="branches")
    app.extensions["erp"].pm.register(Scheduled(half_done), name="broken_job")
    register(app, lambda now: [Reminder("t.branch", alice, "Staff the branch", now)]
             if db.session.scalar(select(Department.id).where(Department.code == "BR-SZ")) else [])
    with app.app_context():
        assert reminders.collect(at(2026, 11, 27, 8)) == []      # collecting alone creates nothing
        assert db.session.scalar(select(Department.id).where(Department.code == "BR-SZ")) is None
    result = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T08:00"])
    assert result.exit_code == 1 and "module broken_job failed: RuntimeError: disk full" in result.output
    assert "1 new notifications" in result.output
    again = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T09:00"])
    assert "0 new notifications" in again.output
    with app.app_context():
        codes = set(db.session.scalars(select(Department.code).where(Department.code.like("BR-%"))))
        assert codes == {"BR-SZ"}                                  # once; the failed job's row undone
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.model == "department", AuditEntry.action == "insert", AuditEntry.changes.contains("BR-SZ")))
        assert entry is not None and (entry.user_id, entry.actor) == (alice, "alice")
    assert [n.title for n in notifications(app, alice)] == ["Staff the branch"]


# ---- notify ------------------------------------------------------------------------------------

def test_notify_is_idempotent_by_user_and_key(app, make_user):
    alice, bob = make_user("alice", "ROLE-MKT-AM"), make_user("bob", "ROLE-MKT-AM")
    with app.app_context():
        first = reminders.notify(alice, "k1", "Visit log", due_at=at(2026, 11, 27))
        assert first is not None
        assert reminders.notify(alice, "k1", "Visit log again") is None
        assert reminders.notify(bob, "k1", "Same key, another user") is not None
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
        # Stored in UTC, shown in Shanghai time.
        stored = db.session.get(Notification, first.id).due_at
        assert (stored if stored.tzinfo else stored.replace(tzinfo=timezone.utc)) == at(2026, 11, 27)


def test_notify_survives_a_concurrent_insert(app, make_user, monkeypatch):
    """Another process inserts the same (user, key) between our check and our insert."""
    alice = make_user("alice", "ROLE-MKT-AM")
    with app.app_context():
        reminders.notify(alice, "race", "First")
        db.session.commit()
        real_scalar = db.session.scalar
        calls = []

        def blind_first_check(statement, *args, **kwargs):
            calls.append(statement)
            if len(calls) == 1:
                return None  # as if the other insert was not committed yet
            return real_scalar(statement, *args, **kwargs)
        monkeypatch.setattr(db.session, "scalar", blind_first_check)
        assert reminders.notify(alice, "race", "Second") is None
        monkeypatch.undo()
        # The transaction is still usable: the savepoint only undid the duplicate.
        assert reminders.notify(alice, "after", "Third") is not None
        db.session.commit()
        assert sorted(db.session.scalars(select(Notification.title))) == ["First", "Third"]


# ---- erp reminders send ------------------------------------------------------------------------

@pytest.fixture
def team(app, make_user):
    ids = {
        "alice": make_user("alice", "ROLE-MKT-AM", email="alice@example.com"),
        "bob": make_user("bob", "ROLE-MKT-MGR", email="bob@example.com", language="zh_CN"),
        "dave": make_user("dave", "ROLE-MKT-AM"),  # no e-mail address
        "carol": make_user("carol", "ROLE-MKT-AM", email="carol@example.com", active=False),
    }
    return ids


def cadences(ids):
    a, b, d, c = ids["alice"], ids["bob"], ids["dave"], ids["carol"]

    def make(now):
        return [
            Reminder(f"t.visit:{now.date()}:user:{a}", a, "Visit log", daily_before_end_of_work(now), url="/sales/"),
            Reminder(f"t.month:{now:%Y-%m}:user:{a}", a, "Monthly report", month_end(now)),     # Mon 30 Nov
            Reminder(f"t.quarter:{now:%Y}Q4:user:{a}", a, "Quarter report", quarter_end(now)),  # too early
            Reminder(f"t.news:2026-11-26:user:{a}", a, "Price list updated", at(2026, 11, 26, 9), kind="info"),
            Reminder(f"t.news:2026-11-30:user:{b}", b, "Not yet", at(2026, 11, 30, 9), kind="info"),
            Reminder(f"t.weekly:2026-W48:user:{b}", b, "Weekly plan", weekly_before_meeting(date(2026, 11, 23))),
            Reminder(f"t.visit:{now.date()}:user:{d}", d, "Visit log", daily_before_end_of_work(now)),
            Reminder(f"t.visit:{now.date()}:user:{c}", c, "Visit log", daily_before_end_of_work(now)),  # inactive
            Reminder("t.ghost", 999_999, "Nobody", daily_before_end_of_work(now)),                      # no user
        ]
    return make


@pytest.mark.modules()  # only these cadences: sales' own visit logs would be reminded too
def test_send_creates_each_notification_once(app, runner, team):
    register(app, cadences(team))
    result = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T08:00"])
    assert result.exit_code == 0, result.output
    assert "5 new notifications, 0 e-mails sent" in result.output
    assert "ERP_SMTP_HOST" in result.output
    titles = {(n.user_id, n.title) for n in notifications(app)}
    assert titles == {(team["alice"], "Visit log"), (team["alice"], "Monthly report"),
                      (team["alice"], "Price list updated"), (team["bob"], "Weekly plan"),
                      (team["dave"], "Visit log")}
    again = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T09:00"])
    assert again.exit_code == 0 and "0 new notifications, 0 e-mails sent" in again.output
    # Later, what becomes due (and the new day's visit log) is notified, nothing twice.
    later = runner.invoke(cli, ["reminders", "send", "--now", "2026-12-30T08:00+08:00"])
    assert "5 new notifications" in later.output  # 2 visit logs, month, quarter, bob's news
    assert len(notifications(app)) == 10
    stored = next(n for n in notifications(app) if n.title == "Visit log" and n.user_id == team["alice"])
    assert stored.url == "/sales/" and stored.read_at is None and stored.emailed_at is None


def test_send_refuses_a_bad_date_and_reports_a_failing_module(app, runner, team):
    assert runner.invoke(cli, ["reminders", "send", "--now", "yesterday"]).exit_code == 2

    def broken(now):
        raise RuntimeError("boom")
    register(app, broken, name="broken")
    register(app, cadences(team))
    result = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T08:00"])
    assert result.exit_code == 1
    assert "5 new notifications" in result.output and "module broken failed" in result.output


class FakeSMTP:
    """Records what smtplib.SMTP is asked to do."""
    instances = []
    refuse = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.calls, self.sent = host, port, [], []
        FakeSMTP.instances.append(self)

    def starttls(self, context=None):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, msg):
        import smtplib
        if any(address in msg["To"] for address in FakeSMTP.refuse):
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (550, b"no such user")})
        self.sent.append(msg)

    def quit(self):
        self.calls.append("quit")


@pytest.fixture
def smtp(app, monkeypatch):
    import smtplib
    FakeSMTP.instances, FakeSMTP.refuse = [], set()
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.com", MAIL_USE_TLS=True, MAIL_USERNAME="erp@example.com",
                      MAIL_PASSWORD="s3cret", MAIL_DEFAULT_SENDER="erp@example.com",
                      ERP_BASE_URL="https://erp.example.com/")
    return FakeSMTP


@pytest.mark.modules()  # these cadences alone: sales reminds of visit logs too
def test_send_emails_new_notifications_once(app, runner, team, smtp):
    register(app, cadences(team))
    result = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T08:00"])
    assert result.exit_code == 0, result.output
    assert "5 new notifications, 2 e-mails sent" in result.output
    [server] = smtp.instances
    assert (server.host, server.port) == ("smtp.example.com", 587)
    assert server.calls == ["starttls", ("login", "erp@example.com", "s3cret"), "quit"]
    by_address = {m["To"]: m for m in server.sent}
    assert set(by_address) == {"alice <alice@example.com>", "bob <bob@example.com>"}
    alice = by_address["alice <alice@example.com>"]
    assert alice["Subject"].endswith("3 new reminders") and "erp@example.com" in alice["From"]
    text = alice.get_content()
    assert "- Visit log" in text and "Due: 2026-11-27 18:00" in text and "https://erp.example.com/sales/" in text
    assert "Monthly report" in text and "Price list updated" in text and "Quarter report" not in text
    assert "https://erp.example.com/notifications" in text
    bob = by_address["bob <bob@example.com>"]
    assert bob["Subject"].endswith("Weekly plan") and "截止" in bob.get_content()   # in bob's language
    emailed = [n for n in notifications(app) if n.emailed_at is not None]
    assert {n.user_id for n in emailed} == {team["alice"], team["bob"]} and len(emailed) == 4

    again = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T09:00"])
    assert "0 new notifications, 0 e-mails sent" in again.output
    assert len(smtp.instances) == 1  # nothing to send: no connection at all


def test_read_notifications_are_not_emailed_and_failures_are_retried(app, runner, team, smtp):
    register(app, cadences(team))
    with app.app_context():
        reminders.notify(team["alice"], "old", "Already read")
        db.session.scalar(select(Notification).where(Notification.key == "old")).read_at = datetime.now(timezone.utc)
        db.session.commit()
    smtp.refuse = {"bob@example.com"}
    result = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T08:00"])
    assert result.exit_code == 1
    assert "5 new notifications, 1 e-mails sent" in result.output
    assert "cannot e-mail bob <bob@example.com>" in result.output
    assert "Already read" not in smtp.instances[0].sent[0].get_content()
    assert [n.emailed_at for n in notifications(app, team["bob"])] == [None]   # released for the next run
    smtp.refuse = set()
    retry = runner.invoke(cli, ["reminders", "send", "--now", "2026-11-27T09:00"])
    assert retry.exit_code == 0 and "0 new notifications, 1 e-mails sent" in retry.output
    assert [m["To"] for m in smtp.instances[1].sent] == ["bob <bob@example.com>"]


def test_smtp_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ERP_SECRET_KEY", "x")
    for name in ("ERP_SMTP_HOST", "ERP_SMTP_PORT", "ERP_SMTP_USER", "ERP_SMTP_PASSWORD", "ERP_SMTP_FROM",
                 "ERP_SMTP_TLS", "ERP_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert erp_config.load(str(tmp_path))["MAIL_SERVER"] is None
    monkeypatch.setenv("ERP_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("ERP_SMTP_PORT", "465")
    monkeypatch.setenv("ERP_SMTP_USER", "erp")
    monkeypatch.setenv("ERP_SMTP_PASSWORD", "pw")
    monkeypatch.setenv("ERP_SMTP_FROM", "ERP <erp@example.com>")
    monkeypatch.setenv("ERP_SMTP_TLS", "ssl")
    config = erp_config.load(str(tmp_path))
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USERNAME"], config["MAIL_PASSWORD"],
            config["MAIL_DEFAULT_SENDER"], config["MAIL_USE_SSL"], config["MAIL_USE_TLS"]) == (
        "mail.example.com", 465, "erp", "pw", "ERP <erp@example.com>", True, False)
    monkeypatch.setenv("ERP_SMTP_TLS", "0")
    config = erp_config.load(str(tmp_path))
    assert not config["MAIL_USE_SSL"] and not config["MAIL_USE_TLS"]


# ---- inbox and dashboard -----------------------------------------------------------------------

def badge(page: str):
    match = re.search(r'id="unread-badge">(\d+)<', page)
    return int(match[1]) if match else 0


def test_inbox_lists_mine_newest_first_and_marks_read(app, client, login_as, make_user):
    me = login_as("ROLE-MKT-AM")
    other = make_user("other", "ROLE-MKT-AM")
    with app.app_context():
        first = reminders.notify(me, "k1", "First notice", url="/sales/")
        db.session.flush()
        first.created_at = datetime.now(timezone.utc) - timedelta(hours=2)
        second = reminders.notify(me, "k2", "Second notice", body="Details here", due_at=at(2026, 11, 27))
        theirs = reminders.notify(other, "k1", "Not for me")
        db.session.commit()
        first_id, second_id, theirs_id = first.id, second.id, theirs.id
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("Second notice") < page.index("First notice") and "Not for me" not in page
    assert "Details here" in page and "2026-11-27 18:00" in page
    assert f'data-id="{second_id}" data-unread="1"' in page and "table-warning" in page
    assert badge(page) == 2 and badge(client.get("/").get_data(as_text=True)) == 2

    response = client.post(f"/notifications/{second_id}/read")
    assert response.status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert f'data-id="{second_id}" data-unread="0"' in page and badge(page) == 1

    # Opening one marks it read and goes where it points.
    response = client.post(f"/notifications/{first_id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/sales/"
    assert badge(client.get("/notifications").get_data(as_text=True)) == 0

    # Someone else's notification: 404, and it stays unread.
    assert client.post(f"/notifications/{theirs_id}/read").status_code == 404
    assert client.post(f"/notifications/{theirs_id}/open").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    assert [n.read_at for n in notifications(app, other)] == [None]


def test_mark_all_read(app, client, login_as, make_user):
    me = login_as("ROLE-MKT-AM")
    other = make_user("other", "ROLE-MKT-AM")
    with app.app_context():
        for i in range(3):
            reminders.notify(me, f"k{i}", f"Notice {i}")
        reminders.notify(other, "k0", "Theirs")
        db.session.commit()
    assert badge(client.get("/notifications").get_data(as_text=True)) == 3
    response = client.post("/notifications/read-all", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 notifications marked as read." in page and badge(page) == 0 and 'id="mark-all-read"' not in page
    assert [n.read_at for n in notifications(app, other)] == [None]


def test_badge_is_read_with_the_user_and_never_stale(app, client, login_as):
    """The badge's count comes with the user's statement at the start of a GET (no COUNT of its
    own); the next page shows a notification read meanwhile; a POST, which may have read some
    after the user was loaded, counts again."""
    from flask_login import login_user
    from sqlalchemy import event, update
    from core.auth import access
    from core.reminders.views import _unread_badge
    me = login_as("ROLE-MKT-AM")
    with app.app_context():
        ids = [reminders.notify(me, f"k{i}", f"Notice {i}").id for i in range(3)]
        db.session.commit()
        engine = db.engine

    def read(note_id):
        with app.app_context():
            db.session.execute(update(Notification).where(Notification.id == note_id)
                               .values(read_at=datetime.now(timezone.utc)))
            db.session.commit()

    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert badge(client.get("/").get_data(as_text=True)) == 3
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    counts = [s for s in statements if "FROM notification" in s]
    assert len(counts) == 1 and "username" in counts[0], statements  # the user's statement
    read(ids[0])
    assert badge(client.get("/").get_data(as_text=True)) == 2

    for method, note_id, expected in (("GET", ids[1], 2), ("POST", ids[2], 0)):
        with app.test_request_context("/", method=method):
            login_user(access.load_user(me))
            read(note_id)  # after the user (and the count) was read
            assert _unread_badge()["unread_notifications"]() == expected, method
    assert badge(client.get("/").get_data(as_text=True)) == 0


def test_inbox_needs_sign_in_and_a_csrf_token(app, client, make_app, make_user):
    assert client.get("/notifications").status_code == 302
    assert client.post("/notifications/read-all").status_code == 302
    me = make_user("frank", "ROLE-MKT-AM")
    with app.app_context():
        note_id = reminders.notify(me, "k", "Notice").id
        db.session.commit()
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = guarded.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert guarded.post("/login", data={"username": "frank", "password": PASSWORD,
                                        "csrf_token": token}).status_code == 302
    assert guarded.post(f"/notifications/{note_id}/read").status_code == 400
    assert guarded.post("/notifications/read-all").status_code == 400
    page = guarded.get("/notifications").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert guarded.post(f"/notifications/{note_id}/read", data={"csrf_token": token}).status_code == 302
    assert [n.read_at is not None for n in notifications(app, me)] == [True]


def test_dashboard_widget_counts_due_and_overdue(app, client, login_as, make_user):
    me = login_as("ROLE-MKT-AM")
    other = make_user("other", "ROLE-MKT-AM")
    register(app, lambda now: [
        Reminder("late", me, "Late visit log", now - timedelta(hours=1), url="/sales/"),
        Reminder("soon", me, "Weekly plan", now + timedelta(hours=1)),
        Reminder("graced", me, "Within its grace", now - timedelta(hours=2), overdue_after=now + timedelta(hours=3)),
        Reminder("far", me, "Half-year plan", now + timedelta(days=60)),
        Reminder("info", me, "Just so you know", now - timedelta(hours=1), kind="info"),
        Reminder("theirs", other, "Not mine", now - timedelta(hours=1)),
    ])
    page = client.get("/").get_data(as_text=True)
    card = re.search(r'<a href="/notifications">Due and overdue</a></h2>\s*<div class="display-6">(\d+)</div>\s*'
                     r'<p class="card-text small text-muted">([^<]*)</p>', page)
    assert card, page
    assert card[1] == "3" and card[2] == "Overdue: 1"
    assert "Waiting for me" in page  # added beside, not instead

    inbox = client.get("/notifications").get_data(as_text=True)
    due = inbox[inbox.index('id="due"'):inbox.index('id="notifications"')]
    assert due.index("Within its grace") < due.index("Late visit log") < due.index("Weekly plan")  # by due time
    assert "Half-year plan" not in due and "Not mine" not in due and "Just so you know" not in due
    assert due.count("text-bg-danger") == 1


def test_dashboard_survives_a_failing_module(app, client, login_as):
    """Even a failed query (which aborts a PostgreSQL transaction) leaves the page working."""
    me = login_as("ROLE-MKT-AM")

    def broken(now):
        db.session.execute(text("SELECT * FROM no_such_table"))
    register(app, broken, name="broken")
    register(app, lambda now: [Reminder("late", me, "Late", now - timedelta(hours=1))], name="good")
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Due and overdue" in page and "Overdue: 1" in page


@pytest.mark.modules()  # these cadences alone: sales reminds of visit logs too
def test_due_soon_follows_the_lead_setting(app, make_user):
    alice = make_user("alice", "ROLE-MKT-AM")
    friday = at(2026, 11, 27, 8)
    register(app, lambda now: [
        Reminder("today", alice, "Today", at(2026, 11, 27)),
        Reminder("monday", alice, "Monday", at(2026, 11, 30)),
        Reminder("tuesday", alice, "Tuesday", at(2026, 12, 1)),
    ])
    with app.app_context():
        user = db.session.get(User, alice)
        assert [r.key for r in reminders.due_and_overdue(user, friday)] == ["today", "monday"]
        settings.set("core.reminder_lead_days", "0")
        db.session.commit()
        assert [r.key for r in reminders.due_and_overdue(user, friday)] == ["today"]
        settings.set("core.reminder_lead_days", "2")
        db.session.commit()
        assert [r.key for r in reminders.due_and_overdue(user, friday)] == ["today", "monday", "tuesday"]
