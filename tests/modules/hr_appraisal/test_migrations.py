"""The appraisal module's data migrations: existing rows converted, both ways."""
import sqlalchemy as sa
from alembic import command

from core import create_app, migrate
from core.extensions import db
from tests.modules.sales.test_migrations import _filled_row


def test_indicator_lines_lose_the_code_in_their_name_on_open_sheets_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "ERP_AUDIT_KEY": "test",
                      "ERP_LANGUAGE": "en", "ERP_MODULES": ["hr_appraisal"]})
    with app.app_context():
        config = migrate.alembic_config(app)
        command.upgrade(config, "hr0006_trip_links")
        for sheet, frozen in ((1, False), (2, True)):
            _filled_row(db.engine, "hr_appraisal_sheet", id=sheet, number=f"KP-{sheet}", cycle_id=1, frozen=frozen)
        rows = [(1, "kpi", "KPI-COMPLIANCE", "KPI-COMPLIANCE 公司及部门管理规范的执行情况"),
                (1, "quality", None, "工作态度"), (1, "kpi", "KPI-PUR-COST", "货物成本控制"),
                (2, "kpi", "KPI-COMPLIANCE", "KPI-COMPLIANCE 公司及部门管理规范的执行情况")]
        for n, (sheet, kind, code, item) in enumerate(rows, 1):
            _filled_row(db.engine, "hr_appraisal_sheet_line", id=n, sheet_id=sheet, kind=kind, code=code, item=item)

        def items():
            with db.engine.connect() as conn:
                return conn.execute(sa.text("SELECT item FROM hr_appraisal_sheet_line ORDER BY id")).scalars().all()
        command.upgrade(config, "hr0007_sheet_line_names")
        assert items() == ["公司及部门管理规范的执行情况", "工作态度", "货物成本控制",
                           "KPI-COMPLIANCE 公司及部门管理规范的执行情况"]        # the closed sheet as it was
        command.downgrade(config, "hr0006_trip_links")
        assert items() == ["KPI-COMPLIANCE 公司及部门管理规范的执行情况", "工作态度", "KPI-PUR-COST 货物成本控制",
                           "KPI-COMPLIANCE 公司及部门管理规范的执行情况"]
        db.engine.dispose()
