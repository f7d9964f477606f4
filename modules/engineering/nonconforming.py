"""Nonconforming product (不合格品评审及处置单, X-E10; WF-E07, I-12).

A nonconformance is found at receipt inspection, site inspection, testing or after-sales by the
project engineer or a buyer (FOUND), reviewed by the 工程部经理 (UNDER_REVIEW; when the goods were
purchased the 采购部经理 gives his opinion first), decided (DISPOSITION_DECIDED: return, replace,
rework or repair, concession, scrap — a concession affecting the customer needs the customer's
consent recorded), carried out with its evidence attached (DISPOSED) and closed.

I-12: when a purchased-goods nonconformance is decided (and when it is disposed) engineering
announces ``engineering_nonconformance(nc, event)``; procurement counts it against the supplier's
evaluation and gives the buyer the return or replacement to arrange. Without procurement it stays
here.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.workflow import Issue, Transition, Workflow

from .projects import PROJECT, EngProject, my_projects, of_project

CODE = "engineering.nonconformance"

SOURCES = [("receipt", _l("Receipt inspection")), ("site", _l("Site inspection")), ("testing", _l("Testing")),
           ("after_sales", _l("After-sales"))]
DISPOSITIONS = [("return", _l("Return to the supplier")), ("replace", _l("Replace")), ("rework", _l("Rework or repair")),
                ("concession", _l("Concession")), ("scrap", _l("Scrap"))]
STATES = {"found": _l("Found"), "under_review": _l("Reviewing"), "decided": _l("Disposition decided"),
          "disposed": _l("Disposed"), "closed": _l("Closed")}
PURCHASING_OPINION = Field("purchasing_opinion", _l("Procurement manager's opinion"), "textarea", required=True)
DECISION_FIELDS = (
    Field("review", _l("Review findings"), "textarea", required=True),
    Field("disposition", _l("Disposition"), "choice", choices=DISPOSITIONS, required=True),
)
DISPOSAL_FIELDS = (Field("disposal_result", _l("How it was disposed of"), "textarea", required=True),)


def suppliers() -> list[tuple[int, str]]:
    """Core parties with the supplier role (the nonconformance's supplier picker)."""
    from core.parties.models import Party, PartyRole
    return [(pid, name) for pid, name in db.session.execute(
        select(Party.id, Party.name).join(PartyRole, PartyRole.party_id == Party.id)
        .where(PartyRole.role == "supplier", Party.active.is_(True)).order_by(Party.name))]


NC_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(),
    Field("source", _l("Found during"), "choice", choices=SOURCES, required=True, default="site"),
    Field("found_on", _l("Found on"), "date", required=True),
    Field("item", _l("Item"), required=True, max_length=120),
    Field("brand_model", _l("Brand / model"), max_length=120),
    Field("serials", _l("Serial numbers"), "textarea", listed=False),
    Field("qty", _l("Quantity"), "decimal", required=True, minimum=0, maximum=10**9),
    Field("purchased", _l("Purchased goods"), "bool",
          help=_l("Bought by the company: procurement and the supplier's evaluation are told (I-12).")),
    Field("supplier", _l("Supplier"), "reference", options=suppliers, listed=False),
    Field("supplier_name", _l("Supplier (if not in the directory)"), max_length=120),
    Field("po_number", _l("Purchase order no."), max_length=40, listed=False),
    Field("description", _l("Description of the nonconformance"), "textarea", required=True),
    Field("purchasing_opinion", PURCHASING_OPINION.label, "textarea", readonly=True),
    Field("review", _l("Review findings"), "textarea", readonly=True),
    Field("disposition", _l("Disposition"), "choice", choices=DISPOSITIONS, readonly=True),
    Field("customer_affected", _l("The customer is affected"), "bool", listed=False,
          help=_l("A concession on goods delivered to the customer needs the customer's consent.")),
    Field("customer_consent", _l("Customer's consent"), "xsig"),
    Field("disposal_result", _l("How it was disposed of"), "textarea", readonly=True),
]


class Nonconformance(Document, declared_columns([f for f in NC_FIELDS if f.name not in ("title", "project")]),
                     db.Model):
    """不合格品评审及处置单 (X-E10)."""
    __tablename__ = "eng_nonconformance"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")

    @property
    def supplier_label(self) -> str:
        if self.supplier_id:
            from core.parties.models import Party
            party = db.session.get(Party, self.supplier_id)
            if party is not None:
                return party.name
        return self.supplier_name or ""


def save_nc(nc):
    project = db.session.get(EngProject, nc.project_id) if nc.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    if nc.purchased and not nc.supplier_id and not (nc.supplier_name or "").strip():
        raise ValidationFailed({"supplier_id": [_("Name the supplier of the purchased goods.")]})
    nc.title = f"{project.number} {nc.item or ''}".strip()[:200]


# ---- conditions ---------------------------------------------------------------------------------
def purchasing_heard(nc, user) -> list[Issue]:
    """Purchased goods are reviewed with the procurement manager's opinion (WF-E07)."""
    if nc.purchased and not (nc.purchasing_opinion or "").strip():
        return [Issue(_("Purchased goods: the procurement manager gives his opinion before the decision "
                        "(WF-E07)."), field="purchasing_opinion", code="R-E-047")]
    return []


def concession_consented(nc, user) -> list[Issue]:
    """A concession affecting the customer needs his consent recorded (WF-E07)."""
    if nc.disposition == "concession" and nc.customer_affected and not (nc.customer_consent_name or "").strip():
        return [Issue(_("A concession affecting the customer needs the customer's consent: record who agreed "
                        "(WF-E07)."), field="customer_consent", code="R-E-047")]
    return []


def evidence_attached(nc, user) -> list[Issue]:
    from core.documents.models import Attachment
    if db.session.scalar(select(Attachment.id).where(Attachment.doctype == CODE, Attachment.doc_id == nc.id)
                         .limit(1)) is None:
        return [Issue(_("Attach the evidence of the disposal first (WF-E07)."), field="disposal_result",
                      code="R-E-047")]
    return []


def is_purchased(nc) -> bool:
    return bool(nc.purchased)


NC_WORKFLOW = Workflow(
    states=STATES, initial="found", editable_states=("found", "under_review"),
    transitions=[
        Transition("submit", _l("Hand in for review"), ["found"], "under_review", signs=_l("Found by")),
        Transition("purchasing_opinion", _l("Procurement manager's opinion"), ["under_review"], None,
                   fields=(PURCHASING_OPINION,), when=is_purchased, waits=False, style="outline-primary"),
        Transition("return", _l("Return for more facts"), ["under_review"], "found", comment_required=True,
                   style="outline-danger"),
        Transition("decide", _l("Decide the disposition"), ["under_review"], "decided", style="success",
                   fields=DECISION_FIELDS, conditions=(purchasing_heard, concession_consented),
                   signs=_l("Engineering manager")),
        Transition("dispose", _l("Disposal done"), ["decided"], "disposed", fields=DISPOSAL_FIELDS,
                   conditions=(evidence_attached,)),
        Transition("close", _l("Close"), ["disposed"], "closed", style="outline-secondary"),
    ],
)


def visibility(user):
    """The engineers of the project see it, and whoever found it."""
    return or_(Nonconformance.project_id.in_(my_projects(user)), Nonconformance.owner_id == user.id)


NC = DocType(
    code=CODE, model=Nonconformance, label=_l("Nonconforming product"), label_plural=_l("Nonconforming products"),
    fields=NC_FIELDS, workflow=NC_WORKFLOW, number_prefix="BH", print_title="不合格品评审及处置单",
    visibility=visibility,
    edited_by=lambda doc, user: user.id in doc.project.engineer_ids() or user.id == doc.owner_id,
    before_save=save_nc, menu_order=74, search=("item", "brand_model", "supplier_name", "po_number"),
    columns=[Column("source", _l("Found during"), kind="choice", choices=dict(SOURCES)),
             Column("found_on", _l("Found on"), kind="date"),
             Column("purchased", _l("Purchased goods"), kind="bool"),
             Column("disposition", _l("Disposition"), kind="choice", choices=dict(DISPOSITIONS))],
)

PROJECT.relate(Related(_l("Nonconforming products"), CODE, "project_id"))


# ---- I-12 ---------------------------------------------------------------------------------------
def announce(nc, event: str) -> None:
    """Tell procurement and plugins of a purchased-goods nonconformance (engineering_nonconformance)."""
    if nc.purchased:
        current_app.extensions["erp"].pm.hook.engineering_nonconformance(nc=nc, event=event)


@hookimpl
def erp_transition_done(document, transition, user):
    if not isinstance(document, Nonconformance):
        return
    if transition.name == "decide":
        announce(document, "decided")
    elif transition.name == "dispose":
        announce(document, "disposed")


DECIDED = ("decided", "disposed", "closed")


@hookimpl(optionalhook=True)
def procurement_reported_nonconformances(supplier):
    """I-12: the decided purchased-goods nonconformances of the supplier (its party, or its name
    typed when the supplier was not picked from the directory)."""
    from sqlalchemy import and_, func
    return db.session.scalar(select(func.count(Nonconformance.id)).where(
        Nonconformance.purchased.is_(True), Nonconformance.state.in_(DECIDED),
        or_(Nonconformance.supplier_id == supplier.party_id,
            and_(Nonconformance.supplier_id.is_(None), Nonconformance.supplier_name == supplier.title))))


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Nonconformance]


@hookimpl
def erp_document_types():
    return [NC]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    finder = read + [f"{CODE}.{a}" for a in ("create", "edit", "submit", "dispose")]
    manager = finder + [f"{CODE}.{a}" for a in ("read_all", "return", "decide", "close")]
    return [RoleTemplate("ROLE-ENG-PE", permissions=finder),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-PUR-BUY", permissions=finder + [f"{CODE}.read_all"]),
            RoleTemplate("ROLE-PUR-MGR", permissions=read + [f"{CODE}.read_all", f"{CODE}.purchasing_opinion"]),
            RoleTemplate("ROLE-GM", permissions=read + [f"{CODE}.read_all"]),
            RoleTemplate("ROLE-MKT-DIR", permissions=read + [f"{CODE}.read_all"])]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-047", "不合格品评审及处置", "A nonconforming product is reviewed by the engineering manager (with the "
             "procurement manager for purchased goods), its disposition decided (a concession affecting the customer "
             "with the customer's consent) and carried out with evidence before it is closed.", "block"),
    ]


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> None:
    """A purchased switch returned to its supplier and a concession on cable accepted by the
    customer, on the first started project. ``users``: {"eng_mgr", "pe", "pur_mgr"?}; runs once."""
    from flask import g

    from core.documents import service
    from core.workflow import engine

    from .projects import STARTED
    manager = users.get("eng_mgr")
    if manager is None or db.session.scalar(select(Nonconformance.id).limit(1)):
        return
    project = db.session.scalar(select(EngProject).where(EngProject.state.in_(STARTED)).order_by(EngProject.id))
    if project is None:
        return
    engineer = project.engineer or users.get("pe") or manager
    from core import calendar_today
    today = calendar_today.today()
    from core.documents.models import Attachment
    for values, disposition in (
            ({"source": "receipt", "item": "24口千兆接入交换机", "brand_model": "华为 S5735-L24T4S-A", "serials": "HW2412A0031",
                  "qty": 1, "purchased": True, "supplier_name": "深圳市华信通网络设备有限公司", "po_number": "CG-2026-0042",
                  "description": "到货检验时通电自检失败，第13-24口无法建立链路。"}, "return"),
            ({"source": "site", "item": "六类非屏蔽双绞线", "brand_model": "普天 CAT6 UTP", "qty": 2,
                  "description": "两箱线缆外护套印字不清，抽测性能合格。", "customer_affected": True,
                  "customer_consent_name": "王建国", "customer_consent_org": project.customer_name,
                  "customer_consent_title": "信息中心主任", "customer_consent_date": today,
                  "customer_consent_opinion": "同意让步接收"}, "concession")):
        g.audit_user = engineer
        nc = service.new_document(NC, engineer)
        nc.project_id, nc.found_on = project.id, today
        for key, value in values.items():
            setattr(nc, key, value)
        save_nc(nc)
        service.assign_number(NC, nc)
        db.session.add(nc)
        db.session.commit()
        engine.perform(NC, nc, "submit", engineer, "")
        g.audit_user = manager
        if nc.purchased:
            nc.purchasing_opinion = "同意退货，由采购员联系供应商办理。"
        nc.review = "经评审确认为产品质量问题。" if disposition == "return" else "外观问题不影响使用性能。"
        nc.disposition = disposition
        engine.perform(NC, nc, "decide", manager, "")
        if disposition == "return":
            g.audit_user = engineer
            db.session.add(Attachment(doctype=CODE, doc_id=nc.id, filename="退货签收单.jpg", content_type="image/jpeg",
                                      size=0, sha256="0" * 64, stored_name=f"demo-nc-{nc.id}.jpg", uploaded_by_id=engineer.id))
            nc.disposal_result = "已退回供应商，换发新机到货检验合格。"
            db.session.commit()
            engine.perform(NC, nc, "dispose", engineer, "")
    g.audit_user = None
