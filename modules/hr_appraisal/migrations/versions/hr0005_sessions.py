"""training sessions

Revision ID: hr0005_sessions
Revises: hr0004_surveys
Create Date: 2026-12-06 06:20:39.330078
"""
from alembic import op
import sqlalchemy as sa


revision = 'hr0005_sessions'
down_revision = 'hr0004_surveys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hr_training_session',
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
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('exam', sa.Boolean(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('signed_off_count', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_training_session_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_training_session_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_training_session_owner_id_user')),
    sa.ForeignKeyConstraint(['trainer_id'], ['user.id'], name=op.f('fk_hr_training_session_trainer_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_training_session_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_training_session')),
    sa.UniqueConstraint('number', name='uq_hr_training_session_number')
    )
    with op.batch_alter_table('hr_training_session', schema=None) as batch_op:
        batch_op.create_index('ix_hr_training_session_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_training_session_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_training_session_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_training_session_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_session_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('hr_training_session_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['user.id'], name=op.f('fk_hr_training_session_attendee_employee_id_user')),
    sa.ForeignKeyConstraint(['session_id'], ['hr_training_session.id'], name=op.f('fk_hr_training_session_attendee_session_id_hr_training_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_training_session_attendee'))
    )
    with op.batch_alter_table('hr_training_session_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_training_session_attendee_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_training_session_attendee_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_training_session_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_training_session_attendee_session_id'))
        batch_op.drop_index(batch_op.f('ix_hr_training_session_attendee_employee_id'))

    op.drop_table('hr_training_session_attendee')
    with op.batch_alter_table('hr_training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_training_session_trainer_id'))
        batch_op.drop_index('ix_hr_training_session_state_id')
        batch_op.drop_index('ix_hr_training_session_owner_id_id')
        batch_op.drop_index('ix_hr_training_session_department_id_id')
        batch_op.drop_index('ix_hr_training_session_created_at')

    op.drop_table('hr_training_session')
