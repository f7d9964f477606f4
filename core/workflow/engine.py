"""Performing transitions: checks, approvals, state change, audit, events, in one transaction."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from .. import rules
from ..audit import log as audit
from ..auth.models import User
from ..calendar_today import today
from ..extensions import db
from . import Issue, Transition
from .models import ApprovalTask, Delegation, Submission


class TransitionRefused(Exception):
    """The transition may not happen; `issues` says why, in the user's language."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(i.message for i in issues))


class Conflict(Exception):
    """Someone else changed the document first; reload and try again."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Someone else changed this document in the meantime. "
                                      "Reload it to see the current state, then try again."))


def _conflict_naming_who_acted(doctype, document_id) -> Conflict:
    """A Conflict naming who changed the document last and its state now, read afresh (after a
    rollback, or under the document's lock)."""
    M = doctype.model
    row = db.session.execute(select(User.display_name, M.state).join(User, User.id == M.updated_by_id)
                             .where(M.id == document_id)).first()
    if row is None:
        return Conflict()
    return Conflict(_("%(user)s acted on this document first; it is now %(state)s. "
                      "Reload it to see the current state, then try again.",
                      user=row.display_name, state=str(doctype.workflow.state_label(row.state))))


def _as_issues(results) -> list[Issue]:
    issues = []
    for item in results or []:
        issues.append(item if isinstance(item, Issue) else Issue(str(item)))
    return issues


def acting_for(user) -> list[int]:
    """The user and everyone who delegated their approvals to them today."""
    day = today()
    ids = db.session.scalars(select(Delegation.from_user_id).where(
        Delegation.to_user_id == user.id, Delegation.active.is_(True),
        Delegation.starts_on <= day, Delegation.ends_on >= day)).all()
    return [user.id, *ids]


def current_round(doctype, document) -> int:
    return db.session.scalar(select(db.func.max(ApprovalTask.round)).where(
        ApprovalTask.doctype == doctype.code, ApprovalTask.doc_id == document.id)) or 0


def tasks(doctype, document, round_: int | None = None) -> list[ApprovalTask]:
    round_ = current_round(doctype, document) if round_ is None else round_
    # As they are now in the database, not as an earlier read of this session left them.
    return db.session.scalars(select(ApprovalTask).where(
        ApprovalTask.doctype == doctype.code, ApprovalTask.doc_id == document.id,
        ApprovalTask.round == round_).order_by(ApprovalTask.step_index, ApprovalTask.id)
        .execution_options(populate_existing=True)).all()


def my_open_tasks(doctype, document, user) -> list[ApprovalTask]:
    """The open tasks `user` may decide, his own and his delegators'; none on a document he owns
    or submitted (unless the workflow allows self-approval)."""
    if not document.id:
        return []
    people = acting_for(user)
    round_tasks = tasks(doctype, document)
    mine = [t for t in round_tasks if t.status == "open" and t.user_id in people]
    return [] if mine and _own_document(doctype, document, user, round_tasks) else mine


def _own_document(doctype, document, user, round_tasks) -> bool:
    """Whether `user` owns `document` or submitted its current round, so that he may not approve
    it in anyone's name."""
    if doctype.workflow.allow_self_approval:
        return False
    return user.id == document.owner_id or any(t.submitted_by_id == user.id for t in round_tasks)


def last_submission(doctype, document) -> Submission | None:
    """The document's latest submission that was not withdrawn, as it is in the database."""
    if not document.id:
        return None
    return db.session.scalar(select(Submission).where(
        Submission.doctype == doctype.code, Submission.doc_id == document.id, Submission.status != "withdrawn")
        .order_by(Submission.id.desc()).limit(1).execution_options(populate_existing=True))


def _reviews_own(doctype, document, user) -> bool:
    """Whether `user` owns, created or last submitted `document`, so that he may not review it."""
    if doctype.workflow.allow_self_approval:
        return False
    if user.id in (document.owner_id, getattr(document, "created_by_id", None)):
        return True
    # The submission that brought it to the state it is reviewed in (not an earlier round's).
    submission = last_submission(doctype, document)
    return submission is not None and submission.user_id == user.id and submission.to_state == document.state


def withdrawable(doctype, document, user) -> Submission | None:
    """The open submission `user` may withdraw: his own, the document still where it put it,
    nothing decided since (no transition taken after it, no approval recorded)."""
    submission = last_submission(doctype, document)
    if submission is None or submission.status != "open" or submission.user_id != user.id:
        return None
    if document.state != submission.to_state:
        return None
    return submission


def _allowed(doctype, transition: Transition, document, user) -> bool:
    if transition.automatic:  # follows from another document (engine.carry), nobody takes it
        return False
    if transition.kind == "recall":
        return withdrawable(doctype, document, user) is not None
    if document.state not in transition.source:
        return False
    if transition.when is not None and not transition.when(document):
        return False
    if transition.kind in ("approve", "reject"):
        return bool(my_open_tasks(doctype, document, user))
    if transition.reviews and _reviews_own(doctype, document, user):
        return False
    return user.can(doctype.transition_permission(transition))


def available(doctype, document, user) -> list[Transition]:
    """Transitions `user` may try now (conditions are checked when performed)."""
    if doctype.workflow is None:
        return []
    return [t for t in doctype.workflow.transitions if _allowed(doctype, t, document, user)]


def check(doctype, document, transition: Transition, user, comment: str = "") -> list[Issue]:
    """Everything that stands in the way, as sentences; empty means the transition may go ahead."""
    return [i for i in _objections(doctype, document, transition, user, comment) if i.blocking]


def _objections(doctype, document, transition: Transition, user, comment: str) -> list[Issue]:
    """Every issue raised against the transition, the warnings (not blocking) included."""
    issues: list[Issue] = []
    if transition.kind == "recall":
        if withdrawable(doctype, document, user) is None:
            return [Issue(_("Only whoever submitted this document may withdraw it, and only until "
                            "someone has acted on it."))]
        return []
    if document.state not in transition.source:
        return [Issue(_("This action is not possible while the document is %(state)s.",
                        state=doctype.workflow.state_label(document.state)))]
    if transition.when is not None and not transition.when(document):
        return [Issue(_("This action does not apply to this document."))]
    if not _allowed(doctype, transition, document, user):
        if transition.kind in ("approve", "reject"):
            if _own_document(doctype, document, user, tasks(doctype, document)):
                return [Issue(_("You cannot decide on a document you own or submitted, "
                                "not even for someone who delegated their approvals to you."))]
            return [Issue(_("You are not an approver of the current step."))]
        if transition.reviews and user.can(doctype.transition_permission(transition)) \
                and _reviews_own(doctype, document, user):
            return [Issue(_("You cannot review a document you own, created or submitted: “%(action)s” "
                            "is for someone else.", action=transition.label))]
        return [Issue(_("You do not have permission to %(action)s this document.", action=transition.label))]
    if transition.comment_required and not (comment or "").strip():
        issues.append(Issue(_("A comment is required for this action."), field="comment"))
    for condition in transition.conditions:
        issues.extend(_as_issues(condition(document, user)))
    pm = current_app.extensions["erp"].pm
    for result in pm.hook.erp_validate_transition(document=document, transition=transition, user=user):
        issues.extend(_as_issues(result))
    issues.extend(Issue(_("“%(field)s” is required.", field=f.label), field=f.attributes[0])
                  for f in transition.fields if f.required and f.is_empty(document))  # the action's input
    if doctype.fields:  # declared fields the target state requires (SPEC's A and C)
        from ..documents.fields import missing_for
        issues.extend(Issue(reason, field=f.attributes[0]) for f, reason in missing_for(doctype, document, transition.target_from(document.state)))
    if transition.kind == "submit":
        issues.extend(_plan_problems(doctype, document, user))
    return issues


def _plan(doctype, document, submitter):
    """The approval steps that apply to `document` and who may approve each (fixed at submit):
    neither its owner nor the one submitting it."""
    wf = doctype.workflow
    plan = []
    for index, step in enumerate(wf.steps):
        if step.when is not None and not step.when(document):
            continue
        users = [u for u in step.approvers.users(document) if u.active]
        if not wf.allow_self_approval:
            users = [u for u in users if u.id not in (document.owner_id, submitter.id)]
        plan.append((index, step, users))
    return plan


def _plan_problems(doctype, document, submitter) -> list[Issue]:
    return [Issue(_("No one can approve the step “%(step)s” (self-approval is not allowed).", step=step.label))
            for _index, step, users in _plan(doctype, document, submitter) if not users]


def perform(doctype, document, name: str, user, comment: str = "", expected_version: int | None = None):
    """Perform transition `name`; commits. Raises TransitionRefused, or Conflict naming who acted
    first when someone else changed the document meanwhile (nothing saved either way)."""
    wf = doctype.workflow
    transition = wf.transition(name) if wf else None
    if transition is None:
        raise TransitionRefused([Issue(_("Unknown action."))])
    document_id, user_id = document.id, user.id
    try:
        return _perform(doctype, document, transition, user, comment, expected_version)
    except (Conflict, StaleDataError):
        db.session.rollback()
        raise _conflict_naming_who_acted(doctype, document_id) from None
    except TransitionRefused as refused:
        if any(i.code for i in refused.issues):
            # Nothing of the refused attempt is kept, but the refusal by a rule is.
            db.session.rollback()
            rules.record_issues("refused", refused.issues, user_id=user_id, document=document)
            db.session.commit()
        raise


def _perform(doctype, document, transition: Transition, user, comment: str, expected_version: int | None):
    _lock(doctype, document)
    if expected_version is not None and expected_version != document.version:
        raise Conflict()
    issues = _objections(doctype, document, transition, user, comment)
    refusals = [i for i in issues if i.blocking]
    if refusals:
        if _overtaken(doctype, document, transition, user):
            raise Conflict()
        raise TransitionRefused(refusals)
    before = document.state
    step_info = {}
    if transition.kind == "recall":
        target = _recall(doctype, document, user)
    elif transition.kind == "submit":
        target = _submit(doctype, document, transition, user)
    elif transition.kind == "approve":
        target, step_info = _decide(doctype, document, transition, user, comment, approve=True)
    elif transition.kind == "reject":
        target, step_info = _decide(doctype, document, transition, user, comment, approve=False)
    else:
        target = transition.target_from(before)
    if transition.kind != "recall":
        _note_submission(doctype, document, transition, before, target, user)
    document.state = target
    # Touch the row even when the state stays (an intermediate approval): the version check then
    # makes concurrent actions on the same document conflict instead of interleaving.
    document.updated_at = datetime.now(timezone.utc)
    audit.record(db.session, "transition", document.__tablename__, document.id,
                 {"transition": transition.name, "from": before, "to": target,
                  "comment": comment or "", **step_info})
    rules.record_issues("warned", issues, user_id=user.id, document=document)
    db.session.flush()
    current_app.extensions["erp"].pm.hook.erp_transition_done(
        document=document, transition=transition, user=user, comment=comment or "")
    db.session.commit()
    return target


def carry(document, name: str, user, because: str = "") -> str:
    """Move `document` along its workflow's transition `name` as the consequence of another
    change in this transaction (a weekly bundle reported bundles the week's visit logs): no
    permission, condition or comment check (the change causing it was checked), audited like a
    transition with `because` as its comment, erp_transition_done called; not committed. Refused
    (TransitionRefused) when the document is not in one of the transition's source states, so a
    state is never written past its workflow. A submission (kind ``submit``) carried plans its
    approval steps as the submit button does (``user`` is the submitter); ask ``check()`` first
    if someone must be able to approve it."""
    doctype = document.__doctype__
    transition = doctype.workflow.transition(name) if doctype.workflow else None
    if transition is None:
        raise TransitionRefused([Issue(_("Unknown action."))])
    if document.state not in transition.source:
        raise TransitionRefused([Issue(_("This action is not possible while the document is %(state)s.",
                                         state=doctype.workflow.state_label(document.state)))])
    before = document.state
    target = _submit(doctype, document, transition, user) if transition.kind == "submit" \
        else transition.target_from(before)
    _note_submission(doctype, document, transition, before, target, user)
    document.state = target
    document.updated_at = datetime.now(timezone.utc)
    audit.record(db.session, "transition", document.__tablename__, document.id,
                 {"transition": name, "from": before, "to": target, "comment": because})
    current_app.extensions["erp"].pm.hook.erp_transition_done(document=document, transition=transition, user=user,
                                                              comment=because)
    return target


def _lock(doctype, document):
    """Wait until no other transition of `document` is under way, and raise Conflict if one
    changed it since it was read. On PostgreSQL the document's row lock is the first lock every
    transition takes, so concurrent transitions queue up instead of deadlocking over their tasks
    and audit entries. SQLite has no row locks (one writer at a time): there the version check
    at flush catches a change made meanwhile."""
    if document.id is None:
        return
    M = doctype.model
    with db.session.no_autoflush:  # a module's form may have changed fields before the transition
        version = db.session.scalar(select(M.version).where(M.id == document.id).with_for_update())
    if version != document.version:
        raise Conflict()


def _overtaken(doctype, document, transition, user) -> bool:
    """Whether `user` was to decide in this round but someone else closed his task first."""
    if transition.kind not in ("approve", "reject") or not document.id:
        return False
    people = acting_for(user)
    return any(t.user_id in people and t.status in ("approved", "rejected", "skipped")
               and t.decided_by_id != user.id for t in tasks(doctype, document))


def _note_submission(doctype, document, transition, before, target, user):
    """Any transition decides the open submission; a submission opens a new one."""
    if not document.id:
        return
    for open_one in db.session.scalars(select(Submission).where(
            Submission.doctype == doctype.code, Submission.doc_id == document.id, Submission.status == "open")):
        open_one.status = "decided"
    if doctype.workflow.is_submission(transition):
        # A submit no step applies to went straight through: nothing is left to withdraw.
        db.session.add(Submission(doctype=doctype.code, doc_id=document.id, transition=transition.name,
                                  from_state=before, to_state=target, user_id=user.id,
                                  status="open" if target == transition.target_from(before) else "decided"))


def _recall(doctype, document, user) -> str:
    """Withdraw the user's open submission: back to the state it left, its approval round ended."""
    submission = withdrawable(doctype, document, user)
    if submission is None:  # acted on since check() (SQLite: no row lock)
        raise Conflict()
    submission.status = "withdrawn"
    for task in tasks(doctype, document):
        if task.status in ("open", "waiting"):
            task.status = "withdrawn"
    return submission.from_state


def _submit(doctype, document, transition, submitter) -> str:
    wf = doctype.workflow
    plan = _plan(doctype, document, submitter)
    round_ = current_round(doctype, document) + 1
    for position, (index, step, users) in enumerate(plan):
        for u in users:
            db.session.add(ApprovalTask(
                doctype=doctype.code, doc_id=document.id, doc_number=document.number,
                doc_title=document.title or "", round=round_, step_index=index, step_name=step.name,
                step_label=str(step.label), required=step.required or len(users), user_id=u.id,
                submitted_by_id=submitter.id, status="open" if position == 0 else "waiting"))
    if not plan:  # nothing to approve: straight to the approved state
        approve = next((t for t in wf.transitions if t.kind == "approve"), None)
        return approve.target if approve else transition.target
    return transition.target


def _decide(doctype, document, transition, user, comment, approve: bool):
    mine = my_open_tasks(doctype, document, user)
    if not mine:  # decided by someone else since check() (SQLite: no row lock)
        raise Conflict()
    # Approve in your own name first; else for the person who delegated to you.
    mine.sort(key=lambda t: t.user_id != user.id)
    task = mine[0]
    now = datetime.now(timezone.utc)
    task.status = "approved" if approve else "rejected"
    task.decided_by_id, task.decided_at, task.comment = user.id, now, comment or ""
    info = {"step": task.step_name, "on_behalf_of": task.user_id if task.user_id != user.id else None}
    round_tasks = tasks(doctype, document, task.round)
    if not approve:
        for t in round_tasks:
            if t.status in ("open", "waiting"):
                t.status = "skipped"
        return transition.target, info
    step_tasks = [t for t in round_tasks if t.step_index == task.step_index]
    if sum(t.status == "approved" for t in step_tasks) < task.required:
        return document.state, info
    for t in step_tasks:
        if t.status == "open":
            t.status = "skipped"
    later = sorted({t.step_index for t in round_tasks if t.status == "waiting"})
    if later:
        for t in round_tasks:
            if t.step_index == later[0]:
                t.status = "open"
        return document.state, info
    return transition.target, info


def waiting_for(user, *columns):
    """Select statement of the open approval tasks `user` can act on (own and delegated), not
    those of a round he submitted himself; of `columns` rather than the tasks if given."""
    return (select(*columns or (ApprovalTask,)).where(
        ApprovalTask.status == "open", ApprovalTask.user_id.in_(acting_for(user)),
        or_(ApprovalTask.submitted_by_id.is_(None), ApprovalTask.submitted_by_id != user.id)))


def entered(doctype, states, since: datetime, until: datetime):
    """Select statement of the ids of `doctype`'s documents that entered one of `states` by a
    transition (performed or carried) at or after `since` and before `until` (aware datetimes),
    read from the audit log's transition entries: "won this month" is ``entered(OPPORTUNITY,
    ["won"], first_of_month, first_of_next_month)``. Each id once; use it in an ``IN``::

        select(func.count(), func.sum(M.amount)).where(M.id.in_(entered(doctype, ["won"], a, b)))
    """
    from sqlalchemy import Integer, cast
    from ..audit.models import AuditEntry

    def pattern(state):  # the entries' JSON is written with sort_keys and ", " / ": " separators
        quoted = state.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f'%"to": "{quoted}"%'
    if not states:
        raise ValueError("entered() needs one or more states")
    return (select(cast(AuditEntry.record_id, Integer)).where(
        AuditEntry.action == "transition", AuditEntry.ts >= since.astimezone(timezone.utc),
        AuditEntry.ts < until.astimezone(timezone.utc), AuditEntry.model == doctype.model.__tablename__,
        or_(*[AuditEntry.changes.like(pattern(s), escape="\\") for s in states])).distinct())
