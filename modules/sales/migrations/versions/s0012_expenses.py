"""sales: entertainment expense request and claim X-S09 with its gift register (WF-S12), s15-expenses

Revision ID: s0012_expenses
Revises: s0011_reception
"""
from alembic import op
import sqlalchemy as sa


revision = 's0012_expenses'
down_revision = 's0011_reception'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_entertainment',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('attendees_ours', sa.String(length=200), nullable=False),
    sa.Column('attendees_customer', sa.Text(), nullable=False),
    sa.Column('est_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('approval_level', sa.String(length=10), nullable=False),
    sa.Column('cap_exceeded', sa.Boolean(), nullable=False),
    sa.Column('post_approval', sa.Boolean(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('incurred_on', sa.Date(), nullable=True),
    sa.Column('actual_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('invoice_numbers', sa.String(length=200), nullable=False),
    sa.Column('overspend_reason', sa.Text(), nullable=False),
    sa.Column('claimed_on', sa.Date(), nullable=True),
    sa.Column('reimbursed_by_id', sa.Integer(), nullable=True),
    sa.Column('reimbursed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reimbursed_decision', sa.String(length=20), nullable=False),
    sa.Column('reimbursed_opinion', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_entertainment_created_by_id_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['sales_customer.id'], name=op.f('fk_sales_entertainment_customer_id_sales_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_entertainment_department_id_department')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_entertainment_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_entertainment_owner_id_user')),
    sa.ForeignKeyConstraint(['reimbursed_by_id'], ['user.id'], name=op.f('fk_sales_entertainment_reimbursed_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_entertainment_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_entertainment')),
    sa.UniqueConstraint('number', name='uq_sales_entertainment_number')
    )
    with op.batch_alter_table('sales_entertainment', schema=None) as batch_op:
        batch_op.create_index('ix_sales_entertainment_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_entertainment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sales_entertainment_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_entertainment_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_sales_entertainment_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_entertainment_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_entertainment_gift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['sales_entertainment.id'], name=op.f('fk_sales_entertainment_gift_request_id_sales_entertainment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_entertainment_gift'))
    )
    with op.batch_alter_table('sales_entertainment_gift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_entertainment_gift_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_entertainment_gift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_entertainment_gift_request_id'))

    op.drop_table('sales_entertainment_gift')
    with op.batch_alter_table('sales_entertainment', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_entertainment_state_id')
        batch_op.drop_index('ix_sales_entertainment_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_entertainment_opportunity_id'))
        batch_op.drop_index('ix_sales_entertainment_department_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_entertainment_customer_id'))
        batch_op.drop_index('ix_sales_entertainment_created_at')

    op.drop_table('sales_entertainment')
