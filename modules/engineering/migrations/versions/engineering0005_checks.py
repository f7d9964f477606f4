"""checks

Revision ID: engineering0005_checks
Revises: engineering0004_site
Create Date: 2026-12-05 22:30:10.636224
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0005_checks'
down_revision = 'engineering0004_site'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_check_template',
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
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_check_template_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_check_template_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_check_template_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_check_template_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_check_template')),
    sa.UniqueConstraint('number', name='uq_eng_check_template_number')
    )
    with op.batch_alter_table('eng_check_template', schema=None) as batch_op:
        batch_op.create_index('ix_eng_check_template_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_check_template_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_check_template_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_check_template_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_cabling_test',
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
    sa.Column('test_start', sa.Date(), nullable=True),
    sa.Column('test_end', sa.Date(), nullable=True),
    sa.Column('tester_id', sa.Integer(), nullable=True),
    sa.Column('co_testers', sa.String(length=200), nullable=True),
    sa.Column('witness_name', sa.String(length=200), nullable=True),
    sa.Column('witness_org', sa.String(length=200), nullable=True),
    sa.Column('witness_title', sa.String(length=200), nullable=True),
    sa.Column('witness_date', sa.Date(), nullable=True),
    sa.Column('witness_opinion', sa.Text(), nullable=True),
    sa.Column('instrument_model', sa.String(length=120), nullable=True),
    sa.Column('instrument_serial', sa.String(length=60), nullable=True),
    sa.Column('calibration_valid_until', sa.Date(), nullable=True),
    sa.Column('standard', sa.String(length=40), nullable=True),
    sa.Column('link_model', sa.String(length=40), nullable=True),
    sa.Column('cable_category', sa.String(length=40), nullable=True),
    sa.Column('links_installed', sa.Integer(), nullable=True),
    sa.Column('total_links', sa.Integer(), nullable=True),
    sa.Column('passed_links', sa.Integer(), nullable=True),
    sa.Column('pass_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('conclusion', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_cabling_test_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_cabling_test_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_cabling_test_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_cabling_test_project_id_eng_project')),
    sa.ForeignKeyConstraint(['tester_id'], ['user.id'], name=op.f('fk_eng_cabling_test_tester_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_cabling_test_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cabling_test')),
    sa.UniqueConstraint('number', name='uq_eng_cabling_test_number')
    )
    with op.batch_alter_table('eng_cabling_test', schema=None) as batch_op:
        batch_op.create_index('ix_eng_cabling_test_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_cabling_test_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_cabling_test_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_cabling_test_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_cabling_test_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_cabling_test_tester_id'), ['tester_id'], unique=False)

    op.create_table('eng_check_template_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('requirement', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['eng_check_template.id'], name=op.f('fk_eng_check_template_item_template_id_eng_check_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_check_template_item'))
    )
    with op.batch_alter_table('eng_check_template_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_check_template_item_template_id'), ['template_id'], unique=False)

    op.create_table('eng_selfcheck',
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
    sa.Column('scope', sa.String(length=200), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('check_date', sa.Date(), nullable=True),
    sa.Column('team', sa.String(length=120), nullable=True),
    sa.Column('team_selfcheck', sa.String(length=40), nullable=True),
    sa.Column('team_sig_name', sa.String(length=200), nullable=True),
    sa.Column('team_sig_org', sa.String(length=200), nullable=True),
    sa.Column('team_sig_title', sa.String(length=200), nullable=True),
    sa.Column('team_sig_date', sa.Date(), nullable=True),
    sa.Column('team_sig_opinion', sa.Text(), nullable=True),
    sa.Column('conclusion', sa.String(length=40), nullable=True),
    sa.Column('first_pass_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('spot_check_by_id', sa.Integer(), nullable=True),
    sa.Column('spot_check_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('spot_check_decision', sa.String(length=20), nullable=True),
    sa.Column('spot_check_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_selfcheck_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_selfcheck_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_selfcheck_owner_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['eng_project.id'], name=op.f('fk_eng_selfcheck_project_id_eng_project')),
    sa.ForeignKeyConstraint(['spot_check_by_id'], ['user.id'], name=op.f('fk_eng_selfcheck_spot_check_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_selfcheck_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_selfcheck')),
    sa.UniqueConstraint('number', name='uq_eng_selfcheck_number')
    )
    with op.batch_alter_table('eng_selfcheck', schema=None) as batch_op:
        batch_op.create_index('ix_eng_selfcheck_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_selfcheck_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_selfcheck_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_selfcheck_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_selfcheck_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_cabling_test_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('test_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.String(length=60), nullable=True),
    sa.Column('medium', sa.String(length=40), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('panel_port', sa.String(length=60), nullable=True),
    sa.Column('length_m', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('wire_map', sa.String(length=40), nullable=True),
    sa.Column('insertion_loss_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('next_margin_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('psnext_margin_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('acr_f_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('return_loss_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('prop_delay_ns', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('delay_skew_ns', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('loop_resistance_ohm', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('wavelength_nm', sa.Integer(), nullable=True),
    sa.Column('loss_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('allowed_loss_db', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.Column('retest_result', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['test_id'], ['eng_cabling_test.id'], name=op.f('fk_eng_cabling_test_link_test_id_eng_cabling_test'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_cabling_test_link'))
    )
    with op.batch_alter_table('eng_cabling_test_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_cabling_test_link_test_id'), ['test_id'], unique=False)

    op.create_table('eng_selfcheck_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('selfcheck_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=True),
    sa.Column('requirement', sa.String(length=300), nullable=True),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.Column('problem', sa.String(length=300), nullable=True),
    sa.Column('rectify_req', sa.String(length=300), nullable=True),
    sa.Column('rectify_due', sa.Date(), nullable=True),
    sa.Column('recheck_result', sa.String(length=40), nullable=True),
    sa.Column('recheck_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['selfcheck_id'], ['eng_selfcheck.id'], name=op.f('fk_eng_selfcheck_item_selfcheck_id_eng_selfcheck'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_selfcheck_item'))
    )
    with op.batch_alter_table('eng_selfcheck_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_selfcheck_item_selfcheck_id'), ['selfcheck_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_selfcheck_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_selfcheck_item_selfcheck_id'))

    op.drop_table('eng_selfcheck_item')
    with op.batch_alter_table('eng_cabling_test_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_cabling_test_link_test_id'))

    op.drop_table('eng_cabling_test_link')
    with op.batch_alter_table('eng_selfcheck', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_selfcheck_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_selfcheck_project_id'))
        batch_op.drop_index('ix_eng_selfcheck_owner_id_id')
        batch_op.drop_index('ix_eng_selfcheck_department_id_id')
        batch_op.drop_index('ix_eng_selfcheck_created_at')

    op.drop_table('eng_selfcheck')
    with op.batch_alter_table('eng_check_template_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_check_template_item_template_id'))

    op.drop_table('eng_check_template_item')
    with op.batch_alter_table('eng_cabling_test', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_cabling_test_tester_id'))
        batch_op.drop_index('ix_eng_cabling_test_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_cabling_test_project_id'))
        batch_op.drop_index('ix_eng_cabling_test_owner_id_id')
        batch_op.drop_index('ix_eng_cabling_test_department_id_id')
        batch_op.drop_index('ix_eng_cabling_test_created_at')

    op.drop_table('eng_cabling_test')
    with op.batch_alter_table('eng_check_template', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_check_template_state_id')
        batch_op.drop_index('ix_eng_check_template_owner_id_id')
        batch_op.drop_index('ix_eng_check_template_department_id_id')
        batch_op.drop_index('ix_eng_check_template_created_at')

    op.drop_table('eng_check_template')
