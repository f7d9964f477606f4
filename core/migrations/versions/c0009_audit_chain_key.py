"""the audit chain is signed with ERP_AUDIT_KEY: entries written before are chained again under it

Their old plain-SHA-256 chain is checked first; the outcome (intact, or where it broke) is recorded
in an "audit_keyed" entry at the end of the new chain. No schema change.

Revision ID: c0009
Revises: c0008
Create Date: 2026-11-28 10:00:00
"""
from alembic import op
from flask import current_app


revision = 'c0009'
down_revision = 'c0008'
branch_labels = None
depends_on = None


def upgrade():
    from core.audit.log import resign_unkeyed
    resign_unkeyed(op.get_bind(), current_app.config["ERP_AUDIT_KEY"])


def downgrade():
    pass  # the keyed chain stays: plain SHA-256 would let anyone rewrite it
