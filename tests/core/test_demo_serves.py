"""The README's first command: `erp demo` prepares the database and really serves the app."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_erp_demo_serves_the_application(tmp_path):
    port = free_port()
    env = {**os.environ, "ERP_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
           "ERP_INSTANCE_PATH": str(tmp_path / "instance")}  # keys and passwords kept there, not in the checkout
    env.pop("ERP_TEST_DATABASE_URL", None)
    erp = Path(sys.executable).with_name("erp")
    process = subprocess.Popen([str(erp), "demo", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        health = None
        while time.time() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert health is not None, process.stdout.read() if process.poll() is not None else "no answer"
        assert '"database":"ok"' in health.replace(" ", "")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            assert response.status == 200 and "csrf_token" in response.read().decode()
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Demo users" in output and "ROLE-GM" in output
