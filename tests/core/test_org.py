"""The organisation of SPEC.md 1.1-1.3, read by approval chains."""
from sqlalchemy import select

from core.auth.models import Role
from core.extensions import db
from core.org.models import Department, Position, UserPosition, department_managers, superiors
from core.org.company import load_company
from core.roles import ADMIN
from core.seed import create_user

# (code, Chinese name, English name, default permissions) of the handbook's roles.
ROLES = [(r.code, r.name, r.name_en, r.permissions) for r in load_company().roles] + [
    (ADMIN, "系统管理员", "System Administrator", ())]


def test_every_handbook_role_is_seeded_with_its_chinese_name(app):
    with app.app_context():
        names = dict(db.session.execute(select(Role.code, Role.name)).all())
    assert {code: name for code, name, _, _ in ROLES}.items() <= names.items()
    assert names["ROLE-MKT-AAM"] == "片区客户经理" and names["ROLE-ADMIN"] == "系统管理员"


def test_reporting_lines_follow_the_handbook(app):
    with app.app_context():
        pos = {p.code: p for p in db.session.scalars(select(Position))}
        assert pos["POS-ENG-MGR"].reports_to.code == "POS-MKT-DIR"      # C6
        assert pos["POS-PUR-MGR"].reports_to.code == "POS-MKT-DIR"      # C5 (position)
        dept = {d.code: d for d in db.session.scalars(select(Department))}
        assert dept["PUR"].parent.code == "GMO"                          # C5 (department)
        assert pos["POS-PS-MGR"].department.code == "MKT"                # C3


def test_superiors_and_department_managers_with_deputies(app):
    with app.app_context():
        director = create_user("director", "pw-12345678", ["ROLE-MKT-DIR"], position="POS-MKT-DIR")
        manager = create_user("manager", "pw-12345678", ["ROLE-MKT-MGR"], position="POS-MKT-MGR")
        deputy = create_user("deputy", "pw-12345678", ["ROLE-MKT-MGR"])
        seller = create_user("seller", "pw-12345678", ["ROLE-MKT-AM"], position="POS-MKT-AM")
        mgr_pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user=deputy, position=mgr_pos, is_deputy=True))
        db.session.commit()
        assert superiors(seller) == [manager]
        assert superiors(manager) == [director]
        mkt = db.session.scalar(select(Department).where(Department.code == "MKT"))
        assert set(department_managers(mkt)) == {manager, deputy}
        assert department_managers(mkt, include_deputies=False) == [manager]
        assert seller.department.code == "MKT"
        # A vacant head walks up to the parent department's head.
        manager.active = deputy.active = False
        db.session.commit()
        gm = create_user("gm", "pw-12345678", ["ROLE-GM"], position="POS-GM")
        db.session.commit()
        assert department_managers(mkt) == [gm]
