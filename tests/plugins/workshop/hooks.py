from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, fields as mf, validate as mv
from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import DecimalField, Form, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.auth.permissions import Permission, RoleTemplate
from core.documents import Column, DocType, Document, Lines
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import ApprovalStep, ByRole, DepartmentManager, Issue, Transition, Workflow


class Request(Document, db.Model):
    __tablename__ = "workshop_request"
    supplier: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    cost: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    lines = relationship(lambda: RequestLine, cascade="all, delete-orphan", order_by=lambda: RequestLine.id)


class RequestLine(db.Model):
    __tablename__ = "workshop_request_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("workshop_request.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(100))
    qty: Mapped[int] = mapped_column(default=1)
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=100)])
    amount = DecimalField(_l("Amount"), places=2, validators=[DataRequired(), NumberRange(min=0)])
    cost = DecimalField(_l("Cost"), places=2, validators=[Optional(), NumberRange(min=0)], default=0)


class LineForm(Form):
    item = StringField(_l("Item"), validators=[DataRequired(), Length(max=100)])
    qty = IntegerField(_l("Qty"), validators=[DataRequired(), NumberRange(min=1)])
    price = DecimalField(_l("Price"), places=2, validators=[Optional(), NumberRange(min=0)], default=0)


class LineSchema(Schema):
    item = mf.String(required=True, validate=mv.Length(min=1, max=100))
    qty = mf.Integer(required=True, validate=mv.Range(min=1))
    price = mf.Decimal(places=2, as_string=True, load_default=Decimal("0"))


class RequestSchema(Schema):
    title = mf.String(required=True, validate=mv.Length(min=1, max=200))
    supplier = mf.String(load_default="", validate=mv.Length(max=100))
    amount = mf.Decimal(places=2, as_string=True, required=True, validate=mv.Range(min=0))
    cost = mf.Decimal(places=2, as_string=True, load_default=Decimal("0"), validate=mv.Range(min=0))
    lines = mf.List(mf.Nested(LineSchema), load_default=list)


def has_lines(doc, user):
    return [] if doc.lines else [Issue("请至少填写一行明细", field="lines")]


WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting approval"), "approved": _l("Approved"),
            "cancelled": _l("Cancelled")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit"), ["draft"], "submitted", kind="submit", conditions=[has_lines]),
        Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Reject"), ["submitted"], "draft", kind="reject", comment_required=True),
        Transition("cancel", _l("Cancel"), ["draft", "approved"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    steps=[
        ApprovalStep("manager", _l("Department manager"), DepartmentManager()),
        ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"), when=lambda d: d.amount > 500_000),
    ],
)

REQUEST = DocType(
    code="workshop.request", model=Request, label=_l("Request"), label_plural=_l("Requests"),
    form=RequestForm, schema=RequestSchema, workflow=WORKFLOW, number_prefix="QR",
    columns=[Column("supplier", _l("Supplier")), Column("amount", _l("Amount"), kind="money"),
             Column("cost", _l("Cost"), kind="money", permission="workshop.cost.view")],
    search=("supplier",),
    lines=Lines("lines", RequestLine, LineForm,
                [Column("item", _l("Item")), Column("qty", _l("Qty"), kind="number"),
                 Column("price", _l("Price"), kind="money", permission="workshop.cost.view")]),
    print_title="采购申请单",
)


@hookimpl
def erp_models():
    from .specimen import Specimen, SpecimenLine
    return [Request, RequestLine, Specimen, SpecimenLine]


@hookimpl
def erp_document_types():
    from .specimen import SPECIMEN
    return [REQUEST, SPECIMEN]


@hookimpl
def erp_permissions():
    return [Permission("workshop.cost.view", "See costs")]


@hookimpl
def erp_roles():
    base = ["workshop.request.read", "workshop.request.create", "workshop.request.edit",
            "workshop.request.submit", "workshop.request.cancel", "workshop.request.export",
            "workshop.request.import", "workshop.specimen.read", "workshop.specimen.create",
            "workshop.specimen.edit", "workshop.specimen.submit", "workshop.specimen.export",
            "workshop.specimen.archive", "workshop.specimen.schedule",
            "workshop.specimen.estimate"]
    return [RoleTemplate("ROLE-MKT-AM", permissions=base + ["workshop.specimen.reassign"]),
            RoleTemplate("ROLE-MKT-MGR", permissions=base + ["workshop.request.read_department", "workshop.cost.view",
                                                             "workshop.specimen.read_department", "workshop.specimen.hand_in",
                                                             "workshop.specimen.check", "workshop.specimen.send_back"]),
            RoleTemplate("ROLE-GM", permissions=base + ["workshop.request.read_all", "workshop.cost.view"])]
