"""The example partner plugin (examples/erp-plugin-hello), installed like any partner's package: what
core does with it. Its pages, command and widget are tested by its own tests (examples/erp-plugin-hello/tests)."""

import pytest
from sqlalchemy import select

from core.auth.models import Role, RolePermission
from core.cli import cli
from core.extensions import db


def test_hello_is_installed_and_running(app):
    erp = app.extensions["erp"]
    assert "hello" in erp.enabled
    assert erp.manifests["hello"].distribution == "erp-plugin-hello"
    assert erp.permissions["hello.view"][0] == "hello"
    assert erp.permissions["hello.create"][0] == "hello"
    from erp_hello.models import Greeting
    assert erp.models["hello"] == [Greeting]


def test_menu_shows_hello_to_a_user_holding_hello_view(client, login_as):
    login_as("ROLE-GM")
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' in page
    assert 'href="/hello/"' in page


def test_menu_hides_hello_without_the_permission(client, login_as):
    login_as("ROLE-FIN")
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' not in page and 'href="/hello/"' not in page
    assert client.get("/hello/").status_code == 403


@pytest.mark.modules("sales")
def test_hello_left_out_of_erp_modules(app, client, runner, login_as):
    erp = app.extensions["erp"]
    assert "hello" not in erp.enabled
    assert not [c for c in erp.permissions if c.startswith("hello.")]
    assert not [i for i in erp.menu_items if i.section == "hello"]
    login_as("ROLE-GM")
    with app.app_context():  # a grant kept from when hello ran does nothing now
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        if "hello.view" not in role.permission_codes:
            role.grants.append(RolePermission(code="hello.view"))
        db.session.commit()
    assert client.get("/hello/").status_code == 404
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="hello"' not in page and 'href="/hello/"' not in page
    result = runner.invoke(cli, ["hello", "count"])
    assert result.exit_code != 0 and "No such command" in result.output
