"""approval tasks record who submitted their round (nobody approves what he submitted)

Revision ID: c0010
Revises: c0009
Create Date: 2026-12-05 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c0010'
down_revision = 'c0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('approval_task') as batch:
        batch.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_approval_task_submitted_by_id_user'), 'user', ['submitted_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('approval_task') as batch:
        batch.drop_constraint(batch.f('fk_approval_task_submitted_by_id_user'), type_='foreignkey')
        batch.drop_column('submitted_by_id')
