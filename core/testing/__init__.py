"""Test support for core and for modules: the pytest plugin (core.testing.plugin, loaded by the
``pytest11`` entry point ``erp``) and the helpers its fixtures use, importable by tests."""
from .database import (
                       SeededApps,
                       TestDatabase,
                       base_config,
                       installed_manifests,
                       modules_in_use,
                       reset_database,
)
from .helpers import (
                       PASSWORD,
                       ApiClient,
                       ErpCliRunner,
                       create_document,
                       department_id,
                       issue_token,
                       sign_in_as,
)

__all__ = ["PASSWORD", "ApiClient", "ErpCliRunner", "SeededApps", "TestDatabase", "base_config",
           "create_document", "department_id", "installed_manifests", "issue_token", "modules_in_use",
           "reset_database", "sign_in_as"]
