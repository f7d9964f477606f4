"""appraisal

Revision ID: hr0001_appraisal
Revises: 
Create Date: 2026-12-06 02:10:09.281842
"""
from alembic import op
import sqlalchemy as sa


revision = 'hr0001_appraisal'
down_revision = None
branch_labels = ('hr_appraisal',)
depends_on = 'c0005'   # core's documents and workflow tables (the latest, c0013w, would no longer be core's head)


def upgrade():
    op.create_table('hr_appraisal_cycle',
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
    sa.Column('cadence', sa.String(length=40), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('departments', sa.JSON(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('sheet_count', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_cycle_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_appraisal_cycle_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_appraisal_cycle_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_cycle_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_cycle')),
    sa.UniqueConstraint('number', name='uq_hr_appraisal_cycle_number')
    )
    with op.batch_alter_table('hr_appraisal_cycle', schema=None) as batch_op:
        batch_op.create_index('ix_hr_appraisal_cycle_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_hr_appraisal_cycle_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_cycle_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_cycle_state_id', ['state', 'id'], unique=False)

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

    op.create_table('hr_appraisal_sheet',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
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
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=80), nullable=True),
    sa.Column('role_code', sa.String(length=40), nullable=True),
    sa.Column('superior_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('qualitative_score', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('taboo_points', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('mgr_comment', sa.Text(), nullable=True),
    sa.Column('appeal_due', sa.Date(), nullable=True),
    sa.Column('appeal_reason', sa.Text(), nullable=True),
    sa.Column('frozen', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_sheet_created_by_id_user')),
    sa.ForeignKeyConstraint(['cycle_id'], ['hr_appraisal_cycle.id'], name=op.f('fk_hr_appraisal_sheet_cycle_id_hr_appraisal_cycle')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hr_appraisal_sheet_department_id_department')),
    sa.ForeignKeyConstraint(['employee_id'], ['user.id'], name=op.f('fk_hr_appraisal_sheet_employee_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_hr_appraisal_sheet_owner_id_user')),
    sa.ForeignKeyConstraint(['superior_id'], ['user.id'], name=op.f('fk_hr_appraisal_sheet_superior_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_hr_appraisal_sheet_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_sheet')),
    sa.UniqueConstraint('number', name='uq_hr_appraisal_sheet_number')
    )
    with op.batch_alter_table('hr_appraisal_sheet', schema=None) as batch_op:
        batch_op.create_index('ix_hr_appraisal_sheet_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_sheet_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_sheet_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_sheet_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_sheet_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_hr_appraisal_sheet_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_appraisal_sheet_superior_id'), ['superior_id'], unique=False)

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

    op.create_table('hr_appraisal_sheet_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('data', sa.String(length=400), nullable=True),
    sa.Column('weight', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('no_data', sa.Boolean(), nullable=True),
    sa.Column('score', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('self_score', sa.Integer(), nullable=True),
    sa.Column('mgr_score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=400), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['sheet_id'], ['hr_appraisal_sheet.id'], name=op.f('fk_hr_appraisal_sheet_line_sheet_id_hr_appraisal_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_appraisal_sheet_line'))
    )
    with op.batch_alter_table('hr_appraisal_sheet_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_appraisal_sheet_line_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hr_appraisal_sheet_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_sheet_line_sheet_id'))

    op.drop_table('hr_appraisal_sheet_line')
    with op.batch_alter_table('hr_appraisal_template_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_template_line_template_id'))

    op.drop_table('hr_appraisal_template_line')
    with op.batch_alter_table('hr_appraisal_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_sheet_superior_id'))
        batch_op.drop_index('ix_hr_appraisal_sheet_state_id')
        batch_op.drop_index('ix_hr_appraisal_sheet_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_sheet_employee_id'))
        batch_op.drop_index('ix_hr_appraisal_sheet_department_id_id')
        batch_op.drop_index(batch_op.f('ix_hr_appraisal_sheet_cycle_id'))
        batch_op.drop_index('ix_hr_appraisal_sheet_created_at')

    op.drop_table('hr_appraisal_sheet')
    with op.batch_alter_table('hr_appraisal_template', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_appraisal_template_state_id')
        batch_op.drop_index('ix_hr_appraisal_template_owner_id_id')
        batch_op.drop_index('ix_hr_appraisal_template_department_id_id')
        batch_op.drop_index('ix_hr_appraisal_template_created_at')

    op.drop_table('hr_appraisal_template')
    with op.batch_alter_table('hr_appraisal_cycle', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_appraisal_cycle_state_id')
        batch_op.drop_index('ix_hr_appraisal_cycle_owner_id_id')
        batch_op.drop_index('ix_hr_appraisal_cycle_department_id_id')
        batch_op.drop_index('ix_hr_appraisal_cycle_created_at')

    op.drop_table('hr_appraisal_cycle')
