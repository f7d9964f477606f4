"""sales: customer reception schedule F-S07 and summary F-S08 (WF-S03), s15-reception

Revision ID: s0011_reception
Revises: s0010_bid_task_assigned
Create Date: 2026-12-05 15:49:43.113407
"""
import sqlalchemy as sa
from alembic import op


revision = 's0011_reception'
down_revision = 's0010_bid_task_assigned'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_reception',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
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
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('visitors', sa.Text(), nullable=True),
    sa.Column('visitor_count', sa.Integer(), nullable=True),
    sa.Column('arrive_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('leave_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('level', sa.String(length=40), nullable=True),
    sa.Column('transport', sa.Text(), nullable=True),
    sa.Column('lodging', sa.Text(), nullable=True),
    sa.Column('no_costs', sa.Boolean(), nullable=True),
    sa.Column('budget_lodging', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_meals', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_transport', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_tickets', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_gifts', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_other', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_note', sa.Text(), nullable=True),
    sa.Column('budget_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('approval_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_via', sa.String(length=40), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=200), nullable=True),
    sa.Column('notified_departments', sa.String(length=500), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('actual_visitors', sa.Text(), nullable=True),
    sa.Column('execution', sa.Text(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.Column('actual_lodging', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_meals', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_transport', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_tickets', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_gifts', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_other', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('overspend_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('overspend_reason', sa.Text(), nullable=True),
    sa.Column('follow_up', sa.Text(), nullable=True),
    sa.Column('summary_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('summary_late', sa.Boolean(), nullable=True),
    sa.Column('mgr_rating', sa.Integer(), nullable=True),
    sa.Column('mgr_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_reception_created_by_id_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['sales_customer.id'], name=op.f('fk_sales_reception_customer_id_sales_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_reception_department_id_department')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_reception_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_reception_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_reception_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_reception')),
    sa.UniqueConstraint('number', name='uq_sales_reception_number')
    )
    with op.batch_alter_table('sales_reception', schema=None) as batch_op:
        batch_op.create_index('ix_sales_reception_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_reception_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sales_reception_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_reception_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_sales_reception_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_reception_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_reception_agenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('time_slot', sa.String(length=40), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('preparation', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_reception_agenda_department_id_department')),
    sa.ForeignKeyConstraint(['reception_id'], ['sales_reception.id'], name=op.f('fk_sales_reception_agenda_reception_id_sales_reception'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_sales_reception_agenda_staff_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_reception_agenda'))
    )
    with op.batch_alter_table('sales_reception_agenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_reception_agenda_reception_id'), ['reception_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_reception_agenda_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_reception_agenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_reception_agenda_staff_id'))
        batch_op.drop_index(batch_op.f('ix_sales_reception_agenda_reception_id'))

    op.drop_table('sales_reception_agenda')
    with op.batch_alter_table('sales_reception', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_reception_state_id')
        batch_op.drop_index('ix_sales_reception_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_reception_opportunity_id'))
        batch_op.drop_index('ix_sales_reception_department_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_reception_customer_id'))
        batch_op.drop_index('ix_sales_reception_created_at')

    op.drop_table('sales_reception')
