"""service

Revision ID: engineering0011_service
Revises: engineering0007_money
Create Date: 2026-12-06 02:05:50.265805
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0011_service'
down_revision = 'engineering0008_teams'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_installed_device',
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
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('device_type', sa.String(length=60), nullable=True),
    sa.Column('brand', sa.String(length=60), nullable=True),
    sa.Column('model', sa.String(length=80), nullable=True),
    sa.Column('serial_no', sa.String(length=80), nullable=True),
    sa.Column('firmware', sa.String(length=80), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('identifier', sa.String(length=80), nullable=True),
    sa.Column('install_date', sa.Date(), nullable=True),
    sa.Column('warranty_end', sa.Date(), nullable=True),
    sa.Column('supplier', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_installed_device_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_installed_device_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_installed_device_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_installed_device_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_installed_device')),
    sa.UniqueConstraint('brand', 'serial_no', name='uq_eng_installed_device_serial'),
    sa.UniqueConstraint('number', name='uq_eng_installed_device_number')
    )
    with op.batch_alter_table('eng_installed_device', schema=None) as batch_op:
        batch_op.create_index('ix_eng_installed_device_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_installed_device_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_eng_installed_device_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_installed_device_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_installed_device_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_installed_device_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_satisfaction_survey',
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
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('survey_type', sa.String(length=40), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('respondent', sa.String(length=60), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('lowest_score', sa.Integer(), nullable=True),
    sa.Column('analysis', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_satisfaction_survey_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_satisfaction_survey_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_satisfaction_survey_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_satisfaction_survey_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_satisfaction_survey')),
    sa.UniqueConstraint('number', name='uq_eng_satisfaction_survey_number')
    )
    with op.batch_alter_table('eng_satisfaction_survey', schema=None) as batch_op:
        batch_op.create_index('ix_eng_satisfaction_survey_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_satisfaction_survey_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_eng_satisfaction_survey_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_satisfaction_survey_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_satisfaction_survey_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_satisfaction_survey_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_service_ticket',
    sa.Column('complaint_announced', sa.Boolean(), nullable=True),
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
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reporter_name', sa.String(length=60), nullable=True),
    sa.Column('reporter_phone', sa.String(length=40), nullable=True),
    sa.Column('symptom', sa.Text(), nullable=True),
    sa.Column('urgency', sa.String(length=40), nullable=True),
    sa.Column('is_complaint', sa.Boolean(), nullable=True),
    sa.Column('in_warranty', sa.Boolean(), nullable=True),
    sa.Column('response_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_breached', sa.Boolean(), nullable=True),
    sa.Column('work_done', sa.Text(), nullable=True),
    sa.Column('parts_used', sa.Text(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('chargeable', sa.Boolean(), nullable=True),
    sa.Column('fee', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=True),
    sa.Column('collection_ref', sa.String(length=40), nullable=True),
    sa.Column('fee_paid', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['user.id'], name=op.f('fk_eng_service_ticket_assigned_to_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_service_ticket_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_service_ticket_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_service_ticket_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_service_ticket_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_service_ticket')),
    sa.UniqueConstraint('number', name='uq_eng_service_ticket_number')
    )
    with op.batch_alter_table('eng_service_ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_service_ticket_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_eng_service_ticket_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_service_ticket_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_eng_service_ticket_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_service_ticket_device_id'), ['device_id'], unique=False)
        batch_op.create_index('ix_eng_service_ticket_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_service_ticket_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_service_ticket_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_no_equipment_waiver',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_no_equipment_waiver_project_id_eng_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_eng_no_equipment_waiver'))
    )
    op.create_table('eng_satisfaction_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('aspect', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['eng_satisfaction_survey.id'], name=op.f('fk_eng_satisfaction_score_survey_id_eng_satisfaction_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_satisfaction_score'))
    )
    with op.batch_alter_table('eng_satisfaction_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_satisfaction_score_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_satisfaction_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_satisfaction_score_survey_id'))

    op.drop_table('eng_satisfaction_score')
    op.drop_table('eng_no_equipment_waiver')
    with op.batch_alter_table('eng_service_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_service_ticket_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_service_ticket_project_id'))
        batch_op.drop_index('ix_eng_service_ticket_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_service_ticket_device_id'))
        batch_op.drop_index('ix_eng_service_ticket_department_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_service_ticket_customer_id'))
        batch_op.drop_index('ix_eng_service_ticket_created_at')
        batch_op.drop_index(batch_op.f('ix_eng_service_ticket_assigned_to_id'))

    op.drop_table('eng_service_ticket')
    with op.batch_alter_table('eng_satisfaction_survey', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_satisfaction_survey_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_satisfaction_survey_project_id'))
        batch_op.drop_index('ix_eng_satisfaction_survey_owner_id_id')
        batch_op.drop_index('ix_eng_satisfaction_survey_department_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_satisfaction_survey_customer_id'))
        batch_op.drop_index('ix_eng_satisfaction_survey_created_at')

    op.drop_table('eng_satisfaction_survey')
    with op.batch_alter_table('eng_installed_device', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_installed_device_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_installed_device_project_id'))
        batch_op.drop_index('ix_eng_installed_device_owner_id_id')
        batch_op.drop_index('ix_eng_installed_device_department_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_installed_device_customer_id'))
        batch_op.drop_index('ix_eng_installed_device_created_at')

    op.drop_table('eng_installed_device')
