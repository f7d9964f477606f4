"""Declarative workflows with approvals.

A document type declares its states, transitions and approval steps; core's engine
(core.workflow.engine) checks permissions and conditions, fixes approvers at submission, records
decisions, moves the state and audits every step.

    WORKFLOW = Workflow(
        states={"draft": _l("Draft"), "submitted": _l("Awaiting approval"), "approved": _l("Approved")},
        initial="draft",
        transitions=[
            Transition("submit", _l("Submit"), ["draft"], "submitted", kind="submit"),
            Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve"),
            Transition("reject", _l("Reject"), ["submitted"], "draft", kind="reject", comment_required=True),
        ],
        steps=[ApprovalStep("manager", _l("Department manager"), DepartmentManager()),
               ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"),
                            when=lambda doc: doc.amount > 500_000)],
    )
"""
from dataclasses import dataclass, field
from typing import Callable



@dataclass(frozen=True)
class Issue:
    """An objection to a transition: a sentence, optionally the field it concerns and the code of
    the rule it applies (``"R-S-010"``): callers find a rule's objection by its code, never by
    its translated message, and the engine records coded objections as violations."""
    message: str
    field: str | None = None
    blocking: bool = True
    code: str | None = None


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    source: tuple
    target: str | None               # None: the document stays in the state it is in (a transfer)
    kind: str = "normal"             # normal | submit | approve | reject | recall (core's own, see Workflow)
    permission: str | None = None    # default "<doctype>.<name>"; approve/reject: being an approver
    conditions: tuple = ()           # callables (document, user) -> list[str | Issue]
    when: Callable | None = None     # document -> bool: the action exists only then (no button, refused otherwise)
    comment_required: bool = False
    style: str = "primary"
    button: bool = True              # False: performed by a module's own form (an Action), not a button
    automatic: bool = False          # only as the consequence of another change (engine.carry), never by hand
    fields: tuple = ()               # declared fields the action asks for (core.documents.actions)
    comment_label: object = None     # what the comment is called on its page ("Pre-sales manager's opinion")
    waits: bool | None = None        # whether a document in a source state waits for whoever may take it
                                     # (their inbox); None: a step forward (see `is_step_forward`)
    done_message: object = None      # what the web page says once done (default "Done: <state>"), or (document) -> it
    signs: object = None             # who takes it signs the print's sign-off block under this label
                                     # ("Pre-sales manager"), as approvers of approval steps do
    reviews: bool = False            # a decision on what someone handed in (a review, a sign-off, a
                                     # return): never taken by its owner, creator or submitter
    assignees: tuple = ()            # the model's user columns naming whose step it is ("engineer_id"):
                                     # the document waits for those people (their inbox), owner or not

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(self.source))
        object.__setattr__(self, "conditions", tuple(self.conditions))
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "assignees", (self.assignees,) if isinstance(self.assignees, str)
                           else tuple(self.assignees))
        if self.kind not in ("normal", "submit", "approve", "reject", "recall"):
            raise ValueError(f"transition {self.name}: unknown kind {self.kind!r}")
        if self.reviews and self.kind != "normal":
            raise ValueError(f"transition {self.name}: reviews=True is for normal transitions "
                             "(approval steps already refuse self-approval)")
        if self.target is None and self.kind not in ("normal", "recall"):
            raise ValueError(f"transition {self.name}: only a normal transition stays in its state (target=None)")

    def target_from(self, state: str) -> str:
        """The state the transition leads to from `state` (the same one when it has no target)."""
        return state if self.target is None else self.target

    def done_text(self, document, state_label) -> str:
        """What the web page says once the transition is done."""
        from flask_babel import gettext as _
        if self.done_message is None:
            return _("Done: %(state)s.", state=state_label)
        return str(self.done_message(document) if callable(self.done_message) else self.done_message)

    @property
    def is_step_forward(self) -> bool:
        """What a document in a source state waits for (the inbox, core.workflow.inbox): a step
        someone takes by hand that moves it on, not a rejection, a return, a cancellation
        (danger or secondary style), an automatic consequence nor an action that
        keeps the state. Approvals are waited for
        through their tasks. ``waits=`` overrides."""
        if self.waits is not None:
            return self.waits
        return (self.kind in ("normal", "submit") and not self.automatic and self.target is not None
                and not self.style.endswith(("danger", "secondary")))


# ---- who approves -----------------------------------------------------------------------------
class Approvers:
    def users(self, document) -> list:
        raise NotImplementedError


@dataclass(frozen=True)
class ByRole(Approvers):
    """Every active user holding the role, e.g. ByRole("ROLE-GM")."""
    role: str

    def users(self, document):
        from ..auth.models import users_with_roles
        return users_with_roles(self.role)


@dataclass(frozen=True)
class DepartmentManager(Approvers):
    """The head (and deputies) of the document's department, else of the owner's."""
    def users(self, document):
        from ..org.models import department_managers
        department = document.department or (document.owner.department if document.owner else None)
        return department_managers(department)


@dataclass(frozen=True)
class Superior(Approvers):
    """Holders of the position the owner's position reports to."""
    def users(self, document):
        from ..org.models import superiors
        return superiors(document.owner) if document.owner else []


@dataclass(frozen=True)
class ByField(Approvers):
    """The user named by a field of the document, e.g. ByField("presales_lead")."""
    field: str

    def users(self, document):
        value = getattr(document, self.field, None)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class ApprovalStep:
    name: str
    label: object
    approvers: Approvers
    when: Callable | None = None     # document -> bool; the step applies only when true
    required: int = 1                # approvals needed (N of M); 0 means all of them


RECALL = "recall"   # the name of the transition core adds to withdraw a submission (撤回)


@dataclass
class Workflow:
    states: dict
    initial: str
    transitions: list
    steps: list = field(default_factory=list)
    allow_self_approval: bool = False    # also lets the owner or submitter take a review (reviews=True)
    editable_states: tuple = ()      # states in which the document may be edited (default: initial)
    # Whether whoever submitted a document may withdraw it (RECALL) until the first decision on
    # it; core adds the transition to every workflow with a submission (`is_submission`).
    withdrawable: bool = True

    def __post_init__(self):
        names = set()
        for t in self.transitions:
            for state in t.source + ((t.target,) if t.target is not None else ()):
                if state not in self.states:
                    raise ValueError(f"transition {t.name}: unknown state {state!r}")
            names.add(t.name)
        if self.initial not in self.states:
            raise ValueError(f"unknown initial state {self.initial!r}")
        if self.steps and not any(t.kind == "submit" for t in self.transitions):
            raise ValueError("a workflow with approval steps needs a submit transition")
        self.editable_states = tuple(self.editable_states) or (self.initial,)
        if (self.withdrawable and RECALL not in names
                and any(self.is_submission(t) for t in self.transitions)):
            from flask_babel import lazy_gettext as _l
            # Back to the state it was submitted from (the engine reads it from the submission).
            self.transitions = [*self.transitions, Transition(
                RECALL, _l("Withdraw the submission"), tuple(self.states), None, kind="recall",
                style="outline-secondary", done_message=_l("Submission withdrawn."))]

    def is_submission(self, transition: Transition) -> bool:
        """Whether `transition` hands the document to someone else's decision: a submit (approval
        steps follow), or a step by hand into a state where a review (reviews=True) waits."""
        if transition.kind == "submit":
            return True
        if transition.kind != "normal" or transition.reviews or transition.automatic or transition.target is None:
            return False
        return any(t.reviews and transition.target in t.source for t in self.transitions)

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def state_label(self, state: str):
        return self.states.get(state, state)
