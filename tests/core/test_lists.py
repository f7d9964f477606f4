"""A list as people who know Odoo expect it (issue 12 item 10), for every document type at once:
columns chosen by the declaration (long texts not by default) and by the user, page size, groups
with counts and sums computed in SQL, saved filters, an empty list's call to action, and a board
by state for the types that ask for one (tests/plugins/workshop/specimen.py: kanban=True)."""
import re

import pytest
from sqlalchemy import event, select

from core.documents import listing
from core.documents.models import SavedView
from core.extensions import db
from tests.conftest import sign_in_as
from tests.core import test_declared_fields

pytestmark = pytest.mark.workshop
LIST = "/workshop/specimen/"
API = "/api/v1/workshop/specimen"
people = test_declared_fields.people  # the same people: 客户经理 am and am2, mgr, pe, gm


def create(client, people, who="am", **values):
    data = {"title": "布线", "site": "一号楼", "notes": "先勘察" * 80, "budget": "100.00", "level": "1",
            "survey_on": "2026-11-20", "lines": [{"item": "六类线", "qty": 1}]} | values
    response = client.post(API, json=data, headers=people["headers"][who])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def headers_of(page: str) -> list[str]:
    thead = re.search(r'<table[^>]*id="rows".*?<thead>(.*?)</thead>', page, re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>|[ ▲▼]", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.DOTALL)]


def test_long_texts_are_not_columns_by_default_and_the_user_chooses_his(app, client, people):
    create(client, people)
    sign_in_as(client, "am")
    page = client.get(LIST).get_data(as_text=True)
    assert "Notes" not in headers_of(page) and "Budget" in headers_of(page)
    offered = re.findall(r'name="columns" value="([^"]+)"', page)
    assert "notes" in offered and "cost" not in offered  # the cost is hidden from the 客户经理: never offered
    saved = client.post(LIST + "list/settings", data={"columns": ["notes", "budget", "cost"], "size": "20",
                                                       "query": "level=1"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(LIST + "?level=1")
    page = client.get(LIST).get_data(as_text=True)
    assert headers_of(page)[3:5] == ["Notes", "Budget"] and "Cost" not in headers_of(page)
    assert re.search(r'<td class="list-clip"[^>]*>先勘察', page)  # a long text: one line, clipped
    assert re.search(r'<option value="20" selected>', page)
    with app.app_context():
        row = db.session.scalar(select(SavedView).where(SavedView.name == ""))
        assert (row.columns, row.page_size) == ("notes,budget", 20)
    # Someone else's list is his own.
    sign_in_as(client, "am2")
    assert "Notes" not in headers_of(client.get(LIST).get_data(as_text=True))
    sign_in_as(client, "am")
    client.post(LIST + "list/settings", data={"reset": "1"})
    assert "Notes" not in headers_of(client.get(LIST).get_data(as_text=True))


def test_the_page_size_is_remembered(app, client, people):
    for i in range(12):
        create(client, people, title=f"第{i}号")
    sign_in_as(client, "am")
    client.post(LIST + "list/settings", data={"columns": ["budget"], "size": "20"})
    assert client.get(LIST).get_data(as_text=True).count('href="/workshop/specimen/') >= 12
    client.post(LIST + "list/settings", data={"columns": ["budget"], "size": "999"})  # not offered: the default
    with app.app_context():
        assert db.session.scalar(select(SavedView.page_size)) is None


def test_a_chosen_list_costs_no_more_queries(app, client, people):
    create(client, people)
    sign_in_as(client, "am")
    client.post(LIST + "list/settings", data={"columns": ["notes", "budget"], "size": "20"})
    client.get(LIST)  # the worker now keeps his settings

    statements = []
    def listener(conn, cursor, statement, *args):
        statements.append(statement)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert "Notes" in headers_of(client.get(LIST).get_data(as_text=True))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 2, statements  # the user (with the stamps), the rows
    # A change made in another worker is seen at once: the stamp read with the user changed.
    client.post(LIST + "list/settings", data={"columns": ["budget"]})
    assert "Notes" not in headers_of(client.get(LIST).get_data(as_text=True))


def test_groups_with_counts_and_sums_link_to_their_rows(app, client, people):
    create(client, people, level="1", budget="100.00")
    create(client, people, level="1", budget="50.50", survey_on="2026-12-01")
    create(client, people, level="2", budget="7.00", inspector_id=people["ids"]["pe"])
    create(client, people, who="am2", level="2", budget="1000.00")  # not his: never counted
    sign_in_as(client, "am")
    page = client.get(LIST + "?group=level").get_data(as_text=True)
    groups = re.findall(r'<tr class="group-row"><td><a href="([^"]+)">([^<]+)</a></td>\s*<td class="text-end">(\d+)</td>'
                        r'.*?<td class="text-end">([^<]*)</td>', page, re.DOTALL)
    assert [(label, count, total) for _url, label, count, total in groups] == \
        [("Level 1", "2", "¥150.50"), ("Level 2", "1", "¥7.00")]
    link = groups[1][0].replace("&amp;", "&")
    assert "level=2" in link and "group" not in link
    rows = client.get(link).get_data(as_text=True)
    assert len(re.findall(r'<a href="/workshop/specimen/\d+">', rows)) == 1
    by_month = client.get(LIST + "?group=survey_on:month").get_data(as_text=True)
    assert ">2026-11</a>" in by_month and ">2026-12</a>" in by_month
    month = re.search(r'href="([^"]+)">2026-12</a>', by_month).group(1).replace("&amp;", "&")
    assert len(re.findall(r'<a href="/workshop/specimen/\d+">', client.get(month).get_data(as_text=True))) == 1
    by_person = client.get(LIST + "?group=inspector").get_data(as_text=True)
    assert ">pe</a>" in by_person and "—" in by_person  # the uninspected ones have no value
    person = re.search(r'href="([^"]+)">pe</a>', by_person).group(1).replace("&amp;", "&")
    assert len(re.findall(r'<a href="/workshop/specimen/\d+">', client.get(person).get_data(as_text=True))) == 1
    by_state = client.get(LIST + "?group=state&level=1").get_data(as_text=True)  # filters apply
    assert re.search(r">Draft</a></td>\s*<td class=\"text-end\">2<", by_state)
    assert client.get(LIST + "?group=created_at:month").status_code == 200
    assert client.get(LIST + "?group=nonsense").status_code == 200  # ignored, as other list arguments


def test_grouping_by_a_field_hidden_from_the_user_is_refused(app, client, people, monkeypatch):
    from core.documents import service
    create(client, people)
    sign_in_as(client, "am")
    # A hidden choice (none of the specimen's is): offered to whoever sees it, refused to others.
    original = service.group_options
    monkeypatch.setattr(service, "group_options", lambda doctype, user: original(doctype, user) + [("cost", "Cost")]
                        if user.can("workshop.cost.view") else original(doctype, user))
    assert client.get(LIST + "?group=cost").status_code == 400


def test_saved_filters_are_his_or_shared(app, client, people):
    create(client, people, level="2")
    create(client, people, level="1")
    sign_in_as(client, "am")
    saved = client.post(LIST + "list/filters", data={"name": "二级", "query": "level=2&sort=-budget&page=3&after=9"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(LIST + "?level=2&sort=-budget")
    client.post(LIST + "list/filters", data={"name": "共享的", "query": "level=1", "shared": "1"})
    page = client.get(LIST).get_data(as_text=True)
    assert 'href="/workshop/specimen/?level=2&amp;sort=-budget">二级' in page and "共享的" in page
    assert len(re.findall(r'<a href="/workshop/specimen/\d+">',
                          client.get(LIST + "?level=2&sort=-budget").get_data(as_text=True))) == 1
    with app.app_context():
        own = db.session.scalar(select(SavedView.id).where(SavedView.name == "二级"))
    sign_in_as(client, "am2")
    page = client.get(LIST).get_data(as_text=True)
    assert "二级" not in page and "共享的" in page
    assert client.post(LIST + f"list/filters/{own}/delete").status_code == 404  # not his
    assert client.post(LIST + "list/filters", data={"name": " "}).status_code == 302  # refused: no name
    sign_in_as(client, "am")
    client.post(LIST + f"list/filters/{own}/delete")
    assert "二级" not in client.get(LIST).get_data(as_text=True)


def test_an_empty_list_calls_to_action(app, client, people):
    sign_in_as(client, "am")
    page = client.get(LIST).get_data(as_text=True)
    assert 'id="create-first"' in page and "Create the first one" in page
    create(client, people)
    page = client.get(LIST + "?q=nothing-like-it").get_data(as_text=True)
    assert 'id="clear-filters" href="/workshop/specimen/"' in page and 'id="create-first"' not in page
    assert 'id="create-first"' not in client.get(LIST + "?sort=-id").get_data(as_text=True)


def test_the_board_by_state(app, client, people, monkeypatch):
    for i in range(3):
        create(client, people, title=f"草稿{i}", budget="12.00")
    submitted = create(client, people, title="已提交", inspector_id=people["ids"]["pe"])
    sign_in_as(client, "am")
    response = client.post(f"{API}/{submitted['id']}/transitions/submit", json={}, headers=people['headers']['am'])
    assert response.status_code in (200, 201), response.get_json()
    create(client, people, who="am2", title="别人的")
    monkeypatch.setattr(listing, "BOARD_CARDS", 2)
    page = client.get(LIST + "board").get_data(as_text=True)
    draft = re.search(r'data-state="draft">(.*?)</section>', page, re.DOTALL).group(1)
    assert '<span class="badge text-bg-secondary column-count">3</span>' in draft
    assert draft.count("board-card") == 2 and "草稿2" in draft and "别人的" not in page
    assert 'href="/workshop/specimen/?state=draft">1 more' in draft and "¥12.00" in draft
    assert "已提交" in re.search(r'data-state="submitted">(.*?)</section>', page, re.DOTALL).group(1)
    assert 'id="board-link"' in client.get(LIST).get_data(as_text=True)
    assert client.get(LIST + "board?q=草稿1").get_data(as_text=True).count("board-card") == 1
    assert client.get("/workshop/request/board").status_code == 404  # a type without a board


def test_who_may_not_open_the_list_may_not_change_it(app, client, people):
    sign_in_as(client, "pe")
    assert client.get(LIST + "board").status_code == 403
    assert client.post(LIST + "list/settings", data={"columns": ["notes"]}).status_code == 403
    assert client.post(LIST + "list/filters", data={"name": "x", "query": ""}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(SavedView.id)) is None
