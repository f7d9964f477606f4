"""Workflows and approvals, through the test document type `workshop.request`."""
import json
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.extensions import db
from core.org.models import Position, UserPosition
from core.workflow import Issue
from core.workflow.models import ApprovalTask, Delegation
from tests.conftest import department_id, sign_in_as
from tests.core.test_documents import create, model

pytestmark = pytest.mark.workshop


@pytest.fixture
def people(app, make_user):
    """A seller in the market department, its manager (head), a deputy, and two GMs."""
    mkt = department_id(app, "MKT")
    ids = {
        "seller": make_user("seller", "ROLE-MKT-AM", department_id=mkt),
        "manager": make_user("manager", "ROLE-MKT-MGR", department_id=mkt),
        "deputy": make_user("deputy", "ROLE-MKT-MGR", department_id=mkt),
        "gm": make_user("gm", "ROLE-GM"),
        "gm2": make_user("gm2", "ROLE-GM"),
        "outsider": make_user("outsider", "ROLE-MKT-AM", department_id=mkt),
    }
    with app.app_context():
        pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user_id=ids["manager"], position_id=pos.id))
        db.session.commit()
    return ids


def act(client, doc_id, name, comment="", version=None):
    data = {"comment": comment}
    if version is not None:
        data["version"] = str(version)
    return client.post(f"/workshop/request/{doc_id}/transitions/{name}", data=data, follow_redirects=True)


def state(app, doc_id):
    with app.app_context():
        return db.session.get(model(app), doc_id).state


def test_submit_fixes_approvers_and_manager_approval_finishes(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client, amount="1000")
    page = act(client, doc_id, "submit").get_data(as_text=True)
    assert state(app, doc_id) == "submitted"
    with app.app_context():
        tasks = db.session.scalars(select(ApprovalTask).where(ApprovalTask.doc_id == doc_id)).all()
        assert {t.user_id for t in tasks} == {people["manager"]} and tasks[0].status == "open"
    # The seller cannot approve; the manager sees it waiting and approves.
    assert 'data-transition="approve"' not in page
    sign_in_as(client, "manager")
    assert "QR-" in client.get("/inbox").get_data(as_text=True)
    assert "data-transition=\"approve\"" in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    act(client, doc_id, "approve", "同意")
    assert state(app, doc_id) == "approved"
    assert "QR-" not in client.get("/inbox").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "transition").order_by(AuditEntry.id)).all()[-1]
        assert json.loads(entry.changes) == {"transition": "approve", "from": "submitted", "to": "approved",
                                             "comment": "同意", "step": "manager", "on_behalf_of": None}


def test_amount_threshold_adds_the_general_manager_step(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client, amount="600000")
    act(client, doc_id, "submit")
    sign_in_as(client, "manager")
    act(client, doc_id, "approve")
    assert state(app, doc_id) == "submitted"  # the GM step is now open
    sign_in_as(client, "gm")
    act(client, doc_id, "approve")
    assert state(app, doc_id) == "approved"
    print_page = client.get(f"/workshop/request/{doc_id}/print").get_data(as_text=True)
    assert "manager" in print_page and "gm" in print_page  # signature boxes name the approvers


def test_rejection_needs_a_comment_and_returns_to_draft(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    sign_in_as(client, "manager")
    page = act(client, doc_id, "reject").get_data(as_text=True)
    assert "A comment is required for this action." in page and state(app, doc_id) == "submitted"
    act(client, doc_id, "reject", "价格太高")
    assert state(app, doc_id) == "draft"
    with app.app_context():
        statuses = db.session.scalars(select(ApprovalTask.status).where(ApprovalTask.doc_id == doc_id)).all()
        assert statuses == ["rejected"]


def test_conditions_block_with_their_reason(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client, **{"lines-0-item": "", "lines-0-qty": "", "lines-0-price": ""})
    page = act(client, doc_id, "submit").get_data(as_text=True)
    assert "请至少填写一行明细" in page and state(app, doc_id) == "draft"


def test_self_approval_is_refused(app, client, people):
    # The manager owns the document: no one else heads the department, so submit is refused.
    sign_in_as(client, "manager")
    doc_id = create(client)
    page = act(client, doc_id, "submit").get_data(as_text=True)
    assert "self-approval is not allowed" in page and state(app, doc_id) == "draft"


def test_wrong_user_and_wrong_state_are_refused(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    assert "not possible while" in act(client, doc_id, "approve").get_data(as_text=True)
    act(client, doc_id, "submit")
    sign_in_as(client, "outsider")
    assert client.post(f"/workshop/request/{doc_id}/transitions/approve").status_code == 404  # not visible
    assert state(app, doc_id) == "submitted"


def test_n_of_m_approvals(app, client, people, monkeypatch):
    from tests.plugins.workshop import hooks
    from core.workflow import ApprovalStep, ByRole
    monkeypatch.setattr(hooks.WORKFLOW, "steps", [ApprovalStep("board", "Board", ByRole("ROLE-GM"), required=2)])
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    sign_in_as(client, "gm")
    act(client, doc_id, "approve")
    assert state(app, doc_id) == "submitted"
    sign_in_as(client, "gm2")
    act(client, doc_id, "approve")
    assert state(app, doc_id) == "approved"


def test_delegation_lets_a_deputy_approve_on_behalf(app, client, people):
    with app.app_context():
        db.session.add(Delegation(from_user_id=people["manager"], to_user_id=people["deputy"],
                                  starts_on=date.today() - timedelta(days=1), ends_on=date.today() + timedelta(days=3)))
        db.session.commit()
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    sign_in_as(client, "deputy")
    assert "QR-" in client.get("/inbox").get_data(as_text=True)
    act(client, doc_id, "approve", "代批")
    assert state(app, doc_id) == "approved"
    with app.app_context():
        task = db.session.scalar(select(ApprovalTask).where(ApprovalTask.doc_id == doc_id))
        assert task.user_id == people["manager"] and task.decided_by_id == people["deputy"]


def test_delegation_form_validates(client, people):
    sign_in_as(client, "manager")
    response = client.post("/delegations", data={"to_user_id": "999", "starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert response.status_code == 400


def test_stale_version_conflicts(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    page = act(client, doc_id, "submit", version=0).get_data(as_text=True)
    assert "seller acted on this document first; it is now Draft." in page and state(app, doc_id) == "draft"


def test_hook_erp_validate_transition(app, client, people):
    from core.hookspecs import hookimpl

    class Rule:
        @staticmethod
        @hookimpl
        def erp_validate_transition(document, transition, user):
            if transition.name == "submit" and document.amount > 100_000:
                return [Issue("金额超过十万元须先电话报备")]
            return []
    app.extensions["erp"].pm.register(Rule, name="rule")
    sign_in_as(client, "seller")
    doc_id = create(client, amount="200000")
    assert "金额超过十万元须先电话报备" in act(client, doc_id, "submit").get_data(as_text=True)
    assert state(app, doc_id) == "draft"


def test_hook_erp_transition_done(app, client, people):
    from core.hookspecs import hookimpl
    seen = []

    class Listener:
        @staticmethod
        @hookimpl
        def erp_transition_done(document, transition, user):
            seen.append((document.number, transition.name, document.state))
    app.extensions["erp"].pm.register(Listener, name="listener")
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    assert seen and seen[-1][1:] == ("submit", "submitted")


def test_hook_erp_document_types(app):
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    assert doctype.model.__doctype__ is doctype
    assert "workshop.request.submit" in app.extensions["erp"].permissions
    assert app.url_map.bind("localhost").match("/workshop/request/5")[0] == "workshop.request_detail"


def test_dashboard_counts_what_waits_for_me(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    sign_in_as(client, "manager")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/inbox"' in page and '<div class="display-6">1</div>' in page


def test_concurrent_approvals_exactly_one_wins(app, people):
    """Two people act on the same document at once: one succeeds, the other gets a conflict."""
    from core.workflow import engine
    from core.auth.models import User
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    with app.app_context():
        Request = model(app)
        seller = db.session.get(User, people["seller"])
        doc = Request(title="并发", amount=100, state="draft", owner_id=seller.id,
                      department_id=seller.department_id, number="QR-T-1")
        from tests.plugins.workshop.hooks import RequestLine
        doc.lines.append(RequestLine(item="x", qty=1, price=1))
        db.session.add(doc)
        db.session.commit()
        doc_id = doc.id
        engine.perform(doctype, doc, "submit", seller)
    results, barrier = [], threading.Barrier(2)
    # The deputy acts for the manager (delegation) while the manager approves: same task, two people.
    with app.app_context():
        db.session.add(Delegation(from_user_id=people["manager"], to_user_id=people["deputy"],
                                  starts_on=date.today(), ends_on=date.today()))
        db.session.commit()
    threads = [threading.Thread(target=approve_as, args=(app, doctype, doc_id, n, barrier, results))
               for n in ("manager", "deputy")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) in (["conflict", "ok"], ["ok", "refused"]), results
    with app.app_context():
        assert db.session.get(model(app), doc_id).state == "approved"
        decided = db.session.scalars(select(ApprovalTask.status).where(ApprovalTask.doc_id == doc_id)).all()
        assert decided == ["approved"]


def approve_as(app, doctype, doc_id, name, barrier, results):
    from core.auth.models import User
    from core.workflow import engine
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == name))
        document = db.session.get(model(app), doc_id)
        engine.available(doctype, document, user)  # read everything before both write
        barrier.wait()
        try:
            engine.perform(doctype, document, "approve", user, "并发")
            results.append("ok")
        except engine.Conflict:
            results.append("conflict")
        except engine.TransitionRefused:  # the winner committed before this one looked again
            results.append("refused")
        except Exception as exc:  # a database lock error would also be a failure to report
            results.append(f"{type(exc).__name__}: {exc}")
        finally:
            db.session.remove()


# ---- two approvers at the same instant, through real requests (issue #10, item 3) ---------------
def submitted_to_both_gms(app, people, count: int) -> list[int]:
    """`count` documents of the seller, submitted to one step that either GM completes alone."""
    from flask import g
    from core.auth.models import User
    from core.workflow import engine
    from tests.plugins.workshop.hooks import RequestLine
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    ids = []
    with app.app_context():
        seller = db.session.get(User, people["seller"])
        g.audit_user = seller
        for n in range(count):
            doc = model(app)(title=f"并发 {n}", amount=100, state="draft", owner_id=seller.id,
                             department_id=seller.department_id, number=f"QR-R-{n}")
            doc.lines.append(RequestLine(item="x", qty=1, price=1))
            db.session.add(doc)
            db.session.commit()
            engine.perform(doctype, doc, "submit", seller)
            ids.append(doc.id)
    return ids


def race(clients: dict, post) -> dict:
    """Each client posts at the same instant (threads, each request on its own connection);
    returns {name: response}."""
    barrier, responses = threading.Barrier(len(clients)), {}

    def run(name, client):
        barrier.wait()
        responses[name] = post(name, client)
    threads = [threading.Thread(target=run, args=item) for item in clients.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


def rounds():
    from tests.conftest import PG_URL
    return 50 if PG_URL else 10


@pytest.mark.slow
@pytest.mark.parametrize("through", ["api", "pages"])
def test_two_approvers_at_the_same_instant_one_wins_the_other_gets_409_naming_him(app, people, monkeypatch, through):
    from core.api.models import ApiToken
    from core.auth.models import User
    from core.workflow import ApprovalStep, ByRole
    from tests.plugins.workshop import hooks
    monkeypatch.setattr(hooks.WORKFLOW, "steps", [ApprovalStep("board", "Board", ByRole("ROLE-GM"), required=1)])
    doc_ids = submitted_to_both_gms(app, people, rounds())
    clients, headers = {}, {}
    for name in ("gm", "gm2"):
        clients[name] = app.test_client()
        if through == "pages":
            sign_in_as(clients[name], name)
        else:
            with app.app_context():
                token, secret = ApiToken.issue(db.session.get(User, people[name]), "race")
                db.session.add(token)
                db.session.commit()
            headers[name] = {"Authorization": f"Bearer {secret}"}
    for doc_id in doc_ids:
        if through == "pages":  # the version each approver's page showed
            responses = race(clients, lambda name, client: client.post(
                f"/workshop/request/{doc_id}/transitions/approve", data={"comment": "同意", "version": "2"}))
        else:  # no version: the API lets a client leave it out
            responses = race(clients, lambda name, client: client.post(
                f"/api/v1/workshop/request/{doc_id}/transitions/approve", json={"comment": "同意"},
                headers=headers[name]))
        statuses = sorted(r.status_code for r in responses.values())
        assert statuses == ([200, 409] if through == "api" else [302, 409]), \
            {n: (r.status_code, r.get_data(as_text=True)[-300:]) for n, r in responses.items()}
        winner = next(n for n, r in responses.items() if r.status_code != 409)
        loser = next(n for n, r in responses.items() if r.status_code == 409)
        message = responses[loser].get_json()["error"] if through == "api" else responses[loser].get_data(as_text=True)
        assert f"{winner} acted on this document first" in message, message
        with app.app_context():
            decided = db.session.execute(select(ApprovalTask.status, ApprovalTask.decided_by_id).where(
                ApprovalTask.doc_id == doc_id).order_by(ApprovalTask.status)).all()
            assert decided == [("approved", people[winner]), ("skipped", None)]
            assert db.session.get(model(app), doc_id).state == "approved"


# ---- nobody approves what he owns or submitted, whoever's task he acts on (item 10) -------------
@pytest.mark.parametrize("submitter, deputy", [("seller", "seller"), ("gm", "seller"), ("gm", "gm")],
                         ids=["owner-and-submitter", "owner-not-submitter", "submitter-not-owner"])
def test_no_self_approval_through_a_delegation(app, client, people, submitter, deputy):
    sign_in_as(client, "seller")
    doc_id = create(client)
    sign_in_as(client, submitter)
    act(client, doc_id, "submit")
    assert state(app, doc_id) == "submitted"
    with app.app_context():  # the manager, the only approver, delegates to the owner or submitter
        db.session.add(Delegation(from_user_id=people["manager"], to_user_id=people[deputy],
                                  starts_on=date.today(), ends_on=date.today()))
        db.session.commit()
    sign_in_as(client, deputy)
    assert 'data-transition="approve"' not in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    inbox = client.get("/inbox").get_data(as_text=True)
    if deputy == submitter:  # what he submitted does not wait for him, even as a deputy
        assert f"/workshop/request/{doc_id}" not in inbox
    page = act(client, doc_id, "approve", "自己批").get_data(as_text=True)
    assert "You cannot decide on a document you own or submitted" in page
    api = client.post(f"/api/v1/workshop/request/{doc_id}/transitions/approve", json={},
                      headers=bearer(app, people[deputy]))
    assert api.status_code == 403 and "You cannot decide" in api.get_json()["error"]
    assert state(app, doc_id) == "submitted"
    sign_in_as(client, "manager")  # the approver himself still can
    act(client, doc_id, "approve")
    assert state(app, doc_id) == "approved"


def test_the_submitter_is_not_made_an_approver(app, client, people):
    # The manager submits the seller's request: he is its department's only approver.
    sign_in_as(client, "seller")
    doc_id = create(client)
    sign_in_as(client, "manager")
    page = act(client, doc_id, "submit").get_data(as_text=True)
    assert "self-approval is not allowed" in page and state(app, doc_id) == "draft"


def bearer(app, user_id) -> dict:
    from core.api.models import ApiToken
    from core.auth.models import User
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, user_id), "test")
        db.session.add(token)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


# ---- edit guards and unknown actions, web and API ----------------------------------------------
def edits(app, client, doc_id, user_id) -> tuple:
    """(web status, API status) of editing the document as the signed-in user, and its title after."""
    with app.app_context():
        version = db.session.get(model(app), doc_id).version
    from tests.core.test_documents import request_form
    web = client.post(f"/workshop/request/{doc_id}/edit", data=request_form(title="改掉", version=str(version)))
    api = client.patch(f"/api/v1/workshop/request/{doc_id}", json={"title": "改掉", "version": version},
                       headers=bearer(app, user_id))
    with app.app_context():
        assert db.session.get(model(app), doc_id).title == "交换机采购"
    return web.status_code, api.status_code


def test_only_the_owner_edits_and_only_a_draft(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    sign_in_as(client, "manager")  # sees his department's requests and may edit his own: not this one
    assert client.get(f"/workshop/request/{doc_id}/edit").status_code == 403
    assert edits(app, client, doc_id, people["manager"]) == (403, 403)
    sign_in_as(client, "seller")
    act(client, doc_id, "submit")
    assert edits(app, client, doc_id, people["seller"]) == (403, 403)  # submitted
    sign_in_as(client, "manager")
    act(client, doc_id, "approve")
    sign_in_as(client, "seller")
    assert state(app, doc_id) == "approved"
    assert edits(app, client, doc_id, people["seller"]) == (403, 403)  # approved


def test_an_unknown_action_is_a_clear_error(app, client, people):
    sign_in_as(client, "seller")
    doc_id = create(client)
    assert client.post(f"/workshop/request/{doc_id}/transitions/fly").status_code == 404
    api = client.post(f"/api/v1/workshop/request/{doc_id}/transitions/fly", json={},
                      headers=bearer(app, people["seller"]))
    assert api.status_code == 422 and api.get_json()["error"] == "Unknown action."
    assert state(app, doc_id) == "draft"


def test_a_document_carried_along_moves_by_its_workflow_and_is_audited(app, client, people):
    """engine.carry: a state changed as the consequence of another change goes through the
    document's own transition (audited, hooks called), never past its workflow."""
    from core.auth.models import User
    from core.workflow import engine
    sign_in_as(client, "seller")
    doc_id = create(client)
    with app.app_context():
        doc = db.session.get(model(app), doc_id)
        seller = db.session.get(User, people["seller"])
        assert engine.carry(doc, "cancel", seller, because="QR-9") == "cancelled"
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "transition",
                                                           AuditEntry.record_id == str(doc_id)))
        assert json.loads(entry.changes) == {"transition": "cancel", "from": "draft", "to": "cancelled",
                                             "comment": "QR-9"}
        with pytest.raises(engine.TransitionRefused):  # not from cancelled
            engine.carry(doc, "submit", seller)
        with pytest.raises(engine.TransitionRefused):
            engine.carry(doc, "no_such_step", seller)
        db.session.rollback()
        assert db.session.get(model(app), doc_id).state == "cancelled"


def test_an_automatic_transition_is_never_taken_by_hand(app, client, people, monkeypatch):
    """Transition(automatic=True) follows from another change (engine.carry) only."""
    from core.auth.models import User
    from core.workflow import Transition, engine
    workflow = app.extensions["erp"].doctypes["workshop.request"].workflow
    monkeypatch.setattr(workflow, "transitions", workflow.transitions + [
        Transition("shelve", "Shelve", ["draft"], "cancelled", automatic=True)])
    sign_in_as(client, "seller")
    doc_id = create(client)
    assert 'data-transition="shelve"' not in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    act(client, doc_id, "shelve")
    assert state(app, doc_id) == "draft"
    with app.app_context():
        doc = db.session.get(model(app), doc_id)
        engine.carry(doc, "shelve", db.session.get(User, people["seller"]), because="QR-1")
        db.session.commit()
    assert state(app, doc_id) == "cancelled"
