"""hello: greeting table

Revision ID: h0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "h0001"
down_revision = None
branch_labels = ("hello",)
depends_on = "c0001"   # core's first revision: the module's tables come after core's


def upgrade():
    op.create_table(
        "hello_greeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hello_greeting")),
    )


def downgrade():
    op.drop_table("hello_greeting")
