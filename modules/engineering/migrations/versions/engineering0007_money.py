"""money

Revision ID: engineering0007_money
Revises: engineering0006_forms
Create Date: 2026-12-05 22:36:12.050378
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0007_money'
down_revision = 'engineering0006_forms'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_ft05',
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
    sa.Column('proposed_by', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('reason_detail', sa.Text(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('cost_impact', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('time_impact_days', sa.Integer(), nullable=True),
    sa.Column('internal_approval_by_id', sa.Integer(), nullable=True),
    sa.Column('internal_approval_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('internal_approval_decision', sa.String(length=20), nullable=True),
    sa.Column('internal_approval_opinion', sa.Text(), nullable=True),
    sa.Column('gm_approval_by_id', sa.Integer(), nullable=True),
    sa.Column('gm_approval_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gm_approval_decision', sa.String(length=20), nullable=True),
    sa.Column('gm_approval_opinion', sa.Text(), nullable=True),
    sa.Column('execution_status', sa.String(length=40), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft05_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft05_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft05_department_id_department')),
    sa.ForeignKeyConstraint(['gm_approval_by_id'], ['user.id'], name=op.f('fk_eng_ft05_gm_approval_by_id_user')),
    sa.ForeignKeyConstraint(['internal_approval_by_id'], ['user.id'], name=op.f('fk_eng_ft05_internal_approval_by_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft05_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft05_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft05_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft05_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft05')),
    sa.UniqueConstraint('number', name='uq_eng_ft05_number')
    )
    with op.batch_alter_table('eng_ft05', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft05_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft05_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft05_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft05_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft05_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft06',
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
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('pricing_basis', sa.String(length=40), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('required_by', sa.Date(), nullable=True),
    sa.Column('time_impact_days', sa.Integer(), nullable=True),
    sa.Column('internal_approval_by_id', sa.Integer(), nullable=True),
    sa.Column('internal_approval_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('internal_approval_decision', sa.String(length=20), nullable=True),
    sa.Column('internal_approval_opinion', sa.Text(), nullable=True),
    sa.Column('gm_approval_by_id', sa.Integer(), nullable=True),
    sa.Column('gm_approval_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gm_approval_decision', sa.String(length=20), nullable=True),
    sa.Column('gm_approval_opinion', sa.Text(), nullable=True),
    sa.Column('execution_status', sa.String(length=40), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft06_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft06_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft06_department_id_department')),
    sa.ForeignKeyConstraint(['gm_approval_by_id'], ['user.id'], name=op.f('fk_eng_ft06_gm_approval_by_id_user')),
    sa.ForeignKeyConstraint(['internal_approval_by_id'], ['user.id'], name=op.f('fk_eng_ft06_internal_approval_by_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft06_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft06_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft06_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft06_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft06')),
    sa.UniqueConstraint('number', name='uq_eng_ft06_number')
    )
    with op.batch_alter_table('eng_ft06', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft06_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft06_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft06_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft06_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft06_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft09',
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
    sa.Column('original_completion', sa.Date(), nullable=True),
    sa.Column('requested_days', sa.Integer(), nullable=True),
    sa.Column('requested_completion', sa.Date(), nullable=True),
    sa.Column('approved_days', sa.Integer(), nullable=True),
    sa.Column('approved_completion', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft09_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft09_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft09_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft09_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft09_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft09_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft09_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft09')),
    sa.UniqueConstraint('number', name='uq_eng_ft09_number')
    )
    with op.batch_alter_table('eng_ft09', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft09_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft09_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft09_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft09_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft09_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft10',
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
    sa.Column('payment_type', sa.String(length=40), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('work_done_this_period', sa.Text(), nullable=True),
    sa.Column('value_this_period', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('value_cumulative', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid_cumulative', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('requested_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('cap_check', sa.String(length=200), nullable=True),
    sa.Column('supporting_docs', sa.JSON(), nullable=True),
    sa.Column('verified_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('approved_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('paid_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('bank_ref', sa.String(length=60), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft10_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft10_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft10_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft10_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft10_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft10_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft10_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft10')),
    sa.UniqueConstraint('number', name='uq_eng_ft10_number')
    )
    with op.batch_alter_table('eng_ft10', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft10_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft10_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft10_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft10_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft10_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft11',
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
    sa.Column('change_notice_id', sa.Integer(), nullable=True),
    sa.Column('additional_works_id', sa.Integer(), nullable=True),
    sa.Column('original_contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('declared_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('verified_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('confirmed_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('new_contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft11_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft11_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft11_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft11_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft11_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft11_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft11_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft11')),
    sa.UniqueConstraint('number', name='uq_eng_ft11_number')
    )
    with op.batch_alter_table('eng_ft11', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft11_additional_works_id'), ['additional_works_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft11_change_notice_id'), ['change_notice_id'], unique=False)
        batch_op.create_index('ix_eng_ft11_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft11_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft11_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft11_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft11_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft12',
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
    sa.Column('contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('changes_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('additional_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('declared_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('verified_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('paid_to_date', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('retention_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('retention_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('balance', sa.Numeric(precision=14, scale=2), nullable=True),
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
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft12_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft12_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft12_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft12_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft12_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft12_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft12_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft12')),
    sa.UniqueConstraint('number', name='uq_eng_ft12_number')
    )
    with op.batch_alter_table('eng_ft12', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft12_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft12_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft12_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft12_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft12_state_id', ['state', 'id'], unique=False)
    op.create_table('eng_ft05_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('drawing', sa.String(length=60), nullable=True),
    sa.Column('before', sa.String(length=300), nullable=True),
    sa.Column('after', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft05.id'], name=op.f('fk_eng_ft05_line_doc_id_eng_ft05'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft05_line'))
    )
    with op.batch_alter_table('eng_ft05_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft05_line_doc_id'), ['doc_id'], unique=False)
    op.create_table('eng_ft06_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('spec', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft06.id'], name=op.f('fk_eng_ft06_line_doc_id_eng_ft06'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft06_line'))
    )
    with op.batch_alter_table('eng_ft06_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft06_line_doc_id'), ['doc_id'], unique=False)
    op.create_table('eng_ft09_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('cause', sa.String(length=40), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft09.id'], name=op.f('fk_eng_ft09_line_doc_id_eng_ft09'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft09_line'))
    )
    with op.batch_alter_table('eng_ft09_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft09_line_doc_id'), ['doc_id'], unique=False)
    op.create_table('eng_ft10_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=40), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft10.id'], name=op.f('fk_eng_ft10_line_doc_id_eng_ft10'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft10_line'))
    )
    with op.batch_alter_table('eng_ft10_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft10_line_doc_id'), ['doc_id'], unique=False)
    op.create_table('eng_ft11_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty_before', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('qty_after', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('delta_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('basis', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft11.id'], name=op.f('fk_eng_ft11_line_doc_id_eng_ft11'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft11_line'))
    )
    with op.batch_alter_table('eng_ft11_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft11_line_doc_id'), ['doc_id'], unique=False)
    op.create_table('eng_ft12_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=40), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft12.id'], name=op.f('fk_eng_ft12_line_doc_id_eng_ft12'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft12_line'))
    )
    with op.batch_alter_table('eng_ft12_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft12_line_doc_id'), ['doc_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_ft12_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft12_line_doc_id'))
    op.drop_table('eng_ft12_line')
    with op.batch_alter_table('eng_ft11_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft11_line_doc_id'))
    op.drop_table('eng_ft11_line')
    with op.batch_alter_table('eng_ft10_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft10_line_doc_id'))
    op.drop_table('eng_ft10_line')
    with op.batch_alter_table('eng_ft09_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft09_line_doc_id'))
    op.drop_table('eng_ft09_line')
    with op.batch_alter_table('eng_ft06_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft06_line_doc_id'))
    op.drop_table('eng_ft06_line')
    with op.batch_alter_table('eng_ft05_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft05_line_doc_id'))
    op.drop_table('eng_ft05_line')
    with op.batch_alter_table('eng_ft12', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft12_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft12_project_id'))
        batch_op.drop_index('ix_eng_ft12_owner_id_id')
        batch_op.drop_index('ix_eng_ft12_department_id_id')
        batch_op.drop_index('ix_eng_ft12_created_at')
    op.drop_table('eng_ft12')
    with op.batch_alter_table('eng_ft11', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft11_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft11_project_id'))
        batch_op.drop_index('ix_eng_ft11_owner_id_id')
        batch_op.drop_index('ix_eng_ft11_department_id_id')
        batch_op.drop_index('ix_eng_ft11_created_at')
        batch_op.drop_index(batch_op.f('ix_eng_ft11_change_notice_id'))
        batch_op.drop_index(batch_op.f('ix_eng_ft11_additional_works_id'))
    op.drop_table('eng_ft11')
    with op.batch_alter_table('eng_ft10', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft10_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft10_project_id'))
        batch_op.drop_index('ix_eng_ft10_owner_id_id')
        batch_op.drop_index('ix_eng_ft10_department_id_id')
        batch_op.drop_index('ix_eng_ft10_created_at')
    op.drop_table('eng_ft10')
    with op.batch_alter_table('eng_ft09', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft09_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft09_project_id'))
        batch_op.drop_index('ix_eng_ft09_owner_id_id')
        batch_op.drop_index('ix_eng_ft09_department_id_id')
        batch_op.drop_index('ix_eng_ft09_created_at')
    op.drop_table('eng_ft09')
    with op.batch_alter_table('eng_ft06', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft06_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft06_project_id'))
        batch_op.drop_index('ix_eng_ft06_owner_id_id')
        batch_op.drop_index('ix_eng_ft06_department_id_id')
        batch_op.drop_index('ix_eng_ft06_created_at')
    op.drop_table('eng_ft06')
    with op.batch_alter_table('eng_ft05', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft05_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft05_project_id'))
        batch_op.drop_index('ix_eng_ft05_owner_id_id')
        batch_op.drop_index('ix_eng_ft05_department_id_id')
        batch_op.drop_index('ix_eng_ft05_created_at')
    op.drop_table('eng_ft05')
