"""What waits for a person, derived from the workflow declarations (the inbox, 待我处理).

Two kinds of waiting reach a person without a document type registering anything:

- approvals: the open approval tasks of the steps he approves (engine.waiting_for);
- other people's steps: a document waits in a state for whoever may take one of its steps
  forward (Transition.is_step_forward: a review, a reading, a signature, an acceptance). It
  reaches those who hold the step's permission and may see the document, unless its owner holds
  that permission too: then the step is the author's own (a draft to submit), not a hand-over;
  a review (Transition.reviews) always waits for others, never for its owner or submitter.
  A step with assignees (Transition.assignees, e.g. a project's engineer) waits for the people
  those columns name, and for nobody else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select

from ..auth.models import RolePermission, user_roles
from ..documents import service
from ..extensions import db

LIMIT = 200


@dataclass(frozen=True)
class Waiting:
    """One document waiting for the person: its type, row and the steps he may take."""
    doctype: object
    doc_id: int
    number: str
    title: str
    state: str
    since: datetime
    owner_name: str
    steps: tuple          # the transitions' labels

    @property
    def state_label(self):
        return self.doctype.workflow.state_label(self.state)


def waiting_steps(doctype) -> dict[str, list]:
    """state -> the transitions forward out of it that someone other than the author takes."""
    steps: dict[str, list] = {}
    for transition in doctype.workflow.transitions if doctype.workflow else ():
        if transition.is_step_forward and transition.kind != "approve":
            # From its own target it moves nothing on (a re-assignment): nothing waits for it there.
            for state in transition.source:
                if state != transition.target:
                    steps.setdefault(state, []).append(transition)
    return steps


def _holds(user_id_column, permission: str):
    """SQL: the user in `user_id_column` holds `permission` through one of his roles."""
    return exists().where(user_roles.c.user_id == user_id_column,
                          RolePermission.role_id == user_roles.c.role_id, RolePermission.code == permission)


def _clause(doctype, user):
    """SQL: a document of `doctype` waits for `user`; None when nothing of the type can."""
    M = doctype.model
    granted = user.permissions
    from .models import Submission
    # Not what he submitted himself: a review of it is someone else's (Transition.reviews).
    own = exists().where(Submission.doctype == doctype.code, Submission.doc_id == M.id,
                         Submission.user_id == user.id, Submission.status == "open")
    not_his = and_(M.owner_id != user.id, ~own)
    alternatives = []
    for state, transitions in waiting_steps(doctype).items():
        for transition in transitions:
            permission = doctype.transition_permission(transition)
            if permission not in granted:
                continue
            if transition.assignees:
                alternatives.append(and_(M.state == state, or_(*(getattr(M, column) == user.id
                                                                 for column in transition.assignees))))
            elif transition.reviews:    # never the author's own step, whatever he may do
                alternatives.append(and_(M.state == state, not_his))
            else:
                alternatives.append(and_(M.state == state, ~_holds(M.owner_id, permission), not_his))
    if not alternatives:
        return None
    return or_(*alternatives)


def _doctypes():
    return [d for d in current_app.extensions["erp"].doctypes.values() if d.workflow is not None]


def waiting_documents(user, limit: int = LIMIT) -> list[Waiting]:
    """The documents waiting for `user`'s step, newest change first (one query per document type
    whose steps he may take)."""
    from ..auth.models import User
    rows = []
    for doctype in _doctypes():
        clause = _clause(doctype, user)
        if clause is None:
            continue
        M = doctype.model
        stmt = service.visible(doctype, user, select(M.id, M.number, M.title, M.state, M.updated_at, User.display_name.label("owner_name"))
                               .outerjoin(User, User.id == M.owner_id)).where(clause)
        for row in db.session.execute(stmt.order_by(M.updated_at.desc(), M.id.desc()).limit(limit)):
            labels = tuple(t.label for t in waiting_steps(doctype)[row.state]
                           if t.kind != "approve" and user.can(doctype.transition_permission(t)))
            rows.append(Waiting(doctype, row.id, row.number, row.title or "", row.state, row.updated_at,
                                row.owner_name or "", labels))
    rows.sort(key=lambda w: (w.since is not None, w.since), reverse=True)
    return rows[:limit]


def waiting_count(user, cap: int = 100) -> int:
    """How many documents wait for `user`'s step, counting at most `cap` of each type (a badge
    says "99+", it never counts a whole table)."""
    total = 0
    for doctype in _doctypes():
        clause = _clause(doctype, user)
        if clause is None:
            continue
        M = doctype.model
        capped = service.visible(doctype, user, select(M.id)).where(clause).limit(cap).subquery()
        total += db.session.scalar(select(func.count()).select_from(capped)) or 0
    return total



