"""Working calendar (工作日历): the official 2026 arrangement, working-day arithmetic, deadlines, admin."""
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from core import calendar as cal
from core import settings
from core.audit.models import AuditEntry
from core.calendar import CalendarDay
from core.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def count_calendar_queries(fn):
    """Run fn() and return (its result, the number of statements that read calendar_day)."""
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, len([s for s in statements if "calendar_day" in s])


# ---- the official calendar ---------------------------------------------------------------------

def test_the_2026_arrangement_is_seeded_once(app):
    with app.app_context():
        days = {d.day: (d.kind, d.name) for d in db.session.scalars(select(CalendarDay))}
        assert all(days[date(2026, 10, d)] == ("holiday", "国庆节") for d in range(1, 8))
        assert days[date(2026, 10, 10)] == ("workday", "国庆节调休")
        assert days[date(2026, 9, 20)] == ("workday", "国庆节调休")
        assert [d for d, (k, _n) in days.items() if k == "workday" and d.year == 2026] == [
            date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
            date(2026, 9, 20), date(2026, 10, 10)]
        assert len([d for d, (k, n) in days.items() if n == "春节" and d.year == 2026]) == 9
        before = len(days)
        from core.seed import seed_all
        seed_all()
        assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == before


def test_reseeding_keeps_the_administrators_edits(app):
    with app.app_context():
        db.session.delete(db.session.get(CalendarDay, date(2026, 10, 10)))
        db.session.commit()
        assert cal.seed_official_calendar() == 0
        db.session.commit()
        assert db.session.get(CalendarDay, date(2026, 10, 10)) is None


def test_2026_has_248_working_days(app):
    with app.app_context():
        assert cal.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 248
        # 22 weekdays in October, 5 of them 国庆节, plus the 调休 Saturday of 10 October.
        assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 31)) == 18


# ---- working-day arithmetic --------------------------------------------------------------------

def test_working_days_follow_holidays_and_make_up_days(app):
    with app.app_context():
        assert cal.is_working_day(date(2026, 9, 29))          # Tuesday
        assert not cal.is_working_day(date(2026, 10, 5))      # Monday inside 国庆节
        assert not cal.is_working_day(date(2026, 10, 3))      # Saturday inside 国庆节
        assert cal.is_working_day(date(2026, 10, 10))         # Saturday worked (调休)
        assert not cal.is_working_day(date(2026, 10, 11))     # an ordinary Sunday
        assert not cal.is_working_day(date(2024, 6, 29))      # a year without exceptions: weekends only
        assert cal.is_working_day(datetime(2026, 10, 9, 23, 0, tzinfo=SHANGHAI))
        # 2026-10-09 16:30 UTC is already 10 October in Shanghai
        assert cal.is_working_day(datetime(2026, 10, 9, 16, 30, tzinfo=ZoneInfo("UTC")))


def test_next_and_previous_working_day_around_national_day(app):
    with app.app_context():
        assert cal.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
        assert cal.previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)
        assert cal.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)   # the 调休 Saturday
        assert cal.next_working_day(date(2026, 10, 10)) == date(2026, 10, 12)
        assert cal.previous_working_day(date(2026, 9, 21)) == date(2026, 9, 20)  # the 调休 Sunday


def test_add_working_days_across_a_make_up_weekend_and_a_holiday_block(app):
    with app.app_context():
        # Spring Festival 2026: Saturday 14 Feb is worked, 15-23 Feb are off.
        assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
        assert cal.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
        assert cal.add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)
        assert cal.add_working_days(date(2026, 2, 24), -2) == date(2026, 2, 13)
        # National Day: Wed 30 Sep + 3 = Thu 8, Fri 9, Sat 10 (调休)
        assert cal.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
        assert cal.add_working_days(date(2026, 10, 10), -3) == date(2026, 9, 30)
        assert cal.add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)   # from a holiday
        assert cal.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
        assert cal.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 4)  # into an unseeded year


def test_working_days_between_is_the_inverse_of_add_working_days(app):
    with app.app_context():
        assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
        assert cal.working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
        assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 13)) == 0
        start = date(2026, 1, 20)
        for offset in range(0, 300, 7):
            for other in (start + timedelta(days=offset), start - timedelta(days=offset)):
                if cal.is_working_day(other):
                    n = cal.working_days_between(start, other)
                    assert cal.add_working_days(start, n) == other, (start, other, n)


def test_a_year_of_lookups_costs_one_query(app):
    with app.app_context():
        def walk():
            day, working = date(2026, 1, 1), 0
            while day.year == 2026:
                working += cal.is_working_day(day)
                day += timedelta(days=1)
            return working
        working, queries = count_calendar_queries(walk)
        assert working == 248 and queries == 1
    with app.app_context():
        _result, queries = count_calendar_queries(
            lambda: cal.working_days_between(date(2025, 1, 1), date(2026, 12, 31)))
        assert queries == 1


# ---- deadlines ---------------------------------------------------------------------------------

def test_deadline_at_the_end_of_a_working_day_in_shanghai(app):
    with app.app_context():
        deadline = cal.deadline_end_of_work(date(2026, 9, 29))
        assert deadline == datetime(2026, 9, 29, 18, 0, tzinfo=SHANGHAI)
        assert deadline.utcoffset() == timedelta(hours=8)


def test_a_deadline_on_a_day_off_rolls_as_the_setting_says(app):
    with app.app_context():
        assert cal.deadline_end_of_work(date(2026, 10, 3)) == datetime(2026, 9, 30, 18, 0, tzinfo=SHANGHAI)
        assert cal.deadline_end_of_work(date(2026, 10, 3), how="next_working_day") == \
            datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)
        settings.set_many({"core.deadline_roll": "next_working_day", "core.workday_end_time": "17:30"})
    with app.app_context():
        assert cal.deadline_end_of_work(date(2026, 10, 3)) == datetime(2026, 10, 8, 17, 30, tzinfo=SHANGHAI)
        assert cal.deadline_end_of_work(date(2026, 10, 10)).time() == time(17, 30)   # 调休 Saturday


def test_period_end_is_the_last_working_day_of_the_period(app):
    with app.app_context():
        assert cal.period_end(date(2026, 8, 15), "quarter") == date(2026, 9, 30)
        assert cal.period_end(date(2026, 10, 1), "quarter") == date(2026, 12, 31)
        assert cal.period_end(date(2026, 1, 15), "month") == date(2026, 1, 30)      # 31 Jan is a Saturday
        assert cal.period_end(date(2026, 2, 1), "month") == date(2026, 2, 28)       # a 调休 Saturday
        assert cal.period_end(date(2024, 5, 10), "quarter") == date(2024, 6, 28)    # 30 Jun 2024 a Sunday
        assert cal.period_end(date(2024, 2, 1), "half_year") == date(2024, 6, 28)
        assert cal.period_end(date(2026, 7, 1), "half_year") == date(2026, 12, 31)
        assert cal.period_end(date(2026, 3, 3), "year") == date(2026, 12, 31)
        db.session.add(CalendarDay(day=date(2026, 9, 30), kind="holiday", name="公司假日"))
        db.session.commit()
        cal.forget()
        assert cal.period_end(date(2026, 8, 15), "quarter") == date(2026, 9, 29)
        with pytest.raises(ValueError, match="period must be one of"):
            cal.period_end(date(2026, 8, 15), "week")


# ---- the admin page ----------------------------------------------------------------------------

def test_calendar_page_needs_the_permission(client, login_as):
    login_as("ROLE-MKT-MGR")
    assert client.get("/admin/calendar?year=2026").status_code == 403
    assert client.post("/admin/calendar", data={"day": "2026-12-24", "kind": "holiday",
                                                "name": "x"}).status_code == 403
    assert client.post("/admin/calendar/2026-10-01/delete").status_code == 403


def test_admin_lists_the_exceptions_of_a_year(client, login_as):
    login_as("ROLE-ADMIN")
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert 'href="/admin/calendar"' in page   # the menu entry
    assert page.count("data-day=") == 39 and 'data-day="2026-10-10"' in page and "国庆节调休" in page
    assert "<strong>248</strong>" in page
    empty = client.get("/admin/calendar?year=2030").get_data(as_text=True)
    assert 'id="calendar-empty"' in empty and "<strong>261</strong>" in empty


def test_admin_adds_and_removes_a_day_audited(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/calendar?year=2026", data={
        "day": "2026-12-24", "kind": "holiday", "name": "公司年会"})
    assert response.status_code == 302 and response.location.endswith("/admin/calendar?year=2026")
    with app.app_context():
        assert not cal.is_working_day(date(2026, 12, 24))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.model == "calendar_day", AuditEntry.record_id == "2026-12-24"))
        assert entry.action == "insert" and entry.actor == "u_role_admin"
        assert json.loads(entry.changes) == {"day": "2026-12-24", "kind": "holiday", "name": "公司年会"}
    assert client.post("/admin/calendar/2026-12-24/delete").status_code == 302
    with app.app_context():
        assert cal.is_working_day(date(2026, 12, 24))
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.model == "calendar_day", AuditEntry.record_id == "2026-12-24").order_by(AuditEntry.id)).all()
        assert actions == ["insert", "delete"]
    assert client.post("/admin/calendar/2026-12-24/delete").status_code == 404
    assert client.post("/admin/calendar/not-a-date/delete").status_code == 404


@pytest.mark.parametrize("form,error", [
    ({"day": "2026-02-30", "kind": "holiday", "name": "x"}, "Enter a date as YYYY-MM-DD."),
    ({"day": "", "kind": "holiday", "name": "x"}, "This field is required."),
    ({"day": "2026-10-01", "kind": "holiday", "name": "x"}, "2026-10-01 is already in the calendar."),
    ({"day": "2026-12-21", "kind": "workday", "name": "x"}, "A make-up working day must be a Saturday or a Sunday."),
])
def test_a_bad_day_is_refused_with_a_reason(app, client, login_as, form, error):
    login_as("ROLE-ADMIN")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(CalendarDay))
    response = client.post("/admin/calendar?year=2026", data=form)
    assert response.status_code == 400
    assert f'data-field="day">{error}</div>' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == before


def test_a_make_up_saturday_can_be_added(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/calendar", data={"day": "2027-01-09", "kind": "workday", "name": "调休"})
    assert response.status_code == 302 and response.location.endswith("year=2027")
    with app.app_context():
        assert cal.is_working_day(date(2027, 1, 9))


def test_from_december_the_administrator_is_told_next_years_arrangement_is_missing(app, client, make_user, monkeypatch):
    from core import calendar_today
    from tests.conftest import sign_in_as
    make_user("root", "ROLE-ADMIN")
    make_user("amy", "ROLE-MKT-AM")
    shanghai = ZoneInfo("Asia/Shanghai")

    def dashboard(moment, who="root"):
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
        sign_in_as(client, who)
        return client.get("/").get_data(as_text=True)
    sentence = "The holidays and make-up working days of 2027 are not entered"
    assert sentence not in dashboard(datetime(2026, 11, 30, 10, 0, tzinfo=shanghai))
    assert sentence in dashboard(datetime(2026, 12, 1, 9, 0, tzinfo=shanghai))
    assert sentence not in dashboard(datetime(2026, 12, 1, 9, 0, tzinfo=shanghai), who="amy")
    with app.app_context():
        db.session.add(CalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"))
        db.session.commit()
    assert sentence not in dashboard(datetime(2026, 12, 2, 9, 0, tzinfo=shanghai))
