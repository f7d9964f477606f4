"""Cabling test reports (综合布线工程完工测试报告, F-E07; R-E-015, R-E-043).

Once the cabling is complete the project engineer certifies every installed link with a
calibrated tester (a calibration expired on a test date is refused, R-E-015) and records each
link's result: copper links with the certifier's figures (length, wire map, insertion loss, NEXT
margin...), fibre links with their loss against the allowed loss. A certifier's CSV export
(Fluke LinkWare and alike) is imported on the report's page (``import_links``): every row is
checked first and a bad row is refused with its row number and reason, nothing half-saved; a
link met again takes the imported result as its re-test (a repaired link tested again). The
file is kept as the report's raw test data (原始测试数据), which its submission requires.

The summary (links tested, passed, pass rate) is computed on every save, and the conclusion
passed (合格) is accepted only when every installed link is tested (``eng.cabling_test_coverage_pct``)
and passes after its re-test. The tester submits (he signs), the 工程部经理 approves.

A cabling project goes to pre-acceptance only with an approved report whose links all passed
(R-E-043, the ``pre_acceptance`` gate); the refusal says how many links are untested or failed.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import settings
from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents import Action, Column, DocType, Document, Lines, Related
from core.documents.fields import Field, declared_columns
from core.documents.models import Attachment
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow

from .projects import ACTIVE, ENGINEERS, PROJECT, EngProject, gate, of_project, on_my_projects
from .views import bp

CODE = "engineering.cabling_test"
STANDARDS = [("gb50312", "GB 50312"), ("tia568", "ANSI/TIA-568"), ("iso11801", "ISO/IEC 11801")]
LINK_MODELS = [("permanent_link", _l("Permanent link")), ("channel", _l("Channel"))]
CATEGORIES = [("cat5e", _l("Category 5e")), ("cat6", _l("Category 6")), ("cat6a", _l("Category 6A")),
              ("cat7", _l("Category 7")), ("om3_om4", _l("Multimode fibre OM3/OM4")),
              ("os2", _l("Single-mode fibre OS2"))]
MEDIA = [("copper", _l("Copper")), ("fibre", _l("Fibre"))]
WIRE_MAP = [("pass", _l("Pass")), ("fail", _l("Fail"))]
RESULTS = [("PASS", "PASS"), ("FAIL", "FAIL")]
CONCLUSIONS = [("passed", _l("Passed")), ("failed", _l("Not passed"))]
APPROVED = ("approved", "archived")
# A project's scope line naming one of these is cabling work (R-E-043 applies).
CABLING_WORDS = ("布线", "线缆", "网线", "光缆", "cabling")

REPORT_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    of_project(states=ACTIVE),
    Field("test_start", _l("Tested from"), "date", required=True),
    Field("test_end", _l("Tested until"), "date", required=True),
    Field("tester", _l("Tester"), "user", roles=ENGINEERS, required=True),
    Field("co_testers", _l("Other testers"), max_length=200, listed=False),
    Field("witness", _l("Witness (owner or supervisor)"), "xsig"),
    Field("instrument_model", _l("Test instrument"), required=True, max_length=120, listed=False,
          help=_l("The certifier's make and model, e.g. Fluke DSX-5000.")),
    Field("instrument_serial", _l("Instrument serial no."), required=True, max_length=60, listed=False),
    Field("calibration_valid_until", _l("Calibration valid until"), "date", required=True, listed=False,
          help=_l("The calibration must be valid on every test date (R-E-015).")),
    Field("standard", _l("Test standard"), "choice", choices=STANDARDS, required=True, default="gb50312",
          listed=False),
    Field("link_model", _l("Test model"), "choice", choices=LINK_MODELS, required=True, default="permanent_link",
          listed=False),
    Field("cable_category", _l("Cable category"), "choice", choices=CATEGORIES, required=True, default="cat6"),
    Field("links_installed", _l("Links installed"), "integer", required=True, minimum=1, maximum=100000,
          help=_l("The links installed according to the labelling plan: every one is tested (R-E-043).")),
    Field("total_links", _l("Links tested"), "integer", readonly=True),
    Field("passed_links", _l("Links passed"), "integer", readonly=True),
    Field("pass_rate", _l("Pass rate"), "percent", readonly=True),
    Field("conclusion", _l("Conclusion"), "choice", choices=CONCLUSIONS, required=True, default="failed"),
]

LINK_FIELDS = [
    Field("link_id", _l("Link ID"), required=True, max_length=60),
    Field("medium", _l("Medium"), "choice", choices=MEDIA, required=True, default="copper"),
    Field("location", _l("Outlet location"), max_length=120),
    Field("panel_port", _l("Panel port"), max_length=60),
    Field("length_m", _l("Length (m)"), "decimal", minimum=0, maximum=100000),
    Field("wire_map", _l("Wire map"), "choice", choices=WIRE_MAP),
    Field("insertion_loss_db", _l("Insertion loss (dB)"), "decimal", listed=False),
    Field("next_margin_db", _l("NEXT margin (dB)"), "decimal"),
    Field("psnext_margin_db", _l("PS NEXT margin (dB)"), "decimal", listed=False),
    Field("acr_f_db", _l("ACR-F (dB)"), "decimal", listed=False),
    Field("return_loss_db", _l("Return loss (dB)"), "decimal", listed=False),
    Field("prop_delay_ns", _l("Propagation delay (ns)"), "decimal", listed=False),
    Field("delay_skew_ns", _l("Delay skew (ns)"), "decimal", listed=False),
    Field("loop_resistance_ohm", _l("Loop resistance (Ω)"), "decimal", listed=False),
    Field("wavelength_nm", _l("Wavelength (nm)"), "integer", minimum=0, maximum=2000, listed=False),
    Field("loss_db", _l("Loss (dB)"), "decimal"),
    Field("allowed_loss_db", _l("Allowed loss (dB)"), "decimal", listed=False),
    Field("result", _l("Result"), "choice", choices=RESULTS, required=True),
    Field("retest_result", _l("Re-test result"), "choice", choices=RESULTS),
]


class CablingTest(Document, declared_columns([f for f in REPORT_FIELDS if f.name not in ("title", "project")]),
                  db.Model):
    """综合布线工程完工测试报告 (F-E07)."""
    __tablename__ = "eng_cabling_test"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id"), index=True)

    project = relationship(EngProject, lazy="joined")
    links = relationship(lambda: CablingTestLink, cascade="all, delete-orphan", order_by=lambda: CablingTestLink.id,
                         lazy="selectin")

    @property
    def failed_links(self) -> int:
        return (self.total_links or 0) - (self.passed_links or 0)

    @property
    def untested_links(self) -> int:
        return max((self.links_installed or 0) - (self.total_links or 0), 0)


class CablingTestLink(declared_columns(LINK_FIELDS), db.Model):
    __tablename__ = "eng_cabling_test_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("eng_cabling_test.id", ondelete="CASCADE"), index=True)

    @property
    def final_result(self) -> str:
        """The result after the re-test, if the link was tested again."""
        return self.retest_result or self.result

    @property
    def key(self) -> tuple:
        """A link is measured once per wavelength (a fibre at 850 and 1300 nm: two lines)."""
        return (self.link_id or "").strip().upper(), self.wavelength_nm


# ---- saving -------------------------------------------------------------------------------------
def coverage_met(report) -> bool:
    """Enough of the installed links tested (eng.cabling_test_coverage_pct, 100 % by default)."""
    required = Decimal(settings.get("eng.cabling_test_coverage_pct"))
    return Decimal(report.total_links or 0) * 100 >= Decimal(report.links_installed or 0) * required


def link_problems(report) -> list[str]:
    problems, seen = [], {}
    for n, link in enumerate(report.links, start=1):
        key = link.key
        if key in seen:
            problems.append(_("Line %(n)s: link %(link)s is already on line %(first)s.", n=n, link=link.link_id,
                              first=seen[key]))
        seen.setdefault(key, n)
        if link.medium == "copper" and link.wire_map == "fail" and link.result == "PASS":
            problems.append(_("Line %(n)s: link %(link)s failed its wire map and cannot pass.", n=n, link=link.link_id))
        if (link.medium == "fibre" and link.result == "PASS" and link.loss_db is not None
                and link.allowed_loss_db is not None and Decimal(link.loss_db) > Decimal(link.allowed_loss_db)):
            problems.append(_("Line %(n)s: link %(link)s loses more than allowed and cannot pass.", n=n,
                              link=link.link_id))
    return problems


def save_report(report):
    project = db.session.get(EngProject, report.project_id) if report.project_id else None
    if project is None:
        raise ValidationFailed({"project_id": [_("Choose the project.")]})
    report.title = f"{project.number} {project.title}"[:200]
    if report.test_start and report.test_end and report.test_end < report.test_start:
        raise ValidationFailed({"test_end": [_("The last test date comes after the first.")]})
    if report.calibration_valid_until and report.test_end and report.calibration_valid_until < report.test_end:
        raise ValidationFailed({"calibration_valid_until": [_(
            "The instrument's calibration expired on %(day)s, before the test on %(test)s: a report cannot use an "
            "instrument out of calibration (R-E-015).", day=report.calibration_valid_until.isoformat(),
            test=report.test_end.isoformat())]})
    if problems := link_problems(report):
        raise ValidationFailed({}, problems)
    passes: dict[str, bool] = {}
    for link in report.links:  # a link passes when every wavelength measured passes
        passes[link.key[0]] = passes.get(link.key[0], True) and link.final_result == "PASS"
    report.total_links, report.passed_links = len(passes), sum(passes.values())
    report.pass_rate = ((Decimal(report.passed_links) * 100 / report.total_links).quantize(Decimal("0.01"))
                        if report.total_links else None)
    if report.conclusion == "passed" and (report.failed_links or not report.total_links or not coverage_met(report)):
        raise ValidationFailed({"conclusion": [_(
            "The conclusion is passed only when every installed link is tested and passes after its re-test: "
            "%(untested)s untested, %(failed)s failed.", untested=report.untested_links, failed=report.failed_links)]})


# ---- workflow -----------------------------------------------------------------------------------
def raw_data_attached(report, user) -> list[Issue]:
    """原始测试数据: the certifier's files (the imported CSV is kept as one)."""
    if db.session.scalar(select(Attachment.id).where(Attachment.doctype == CODE, Attachment.doc_id == report.id)
                         .limit(1)) is None:
        return [Issue(_("Attach the certifier's raw test data."))]
    return []


def links_recorded(report, user) -> list[Issue]:
    if not report.links:
        return [Issue(_("Record the links tested (or import the certifier's CSV)."), field="links")]
    return []


REPORT_WORKFLOW = Workflow(
    states={"draft": _l("Draft"), "submitted": _l("Awaiting approval"), "approved": _l("Approved"),
            "archived": _l("Archived")},
    initial="draft",
    transitions=[
        Transition("submit", _l("Submit for approval"), ["draft"], "submitted", kind="submit",
                   conditions=[links_recorded, raw_data_attached], signs=_l("Tester")),
        Transition("approve", _l("Approve"), ["submitted"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Return for revision"), ["submitted"], "draft", kind="reject", comment_required=True,
                   style="outline-danger"),
        Transition("archive", _l("Archive"), ["approved"], "archived", style="outline-secondary"),
    ],
    steps=[ApprovalStep("manager", _l("Engineering manager"), ByRole("ROLE-ENG-MGR"))],
)

REPORT = DocType(
    code=CODE, model=CablingTest, label=_l("Cabling test report"), label_plural=_l("Cabling test reports"),
    fields=REPORT_FIELDS, workflow=REPORT_WORKFLOW, number_prefix="CS", print_title="综合布线工程完工测试报告",
    lines=Lines("links", CablingTestLink, fields=LINK_FIELDS, blank_rows=0),
    visibility=on_my_projects(CablingTest), edited_by=lambda doc, user: user.id in doc.project.engineer_ids(),
    before_save=save_report, menu_order=71, search=("instrument_serial",),
    columns=[Column("test_end", _l("Tested until"), kind="date"),
             Column("cable_category", _l("Cable category"), kind="choice", choices=dict(CATEGORIES)),
             Column("links_installed", _l("Links installed"), kind="number"),
             Column("passed_links", _l("Links passed"), kind="number"),
             Column("pass_rate", _l("Pass rate"), kind="number"),
             Column("conclusion", _l("Conclusion"), kind="choice", choices=dict(CONCLUSIONS))],
    actions=[Action(_l("Import the certifier's CSV"), "engineering.cabling_test_links",
                    permission=f"{CODE}.edit", states=("draft",))],
)

PROJECT.relate(Related(_l("Cabling test reports"), CODE, "project_id"))


# ---- import of a certifier's CSV export ---------------------------------------------------------
# Header (lower case, as LinkWare and other certifiers name it) -> link field.
HEADERS = {
    "cable id": "link_id", "link id": "link_id", "链路编号": "link_id",
    "location": "location", "位置": "location",
    "panel port": "panel_port", "port": "panel_port", "端口": "panel_port",
    "length (m)": "length_m", "length": "length_m", "长度(m)": "length_m",
    "wire map": "wire_map", "接线图": "wire_map",
    "insertion loss (db)": "insertion_loss_db", "next margin (db)": "next_margin_db",
    "ps next margin (db)": "psnext_margin_db", "psnext margin (db)": "psnext_margin_db",
    "acr-f (db)": "acr_f_db", "acr-f margin (db)": "acr_f_db", "return loss (db)": "return_loss_db",
    "return loss margin (db)": "return_loss_db", "propagation delay (ns)": "prop_delay_ns",
    "prop. delay (ns)": "prop_delay_ns", "delay skew (ns)": "delay_skew_ns",
    "loop resistance (ohms)": "loop_resistance_ohm", "loop resistance (ohm)": "loop_resistance_ohm",
    "wavelength (nm)": "wavelength_nm", "loss (db)": "loss_db", "loss limit (db)": "allowed_loss_db",
    "allowed loss (db)": "allowed_loss_db",
    "result": "result", "overall result": "result", "测试结果": "result",
}
DECIMALS = ("length_m", "insertion_loss_db", "next_margin_db", "psnext_margin_db", "acr_f_db", "return_loss_db",
            "prop_delay_ns", "delay_skew_ns", "loop_resistance_ohm", "loss_db", "allowed_loss_db")


def _verdict(text: str) -> str | None:
    """PASS / FAIL from a certifier's result (LinkWare marks a marginal one PASS* or FAIL*)."""
    word = text.strip().rstrip("*").strip().upper()
    return {"PASS": "PASS", "FAIL": "FAIL", "通过": "PASS", "合格": "PASS", "失败": "FAIL", "不合格": "FAIL"}.get(word)


def read_csv(data: bytes) -> list[list[str]]:
    """The file's rows; Excel on a Chinese Windows saves CSV in GB18030 rather than UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def parse_links(rows: list[list[str]]) -> tuple[list[dict], list[str]]:
    """A certifier's CSV rows -> (link rows, problems); problems name the file's row (1 is the header)."""
    if not rows:
        return [], [_("The file is empty.")]
    columns = [HEADERS.get(h.strip().lower()) for h in rows[0]]
    header = {name: h for name, h in zip(columns, rows[0]) if name}
    missing = [label for name, label in (("link_id", "Cable ID"), ("result", "Result")) if name not in columns]
    if missing:
        return [], [_("The file has no column %(columns)s.", columns=", ".join(missing))]
    links, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {name: cell for name, cell in zip(columns, row) if name and cell}
        link, reasons = {"medium": "fibre" if values.get("wavelength_nm") else "copper"}, []
        for name, cell in values.items():
            if name in DECIMALS or name == "wavelength_nm":
                try:
                    link[name] = int(cell) if name == "wavelength_nm" else Decimal(cell.replace(",", ""))
                except (InvalidOperation, ValueError):
                    reasons.append(_("%(column)s “%(value)s” is not a number", column=header[name], value=cell))
            elif name in ("wire_map", "result"):
                verdict = _verdict(cell)
                if verdict is None:
                    reasons.append(_("%(column)s “%(value)s” is neither PASS nor FAIL", column=header[name], value=cell))
                link[name] = verdict.lower() if verdict and name == "wire_map" else verdict
            else:
                link[name] = cell[:120] if name == "location" else cell[:60]
        if not values.get("link_id"):
            reasons.append(_("no link ID"))
        if not values.get("result"):
            reasons.append(_("no result"))
        if reasons:
            problems.append(_("Row %(row)s: %(reasons)s.", row=number, reasons="; ".join(reasons)))
        else:
            links.append(link)
    return links, problems


def import_links(report, data: bytes) -> int:
    """Add the links of a certifier's CSV export to the report; a link met again at the same
    wavelength (already on the report, or on an earlier row: the certifier exports every test)
    takes the result as its re-test. All or nothing: raises ValidationFailed naming the bad rows.
    Returns the number of rows imported. Not committed."""
    from core.documents import service
    try:
        rows = read_csv(data)
    except (UnicodeDecodeError, csv.Error):
        raise ValidationFailed({}, [_("The file cannot be read as CSV.")]) from None
    links, problems = parse_links(rows)
    if problems:
        raise ValidationFailed({}, problems)
    if not links:
        raise ValidationFailed({}, [_("The file holds no link.")])
    known = {line.key: line for line in report.links}
    for link in links:
        line = CablingTestLink(**link)
        if line.key in known:
            known[line.key].retest_result = line.result
        else:
            report.links.append(line)
            known[line.key] = line
    service.apply_values(report.__doctype__, report, {})
    return len(links)


def keep_raw_file(report, name: str, data: bytes, user) -> None:
    """The imported CSV kept as the report's raw test data (原始测试数据)."""
    import hashlib
    import uuid
    from pathlib import Path
    folder = Path(current_app.config.get("ERP_ATTACHMENT_DIR") or Path(current_app.instance_path) / "attachments")
    folder.mkdir(parents=True, exist_ok=True)
    stored = uuid.uuid4().hex
    (folder / stored).write_bytes(data)
    db.session.add(Attachment(doctype=CODE, doc_id=report.id, filename=name[:255], content_type="text/csv",
                              size=len(data), sha256=hashlib.sha256(data).hexdigest(), stored_name=stored,
                              uploaded_by_id=user.id))


@bp.route("/cabling_test/<id:doc_id>/links", methods=["GET", "POST"])
@permission_required(f"{CODE}.edit")
def cabling_test_links(doc_id):
    """导入测试数据: the certifier's CSV export added to the report's links."""
    from core.documents import service
    doctype = current_app.extensions["erp"].doctypes[CODE]
    report = service.get_visible(doctype, current_user, doc_id)
    if not service.can_edit(doctype, current_user, report):
        abort(403)
    form, problems, status = FlaskForm(), [], 200
    if request.method == "POST":
        if not form.validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
            abort(400)
        upload = request.files.get("file")
        data = upload.read() if upload is not None and upload.filename else b""
        try:
            if not data:
                raise ValidationFailed({}, [_("Choose a file to upload.")])
            count = import_links(report, data)
            keep_raw_file(report, upload.filename.rsplit("/", 1)[-1], data, current_user)
            service.commit(doctype)
        except ValidationFailed as exc:
            db.session.rollback()
            problems = [*exc.errors, *(m for messages in exc.fields.values() for m in messages)]
            status = 422
        else:
            flash(_("%(count)s test results imported: %(passed)s of %(total)s links passed.", count=count,
                    passed=report.passed_links, total=report.total_links), "success")
            return redirect(url_for(f"{doctype.endpoint_prefix}_detail", doc_id=report.id))
    return render_template("engineering/cabling_import.html", doctype=doctype, doc=report, form=form,
                           problems=problems, headers=sorted({h for h in HEADERS if h.isascii()})), status


# ---- the pre-acceptance gate (R-E-043) ----------------------------------------------------------
def needs_cabling_test(project) -> bool:
    return project.project_type == "cabling" or any(
        word in (line.item or "").lower() for line in project.scope for word in CABLING_WORDS)


@gate("pre_acceptance")
def cabling_tested(project, user) -> list[Issue]:
    """R-E-043: every installed link tested and passed, on an approved F-E07."""
    if not needs_cabling_test(project):
        return []
    reports = db.session.scalars(select(CablingTest).where(CablingTest.project_id == project.id)
                                 .order_by(CablingTest.id)).all()
    approved = [r for r in reports if r.state in APPROVED]
    if approved and all(r.conclusion == "passed" and not r.failed_links and coverage_met(r) for r in approved):
        return []
    counted = approved or reports[-1:]
    if not counted:
        return [Issue(_("Test every installed cabling link and have the test report (F-E07) approved first "
                        "(R-E-043)."), code="R-E-043")]
    installed = sum(r.links_installed or 0 for r in counted)
    return [Issue(_("The cabling test report (F-E07) is not approved with every link passed: %(untested)s of "
                    "%(installed)s links untested, %(failed)s failed (R-E-043).",
                    untested=sum(r.untested_links for r in counted), installed=installed,
                    failed=sum(r.failed_links for r in counted)), code="R-E-043")]


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [CablingTest, CablingTestLink]


@hookimpl
def erp_document_types():
    return [REPORT]


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "submit", "archive")]
    directors = read + [f"{CODE}.read_all"]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=engineer + [f"{CODE}.read_all"]),
            RoleTemplate("ROLE-GM", permissions=directors),
            RoleTemplate("ROLE-MKT-DIR", permissions=directors)]


@hookimpl
def erp_settings():
    return [Setting("eng.cabling_test_coverage_pct", "int", 100, _l("Cabling links tested before pre-acceptance (%)"),
                    _l("R-E-043: the share of the installed links the cabling test report must cover."),
                    min=1, max=100)]


@hookimpl
def erp_rules():
    return [
        Rule("R-E-015", "仪器校准有效", "A test report cannot use an instrument whose calibration expired on a test "
             "date.", "block"),
        Rule("R-E-043", "布线全数测试", "Every installed cabling link is tested with a calibrated certifier and "
             "passes (after repair and re-test) on an approved cabling test report before pre-acceptance.", "block",
             params=("eng.cabling_test_coverage_pct",)),
    ]


# ---- demo ---------------------------------------------------------------------------------------
def demo(users) -> None:
    """A cabling test report on each cabling project in system testing or later: 48 links
    certified with a Fluke DSX-5000, two failed, repaired and re-tested, approved by the
    manager; a project still under construction gets a draft with the first floor tested.
    ``users``: {"eng_mgr": User, "pe": User}; runs once."""
    from datetime import timedelta

    from flask import g

    from core import calendar_today
    from core.documents import service
    from core.workflow import engine

    from .projects import STARTED
    manager = users.get("eng_mgr")
    if manager is None or db.session.scalar(select(CablingTest.id).limit(1)) is not None:
        return
    projects = [p for p in db.session.scalars(select(EngProject).where(EngProject.state.in_(STARTED + ("warranty",)))
                                              .order_by(EngProject.id)) if needs_cabling_test(p)]
    today = calendar_today.today()
    for project in projects[:3]:
        engineer = project.engineer or users.get("pe")
        if engineer is None:
            continue
        finished = project.state != "in_construction"
        g.audit_user = engineer
        report = service.new_document(REPORT, engineer)
        report.project_id, report.tester_id, report.co_testers = project.id, engineer.id, "施工队 王师傅"
        report.test_start, report.test_end = today - timedelta(days=6), today - timedelta(days=5)
        report.instrument_model, report.instrument_serial = "Fluke DSX-5000", "2398105"
        report.calibration_valid_until = today + timedelta(days=200)
        report.standard, report.link_model, report.cable_category = "gb50312", "permanent_link", "cat6"
        report.links_installed = 48
        for n in range(1, 49 if finished else 25):
            floor, outlet = (n - 1) // 24 + 1, (n - 1) % 24 + 1
            length = Decimal(20 + (n * 37) % 64) + Decimal("0.5")
            failed = n in (7, 31)
            report.links.append(CablingTestLink(
                link_id=f"{floor}F-A{outlet:02d}", medium="copper", location=f"{floor}层办公区 {outlet:02d}号信息点",
                panel_port=f"{floor}F-PP1-{outlet:02d}", length_m=length, wire_map="pass",
                insertion_loss_db=(length * Decimal("0.19") + 1).quantize(Decimal("0.1")),
                next_margin_db=Decimal("-1.2") if failed else Decimal(3 + n % 6) + Decimal("0.4"),
                return_loss_db=Decimal(4 + n % 4), prop_delay_ns=int(length * 5) + 12, delay_skew_ns=8 + n % 15,
                result="FAIL" if failed else "PASS", retest_result="PASS" if failed and finished else ""))
        report.conclusion = "passed" if finished else "failed"
        save_report(report)
        service.assign_number(REPORT, report)
        db.session.add(report)
        db.session.commit()
        if finished:
            rows = ["Cable ID,Result,Length (m),NEXT Margin (dB)"] + [
                f"{link.link_id},{link.result},{link.length_m},{link.next_margin_db}" for link in report.links]
            keep_raw_file(report, f"{report.number}-linkware.csv", "\n".join(rows).encode(), engineer)
            db.session.commit()
            engine.perform(REPORT, report, "submit", engineer, "全部48条链路已测试，2条复测通过")
            g.audit_user = manager
            engine.perform(REPORT, report, "approve", manager, "同意，测试数据完整")
    g.audit_user = None
