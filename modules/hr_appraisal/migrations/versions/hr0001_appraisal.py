"""appraisal

Revision ID: hr0001_appraisal
Revises: 
Create Date: 2026-12-06 02:03:19.453810
"""
from alembic import op
import sqlalchemy as sa


revision = 'hr0001_appraisal'
down_revision = None
branch_labels = ('hr_appraisal',)
depends_on = 'c0013w'


def upgrade():
    op.create_table('hr_appraisal_template',
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
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_template_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_appraisal_template_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_appraisal_template_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_template_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_template')),
    sa.UniqueConstraint('number', name='uq_hr_appraisal_template_number')
    )
    with op.batch_alter_table('hr_appraisal_template', schema=None) as batch_op:
        batch_op.create_index('ix_hr_appraisal_template_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_appraisal_template_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_template_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_template_state_id', ['state', 'id'], unique=False)

    op.create_table('hr_appraisal_template_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.String(length=40), nullable=True),
    sa.Column('weight', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['hr_appraisal_template.id'], name=op.f('fk_hr_appraisal_template_line_template_id_hr_appraisal_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_template_line'))
    )
    with op.batch_alter_table('hr_appraisal_template_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_appraisal_template_line_template_id'), ['template_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_appraisal_template_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_template_line_template_id'))

    op.drop_table('hr_appraisal_template_line')
    with op.batch_alter_table('hr_appraisal_template', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_appraisal_template_state_id')
        batch_op.drop_index('ix_hr_appraisal_template_owner_id_id')
        batch_op.drop_index('ix_hr_appraisal_template_department_id_id')
        batch_op.drop_index('ix_hr_appraisal_template_created_at')

    op.drop_table('hr_appraisal_template')
