"""sales: tenders with bid tasks (F-S06), customer requirement analyses (F-S05)

Revision ID: s0003
Revises: s0002
"""
from alembic import op
import sqlalchemy as sa

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
TABLES = ("sales_requirement", "sales_requirement_line", "sales_tender", "sales_bid_task")


def document_columns(table):
    """The columns and constraints of core.documents.Document, named as its mixin names them."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f(f"fk_{table}_created_by_id_user")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f(f"fk_{table}_department_id_department")),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f(f"fk_{table}_owner_id_user")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f(f"fk_{table}_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("number", name=f"uq_{table}_number"),
    ]


DOCUMENT_INDEXES = (("created_at", ["created_at"]), ("department_id_id", ["department_id", "id"]),
                    ("owner_id_id", ["owner_id", "id"]), ("state_id", ["state", "id"]))

# (table, column) of the single-column indexes declared with index=True.
INDEXES = (("sales_requirement", "registration_id"), ("sales_requirement", "opportunity_id"),
           ("sales_requirement_line", "requirement_id"), ("sales_tender", "opportunity_id"),
           ("sales_tender", "bid_lead_id"), ("sales_bid_task", "tender_id"), ("sales_bid_task", "owner_id"))


def upgrade():
    op.create_table(
        "sales_requirement",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("customer_profile", sa.Text(), nullable=False),
        sa.Column("current_state", sa.Text(), nullable=False),
        sa.Column("requirement_summary", sa.Text(), nullable=False),
        sa.Column("site_conditions", sa.Text(), nullable=False),
        sa.Column("standards", sa.Text(), nullable=False),
        sa.Column("schedule_start", sa.Date(), nullable=True),
        sa.Column("schedule_end", sa.Date(), nullable=True),
        sa.Column("budget_min", MONEY, nullable=True),
        sa.Column("budget_max", MONEY, nullable=True),
        sa.Column("payment_idea", sa.Text(), nullable=False),
        sa.Column("decision_criteria", sa.String(length=100), nullable=False),
        sa.Column("competitor_solutions", sa.Text(), nullable=False),
        sa.Column("survey_date", sa.Date(), nullable=True),
        sa.Column("presales_opinion", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("eng_capability", sa.String(length=12), nullable=False),
        sa.Column("eng_conditions", sa.Text(), nullable=False),
        sa.Column("eng_confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("eng_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        *document_columns("sales_requirement"),
        sa.ForeignKeyConstraint(["registration_id"], ["sales_registration.id"],
                                name=op.f("fk_sales_requirement_registration_id_sales_registration")),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_sales_requirement_opportunity_id_sales_opportunity")),
        sa.ForeignKeyConstraint(["eng_confirmed_by_id"], ["user.id"],
                                name=op.f("fk_sales_requirement_eng_confirmed_by_id_user")),
    )
    op.create_table(
        "sales_requirement_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("subsystem", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("scale", sa.String(length=120), nullable=False),
        sa.Column("performance", sa.Text(), nullable=False),
        sa.Column("brand_preference", sa.String(length=120), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["requirement_id"], ["sales_requirement.id"],
                                name=op.f("fk_sales_requirement_line_requirement_id_sales_requirement"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_requirement_line")),
    )
    op.create_table(
        "sales_tender",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("quotation_id", sa.Integer(), nullable=True),
        sa.Column("tenderer", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("tender_no", sa.String(length=60), nullable=False),
        sa.Column("qualification_req", sa.Text(), nullable=False),
        sa.Column("doc_bought_on", sa.Date(), nullable=True),
        sa.Column("doc_fee", MONEY, nullable=True),
        sa.Column("clarification_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bid_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opening_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opening_place", sa.String(length=200), nullable=False),
        sa.Column("bond_amount", MONEY, nullable=True),
        sa.Column("bond_method", sa.String(length=12), nullable=False),
        sa.Column("bond_due_on", sa.Date(), nullable=True),
        sa.Column("validity_days", sa.Integer(), nullable=True),
        sa.Column("bid_lead_id", sa.Integer(), nullable=True),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_attendees", sa.Text(), nullable=False),
        sa.Column("bid_price", MONEY, nullable=True),
        sa.Column("estimated_cost", MONEY, nullable=True),
        sa.Column("margin_pct", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("integrated_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("competitor_prices", sa.Text(), nullable=False),
        sa.Column("winner", sa.String(length=200), nullable=False),
        sa.Column("winner_price", MONEY, nullable=True),
        sa.Column("loss_reason", sa.String(length=20), nullable=False),
        *document_columns("sales_tender"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_sales_tender_opportunity_id_sales_opportunity")),
        sa.ForeignKeyConstraint(["quotation_id"], ["sales_quotation.id"],
                                name=op.f("fk_sales_tender_quotation_id_sales_quotation")),
        sa.ForeignKeyConstraint(["bid_lead_id"], ["user.id"], name=op.f("fk_sales_tender_bid_lead_id_user")),
        sa.ForeignKeyConstraint(["integrated_by_id"], ["user.id"], name=op.f("fk_sales_tender_integrated_by_id_user")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["user.id"], name=op.f("fk_sales_tender_submitted_by_id_user")),
    )
    op.create_table(
        "sales_bid_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["tender_id"], ["sales_tender.id"], name=op.f("fk_sales_bid_task_tender_id_sales_tender"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_sales_bid_task_owner_id_user")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_sales_bid_task_department_id_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_bid_task")),
    )
    for table in ("sales_requirement", "sales_tender"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for suffix, columns in DOCUMENT_INDEXES:
                batch_op.create_index(f"ix_{table}_{suffix}", columns, unique=False)
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade():
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    for table in ("sales_requirement", "sales_tender"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for suffix, _columns in DOCUMENT_INDEXES:
                batch_op.drop_index(f"ix_{table}_{suffix}")
    for table in reversed(TABLES):
        op.drop_table(table)
