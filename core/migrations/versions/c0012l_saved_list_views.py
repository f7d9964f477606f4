"""saved list views: a user's chosen columns and page size per document type, and saved filters

Revision ID: c0012l
Revises: c0011
Create Date: 2026-12-07 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c0012l'
down_revision = 'c0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('doctype', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('page_size', sa.Integer(), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_saved_view_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_view')),
    sa.UniqueConstraint('user_id', 'doctype', 'name', name='uq_saved_view_user_id_doctype_name')
    )
    op.create_index('ix_saved_view_doctype_shared', 'saved_view', ['doctype', 'shared'], unique=False)


def downgrade():
    op.drop_index('ix_saved_view_doctype_shared', table_name='saved_view')
    op.drop_table('saved_view')
