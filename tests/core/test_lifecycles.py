"""SPEC 4.0's lifecycles L1-L5 as ready-made workflows."""
import pytest

from core.workflow import ApprovalStep, ByRole, lifecycles
from core.workflow.lifecycles import ARCHIVED, DRAFT

READERS = [ApprovalStep("manager", "Manager", ByRole("ROLE-MKT-MGR"))]


@pytest.mark.parametrize("build,path", [
    (lambda: lifecycles.application(READERS), ["submit", "approve", "archive"]),
    (lambda: lifecycles.notice(replies=True), ["issue", "acknowledge", "reply", "close"]),
    (lambda: lifecycles.report(READERS, forward=True), ["submit", "read", "forward", "archive"]),
    (lambda: lifecycles.record(), ["confirm", "archive"]),
    (lambda: lifecycles.review(READERS, owner_approval=True), ["submit", "review", "owner_approve", "close"]),
])
def test_each_lifecycle_walks_from_draft_to_its_end(build, path):
    workflow = build()
    state = workflow.initial
    assert state == DRAFT
    for name in path:
        transition = workflow.transition(name)
        assert state in transition.source, (name, state)
        state = transition.target
    assert state in (ARCHIVED, "closed")
    sent_back = [t for t in workflow.transitions if t.kind == "reject"]
    assert all(t.target == DRAFT and t.comment_required for t in sent_back)


def test_optional_states_only_when_asked():
    assert "replied" not in lifecycles.notice().states
    assert "forwarded" not in lifecycles.report(READERS).states
    assert "owner_approved" not in lifecycles.review(READERS).states
    assert ARCHIVED not in lifecycles.application(READERS, archive=False).states


@pytest.mark.workshop
def test_an_application_lifecycle_runs_in_the_engine(app, client, make_user):
    """The specimen document type uses lifecycles.application with a 总经理 step."""
    from core.api.models import ApiToken
    from core.auth.models import User
    from core.extensions import db
    from tests.conftest import sign_in_as
    am, pe = make_user("am", "ROLE-MKT-AM"), make_user("pe", "ROLE-ENG-PE")
    make_user("gm", "ROLE-GM")
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, am), "t")
        db.session.add(token)
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    doc = client.post("/api/v1/workshop/specimen", headers=headers, json={
        "title": "样表", "site": "一号楼", "inspector_id": pe}).get_json()
    assert client.post(f"/api/v1/workshop/specimen/{doc['id']}/transitions/submit", json={},
                       headers=headers).get_json()["state"] == "submitted"
    sign_in_as(client, "gm")
    client.post(f"/workshop/specimen/{doc['id']}/transitions/approve", data={"comment": ""})
    sign_in_as(client, "am")
    client.post(f"/workshop/specimen/{doc['id']}/transitions/archive", data={"comment": ""})
    page = client.get(f"/workshop/specimen/{doc['id']}").get_data(as_text=True)
    assert "Archived" in page
