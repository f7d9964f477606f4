"""cache signals shared by the workers (first: each user's access)

Revision ID: c0007
Revises: c0006
Create Date: 2026-11-27 19:00:00
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'c0007'
down_revision = 'c0006'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('cache_signal',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('stamp', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_signal'))
    )
    op.bulk_insert(table, [{'name': 'auth', 'stamp': secrets.randbits(62)}])


def downgrade():
    op.drop_table('cache_signal')
