"""sales: collection lines' covering index for the ageing and the lines due (issue 15)

Revision ID: s0016_collection_indexes
Revises: s0015_contracts_collections

ix_sales_collection_open_due (state, due_date, owner_id, area_id, amount, id): the ageing page
sums the open lines per range of due dates and due_this_month counts a month's, both from this
index alone (bench: python -m bench --only sales).
"""
from alembic import op

revision = 's0016_collection_indexes'
down_revision = 's0015_contracts_collections'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales_collection', schema=None) as batch_op:
        batch_op.create_index('ix_sales_collection_open_due',
                              ['state', 'due_date', 'owner_id', 'area_id', 'amount', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('sales_collection', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_collection_open_due')
