"""Purchase orders (X-P03) and goods receipts with inspection (X-P04)

Revision ID: procurement0004_orders
Revises: procurement0001
Create Date: 2026-12-05 19:15:20.857393
"""
from alembic import op
import sqlalchemy as sa


revision = 'procurement0004_orders'
down_revision = 'procurement0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procurement_order',
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
    sa.Column('payment_terms', sa.Text(), nullable=True),
    sa.Column('delivery_terms', sa.Text(), nullable=True),
    sa.Column('warranty_terms', sa.Text(), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_order_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_order_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_order_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_order_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_order_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_order')),
    sa.UniqueConstraint('number', name='uq_procurement_order_number')
    )
    with op.batch_alter_table('procurement_order', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_order_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_order_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_order_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_order_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_order_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=12), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('vat_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('delivery_place', sa.String(length=120), nullable=True),
    sa.Column('project_ref', sa.String(length=60), nullable=True),
    sa.Column('budget_unit_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('over_budget', sa.Boolean(), nullable=True),
    sa.Column('budget_note', sa.String(length=200), nullable=True),
    sa.Column('request_line_id', sa.Integer(), nullable=True),
    sa.Column('received_qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('accepted_qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_order_line_order_id_procurement_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_order_line'))
    )
    with op.batch_alter_table('procurement_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_order_line_order_id'), ['order_id'], unique=False)

    op.create_table('procurement_receipt',
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
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=40), nullable=True),
    sa.Column('inspected_by_id', sa.Integer(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('late_lines', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_receipt_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_receipt_department_id_department')),
    sa.ForeignKeyConstraint(['inspected_by_id'], ['user.id'], name=op.f('fk_procurement_receipt_inspected_by_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_receipt_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_receipt_owner_id_user')),
    sa.ForeignKeyConstraint(['received_by_id'], ['user.id'], name=op.f('fk_procurement_receipt_received_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_receipt_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_receipt')),
    sa.UniqueConstraint('number', name='uq_procurement_receipt_number')
    )
    with op.batch_alter_table('procurement_receipt', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_receipt_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_receipt_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_receipt_inspected_by_id'), ['inspected_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_receipt_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_procurement_receipt_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_receipt_received_by_id'), ['received_by_id'], unique=False)
        batch_op.create_index('ix_procurement_receipt_state_id', ['state', 'id'], unique=False)

    op.create_table('procurement_receipt_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('open_qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('qty_received', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('serials', sa.Text(), nullable=True),
    sa.Column('inspection', sa.String(length=40), nullable=True),
    sa.Column('qty_accepted', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('qty_rejected', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('nonconformance', sa.String(length=300), nullable=True),
    sa.Column('return_note', sa.String(length=200), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=True),
    sa.Column('short', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['receipt_id'], ['procurement_receipt.id'], name=op.f('fk_procurement_receipt_line_receipt_id_procurement_receipt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_receipt_line'))
    )
    with op.batch_alter_table('procurement_receipt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_receipt_line_receipt_id'), ['receipt_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_receipt_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_receipt_line_receipt_id'))

    op.drop_table('procurement_receipt_line')
    with op.batch_alter_table('procurement_receipt', schema=None) as batch_op:
        batch_op.drop_index('ix_procurement_receipt_state_id')
        batch_op.drop_index(batch_op.f('ix_procurement_receipt_received_by_id'))
        batch_op.drop_index('ix_procurement_receipt_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_procurement_receipt_order_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_receipt_inspected_by_id'))
        batch_op.drop_index('ix_procurement_receipt_department_id_id')
        batch_op.drop_index('ix_procurement_receipt_created_at')

    op.drop_table('procurement_receipt')
    with op.batch_alter_table('procurement_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_order_line_order_id'))

    op.drop_table('procurement_order_line')
    with op.batch_alter_table('procurement_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_order_supplier_id'))
        batch_op.drop_index('ix_procurement_order_state_id')
        batch_op.drop_index('ix_procurement_order_owner_id_id')
        batch_op.drop_index('ix_procurement_order_department_id_id')
        batch_op.drop_index('ix_procurement_order_created_at')

    op.drop_table('procurement_order')
