"""Company, departments, positions and reporting lines (SPEC 1.1-1.3).

Approval chains read these through the helpers below, whichever modules are enabled.
"""
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Company(db.Model):
    __tablename__ = "company"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")


class Department(db.Model):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))

    parent = relationship("Department", remote_side=[id])
    positions = relationship("Position", back_populates="department", lazy="selectin")

    @property
    def head_position(self):
        """The position heading the department; its holder approves as "department manager"."""
        return next((p for p in self.positions if p.is_head), None)

    def __str__(self):
        return self.name


class Position(db.Model):
    __tablename__ = "position"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)

    department = relationship("Department", back_populates="positions")
    reports_to = relationship("Position", remote_side=[id])
    role = relationship("Role")
    holders = relationship("UserPosition", back_populates="position", lazy="selectin")

    def __str__(self):
        return self.name


class UserPosition(db.Model):
    """A user holding a position, as its incumbent or as a deputy (副经理 / acting)."""
    __tablename__ = "user_position"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    is_deputy: Mapped[bool] = mapped_column(Boolean, default=False)

    user = relationship("User", backref="position_links")
    position = relationship("Position", back_populates="holders")


def holders(position, include_deputies: bool = False) -> list:
    return [link.user for link in position.holders
            if link.user.active and (include_deputies or not link.is_deputy)]


def in_department(user, code: str) -> bool:
    """Whether `user`'s own department is `code` (not one under it: 工程部 reports to the 市场部)."""
    department = getattr(user, "department", None)
    return department is not None and department.code == code


def superiors(user) -> list:
    """Holders of the positions that `user`'s positions report to (approval chain step 1)."""
    found = []
    for link in getattr(user, "position_links", []):
        boss = link.position.reports_to
        if boss is not None:
            found.extend(u for u in holders(boss) if u not in found)
    return found


def department_managers(department, include_deputies: bool = True) -> list:
    """Whoever heads `department` (and its deputies), walking up to a parent if vacant."""
    while department is not None:
        if department.head_position is not None:
            people = holders(department.head_position, include_deputies)
            if people:
                return people
        department = department.parent
    return []


def team_of(user) -> list:
    """The active people whose work `user` oversees: the holders of the positions reporting to his,
    all the way down the reporting lines, and the members of the departments he heads who hold no
    position at all. Not those above or beside him, nor himself; sorted by name."""
    from sqlalchemy import select
    from ..auth.models import User
    from ..extensions import db
    links = db.session.scalars(select(UserPosition).where(UserPosition.user_id == user.id)).all()
    own = {link.position_id for link in links}
    headed = {link.position.department_id for link in links if link.position.is_head}
    below, found = set(), set(own)
    while found:  # the reporting lines, downwards
        found = set(db.session.scalars(select(Position.id).where(Position.reports_to_id.in_(found)))) - own - below
        below |= found
    placed = select(UserPosition.user_id)
    people = db.session.scalars(select(User).where(
        User.active.is_(True), User.id != user.id,
        User.id.in_(select(UserPosition.user_id).where(UserPosition.position_id.in_(below)))
        | (User.department_id.in_(headed) & User.id.not_in(placed)))).all()
    return sorted(people, key=lambda u: u.display_name)
