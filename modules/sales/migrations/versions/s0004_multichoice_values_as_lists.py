"""sales: multi-choice values stored as JSON lists instead of comma-joined text

Revision ID: s0004
Revises: s0003
"""
from alembic import op
import sqlalchemy as sa

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None

# (table, column, length of the former text column)
COLUMNS = (("sales_requirement", "decision_criteria", 100), ("sales_registration", "project_types", 200),
           ("sales_registration", "support_needed", 200), ("sales_lost_summary", "reasons", 200))


def _convert(table, column, old_type, new_type, convert):
    """Add the new column, fill it from the old one row by row, then let it take the old one's place."""
    temporary = f"{column}_converted"
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(temporary, new_type, nullable=True))
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column(column, old_type), sa.column(temporary, new_type))
    bind = op.get_bind()
    for row_id, value in bind.execute(sa.select(rows.c.id, rows.c[column])).all():
        bind.execute(rows.update().where(rows.c.id == row_id).values({temporary: convert(value)}))
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)
        batch.alter_column(temporary, new_column_name=column, existing_type=new_type, nullable=False)


def as_list(text):
    return list(dict.fromkeys(v.strip() for v in (text or "").split(",") if v.strip()))


def upgrade():
    for table, column, length in COLUMNS:
        _convert(table, column, sa.String(length), sa.JSON(), as_list)


def downgrade():
    for table, column, length in COLUMNS:
        _convert(table, column, sa.JSON(), sa.String(length), lambda values: ",".join(values or []))
