"""sales: bid task assigned_at (acceptance due one working day after), s14-last

Revision ID: s0010_bid_task_assigned
Revises: s0009_rules_deadlines

Tasks still waiting for acceptance count as assigned at the upgrade: they are escalated a working
day later rather than at once (or never).
"""
import sqlalchemy as sa
from alembic import op

revision = 's0010_bid_task_assigned'
down_revision = 's0009_rules_deadlines'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_bid_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE sales_bid_task SET assigned_at = CURRENT_TIMESTAMP WHERE status = 'assigned'")


def downgrade():
    with op.batch_alter_table('sales_bid_task', schema=None) as batch_op:
        batch_op.drop_column('assigned_at')
