"""sales customers opportunities presales

Revision ID: s0001
Revises: 
Create Date: 2026-11-27 15:58:06.086149
"""
from alembic import op
import sqlalchemy as sa


revision = 's0001'
down_revision = None
branch_labels = ('sales',)
depends_on = 'c0005'


def upgrade():

    op.create_table('sales_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['user.id'], name=op.f('fk_sales_area_manager_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_area')),
    sa.UniqueConstraint('code', name=op.f('uq_sales_area_code'))
    )
    op.create_table('sales_customer',
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('scale', sa.String(length=80), nullable=False),
    sa.Column('key_account', sa.Boolean(), nullable=False),
    sa.Column('it_status', sa.Text(), nullable=False),
    sa.Column('organisation', sa.Text(), nullable=False),
    sa.Column('decision_process', sa.Text(), nullable=False),
    sa.Column('funding', sa.Text(), nullable=False),
    sa.Column('credit', sa.String(length=10), nullable=False),
    sa.Column('competitors_present', sa.Text(), nullable=False),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['area_id'], ['sales_area.id'], name=op.f('fk_sales_customer_area_id_sales_area')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_customer_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_customer_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_customer_owner_id_user')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_sales_customer_party_id_party')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_customer_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_customer')),
    sa.UniqueConstraint('number', name='uq_sales_customer_number'),
    sa.UniqueConstraint('party_id', name=op.f('uq_sales_customer_party_id'))
    )
    with op.batch_alter_table('sales_customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_customer_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_sales_customer_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_customer_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_customer_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_customer_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_opportunity',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('info_type', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('est_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('expected_sign_date', sa.Date(), nullable=True),
    sa.Column('competitors', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('presales_lead_id', sa.Integer(), nullable=True),
    sa.Column('registration_no', sa.String(length=20), nullable=True),
    sa.Column('protected_until', sa.Date(), nullable=True),
    sa.Column('outcome_reason', sa.String(length=20), nullable=False),
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
    sa.ForeignKeyConstraint(['area_id'], ['sales_area.id'], name=op.f('fk_sales_opportunity_area_id_sales_area')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_opportunity_created_by_id_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['sales_customer.id'], name=op.f('fk_sales_opportunity_customer_id_sales_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_opportunity_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_opportunity_owner_id_user')),
    sa.ForeignKeyConstraint(['presales_lead_id'], ['user.id'], name=op.f('fk_sales_opportunity_presales_lead_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_opportunity_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_opportunity')),
    sa.UniqueConstraint('number', name='uq_sales_opportunity_number')
    )
    with op.batch_alter_table('sales_opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_opportunity_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_sales_opportunity_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_opportunity_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_sales_opportunity_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_opportunity_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_opportunity_presales_lead_id'), ['presales_lead_id'], unique=False)
        batch_op.create_index('ix_sales_opportunity_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_quotation',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('validity_days', sa.Integer(), nullable=False),
    sa.Column('total_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('total_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('external_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('margin_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_quotation_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_quotation_department_id_department')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_quotation_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_quotation_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_quotation_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_quotation')),
    sa.UniqueConstraint('number', name='uq_sales_quotation_number')
    )
    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.create_index('ix_sales_quotation_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_quotation_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_quotation_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_sales_quotation_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_quotation_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_registration',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('site_address', sa.String(length=200), nullable=False),
    sa.Column('project_types', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('overview', sa.Text(), nullable=False),
    sa.Column('est_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('funding', sa.Text(), nullable=False),
    sa.Column('decision_process', sa.Text(), nullable=False),
    sa.Column('credit', sa.String(length=10), nullable=False),
    sa.Column('customer_contacts', sa.Text(), nullable=False),
    sa.Column('expected_tender_date', sa.Date(), nullable=True),
    sa.Column('expected_impl_date', sa.Date(), nullable=True),
    sa.Column('competitors', sa.Text(), nullable=False),
    sa.Column('swot', sa.Text(), nullable=False),
    sa.Column('support_needed', sa.String(length=200), nullable=False),
    sa.Column('presales_lead_id', sa.Integer(), nullable=True),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sales_registration_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sales_registration_department_id_department')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_registration_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_sales_registration_owner_id_user')),
    sa.ForeignKeyConstraint(['presales_lead_id'], ['user.id'], name=op.f('fk_sales_registration_presales_lead_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sales_registration_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_registration')),
    sa.UniqueConstraint('number', name='uq_sales_registration_number')
    )
    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.create_index('ix_sales_registration_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_sales_registration_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_registration_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_sales_registration_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_sales_registration_state_id', ['state', 'id'], unique=False)

    op.create_table('sales_quotation_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quotation_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=False),
    sa.Column('brand_model', sa.String(length=120), nullable=False),
    sa.Column('qty', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=12), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('cost_source', sa.String(length=12), nullable=False),
    sa.Column('cost_note', sa.String(length=200), nullable=False),
    sa.Column('inquiry_ref', sa.String(length=40), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['quotation_id'], ['sales_quotation.id'], name=op.f('fk_sales_quotation_line_quotation_id_sales_quotation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_quotation_line'))
    )
    with op.batch_alter_table('sales_quotation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_quotation_line_quotation_id'), ['quotation_id'], unique=False)




def downgrade():

    with op.batch_alter_table('sales_quotation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_quotation_line_quotation_id'))

    op.drop_table('sales_quotation_line')
    with op.batch_alter_table('sales_registration', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_registration_state_id')
        batch_op.drop_index('ix_sales_registration_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_registration_opportunity_id'))
        batch_op.drop_index('ix_sales_registration_department_id_id')
        batch_op.drop_index('ix_sales_registration_created_at')

    op.drop_table('sales_registration')
    with op.batch_alter_table('sales_quotation', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_quotation_state_id')
        batch_op.drop_index('ix_sales_quotation_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_quotation_opportunity_id'))
        batch_op.drop_index('ix_sales_quotation_department_id_id')
        batch_op.drop_index('ix_sales_quotation_created_at')

    op.drop_table('sales_quotation')
    with op.batch_alter_table('sales_opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_opportunity_state_id')
        batch_op.drop_index(batch_op.f('ix_sales_opportunity_presales_lead_id'))
        batch_op.drop_index('ix_sales_opportunity_owner_id_id')
        batch_op.drop_index('ix_sales_opportunity_department_id_id')
        batch_op.drop_index(batch_op.f('ix_sales_opportunity_customer_id'))
        batch_op.drop_index('ix_sales_opportunity_created_at')
        batch_op.drop_index(batch_op.f('ix_sales_opportunity_area_id'))

    op.drop_table('sales_opportunity')
    with op.batch_alter_table('sales_customer', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_customer_state_id')
        batch_op.drop_index('ix_sales_customer_owner_id_id')
        batch_op.drop_index('ix_sales_customer_department_id_id')
        batch_op.drop_index('ix_sales_customer_created_at')
        batch_op.drop_index(batch_op.f('ix_sales_customer_area_id'))

    op.drop_table('sales_customer')
    op.drop_table('sales_area')

