"""The supplier directory (供货商名录, X-P09) and its statuses (WF-P03).

A supplier is the procurement profile of a core party with the supplier role: one register, no
duplicates (the party's unified social credit code is unique). The buyer enters a candidate
(候选) with its business licence, authorisations and certificates (qualification lines with
their expiry dates; the scans are the document's attachments), bank details and categories; an
external registry may answer first (``procurement_lookup_supplier``). An admission evaluation
(X-P05, evaluations.py) approved with a passing grade makes it a qualified supplier (合格供方,
listed in the directory) after the admission checks (``procurement_admission_checks``); a failing
grade rejects it. The 采购部经理 suspends (暂停) or blacklists (淘汰) with a reason and reinstates.
Qualified suppliers are re-evaluated every ``pur.reeval_months`` (R-P-050, a Deadline, reminded);
a failing re-evaluation suspends them.

``order_standing(supplier)`` is what a purchase order asks (R-P-010): not qualified blocks, grade
C or an overdue re-evaluation warns.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today
from core.auth.permissions import RoleTemplate
from core.documents import Deadline, DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow

CODE = "procurement.supplier"

STATES = {
    "candidate": _l("Candidate"), "evaluating": _l("Being evaluated"), "qualified": _l("Qualified supplier"),
    "rejected": _l("Not admitted"), "suspended": _l("Suspended"), "blacklisted": _l("Blacklisted"),
}
# 供货类别 (X-P09)
CATEGORIES = [("network", _l("Network equipment")), ("server", _l("Servers and storage")),
              ("cabling", _l("Cables and accessories")), ("security", _l("Security equipment")),
              ("room", _l("Machine-room equipment")), ("software", _l("Software")), ("service", _l("Services")),
              ("other", _l("Other goods"))]
GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("F", _l("Not passed"))]
QUALIFICATION_KINDS = [("licence", _l("Business licence")), ("authorisation", _l("Brand authorisation")),
                       ("certificate", _l("Certificate")), ("other", _l("Other qualification"))]
AGENT_LEVELS = [("general", _l("General agent")), ("first", _l("First-level agent")),
                ("second", _l("Second-level agent")), ("dealer", _l("Dealer"))]

BUYERS = ("ROLE-PUR-BUY", "ROLE-PUR-MGR")

SUPPLIER_FIELDS = [
    Field("title", _l("Supplier name"), required=True),
    Field("credit_code", _l("Unified social credit code"), required=True, max_length=18,
          help=_l("18 characters; it is also the tax number.")),
    Field("categories", _l("Categories supplied"), "multichoice", choices=CATEGORIES, required=True),
    Field("address", _l("Address"), listed=False),
    Field("contact_name", _l("Contact"), required=True, max_length=80),
    Field("contact_phone", _l("Contact phone"), required=True, max_length=40),
    Field("contact_email", _l("Contact e-mail"), listed=False, max_length=120),
    # Required for admission (procurement_admission_checks), not to enter a candidate.
    Field("bank_name", _l("Bank"), listed=False),
    Field("bank_account", _l("Bank account"), listed=False, max_length=40),
    Field("payment_terms", _l("Payment terms"), listed=False),
    Field("payment_days", _l("Payment term (days)"), "integer", default=30, minimum=0, maximum=365, listed=False),
    Field("buyer", _l("Responsible buyer"), "user", roles=BUYERS),
    Field("grade", _l("Grade"), "choice", choices=GRADES, readonly=True),
    Field("score", _l("Last evaluation score"), "percent", readonly=True, listed=False),
    Field("last_evaluated_on", _l("Last evaluated on"), "date", readonly=True),
    Field("next_evaluation_due", _l("Re-evaluation due"), "date", readonly=True),
    Field("on_time_rate", _l("On-time delivery rate (%)"), "percent", readonly=True),
    Field("nonconformance_count", _l("Nonconformances"), "integer", readonly=True, listed=False),
    Field("status_reason", _l("Reason of the status"), "textarea", readonly=True),
    Field("source", _l("Data source"), readonly=True, listed=False),
    Field("notes", _l("Notes"), "textarea"),
]

QUALIFICATION_FIELDS = [
    Field("kind", _l("Kind"), "choice", choices=QUALIFICATION_KINDS, required=True),
    Field("name", _l("Qualification or brand"), required=True, max_length=120),
    Field("level", _l("Agent level"), "choice", choices=AGENT_LEVELS),
    Field("certificate_no", _l("Certificate no."), max_length=60),
    Field("valid_until", _l("Expires on"), "date"),
    Field("note", _l("Note"), max_length=200),
]


class Supplier(Document, declared_columns([f for f in SUPPLIER_FIELDS if f.name != "title"]), db.Model):
    """供货商名录条目 (X-P09): the procurement profile of a core party with the supplier role."""
    __tablename__ = "procurement_supplier"
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), unique=True)

    party = relationship("Party", lazy="joined")
    qualifications = relationship(lambda: SupplierQualification, cascade="all, delete-orphan",
                                  order_by=lambda: SupplierQualification.id, lazy="selectin")

    def has_valid(self, kind: str, name: str | None = None, on: date | None = None) -> bool:
        """Whether a qualification of ``kind`` (and ``name``, e.g. a brand) is valid on ``on``."""
        on = on or calendar_today.today()
        return any(q.kind == kind and (name is None or q.name == name)
                   and (q.valid_until is None or q.valid_until >= on) for q in self.qualifications)

    def __str__(self):
        return self.title


class SupplierQualification(declared_columns(QUALIFICATION_FIELDS), db.Model):
    """A business licence, brand authorisation (代理授权书) or certificate, with its expiry."""
    __tablename__ = "procurement_supplier_qualification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id", ondelete="CASCADE"), index=True)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), the month's last day when it is shorter."""
    import calendar
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


# ---- saving -------------------------------------------------------------------------------------
def lookup(name: str, credit_code: str | None) -> dict | None:
    """What an external registry (a plugin) knows of this supplier, or None."""
    return current_app.extensions["erp"].pm.hook.procurement_lookup_supplier(name=name or "", credit_code=credit_code or None)


def save_supplier(supplier):
    """Every supplier is a core party with the supplier role: one register, no duplicates. A new
    candidate is completed from the external registry where a plugin knows it."""
    from core.parties import services as parties
    if supplier.id is None:
        known = lookup(supplier.title, supplier.credit_code) or {}
        for name in ("bank_name", "bank_account", "address", "contact_name", "contact_phone"):
            if known.get(name) and not getattr(supplier, name):
                setattr(supplier, name, known[name])
        if known.get("categories") and not supplier.categories:
            supplier.categories = list(known["categories"])
        if known:
            supplier.source = str(known.get("source") or _("External registry"))[:200]
    try:
        if supplier.party_id is None:
            party = parties.create_party(supplier.title, roles=["supplier"], credit_code=supplier.credit_code,
                                         address=supplier.address or "", phone=supplier.contact_phone or "")
            supplier.party_id = party.id
        else:
            party = db.session.get(parties.Party, supplier.party_id)
            changes = {k: v for k, v in (("name", supplier.title), ("credit_code", supplier.credit_code))
                       if getattr(party, k) != v}
            if changes:
                parties.update_party(party, **changes)
            if "supplier" not in {r.role for r in party.roles}:
                parties.add_role(party, "supplier")
    except parties.ValidationError as exc:
        raise ValidationFailed({"title" if k == "name" else k: v if isinstance(v, list) else [v]
                                for k, v in exc.errors.items()})
    party = db.session.get(parties.Party, supplier.party_id)
    supplier.credit_code = party.credit_code or supplier.credit_code


# ---- standing -----------------------------------------------------------------------------------
def order_standing(supplier) -> list[Issue]:
    """Whether a purchase order may go to ``supplier`` (R-P-010): blocking unless qualified; a
    warning (not blocking) for grade C or an overdue re-evaluation (R-P-050)."""
    if supplier is None:
        return [Issue(_("Choose a supplier from the directory (R-P-010)."), field="supplier_id", code="R-P-010")]
    if supplier.state != "qualified":
        return [Issue(_("%(supplier)s is not a qualified supplier (%(state)s): orders go only to qualified "
                        "suppliers of the directory (R-P-010).", supplier=supplier.title,
                        state=STATES.get(supplier.state, supplier.state)), field="supplier_id", code="R-P-010")]
    issues = []
    if supplier.grade == "C":
        issues.append(Issue(_("%(supplier)s is graded C: order only with care and follow it up.",
                              supplier=supplier.title), field="supplier_id", blocking=False, code="R-P-050"))
    due = supplier.next_evaluation_due
    if due is not None and due < calendar_today.today():
        issues.append(Issue(_("%(supplier)s was due for re-evaluation on %(day)s (R-P-050).",
                              supplier=supplier.title, day=due.isoformat()),
                            field="supplier_id", blocking=False, code="R-P-050"))
    return issues


def admission_issues(supplier) -> list[Issue]:
    """Every module's and plugin's objections to admitting ``supplier`` (procurement_admission_checks)."""
    answers = current_app.extensions["erp"].pm.hook.procurement_admission_checks(supplier=supplier)
    return [issue for issues in answers for issue in (issues or [])]


@hookimpl(trylast=True)
def procurement_admission_checks(supplier):
    """R-P-010: a qualified supplier has a valid business licence and its bank details."""
    issues = []
    if not supplier.has_valid("licence"):
        issues.append(Issue(_("Record a valid business licence of %(supplier)s (attach its scan).",
                              supplier=supplier.title), field="qualifications", code="R-P-010"))
    if not (supplier.bank_name and supplier.bank_account):
        issues.append(Issue(_("Record the bank and account of %(supplier)s.", supplier=supplier.title),
                            field="bank_account", code="R-P-010"))
    return issues


def reinstatable(supplier, user) -> list:
    return admission_issues(supplier)


SUPPLIER_WORKFLOW = Workflow(
    states=STATES, initial="candidate",
    editable_states=("candidate", "rejected", "qualified", "suspended"),
    transitions=[
        Transition("evaluate", _l("Admission evaluation submitted"), ["candidate"], "evaluating", automatic=True),
        Transition("evaluation_withdrawn", _l("Admission evaluation withdrawn"), ["evaluating"], "candidate",
                   automatic=True),
        Transition("qualify", _l("Admitted to the directory"), ["evaluating"], "qualified", automatic=True),
        Transition("fail", _l("Not admitted"), ["evaluating"], "rejected", automatic=True),
        Transition("downgrade", _l("Suspended after a failed re-evaluation"), ["qualified"], "suspended",
                   automatic=True),
        Transition("reconsider", _l("Reconsider as a candidate"), ["rejected"], "candidate",
                   style="outline-primary"),
        Transition("suspend", _l("Suspend"), ["qualified"], "suspended", comment_required=True,
                   comment_label=_l("Reason"), style="warning"),
        Transition("reinstate", _l("Reinstate"), ["suspended"], "qualified", conditions=[reinstatable],
                   comment_required=True, comment_label=_l("Reason"), style="success"),
        Transition("blacklist", _l("Blacklist"), ["candidate", "rejected", "qualified", "suspended"], "blacklisted",
                   comment_required=True, comment_label=_l("Reason"), style="danger"),
    ],
)


def _expiring(supplier) -> str:
    soon = calendar_today.today() + timedelta(days=30)
    return "、".join(q.name for q in supplier.qualifications if q.valid_until is not None and q.valid_until <= soon)


SUPPLIER = DocType(
    code=CODE, model=Supplier, label=_l("Supplier"), label_plural=_l("Supplier directory"),
    fields=SUPPLIER_FIELDS, workflow=SUPPLIER_WORKFLOW, number_prefix="GYS", number_reset="never",
    print_title="供货商名录条目", menu_order=50, before_save=save_supplier,
    deadline=Deadline("next_evaluation_due", states=("qualified",)),
    lines=Lines("qualifications", SupplierQualification, fields=QUALIFICATION_FIELDS, blank_rows=2),
    search=("credit_code", "contact_name"),
)


# ---- events -------------------------------------------------------------------------------------
@hookimpl
def erp_transition_done(document, transition, comment):
    """The reason given for the status stays on the supplier (shown in the directory)."""
    if isinstance(document, Supplier) and transition.name in ("suspend", "blacklist", "reinstate", "downgrade", "fail"):
        document.status_reason = comment or ""


@hookimpl
def erp_reminders(now):
    """R-P-050: re-evaluations falling due within a month; qualifications expiring within 30
    days. The responsible buyer (or every 采购部经理) is reminded."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder
    today = calendar_today.today()
    managers = [u.id for u in users_with_roles("ROLE-PUR-MGR")]
    reminders = []
    due = db.session.execute(select(Supplier.id, Supplier.title, Supplier.buyer_id, Supplier.next_evaluation_due).where(
        Supplier.state == "qualified", Supplier.next_evaluation_due <= today + timedelta(days=30))).all()
    for row in due:
        for user_id in ([row.buyer_id] if row.buyer_id else managers):
            reminders.append(Reminder(f"{CODE}.reeval:{row.id}:{row.next_evaluation_due}:{user_id}", user_id,
                                      _("Supplier due for re-evaluation: %(supplier)s", supplier=row.title),
                                      cal.deadline_end_of_work(row.next_evaluation_due), url=f"/procurement/supplier/{row.id}"))
    expiring = db.session.execute(select(Supplier.id, Supplier.title, Supplier.buyer_id, SupplierQualification.name,
                                         SupplierQualification.valid_until).join(
        SupplierQualification, SupplierQualification.supplier_id == Supplier.id).where(
        Supplier.state.in_(("candidate", "evaluating", "qualified")),
        SupplierQualification.valid_until <= today + timedelta(days=30))).all()
    for row in expiring:
        for user_id in ([row.buyer_id] if row.buyer_id else managers):
            reminders.append(Reminder(f"{CODE}.expiry:{row.id}:{row.name}:{row.valid_until}:{user_id}", user_id,
                                      _("Qualification of %(supplier)s expires on %(day)s: %(name)s",
                                        supplier=row.title, day=row.valid_until.isoformat(), name=row.name),
                                      cal.deadline_end_of_work(row.valid_until), url=f"/procurement/supplier/{row.id}"))
    return reminders


# I-12: engineering's nonconformances on purchased goods (WF-E07).
SERIOUS = ("return", "replace", "scrap")


@hookimpl(optionalhook=True)
def engineering_nonconformance(nc, event):
    """A decided nonconformance counts against its supplier (``nonconformance_count``, recounted
    with ``procurement_reported_nonconformances``, which engineering answers; a serious
    one, returned, replaced or scrapped, brings the re-evaluation forward to today, R-P-050) and
    gives the responsible buyer (else every 采购部经理) the return or replacement to arrange."""
    if event != "decided":
        return
    from core.auth.models import users_with_roles
    from core.reminders import notify
    supplier = None
    if nc.supplier_id:
        supplier = db.session.scalar(select(Supplier).where(Supplier.party_id == nc.supplier_id))
    if supplier is None and (nc.supplier_name or "").strip():
        supplier = db.session.scalar(select(Supplier).where(Supplier.title == nc.supplier_name.strip()).limit(1))
    if supplier is not None:
        from .receipts import update_supplier
        update_supplier(supplier)             # its receipts' and the modules' nonconformances, this one included
        if nc.disposition in SERIOUS and supplier.state == "qualified":
            today = calendar_today.today()
            if supplier.next_evaluation_due is None or supplier.next_evaluation_due > today:
                supplier.next_evaluation_due = today
    if nc.disposition not in ("return", "replace"):
        return
    people = [supplier.buyer_id] if supplier is not None and supplier.buyer_id else [
        u.id for u in users_with_roles("ROLE-PUR-MGR", "ROLE-PUR-BUY")]
    name = supplier.title if supplier is not None else (nc.supplier_name or "")
    values = {"supplier": name, "item": nc.item, "qty": f"{float(nc.qty or 0):g}", "number": nc.number}
    if nc.disposition == "return":
        title = _("Return the nonconforming goods to %(supplier)s: %(item)s × %(qty)s (%(number)s)", **values)
    else:
        title = _("Have %(supplier)s replace the nonconforming goods: %(item)s × %(qty)s (%(number)s)", **values)
    for user_id in people:
        notify(user_id, f"{CODE}.nonconformance:{nc.number}:{user_id}", title,
               " ".join(x for x in (nc.po_number or "", nc.description or "") if x),
               f"/engineering/nonconformance/{nc.id}")


@hookimpl
def erp_party_access(user):
    """A supplier's party is seen by who sees the directory and edited by who edits suppliers."""
    from core.parties import Party, ProfileAccess
    profile = select(Supplier.id).where(Supplier.party_id == Party.id).exists()
    readable = profile if user.can(SUPPLIER.permission("read_all")) else false()
    editable = profile if user.can(SUPPLIER.permission("edit")) else false()
    return [ProfileAccess(profiled=profile, readable=readable, editable=editable)]


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Supplier, SupplierQualification]


@hookimpl
def erp_document_types():
    return [SUPPLIER]


@hookimpl
def erp_roles():
    buyer = [f"{CODE}.{a}" for a in ("read", "read_all", "create", "edit", "reconsider", "export")]
    grants = [
        ("ROLE-PUR-BUY", buyer),
        ("ROLE-PUR-MGR", buyer + [f"{CODE}.{a}" for a in ("suspend", "reinstate", "blacklist")]),
        ("ROLE-MKT-DIR", [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export"]),
        ("ROLE-GM", [f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export"]),
        ("ROLE-ENG-MGR", [f"{CODE}.read", f"{CODE}.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("pur.reeval_months", "int", 12, _l("Suppliers re-evaluated every (months)"),
                _l("R-P-050: a qualified supplier is evaluated again this many months after its last evaluation."),
                min=1, max=60),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-P-010", "合格供方", "Purchase orders go only to qualified suppliers of the directory; admission "
             "needs a valid business licence and bank details.", "block"),
        Rule("R-P-050", "供应商评审", "Suppliers are evaluated at admission and every 12 months; a serious "
             "nonconformance triggers a re-evaluation.", "deadline", params=("pur.reeval_months",)),
    ]
