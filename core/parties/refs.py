"""Typed references to another module's records (SPEC 5.1 point 4).

A module never imports another module's models, so a link to "contract HT-2026-001 of sales"
is stored as a :class:`BusinessRef`: module, model, id, plus a snapshot of the record's number
and display text taken when the link was made. :func:`resolve` turns it into a URL only while
the target module is enabled; otherwise pages show the snapshot text, not a dead link.

Two ways to store one:

* columns you can filter on, from :func:`business_ref_columns`::

      class Handover(Document, business_ref_columns("contract"), db.Model):
          ...
      handover.contract = BusinessRef("sales", "contract", 12, "HT-2026-001", "某某大厦综合布线")
      # columns contract_module, contract_model, contract_id, contract_number, contract_text

* one JSON text column, with :class:`BusinessRefType`::

      source: Mapped[BusinessRef | None] = mapped_column(BusinessRefType())

Where a reference opens: a core record through ``CORE_REF_ENDPOINTS`` (``("core", "party")`` is
``parties.detail``); a module's record through the endpoint ``<module>.<model>_detail`` taking
the id as its only URL argument (``sales.contract_detail`` at ``/sales/contracts/<int:id>``).
No such endpoint means no link. In a template::

    {% from "parties/macros.html" import business_ref %}
    {{ business_ref(handover.contract) }}
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from flask import current_app, url_for
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator

CORE = "core"
CORE_REF_ENDPOINTS = {"party": "parties.detail"}


@dataclass(frozen=True)
class BusinessRef:
    module: str                 # "sales", "engineering", "core"...
    model: str                  # "contract", "project", "party"...
    id: int | None
    number: str = ""            # the record's number when the link was made (HT-2026-001)
    text: str = ""              # its display text when the link was made

    @property
    def label(self) -> str:
        """What a page shows: number and text (snapshot), or the bare key as a last resort."""
        if self.number and self.text and self.number not in self.text:
            return f"{self.number} {self.text}"
        return self.text or self.number or f"{self.module}/{self.model}/{self.id}"

    @property
    def key(self) -> str:
        return f"{self.module}:{self.model}:{self.id}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> BusinessRef | None:
        if not data or not data.get("module"):
            return None
        ref_id = data.get("id")
        return cls(module=str(data["module"]), model=str(data.get("model") or ""),
                   id=int(ref_id) if ref_id not in (None, "") else None,
                   number=str(data.get("number") or ""), text=str(data.get("text") or ""))

    @classmethod
    def to(cls, record, module: str, number: str = "", text: str = "") -> BusinessRef:
        """A reference to an ORM record of `module` (the module that owns it).

        The model name is the record's ``__ref_model__`` if it has one, else its table name
        without the ``<module>_`` prefix (``sales_contract`` -> ``contract``).
        """
        model = getattr(record, "__ref_model__", None) or record.__tablename__.removeprefix(f"{module}_")
        return cls(module, model, record.id,
                   number or str(getattr(record, "number", "") or getattr(record, "code", "") or ""),
                   text or str(record))

    def __str__(self):
        return self.label


def party_ref(party) -> BusinessRef:
    """A reference to a core Party (always navigable)."""
    return BusinessRef(CORE, "party", party.id, party.code, party.name)


def module_enabled(module: str, app=None) -> bool:
    app = app or current_app
    return module == CORE or module in app.extensions["erp"].enabled


def resolve(ref: BusinessRef | None) -> str | None:
    """The URL that opens the referenced record, or None when it cannot be opened here.

    None when the target module is not enabled in this app (show ``ref.label`` as plain text),
    when the reference has no id, or when the target offers no detail page.
    """
    if ref is None or not ref.module or ref.id is None:
        return None
    app = current_app
    if not module_enabled(ref.module, app):
        return None
    if ref.module == CORE:
        endpoint = CORE_REF_ENDPOINTS.get(ref.model)
    else:
        endpoint = f"{ref.module}.{ref.model}_detail"
    if endpoint is None:
        return None
    try:
        rules = list(app.url_map.iter_rules(endpoint))
    except KeyError:
        return None
    for rule in rules:
        if len(rule.arguments) == 1:
            return url_for(endpoint, **{next(iter(rule.arguments)): ref.id})
    return None


class BusinessRefType(TypeDecorator):
    """A BusinessRef kept as JSON text in one column (None stays NULL)."""
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, dict):
            value = BusinessRef.from_dict(value)
        return json.dumps(value.to_dict(), ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value, dialect):
        if not value:
            return None
        return BusinessRef.from_dict(json.loads(value))


def business_ref_columns(prefix: str = "ref"):
    """A mixin adding <prefix>_module, _model, _id, _number, _text and the property <prefix>.

    Reading ``obj.<prefix>`` gives a BusinessRef (None when unset); assigning a BusinessRef or
    None writes the five columns. All columns are nullable: a reference may be optional.
    """
    columns = {
        "module": lambda: mapped_column(String(64), nullable=True),
        "model": lambda: mapped_column(String(64), nullable=True),
        "id": lambda: mapped_column(Integer, nullable=True),
        "number": lambda: mapped_column(String(64), nullable=True),
        "text": lambda: mapped_column(String(300), nullable=True),
    }
    names = {part: f"{prefix}_{part}" for part in columns}

    def getter(self):
        module = getattr(self, names["module"])
        if not module:
            return None
        return BusinessRef(module, getattr(self, names["model"]) or "", getattr(self, names["id"]),
                           getattr(self, names["number"]) or "", getattr(self, names["text"]) or "")

    def setter(self, ref):
        if isinstance(ref, dict):
            ref = BusinessRef.from_dict(ref)
        for part, name in names.items():
            value = getattr(ref, part) if ref is not None else None
            if part == "text" and value:
                value = value[:300]
            setattr(self, name, value)

    attrs = {name: columns[part]() for part, name in names.items()}
    attrs[prefix] = property(getter, setter, doc=f"The BusinessRef stored in the {prefix}_* columns.")
    return type(f"BusinessRefColumns_{prefix}", (), attrs)
