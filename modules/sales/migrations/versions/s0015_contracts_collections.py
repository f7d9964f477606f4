"""contracts handovers collections

Revision ID: s0015_contracts_collections
Revises: s0014_customer_rules_bonds
Create Date: 2026-12-05 15:47:52.309523
"""
from alembic import op
import sqlalchemy as sa


revision = 's0015_contracts_collections'
down_revision = 's0014_customer_rules_bonds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_contract',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('quotation_id', sa.Integer(), nullable=True),
    sa.Column('installs', sa.Boolean(), nullable=False),
    sa.Column('supplies', sa.Boolean(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount_excl_tax', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('price_basis', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('budget_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('margin_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('payment_terms', sa.Text(), nullable=False),
    sa.Column('delivery_terms', sa.Text(), nullable=False),
    sa.Column('warranty_terms', sa.Text(), nullable=False),
    sa.Column('liability', sa.Text(), nullable=False),
    sa.Column('template_deviations', sa.Text(), nullable=False),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('due_completion', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('seal_request', sa.String(length=60), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('project_ref', sa.String(length=60), nullable=False),
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
    sa.ForeignKeyConstraint(['area_id'], ['sales_area.id'], name=op.f('fk_sales_contract_area_id_sales_area')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_contract_created_by_id_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['sales_customer.id'], name=op.f('fk_sales_contract_customer_id_sales_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_contract_department_id_department')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_contract_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_contract_owner_id_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['sales_contract.id'], name=op.f('fk_sales_contract_parent_id_sales_contract')),
    sa.ForeignKeyConstraint(['quotation_id'], ['sales_quotation.id'], name=op.f('fk_sales_contract_quotation_id_sales_quotation')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_contract_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_contract')),
    sa.UniqueConstraint('number', name='uq_sales_contract_number')
    )
    with op.batch_alter_table('sales_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_contract_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_sales_contract_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_contract_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sales_contract_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_contract_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_sales_contract_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_contract_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_contract_signed_on'), ['signed_on'], unique=False)
        batch_op.create_index('ix_sales_contract_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_collection',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('milestone', sa.String(length=12), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('trigger', sa.String(length=12), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=True),
    sa.Column('term_days', sa.Integer(), nullable=False),
    sa.Column('triggered_on', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('invoice_no', sa.String(length=40), nullable=False),
    sa.Column('invoiced_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('received_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('bank_ref', sa.String(length=60), nullable=False),
    sa.Column('split_from_id', sa.Integer(), nullable=True),
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
    sa.ForeignKeyConstraint(['area_id'], ['sales_area.id'], name=op.f('fk_sales_collection_area_id_sales_area')),
    sa.ForeignKeyConstraint(['contract_id'], ['sales_contract.id'], name=op.f('fk_sales_collection_contract_id_sales_contract')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_collection_created_by_id_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['sales_customer.id'], name=op.f('fk_sales_collection_customer_id_sales_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_collection_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_collection_owner_id_user')),
    sa.ForeignKeyConstraint(['split_from_id'], ['sales_collection.id'], name=op.f('fk_sales_collection_split_from_id_sales_collection')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_collection_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_collection')),
    sa.UniqueConstraint('number', name='uq_sales_collection_number')
    )
    with op.batch_alter_table('sales_collection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_collection_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_collection_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_sales_collection_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_collection_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sales_collection_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_collection_due_date'), ['due_date'], unique=False)
        batch_op.create_index('ix_sales_collection_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_collection_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_handover',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('site_address', sa.String(length=200), nullable=False),
    sa.Column('customer_contacts', sa.Text(), nullable=False),
    sa.Column('contract_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('due_completion', sa.Date(), nullable=True),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('payment_terms', sa.Text(), nullable=False),
    sa.Column('solution', sa.String(length=200), nullable=False),
    sa.Column('commitments', sa.Text(), nullable=False),
    sa.Column('site_notes', sa.Text(), nullable=False),
    sa.Column('supervision_mode', sa.String(length=12), nullable=False),
    sa.Column('supervisor_firm', sa.String(length=200), nullable=False),
    sa.Column('handover_docs', sa.JSON(), nullable=False),
    sa.Column('handover_meeting', sa.Date(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assigned_pe_id', sa.Integer(), nullable=True),
    sa.Column('project_ref', sa.String(length=60), nullable=False),
    sa.Column('paper_signed_by', sa.String(length=60), nullable=False),
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
    sa.ForeignKeyConstraint(['assigned_pe_id'], ['user.id'], name=op.f('fk_sales_handover_assigned_pe_id_user')),
    sa.ForeignKeyConstraint(['contract_id'], ['sales_contract.id'], name=op.f('fk_sales_handover_contract_id_sales_contract')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_handover_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_handover_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_handover_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_handover_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_handover')),
    sa.UniqueConstraint('number', name='uq_sales_handover_number')
    )
    with op.batch_alter_table('sales_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_handover_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_sales_handover_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_handover_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_handover_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_handover_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_handover_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=False),
    sa.Column('brand_model', sa.String(length=120), nullable=False),
    sa.Column('qty', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=12), nullable=False),
    sa.Column('supply_by', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['handover_id'], ['sales_handover.id'], name=op.f('fk_sales_handover_line_handover_id_sales_handover'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_handover_line'))
    )
    with op.batch_alter_table('sales_handover_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_handover_line_handover_id'), ['handover_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_handover_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_handover_line_handover_id'))

    op.drop_table('sales_handover_line')
    with op.batch_alter_table('sales_handover', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_handover_state_id')
        batch_op.drop_index('ix_sales_handover_owner_id_id')
        batch_op.drop_index('ix_sales_handover_department_id_id')
        batch_op.drop_index('ix_sales_handover_created_at')
        batch_op.drop_index(batch_op.f('ix_sales_handover_contract_id'))

    op.drop_table('sales_handover')
    with op.batch_alter_table('sales_collection', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_collection_state_id')
        batch_op.drop_index('ix_sales_collection_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_collection_due_date'))
        batch_op.drop_index('ix_sales_collection_department_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_collection_customer_id'))
        batch_op.drop_index('ix_sales_collection_created_at')
        batch_op.drop_index(batch_op.f('ix_sales_collection_contract_id'))
        batch_op.drop_index(batch_op.f('ix_sales_collection_area_id'))

    op.drop_table('sales_collection')
    with op.batch_alter_table('sales_contract', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_contract_state_id')
        batch_op.drop_index(batch_op.f('ix_sales_contract_signed_on'))
        batch_op.drop_index(batch_op.f('ix_sales_contract_parent_id'))
        batch_op.drop_index('ix_sales_contract_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_contract_opportunity_id'))
        batch_op.drop_index('ix_sales_contract_department_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_contract_customer_id'))
        batch_op.drop_index('ix_sales_contract_created_at')
        batch_op.drop_index(batch_op.f('ix_sales_contract_area_id'))

    op.drop_table('sales_contract')
