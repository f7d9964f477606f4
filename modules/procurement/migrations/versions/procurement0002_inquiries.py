"""price inquiries

Revision ID: procurement0002_inquiries
Revises: procurement0001
Create Date: 2026-12-05 19:11:28.708724
"""
from alembic import op
import sqlalchemy as sa


revision = 'procurement0002_inquiries'
down_revision = 'procurement0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procurement_inquiry',
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
    sa.Column('source_ref', sa.String(length=40), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('answer_due', sa.Date(), nullable=True),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('single_source_reason', sa.Text(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_decision', sa.String(length=20), nullable=True),
    sa.Column('answered_opinion', sa.Text(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_procurement_inquiry_answered_by_id_user')),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_procurement_inquiry_buyer_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_inquiry_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_inquiry_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_inquiry_owner_id_user')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_procurement_inquiry_requested_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_inquiry_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_inquiry')),
    sa.UniqueConstraint('number', name='uq_procurement_inquiry_number')
    )
    with op.batch_alter_table('procurement_inquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_inquiry_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_procurement_inquiry_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_inquiry_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_inquiry_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_inquiry_previous_id'), ['previous_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_inquiry_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_procurement_inquiry_state_id', ['state', 'id'], unique=False)

    op.create_table('procurement_inquiry_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('brand_model_spec', sa.String(length=200), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=12), nullable=True),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('vat_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('substitute', sa.String(length=200), nullable=True),
    sa.Column('single_source', sa.String(length=200), nullable=True),
    sa.Column('selected', sa.Boolean(), nullable=True),
    sa.Column('source_line_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['inquiry_id'], ['procurement_inquiry.id'], name=op.f('fk_procurement_inquiry_line_inquiry_id_procurement_inquiry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_inquiry_line'))
    )
    with op.batch_alter_table('procurement_inquiry_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_inquiry_line_inquiry_id'), ['inquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_inquiry_line_supplier_id'), ['supplier_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_inquiry_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_inquiry_line_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_inquiry_line_inquiry_id'))

    op.drop_table('procurement_inquiry_line')
    with op.batch_alter_table('procurement_inquiry', schema=None) as batch_op:
        batch_op.drop_index('ix_procurement_inquiry_state_id')
        batch_op.drop_index(batch_op.f('ix_procurement_inquiry_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_inquiry_previous_id'))
        batch_op.drop_index('ix_procurement_inquiry_owner_id_id')
        batch_op.drop_index('ix_procurement_inquiry_department_id_id')
        batch_op.drop_index('ix_procurement_inquiry_created_at')
        batch_op.drop_index(batch_op.f('ix_procurement_inquiry_buyer_id'))

    op.drop_table('procurement_inquiry')
