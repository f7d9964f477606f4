"""Parties: the outside organisations every module deals with, and typed cross-module references.

One :class:`Party` record stands for a customer, a supplier, a construction team (施工队), a
supervision firm (监理单位), a design institute, a tender agent, a partner or any other
organisation; what it is for the company is its set of party roles (``PARTY_ROLES``: customer,
supplier, construction_team, supervisor, designer, tender_agent, partner, other). A company that
is both a customer and a supplier is one party with two roles. Contacts (people) hang off the
party. Services (``core.parties.services``) hold the rules: required unique name among active
parties (case-insensitive), near-duplicate warning, unified social credit code check, codes
``P000123`` generated when not given.

Modules add what only they know in their own *profile* table, keyed by the party (like Odoo's
``res.partner`` and its extensions). Core builds nothing for it beyond being the FK target::

    # modules/sales/models.py
    from core.extensions import db
    from core.parties import Party, services as parties

    class CustomerProfile(db.Model):
        __tablename__ = "sales_customer_profile"
        party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"),
                                              primary_key=True)
        area_id: Mapped[int | None] = mapped_column(ForeignKey("sales_area.id"))
        grade: Mapped[str] = mapped_column(String(10), default="")
        owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
        party: Mapped[Party] = relationship()

    # creating a customer
    party = parties.create_party("某某科技有限公司", ["customer"], phone="0755-...")
    db.session.add(CustomerProfile(party=party, grade="A"))
    db.session.commit()

Who sees and edits a party follows the profiles that use it: the module answers the hook
``erp_party_access(user)`` with :class:`ProfileAccess` criteria (see :mod:`core.parties.access`);
a party no profile covers is master data for ``core.parties.view`` / ``core.parties.manage``.

A module's migration for such a table lists the core revision that created ``party`` in its
``depends_on`` (``"c0003"``). A module may add role codes with ``register_party_role(code,
label)`` from its hooks module.

References to another module's records (a contract from an engineering project) are
:class:`BusinessRef` values; see :mod:`core.parties.refs`.
"""
from .access import ProfileAccess
from .models import (PARTY_MODELS, PARTY_ROLES, Party, PartyContact, PartyRole, party_role_label,
                     register_party_role)
from .refs import BusinessRef, BusinessRefType, business_ref_columns, party_ref, resolve

__all__ = ["PARTY_MODELS", "PARTY_ROLES", "Party", "PartyContact", "PartyRole", "ProfileAccess",
           "party_role_label", "register_party_role", "BusinessRef", "BusinessRefType", "business_ref_columns",
           "party_ref", "resolve"]
