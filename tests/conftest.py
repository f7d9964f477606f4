"""What is particular to core's own suite. The fixtures (app, client, runner, make_user, login_as,
make_document, api_client...) come from core's pytest plugin, core.testing.plugin."""
import os

import pytest

# Core's tests import these from here.
from core.testing import (  # noqa: F401
    PASSWORD,
    base_config,
    department_id,
    reset_database,
    sign_in_as,
)
from core.testing.database import PG_URL_VARIABLE
from core.testing.plugin import app_config  # noqa: F401
from tests.plugins.workshop import MANIFEST as WORKSHOP

PG_URL = os.environ.get(PG_URL_VARIABLE)


def pytest_collection_modifyitems(items):
    """`workshop`: the app also runs the test document types of tests/plugins/workshop."""
    for item in items:
        if item.get_closest_marker("workshop") is not None:
            item.add_marker(pytest.mark.manifests(WORKSHOP))
