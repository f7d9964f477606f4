"""the violation registry: rules that refused, warned or saw a deadline missed, and their waivers

Revision ID: c0011
Revises: c0010
Create Date: 2026-12-06 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c0011'
down_revision = 'c0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_violation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=True),
    sa.Column('doc_number', sa.String(length=40), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('waived_by_id', sa.Integer(), nullable=True),
    sa.Column('waived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waive_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_rule_violation_user_id_user')),
    sa.ForeignKeyConstraint(['waived_by_id'], ['user.id'], name=op.f('fk_rule_violation_waived_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_violation'))
    )
    op.create_index('ix_rule_violation_rule_code_occurred_at', 'rule_violation', ['rule_code', 'occurred_at'], unique=False)
    op.create_index('ix_rule_violation_user_id_occurred_at', 'rule_violation', ['user_id', 'occurred_at'], unique=False)


def downgrade():
    op.drop_index('ix_rule_violation_user_id_occurred_at', table_name='rule_violation')
    op.drop_index('ix_rule_violation_rule_code_occurred_at', table_name='rule_violation')
    op.drop_table('rule_violation')
