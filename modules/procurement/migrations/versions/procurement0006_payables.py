"""Procurement payables: supplier invoices, payables, reconciliation statements, fund-use plans, payment requests.

Revision ID: procurement0006_payables
Revises: procurement0005_order_request
Create Date: 2026-12-05 19:18:56.793360
"""
import sqlalchemy as sa
from alembic import op


revision = 'procurement0006_payables'
down_revision = 'procurement0005_order_request'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procurement_fund_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_fund_plan_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_fund_plan_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_fund_plan_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_fund_plan_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_fund_plan')),
    sa.UniqueConstraint('number', name='uq_procurement_fund_plan_number')
    )
    with op.batch_alter_table('procurement_fund_plan', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_fund_plan_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_fund_plan_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_fund_plan_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_fund_plan_state_id', ['state', 'id'], unique=False)

    op.create_table('procurement_fund_plan_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('payable_id', sa.Integer(), nullable=True),
    sa.Column('forecast', sa.String(length=200), nullable=True),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('priority', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['procurement_fund_plan.id'], name=op.f('fk_procurement_fund_plan_line_plan_id_procurement_fund_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_fund_plan_line'))
    )
    with op.batch_alter_table('procurement_fund_plan_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_fund_plan_line_payable_id'), ['payable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_fund_plan_line_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_fund_plan_line_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_payment',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('in_fund_plan', sa.Boolean(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('bank_name', sa.String(length=200), nullable=True),
    sa.Column('bank_account', sa.String(length=200), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('bank_ref', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_payment_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_payment_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_payment_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_payment_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_payment_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_payment')),
    sa.UniqueConstraint('number', name='uq_procurement_payment_number')
    )
    with op.batch_alter_table('procurement_payment', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_payment_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_payment_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_payment_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_payment_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_payment_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_reconciliation',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.Date(), nullable=True),
    sa.Column('opening_balance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('invoiced', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('closing_balance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('supplier_balance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('difference', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('difference_note', sa.Text(), nullable=True),
    sa.Column('supplier_confirmation_name', sa.String(length=200), nullable=True),
    sa.Column('supplier_confirmation_org', sa.String(length=200), nullable=True),
    sa.Column('supplier_confirmation_title', sa.String(length=200), nullable=True),
    sa.Column('supplier_confirmation_date', sa.Date(), nullable=True),
    sa.Column('supplier_confirmation_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_reconciliation_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_reconciliation_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_reconciliation_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_reconciliation_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_reconciliation_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_reconciliation')),
    sa.UniqueConstraint('number', name='uq_procurement_reconciliation_number')
    )
    with op.batch_alter_table('procurement_reconciliation', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_reconciliation_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_reconciliation_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_reconciliation_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_reconciliation_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_reconciliation_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_invoice',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('invoice_no', sa.String(length=40), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('tax_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('differences', sa.Text(), nullable=True),
    sa.Column('release_note', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_invoice_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_invoice_department_id_department')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_invoice_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_invoice_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_invoice_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_invoice_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_invoice')),
    sa.UniqueConstraint('number', name='uq_procurement_invoice_number')
    )
    with op.batch_alter_table('procurement_invoice', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_invoice_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_invoice_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_invoice_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_procurement_invoice_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_invoice_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_invoice_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_payment_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('payable_id', sa.Integer(), nullable=True),
    sa.Column('invoice_no', sa.String(length=40), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('open_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['procurement_payment.id'], name=op.f('fk_procurement_payment_line_payment_id_procurement_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_payment_line'))
    )
    with op.batch_alter_table('procurement_payment_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_payment_line_payable_id'), ['payable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_payment_line_payment_id'), ['payment_id'], unique=False)

    op.create_table('procurement_reconciliation_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reconciliation_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('invoiced', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['reconciliation_id'], ['procurement_reconciliation.id'], name=op.f('fk_procurement_reconciliation_line_reconciliation_id_procurement_reconciliation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_reconciliation_line'))
    )
    with op.batch_alter_table('procurement_reconciliation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_reconciliation_line_reconciliation_id'), ['reconciliation_id'], unique=False)

    op.create_table('procurement_invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('open_qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('order_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('vat_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('tax_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('difference', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['procurement_invoice.id'], name=op.f('fk_procurement_invoice_line_invoice_id_procurement_invoice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_invoice_line'))
    )
    with op.batch_alter_table('procurement_invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_invoice_line_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('procurement_payable',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('open_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_payable_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_payable_department_id_department')),
    sa.ForeignKeyConstraint(['invoice_id'], ['procurement_invoice.id'], name=op.f('fk_procurement_payable_invoice_id_procurement_invoice')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_payable_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_payable_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_payable_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_payable_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_payable')),
    sa.UniqueConstraint('number', name='uq_procurement_payable_number')
    )
    with op.batch_alter_table('procurement_payable', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_payable_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_payable_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_payable_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index('ix_procurement_payable_open_due', ['state', 'due_date', 'supplier_id', 'open_amount', 'owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_payable_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_procurement_payable_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_payable_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_payable_supplier_id'), ['supplier_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_payable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_payable_supplier_id'))
        batch_op.drop_index('ix_procurement_payable_state_id')
        batch_op.drop_index('ix_procurement_payable_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_procurement_payable_order_id'))
        batch_op.drop_index('ix_procurement_payable_open_due')
        batch_op.drop_index(batch_op.f('ix_procurement_payable_invoice_id'))
        batch_op.drop_index('ix_procurement_payable_department_id_id')
        batch_op.drop_index('ix_procurement_payable_created_at')

    op.drop_table('procurement_payable')
    with op.batch_alter_table('procurement_invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_invoice_line_invoice_id'))

    op.drop_table('procurement_invoice_line')
    with op.batch_alter_table('procurement_reconciliation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_reconciliation_line_reconciliation_id'))

    op.drop_table('procurement_reconciliation_line')
    with op.batch_alter_table('procurement_payment_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_payment_line_payment_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_payment_line_payable_id'))

    op.drop_table('procurement_payment_line')
    with op.batch_alter_table('procurement_invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_invoice_supplier_id'))
        batch_op.drop_index('ix_procurement_invoice_state_id')
        batch_op.drop_index('ix_procurement_invoice_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_procurement_invoice_order_id'))
        batch_op.drop_index('ix_procurement_invoice_department_id_id')
        batch_op.drop_index('ix_procurement_invoice_created_at')

    op.drop_table('procurement_invoice')
    with op.batch_alter_table('procurement_reconciliation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_reconciliation_supplier_id'))
        batch_op.drop_index('ix_procurement_reconciliation_state_id')
        batch_op.drop_index('ix_procurement_reconciliation_owner_id_id')
        batch_op.drop_index('ix_procurement_reconciliation_department_id_id')
        batch_op.drop_index('ix_procurement_reconciliation_created_at')

    op.drop_table('procurement_reconciliation')
    with op.batch_alter_table('procurement_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_payment_supplier_id'))
        batch_op.drop_index('ix_procurement_payment_state_id')
        batch_op.drop_index('ix_procurement_payment_owner_id_id')
        batch_op.drop_index('ix_procurement_payment_department_id_id')
        batch_op.drop_index('ix_procurement_payment_created_at')

    op.drop_table('procurement_payment')
    with op.batch_alter_table('procurement_fund_plan_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_fund_plan_line_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_fund_plan_line_plan_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_fund_plan_line_payable_id'))

    op.drop_table('procurement_fund_plan_line')
    with op.batch_alter_table('procurement_fund_plan', schema=None) as batch_op:
        batch_op.drop_index('ix_procurement_fund_plan_state_id')
        batch_op.drop_index('ix_procurement_fund_plan_owner_id_id')
        batch_op.drop_index('ix_procurement_fund_plan_department_id_id')
        batch_op.drop_index('ix_procurement_fund_plan_created_at')

    op.drop_table('procurement_fund_plan')
