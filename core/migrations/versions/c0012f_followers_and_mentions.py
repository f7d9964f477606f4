"""followers of documents; the colleagues a comment @mentions

Revision ID: c0012f
Revises: c0012l
Create Date: 2026-12-05 11:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c0012f'
down_revision = 'c0012l'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_document_follower_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_follower')),
    sa.UniqueConstraint('doctype', 'doc_id', 'user_id', name=op.f('uq_document_follower_doctype'))
    )
    with op.batch_alter_table('comment') as batch:
        batch.add_column(sa.Column('mentions', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('comment') as batch:
        batch.drop_column('mentions')
    op.drop_table('document_follower')
