"""Small view helpers modules share."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user

from .auth.decorators import permission_required
from .menu import menu_for


def module_blueprint(name: str, import_name: str, permission: str) -> Blueprint:
    """A module's blueprint with its landing page: the module's menu as cards.

    Mounted by core at ``/<name>``; the module adds its own routes to it.
    """
    bp = Blueprint(name, import_name, template_folder="templates")

    @bp.route("/")
    @permission_required(permission)
    def index():
        section = next((s for s in menu_for(current_user) if s["name"] == name), None)
        manifest = current_app.extensions["erp"].manifests[name]
        return render_template("core/module_index.html", section=section, manifest=manifest,
                               title=current_app.extensions["erp"].section_label(name))
    return bp


def table_export(name: str, title, headers: list, rows: list[list], fmt: str):
    """A report's table as a CSV (with the BOM Excel needs for Chinese) or XLSX download, cells that
    would be formulas kept as text, the export audited: ``table_export("purchases", _("Purchases"),
    [_("Supplier"), _("Amount")], [["华讯", Decimal("1200.00")]], "xlsx")``."""
    import csv
    import io

    from flask import Response, abort, send_file

    from .audit import log as audit
    from .documents.views import csv_text, sheet_title, xlsx_text
    if fmt not in ("csv", "xlsx"):
        abort(404)
    audit.record_now("export", name, "", {"format": fmt, "rows": len(rows)})
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([csv_text(str(h)) for h in headers])
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
        return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    cell = xlsx_text(sheet)
    sheet.append([cell(str(h)) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, download_name=f"{name}.xlsx", as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
