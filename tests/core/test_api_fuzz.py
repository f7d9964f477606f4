"""Schemathesis generates requests from /api/v1/openapi.json and runs every check it has on the
answers: no server error, every status, content type, header and body as documented, what the
schema forbids refused and what it allows accepted.

Driven from a plain test with Hypothesis (schemathesis' own pytest plugin does not support the
pytest version we use), one strategy per documented operation and generation mode.
"""
import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from core.api.models import ApiToken  # noqa: E402
from core.auth.models import Role, RolePermission, User  # noqa: E402
from core.extensions import db  # noqa: E402

pytestmark = [pytest.mark.workshop, pytest.mark.slow]

# A schema cannot say which referenced records exist or what the business rules allow: valid
# data may be refused with 422 when the type's own schema accepts it (checked below).
CONFIG = schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2XX", "401", "403", "404", "409", "422"]}}})


def test_every_schemathesis_check_passes_over_the_whole_api(app, make_user, client):
    with app.app_context():  # a user who may read and write every document type
        db.session.add(Role(code="ROLE-FUZZ", name="fuzz", grants=[
            RolePermission(code=code) for code in app.extensions["erp"].permissions]))
        db.session.commit()
    user_id = make_user("fuzzer", "ROLE-FUZZ")
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, user_id), "fuzz")
        db.session.add(token)
        db.session.commit()
    auth = {"Authorization": f"Bearer {secret}"}
    # A document to read, update and transition, so generated ids sometimes hit a real one.
    client.post("/api/v1/workshop/request", headers=auth,
                json={"title": "t", "amount": "1", "lines": [{"item": "i", "qty": 1}]})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG,
                                            headers={"Authorization": f"Bearer {secret}"})
    doctypes = {f"/api/v1/{d.module}/{d.slug}": d for d in app.extensions["erp"].doctypes.values()}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6 * len(doctypes) - 1
    checks.load_all_checks()
    every_check = checks.CHECKS.get_all()
    failures = []
    for operation in operations:
        for mode in GenerationMode:
            @given(case=operation.as_strategy(generation_mode=mode, headers=auth))
            @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                      derandomize=True)
            def check(case):
                response = case.call()
                try:
                    case.validate_response(response, checks=every_check, headers=auth)
                except BaseExceptionGroup as group:
                    failures.extend(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}: "
                                    f"{failure.title}: {failure.message}" for failure in group.exceptions)
                if mode.is_positive and response.status_code == 422 and case.method == "POST" \
                        and case.path in doctypes and doctypes[case.path].schema is not None:
                    with app.test_request_context():  # a default may read the settings
                        errors = doctypes[case.path].schema().validate(case.body)
                    if errors:  # refused by the schema the OpenAPI document describes
                        failures.append(f"POST {case.path} {case.body} -> 422 {errors}")
            check()
    assert failures == []
