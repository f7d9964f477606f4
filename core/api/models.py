import hashlib
import secrets
from datetime import datetime, timezone

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..documents.models import utcnow
from ..extensions import db


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A personal bearer token; only its hash is stored, the token is shown once at creation."""
    __tablename__ = "api_token"
    __audit_redact__ = ("token_hash",)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None: until revoked

    user = relationship("User")

    @classmethod
    def issue(cls, user, name: str, expires_at: datetime | None = None) -> tuple["ApiToken", str]:
        token = "erp_" + secrets.token_urlsafe(32)
        return cls(user_id=user.id, name=name, prefix=token[:10], token_hash=hash_token(token),
                   expires_at=expires_at), token

    def alive(self, now: datetime) -> bool:
        expires = self.expires_at
        if expires is not None and expires.tzinfo is None:  # SQLite keeps UTC without its zone
            expires = expires.replace(tzinfo=timezone.utc)
        return self.revoked_at is None and (expires is None or expires > now)
