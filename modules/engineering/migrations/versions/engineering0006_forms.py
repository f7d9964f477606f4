"""forms

Revision ID: engineering0006_forms
Revises: engineering0002_schedule, engineering0005_checks
Create Date: 2026-12-05 22:37:59.454354
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0006_forms'
down_revision = ('engineering0002_schedule', 'engineering0005_checks')  # the lead re-chains it after engineering0001's other parts
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_ft01',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_completion', sa.Date(), nullable=True),
    sa.Column('contract_days', sa.Integer(), nullable=True),
    sa.Column('attachments_list', sa.JSON(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('owner_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('owner_sig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_date', sa.Date(), nullable=True),
    sa.Column('owner_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft01_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft01_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft01_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft01_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft01')),
    sa.UniqueConstraint('number', name='uq_eng_ft01_number')
    )
    with op.batch_alter_table('eng_ft01', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft01_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft01_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft01_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft01_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft01_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft02',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('plan_type', sa.String(length=40), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('resources', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft02_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft02_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft02_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft02_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft02_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft02_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft02')),
    sa.UniqueConstraint('number', name='uq_eng_ft02_number')
    )
    with op.batch_alter_table('eng_ft02', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft02_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft02_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft02_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft02_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft02_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index('ix_eng_ft02_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft03',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('design_title', sa.String(length=200), nullable=True),
    sa.Column('contents_check', sa.JSON(), nullable=True),
    sa.Column('author', sa.String(length=60), nullable=True),
    sa.Column('design_notes', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('tech_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('tech_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tech_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('tech_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft03_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft03_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft03_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['tech_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_tech_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft03_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft03')),
    sa.UniqueConstraint('number', name='uq_eng_ft03_number')
    )
    with op.batch_alter_table('eng_ft03', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft03_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft03_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft03_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft03_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft03_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft04',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('contract_days', sa.Integer(), nullable=True),
    sa.Column('completion_date', sa.Date(), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft04_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft04_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft04_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft04_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft04_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft04_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft04')),
    sa.UniqueConstraint('number', name='uq_eng_ft04_number')
    )
    with op.batch_alter_table('eng_ft04', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft04_application_id'), ['application_id'], unique=False)
        batch_op.create_index('ix_eng_ft04_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft04_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft04_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft04_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft04_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft07',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('reason_text', sa.Text(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('suspend_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('attributable_to', sa.String(length=40), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft07_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft07_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft07_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft07_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft07_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft07_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft07')),
    sa.UniqueConstraint('number', name='uq_eng_ft07_number')
    )
    with op.batch_alter_table('eng_ft07', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft07_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft07_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft07_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft07_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft07_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft08',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('suspension_id', sa.Integer(), nullable=True),
    sa.Column('verification', sa.Text(), nullable=True),
    sa.Column('resume_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('suspended_days', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft08_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft08_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft08_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft08_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft08_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft08_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft08')),
    sa.UniqueConstraint('number', name='uq_eng_ft08_number')
    )
    with op.batch_alter_table('eng_ft08', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft08_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft08_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft08_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft08_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft08_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft08_suspension_id'), ['suspension_id'], unique=False)

    op.create_table('eng_ft13',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=True),
    sa.Column('self_check', sa.String(length=40), nullable=True),
    sa.Column('self_check_note', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft13_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft13_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft13_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft13_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft13_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft13_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft13')),
    sa.UniqueConstraint('number', name='uq_eng_ft13_number')
    )
    with op.batch_alter_table('eng_ft13', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft13_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft13_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft13_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft13_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft13_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft14',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('severity', sa.String(length=40), nullable=True),
    sa.Column('cause', sa.Text(), nullable=True),
    sa.Column('responsible', sa.String(length=40), nullable=True),
    sa.Column('responsible_name', sa.String(length=120), nullable=True),
    sa.Column('loss', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('handling_plan', sa.Text(), nullable=True),
    sa.Column('preventive', sa.Text(), nullable=True),
    sa.Column('rectify_due', sa.Date(), nullable=True),
    sa.Column('result_verification', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('owner_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('owner_sig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_date', sa.Date(), nullable=True),
    sa.Column('owner_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft14_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft14_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft14_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft14_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft14_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft14_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft14_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft14')),
    sa.UniqueConstraint('number', name='uq_eng_ft14_number')
    )
    with op.batch_alter_table('eng_ft14', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft14_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft14_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft14_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft14_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft14_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft15',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=True),
    sa.Column('self_check', sa.String(length=40), nullable=True),
    sa.Column('self_check_note', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft15_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft15_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft15_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft15_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft15_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft15_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft15')),
    sa.UniqueConstraint('number', name='uq_eng_ft15_number')
    )
    with op.batch_alter_table('eng_ft15', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft15_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft15_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft15_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft15_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft15_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft16',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('violated_standard', sa.String(length=200), nullable=True),
    sa.Column('severity', sa.String(length=40), nullable=True),
    sa.Column('rectify_requirement', sa.Text(), nullable=True),
    sa.Column('rectify_due', sa.Date(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('recheck', sa.String(length=40), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft16_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft16_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft16_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft16_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft16_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft16_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft16')),
    sa.UniqueConstraint('number', name='uq_eng_ft16_number')
    )
    with op.batch_alter_table('eng_ft16', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft16_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft16_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft16_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft16_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft16_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft17',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('quality', sa.Text(), nullable=True),
    sa.Column('safety', sa.Text(), nullable=True),
    sa.Column('figures', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('next_month', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft17_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft17_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft17_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft17_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft17_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft17')),
    sa.UniqueConstraint('number', name='uq_eng_ft17_number')
    )
    with op.batch_alter_table('eng_ft17', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft17_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft17_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft17_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft17_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft17_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft18',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('week_from', sa.Date(), nullable=True),
    sa.Column('week_to', sa.Date(), nullable=True),
    sa.Column('work_done', sa.Text(), nullable=True),
    sa.Column('manpower', sa.Text(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('quality_safety', sa.Text(), nullable=True),
    sa.Column('figures', sa.Text(), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.Column('next_week', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft18_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft18_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft18_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft18_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft18_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft18')),
    sa.UniqueConstraint('number', name='uq_eng_ft18_number')
    )
    with op.batch_alter_table('eng_ft18', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft18_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft18_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft18_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft18_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft18_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft19',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('meeting_type', sa.String(length=40), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('chair', sa.String(length=60), nullable=True),
    sa.Column('recorder_id', sa.Integer(), nullable=True),
    sa.Column('participants', sa.Text(), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('discussion', sa.Text(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft19_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft19_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft19_owner_id_user')),
    sa.ForeignKeyConstraint(['recorder_id'], ['user.id'], name=op.f('fk_eng_ft19_recorder_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft19_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft19')),
    sa.UniqueConstraint('number', name='uq_eng_ft19_number')
    )
    with op.batch_alter_table('eng_ft19', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft19_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft19_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft19_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft19_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft19_recorder_id'), ['recorder_id'], unique=False)
        batch_op.create_index('ix_eng_ft19_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft20',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('subitem_name', sa.String(length=120), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('is_hidden_work', sa.Boolean(), nullable=True),
    sa.Column('selfcheck_id', sa.Integer(), nullable=True),
    sa.Column('test_records', sa.String(length=200), nullable=True),
    sa.Column('requested_date', sa.Date(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft20_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft20_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft20_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft20_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft20_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft20_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft20')),
    sa.UniqueConstraint('number', name='uq_eng_ft20_number')
    )
    with op.batch_alter_table('eng_ft20', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft20_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft20_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft20_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft20_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft20_selfcheck_id'), ['selfcheck_id'], unique=False)
        batch_op.create_index('ix_eng_ft20_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft21',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('inspectors', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('rectify_req', sa.Text(), nullable=True),
    sa.Column('conclusion', sa.String(length=40), nullable=True),
    sa.Column('first_pass', sa.Boolean(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft21_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft21_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft21_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft21_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft21_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft21_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft21')),
    sa.UniqueConstraint('number', name='uq_eng_ft21_number')
    )
    with op.batch_alter_table('eng_ft21', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft21_application_id'), ['application_id'], unique=False)
        batch_op.create_index('ix_eng_ft21_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft21_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft21_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft21_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft21_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft22',
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
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('pre_acceptance_date', sa.Date(), nullable=True),
    sa.Column('participants', sa.Text(), nullable=True),
    sa.Column('subitem_summary', sa.Text(), nullable=True),
    sa.Column('test_summary', sa.Text(), nullable=True),
    sa.Column('trial_run', sa.Text(), nullable=True),
    sa.Column('documents_check', sa.Text(), nullable=True),
    sa.Column('conclusion', sa.String(length=40), nullable=True),
    sa.Column('proposed_final_date', sa.Date(), nullable=True),
    sa.Column('owner_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('owner_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('owner_sig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_date', sa.Date(), nullable=True),
    sa.Column('owner_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft22_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft22_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft22_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft22_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft22_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft22_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft22_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft22')),
    sa.UniqueConstraint('number', name='uq_eng_ft22_number')
    )
    with op.batch_alter_table('eng_ft22', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft22_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft22_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft22_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft22_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft22_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft01_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('waived', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft01.id'], name=op.f('fk_eng_ft01_line_doc_id_eng_ft01'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft01_line'))
    )
    with op.batch_alter_table('eng_ft01_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft01_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft02_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('milestone', sa.String(length=120), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft02.id'], name=op.f('fk_eng_ft02_line_doc_id_eng_ft02'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft02_line'))
    )
    with op.batch_alter_table('eng_ft02_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft02_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft13_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('spec_model', sa.String(length=120), nullable=True),
    sa.Column('brand', sa.String(length=60), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('intended_use', sa.String(length=120), nullable=True),
    sa.Column('supply_by', sa.String(length=40), nullable=True),
    sa.Column('receipt_ref', sa.String(length=40), nullable=True),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft13.id'], name=op.f('fk_eng_ft13_line_doc_id_eng_ft13'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft13_line'))
    )
    with op.batch_alter_table('eng_ft13_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft13_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft15_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('brand', sa.String(length=60), nullable=True),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('serials', sa.Text(), nullable=True),
    sa.Column('qty', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('unpacking_check', sa.String(length=40), nullable=True),
    sa.Column('accessories_docs', sa.String(length=40), nullable=True),
    sa.Column('power_on_test', sa.String(length=40), nullable=True),
    sa.Column('receipt_ref', sa.String(length=40), nullable=True),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft15.id'], name=op.f('fk_eng_ft15_line_doc_id_eng_ft15'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft15_line'))
    )
    with op.batch_alter_table('eng_ft15_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft15_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft19_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft19.id'], name=op.f('fk_eng_ft19_line_doc_id_eng_ft19'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft19_line_owner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft19_line'))
    )
    with op.batch_alter_table('eng_ft19_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft19_line_doc_id'), ['doc_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft19_line_owner_id'), ['owner_id'], unique=False)

    op.create_table('eng_ft20_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft20.id'], name=op.f('fk_eng_ft20_line_doc_id_eng_ft20'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft20_line'))
    )
    with op.batch_alter_table('eng_ft20_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft20_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft21_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('standard', sa.String(length=120), nullable=True),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft21.id'], name=op.f('fk_eng_ft21_line_doc_id_eng_ft21'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft21_line'))
    )
    with op.batch_alter_table('eng_ft21_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft21_line_doc_id'), ['doc_id'], unique=False)

    op.create_table('eng_ft22_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('owner', sa.String(length=60), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft22.id'], name=op.f('fk_eng_ft22_line_doc_id_eng_ft22'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft22_line'))
    )
    with op.batch_alter_table('eng_ft22_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft22_line_doc_id'), ['doc_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_ft22_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft22_line_doc_id'))

    op.drop_table('eng_ft22_line')
    with op.batch_alter_table('eng_ft21_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft21_line_doc_id'))

    op.drop_table('eng_ft21_line')
    with op.batch_alter_table('eng_ft20_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft20_line_doc_id'))

    op.drop_table('eng_ft20_line')
    with op.batch_alter_table('eng_ft19_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft19_line_owner_id'))
        batch_op.drop_index(batch_op.f('ix_eng_ft19_line_doc_id'))

    op.drop_table('eng_ft19_line')
    with op.batch_alter_table('eng_ft15_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft15_line_doc_id'))

    op.drop_table('eng_ft15_line')
    with op.batch_alter_table('eng_ft13_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft13_line_doc_id'))

    op.drop_table('eng_ft13_line')
    with op.batch_alter_table('eng_ft02_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft02_line_doc_id'))

    op.drop_table('eng_ft02_line')
    with op.batch_alter_table('eng_ft01_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft01_line_doc_id'))

    op.drop_table('eng_ft01_line')
    with op.batch_alter_table('eng_ft22', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft22_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft22_project_id'))
        batch_op.drop_index('ix_eng_ft22_owner_id_id')
        batch_op.drop_index('ix_eng_ft22_department_id_id')
        batch_op.drop_index('ix_eng_ft22_created_at')

    op.drop_table('eng_ft22')
    with op.batch_alter_table('eng_ft21', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft21_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft21_project_id'))
        batch_op.drop_index('ix_eng_ft21_owner_id_id')
        batch_op.drop_index('ix_eng_ft21_department_id_id')
        batch_op.drop_index('ix_eng_ft21_created_at')
        batch_op.drop_index(batch_op.f('ix_eng_ft21_application_id'))

    op.drop_table('eng_ft21')
    with op.batch_alter_table('eng_ft20', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft20_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft20_selfcheck_id'))
        batch_op.drop_index(batch_op.f('ix_eng_ft20_project_id'))
        batch_op.drop_index('ix_eng_ft20_owner_id_id')
        batch_op.drop_index('ix_eng_ft20_department_id_id')
        batch_op.drop_index('ix_eng_ft20_created_at')

    op.drop_table('eng_ft20')
    with op.batch_alter_table('eng_ft19', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft19_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft19_recorder_id'))
        batch_op.drop_index(batch_op.f('ix_eng_ft19_project_id'))
        batch_op.drop_index('ix_eng_ft19_owner_id_id')
        batch_op.drop_index('ix_eng_ft19_department_id_id')
        batch_op.drop_index('ix_eng_ft19_created_at')

    op.drop_table('eng_ft19')
    with op.batch_alter_table('eng_ft18', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft18_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft18_project_id'))
        batch_op.drop_index('ix_eng_ft18_owner_id_id')
        batch_op.drop_index('ix_eng_ft18_department_id_id')
        batch_op.drop_index('ix_eng_ft18_created_at')

    op.drop_table('eng_ft18')
    with op.batch_alter_table('eng_ft17', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft17_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft17_project_id'))
        batch_op.drop_index('ix_eng_ft17_owner_id_id')
        batch_op.drop_index('ix_eng_ft17_department_id_id')
        batch_op.drop_index('ix_eng_ft17_created_at')

    op.drop_table('eng_ft17')
    with op.batch_alter_table('eng_ft16', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft16_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft16_project_id'))
        batch_op.drop_index('ix_eng_ft16_owner_id_id')
        batch_op.drop_index('ix_eng_ft16_department_id_id')
        batch_op.drop_index('ix_eng_ft16_created_at')

    op.drop_table('eng_ft16')
    with op.batch_alter_table('eng_ft15', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft15_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft15_project_id'))
        batch_op.drop_index('ix_eng_ft15_owner_id_id')
        batch_op.drop_index('ix_eng_ft15_department_id_id')
        batch_op.drop_index('ix_eng_ft15_created_at')

    op.drop_table('eng_ft15')
    with op.batch_alter_table('eng_ft14', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft14_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft14_project_id'))
        batch_op.drop_index('ix_eng_ft14_owner_id_id')
        batch_op.drop_index('ix_eng_ft14_department_id_id')
        batch_op.drop_index('ix_eng_ft14_created_at')

    op.drop_table('eng_ft14')
    with op.batch_alter_table('eng_ft13', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft13_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft13_project_id'))
        batch_op.drop_index('ix_eng_ft13_owner_id_id')
        batch_op.drop_index('ix_eng_ft13_department_id_id')
        batch_op.drop_index('ix_eng_ft13_created_at')

    op.drop_table('eng_ft13')
    with op.batch_alter_table('eng_ft08', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft08_suspension_id'))
        batch_op.drop_index('ix_eng_ft08_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft08_project_id'))
        batch_op.drop_index('ix_eng_ft08_owner_id_id')
        batch_op.drop_index('ix_eng_ft08_department_id_id')
        batch_op.drop_index('ix_eng_ft08_created_at')

    op.drop_table('eng_ft08')
    with op.batch_alter_table('eng_ft07', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft07_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft07_project_id'))
        batch_op.drop_index('ix_eng_ft07_owner_id_id')
        batch_op.drop_index('ix_eng_ft07_department_id_id')
        batch_op.drop_index('ix_eng_ft07_created_at')

    op.drop_table('eng_ft07')
    with op.batch_alter_table('eng_ft04', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft04_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft04_project_id'))
        batch_op.drop_index('ix_eng_ft04_owner_id_id')
        batch_op.drop_index('ix_eng_ft04_department_id_id')
        batch_op.drop_index('ix_eng_ft04_created_at')
        batch_op.drop_index(batch_op.f('ix_eng_ft04_application_id'))

    op.drop_table('eng_ft04')
    with op.batch_alter_table('eng_ft03', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft03_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft03_project_id'))
        batch_op.drop_index('ix_eng_ft03_owner_id_id')
        batch_op.drop_index('ix_eng_ft03_department_id_id')
        batch_op.drop_index('ix_eng_ft03_created_at')

    op.drop_table('eng_ft03')
    with op.batch_alter_table('eng_ft02', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft02_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft02_schedule_id'))
        batch_op.drop_index(batch_op.f('ix_eng_ft02_project_id'))
        batch_op.drop_index('ix_eng_ft02_owner_id_id')
        batch_op.drop_index('ix_eng_ft02_department_id_id')
        batch_op.drop_index('ix_eng_ft02_created_at')

    op.drop_table('eng_ft02')
    with op.batch_alter_table('eng_ft01', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft01_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft01_project_id'))
        batch_op.drop_index('ix_eng_ft01_owner_id_id')
        batch_op.drop_index('ix_eng_ft01_department_id_id')
        batch_op.drop_index('ix_eng_ft01_created_at')

    op.drop_table('eng_ft01')
