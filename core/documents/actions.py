"""Workflow actions that ask for input: a transition declared with ``fields`` (say, the pre-sales
lead to appoint) gets a page with those fields and a comment, and its API call takes them in the
JSON body. Core loads the document the user may see, checks that the action is his to take,
checks the version he read, sets the fields (with the declared fields' guards) and performs the
transition; nothing is saved if any of it fails.

    Transition("assign", _l("Assign the pre-sales lead"), ["pending_ps"], "approved",
               fields=[Field("presales_lead", _l("Pre-sales lead"), "user", roles=("ROLE-MKT-PSE",),
                             required=True)])

A field of an action may take its ``default`` and its ``help`` from the document: given as
callables, they are called with it. The page then opens with the default filled in (what the user
confirms or changes) and the help below the input (what he decides on); the API takes the default
when the value is left out.

    Field("external_price", _l("External price"), "money", required=True,
          default=lambda q: q.external_price if q.external_price is not None else q.total_price,
          help=lambda q: _("The lines add up to %(total)s.", total=q.total_price))
"""
from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, fields as mf, missing, validate as mv
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .derived import schema_fields, declared_form
from .fields import save_problems


def _of_the_document(f) -> bool:
    """Whether the field's default is given by the document (a callable of it)."""
    return callable(f.default)


def asked(transition, doc) -> tuple:
    """The transition's fields it asks for on `doc` (Field.asked_when)."""
    return tuple(f for f in transition.fields if f.asked_when is None or doc is None or f.asked_when(doc))


def input_form(doctype, transition, doc=None) -> type[FlaskForm]:
    """The page's form: the transition's fields (those it asks for on `doc`), then the comment
    (defaults and help taken from the document are filled in by page_form)."""
    required = [DataRequired()] if transition.comment_required else [Optional()]
    comment = TextAreaField(transition.comment_label or _l("Comment"), validators=[*required, Length(max=4000)])
    fields = [replace(f, default=None if _of_the_document(f) else f.default, help="" if callable(f.help) else f.help)
              for f in asked(transition, doc)]
    return declared_form(doctype, f"{transition.name.title()}Form", fields, {"comment": comment})


def defaults(transition, doc) -> dict:
    """attribute -> the value each field of the action starts with for `doc`."""
    return {f.attributes[0]: f.default(doc) if _of_the_document(f) else f.default
            for f in asked(transition, doc) if f.default is not None}


def page_form(doctype, transition, doc, first: bool) -> FlaskForm:
    """The page's form for `doc`: shown the `first` time with the defaults filled in, the help
    the document gives below its input."""
    F = input_form(doctype, transition, doc)
    form = F(data=defaults(transition, doc)) if first else F()
    for f in asked(transition, doc):
        if callable(f.help) and f.attributes[0] in form:
            form[f.attributes[0]].description = f.help(doc)
    return form


def input_schema(transition) -> type[Schema]:
    """What the transition's API call reads besides the version: its fields and the comment; a
    field whose default is the document's left out is filled in by apply."""
    attributes = {}
    for f in transition.fields:
        if _of_the_document(f):
            given = schema_fields(replace(f, default=None, required=False))
            for field in given.values():
                field.load_default = missing
            attributes.update(given)
            continue
        attributes.update(schema_fields(f))
    attributes["comment"] = mf.String(load_default="", validate=mv.Length(max=4000))
    attributes["version"] = mf.Integer(load_default=None, allow_none=True)
    return Schema.from_dict(attributes, name=f"{transition.name.title()}Input")


def apply(doctype, transition, doc, values: dict, user) -> dict[str, list[str]]:
    """Set the transition's fields on `doc` from `values` (form data or the loaded JSON); the
    declared fields' guards' objections, field -> reasons (empty: go ahead)."""
    fields = asked(transition, doc)
    for f in fields:
        for attribute in f.attributes:
            if attribute in values:
                setattr(doc, attribute, values[attribute])
            elif _of_the_document(f) and attribute == f.attributes[0]:
                setattr(doc, attribute, f.default(doc))
    problems = save_problems(doctype, doc, user, fields)
    missing = {f.attributes[0]: [_l("“%(field)s” is required.", field=f.label)] for f in fields
               if f.required and f.is_empty(doc)}
    named = {next(f.attributes[0] for f in fields if f.name == name): reasons
             for name, reasons in problems.items()}
    return {**missing, **named}
