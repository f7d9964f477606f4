from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..documents.models import utcnow
from ..extensions import db


class ApprovalTask(db.Model):
    """One approver's part in one step of one round of a document's approval.

    Tasks are created when the document is submitted (approvers are fixed then). Status moves
    waiting -> open (its step is current) -> approved | rejected | skipped (the step completed
    without this approver, or the round ended).
    """
    __tablename__ = "approval_task"
    __table_args__ = (
        Index("ix_approval_task_doc", "doctype", "doc_id", "round"),
        Index("ix_approval_task_user_status", "user_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    doctype: Mapped[str] = mapped_column(String(80))
    doc_id: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    doc_title: Mapped[str] = mapped_column(String(200), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    step_index: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(String(60))
    step_label: Mapped[str] = mapped_column(String(120), default="")
    required: Mapped[int] = mapped_column(Integer, default=1)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # who opened the round
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def label(self) -> str:
        """The step's name in the reader's language: the workflow's step label while the step
        exists, else the text stored at submission (``step_label``, in the submitter's)."""
        from flask import current_app
        doctype = current_app.extensions["erp"].doctypes.get(self.doctype)
        steps = doctype.workflow.steps if doctype is not None and doctype.workflow is not None else ()
        step = next((s for s in steps if s.name == self.step_name), None)
        return str(step.label) if step is not None else self.step_label


class Delegation(db.Model):
    """While `from_user` is away, `to_user` approves in their place (both are audited)."""
    __tablename__ = "delegation"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    to_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(String(200), default="")

    from_user = relationship("User", foreign_keys=[from_user_id])
    to_user = relationship("User", foreign_keys=[to_user_id])


class Submission(db.Model):
    """A document handed to someone else's decision: who submitted it, from which state to which.

    Written by the engine for every submission (Workflow.is_submission); the next transition of
    the document closes it as decided, or its submitter withdraws it (RECALL) while it is open.
    Nobody takes a review (Transition(reviews=True)) of what he submitted.
    """
    __tablename__ = "workflow_submission"
    __table_args__ = (Index("ix_workflow_submission_doc", "doctype", "doc_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doctype: Mapped[str] = mapped_column(String(80))
    doc_id: Mapped[int] = mapped_column(Integer)
    transition: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")   # open | decided | withdrawn
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
