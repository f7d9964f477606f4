"""procurement: the purchase request an order was made from (sourcing.py)

Revision ID: procurement0005_order_request
Revises: procurement0004_orders
Create Date: 2026-12-05 19:24:49.568881
"""
from alembic import op
import sqlalchemy as sa


revision = 'procurement0005_order_request'
down_revision = 'procurement0004_orders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('procurement_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_procurement_order_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_order_request_id'))
        batch_op.drop_column('request_id')
