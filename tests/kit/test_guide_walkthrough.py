"""docs/plugins.md's "Your first module in 15 minutes", done as a partner would: every command of
its shell blocks run in order in a temporary folder, every file it shows written there, in
processes of their own against a database of their own. `pip install -e` puts the package's
metadata in a folder of this test (the environment is left as it was) and `erp run` is a page
served by the app; the rest runs as written."""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ERP = str(Path(sys.executable).parent / "erp")
# What the partner types into the catalog when the guide tells him to.
CHINESE = {"Site surveyed": "已勘察现场", "Survey notes": "勘察记录",
           "Survey the customer's site before the quotation is reviewed.": "报价提交评审前须先勘察客户现场。"}


def walkthrough() -> list[tuple[str, str]]:
    """(kind, text) of the section's code blocks in order: ("bash", commands) or ("file", block)."""
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 0. Your first module"):guide.index("## 1. Layout")]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    return [("file" if lang == "python" and text.startswith("# erp-survey/") else lang, text)
            for lang, text in blocks]


def test_the_walkthrough_has_the_steps_it_promises():
    blocks = walkthrough()
    commands = [line for kind, text in blocks if kind == "bash" for line in text.splitlines()]
    assert commands[0].startswith("erp new-module survey") and "erp db revision --module survey -m \"customer survey\"" in commands
    assert [text.splitlines()[0] for kind, text in blocks if kind == "file"] == [
        "# erp-survey/erp_survey/__init__.py", "# erp-survey/erp_survey/customers.py",
        "# erp-survey/erp_survey/hooks.py", "# erp-survey/tests/test_customers.py"]
    assert all(kind in ("bash", "file") for kind, _ in blocks)


def test_the_walkthrough_works_as_written(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "erp-survey"), str(tmp_path / "site")]),
           "ERP_DATABASE_URL": f"sqlite:///{tmp_path / 'erp.sqlite3'}", "ERP_INSTANCE_PATH": str(tmp_path / "instance"),
           "ERP_LANGUAGE": "zh_CN", "ERP_COOKIE_SECURE": "0"}
    env.pop("ERP_MODULES", None)
    outputs = []

    def run(args, **extra):
        result = subprocess.run(args, env={**env, **extra}, cwd=tmp_path, capture_output=True, text=True,
                                timeout=300, check=False)
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
        outputs.append((args, result.stdout))
        return result.stdout

    for kind, text in walkthrough():
        if kind == "file":
            path = tmp_path / text.splitlines()[0][2:]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        for line in text.splitlines():
            words = shlex.split(line)
            if words[:3] == ["pip", "install", "-e"]:  # the entry point's metadata, beside the source
                run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                     str(tmp_path / "site"), str(tmp_path / words[3])])
            elif words == ["erp", "run"]:
                served = run([sys.executable, "-c", SERVE])
                assert served.split() == ["200", "现场勘察", "记录"], served
            elif words[0] == "erp":
                out = run([ERP, *words[1:]])
                if words[1:3] == ["translations", "survey"] and "have no Chinese yet" in out:
                    fill_catalog(tmp_path / "erp-survey" / "erp_survey")
            elif words[0] == "pytest":
                run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *words[1:]],
                    ERP_DATABASE_URL="")
            else:
                pytest.fail(f"the walkthrough runs {line!r}, which this test does not know how to run")
    said = {" ".join(args[1:]): out for args, out in outputs if args[0] == ERP}
    assert said["db check"].count("survey: ok") == 1
    assert "Wrote" in said["db revision --module survey -m customer survey"]
    revision = tmp_path / "erp-survey/erp_survey/migrations/versions/survey0002_customer_survey.py"
    assert "survey_customer" in revision.read_text(encoding="utf-8")
    tests = [out for args, out in outputs if "pytest" in args]
    assert "3 passed" in tests[0] and "6 passed" in tests[1], tests
    assert "Every message of survey is translated." in run([ERP, "translations", "survey"])


def fill_catalog(package: Path) -> None:
    """The partner's step: the Chinese of the new messages, then `erp translations` compiles it."""
    from babel.messages.pofile import read_po, write_po
    po = package / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id in CHINESE and not message.string:
            message.string = CHINESE[message.id]
    with po.open("wb") as f:
        write_po(f, catalog, width=100, include_lineno=False)


SERVE = """
import re
from core import create_app
from core.extensions import db
from core.seed import create_user
app = create_app({"WTF_CSRF_ENABLED": False})
with app.app_context():
    create_user("boss", "correct-horse-battery-9", ["ROLE-GM"], "Boss")
    db.session.commit()
client = app.test_client()
client.post("/login", data={"username": "boss", "password": "correct-horse-battery-9"})
page = client.get("/survey/record/")
text = page.get_data(as_text=True)
print(page.status_code, re.search(r'data-section="survey">([^<]*)<', text).group(1),
      re.search(r'href="/survey/record/">([^<]*)<', text).group(1))
"""
