import click
from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Widget
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.org.models import Department

bp = Blueprint("sample", __name__)


class SampleBase(DeclarativeBase):
    """Kept off db.metadata so the migrations-match-models check never sees this test table."""


class SampleNote(SampleBase):
    __tablename__ = "sample_note"
    id: Mapped[int] = mapped_column(primary_key=True)


@bp.route("/")
def index():
    return "sample page"


@hookimpl
def erp_models():
    return [SampleNote]


@hookimpl
def erp_blueprints():
    return [bp]


@hookimpl
def erp_permissions():
    return [Permission("sample.view", "View samples")]


@hookimpl
def erp_roles():
    return [RoleTemplate("ROLE-FIN", permissions=["sample.view"]),
            RoleTemplate("ROLE-SAMPLE", "样例角色", permissions=["sample.view"])]


@hookimpl
def erp_menu_items():
    return [MenuItem("sample", "Samples", "sample.index", "sample.view", order=5)]


@hookimpl
def erp_cli_commands():
    @click.command("ping")
    def ping():
        click.echo("pong")
    return [ping]


@hookimpl
def erp_seed_data(app):
    if db.session.scalar(select(Department).where(Department.code == "SMP")) is None:
        db.session.add(Department(code="SMP", name="样例部"))


@hookimpl
def erp_demo_data(app):
    dept = db.session.scalar(select(Department).where(Department.code == "SMP"))
    dept.name_en = "Sample department"


@hookimpl
def erp_dashboard_widgets(user):
    if user.can("sample.view"):
        return [Widget("Samples waiting", value=7, order=1)]
    return []


@hookimpl
def erp_rules():
    from core.rules import Rule
    return [Rule("SMP-001", "样例规则", "A sample rule.", "deadline", params=("core.workday_end_time",))]


@hookimpl
def erp_user_deactivation_blockers(user):
    """A sample person keeps his samples until they are handed over."""
    if user.username.startswith("keeper"):
        return ["2 samples are still his: hand them over first."]
    return []
