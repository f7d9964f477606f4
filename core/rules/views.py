"""规章制度: the rules in force, their parameters' current values, violations per month, waiving."""
from datetime import date, datetime, time, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import calendar_today, settings
from ..auth.decorators import permission_required
from ..extensions import db
from . import KINDS, VIOLATION_KINDS, WaiveRefused, declared, monthly_counts, waive
from .models import RuleViolation

bp = Blueprint("admin_rules", __name__, url_prefix="/admin")
MONTHS = 12


def _last_months(today: date) -> list[date]:
    """The first days of the last MONTHS months, oldest first, this month last."""
    months, year, month = [], today.year, today.month
    for _i in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _parameter(key: str) -> dict:
    setting = settings.declared()[key][1]
    value = settings.get(key)
    shown = dict(setting.options).get(value, value) if setting.type == "choice" else \
        settings.format_value(setting, value).replace("\n", ", ")
    return {"key": key, "label": setting.label, "value": shown, "is_default": settings.is_default(key)}


@bp.route("/rules")
@permission_required("core.rules.view")
def index():
    erp = current_app.extensions["erp"]
    months = _last_months(calendar_today.today())
    since = datetime.combine(months[0], time.min, tzinfo=calendar_today.zone()).astimezone(timezone.utc)
    counts = monthly_counts(since)
    keys = [m.strftime("%Y-%m") for m in months]
    sections = {}
    for code, (module, rule) in declared().items():
        sections.setdefault(module, []).append({
            "rule": rule, "params": [_parameter(k) for k in rule.params],
            "refused": [counts.get((code, k, "refused"), 0) for k in keys],
            "violations": [counts.get((code, k, "warned"), 0) + counts.get((code, k, "deadline_missed"), 0)
                           for k in keys]})
    ordered = [(erp.section_label(m), sections[m]) for m in erp.section_order if m in sections]
    return render_template("admin/rules.html", sections=ordered, months=months, kinds=KINDS)


@bp.route("/rules/<code>")
@permission_required("core.rules.view")
def violations(code):
    found = declared().get(code)
    if found is None:
        abort(404)
    page = max(request.args.get("page", 1, type=int), 1)
    size = current_app.config["ERP_PAGE_SIZE"]
    rows = db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == code)
                              .options(selectinload(RuleViolation.user), selectinload(RuleViolation.waived_by))
                              .order_by(RuleViolation.occurred_at.desc(), RuleViolation.id.desc())
                              .limit(size + 1).offset((page - 1) * size)).all()
    return render_template("admin/rule_violations.html", module=found[0], rule=found[1], kinds=KINDS,
                           violation_kinds=VIOLATION_KINDS, violations=rows[:size], page=page,
                           has_next=len(rows) > size)


@bp.post("/rules/violations/<int:violation_id>/waive")
@permission_required("core.rules.waive")
def waive_violation(violation_id):
    violation = db.session.get(RuleViolation, violation_id)
    if violation is None or violation.rule_code not in declared():
        abort(404)
    try:
        waive(violation, current_user, request.form.get("reason", ""))
    except WaiveRefused as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".violations", code=violation.rule_code)), 303
    db.session.commit()
    flash(_("Violation waived."), "success")
    return redirect(url_for(".violations", code=violation.rule_code))
