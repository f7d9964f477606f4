"""The handbook's common lifecycles (SPEC 4.0, L1-L5) as ready-made workflows: a form picks one
and adds its approval steps.

    WORKFLOW = lifecycles.application(steps=[ApprovalStep("manager", _l("Department manager"),
                                                           DepartmentManager())])

Every factory takes ``steps`` (the approval steps of its submit/review transition, if it has one)
and ``editable_states``; the state and transition names are fixed, so rules, reminders and tests
can name them.
"""
from flask_babel import lazy_gettext as _l

from . import Transition, Workflow

DRAFT, SUBMITTED, APPROVED, ARCHIVED = "draft", "submitted", "approved", "archived"


def application(steps=(), editable_states=(DRAFT,), archive: bool = True) -> Workflow:
    """L1 申请审批类: draft → submitted → (approval steps) → approved; reject → draft; → archived."""
    states = {DRAFT: _l("Draft"), SUBMITTED: _l("Submitted"), APPROVED: _l("Approved")}
    transitions = [
        Transition("submit", _l("Submit"), [DRAFT], SUBMITTED, kind="submit"),
        Transition("approve", _l("Approve"), [SUBMITTED], APPROVED, kind="approve", style="success"),
        Transition("reject", _l("Return for revision"), [SUBMITTED], DRAFT, kind="reject", comment_required=True,
                   style="outline-danger"),
    ]
    if archive:
        states[ARCHIVED] = _l("Archived")
        transitions.append(Transition("archive", _l("Archive"), [APPROVED], ARCHIVED, style="outline-secondary"))
    return Workflow(states=states, initial=DRAFT, transitions=transitions, steps=list(steps),
                    editable_states=editable_states)


def notice(replies: bool = False, editable_states=(DRAFT,)) -> Workflow:
    """L2 通知类: draft → issued (the issuer signs) → acknowledged (the recipient signs)
    → [replied] → closed (the notice's condition fulfilled, e.g. rectification verified)."""
    states = {DRAFT: _l("Draft"), "issued": _l("Issued"), "acknowledged": _l("Acknowledged")}
    transitions = [
        Transition("issue", _l("Issue"), [DRAFT], "issued"),
        Transition("acknowledge", _l("Acknowledge receipt"), ["issued"], "acknowledged"),
    ]
    closable = ["acknowledged"]
    if replies:
        states["replied"] = _l("Replied")
        transitions.append(Transition("reply", _l("Reply"), ["acknowledged"], "replied"))
        closable.append("replied")
    states["closed"] = _l("Closed")
    transitions.append(Transition("close", _l("Close"), closable, "closed", style="outline-secondary"))
    return Workflow(states=states, initial=DRAFT, transitions=transitions, editable_states=editable_states)


def report(readers=(), forward: bool = False, editable_states=(DRAFT,)) -> Workflow:
    """L3 报告类: draft → submitted → read (the reader's step: comment and rating) → [forwarded]
    → archived; the reader may return it to its author."""
    states = {DRAFT: _l("Draft"), SUBMITTED: _l("Submitted"), "read": _l("Read")}
    transitions = [
        Transition("submit", _l("Submit"), [DRAFT], SUBMITTED, kind="submit"),
        Transition("read", _l("Mark as read"), [SUBMITTED], "read", kind="approve", style="success"),
        Transition("return", _l("Return to the author"), [SUBMITTED], DRAFT, kind="reject", comment_required=True,
                   style="outline-danger"),
    ]
    archivable = ["read"]
    if forward:
        states["forwarded"] = _l("Forwarded")
        transitions.append(Transition("forward", _l("Forward"), ["read"], "forwarded"))
        archivable.append("forwarded")
    states[ARCHIVED] = _l("Archived")
    transitions.append(Transition("archive", _l("Archive"), archivable, ARCHIVED, style="outline-secondary"))
    return Workflow(states=states, initial=DRAFT, transitions=transitions, steps=list(readers),
                    editable_states=editable_states)


def record(editable_states=(DRAFT,)) -> Workflow:
    """L4 记录类: draft → confirmed (all required signatures present) → archived."""
    return Workflow(
        states={DRAFT: _l("Draft"), "confirmed": _l("Confirmed"), ARCHIVED: _l("Archived")},
        initial=DRAFT,
        transitions=[Transition("confirm", _l("Confirm"), [DRAFT], "confirmed", style="success"),
                     Transition("archive", _l("Archive"), ["confirmed"], ARCHIVED, style="outline-secondary")],
        editable_states=editable_states)


def review(reviewers=(), owner_approval: bool = False, editable_states=(DRAFT,)) -> Workflow:
    """L5 报审/报验类 (the supervision pattern): draft → submitted (the contractor side signed)
    → reviewed (the supervisor's opinion) → [owner_approved] → closed; "revise and resubmit"
    sends it back to draft."""
    states = {DRAFT: _l("Draft"), SUBMITTED: _l("Submitted for review"), "reviewed": _l("Reviewed")}
    transitions = [
        Transition("submit", _l("Submit for review"), [DRAFT], SUBMITTED, kind="submit"),
        Transition("review", _l("Approve the review"), [SUBMITTED], "reviewed", kind="approve", style="success"),
        Transition("revise", _l("Revise and resubmit"), [SUBMITTED], DRAFT, kind="reject", comment_required=True,
                   style="outline-danger"),
    ]
    closable = ["reviewed"]
    if owner_approval:
        states["owner_approved"] = _l("Approved by the owner")
        transitions.append(Transition("owner_approve", _l("Owner's approval"), ["reviewed"], "owner_approved"))
        closable.append("owner_approved")
    states["closed"] = _l("Closed")
    transitions.append(Transition("close", _l("Close"), closable, "closed", style="outline-secondary"))
    return Workflow(states=states, initial=DRAFT, transitions=transitions, steps=list(reviewers),
                    editable_states=editable_states)
