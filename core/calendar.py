"""Working calendar (工作日历): PRC public holidays (节假日) and make-up working days (调休).

Monday to Friday are working days and Saturday and Sunday are not, except for the days listed in
``calendar_day``: a ``holiday`` is a day off (a weekday inside a holiday block; weekend days of a
block are listed too, to name them) and a ``workday`` is a weekend day that is worked (调休).
"Working day" everywhere in the ERP means a day of this calendar (SPEC.md 0.4).

Exceptions are loaded a year at a time with one query and kept on ``flask.g`` for the request, so
the functions below are cheap to call in loops. Deadlines are aware datetimes in ERP_TIMEZONE
(Asia/Shanghai) at ``core.workday_end_time``.
"""
from __future__ import annotations

import calendar as _gregorian
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import CheckConstraint, Date, String, func, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from . import settings
from .auth.decorators import permission_required
from .extensions import db

HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = (HOLIDAY, WORKDAY)
PERIODS = ("month", "quarter", "half_year", "year")
ROLL_PREVIOUS, ROLL_NEXT = "previous_working_day", "next_working_day"
_CACHE = "_erp_calendar"
_MAX_SEARCH = 366 * 2   # no real calendar has two years without a working day


class CalendarDay(db.Model):
    """An exception to the Monday-Friday week: a public holiday or a make-up working day."""
    __tablename__ = "calendar_day"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(80), default="")


# The State Council's yearly arrangements (国务院办公厅关于部分节假日安排的通知): 2025 from the
# notice of November 2024, 2026 from the notice of 4 November 2025. (name, first day, last day)
# of each holiday block, then the make-up working days (调休上班).
OFFICIAL = {
    2025: {
        HOLIDAY: [("元旦", date(2025, 1, 1), date(2025, 1, 1)),
                  ("春节", date(2025, 1, 28), date(2025, 2, 4)),
                  ("清明节", date(2025, 4, 4), date(2025, 4, 6)),
                  ("劳动节", date(2025, 5, 1), date(2025, 5, 5)),
                  ("端午节", date(2025, 5, 31), date(2025, 6, 2)),
                  ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8))],
        WORKDAY: [("春节调休", date(2025, 1, 26)), ("春节调休", date(2025, 2, 8)),
                  ("劳动节调休", date(2025, 4, 27)),
                  ("国庆节调休", date(2025, 9, 28)), ("国庆节调休", date(2025, 10, 11))],
    },
    2026: {
        HOLIDAY: [("元旦", date(2026, 1, 1), date(2026, 1, 3)),
                  ("春节", date(2026, 2, 15), date(2026, 2, 23)),
                  ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
                  ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
                  ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
                  ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
                  ("国庆节", date(2026, 10, 1), date(2026, 10, 7))],
        WORKDAY: [("元旦调休", date(2026, 1, 4)),
                  ("春节调休", date(2026, 2, 14)), ("春节调休", date(2026, 2, 28)),
                  ("劳动节调休", date(2026, 5, 9)),
                  ("国庆节调休", date(2026, 9, 20)), ("国庆节调休", date(2026, 10, 10))],
    },
}


def official_days(year: int) -> list[tuple[date, str, str]]:
    """(day, kind, name) of the official arrangement of `year` (empty if not known)."""
    plan = OFFICIAL.get(year, {})
    days = []
    for name, first, last in plan.get(HOLIDAY, []):
        for offset in range((last - first).days + 1):
            days.append((first + timedelta(days=offset), HOLIDAY, name))
    days.extend((day, WORKDAY, name) for name, day in plan.get(WORKDAY, []))
    return sorted(days)


def seed_official_calendar() -> int:
    """Insert the official arrangement of each known year that has no day in the table yet.

    A year the administrator has already edited is left alone, so removing a seeded day is not
    undone by the next ``erp db upgrade``. Returns the number of days inserted.
    """
    years = {day.year for day in db.session.scalars(select(CalendarDay.day).where(
        CalendarDay.day >= date(min(OFFICIAL), 1, 1), CalendarDay.day <= date(max(OFFICIAL), 12, 31)))}
    inserted = 0
    for year in sorted(OFFICIAL):
        if year in years:
            continue
        for day, kind, name in official_days(year):
            db.session.add(CalendarDay(day=day, kind=kind, name=name))
            inserted += 1
    if inserted:
        db.session.flush()
        forget()
    return inserted


# ---- loading -------------------------------------------------------------------------------------

def arranged(year: int) -> bool:
    """Whether the administrator (or the seed) has entered `year`'s holidays and make-up days."""
    return db.session.scalar(select(CalendarDay.day).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)).limit(1)) is not None


def _cache() -> dict:
    cache = g.get(_CACHE)
    if cache is None:
        cache = {"years": set(), "days": {}}
        setattr(g, _CACHE, cache)
    return cache


def forget() -> None:
    """Drop this request's cached exceptions (after the calendar changed)."""
    g.pop(_CACHE, None)


def _load(first_year: int, last_year: int) -> dict[date, str]:
    """Make sure the exceptions of the years first..last are cached: one query for those missing."""
    cache = _cache()
    missing = [y for y in range(first_year, last_year + 1) if y not in cache["years"]]
    if missing:
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
            CalendarDay.day >= date(missing[0], 1, 1), CalendarDay.day <= date(missing[-1], 12, 31)))
        for day, kind in rows:
            cache["days"][day] = kind
        cache["years"].update(range(missing[0], missing[-1] + 1))
    return cache["days"]


def _as_date(d) -> date:
    if isinstance(d, datetime):
        if d.tzinfo is not None:
            d = d.astimezone(timezone())
        return d.date()
    return d


def timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("ERP_TIMEZONE", "Asia/Shanghai"))


def utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The local days first..last as UTC instants [start of first, start of the day after last),
    as timestamps are stored: a period's filter on a datetime column."""
    zone = timezone()
    return (datetime.combine(first, time.min, zone).astimezone(UTC),
            datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC))


def exceptions(first: date, last: date) -> dict[date, str]:
    """{day: kind} of the calendar's exceptions between first and last (inclusive)."""
    days = _load(first.year, last.year)
    return {d: k for d, k in days.items() if first <= d <= last}


# ---- working-day arithmetic ----------------------------------------------------------------------

def is_working_day(d) -> bool:
    d = _as_date(d)
    kind = _load(d.year, d.year).get(d)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return d.weekday() < 5


def _step(d: date, direction: int) -> date:
    for _i in range(_MAX_SEARCH):
        d += timedelta(days=direction)
        if is_working_day(d):
            return d
    raise ValueError(f"no working day within {_MAX_SEARCH} days of {d}; check the working calendar")


def next_working_day(d) -> date:
    """The first working day strictly after `d`."""
    return _step(_as_date(d), 1)


def previous_working_day(d) -> date:
    """The last working day strictly before `d`."""
    return _step(_as_date(d), -1)


def add_working_days(d, n: int) -> date:
    """The n-th working day after `d` (before it when n < 0); `d` itself when n == 0.

    Friday + 1 is the next Monday (or the first working day after a holiday block); a
    non-working `d` counts from there: Saturday + 1 is Monday.
    """
    d = _as_date(d)
    if n:
        # Preload the span with one query; the weekly pattern bounds how far n working days reach.
        reach = timedelta(days=abs(n) * 7 // 5 + 60)
        span = sorted([d, d + reach if n > 0 else d - reach])
        _load(span[0].year, span[1].year)
    direction = 1 if n > 0 else -1
    for _i in range(abs(n)):
        d = _step(d, direction)
    return d


def _weekdays(first: date, last: date) -> int:
    """Monday-Friday days from first to last inclusive (0 if last < first)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    start = first.weekday()
    count += sum(1 for i in range(rest) if (start + i) % 7 < 5)
    return count


def _working_days_in(first: date, last: date) -> int:
    """Working days from first to last inclusive: weekdays, minus weekday holidays, plus 调休."""
    if last < first:
        return 0
    count = _weekdays(first, last)
    for day, kind in exceptions(first, last).items():
        if kind == HOLIDAY and day.weekday() < 5:
            count -= 1
        elif kind == WORKDAY and day.weekday() >= 5:
            count += 1
    return count


def working_days_between(a, b) -> int:
    """Working days after `a` up to and including `b`; negative when b is before a.

    The inverse of add_working_days: ``add_working_days(a, working_days_between(a, b)) == b``
    for a working day b.
    """
    a, b = _as_date(a), _as_date(b)
    if b >= a:
        return _working_days_in(a + timedelta(days=1), b)
    return -_working_days_in(b, a - timedelta(days=1))


def roll(d, how: str | None = None) -> date:
    """`d` if it is a working day, else the previous or next one (default: core.deadline_roll)."""
    d = _as_date(d)
    if is_working_day(d):
        return d
    how = how or settings.get("core.deadline_roll")
    return next_working_day(d) if how == ROLL_NEXT else previous_working_day(d)


def deadline_end_of_work(d, how: str | None = None) -> datetime:
    """下班前: the end of the working day (core.workday_end_time) on `d`, rolled to a working day.

    An aware datetime in ERP_TIMEZONE.
    """
    day = roll(d, how)
    return datetime.combine(day, settings.get("core.workday_end_time"), tzinfo=timezone())


def period_end(d, period: str = "month") -> date:
    """The last working day on or before the end of `d`'s month, quarter, half-year or year.

    Quarters end 31 Mar, 30 Jun, 30 Sep and 31 Dec; half-years 30 Jun and 31 Dec (SPEC.md 0.4).
    """
    d = _as_date(d)
    if period == "month":
        month = d.month
    elif period == "quarter":
        month = (d.month - 1) // 3 * 3 + 3
    elif period == "half_year":
        month = 6 if d.month <= 6 else 12
    elif period == "year":
        month = 12
    else:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    end = date(d.year, month, _gregorian.monthrange(d.year, month)[1])
    return end if is_working_day(end) else previous_working_day(end)


# ---- admin page ----------------------------------------------------------------------------------

bp = Blueprint("admin_calendar", __name__, url_prefix="/admin")


def parse_day(text: str) -> date | None:
    try:
        return datetime.strptime((text or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


class CalendarDayForm(FlaskForm):
    day = StringField(_l("Date"), validators=[DataRequired()], render_kw={"type": "date"})
    kind = SelectField(_l("Kind"), choices=[SelectChoice(HOLIDAY, _l("Public holiday")),
                                            SelectChoice(WORKDAY, _l("Make-up working day"))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       render_kw={"placeholder": _l("e.g. National Day")})

    def validate_day(self, field):
        day = parse_day(field.data)
        if day is None:
            raise ValidationError(_("Enter a date as YYYY-MM-DD."))
        if db.session.get(CalendarDay, day) is not None:
            raise ValidationError(_("%(day)s is already in the calendar.", day=day.isoformat()))
        if self.kind.data == WORKDAY and day.weekday() < 5:
            raise ValidationError(_("A make-up working day must be a Saturday or a Sunday."))


def _year_arg() -> int:
    year = request.args.get("year", type=int)
    if year is None:
        return datetime.now(timezone()).year
    if not 1900 <= year <= 2999:
        abort(404)
    return year


@bp.route("/calendar", methods=["GET", "POST"])
@permission_required("core.calendar.manage")
def index():
    form = CalendarDayForm()
    year = _year_arg()
    if request.method == "POST":
        if form.validate_on_submit():
            day = parse_day(form.day.data)
            db.session.add(CalendarDay(day=day, kind=form.kind.data, name=form.name.data.strip()))
            db.session.commit()
            forget()
            flash(_("%(day)s added to the working calendar.", day=day.isoformat()), "success")
            return redirect(url_for("admin_calendar.index", year=day.year))
        typed = parse_day(form.day.data)
        year = typed.year if typed else year
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = db.session.scalars(select(CalendarDay).where(
        CalendarDay.day >= first, CalendarDay.day <= last).order_by(CalendarDay.day)).all()
    months = [(date(year, m, 1), _working_days_in(date(year, m, 1),
                                                   date(year, m, _gregorian.monthrange(year, m)[1])))
              for m in range(1, 13)]
    known_years = [y for (y,) in db.session.execute(
        select(func.extract("year", CalendarDay.day)).distinct())]
    status = 400 if request.method == "POST" else 200
    return render_template("admin/calendar.html", form=form, year=year, days=days, months=months,
                           total=sum(n for _m, n in months), delete_form=FlaskForm(),
                           nav_years=sorted({int(y) for y in known_years} | {year - 1, year, year + 1}),
                           format_date=format_date), status


@bp.post("/calendar/<day>/delete")
@permission_required("core.calendar.manage")
def delete(day):
    if not FlaskForm().validate_on_submit():
        abort(400)
    parsed = parse_day(day)
    row = db.session.get(CalendarDay, parsed) if parsed else None
    if row is None:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    forget()
    flash(_("%(day)s removed from the working calendar.", day=parsed.isoformat()), "success")
    return redirect(url_for("admin_calendar.index", year=parsed.year))
