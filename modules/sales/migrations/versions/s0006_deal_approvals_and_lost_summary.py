"""sales: deal approvals and lost summary deadline (s14-deal)

Revision ID: s0006_deal
Revises: s0005

The opportunity keeps the day the customer accepted (won_on) and the contract amount submitted
for review (R-S-061); the lost-order summary its deadline and the market manager's rating and
opinion (WF-S09). Existing summaries keep no deadline (they were written by hand).
"""
import sqlalchemy as sa
from alembic import op

revision = "s0006_deal"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sales_lost_summary") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("mgr_rating", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("mgr_comment", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.add_column(sa.Column("won_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("contract_amount", sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade():
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.drop_column("contract_amount")
        batch.drop_column("won_on")
    with op.batch_alter_table("sales_lost_summary") as batch:
        batch.drop_column("mgr_comment")
        batch.drop_column("mgr_rating")
        batch.drop_column("due_at")
