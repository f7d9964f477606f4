"""`erp db revision` and `erp db check`: a partner's migrations generated from its models.

A test plugin written to a temporary folder gets its migrations generated, applied (on SQLite, or
on PostgreSQL under ERP_TEST_DATABASE_URL), compared with its models and rolled back.
"""
import importlib
import sys
import textwrap
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import create_engine, inspect, text

from core import create_app, migrate, plugins
from core.cli import cli
from core.extensions import db
from core.manifest import Manifest
from core.testing.database import engine_options
from tests.conftest import PG_URL, base_config


@pytest.fixture
def fresh_database(tmp_path):
    """(url, engine options) of an empty database of the test run's backend."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'kit.sqlite3'}", engine_options(None)
        return
    schema = f"erp_kit_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield PG_URL, engine_options(schema)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def plugin_folder(tmp_path, monkeypatch):
    """Write a plugin package (files by relative path) into a folder on sys.path; its manifest."""
    folder = tmp_path / "site"
    folder.mkdir()
    written = []

    def write(package: str, files: dict[str, str], **manifest) -> Manifest:
        for relative, source in files.items():
            path = folder / package / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        written.append(package)
        importlib.invalidate_caches()
        return Manifest(version="1.0", package=package, **manifest)
    monkeypatch.syspath_prepend(str(folder))
    yield write
    for name in list(sys.modules):
        if name.split(".")[0] in written:
            del sys.modules[name]


GADGET_HOOKS = '''
    from core.hookspecs import hookimpl


    @hookimpl
    def erp_models():
        from .models import Gadget, GadgetLine
        return [Gadget, GadgetLine]


    @hookimpl
    def erp_document_types():
        from .models import GADGET
        return [GADGET]
'''
GADGET_MODELS = '''
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column, relationship

    from core.documents import DocType, Document, Lines
    from core.documents.fields import Field, declared_columns
    from core.extensions import db
    from core.workflow import lifecycles

    FIELDS = [
        Field("site", "Site", required=True, max_length=120),
        Field("budget", "Budget", "money", minimum=0),
        Field("visit_on", "Visit on", "date"),
        Field("tags", "Tags", "multichoice", choices=(("a", "A"), ("b", "B"))),
        Field("engineer", "Engineer", "user"),
        Field("review", "Review", "sig"),
    ]
    LINE_FIELDS = [Field("item", "Item", required=True, max_length=100),
                   Field("qty", "Qty", "integer", minimum=1)]


    class Gadget(Document, declared_columns(FIELDS), db.Model):
        __tablename__ = "kitbox_gadget"
        lines = relationship("GadgetLine", cascade="all, delete-orphan", order_by="GadgetLine.id")


    class GadgetLine(declared_columns(LINE_FIELDS), db.Model):
        __tablename__ = "kitbox_gadget_line"
        id: Mapped[int] = mapped_column(primary_key=True)
        gadget_id: Mapped[int] = mapped_column(ForeignKey("kitbox_gadget.id", ondelete="CASCADE"), index=True)


    GADGET = DocType(code="kitbox.gadget", model=Gadget, label="Gadget", label_plural="Gadgets",
                     workflow=lifecycles.application(), number_prefix="KG", fields=FIELDS,
                     lines=Lines("lines", GadgetLine, fields=LINE_FIELDS))
'''


def kit_app(database, manifests, **extra):
    return create_app(base_config(database, ERP_MANIFESTS=manifests, **extra))


def invoke(app, *args):
    """`erp ARGS` against `app` (as the erp command builds it from the environment)."""
    return app.test_cli_runner().invoke(cli, list(args))


def tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_generated_migration_applies_matches_the_models_and_rolls_back(plugin_folder, fresh_database):
    kitbox = plugin_folder("erp_kitbox", {"__init__.py": "", "hooks.py": GADGET_HOOKS, "models.py": GADGET_MODELS},
                           name="kitbox")
    app = kit_app(fresh_database, {**plugins.discover(), "kitbox": kitbox}, ERP_MODULES=["kitbox"])
    versions = kitbox.migrations_path
    assert not versions.exists()

    result = invoke(app, "db", "revision", "--module", "kitbox", "-m", "gadgets and their lines")
    assert result.exit_code == 0, result.output
    (first,) = versions.glob("*.py")
    assert first.name == "kitbox0001_gadgets_and_their_lines.py"
    assert f"Wrote {first}" in result.output
    source = first.read_text()
    with app.app_context():
        core_head = migrate.script_directory(app).get_revision("core@head").revision
    assert "revision = 'kitbox0001'" in source and "down_revision = None" in source
    assert "branch_labels = ('kitbox',)" in source
    assert f"depends_on = ['{core_head}']" in source or f"depends_on = '{core_head}'" in source
    # Named the way core names them: the Document mixin's keys and indexes, the naming convention's.
    for name in ("op.f('pk_kitbox_gadget')", "'uq_kitbox_gadget_number'", "'ix_kitbox_gadget_state_id'",
                 "'ix_kitbox_gadget_owner_id_id'", "op.f('fk_kitbox_gadget_owner_id_user')",
                 "op.f('fk_kitbox_gadget_review_by_id_user')", "op.f('ix_kitbox_gadget_line_gadget_id')",
                 "batch_alter_table('kitbox_gadget'"):
        assert name in source, name
    for column in ("'site'", "'budget'", "'visit_on'", "'tags'", "'engineer_id'", "'review_at'", "'review_opinion'",
                   "'number'", "'version'", "'department_id'"):
        assert f"sa.Column({column}" in source, column
    assert "'user'" not in source.split("def upgrade")[1].split("op.create_table('kitbox")[0]  # core's tables left out

    with app.app_context():
        assert migrate.upgrade(app) == ["core", "kitbox"]
        assert migrate.differences(app) == []
    assert {"kitbox_gadget", "kitbox_gadget_line"} <= tables(app)
    check = invoke(app, "db", "check", "--database")
    assert check.exit_code == 0, check.output
    assert "kitbox: ok" in check.output and "core: ok" in check.output

    # A column added to the model: the next revision follows the first on the module's branch.
    from erp_kitbox.models import Gadget
    Gadget.__table__.append_column(sa.Column("colour", sa.String(20), nullable=True))
    drift = invoke(app, "db", "check")
    assert drift.exit_code == 1
    assert "column kitbox_gadget.colour: in the models, not in the migrations" in drift.output
    result = invoke(app, "db", "revision", "--module", "kitbox", "-m", "colour")
    assert result.exit_code == 0, result.output
    second = versions / "kitbox0002_colour.py"
    source = second.read_text()
    assert "down_revision = 'kitbox0001'" in source and "branch_labels = None" in source
    assert "batch_op.add_column(sa.Column('colour', sa.String(length=20), nullable=True))" in source
    assert "batch_op.drop_column('colour')" in source

    with app.app_context():
        migrate.upgrade(app)
        assert migrate.differences(app) == []
        assert "colour" in {c["name"] for c in inspect(db.engine).get_columns("kitbox_gadget")}
        nothing = invoke(app, "db", "revision", "--module", "kitbox", "-m", "again")
        assert nothing.exit_code == 0 and "Nothing to do" in nothing.output
        assert sorted(p.name for p in versions.glob("*.py")) == [first.name, second.name]

        command.downgrade(migrate.alembic_config(app), "kitbox@base")
        assert not {"kitbox_gadget", "kitbox_gadget_line"} & set(inspect(db.engine).get_table_names())
        assert "user" in inspect(db.engine).get_table_names()  # core's stay
        migrate.upgrade(app)
        assert migrate.differences(app) == []
        db.engine.dispose()


def test_check_names_the_module_and_the_column_of_a_drifted_model(plugin_folder, make_app):
    drifted = plugin_folder("erp_kitdrift", {
        "__init__.py": "",
        "hooks.py": """
            from core.hookspecs import hookimpl


            @hookimpl
            def erp_models():
                from .models import Item
                return [Item]
            """,
        "models.py": """
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column

            from core.extensions import db


            class Item(db.Model):
                __tablename__ = "kitdrift_item"
                id: Mapped[int] = mapped_column(primary_key=True)
                name: Mapped[str] = mapped_column(String(40))
                size: Mapped[int | None]
            """,
        # Written by hand before `size` was added to the model.
        "migrations/versions/kitdrift1_items.py": """
            from alembic import op
            import sqlalchemy as sa

            revision = "kitdrift1"
            down_revision = None
            branch_labels = ("kitdrift",)
            depends_on = "c0001"


            def upgrade():
                op.create_table("kitdrift_item",
                                sa.Column("id", sa.Integer(), nullable=False),
                                sa.Column("name", sa.String(length=20), nullable=False),
                                sa.PrimaryKeyConstraint("id", name=op.f("pk_kitdrift_item")))


            def downgrade():
                op.drop_table("kitdrift_item")
            """}, name="kitdrift")
    app = make_app(ERP_MANIFESTS={**plugins.discover(), "kitdrift": drifted}, ERP_MODULES=["sales", "kitdrift"])
    result = invoke(app, "db", "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "core: ok" in lines and "sales: ok" in lines
    assert "kitdrift: models and migrations differ" in lines
    assert "  column kitdrift_item.size: in the models, not in the migrations" in lines
    assert "  column kitdrift_item.name: type VARCHAR(20) in the migrations, VARCHAR(40) in the models" in lines
    assert "Differences in kitdrift" in result.output
    assert "Traceback" not in result.output


def test_revision_id_clash_is_one_sentence(plugin_folder, make_app):
    copycat = plugin_folder("erp_kitclash", {
        "__init__.py": "",
        "hooks.py": "",
        "migrations/versions/h0001_mine.py": 'revision = "h0001"\ndown_revision = None\n'}, name="kitclash")
    app = make_app(ERP_MANIFESTS={**plugins.discover(), "kitclash": copycat})
    assert migrate.revision_clashes(app) == [(
        "Revision id 'h0001' is used by both module 'hello' (h0001_greeting.py) and module 'kitclash' "
        "(h0001_mine.py): give one of them another id.")]
    for args in (("db", "upgrade"), ("db", "check"), ("db", "revision", "--module", "hello", "-m", "x")):
        result = invoke(app, *args)
        assert result.exit_code == 1, args
        assert result.output.strip() == f"Error: {migrate.revision_clashes(app)[0]}"
    with app.app_context():
        assert migrate.next_revision_id(app, "hello") == "hello0002"


def test_revision_refuses_what_it_cannot_do(make_app):
    app = make_app(ERP_MODULES=["sales"])
    result = invoke(app, "db", "revision", "--module", "hello", "-m", "x")
    assert result.exit_code == 1
    assert "Module 'hello' is not enabled" in result.output and "erp modules enable hello" in result.output
    result = invoke(app, "db", "revision", "--module", "nosuch", "-m", "x")
    assert result.exit_code == 1 and "Module 'nosuch' is not installed." in result.output
    result = invoke(app, "db", "revision", "--module", "sales", "-m", "x")
    assert result.exit_code == 0 and "Nothing to do" in result.output, result.output
