from datetime import datetime, timezone

from flask import current_app
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table, func, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db


def utcnow():
    return datetime.now(timezone.utc)


user_roles = Table(
    "user_role", db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class RolePermission(db.Model):
    __tablename__ = "role_permission"
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(120), primary_key=True)


class Role(db.Model):
    __tablename__ = "role"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    grants: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def permission_codes(self) -> set[str]:
        return {p.code for p in self.grants}

    def label(self, locale: str = "zh") -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name

    def __str__(self):
        return self.name


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __audit_redact__ = ("password_hash",)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(10), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Loaded when used: a request needs only the cached access (core.auth.access), not these.
    roles: Mapped[list[Role]] = relationship(secondary=user_roles)
    department = relationship("Department")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """What the session and remember-me cookies carry: this sign-in's session key
        (core.auth.sessions.start), never the bare user id."""
        return getattr(self, "session_key", None) or ""

    # The same person is the same id. (UserMixin compares get_id(), the session key, which users
    # met outside a sign-in -- an API token, a job -- do not have: they would all be equal.)
    def __eq__(self, other):
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = object.__hash__      # one instance per row in a session (SQLAlchemy's identity map)

    def set_password(self, password: str) -> None:
        method = current_app.config.get("ERP_PASSWORD_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def permissions(self) -> frozenset[str]:
        """Granted codes that an enabled module declares (a disabled module's grants are inert)."""
        from .access import access_of
        return access_of(self).permissions

    def can(self, code: str) -> bool:
        return code in self.permissions

    def has_role(self, code: str) -> bool:
        from .access import access_of
        return code in access_of(self).roles

    @hybrid_property
    def display_name(self) -> str:
        return self.full_name or self.username

    @display_name.inplace.expression
    @classmethod
    def _display_name(cls):  # the same in SQL: list pages read owners' names with their rows
        return func.coalesce(func.nullif(cls.full_name, ""), cls.username)

    def __str__(self):
        return self.display_name


class AnonymousUser(AnonymousUserMixin):
    """Not signed in: holds no permission, so every check simply says no."""
    id = None
    department_id = None
    language = ""
    permissions = frozenset()
    display_name = ""

    def can(self, code: str) -> bool:
        return False

    def has_role(self, code: str) -> bool:
        return False


def users_with_roles(*codes) -> list:
    """Active users holding any of the role codes, by username (approvers, pickers in forms)."""
    from ..extensions import db
    return list(db.session.scalars(select(User).join(user_roles).join(Role).where(
        Role.code.in_(codes), User.active.is_(True)).order_by(User.username).distinct()))
