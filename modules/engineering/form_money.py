"""Changes, extensions of time, payments and final accounts: six supervision forms on the F-T
machinery (forms.py) and their effects (WF-E03 E03-b, c, e, h; WF-E04 closing).

- F-T05 change notice (工程变更通知) and F-T06 additional works notice (工程额外增加工程通知单), L2:
  drafted by the project engineer, who asks for the approval inside the company: the 工程部经理's
  (and then the 总经理's when the cost impact is above ``eng.change_gm_threshold``, either way),
  each told in turn, before it is issued; a changed figure asks for the approvals again. OUTWARD
  the customer issues it: his signature (the owner's block, from the signed paper) is recorded at
  the issue; INWARD the 工程部经理 issues it to the team. R-E-033: the changed work starts ("Changed
  work started", 执行中) only on a signed notice, i.e. one issued; closing it records the work
  done. A signed notice offers its cost verification (F-T11) and extension (F-T09) prefilled.
- F-T11 change cost verification (工程变更费用更改核定表), L5 with the owner's approval: for a signed
  change notice and/or additional works notice, the cost lines (quantities before and after, unit
  price); confirmed OUTWARD it adds the confirmed total to the project's confirmed changes and
  offers sales a contract supplement (I-08, ``engineering_change_confirmed``); INWARD it is recorded
  (the subcontract's value is part 2).
- F-T09 extension of time (工程延长工期申报表), L5 with the owner's approval: the days granted
  OUTWARD move the project's completion date, add to its days of extension and re-baseline the
  schedule (schedule.rebaseline); INWARD they are recorded.
- F-T10 payment application (付款申请表), L5 with the owner's approval, then paid (已付款): OUTWARD the
  customer's approval announces ``payment_approved`` (I-07, sales triggers the next progress
  payment); INWARD R-E-094 caps the payments to a team before final acceptance at
  ``eng.team_progress_pay_max_pct`` of the value of its work (as verified at the review), checked
  at each step, and the 工程部经理's approval asks finance to pay (I-10): 财务 (or the 工程部经理)
  records the payment date, amount and bank reference.
- F-T12 final account (工程结算核定表), L5 with the owner's approval, made in closing: changes from the
  confirmed F-T11, payments from the paid F-T10, retention and balance computed; agreed OUTWARD it
  announces ``final_account`` (I-07); the project leaves closing for warranty only with an agreed
  outward final account (``@gate("closing")``).

Tests: tests/modules/engineering/test_money.py (and test_money_sales.py with sales).
"""
from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from flask import current_app, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, inspect, select

from core import calendar_today, settings
from core.auth.permissions import Permission, RoleTemplate
from core.documents import Action, service
from core.documents.fields import Field, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition

from .forms import INWARD, OUTWARD, REGISTRY, SupervisionForm, built, doctype_of, register
from .projects import announce, gate
from .schedule import rebaseline
from .views import bp

CENT = Decimal("0.01")
ZERO = Decimal(0)
MANAGER, GM, FINANCE = "ROLE-ENG-MGR", "ROLE-GM", "ROLE-FIN"


def money(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def changed(doc, *attributes) -> bool:
    """Whether a saved document's `attributes` are being changed by this save."""
    state = inspect(doc)
    return not (state.transient or state.pending) and any(
        state.attrs[a].history.has_changes() for a in attributes)


# ---- F-T05 / F-T06: change and additional works notices (E03-b, E03-c) -------------------------
EXECUTION = [("pending", _l("Not executed")), ("in_progress", _l("Being executed")), ("done", _l("Work completed"))]
SIGNED = ("issued", "acknowledged", "closed")
PROPOSERS = [("owner", _l("Owner (employer)")), ("designer", _l("Designer")), ("supervisor", _l("Supervisor")),
             ("contractor", _l("Contractor")), ("team", _l("Construction team"))]
CHANGE_REASONS = [("needs", _l("Change of the user's needs")), ("design", _l("Design change")),
                  ("site", _l("Change of site conditions")), ("substitution", _l("Substitute material or equipment")),
                  ("standard", _l("Required by a standard")), ("other", _l("Other"))]
PRICING = [("contract", _l("Contract unit prices")), ("agreed", _l("Agreed unit prices")),
           ("actual", _l("Settled as built"))]
APPROVALS = [
    Field("internal_approval", _l("Internal approval: engineering manager"), "sig", readonly=True,
          section=_l("Signatures")),
    Field("gm_approval", _l("Internal approval: general manager"), "sig", readonly=True, section=_l("Signatures")),
    Field("execution_status", _l("Execution"), "choice", choices=EXECUTION, readonly=True, default="pending",
          help=_l("R-E-033: changed work starts only on a signed notice.")),
]


def cost_of(notice) -> Decimal:
    """The notice's cost impact: the estimate of a change, the total of additional works."""
    return Decimal((notice.cost_impact if hasattr(notice, "cost_impact") else notice.total) or 0)


def needs_gm(notice) -> bool:
    return abs(cost_of(notice)) > Decimal(str(settings.get("eng.change_gm_threshold")))


def is_signed(notice) -> bool:
    """R-E-033: issued (OUTWARD with the customer's signature recorded at the issue)."""
    return notice.state in SIGNED


def approval_missing(notice, user) -> list[Issue]:
    if notice.internal_approval_at is None:
        return [Issue(_("The engineering manager approves the change inside the company first."),
                      field="internal_approval_at")]
    if needs_gm(notice) and notice.gm_approval_at is None:
        return [Issue(_("A cost impact above ¥%(limit)s is also approved by the general manager.",
                        limit=money(settings.get("eng.change_gm_threshold"))), field="gm_approval_at")]
    return []


def signed_first(notice, user) -> list[Issue]:
    if is_signed(notice):
        return []
    return [Issue(_("No changed or additional work before the notice is signed and issued (R-E-033)."),
                  field="execution_status", code="R-E-033")]


def ask_approval(notice, role: str) -> None:
    """Tell the holders of `role` that the notice waits for their approval."""
    from core.auth.models import users_with_roles
    from core.reminders import notify
    code = type(notice).__form__.code
    for person in users_with_roles(role):
        notify(person.id, f"engineering.{code}:{notice.id}:approve:{role}:{notice.version}",
               _("To approve: %(number)s %(title)s (cost impact ¥%(amount)s)", number=notice.number,
                 title=notice.title, amount=money(cost_of(notice))),
               notice.project_name, f"/engineering/{code}/{notice.id}")


def request_approval(notice, user, comment):
    ask_approval(notice, MANAGER)


def approve_internal(notice, user, comment):
    sign(notice, "internal_approval", user, "agree", comment)
    if needs_gm(notice):
        ask_approval(notice, GM)


def approve_gm(notice, user, comment):
    sign(notice, "gm_approval", user, "agree", comment)


def start_work(notice, user, comment):
    notice.execution_status = "in_progress"


def work_done(notice, user, comment):
    notice.execution_status = "done"


def notice_steps(code: str) -> list[Transition]:
    """The approvals inside the company, asked for by the engineer (each its own permission: the
    工程部经理's, the 总经理's, who is asked once the 工程部经理 approved) and the start of the
    changed work."""
    return [
        Transition("request_approval", _l("Ask for the internal approval"), ["draft"], None, waits=False,
                   when=lambda n: n.internal_approval_at is None, style="outline-primary"),
        Transition("approve_internal", _l("Internal approval: engineering manager"), ["draft"], None,
                   style="success", permission=f"engineering.{code}.approve_internal", signs=_l("Engineering manager"),
                   when=lambda n: n.internal_approval_at is None),
        Transition("approve_gm", _l("Internal approval: general manager"), ["draft"], None, style="success",
                   permission=f"engineering.{code}.approve_gm", signs=_l("General manager"),
                   when=lambda n: n.internal_approval_at is not None and n.gm_approval_at is None and needs_gm(n)),
        Transition("start_work", _l("Changed work started"), ["draft", "issued", "acknowledged"], None,
                   conditions=[signed_first], when=lambda n: n.execution_status in ("", None, "pending"),
                   waits=False, style="outline-primary"),
    ]


def check_notice(notice, cost_attributes: tuple) -> None:
    """An approval is of the figures approved: changing them asks for it again."""
    if notice.internal_approval_at is not None and changed(notice, *cost_attributes):
        for sig in ("internal_approval", "gm_approval"):
            for part in ("by_id", "at"):
                setattr(notice, f"{sig}_{part}", None)
            setattr(notice, f"{sig}_decision", "")
            setattr(notice, f"{sig}_opinion", "")
    notice.execution_status = notice.execution_status or "pending"


def save_change(notice, project):
    notice.title = (notice.content or "").strip()[:200]       # listed by what changes
    check_notice(notice, ("cost_impact", "time_impact_days", "content"))


def save_additional(notice, project):
    for line in notice.lines:
        line.amount = (Decimal(line.qty or 0) * Decimal(line.unit_price or 0)).quantize(CENT, ROUND_HALF_UP)
    notice.total = sum((Decimal(line.amount) for line in notice.lines), ZERO)
    notice.title = (notice.reason or "").strip()[:200]
    if not notice.lines:
        raise ValidationFailed({"lines": [_("List the additional works with their quantities.")]})
    check_notice(notice, ("total", "time_impact_days", "reason"))


NOTICE_EFFECTS = {"request_approval": request_approval, "approve_internal": approve_internal,
                  "approve_gm": approve_gm, "start_work": start_work, "close": work_done}

FT05 = SupervisionForm(
    code="ft05", title="工程变更通知", label=_l("Engineering change notice"),
    label_plural=_l("Engineering change notices"), lifecycle="notice", group="change", issuer="owner",
    blocks=("owner", "supervisor", "contractor"),
    fields=[
        Field("proposed_by", _l("Change proposed by"), "choice", choices=PROPOSERS, required=True,
              default="owner"),
        Field("reason", _l("Reason for the change"), "choice", choices=CHANGE_REASONS, required=True, default="needs"),
        Field("reason_detail", _l("Reason in detail"), "textarea"),
        Field("content", _l("Content of the change"), "textarea", required=True),
        Field("cost_impact", _l("Cost impact (estimate, ¥)"), "money", required=True, default=0,
              minimum=-10**10, maximum=10**10, help=_l("An increase or, negative, a decrease; 0 if none.")),
        Field("time_impact_days", _l("Time impact (days)"), "integer", required=True, default=0,
              minimum=-3650, maximum=3650, help=_l("0 if none; an extension is applied for on F-T09.")),
        *APPROVALS,
    ],
    lines=[Field("item", _l("Location / drawing / bill item"), required=True, max_length=120),
           Field("drawing", _l("Drawing no."), max_length=60),
           Field("before", _l("Before the change"), max_length=300),
           Field("after", _l("After the change"), max_length=300)],
    conditions={"issue": [approval_missing]}, effects=NOTICE_EFFECTS, transitions=notice_steps("ft05"),
    before_save=save_change)

FT06 = SupervisionForm(
    code="ft06", title="工程额外增加工程通知单", label=_l("Additional works notice"),
    label_plural=_l("Additional works notices"), lifecycle="notice", group="change", issuer="owner",
    blocks=("owner", "supervisor", "contractor"),
    fields=[
        Field("reason", _l("Reason for the additional works"), "textarea", required=True),
        Field("pricing_basis", _l("Pricing basis"), "choice", choices=PRICING, required=True, default="contract"),
        Field("total", _l("Additional amount"), "money", readonly=True),
        Field("required_by", _l("To be completed by"), "date", required=True),
        Field("time_impact_days", _l("Time impact (days)"), "integer", required=True, default=0,
              minimum=-3650, maximum=3650, help=_l("0 if none; an extension is applied for on F-T09.")),
        *APPROVALS,
    ],
    lines=[Field("item", _l("Work item"), required=True, max_length=120),
           Field("spec", _l("Specification"), max_length=120),
           Field("unit", _l("Unit"), max_length=20),
           Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
           Field("unit_price", _l("Price per unit"), "money", required=True, minimum=0, maximum=10**9),
           Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True)],
    conditions={"issue": [approval_missing]}, effects=NOTICE_EFFECTS, transitions=notice_steps("ft06"),
    before_save=save_additional)


# ---- F-T11: change cost verification (I-08) ----------------------------------------------------
def signed_notice_of_project(Model, user, doc):
    return (Model.project_id == doc.project_id) & Model.state.in_(SIGNED)


def save_verification(doc, project):
    if not doc.change_notice_id and not doc.additional_works_id:
        raise ValidationFailed({"change_notice_id": [_("Name the signed change notice or additional works notice "
                                                       "whose costs are verified.")]})
    if not doc.lines:
        raise ValidationFailed({"lines": [_("List the cost changes.")]})
    for line in doc.lines:
        delta = (Decimal(line.qty_after or 0) - Decimal(line.qty_before or 0)) * Decimal(line.unit_price or 0)
        line.delta_amount = delta.quantize(CENT, ROUND_HALF_UP)
    doc.declared_total = sum((Decimal(line.delta_amount) for line in doc.lines), ZERO)
    if doc.state == "draft":
        doc.original_contract_amount = project.current_amount if doc.relation == OUTWARD else \
            Decimal(doc.original_contract_amount or 0)
    doc.new_contract_amount = Decimal(doc.original_contract_amount or 0) + Decimal(
        doc.confirmed_total if doc.confirmed_total is not None else doc.declared_total)


def change_confirmed(doc, user, comment):
    """The owner confirmed the verified total: OUTWARD the project's value changes and sales is
    offered the contract supplement (I-08)."""
    doc.new_contract_amount = Decimal(doc.original_contract_amount or 0) + Decimal(doc.confirmed_total)
    if doc.relation != OUTWARD:
        return
    project = doc.eng_project
    project.change_amount = Decimal(project.change_amount or 0) + Decimal(doc.confirmed_total)
    notices = [n for n in (referenced("ft05", doc.change_notice_id), referenced("ft06", doc.additional_works_id)) if n]
    current_app.extensions["erp"].pm.hook.engineering_change_confirmed(
        project=project, amount=Decimal(doc.confirmed_total), reference=doc.number,
        description="; ".join(f"{n.number} {n.content if hasattr(n, 'content') else n.reason}"[:300]
                              for n in notices), user=user)


def referenced(code: str, doc_id):
    return db.session.get(built(code).model, doc_id) if doc_id else None


FT11 = SupervisionForm(
    code="ft11", title="工程变更费用更改核定表", label=_l("Change cost verification"),
    label_plural=_l("Change cost verifications"), lifecycle="review", group="change", owner_approval=True,
    blocks=("contractor", "supervisor", "owner"),
    fields=[
        Field("change_notice", _l("Change notice"), "reference", target="engineering.ft05", depends_on=("project",),
              where=signed_notice_of_project, refusal=_l("Choose a signed notice of the same project (R-E-033).")),
        Field("additional_works", _l("Additional works notice"), "reference", target="engineering.ft06",
              depends_on=("project",), where=signed_notice_of_project,
              refusal=_l("Choose a signed notice of the same project (R-E-033).")),
        Field("original_contract_amount", _l("Original contract amount"), "money", minimum=0, maximum=10**11,
              help=_l("Outward: the project's contract amount with the confirmed changes; inward: the "
                      "subcontract's.")),
        Field("declared_total", _l("Change declared"), "money", readonly=True),
        Field("verified_total", _l("Change verified by the supervisor"), "money", readonly=True,
              required_in=("reviewed", "owner_approved", "closed")),
        Field("confirmed_total", _l("Change confirmed by the owner"), "money", readonly=True,
              required_in=("owner_approved",)),
        Field("new_contract_amount", _l("Contract amount after the change"), "money", readonly=True),
    ],
    lines=[Field("item", _l("Item"), required=True, max_length=120),
           Field("unit", _l("Unit"), max_length=20),
           Field("qty_before", _l("Quantity before"), "decimal", minimum=0, maximum=10**9, default=0),
           Field("qty_after", _l("Quantity after"), "decimal", minimum=0, maximum=10**9, default=0),
           Field("unit_price", _l("Price per unit"), "money", required=True, minimum=0, maximum=10**9),
           Field("delta_amount", _l("Increase / decrease"), "money", readonly=True, total=True),
           Field("basis", _l("Pricing basis"), max_length=120)],
    inputs={"review": [Field("verified_total", _l("Change verified by the supervisor"), "money", required=True,
                             minimum=-10**10, maximum=10**10, default=lambda doc: doc.declared_total)],
            "owner_approve": [Field("confirmed_total", _l("Change confirmed by the owner"), "money", required=True,
                                    minimum=-10**10, maximum=10**10, default=lambda doc: doc.verified_total)]},
    effects={"owner_approve": change_confirmed}, before_save=save_verification)


# ---- F-T09: extension of time (E03-e) ----------------------------------------------------------
DELAY_CAUSES = [("change", _l("Engineering change")), ("additional", _l("Additional works")),
                ("owner", _l("Owner's cause")), ("suspension", _l("Suspension")),
                ("supply", _l("Supply of materials or equipment (not the contractor's fault)")),
                ("force_majeure", _l("Force majeure")), ("other", _l("Other"))]


def save_extension(doc, project):
    if doc.state == "draft":
        doc.original_completion = project.planned_completion
    if doc.original_completion and doc.requested_days:
        doc.requested_completion = doc.original_completion + timedelta(days=int(doc.requested_days))
    if not doc.lines:
        raise ValidationFailed({"lines": [_("Give the reasons for the delay.")]})
    unknown = unknown_notices(doc.project_id, {(line.reference or "").strip() for line in doc.lines} - {""})
    if unknown:
        raise ValidationFailed({"lines": [_("%(numbers)s: no change, additional works or suspension notice of this "
                                            "project has this number.", numbers="、".join(sorted(unknown)))]})
    claimed = sum(int(line.days or 0) for line in doc.lines)
    if int(doc.requested_days or 0) > claimed:
        raise ValidationFailed({"requested_days": [_("The reasons give %(days)s days of delay in all.",
                                                      days=claimed)]})


def unknown_notices(project_id: int, numbers: set) -> set:
    """The `numbers` that are no change (F-T05), additional works (F-T06) or suspension (F-T07)
    notice of the project."""
    for code in ("ft05", "ft06", "ft07"):
        if numbers and code in REGISTRY:
            Model = built(code).model
            numbers = numbers - set(db.session.scalars(select(Model.number).where(
                Model.project_id == project_id, Model.number.in_(numbers))))
    return numbers


def evidence_attached(doc, user) -> list[Issue]:
    from core.documents.models import Attachment
    if db.session.scalar(select(Attachment.id).where(Attachment.doctype == FT09.doctype_code,
                                                     Attachment.doc_id == doc.id).limit(1)) is None:
        return [Issue(_("Attach the evidence of the delay first."), field="requested_days")]
    return []


def days_within_request(doc, user) -> list[Issue]:
    if doc.approved_days is not None and not 0 <= int(doc.approved_days) <= int(doc.requested_days or 0):
        return [Issue(_("Grant between 0 and the %(days)s days applied for.", days=doc.requested_days),
                      field="approved_days")]
    return []


def extension_granted(doc, user, comment):
    """The owner granted the days: OUTWARD the contractual completion moves and the schedule is
    re-baselined; INWARD the team's (its subcontract's, part 2) is recorded."""
    days = int(doc.approved_days or 0)
    project = doc.eng_project
    base = project.planned_completion if doc.relation == OUTWARD else doc.original_completion
    doc.approved_completion = base + timedelta(days=days) if base else None
    if doc.relation != OUTWARD or days == 0:
        return
    project.planned_completion = doc.approved_completion
    project.extension_days = int(project.extension_days or 0) + days
    rebaseline(project, days, user, _("Extension of time %(number)s", number=doc.number))


APPROVED_DAYS = dict(minimum=0, maximum=3650, required=True)
FT09 = SupervisionForm(
    code="ft09", title="工程延长工期申报表", label=_l("Extension of time application"),
    label_plural=_l("Extension of time applications"), lifecycle="review", group="time", owner_approval=True,
    blocks=("contractor", "supervisor", "owner"),
    fields=[
        Field("original_completion", _l("Original completion date"), "date", readonly=True),
        Field("requested_days", _l("Extension applied for (days)"), "integer", required=True, minimum=1,
              maximum=3650),
        Field("requested_completion", _l("Completion applied for"), "date", readonly=True),
        Field("approved_days", _l("Extension granted (days)"), "integer", readonly=True,
              required_in=("reviewed", "owner_approved")),
        Field("approved_completion", _l("Completion granted"), "date", readonly=True),
    ],
    lines=[Field("cause", _l("Cause"), "choice", choices=DELAY_CAUSES, required=True, default="change"),
           Field("reference", _l("Notice no. (F-T05/F-T06/F-T07)"), max_length=40),
           Field("days", _l("Days"), "integer", required=True, minimum=0, maximum=3650, total=True),
           Field("description", _l("Description"), max_length=300)],
    conditions={"submit": [evidence_attached], "review": [days_within_request],
                "owner_approve": [days_within_request]},
    inputs={"review": [Field("approved_days", _l("Extension granted (days)"), "integer",
                             default=lambda doc: doc.requested_days, **APPROVED_DAYS)],
            "owner_approve": [Field("approved_days", _l("Extension granted (days)"), "integer",
                                    default=lambda doc: doc.approved_days, **APPROVED_DAYS)]},
    effects={"owner_approve": extension_granted}, before_save=save_extension)


# ---- F-T10: payment application (E03-h; I-07, I-10; R-E-094) ----------------------------------
PAYMENT_TYPES = [("advance", _l("Advance payment")), ("progress", _l("Progress payment")),
                 ("acceptance", _l("Payment on acceptance")), ("settlement", _l("Settlement payment")),
                 ("retention", _l("Retention money"))]
PAYMENT_DEDUCTIONS = [("advance", _l("Advance recovered")), ("penalty", _l("Fine")),
                      ("material", _l("Excess use of owner-supplied material")),
                      ("retention", _l("Retention withheld")), ("other", _l("Other"))]
SUPPORTING = [("quantities", _l("Confirmed quantities")), ("subitems", _l("Sub-item acceptance records")),
              ("final_account", _l("Final account verification")), ("invoice", _l("Invoice"))]
# An application that counts: handed in and not sent back.
COUNTED = ("submitted", "reviewed", "owner_approved", "paid", "closed")
# The customer's final acceptance recorded: R-E-094's cap no longer applies.
ACCEPTED = ("closing", "warranty", "closed")


def party_of(Model, doc):
    """The forms of `Model` of the same project and party as `doc` (INWARD: the same team)."""
    clause = (Model.project_id == doc.project_id) & (Model.relation == doc.relation)
    return clause & (Model.team_name == doc.team_name) if doc.relation == INWARD else clause


def same_party(Model, doc):
    """The other applications of the same project and party."""
    return party_of(Model, doc) & (Model.id != doc.id) if doc.id is not None else party_of(Model, doc)


def payable(doc) -> Decimal:
    """What the application asks for at its step: approved, else verified, else requested."""
    for value in (doc.approved_amount, doc.verified_amount, doc.requested_amount):
        if value is not None:
            return Decimal(value)
    return ZERO


def counted(doc, column, states=COUNTED, earlier: bool = False) -> Decimal:
    """The sum of `column` over the party's other applications handed in (`earlier`: made before
    this one)."""
    Model = type(doc)
    clause = same_party(Model, doc) & Model.state.in_(states)
    if earlier and doc.id is not None:
        clause &= Model.id < doc.id
    return Decimal(db.session.scalar(select(func.coalesce(func.sum(column), 0)).where(clause)) or 0)


def save_payment(doc, project):
    Model = type(doc)
    if doc.payment_type == "progress" and not (doc.period_from and doc.period_to):
        raise ValidationFailed({"period_from": [_("A progress payment names the period it is for.")]})
    if doc.period_from and doc.period_to and doc.period_to < doc.period_from:
        raise ValidationFailed({"period_to": [_("The period applied for ends after it starts.")]})
    if doc.relation == OUTWARD:
        doc.contract_amount = project.current_amount
    elif doc.contract_amount is None:
        raise ValidationFailed({"contract_amount": [_("Give the subcontract's amount.")]})
    if doc.state == "draft":
        doc.value_cumulative = counted(doc, Model.value_this_period, earlier=True) + Decimal(doc.value_this_period or 0)
        doc.paid_cumulative = counted(doc, Model.paid_amount, ("paid", "closed"), earlier=True)
    doc.cap_check = cap_text(doc, project)


def value_verified(doc, user, comment):
    """The supervisor verified the value of the period's work: the value to date follows it."""
    doc.value_cumulative = counted(doc, type(doc).value_this_period, earlier=True) + Decimal(doc.value_this_period or 0)
    doc.cap_check = cap_text(doc, doc.eng_project)


def cap_applies(doc, project) -> bool:
    """R-E-094 before final acceptance (a payment naming a subcontract: its own stages, subcontracts.py)."""
    return doc.relation == INWARD and project.state not in ACCEPTED and not getattr(doc, "subcontract_id", None)


def cap_of(doc) -> tuple[Decimal, Decimal, Decimal]:
    """(the value of the team's work, the cap, the payments with this application) for R-E-094:
    every application of the team handed in counts, whenever it was made, with the value of its
    work as declared and, once reviewed, as verified by the supervisor."""
    Model = type(doc)
    value = counted(doc, Model.value_this_period) + Decimal(doc.value_this_period or 0)
    pct = Decimal(str(settings.get("eng.team_progress_pay_max_pct")))
    cap = (value * pct / 100).quantize(CENT, ROUND_HALF_UP)
    amount = func.coalesce(Model.approved_amount, Model.verified_amount, Model.requested_amount, 0)
    return value, cap, counted(doc, amount) + payable(doc)


def cap_text(doc, project) -> str:
    if not cap_applies(doc, project):
        return ""
    _value, cap, total = cap_of(doc)
    return _("¥%(total)s of at most ¥%(cap)s (%(pct)s%% of the value of the work)", total=money(total),
             cap=money(cap), pct=settings.get("eng.team_progress_pay_max_pct"))


def within_cap(doc, user) -> list[Issue]:
    """R-E-094: payments to a team before final acceptance stay within the share of its work's value."""
    project = doc.eng_project
    if project is None or not cap_applies(doc, project):
        return []
    value, cap, total = cap_of(doc)
    if total <= cap:
        return []
    field = "approved_amount" if doc.approved_amount is not None else (
        "verified_amount" if doc.verified_amount is not None else "requested_amount")
    return [Issue(_("Payments to a team before final acceptance are at most %(pct)s%% of the value of its work: "
                    "¥%(cap)s of ¥%(value)s; with this application they come to ¥%(total)s (R-E-094).",
                    pct=settings.get("eng.team_progress_pay_max_pct"), cap=money(cap),
                    value=money(value), total=money(total)), field=field, code="R-E-094")]


def payment_approved(doc, user, comment):
    """OUTWARD: sales triggers its collection (I-07). INWARD: finance is asked to pay (I-10)."""
    project = doc.eng_project
    if doc.relation == OUTWARD:
        announce(project, "payment_approved", user, calendar_today.today(), amount=Decimal(doc.approved_amount),
                 reference=doc.number)
        return
    from core.auth.models import users_with_roles
    from core.reminders import notify

    from .subcontracts import announce_team_payment
    announce_team_payment(doc, user)
    for person in users_with_roles(FINANCE) or users_with_roles(MANAGER):
        notify(person.id, f"engineering.ft10:{doc.id}:pay",
               _("Pay the construction team: %(number)s, ¥%(amount)s to %(team)s", number=doc.number,
                 amount=money(doc.approved_amount), team=doc.team_name),
               project.title, f"/engineering/ft10/{doc.id}")


def team_cap(doc, user) -> list[Issue]:
    """R-E-094 at the stages of the team's subcontract (subcontracts.py)."""
    from .subcontracts import subcontract_cap
    return subcontract_cap(doc, user)


def from_subcontract(doc) -> None:
    from .subcontracts import fill_from_subcontract
    fill_from_subcontract(doc)


# Finance (or the 工程部经理, core.finance_role_fallback) records the payment: a permission of its own.
PAY = Transition("pay", _l("Record the payment"), ["owner_approved"], "paid", style="success",
                 permission="engineering.ft10.pay", fields=[
                     Field("paid_on", _l("Paid on"), "date", required=True, default=lambda doc: calendar_today.today()),
                     Field("paid_amount", _l("Amount paid"), "money", required=True, minimum=Decimal("0.01"),
                           maximum=10**11, default=lambda doc: doc.approved_amount),
                     Field("bank_ref", _l("Bank reference"), required=True, max_length=60)])

FT10 = SupervisionForm(
    code="ft10", title="付款申请表", label=_l("Payment application"), label_plural=_l("Payment applications"),
    lifecycle="review", group="payment", owner_approval=True, blocks=("contractor", "supervisor", "owner"),
    fields=[
        Field("subcontract", _l("Subcontract"), "reference", target="engineering.subcontract", listed=False,
              depends_on=("project",), where=lambda S, user, doc: S.project_id == doc.project_id,
              refusal=_l("Choose a subcontract of the same project."),
              help=_l("Inward: the team's subcontract; its team and value fill in.")),
        Field("payment_type", _l("Payment type"), "choice", choices=PAYMENT_TYPES, required=True, default="progress"),
        Field("period_from", _l("Period from"), "date", listed=False),
        Field("period_to", _l("Period to"), "date", listed=False),
        Field("contract_amount", _l("Contract amount"), "money", minimum=0, maximum=10**11,
              help=_l("Outward: the project's, with the confirmed changes; inward: the subcontract's.")),
        Field("work_done_this_period", _l("Work done in the period"), "textarea", required=True),
        Field("value_this_period", _l("Value of the work done in the period"), "money", required=True, minimum=0,
              maximum=10**11),
        Field("value_cumulative", _l("Value of the work done to date"), "money", readonly=True),
        Field("paid_cumulative", _l("Paid / received to date"), "money", readonly=True),
        Field("requested_amount", _l("Amount applied for"), "money", required=True, minimum=0, maximum=10**11),
        Field("cap_check", _l("Payment ratio check"), readonly=True, listed=False),
        Field("supporting_docs", _l("Supporting documents"), "multichoice", choices=SUPPORTING, required=True),
        Field("verified_amount", _l("Amount verified by the supervisor"), "money", readonly=True),
        Field("approved_amount", _l("Amount approved by the owner"), "money", readonly=True,
              required_in=("owner_approved", "paid")),
        Field("paid_on", _l("Paid on"), "date", readonly=True),
        Field("paid_amount", _l("Amount paid"), "money", readonly=True),
        Field("bank_ref", _l("Bank reference"), readonly=True, max_length=60),
    ],
    lines=[Field("type", _l("Deduction"), "choice", choices=PAYMENT_DEDUCTIONS, required=True, default="advance"),
           Field("amount", _l("Amount"), "money", required=True, minimum=0, maximum=10**11, total=True),
           Field("reference", _l("Reference"), max_length=60)],
    conditions={"submit": [within_cap, team_cap], "review": [within_cap, team_cap],
                "owner_approve": [within_cap, team_cap]},
    inputs={"review": [Field("value_this_period", _l("Value of the work verified in the period"), "money",
                             required=True, minimum=0, maximum=10**11, default=lambda doc: doc.value_this_period),
                       Field("verified_amount", _l("Amount verified by the supervisor"), "money", required=True,
                             minimum=0, maximum=10**11, default=lambda doc: doc.requested_amount)],
            "owner_approve": [Field("approved_amount", _l("Amount approved by the owner"), "money", required=True,
                                    minimum=0, maximum=10**11, default=lambda doc: doc.verified_amount)]},
    effects={"review": value_verified, "owner_approve": payment_approved}, before_save=save_payment,
    prefill=lambda doc: from_subcontract(doc),
    states={"paid": _l("Paid")}, transitions=[PAY])


# ---- F-T12: final account (WF-E04 closing) -----------------------------------------------------
ACCOUNT_DEDUCTIONS = [("penalty", _l("Fine")), ("material", _l("Owner-supplied material")),
                      ("unfinished", _l("Unfinished work")), ("quality", _l("Quality deduction")),
                      ("other", _l("Other"))]
AGREED = ("owner_approved", "closed")


def confirmed_changes(doc) -> tuple[Decimal, Decimal]:
    """(all confirmed changes, those of additional works) of the project's confirmed F-T11 of the
    same party."""
    Model = built("ft11").model
    rows = db.session.execute(select(Model.confirmed_total, Model.change_notice_id, Model.additional_works_id).where(
        party_of(Model, doc), Model.state.in_(AGREED))).all()
    total = sum((Decimal(r.confirmed_total or 0) for r in rows), ZERO)
    additional = sum((Decimal(r.confirmed_total or 0) for r in rows
                      if r.additional_works_id and not r.change_notice_id), ZERO)
    return total, additional


def save_account(doc, project):
    if doc.relation == OUTWARD:
        doc.contract_amount = project.contract_amount
    elif doc.contract_amount is None:
        raise ValidationFailed({"contract_amount": [_("Give the subcontract's amount.")]})
    if getattr(doc, "subcontract_id", None):
        from .subcontracts import settlement_deductions
        settlement_deductions(doc, built("ft12").line_model)
    if doc.state == "draft":
        doc.changes_total, doc.additional_total = confirmed_changes(doc)
        Payment = built("ft10").model
        doc.paid_to_date = Decimal(db.session.scalar(select(func.coalesce(func.sum(Payment.paid_amount), 0)).where(
            party_of(Payment, doc), Payment.state.in_(("paid", "closed")))) or 0)
    account_figures(doc)


def account_figures(doc):
    """Retention and balance from the verified amount (the declared one until verified)."""
    basis = Decimal(doc.verified_amount if doc.verified_amount is not None else doc.declared_amount or 0)
    doc.retention_amount = (basis * Decimal(doc.retention_pct or 0) / 100).quantize(CENT, ROUND_HALF_UP)
    doc.balance = basis - Decimal(doc.paid_to_date or 0) - doc.retention_amount
    if getattr(doc, "subcontract_id", None):    # a team's settlement: the deductions listed come off
        doc.balance -= sum((Decimal(line.amount or 0) for line in doc.lines), ZERO)


def account_verified(doc, user, comment):
    account_figures(doc)


def account_agreed(doc, user, comment):
    account_figures(doc)
    if getattr(doc, "subcontract_id", None):
        from .subcontracts import settlement_agreed
        settlement_agreed(doc, user)
    if doc.relation == OUTWARD:
        announce(doc.eng_project, "final_account", user, calendar_today.today(), amount=Decimal(doc.verified_amount),
                 reference=doc.number)


FT12 = SupervisionForm(
    code="ft12", title="工程结算核定表", label=_l("Final account verification"),
    label_plural=_l("Final account verifications"), lifecycle="review", group="payment", owner_approval=True,
    blocks=("contractor", "supervisor", "owner"), project_states=("closing", "warranty"),
    fields=[
        Field("subcontract", _l("Subcontract"), "reference", target="engineering.subcontract", listed=False,
              depends_on=("project",), where=lambda S, user, doc: S.project_id == doc.project_id,
              refusal=_l("Choose a subcontract of the same project."),
              help=_l("Inward: the team's subcontract; its team and value fill in.")),
        Field("contract_amount", _l("Contract amount"), "money", minimum=0, maximum=10**11,
              help=_l("Outward: the project's contract amount; inward: the subcontract's.")),
        Field("changes_total", _l("Changes in all"), "money", readonly=True),
        Field("additional_total", _l("Additional works in all"), "money", readonly=True),
        Field("declared_amount", _l("Final account declared"), "money", required=True, minimum=0, maximum=10**11),
        Field("verified_amount", _l("Final account verified"), "money", readonly=True,
              required_in=("reviewed", "owner_approved", "closed")),
        Field("paid_to_date", _l("Paid / received to date"), "money", readonly=True),
        Field("retention_pct", _l("Retention (%)"), "percent", required=True, minimum=0, maximum=100,
              default=Decimal(5)),
        Field("retention_amount", _l("Retention amount"), "money", readonly=True),
        Field("balance", _l("Balance payable / receivable"), "money", readonly=True),
    ],
    lines=[Field("type", _l("Deduction"), "choice", choices=ACCOUNT_DEDUCTIONS, required=True, default="penalty"),
           Field("amount", _l("Amount"), "money", required=True, minimum=0, maximum=10**11, total=True),
           Field("reference", _l("Reference"), max_length=60)],
    inputs={"review": [Field("verified_amount", _l("Final account verified"), "money", required=True, minimum=0,
                             maximum=10**11, default=lambda doc: doc.declared_amount)],
            "owner_approve": [Field("verified_amount", _l("Final account verified"), "money", required=True,
                                    minimum=0, maximum=10**11, default=lambda doc: doc.verified_amount)]},
    effects={"review": account_verified, "owner_approve": account_agreed}, before_save=save_account,
    prefill=lambda doc: from_subcontract(doc))


@gate("closing")
def final_account_agreed(project, user) -> list[Issue]:
    """WF-E04 (b): the project goes under warranty with the customer's final account agreed."""
    Model = built("ft12").model
    agreed = db.session.scalar(select(Model.id).where(Model.project_id == project.id, Model.relation == OUTWARD,
                                                      Model.state.in_(AGREED)).limit(1))
    if agreed is None:
        return [Issue(_("The final account with the customer (F-T12) is not agreed yet: record the customer's "
                        "approval of it first."))]
    return []


# ---- registration -------------------------------------------------------------------------------
register(FT05, FT06, FT09, FT10, FT11, FT12)


# ---- what follows a signed notice: its costs verified (F-T11), its time claimed (F-T09) ---------
def follow_up(code: str, target: str, label, values) -> None:
    """A button on a signed `code` notice opening a new `target` form filled from it."""
    endpoint = f"{code}_to_{target}"

    def view(doc_id):
        notice = service.get_visible(doctype_of(code), current_user, doc_id)
        return redirect(f"/engineering/{target}/new?" + urlencode(
            {"project_id": notice.project_id, "relation": notice.relation, "team_name": notice.team_name,
             **values(notice)}))
    bp.add_url_rule(f"/{code}/<int:doc_id>/{target}", endpoint=endpoint, view_func=view)
    built(code).doctype.add_action(Action(label, f"engineering.{endpoint}", permission=f"engineering.{target}.create",
                                          states=SIGNED))


for _code, _reference in (("ft05", "change_notice_id"), ("ft06", "additional_works_id")):
    follow_up(_code, "ft11", _l("Verify the change's costs (F-T11)"), lambda n, r=_reference: {r: n.id})
    follow_up(_code, "ft09", _l("Apply for an extension of time (F-T09)"),
              lambda n: {"requested_days": n.time_impact_days} if (n.time_impact_days or 0) > 0 else {})


# ---- demo data ----------------------------------------------------------------------------------
def demo(users) -> list:
    """On the project engineer's first demo project under construction: a change notice approved,
    signed by the customer and under way, its costs confirmed (the project's value raised, sales
    told); an additional works notice waiting for the 总经理; the change's three days of extension
    of time granted by the customer (the completion moved, the schedule re-baselined); a progress
    payment approved by the customer and a team's payment application handed in. On his first
    project in closing, the final account agreed. `users`: {username: User} with at least "pe" and "eng_mgr". Returns the forms
    made."""
    from flask import g

    from core.documents.views import keep_attachment
    from core.workflow import engine

    from .projects import EngProject, my_projects
    pe, manager = users.get("pe"), users.get("eng_mgr")
    if pe is None or manager is None:
        return []
    made = []

    def form(code, project, lines=(), **values):
        doctype = doctype_of(code)
        doc = service.new_document(doctype, pe)
        doc.project_id, doc.relation = project.id, values.pop("relation", OUTWARD)
        for name, value in values.items():
            setattr(doc, name, value)
        doc.lines = [built(code).line_model(**line) for line in lines]
        doctype.before_save(doc)
        service.assign_number(doctype, doc)
        db.session.add(doc)
        db.session.commit()
        made.append(doc)
        return doc

    def step(code, doc, name, user, comment="", **values):
        for attribute, value in values.items():
            setattr(doc, attribute, value)
        g.audit_user = user
        engine.perform(doctype_of(code), doc, name, user, comment)

    def paper(block, name, org, day):
        return {f"{block}_xsig_name": name, f"{block}_xsig_org": org, f"{block}_xsig_date": day}

    today = calendar_today.today()
    mine = select(EngProject).where(EngProject.id.in_(my_projects(pe))).order_by(EngProject.id)
    project = db.session.scalar(mine.where(EngProject.state == "in_construction").limit(1))
    if project is not None:
        customer = project.customer_name
        change = form("ft05", project, proposed_by="owner", reason="needs",
                      content="二层会议室增加 12 个六类信息点及 1 台无线 AP", reason_detail="业主新增视频会议需求",
                      cost_impact=Decimal("8600"), time_impact_days=3,
                      lines=[{"item": "二层会议室", "drawing": "弱施-02", "before": "信息点 8 个", "after": "信息点 20 个，AP 1 台"}])
        step("ft05", change, "approve_internal", manager, "同意，费用在合同单价内")
        step("ft05", change, "issue", pe, **paper("owner", "王建国", customer, today - timedelta(days=6)))
        step("ft05", change, "start_work", pe)
        costs = form("ft11", project, change_notice_id=change.id, lines=[
            {"item": "六类信息点", "unit": "点", "qty_before": Decimal(8), "qty_after": Decimal(20),
             "unit_price": Decimal("580"), "basis": "合同单价"},
            {"item": "无线 AP（含安装）", "unit": "台", "qty_before": Decimal(0), "qty_after": Decimal(1),
             "unit_price": Decimal("1650"), "basis": "协商单价"}])
        step("ft11", costs, "submit", pe)
        step("ft11", costs, "review", pe, verified_total=costs.declared_total,
             **paper("supervisor", "李明", project.supervisor_firm or customer, today - timedelta(days=3)))
        step("ft11", costs, "owner_approve", pe, confirmed_total=costs.declared_total,
             **paper("owner", "王建国", customer, today - timedelta(days=2)))
        works = form("ft06", project, reason="业主要求新建监控值班室并接入机房", pricing_basis="agreed",
                     required_by=today + timedelta(days=20), time_impact_days=5, lines=[
                         {"item": "42U 网络机柜", "spec": "600×1000", "unit": "台", "qty": Decimal(2),
                          "unit_price": Decimal("4800")},
                         {"item": "室外光缆敷设", "spec": "12 芯单模", "unit": "米", "qty": Decimal(600),
                          "unit_price": Decimal("28")}])
        step("ft06", works, "approve_internal", manager, "同意，报总经理审批")
        extension = form("ft09", project, requested_days=3, lines=[
            {"cause": "change", "reference": change.number, "days": 3, "description": "二层会议室增加信息点及无线 AP"}])
        keep_attachment(FT09.doctype_code, extension.id, "工程变更单及业主确认函.txt",
                        f"{change.number} 工程变更单已经建设单位签认，增加工期 3 天。".encode(), pe)
        db.session.commit()
        step("ft09", extension, "submit", pe, "因工程变更申请延长工期")
        step("ft09", extension, "review", pe, approved_days=3,
             **paper("supervisor", "李明", project.supervisor_firm or customer, today - timedelta(days=2)))
        step("ft09", extension, "owner_approve", pe, approved_days=3,
             **paper("owner", "王建国", customer, today - timedelta(days=1)))
        progress = form("ft10", project, payment_type="progress", period_from=today - timedelta(days=30),
                        period_to=today, work_done_this_period="一至三层桥架敷设、水平线缆敷设完成 60%",
                        value_this_period=Decimal("52000"), requested_amount=Decimal("36400"),
                        supporting_docs=["quantities", "subitems"])
        step("ft10", progress, "submit", pe)
        step("ft10", progress, "review", pe, verified_amount=Decimal("36400"),
             **paper("supervisor", "李明", project.supervisor_firm or customer, today - timedelta(days=1)))
        step("ft10", progress, "owner_approve", pe, approved_amount=Decimal("35000"),
             **paper("owner", "王建国", customer, today))
        team = form("ft10", project, relation=INWARD, team_name="宏达布线施工队", contract_amount=Decimal("48000"),
                    payment_type="progress", period_from=today - timedelta(days=30), period_to=today,
                    work_done_this_period="桥架敷设 850 米，水平线缆 250 点", value_this_period=Decimal("26000"),
                    requested_amount=Decimal("18000"), supporting_docs=["quantities"])
        step("ft10", team, "submit", pe, **paper("contractor", "张宏达", "宏达布线施工队", today))
    closing = db.session.scalar(mine.where(EngProject.state == "closing").limit(1))
    if closing is not None:
        account = form("ft12", closing, contract_amount=closing.contract_amount,
                       declared_amount=closing.current_amount, retention_pct=Decimal(5))
        step("ft12", account, "submit", pe)
        step("ft12", account, "review", pe, verified_amount=closing.current_amount,
             **paper("supervisor", "李明", closing.supervisor_firm or closing.customer_name, today))
        step("ft12", account, "owner_approve", pe, verified_amount=closing.current_amount,
             **paper("owner", "陈主任", closing.customer_name, today))
    g.audit_user = None
    return made


@hookimpl
def erp_permissions():
    return [*(Permission(f"engineering.{code}.{step}", _l("%(doc)s: %(action)s", doc=built(code).form.label,
                                                           action=label))
              for code in ("ft05", "ft06") for step, label in (
                  ("approve_internal", _l("Internal approval: engineering manager")),
                  ("approve_gm", _l("Internal approval: general manager")))),
            Permission("engineering.ft10.pay", _l("%(doc)s: %(action)s", doc=FT10.label,
                                                  action=_l("Record the payment")))]


@hookimpl
def erp_roles():
    """The 工程部经理 approves changes inside the company, the 总经理 those above the threshold;
    finance (or the 工程部经理) records the payments (I-10)."""
    changes = ("ft05", "ft06")
    ft10 = "engineering.ft10"
    return [RoleTemplate(MANAGER, permissions=[*(f"engineering.{c}.approve_internal" for c in changes),
                                               f"{ft10}.pay"]),
            RoleTemplate(GM, permissions=[f"engineering.{c}.approve_gm" for c in changes]),
            RoleTemplate(FINANCE, permissions=[f"{ft10}.read", f"{ft10}.read_all", f"{ft10}.export", f"{ft10}.pay"])]


@hookimpl
def erp_settings():
    return [
        Setting("eng.change_gm_threshold", "decimal", "20000",
                _l("Changes also approved by the general manager above (cost impact, ¥)"),
                _l("WF-E03 E03-b: a change or additional works notice whose cost impact is above this amount "
                   "(either way) is approved by the general manager after the engineering manager."), min="0"),
        Setting("eng.team_progress_pay_max_pct", "decimal", "70",
                _l("Payments to a team before final acceptance at most (% of the value of its work)"),
                _l("R-E-094: the payments applied for by a construction team before the customer's final "
                   "acceptance stay within this share of the cumulative value of its work."), min="0", max="100"),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-033", "变更先签后做", "No changed or additional work before a signed change notice (F-T05/F-T06); "
             "unsigned extra work is not recognised for payment.", "block"),
        Rule("R-E-094", "施工队进度款比例", "Payments to construction teams before final acceptance are limited to a "
             "share of the verified value of their work; under a subcontract, to a higher share after final "
             "acceptance and settlement, the retention once the warranty ended.", "block",
             params=("eng.team_progress_pay_max_pct", "eng.team_pay_after_acceptance_pct", "eng.team_retention_pct")),
    ]
