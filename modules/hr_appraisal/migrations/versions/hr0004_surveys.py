"""internal service surveys (服务质量评价, KPI-SERVICE-QUALITY)

Revision ID: hr0004_surveys
Revises: hr0003_training
Create Date: 2026-12-06 06:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'hr0004_surveys'
down_revision = 'hr0003_training'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hr_appraisal_survey',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
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
    sa.Column('rater_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_survey_created_by_id_user')),
    sa.ForeignKeyConstraint(['cycle_id'], ['hr_appraisal_cycle.id'], name=op.f('fk_hr_appraisal_survey_cycle_id_hr_appraisal_cycle')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_appraisal_survey_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_appraisal_survey_owner_id_user')),
    sa.ForeignKeyConstraint(['rater_id'], ['user.id'], name=op.f('fk_hr_appraisal_survey_rater_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_survey_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_survey')),
    sa.UniqueConstraint('number', name='uq_hr_appraisal_survey_number')
    )
    with op.batch_alter_table('hr_appraisal_survey', schema=None) as batch_op:
        batch_op.create_index('ix_hr_appraisal_survey_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_survey_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_survey_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_survey_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_survey_rater_id'), ['rater_id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_survey_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_appraisal_survey_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=400), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['user.id'], name=op.f('fk_hr_appraisal_survey_line_person_id_user')),
    sa.ForeignKeyConstraint(['survey_id'], ['hr_appraisal_survey.id'], name=op.f('fk_hr_appraisal_survey_line_survey_id_hr_appraisal_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_survey_line'))
    )
    with op.batch_alter_table('hr_appraisal_survey_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_appraisal_survey_line_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_survey_line_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_appraisal_survey_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_survey_line_survey_id'))
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_survey_line_person_id'))

    op.drop_table('hr_appraisal_survey_line')
    with op.batch_alter_table('hr_appraisal_survey', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_appraisal_survey_state_id')
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_survey_rater_id'))
        batch_op.drop_index('ix_hr_appraisal_survey_owner_id_id')
        batch_op.drop_index('ix_hr_appraisal_survey_department_id_id')
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_survey_cycle_id'))
        batch_op.drop_index('ix_hr_appraisal_survey_created_at')

    op.drop_table('hr_appraisal_survey')
