"""quality: nonconformances, project evaluations

Revision ID: engineering0012_quality
Revises: engineering0007_money
Create Date: 2026-12-06 02:05:45.305807
"""
import sqlalchemy as sa
from alembic import op

revision = 'engineering0012_quality'
down_revision = 'engineering0011_service'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_nonconformance',
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
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('brand_model', sa.String(length=120), nullable=True),
    sa.Column('serials', sa.Text(), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('purchased', sa.Boolean(), nullable=True),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('supplier_name', sa.String(length=120), nullable=True),
    sa.Column('po_number', sa.String(length=40), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('purchasing_opinion', sa.Text(), nullable=True),
    sa.Column('review', sa.Text(), nullable=True),
    sa.Column('disposition', sa.String(length=40), nullable=True),
    sa.Column('customer_affected', sa.Boolean(), nullable=True),
    sa.Column('customer_consent_name', sa.String(length=200), nullable=True),
    sa.Column('customer_consent_org', sa.String(length=200), nullable=True),
    sa.Column('customer_consent_title', sa.String(length=200), nullable=True),
    sa.Column('customer_consent_date', sa.Date(), nullable=True),
    sa.Column('customer_consent_opinion', sa.Text(), nullable=True),
    sa.Column('disposal_result', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_nonconformance_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_nonconformance_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_nonconformance_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_nonconformance_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_nonconformance_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_nonconformance')),
    sa.UniqueConstraint('number', name='uq_eng_nonconformance_number')
    )
    with op.batch_alter_table('eng_nonconformance', schema=None) as batch_op:
        batch_op.create_index('ix_eng_nonconformance_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_nonconformance_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_nonconformance_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_nonconformance_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_nonconformance_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_nonconformance_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('eng_project_evaluation',
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
    sa.Column('contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_completion', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_completion', sa.Date(), nullable=True),
    sa.Column('delay_days', sa.Integer(), nullable=True),
    sa.Column('delay_reasons', sa.Text(), nullable=True),
    sa.Column('budget_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('margin_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('budget_accuracy', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('change_count', sa.Integer(), nullable=True),
    sa.Column('change_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('subitem_pass_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('selfcheck_pass_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('quality_notices', sa.Integer(), nullable=True),
    sa.Column('quality_incidents', sa.Integer(), nullable=True),
    sa.Column('safety', sa.Text(), nullable=True),
    sa.Column('lessons', sa.Text(), nullable=True),
    sa.Column('people', sa.Text(), nullable=True),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('market_comment', sa.Text(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_late', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_project_evaluation_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_project_evaluation_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_project_evaluation_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_project_evaluation_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_project_evaluation_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_project_evaluation')),
    sa.UniqueConstraint('number', name='uq_eng_project_evaluation_number')
    )
    with op.batch_alter_table('eng_project_evaluation', schema=None) as batch_op:
        batch_op.create_index('ix_eng_project_evaluation_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_project_evaluation_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_project_evaluation_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_project_evaluation_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_project_evaluation_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_project_evaluation_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=True),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.Column('proposed', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('score', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['evaluation_id'], ['eng_project_evaluation.id'], name=op.f('fk_eng_project_evaluation_score_evaluation_id_eng_project_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_project_evaluation_score'))
    )
    with op.batch_alter_table('eng_project_evaluation_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_project_evaluation_score_evaluation_id'), ['evaluation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_project_evaluation_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_project_evaluation_score_evaluation_id'))

    op.drop_table('eng_project_evaluation_score')
    with op.batch_alter_table('eng_project_evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_project_evaluation_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_project_evaluation_project_id'))
        batch_op.drop_index('ix_eng_project_evaluation_owner_id_id')
        batch_op.drop_index('ix_eng_project_evaluation_department_id_id')
        batch_op.drop_index('ix_eng_project_evaluation_created_at')

    op.drop_table('eng_project_evaluation')
    with op.batch_alter_table('eng_nonconformance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_nonconformance_supplier_id'))
        batch_op.drop_index('ix_eng_nonconformance_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_nonconformance_project_id'))
        batch_op.drop_index('ix_eng_nonconformance_owner_id_id')
        batch_op.drop_index('ix_eng_nonconformance_department_id_id')
        batch_op.drop_index('ix_eng_nonconformance_created_at')

    op.drop_table('eng_nonconformance')
