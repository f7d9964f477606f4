"""costs

Revision ID: engineering0003_costs
Revises: engineering0001
Create Date: 2026-12-05 22:30:13.590342
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0003_costs'
down_revision = 'engineering0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_cost_posting',
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
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('posted_on', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_cost_posting_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_cost_posting_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_cost_posting_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_cost_posting_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cost_posting')),
    sa.UniqueConstraint('number', name='uq_eng_cost_posting_number')
    )
    with op.batch_alter_table('eng_cost_posting', schema=None) as batch_op:
        batch_op.create_index('ix_eng_cost_posting_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_cost_posting_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_cost_posting_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_cost_posting_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_cost_posting_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_cost_sheet',
    sa.Column('overrun_alerted', sa.Boolean(), nullable=False),
    sa.Column('margin_alerted', sa.Boolean(), nullable=False),
    sa.Column('alert_round', sa.Integer(), nullable=False),
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
    sa.Column('contract_amount_excl_tax', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('change_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_margin_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('budget_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_source', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_cost_sheet_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_cost_sheet_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_cost_sheet_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_cost_sheet_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cost_sheet')),
    sa.UniqueConstraint('number', name='uq_eng_cost_sheet_number')
    )
    with op.batch_alter_table('eng_cost_sheet', schema=None) as batch_op:
        batch_op.create_index('ix_eng_cost_sheet_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_cost_sheet_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_cost_sheet_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_cost_sheet_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_cost_sheet_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_cost_snapshot',
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
    sa.Column('snapshot_date', sa.Date(), nullable=True),
    sa.Column('revenue', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('committed_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('eac_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('forecast_margin', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('forecast_margin_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_cost_snapshot_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_cost_snapshot_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_cost_snapshot_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_cost_snapshot_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cost_snapshot')),
    sa.UniqueConstraint('number', name='uq_eng_cost_snapshot_number')
    )
    with op.batch_alter_table('eng_cost_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_eng_cost_snapshot_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_cost_snapshot_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_cost_snapshot_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_cost_snapshot_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_cost_snapshot_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_cost_sheet_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['sheet_id'], ['eng_cost_sheet.id'], name=op.f('fk_eng_cost_sheet_line_sheet_id_eng_cost_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cost_sheet_line'))
    )
    with op.batch_alter_table('eng_cost_sheet_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_cost_sheet_line_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('eng_cost_snapshot_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('committed', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('eac', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('variance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('variance_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['eng_cost_snapshot.id'], name=op.f('fk_eng_cost_snapshot_line_snapshot_id_eng_cost_snapshot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cost_snapshot_line'))
    )
    with op.batch_alter_table('eng_cost_snapshot_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_cost_snapshot_line_snapshot_id'), ['snapshot_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_cost_snapshot_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_cost_snapshot_line_snapshot_id'))

    op.drop_table('eng_cost_snapshot_line')
    with op.batch_alter_table('eng_cost_sheet_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_cost_sheet_line_sheet_id'))

    op.drop_table('eng_cost_sheet_line')
    with op.batch_alter_table('eng_cost_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_cost_snapshot_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_cost_snapshot_project_id'))
        batch_op.drop_index('ix_eng_cost_snapshot_owner_id_id')
        batch_op.drop_index('ix_eng_cost_snapshot_department_id_id')
        batch_op.drop_index('ix_eng_cost_snapshot_created_at')

    op.drop_table('eng_cost_snapshot')
    with op.batch_alter_table('eng_cost_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_cost_sheet_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_cost_sheet_project_id'))
        batch_op.drop_index('ix_eng_cost_sheet_owner_id_id')
        batch_op.drop_index('ix_eng_cost_sheet_department_id_id')
        batch_op.drop_index('ix_eng_cost_sheet_created_at')

    op.drop_table('eng_cost_sheet')
    with op.batch_alter_table('eng_cost_posting', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_cost_posting_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_cost_posting_project_id'))
        batch_op.drop_index('ix_eng_cost_posting_owner_id_id')
        batch_op.drop_index('ix_eng_cost_posting_department_id_id')
        batch_op.drop_index('ix_eng_cost_posting_created_at')

    op.drop_table('eng_cost_posting')
