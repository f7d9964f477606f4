"""core: settings and working calendar

Revision ID: c0002
Revises: c0001
"""
from alembic import op
import sqlalchemy as sa

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('setting_value',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting_value'))
    )
    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f('ck_calendar_day_kind')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day'))
    )


def downgrade():
    op.drop_table('calendar_day')
    op.drop_table('setting_value')
