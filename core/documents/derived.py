"""The web form and the API schema of a document type, derived from its declared fields
(core.documents.fields). Field names are the model's attributes (``customer_id`` for a
reference ``customer``), so a form populates the document and the API reads and writes the same
names."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import current_app, g, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError, fields as mf, validate as mv
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..calendar_today import zone
from .fields import XSIG_PARTS, Field, dependency_attributes, reference_choices, user_choices

TITLE = Field("title", _l("Title"), required=True)


def int_or_none(value):
    """Coerce a select's value: "" (nothing chosen) is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


# ---- times: entered and shown in the company's time zone, stored in UTC -----------------------
def as_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive value read back from SQLite is UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime | None) -> datetime | None:
    """The same instant in the company's time zone."""
    return as_utc(value).astimezone(zone()) if value is not None else None


def _in_range(value: datetime) -> bool:
    return 2000 <= value.year <= 2999


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input read and shown in the company's time zone, stored in UTC."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])
        super().__init__(*args, tz=zone, **kwargs)

    def process_data(self, value):
        self.data = as_utc(value) if isinstance(value, datetime) else value

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            if not _in_range(self.data):
                self.data = None
                raise ValueError(self.gettext("Not a valid datetime value."))
            self.data = self.data.astimezone(UTC)


class LocalDateTime(mf.AwareDateTime):
    """ISO 8601; without an offset the time is the company's. Returned in the company's zone."""

    def __init__(self, **kwargs):
        # The OpenAPI document says which years _deserialize accepts (2000 to 2999).
        kwargs["metadata"] = {"pattern": "^2[0-9]{3}-", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        self.default_timezone = zone()
        result = super()._deserialize(value, attr, data, **kwargs)
        if not _in_range(result):
            raise ValidationError(str(_l("Give a date between the years 2000 and 2999.")))
        return result.astimezone(UTC)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else local(value).isoformat()


# ---- the web form ---------------------------------------------------------------------------------
def _presence(f: Field, numeric: bool = False):
    if f.required:
        return InputRequired() if numeric else DataRequired()
    return Optional()


def _range(f: Field) -> list:
    return [NumberRange(min=f.minimum, max=f.maximum)] if f.minimum is not None or f.maximum is not None else []


def _lf(value):
    """Text as stored: browsers send line breaks as CRLF."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _form_fields(f: Field) -> dict:
    kind, label = f.kind, f.label
    if f.readonly:
        return {}
    desc = {"description": f.help} if f.help else {}
    if f.default is not None:
        desc["default"] = f.default
    if kind == "text":
        return {f.name: StringField(label, validators=[_presence(f), Length(max=f.max_length)], filters=[_lf], **desc)}
    if kind == "textarea":
        return {f.name: TextAreaField(label, validators=[_presence(f), Length(max=20000)], filters=[_lf], **desc)}
    if kind == "integer":
        return {f.name: IntegerField(label, validators=[_presence(f, True), *_range(f)], **desc)}
    if kind in ("decimal", "money", "percent"):
        places = 4 if kind == "decimal" else 2
        return {f.name: DecimalField(label, places=places, validators=[_presence(f, True), *_range(f)], **desc)}
    if kind == "date":
        return {f.name: DateField(label, validators=[_presence(f)], **desc)}
    if kind == "datetime":
        return {f.name: LocalDateTimeField(label, validators=[_presence(f)], **desc)}
    if kind == "bool":
        return {f.name: BooleanField(label, **desc)}
    if kind == "choice":
        blank = [] if f.required else [SelectChoice("", "—")]
        coerce = {"coerce": int_or_none} if f.integer_choices else {}
        return {f.name: SelectField(label, choices=blank + _options(f.choices), validators=[_presence(f)], **coerce,
                                    **desc)}
    if kind == "multichoice":
        return {f.name: SelectMultipleField(label, choices=_options(f.choices), validators=[_presence(f)], **desc)}
    if kind == "user":
        return {f"{f.name}_id": SelectField(label, coerce=int_or_none, choices=[], validators=[_presence(f)], **desc)}
    if kind == "reference" and f.options is not None:  # a small table: every option listed
        return {f"{f.name}_id": SelectField(label, coerce=int_or_none, choices=[], validators=[_presence(f)], **desc)}
    if kind == "reference":  # searched as the user types; the save guard checks what he may see
        return {f"{f.name}_id": SelectField(label, coerce=int_or_none, choices=[], validate_choice=False,
                                            validators=[_presence(f)], **desc)}
    if kind == "xsig":
        out = {}
        for part, part_label in XSIG_PARTS:
            name, full = f"{f.name}_{part}", _l("%(field)s: %(part)s", field=label, part=part_label)
            required = [_presence(f)] if part == "name" else [Optional()]
            out[name] = (DateField(full, validators=[Optional()]) if part == "date" else
                         TextAreaField(full, validators=[Optional(), Length(max=4000)]) if part == "opinion" else
                         StringField(full, validators=[*required, Length(max=200)]))
        return out
    return {}  # sig: signed through the workflow, never typed


def build_form(doctype) -> type[FlaskForm]:
    """The document type's FlaskForm: one input per declared field (title first unless declared)."""
    declared = list(doctype.fields)
    fields = ([] if any(f.name == "title" for f in declared) else [TITLE]) + declared
    return declared_form(doctype, f"{doctype.model.__name__}Form", fields)


def declared_form(doctype, name: str, fields, extra: dict | None = None) -> type[FlaskForm]:
    """A FlaskForm of `fields` (then the `extra` form fields), with the user and reference choices
    filled for the signed-in user when the form is made."""
    attributes = {}
    for f in fields:
        attributes.update(_form_fields(f))
    attributes.update(extra or {})
    choosers = _choosers(fields)

    def __init__(self, *args, **kwargs):
        FlaskForm.__init__(self, *args, **kwargs)
        _offer(self, choosers, doctype)

    attributes["__init__"] = __init__
    attributes["declared_fields"] = fields
    return type(name, (FlaskForm,), attributes)


def _choosers(fields) -> list[Field]:
    """The fields whose choices depend on the data and the user: people, references."""
    return [f for f in fields if f.kind in ("user", "reference") and not f.readonly]


def _offered(f: Field, blank: bool) -> list[SelectChoice]:
    """A user field's people or a small table's options, once per request (a line form is made
    once per row)."""
    cache = g.setdefault("_declared_choices", {})
    key = (id(f), blank)
    if key not in cache:
        offered = user_choices(f) if f.kind == "user" else f.options()
        cache[key] = ([SelectChoice("", "—")] if blank else []) + _options(offered)
    return cache[key]


def _offer(form, choosers, doctype, lines: bool = False) -> None:
    """Fill the choices of the form's user and reference fields for the signed-in user. A line's
    selects all offer the blank choice, so that a row left blank stays blank (a required one is
    refused blank)."""
    for f in choosers:
        field = form[f"{f.name}_id"]
        if f.kind == "user" or f.options is not None:
            field.choices = list(_offered(f, blank=lines or not (f.required and f.kind == "user")))
        else:  # only the chosen record; the others are searched (core/static/js/choices.js)
            field.choices = _options(reference_choices(f, current_user, [field.data])) if field.data else []
            if doctype is not None:
                field.render_kw = {"data-choices-url": url_for(f"{doctype.endpoint_prefix}_choices", field=f.name),
                                   "placeholder": _l("Type to search…")}
                if f.depends_on:  # the inputs whose values the choices page gets (core/static/js/choices.js)
                    field.render_kw["data-choices-depends"] = " ".join(dependency_attributes(doctype, f))


# ---- the API schema -------------------------------------------------------------------------------
def schema_fields(f: Field) -> dict:
    if f.readonly:  # given, never read
        given = schema_fields(replace(f, readonly=False, required=False))
        for field in given.values():
            field.dump_only = True
        return given
    if f.default is not None:  # validated as given; left out, the default
        given = schema_fields(replace(f, default=None))
        for field in given.values():
            field.required, field.load_default = False, f.default
        return given
    kind = f.kind
    required = {"required": True} if f.required else {"load_default": None, "allow_none": True}
    if kind in ("text", "textarea"):
        limit = f.max_length if kind == "text" else 20000
        text_required = {"required": True} if f.required else {"load_default": ""}
        return {f.name: mf.String(validate=mv.Length(min=1 if f.required else 0, max=limit), **text_required)}
    bounds = {"validate": mv.Range(min=f.minimum, max=f.maximum)} if f.minimum is not None or f.maximum is not None else {}
    if kind == "integer":
        return {f.name: mf.Integer(**required, **bounds)}
    if kind in ("decimal", "money", "percent"):
        places = 4 if kind == "decimal" else 2
        return {f.name: mf.Decimal(places=places, as_string=True, **required, **bounds)}
    if kind == "date":
        return {f.name: mf.Date(**required)}
    if kind == "datetime":
        return {f.name: LocalDateTime(**required)}
    if kind == "bool":
        return {f.name: mf.Boolean(load_default=False)}
    values = [value for value, _label in f.choices]
    # The values one may give, without the empty one an optional choice also takes.
    one_of = _l("Choose one of: %(choices)s.", choices=", ".join(str(v) for v in values))
    if kind == "choice" and f.integer_choices:
        return {f.name: mf.Integer(validate=mv.OneOf(values, error=one_of), **required)}
    if kind == "choice":
        choice_required = {"required": True} if f.required else {"load_default": ""}
        return {f.name: mf.String(validate=mv.OneOf(values + ([] if f.required else [""]), error=one_of),
                                  **choice_required)}
    if kind == "multichoice":
        size = {"validate": mv.Length(min=1)} if f.required else {}
        return {f.name: mf.List(mf.String(validate=mv.OneOf(values, error=one_of)), load_default=list, **size)}
    if kind in ("user", "reference"):
        return {f"{f.name}_id": mf.Integer(validate=mv.Range(min=1, max=2**31 - 1), **required)}
    if kind == "xsig":
        out = {f"{f.name}_{part}": mf.String(load_default="", validate=mv.Length(max=200))
               for part in ("name", "org", "title")}
        out[f"{f.name}_date"] = mf.Date(load_default=None, allow_none=True)
        out[f"{f.name}_opinion"] = mf.String(load_default="", validate=mv.Length(max=4000))
        return out
    # sig: read-only in the API
    return {f"{f.name}_by_id": mf.Integer(dump_only=True), f"{f.name}_at": LocalDateTime(dump_only=True),
            f"{f.name}_decision": mf.String(dump_only=True), f"{f.name}_opinion": mf.String(dump_only=True)}


def build_schema(doctype) -> type[Schema]:
    declared = list(doctype.fields)
    fields = ([] if any(f.name == "title" for f in declared) else [TITLE]) + declared
    attributes = {}
    for f in fields:
        attributes.update(schema_fields(f))
    if doctype.lines and doctype.lines.fields:
        line_fields = {}
        for f in doctype.lines.fields:
            line_fields.update(schema_fields(f))
        line_schema = Schema.from_dict(line_fields, name=f"{doctype.lines.model.__name__}Schema")
        attributes[doctype.lines.attribute] = mf.List(mf.Nested(line_schema), load_default=list)
    return Schema.from_dict(attributes, name=f"{doctype.model.__name__}Schema")


def build_line_form(lines) -> type:
    """The form of one line: its declared fields, people and references offered as in the
    document's form (a searched reference asks the document type's choices page)."""
    from wtforms import Form
    attributes = {}
    for f in lines.fields:
        if f.kind == "choice" and f.required and not f.readonly:
            f = replace(f, required=False)  # the blank choice, refused by the validator below
            field = _form_fields(f)[f.name]
            field.kwargs["validators"] = [DataRequired()]
            attributes[f.name] = field
            continue
        attributes.update(_form_fields(f))
    choosers = _choosers(lines.fields)

    def __init__(self, *args, **kwargs):
        Form.__init__(self, *args, **kwargs)
        if choosers:
            doctypes = current_app.extensions["erp"].doctypes.values()
            _offer(self, choosers, next((d for d in doctypes if d.lines is lines), None), lines=True)

    attributes["__init__"] = __init__
    attributes["declared_fields"] = lines.fields
    return type(f"{lines.model.__name__}Form", (Form,), attributes)
