"""core: parties and business references

Revision ID: c0003
Revises: c0002

Party (customers, suppliers, construction teams, supervision firms... one record with party
roles) and its contacts. BusinessRef needs no table: it is columns or a JSON column in the
referring module's own tables.
"""
from alembic import op
import sqlalchemy as sa

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('match_key', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('website', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party')),
    sa.UniqueConstraint('code', name=op.f('uq_party_code')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_party_credit_code'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_match_key'), ['match_key'], unique=False)

    op.create_table('party_role',
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_party_role_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('party_id', 'role', name=op.f('pk_party_role'))
    )
    with op.batch_alter_table('party_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_role_role'), ['role'], unique=False)

    op.create_table('party_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=80), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('mobile', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_party_contact_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_contact'))
    )
    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_contact_party_id'), ['party_id'], unique=False)


def downgrade():
    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_contact_party_id'))
    op.drop_table('party_contact')
    with op.batch_alter_table('party_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_role_role'))
    op.drop_table('party_role')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_match_key'))
        batch_op.drop_index(batch_op.f('ix_party_name'))
    op.drop_table('party')
