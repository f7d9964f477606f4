"""sales: an important activity's record is due (R-S-007); only the market manager cancels
opportunities and withdraws tenders (s14-core)

Revision ID: s0006c
Revises: s0006_deal

Existing important activities get the default due time: 24 hours after the end of their day in
Shanghai (their day + 1 at 16:00 UTC); saving one recomputes it from the settings. The marketing
director loses the default grants sales.opportunity.cancel and sales.tender.withdraw where they
are still as seeded (an administrator's own grant of them stays).
"""
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from alembic import op

revision = "s0006c"
down_revision = "s0006_deal"  # after the deal approvals (both came from s0005)
branch_labels = None
depends_on = None

REVOKED = ("sales.opportunity.cancel", "sales.tender.withdraw")


def upgrade():
    with op.batch_alter_table("sales_business_activity") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    activity = sa.table("sales_business_activity", sa.column("id", sa.Integer), sa.column("is_important", sa.Boolean),
                        sa.column("activity_date", sa.Date), sa.column("due_at", sa.DateTime(timezone=True)))
    conn = op.get_bind()
    for row in conn.execute(sa.select(activity.c.id, activity.c.activity_date)
                            .where(activity.c.is_important.is_(True), activity.c.activity_date.isnot(None))).all():
        due = datetime.combine(row.activity_date + timedelta(days=1), time(16), tzinfo=UTC)
        conn.execute(activity.update().where(activity.c.id == row.id).values(due_at=due))
    # Revoke the seeded grants only: the seeded_grant row stays, so a new seed does not re-add them.
    conn.execute(sa.text(
        "DELETE FROM role_permission WHERE code IN :codes AND role_id IN (SELECT id FROM role WHERE code = 'ROLE-MKT-DIR') "
        "AND EXISTS (SELECT 1 FROM seeded_grant g WHERE g.role_code = 'ROLE-MKT-DIR' AND g.code = role_permission.code)"
    ).bindparams(sa.bindparam("codes", expanding=True)), {"codes": list(REVOKED)})


def downgrade():
    with op.batch_alter_table("sales_business_activity") as batch:
        batch.drop_column("due_at")
