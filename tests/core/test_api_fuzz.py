"""Schemathesis generates requests from /api/v1/openapi.json; no input may cause a server error.

Driven from a plain test with Hypothesis (schemathesis' own pytest plugin does not support the
pytest version we use), one strategy per documented operation.
"""
import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from core.api.models import ApiToken  # noqa: E402
from core.extensions import db  # noqa: E402

pytestmark = pytest.mark.workshop


def test_no_generated_request_causes_a_server_error(app, make_user, client):
    user_id = make_user("fuzzer", "ROLE-MKT-MGR")
    with app.app_context():
        from core.auth.models import User
        token, secret = ApiToken.issue(db.session.get(User, user_id), "fuzz")
        db.session.add(token)
        db.session.commit()
    # A document to read, update and transition, so generated ids sometimes hit a real one.
    client.post("/api/v1/workshop/request", headers={"Authorization": f"Bearer {secret}"},
                json={"title": "t", "amount": "1", "lines": [{"item": "i", "qty": 1}]})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers={"Authorization": f"Bearer {secret}"})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            content_type = str(response.headers.get("Content-Type") or response.headers.get("content-type"))
            if response.status_code >= 500 or "application/json" not in content_type:
                failures.append((case.method, case.formatted_path, response.status_code, response.text[:200]))
        check()
    assert failures == []
