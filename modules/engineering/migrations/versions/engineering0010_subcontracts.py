"""subcontracts

Revision ID: engineering0010_subcontracts
Revises: engineering0007_money
Create Date: 2026-12-06 02:23:40.137813
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0010_subcontracts'
down_revision = 'engineering0009_penalties'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_material_note',
    sa.Column('project_id', sa.Integer(), nullable=True),
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
    sa.Column('subcontract_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=40), nullable=True),
    sa.Column('note_date', sa.Date(), nullable=True),
    sa.Column('receiver_sig_name', sa.String(length=200), nullable=True),
    sa.Column('receiver_sig_org', sa.String(length=200), nullable=True),
    sa.Column('receiver_sig_title', sa.String(length=200), nullable=True),
    sa.Column('receiver_sig_date', sa.Date(), nullable=True),
    sa.Column('receiver_sig_opinion', sa.Text(), nullable=True),
    sa.Column('issuer_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('issuer_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issuer_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('issuer_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_material_note_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_material_note_department_id_department')),
    sa.ForeignKeyConstraint(['issuer_sig_by_id'], ['user.id'], name=op.f('fk_eng_material_note_issuer_sig_by_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_material_note_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_material_note_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_material_note_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_material_note')),
    sa.UniqueConstraint('number', name='uq_eng_material_note_number')
    )
    with op.batch_alter_table('eng_material_note', schema=None) as batch_op:
        batch_op.create_index('ix_eng_material_note_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_material_note_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_material_note_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_material_note_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_material_note_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_material_note_subcontract_id'), ['subcontract_id'], unique=False)

    op.create_table('eng_safety_briefing',
    sa.Column('project_id', sa.Integer(), nullable=True),
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
    sa.Column('subcontract_id', sa.Integer(), nullable=True),
    sa.Column('briefing_date', sa.Date(), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('leader_ack', sa.Boolean(), nullable=True),
    sa.Column('leader_sig_name', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_org', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_title', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_date', sa.Date(), nullable=True),
    sa.Column('leader_sig_opinion', sa.Text(), nullable=True),
    sa.Column('briefer_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('briefer_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('briefer_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('briefer_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['briefer_sig_by_id'], ['user.id'], name=op.f('fk_eng_safety_briefing_briefer_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_safety_briefing_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_safety_briefing_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_safety_briefing_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_safety_briefing_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_safety_briefing_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_safety_briefing')),
    sa.UniqueConstraint('number', name='uq_eng_safety_briefing_number')
    )
    with op.batch_alter_table('eng_safety_briefing', schema=None) as batch_op:
        batch_op.create_index('ix_eng_safety_briefing_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_safety_briefing_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_safety_briefing_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_safety_briefing_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_safety_briefing_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_safety_briefing_subcontract_id'), ['subcontract_id'], unique=False)

    op.create_table('eng_subcontract',
    sa.Column('project_id', sa.Integer(), nullable=False),
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
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('team_title', sa.String(length=200), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('pricing', sa.String(length=40), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('finish_on', sa.Date(), nullable=True),
    sa.Column('quality_standard', sa.Text(), nullable=True),
    sa.Column('safety_responsibility', sa.Text(), nullable=True),
    sa.Column('material_split', sa.String(length=40), nullable=True),
    sa.Column('payment_schedule', sa.Text(), nullable=True),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('retention_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('penalty_clause', sa.Text(), nullable=True),
    sa.Column('code_ack', sa.Boolean(), nullable=True),
    sa.Column('leader_sig_name', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_org', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_title', sa.String(length=200), nullable=True),
    sa.Column('leader_sig_date', sa.Date(), nullable=True),
    sa.Column('leader_sig_opinion', sa.Text(), nullable=True),
    sa.Column('manager_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('manager_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manager_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('manager_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_subcontract_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_subcontract_department_id_department')),
    sa.ForeignKeyConstraint(['manager_sig_by_id'], ['user.id'], name=op.f('fk_eng_subcontract_manager_sig_by_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_subcontract_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_subcontract_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_subcontract_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_subcontract')),
    sa.UniqueConstraint('number', name='uq_eng_subcontract_number')
    )
    with op.batch_alter_table('eng_subcontract', schema=None) as batch_op:
        batch_op.create_index('ix_eng_subcontract_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_subcontract_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_subcontract_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_subcontract_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_subcontract_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_subcontract_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_subcontract_team_id'), ['team_id'], unique=False)

    op.create_table('eng_work_package',
    sa.Column('project_id', sa.Integer(), nullable=False),
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
    sa.Column('work_type', sa.String(length=40), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('boq', sa.Text(), nullable=True),
    sa.Column('start_from', sa.Date(), nullable=True),
    sa.Column('finish_by', sa.Date(), nullable=True),
    sa.Column('package_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('labour_budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('work_type_warning', sa.String(length=200), nullable=True),
    sa.Column('recommended_team_id', sa.Integer(), nullable=True),
    sa.Column('award_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('direct_award_reason', sa.Text(), nullable=True),
    sa.Column('award_reason', sa.Text(), nullable=True),
    sa.Column('needs_gm', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_work_package_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_work_package_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_work_package_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_work_package_project_id_eng_project')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_work_package_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_work_package')),
    sa.UniqueConstraint('number', name='uq_eng_work_package_number')
    )
    with op.batch_alter_table('eng_work_package', schema=None) as batch_op:
        batch_op.create_index('ix_eng_work_package_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_work_package_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_work_package_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_work_package_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_work_package_recommended_team_id'), ['recommended_team_id'], unique=False)
        batch_op.create_index('ix_eng_work_package_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_material_note_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('spec', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['note_id'], ['eng_material_note.id'], name=op.f('fk_eng_material_note_line_note_id_eng_material_note'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_material_note_line'))
    )
    with op.batch_alter_table('eng_material_note_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_material_note_line_note_id'), ['note_id'], unique=False)

    op.create_table('eng_safety_briefing_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('briefing_id', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=60), nullable=True),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['briefing_id'], ['eng_safety_briefing.id'], name=op.f('fk_eng_safety_briefing_attendee_briefing_id_eng_safety_briefing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_safety_briefing_attendee'))
    )
    with op.batch_alter_table('eng_safety_briefing_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_safety_briefing_attendee_briefing_id'), ['briefing_id'], unique=False)

    op.create_table('eng_subcontract_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subcontract_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('qty', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['subcontract_id'], ['eng_subcontract.id'], name=op.f('fk_eng_subcontract_line_subcontract_id_eng_subcontract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_subcontract_line'))
    )
    with op.batch_alter_table('eng_subcontract_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_subcontract_line_subcontract_id'), ['subcontract_id'], unique=False)

    op.create_table('eng_work_package_quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('team_title', sa.String(length=200), nullable=True),
    sa.Column('quoted_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('schedule_days', sa.Integer(), nullable=True),
    sa.Column('grades', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['package_id'], ['eng_work_package.id'], name=op.f('fk_eng_work_package_quote_package_id_eng_work_package'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_work_package_quote'))
    )
    with op.batch_alter_table('eng_work_package_quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_work_package_quote_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_work_package_quote_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('eng_ft10', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subcontract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_eng_ft10_subcontract_id'), ['subcontract_id'], unique=False)

    with op.batch_alter_table('eng_ft12', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subcontract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_eng_ft12_subcontract_id'), ['subcontract_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_ft12', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft12_subcontract_id'))
        batch_op.drop_column('subcontract_id')

    with op.batch_alter_table('eng_ft10', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft10_subcontract_id'))
        batch_op.drop_column('subcontract_id')

    with op.batch_alter_table('eng_work_package_quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_work_package_quote_team_id'))
        batch_op.drop_index(batch_op.f('ix_eng_work_package_quote_package_id'))

    op.drop_table('eng_work_package_quote')
    with op.batch_alter_table('eng_subcontract_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_subcontract_line_subcontract_id'))

    op.drop_table('eng_subcontract_line')
    with op.batch_alter_table('eng_safety_briefing_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_safety_briefing_attendee_briefing_id'))

    op.drop_table('eng_safety_briefing_attendee')
    with op.batch_alter_table('eng_material_note_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_material_note_line_note_id'))

    op.drop_table('eng_material_note_line')
    with op.batch_alter_table('eng_work_package', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_work_package_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_work_package_recommended_team_id'))
        batch_op.drop_index(batch_op.f('ix_eng_work_package_project_id'))
        batch_op.drop_index('ix_eng_work_package_owner_id_id')
        batch_op.drop_index('ix_eng_work_package_department_id_id')
        batch_op.drop_index('ix_eng_work_package_created_at')

    op.drop_table('eng_work_package')
    with op.batch_alter_table('eng_subcontract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_subcontract_team_id'))
        batch_op.drop_index('ix_eng_subcontract_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_subcontract_project_id'))
        batch_op.drop_index(batch_op.f('ix_eng_subcontract_package_id'))
        batch_op.drop_index('ix_eng_subcontract_owner_id_id')
        batch_op.drop_index('ix_eng_subcontract_department_id_id')
        batch_op.drop_index('ix_eng_subcontract_created_at')

    op.drop_table('eng_subcontract')
    with op.batch_alter_table('eng_safety_briefing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_safety_briefing_subcontract_id'))
        batch_op.drop_index('ix_eng_safety_briefing_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_safety_briefing_project_id'))
        batch_op.drop_index('ix_eng_safety_briefing_owner_id_id')
        batch_op.drop_index('ix_eng_safety_briefing_department_id_id')
        batch_op.drop_index('ix_eng_safety_briefing_created_at')

    op.drop_table('eng_safety_briefing')
    with op.batch_alter_table('eng_material_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_material_note_subcontract_id'))
        batch_op.drop_index('ix_eng_material_note_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_material_note_project_id'))
        batch_op.drop_index('ix_eng_material_note_owner_id_id')
        batch_op.drop_index('ix_eng_material_note_department_id_id')
        batch_op.drop_index('ix_eng_material_note_created_at')

    op.drop_table('eng_material_note')
