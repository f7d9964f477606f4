"""sales: the clash of registrations decided (R-S-032); tender fee and bid bond paid and refunded (I-20), s15-leftovers

Revision ID: s0014_customer_rules_bonds
Revises: s0013_periodic_summaries
"""
from alembic import op
import sqlalchemy as sa


revision = 's0014_customer_rules_bonds'
down_revision = 's0013_periodic_summaries'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clash_with_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clash_decision', sa.String(length=12), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_sales_registration_clash_with_id_sales_opportunity'), 'sales_opportunity', ['clash_with_id'], ['id'])

    with op.batch_alter_table('sales_tender', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doc_fee_paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('doc_fee_payer', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bond_paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('bond_payer', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bond_refund_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('bond_refunded_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('bond_refunded_amount', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_tender_bond_refund_due_on'), ['bond_refund_due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_tender', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_tender_bond_refund_due_on'))
        batch_op.drop_column('bond_refunded_amount')
        batch_op.drop_column('bond_refunded_on')
        batch_op.drop_column('bond_refund_due_on')
        batch_op.drop_column('bond_payer')
        batch_op.drop_column('bond_paid_on')
        batch_op.drop_column('doc_fee_payer')
        batch_op.drop_column('doc_fee_paid_on')

    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sales_registration_clash_with_id_sales_opportunity'), type_='foreignkey')
        batch_op.drop_column('clash_decision')
        batch_op.drop_column('clash_with_id')
