"""job profiles and business trips

Revision ID: hr0002_trips
Revises: 
Create Date: 2026-12-06 02:00:56.904747
"""
import sqlalchemy as sa
from alembic import op

revision = 'hr0002_trips'
down_revision = None
branch_labels = ('hr_appraisal',)
depends_on = 'c0013w'


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


def downgrade():
    with op.batch_alter_table('hr_job_profile_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_job_profile_item_profile_id'))

    op.drop_table('hr_job_profile_item')
    with op.batch_alter_table('hr_job_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_job_profile_state_id')
        batch_op.drop_index('ix_hr_job_profile_owner_id_id')
        batch_op.drop_index('ix_hr_job_profile_department_id_id')
        batch_op.drop_index('ix_hr_job_profile_created_at')

    op.drop_table('hr_job_profile')
