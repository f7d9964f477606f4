"""Core's document machinery, exercised through the test document type `workshop.request`."""
import io
import json

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.extensions import db
from tests.conftest import department_id, sign_in_as

pytestmark = pytest.mark.workshop


def request_form(**overrides):
    data = {"title": "交换机采购", "supplier": "华为代理", "amount": "1200.00", "cost": "1000",
            "lines-0-item": "S5735 交换机", "lines-0-qty": "2", "lines-0-price": "600",
            "lines-1-item": "", "lines-1-qty": "", "lines-1-price": ""}
    data.update(overrides)
    return data


def model(app):
    return app.extensions["erp"].doctypes["workshop.request"].model


def create(client, **overrides):
    response = client.post("/workshop/request/new", data=request_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_numbers_saves_lines_and_audits(app, client, login_as):
    user = login_as("ROLE-MKT-AM")
    doc_id = create(client)
    with app.app_context():
        doc = db.session.get(model(app), doc_id)
        assert doc.number.startswith("QR-") and doc.number.endswith("-0001")
        assert doc.state == "draft" and doc.owner_id == user and doc.version == 1
        assert [(l.item, l.qty) for l in doc.lines] == [("S5735 交换机", 2)]
        actions = db.session.scalars(select(AuditEntry.model).where(AuditEntry.action == "insert")).all()
        assert "workshop_request" in actions and "workshop_request_line" in actions
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert "交换机采购" in page and "¥1,200.00" in page and "S5735 交换机" in page


def test_invalid_form_reports_fields_and_saves_nothing(app, client, login_as):
    login_as("ROLE-MKT-AM")
    response = client.post("/workshop/request/new", data=request_form(
        title="", amount="abc", **{"lines-0-qty": "0"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-field="title"' in page and 'data-field="amount"' in page and 'data-field="lines-0-qty"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(model(app))) == 0


def test_numbers_never_repeat_and_reset_by_year(app):
    from datetime import date
    from core.documents import numbering
    with app.app_context():
        numbering.ensure_sequence("workshop.request", "QR")
        numbers = [numbering.next_number("workshop.request", date(2026, 5, 1)) for _ in range(3)]
        assert numbers == ["QR-2026-0001", "QR-2026-0002", "QR-2026-0003"]
        assert numbering.next_number("workshop.request", date(2027, 1, 2)) == "QR-2027-0001"
        db.session.rollback()


def test_list_search_filter_sort_and_pagination(app, client, login_as):
    login_as("ROLE-MKT-AM")
    ids = [create(client, title=f"申请 {i:02d}", amount=str(100 * i)) for i in range(1, 13)]
    page = client.get("/workshop/request/?size=10").get_data(as_text=True)
    assert page.count('href="/workshop/request/') >= 10 and 'id="next-page"' in page
    second = client.get("/workshop/request/?size=10&page=2").get_data(as_text=True)
    assert "申请 01" in second and "申请 12" not in second  # newest first
    with app.app_context():
        number = db.session.get(model(app), ids[4]).number
    found = client.get(f"/workshop/request/?q={number}").get_data(as_text=True)
    assert number in found and "申请 04" not in found
    assert "申请 07" in client.get("/workshop/request/?q=申请 07").get_data(as_text=True)
    by_amount = client.get("/workshop/request/?sort=-amount&size=10").get_data(as_text=True)
    assert by_amount.index("申请 12") < by_amount.index("申请 11")
    assert "申请 03" not in client.get("/workshop/request/?state=approved").get_data(as_text=True)


def test_list_cells_are_formatted_and_escaped(app, client, login_as):
    """The list's rows are built in Python (core.documents.listing._list_rows): what a user typed is
    shown as text, never as markup, and each column is formatted as its kind says."""
    login_as("ROLE-MKT-AM")
    doc_id = create(client, title='<b>"A&B"</b>', supplier="<script>alert(1)</script>", amount="1234567.8")
    page = client.get("/workshop/request/").get_data(as_text=True)
    row = page[page.index(f'href="/workshop/request/{doc_id}"'):]
    row = row[:row.index("</tr>")]
    assert "<b>" not in row and "<script>" not in row
    assert "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;" in row and "&lt;script&gt;alert(1)&lt;/script&gt;" in row
    assert "¥1,234,567.80" in row and 'data-state="draft">Draft</span>' in row
    assert client.get("/workshop/request/?q=nothing-matches").get_data(as_text=True).count("<tr>") == 2  # header, "no records"


def test_list_buttons_filters_and_header_are_each_users_own(app, client, make_user):
    """Above its rows a list is rendered once per worker for each (type, language, permissions,
    filters, sort): a user never gets the buttons of another's permissions, nor another's filter
    values or sort, and a revoked grant takes its button away at once."""
    from core.auth.models import Role, RolePermission
    with app.app_context():
        db.session.add(Role(code="ROLE-READER", name="只读", grants=[RolePermission(code="workshop.request.read")]))
        db.session.commit()
    make_user("writer", "ROLE-MKT-AM")
    make_user("reader", "ROLE-READER")
    for _ in range(2):
        sign_in_as(client, "writer")
        page = client.get("/workshop/request/?q=甲&sort=-title&page=2").get_data(as_text=True)
        assert 'id="create"' in page and 'value="甲"' in page and "Title ▼" in page
        assert 'id="export-xlsx" href="/workshop/request/export.xlsx?q=%E7%94%B2&amp;sort=-title"' in page
        sign_in_as(client, "reader")
        page = client.get("/workshop/request/?q=甲&sort=-title&page=2").get_data(as_text=True)
        assert 'value="甲"' in page and 'id="create"' not in page and 'id="export-xlsx"' not in page
        page = client.get("/workshop/request/?q=乙&sort=-title").get_data(as_text=True)
        assert 'value="乙"' in page and 'value="甲"' not in page and "Title ▼" in page
        assert "Title ▲" in client.get("/workshop/request/?q=乙&sort=title").get_data(as_text=True)
    with app.app_context():
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-AM"))
        role.grants = [g for g in role.grants if g.code != "workshop.request.export"]
        db.session.commit()
    sign_in_as(client, "writer")
    page = client.get("/workshop/request/?q=甲&sort=-title").get_data(as_text=True)
    assert 'id="create"' in page and 'id="export-xlsx"' not in page


def test_links_follow_the_root_url_of_each_request(client, login_as):
    """URLs, side menus and list headers are built once per worker for each root URL: behind a
    proxy that mounts the ERP under /erp every link keeps the prefix, and only there."""
    login_as("ROLE-MKT-AM")
    for _ in range(2):
        for root in ("/erp", ""):
            page = client.get("/workshop/request/?q=x", environ_overrides={"SCRIPT_NAME": root}).get_data(as_text=True)
            for link in (f'href="{root}/static/css/erp.css"', f'action="{root}/logout"',
                         f'href="{root}/workshop/request/new"', f'href="{root}/workshop/request/?q=x&amp;sort=number&amp;page=1"'):
                assert link in page, (root, link)
            assert root or "/erp/" not in page


def test_list_page_queries_do_not_grow_with_rows_or_owners(app, client, make_user, login_as):
    """One query for the page's rows and owners, whatever their number (no N+1)."""
    from sqlalchemy import event
    mkt = department_id(app, "MKT")
    with app.app_context():
        engine = db.engine
    for n in range(3):
        make_user(f"seller_{n}", "ROLE-MKT-AM", department_id=mkt)
    make_user("manager", "ROLE-MKT-MGR", department_id=mkt)

    def queries_of_the_list():
        sign_in_as(client, "manager")
        client.get("/workshop/request/")  # warm: the manager's access is cached
        statements = []
        listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get("/workshop/request/").get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return statements, page

    def create_as(name, count):
        sign_in_as(client, name)
        for i in range(count):
            create(client, title=f"{name} 申请 {i}")
    create_as("seller_0", 1)
    few, page = queries_of_the_list()
    assert "seller_0 申请 0" in page
    for n in range(3):
        create_as(f"seller_{n}", 4)
    many, page = queries_of_the_list()
    assert all(f"seller_{n} 申请 3" in page for n in range(3))
    assert len(many) == len(few) <= 2, many  # the user (with the auth stamp and unread count), the rows


def test_visibility_own_department_all(app, client, make_user, login_as):
    mkt, eng = department_id(app, "MKT"), department_id(app, "ENG")
    make_user("seller_a", "ROLE-MKT-AM", department_id=mkt)
    make_user("seller_b", "ROLE-MKT-AM", department_id=mkt)
    make_user("manager", "ROLE-MKT-MGR", department_id=mkt)
    make_user("boss", "ROLE-GM")
    make_user("other_manager", "ROLE-MKT-MGR", department_id=eng)

    sign_in_as(client, "seller_a")
    doc_a = create(client, title="A 的申请")
    sign_in_as(client, "seller_b")
    assert "A 的申请" not in client.get("/workshop/request/").get_data(as_text=True)
    assert client.get(f"/workshop/request/{doc_a}").status_code == 404
    assert client.get(f"/workshop/request/{doc_a}/print").status_code == 404
    export = client.get("/workshop/request/export.csv").get_data(as_text=True)
    assert "A 的申请" not in export
    for name in ("manager", "boss"):
        sign_in_as(client, name)
        assert "A 的申请" in client.get("/workshop/request/").get_data(as_text=True)
        assert client.get(f"/workshop/request/{doc_a}").status_code == 200
    sign_in_as(client, "other_manager")
    assert client.get(f"/workshop/request/{doc_a}").status_code == 404


def test_list_statements_are_shared_between_users_but_not_their_rows(app, client, make_user):
    """The list's statement is built once per shape (the user's kind of visibility, the filters
    present, the sort...) and reused by every user of that shape, each with their own user id,
    department and filter values."""
    mkt, eng = department_id(app, "MKT"), department_id(app, "ENG")
    make_user("seller_a", "ROLE-MKT-AM", department_id=mkt)
    make_user("seller_b", "ROLE-MKT-AM", department_id=mkt)
    make_user("seller_e", "ROLE-MKT-AM", department_id=eng)
    make_user("manager_m", "ROLE-MKT-MGR", department_id=mkt)
    make_user("manager_e", "ROLE-MKT-MGR", department_id=eng)
    make_user("manager_none", "ROLE-MKT-MGR")  # the department's rows, but no department

    sign_in_as(client, "seller_a")
    for i in range(11):
        create(client, title=f"A 申请 {i:02d}")
    sign_in_as(client, "seller_e")
    create(client, title="E 申请")
    sees_a, sees_e = {"seller_a", "manager_m"}, {"seller_e", "manager_e"}
    for _ in range(2):  # each user after one of the same shape with other values, twice
        for name in ("seller_a", "seller_b", "seller_e", "manager_m", "manager_e", "manager_none"):
            sign_in_as(client, name)
            for url in ("/workshop/request/", "/workshop/request/?q=申请", "/workshop/request/?state=draft"):
                page = client.get(url).get_data(as_text=True)
                assert ("A 申请 10" in page, "E 申请" in page) == (name in sees_a, name in sees_e), (name, url)
            page = client.get("/workshop/request/?size=10&page=2").get_data(as_text=True)  # OFFSET
            assert ("A 申请 00" in page, "A 申请 10" in page) == (name in sees_a, False), name
            page = client.get("/workshop/request/?q=E").get_data(as_text=True)
            assert ("A 申请" in page, "E 申请" in page) == (False, name in sees_e), name


def test_a_types_own_visibility_clause_applies_per_user(app, client, make_user, monkeypatch):
    """A type's visibility(user) is an arbitrary clause: evaluated for each request's user."""
    doctype = app.extensions["erp"].doctypes["workshop.request"]
    supplier = doctype.model.supplier
    monkeypatch.setattr(doctype, "visibility",
                        lambda user: None if user.username == "seller_c" else supplier == user.username)
    for name in ("seller_a", "seller_b", "seller_c", "seller_d"):
        make_user(name, "ROLE-MKT-AM")

    sign_in_as(client, "seller_a")
    create(client, title="给 B 看", supplier="seller_b")
    create(client, title="给 D 看", supplier="seller_d")
    for _ in range(2):
        for name, titles in (("seller_b", {"给 B 看"}), ("seller_c", set()), ("seller_d", {"给 D 看"}),
                             ("seller_a", {"给 B 看", "给 D 看"})):
            sign_in_as(client, name)
            page = client.get("/workshop/request/").get_data(as_text=True)
            assert {t for t in ("给 B 看", "给 D 看") if t in page} == titles, name


def test_list_needs_read_permission(client, login_as):
    login_as("ROLE-ENG-PE")
    assert client.get("/workshop/request/").status_code == 403
    assert client.get("/workshop/request/new").status_code == 403


def test_restricted_columns_hidden_in_pages_and_exports(app, client, make_user, login_as):
    login_as("ROLE-MKT-AM")
    doc_id = create(client, cost="777.00")
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert "¥777.00" not in page and "¥600.00" not in page
    assert "777" not in client.get("/workshop/request/export.csv").get_data(as_text=True)


def test_edit_with_stale_version_is_refused(app, client, login_as):
    login_as("ROLE-MKT-AM")
    doc_id = create(client)
    ok = client.post(f"/workshop/request/{doc_id}/edit", data=request_form(title="第二版", version="1"))
    assert ok.status_code == 302
    stale = client.post(f"/workshop/request/{doc_id}/edit", data=request_form(title="覆盖", version="1"))
    assert stale.status_code == 409
    with app.app_context():
        doc = db.session.get(model(app), doc_id)
        assert doc.title == "第二版" and doc.version == 2
        update = db.session.scalars(select(AuditEntry).where(
            AuditEntry.model == "workshop_request", AuditEntry.action == "update")).all()[-1]
        assert json.loads(update.changes)["title"] == ["交换机采购", "第二版"]


def test_export_csv_and_xlsx_with_chinese_headers(app, client, login_as):
    login_as("ROLE-MKT-MGR")
    client.post("/language", data={"language": "zh_CN"})
    create(client, title="导出测试")
    csv_text = client.get("/workshop/request/export.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeff") and "导出测试" in csv_text
    response = client.get("/workshop/request/export.xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "编号" and rows[1][1] == "导出测试"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export")) == 2


def test_print_view_looks_like_the_paper_form(app, client, login_as):
    login_as("ROLE-MKT-AM")
    client.post("/language", data={"language": "zh_CN"})
    doc_id = create(client)
    html = client.get(f"/workshop/request/{doc_id}/print").get_data(as_text=True)
    assert "<h1>采购申请单</h1>" in html and "天盈隆数码技术(深圳)有限公司" in html
    assert "S5735 交换机" in html


def test_pdf_is_rendered(app, client, login_as):
    login_as("ROLE-MKT-AM")
    doc_id = create(client)
    response = client.get(f"/workshop/request/{doc_id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_attachments_checked_and_private(app, client, make_user, login_as, tmp_path):
    app.config["ERP_ATTACHMENT_DIR"] = str(tmp_path)
    app.config["ERP_ATTACHMENT_MAX_BYTES"] = 1024
    login_as("ROLE-MKT-AM")
    doc_id = create(client)
    bad = client.post(f"/workshop/request/{doc_id}/attachments", data={"file": (io.BytesIO(b"x"), "virus.exe")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "“exe”" in bad.get_data(as_text=True)
    big = client.post(f"/workshop/request/{doc_id}/attachments", data={"file": (io.BytesIO(b"x" * 2048), "big.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "larger than" in big.get_data(as_text=True)
    client.post(f"/workshop/request/{doc_id}/attachments", data={"file": (io.BytesIO(b"%PDF-1.4"), "报价.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        from core.documents.models import Attachment
        att = db.session.scalar(select(Attachment))
    assert client.get(f"/workshop/request/{doc_id}/attachments/{att.id}").data == b"%PDF-1.4"
    make_user("stranger", "ROLE-MKT-AM")
    sign_in_as(client, "stranger")
    assert client.get(f"/workshop/request/{doc_id}/attachments/{att.id}").status_code == 404


def test_comments_appear_in_the_timeline(client, login_as):
    login_as("ROLE-MKT-AM")
    doc_id = create(client)
    client.post(f"/workshop/request/{doc_id}/comments", data={"body": "请尽快处理"})
    page = client.get(f"/workshop/request/{doc_id}").get_data(as_text=True)
    assert "请尽快处理" in page and 'data-kind="comment"' in page


def test_import_dry_run_reports_bad_rows_and_commit_is_all_or_nothing(app, client, login_as):
    login_as("ROLE-MKT-AM")
    good = "\ufeffTitle,Supplier,Amount,Cost\n网线,供应商甲,100,80\n光纤,供应商乙,200,150\n"
    bad = good + ",供应商丙,abc,\n"

    def upload(text, dry):
        data = {"file": (io.BytesIO(text.encode("utf-8")), "rows.csv")}
        if dry:
            data["dry_run"] = "1"
        return client.post("/workshop/request/import", data=data, content_type="multipart/form-data")
    response = upload(bad, dry=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<td>4</td>" in page and "Title" in page and "Amount" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(model(app))) == 0
    assert "Nothing was saved (dry run)" in upload(good, dry=True).get_data(as_text=True)
    assert "2 records imported." in upload(good, dry=False).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(model(app))) == 2
    template = client.get("/workshop/request/import/template.csv").get_data(as_text=True)
    assert template.startswith("\ufeffTitle,Supplier,Amount,Cost")
