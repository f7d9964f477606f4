"""The company's organisation as data (SPEC 1.1-1.3): departments, roles with their default
permissions, positions with their reporting lines, and the demo users, read from a TOML file.

company.toml beside this file is the handbook's company; ERP_COMPANY_FILE names a deployment's own.
Only 系统管理员 (ROLE-ADMIN) stays in code, as every deployment needs it.
"""
from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from ..roles import ADMIN

DEFAULT_COMPANY_FILE = Path(__file__).with_name("company.toml")
DEMO_ADMIN_USERNAME = "admin"  # the demo 系统管理员, whichever the company


class CompanyFileError(Exception):
    """A company file that cannot be seeded; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class DepartmentEntry:
    code: str
    name: str
    name_en: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class RoleEntry:
    code: str
    name: str
    name_en: str = ""
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PositionEntry:
    code: str
    name: str
    department: str
    reports_to: str | None = None
    role: str | None = None
    head: bool = False


@dataclass(frozen=True)
class DemoUserEntry:
    username: str
    full_name: str
    role: str
    position: str | None = None


@dataclass(frozen=True)
class CompanyData:
    path: Path
    name: str
    name_en: str
    departments: tuple[DepartmentEntry, ...]
    roles: tuple[RoleEntry, ...]
    positions: tuple[PositionEntry, ...]
    demo_users: tuple[DemoUserEntry, ...]


@dataclass(frozen=True)
class _CompanyEntry:
    name: str
    name_en: str = ""


# What each key holds: "text" (with its column's length), "flag" or "codes" (a list of texts).
# Keys without a default in the entry's class are required; the first key identifies the entry.
_SECTIONS = {
    "departments": (DepartmentEntry, {"code": ("text", 20), "name": ("text", 80), "name_en": ("text", 80),
                                      "parent": ("text", 20)}),
    "roles": (RoleEntry, {"code": ("text", 40), "name": ("text", 80), "name_en": ("text", 80),
                          "permissions": ("codes", 120)}),
    "positions": (PositionEntry, {"code": ("text", 40), "name": ("text", 80), "department": ("text", 20),
                                  "reports_to": ("text", 40), "role": ("text", 40), "head": ("flag", None)}),
    "demo_users": (DemoUserEntry, {"username": ("text", 64), "full_name": ("text", 120),
                                   "role": ("text", 40), "position": ("text", 40)}),
}
_COMPANY_KEYS = {"name": ("text", 200), "name_en": ("text", 200)}


def load_company(path: str | Path = DEFAULT_COMPANY_FILE) -> CompanyData:
    """Read and check a company file; raise CompanyFileError naming the file, entry and problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CompanyFileError(f"{path}: the company file cannot be read ({exc.strerror}).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CompanyFileError(f"{path}: the company file is not valid TOML ({exc}).") from None

    def fail(entry: str, problem: str):
        raise CompanyFileError(f"{path}: {entry}: {problem}")

    unknown = sorted(data.keys() - _SECTIONS.keys() - {"company"})
    if unknown:
        fail(unknown[0], f"unknown section; a company file has company, {', '.join(_SECTIONS)}.")
    if not isinstance(data.get("company"), dict):
        fail("company", "missing; write company = { name = \"...\", name_en = \"...\" } first.")
    company = _CompanyEntry(**_values(data["company"], _CompanyEntry, _COMPANY_KEYS, "company", fail))
    entries = {section: _entries(data.get(section, []), section, cls, keys, fail)
               for section, (cls, keys) in _SECTIONS.items()}
    _check_references(entries, fail)
    return CompanyData(path, company.name, company.name_en, **entries)


def _entries(raw, section: str, cls, keys: dict, fail) -> tuple:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        fail(section, "must be a list of entries such as { code = \"...\", name = \"...\" }.")
    key = next(iter(keys))
    found, seen = [], {}
    for number, item in enumerate(raw, 1):
        label = _label(section, number, item.get(key))
        values = _values(item, cls, keys, label, fail)
        if values[key] in seen:
            fail(label, f"{key} {values[key]!r} is already used by {seen[values[key]]}.")
        seen[values[key]] = label
        found.append(cls(**values))
    return tuple(found)


def _label(section: str, number: int, name) -> str:
    return f"{section} #{number}" + (f" ({name})" if isinstance(name, str) and name else "")


def _values(item: dict, cls, keys: dict, label: str, fail) -> dict:
    unknown = sorted(item.keys() - keys.keys())
    if unknown:
        fail(label, f"unknown key {unknown[0]!r}; the keys are {', '.join(keys)}.")
    defaults = {f.name: f.default for f in fields(cls)}
    for name, default in defaults.items():
        if default is MISSING and name not in item:
            fail(label, f"{name!r} is missing.")
    values = {}
    for name, value in item.items():
        kind, length = keys[name]
        if kind == "flag":
            if not isinstance(value, bool):
                fail(label, f"{name!r} must be true or false.")
        elif kind == "codes":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                fail(label, f"{name!r} must be a list of codes such as [\"core.parties.view\"].")
            too_long = next((v for v in value if len(v) > length), None)
            if too_long:
                fail(label, f"{too_long!r} in {name!r} is longer than {length} characters.")
            value = tuple(dict.fromkeys(v.strip() for v in value))
        else:
            if not isinstance(value, str):
                fail(label, f"{name!r} must be a text in quotes.")
            value = value.strip()
            if not value and defaults[name] is MISSING:
                fail(label, f"{name!r} must not be empty.")
            if len(value) > length:
                fail(label, f"{name!r} is longer than {length} characters.")
            if not value and defaults[name] is None:  # an empty reference is no reference
                value = None
        values[name] = value
    return values


# (section, key, section the key names an entry of)
_REFERENCES = (("departments", "parent", "departments"), ("positions", "department", "departments"),
               ("positions", "reports_to", "positions"), ("positions", "role", "roles"),
               ("demo_users", "role", "roles"), ("demo_users", "position", "positions"))


def _check_references(entries: dict, fail) -> None:
    def numbered(section):
        return ((_label(section, number, getattr(entry, fields(entry)[0].name)), entry)
                for number, entry in enumerate(entries[section], 1))

    codes = {section: {entry.code: entry for entry in entries[section]}
             for section in ("departments", "roles", "positions")}
    for label, role in numbered("roles"):
        if role.code == ADMIN:
            fail(label, f"{ADMIN} (系统管理员) is core's own role; leave it out of the file.")
    codes["roles"][ADMIN] = None
    for section, key, target in _REFERENCES:
        for label, entry in numbered(section):
            value = getattr(entry, key)
            if value is not None and value not in codes[target]:
                fail(label, f"{key} {value!r} is not one of the {target} in this file.")
    for label, user in numbered("demo_users"):
        if user.username == DEMO_ADMIN_USERNAME:
            fail(label, f"{DEMO_ADMIN_USERNAME!r} is the demo 系统管理员's username; choose another.")
    heads = {}
    for label, position in numbered("positions"):
        if position.head and position.department in heads:
            fail(label, f"department {position.department!r} is already headed by {heads[position.department]}.")
        if position.head:
            heads[position.department] = label
    # Approval chains walk these upwards: a loop would never end.
    for section, up in (("departments", "parent"), ("positions", "reports_to")):
        for label, entry in numbered(section):
            chain, current = [entry.code], getattr(entry, up)
            while current is not None:
                if current in chain:
                    fail(label, f"{up} goes round in a circle: {' → '.join(chain + [current])}.")
                chain.append(current)
                current = getattr(codes[section][current], up)
