"""Core's models, imported together so metadata and migrations see all of them."""
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from .audit.models import AuditEntry
from .auth.models import Role, RolePermission, User
from .calendar import CalendarDay
from .extensions import db
from .org.models import Company, Department, Position, UserPosition
from .settings import SettingValue
from .signals import CacheSignal


class ModuleState(db.Model):
    """The admin's on/off switch per module; absent means on."""
    __tablename__ = "module_state"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class SeededGrant(db.Model):
    """Default grants already applied once, so re-seeding never re-adds what the admin revoked."""
    __tablename__ = "seeded_grant"
    role_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(120), primary_key=True)


CORE_MODELS = [SeededGrant, User, Role, RolePermission, Company, Department, Position, UserPosition,
               AuditEntry, ModuleState]
CORE_MODELS += [SettingValue, CalendarDay, CacheSignal]

from .parties.models import PARTY_MODELS  # noqa: E402

CORE_MODELS += PARTY_MODELS

from .documents.models import (  # noqa: E402
    Attachment,
    Comment,
    Follower,
    NumberSequence,
    SavedView,
    SequenceCounter,
)
from .workflow.models import ApprovalTask, Delegation, Submission  # noqa: E402

CORE_MODELS += [NumberSequence, SequenceCounter, Attachment, Comment, Follower, ApprovalTask, Delegation, Submission, SavedView]

from .api.models import ApiToken  # noqa: E402

CORE_MODELS += [ApiToken]

from .reminders.models import Notification  # noqa: E402

CORE_MODELS += [Notification]

from .auth.sessions import UserSession  # noqa: E402
from .auth.throttle import LoginThrottle  # noqa: E402

CORE_MODELS += [UserSession, LoginThrottle]

from .rules.models import RuleViolation  # noqa: E402

CORE_MODELS += [RuleViolation]
