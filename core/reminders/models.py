from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..documents.models import utcnow
from ..extensions import db


class Notification(db.Model):
    """One message in a user's in-app inbox (通知), created at most once per (user, key).

    Written by ``erp reminders send`` from the modules' reminders (and by ``notify()``). Not
    audited: notifications are derived from audited records, and reading one is not a business
    change.
    """
    __tablename__ = "notification"
    __audit__ = False
    __table_args__ = (
        UniqueConstraint("user_id", "key"),                       # uq_notification_user_id
        Index("ix_notification_user_read", "user_id", "read_at"),  # the navbar's unread count
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
