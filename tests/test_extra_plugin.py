"""Core's suite does not count on which plugins are installed: it passes with one more installed
(tests/plugins/erp-plugin-extra: a document type, a permission given to core's roles, a menu
section, a widget, a setting, a command). Core's and the partner kit's quick tests are run again
(the modules' suites run with their own plugins on and off in their own tests; running all of
them again here costs CI about a quarter of its time)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "tests" / "plugins" / "erp-plugin-extra"


def installed_beside(tmp_path) -> dict:
    """An environment where erp-plugin-extra is installed: its package and its distribution's
    metadata (the entry point) on the path, as `pip install` would leave them, the venv untouched."""
    dist = tmp_path / "erp_plugin_extra-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: erp-plugin-extra\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[erp.modules]\nextra = erp_extra:MANIFEST\n")
    path = os.pathsep.join([str(EXTRA), str(tmp_path), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path.rstrip(os.pathsep)}


@pytest.mark.slow
def test_the_quick_suite_passes_with_one_more_plugin_installed(tmp_path):
    env = installed_beside(tmp_path)
    found = subprocess.run([sys.executable, "-c", "from core import plugins; print(plugins.discover()['extra'])"],
                           env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert "distribution='erp-plugin-extra'" in found.stdout, found.stdout + found.stderr
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", "-x",
                             "tests/core", "tests/kit", "tests/test_field_labels_distinct.py", "tests/test_fixtures.py"],
                            env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
