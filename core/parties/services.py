"""Creating and changing parties: every rule in one place, for the web pages, the API and imports.

The functions add to the current session and flush; the caller commits (or rolls back on
ValidationError, so nothing is half-saved).
"""
from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..extensions import db
from .models import PARTY_ROLES, Party, PartyContact, PartyRole

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet (no I, O, S, V, Z);
# the 18th is a check character computed from the first 17.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Company-form suffixes ignored when looking for near duplicates (longest first).
_CN_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
_EN_SUFFIX_RE = re.compile(
    r"[\s,.]+(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp\.?|corporation)$")

FIELDS = ("code", "name", "short_name", "credit_code", "address", "phone", "website", "notes", "active")
LENGTHS = {"code": 20, "name": 200, "short_name": 80, "address": 300, "phone": 40, "website": 200}
CONTACT_FIELDS = ("name", "title", "department", "phone", "mobile", "email", "is_primary", "notes")
CONTACT_LENGTHS = {"name": 80, "title": 80, "department": 80, "phone": 40, "mobile": 40, "email": 200}


class ValidationError(Exception):
    """Bad input: ``errors`` maps a field name ("" for the whole record) to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__("; ".join(f"{k}: {m}" if k else m
                                   for k, ms in self.errors.items() for m in ms))


class SimilarPartiesWarning(ValidationError):
    """Nothing is wrong, but parties with nearly the same name exist; pass allow_similar=True."""

    def __init__(self, similar: list[Duplicate]):
        self.similar = similar
        super().__init__({"name": [similar_message(similar)]})


@dataclass(frozen=True)
class Duplicate:
    party: Party
    reason: str   # "same_name" | "similar_name" | "same_credit_code"

    @property
    def blocking(self) -> bool:
        """Same name (among active parties) or same credit code: refused; similar name: warned."""
        return self.reason in ("same_name", "same_credit_code")


def match_key(name: str) -> str:
    """The name without case, width, spaces, punctuation and company-form suffix.

    "深圳市 天盈隆（数码）有限公司" and "深圳市天盈隆(数码)" have the same key.
    """
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = _EN_SUFFIX_RE.sub("", text)
    key = "".join(ch for ch in text if ch.isalnum())
    for suffix in _CN_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key[:200]


def _same_name(a: str, b: str) -> bool:
    return unicodedata.normalize("NFKC", a).strip().casefold() == \
        unicodedata.normalize("NFKC", b).strip().casefold()


def normalize_credit_code(value: str | None) -> str | None:
    """Upper case, half-width, no spaces; None when empty."""
    if value is None:
        return None
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()
    return value or None


def credit_code_problem(code: str) -> str | None:
    """Why `code` (normalized) is not a valid unified social credit code, or None."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.", n=len(code))
    bad = sorted({ch for ch in code if ch not in CREDIT_ALPHABET})
    if bad:
        return _("A unified social credit code uses digits and capital letters except I, O, S, V "
                 "and Z; remove or correct: %(chars)s.", chars=" ".join(bad))
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are digits "
                 "(the administrative division code).")
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(code[:17], CREDIT_WEIGHTS))
    check = CREDIT_ALPHABET[(31 - total % 31) % 31]
    if code[17] != check:
        return _("The check character (the last one) of this unified social credit code does not "
                 "match the others; please check the code for typing mistakes.")
    return None


def _party_label(party: Party) -> str:
    return f"“{party.name}” ({party.code})"


def similar_message(similar: list[Duplicate]) -> str:
    return _("Parties with a similar name already exist: %(parties)s. Check that this is not "
             "the same organisation before saving.",
             parties=", ".join(_party_label(d.party) for d in similar))


def find_duplicates(name: str, credit_code: str | None = None, exclude_id: int | None = None,
                    active: bool = True) -> list[Duplicate]:
    """Parties that the party `name` / `credit_code` would duplicate.

    same_name: an active party with this name ignoring case (blocking when the new one is
    active too); similar_name: same name ignoring spaces, punctuation, width and 有限公司-type
    suffix (or the same name on an inactive party); same_credit_code: blocking.
    """
    found: dict[int, Duplicate] = {}
    conditions = []
    key = match_key(name or "")
    if key:
        conditions.append(Party.match_key == key)
    code = normalize_credit_code(credit_code)
    if code:
        conditions.append(Party.credit_code == code)
    if not conditions:
        return []
    stmt = select(Party).where(or_(*conditions)).order_by(Party.id)
    if exclude_id is not None:
        stmt = stmt.where(Party.id != exclude_id)
    with db.session.no_autoflush:
        parties = db.session.scalars(stmt).all()
    for party in parties:
        if code and party.credit_code == code:
            found[party.id] = Duplicate(party, "same_credit_code")
        elif _same_name(party.name, name) and party.active and active:
            found[party.id] = Duplicate(party, "same_name")
        else:
            found[party.id] = Duplicate(party, "similar_name")
    order = {"same_name": 0, "same_credit_code": 1, "similar_name": 2}
    return sorted(found.values(), key=lambda d: (order[d.reason], d.party.id))


def _clean(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        out[key] = value
    if "code" in out:
        out["code"] = (out["code"] or "").upper() or None
    if "credit_code" in out:
        out["credit_code"] = normalize_credit_code(out["credit_code"])
    for key in ("short_name", "address", "phone", "website", "notes"):
        if key in out and out[key] is None:
            out[key] = ""
    return out


def _validate(data: dict, party: Party | None, roles) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    name = data.get("name", party.name if party else "")
    if not name:
        add("name", _("Enter the party's name."))
    for field, limit in LENGTHS.items():
        value = data.get(field)
        if value and len(value) > limit:
            add(field, _("At most %(n)d characters.", n=limit))
    code = data.get("code")
    if code and "code" not in errors:
        if not CODE_RE.match(code):
            add("code", _("Use letters, digits and . _ - only."))
        else:
            other = db.session.scalar(select(Party).where(Party.code == code))
            if other is not None and other is not party:
                add("code", _("Code %(code)s is already used by %(party)s.",
                              code=code, party=_party_label(other)))
    credit = data.get("credit_code")
    if credit:
        problem = credit_code_problem(credit)
        if problem:
            add("credit_code", problem)
    if roles is not None:
        if not roles:
            add("roles", _("Choose at least one role."))
        unknown = [r for r in roles if r not in PARTY_ROLES]
        if unknown:
            add("roles", _("Unknown party role: %(roles)s.", roles=", ".join(unknown)))
    if name:
        active = data.get("active", party.active if party else True)
        for dup in find_duplicates(name, credit if "credit_code" not in errors else None,
                                   exclude_id=party.id if party else None, active=active):
            if dup.reason == "same_name":
                add("name", _("A party with this name already exists: %(party)s.",
                              party=_party_label(dup.party)))
            elif dup.reason == "same_credit_code":
                add("credit_code", _("This unified social credit code is already registered "
                                     "for %(party)s.", party=_party_label(dup.party)))
    return errors


def _similar(name: str, party: Party | None) -> list[Duplicate]:
    if party is not None and match_key(name) == party.match_key:
        return []   # the name did not change in substance: no new near duplicates to warn about
    return [d for d in find_duplicates(name, exclude_id=party.id if party else None)
            if d.reason == "similar_name"]


def _generate_code(party: Party) -> str:
    """P000123 from the id; a code taken by hand already gets a suffix."""
    base = candidate = f"P{party.id:06d}"
    n = 0
    while db.session.scalar(select(Party.id).where(Party.code == candidate, Party.id != party.id)):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create_party(name: str, roles=("other",), *, allow_similar: bool = True, **fields) -> Party:
    """Create a party with its roles; raises ValidationError (or SimilarPartiesWarning when
    `allow_similar` is false and near duplicates exist). `fields` are the Party columns
    (code, short_name, credit_code, address, phone, website, notes, active)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"create_party() got unexpected fields: {', '.join(sorted(unknown))}")
    data = _clean({**fields, "name": name})
    roles = list(dict.fromkeys(roles or ()))
    errors = _validate(data, None, roles)
    if errors:
        raise ValidationError(errors)
    if not allow_similar:
        similar = _similar(data["name"], None)
        if similar:
            raise SimilarPartiesWarning(similar)
    party = Party(**{k: v for k, v in data.items() if k != "code"})
    party.match_key = match_key(data["name"])
    party.code = data.get("code") or "~" + uuid.uuid4().hex[:19]
    party.roles = [PartyRole(role=r) for r in roles]
    db.session.add(party)
    db.session.flush()
    if not data.get("code"):
        party.code = _generate_code(party)
        db.session.flush()
    return party


def update_party(party: Party, roles=None, *, allow_similar: bool = True, **fields) -> Party:
    """Change a party's fields (and its roles when `roles` is given); same rules as create."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_party() got unexpected fields: {', '.join(sorted(unknown))}")
    data = _clean(fields)
    if "code" in data and not data["code"]:
        data.pop("code")   # an emptied code keeps the current one
    if roles is not None:
        roles = list(dict.fromkeys(roles))
    errors = _validate(data, party, roles)
    if errors:
        raise ValidationError(errors)
    if not allow_similar and "name" in data:
        similar = _similar(data["name"], party)
        if similar:
            raise SimilarPartiesWarning(similar)
    for key, value in data.items():
        if getattr(party, key) != value:
            setattr(party, key, value)
    new_key = match_key(party.name)
    if party.match_key != new_key:
        party.match_key = new_key
    if roles is not None:
        set_roles(party, roles)
    db.session.flush()
    return party


def set_roles(party: Party, roles) -> None:
    wanted = list(dict.fromkeys(roles))
    for link in list(party.roles):
        if link.role not in wanted:
            _drop(party.roles, link)
    for role in wanted:
        add_role(party, role)


def add_role(party: Party, role: str) -> PartyRole:
    """Give `party` the role (a code of PARTY_ROLES); a role it already has is kept as it is."""
    if role not in PARTY_ROLES:
        raise ValidationError({"roles": [_("Unknown party role: %(roles)s.", roles=role)]})
    for link in party.roles:
        if link.role == role:
            return link
    link = PartyRole(role=role)
    party.roles.append(link)
    db.session.flush()
    return link


def remove_role(party: Party, role: str) -> None:
    for link in list(party.roles):
        if link.role == role:
            _drop(party.roles, link)
    db.session.flush()


def _drop(collection, obj) -> None:
    """Remove from a delete-orphan collection *and* delete explicitly: the audit listener sees
    explicit deletions before the flush, orphans only during it."""
    collection.remove(obj)
    if obj in db.session and obj not in db.session.new:
        db.session.delete(obj)
    elif obj in db.session:
        db.session.expunge(obj)


def remove_contact(party: Party, contact: PartyContact) -> None:
    """Remove a contact; if it was the primary one, the next contact becomes primary."""
    was_primary = contact.is_primary
    _drop(party.contacts, contact)
    if was_primary and party.contacts:
        set_primary_contact(party, party.contacts[0])
    db.session.flush()


def add_contact(party: Party, name: str, **fields) -> PartyContact:
    """Add a contact person; the first contact, or one with is_primary, becomes the primary one."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"add_contact() got unexpected fields: {', '.join(sorted(unknown))}")
    data = _clean({**fields, "name": name})
    for key in ("title", "department", "phone", "mobile", "email", "notes"):
        data[key] = data.get(key) or ""
    errors: dict[str, list[str]] = {}
    if not data["name"]:
        errors.setdefault("name", []).append(_("Enter the contact's name."))
    for field, limit in CONTACT_LENGTHS.items():
        if len(data[field] or "") > limit:
            errors.setdefault(field, []).append(_("At most %(n)d characters.", n=limit))
    if data["email"] and not EMAIL_RE.match(data["email"]):
        errors.setdefault("email", []).append(_("Not a valid e-mail address."))
    if errors:
        raise ValidationError(errors)
    primary = bool(data.pop("is_primary", False)) or not party.contacts
    contact = PartyContact(**data, is_primary=False)
    party.contacts.append(contact)
    if primary:
        set_primary_contact(party, contact)
    db.session.flush()
    return contact


def set_primary_contact(party: Party, contact: PartyContact) -> None:
    for other in party.contacts:
        if other.is_primary != (other is contact):
            other.is_primary = other is contact


def search(stmt, q: str):
    """Filter a select of Party by a search text over name, short name, code and credit code."""
    q = (q or "").strip()
    if not q:
        return stmt
    like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return stmt.where(or_(Party.name.ilike(like, escape="\\"), Party.short_name.ilike(like, escape="\\"),
                          Party.code.ilike(like, escape="\\"),
                          Party.credit_code.ilike(like, escape="\\")))


def with_role(stmt, role: str):
    return stmt.where(Party.id.in_(select(PartyRole.party_id).where(PartyRole.role == role)))


def by_name(name: str) -> Party | None:
    """The active party with exactly this name (ignoring case), if any."""
    return db.session.scalar(select(Party).where(func.lower(Party.name) == name.strip().lower(),
                                                 Party.active.is_(True)))
