"""`erp new-module NAME` writes a package that installs with pip, migrates, serves its pages in
Chinese and passes its own tests on core's harness: run here as a partner would, in processes
of their own, against a database of their own."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import cli

pytestmark = pytest.mark.slow
ERP = str(Path(sys.executable).parent / "erp")  # the command pip installed beside this Python


def run(args, env, cwd, timeout=300):
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_refusals_are_sentences(tmp_path):
    taken = CliRunner().invoke(cli, ["new-module", "sales", "--path", str(tmp_path / "x")])
    assert taken.exit_code == 1 and "a module called 'sales' is already installed" in taken.output
    bad = CliRunner().invoke(cli, ["new-module", "Site-Survey", "--path", str(tmp_path / "y")])
    assert bad.exit_code == 1 and "cannot be a module name" in bad.output
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "keep.txt").write_text("mine")
    full = CliRunner().invoke(cli, ["new-module", "survey", "--path", str(tmp_path / "z")])
    assert full.exit_code == 1 and "already exists and is not empty" in full.output


def test_a_new_module_installs_migrates_serves_and_passes_its_tests(tmp_path):
    written = CliRunner().invoke(cli, ["new-module", "survey", "--path", str(tmp_path / "erp-survey"),
                                       "--label", "Site survey", "--chinese", "现场勘察"])
    assert written.exit_code == 0, written.output
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(site), "ERP_DATABASE_URL": f"sqlite:///{tmp_path / 'erp.sqlite3'}",
           "ERP_INSTANCE_PATH": str(tmp_path / "instance"), "ERP_LANGUAGE": "zh_CN", "ERP_COOKIE_SECURE": "0"}
    env.pop("ERP_MODULES", None)
    run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
         str(tmp_path / "erp-survey")], env, tmp_path)
    assert "survey" in run([ERP, "db", "upgrade"], env, tmp_path)
    assert "survey: ok" in run([ERP, "db", "check"], env, tmp_path)  # its migration is its models'
    listed = run([ERP, "modules", "list"], env, tmp_path)
    assert any(line.split()[:3] == ["survey", "0.1.0", "yes"] for line in listed.splitlines())
    served = run([sys.executable, "-c", SERVE], env, tmp_path)
    assert served.splitlines() == ["[]", "302", "现场勘察 记录", "SURV-"], served
    # Its own tests, on core's harness (the pytest plugin installed with core).
    env.pop("ERP_DATABASE_URL")
    tests = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], env, tmp_path / "erp-survey")
    assert "3 passed" in tests, tests


SERVE = """
import re
from core import create_app, migrate
from core.extensions import db
from core.seed import create_user
app = create_app({"WTF_CSRF_ENABLED": False})
with app.app_context():
    print(migrate.differences(app))
    create_user("boss", "correct-horse-battery-9", ["ROLE-GM"], "Boss")
    db.session.commit()
client = app.test_client()
print(client.post("/login", data={"username": "boss", "password": "correct-horse-battery-9"}).status_code)
page = client.get("/survey/record/").get_data(as_text=True)
print(re.search(r'data-section="survey">([^<]*)<', page).group(1), re.search(r'href="/survey/record/">([^<]*)<', page).group(1))
created = client.post("/survey/record/new", data={"title": "t", "category": "urgent", "amount": "5"})
print(client.get(created.headers["Location"]).get_data(as_text=True).count("SURV-") and "SURV-")
"""
