"""The regulations (规章制度) as a live catalogue, and the violation registry.

A module declares the rules it enforces through the ``erp_rules()`` hook::

    @hookimpl
    def erp_rules():
        return [Rule("R-S-010", "利润低于5%的工程原则上不接",
                     "As a rule, projects with a profit below 5 % are not accepted.", "approval",
                     params=("sales.min_profit_margin_pct", "sales.min_margin_mode"))]

and names the rule on the objections it raises: ``Issue(message, field=..., code="R-S-010")``.
The workflow engine records a refused transition's coded issues (kind ``refused``) and a
transition that went ahead over coded warnings (kind ``warned``); a module records a missed
deadline itself with :func:`record_violation`. The administrator's page 规章制度 lists every rule
in force with its parameters' current values and its violations per month; appraisal reads
:func:`violations_of`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from .. import calendar_today
from ..extensions import db
from .models import RuleViolation

log = logging.getLogger(__name__)

KINDS = {"block": _l("Block"), "warn": _l("Warning"), "approval": _l("Needs approval"),
         "deadline": _l("Deadline"), "penalty": _l("Penalty")}
VIOLATION_KINDS = {"refused": _l("Refused"), "warned": _l("Warned"), "deadline_missed": _l("Deadline missed")}


@dataclass(frozen=True)
class Rule:
    """One regulation: its code, its text in Chinese (the handbook's) and English, how it acts
    (one of KINDS) and the settings keys of its parameters."""
    code: str                # "R-S-010", "P-03"
    text_zh: str
    text_en: str
    kind: str
    params: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "params", tuple(self.params))


class UnknownRule(KeyError):
    """No enabled module declares this rule code."""

    def __str__(self):
        return f"no enabled module declares the rule {self.args[0]!r}"


class WaiveRefused(Exception):
    """The violation may not be waived by this user; the message says why."""


def register_declarations(erp) -> None:
    """Collect every enabled module's erp_rules() into ``erp.rules`` (code -> (module, Rule)).

    Called by create_app after the settings are registered: a code declared twice, an unknown
    kind or a parameter that is no declared setting stops start-up naming the module.
    """
    from ..plugins import ModuleError, collect
    for module, rule in collect(erp.pm, "erp_rules", lambda r: r.code, "rule"):
        if rule.kind not in KINDS:
            raise ModuleError(f"module {module!r} declares rule {rule.code!r} with unknown kind "
                              f"{rule.kind!r} (use one of {', '.join(KINDS)})")
        unknown = [key for key in rule.params if key not in erp.settings]
        if unknown:
            raise ModuleError(f"module {module!r} declares rule {rule.code!r} with parameters that no "
                              f"enabled module declares as settings: {', '.join(unknown)}")
        erp.rules[rule.code] = (module, rule)


def declared() -> dict[str, tuple[str, Rule]]:
    """code -> (module, Rule) for every rule in force in this deployment, in declaration order."""
    return current_app.extensions["erp"].rules


def record_violation(code: str, kind: str, *, user_id: int | None, document=None, details: str = "",
                     when: datetime | None = None) -> RuleViolation:
    """Record that rule `code` refused, warned or saw a deadline missed (`kind`), against the
    person `user_id`, about `document` (any object with the Document mixin) if given.

    Added to the session: it is saved with the caller's transaction.
    """
    if code not in declared():
        raise UnknownRule(code)
    if kind not in VIOLATION_KINDS:
        raise ValueError(f"unknown violation kind {kind!r} (use one of {', '.join(VIOLATION_KINDS)})")
    doctype = getattr(document, "__doctype__", None)
    violation = RuleViolation(
        rule_code=code, kind=kind, user_id=user_id, doctype=doctype.code if doctype else "",
        doc_id=getattr(document, "id", None), doc_number=getattr(document, "number", "") or "",
        details=(details or "")[:2000], occurred_at=(when or calendar_today.now()).astimezone(timezone.utc))
    db.session.add(violation)
    return violation


def record_issues(kind: str, issues, *, user_id: int | None, document=None) -> None:
    """Record the coded `issues` of one refusal or warning: one violation per rule code (its
    messages joined as details); codes no enabled module declares are logged and skipped."""
    by_code: dict[str, list[str]] = {}
    for issue in issues:
        if issue.code:
            by_code.setdefault(issue.code, []).append(issue.message)
    for code, messages in by_code.items():
        if code not in declared():
            log.warning("issue code %s is not a declared rule; not recorded", code)
            continue
        record_violation(code, kind, user_id=user_id, document=document, details=" ".join(messages))


def waive(violation: RuleViolation, by, reason: str) -> None:
    """Waive `violation` for `reason` (audited with the row); the caller commits.

    Raises WaiveRefused without ``core.rules.waive``, for one's own violation, without a reason
    or when it is waived already.
    """
    if not by.can("core.rules.waive"):
        raise WaiveRefused(_("You may not waive rule violations."))
    if violation.user_id == by.id:
        raise WaiveRefused(_("Nobody waives his own violation."))
    if violation.waived_at is not None:
        raise WaiveRefused(_("This violation was waived already."))
    reason = (reason or "").strip()
    if not reason:
        raise WaiveRefused(_("Say why the violation is waived."))
    violation.waived_by_id = by.id
    violation.waived_at = datetime.now(timezone.utc)
    violation.waive_reason = reason[:2000]


def violations_of(user_id: int, start: datetime, end: datetime, include_waived: bool = False) -> list[RuleViolation]:
    """The violations recorded against `user_id` from `start` (inclusive) to `end` (exclusive),
    oldest first; waived ones only if asked. Appraisal reads this."""
    stmt = select(RuleViolation).where(RuleViolation.user_id == user_id, RuleViolation.occurred_at >= start,
                                       RuleViolation.occurred_at < end)
    if not include_waived:
        stmt = stmt.where(RuleViolation.waived_at.is_(None))
    return list(db.session.scalars(stmt.order_by(RuleViolation.occurred_at, RuleViolation.id)))


def _month(column):
    """`column` (a UTC timestamp) as 'YYYY-MM' in the company's time zone, in SQL."""
    from ..calendar_today import zone as company_zone
    zone = company_zone()
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(zone.key, column), "YYYY-MM")
    # SQLite stores UTC as text; the company's zone has no daylight saving (Asia/Shanghai).
    offset = int(datetime.now(zone).utcoffset().total_seconds())
    return func.strftime("%Y-%m", column, f"{offset:+d} seconds")


def monthly_counts(since: datetime) -> dict[tuple[str, str, str], int]:
    """(rule code, month 'YYYY-MM', kind) -> number of violations from `since`, waived ones
    included: one GROUP BY query."""
    month = _month(RuleViolation.occurred_at).label("month")
    rows = db.session.execute(
        select(RuleViolation.rule_code, month, RuleViolation.kind, func.count(RuleViolation.id))
        .where(RuleViolation.occurred_at >= since)
        .group_by(RuleViolation.rule_code, month, RuleViolation.kind))
    return {(code, m, kind): n for code, m, kind, n in rows}
