"""Following documents and @mentioning colleagues: both reach people as notifications (通知).

- **Followers.** Anyone who may see a document can follow it (the detail page's Follow button,
  ``POST /api/v1/<module>/<type>/<id>/follow``); its owner follows it without asking, until he
  unfollows. Each transition (by hand, an approval, or carried by another change) notifies every
  follower except the one who acted, with the action's label and comment (:func:`transition_done`,
  called by core's ``erp_transition_done``). Someone who can no longer see the document is not
  told.
- **Mentions.** A comment naming a colleague as ``@name`` (his full name or user name; the comment
  box offers people as one types @) notifies him, once per comment, with a link to the document
  (:func:`add_comment`). The comment keeps the ids of the people it mentions. Someone who may not
  see the document is not told, and the author is told so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from .models import Comment, Follower

BODY_MAX = 5000


def may_see(doctype, doc, user) -> bool:
    """Whether `user` (active) may open `doc`, by the same rule as its pages."""
    if user is None or not user.active:
        return False
    from . import service
    M = doctype.model
    return db.session.scalar(service.visible(doctype, user, select(M.id)).where(M.id == doc.id)) is not None


def _row(doctype, doc, user_id):
    return db.session.scalar(select(Follower).where(
        Follower.doctype == doctype.code, Follower.doc_id == doc.id, Follower.user_id == user_id))


def is_following(doctype, doc, user) -> bool:
    row = _row(doctype, doc, user.id)
    return row.following if row is not None else user.id == doc.owner_id


def set_following(doctype, doc, user, following: bool) -> None:
    """Follow (or stop following) `doc` as `user`. Does not commit."""
    row = _row(doctype, doc, user.id)
    if row is None:
        row = Follower(doctype=doctype.code, doc_id=doc.id, user_id=user.id)
        db.session.add(row)
    row.following = following


def followers(doctype, doc) -> list:
    """The active users following `doc` (its owner unless he stopped), by name."""
    from ..auth.models import User
    rows = dict(db.session.execute(select(Follower.user_id, Follower.following).where(
        Follower.doctype == doctype.code, Follower.doc_id == doc.id)).all())
    ids = {uid for uid, on in rows.items() if on}
    if doc.owner_id is not None and rows.get(doc.owner_id, True):
        ids.add(doc.owner_id)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))
                                   .order_by(User.full_name, User.username)))


def _in_language(user):
    from ..i18n import normalise
    return force_locale(normalise(user.language or current_app.config.get("ERP_LANGUAGE", "zh_CN")))


def _url_context():
    from ..reminders import _url_context as context
    return context()


def _what(doctype, doc) -> str:
    return f"{doctype.label} {doc.number} {doc.title or ''}".strip()


def transition_done(document, transition, user, comment: str = "") -> int:
    """Tell `document`'s followers (not `user`, who acted) of `transition`; returns how many were
    told. Called inside the transition's transaction; does not commit."""
    from ..reminders import notify
    doctype = getattr(document, "__doctype__", None)
    if doctype is None or document.id is None:
        return 0
    for f in transition.fields:  # whoever the action names (the pre-sales lead, the bid lead) follows it
        named = getattr(document, f"{f.name}_id", None) if f.kind == "user" else None
        if named is not None and _row(doctype, document, named) is None:
            db.session.add(Follower(doctype=doctype.code, doc_id=document.id, user_id=named, following=True))
            db.session.flush()
    people = [p for p in followers(doctype, document) if p.id != getattr(user, "id", None)]
    if not people:
        return 0
    stamp = document.updated_at.isoformat() if document.updated_at else ""
    key = f"follow:{doctype.code}:{document.id}:{transition.name}:{stamp}"[:200]
    actor = getattr(user, "display_name", "") or ""
    told = 0
    with _url_context():
        url = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=document.id)
        for person in people:
            if not may_see(doctype, document, person):
                continue
            with _in_language(person):
                state = doctype.workflow.state_label(document.state) if doctype.workflow else document.state
                title = _("%(user)s: %(action)s — %(doc)s", user=actor, action=transition.label,
                          doc=_what(doctype, document))
                body = _("Now %(state)s.", state=state) + (f"\n{comment}" if comment else "")
            if notify(person.id, key, title, body, url) is not None:
                told += 1
    return told


# ---- mentions ---------------------------------------------------------------------------------
_ASCII_TAIL = re.compile(r"[A-Za-z0-9_.\-]$")


def mentioned(body: str, ids=()) -> list:
    """The active users `body` mentions as ``@full name`` or ``@username``, longest names first
    (``@张三丰`` is not ``@张三``); of namesakes, those in `ids` (what the comment box picked)."""
    from ..auth.models import User
    if "@" not in (body or ""):
        return []
    wanted = {int(i) for i in ids if str(i).isdigit()}
    people = db.session.scalars(select(User).where(User.active.is_(True))).all()
    names: dict[str, list] = {}
    for person in people:
        for name in {person.username, (person.full_name or "").strip()}:
            if name:
                names.setdefault(name, []).append(person)
    text, found = body, {}
    for name in sorted(names, key=len, reverse=True):
        token = "@" + name
        if token not in text:
            continue
        pattern = re.escape(token) + (r"(?![A-Za-z0-9_\-]|\.[A-Za-z0-9_])" if _ASCII_TAIL.search(name) else "")
        if not re.search(pattern, text):
            continue
        text = re.sub(pattern, " ", text)
        same = names[name]
        chosen = [p for p in same if p.id in wanted] or same
        for person in chosen:
            found[person.id] = person
    return list(found.values())


@dataclass
class Posted:
    comment: Comment
    told: list = field(default_factory=list)       # mentioned and notified
    not_told: list = field(default_factory=list)   # mentioned, but may not see the document


def add_comment(doctype, doc, author, body: str, mention_ids=()) -> Posted:
    """Add `author`'s comment to `doc` and notify the colleagues it mentions who may see it (once
    per comment and person). Does not commit."""
    from ..reminders import notify
    body = body.strip()[:BODY_MAX]
    people = [p for p in mentioned(body, mention_ids) if p.id != author.id]
    comment = Comment(doctype=doctype.code, doc_id=doc.id, body=body, author_id=author.id,
                      mentions=[p.id for p in people] or None)
    db.session.add(comment)
    db.session.flush()
    posted = Posted(comment)
    if not people:
        return posted
    with _url_context():
        url = url_for(f"{doctype.endpoint_prefix}_detail", doc_id=doc.id) + "#timeline"
        for person in people:
            if not may_see(doctype, doc, person):
                posted.not_told.append(person)
                continue
            with _in_language(person):
                title = _("%(user)s mentioned you — %(doc)s", user=author.display_name, doc=_what(doctype, doc))
            notify(person.id, f"mention:{comment.id}:{person.id}", title, body, url)
            posted.told.append(person)
    return posted


def people_matching(doctype, doc, query: str, limit: int = 10) -> list[dict]:
    """Active colleagues whose name or user name contains `query`, for the comment box's @ list:
    with whether each may see `doc` (someone who may not is not told)."""
    from ..auth.models import User
    stmt = select(User).where(User.active.is_(True))
    query = (query or "").strip()[:60]
    if query:
        like = f"%{query}%"
        stmt = stmt.where(User.full_name.ilike(like) | User.username.ilike(like))
    people = db.session.scalars(stmt.order_by(User.full_name, User.username).limit(limit)).all()
    items = [{"value": p.id, "text": p.display_name, "username": p.username,
              "sees": may_see(doctype, doc, p)} for p in people]
    return sorted(items, key=lambda item: not item["sees"])  # who may be told first
