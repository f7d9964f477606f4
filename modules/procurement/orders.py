"""Purchase orders (采购订单, X-P03; WF-P01's order table).

The buyer orders from a qualified supplier of the directory (R-P-010: the supplier field offers
and accepts only those, and ``suppliers.order_standing`` is asked again at submission and at
every approval: a supplier suspended or blacklisted meanwhile stops the order, a grade C or an
overdue re-evaluation is shown as a warning). Each line has its price, VAT rate, promised date
(R-P-022), delivery place, project and the budget unit cost of its request; a line above budget
by more than ``pur.over_budget_pct`` is flagged and must say why before submission (R-P-002).

Approval (R-P-020) is core's approval steps: the 采购部经理 always, the 市场总监 above
``pur.po_mgr_limit``, the 总经理 above ``pur.po_dir_limit``. Approved, the order is announced with
``procurement_order_approved`` (I-04: engineering books the committed cost). The 采购部经理
records the purchase contract (R-P-021: its signed scan attached from ``pur.contract_threshold``
on, the supplier's order confirmation below it). Receipts (receipts.py) carry the order to
partially received and received; invoiced and paid are the payables' part. Prices, amounts and
the total are seen only with ``procurement.price.view`` (R-P-040). Lines not fully received are
reminded to the buyer and the 采购部经理 from two days before their promised date (R-P-022).
"""
from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.models import Attachment
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow

from .suppliers import SUPPLIER, Supplier, order_standing

CODE = "procurement.order"
PRICE = "procurement.price.view"
CENT = Decimal("0.01")

STATES = {
    "draft": _l("Draft"), "pending_approval": _l("Pending approval"), "approved": _l("Approved"),
    "contracted": _l("Contracted / confirmed"), "partially_received": _l("Partially received"),
    "received": _l("Goods received"), "invoiced": _l("Invoice received"), "paid": _l("Paid"), "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}
AFTER_DRAFT = tuple(s for s in STATES if s != "draft")
# R-P-022: lines still to be delivered are followed up in these states.
OPEN_STATES = ("approved", "contracted", "partially_received")
RECEIVING_STATES = ("contracted", "partially_received")

ORDER_FIELDS = [
    Field("title", _l("Order subject"), help=_l("Left empty: the supplier and the first item.")),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code, required=True,
          where=lambda S, user: S.state == "qualified", readonly_in=AFTER_DRAFT,
          refusal=_l("Orders go only to qualified suppliers of the directory (R-P-010).")),
    Field("request", _l("Purchase request"), "reference", target="procurement.request", readonly_in=AFTER_DRAFT,
          where=lambda R, user: R.state.in_(("accepted", "sourcing")),
          refusal=_l("Order from a request accepted by procurement and being sourced."),
          help=_l("Its lines still to order are copied onto an order saved without lines (sourcing.py).")),
    Field("payment_terms", _l("Payment terms"), "textarea", required=True),
    Field("delivery_terms", _l("Delivery terms"), "textarea", required=True),
    Field("warranty_terms", _l("Warranty terms"), "textarea"),
    Field("contract_no", _l("Purchase contract no."), max_length=60, readonly_in=AFTER_DRAFT,
          help=_l("Recorded when the contract is signed or the supplier confirms (R-P-021).")),
    Field("total", _l("Total (incl. tax)"), "money", readonly=True, permission=PRICE),
    Field("promised_date", _l("Earliest promised date"), "date", readonly=True),
]

LINE_FIELDS = [
    Field("item", _l("Item"), required=True, max_length=120),
    Field("model", _l("Brand / model / spec"), max_length=120),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("unit", _l("Unit"), max_length=12),
    Field("unit_price", _l("Unit price (incl. tax)"), "money", required=True, minimum=0, maximum=10**11,
          permission=PRICE),
    Field("vat_rate", _l("VAT rate (%)"), "percent", required=True, minimum=0, maximum=100, default=Decimal("13")),
    Field("amount", _l("Amount"), "money", readonly=True, product=("qty", "unit_price"), total=True,
          permission=PRICE),
    Field("promised_date", _l("Promised date"), "date", required=True),
    Field("delivery_place", _l("Delivery place"), max_length=120),
    Field("project_ref", _l("Project / contract"), max_length=60),
    Field("budget_unit_cost", _l("Budget unit cost"), "money", minimum=0, maximum=10**11, permission=PRICE),
    Field("over_budget", _l("Above budget"), "bool", readonly=True),
    Field("budget_note", _l("Why above budget"), max_length=200,
          help=_l("Required when the price is above the budget by more than the tolerance (R-P-002).")),
    Field("request_line_id", _l("Purchase request line"), "integer", listed=False, minimum=1,
          help=_l("Set when the line is copied from the order's purchase request (sourcing.py).")),
    Field("received_qty", _l("Quantity received"), "decimal", readonly=True),
    Field("accepted_qty", _l("Quantity accepted"), "decimal", readonly=True),
]


class Order(Document, declared_columns([f for f in ORDER_FIELDS if f.name not in ("title", "supplier")]), db.Model):
    """采购订单 (X-P03)."""
    __tablename__ = "procurement_order"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship(lambda: OrderLine, cascade="all, delete-orphan", order_by=lambda: OrderLine.id, lazy="selectin")

    @property
    def supplier_name(self) -> str:
        return self.supplier.title if self.supplier else ""


class OrderLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "procurement_order_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id", ondelete="CASCADE"), index=True)

    @property
    def open_qty(self) -> Decimal:
        """What is still to be delivered and accepted."""
        return max(Decimal(0), Decimal(self.qty or 0) - Decimal(self.accepted_qty or 0))


# ---- saving -------------------------------------------------------------------------------------
def over_budget(line) -> bool:
    """R-P-002: the unit price above the budget unit cost by more than ``pur.over_budget_pct``."""
    if line.budget_unit_cost is None or line.unit_price is None or Decimal(line.budget_unit_cost) <= 0:
        return False
    limit = Decimal(line.budget_unit_cost) * (1 + Decimal(str(settings.get("pur.over_budget_pct"))) / 100)
    return Decimal(line.unit_price) > limit


def earliest_open_promise(order):
    """The earliest promised date of the lines not yet accepted in full (else of all lines)."""
    open_dates = [line.promised_date for line in order.lines if line.promised_date and line.open_qty > 0]
    every = [line.promised_date for line in order.lines if line.promised_date]
    return min(open_dates or every) if (open_dates or every) else None


def save_order(order):
    supplier = db.session.get(Supplier, order.supplier_id) if order.supplier_id else None
    if supplier is None:
        raise ValidationFailed({"supplier_id": [_("Choose a qualified supplier of the directory (R-P-010).")]})
    from .sourcing import check_request_lines, lines_from_request
    if not order.lines and order.request_id:
        lines_from_request(order)
    check_request_lines(order)
    if not order.lines:
        raise ValidationFailed({}, [_("List what is ordered: at least one line.")])
    zero = [str(n) for n, line in enumerate(order.lines, start=1) if not line.qty or Decimal(line.qty) <= 0]
    if zero:
        raise ValidationFailed({}, [_("Line %(n)s: give a quantity above zero.", n="、".join(zero))])
    order.supplier = supplier
    total = Decimal(0)
    for line in order.lines:
        line.amount = (Decimal(line.qty) * Decimal(line.unit_price or 0)).quantize(CENT, ROUND_HALF_UP)
        line.over_budget = over_budget(line)
        line.received_qty = line.received_qty if line.received_qty is not None else Decimal(0)
        line.accepted_qty = line.accepted_qty if line.accepted_qty is not None else Decimal(0)
        total += line.amount
    order.total = total
    order.promised_date = earliest_open_promise(order)
    if not (order.title or "").strip():
        order.title = f"{supplier.title} {order.lines[0].item}"[:200]


# ---- workflow -----------------------------------------------------------------------------------
def supplier_standing(doc, user) -> list:
    """R-P-010: blocking unless the supplier is qualified; warnings shown (grade C, overdue review)."""
    return order_standing(db.session.get(Supplier, doc.supplier_id) if doc.supplier_id else None)


def budget_explained(doc, user) -> list:
    """R-P-002: a line above budget says why."""
    missing = [f"{n} {line.item}" for n, line in enumerate(doc.lines, start=1)
               if line.over_budget and not (line.budget_note or "").strip()]
    if missing:
        return [Issue(_("Lines above budget by more than %(pct)s%% need a reason: %(lines)s (R-P-002).",
                        pct=settings.get("pur.over_budget_pct"), lines="、".join(missing)),
                      field="lines", code="R-P-002")]
    return []


def above(key):
    """R-P-020: the approval step applies when the total is above the setting."""
    def applies(doc) -> bool:
        return Decimal(doc.total or 0) > Decimal(str(settings.get(key)))
    return applies


def attached(doc) -> bool:
    return db.session.scalar(select(Attachment.id).where(Attachment.doctype == CODE, Attachment.doc_id == doc.id)
                             .limit(1)) is not None


def contract_in_place(doc, user) -> list:
    """R-P-021: from ``pur.contract_threshold`` on a signed purchase contract (its number, its scan
    attached); below it the supplier's order confirmation attached."""
    threshold = Decimal(str(settings.get("pur.contract_threshold")))
    if Decimal(doc.total or 0) >= threshold:
        issues = []
        if not (doc.contract_no or "").strip():
            issues.append(Issue(_("Give the purchase contract's number (R-P-021)."), field="contract_no",
                                code="R-P-021"))
        if not attached(doc):
            issues.append(Issue(_("From %(threshold)s an order needs a signed purchase contract: attach its scan "
                                  "(R-P-021).", threshold=f"¥{threshold:,.2f}"), field="contract_no", code="R-P-021"))
        return issues
    if not attached(doc):
        return [Issue(_("Attach the supplier's order confirmation (R-P-021)."), field="contract_no", code="R-P-021")]
    return []


def nothing_received(doc, user) -> list:
    """An order is cancelled only before goods arrive (a receipt not cancelled)."""
    from .receipts import Receipt
    number = db.session.scalar(select(Receipt.number).where(Receipt.order_id == doc.id, Receipt.state != "cancelled")
                               .limit(1))
    if number is not None:
        return [Issue(_("Goods were received on this order (%(number)s): it can no longer be cancelled.",
                        number=number))]
    return []


ORDER_WORKFLOW = Workflow(
    states=STATES, initial="draft",
    transitions=[
        Transition("submit", _l("Submit for approval"), ["draft"], "pending_approval", kind="submit",
                   conditions=[supplier_standing, budget_explained]),
        Transition("approve", _l("Approve"), ["pending_approval"], "approved", kind="approve", style="success",
                   conditions=[supplier_standing]),
        Transition("reject", _l("Return"), ["pending_approval"], "draft", kind="reject", comment_required=True,
                   comment_label=_l("What to change")),
        Transition("contract", _l("Contract signed / supplier confirmed"), ["approved"], "contracted", style="success",
                   conditions=[supplier_standing, contract_in_place],
                   fields=[Field("contract_no", _l("Purchase contract no."), max_length=60,
                                 help=_l("Required from the contract threshold on (R-P-021)."))]),
        Transition("receive_part", _l("Partially received"), list(RECEIVING_STATES), "partially_received",
                   automatic=True),
        Transition("receive", _l("Received in full"), list(RECEIVING_STATES), "received", automatic=True),
        Transition("invoice", _l("Supplier invoice registered"), ["received"], "invoiced", automatic=True),
        Transition("pay", _l("Paid"), ["invoiced"], "paid", automatic=True),
        Transition("close", _l("Closed"), ["paid"], "closed", automatic=True),
        Transition("cancel", _l("Cancel"), ["draft", "pending_approval", "approved", "contracted"], "cancelled",
                   conditions=[nothing_received], comment_required=True, comment_label=_l("Why (the supplier is told)"),
                   style="outline-danger"),
    ],
    steps=[
        ApprovalStep("manager", _l("Procurement manager"), ByRole("ROLE-PUR-MGR")),
        ApprovalStep("director", _l("Marketing director (above the manager's limit)"), ByRole("ROLE-MKT-DIR"),
                     when=above("pur.po_mgr_limit")),
        ApprovalStep("gm", _l("General manager (above the director's limit)"), ByRole("ROLE-GM"),
                     when=above("pur.po_dir_limit")),
    ],
)

ORDER = DocType(
    code=CODE, model=Order, label=_l("Purchase order"), label_plural=_l("Purchase orders"),
    fields=ORDER_FIELDS, workflow=ORDER_WORKFLOW, number_prefix="PO", print_title="采购订单", menu_order=30,
    before_save=save_order, deadline=Deadline("promised_date", states=OPEN_STATES),
    lines=Lines("lines", OrderLine, fields=LINE_FIELDS, blank_rows=2),
    columns=[Column("supplier_name", _l("Supplier"), sortable=False),
             Column("total", _l("Total (incl. tax)"), kind="money", permission=PRICE),
             Column("promised_date", _l("Earliest promised date"), kind="date"),
             Column("contract_no", _l("Purchase contract no."))],
    actions=[Action(_l("Register a delivery"), "procurement.order_receive", permission="procurement.receipt.create",
                    states=RECEIVING_STATES, method="post")],
    related=[Related(_l("Receipts"), "procurement.receipt", "order_id")],
    search=("contract_no",),
)


# ---- events -------------------------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user):
    """I-04: an approved order is the project's committed cost."""
    if isinstance(document, Order) and transition.name == "approve" and document.state == "approved":
        current_app.extensions["erp"].pm.hook.procurement_order_approved(order=document)


@hookimpl
def erp_reminders(now):
    """R-P-022: every line not accepted in full, from two days before its promised date, to the
    order's buyer and every 采购部经理 (overdue after the promised day)."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder
    soon = calendar_today.today() + timedelta(days=2)
    managers = [u.id for u in users_with_roles("ROLE-PUR-MGR")]
    rows = db.session.execute(
        select(Order.id, Order.number, Order.owner_id, OrderLine.id.label("line_id"), OrderLine.item,
               OrderLine.promised_date)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.state.in_(OPEN_STATES), OrderLine.promised_date <= soon,
               OrderLine.qty > db.func.coalesce(OrderLine.accepted_qty, 0))).all()
    reminders = []
    for row in rows:
        for user_id in dict.fromkeys([row.owner_id, *managers]):
            reminders.append(Reminder(
                f"{CODE}.promised:{row.line_id}:{row.promised_date}:{user_id}", user_id,
                _("Delivery due on %(day)s: %(number)s %(item)s", day=row.promised_date.isoformat(),
                  number=row.number, item=row.item),
                cal.deadline_end_of_work(row.promised_date), url=f"/procurement/order/{row.id}"))
    return reminders


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Order, OrderLine]


@hookimpl
def erp_document_types():
    return [ORDER]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export"]
    buyer = read + [f"{CODE}.{a}" for a in ("create", "edit", "submit")]
    grants = [
        ("ROLE-PUR-BUY", buyer),
        ("ROLE-PUR-MGR", buyer + [f"{CODE}.contract", f"{CODE}.cancel"]),
        ("ROLE-MKT-DIR", read),
        ("ROLE-GM", read),
        ("ROLE-FIN", read),
        # Engineering follows what is bought for its projects and inspects it (I-04), prices hidden.
        ("ROLE-ENG-MGR", [f"{CODE}.read", f"{CODE}.read_all"]),
        ("ROLE-ENG-PE", [f"{CODE}.read", f"{CODE}.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.po_mgr_limit", "int", 20000, _l("Purchase orders: procurement manager approves up to (CNY)"),
                _l("R-P-020: above this total the marketing director approves too."), min=0),
        Setting("pur.po_dir_limit", "int", 100000, _l("Purchase orders: marketing director approves up to (CNY)"),
                _l("R-P-020: above this total the general manager approves too."), min=0),
        Setting("pur.contract_threshold", "int", 10000, _l("Purchase contract from (CNY)"),
                _l("R-P-021: from this total a signed purchase contract is attached; below it the supplier's "
                   "order confirmation."), min=0),
        Setting("pur.over_budget_pct", "int", 5, _l("Tolerance above the budget unit cost (%)"),
                _l("R-P-002: a line priced above its budget by more than this needs a reason."), min=0, max=100),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-P-002", "预算对比", "Each purchase line shows its budget unit cost; a line above budget by more than "
             "the tolerance is flagged and needs a reason.", "approval", params=("pur.over_budget_pct",)),
        Rule("R-P-020", "订单审批权限", "Purchase order approval by total: procurement manager, marketing "
             "director, general manager.", "approval", params=("pur.po_mgr_limit", "pur.po_dir_limit")),
        Rule("R-P-021", "采购合同", "A purchase contract is signed from the contract threshold on; below it the "
             "supplier confirms the order.", "block", params=("pur.contract_threshold",)),
        Rule("R-P-022", "交期跟踪", "Each purchase order line has a promised date; lines not delivered are "
             "followed up and late deliveries counted.", "deadline"),
    ]


# ---- demo data (erp demo) -----------------------------------------------------------------------
def demo(users, suppliers) -> None:
    """Orders in several states: a draft, one waiting for the marketing director, one approved,
    one contracted, one partially received (a receipt with a rejected line), one received in
    full and one cancelled."""
    from flask import g

    from core.documents import service
    from core.workflow import engine

    from .receipts import RECEIPT, receipt_for
    buyer, manager, director, gm = users["buyer"], users["pur_mgr"], users.get("mkt_dir"), users.get("gm")
    inspector = users.get("pe") or buyer
    qualified = [s for s in suppliers if s.state == "qualified"]
    if not qualified:
        return
    today = calendar_today.today()
    terms = {"payment_terms": "货到验收合格并收到发票后 30 天内付款", "delivery_terms": "送货至深圳市南山区公司仓库，运费由供方承担",
             "warranty_terms": "原厂质保三年"}

    def order(supplier, rows, title=""):
        g.audit_user = buyer
        doc = service.new_document(ORDER, buyer)
        doc.supplier_id, doc.title = supplier.id, title
        for key, value in terms.items():
            setattr(doc, key, value)
        for item, model, qty, unit, price, days, project in rows:
            doc.lines.append(OrderLine(item=item, model=model, qty=Decimal(qty), unit=unit, unit_price=Decimal(price),
                                       vat_rate=Decimal("13"), promised_date=today + timedelta(days=days),
                                       delivery_place="深圳仓库", project_ref=project,
                                       budget_unit_cost=Decimal(price)))
        service.before_save(ORDER, doc)
        service.assign_number(ORDER, doc)
        db.session.add(doc)
        db.session.commit()
        return doc

    def approve(doc):
        engine.perform(ORDER, doc, "submit", buyer)
        for step, person in (("manager", manager), ("director", director), ("gm", gm)):
            if doc.state == "pending_approval" and person is not None:
                g.audit_user = person
                engine.perform(ORDER, doc, "approve", person, "同意")
        g.audit_user = buyer
        return doc

    def contracted(doc, number):
        # As the 采购部经理 recorded it, the signed contract filed on paper (no scan in the demo).
        approve(doc)
        doc.state, doc.contract_no = "contracted", number
        db.session.commit()
        return doc

    network = qualified[0]
    cabling = qualified[1] if len(qualified) > 1 else network
    security = qualified[2] if len(qualified) > 2 else network
    order(network, [("华为 S5735-L24T4S 接入交换机", "S5735-L24T4S-A1", "4", "台", "3200", 15, "GC-2026-0012")])
    try:
        waiting = order(cabling, [("康普六类非屏蔽网线", "CS24U-305", "60", "箱", "520", 10, "GC-2026-0012"),
                                  ("康普六类配线架 24 口", "760237040", "20", "个", "380", 10, "GC-2026-0012")])
        engine.perform(ORDER, waiting, "submit", buyer)
        g.audit_user = manager
        engine.perform(ORDER, waiting, "approve", manager, "价格与询价一致")   # the director's turn next
        g.audit_user = buyer
        approve(order(security, [("海康威视 400 万像素网络摄像机", "DS-2CD3T47", "24", "台", "420", 12,
                                  "GC-2026-0015")]))
        contracted(order(network, [("华为 RH2288H V5 服务器", "2*4214R/64G/4*1.2T", "2", "台", "26800", 20,
                                    "GC-2026-0015")]), "CG-2026-018")
        partial = contracted(order(network, [
            ("华为 S6730-H24X6C 核心交换机", "S6730-H24X6C", "2", "台", "21500", -3, "GC-2026-0009"),
            ("华为 10G 多模光模块", "OMXD30000", "20", "个", "260", -3, "GC-2026-0009")]), "CG-2026-011")
        receipt = receipt_for(partial, buyer)
        receipt.received_at = calendar_today.now() - timedelta(days=1)
        switches, optics = receipt.lines
        switches.qty_received, switches.serials = Decimal(1), "2102353165P0M1000123"
        optics.qty_received = Decimal(20)
        service.before_save(RECEIPT, receipt)
        service.assign_number(RECEIPT, receipt)
        db.session.add(receipt)
        db.session.commit()
        engine.perform(RECEIPT, receipt, "inspect", buyer, "请工程部检验")
        switches.inspection = "passed"
        optics.inspection, optics.qty_rejected = "failed", Decimal(3)
        optics.nonconformance, optics.return_note = "3 个光模块无法识别，接口损坏", "换货"
        service.before_save(RECEIPT, receipt)
        db.session.commit()
        g.audit_user = inspector
        engine.perform(RECEIPT, receipt, "accept", inspector, "外观、型号核对，通电测试")
        g.audit_user = buyer
        done = contracted(order(cabling, [("罗森伯格 12 芯单模光缆", "GYTA-12B1", "2", "千米", "2300", 5,
                                           "GC-2026-0007")]), "")
        full = receipt_for(done, buyer)
        full.received_at = calendar_today.now() - timedelta(days=2)
        service.before_save(RECEIPT, full)
        service.assign_number(RECEIPT, full)
        db.session.add(full)
        db.session.commit()
        engine.perform(RECEIPT, full, "inspect", buyer)
        full.lines[0].inspection = "passed"
        service.before_save(RECEIPT, full)
        db.session.commit()
        g.audit_user = inspector
        engine.perform(RECEIPT, full, "accept", inspector, "合格")
        g.audit_user = manager
        cancelled = order(security, [("大华 16 路硬盘录像机", "DH-NVR4216", "1", "台", "1850", 7, "")])
        engine.perform(ORDER, cancelled, "cancel", manager, "项目方案变更，已电话通知供方")
    except engine.TransitionRefused:   # a company without some approver: the rest waits for them
        db.session.rollback()
    g.audit_user = None
