"""System parameters (系统参数): typed settings declared by modules, edited by the administrator.

A module declares its parameters through the ``erp_settings()`` hook::

    @hookimpl
    def erp_settings():
        return [Setting("sales.min_profit_margin_pct", "decimal", "5", _l("Minimum profit margin (%)"),
                        min=0, max=100)]

and reads them anywhere in an application context::

    from core import settings
    margin = settings.get("sales.min_profit_margin_pct")      # Decimal("5")

Values are stored JSON-encoded in ``setting_value`` (only those the administrator changed; the
others are the declared defaults). They are loaded once per request/app context (one query) and
kept on ``flask.g``, so ``get`` is cheap to call many times. ``set``/``set_many`` validate first
and write nothing when a value is invalid. Every change is audited: the row change (automatic) and
a ``setting_changed`` entry with the old and new effective values.

Types: ``int``, ``decimal`` (Decimal), ``bool``, ``str``, ``choice``, ``time`` (HH:MM),
``date`` (YYYY-MM-DD) and ``list`` (of str). ``min``/``max`` bound the value of int, decimal, time
and date settings, the length of str settings and the number of items of list settings;
``choices`` lists the allowed values of a choice (or list) setting, as values or (value, label)
pairs. A setting whose default is ``None`` may be left empty.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import DateTime, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .audit import log as audit
from .auth.decorators import permission_required
from .extensions import db

log = logging.getLogger(__name__)

TYPES = ("int", "decimal", "bool", "str", "choice", "time", "date", "list")
_CACHE = "_erp_settings"


@dataclass(frozen=True)
class Setting:
    """One parameter a module declares; ``default`` may be given typed or as text."""
    key: str                 # "<module>.<name>", e.g. "sales.min_profit_margin_pct"
    type: str                # one of TYPES
    default: object
    label: object            # str or lazy string, shown on the admin page
    help: object = ""
    choices: tuple | None = None
    min: object = None
    max: object = None

    def __post_init__(self):
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(
                tuple(c) if isinstance(c, (list, tuple)) else c for c in self.choices))

    @property
    def options(self) -> list[tuple[object, object]]:
        """Choices as (value, label) pairs."""
        return [c if isinstance(c, tuple) else (c, c) for c in self.choices or ()]


class SettingValue(db.Model):
    """A value the administrator set; absent means the declared default applies."""
    __tablename__ = "setting_value"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UnknownSetting(KeyError):
    """No enabled module declares this key."""

    def __str__(self):
        return f"no enabled module declares the setting {self.args[0]!r}"


class ValidationError(ValueError):
    """One or more values were refused; nothing was saved.

    ``errors`` maps each refused key to its reason; ``str(exc)`` is a translated sentence per
    field ("Working day ends at: Enter a time as HH:MM, for example 18:00.").
    """

    def __init__(self, errors: dict[str, str], labels: dict[str, object]):
        self.errors = errors
        self.key = next(iter(errors))
        sentences = [_("%(field)s: %(reason)s", field=str(labels[k]), reason=r) for k, r in errors.items()]
        super().__init__(" ".join(sentences))


class _Invalid(Exception):
    def __init__(self, reason: str):
        self.reason = reason


# ---- declarations --------------------------------------------------------------------------------

def register_declarations(erp) -> None:
    """Collect every enabled module's erp_settings() into ``erp.settings`` (key -> (module, Setting)).

    Called by create_app. A key declared twice, an unknown type or an invalid default stops
    start-up with a sentence naming the module(s).
    """
    from .plugins import ModuleError, collect
    for module, setting in collect(erp.pm, "erp_settings", lambda s: s.key, "setting"):
        if setting.type not in TYPES:
            raise ModuleError(f"module {module!r} declares setting {setting.key!r} with unknown type "
                              f"{setting.type!r} (use one of {', '.join(TYPES)})")
        if setting.type == "choice" and not setting.choices:
            raise ModuleError(f"module {module!r} declares choice setting {setting.key!r} without choices")
        try:
            if setting.type in ("int", "decimal", "time", "date"):
                # Bounds may be written as text too ("08:00"); type them like values.
                unbounded = dataclasses.replace(setting, min=None, max=None, default=0)
                setting = dataclasses.replace(setting, **{
                    b: None if getattr(setting, b) is None else _coerce(unbounded, getattr(setting, b))
                    for b in ("min", "max")})
            if setting.default is not None:
                setting = dataclasses.replace(setting, default=_coerce(setting, setting.default))
        except _Invalid as exc:
            raise ModuleError(f"module {module!r} declares setting {setting.key!r} with an invalid "
                              f"default or bound: {exc.reason}") from None
        erp.settings[setting.key] = (module, setting)


def declared() -> dict[str, tuple[str, Setting]]:
    """key -> (module, Setting) for every enabled module, in declaration order."""
    return current_app.extensions["erp"].settings


def _declaration(key: str) -> Setting:
    try:
        return declared()[key][1]
    except KeyError:
        raise UnknownSetting(key) from None


# ---- typing and validation -----------------------------------------------------------------------

_INT = re.compile(r"^[+-]?\d+$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(00))?$")
_LIST_SPLIT = re.compile(r"[\n\r,，、;；]+")
_TRUE = {"1", "true", "yes", "y", "on", "t"}
_FALSE = {"0", "false", "no", "n", "off", "f", ""}


def _coerce(setting: Setting, raw):
    """The typed value of `raw` (typed already or text), or _Invalid with a translated reason."""
    kind = setting.type
    if isinstance(raw, str):
        raw = raw.strip()
    if (raw is None or raw == "") and kind not in ("bool", "str", "list"):
        if setting.default is None:
            return None
        raise _Invalid(_("This field is required."))
    if kind == "int":
        if isinstance(raw, bool):
            raise _Invalid(_("Enter a whole number."))
        if isinstance(raw, (int, Decimal, float)) and raw == int(raw):
            value = int(raw)
        elif isinstance(raw, str) and _INT.match(raw):
            value = int(raw)
        else:
            raise _Invalid(_("Enter a whole number."))
        return _bounded(setting, value)
    if kind == "decimal":
        if isinstance(raw, bool):
            raise _Invalid(_("Enter a number."))
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise _Invalid(_("Enter a number.")) from None
        if not value.is_finite():
            raise _Invalid(_("Enter a number."))
        return _bounded(setting, value)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw if raw is not None else "").strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _Invalid(_("Choose yes or no."))
    if kind == "str":
        value = "" if raw is None else str(raw).strip()
        if setting.min is not None and len(value) < setting.min:
            raise _Invalid(_("This field is required.") if not value else
                           _("Enter at least %(min)s characters.", min=setting.min))
        if setting.max is not None and len(value) > setting.max:
            raise _Invalid(_("Enter at most %(max)s characters.", max=setting.max))
        return value
    if kind == "choice":
        for value, _label in setting.options:
            if str(value) == str(raw):
                return value
        raise _Invalid(_("Choose one of the listed values."))
    if kind == "time":
        if isinstance(raw, time):
            value = raw.replace(second=0, microsecond=0, tzinfo=None)
        else:
            match = _TIME.match(str(raw))
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise _Invalid(_("Enter a time as HH:MM, for example 18:00."))
            value = time(int(match[1]), int(match[2]))
        return _bounded(setting, value)
    if kind == "date":
        if isinstance(raw, datetime):
            raise _Invalid(_("Enter a date as YYYY-MM-DD."))
        if isinstance(raw, date):
            value = raw
        else:
            try:
                value = datetime.strptime(str(raw), "%Y-%m-%d").date()
            except ValueError:
                raise _Invalid(_("Enter a date as YYYY-MM-DD.")) from None
        return _bounded(setting, value)
    if kind == "list":
        if raw is None:
            items = []
        elif isinstance(raw, (list, tuple)):
            items = [str(i).strip() for i in raw]
        else:
            items = _LIST_SPLIT.split(str(raw))
        items = [i.strip() for i in items if i and i.strip()]
        if setting.choices:
            allowed = {str(v) for v, _label in setting.options}
            bad = [i for i in items if i not in allowed]
            if bad:
                raise _Invalid(_("Not allowed: %(items)s.", items=", ".join(bad)))
        if setting.min is not None and len(items) < setting.min:
            raise _Invalid(_("Enter at least %(min)s items.", min=setting.min))
        if setting.max is not None and len(items) > setting.max:
            raise _Invalid(_("Enter at most %(max)s items.", max=setting.max))
        return items
    raise _Invalid(f"unknown type {kind!r}")


def _bounded(setting: Setting, value):
    if setting.min is not None and value < setting.min:
        raise _Invalid(_("Must be at least %(min)s.", min=format_value(setting, setting.min)))
    if setting.max is not None and value > setting.max:
        raise _Invalid(_("Must be at most %(max)s.", max=format_value(setting, setting.max)))
    return value


def format_value(setting: Setting, value) -> str:
    """Text for a form input or a message: 18:00, 2026-01-01, 5.00, one list item per line."""
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


def _encode(value) -> str:
    """JSON text: numbers, booleans, strings and lists as such; Decimal, time and date as text."""
    if isinstance(value, (time, date, Decimal)):
        value = format_value(None, value)
    return json.dumps(value, ensure_ascii=False)


# ---- reading -------------------------------------------------------------------------------------

def _stored() -> dict[str, object]:
    """Typed stored values, loaded with one query per request (or app context)."""
    cache = g.get(_CACHE)
    if cache is None:
        specs = declared()
        cache = {}
        for row in db.session.execute(select(SettingValue.key, SettingValue.value)):
            spec = specs.get(row.key)
            if spec is None:
                continue  # a disabled or removed module's value: kept, not used
            try:
                cache[row.key] = _coerce(spec[1], json.loads(row.value))
            except (_Invalid, ValueError) as exc:
                log.warning("stored setting %s=%r is no longer valid (%s); using the default",
                            row.key, row.value, getattr(exc, "reason", exc))
        setattr(g, _CACHE, cache)
    return cache


def get(key: str):
    """The typed value of `key`: the administrator's value, else the declared default."""
    setting = _declaration(key)
    stored = _stored()
    value = stored[key] if key in stored else setting.default
    return list(value) if isinstance(value, list) else value


def is_default(key: str) -> bool:
    _declaration(key)
    return key not in _stored()


def validate(values: dict) -> dict:
    """Typed values for {key: raw}; raises ValidationError listing every refused field."""
    typed, errors, labels = {}, {}, {}
    for key, raw in values.items():
        setting = _declaration(key)
        labels[key] = setting.label
        try:
            typed[key] = _coerce(setting, raw)
        except _Invalid as exc:
            errors[key] = exc.reason
    if errors:
        raise ValidationError(errors, labels)
    return typed


def set_many(values: dict, commit: bool = True) -> list[str]:
    """Validate all of {key: raw}, then store those that change; all or nothing.

    Returns the keys whose effective value changed. With ``commit=False`` the caller commits
    (the changes then belong to the caller's transaction).
    """
    typed = validate(values)
    changed = []
    now = datetime.now(timezone.utc)
    for key, value in typed.items():
        old = get(key)
        if value == old and type(value) is type(old):
            continue
        row = db.session.get(SettingValue, key)
        if row is None:
            row = SettingValue(key=key)
            db.session.add(row)
        row.value = _encode(value)
        row.updated_at = now
        setting = _declaration(key)
        audit.record(db.session, "setting_changed", SettingValue.__tablename__, key,
                     {"key": key, "old": format_value(setting, old), "new": format_value(setting, value)})
        changed.append(key)
    if changed:
        db.session.flush()
        _stored().update({k: typed[k] for k in changed})
    if commit:
        db.session.commit()
    return changed


def set_value(key: str, raw, commit: bool = True) -> bool:
    """Validate and store one value; True if it changed. Raises ValidationError or UnknownSetting."""
    return bool(set_many({key: raw}, commit=commit))


def reset(key: str, commit: bool = True) -> None:
    """Forget the administrator's value: the declared default applies again."""
    setting = _declaration(key)
    row = db.session.get(SettingValue, key)
    if row is not None:
        old = get(key)
        db.session.delete(row)
        audit.record(db.session, "setting_changed", SettingValue.__tablename__, key,
                     {"key": key, "old": format_value(setting, old),
                      "new": format_value(setting, setting.default)})
        db.session.flush()
        _stored().pop(key, None)
    if commit:
        db.session.commit()


# settings.set(key, raw) reads naturally at call sites. It shadows the builtin in this module only:
# nothing in this file calls the builtin set().
set = set_value  # noqa: A001


# ---- admin page ----------------------------------------------------------------------------------

bp = Blueprint("admin_settings", __name__, url_prefix="/admin")


def _form_raw(setting: Setting, form):
    """The submitted raw value of `setting`, or None when the form does not carry the field."""
    key = setting.key
    if key not in form:
        return None
    if setting.type == "bool":
        return "true" in form.getlist(key)   # a hidden "false" precedes the checkbox
    if setting.type == "list" and setting.choices:
        return [v for v in form.getlist(key) if v]
    return form.get(key, "")


@bp.route("/settings", methods=["GET", "POST"])
@permission_required("core.settings.manage")
def index():
    erp = current_app.extensions["erp"]
    specs = declared()
    errors: dict[str, str] = {}
    submitted: dict[str, object] = {}
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        for key, (_module, setting) in specs.items():
            raw = _form_raw(setting, request.form)
            if raw is not None:
                submitted[key] = raw
        try:
            changed = set_many(submitted)
        except ValidationError as exc:
            errors = exc.errors
            db.session.rollback()
        else:
            if changed:
                flash(_("Settings saved: %(count)s changed.", count=len(changed)), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("admin_settings.index"))
    by_module: dict[str, list] = {}
    for key, (module, setting) in specs.items():
        if key in submitted:
            shown = submitted[key]
            shown = "\n".join(shown) if isinstance(shown, list) and not setting.choices else shown
        else:
            value = get(key)
            shown = value if setting.type in ("bool",) or (setting.type == "list" and setting.choices) \
                else format_value(setting, value)
        by_module.setdefault(module, []).append({
            "setting": setting, "value": shown, "error": errors.get(key),
            "default": format_value(setting, setting.default), "is_default": is_default(key)})
    sections = [(erp.section_label(m), by_module[m]) for m in erp.section_order if m in by_module]
    return render_template("admin/settings.html", sections=sections, form=FlaskForm(),
                           has_errors=bool(errors)), 400 if errors else 200
