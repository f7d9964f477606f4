"""A document type with a field of every kind, declared once: no form, no schema, no columns."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.documents import DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.extensions import db
from core.workflow import ApprovalStep, ByRole, Transition, lifecycles

def departments() -> list[tuple[int, str]]:
    from core.org.models import Department
    return [(d.id, d.name) for d in db.session.scalars(db.select(Department).order_by(Department.code))]


MONTHS = tuple((m, f"{m}月") for m in range(1, 13))
TAGS = (("cabling", _l("Cabling")), ("cctv", _l("CCTV")), ("access", _l("Access control")))
FIELDS = [
    Field("site", _l("Site"), required=True, max_length=120),
    Field("notes", _l("Notes"), "textarea", readonly_in=("submitted",)),
    Field("points", _l("Points"), "integer", minimum=0, maximum=10_000),
    Field("ratio", _l("Ratio"), "decimal"),
    Field("budget", _l("Budget"), "money", minimum=0),
    Field("cost", _l("Cost"), "money", permission="workshop.cost.view"),
    Field("margin", _l("Margin"), "percent"),
    Field("survey_on", _l("Survey date"), "date"),
    Field("start_at", _l("Start"), "datetime"),
    Field("urgent", _l("Urgent"), "bool"),
    Field("level", _l("Level"), "choice", choices=(("1", _l("Level 1")), ("2", _l("Level 2")))),
    Field("tags", _l("Systems"), "multichoice", choices=TAGS),
    Field("inspector", _l("Inspector"), "user", roles=("ROLE-ENG-PE",), required_in=("submitted",)),
    Field("request", _l("Request"), "reference", target="workshop.request"),
    Field("open_request", _l("Open request"), "reference", target="workshop.request",
          where=lambda Request, user: Request.state != "rejected",
          refusal=_l("Choose a request that was not rejected.")),
    # A reference depending on another field: a request of the supplier named above.
    Field("supplier", _l("Supplier"), max_length=100),
    Field("supplier_request", _l("Supplier's request"), "reference", target="workshop.request",
          depends_on=("supplier",), where=lambda Request, user, doc: Request.supplier == doc.supplier,
          refusal=_l("Choose a request of this supplier.")),
    Field("grade", _l("Grade"), "choice", choices=(("A", "A"), ("B", "B")), edit_permission="workshop.cost.view"),
    Field("reviewer_note", _l("Reviewer's note"), "textarea", editable_in=("submitted",),
          edit_permission="workshop.cost.view"),
    Field("team_ack", _l("Team acknowledgement"), "xsig"),
    Field("review", _l("Review"), "sig"),
    Field("checked_on", _l("Checked on"), "date", readonly=True),
    Field("unit", _l("Unit"), "reference", options=departments),
    Field("shift", _l("Shift"), "choice", choices=(("day", _l("Day")), ("night", _l("Night"))), required=True,
          default="day"),
    Field("month", "Month", "choice", choices=MONTHS),       # whole-number values: an Integer column
]
LINE_FIELDS = [Field("item", _l("Item"), required=True, max_length=100),
               Field("qty", _l("Qty"), "integer", required=True, minimum=1, total=True),
               # offered in the line form as in the document's form
               Field("fitter", "Fitter", "user", roles=("ROLE-ENG-PE",)),
               Field("team", "Team", "reference", options=departments),
               Field("size", "Size", "choice", choices=((1, "S"), (2, "L")))]


class Specimen(Document, declared_columns(FIELDS), db.Model):
    __tablename__ = "workshop_specimen"
    lines = relationship("SpecimenLine", cascade="all, delete-orphan", order_by="SpecimenLine.id")


class SpecimenLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "workshop_specimen_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    specimen_id: Mapped[int] = mapped_column(ForeignKey("workshop_specimen.id", ondelete="CASCADE"), index=True)


WORKFLOW = lifecycles.application(steps=[ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"))],
                                  editable_states=("draft", "submitted"))
# An action asking for input: the survey is scheduled with its date and inspector.
WORKFLOW.transitions.append(Transition(
    "schedule", _l("Schedule the survey"), ["draft"], "draft", comment_label=_l("Instructions"),
    fields=[Field("survey_on", _l("Survey date"), "date", required=True),
            Field("inspector", _l("Inspector"), "user", roles=("ROLE-ENG-PE",), required=True)]))
# An action leaving the document in the state it is in, from any of several (target None).
WORKFLOW.transitions.append(Transition(
    "reassign", "Reassign the inspector", ["draft", "submitted"], None, comment_required=True,
    fields=[Field("inspector", _l("Inspector"), "user", roles=("ROLE-ENG-PE",), required=True)],
    done_message=lambda doc: f"Inspector now {doc.inspector.display_name}."))
# An action whose input starts from the document: the budget offered is the one set, else 100 a point.
WORKFLOW.transitions.append(Transition(
    "estimate", _l("Estimate the budget"), ["draft"], "draft",
    fields=[Field("budget", _l("Budget"), "money", required=True, minimum=0,
                  default=lambda doc: doc.budget if doc.budget is not None else 100 * (doc.points or 0),
                  help=lambda doc: _l("%(points)s points to survey.", points=doc.points or 0))]))

# A review outside the approval steps: the owner hands the specimen in, someone else checks it
# (reviews=True: never its owner, creator or whoever handed it in) or sends it back.
WORKFLOW.states.update({"checking": _l("Being checked"), "checked": _l("Checked")})
WORKFLOW.transitions += [
    Transition("hand_in", "Hand in for checking", ["draft"], "checking"),
    Transition("check", "Check", ["checking"], "checked", reviews=True, signs="Checker"),
    Transition("send_back", "Send back", ["checking"], "draft", reviews=True, comment_required=True,
               style="outline-danger")]

SPECIMEN = DocType(code="workshop.specimen", model=Specimen, label=_l("Specimen"), label_plural=_l("Specimens"),
                   workflow=WORKFLOW, number_prefix="SP", fields=FIELDS, print_title="样表",
                   lines=Lines("lines", SpecimenLine, fields=LINE_FIELDS), kanban=True)
