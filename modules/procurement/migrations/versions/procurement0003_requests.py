"""Purchase requests (X-P01, WF-P01)

Revision ID: procurement0003_requests
Revises: procurement0002_inquiries
Create Date: 2026-12-05 19:10:58.939334
"""
from alembic import op
import sqlalchemy as sa


revision = 'procurement0003_requests'
down_revision = 'procurement0002_inquiries'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procurement_request',
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
    sa.Column('project_related', sa.Boolean(), nullable=True),
    sa.Column('project_ref', sa.String(length=60), nullable=True),
    sa.Column('contract_ref', sa.String(length=60), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=True),
    sa.Column('total_budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('approval_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_procurement_request_buyer_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_request_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_request_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_request_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_request_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_request')),
    sa.UniqueConstraint('number', name='uq_procurement_request_number')
    )
    with op.batch_alter_table('procurement_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_request_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_procurement_request_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_request_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_request_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_request_state_id', ['state', 'id'], unique=False)

    op.create_table('procurement_request_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('brand_model_spec', sa.String(length=200), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('budget_unit_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('required_date', sa.Date(), nullable=True),
    sa.Column('delivery_place', sa.String(length=120), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('ordered_qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('line_status', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['procurement_request.id'], name=op.f('fk_procurement_request_line_request_id_procurement_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_request_line'))
    )
    with op.batch_alter_table('procurement_request_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_request_line_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_request_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_request_line_request_id'))

    op.drop_table('procurement_request_line')
    with op.batch_alter_table('procurement_request', schema=None) as batch_op:
        batch_op.drop_index('ix_procurement_request_state_id')
        batch_op.drop_index('ix_procurement_request_owner_id_id')
        batch_op.drop_index('ix_procurement_request_department_id_id')
        batch_op.drop_index('ix_procurement_request_created_at')
        batch_op.drop_index(batch_op.f('ix_procurement_request_buyer_id'))

    op.drop_table('procurement_request')
