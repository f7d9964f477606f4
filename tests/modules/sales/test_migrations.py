"""Sales' data migrations: existing rows converted, both ways."""
import json

import pytest
import sqlalchemy as sa
from alembic import command

from core import create_app, migrate
from core.extensions import db


def _filled_row(engine, table, **values):
    """Insert a row into `table`, every other NOT NULL column given a plain value of its type."""
    plain = {sa.Integer: 1, sa.String: "x", sa.Text: "", sa.Numeric: 0, sa.Boolean: False,
             sa.DateTime: "2026-01-01 00:00:00", sa.Date: "2026-01-01"}
    row = {}
    for column in sa.inspect(engine).get_columns(table):
        if column["name"] in values or column["nullable"] or column["name"] == "id":
            continue
        row[column["name"]] = next(v for t, v in plain.items() if isinstance(column["type"], t))
    row |= values
    with engine.begin() as conn:
        names = ", ".join(row)
        conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)


def _sales_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "ERP_AUDIT_KEY": "test",
                       "ERP_LANGUAGE": "en", "ERP_MODULES": ["sales"]})


@pytest.mark.parametrize("table, column, prefix", [("sales_requirement", "decision_criteria", "XQ"),
                                                   ("sales_lost_summary", "reasons", "DD")])
def test_multichoice_text_becomes_a_list_and_back(tmp_path, table, column, prefix):
    app = _sales_app(tmp_path)
    with app.app_context():
        config = migrate.alembic_config(app)
        command.upgrade(config, "s0003")
        # Distinct opportunity ids: a lost-order summary is one per opportunity.
        _filled_row(db.engine, table, id=1, number=f"{prefix}-1", opportunity_id=1, **{column: "price,technology,price"})
        _filled_row(db.engine, table, id=2, number=f"{prefix}-2", opportunity_id=2, **{column: ""})
        command.upgrade(config, "s0004")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT id, {column} FROM {table} ORDER BY id")).all()
        assert [(i, json.loads(v)) for i, v in rows] == [(1, ["price", "technology"]), (2, [])]
        command.downgrade(config, "s0003")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT {column} FROM {table} ORDER BY id")).scalars().all()
        assert rows == ["price,technology", ""]
        db.engine.dispose()


def test_registration_categories_and_support_become_lists_and_back(tmp_path):
    app = _sales_app(tmp_path)
    with app.app_context():
        config = migrate.alembic_config(app)
        command.upgrade(config, "s0003")
        _filled_row(db.engine, "sales_registration", id=1, number="LX-1", project_types="cabling,network",
                    support_needed="solution")
        _filled_row(db.engine, "sales_registration", id=2, number="LX-2", project_types="", support_needed="")
        command.upgrade(config, "s0004")
        query = sa.text("SELECT project_types, support_needed FROM sales_registration ORDER BY id")
        with db.engine.connect() as conn:
            rows = conn.execute(query).all()
        assert [tuple(json.loads(v) for v in row) for row in rows] == [(["cabling", "network"], ["solution"]), ([], [])]
        command.downgrade(config, "s0003")
        with db.engine.connect() as conn:
            rows = conn.execute(query).all()
        assert [tuple(row) for row in rows] == [("cabling,network", "solution"), ("", "")]
        db.engine.dispose()


def test_visit_logs_get_their_deadline_and_lose_it_back(tmp_path):
    app = _sales_app(tmp_path)
    with app.app_context():
        config = migrate.alembic_config(app)
        command.upgrade(config, "s0004")
        _filled_row(db.engine, "sales_visit_log", id=1, number="XF-1", visit_date="2026-03-02")
        command.upgrade(config, "s0005")
        with db.engine.connect() as conn:
            due = conn.execute(sa.text("SELECT due_at FROM sales_visit_log")).scalar()
        assert str(due).startswith("2026-03-02 10:00")      # 18:00 in Shanghai
        command.downgrade(config, "s0004")
        assert "due_at" not in {c["name"] for c in sa.inspect(db.engine).get_columns("sales_visit_log")}
        db.engine.dispose()
