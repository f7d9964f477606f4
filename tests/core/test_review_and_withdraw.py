"""Core rules of every workflow: nobody reviews what he owns, created or submitted (a transition
declared reviews=True, not only approval steps), and whoever submitted a document may withdraw it
(the transition `recall`, 撤回) until someone has acted on it. Driven through the workshop plugin:
`workshop.specimen` (hand_in → check/send_back, reviews) and `workshop.request` (approval steps)."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.org.models import Position, UserPosition
from core.testing import issue_token
from core.workflow import Transition, Workflow
from core.workflow.models import ApprovalTask, Submission
from tests.conftest import department_id, sign_in_as
from tests.core.test_documents import create

pytestmark = pytest.mark.workshop

OWN_REVIEW = "You cannot review a document you own, created or submitted: “Check” is for someone else."
NOT_YOURS = "Only whoever submitted this document may withdraw it, and only until someone has acted on it."


@pytest.fixture
def people(app, make_user):
    mkt = department_id(app, "MKT")
    ids = {"seller": make_user("seller", "ROLE-MKT-AM", department_id=mkt),
           "manager": make_user("manager", "ROLE-MKT-MGR", department_id=mkt),
           "deputy": make_user("deputy", "ROLE-MKT-MGR", department_id=mkt),
           "gm": make_user("gm", "ROLE-GM")}
    with app.app_context():  # the manager heads the department: he approves its requests
        pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user_id=ids["manager"], position_id=pos.id))
        db.session.commit()
    tokens = {name: {"Authorization": f"Bearer {issue_token(app, uid)}"} for name, uid in ids.items()}
    return {"ids": ids, "tokens": tokens}


def act(app, people, who, code, doc_id, name, **body):
    response = app.test_client().post(f"/api/v1/workshop/{code}/{doc_id}/transitions/{name}", json=body,
                                      headers=people["tokens"][who])
    return response.status_code, response.get_json()


def state(app, code, doc_id):
    with app.app_context():
        return db.session.get(app.extensions["erp"].doctypes[f"workshop.{code}"].model, doc_id).state


def buttons(client, who, path):
    sign_in_as(client, who)
    page = client.get(path).get_data(as_text=True)
    return {name for name in ("check", "send_back", "recall", "hand_in", "approve") if f'data-transition="{name}"' in page}


def test_the_owner_who_handed_it_in_cannot_check_it_someone_else_does(app, client, people, make_document):
    doc_id = make_document("workshop.specimen", owner=people["ids"]["manager"], site="A 楼")
    assert act(app, people, "manager", "specimen", doc_id, "hand_in")[0] == 200
    assert "check" not in buttons(client, "manager", f"/workshop/specimen/{doc_id}")
    status, body = act(app, people, "manager", "specimen", doc_id, "check")
    assert status == 403 and body["error"] == OWN_REVIEW
    status, body = act(app, people, "manager", "specimen", doc_id, "send_back", comment="再看看")
    assert status == 403 and "“Send back” is for someone else" in body["error"]
    assert state(app, "specimen", doc_id) == "checking"
    # A colleague holding the same permission checks it; it waited in his inbox, not the owner's.
    sign_in_as(client, "deputy")
    assert f"/workshop/specimen/{doc_id}" in client.get("/inbox").get_data(as_text=True)
    assert {"check", "send_back"} <= buttons(client, "deputy", f"/workshop/specimen/{doc_id}")
    assert act(app, people, "deputy", "specimen", doc_id, "check")[0] == 200
    assert state(app, "specimen", doc_id) == "checked"


def test_whoever_handed_in_a_colleagues_document_does_not_check_it(app, client, people, make_document):
    doc_id = make_document("workshop.specimen", owner=people["ids"]["seller"], site="B 楼")
    assert act(app, people, "manager", "specimen", doc_id, "hand_in")[0] == 200   # not his own document
    status, body = act(app, people, "manager", "specimen", doc_id, "check")
    assert status == 403 and body["error"] == OWN_REVIEW
    sign_in_as(client, "manager")
    assert f"/workshop/specimen/{doc_id}" not in client.get("/inbox").get_data(as_text=True)
    sign_in_as(client, "deputy")
    assert f"/workshop/specimen/{doc_id}" in client.get("/inbox").get_data(as_text=True)
    assert act(app, people, "deputy", "specimen", doc_id, "check")[0] == 200


def test_self_review_is_allowed_only_where_the_workflow_allows_self_approval(app, people, make_document,
                                                                              monkeypatch):
    workflow = app.extensions["erp"].doctypes["workshop.specimen"].workflow
    monkeypatch.setattr(workflow, "allow_self_approval", True)
    doc_id = make_document("workshop.specimen", owner=people["ids"]["manager"], site="C 楼")
    act(app, people, "manager", "specimen", doc_id, "hand_in")
    assert act(app, people, "manager", "specimen", doc_id, "check")[0] == 200


def test_a_submission_is_withdrawn_by_its_submitter_before_anyone_decides(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client, amount="1000")
    assert act(app, people, "seller", "request", doc_id, "submit")[0] == 200
    assert "recall" in buttons(client, "seller", f"/workshop/request/{doc_id}")
    assert "recall" not in buttons(client, "manager", f"/workshop/request/{doc_id}")
    status, body = act(app, people, "manager", "request", doc_id, "recall")
    assert status == 422 and body["error"] == NOT_YOURS and state(app, "request", doc_id) == "submitted"

    status, body = act(app, people, "seller", "request", doc_id, "recall")
    assert status == 200 and body["state"] == "draft"
    with app.app_context():
        assert db.session.scalars(select(ApprovalTask.status).where(ApprovalTask.doc_id == doc_id)).all() == ["withdrawn"]
    sign_in_as(client, "manager")
    assert f"/workshop/request/{doc_id}" not in client.get("/inbox").get_data(as_text=True)
    assert act(app, people, "manager", "request", doc_id, "approve")[0] == 422
    # Withdrawn, it is a draft again: edited and submitted anew, a new round is approved.
    sign_in_as(client, "seller")
    assert client.get(f"/workshop/request/{doc_id}/edit").status_code == 200
    assert act(app, people, "seller", "request", doc_id, "recall")[0] == 422   # nothing left to withdraw
    assert act(app, people, "seller", "request", doc_id, "submit")[0] == 200
    assert act(app, people, "manager", "request", doc_id, "approve")[0] == 200
    assert state(app, "request", doc_id) == "approved"
    assert act(app, people, "seller", "request", doc_id, "recall")[0] == 422


def test_no_withdrawal_after_the_first_approval_of_several(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client, amount="600000")          # manager, then the general manager
    act(app, people, "seller", "request", doc_id, "submit")
    assert act(app, people, "manager", "request", doc_id, "approve")[0] == 200
    assert state(app, "request", doc_id) == "submitted"
    assert "recall" not in buttons(client, "seller", f"/workshop/request/{doc_id}")
    status, body = act(app, people, "seller", "request", doc_id, "recall")
    assert status == 422 and body["error"] == NOT_YOURS and state(app, "request", doc_id) == "submitted"


def test_a_hand_in_for_review_is_withdrawn_until_it_is_checked(app, people, make_document):
    doc_id = make_document("workshop.specimen", owner=people["ids"]["manager"], site="D 楼")
    act(app, people, "manager", "specimen", doc_id, "hand_in")
    assert act(app, people, "manager", "specimen", doc_id, "recall")[1]["state"] == "draft"
    act(app, people, "manager", "specimen", doc_id, "hand_in")
    act(app, people, "deputy", "specimen", doc_id, "send_back", comment="补充照片")
    status, body = act(app, people, "manager", "specimen", doc_id, "recall")
    assert status == 422 and body["error"] == NOT_YOURS and state(app, "specimen", doc_id) == "draft"
    with app.app_context():
        assert db.session.scalars(select(Submission.status).where(Submission.doc_id == doc_id)
                                  .order_by(Submission.id)).all() == ["withdrawn", "decided"]


def test_recall_is_added_to_workflows_with_a_submission_only(app):
    doctypes = app.extensions["erp"].doctypes
    assert doctypes["workshop.request"].workflow.transition("recall").kind == "recall"
    assert "workshop.request.recall" not in app.extensions["erp"].permissions   # taken by the submitter
    plain = Workflow(states={"a": "A", "b": "B"}, initial="a", transitions=[Transition("go", "Go", ["a"], "b")])
    assert plain.transition("recall") is None
    kept = Workflow(states={"a": "A", "b": "B"}, initial="a", withdrawable=False,
                    transitions=[Transition("go", "Go", ["a"], "b"),
                                 Transition("ok", "OK", ["b"], "a", reviews=True)])
    assert kept.transition("recall") is None
    with pytest.raises(ValueError, match="reviews=True is for normal transitions"):
        Transition("approve", "Approve", ["b"], "a", kind="approve", reviews=True)
