"""A page on another origin, opened by a signed-in 客户经理 in the same browser, cannot change
anything: not through the API (the cookie alone never writes; forms cannot send JSON) nor through
the pages (every form needs its CSRF token)."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.auth.models import User
from core.extensions import db

pytestmark = pytest.mark.e2e

ATTACK = """<!doctype html><html><body>
<form id="api" method="post" action="{app}/api/v1/sales/customer/{id}/transitions/mark_dormant" target="f1">
  <input name="comment" value="forged"></form>
<form id="page" method="post" action="{app}/sales/customer/{id}/transitions/mark_dormant" target="f2">
  <input name="comment" value="forged"></form>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<script>
document.getElementById("api").submit();
document.getElementById("page").submit();
const url = "{app}/api/v1/sales/customer/{id}";
window.results = Promise.allSettled([
  fetch(url + "/transitions/mark_dormant", {{method: "POST", credentials: "include", mode: "no-cors",
        headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{comment: "forged"}})}}),
  fetch(url, {{method: "PATCH", credentials: "include", headers: {{"Content-Type": "application/json"}},
        body: JSON.stringify({{title: "forged", version: 1}})}}),
]).then(r => r.map(x => x.status === "fulfilled" ? x.value.status : "refused"));
</script></body></html>"""


@pytest.fixture
def attacker_site():
    """Serves one page from another origin (another port of the same host, hence the same site:
    SameSite cookies are sent along)."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


@pytest.mark.modules("sales")
def test_a_page_on_another_origin_cannot_write(app, live_server, page, sign_in, attacker_site):
    from modules.sales.models import Area
    with app.app_context():
        from core.seed import create_user
        from tests.conftest import PASSWORD
        user = create_user("am1", PASSWORD, ["ROLE-MKT-AM"], "客户经理一")
        area = Area(code="SZ", name="深圳片区")
        db.session.add(area)
        db.session.flush()
        token, secret = ApiToken.issue(db.session.get(User, user.id), "setup")
        db.session.add(token)
        db.session.commit()
        area_id = area.id
    created = app.test_client().post("/api/v1/sales/customer", headers={"Authorization": f"Bearer {secret}"},
                                      json={"title": "深圳市第一人民医院", "industry": "government", "area_id": area_id})
    assert created.status_code == 201, created.get_json()
    customer = created.get_json()

    sign_in("am1")
    origin, pages = attacker_site
    pages["/"] = ATTACK.format(app=live_server, id=customer["id"])
    page.goto(origin + "/")
    page.wait_for_load_state("networkidle")
    statuses = page.evaluate("window.results")
    assert statuses[0] == 0  # an opaque no-cors answer: whatever it was, nothing may have changed
    assert statuses[1] == "refused"  # the cross-origin PATCH was not let through (no CORS)

    with app.app_context():
        from modules.sales.models import Customer
        row = db.session.scalar(select(Customer).where(Customer.id == customer["id"]))
        assert (row.state, row.title, row.version) == ("potential", "深圳市第一人民医院", customer["version"])
    # The user is still signed in and the page itself works.
    page.goto(live_server + f"/sales/customer/{customer['id']}")
    assert "深圳市第一人民医院" in page.inner_text("main")
