"""Issue 12 item 15: amounts in Chinese capitals, file sizes, the favicon, the upload button,
translated module descriptions and approval step names, print variants and their sign-offs."""
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from core.documents.formatting import chinese_amount, file_size
from core.extensions import db
from core.workflow.models import ApprovalTask
from tests.conftest import sign_in_as
from tests.core.test_documents import create
from tests.core.test_workflow import act, people  # noqa: F401  (fixture)


@pytest.mark.parametrize("amount, words", [
    ("123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
    (123456, "壹拾贰万叁仟肆佰伍拾陆元整"),
    (Decimal(100), "壹佰元整"),
    ("1001.05", "壹仟零壹元零伍分"),
    ("1010", "壹仟零壹拾元整"),
    ("100010000", "壹亿零壹万元整"),
    ("120000000", "壹亿贰仟万元整"),
    ("1000010", "壹佰万零壹拾元整"),
    ("10", "壹拾元整"),
    ("0.5", "伍角整"),
    ("0.05", "伍分"),
    ("0", "零元整"),
    ("-3.20", "负叁元贰角整"),
    ("99.999", "壹佰元整"),   # rounded to the fen
])
def test_amounts_in_chinese_capitals(amount, words):
    assert chinese_amount(amount) == words


def test_chinese_capitals_of_nothing_and_of_too_much():
    assert chinese_amount(None) == ""
    with pytest.raises(ValueError):
        chinese_amount(10 ** 17)


def test_file_sizes_under_a_kilobyte_in_bytes():
    assert [file_size(n) for n in (0, 5, 1023, 1024, 1536, 3 * 1024 * 1024)] == \
        ["0 B", "5 B", "1023 B", "1.0 KB", "1.5 KB", "3.0 MB"]


@pytest.mark.workshop
def test_a_small_upload_shows_its_bytes_and_the_button_does_not_wrap(app, client, login_as):
    login_as("ROLE-MKT-AM")
    doc_id = create(client)
    from io import BytesIO
    client.post(f"/workshop/request/{doc_id}/attachments", data={"file": (BytesIO(b"hello"), "note.txt")},
                content_type="multipart/form-data")
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert "5 B ·" in page and "0.0 KB" not in page
    assert 'class="btn btn-sm btn-outline-primary text-nowrap flex-shrink-0"' in page


def test_the_favicon(app, client, login_as):
    login_as("ROLE-MKT-AM")
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg"' in client.get("/").get_data(as_text=True)
    for url in ("/static/favicon.svg", "/favicon.ico"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data


@pytest.mark.modules("sales")
def test_module_descriptions_in_the_users_language(app, client, login_as):
    login_as("ROLE-ADMIN")
    client.post("/language", data={"language": "zh_CN"})
    page = client.get("/admin/modules").get_data(as_text=True)
    assert "客户" in page[page.index('data-module="sales"'):][:600]
    # Procurement is off (its catalog is not loaded), its description is in Chinese all the same.
    assert "询价、采购申请与订单、到货验收、供应商名录与应付款。" in page
    client.post("/language", data={"language": "en"})
    page = client.get("/admin/modules").get_data(as_text=True)
    assert "Price inquiries, purchase requests and orders" in page


@pytest.mark.workshop
def test_approval_steps_named_in_the_readers_language(app, client, people):  # noqa: F811
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit")
    with app.app_context():  # as submitted by someone reading Chinese
        db.session.execute(update(ApprovalTask).values(step_label="部门经理"))
        db.session.commit()
    sign_in_as(client, "manager")
    client.post("/language", data={"language": "en"})
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    approvals = page[page.index('id="approvals"'):]
    assert "Department manager" in approvals and "部门经理" not in approvals
    assert "Department manager" in client.get("/inbox").get_data(as_text=True)
    # A step the workflow no longer has keeps the name stored at submission.
    with app.app_context():
        db.session.execute(update(ApprovalTask).values(step_name="gone"))
        db.session.commit()
        task = db.session.scalar(select(ApprovalTask))
        assert task.label == "部门经理"


@pytest.mark.workshop
def test_a_print_variant_and_sign_offs_by_transition(app, client, people, monkeypatch):  # noqa: F811
    from dataclasses import replace

    from core.documents import PrintVariant, money
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    copy = PrintVariant("supplier", "Supplier's copy", title="订货单", omit=("supplier", "price"),
                        rows=lambda doc: [("Total", money(doc.amount)), ("In capitals", chinese_amount(doc.amount), True)],
                        note="Deliver within 7 days.")
    monkeypatch.setattr(doctype, "prints", [copy])
    submit = doctype.workflow.transition("submit")
    monkeypatch.setattr(doctype.workflow, "transitions", [replace(t, signs="Requested by") if t is submit else t
                                                          for t in doctype.workflow.transitions])
    sign_in_as(client, "seller")
    doc_id = create(client)
    act(client, doc_id, "submit", comment="急需")
    sign_in_as(client, "manager")
    act(client, doc_id, "approve", comment="同意")
    assert f"/workshop/request/{doc_id}/pdf/supplier" in client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    page = client.get(f"/workshop/request/{doc_id}/print/supplier").get_data(as_text=True)
    assert "<h1>订货单</h1>" in page and "华为代理" not in page and "S5735 交换机" in page
    assert '<td class="capitals">壹仟贰佰元整</td>' in page and "Deliver within 7 days." in page
    signatures = page[page.index('class="signatures"'):]
    assert signatures.index("Requested by") < signatures.index("急需") < signatures.index("Department manager") \
        < signatures.index("同意")
    assert "华为代理" in client.get(f"/workshop/request/{doc_id}/print").get_data(as_text=True)
    assert client.get(f"/workshop/request/{doc_id}/pdf/supplier").data.startswith(b"%PDF")
    assert client.get(f"/workshop/request/{doc_id}/print/other").status_code == 404


@pytest.mark.workshop
def test_a_print_variant_offered_only_where_its_condition_holds(app, client, people, monkeypatch):  # noqa: F811
    """A print of some documents only (``when=``): the other documents neither offer nor serve it."""
    from core.documents import PrintVariant
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    large = PrintVariant("large", "Large order form", title="大额订货单", when=lambda doc: doc.title.startswith("大额"))
    monkeypatch.setattr(doctype, "prints", [large])
    sign_in_as(client, "seller")
    big, small = create(client, title="大额 交换机"), create(client, title="小额 网线")
    assert f"/workshop/request/{big}/pdf/large" in client.get(f"/workshop/request/{big}").get_data(as_text=True)
    assert "<h1>大额订货单</h1>" in client.get(f"/workshop/request/{big}/print/large").get_data(as_text=True)
    assert "/pdf/large" not in client.get(f"/workshop/request/{small}").get_data(as_text=True)
    assert client.get(f"/workshop/request/{small}/print/large").status_code == 404
    assert client.get(f"/workshop/request/{small}/pdf/large").status_code == 404
    assert client.get(f"/workshop/request/{small}/print").status_code == 200      # its internal print stays
