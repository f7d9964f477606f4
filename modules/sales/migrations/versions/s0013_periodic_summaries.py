"""sales: weekly work summary (F-S11) and monthly project summary (X-S04), WF-S10, s15-periodic

Revision ID: s0013_periodic_summaries
Revises: s0012_expenses
"""
from alembic import op
import sqlalchemy as sa


revision = 's0013_periodic_summaries'
down_revision = 's0012_expenses'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_monthly_summary',
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_late', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('mgr_rating', sa.Integer(), nullable=True),
    sa.Column('mgr_comment', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_monthly_summary_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_monthly_summary_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_monthly_summary_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_monthly_summary_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_monthly_summary')),
    sa.UniqueConstraint('number', name='uq_sales_monthly_summary_number'),
    sa.UniqueConstraint('owner_id', 'period_start', name=op.f('uq_sales_monthly_summary_owner_id'))
    )
    with op.batch_alter_table('sales_monthly_summary', schema=None) as batch_op:
        batch_op.create_index('ix_sales_monthly_summary_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_monthly_summary_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_monthly_summary_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_monthly_summary_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_weekly_summary',
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('week_end', sa.Date(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_late', sa.Boolean(), nullable=False),
    sa.Column('visit_logs', sa.Integer(), nullable=False),
    sa.Column('customer_contacts', sa.Integer(), nullable=False),
    sa.Column('new_customers', sa.Integer(), nullable=False),
    sa.Column('new_opportunities', sa.Integer(), nullable=False),
    sa.Column('quotations', sa.Integer(), nullable=False),
    sa.Column('bids', sa.Integer(), nullable=False),
    sa.Column('signed_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('collected_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('highlights', sa.Text(), nullable=False),
    sa.Column('support_needed', sa.Text(), nullable=False),
    sa.Column('next_week', sa.Text(), nullable=False),
    sa.Column('mgr_rating', sa.Integer(), nullable=True),
    sa.Column('mgr_comment', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_weekly_summary_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_weekly_summary_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_weekly_summary_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_weekly_summary_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_weekly_summary')),
    sa.UniqueConstraint('number', name='uq_sales_weekly_summary_number'),
    sa.UniqueConstraint('owner_id', 'week_start', name=op.f('uq_sales_weekly_summary_owner_id'))
    )
    with op.batch_alter_table('sales_weekly_summary', schema=None) as batch_op:
        batch_op.create_index('ix_sales_weekly_summary_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_weekly_summary_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_weekly_summary_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_weekly_summary_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_monthly_summary_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_monthly_summary_line_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['summary_id'], ['sales_monthly_summary.id'], name=op.f('fk_sales_monthly_summary_line_summary_id_sales_monthly_summary'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_monthly_summary_line'))
    )
    with op.batch_alter_table('sales_monthly_summary_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_monthly_summary_line_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_monthly_summary_line_summary_id'), ['summary_id'], unique=False)

    op.create_table('sales_weekly_summary_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('stage_change', sa.String(length=200), nullable=False),
    sa.Column('issues', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_weekly_summary_line_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['summary_id'], ['sales_weekly_summary.id'], name=op.f('fk_sales_weekly_summary_line_summary_id_sales_weekly_summary'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_weekly_summary_line'))
    )
    with op.batch_alter_table('sales_weekly_summary_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_weekly_summary_line_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_weekly_summary_line_summary_id'), ['summary_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_weekly_summary_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_weekly_summary_line_summary_id'))
        batch_op.drop_index(batch_op.f('ix_sales_weekly_summary_line_opportunity_id'))

    op.drop_table('sales_weekly_summary_line')
    with op.batch_alter_table('sales_monthly_summary_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_monthly_summary_line_summary_id'))
        batch_op.drop_index(batch_op.f('ix_sales_monthly_summary_line_opportunity_id'))

    op.drop_table('sales_monthly_summary_line')
    with op.batch_alter_table('sales_weekly_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_weekly_summary_state_id')
        batch_op.drop_index('ix_sales_weekly_summary_owner_id_id')
        batch_op.drop_index('ix_sales_weekly_summary_department_id_id')
        batch_op.drop_index('ix_sales_weekly_summary_created_at')

    op.drop_table('sales_weekly_summary')
    with op.batch_alter_table('sales_monthly_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_monthly_summary_state_id')
        batch_op.drop_index('ix_sales_monthly_summary_owner_id_id')
        batch_op.drop_index('ix_sales_monthly_summary_department_id_id')
        batch_op.drop_index('ix_sales_monthly_summary_created_at')

    op.drop_table('sales_monthly_summary')
