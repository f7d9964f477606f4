"""`bench.order`: a sales order with lines, one approval step (the department's manager)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, fields as mf, validate as mv
from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import DecimalField, Form, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import ApprovalStep, DepartmentManager, Transition, Workflow


class Order(Document, db.Model):
    __tablename__ = "bench_order"
    customer: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    lines = relationship(lambda: OrderLine, cascade="all, delete-orphan", order_by=lambda: OrderLine.id)


class OrderLine(db.Model):
    __tablename__ = "bench_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("bench_order.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(100))
    qty: Mapped[int] = mapped_column(default=1)
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)


class OrderForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    customer = StringField(_l("Customer"), validators=[Optional(), Length(max=100)])
    amount = DecimalField(_l("Amount"), places=2, validators=[DataRequired(), NumberRange(min=0)])


class LineForm(Form):
    item = StringField(_l("Item"), validators=[DataRequired(), Length(max=100)])
    qty = IntegerField(_l("Qty"), validators=[DataRequired(), NumberRange(min=1)])
    price = DecimalField(_l("Price"), places=2, validators=[Optional(), NumberRange(min=0)], default=0)


class LineSchema(Schema):
    item = mf.String(required=True, validate=mv.Length(min=1, max=100))
    qty = mf.Integer(required=True, validate=mv.Range(min=1))
    price = mf.Decimal(places=2, as_string=True, load_default=Decimal("0"))


class OrderSchema(Schema):
    title = mf.String(required=True, validate=mv.Length(min=1, max=200))
    customer = mf.String(load_default="", validate=mv.Length(max=100))
    amount = mf.Decimal(places=2, as_string=True, required=True, validate=mv.Range(min=0))
    lines = mf.List(mf.Nested(LineSchema), load_default=list)


WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting approval"), "approved": _l("Approved"),
            "cancelled": _l("Cancelled")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit"), ["draft"], "submitted", kind="submit"),
        Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Reject"), ["submitted"], "draft", kind="reject", comment_required=True),
        Transition("cancel", _l("Cancel"), ["draft", "approved"], "cancelled", comment_required=True,
                   style="outline-danger"),
    ],
    steps=[ApprovalStep("manager", _l("Department manager"), DepartmentManager())],
)

ORDER = DocType(
    code="bench.order", model=Order, label=_l("Order"), label_plural=_l("Orders"),
    form=OrderForm, schema=OrderSchema, workflow=WORKFLOW, number_prefix="BO",
    columns=[Column("customer", _l("Customer")), Column("amount", _l("Amount"), kind="money")],
    search=("customer",),
    lines=Lines("lines", OrderLine, LineForm,
                [Column("item", _l("Item")), Column("qty", _l("Qty"), kind="number"),
                 Column("price", _l("Price"), kind="money")]),
    print_title="销售订单",
)

CLERK = ["bench.order.read", "bench.order.create", "bench.order.edit", "bench.order.submit",
         "bench.order.cancel", "bench.order.export"]


@hookimpl
def erp_models():
    return [Order, OrderLine]


@hookimpl
def erp_document_types():
    return [ORDER]


@hookimpl
def erp_roles():
    return [RoleTemplate("BENCH-CLERK", name="订单录入员", permissions=CLERK),
            RoleTemplate("BENCH-MGR", name="订单经理", permissions=CLERK + ["bench.order.read_department"])]
