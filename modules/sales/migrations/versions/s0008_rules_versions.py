"""sales: quotation versions (supersedes_id), s14-rules

Revision ID: s0008_rules_versions
Revises: s0007_cadence

A quotation revised for the customer is kept (superseded) and its next version points back to it.
"""
import sqlalchemy as sa
from alembic import op

revision = 's0008_rules_versions'
down_revision = 's0007_cadence'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_quotation_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sales_quotation_supersedes_id_sales_quotation'), 'sales_quotation', ['supersedes_id'], ['id'])


def downgrade():
    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sales_quotation_supersedes_id_sales_quotation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sales_quotation_supersedes_id'))
        batch_op.drop_column('supersedes_id')
