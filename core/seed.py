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
from .org.models import Company, Department, Position, UserPosition
from .roles import DEPARTMENTS, POSITIONS, ROLES

COMPANY = ("天盈隆数码技术(深圳)有限公司", "Tianyinglong Digital Technology (Shenzhen) Co., Ltd.")

# One demo user per role: (username, full name, role, position)
DEMO_USERS = [
    ("admin", "系统管理员", "ROLE-ADMIN", None),
    ("gm", "王总", "ROLE-GM", "POS-GM"),
    ("mkt_dir", "李总监", "ROLE-MKT-DIR", "POS-MKT-DIR"),
    ("mkt_mgr", "张经理", "ROLE-MKT-MGR", "POS-MKT-MGR"),
    ("aam", "陈片区", "ROLE-MKT-AAM", "POS-MKT-AAM"),
    ("am", "刘客户", "ROLE-MKT-AM", "POS-MKT-AM"),
    ("ps_mgr", "赵售前", "ROLE-PS-MGR", "POS-PS-MGR"),
    ("pse", "孙工", "ROLE-MKT-PSE", "POS-MKT-PSE"),
    ("mkt_ast", "周助理", "ROLE-MKT-AST", "POS-MKT-AST"),
    ("eng_mgr", "吴经理", "ROLE-ENG-MGR", "POS-ENG-MGR"),
    ("pe", "郑工", "ROLE-ENG-PE", "POS-ENG-PE"),
    ("pur_mgr", "冯经理", "ROLE-PUR-MGR", "POS-PUR-MGR"),
    ("buyer", "何采购", "ROLE-PUR-BUY", "POS-PUR-BUY"),
    ("adm", "许行政", "ROLE-ADM", "POS-ADM"),
    ("fin", "吕财务", "ROLE-FIN", "POS-FIN"),
]


def _one(model, **by):
    return db.session.scalar(select(model).filter_by(**by))


def seed_organisation() -> None:
    if _one(Company) is None:
        db.session.add(Company(name=COMPANY[0], name_en=COMPANY[1]))
    depts = {}
    for code, name, name_en, parent in DEPARTMENTS:
        dept = _one(Department, code=code) or Department(code=code, name=name, name_en=name_en)
        dept.parent = depts.get(parent)
        db.session.add(dept)
        depts[code] = dept
    db.session.flush()
    roles = {r.code: r for r in db.session.scalars(select(Role))}
    positions = {}
    for code, name, dept, reports_to, role, heads in POSITIONS:
        pos = _one(Position, code=code)
        if pos is None:
            pos = Position(code=code, name=name, department=depts[dept], is_head=bool(heads),
                           reports_to=positions.get(reports_to), role=roles.get(role))
            db.session.add(pos)
        positions[code] = pos
    db.session.flush()


def seed_roles() -> None:
    """Create roles from every module's templates and apply default grants not applied before."""
    erp = current_app.extensions["erp"]
    existing = {r.code: r for r in db.session.scalars(select(Role))}
    names_en = {code: en for code, _, en, _ in ROLES}
    applied = {(s.role_code, s.code) for s in db.session.scalars(select(SeededGrant))}
    for _, template in erp.roles:
        role = existing.get(template.code)
        if role is None:
            role = Role(code=template.code, name=str(template.name or template.code),
                        name_en=names_en.get(template.code, str(template.description or "")),
                        description=str(template.description or ""))
            db.session.add(role)
            existing[template.code] = role
        for code in template.permissions:
            if (template.code, code) in applied:
                continue
            if code not in role.permission_codes:
                role.grants.append(RolePermission(code=code))
            db.session.add(SeededGrant(role_code=template.code, code=code))
            applied.add((template.code, code))
    db.session.flush()


def seed_all() -> None:
    seed_roles()
    seed_organisation()
    current_app.extensions["erp"].pm.hook.erp_seed_data(app=current_app._get_current_object())
    db.session.commit()


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


def seed_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users once; passwords are random, kept in the instance folder to reprint."""
    store = demo_password_file()
    known = dict(line.split("\t", 1) for line in store.read_text().splitlines() if "\t" in line) \
        if store.exists() else {}
    out = []
    for username, full_name, role, position in DEMO_USERS:
        user = _one(User, username=username)
        if user is None:
            password = secrets.token_urlsafe(8)
            create_user(username, password, [role], full_name, position)
            known[username] = password
        out.append((username, role, known.get(username, "(unchanged)")))
    db.session.commit()
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("".join(f"{u}\t{p}\n" for u, p in known.items()))
    store.chmod(0o600)
    return out
