"""Price inquiries (询价单, X-P02; WF-P02) and sales' price-inquiry hook (I-01).

An inquiry asks suppliers for the prices of some items: a pre-sales one (售前询价) comes from a
sales quotation through ``sales_request_price_inquiry`` (owned by whoever asked, the pre-sales
engineer or the salesperson, ``source_ref`` the quotation's number, each row answering the
quotation line ``source_line_id``); a buyer makes a purchase one (采购询价) for a purchase request
or his own comparison. Its rows are one level (core's lines): one row per item and supplier quote,
the rows of one item sharing the item's text (its quantity, unit and requested line are filled in
from the item's first row). It is due ``pur.inquiry_answer_days`` working days after the request
(``answer_due``, a Deadline; the buyers are reminded: every buyer while nobody took it, then the
one who did).

Workflow: requested → in_progress (a buyer takes it on and becomes its buyer) → answered (every
item has exactly one selected quote with its cost, supplier and validity; R-P-011) → expired,
or cancelled before the answer. Answered, procurement broadcasts ``procurement_inquiry_answered``
(sales puts the costs on the quotation and brings it back from "costs asked of procurement").
Expiry is a sweep: ``erp_scheduled`` expires an answered inquiry once the earliest validity of its
selected quotes (``valid_until``, set at the answer) has passed. An expired one is asked again as
a new inquiry (``reinquire``: a copy of its items, linked by ``previous``).

Rules: R-P-011 (an item whose amount, quantity × selected unit cost, reaches
``pur.competitive_threshold`` needs ``pur.min_quotes`` quotes of different suppliers unless a
single-source (独家代理) reason is given on the inquiry or one of the item's rows), enforced when
answering (test_inquiries.py). R-P-040: unit costs are shown only with ``procurement.price.view``
(the requester sees the answer on his quotation, not here).
"""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow, engine

from .suppliers import SUPPLIER, Supplier

CODE = "procurement.inquiry"
PRICE = "procurement.price.view"
BUYERS = ("ROLE-PUR-BUY", "ROLE-PUR-MGR")

STATES = {"requested": _l("Inquiry requested"), "in_progress": _l("Being inquired"), "answered": _l("Answered"),
          "expired": _l("Expired"), "cancelled": _l("Cancelled")}
SOURCES = [("presales", _l("Pre-sales inquiry")), ("purchase", _l("Purchase inquiry"))]
OPEN = ("requested", "in_progress")
CLOSED = ("answered", "expired", "cancelled")

SINGLE_SOURCE = Field("single_source_reason", _l("Single-source reason (sole agent)"), "textarea",
                      readonly_in=CLOSED, help=_l("Why fewer quotes than R-P-011 asks for are enough for every "
                                                  "item, e.g. the supplier is the brand's sole agent."))

INQUIRY_FIELDS = [
    Field("source", _l("Inquiry source"), "choice", choices=SOURCES, required=True, default="purchase",
          readonly_in=CLOSED),
    Field("source_ref", _l("Requested for"), max_length=40, readonly_in=CLOSED,
          help=_l("The sales quotation's number, or the purchase request's.")),
    Field("requested_by", _l("Requested by"), "user", readonly_in=CLOSED,
          help=_l("Left empty: whoever makes the inquiry.")),
    Field("answer_due", _l("Answer due"), "date", readonly_in=CLOSED,
          help=_l("Left empty: the number of working days the settings give after the request.")),
    Field("buyer", _l("Buyer"), "user", roles=BUYERS, readonly=True),
    SINGLE_SOURCE,
    Field("valid_until", _l("Answer valid until"), "date", readonly=True),
    Field("answered", _l("Answered by"), "sig"),
    Field("previous", _l("Inquiry asked again"), "reference", target=CODE, readonly=True, listed=False),
    Field("notes", _l("Notes"), "textarea", readonly_in=CLOSED),
]

LINE_FIELDS = [
    Field("item", _l("Item"), required=True, max_length=120),
    Field("brand_model_spec", _l("Brand, model and specification"), max_length=200),
    Field("qty", _l("Quantity"), "decimal", minimum=0,
          help=_l("Left empty on a further quote: the item's quantity.")),
    Field("unit", _l("Unit"), max_length=12),
    Field("supplier", _l("Supplier"), "reference", target=SUPPLIER.code,
          where=lambda S, user: S.state != "blacklisted"),
    Field("unit_cost", _l("Unit cost"), "money", minimum=0, permission=PRICE),
    Field("vat_rate", _l("VAT rate"), "percent", default=Decimal("13"), minimum=0, maximum=100),
    Field("lead_time_days", _l("Lead time (days)"), "integer", minimum=0, maximum=3650),
    Field("valid_until", _l("Quote valid until"), "date"),
    Field("substitute", _l("Substitute offered"), max_length=200,
          help=_l("What the supplier offers instead of the brand or model asked for.")),
    Field("single_source", _l("Single-source reason"), max_length=200),
    Field("selected", _l("Chosen"), "bool"),
    Field("source_line_id", _l("Requested line"), "integer", readonly=True, listed=False),
]


class Inquiry(Document, declared_columns(INQUIRY_FIELDS), db.Model):
    """询价单 (X-P02)."""
    __tablename__ = "procurement_inquiry"

    lines = relationship(lambda: InquiryLine, cascade="all, delete-orphan", order_by=lambda: InquiryLine.id, lazy="selectin")

    def by_item(self) -> dict[str, list]:
        """The rows by item (the item's text), in the order the items first appear."""
        out: dict[str, list] = {}
        for line in self.lines:
            out.setdefault((line.item or "").strip(), []).append(line)
        return out


class InquiryLine(declared_columns(LINE_FIELDS), db.Model):
    """One supplier's quote for one item (or the item asked, before any quote)."""
    __tablename__ = "procurement_inquiry_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("procurement_inquiry.id", ondelete="CASCADE"), index=True)


# ---- saving -------------------------------------------------------------------------------------
def answer_days() -> int:
    return settings.get("pur.inquiry_answer_days")


def save_inquiry(doc):
    """Defaults (requester, due day), the item's values shared by its rows, the suppliers quoted."""
    if doc.requested_by_id is None:
        doc.requested_by_id = doc.owner_id
    if doc.answer_due is None:
        doc.answer_due = cal.add_working_days(calendar_today.today(), answer_days())
    errors = []
    position = {id(line): n for n, line in enumerate(doc.lines, start=1)}
    for item, rows in doc.by_item().items():
        first = rows[0]
        asked = {r.source_line_id for r in rows if r.source_line_id is not None}
        if len(asked) > 1:
            errors.append(_("Line %(n)s: the rows of “%(item)s” answer different lines of the request; keep the "
                            "request's rows in place and add each quote as a row of its own.",
                            n=position[id(rows[-1])], item=item))
            continue
        for line in rows:
            line.item = item
            if line.qty is None:
                line.qty = next((r.qty for r in rows if r.qty is not None), None)
            if not line.unit:
                line.unit = next((r.unit for r in rows if r.unit), "")
            if not line.brand_model_spec:
                line.brand_model_spec = first.brand_model_spec or ""
            if line.source_line_id is None and asked:
                line.source_line_id = next(iter(asked))
            if line.qty is None:
                errors.append(_("Line %(n)s: give the quantity of “%(item)s”.", n=position[id(line)], item=item))
    ids = {line.supplier_id for line in doc.lines if line.supplier_id is not None}
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(ids)))} if ids else {}
    for line in doc.lines:
        if line.supplier_id is None:
            continue
        supplier = suppliers.get(line.supplier_id)
        if supplier is None:
            errors.append(_("Line %(n)s: choose a supplier of the directory.", n=position[id(line)]))
        elif supplier.state == "blacklisted":
            errors.append(_("Line %(n)s: %(supplier)s is blacklisted: ask another supplier.",
                            n=position[id(line)], supplier=supplier.title))
    if errors:
        raise ValidationFailed({"lines": errors})


# ---- the answer ---------------------------------------------------------------------------------
def selected_quotes(doc) -> dict[str, object]:
    """item -> its selected row (items with exactly one)."""
    out = {}
    for item, rows in doc.by_item().items():
        chosen = [r for r in rows if r.selected]
        if len(chosen) == 1:
            out[item] = chosen[0]
    return out


def answerable(doc, user) -> list[Issue]:
    """Every item has exactly one selected quote with its supplier (not blacklisted), unit cost
    and validity (not passed); R-P-011 for the items at or above the threshold."""
    items = doc.by_item()
    if not items:
        return [Issue(_("List the items to inquire."), field="lines")]
    today = calendar_today.today()
    issues = []
    ids = {line.supplier_id for line in doc.lines if line.supplier_id is not None}
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(ids)))} if ids else {}
    threshold = Decimal(str(settings.get("pur.competitive_threshold")))
    needed = settings.get("pur.min_quotes")
    for item, rows in items.items():
        chosen = [r for r in rows if r.selected]
        if len(chosen) != 1:
            issues.append(Issue(_("Choose exactly one quote for “%(item)s” (%(n)s chosen).", item=item, n=len(chosen)),
                                field="lines"))
            continue
        quote = chosen[0]
        supplier = suppliers.get(quote.supplier_id)
        if supplier is None:
            issues.append(Issue(_("The quote chosen for “%(item)s” needs its supplier.", item=item), field="lines"))
        elif supplier.state == "blacklisted":
            issues.append(Issue(_("%(supplier)s, chosen for “%(item)s”, is blacklisted.", supplier=supplier.title,
                                  item=item), field="lines"))
        if quote.unit_cost is None:
            issues.append(Issue(_("The quote chosen for “%(item)s” needs its unit cost.", item=item), field="lines"))
        if quote.valid_until is None:
            issues.append(Issue(_("The quote chosen for “%(item)s” needs its validity date.", item=item),
                                field="lines"))
        elif quote.valid_until < today:
            issues.append(Issue(_("The quote chosen for “%(item)s” was valid until %(day)s only.", item=item,
                                  day=quote.valid_until.isoformat()), field="lines"))
        if quote.unit_cost is None or quote.qty is None:
            continue
        amount = quote.qty * quote.unit_cost
        quoted = {r.supplier_id for r in rows if r.supplier_id is not None and r.unit_cost is not None}
        justified = (doc.single_source_reason or "").strip() or any((r.single_source or "").strip() for r in rows)
        if amount >= threshold and len(quoted) < needed and not justified:
            issues.append(Issue(_("“%(item)s” comes to %(amount)s: compare at least %(needed)s quotes of different "
                                  "suppliers (%(quoted)s so far) or give the single-source reason (R-P-011).",
                                  item=item, amount=f"{amount:,.2f}", needed=needed, quoted=len(quoted)),
                                field="lines", code="R-P-011"))
    return issues


def costs_of(doc) -> dict[int, dict]:
    """The answer by requested line: {source_line_id: {"unit_cost", "supplier", "valid_until",
    "lead_time_days", "brand_model_spec", "substitute"}} (items without a requested line left out)."""
    chosen = [q for q in selected_quotes(doc).values() if q.source_line_id is not None]
    ids = {q.supplier_id for q in chosen if q.supplier_id is not None}
    names = dict(db.session.execute(select(Supplier.id, Supplier.title).where(Supplier.id.in_(ids))).all()) if ids else {}
    return {q.source_line_id: {"unit_cost": q.unit_cost, "supplier": names.get(q.supplier_id, ""),
                               "valid_until": q.valid_until, "lead_time_days": q.lead_time_days,
                               "brand_model_spec": q.brand_model_spec or "", "substitute": q.substitute or ""}
            for q in chosen}


def _no_reinquiry(doc) -> bool:
    return doc.id is not None and not db.session.scalar(
        select(func.count(Inquiry.id)).where(Inquiry.previous_id == doc.id))


def _reinquired(doc):
    number = db.session.scalar(select(Inquiry.number).where(Inquiry.previous_id == doc.id).order_by(Inquiry.id.desc()))
    return _("Asked again as %(number)s.", number=number or "—")


INQUIRY_WORKFLOW = Workflow(
    states=STATES, initial="requested", editable_states=OPEN,
    transitions=[
        Transition("take", _l("Take it on"), ["requested"], "in_progress", style="success",
                   done_message=_l("You are the inquiry's buyer: ask the suppliers and record their quotes.")),
        Transition("answer", _l("Answer"), ["in_progress"], "answered", conditions=[answerable],
                   fields=[SINGLE_SOURCE], comment_label=_l("Answer note")),
        Transition("expire", _l("Validity passed"), ["answered"], "expired", automatic=True),
        Transition("reinquire", _l("Ask again"), ["expired"], None, when=_no_reinquiry, style="outline-primary",
                   done_message=_reinquired),
        Transition("cancel", _l("Cancel"), ["requested", "in_progress"], "cancelled", comment_required=True,
                   comment_label=_l("Reason"), style="outline-danger"),
    ],
)

INQUIRY = DocType(
    code=CODE, model=Inquiry, label=_l("Price inquiry"), label_plural=_l("Price inquiries"),
    fields=INQUIRY_FIELDS, workflow=INQUIRY_WORKFLOW, number_prefix="XJ", print_title="询价单", menu_order=20,
    before_save=save_inquiry, deadline=Deadline("answer_due", states=OPEN),
    lines=Lines("lines", InquiryLine, fields=LINE_FIELDS, blank_rows=2),
    columns=[Column("source", _l("Inquiry source"), kind="choice", choices=dict(SOURCES)),
             Column("source_ref", _l("Requested for")),
             Column("requested_by", _l("Requested by"), kind="user", sortable=False),
             Column("buyer", _l("Buyer"), kind="user", sortable=False),
             Column("answer_due", _l("Answer due"), kind="date"),
             Column("valid_until", _l("Answer valid until"), kind="date")],
    search=("source_ref",),
    related=[Related(_l("Asked again as"), CODE, "previous_id")],
)


def new_inquiry(user, source: str, source_ref: str, title: str, rows: list[dict], requested_by=None, notes: str = ""):
    """A requested inquiry owned by ``user`` with one row per item (``rows``: dicts of line
    attributes), numbered and added to the session, not committed."""
    from core.documents import service
    doc = service.new_document(INQUIRY, user)
    doc.source, doc.source_ref, doc.title, doc.notes = source, (source_ref or "")[:40], (title or "")[:200], notes
    doc.requested_by_id = (requested_by or user).id
    for row in rows:
        doc.lines.append(InquiryLine(**row))
    service.before_save(INQUIRY, doc)
    service.assign_number(INQUIRY, doc)
    db.session.add(doc)
    db.session.flush()
    return doc


def _ask_again(doc, user):
    """A new requested inquiry for an expired one's items (their chosen supplier as a start)."""
    rows = []
    for item, quotes in doc.by_item().items():
        quote = next((q for q in quotes if q.selected), quotes[0])
        rows.append({"item": item, "brand_model_spec": quote.brand_model_spec, "qty": quote.qty, "unit": quote.unit,
                     "supplier_id": quote.supplier_id, "vat_rate": quote.vat_rate,
                     "source_line_id": quote.source_line_id})
    owner = doc.owner or user
    again = new_inquiry(owner, doc.source, doc.source_ref, doc.title, rows, requested_by=doc.requested_by or owner,
                        notes=doc.notes or "")
    again.department_id, again.previous_id = doc.department_id, doc.id
    return again


# ---- events -------------------------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, user, comment):
    if not isinstance(document, Inquiry):
        return
    if transition.name == "take":
        document.buyer_id = user.id
    elif transition.name == "answer":
        document.buyer_id = document.buyer_id or user.id
        sign(document, "answered", user)
        document.valid_until = min(q.valid_until for q in selected_quotes(document).values())
        current_app.extensions["erp"].pm.hook.procurement_inquiry_answered(inquiry=document, costs=costs_of(document))
    elif transition.name == "reinquire":
        _ask_again(document, user)
    elif transition.name == "cancel":
        current_app.extensions["erp"].pm.hook.procurement_inquiry_cancelled(inquiry=document, reason=comment or "")


@hookimpl
def erp_scheduled(now):
    """An answered inquiry expires once the earliest validity of its chosen quotes has passed."""
    from core.documents.derived import local
    from core.reminders import acting_for
    stale = db.session.scalars(select(Inquiry).where(Inquiry.state == "answered", Inquiry.valid_until.is_not(None),
                                                     Inquiry.valid_until < local(now).date())).all()
    for inquiry in stale:
        with acting_for(inquiry.buyer or inquiry.owner):
            engine.carry(inquiry, "expire", inquiry.buyer or inquiry.owner,
                         because=_("Valid until %(date)s.", date=inquiry.valid_until.isoformat()))


@hookimpl
def erp_reminders(now):
    """WF-P02: an inquiry nobody took is reminded to every buyer, one taken to its buyer, by its
    answer day."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder, daily_before_end_of_work, horizon
    buyers = [u.id for u in users_with_roles("ROLE-PUR-BUY")] or [u.id for u in users_with_roles("ROLE-PUR-MGR")]
    rows = db.session.execute(select(Inquiry.id, Inquiry.number, Inquiry.title, Inquiry.buyer_id, Inquiry.answer_due)
                              .where(Inquiry.state.in_(OPEN), Inquiry.answer_due.is_not(None),
                                     Inquiry.answer_due < horizon(now).date())).all()
    return [Reminder(f"{CODE}.answer:{row.id}:{row.answer_due.isoformat()}:{user_id}", user_id,
                     _("Price inquiry to answer: %(number)s %(title)s", number=row.number, title=row.title),
                     daily_before_end_of_work(row.answer_due), url=f"/procurement/inquiry/{row.id}")
            for row in rows for user_id in ([row.buyer_id] if row.buyer_id else buyers)]


# ---- sales' price inquiry (I-01) ----------------------------------------------------------------
@hookimpl(optionalhook=True)
def sales_request_price_inquiry(quotation, lines, requester):
    """I-01: a quotation's lines without a cost become a requested pre-sales inquiry owned by
    whoever asked; the answer comes back through ``procurement_inquiry_answered``."""
    rows, seen = [], set()
    for line in lines:
        item = (line.item or "").strip()
        if item in seen:  # rows of one item share its text: another line of the same name stays apart
            item = f"{item} ({line.brand_model or line.id})"
        seen.add(item)
        rows.append({"item": item[:120], "brand_model_spec": (line.brand_model or "")[:200], "qty": line.qty,
                     "unit": (line.unit or "")[:12], "source_line_id": line.id})
    title = " ".join(part for part in (getattr(quotation, "customer_name", ""), quotation.title) if part)
    doc = new_inquiry(requester, "presales", quotation.number, title, rows)
    return {"reference": doc.number, "costs": {}}


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Inquiry, InquiryLine]


@hookimpl
def erp_document_types():
    return [INQUIRY]


@hookimpl
def erp_roles():
    buyer = [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "take", "answer", "reinquire", "cancel",
                                     "export")]
    grants = [("ROLE-PUR-BUY", buyer), ("ROLE-PUR-MGR", buyer),
              ("ROLE-GM", [f"{CODE}.read", f"{CODE}.read_all"]),
              ("ROLE-MKT-DIR", [f"{CODE}.read", f"{CODE}.read_all"])]
    # Who asks through a quotation reads his own inquiries (the costs stay hidden: R-P-040).
    grants += [(role, [f"{CODE}.read"]) for role in ("ROLE-MKT-PSE", "ROLE-PS-MGR", "ROLE-MKT-AM", "ROLE-MKT-AAM",
                                                     "ROLE-MKT-MGR")]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.inquiry_answer_days", "int", 2, _l("Price inquiries answered within (working days)"),
                _l("WF-P02: an inquiry's answer is due this many working days after the request."), min=1, max=30),
        Setting("pur.competitive_threshold", "decimal", "10000",
                _l("Compare several quotes from this amount per item (¥)"),
                _l("R-P-011: an item whose amount (quantity × chosen unit cost) reaches it needs quotes of several "
                   "suppliers unless a single-source reason is given."), min="0"),
        Setting("pur.min_quotes", "int", 3, _l("Quotes to compare"),
                _l("R-P-011: how many quotes of different suppliers such an item needs."), min=1, max=10),
    ]


@hookimpl
def erp_rules():
    return [Rule("R-P-011", "询价比价", "Items from pur.competitive_threshold need at least pur.min_quotes quotes of "
                 "different suppliers unless single-source (sole agent) is justified.", "block",
                 params=("pur.competitive_threshold", "pur.min_quotes"))]


# ---- demo ---------------------------------------------------------------------------------------
def demo_inquiries(users, suppliers):
    """An answered pre-sales inquiry (three quotes for the big items, a sole agent for one) and a
    purchase inquiry being asked."""
    from datetime import timedelta

    from flask import g

    from core.auth.models import User
    buyer = users["buyer"]
    asker = db.session.scalar(select(User).where(User.username == "pse")) or buyer
    qualified = [s for s in suppliers if s.state == "qualified"]
    if len(qualified) < 3:
        return
    huaxun, jinlan, anshida = qualified[:3]
    valid = calendar_today.today() + timedelta(days=30)
    g.audit_user = asker
    presales = new_inquiry(asker, "presales", "深圳湾科技园网络改造设备清单", "深圳湾科技园管理中心 网络设备报价", [
        {"item": "核心交换机", "brand_model_spec": "华为 S7706 双主控", "qty": Decimal(2), "unit": "台"},
        {"item": "接入交换机", "brand_model_spec": "华为 S5735-L48T4X", "qty": Decimal(20), "unit": "台"},
        {"item": "无线 AP", "brand_model_spec": "华为 AirEngine 5761-11", "qty": Decimal(30), "unit": "个"}],
        notes="客户要求两周内出报价")
    db.session.commit()
    g.audit_user = buyer
    engine.perform(INQUIRY, presales, "take", buyer)
    quotes = [("核心交换机", huaxun, "68500", 15, True, ""), ("核心交换机", jinlan, "71200", 20, False, ""),
              ("核心交换机", anshida, "73800", 30, False, ""),
              ("接入交换机", huaxun, "4650", 10, True, ""), ("接入交换机", jinlan, "4820", 10, False, ""),
              ("接入交换机", anshida, "4300", 25, False, "H3C S5130S-52S-EI"),
              ("无线 AP", huaxun, "1180", 10, True, "")]
    rows = presales.by_item()
    for item, supplier, cost, days, chosen, substitute in quotes:
        line = rows[item][0] if rows[item][0].supplier_id is None else InquiryLine(item=item)
        if line.id is None:
            presales.lines.append(line)
        line.supplier_id, line.unit_cost, line.lead_time_days, line.valid_until = supplier.id, Decimal(cost), days, valid
        line.selected, line.substitute = chosen, substitute
        if item == "无线 AP":
            line.single_source = "华讯为华为无线产品深圳区域独家授权代理"
    save_inquiry(presales)
    db.session.commit()
    engine.perform(INQUIRY, presales, "answer", buyer, "核心交换机含三年原厂服务")
    g.audit_user = buyer
    purchase = new_inquiry(buyer, "purchase", "机房改造采购申请", "数据中心机房改造 布线与机柜", [
        {"item": "六类非屏蔽网线", "brand_model_spec": "康普 CS24U 305米/箱", "qty": Decimal(50), "unit": "箱"},
        {"item": "42U 网络机柜", "brand_model_spec": "图腾 G3.6042", "qty": Decimal(6), "unit": "台"}],
        requested_by=users.get("pe") or buyer)
    db.session.commit()
    engine.perform(INQUIRY, purchase, "take", buyer)
    cable = purchase.by_item()["六类非屏蔽网线"][0]
    cable.supplier_id, cable.unit_cost, cable.lead_time_days, cable.valid_until = jinlan.id, Decimal("1150"), 7, valid
    db.session.commit()
