"""Purchase requests (采购申请单, X-P01; WF-P01 request table).

Anyone may raise one: a 项目工程师 for his project, a salesperson for an equipment-only contract
(I-06: proposed by sales when the contract is signed), the 市场部助理 for marketing materials, the
行政部 for office items. The requester (the owner) states the purpose, the lines (item, brand /
model / specification, quantity, unit, budget unit cost, required date, delivery place) and, for a
project purchase, the engineering project or the contract it is for (R-P-001: free-text
references, engineering and sales may be off). A line needed within ``pur.urgent_working_days``
working days makes the request urgent (R-P-003): its approvers are told at once and the approval
is due the same day.

Submitted, it is approved by the requester's superior and, above ``pur.request_gm_threshold``,
also by the 总经理 (unless he is that superior); the 采购部经理 accepts it and assigns a buyer (or
returns it), the buyer starts sourcing. Ordered, partially received, received and closed follow
from the orders and receipts: ``lines_ordered``, ``lines_received`` and ``close_request`` move
the request from the state of its lines (``line_status``, ``ordered_qty``), set by the purchase
orders and receipts. The requester or the 采购部经理 cancels it until it is ordered.
"""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents.derived import as_utc
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import (
    ApprovalStep,
    ByRole,
    Issue,
    Superior,
    Transition,
    Workflow,
    engine,
)

from .hooks import REQUESTER_ROLES
from .suppliers import BUYERS

CODE = "procurement.request"

STATES = {
    "draft": _l("Draft"), "submitted": _l("Awaiting department approval"),
    "dept_approved": _l("Awaiting acceptance by procurement"), "accepted": _l("Accepted by procurement"),
    "sourcing": _l("Sourcing"), "ordered": _l("Ordered"), "partially_received": _l("Partially received"),
    "received": _l("Goods received"), "closed": _l("Closed"), "rejected": _l("Returned to the requester"),
    "cancelled": _l("Cancelled"),
}
LINE_STATUSES = [("open", _l("To be ordered")), ("ordered", _l("Ordered")), ("received", _l("Goods received")),
                 ("cancelled", _l("Cancelled"))]
# Cancelled by the requester or the 采购部经理: any state before ordered.
CANCELLABLE = ("draft", "submitted", "dept_approved", "accepted", "sourcing", "rejected")
WITH_BUYER = ("accepted", "sourcing", "ordered", "partially_received", "received", "closed")
FINISHED = ("ordered", "received")      # a line an order has taken (or its goods arrived)

REQUEST_FIELDS = [
    Field("title", _l("Request subject"), readonly=True),
    Field("purpose", _l("Purpose of the purchase"), "textarea", required=True,
          help=_l("What the goods are for: the project, the contract or the office need.")),
    Field("project_related", _l("Project purchase"), "bool",
          help=_l("For an engineering project or a customer contract: name it below (R-P-001).")),
    Field("project_ref", _l("Engineering project no."), max_length=60, help=_l("The project's number or name.")),
    Field("contract_ref", _l("Contract"), max_length=60, help=_l("The signed contract's number.")),
    Field("urgent", _l("Urgent"), "bool",
          help=_l("Needed at short notice (R-P-003): set by itself when a line is required within the urgent "
                  "working days; the approvers are told at once.")),
    Field("total_budget", _l("Total budget"), "money", readonly=True),
    Field("buyer", _l("Buyer"), "user", roles=BUYERS, readonly=True, required_in=WITH_BUYER, listed=True),
    Field("approval_due_at", _l("Approval due"), "datetime", readonly=True, listed=False),
]

LINE_FIELDS = [
    Field("item", _l("Item"), required=True, max_length=120),
    Field("brand_model_spec", _l("Brand / model / specification"), max_length=200),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=Decimal("0.01"), maximum=10**9),
    Field("unit", _l("Unit"), max_length=20),
    Field("budget_unit_cost", _l("Budget unit cost"), "money", minimum=0, maximum=10**11,
          help=_l("From the project's cost budget or the quotation.")),
    Field("budget_amount", _l("Budget amount"), "money", readonly=True, product=("qty", "budget_unit_cost"),
          total=True),
    Field("required_date", _l("Required by"), "date"),
    Field("delivery_place", _l("Delivery place"), max_length=120),
    Field("note", _l("Note"), max_length=200),
    Field("ordered_qty", _l("Ordered quantity"), "decimal", readonly=True),
    Field("line_status", _l("Line status"), "choice", choices=LINE_STATUSES, readonly=True),
]


class PurchaseRequest(Document, declared_columns([f for f in REQUEST_FIELDS if f.name != "title"]), db.Model):
    """采购申请单 (X-P01): the requester is the owner, his department the document's."""
    __tablename__ = "procurement_request"

    lines = relationship(lambda: PurchaseRequestLine, cascade="all, delete-orphan", order_by=lambda: PurchaseRequestLine.id,
                         lazy="selectin")

    def live_lines(self) -> list:
        """The lines not cancelled."""
        return [line for line in self.lines if line.line_status != "cancelled"]


class PurchaseRequestLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "procurement_request_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("procurement_request.id", ondelete="CASCADE"), index=True)


# ---- saving -------------------------------------------------------------------------------------
def urgent_by(today=None):
    """The last required date that makes a request urgent (R-P-003)."""
    return cal.add_working_days(today or calendar_today.today(), settings.get("pur.urgent_working_days"))


def save_request(doc):
    """Amounts and total from the lines, the subject from the purpose; urgent when a line is
    needed within the urgent working days (R-P-003)."""
    from core.auth import acting_user
    user = acting_user()
    if user is not None and doc.id is not None and user.id != doc.owner_id:    # those who read them all
        raise ValidationFailed({}, [_("Only the requester changes his purchase request.")])
    if not doc.lines:
        raise ValidationFailed({"lines": [_("Give at least one line: what is to be bought.")]})
    limit = urgent_by()
    for line in doc.lines:
        line.line_status = line.line_status or "open"
        line.budget_amount = (None if line.qty is None or line.budget_unit_cost is None
                              else (Decimal(line.qty) * Decimal(line.budget_unit_cost)).quantize(Decimal("0.01")))
        if line.required_date is not None and line.required_date <= limit and doc.state in ("draft", "rejected"):
            doc.urgent = True
    doc.total_budget = sum((line.budget_amount or Decimal(0) for line in doc.live_lines()), Decimal(0))
    doc.project_ref, doc.contract_ref = (doc.project_ref or "").strip(), (doc.contract_ref or "").strip()
    purpose = (doc.purpose or "").strip()
    doc.title = (purpose.splitlines()[0] if purpose else "")[:60]


# ---- conditions ---------------------------------------------------------------------------------
def project_referenced(doc, user) -> list:
    """R-P-001: a project purchase names the engineering project or the signed contract."""
    if doc.project_related and not (doc.project_ref or doc.contract_ref):
        return [Issue(_("A project purchase names its engineering project or its signed contract (R-P-001)."),
                      field="project_ref", code="R-P-001")]
    return []


def lines_in_order(doc, user) -> list:
    """Lines to buy, needed no earlier than today; lines without a budget cost are only pointed out."""
    issues = []
    if not doc.lines:
        issues.append(Issue(_("Give at least one line: what is to be bought."), field="lines"))
    today = calendar_today.today()
    past = [line.item for line in doc.lines if line.required_date is not None and line.required_date < today]
    if past:
        issues.append(Issue(_("These lines are required by a date already past: %(items)s.",
                              items="、".join(past)), field="lines"))
    uncosted = [line.item for line in doc.lines if line.budget_unit_cost is None]
    if uncosted:
        issues.append(Issue(_("No budget unit cost for %(items)s: the approvers see a total without them.",
                              items="、".join(uncosted)), field="lines", blocking=False))
    return issues


def requester_or_manager(doc, user) -> list:
    if user.id == doc.owner_id or user.can(f"{CODE}.accept"):
        return []
    return [Issue(_("Only the requester or the procurement manager cancels a purchase request."))]


def the_buyer(doc, user) -> list:
    if user.id == doc.buyer_id or user.can(f"{CODE}.accept"):
        return []
    return [Issue(_("Only the buyer it was assigned to sources it: %(buyer)s.",
                    buyer=doc.buyer.display_name if doc.buyer else "—"), field="buyer_id")]


def needs_gm(doc) -> bool:
    """Above the threshold the 总经理 approves too, unless he is the requester's superior already."""
    if (doc.total_budget or 0) <= Decimal(str(settings.get("pur.request_gm_threshold"))):
        return False
    return not any(u.has_role("ROLE-GM") for u in Superior().users(doc)) if doc.owner else True


BUYER_INPUT = Field("buyer", _l("Buyer"), "user", roles=BUYERS, required=True)

REQUEST_WORKFLOW = Workflow(
    states=STATES, initial="draft", editable_states=("draft", "rejected"),
    transitions=[
        Transition("submit", _l("Submit"), ["draft", "rejected"], "submitted", kind="submit",
                   conditions=[project_referenced, lines_in_order]),
        Transition("approve", _l("Approve"), ["submitted"], "dept_approved", kind="approve", style="success"),
        Transition("reject", _l("Return"), ["submitted"], "rejected", kind="reject", comment_required=True,
                   comment_label=_l("Why it is returned")),
        Transition("accept", _l("Accept and assign a buyer"), ["dept_approved"], "accepted", style="success",
                   fields=[BUYER_INPUT], comment_label=_l("Procurement manager's instructions"),
                   signs=_l("Procurement manager")),
        Transition("decline", _l("Return to the requester"), ["dept_approved"], "rejected", comment_required=True,
                   comment_label=_l("Why it is returned"), style="outline-danger", reviews=True),
        Transition("reassign", _l("Assign another buyer"), ["accepted", "sourcing"], None, fields=[BUYER_INPUT],
                   style="outline-primary", waits=False),
        Transition("source", _l("Start sourcing"), ["accepted"], "sourcing", conditions=[the_buyer]),
        Transition("order", _l("Ordered"), ["accepted", "sourcing"], "ordered", automatic=True),
        Transition("receive_part", _l("Partly received"), ["ordered", "partially_received"], "partially_received",
                   automatic=True),
        Transition("receive", _l("Goods received"), ["ordered", "partially_received"], "received", automatic=True),
        Transition("close", _l("Closed"), ["received"], "closed", automatic=True),
        Transition("cancel", _l("Cancel"), CANCELLABLE, "cancelled", comment_required=True,
                   conditions=[requester_or_manager], style="outline-danger"),
    ],
    steps=[ApprovalStep("superior", _l("Requester's superior"), Superior()),
           ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"), when=needs_gm)],
)

REQUEST = DocType(
    code=CODE, model=PurchaseRequest, label=_l("Purchase request"), label_plural=_l("Purchase requests"),
    fields=REQUEST_FIELDS, workflow=REQUEST_WORKFLOW, number_prefix="SQ", print_title="采购申请单",
    menu_order=20, before_save=save_request, deadline=Deadline("approval_due_at", states=("submitted",)),
    lines=Lines("lines", PurchaseRequestLine, fields=LINE_FIELDS, blank_rows=3),
    columns=[Column("urgent", _l("Urgent"), kind="bool"),
             Column("project_ref", _l("Engineering project no.")), Column("contract_ref", _l("Contract")),
             Column("total_budget", _l("Total budget"), kind="money"),
             Column("buyer", _l("Buyer"), kind="user", sortable=False)],
    search=("purpose", "project_ref", "contract_ref"),
)


def _doctype():
    return current_app.extensions["erp"].doctypes.get(CODE, REQUEST)


# ---- orders and receipts (wired by the purchase orders and receipts) ----------------------------
def lines_ordered(request, user, because: str = "") -> str:
    """A purchase order took lines of `request` (their ``ordered_qty`` or ``line_status`` set):
    a line ordered in full is ``ordered``; once every line not cancelled is ordered, the request
    is ordered. Returns its state; not committed."""
    for line in request.lines:
        if line.line_status == "open" and line.ordered_qty is not None and line.ordered_qty >= line.qty:
            line.line_status = "ordered"
    live = request.live_lines()
    if request.state in ("accepted", "sourcing") and live and all(line.line_status in FINISHED for line in live):
        engine.carry(request, "order", user, because)
    return request.state


def lines_received(request, user, because: str = "") -> str:
    """Goods of `request` arrived (its lines' ``line_status`` set to ``received``): received once
    every line not cancelled is, else partially received. Returns its state; not committed."""
    if request.state not in ("ordered", "partially_received"):
        return request.state
    live = request.live_lines()
    if live and all(line.line_status == "received" for line in live):
        engine.carry(request, "receive", user, because)
    elif any(line.line_status == "received" for line in live) and request.state == "ordered":
        engine.carry(request, "receive_part", user, because)
    return request.state


def close_request(request, user, because: str = "") -> str:
    """Every line received and accepted (or cancelled): the request is closed. Not committed."""
    if request.state == "received":
        engine.carry(request, "close", user, because)
    return request.state


# ---- urgency (R-P-003) --------------------------------------------------------------------------
def approval_due(now=None):
    """The same day's end of work; after it, the next working day's."""
    now = now or calendar_today.now()
    due = cal.deadline_end_of_work(now.date())
    return due if due >= now else cal.deadline_end_of_work(cal.next_working_day(now.date()))


def _tell(doc, people, key: str, title) -> int:
    """Tell each of `people` (users) at once; each once per `key`."""
    from core.i18n import normalise
    from core.reminders import notify
    told = 0
    for person in people:
        if person is None or not person.active:
            continue
        with force_locale(normalise(person.language or current_app.config.get("ERP_LANGUAGE", "zh_CN"))):
            text = str(title(doc))
        if notify(person.id, f"{key}:{person.id}", text, doc.purpose or "", f"/procurement/request/{doc.id}",
                  due_at=doc.approval_due_at and as_utc(doc.approval_due_at)) is not None:
            told += 1
    return told


def tell_urgent(doc) -> int:
    """R-P-003: whoever decides on an urgent request now is told at once."""
    if not doc.urgent:
        return 0
    if doc.state == "submitted":
        open_ids = [t.user_id for t in engine.tasks(_doctype(), doc) if t.status == "open"]
        people = [db.session.get(User, uid) for uid in dict.fromkeys(open_ids)]
        return _tell(doc, people, f"{CODE}:{doc.id}:urgent:{engine.current_round(_doctype(), doc)}", lambda d: _(
            "Urgent purchase request to approve today: %(number)s %(title)s", number=d.number, title=d.title))
    if doc.state == "dept_approved":
        from core.auth.models import users_with_roles
        return _tell(doc, users_with_roles("ROLE-PUR-MGR"), f"{CODE}:{doc.id}:urgent:accept", lambda d: _(
            "Urgent purchase request to accept: %(number)s %(title)s", number=d.number, title=d.title))
    return 0


@hookimpl
def erp_transition_done(document, transition, user):
    if not isinstance(document, PurchaseRequest):
        return
    name = transition.name
    if name == "submit":
        document.approval_due_at = as_utc(approval_due()) if document.urgent else None
    if name in ("submit", "approve"):
        tell_urgent(document)
    elif name in ("accept", "reassign") and document.buyer_id is not None:
        from core.reminders import notify
        notify(document.buyer_id, f"{CODE}:{document.id}:assigned:{document.buyer_id}",
               _("Purchase request assigned to you: %(number)s %(title)s", number=document.number,
                 title=document.title), document.purpose or "", f"/procurement/request/{document.id}")
    elif name == "cancel":
        for task in engine.tasks(_doctype(), document):      # no approval waits for a cancelled request
            if task.status in ("open", "waiting"):
                task.status = "withdrawn"


@hookimpl
def erp_reminders(now):
    """R-P-003: the approvers holding an urgent request are reminded by its due time."""
    from core.reminders import Reminder
    from core.workflow.models import ApprovalTask
    rows = db.session.execute(select(ApprovalTask.user_id, PurchaseRequest.id, PurchaseRequest.number,
                                     PurchaseRequest.title, PurchaseRequest.approval_due_at).join(
        PurchaseRequest, PurchaseRequest.id == ApprovalTask.doc_id).where(
        ApprovalTask.doctype == CODE, ApprovalTask.status == "open", PurchaseRequest.state == "submitted",
        PurchaseRequest.approval_due_at.is_not(None))).all()
    return [Reminder(f"{CODE}.approval:{r.id}:{r.user_id}:{as_utc(r.approval_due_at).isoformat()}", r.user_id,
                     _("Urgent purchase request to approve: %(number)s %(title)s", number=r.number, title=r.title),
                     as_utc(r.approval_due_at), url=f"/procurement/request/{r.id}") for r in rows]


# ---- I-06: an equipment-only contract signed ----------------------------------------------------
def submit_within(doc, user, because: str = "") -> list:
    """Submit `doc` as part of the caller's transaction (a contract being signed): the approvers
    are fixed and told as by the submit button, nothing is committed. Returns what stands in the
    way instead (the request then stays a draft)."""
    doctype = _doctype()
    transition = doctype.workflow.transition("submit")
    issues = engine.check(doctype, doc, transition, user)
    if issues:
        return issues
    engine.carry(doc, "submit", user, because)        # plans the approval steps like the button
    return []


def propose_request(requester, purpose: str, lines: list[dict], because: str, project_ref: str = "",
                    contract_ref: str = "") -> PurchaseRequest:
    """Another module's lines (``item``, ``brand_model``, ``qty``, ``unit``, optional
    ``required_date``) as a submitted project purchase request of `requester` (a draft, and he is
    told why, when it cannot be submitted). Not committed."""
    from core.documents import service
    from core.reminders import notify
    doctype = _doctype()
    doc = service.new_document(doctype, requester)
    doc.project_related = True
    doc.project_ref, doc.contract_ref = str(project_ref or "")[:60], str(contract_ref or "")[:60]
    doc.purpose = purpose
    for line in lines:
        doc.lines.append(PurchaseRequestLine(
            item=str(line.get("item") or "")[:120], brand_model_spec=str(line.get("brand_model") or "")[:200],
            qty=Decimal(str(line.get("qty") or 0)), unit=str(line.get("unit") or "")[:20],
            required_date=line.get("required_date"), line_status="open"))
    save_request(doc)
    service.assign_number(doctype, doc)
    db.session.add(doc)
    db.session.flush()
    issues = submit_within(doc, requester, because)
    if issues:
        notify(requester.id, f"{CODE}:{doc.id}:draft:{requester.id}",
               _("Purchase request %(number)s waits in draft: %(why)s", number=doc.number,
                 why=" ".join(i.message for i in issues)), "", f"/procurement/request/{doc.id}")
    return doc


@hookimpl(optionalhook=True)
def sales_propose_purchase(contract, lines, requester):
    """I-06: the signed equipment-only contract's equipment becomes a submitted purchase request
    of whoever signed it."""
    return propose_request(requester, f"设备销售合同 {contract.number} 采购", lines,
                           _("Contract %(number)s", number=contract.number), contract_ref=contract.number).number


@hookimpl(optionalhook=True)
def engineering_request_purchase(project, lines, requester):
    """I-03: the materials and equipment an engineering project needs from us become a submitted
    purchase request of its engineer, for the project (its number the project reference)."""
    return propose_request(requester, f"工程项目 {project.number} {project.title} 材料设备采购", lines,
                           _("Project %(number)s", number=project.number), project_ref=project.number,
                           contract_ref=project.contract_ref or "").number


# ---- demo ---------------------------------------------------------------------------------------
def demo_requests(users, suppliers):
    """Requests in several states: the project engineer's for his project, the account manager's
    for an equipment contract, the administration's office items."""
    from flask import g

    from core.documents import service
    named = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(
        ("pe", "eng_mgr", "am", "mkt_mgr", "adm", "gm", "pur_mgr", "buyer"))))}
    if not all(name in named for name in ("pe", "am", "adm", "pur_mgr", "buyer")):
        return
    today = calendar_today.today()

    def raise_request(who, purpose, rows, project_ref="", contract_ref=""):
        g.audit_user = named[who]
        doc = service.new_document(REQUEST, named[who])
        doc.purpose, doc.project_related = purpose, bool(project_ref or contract_ref)
        doc.project_ref, doc.contract_ref = project_ref, contract_ref
        for item, spec, qty, unit, cost, days, place in rows:
            doc.lines.append(PurchaseRequestLine(item=item, brand_model_spec=spec, qty=Decimal(qty), unit=unit,
                                                 budget_unit_cost=Decimal(cost), delivery_place=place,
                                                 required_date=cal.add_working_days(today, days)))
        save_request(doc)
        service.assign_number(REQUEST, doc)
        db.session.add(doc)
        db.session.commit()
        return doc

    def step(doc, name, who, comment=""):
        g.audit_user = named[who]
        if name == "accept":
            doc.buyer_id = named["buyer"].id
        engine.perform(REQUEST, doc, name, named[who], comment)

    site = "南山科技园数据中心项目现场"
    first = raise_request("pe", "南山数据中心综合布线项目：机柜与配线架", [
        ("42U 网络机柜", "图腾 G36042 600×1000", "6", "台", "3800", 15, site),
        ("24 口六类配线架", "康普 760237040", "20", "个", "420", 15, site)], project_ref="GC-2026-0003 南山数据中心")
    step(first, "submit", "pe")
    if "eng_mgr" in named:
        step(first, "approve", "eng_mgr", "同意，按预算采购")
        step(first, "accept", "pur_mgr", "何采购负责，本周内询价")
        step(first, "source", "buyer")
    second = raise_request("pe", "南山数据中心项目：核心交换机与光模块", [
        ("核心交换机", "华为 CE6881-48S6CQ", "2", "台", "38000", 20, site),
        ("万兆光模块", "华为 OMXD30000", "24", "个", "650", 20, site)], project_ref="GC-2026-0003 南山数据中心")
    step(second, "submit", "pe")                           # above 50,000: the general manager after the manager
    if "eng_mgr" in named:
        step(second, "approve", "eng_mgr", "同意")
    third = raise_request("am", "设备销售合同 HT-2026-0008 采购：深圳湾科技园接入交换机", [
        ("接入交换机", "H3C S5130S-28S-EI", "10", "台", "2100", 1, "深圳湾科技园管理中心")],
        contract_ref="HT-2026-0008")
    step(third, "submit", "am")                            # needed tomorrow: urgent, the market manager told
    raise_request("adm", "行政部办公用品：打印机与硒鼓", [
        ("激光打印机", "惠普 M404dn", "2", "台", "2300", 10, "公司行政部"),
        ("硒鼓", "惠普 CF276A", "6", "个", "520", 10, "公司行政部")])
    fourth = raise_request("adm", "会议室投影仪更换", [("投影仪", "爱普生 CB-FH52", "1", "台", "5200", 10, "公司三楼会议室")])
    step(fourth, "cancel", "adm", "会议室改用电视屏，不再采购投影仪")
    g.audit_user = None


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [PurchaseRequest, PurchaseRequestLine]


@hookimpl
def erp_document_types():
    return [REQUEST]


@hookimpl
def erp_roles():
    requester = [f"{CODE}.{a}" for a in ("read", "create", "edit", "submit", "cancel")]
    procurement = [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "submit", "cancel", "source",
                                           "export")]
    grants = [(role, requester) for role in (*REQUESTER_ROLES, "ROLE-FIN")] + [
        ("ROLE-PUR-BUY", procurement),
        ("ROLE-PUR-MGR", procurement + [f"{CODE}.{a}" for a in ("accept", "decline", "reassign")]),
        ("ROLE-GM", [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "submit", "cancel", "export")]),
        ("ROLE-MKT-DIR", [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "submit", "cancel",
                                                  "export")]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.request_gm_threshold", "decimal", "50000",
                _l("Purchase requests above this budget are also approved by the general manager (¥)"),
                _l("WF-P01: after the requester's superior, the general manager approves a request whose total "
                   "budget is above this amount."), min="0"),
        Setting("pur.urgent_working_days", "int", 2,
                _l("Purchase requests are urgent when needed within (working days)"),
                _l("R-P-003: a line required within this many working days makes the request urgent; its approvers "
                   "are told at once and the approval is due the same day."), min=0, max=30),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-P-001", "项目采购须关联项目", "A project purchase request names its engineering project or its "
             "signed contract.", "block"),
        Rule("R-P-003", "紧急采购", "A purchase needed within two working days is urgent: its approvers are told at "
             "once and approve the same day.", "approval", params=("pur.urgent_working_days",)),
    ]

