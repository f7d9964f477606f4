"""extra: memo table

Revision ID: x0001
Revises:
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "x0001"
down_revision = None
branch_labels = ("extra",)
depends_on = "c0004"   # core's documents


def upgrade():
    op.create_table(
        "extra_memo",
        sa.Column("site", sa.String(length=80), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_extra_memo_created_by_id_user")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_extra_memo_department_id_department")),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_extra_memo_owner_id_user")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_extra_memo_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_memo")),
        sa.UniqueConstraint("number", name="uq_extra_memo_number"),
    )
    with op.batch_alter_table("extra_memo") as batch_op:
        batch_op.create_index("ix_extra_memo_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_extra_memo_department_id_id", ["department_id", "id"], unique=False)
        batch_op.create_index("ix_extra_memo_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_extra_memo_state_id", ["state", "id"], unique=False)


def downgrade():
    op.drop_table("extra_memo")
