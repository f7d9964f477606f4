"""Reference data (organisation, roles, default grants) and the demo users. Idempotent."""
import hashlib
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import make_url, select

from .auth.models import Role, RolePermission, User
from .config import default_database_url
from .extensions import db
from .models import SeededGrant
from .org.company import DEMO_ADMIN_USERNAME, CompanyData, DemoUserEntry, load_company
from .org.models import Company, Department, Position, UserPosition
from .roles import ADMIN

# The demo 系统管理员; the company's demo users come from its company file.
DEMO_ADMIN = DemoUserEntry(DEMO_ADMIN_USERNAME, "系统管理员", ADMIN)


def company_data() -> CompanyData:
    """This deployment's organisation: the file ERP_COMPANY_FILE names, else the handbook's."""
    return load_company(current_app.config["ERP_COMPANY_FILE"])


def _one(model, **by):
    return db.session.scalar(select(model).filter_by(**by))


def seed_organisation(company: CompanyData) -> None:
    """Bring the company, departments and positions the file names to the file's values; entries
    the file no longer names stay (people may still hold them)."""
    row = _one(Company) or Company()
    row.name, row.name_en = company.name, company.name_en
    db.session.add(row)
    departments = {d.code: d for d in db.session.scalars(select(Department))}
    for entry in company.departments:
        dept = departments.get(entry.code) or Department(code=entry.code)
        dept.name, dept.name_en = entry.name, entry.name_en
        db.session.add(dept)
        departments[entry.code] = dept
    for entry in company.departments:
        departments[entry.code].parent = departments.get(entry.parent)
    roles = {r.code: r for r in db.session.scalars(select(Role))}
    positions = {p.code: p for p in db.session.scalars(select(Position))}
    for entry in company.positions:
        pos = positions.get(entry.code) or Position(code=entry.code)
        pos.name, pos.department, pos.is_head = entry.name, departments[entry.department], entry.head
        pos.role = roles.get(entry.role)
        db.session.add(pos)
        positions[entry.code] = pos
    for entry in company.positions:
        positions[entry.code].reports_to = positions.get(entry.reports_to)
    db.session.flush()


def seed_roles(company: CompanyData) -> list[str]:
    """Create the company's roles and the roles modules declare, and apply each default grant not
    applied before (so what the admin revoked stays revoked). Returns a sentence for each grant
    that cannot apply: to a role the company file lacks, or of a permission no module declares."""
    erp = current_app.extensions["erp"]
    existing = {r.code: r for r in db.session.scalars(select(Role))}
    applied = {(s.role_code, s.code) for s in db.session.scalars(select(SeededGrant))}
    notes = []

    def role_row(code, name, name_en):
        row = existing.get(code)
        if row is None:
            row = existing[code] = Role(code=code, description=name_en)
            db.session.add(row)
        row.name, row.name_en = name, name_en
        return row

    def grant(role, codes):
        for code in codes:
            if (role.code, code) in applied:
                continue
            if code not in role.permission_codes:
                role.grants.append(RolePermission(code=code))
            db.session.add(SeededGrant(role_code=role.code, code=code))
            applied.add((role.code, code))

    for entry in company.roles:
        undeclared = [code for code in entry.permissions if code not in erp.permissions]
        if undeclared:  # a disabled module's, or a typo: granted once a module declares it
            notes.append(f"{company.path}: role {entry.code} is granted {', '.join(undeclared)}, which no "
                         f"enabled module declares; granted once a module declaring it is enabled.")
        grant(role_row(entry.code, entry.name, entry.name_en),
              [code for code in entry.permissions if code in erp.permissions])
    # A template with a name declares a module's own role; one without adds to a company role.
    known = {entry.code for entry in company.roles}
    for _, template in erp.roles:
        if template.name and template.code not in known:
            role_row(template.code, str(template.name), str(template.description or ""))
    known |= {template.code for _, template in erp.roles if template.name}
    ungranted: dict[tuple, list] = {}     # (module, role) -> codes: one sentence each, whatever its parts
    for module, template in erp.roles:
        if template.code not in known:
            ungranted.setdefault((module, template.code), []).extend(template.permissions)
            continue
        grant(existing[template.code], template.permissions)
    for (module, role), codes in ungranted.items():
        notes.append(f"Module {module} grants {', '.join(dict.fromkeys(codes))} to role {role}, "
                     f"which {company.path} does not define: those grants are not applied.")
    db.session.flush()
    return notes


def seed_all(company: CompanyData | None = None) -> list[str]:
    """Seed the organisation and reference data of every enabled module; idempotent. Returns
    sentences about default grants that could not apply (see seed_roles)."""
    company = company or company_data()
    notes = seed_roles(company)
    seed_organisation(company)
    current_app.extensions["erp"].pm.hook.erp_seed_data(app=current_app._get_current_object())
    db.session.commit()
    return notes


def create_user(username: str, password: str, roles=(), full_name: str = "", position: str | None = None) -> User:
    user = User(username=username, full_name=full_name or username)
    user.set_password(password)
    user.roles = list(db.session.scalars(select(Role).where(Role.code.in_(list(roles)))))
    if position:
        pos = _one(Position, code=position)
        if pos is not None:
            user.department_id = pos.department_id
            db.session.add(UserPosition(user=user, position=pos))
    db.session.add(user)
    return user


def demo_password_file() -> Path:
    """Where the demo passwords of this app's database are kept: demo_passwords.txt for the embedded
    SQLite database, demo_passwords-<key>.txt for any other (keyed by its URL without password), so
    that a demo run against another database never overwrites the passwords of the first."""
    folder = Path(current_app.instance_path)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if url == default_database_url(current_app.instance_path):
        return folder / "demo_passwords.txt"
    key = hashlib.sha256(make_url(url).render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return folder / f"demo_passwords-{key}.txt"


def seed_demo_users(company: CompanyData | None = None) -> list[tuple[str, str, str]]:
    """Create the demo users (the admin, then the company file's) once; passwords are random,
    kept in the instance folder to reprint."""
    store = demo_password_file()
    known = dict(line.split("\t", 1) for line in store.read_text().splitlines() if "\t" in line) \
        if store.exists() else {}
    out = []
    for entry in (DEMO_ADMIN, *(company or company_data()).demo_users):
        if _one(User, username=entry.username) is None:
            password = secrets.token_urlsafe(8)
            create_user(entry.username, password, [entry.role], entry.full_name, entry.position)
            known[entry.username] = password
        out.append((entry.username, entry.role, known.get(entry.username, "(unchanged)")))
    db.session.commit()
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("".join(f"{u}\t{p}\n" for u, p in known.items()))
    store.chmod(0o600)
    return out
