"""Chinese first, English second; per-user language choice."""
from core.auth.models import User
from core.extensions import db


def test_default_language_is_chinese_with_handbook_terms(seeded_app):
    app = seeded_app(ERP_LANGUAGE="zh_CN")
    with app.app_context():
        from core.seed import create_user
        create_user("li", "pass-word-123", ["ROLE-MKT-MGR"])
        db.session.commit()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "登录" in page
    client.post("/login", data={"username": "li", "password": "pass-word-123"})
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page and "市场管理" in page


def test_bad_credentials_message_in_chinese(make_app, database):
    app = make_app(ERP_LANGUAGE="zh_CN")
    page = app.test_client().post("/login", data={"username": "x", "password": "y"}).get_data(as_text=True)
    assert "用户名或密码错误。" in page


def test_language_switch_is_stored_on_the_user(app, client, login_as):
    user_id = login_as("ROLE-MKT-MGR")
    assert "Dashboard" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page and 'lang="zh-CN"' in page
    with app.app_context():
        assert db.session.get(User, user_id).language == "zh_CN"
    client.post("/logout")
    # Signed out, the session still remembers; signed in again, the user's choice applies.
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_every_catalog_is_complete():
    """tools/translate.py reports no untranslated message (staff read Chinese)."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(root / "tools" / "translate.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_no_message_is_translated_two_ways():
    """Every enabled package's catalog is merged into one, the later overriding the earlier: a
    module translating a message core or another module also uses would relabel their pages
    (procurement's 已到货 once stood for 收到时间 on every notification). One message, one
    translation; a different meaning takes a different message."""
    from pathlib import Path

    from babel.messages.pofile import read_po
    root = Path(__file__).resolve().parents[2]
    seen, clashes = {}, []
    for po in [root / "core/translations/zh/LC_MESSAGES/messages.po",
               *sorted(root.glob("modules/*/translations/zh/LC_MESSAGES/messages.po"))]:
        with po.open("rb") as f:
            for message in read_po(f):
                if not (message.id and message.string):
                    continue
                earlier = seen.setdefault(message.id, (message.string, po.parts[-5]))
                if earlier[0] != message.string:
                    clashes.append(f"{message.id!r}: {earlier[1]} {earlier[0]} / {po.parts[-5]} {message.string}")
    assert not clashes, "\n".join(clashes)


def test_each_app_reads_the_catalogs_of_its_own_modules(make_app):
    """Flask-Babel caches the merged catalogs per process; an app with procurement built after one
    without it must still find procurement's Chinese (tests build many apps in one process)."""
    from flask_babel import force_locale, gettext
    for modules, expected in ((["sales"], "Awaiting department approval"), (["sales", "procurement"], "待部门审批")):
        app = make_app(ERP_MODULES=modules)
        with app.test_request_context("/"), force_locale("zh_CN"):
            assert gettext("Awaiting department approval") == expected, modules
