"""sales: a visit log's deadline kept with it (overdue computed in lists and reminders)

Revision ID: s0005
Revises: s0004

Existing logs get 18:00 in Shanghai on their day (10:00 UTC); saving one recomputes it on the
working calendar (a weekend log is due the next working day).
"""
from alembic import op
import sqlalchemy as sa

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sales_visit_log") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    logs = sa.table("sales_visit_log", sa.column("id", sa.Integer), sa.column("visit_date", sa.Date),
                    sa.column("due_at", sa.DateTime(timezone=True)))
    bind = op.get_bind()
    from datetime import datetime, time, timezone
    for row_id, day in bind.execute(sa.select(logs.c.id, logs.c.visit_date)).all():
        if day is not None:
            bind.execute(logs.update().where(logs.c.id == row_id).values(
                due_at=datetime.combine(day, time(10, 0), tzinfo=timezone.utc)))


def downgrade():
    with op.batch_alter_table("sales_visit_log") as batch:
        batch.drop_column("due_at")
