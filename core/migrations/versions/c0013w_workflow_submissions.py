"""workflow submissions: who handed a document on for a decision (withdrawal, no self-review)

Revision ID: c0013w
Revises: c0012f
Create Date: 2026-12-10 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c0013w'
down_revision = 'c0012f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workflow_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('transition', sa.String(length=60), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=False),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workflow_submission_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_submission'))
    )
    op.create_index('ix_workflow_submission_doc', 'workflow_submission', ['doctype', 'doc_id'], unique=False)


def downgrade():
    op.drop_index('ix_workflow_submission_doc', table_name='workflow_submission')
    op.drop_table('workflow_submission')
