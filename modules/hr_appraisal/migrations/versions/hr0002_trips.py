"""job profiles and business trips

Revision ID: hr0002_trips
Revises: hr0001_appraisal
Create Date: 2026-12-06 02:03:46.077980
"""
import sqlalchemy as sa
from alembic import op

revision = 'hr0002_trips'
down_revision = 'hr0001_appraisal'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hr_job_profile',
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
    sa.Column('role_code', sa.String(length=40), nullable=True),
    sa.Column('position', sa.String(length=60), nullable=True),
    sa.Column('dept_name', sa.String(length=60), nullable=True),
    sa.Column('reports_to', sa.String(length=60), nullable=True),
    sa.Column('direct_reports', sa.String(length=200), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('leadership', sa.Text(), nullable=True),
    sa.Column('difficulties', sa.Text(), nullable=True),
    sa.Column('career_path', sa.String(length=200), nullable=True),
    sa.Column('qualifications', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_job_profile_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_job_profile_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_job_profile_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_job_profile_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_job_profile')),
    sa.UniqueConstraint('number', name='uq_hr_job_profile_number')
    )
    with op.batch_alter_table('hr_job_profile', schema=None) as batch_op:
        batch_op.create_index('ix_hr_job_profile_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_job_profile_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_job_profile_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_job_profile_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_travel_standard',
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
    sa.Column('level', sa.String(length=40), nullable=True),
    sa.Column('tier', sa.String(length=40), nullable=True),
    sa.Column('hotel_per_night', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('meals_per_day', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('transport_class', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_travel_standard_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_travel_standard_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_travel_standard_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_travel_standard_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_travel_standard')),
    sa.UniqueConstraint('number', name='uq_hr_travel_standard_number')
    )
    with op.batch_alter_table('hr_travel_standard', schema=None) as batch_op:
        batch_op.create_index('ix_hr_travel_standard_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_travel_standard_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_travel_standard_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_travel_standard_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_trip',
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
    sa.Column('destination', sa.String(length=100), nullable=True),
    sa.Column('city_tier', sa.String(length=40), nullable=True),
    sa.Column('abroad', sa.Boolean(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('link_type', sa.String(length=40), nullable=True),
    sa.Column('link_ref', sa.String(length=60), nullable=True),
    sa.Column('transport', sa.String(length=40), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('emergency_reason', sa.Text(), nullable=True),
    sa.Column('advance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('est_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('change_start', sa.Date(), nullable=True),
    sa.Column('change_end', sa.Date(), nullable=True),
    sa.Column('change_reason', sa.Text(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_return', sa.Date(), nullable=True),
    sa.Column('report_due', sa.Date(), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('customers_visited', sa.Text(), nullable=True),
    sa.Column('report_late', sa.Boolean(), nullable=True),
    sa.Column('advance_settle_due', sa.Date(), nullable=True),
    sa.Column('advance_settled', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_trip_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_trip_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_trip_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_trip_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_trip')),
    sa.UniqueConstraint('number', name='uq_hr_trip_number')
    )
    with op.batch_alter_table('hr_trip', schema=None) as batch_op:
        batch_op.create_index('ix_hr_trip_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_trip_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_trip_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_trip_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_job_profile_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['hr_job_profile.id'], name=op.f('fk_hr_job_profile_item_profile_id_hr_job_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_job_profile_item'))
    )
    with op.batch_alter_table('hr_job_profile_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_job_profile_item_profile_id'), ['profile_id'], unique=False)

    op.create_table('hr_trip_claim',
    sa.Column('trip_id', sa.Integer(), nullable=False),
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
    sa.Column('level', sa.String(length=40), nullable=True),
    sa.Column('city_tier', sa.String(length=40), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('over_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('over_standard', sa.Boolean(), nullable=True),
    sa.Column('advance', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('payable', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_trip_claim_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_trip_claim_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_trip_claim_owner_id_user')),
    sa.ForeignKeyConstraint(['trip_id'], ['hr_trip.id'], name=op.f('fk_hr_trip_claim_trip_id_hr_trip')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_trip_claim_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_trip_claim')),
    sa.UniqueConstraint('number', name='uq_hr_trip_claim_number')
    )
    with op.batch_alter_table('hr_trip_claim', schema=None) as batch_op:
        batch_op.create_index('ix_hr_trip_claim_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_trip_claim_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_trip_claim_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_trip_claim_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_trip_claim_trip_id'), ['trip_id'], unique=False)

    op.create_table('hr_trip_estimate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trip_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['trip_id'], ['hr_trip.id'], name=op.f('fk_hr_trip_estimate_trip_id_hr_trip'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_trip_estimate'))
    )
    with op.batch_alter_table('hr_trip_estimate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_trip_estimate_trip_id'), ['trip_id'], unique=False)

    op.create_table('hr_trip_claim_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('expense_type', sa.String(length=40), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('travel_class', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('standard', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('over_standard', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['hr_trip_claim.id'], name=op.f('fk_hr_trip_claim_line_claim_id_hr_trip_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_trip_claim_line'))
    )
    with op.batch_alter_table('hr_trip_claim_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_trip_claim_line_claim_id'), ['claim_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_trip_claim_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_trip_claim_line_claim_id'))

    op.drop_table('hr_trip_claim_line')
    with op.batch_alter_table('hr_trip_estimate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_trip_estimate_trip_id'))

    op.drop_table('hr_trip_estimate')
    with op.batch_alter_table('hr_trip_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_trip_claim_trip_id'))
        batch_op.drop_index('ix_hr_trip_claim_state_id')
        batch_op.drop_index('ix_hr_trip_claim_owner_id_id')
        batch_op.drop_index('ix_hr_trip_claim_department_id_id')
        batch_op.drop_index('ix_hr_trip_claim_created_at')

    op.drop_table('hr_trip_claim')
    with op.batch_alter_table('hr_job_profile_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_job_profile_item_profile_id'))

    op.drop_table('hr_job_profile_item')
    with op.batch_alter_table('hr_trip', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_trip_state_id')
        batch_op.drop_index('ix_hr_trip_owner_id_id')
        batch_op.drop_index('ix_hr_trip_department_id_id')
        batch_op.drop_index('ix_hr_trip_created_at')

    op.drop_table('hr_trip')
    with op.batch_alter_table('hr_travel_standard', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_travel_standard_state_id')
        batch_op.drop_index('ix_hr_travel_standard_owner_id_id')
        batch_op.drop_index('ix_hr_travel_standard_department_id_id')
        batch_op.drop_index('ix_hr_travel_standard_created_at')

    op.drop_table('hr_travel_standard')
    with op.batch_alter_table('hr_job_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_job_profile_state_id')
        batch_op.drop_index('ix_hr_job_profile_owner_id_id')
        batch_op.drop_index('ix_hr_job_profile_department_id_id')
        batch_op.drop_index('ix_hr_job_profile_created_at')

    op.drop_table('hr_job_profile')
