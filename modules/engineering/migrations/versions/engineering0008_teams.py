"""teams

Revision ID: engineering0008_teams
Revises: engineering0007_money
Create Date: 2026-12-06 02:01:44.360699
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0008_teams'
down_revision = 'engineering0007_money'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_team',
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
    sa.Column('legal_form', sa.String(length=40), nullable=True),
    sa.Column('leader_name', sa.String(length=60), nullable=True),
    sa.Column('leader_id_no', sa.String(length=18), nullable=True),
    sa.Column('licence_no', sa.String(length=18), nullable=True),
    sa.Column('guarantor', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('bank_name', sa.String(length=200), nullable=True),
    sa.Column('bank_account', sa.String(length=40), nullable=True),
    sa.Column('work_types', sa.JSON(), nullable=True),
    sa.Column('leader_user_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('grade_month', sa.String(length=7), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('insurance_policy_no', sa.String(length=60), nullable=True),
    sa.Column('insurance_expiry', sa.Date(), nullable=True),
    sa.Column('code_ack_version', sa.String(length=20), nullable=True),
    sa.Column('code_ack_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_team_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_team_department_id_department')),
    sa.ForeignKeyConstraint(['leader_user_id'], ['user.id'], name=op.f('fk_eng_team_leader_user_id_user')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_team_owner_id_user')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_eng_team_party_id_party')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_team_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_team')),
    sa.UniqueConstraint('number', name='uq_eng_team_number'),
    sa.UniqueConstraint('party_id', name=op.f('uq_eng_team_party_id'))
    )
    with op.batch_alter_table('eng_team', schema=None) as batch_op:
        batch_op.create_index('ix_eng_team_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_team_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_team_leader_user_id'), ['leader_user_id'], unique=False)
        batch_op.create_index('ix_eng_team_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_team_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_team_assessment',
    sa.Column('team_id', sa.Integer(), nullable=False),
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
    sa.Column('team_leader', sa.String(length=60), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('projects', sa.Text(), nullable=True),
    sa.Column('penalty_points', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('eligibility', sa.String(length=40), nullable=True),
    sa.Column('pe_sig_by_id', sa.Integer(), nullable=True),
    sa.Column('pe_sig_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pe_sig_decision', sa.String(length=20), nullable=True),
    sa.Column('pe_sig_opinion', sa.Text(), nullable=True),
    sa.Column('team_ack_name', sa.String(length=200), nullable=True),
    sa.Column('team_ack_org', sa.String(length=200), nullable=True),
    sa.Column('team_ack_title', sa.String(length=200), nullable=True),
    sa.Column('team_ack_date', sa.Date(), nullable=True),
    sa.Column('team_ack_opinion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_team_assessment_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_team_assessment_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_team_assessment_owner_id_user')),
    sa.ForeignKeyConstraint(['pe_sig_by_id'], ['user.id'], name=op.f('fk_eng_team_assessment_pe_sig_by_id_user')),
    sa.ForeignKeyConstraint(['team_id'], ['eng_team.id'], name=op.f('fk_eng_team_assessment_team_id_eng_team')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_team_assessment_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_team_assessment')),
    sa.UniqueConstraint('number', name='uq_eng_team_assessment_number'),
    sa.UniqueConstraint('team_id', 'month', name=op.f('uq_eng_team_assessment_team_id'))
    )
    with op.batch_alter_table('eng_team_assessment', schema=None) as batch_op:
        batch_op.create_index('ix_eng_team_assessment_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_team_assessment_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_team_assessment_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_team_assessment_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_team_assessment_team_id'), ['team_id'], unique=False)

    op.create_table('eng_team_qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('holder', sa.String(length=60), nullable=True),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['eng_team.id'], name=op.f('fk_eng_team_qualification_team_id_eng_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_team_qualification'))
    )
    with op.batch_alter_table('eng_team_qualification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_team_qualification_team_id'), ['team_id'], unique=False)

    op.create_table('eng_team_assessment_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=True),
    sa.Column('max_score', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('score', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('deduction_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['eng_team_assessment.id'], name=op.f('fk_eng_team_assessment_criterion_assessment_id_eng_team_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_team_assessment_criterion'))
    )
    with op.batch_alter_table('eng_team_assessment_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eng_team_assessment_criterion_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_team_assessment_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_team_assessment_criterion_assessment_id'))

    op.drop_table('eng_team_assessment_criterion')
    with op.batch_alter_table('eng_team_qualification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_team_qualification_team_id'))

    op.drop_table('eng_team_qualification')
    with op.batch_alter_table('eng_team_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_team_assessment_team_id'))
        batch_op.drop_index('ix_eng_team_assessment_state_id')
        batch_op.drop_index('ix_eng_team_assessment_owner_id_id')
        batch_op.drop_index('ix_eng_team_assessment_department_id_id')
        batch_op.drop_index('ix_eng_team_assessment_created_at')

    op.drop_table('eng_team_assessment')
    with op.batch_alter_table('eng_team', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_team_state_id')
        batch_op.drop_index('ix_eng_team_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_team_leader_user_id'))
        batch_op.drop_index('ix_eng_team_department_id_id')
        batch_op.drop_index('ix_eng_team_created_at')

    op.drop_table('eng_team')
