"""Partner CRM: sector, employees and strategic partnership of sales' customers.

Revision ID: crm0001
"""
import sqlalchemy as sa
from alembic import op

revision = "crm0001"
down_revision = None
branch_labels = ("crm",)
depends_on = "s0001"


def upgrade():
    op.create_table(
        "crm_customer_sector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("strategic", sa.Boolean(), nullable=True),
        sa.Column("registry_no", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["sales_customer.id"], name=op.f("fk_crm_customer_sector_id_sales_customer"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_customer_sector")),
        sa.UniqueConstraint("registry_no", name=op.f("uq_crm_customer_sector_registry_no")),
    )


def downgrade():
    op.drop_table("crm_customer_sector")
