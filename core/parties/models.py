"""Party, its roles and its contacts (SPEC 5.1 point 3)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


def utcnow():
    return datetime.now(timezone.utc)


# Role codes a party can hold, with their labels (Chinese through the catalog: 客户, 供应商...).
# Codes are free strings: a module registers its own with register_party_role() from its hooks.
PARTY_ROLES: dict[str, object] = {
    "customer": _l("Customer"),
    "supplier": _l("Supplier"),
    "construction_team": _l("Construction team"),
    "supervisor": _l("Supervision firm"),
    "designer": _l("Design institute"),
    "tender_agent": _l("Tender agent"),
    "partner": _l("Partner"),
    "other": _l("Other organisation"),
}


def register_party_role(code: str, label) -> None:
    """Add a party role code (idempotent); `label` is a str or lazy string."""
    PARTY_ROLES.setdefault(code, label)


def party_role_label(code: str) -> str:
    """The role's label in the current language; an unregistered code is shown as it is."""
    label = PARTY_ROLES.get(code)
    return str(label) if label is not None else code


class Party(db.Model):
    """An outside organisation: customer, supplier, construction team, supervision firm..."""
    __tablename__ = "party"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # name without case, spaces, punctuation and company-form suffix: finds near duplicates
    match_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    short_name: Mapped[str] = mapped_column(String(80), default="")
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)   # 统一社会信用代码
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    roles: Mapped[list[PartyRole]] = relationship(
        back_populates="party", cascade="all, delete-orphan", lazy="selectin",
        order_by="PartyRole.role")
    contacts: Mapped[list[PartyContact]] = relationship(
        back_populates="party", cascade="all, delete-orphan", lazy="selectin",
        order_by="[PartyContact.is_primary.desc(), PartyContact.id]")

    @property
    def role_codes(self) -> list[str]:
        return [r.role for r in self.roles]

    @property
    def primary_contact(self) -> PartyContact | None:
        return next((c for c in self.contacts if c.is_primary), None)

    def has_role(self, code: str) -> bool:
        return code in self.role_codes

    def __str__(self):
        return self.name


class PartyRole(db.Model):
    """A role a party plays for the company (customer, supplier...); one row per (party, role)."""
    __tablename__ = "party_role"
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)

    party: Mapped[Party] = relationship(back_populates="roles")

    @property
    def label(self) -> str:
        return party_role_label(self.role)

    def __str__(self):
        return self.role


class PartyContact(db.Model):
    """A person to talk to at a party."""
    __tablename__ = "party_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(80), default="")
    department: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    mobile: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    party: Mapped[Party] = relationship(back_populates="contacts")

    def __str__(self):
        return self.name


PARTY_MODELS = [Party, PartyRole, PartyContact]
