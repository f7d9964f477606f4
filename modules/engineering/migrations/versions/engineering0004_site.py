"""site

Revision ID: engineering0004_site
Revises: engineering0001
Create Date: 2026-12-05 22:29:20.466493
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0004_site'
down_revision = 'engineering0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_progress_report',
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
    sa.Column('month', sa.Date(), nullable=True),
    sa.Column('month_end', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('resource_load', sa.Text(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_progress_report_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_progress_report_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_progress_report_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_progress_report_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_progress_report')),
    sa.UniqueConstraint('number', name='uq_eng_progress_report_number')
    )
    with op.batch_alter_table('eng_progress_report', schema=None) as batch_op:
        batch_op.create_index('ix_eng_progress_report_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_progress_report_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_progress_report_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_progress_report_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_weekly_report',
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
    sa.Column('week_start', sa.Date(), nullable=True),
    sa.Column('week_end', sa.Date(), nullable=True),
    sa.Column('service_work', sa.Text(), nullable=True),
    sa.Column('other_work', sa.Text(), nullable=True),
    sa.Column('selfchecks_done', sa.Integer(), nullable=True),
    sa.Column('next_week', sa.Text(), nullable=True),
    sa.Column('support_needed', sa.Text(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_late', sa.Boolean(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_weekly_report_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_weekly_report_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_weekly_report_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_weekly_report_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_weekly_report')),
    sa.UniqueConstraint('number', name='uq_eng_weekly_report_number'),
    sa.UniqueConstraint('owner_id', 'week_start', name=op.f('uq_eng_weekly_report_owner_id'))
    )
    with op.batch_alter_table('eng_weekly_report', schema=None) as batch_op:
        batch_op.create_index('ix_eng_weekly_report_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_weekly_report_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_weekly_report_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_weekly_report_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_progress_report_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('engineer_name', sa.String(length=60), nullable=True),
    sa.Column('state_label', sa.String(length=60), nullable=True),
    sa.Column('phase_label', sa.String(length=40), nullable=True),
    sa.Column('planned_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('actual_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('schedule_status', sa.String(length=40), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['eng_progress_report.id'], name=op.f('fk_eng_progress_report_line_report_id_eng_progress_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_progress_report_line'))
    )
    with op.batch_alter_table('eng_progress_report_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_progress_report_line_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_progress_report_line_report_id'), ['report_id'], unique=False)

    op.create_table('eng_site_log',
    sa.Column('project_id', sa.Integer(), nullable=False),
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
    sa.Column('log_date', sa.Date(), nullable=True),
    sa.Column('weather', sa.String(length=60), nullable=True),
    sa.Column('work_done', sa.Text(), nullable=True),
    sa.Column('materials_used', sa.Text(), nullable=True),
    sa.Column('inspections', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('visitors', sa.Text(), nullable=True),
    sa.Column('pe_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('pe_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pe_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('pe_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_site_log_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_site_log_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_site_log_owner_id_user')),
    sa.ForeignKeyConstraint(['pe_sig_by_id'], ['user.id'], name=op.f('fk_eng_site_log_pe_sig_by_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_site_log_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_site_log_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_site_log')),
    sa.UniqueConstraint('number', name='uq_eng_site_log_number'),
    sa.UniqueConstraint('project_id', 'log_date', name=op.f('uq_eng_site_log_project_id'))
    )
    with op.batch_alter_table('eng_site_log', schema=None) as batch_op:
        batch_op.create_index('ix_eng_site_log_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_site_log_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_site_log_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_site_log_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_site_log_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_site_survey',
    sa.Column('project_id', sa.Integer(), nullable=False),
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
    sa.Column('survey_date', sa.Date(), nullable=True),
    sa.Column('building', sa.Text(), nullable=True),
    sa.Column('routes', sa.Text(), nullable=True),
    sa.Column('machine_room', sa.Text(), nullable=True),
    sa.Column('power_grounding', sa.Text(), nullable=True),
    sa.Column('constraints', sa.Text(), nullable=True),
    sa.Column('differences', sa.Text(), nullable=True),
    sa.Column('change_needed', sa.Boolean(), nullable=True),
    sa.Column('follow_up', sa.String(length=200), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pe_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('pe_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pe_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('pe_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_site_survey_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_site_survey_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_site_survey_owner_id_user')),
    sa.ForeignKeyConstraint(['pe_sig_by_id'], ['user.id'], name=op.f('fk_eng_site_survey_pe_sig_by_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_site_survey_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_site_survey_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_site_survey')),
    sa.UniqueConstraint('number', name='uq_eng_site_survey_number')
    )
    with op.batch_alter_table('eng_site_survey', schema=None) as batch_op:
        batch_op.create_index('ix_eng_site_survey_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_site_survey_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_site_survey_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_site_survey_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_site_survey_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_weekly_report_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('work_done', sa.Text(), nullable=True),
    sa.Column('person_days', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('planned_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('actual_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('coordination', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['eng_weekly_report.id'], name=op.f('fk_eng_weekly_report_line_report_id_eng_weekly_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_weekly_report_line'))
    )
    with op.batch_alter_table('eng_weekly_report_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_weekly_report_line_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_weekly_report_line_report_id'), ['report_id'], unique=False)

    op.create_table('eng_site_log_manpower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=120), nullable=True),
    sa.Column('trade', sa.String(length=60), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_id'], ['eng_site_log.id'], name=op.f('fk_eng_site_log_manpower_log_id_eng_site_log'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_site_log_manpower'))
    )
    with op.batch_alter_table('eng_site_log_manpower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_site_log_manpower_log_id'), ['log_id'], unique=False)

    op.create_table('eng_site_survey_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('org', sa.String(length=120), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['eng_site_survey.id'], name=op.f('fk_eng_site_survey_participant_survey_id_eng_site_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_site_survey_participant'))
    )
    with op.batch_alter_table('eng_site_survey_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_site_survey_participant_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_site_survey_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_site_survey_participant_survey_id'))

    op.drop_table('eng_site_survey_participant')
    with op.batch_alter_table('eng_site_log_manpower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_site_log_manpower_log_id'))

    op.drop_table('eng_site_log_manpower')
    with op.batch_alter_table('eng_weekly_report_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_weekly_report_line_report_id'))
        batch_op.drop_index(batch_op.f('ix_eng_weekly_report_line_project_id'))

    op.drop_table('eng_weekly_report_line')
    with op.batch_alter_table('eng_site_survey', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_site_survey_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_site_survey_project_id'))
        batch_op.drop_index('ix_eng_site_survey_owner_id_id')
        batch_op.drop_index('ix_eng_site_survey_department_id_id')
        batch_op.drop_index('ix_eng_site_survey_created_at')

    op.drop_table('eng_site_survey')
    with op.batch_alter_table('eng_site_log', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_site_log_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_site_log_project_id'))
        batch_op.drop_index('ix_eng_site_log_owner_id_id')
        batch_op.drop_index('ix_eng_site_log_department_id_id')
        batch_op.drop_index('ix_eng_site_log_created_at')

    op.drop_table('eng_site_log')
    with op.batch_alter_table('eng_progress_report_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_progress_report_line_report_id'))
        batch_op.drop_index(batch_op.f('ix_eng_progress_report_line_project_id'))

    op.drop_table('eng_progress_report_line')
    with op.batch_alter_table('eng_weekly_report', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_weekly_report_state_id')
        batch_op.drop_index('ix_eng_weekly_report_owner_id_id')
        batch_op.drop_index('ix_eng_weekly_report_department_id_id')
        batch_op.drop_index('ix_eng_weekly_report_created_at')

    op.drop_table('eng_weekly_report')
    with op.batch_alter_table('eng_progress_report', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_progress_report_state_id')
        batch_op.drop_index('ix_eng_progress_report_owner_id_id')
        batch_op.drop_index('ix_eng_progress_report_department_id_id')
        batch_op.drop_index('ix_eng_progress_report_created_at')

    op.drop_table('eng_progress_report')
