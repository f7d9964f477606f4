from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class RuleViolation(db.Model):
    """A rule that refused, warned or saw its deadline missed, against a person, about a document.

    Kept when the rule's module is disabled (its rows are then not listed). Waiving keeps the
    row and says who waived it, when and why.
    """
    __tablename__ = "rule_violation"
    __table_args__ = (
        Index("ix_rule_violation_rule_code_occurred_at", "rule_code", "occurred_at"),
        Index("ix_rule_violation_user_id_occurred_at", "user_id", "occurred_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))              # refused | warned | deadline_missed
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    doctype: Mapped[str] = mapped_column(String(80), default="")
    doc_id: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    details: Mapped[str] = mapped_column(Text, default="")
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    waived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    waive_reason: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User", foreign_keys=[user_id])
    waived_by = relationship("User", foreign_keys=[waived_by_id])
