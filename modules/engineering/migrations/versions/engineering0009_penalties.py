"""penalties

Revision ID: engineering0009_penalties
Revises: engineering0007_money
Create Date: 2026-12-06 02:03:59.106055
"""
from alembic import op
import sqlalchemy as sa


revision = 'engineering0009_penalties'
down_revision = 'engineering0012_quality'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eng_penalty_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.Column('description_en', sa.String(length=300), nullable=True),
    sa.Column('target', sa.String(length=40), nullable=True),
    sa.Column('staff_points', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('team_fine', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fine_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('fine_min', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fine_cap_pct', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('points_minor', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('points_major', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('points_serious', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('fine_minor', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fine_major', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fine_serious', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('measure', sa.String(length=40), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('evidence', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('source', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_penalty_item_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_penalty_item_department_id_department')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_penalty_item_owner_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_penalty_item_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_penalty_item')),
    sa.UniqueConstraint('number', name='uq_eng_penalty_item_number')
    )
    with op.batch_alter_table('eng_penalty_item', schema=None) as batch_op:
        batch_op.create_index('ix_eng_penalty_item_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_penalty_item_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_penalty_item_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_eng_penalty_item_state_id', ['state', 'id'], unique=False)

    op.create_table('eng_penalty',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('team_party_id', sa.Integer(), nullable=True),
    sa.Column('source_key', sa.String(length=120), nullable=True),
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
    sa.Column('target_type', sa.String(length=40), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('evidence_ref', sa.String(length=60), nullable=True),
    sa.Column('severity', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('subcontract_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('repeat_count', sa.Integer(), nullable=True),
    sa.Column('multiplier', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('points', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('fine', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('needs_gm', sa.Boolean(), nullable=True),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('ack_name', sa.String(length=60), nullable=True),
    sa.Column('ack_on', sa.Date(), nullable=True),
    sa.Column('appeal', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('executed_in', sa.String(length=60), nullable=True),
    sa.Column('executed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_eng_penalty_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_eng_penalty_department_id_department')),
    sa.ForeignKeyConstraint(['item_id'], ['eng_penalty_item.id'], name=op.f('fk_eng_penalty_item_id_eng_penalty_item')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_eng_penalty_owner_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['user.id'], name=op.f('fk_eng_penalty_person_id_user')),
    sa.ForeignKeyConstraint(['team_party_id'], ['party.id'], name=op.f('fk_eng_penalty_team_party_id_party')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_eng_penalty_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eng_penalty')),
    sa.UniqueConstraint('number', name='uq_eng_penalty_number'),
    sa.UniqueConstraint('source_key', name=op.f('uq_eng_penalty_source_key'))
    )
    with op.batch_alter_table('eng_penalty', schema=None) as batch_op:
        batch_op.create_index('ix_eng_penalty_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_eng_penalty_department_id_id', ['department_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_penalty_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_eng_penalty_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_penalty_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_penalty_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_eng_penalty_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eng_penalty_team_party_id'), ['team_party_id'], unique=False)


def downgrade():
    with op.batch_alter_table('eng_penalty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eng_penalty_team_party_id'))
        batch_op.drop_index('ix_eng_penalty_state_id')
        batch_op.drop_index(batch_op.f('ix_eng_penalty_project_id'))
        batch_op.drop_index(batch_op.f('ix_eng_penalty_person_id'))
        batch_op.drop_index('ix_eng_penalty_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_eng_penalty_item_id'))
        batch_op.drop_index('ix_eng_penalty_department_id_id')
        batch_op.drop_index('ix_eng_penalty_created_at')

    op.drop_table('eng_penalty')
    with op.batch_alter_table('eng_penalty_item', schema=None) as batch_op:
        batch_op.drop_index('ix_eng_penalty_item_state_id')
        batch_op.drop_index('ix_eng_penalty_item_owner_id_id')
        batch_op.drop_index('ix_eng_penalty_item_department_id_id')
        batch_op.drop_index('ix_eng_penalty_item_created_at')

    op.drop_table('eng_penalty_item')
