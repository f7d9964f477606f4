"""supplier directory and evaluations

Revision ID: procurement0001
Revises: 
Create Date: 2026-12-05 19:09:48.002883
"""
from alembic import op
import sqlalchemy as sa


revision = 'procurement0001'
down_revision = None
branch_labels = ('procurement',)
depends_on = 'c0005'   # core's parties, documents and workflow tables


def upgrade():
    op.create_table('procurement_supplier',
    sa.Column('party_id', sa.Integer(), nullable=False),
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
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('contact_name', sa.String(length=80), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=120), nullable=True),
    sa.Column('bank_name', sa.String(length=200), nullable=True),
    sa.Column('bank_account', sa.String(length=40), nullable=True),
    sa.Column('payment_terms', sa.String(length=200), nullable=True),
    sa.Column('payment_days', sa.Integer(), nullable=True),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('last_evaluated_on', sa.Date(), nullable=True),
    sa.Column('next_evaluation_due', sa.Date(), nullable=True),
    sa.Column('on_time_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('nonconformance_count', sa.Integer(), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_procurement_supplier_buyer_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_supplier_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_supplier_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_supplier_owner_id_user')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_procurement_supplier_party_id_party')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_supplier_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_supplier')),
    sa.UniqueConstraint('number', name='uq_procurement_supplier_number'),
    sa.UniqueConstraint('party_id', name=op.f('uq_procurement_supplier_party_id'))
    )
    with op.batch_alter_table('procurement_supplier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_supplier_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_procurement_supplier_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_supplier_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_supplier_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_supplier_state_id', ['state', 'id'], unique=False)

    op.create_table('procurement_evaluation',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
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
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('total', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('technical_opinion', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_evaluation_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_procurement_evaluation_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_procurement_evaluation_owner_id_user')),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_evaluation_supplier_id_procurement_supplier')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_procurement_evaluation_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_evaluation')),
    sa.UniqueConstraint('number', name='uq_procurement_evaluation_number')
    )
    with op.batch_alter_table('procurement_evaluation', schema=None) as batch_op:
        batch_op.create_index('ix_procurement_evaluation_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_procurement_evaluation_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_evaluation_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_procurement_evaluation_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_evaluation_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_supplier_qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('level', sa.String(length=40), nullable=True),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['supplier_id'], ['procurement_supplier.id'], name=op.f('fk_procurement_supplier_qualification_supplier_id_procurement_supplier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_supplier_qualification'))
    )
    with op.batch_alter_table('procurement_supplier_qualification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_supplier_qualification_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('procurement_evaluation_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('weight', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('suggested', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['evaluation_id'], ['procurement_evaluation.id'], name=op.f('fk_procurement_evaluation_line_evaluation_id_procurement_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_evaluation_line'))
    )
    with op.batch_alter_table('procurement_evaluation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_evaluation_line_evaluation_id'), ['evaluation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procurement_evaluation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_evaluation_line_evaluation_id'))

    op.drop_table('procurement_evaluation_line')
    with op.batch_alter_table('procurement_supplier_qualification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_supplier_qualification_supplier_id'))

    op.drop_table('procurement_supplier_qualification')
    with op.batch_alter_table('procurement_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_evaluation_supplier_id'))
        batch_op.drop_index('ix_procurement_evaluation_state_id')
        batch_op.drop_index('ix_procurement_evaluation_owner_id_id')
        batch_op.drop_index('ix_procurement_evaluation_department_id_id')
        batch_op.drop_index('ix_procurement_evaluation_created_at')

    op.drop_table('procurement_evaluation')
    with op.batch_alter_table('procurement_supplier', schema=None) as batch_op:
        batch_op.drop_index('ix_procurement_supplier_state_id')
        batch_op.drop_index('ix_procurement_supplier_owner_id_id')
        batch_op.drop_index('ix_procurement_supplier_department_id_id')
        batch_op.drop_index('ix_procurement_supplier_created_at')
        batch_op.drop_index(batch_op.f('ix_procurement_supplier_buyer_id'))

    op.drop_table('procurement_supplier')
