"""penalty ranges: a catalogue item's top of range, a penalty's sanction set within it

Revision ID: engineering0009_penalty_ranges
Revises: engineering0010_subcontracts
Create Date: 2026-12-06 02:48:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0009_penalty_ranges'
down_revision = 'engineering0010_subcontracts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('eng_penalty_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('points_max', sa.Numeric(precision=18, scale=4), nullable=True))
        batch_op.add_column(sa.Column('fine_max', sa.Numeric(precision=14, scale=2), nullable=True))
    with op.batch_alter_table('eng_penalty', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_points', sa.Numeric(precision=18, scale=4), nullable=True))
        batch_op.add_column(sa.Column('set_fine', sa.Numeric(precision=14, scale=2), nullable=True))
    # The catalogue's ranges (SPEC 3.3.4), unless the 工程部经理 set them already.
    op.execute("UPDATE eng_penalty_item SET fine_max = 1000 WHERE code = 'P-09' AND fine_max IS NULL")
    op.execute("UPDATE eng_penalty_item SET points_max = 20 WHERE code = 'P-05' AND points_max IS NULL")


def downgrade():
    with op.batch_alter_table('eng_penalty', schema=None) as batch_op:
        batch_op.drop_column('set_fine')
        batch_op.drop_column('set_points')
    with op.batch_alter_table('eng_penalty_item', schema=None) as batch_op:
        batch_op.drop_column('fine_max')
        batch_op.drop_column('points_max')
