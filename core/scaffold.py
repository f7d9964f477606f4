"""``erp new-module NAME``: a working partner module, as an ordinary pip package.

What it writes is the smallest module that has every part a real one has: the ``erp.modules``
entry point, a manifest, hooks, one document type on declared fields with a workflow, the
permissions granted to a role, its first migration, its Chinese catalog and tests on core's
harness. Each file is a starting point to edit, not a framework to learn.
"""
from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldRefused(ValueError):
    """The name or the folder cannot be used; the message says why."""


def check_name(name: str, installed: set[str]) -> None:
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ScaffoldRefused(f"{name!r} cannot be a module name: use 2 to 31 lowercase letters, digits "
                              f"and underscores, starting with a letter (e.g. survey)")
    if name in installed:
        raise ScaffoldRefused(f"a module called {name!r} is already installed; choose another name")


def write(name: str, folder: Path, label: str = "", chinese: str = "") -> list[Path]:
    """Write the package `erp-<name>` into `folder` (created; it must not exist); returns the files."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldRefused(f"{folder} already exists and is not empty")
    values = {"name": name, "package": f"erp_{name}", "label": label or name.replace("_", " ").capitalize(),
              "prefix": re.sub(r"[^A-Z]", "", name.upper())[:4] or "DOC"}
    written = []
    for relative, text in FILES.items():
        path = folder / Template(relative).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
        written.append(path)
    from .catalogs import build
    package = folder / values["package"]
    build(package, write=True)  # the catalog, every message listed for its Chinese
    _translate(package, {values["label"]: chinese} if chinese else {})
    written.append(package / "translations" / "zh" / "LC_MESSAGES" / "messages.po")
    return written


def _translate(package: Path, extra: dict) -> None:
    """Fill the template's own messages in Chinese and compile (the partner's are his to add)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po
    po = package / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    table = {**CHINESE, **extra}
    for message in catalog:
        if message.id in table and not message.string:
            message.string = table[message.id]
    with po.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, include_lineno=False)
    with po.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)


CHINESE = {
    "Record": "记录", "Records": "记录", "Subject": "主题", "Category": "类别", "Routine": "常规",
    "Urgent": "紧急", "Amount": "金额", "Due date": "截止日期", "Notes": "备注", "Draft": "草稿",
    "Submitted": "已提交", "Done": "已完成", "Submit": "提交", "Complete": "完成",
    "Return to draft": "退回草稿",
}

FILES = {
    "README.md": """# erp-$name

$label: a module for Yinglong ERP.

```bash
pip install -e .          # in the ERP's environment: the module is found through its entry point
erp db upgrade            # creates its tables
erp modules list          # $name ... yes enabled
erp run                   # its menu section: 记录 under $label
pytest                    # its tests, on core's harness (a fresh database per run)
erp translations $name    # after adding messages: fill the Chinese in translations/, run it again
erp db revision --module $name -m "what changed"   # after changing its models
```
""",
    "pyproject.toml": """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
""",
    "setup.cfg": """[metadata]
name = erp-$name
version = 0.1.0
description = $label: a Yinglong ERP module

[options]
packages = find:
include_package_data = True
install_requires =
    yinglong-erp

[options.packages.find]
exclude = tests*

[options.package_data]
$package = templates/**/*, migrations/**/*, translations/**/*

[options.entry_points]
erp.modules =
    $name = $package:MANIFEST

[tool:pytest]
testpaths = tests
addopts = -ra --strict-markers
""",
    "$package/__init__.py": '''"""$label: a Yinglong ERP module (manifest only; the rest is imported when it is enabled)."""
from core.manifest import N_, Manifest

MANIFEST = Manifest(
    name="$name",
    version="0.1.0",
    label=N_("$label"),
    description=N_("$label"),
    package="$package",
    depends=(),          # modules it needs, e.g. ("sales",) to extend sales' documents
)
''',
    "$package/hooks.py": '''"""The module's hooks: what it declares to core (see docs/plugins.md of Yinglong ERP)."""
from core.auth.permissions import RoleTemplate
from core.hookspecs import hookimpl


@hookimpl
def erp_models():
    from .documents import Record
    return [Record]


@hookimpl
def erp_document_types():
    from .documents import RECORD
    return [RECORD]


@hookimpl
def erp_roles():
    """Permissions granted by default (the administrator may change them in 角色权限)."""
    record = ["read", "read_all", "create", "edit", "export", "submit", "complete", "reopen"]
    return [RoleTemplate("ROLE-GM", permissions=[f"$name.record.{p}" for p in record])]
''',
    "$package/documents.py": '''"""The module's document type, declared once: core derives its table columns, form, API
schema, list, detail page, print, export, import, permissions, menu entry and numbering."""
from flask_babel import lazy_gettext as _l

from core.documents import DocType, Document
from core.documents.fields import Field, declared_columns
from core.extensions import db
from core.workflow import Transition, Workflow

CATEGORIES = (("routine", _l("Routine")), ("urgent", _l("Urgent")))

FIELDS = [  # `title` (the heading) comes with Document
    Field("category", _l("Category"), "choice", choices=CATEGORIES, required=True, default="routine"),
    Field("amount", _l("Amount"), "money", minimum=0),
    Field("due_on", _l("Due date"), "date"),
    Field("notes", _l("Notes"), "textarea"),
]


class Record(Document, declared_columns(FIELDS), db.Model):
    __tablename__ = "${name}_record"


WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Submitted"), "done": _l("Done")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit"), ["draft"], "submitted"),
        Transition("complete", _l("Complete"), ["submitted"], "done", style="success"),
        Transition("reopen", _l("Return to draft"), ["submitted"], "draft", style="outline-secondary"),
    ],
)

RECORD = DocType(code="$name.record", model=Record, label=_l("Record"), label_plural=_l("Records"),
                 fields=FIELDS, workflow=WORKFLOW, number_prefix="$prefix")
''',
    "$package/migrations/versions/${name}0001_initial.py": '''"""$label: the record table.

Revision ID: ${name}0001
"""
import sqlalchemy as sa
from alembic import op

revision = "${name}0001"
down_revision = None
branch_labels = ("$name",)
depends_on = "c0001"


def upgrade():
    op.create_table(
        "${name}_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_${name}_record_created_by_id_user")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_${name}_record_department_id_department")),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_${name}_record_owner_id_user")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_${name}_record_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_${name}_record")),
        sa.UniqueConstraint("number", name="uq_${name}_record_number"),
    )
    with op.batch_alter_table("${name}_record") as batch_op:
        batch_op.create_index("ix_${name}_record_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_${name}_record_department_id_id", ["department_id", "id"], unique=False)
        batch_op.create_index("ix_${name}_record_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_${name}_record_state_id", ["state", "id"], unique=False)


def downgrade():
    op.drop_table("${name}_record")
''',
    "tests/test_$name.py": '''"""Tests of the $name module on core's harness: each test gets the app (with every installed
module, this one included) on a fresh migrated database, a client, login_as(role...) and more
(see "Testing your module" in Yinglong ERP's docs/plugins.md)."""


def test_the_records_need_their_permission(client, login_as):
    login_as("ROLE-MKT-AM")  # a role this module grants nothing
    assert client.get("/$name/record/").status_code == 403


def test_a_record_is_saved_numbered_and_moves_through_its_workflow(client, login_as):
    login_as("ROLE-GM")
    response = client.post("/$name/record/new", data={"title": "First", "category": "urgent", "amount": "120.50"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "$prefix-" in page and "120.50" in page
    record_id = response.headers["Location"].rstrip("/").split("/")[-1]
    assert client.post(f"/$name/record/{record_id}/transitions/submit").status_code in (302, 303)
    assert "Submitted" in client.get(f"/$name/record/{record_id}").get_data(as_text=True)


def test_bad_input_is_refused_with_the_field_and_nothing_saved(client, login_as):
    login_as("ROLE-GM")
    response = client.post("/$name/record/new", data={"title": "", "category": "nonsense", "amount": "-1"})
    assert response.status_code == 400
    assert client.get("/$name/record/").get_data(as_text=True).count("$prefix-") == 0
''',
}
