"""Alembic with one branch per module (ARCHITECTURE.md principle 7).

version_locations lists every installed module's migrations folder (enabled or not) so that
revisions recorded in the database always resolve; upgrades go core first, then each enabled
module in dependency order. revision() writes a module's next migration, check() compares each
module's models with what its migrations build, pending() names the branches not yet applied.
"""
import contextlib
import os
import re
import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app

from .extensions import db

CORE_MIGRATIONS = Path(__file__).parent / "migrations"
CORE = "core"


class MigrationError(RuntimeError):
    """Migrations cannot be generated, checked or applied as they are; the message is one sentence."""


def _locations(app) -> list[tuple[str, Path]]:
    """(owner, versions folder): core's, then each installed module's that has one."""
    found = [(CORE, CORE_MIGRATIONS / "versions")]
    for name, manifest in app.extensions["erp"].manifests.items():
        path = manifest.migrations_path
        if path.is_dir():
            found.append((name, path))
    # Migrations of modules this app does not know that the database may record (a test run's
    # plugins, passed as manifests to some of its apps): name -> versions folder.
    for name, path in (app.config.get("ERP_KNOWN_MIGRATIONS") or {}).items():
        if all(name != owner for owner, _ in found):
            found.append((name, Path(path)))
    return found


def alembic_config(app=None) -> Config:
    app = app or current_app
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    # The trap: without path_separator = os the joined locations are read as one path.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for _, p in _locations(app)))
    return cfg


# A revision file's `revision = "..."` line, read without importing the file.
_REVISION = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def revision_ids(app=None) -> dict[str, list[tuple[str, Path]]]:
    """Every revision id in the installed migrations -> [(owner, file)], owner "core" or a module."""
    app = app or current_app
    ids: dict[str, list[tuple[str, Path]]] = {}
    for owner, folder in _locations(app):
        for file in sorted(folder.glob("*.py")):
            match = _REVISION.search(file.read_text(encoding="utf-8"))
            if match:
                ids.setdefault(match.group(1), []).append((owner, file))
    return ids


def revision_clashes(app=None) -> list[str]:
    """A sentence per revision id used by two files (Alembic would silently keep one of them)."""
    sentences = []
    for rev, places in sorted(revision_ids(app).items()):
        if len(places) > 1:
            where = " and ".join(f"{_owner(o)} ({f.name})" for o, f in places)
            sentences.append(f"Revision id {rev!r} is used by both {where}: give one of them another id.")
    return sentences


def _owner(name: str) -> str:
    return "core" if name == CORE else f"module {name!r}"


def script_directory(app=None) -> ScriptDirectory:
    """Alembic's view of every installed migration; MigrationError on a revision id clash."""
    app = app or current_app
    clashes = revision_clashes(app)
    if clashes:
        raise MigrationError(clashes[0])
    return ScriptDirectory.from_config(alembic_config(app))


def branches(app=None, script=None) -> list[str]:
    """core, then each enabled module that has migrations, in dependency order."""
    app = app or current_app
    script = script or script_directory(app)
    return [CORE] + [m for m in app.extensions["erp"].enabled if _has_branch(script, m)]


def upgrade(app=None) -> list[str]:
    """Upgrade core, then each enabled module; returns the branches upgraded."""
    app = app or current_app
    cfg = alembic_config(app)
    names = branches(app, script_directory(app))
    for branch in names:
        command.upgrade(cfg, f"{branch}@head")
    return names


def _has_branch(script, label: str) -> bool:
    try:
        script.get_revision(f"{label}@head")
        return True
    except CommandError:  # no revision carries that branch label
        return False


# ---- unapplied migrations --------------------------------------------------------------------
def pending(app=None) -> list[str]:
    """The branches (core, enabled modules) whose head revision the database has not applied:
    one read of alembic_version."""
    app = app or current_app
    script = script_directory(app)
    names = branches(app, script)
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    known = []
    for rev in current:  # a revision of a module uninstalled since: not ours to judge
        with contextlib.suppress(Exception):
            script.get_revision(rev)
            known.append(rev)
    applied = {r.revision for r in script.iterate_revisions(tuple(known), "base")} if known else set()
    return [b for b in names if script.get_revision(f"{b}@head").revision not in applied]


def pending_sentence(names: list[str]) -> str:
    """The operator's sentence (English, for the command line and the log)."""
    return (f"The database lacks the migrations of {', '.join(names)}: run `erp db upgrade` "
            f"before using the system.")


def differences(app=None) -> list:
    """Differences between the migrated database and the enabled modules' models (should be [])."""
    app = app or current_app
    owned = set(table_owners(app))

    def include(obj, name, type_, reflected, compare_to):
        # Only the enabled modules' tables: a disabled module's tables stay in the database, and
        # tables other code (tests) put in the shared metadata are not this app's.
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in owned if table else True

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
        return compare_metadata(ctx, db.metadata)


def table_owners(app=None) -> dict[str, str]:
    """Table name -> the enabled module (or core) whose models own it, with the many-to-many
    tables (no model class of their own) their relationships go through."""
    from sqlalchemy import Table, inspect
    app = app or current_app
    owners: dict[str, str] = {}
    for module, models in app.extensions["erp"].models.items():
        for model in models:
            owners[model.__tablename__] = module
            for relationship in inspect(model).relationships:
                if isinstance(relationship.secondary, Table):
                    owners.setdefault(relationship.secondary.name, module)
    return owners


# ---- generating and checking a module's migrations -------------------------------------------
@contextlib.contextmanager
def scratch_app(app, modules: list[str]):
    """An app like `app` with `modules` enabled, on an empty SQLite database in a temporary folder
    migrated to the heads: what the migrations build, whatever state the configured database is in
    (and no database server needed, e.g. in a partner's CI)."""
    from . import create_app
    with tempfile.TemporaryDirectory(prefix="erp-migrations-") as folder:
        scratch = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/scratch.sqlite3",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "ERP_MANIFESTS": app.extensions["erp"].manifests,
            "ERP_MODULES": list(modules),
            "SECRET_KEY": app.config["SECRET_KEY"],
            "ERP_AUDIT_KEY": app.config["ERP_AUDIT_KEY"],
        })
        with scratch.app_context():
            try:
                try:
                    upgrade(scratch)
                except MigrationError:
                    raise
                except Exception as exc:
                    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise MigrationError(f"The migrations fail on an empty database: "
                                         f"{exc.__class__.__name__}: {first_line}") from exc
                yield scratch
            finally:
                db.session.remove()
                db.engine.dispose()


def _table_of(obj, name, type_) -> str | None:
    return name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)


def _unowned_by_models(name: str, owners: dict) -> bool:
    """A table the migrations made that no loaded model declares (its model was removed)."""
    return name not in owners and name not in db.metadata.tables and name != "alembic_version"


def next_revision_id(app, name: str) -> str:
    """`<module><number>`, one more than the module's highest number, never an id already used."""
    ids = revision_ids(app)
    numbers = [int(m.group()) for rev, places in ids.items() if any(o == name for o, _ in places)
               for m in [re.search(r"\d+$", rev)] if m]
    number = max(numbers, default=0) + 1
    while f"{name}{number:04d}" in ids:
        number += 1
    return f"{name}{number:04d}"


def revision(app, name: str, message: str) -> Path | None:
    """Write module `name`'s next migration, autogenerated from its models, into its own
    migrations/versions folder on its own branch; None when nothing differs.

    The comparison base is a temporary SQLite database migrated to the current heads (of core, the
    module's dependencies and the module), so the configured database's state does not matter.
    Only the module's tables are compared; SQLite's batch mode is rendered, which PostgreSQL runs
    as plain ALTERs, so one file serves both.
    """
    from alembic.autogenerate import produce_migrations, render_python_code

    from . import plugins
    erp = app.extensions["erp"]
    if name == CORE or name not in erp.manifests:
        raise MigrationError(f"Module {name!r} is not installed.")
    if name not in erp.enabled:
        raise MigrationError(f"Module {name!r} is not enabled, so its models cannot be compared: "
                             f"run `erp modules enable {name}` first.")
    folder = erp.manifests[name].migrations_path
    folder.mkdir(parents=True, exist_ok=True)
    script = script_directory(app)
    rev_id = next_revision_id(app, name)
    needs = plugins.requirements(name, erp.manifests)
    first = not _has_branch(script, name)
    with scratch_app(app, needs + [name]) as scratch:
        owners = table_owners(scratch)
        own = {t for t, owner in owners.items() if owner == name}
        if first and not own:
            raise MigrationError(f"Module {name!r} declares no models (erp_models): there is nothing to migrate.")

        def include(obj, obj_name, type_, reflected, compare_to):
            table = _table_of(obj, obj_name, type_)
            return table is None or table in own or (reflected and _unowned_by_models(table, owners))

        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": include, "render_as_batch": True,
                "target_metadata": db.metadata})
            produced = produce_migrations(context, db.metadata)
            if produced.upgrade_ops.is_empty():
                return None
            upgrades, downgrades = (_tidy(render_python_code(ops, render_as_batch=True, migration_context=context))
                                    for ops in (produced.upgrade_ops, produced.downgrade_ops))
    if first:
        heads = [script.get_revision(f"{b}@head").revision for b in [CORE] + needs if _has_branch(script, b)]
        created = script.generate_revision(rev_id, message, head="base", branch_labels=[name],
                                           version_path=str(folder), depends_on=heads,
                                           upgrades=upgrades, downgrades=downgrades)
    else:
        created = script.generate_revision(rev_id, message, head=f"{name}@head", version_path=str(folder),
                                           upgrades=upgrades, downgrades=downgrades)
    return Path(created.path)


def _tidy(code: str) -> str:
    """Alembic's rendering without its "commands auto generated" banner lines, for the template
    (which indents the first line itself)."""
    lines = [line for line in code.splitlines() if not line.strip().startswith("# ###")]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).strip("\n").lstrip()


def check(app=None, configured: bool = False) -> dict[str, list[str]]:
    """Each module's (core's first) models compared with what its migrations build: module ->
    readable differences ([] when they agree). By default against a temporary database migrated
    to the heads; `configured=True` compares with the configured database instead."""
    app = app or current_app
    enabled = app.extensions["erp"].enabled
    result: dict[str, list[str]] = {CORE: [], **{m: [] for m in enabled}}
    if configured:
        return _grouped(app, differences(app), result, "the database")
    with scratch_app(app, enabled) as scratch:
        owners = table_owners(scratch)

        def include(obj, name, type_, reflected, compare_to):
            table = _table_of(obj, name, type_)
            return table is None or table in owners or (reflected and _unowned_by_models(table, owners))

        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
            return _grouped(scratch, compare_metadata(context, db.metadata), result, "the migrations")


def _grouped(app, diffs: list, result: dict, where: str) -> dict[str, list[str]]:
    owners = table_owners(app)
    for diff in diffs:
        for item in diff if isinstance(diff, list) else [diff]:
            table = _diff_table(item)
            owner = owners.get(table) or _owner_by_prefix(table, result)
            result.setdefault(owner, []).append(describe(item, where))
    return result


def _owner_by_prefix(table: str, modules) -> str:
    """A table no model owns: the module its name starts with (tables are named <module>_...)."""
    matches = [m for m in modules if m != CORE and table.startswith(f"{m}_")]
    return max(matches, key=len) if matches else CORE


def _diff_table(item) -> str:
    kind = item[0]
    if kind in ("add_table", "remove_table"):
        return item[1].name
    if kind.startswith("modify_") or kind in ("add_column", "remove_column"):
        return item[2]
    return item[1].table.name  # indexes, constraints, foreign keys


def describe(item, where: str = "the migrations") -> str:
    """One line for one of Alembic's comparison results."""
    kind = item[0]
    added = kind.startswith("add_")
    side = "in the models, not in " + where if added else f"in {where}, not in the models"
    if kind in ("add_table", "remove_table"):
        return f"table {item[1].name}: {side}"
    if kind in ("add_column", "remove_column"):
        return f"column {item[2]}.{item[3].name}: {side}"
    if kind in ("add_index", "remove_index"):
        index = item[1]
        return f"index {index.name} on {index.table.name} ({', '.join(c.name for c in index.columns)}): {side}"
    if kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        what = "foreign key" if kind.endswith("_fk") else "constraint"
        constraint = item[1]
        columns = ", ".join(c.name for c in constraint.columns)
        return f"{what} {constraint.name} on {constraint.table.name} ({columns}): {side}"
    if kind.startswith("modify_"):
        _, _, table, column, _, old, new = item
        if kind == "modify_nullable":
            old, new = ("NULL" if v else "NOT NULL" for v in (old, new))
        label = kind.removeprefix("modify_")
        return f"column {table}.{column}: {label} {old} in {where}, {new} in the models"
    return f"{kind}: {item[1:]}"
