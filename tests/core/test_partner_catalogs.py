"""A partner's module carries its own Chinese catalog (erp translations MODULE), so its menu,
permissions and pages are Chinese without borrowing another module's translations."""
import shutil

import pytest
from click.testing import CliRunner

from core.cli import cli


@pytest.mark.parametrize("app", [{"ERP_LANGUAGE": "zh_CN"}], indirect=True)
def test_the_example_plugin_speaks_chinese_from_its_own_catalog(app, client, login_as):
    login_as("ROLE-GM")
    page = client.get("/hello/").get_data(as_text=True)
    assert "问候" in page and "保存" in page and "Greetings" not in page
    with app.test_request_context():
        from flask_babel import force_locale
        with force_locale("zh_CN"):
            erp = app.extensions["erp"]
            assert erp.section_label("hello") == "问候"
            assert str(erp.permissions["hello.view"][1]) == "查看问候"


def test_erp_translations_lists_what_is_untranslated_and_compiles(tmp_path, monkeypatch):
    """Run on a copy of the example plugin whose code gained a message and lost one."""
    from dataclasses import replace
    from pathlib import Path

    import erp_hello

    from core import plugins
    copy = tmp_path / "erp_hello_copy"
    shutil.copytree(Path(erp_hello.__file__).parent, copy)
    (copy / "views.py").write_text((copy / "views.py").read_text(encoding="utf-8").replace(
        '_l("Greeting")', '_l("Greeting text")'), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    manifests = plugins.discover()
    manifests["hello"] = replace(manifests["hello"], package="erp_hello_copy")
    monkeypatch.setattr(plugins, "discover", lambda broken=None: manifests)
    checked = CliRunner().invoke(cli, ["translations", "hello", "--check"])
    assert checked.exit_code == 1 and "1 messages of hello have no Chinese yet:\n  Greeting text" in checked.output
    written = CliRunner().invoke(cli, ["translations", "hello"])
    assert written.exit_code == 0, written.output
    po = (copy / "translations/zh/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert 'msgid "Greeting text"\nmsgstr ""' in po and 'msgid "Save"\nmsgstr "保存"' in po
    assert 'msgid "Greeting"\n' not in po  # gone from the code, gone from the catalog
    assert (copy / "translations/zh/LC_MESSAGES/messages.mo").stat().st_size > 0
    unknown = CliRunner().invoke(cli, ["translations", "nothing"])
    assert unknown.exit_code == 1 and "module 'nothing' is not installed" in unknown.output
