"""schedule

Revision ID: engineering0002_schedule
Revises: engineering0001
Create Date: 2026-12-05 22:27:43.582689
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0002_schedule'
down_revision = 'engineering0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('plan_type', sa.String(length=40), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('baseline_version', sa.Integer(), nullable=True),
    sa.Column('previous_number', sa.String(length=40), nullable=True),
    sa.Column('shifted_days', sa.Integer(), nullable=True),
    sa.Column('rebaseline_reason', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_schedule_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_schedule_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_schedule_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_schedule_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_schedule')),
    sa.UniqueConstraint('number', name='uq_eng_schedule_number')
    )
    with op.batch_alter_table('eng_schedule', schema=None) as batch_op:
        batch_op.create_index('ix_eng_schedule_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_schedule_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_schedule_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_schedule_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_schedule_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_schedule_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('wbs', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('responsible', sa.String(length=60), nullable=True),
    sa.Column('plan_start', sa.Date(), nullable=True),
    sa.Column('plan_end', sa.Date(), nullable=True),
    sa.Column('duration_days', sa.Integer(), nullable=True),
    sa.Column('predecessors', sa.String(length=100), nullable=True),
    sa.Column('milestone', sa.Boolean(), nullable=True),
    sa.Column('is_subitem', sa.Boolean(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('pct_done', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('accepted_ref', sa.String(length=40), nullable=True),
    sa.Column('waived', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['schedule_id'], ['eng_schedule.id'], name=op.f('fk_eng_schedule_task_schedule_id_eng_schedule'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_schedule_task'))
    )
    with op.batch_alter_table('eng_schedule_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_schedule_task_schedule_id'), ['schedule_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_schedule_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_schedule_task_schedule_id'))

    op.drop_table('eng_schedule_task')
    with op.batch_alter_table('eng_schedule', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_schedule_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_schedule_project_id'))
        batch_op.drop_index('ix_eng_schedule_owner_id_id')
        batch_op.drop_index('ix_eng_schedule_department_id_id')
        batch_op.drop_index('ix_eng_schedule_created_at')

    op.drop_table('eng_schedule')
