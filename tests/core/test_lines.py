"""Line items that grow, shrink and move (issue 12 item 9): the form's rows carry their line's id,
the server keeps them in the order sent, deletes the rows removed and keeps a moved line whole;
summed columns are totalled in the form (previewed as one types, core/static/js/lines.js) and on
the detail page."""
import re
from decimal import Decimal

import pytest

from core.documents import Lines
from core.documents.fields import Field
from core.extensions import db
from tests.conftest import sign_in_as

pytestmark = pytest.mark.workshop


def request_form(lines, **overrides):
    data = {"title": "交换机采购", "supplier": "华为代理", "amount": "1200.00", "cost": "1000"}
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-{k}": v for k, v in line.items()})
    data.update(overrides)
    return data


def request_model(app):
    return app.extensions["erp"].doctypes["workshop.request"].model


def lines_of(app, doc_id):
    with app.app_context():
        doc = db.session.get(request_model(app), doc_id)
        return [(line.id, line.item, line.qty, line.price) for line in doc.lines]


@pytest.fixture
def author(client, make_user):
    make_user("am", "ROLE-MKT-AM")
    sign_in_as(client, "am")
    return "am"


def version(app, doc_id) -> str:
    with app.app_context():
        return str(db.session.get(request_model(app), doc_id).version)


def create(client, lines):
    response = client.post("/workshop/request/new", data=request_form(lines))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_form_has_a_blank_row_to_copy_buttons_and_totals(client, author):
    page = client.get("/workshop/specimen/new").get_data(as_text=True)
    template = page[page.index('<template id="lines-template">'):page.index("</template>")]
    assert 'name="lines-__index__-item"' in template and 'name="lines-__index__-id"' in template
    for action in ("up", "down", "remove"):
        assert f'data-line-action="{action}"' in template
    assert 'id="add-line"' in page and "js/lines.js" in page
    assert '<output data-total="qty"' in page  # Field("qty", ..., total=True)
    # Every row has its buttons and an empty id (new lines); the header names the inputs.
    assert page.count('data-line-action="remove"') == 1 + 3
    assert re.search(r'name="lines-0-id" type="hidden" value=""', page)


def test_rows_are_kept_in_the_order_sent_and_a_removed_row_is_deleted(app, client, author):
    doc_id = create(client, [{"item": "甲", "qty": "1", "price": "10"}, {"item": "乙", "qty": "2", "price": "20"},
                             {"item": "丙", "qty": "3", "price": "30"}])
    (a, *_), (b, *_), (c, *_) = lines_of(app, doc_id)
    page = client.get(f"/workshop/request/{doc_id}/edit").get_data(as_text=True)
    for i, line_id in enumerate((a, b, c)):
        assert f'name="lines-{i}-id" type="hidden" value="{line_id}"' in page
    # 丙 moved to the top, 乙 removed, a new line between them; the page numbers the rows in order.
    response = client.post(f"/workshop/request/{doc_id}/edit", data=request_form([
        {"id": c, "item": "丙", "qty": "3", "price": "30"}, {"id": "", "item": "丁", "qty": "4", "price": "40"},
        {"id": a, "item": "甲", "qty": "1", "price": "10"}], version=version(app, doc_id)))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert [row[1:] for row in lines_of(app, doc_id)] == [("丙", 3, Decimal("30.00")), ("丁", 4, Decimal("40.00")),
                                                          ("甲", 1, Decimal("10.00"))]
    # Removed: a row taken away, and a row whose every input was emptied.
    response = client.post(f"/workshop/request/{doc_id}/edit", data=request_form([
        {"id": str(lines_of(app, doc_id)[0][0]), "item": "", "qty": "", "price": ""},
        {"id": str(lines_of(app, doc_id)[2][0]), "item": "甲", "qty": "1", "price": "10"}], version=version(app, doc_id)))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert [row[1] for row in lines_of(app, doc_id)] == ["甲"]


def test_a_refused_save_leaves_the_lines_as_they_were(app, client, author):
    doc_id = create(client, [{"item": "甲", "qty": "1"}, {"item": "乙", "qty": "2"}])
    before = lines_of(app, doc_id)
    response = client.post(f"/workshop/request/{doc_id}/edit", data=request_form([
        {"id": before[1][0], "item": "乙", "qty": "0"}, {"id": before[0][0], "item": "甲", "qty": "1"}],
        version=version(app, doc_id)))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-field="lines-0-qty"' in page  # the reason, under the field of the row
    assert lines_of(app, doc_id) == before


def test_a_moved_line_keeps_what_its_row_does_not_show(app, make_user):
    """A row names its line by id: the line's other values (a task's status, a quotation line's
    inquiry) go with it to its new place; a new row starts from the columns' defaults; a row
    without an id (the API) updates the line at its place."""
    from core.documents import service
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    Request = doctype.model
    owner = make_user("am", "ROLE-MKT-AM")
    with app.app_context():
        doc = Request(title="t", number="QR-T-1", amount=0, state="draft", owner_id=owner)
        doc.lines = [doctype.lines.model(item=item, qty=qty, price=Decimal(price))
                     for item, qty, price in (("甲", 1, "10"), ("乙", 2, "20"), ("丙", 3, "30"))]
        db.session.add(doc)
        db.session.flush()
        a, b, c = (line.id for line in doc.lines)
        service.set_lines(doctype, doc, [{"id": str(c), "item": "丙!"}, {"id": "", "item": "新"},
                                         {"id": str(a), "item": "甲"}, {"id": str(b), "item": "乙"}])
        db.session.flush()
        db.session.expire_all()
        assert [(line.item, line.qty, line.price) for line in db.session.get(Request, doc.id).lines] == [
            ("丙!", 3, Decimal("30.00")), ("新", 1, Decimal("0.00")), ("甲", 1, Decimal("10.00")),
            ("乙", 2, Decimal("20.00"))]
        doc = db.session.get(Request, doc.id)
        service.set_lines(doctype, doc, [{"item": "一"}, {"item": "二"}])
        db.session.flush()
        db.session.expire_all()
        assert [(line.item, line.qty) for line in db.session.get(Request, doc.id).lines] == [("一", 3), ("二", 1)]
        db.session.rollback()


def test_summed_line_fields_are_totalled_on_the_detail_page(app, client, make_user):
    make_user("am", "ROLE-MKT-AM")
    sign_in_as(client, "am")
    response = client.post("/workshop/specimen/new", data={
        "title": "合计", "site": "一号楼", "shift": "day", "lines-0-item": "光纤", "lines-0-qty": "2",
        "lines-1-item": "", "lines-1-qty": "", "lines-2-item": "跳线", "lines-2-qty": "5"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    total = page[page.index('data-total="qty"'):]
    assert re.match(r'data-total="qty"><strong>7</strong>', total), total[:200]


def test_a_user_without_the_permission_cannot_open_the_lines_form(app, client, make_user, author):
    doc_id = create(client, [{"item": "甲", "qty": "1"}])
    make_user("nobody")
    sign_in_as(client, "nobody")
    assert client.get(f"/workshop/request/{doc_id}/edit").status_code in (403, 404)
    assert client.post(f"/workshop/request/{doc_id}/edit", data=request_form([{"item": "乙", "qty": "1"}],
                                                                           version=version(app, doc_id))).status_code in (403, 404)


def test_totals_and_products_are_declared_on_numbers_of_the_same_line():
    with pytest.raises(ValueError, match="total= and product= are for a number"):
        Field("item", "Item", total=True)
    with pytest.raises(ValueError, match="product= names fields of the same line"):
        Lines("lines", object, fields=[Field("qty", "Qty", "integer"),
                                       Field("amount", "Amount", "money", readonly=True, product=("qty", "price"))])
    spec = Lines("lines", object, fields=[Field("qty", "Qty", "integer", total=True), Field("price", "Price", "money"),
                                          Field("amount", "Amount", "money", readonly=True, product=("qty", "price"),
                                                total=True)])
    assert spec.totals == ("qty", "amount") and [f.name for f in spec.previewed] == ["amount"]
