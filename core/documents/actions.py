"""Workflow actions that ask for input: a transition declared with ``fields`` (say, the pre-sales
lead to appoint) gets a page with those fields and a comment, and its API call takes them in the
JSON body. Core loads the document the user may see, checks that the action is his to take,
checks the version he read, sets the fields (with the declared fields' guards) and performs the
transition; nothing is saved if any of it fails.

    Transition("assign", _l("Assign the pre-sales lead"), ["pending_ps"], "approved",
               fields=[Field("presales_lead", _l("Pre-sales lead"), "user", roles=("ROLE-MKT-PSE",),
                             required=True)])
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, fields as mf, validate as mv
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .derived import schema_fields, declared_form
from .fields import save_problems


def input_form(doctype, transition) -> type[FlaskForm]:
    """The page's form: the transition's fields, then the comment."""
    required = [DataRequired()] if transition.comment_required else [Optional()]
    comment = TextAreaField(transition.comment_label or _l("Comment"), validators=[*required, Length(max=4000)])
    return declared_form(doctype, f"{transition.name.title()}Form", transition.fields, {"comment": comment})


def input_schema(transition) -> type[Schema]:
    """What the transition's API call reads besides the version: its fields and the comment."""
    attributes = {}
    for f in transition.fields:
        attributes.update(schema_fields(f))
    attributes["comment"] = mf.String(load_default="", validate=mv.Length(max=4000))
    attributes["version"] = mf.Integer(load_default=None, allow_none=True)
    return Schema.from_dict(attributes, name=f"{transition.name.title()}Input")


def apply(doctype, transition, doc, values: dict, user) -> dict[str, list[str]]:
    """Set the transition's fields on `doc` from `values` (form data or the loaded JSON); the
    declared fields' guards' objections, field -> reasons (empty: go ahead)."""
    for f in transition.fields:
        for attribute in f.attributes:
            if attribute in values:
                setattr(doc, attribute, values[attribute])
    problems = save_problems(doctype, doc, user, transition.fields)
    missing = {f.attributes[0]: [_l("“%(field)s” is required.", field=f.label)] for f in transition.fields
               if f.required and f.is_empty(doc)}
    named = {next(f.attributes[0] for f in transition.fields if f.name == name): reasons
             for name, reasons in problems.items()}
    return {**missing, **named}
