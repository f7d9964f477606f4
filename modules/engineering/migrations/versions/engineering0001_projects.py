"""projects

Revision ID: engineering0001
Revises: 
Create Date: 2026-12-05 22:23:12.474058
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0001'
down_revision = None
branch_labels = ('engineering',)
depends_on = 'c0005'   # core's documents and workflow tables


def upgrade():
    op.create_table('eng_project',
    sa.Column('sales_contract_id', sa.Integer(), nullable=True),
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
    sa.Column('customer_name', sa.String(length=120), nullable=True),
    sa.Column('site_address', sa.String(length=200), nullable=True),
    sa.Column('project_type', sa.String(length=40), nullable=True),
    sa.Column('contract_ref', sa.String(length=60), nullable=True),
    sa.Column('contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('change_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('customer_contacts', sa.Text(), nullable=True),
    sa.Column('supervision_mode', sa.String(length=40), nullable=True),
    sa.Column('supervisor_firm', sa.String(length=120), nullable=True),
    sa.Column('engineer_id', sa.Integer(), nullable=True),
    sa.Column('deputy_engineer_id', sa.Integer(), nullable=True),
    sa.Column('assign_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_completion', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_completion', sa.Date(), nullable=True),
    sa.Column('suspended_days', sa.Integer(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=True),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('warranty_end', sa.Date(), nullable=True),
    sa.Column('solution', sa.String(length=200), nullable=True),
    sa.Column('commitments', sa.Text(), nullable=True),
    sa.Column('safety_briefed_on', sa.Date(), nullable=True),
    sa.Column('org_design_waived', sa.Boolean(), nullable=True),
    sa.Column('handover_ref', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_project_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_project_department_id_department')),
    sa.ForeignKeyConstraint(['deputy_engineer_id'], ['user.id'], name=op.f('fk_eng_project_deputy_engineer_id_user')),
    sa.ForeignKeyConstraint(['engineer_id'], ['user.id'], name=op.f('fk_eng_project_engineer_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_project_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_project_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_project')),
    sa.UniqueConstraint('number', name='uq_eng_project_number')
    )
    with op.batch_alter_table('eng_project', schema=None) as batch_op:
        batch_op.create_index('ix_eng_project_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_project_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_project_deputy_engineer_id'), ['deputy_engineer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_project_engineer_id'), ['engineer_id'], unique=False)
        batch_op.create_index('ix_eng_project_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_project_sales_contract_id'), ['sales_contract_id'], unique=False)
        batch_op.create_index('ix_eng_project_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_project_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('brand_model', sa.String(length=120), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('supply_by', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_project_scope_project_id_eng_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_project_scope'))
    )
    with op.batch_alter_table('eng_project_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_project_scope_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_project_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_project_scope_project_id'))

    op.drop_table('eng_project_scope')
    with op.batch_alter_table('eng_project', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_project_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_project_sales_contract_id'))
        batch_op.drop_index('ix_eng_project_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_project_engineer_id'))
        batch_op.drop_index(batch_op.f('ix_eng_project_deputy_engineer_id'))
        batch_op.drop_index('ix_eng_project_department_id_id')
        batch_op.drop_index('ix_eng_project_created_at')

    op.drop_table('eng_project')
