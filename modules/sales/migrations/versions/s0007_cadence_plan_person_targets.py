"""sales: personal targets in the half-year sales plan (X-S02 person_targets), s14-cadence

Revision ID: s0007_cadence
Revises: s0006c

A plan line with a salesperson is his share of the area's target; existing lines have none
(they stay the areas' targets).
"""
import sqlalchemy as sa
from alembic import op

revision = "s0007_cadence"
down_revision = "s0006c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sales_plan_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_sales_plan_line_person_id_user"), "user", ["person_id"], ["id"])


def downgrade():
    with op.batch_alter_table("sales_plan_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sales_plan_line_person_id_user"), type_="foreignkey")
        batch_op.drop_column("person_id")
