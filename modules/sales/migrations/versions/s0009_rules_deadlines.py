"""sales: quotation validity date and registration approval due date, s14-rules

Revision ID: s0009_rules_deadlines
Revises: s0008_rules_versions

Quotations already sent keep no date (their print computes it; they do not expire by themselves).
"""
import sqlalchemy as sa
from alembic import op

revision = 's0009_rules_deadlines'
down_revision = 's0008_rules_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))

    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.drop_column('approval_due_on')

    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.drop_column('valid_until')
