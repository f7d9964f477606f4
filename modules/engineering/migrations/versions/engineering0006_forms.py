"""forms

Revision ID: engineering0006_forms
Revises: engineering0002_schedule, engineering0005_checks
Create Date: 2026-12-05 22:32:58.034373
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0006_forms'
down_revision = ('engineering0002_schedule', 'engineering0005_checks')  # the lead re-chains it after engineering0001's other parts
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_ft01',
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
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_completion', sa.Date(), nullable=True),
    sa.Column('contract_days', sa.Integer(), nullable=True),
    sa.Column('attachments_list', sa.JSON(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('owner_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('owner_sig_opinion', sa.Text(), nullable=True),
    sa.Column('owner_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('owner_xsig_date', sa.Date(), nullable=True),
    sa.Column('owner_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft01_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft01_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft01_owner_id_user')),
    sa.ForeignKeyConstraint(['owner_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_owner_sig_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft01_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft01_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft01')),
    sa.UniqueConstraint('number', name='uq_eng_ft01_number')
    )
    with op.batch_alter_table('eng_ft01', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft01_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft01_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft01_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft01_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft01_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft03',
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
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('design_title', sa.String(length=200), nullable=True),
    sa.Column('contents_check', sa.JSON(), nullable=True),
    sa.Column('author', sa.String(length=60), nullable=True),
    sa.Column('design_notes', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('tech_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('tech_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tech_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('tech_sig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft03_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft03_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft03_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['tech_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft03_tech_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft03_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft03')),
    sa.UniqueConstraint('number', name='uq_eng_ft03_number')
    )
    with op.batch_alter_table('eng_ft03', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft03_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft03_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft03_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft03_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft03_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft07',
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
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('reason_text', sa.Text(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('suspend_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('attributable_to', sa.String(length=40), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft07_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft07_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft07_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft07_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft07_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft07_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft07')),
    sa.UniqueConstraint('number', name='uq_eng_ft07_number')
    )
    with op.batch_alter_table('eng_ft07', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft07_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft07_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft07_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft07_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft07_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_ft08',
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
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('contract_no', sa.String(length=60), nullable=True),
    sa.Column('relation', sa.String(length=40), nullable=True),
    sa.Column('team_name', sa.String(length=120), nullable=True),
    sa.Column('addressee', sa.String(length=120), nullable=True),
    sa.Column('contractor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('owner_unit', sa.String(length=120), nullable=True),
    sa.Column('suspension_id', sa.Integer(), nullable=True),
    sa.Column('verification', sa.Text(), nullable=True),
    sa.Column('resume_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('suspended_days', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supervisor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('supervisor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('supervisor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('supervisor_xsig_date', sa.Date(), nullable=True),
    sa.Column('supervisor_xsig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('contractor_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contractor_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('contractor_sig_opinion', sa.Text(), nullable=True),
    sa.Column('contractor_xsig_name', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_org', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_title', sa.String(length=200), nullable=True),
    sa.Column('contractor_xsig_date', sa.Date(), nullable=True),
    sa.Column('contractor_xsig_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contractor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft08_contractor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_ft08_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_ft08_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_ft08_owner_id_user')),
    sa.ForeignKeyConstraint(['supervisor_sig_by_id'], ['user.id'], name=op.f('fk_eng_ft08_supervisor_sig_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_ft08_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft08')),
    sa.UniqueConstraint('number', name='uq_eng_ft08_number')
    )
    with op.batch_alter_table('eng_ft08', schema=None) as batch_op:
        batch_op.create_index('ix_eng_ft08_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_ft08_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_ft08_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft08_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_ft08_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_ft08_suspension_id'), ['suspension_id'], unique=False)

    op.create_table('eng_ft01_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('waived', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['eng_ft01.id'], name=op.f('fk_eng_ft01_line_doc_id_eng_ft01'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_ft01_line'))
    )
    with op.batch_alter_table('eng_ft01_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_ft01_line_doc_id'), ['doc_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_ft01_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft01_line_doc_id'))

    op.drop_table('eng_ft01_line')
    with op.batch_alter_table('eng_ft08', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_ft08_suspension_id'))
        batch_op.drop_index('ix_eng_ft08_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft08_project_id'))
        batch_op.drop_index('ix_eng_ft08_owner_id_id')
        batch_op.drop_index('ix_eng_ft08_department_id_id')
        batch_op.drop_index('ix_eng_ft08_created_at')

    op.drop_table('eng_ft08')
    with op.batch_alter_table('eng_ft07', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft07_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft07_project_id'))
        batch_op.drop_index('ix_eng_ft07_owner_id_id')
        batch_op.drop_index('ix_eng_ft07_department_id_id')
        batch_op.drop_index('ix_eng_ft07_created_at')

    op.drop_table('eng_ft07')
    with op.batch_alter_table('eng_ft03', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft03_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft03_project_id'))
        batch_op.drop_index('ix_eng_ft03_owner_id_id')
        batch_op.drop_index('ix_eng_ft03_department_id_id')
        batch_op.drop_index('ix_eng_ft03_created_at')

    op.drop_table('eng_ft03')
    with op.batch_alter_table('eng_ft01', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_ft01_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_ft01_project_id'))
        batch_op.drop_index('ix_eng_ft01_owner_id_id')
        batch_op.drop_index('ix_eng_ft01_department_id_id')
        batch_op.drop_index('ix_eng_ft01_created_at')

    op.drop_table('eng_ft01')
