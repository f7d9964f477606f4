"""new-employee training: curricula, training plans, probation assessments

Revision ID: hr0003_training
Revises: hr0002_trips
Create Date: 2026-12-06 02:28:06.537861
"""
from alembic import op
import sqlalchemy as sa


revision = 'hr0003_training'
down_revision = 'hr0002_trips'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hr_curriculum',
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
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_curriculum_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_curriculum_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_curriculum_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_curriculum_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_curriculum')),
    sa.UniqueConstraint('number', name='uq_hr_curriculum_number')
    )
    with op.batch_alter_table('hr_curriculum', schema=None) as batch_op:
        batch_op.create_index('ix_hr_curriculum_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_curriculum_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_curriculum_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_curriculum_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_training_plan',
    sa.Column('signoff_item', sa.Integer(), nullable=True),
    sa.Column('signoff_score', sa.Integer(), nullable=True),
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
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('probation_end', sa.Date(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('probation_result', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_training_plan_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_training_plan_department_id_department')),
    sa.ForeignKeyConstraint(['employee_id'], ['user.id'], name=op.f('fk_hr_training_plan_employee_id_user')),
    sa.ForeignKeyConstraint(['mentor_id'], ['user.id'], name=op.f('fk_hr_training_plan_mentor_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_training_plan_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_training_plan_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_training_plan')),
    sa.UniqueConstraint('number', name='uq_hr_training_plan_number')
    )
    with op.batch_alter_table('hr_training_plan', schema=None) as batch_op:
        batch_op.create_index('ix_hr_training_plan_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_training_plan_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_plan_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_plan_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index('ix_hr_training_plan_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_training_plan_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_curriculum_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('week_from', sa.Integer(), nullable=True),
    sa.Column('week_to', sa.Integer(), nullable=True),
    sa.Column('trainer_role', sa.String(length=60), nullable=True),
    sa.Column('gate', sa.String(length=20), nullable=True),
    sa.Column('exam', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['curriculum_id'], ['hr_curriculum.id'], name=op.f('fk_hr_curriculum_item_curriculum_id_hr_curriculum'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_curriculum_item'))
    )
    with op.batch_alter_table('hr_curriculum_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_curriculum_item_curriculum_id'), ['curriculum_id'], unique=False)

    op.create_table('hr_probation',
    sa.Column('plan_id', sa.Integer(), nullable=False),
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
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('total_score', sa.Integer(), nullable=True),
    sa.Column('conclusion', sa.String(length=40), nullable=True),
    sa.Column('extend_months', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_probation_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_probation_department_id_department')),
    sa.ForeignKeyConstraint(['employee_id'], ['user.id'], name=op.f('fk_hr_probation_employee_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_probation_owner_id_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['hr_training_plan.id'], name=op.f('fk_hr_probation_plan_id_hr_training_plan')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_probation_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_probation')),
    sa.UniqueConstraint('number', name='uq_hr_probation_number')
    )
    with op.batch_alter_table('hr_probation', schema=None) as batch_op:
        batch_op.create_index('ix_hr_probation_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_probation_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_probation_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_hr_probation_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_probation_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_hr_probation_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_training_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('gate', sa.String(length=20), nullable=True),
    sa.Column('exam', sa.Boolean(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['hr_training_plan.id'], name=op.f('fk_hr_training_item_plan_id_hr_training_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['user.id'], name=op.f('fk_hr_training_item_signed_off_by_id_user')),
    sa.ForeignKeyConstraint(['trainer_id'], ['user.id'], name=op.f('fk_hr_training_item_trainer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_training_item'))
    )
    with op.batch_alter_table('hr_training_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_training_item_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_item_signed_off_by_id'), ['signed_off_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_item_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('hr_probation_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('probation_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['probation_id'], ['hr_probation.id'], name=op.f('fk_hr_probation_criterion_probation_id_hr_probation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_probation_criterion'))
    )
    with op.batch_alter_table('hr_probation_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_probation_criterion_probation_id'), ['probation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_probation_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_probation_criterion_probation_id'))

    op.drop_table('hr_probation_criterion')
    with op.batch_alter_table('hr_training_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_training_item_trainer_id'))
        batch_op.drop_index(batch_op.f('ix_hr_training_item_signed_off_by_id'))
        batch_op.drop_index(batch_op.f('ix_hr_training_item_plan_id'))

    op.drop_table('hr_training_item')
    with op.batch_alter_table('hr_probation', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_probation_state_id')
        batch_op.drop_index(batch_op.f('ix_hr_probation_plan_id'))
        batch_op.drop_index('ix_hr_probation_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_hr_probation_employee_id'))
        batch_op.drop_index('ix_hr_probation_department_id_id')
        batch_op.drop_index('ix_hr_probation_created_at')

    op.drop_table('hr_probation')
    with op.batch_alter_table('hr_curriculum_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_curriculum_item_curriculum_id'))

    op.drop_table('hr_curriculum_item')
    with op.batch_alter_table('hr_training_plan', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_training_plan_state_id')
        batch_op.drop_index('ix_hr_training_plan_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_hr_training_plan_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_hr_training_plan_employee_id'))
        batch_op.drop_index('ix_hr_training_plan_department_id_id')
        batch_op.drop_index('ix_hr_training_plan_created_at')

    op.drop_table('hr_training_plan')
    with op.batch_alter_table('hr_curriculum', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_curriculum_state_id')
        batch_op.drop_index('ix_hr_curriculum_owner_id_id')
        batch_op.drop_index('ix_hr_curriculum_department_id_id')
        batch_op.drop_index('ix_hr_curriculum_created_at')

    op.drop_table('hr_curriculum')
