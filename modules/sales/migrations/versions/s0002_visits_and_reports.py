"""sales: visit logs, weekly bundles, regional reports, sales plans, business activities, lost-order summaries

Revision ID: s0002
Revises: s0001
"""
from alembic import op
import sqlalchemy as sa

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)


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


def document_indexes(table, batch_op):
    batch_op.create_index(f"ix_{table}_created_at", ["created_at"], unique=False)
    batch_op.create_index(f"ix_{table}_department_id_id", ["department_id", "id"], unique=False)
    batch_op.create_index(f"ix_{table}_owner_id_id", ["owner_id", "id"], unique=False)
    batch_op.create_index(f"ix_{table}_state_id", ["state", "id"], unique=False)


def drop_document_indexes(table, batch_op):
    for suffix in ("state_id", "owner_id_id", "department_id_id", "created_at"):
        batch_op.drop_index(f"ix_{table}_{suffix}")


def upgrade():
    op.create_table(
        "sales_weekly_bundle",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("week_end", sa.Date(), nullable=False),
        sa.Column("assistant_note", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_late", sa.Boolean(), nullable=False),
        sa.Column("total_submitted", sa.Integer(), nullable=False),
        sa.Column("total_late", sa.Integer(), nullable=False),
        sa.Column("total_missing", sa.Integer(), nullable=False),
        sa.Column("total_contacts", sa.Integer(), nullable=False),
        sa.Column("mgr_rating", sa.Integer(), nullable=True),
        sa.Column("mgr_comment", sa.Text(), nullable=False),
        *document_columns("sales_weekly_bundle"),
        sa.UniqueConstraint("week_start", name=op.f("uq_sales_weekly_bundle_week_start")),
    )
    with op.batch_alter_table("sales_weekly_bundle", schema=None) as batch_op:
        document_indexes("sales_weekly_bundle", batch_op)

    op.create_table(
        "sales_weekly_bundle_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("new_opportunities", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["sales_weekly_bundle.id"],
                                name=op.f("fk_sales_weekly_bundle_line_bundle_id_sales_weekly_bundle"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_sales_weekly_bundle_line_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_weekly_bundle_line")),
    )
    with op.batch_alter_table("sales_weekly_bundle_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_weekly_bundle_line_bundle_id"), ["bundle_id"], unique=False)

    op.create_table(
        "sales_visit_log",
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("no_contact_reason", sa.String(length=12), nullable=False),
        sa.Column("no_contact_note", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        *document_columns("sales_visit_log"),
        sa.ForeignKeyConstraint(["area_id"], ["sales_area.id"], name=op.f("fk_sales_visit_log_area_id_sales_area")),
        sa.ForeignKeyConstraint(["bundle_id"], ["sales_weekly_bundle.id"],
                                name=op.f("fk_sales_visit_log_bundle_id_sales_weekly_bundle")),
        sa.UniqueConstraint("owner_id", "visit_date", name=op.f("uq_sales_visit_log_owner_id")),
    )
    with op.batch_alter_table("sales_visit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_visit_log_bundle_id"), ["bundle_id"], unique=False)
        document_indexes("sales_visit_log", batch_op)

    op.create_table(
        "sales_visit_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=80), nullable=False),
        sa.Column("contact_title", sa.String(length=80), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("visit_mode", sa.String(length=12), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("demand", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["sales_customer.id"],
                                name=op.f("fk_sales_visit_line_customer_id_sales_customer")),
        sa.ForeignKeyConstraint(["log_id"], ["sales_visit_log.id"],
                                name=op.f("fk_sales_visit_line_log_id_sales_visit_log"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_sales_visit_line_opportunity_id_sales_opportunity")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_visit_line")),
    )
    with op.batch_alter_table("sales_visit_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_visit_line_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_visit_line_log_id"), ["log_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_visit_line_opportunity_id"), ["opportunity_id"], unique=False)

    op.create_table(
        "sales_regional_report",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_late", sa.Boolean(), nullable=False),
        sa.Column("open_opportunities", sa.Integer(), nullable=False),
        sa.Column("open_amount", MONEY, nullable=False),
        sa.Column("market_overview", sa.Text(), nullable=False),
        sa.Column("competitors", sa.Text(), nullable=False),
        sa.Column("industry_policy", sa.Text(), nullable=False),
        sa.Column("price_channel", sa.Text(), nullable=False),
        sa.Column("last_plan_review", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("next_plan", sa.Text(), nullable=False),
        sa.Column("next_target", MONEY, nullable=True),
        sa.Column("suggestions", sa.Text(), nullable=False),
        sa.Column("mgr_rating", sa.Integer(), nullable=True),
        sa.Column("mgr_comment", sa.Text(), nullable=False),
        *document_columns("sales_regional_report"),
        sa.ForeignKeyConstraint(["area_id"], ["sales_area.id"], name=op.f("fk_sales_regional_report_area_id_sales_area")),
        sa.UniqueConstraint("area_id", "period_start", name=op.f("uq_sales_regional_report_area_id")),
    )
    with op.batch_alter_table("sales_regional_report", schema=None) as batch_op:
        document_indexes("sales_regional_report", batch_op)

    op.create_table(
        "sales_plan",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("half", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("market_review", sa.Text(), nullable=False),
        sa.Column("strategy", sa.Text(), nullable=False),
        sa.Column("promotion", sa.Text(), nullable=False),
        sa.Column("resources", sa.Text(), nullable=False),
        sa.Column("signed_target_total", MONEY, nullable=False),
        sa.Column("collection_target_total", MONEY, nullable=False),
        *document_columns("sales_plan"),
        sa.UniqueConstraint("year", "half", name=op.f("uq_sales_plan_year")),
    )
    with op.batch_alter_table("sales_plan", schema=None) as batch_op:
        document_indexes("sales_plan", batch_op)

    op.create_table(
        "sales_plan_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("signed_target", MONEY, nullable=False),
        sa.Column("collection_target", MONEY, nullable=False),
        sa.Column("key_accounts", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["area_id"], ["sales_area.id"], name=op.f("fk_sales_plan_line_area_id_sales_area")),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_sales_plan_line_owner_id_user")),
        sa.ForeignKeyConstraint(["plan_id"], ["sales_plan.id"], name=op.f("fk_sales_plan_line_plan_id_sales_plan"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_plan_line")),
    )
    with op.batch_alter_table("sales_plan_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_plan_line_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "sales_business_activity",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("activity_type", sa.String(length=20), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("our_attendees", sa.String(length=200), nullable=False),
        sa.Column("customer_attendees", sa.Text(), nullable=False),
        sa.Column("decision_maker_present", sa.Boolean(), nullable=False),
        sa.Column("terms_negotiated", sa.Boolean(), nullable=False),
        sa.Column("flagged_important", sa.Boolean(), nullable=False),
        sa.Column("expense", MONEY, nullable=True),
        sa.Column("is_important", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("customer_positions", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column("open_issues", sa.Text(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("profile_updated", sa.Boolean(), nullable=False),
        sa.Column("mgr_rating", sa.Integer(), nullable=True),
        sa.Column("mgr_comment", sa.Text(), nullable=False),
        *document_columns("sales_business_activity"),
        sa.ForeignKeyConstraint(["customer_id"], ["sales_customer.id"],
                                name=op.f("fk_sales_business_activity_customer_id_sales_customer")),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_sales_business_activity_opportunity_id_sales_opportunity")),
    )
    with op.batch_alter_table("sales_business_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_business_activity_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_business_activity_opportunity_id"), ["opportunity_id"], unique=False)
        document_indexes("sales_business_activity", batch_op)

    op.create_table(
        "sales_lost_summary",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("lost_stage", sa.String(length=20), nullable=False),
        sa.Column("winner", sa.String(length=200), nullable=False),
        sa.Column("winner_price", MONEY, nullable=True),
        sa.Column("our_price", MONEY, nullable=True),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("reason_note", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        *document_columns("sales_lost_summary"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_sales_lost_summary_opportunity_id_sales_opportunity")),
        sa.UniqueConstraint("opportunity_id", name=op.f("uq_sales_lost_summary_opportunity_id")),
    )
    with op.batch_alter_table("sales_lost_summary", schema=None) as batch_op:
        document_indexes("sales_lost_summary", batch_op)


def downgrade():
    with op.batch_alter_table("sales_lost_summary", schema=None) as batch_op:
        drop_document_indexes("sales_lost_summary", batch_op)
    op.drop_table("sales_lost_summary")
    with op.batch_alter_table("sales_business_activity", schema=None) as batch_op:
        drop_document_indexes("sales_business_activity", batch_op)
        batch_op.drop_index(batch_op.f("ix_sales_business_activity_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_sales_business_activity_customer_id"))
    op.drop_table("sales_business_activity")
    with op.batch_alter_table("sales_plan_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_plan_line_plan_id"))
    op.drop_table("sales_plan_line")
    with op.batch_alter_table("sales_plan", schema=None) as batch_op:
        drop_document_indexes("sales_plan", batch_op)
    op.drop_table("sales_plan")
    with op.batch_alter_table("sales_regional_report", schema=None) as batch_op:
        drop_document_indexes("sales_regional_report", batch_op)
    op.drop_table("sales_regional_report")
    with op.batch_alter_table("sales_visit_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_visit_line_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_sales_visit_line_log_id"))
        batch_op.drop_index(batch_op.f("ix_sales_visit_line_customer_id"))
    op.drop_table("sales_visit_line")
    with op.batch_alter_table("sales_visit_log", schema=None) as batch_op:
        drop_document_indexes("sales_visit_log", batch_op)
        batch_op.drop_index(batch_op.f("ix_sales_visit_log_bundle_id"))
    op.drop_table("sales_visit_log")
    with op.batch_alter_table("sales_weekly_bundle_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_weekly_bundle_line_bundle_id"))
    op.drop_table("sales_weekly_bundle_line")
    with op.batch_alter_table("sales_weekly_bundle", schema=None) as batch_op:
        drop_document_indexes("sales_weekly_bundle", batch_op)
    op.drop_table("sales_weekly_bundle")
