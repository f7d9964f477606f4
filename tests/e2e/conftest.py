"""Browser tests: a live server on a random port, driven by Debian's Chromium through Playwright.

One browser per session, a fresh browser context (cookies, storage) per test. The app is built
like the root `app` fixture (same database, reference data seeded) but with Chinese as the default
language and real CSRF protection, so the forms are exercised as a user would submit them.

Without /usr/bin/chromium (or ERP_CHROMIUM) or the playwright package the tests are skipped;
with ERP_REQUIRE_BROWSER=1 (CI) they fail instead. Playwright's own browser download is never
used: `playwright install` is not needed.
"""
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, app_config

CHROMIUM = os.environ.get("ERP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO_ROOT = Path(__file__).resolve().parents[2]
# Screenshots (the test run's artefacts): test-artifacts/e2e/ in the checkout, or ERP_TEST_ARTIFACTS.
ARTIFACTS = Path(os.environ.get("ERP_TEST_ARTIFACTS") or REPO_ROOT / "test-artifacts" / "e2e")
TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    """Skip, or fail when the environment promises a browser (ERP_REQUIRE_BROWSER=1)."""
    if os.environ.get("ERP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ERP_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Every browser test is slow: `pytest -m "not slow"` leaves them out."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e .[test])")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ERP_CHROMIUM)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app(request, seeded_app):
    """Overrides the root `app`: Chinese first, CSRF on, reference data seeded."""
    return seeded_app(**app_config(request), ERP_LANGUAGE="zh_CN", WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(app):
    """Serve `app` on 127.0.0.1:<random port> in a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (no cookies); all are closed after the test."""
    contexts = []

    def new_page():
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800},
                                      locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()
    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def sign_in(page):
    """Sign in through the login form (on `page`, or `on`); returns once the next page has loaded."""
    def sign_in(username, password=PASSWORD, *, on=None):
        target = on or page
        target.goto("/login")
        target.fill("#username", username)
        target.fill("#password", password)
        with target.expect_navigation():
            target.click("#sign-in")
        assert "/login" not in target.url, f"sign-in as {username!r} failed: {target.inner_text('main')}"
        return target
    return sign_in


@pytest.fixture
def screenshot(request, page):
    """Save a full-page screenshot to ARTIFACTS/<test name>[-<suffix>].png; returns the path."""
    def screenshot(suffix: str = "", *, on=None) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name) + (f"-{suffix}" if suffix else "")
        path = ARTIFACTS / f"{name}.png"
        (on or page).screenshot(path=str(path), full_page=True)
        assert path.is_file() and path.stat().st_size > 0, f"empty screenshot {path}"
        return path
    return screenshot
