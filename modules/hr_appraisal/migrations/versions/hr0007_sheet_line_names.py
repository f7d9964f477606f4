"""appraisal sheets: an indicator line's item is the KPI's name (its code has a column of its own)

Revision ID: hr0007_sheet_line_names
Revises: hr0006_trip_links
Create Date: 2026-12-06 06:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'hr0007_sheet_line_names'
down_revision = 'hr0006_trip_links'
branch_labels = None
depends_on = None

LINE = sa.table('hr_appraisal_sheet_line', sa.column('sheet_id', sa.Integer), sa.column('kind', sa.String),
                sa.column('code', sa.String), sa.column('item', sa.String))
SHEET = sa.table('hr_appraisal_sheet', sa.column('id', sa.Integer), sa.column('frozen', sa.Boolean))
# Closed sheets keep what they showed when frozen (R-H-032).
OPEN = LINE.c.sheet_id.in_(sa.select(SHEET.c.id).where(sa.or_(SHEET.c.frozen.is_(None), SHEET.c.frozen == sa.false())))
PREFIX = LINE.c.code + ' '


def upgrade():
    op.execute(LINE.update().where(
        LINE.c.kind == 'kpi', LINE.c.code.is_not(None), sa.func.substr(LINE.c.item, 1, sa.func.length(PREFIX)) == PREFIX,
        OPEN).values(item=sa.func.substr(LINE.c.item, sa.func.length(PREFIX) + 1)))


def downgrade():
    op.execute(LINE.update().where(
        LINE.c.kind == 'kpi', LINE.c.code.is_not(None), sa.func.substr(LINE.c.item, 1, sa.func.length(PREFIX)) != PREFIX,
        OPEN).values(item=sa.func.substr(PREFIX + LINE.c.item, 1, 200)))
