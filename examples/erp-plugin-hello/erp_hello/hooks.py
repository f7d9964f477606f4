import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Widget
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem


@hookimpl
def erp_models():
    from .models import Greeting
    return [Greeting]


@hookimpl
def erp_permissions():
    return [Permission("hello.view", _l("View greetings")),
            Permission("hello.create", _l("Write greetings"))]


@hookimpl
def erp_roles():
    return [RoleTemplate("ROLE-GM", permissions=["hello.view", "hello.create"]),
            RoleTemplate("ROLE-MKT-AM", permissions=["hello.view"])]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [MenuItem("hello", _l("Greetings"), "hello.index", "hello.view", order=10)]


@hookimpl
def erp_dashboard_widgets(user):
    if not user.can("hello.view"):
        return []
    from .models import Greeting
    count = db.session.scalar(select(func.count()).select_from(Greeting))
    return [Widget(_l("Greetings"), value=count, url="/hello/", order=90)]


@hookimpl
def erp_cli_commands():
    @click.command("count")
    def count():
        """Print how many greetings exist."""
        from .models import Greeting
        click.echo(db.session.scalar(select(func.count()).select_from(Greeting)))
    return [count]


@hookimpl
def erp_demo_data(app):
    from .models import Greeting
    if db.session.scalar(select(func.count()).select_from(Greeting)) == 0:
        db.session.add(Greeting(text="你好，盈隆！"))
