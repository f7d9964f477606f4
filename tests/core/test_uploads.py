"""Attachments: the contents must be of the kind the extension says, the stored and served content
type comes from the extension (never the client), and downloads are never run by the browser."""
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from core.documents.models import Attachment
from core.extensions import db

pytestmark = pytest.mark.workshop

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PAGE = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/tokens')</script></body></html>"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


@pytest.fixture
def doc_id(app, client, login_as, tmp_path):
    app.config["ERP_ATTACHMENT_DIR"] = str(tmp_path)
    login_as("ROLE-MKT-AM")
    response = client.post("/workshop/request/new", data={"title": "附件测试", "amount": "10"})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def upload(client, doc_id, data, name, client_type="application/octet-stream"):
    return client.post(f"/workshop/request/{doc_id}/attachments", data={"file": (io.BytesIO(data), name, client_type)},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def stored(app):
    with app.app_context():
        return {a.filename: a.content_type for a in db.session.scalars(select(Attachment))}


def test_a_file_whose_contents_are_not_its_extension_is_refused(app, client, doc_id):
    for data, name in ((PAGE, "报价.pdf"), (PROGRAM, "合同.pdf"), (PAGE, "图纸.png"), (PROGRAM, "清单.xlsx"),
                       (PAGE, "说明.txt"), (PROGRAM, "数据.csv"), (b"", "空.pdf")):
        page = upload(client, doc_id, data, name, "application/pdf")
        assert f"“{name}” is not a real {name.rsplit('.', 1)[1]} file" in page, name
    assert stored(app) == {}

    client.post("/language", data={"language": "zh_CN"})
    assert "“报价.pdf”的内容不是真正的 pdf 文件" in upload(client, doc_id, PAGE, "报价.pdf")


def test_real_files_are_stored_with_the_type_of_their_extension(app, client, doc_id):
    book = io.BytesIO()
    Workbook().save(book)
    for data, name in ((PDF, "报价.pdf"), (book.getvalue(), "清单.xlsx"), ("名称,金额\n网线,100\n".encode("gbk"), "数据.csv"),
                       ("会议纪要".encode("utf-8"), "纪要.txt")):
        assert "Uploaded" in upload(client, doc_id, data, name, client_type="text/html"), name
    assert stored(app) == {"报价.pdf": "application/pdf", "数据.csv": "text/csv", "纪要.txt": "text/plain",
                           "清单.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_downloads_are_attachments_typed_by_their_extension(app, client, doc_id):
    upload(client, doc_id, PDF, "报价.pdf", client_type="text/html")
    with app.app_context():  # a file stored before, with the type its uploader's browser claimed
        db.session.add(Attachment(doctype="workshop.request", doc_id=doc_id, filename="旧.txt",
                                  content_type="text/html", size=len(PAGE), sha256="0" * 64, stored_name="legacy"))
        db.session.commit()
        attachments = {a.filename: a.id for a in db.session.scalars(select(Attachment))}
    Path(app.config["ERP_ATTACHMENT_DIR"], "legacy").write_bytes(PAGE)
    for name, content_type in (("报价.pdf", "application/pdf"), ("旧.txt", "text/plain")):
        response = client.get(f"/workshop/request/{doc_id}/attachments/{attachments[name]}")
        assert response.status_code == 200
        assert response.mimetype == content_type, name
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
