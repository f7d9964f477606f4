"""Every response tells the browser to run only this site's scripts, not to leak addresses to
other sites and, when cookies are HTTPS-only, to come back over HTTPS."""
import pytest


@pytest.mark.parametrize("path", ["/login", "/healthz", "/api/v1/nope", "/static/css/erp.css", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-eval" not in csp and "http" not in csp  # no third-party origin anywhere
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_when_cookies_are_https_only(make_app):
    assert "Strict-Transport-Security" not in make_app(SESSION_COOKIE_SECURE=False).test_client().get("/login").headers
    secure = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/login").headers
    assert secure["Strict-Transport-Security"].startswith("max-age=")


def test_pages_use_no_inline_script(client, login_as):
    """The policy forbids inline scripts; no page may need one."""
    login_as("ROLE-ADMIN")
    for path in ("/", "/admin/users", "/profile", "/profile/tokens"):
        page = client.get(path).get_data(as_text=True)
        assert page.count("<script") == page.count("<script src="), path
