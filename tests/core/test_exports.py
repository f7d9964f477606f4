"""CSV and XLSX exports: text never becomes a formula, and every type exports in both languages."""
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.auth.models import Role
from core.extensions import db

# OWASP's examples of cells a spreadsheet would run, and a tab
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1)",
            "-2+3", "\tTAB", "#N/A"]


@pytest.mark.workshop
def test_exported_text_never_becomes_a_formula_and_numbers_stay_numbers(app, client, make_user):
    from tests.conftest import sign_in_as
    make_user("mallory", "ROLE-MKT-MGR", full_name="=1+2")
    sign_in_as(client, "mallory")
    ids = []
    for text in FORMULAS:
        response = client.post("/workshop/request/new", data={
            "title": text, "supplier": text, "amount": "10.00", "lines-0-item": "网线", "lines-0-qty": "1"})
        assert response.status_code == 302
        ids.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    Request = app.extensions["erp"].doctypes["workshop.request"].model
    with app.app_context():  # a credit note: a negative amount is a number, not text
        db.session.get(Request, ids[0]).amount = Decimal("-2.50")
        db.session.commit()

    rows = list(csv.reader(io.StringIO(client.get("/workshop/request/export.csv?sort=id").get_data(as_text=True))))
    header = [h.lstrip("\ufeff") for h in rows[0]]
    title, supplier, amount, owner = (header.index(h) for h in ("Title", "Supplier", "Amount", "Owner"))
    for row, text in zip(rows[1:], FORMULAS):
        expected = text if text == "#N/A" else "'" + text  # #N/A is no formula in CSV: only in XLSX
        assert (row[title], row[supplier], row[owner]) == (expected, expected, "'=1+2")
    assert rows[1][amount] == "¥-2.50"

    book = load_workbook(io.BytesIO(client.get("/workshop/request/export.xlsx?sort=id").data))
    sheet = book.active
    for cells, text in zip(list(sheet.iter_rows(min_row=2)), FORMULAS):
        for cell in (cells[title], cells[supplier], cells[owner]):
            assert cell.data_type == "s", (cell.value, cell.data_type)
        assert (cells[title].value, cells[supplier].value, cells[owner].value) == (text, text, "=1+2")
        assert cells[title].quotePrefix
    first_amount = list(sheet.iter_rows(min_row=2, max_row=2))[0][amount]
    assert first_amount.data_type == "n" and first_amount.value == -2.5

    # The stored value and the API are unchanged: only the exported cell is neutralised.
    api = client.get(f"/api/v1/workshop/request/{ids[1]}").get_json()
    assert api["title"] == FORMULAS[1] and api["supplier"] == FORMULAS[1]


def test_every_document_type_exports_in_both_languages(app, client, make_user):
    """Each registered type x CSV/XLSX x Chinese/English, by a role that may read and export it,
    with the demo data loaded: 200, and an XLSX that opens with its header row."""
    from core import seed
    from tests.conftest import sign_in_as
    with app.app_context():
        seed.seed_demo_users()
        app.extensions["erp"].pm.hook.erp_demo_data(app=app)
        db.session.commit()
        roles = db.session.scalars(select(Role)).all()
        grants = {role.code: {g.code for g in role.grants} for role in roles}
    doctypes = app.extensions["erp"].doctypes
    assert len(doctypes) > 10
    for code, doctype in doctypes.items():
        reads = {doctype.permission(a) for a in ("read", "read_department", "read_all")}
        role = next((r for r, held in sorted(grants.items()) if doctype.permission("export") in held and held & reads),
                    None)
        assert role is not None, f"no role may export {code}"
        username = f"export_{code.replace('.', '_')}"
        make_user(username, role)
        sign_in_as(client, username)
        base = f"/{doctype.module}/{doctype.slug}"
        for language in ("zh_CN", "en"):
            client.post("/language", data={"language": language})
            text = client.get(f"{base}/export.csv")
            assert text.status_code == 200, (code, language, "csv")
            header = next(csv.reader(io.StringIO(text.get_data(as_text=True).lstrip("\ufeff"))))
            xlsx = client.get(f"{base}/export.xlsx")
            assert xlsx.status_code == 200, (code, language, "xlsx")
            sheet = load_workbook(io.BytesIO(xlsx.data)).active
            assert [c.value for c in next(sheet.iter_rows(max_row=1))] == header, (code, language)
            if doctype.permission("import") in grants[role]:
                template = client.get(f"{base}/import/template.xlsx")
                assert template.status_code == 200, (code, language, "template")
                load_workbook(io.BytesIO(template.data))
