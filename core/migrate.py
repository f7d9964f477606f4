"""Alembic with one branch per module (ARCHITECTURE.md principle 7).

version_locations lists every installed module's migrations folder (enabled or not) so that
revisions recorded in the database always resolve; upgrades go core first, then each enabled
module in dependency order.
"""
import os
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from .extensions import db

CORE_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(app=None) -> Config:
    app = app or current_app
    erp = app.extensions["erp"]
    locations = [str(CORE_MIGRATIONS / "versions")]
    for manifest in erp.manifests.values():
        path = manifest.migrations_path
        if path.is_dir():
            locations.append(str(path))
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    # The trap: without path_separator = os the joined locations are read as one path.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    return cfg


def upgrade(app=None) -> list[str]:
    """Upgrade core, then each enabled module; returns the branches upgraded."""
    app = app or current_app
    cfg = alembic_config(app)
    script = ScriptDirectory.from_config(cfg)
    branches = ["core"] + [m for m in app.extensions["erp"].enabled
                           if _has_branch(script, m)]
    for branch in branches:
        command.upgrade(cfg, f"{branch}@head")
    return branches


def _has_branch(script, label: str) -> bool:
    try:
        script.get_revision(f"{label}@head")
        return True
    except Exception:
        return False


def differences(app=None) -> list:
    """Differences between the migrated database and the enabled modules' models (should be [])."""
    app = app or current_app
    owned = {m.__tablename__ for models in app.extensions["erp"].models.values() for m in models}
    owned |= {t.name for t in db.metadata.tables.values()
              if any(fk.column.table.name in owned for fk in t.foreign_keys) and t.name in _association_tables()}

    def include(obj, name, type_, reflected, compare_to):
        # Only the enabled modules' tables: a disabled module's tables stay in the database, and
        # tables other code (tests) put in the shared metadata are not this app's.
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in owned if table else True

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
        return compare_metadata(ctx, db.metadata)


def _association_tables() -> set[str]:
    """Tables without a model class (many-to-many links such as user_role)."""
    mapped = {m.local_table.name for m in db.Model.registry.mappers}
    return {name for name in db.metadata.tables if name not in mapped}
