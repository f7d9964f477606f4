"""The Document mixin and the tables every document type shares (numbering, attachments, comments)."""
from datetime import datetime, timezone

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db


def utcnow():
    return datetime.now(timezone.utc)


def _current_user_id():
    if has_request_context():
        from flask_login import current_user
        if current_user and current_user.is_authenticated:
            return current_user.id
    user = g.get("audit_user") if g else None
    return user.id if user is not None else None


class _DocTypeOf:
    """The model's DocType in the current app (another module's extensions make it differ from
    one app to another), else the last one declared."""

    def __get__(self, doc, owner):
        if has_app_context():
            found = current_app.extensions["erp"].doctype_by_model.get(owner)
            if found is not None:
                return found
        return owner.__dict__.get("_declared_doctype")


class Document:
    """Mixin for business records: number, title, state, owner, department, who/when, version.

    The version column makes every UPDATE conditional on the version read, so two people saving
    or transitioning the same document at once cannot both succeed (the loser gets a conflict).
    Submitted documents are cancelled (state ``cancelled``), never deleted.
    """
    __doctype__ = _DocTypeOf()

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("user.id"), default=_current_user_id)

    @declared_attr
    def department_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("department.id"))

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id"), default=_current_user_id)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id"), default=_current_user_id, onupdate=_current_user_id)

    @declared_attr
    def owner(cls):
        return relationship("User", foreign_keys=[cls.owner_id], lazy="joined", innerjoin=False)

    @declared_attr
    def department(cls):
        return relationship("Department", foreign_keys=[cls.department_id])

    @property
    def overdue(self) -> bool:
        """Past its type's Deadline at the company's clock, in a state in which it still runs."""
        deadline = self.__doctype__.deadline if self.__doctype__ is not None else None
        if deadline is None:
            return False
        from ..calendar_today import now
        return deadline.is_overdue(self, now())

    @property
    def owner_name(self) -> str:  # as list pages' plain rows have it (service.page)
        return self.owner.display_name if self.owner is not None else ""

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}

    @declared_attr.directive
    def __table_args__(cls):
        name = cls.__tablename__
        return (
            UniqueConstraint("number", name=f"uq_{name}_number"),
            Index(f"ix_{name}_state_id", "state", "id"),
            Index(f"ix_{name}_owner_id_id", "owner_id", "id"),
            Index(f"ix_{name}_department_id_id", "department_id", "id"),
            Index(f"ix_{name}_created_at", "created_at"),
            *cls.__table_extra__,
        )

    # A type's own constraints and indexes, kept beside the mixin's (``__table_args__`` would
    # replace them): ``__table_extra__ = (UniqueConstraint("owner_id", "visit_date"),)``.
    __table_extra__ = ()

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class NumberSequence(db.Model):
    """Numbering per document type: prefix + period + counter, e.g. XM-2026-0001."""
    __tablename__ = "number_sequence"
    code: Mapped[str] = mapped_column(String(80), primary_key=True)   # the document type's code
    prefix: Mapped[str] = mapped_column(String(20))
    reset: Mapped[str] = mapped_column(String(10), default="yearly")  # yearly | monthly | never
    padding: Mapped[int] = mapped_column(Integer, default=4)


class SequenceCounter(db.Model):
    __tablename__ = "sequence_counter"
    __audit__ = False  # a counter bump is not a user action; the document insert is audited
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)  # "2026", "2026-11" or ""
    value: Mapped[int] = mapped_column(Integer, default=0)


class Attachment(db.Model):
    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_doc", "doctype", "doc_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doctype: Mapped[str] = mapped_column(String(80))
    doc_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(80))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    uploaded_by = relationship("User")


class Comment(db.Model):
    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_doc", "doctype", "doc_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doctype: Mapped[str] = mapped_column(String(80))
    doc_id: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The ids of the colleagues it @mentions (core.documents.following.mentioned), as written.
    mentions: Mapped[list | None] = mapped_column(JSON)

    author = relationship("User")


class SavedView(db.Model):
    """A user's way of looking at a document type's list: his settings (``name`` empty: the
    columns he chose and his page size), or a saved filter (a favourite: the list's filters and
    sort as a query string, under a name, for him or shared with everyone who may open the list)."""
    __tablename__ = "saved_view"
    __audit__ = False  # how someone looks at a list is not a change of the company's records
    __table_args__ = (UniqueConstraint("user_id", "doctype", "name", name="uq_saved_view_user_id_doctype_name"),
                      Index("ix_saved_view_doctype_shared", "doctype", "shared"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    doctype: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(100), default="")
    query: Mapped[str] = mapped_column(Text, default="")        # a favourite's filters and sort
    columns: Mapped[str] = mapped_column(Text, default="")      # settings: column names, comma-separated
    page_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Follower(db.Model):
    """Who follows a document (is told of its transitions, core.documents.following).

    The owner follows his documents without a row; a row with ``following`` false is someone
    (the owner too) who stopped following. Not audited: following is not a change of the
    document.
    """
    __tablename__ = "document_follower"
    __audit__ = False
    __table_args__ = (UniqueConstraint("doctype", "doc_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doctype: Mapped[str] = mapped_column(String(80))
    doc_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
