"""documents numbering workflow

Revision ID: c0004
Revises: c0003
Create Date: 2026-11-27 15:35:26.955493
"""
from alembic import op
import sqlalchemy as sa


revision = 'c0004'
down_revision = 'c0003'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('number_sequence',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('reset', sa.String(length=10), nullable=False),
    sa.Column('padding', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_number_sequence'))
    )
    op.create_table('sequence_counter',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', 'period', name=op.f('pk_sequence_counter'))
    )
    op.create_table('approval_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=False),
    sa.Column('doc_title', sa.String(length=200), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('step_index', sa.Integer(), nullable=False),
    sa.Column('step_name', sa.String(length=60), nullable=False),
    sa.Column('step_label', sa.String(length=120), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_approval_task_decided_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_approval_task_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_task'))
    )
    with op.batch_alter_table('approval_task', schema=None) as batch_op:
        batch_op.create_index('ix_approval_task_doc', ['doctype', 'doc_id', 'round'], unique=False)
        batch_op.create_index('ix_approval_task_user_status', ['user_id', 'status'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_doc', ['doctype', 'doc_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_doc', ['doctype', 'doc_id'], unique=False)

    op.create_table('delegation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['from_user_id'], ['user.id'], name=op.f('fk_delegation_from_user_id_user')),
    sa.ForeignKeyConstraint(['to_user_id'], ['user.id'], name=op.f('fk_delegation_to_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation'))
    )
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_from_user_id'), ['from_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_to_user_id'), ['to_user_id'], unique=False)




def downgrade():

    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_to_user_id'))
        batch_op.drop_index(batch_op.f('ix_delegation_from_user_id'))

    op.drop_table('delegation')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_doc')

    op.drop_table('comment')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_doc')

    op.drop_table('attachment')
    with op.batch_alter_table('approval_task', schema=None) as batch_op:
        batch_op.drop_index('ix_approval_task_user_status')
        batch_op.drop_index('ix_approval_task_doc')

    op.drop_table('approval_task')
    op.drop_table('sequence_counter')
    op.drop_table('number_sequence')

