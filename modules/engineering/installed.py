"""The installed base (客户设备档案, X-E03; R-E-062): every device delivered to a customer.

- A record per device: the customer (a core party with the customer role), the project (optional:
  equipment sold without works has none), type, brand, model, serial number (unique per brand,
  a second one refused naming the serial), firmware, location, IP or identifier, install date,
  warranty end (when left empty: the install date plus the project's warranty months, 12 without
  a project), supplier, status (在用, 维修中, 已更换, 报废) and notes. Entered one by one, or many at
  once from the project's page (设备清单: a table of rows, all saved or none); listed and
  searched by serial, model, location and customer.
- R-E-062: a project leaves CLOSING for WARRANTY only with at least one installed-base record,
  or the 工程部经理's recorded waiver that it delivered no equipment (``@gate("closing")``, the
  gate of that transition: see ``projects.PROJECT_WORKFLOW``).
- The service tickets (service.py) read the warranty end of a device on the day they are reported.

Seen by the engineering department (the 工程部经理 and the directors all; an engineer those of his
projects and those he entered), and by sales' readers of projects.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from core import calendar_today
from core.auth.decorators import permission_required
from core.auth.permissions import Permission, RoleTemplate
from core.documents import Action, Column, DocType, Document, Related
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.workflow import Issue

from .projects import CODE as PROJECT_CODE
from .projects import PROJECT, EngProject, add_months, gate, my_projects
from .views import bp

DEVICE_CODE = "engineering.installed_device"
DEFAULT_WARRANTY_MONTHS = 12

DEVICE_STATUS = [("in_use", _l("In use")), ("in_repair", _l("Under repair")), ("replaced", _l("Replaced")),
                 ("scrapped", _l("Scrapped"))]


def customer_parties() -> list[tuple[int, str]]:
    """The active core parties holding the customer role, and the company itself (the party named
    ``core.company_name``): internal IT requests are service tickets of the company (R-E-014)."""
    from core import settings
    from core.parties.models import Party, PartyRole
    customer = select(PartyRole.party_id).where(PartyRole.party_id == Party.id, PartyRole.role == "customer").exists()
    return [(pid, name) for pid, name in db.session.execute(
        select(Party.id, Party.name).where(Party.active.is_(True), or_(customer, Party.name == settings.get(
            "core.company_name"))).order_by(Party.name))]


def is_company(party_id) -> bool:
    """Whether the party is the company itself (an internal request, R-E-014)."""
    from core import settings
    return bool(party_id) and party_name(party_id) == settings.get("core.company_name")


def party_name(party_id) -> str:
    from core.parties.models import Party
    party = db.session.get(Party, party_id) if party_id else None
    return party.name if party is not None else ""


DEVICE_FIELDS = [
    Field("title", _l("Device"), readonly=True),
    Field("customer", _l("Customer"), "reference", options=customer_parties, required=True),
    Field("customer_name", _l("Customer name"), readonly=True, max_length=200),
    Field("project", _l("Project"), "reference", target=PROJECT_CODE),
    Field("device_type", _l("Device type"), required=True, max_length=60),
    Field("brand", _l("Brand"), required=True, max_length=60),
    Field("model", _l("Device model"), required=True, max_length=80),
    Field("serial_no", _l("Serial number"), required=True, max_length=80),
    Field("firmware", _l("Firmware / version"), max_length=80, listed=False),
    Field("location", _l("Installed at"), required=True, max_length=200),
    Field("identifier", _l("IP address / identifier"), max_length=80, listed=False),
    Field("install_date", _l("Install date"), "date", required=True, default=lambda: calendar_today.today()),
    Field("warranty_end", _l("Warranty ends"), "date",
          help=_l("Left empty: the install date plus the project's warranty months.")),
    Field("supplier", _l("Supplier"), max_length=120),
    Field("status", _l("Status"), "choice", choices=DEVICE_STATUS, required=True, default="in_use"),
    Field("notes", _l("Notes"), "textarea"),
]


class InstalledDevice(Document, declared_columns([f for f in DEVICE_FIELDS if f.name != "title"]), db.Model):
    """客户设备档案 (X-E03)."""
    __tablename__ = "eng_installed_device"
    __table_extra__ = (UniqueConstraint("brand", "serial_no", name="uq_eng_installed_device_serial"),)


class NoEquipmentWaiver(db.Model):
    """The 工程部经理's record that a project delivered no equipment (R-E-062 waived)."""
    __tablename__ = "eng_no_equipment_waiver"
    project_id: Mapped[int] = mapped_column(ForeignKey("eng_project.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(Integer)
    by_name: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def warranty_end_of(install_date: date, project: EngProject | None) -> date:
    months = int(project.warranty_months or 0) if project is not None else DEFAULT_WARRANTY_MONTHS
    return add_months(install_date, months)


def save_device(device):
    if not party_name(device.customer_id):
        raise ValidationFailed({"customer_id": [_("Choose the customer.")]})
    device.brand, device.serial_no = (device.brand or "").strip(), (device.serial_no or "").strip()
    project = db.session.get(EngProject, device.project_id) if device.project_id else None
    clash = select(InstalledDevice.number).where(InstalledDevice.brand == device.brand,
                                                 InstalledDevice.serial_no == device.serial_no)
    if device.id:
        clash = clash.where(InstalledDevice.id != device.id)
    with db.session.no_autoflush:
        number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"serial_no": [_(
            "%(brand)s serial number %(serial)s is already in the installed base (%(number)s).",
            brand=device.brand, serial=device.serial_no, number=number)]})
    if device.warranty_end is None and device.install_date is not None:
        device.warranty_end = warranty_end_of(device.install_date, project)
    if device.warranty_end is not None and device.install_date and device.warranty_end < device.install_date:
        raise ValidationFailed({"warranty_end": [_("The warranty ends after the install date.")]})
    device.customer_name = party_name(device.customer_id)[:200]
    device.title = f"{device.brand} {device.model} {device.serial_no}"[:200]


def device_visibility(user):
    """An engineer sees the devices of his projects (besides those he entered)."""
    return InstalledDevice.project_id.in_(my_projects(user))


DEVICE = DocType(
    code=DEVICE_CODE, model=InstalledDevice, label=_l("Installed device"), label_plural=_l("Installed base"),
    fields=DEVICE_FIELDS, number_prefix="SB", number_reset="never", print_title="客户设备档案", menu_order=60,
    before_save=save_device, visibility=device_visibility,
    columns=[Column("customer_name", _l("Customer")), Column("device_type", _l("Device type")),
             Column("brand", _l("Brand")), Column("model", _l("Device model")), Column("serial_no", _l("Serial number")),
             Column("location", _l("Installed at")), Column("warranty_end", _l("Warranty ends"), kind="date"),
             Column("status", _l("Status"), kind="choice", choices=dict(DEVICE_STATUS))],
    search=("serial_no", "model", "brand", "location", "customer_name"),
)


# ---- R-E-062: the project goes under warranty with its installed base recorded ------------------
def has_devices(project_id: int) -> bool:
    return db.session.scalar(select(InstalledDevice.id).where(InstalledDevice.project_id == project_id)
                             .limit(1)) is not None


@gate("closing")
def installed_base_recorded(project, user) -> list[Issue]:
    """R-E-062 (WF-E04 closing e): leaving CLOSING for WARRANTY needs an installed-base record of
    the project, or the recorded waiver that it delivered no equipment."""
    if has_devices(project.id) or db.session.get(NoEquipmentWaiver, project.id) is not None:
        return []
    return [Issue(_("Record the delivered equipment in the installed base (设备档案) first, or record that the "
                    "project delivered no equipment (R-E-062)."), code="R-E-062")]


def waive(project, user, reason: str) -> NoEquipmentWaiver:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the project delivered no equipment.")]})
    waiver = db.session.get(NoEquipmentWaiver, project.id) or NoEquipmentWaiver(project_id=project.id)
    waiver.reason, waiver.by_id, waiver.by_name = reason, user.id, user.display_name[:120]
    waiver.at = calendar_today.now()
    db.session.add(waiver)
    return waiver


# ---- 设备清单: many devices of a project at once ----------------------------------------------------
BULK_COLUMNS = ("device_type", "brand", "model", "serial_no", "location", "firmware", "identifier")


def add_devices(project, rows: list[dict], user, install_date: date | None = None, supplier: str = "",
                customer_id: int | None = None) -> list[InstalledDevice]:
    """The devices of `rows` (dicts of BULK_COLUMNS; blank rows skipped) for `project`, checked all
    first: raises ValidationFailed naming each bad row, nothing added. Not committed."""
    from core.documents import service
    made, problems, seen = [], [], set()
    for n, row in enumerate(rows, start=1):
        values = {k: (row.get(k) or "").strip() for k in BULK_COLUMNS}
        if not any(values.values()):
            continue
        device = service.new_document(DEVICE, user)
        for key, value in values.items():
            setattr(device, key, value)
        device.customer_id, device.project_id = customer_id, project.id
        device.install_date = install_date or project.actual_completion or calendar_today.today()
        device.supplier, device.status = supplier[:120], "in_use"
        missing = [str(f.label) for f in DEVICE_FIELDS if f.name in ("device_type", "brand", "model", "serial_no",
                                                                        "location") and not values[f.name]]
        if missing:
            problems.append(_("Row %(n)s: %(fields)s missing.", n=n, fields=", ".join(missing)))
            continue
        key = (values["brand"], values["serial_no"])
        if key in seen:
            problems.append(_("Row %(n)s: serial number %(serial)s given twice.", n=n, serial=values["serial_no"]))
            continue
        seen.add(key)
        try:
            save_device(device)
        except ValidationFailed as refused:
            reasons = [r for rs in refused.fields.values() for r in rs] + list(refused.errors)
            problems.append(_("Row %(n)s: %(reason)s", n=n, reason="; ".join(str(r) for r in reasons)))
            continue
        made.append(device)
    if problems:
        raise ValidationFailed({}, problems)
    if not made:
        raise ValidationFailed({}, [_("Give at least one device.")])
    service.assign_numbers(DEVICE, made)
    db.session.add_all(made)
    return made


@bp.route("/project/<int:doc_id>/devices", methods=["GET", "POST"])
@permission_required(f"{DEVICE_CODE}.create")
def project_devices(doc_id):
    """设备清单: the project's devices, and a table to add many at once."""
    from flask_wtf import FlaskForm

    from core.documents import service
    project = service.get_visible(PROJECT, current_user, doc_id)
    form = FlaskForm()
    problems, rows = [], [dict.fromkeys(BULK_COLUMNS, "") for _i in range(10)]
    customers = customer_parties()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        count = max(0, min(int(request.form.get("rows", "10") or 10), 200))
        rows = [{k: request.form.get(f"{k}-{i}", "") for k in BULK_COLUMNS} for i in range(count)]
        try:
            raw_day = request.form.get("install_date") or ""
            day = date.fromisoformat(raw_day) if raw_day else None
        except ValueError:
            day = None
            problems.append(_("The install date is not a date."))
        customer = request.form.get("customer_id", "")
        customer_id = int(customer) if customer.isdecimal() else None
        if not problems:
            try:
                made = add_devices(project, rows, current_user, day, request.form.get("supplier", ""), customer_id)
                service.commit(DEVICE)
                flash(_("%(n)s devices added to the installed base.", n=len(made)), "success")
                return redirect(url_for("engineering.project_devices", doc_id=project.id))
            except ValidationFailed as refused:
                db.session.rollback()
                problems = [str(p) for ps in refused.fields.values() for p in ps] + [str(p) for p in refused.errors]
    devices = list(db.session.scalars(service.visible(DEVICE, current_user).where(
        InstalledDevice.project_id == project.id).order_by(InstalledDevice.id)))
    return render_template("engineering/project_devices.html", project=project, devices=devices, rows=rows,
                           columns=[(k, next(f.label for f in DEVICE_FIELDS if f.name == k)) for k in BULK_COLUMNS],
                           customers=customers, problems=problems, form=form,
                           waiver=db.session.get(NoEquipmentWaiver, project.id))


@bp.route("/project/<int:doc_id>/no-equipment", methods=["POST"])
@permission_required(f"{DEVICE_CODE}.waive")
def no_equipment(doc_id):
    """The 工程部经理 records that the project delivered no equipment (R-E-062 waived)."""
    from flask_wtf import FlaskForm

    from core.documents import service
    project = service.get_visible(PROJECT, current_user, doc_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        waive(project, current_user, request.form.get("reason", ""))
        db.session.commit()
        flash(_("Recorded: the project delivered no equipment."), "success")
    except ValidationFailed as refused:
        db.session.rollback()
        flash("; ".join(str(r) for rs in refused.fields.values() for r in rs), "danger")
    return redirect(url_for("engineering.project_devices", doc_id=project.id))


PROJECT.relate(Related(_l("Installed base"), DEVICE_CODE, "project_id"))
PROJECT.add_action(Action(_l("Equipment list"), "engineering.project_devices", permission=f"{DEVICE_CODE}.create",
                          states=("in_construction", "system_test", "pre_acceptance", "rectification",
                                  "final_acceptance", "closing", "warranty")))


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [InstalledDevice, NoEquipmentWaiver]


@hookimpl
def erp_document_types():
    return [DEVICE]


@hookimpl
def erp_permissions():
    return [Permission(f"{DEVICE_CODE}.waive", _l("Record that a project delivered no equipment"))]


@hookimpl
def erp_roles():
    read = [f"{DEVICE_CODE}.read", f"{DEVICE_CODE}.export"]
    engineer = read + [f"{DEVICE_CODE}.{a}" for a in ("create", "edit")]
    followers = [RoleTemplate(role, permissions=read + [f"{DEVICE_CODE}.read_all"])
                 for role in ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AST", "ROLE-MKT-AM")]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer),
            RoleTemplate("ROLE-ENG-MGR", permissions=engineer + [f"{DEVICE_CODE}.{a}" for a in (
                "read_all", "import", "waive")]), *followers]


@hookimpl
def erp_rules():
    return [Rule("R-E-062", "设备档案", "Every delivered customer device (brand, model, serial number, location, "
                 "install date, warranty end, supplier) is recorded in the installed base; the project goes under "
                 "warranty only then (or with the recorded waiver that it delivered no equipment).", "block")]
