"""business trips linked to real records: the linked record's id and label

Revision ID: hr0006_trip_links
Revises: hr0005_sessions
Create Date: 2026-12-06 06:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'hr0006_trip_links'
down_revision = 'hr0005_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('hr_trip', sa.Column('link_record_id', sa.Integer(), nullable=True))
    op.add_column('hr_trip', sa.Column('link_label', sa.String(length=200), nullable=True))
    op.create_index(op.f('ix_hr_trip_link_record_id'), 'hr_trip', ['link_record_id'], unique=False)
    # A free-text link of before stays readable as the trip's link label.
    op.execute("UPDATE hr_trip SET link_label = link_ref WHERE link_ref IS NOT NULL AND link_ref <> ''")


def downgrade():
    op.drop_index(op.f('ix_hr_trip_link_record_id'), table_name='hr_trip')
    op.drop_column('hr_trip', 'link_label')
    op.drop_column('hr_trip', 'link_record_id')
