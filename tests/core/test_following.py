"""Following documents and @mentions (core.documents.following), through the test document type
`workshop.request`: the Follow button and API, followers told of transitions (not of their own),
mentions notifying who may see the document and naming to the author who may not."""
import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.documents.models import Comment, Follower
from core.extensions import db
from core.org.models import Position, UserPosition
from core.reminders.models import Notification
from tests.conftest import department_id, sign_in_as
from tests.core.test_documents import create
from tests.core.test_workflow import act

pytestmark = pytest.mark.workshop


@pytest.fixture
def staff(app, make_user):
    """A seller (owner), his manager 张三 (sees the department's requests), 张三丰 (a namesake
    prefix, a GM who sees all), and 李四 (another seller, who may not see them)."""
    mkt = department_id(app, "MKT")
    ids = {"seller": make_user("seller", "ROLE-MKT-AM", department_id=mkt, full_name="王五", language="zh_CN"),
           "manager": make_user("manager", "ROLE-MKT-MGR", department_id=mkt, full_name="张三", language="zh_CN"),
           "gm": make_user("gm", "ROLE-GM", full_name="张三丰", language="zh_CN"),
           "other": make_user("other", "ROLE-MKT-AM", department_id=mkt, full_name="李四", language="zh_CN")}
    with app.app_context():
        position = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user_id=ids["manager"], position_id=position.id))
        db.session.commit()
    return ids


def notes(app, user_id):
    with app.app_context():
        return db.session.execute(select(Notification.key, Notification.title, Notification.body, Notification.url)
                                  .where(Notification.user_id == user_id).order_by(Notification.id)).all()


def token(app, user_id):
    from core.auth.models import User
    with app.app_context():
        issued, secret = ApiToken.issue(db.session.get(User, user_id), "tests")
        db.session.add(issued)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_owner_follows_others_choose_and_are_told_of_transitions(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert 'id="unfollow"' in page and "王五" in page[page.index('id="followers"'):]  # the owner follows
    sign_in_as(client, "gm")
    assert 'id="follow"' in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    client.post(f"/workshop/request/{doc_id}/follow", data={"follow": "1"})
    assert 'id="unfollow"' in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    sign_in_as(client, "seller")
    act(client, doc_id, "submit", comment="请审批")
    # The GM is told, with the action and the comment; the seller, who acted, is not.
    (key, title, body, url), = notes(app, staff["gm"])
    assert key.startswith(f"follow:workshop.request:{doc_id}:submit:")
    assert "王五" in title and "提交" in title and "请审批" in body and url == f"/workshop/request/{doc_id}"
    assert notes(app, staff["seller"]) == []
    # The manager approves: the owner (following his own) and the GM are told.
    sign_in_as(client, "manager")
    act(client, doc_id, "approve", comment="同意")
    assert any(":approve:" in n.key and "同意" in n.body for n in notes(app, staff["seller"]))
    assert len(notes(app, staff["gm"])) == 2
    # Unfollowing stops it, the owner's too.
    sign_in_as(client, "seller")
    client.post(f"/workshop/request/{doc_id}/follow", data={"follow": "0"})
    assert 'id="follow"' in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Follower.following).where(Follower.user_id == staff["seller"])) is False


def test_a_follower_who_can_no_longer_see_the_document_is_not_told(app, client, staff, make_user):
    deputy = make_user("deputy", "ROLE-MKT-MGR", department_id=department_id(app, "MKT"))  # sees, approves nothing
    sign_in_as(client, "seller")
    doc_id = create(client)
    sign_in_as(client, "deputy")
    client.post(f"/workshop/request/{doc_id}/follow", data={"follow": "1"})
    with app.app_context():  # moved to another department: he no longer sees the seller's requests
        from core.auth.models import User
        db.session.get(User, deputy).department_id = department_id(app, "ENG")
        db.session.commit()
    sign_in_as(client, "seller")
    act(client, doc_id, "submit")
    assert notes(app, deputy) == [] and len(notes(app, staff["manager"])) == 0


def test_following_needs_to_see_the_document(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    sign_in_as(client, "other")
    assert client.post(f"/workshop/request/{doc_id}/follow", data={"follow": "1"}).status_code == 404
    headers = token(app, staff["other"])
    assert client.post(f"/api/v1/workshop/request/{doc_id}/follow", json={}, headers=headers).status_code == 404


def test_follow_through_the_api(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    headers = token(app, staff["gm"])
    response = client.post(f"/api/v1/workshop/request/{doc_id}/follow", json={}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"following": True, "followers": ["gm", "seller"]}
    bad = client.post(f"/api/v1/workshop/request/{doc_id}/follow", json={"following": "yes"}, headers=headers)
    assert bad.status_code == 422 and "following" in bad.get_json()["fields"]
    off = client.post(f"/api/v1/workshop/request/{doc_id}/follow", json={"following": False}, headers=headers)
    assert off.get_json() == {"following": False, "followers": ["seller"]}


def test_a_mention_tells_who_may_see_and_names_who_may_not(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    response = client.post(f"/workshop/request/{doc_id}/comments",
                           data={"body": "@张三丰 @张三 请看一下，@李四 也看看"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "李四 无权查看此单据，未通知" in page
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert sorted(comment.mentions) == sorted([staff["gm"], staff["manager"], staff["other"]])
    # 张三丰 is not taken for 张三 (longest names first); each told once, with a link.
    for who in ("gm", "manager"):
        (key, title, body, url), = notes(app, staff[who])
        assert key == f"mention:{comment.id}:{staff[who]}" and "王五" in title and "请看一下" in body
        assert url == f"/workshop/request/{doc_id}#timeline"
    assert notes(app, staff["other"]) == []
    # The timeline marks the mentions.
    assert '<span class="mention text-primary" data-mention>@张三丰</span>' in page


def test_the_comment_box_offers_people_and_says_who_may_not_see(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert f'data-mention-url="/workshop/request/{doc_id}/people"' in page and "js/mentions.js" in page
    items = client.get(f"/workshop/request/{doc_id}/people?q=张三").get_json()["items"]
    assert {(i["text"], i["sees"]) for i in items} == {("张三", True), ("张三丰", True)}
    assert client.get(f"/workshop/request/{doc_id}/people?q=李").get_json()["items"][0]["sees"] is False
    # A namesake chosen in the list: only the one picked is told.
    with app.app_context():
        from core.auth.models import User
        db.session.get(User, staff["other"]).full_name = "张三"
        db.session.commit()
    client.post(f"/workshop/request/{doc_id}/comments", data={"body": "@张三 看", "mentions": [str(staff["manager"])]})
    assert len(notes(app, staff["manager"])) == 1 and notes(app, staff["other"]) == []


def test_comments_and_mentions_through_the_api(app, client, staff):
    sign_in_as(client, "seller")
    doc_id = create(client)
    headers = token(app, staff["seller"])
    response = client.post(f"/api/v1/workshop/request/{doc_id}/comments",
                           json={"body": "@manager 请确认 @other"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["told"] == ["manager"] and body["not_told"] == ["other"]
    assert len(notes(app, staff["manager"])) == 1
    empty = client.post(f"/api/v1/workshop/request/{doc_id}/comments", json={"body": " "}, headers=headers)
    assert empty.status_code == 422 and "body" in empty.get_json()["fields"]
    bad = client.post(f"/api/v1/workshop/request/{doc_id}/comments", json={"body": "x", "mentions": ["a"]},
                      headers=headers)
    assert bad.status_code == 422 and "mentions" in bad.get_json()["fields"]
    outsider = token(app, staff["other"])
    assert client.post(f"/api/v1/workshop/request/{doc_id}/comments", json={"body": "hi"},
                       headers=outsider).status_code == 404


def test_an_ascii_name_is_mentioned_only_whole(app, staff):
    from core.documents.following import mentioned
    with app.app_context():
        assert [u.username for u in mentioned("cc @managers and @gm.")] == ["gm"]
        assert mentioned("no mention here") == []
