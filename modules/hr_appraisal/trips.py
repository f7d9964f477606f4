"""Business trips (出差管理, WF-H03): travel standards (差旅标准, R-H-020), the trip application
(出差申请, X-H01) and the trip's expense claim (报销单, X-H02); R-H-020..R-H-025, I-16.

- Travel standards: an editable table (行政部) of position level (总经理 / 部门经理 / 员工) × city
  tier (一线 / 二线 / 其他) → hotel per night, meal allowance per day, transport class; seeded with
  SPEC R-H-020's figures (the figures SPEC does not give are marked in the seed's note).
- Trip: applicant (its owner), destination and tier, purpose, the record it is for (X-H01 link:
  a customer, area, opportunity, project or service ticket offered by the enabled modules through
  ``hr_appraisal_trip_links``, kept as kind, id and label; their rules, R-S-029 and R-E-016, through
  ``hr_appraisal_trip_rules``; a free-text link of before stays readable), planned dates,
  transport, advance, estimated cost lines. Applied for before the start (R-H-022: a start in the
  past only as an emergency with its reason, within ``hr.trip_emergency_days`` working days);
  approved by the applicant's superior (core ``Superior``), also the 市场总监 above
  ``hr.trip_dir_days`` days or ``hr.trip_dir_amount``, also the 总经理 abroad or above
  ``hr.trip_gm_amount``. A change of dates is asked by the traveller and
  approved by his superior before the original return (R-H-021). Departure, return; the trip
  report (出差报告) is due ``hr.trip_report_days`` working days after the return (R-H-023; core's
  Deadline flags and reminds; a late report is recorded as a violation of R-H-023 against the
  traveller, so it counts in report timeliness). An advance not settled ``hr.advance_settle_days``
  days after the return is flagged to the traveller and finance (R-H-024).
- Claim: lines (transport / hotel / meals / other, date, amount, nights or days, class) checked
  against the standard of the traveller's level and the trip's tier: an over-standard line needs
  a reason and the claim the 总经理's approval besides the superior's (R-H-020). Approved, it is
  announced with ``hr_appraisal_trip_costs`` so sales writes the cost on the opportunity's
  timeline and engineering posts it to the project (R-H-025, I-16); finance's reimbursement settles the trip's advance.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule, record_violation
from core.settings import Setting
from core.workflow import (
    ApprovalStep,
    ByRole,
    Issue,
    Superior,
    Transition,
    engine,
    lifecycles,
)

from .profiles import ROLES

STANDARD_CODE = "hr_appraisal.travel_standard"
TRIP_CODE = "hr_appraisal.trip"
CLAIM_CODE = "hr_appraisal.trip_claim"
ZERO = Decimal(0)

LEVELS = [("gm", _l("General manager")), ("manager", _l("Department manager")), ("staff", _l("Staff"))]
TIERS = [("tier1", _l("Tier-1 city")), ("tier2", _l("Tier-2 city")), ("other", _l("Other city"))]
# Transport classes, the most expensive first: a class travelled is over the standard when it
# comes before the standard's.
CLASSES = [("plane_business", _l("Plane, business class")), ("plane_economy", _l("Plane, economy class")),
           ("train_first", _l("High-speed train, first class")), ("train_second", _l("High-speed train, second class")),
           ("bus", _l("Coach or bus"))]
CLASS_RANK = {key: rank for rank, (key, _label) in enumerate(CLASSES)}
TRANSPORT = [("plane", _l("Plane")), ("train", _l("Train")), ("car", _l("Coach")), ("own_car", _l("Own car"))]
LINK_TYPES = [("opportunity", _l("Opportunity")), ("project", _l("Project")),
              ("customer", _l("Customer")), ("area", _l("Area")), ("ticket", _l("Service ticket")),
              ("none", _l("None"))]
# The form's one choice of link carries kind and id: LINK_BASE * the kind's code + the record's id.
LINK_KIND_CODES = {"opportunity": 1, "project": 2, "customer": 3, "ticket": 4, "area": 5}
LINK_BASE = 10**8
EST_CATEGORIES = [("transport", _l("Transport costs")), ("hotel", _l("Hotel")), ("allowance", _l("Allowance")),
                  ("entertainment", _l("Entertainment expenses")), ("other", _l("Other"))]
EXPENSE_TYPES = [("transport", _l("Transport costs")), ("hotel", _l("Hotel")), ("meals", _l("Meals allowance")),
                 ("other", _l("Other"))]
# SPEC 1.3: who travels at the 部门经理 level (the 总经理 has his own; everyone else is staff).
MANAGER_ROLES = ("ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-ENG-MGR", "ROLE-PS-MGR", "ROLE-PUR-MGR", "ROLE-ADM")


def level_of(user) -> str:
    """The travel level of `user`: ``gm``, ``manager`` or ``staff`` (from his roles)."""
    if user is None:
        return "staff"
    if user.has_role("ROLE-GM"):
        return "gm"
    return "manager" if any(user.has_role(code) for code in MANAGER_ROLES) else "staff"


# ---- 差旅标准 R-H-020 ----------------------------------------------------------------------------
STANDARD_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("level", _l("Position level"), "choice", choices=LEVELS, required=True),
    Field("tier", _l("City tier"), "choice", choices=TIERS, required=True),
    Field("hotel_per_night", _l("Hotel per night"), "money", required=True, minimum=0, maximum=100000),
    Field("meals_per_day", _l("Meal allowance per day"), "money", required=True, minimum=0, maximum=100000),
    Field("transport_class", _l("Transport class"), "choice", choices=CLASSES, required=True),
    Field("note", _l("Note"), max_length=200),
]


class TravelStandard(Document, declared_columns([f for f in STANDARD_FIELDS if f.name != "title"]), db.Model):
    """差旅标准: one row per position level and city tier."""
    __tablename__ = "hr_travel_standard"


def save_standard(row):
    clash = select(TravelStandard.number).where(TravelStandard.level == row.level, TravelStandard.tier == row.tier)
    if row.id:
        clash = clash.where(TravelStandard.id != row.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"tier": [_(
            "This level already has a standard for this city tier (%(number)s) (R-H-020).", number=number)]})
    row.title = f"{dict(LEVELS)[row.level]} · {dict(TIERS)[row.tier]}"[:200]


STANDARD = DocType(
    code=STANDARD_CODE, model=TravelStandard, label=_l("Travel standard"), label_plural=_l("Travel standards"),
    fields=STANDARD_FIELDS, number_prefix="CLBZ", number_reset="never", print_title="差旅标准", menu_order=60,
    before_save=save_standard,
    columns=[Column("level", _l("Position level"), kind="choice", choices=dict(LEVELS)),
             Column("tier", _l("City tier"), kind="choice", choices=dict(TIERS)),
             Column("hotel_per_night", _l("Hotel per night"), kind="money"),
             Column("meals_per_day", _l("Meal allowance per day"), kind="money"),
             Column("transport_class", _l("Transport class"), kind="choice", choices=dict(CLASSES))],
)

# SPEC R-H-020: tier-1 managers 400 / staff 300 a night, other cities 300 / 200, allowance 100 / 80 a
# day. The 总经理's row and the tier-2 figures are the company's defaults (the SPEC gives none).
DEFAULT_STANDARDS = [
    ("gm", "tier1", "600", "150", "plane_business", "公司默认（SPEC未规定）"),
    ("gm", "tier2", "500", "150", "plane_business", "公司默认（SPEC未规定）"),
    ("gm", "other", "400", "150", "plane_business", "公司默认（SPEC未规定）"),
    ("manager", "tier1", "400", "100", "plane_economy", "SPEC R-H-020"),
    ("manager", "tier2", "350", "100", "plane_economy", "二线城市住宿为公司默认（SPEC未规定）"),
    ("manager", "other", "300", "100", "train_first", "SPEC R-H-020"),
    ("staff", "tier1", "300", "80", "train_second", "SPEC R-H-020"),
    ("staff", "tier2", "250", "80", "train_second", "二线城市住宿为公司默认（SPEC未规定）"),
    ("staff", "other", "200", "80", "train_second", "SPEC R-H-020"),
]


def seed_standards() -> list[TravelStandard]:
    """The default standards missing from the table (owned by the first 行政部 user, else the
    first user; nothing while there is none). Idempotent; not committed."""
    from core.auth.models import User, users_with_roles
    from core.documents import service
    owner = next(iter(users_with_roles("ROLE-ADM")), None) or db.session.scalar(select(User).order_by(User.id).limit(1))
    if owner is None:
        return []
    have = {tuple(row) for row in db.session.execute(select(TravelStandard.level, TravelStandard.tier))}
    made = []
    for level, tier, hotel, meals, klass, note in DEFAULT_STANDARDS:
        if (level, tier) in have:
            continue
        row = service.new_document(STANDARD, owner)
        row.department_id = None
        row.level, row.tier, row.hotel_per_night, row.meals_per_day = level, tier, Decimal(hotel), Decimal(meals)
        row.transport_class, row.note = klass, note
        save_standard(row)
        service.assign_number(STANDARD, row)
        db.session.add(row)
        made.append(row)
    db.session.flush()
    return made


def standard_for(level: str, tier: str) -> TravelStandard | None:
    return db.session.scalar(select(TravelStandard).where(TravelStandard.level == level, TravelStandard.tier == tier))


# ---- 出差申请 X-H01 -------------------------------------------------------------------------------
EST_FIELDS = [
    Field("category", _l("Cost category"), "choice", choices=EST_CATEGORIES, required=True),
    Field("amount", _l("Amount"), "money", required=True, minimum=0, maximum=10**8, total=True),
    Field("note", _l("Note"), max_length=200),
]

CHANGE_FIELDS = [
    Field("change_start", _l("New start"), "date", required=True),
    Field("change_end", _l("New return"), "date", required=True),
    Field("change_reason", _l("Reason for the change"), "textarea", required=True),
]

TRIP_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("destination", _l("Destination city"), required=True, max_length=100),
    Field("city_tier", _l("City tier"), "choice", choices=TIERS, required=True),
    Field("abroad", _l("Outside mainland China"), "bool"),
    Field("purpose", _l("Purpose of the trip"), "textarea", required=True),
    Field("link", _l("Linked to"), "reference", options=lambda: link_options(), listed=False,
          help=_l("The customer, area, opportunity, project or service ticket the trip is for; its costs are "
                  "charged to it (R-H-025, R-S-029, R-E-016).")),
    Field("link_type", _l("Kind of linked record"), "choice", choices=LINK_TYPES, readonly=True),
    Field("link_ref", _l("Former link (free text)"), max_length=60, readonly=True, listed=False),
    Field("transport", _l("Means of transport"), "choice", choices=TRANSPORT, required=True),
    Field("planned_start", _l("Planned departure"), "date", required=True),
    Field("planned_end", _l("Planned return"), "date", required=True),
    Field("emergency_reason", _l("Emergency: why applied after the start"), "textarea",
          help=_l("Only for an emergency trip applied for after its start (R-H-022).")),
    Field("advance", _l("Advance requested"), "money", minimum=0, maximum=10**8),
    Field("est_total", _l("Estimated costs"), "money", readonly=True),
    Field("change_start", _l("New start asked"), "date", readonly=True),
    Field("change_end", _l("New return asked"), "date", readonly=True),
    Field("change_reason", _l("Reason for the change"), "textarea", readonly=True),
    Field("actual_start", _l("Departed on"), "date", readonly=True),
    Field("actual_return", _l("Returned on"), "date", readonly=True),
    Field("report_due", _l("Trip report due"), "date", readonly=True),
    Field("results", _l("Trip report: results"), "textarea", readonly=True),
    Field("customers_visited", _l("Customers visited"), "textarea", readonly=True),
    Field("report_late", _l("Report late"), "bool", readonly=True),
    Field("advance_settle_due", _l("Advance to be settled by"), "date", readonly=True),
    Field("advance_settled", _l("Advance settled"), "bool", readonly=True),
]


class Trip(Document, declared_columns([f for f in TRIP_FIELDS if f.name not in ("title", "link")]), db.Model):
    """出差申请 (X-H01). The link is kept as its kind (``link_type``), the record's id in its module
    (``link_record_id``) and its label (``link_label``, read when the module is off)."""
    __tablename__ = "hr_trip"
    link_record_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    link_label: Mapped[str | None] = mapped_column(String(200), default="")

    @property
    def link_id(self) -> int | None:
        """The form's and the API's value of the link: kind and id in one number."""
        code = LINK_KIND_CODES.get(self.link_type or "")
        return None if code is None or self.link_record_id is None else code * LINK_BASE + self.link_record_id

    @link_id.setter
    def link_id(self, value: int | None) -> None:
        kinds = {code: kind for kind, code in LINK_KIND_CODES.items()}
        if not value:
            self.link_type, self.link_record_id, self.link_label = "none", None, ""
        elif value // LINK_BASE in kinds:
            self.link_type, self.link_record_id = kinds[value // LINK_BASE], value % LINK_BASE
        else:       # refused by save_trip
            self.link_type, self.link_record_id = "unknown", value

    est_lines = relationship(lambda: TripEstimate, cascade="all, delete-orphan", order_by=lambda: TripEstimate.id,
                             lazy="selectin")

    @property
    def days(self) -> int:
        if self.planned_start is None or self.planned_end is None:
            return 0
        return (self.planned_end - self.planned_start).days + 1


class TripEstimate(declared_columns(EST_FIELDS), db.Model):
    __tablename__ = "hr_trip_estimate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trip_id: Mapped[int] = mapped_column(ForeignKey("hr_trip.id", ondelete="CASCADE"), index=True)


def _hook():
    return current_app.extensions["erp"].pm.hook


def trip_links(user, query: str = "", kind: str | None = None, record_id: int | None = None) -> list[dict]:
    """What the enabled modules offer `user` to link a trip to (hr_appraisal_trip_links)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    answers = _hook().hr_appraisal_trip_links(user=user, query=query, kind=kind, record_id=record_id)
    return [link for answer in answers for link in answer or ()
            if link.get("kind") in LINK_KIND_CODES and 0 < int(link.get("id") or 0) < LINK_BASE]


def link_text(link: dict) -> str:
    """The label kept with the trip (language-free: the kind is ``link_type``)."""
    return f"{link['number']} {link['label']}".strip()[:200]


def link_options() -> list[tuple[int, str]]:
    """The trip form's links: those the signed-in traveller may choose."""
    from flask_login import current_user
    return [(LINK_KIND_CODES[link["kind"]] * LINK_BASE + int(link["id"]),
             f"{dict(LINK_TYPES)[link['kind']]} · {link_text(link)}") for link in trip_links(current_user)]


def link_problems(trip) -> list[Issue]:
    """The link is one the traveller may choose (R-H-025), and the owning modules' rules on it
    (R-S-029, R-E-016; hr_appraisal_trip_rules)."""
    from core.auth.models import User
    traveller = trip.owner or (db.session.get(User, trip.owner_id) if trip.owner_id else None)
    if trip.link_type == "unknown":
        return [Issue(_("Choose the trip's link among those offered (R-H-025)."), field="link_id", code="R-H-025")]
    if trip.link_record_id is not None and trip.link_type != "none" and _changed_link(trip):
        found = trip_links(traveller, kind=trip.link_type, record_id=trip.link_record_id)
        if not found:
            return [Issue(_("%(kind)s #%(id)s is not a record the traveller may link the trip to (R-H-025).",
                            kind=dict(LINK_TYPES)[trip.link_type], id=trip.link_record_id),
                          field="link_id", code="R-H-025")]
        trip.link_label = link_text(found[0])
    answers = _hook().hr_appraisal_trip_rules(trip=trip, traveller=traveller)
    return [issue for answer in answers for issue in answer or ()]


def _changed_link(trip) -> bool:
    from sqlalchemy import inspect
    state = inspect(trip)
    if state.transient or state.pending:
        return True
    return any(state.attrs[a].history.has_changes() for a in ("link_type", "link_record_id"))


def save_trip(trip):
    """Dates in order; the link (R-H-025, the modules' rules); R-H-022: applied for before the
    start, unless an emergency with its reason within ``hr.trip_emergency_days`` working days of
    the start."""
    if trip.state == "draft" and (issues := link_problems(trip)):
        raise ValidationFailed({"link_id": [issue.message for issue in issues]})
    plan_trip(trip)


def plan_trip(trip):
    """The dates (R-H-022), the estimated total and the title."""
    if trip.planned_end < trip.planned_start:
        raise ValidationFailed({"planned_end": [_("The return cannot be before the start.")]})
    today = calendar_today.today()
    if trip.state == "draft" and trip.planned_start < today:
        if not (trip.emergency_reason or "").strip():
            raise ValidationFailed({"planned_start": [_(
                "A trip is applied for before it starts (R-H-022): for an emergency trip already begun, give "
                "the emergency's reason.")]})
        late = cal.working_days_between(trip.planned_start, today)
        if late > int(settings.get("hr.trip_emergency_days")):
            raise ValidationFailed({"planned_start": [_(
                "An emergency trip is applied for within %(days)s working days of its start (R-H-022).",
                days=settings.get("hr.trip_emergency_days"))]})
    trip.est_total = sum((Decimal(line.amount or 0) for line in trip.est_lines), ZERO)
    trip.title = f"{trip.destination} {trip.planned_start.isoformat()}"[:200]


def applied_in_time(trip, user) -> list[Issue]:
    """R-H-022 at submission (the draft may have waited): the start not past without an emergency;
    the link still admitted by the modules' rules."""
    if issues := link_problems(trip):
        return issues
    try:
        plan_trip(trip)
    except ValidationFailed as refused:
        return [Issue(str(reason), field=field, code="R-H-022") for field, reasons in refused.fields.items()
                for reason in reasons]
    return []


def estimated(trip, user) -> list[Issue]:
    if not trip.est_lines:
        return [Issue(_("List the estimated costs (R-H-022)."), field="est_lines", code="R-H-022")]
    return []


def before_original_return(trip, user) -> list[Issue]:
    """R-H-021: a change of dates is asked and approved before the original return."""
    if calendar_today.today() > trip.planned_end:
        return [Issue(_("A change of the trip's dates is approved before the original return (%(day)s) "
                        "(R-H-021).", day=trip.planned_end.isoformat()), field="change_end", code="R-H-021")]
    if getattr(trip, "change_end", None) and trip.change_start and trip.change_end < trip.change_start:
        return [Issue(_("The return cannot be before the start."), field="change_end")]
    return []


def the_superior(trip, user) -> list[Issue]:
    from core.org.models import superiors
    if user.id not in {person.id for person in superiors(trip.owner)}:
        return [Issue(_("Only the traveller's superior approves a change of dates (R-H-021)."), code="R-H-021")]
    return []


def the_traveller(trip, user) -> list[Issue]:
    if user.id != trip.owner_id:
        return [Issue(_("Only the traveller does this."))]
    return []


def report_written(trip, user) -> list[Issue]:
    if not (trip.results or "").strip():
        return [Issue(_("Write the trip's results (R-H-023)."), field="results", code="R-H-023")]
    return []


def has_superior(doc) -> bool:
    from core.org.models import superiors
    return doc.owner is not None and bool(superiors(doc.owner))


def by_gm(doc) -> bool:
    return doc.owner is not None and doc.owner.has_role("ROLE-GM")


def over_dir_limits(trip) -> bool:
    """WF-H03: a long or costly trip also goes to the 市场总监 (not his own, nor the 总经理's)."""
    if by_gm(trip) or (trip.owner is not None and trip.owner.has_role("ROLE-MKT-DIR")):
        return False
    return trip.days > int(settings.get("hr.trip_dir_days")) or \
        Decimal(trip.est_total or 0) > Decimal(settings.get("hr.trip_dir_amount"))


def over_gm_limits(trip) -> bool:
    """WF-H03: a trip abroad or above ``hr.trip_gm_amount`` also goes to the 总经理, and so does
    the trip of someone with no superior; the 总经理's own trips approve themselves (top of the chain)."""
    if by_gm(trip):
        return False
    return bool(trip.abroad) or Decimal(trip.est_total or 0) > Decimal(settings.get("hr.trip_gm_amount")) \
        or not has_superior(trip)


def trip_workflow():
    workflow = lifecycles.application(steps=[
        ApprovalStep("superior", _l("Direct superior"), Superior(), when=has_superior),
        ApprovalStep("director", _l("Marketing director"), ByRole("ROLE-MKT-DIR"), when=over_dir_limits),
        ApprovalStep("gm", _l("General manager"), ByRole("ROLE-GM"), when=over_gm_limits),
    ], archive=False)
    workflow.transitions = [replace(t, conditions=(applied_in_time, estimated)) if t.name == "submit" else t
                            for t in workflow.transitions]
    workflow.states.update({"on_trip": _l("On the trip"), "returned": _l("Returned"), "reported": _l("Reported"),
                            "closed": _l("Closed")})
    workflow.transitions += [
        Transition("depart", _l("Depart"), ["approved"], "on_trip", conditions=(the_traveller,)),
        Transition("request_change", _l("Ask to change the dates"), ["approved", "on_trip"], None,
                   conditions=(the_traveller, before_original_return), fields=CHANGE_FIELDS,
                   done_message=_l("The change of dates waits for your superior's approval.")),
        Transition("approve_change", _l("Approve the change of dates"), ["approved", "on_trip"], None,
                   when=lambda trip: trip.change_end is not None, conditions=(the_superior, before_original_return),
                   reviews=True, style="success"),
        Transition("return", _l("Back from the trip"), ["on_trip"], "returned", conditions=(the_traveller,)),
        Transition("report", _l("Hand in the trip report"), ["returned"], "reported",
                   conditions=(the_traveller, report_written),
                   fields=[Field("results", _l("Trip report: results"), "textarea", required=True),
                           Field("customers_visited", _l("Customers visited"), "textarea")]),
        Transition("close", _l("Close"), ["reported"], "closed", style="outline-secondary"),
    ]
    return workflow


TRIP = DocType(
    code=TRIP_CODE, model=Trip, label=_l("Business trip application"), label_plural=_l("Business trips"),
    fields=TRIP_FIELDS, workflow=trip_workflow(), number_prefix="CC", print_title="出差申请单", menu_order=40,
    before_save=save_trip, deadline=Deadline("report_due", states=("returned",)),
    visibility=lambda user: Trip.owner_id.in_(team_ids(user)),
    lines=Lines("est_lines", TripEstimate, fields=EST_FIELDS, blank_rows=3, label=_l("Estimated costs")),
    columns=[Column("destination", _l("Destination city")),
             Column("planned_start", _l("Planned departure"), kind="date"),
             Column("planned_end", _l("Planned return"), kind="date"),
             Column("est_total", _l("Estimated costs"), kind="money"),
             Column("advance", _l("Advance requested"), kind="money"),
             Column("report_due", _l("Trip report due"), kind="date")],
    search=("destination", "purpose", "link_label", "link_ref"),
)


def team_ids(user) -> list[int]:
    """The people whose trips `user` oversees (his reporting lines, downwards)."""
    from core.org.models import team_of
    return [person.id for person in team_of(user)]


# ---- 报销单 X-H02 ---------------------------------------------------------------------------------
LINE_FIELDS = [
    Field("expense_type", _l("Expense"), "choice", choices=EXPENSE_TYPES, required=True),
    Field("day", _l("Date"), "date", required=True),
    Field("amount", _l("Amount"), "money", required=True, minimum=0, maximum=10**8, total=True),
    Field("quantity", _l("Nights or days"), "integer", minimum=0, maximum=365, default=1),
    Field("travel_class", _l("Class travelled"), "choice", choices=CLASSES),
    Field("reason", _l("Reason if over the standard"), max_length=200),
    Field("standard", _l("Standard"), "money", readonly=True),
    Field("over_standard", _l("Over the standard"), "bool", readonly=True),
]

CLAIM_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("trip", _l("Business trip"), "reference", target=TRIP_CODE, required=True,
          where=lambda T, user: T.state.in_(("returned", "reported")) & (T.owner_id == user.id),
          refusal=_l("Choose a trip of yours you are back from (R-H-022).")),
    Field("level", _l("Position level"), "choice", choices=LEVELS, readonly=True),
    Field("city_tier", _l("City tier"), "choice", choices=TIERS, readonly=True),
    Field("total", _l("Total claimed"), "money", readonly=True),
    Field("over_amount", _l("Over the standard by"), "money", readonly=True),
    Field("over_standard", _l("Over the standard"), "bool", readonly=True),
    Field("advance", _l("Advance received"), "money", readonly=True),
    Field("payable", _l("To pay (after the advance)"), "money", readonly=True),
]


class TripClaim(Document, declared_columns([f for f in CLAIM_FIELDS if f.name not in ("title", "trip")]), db.Model):
    """报销单 (X-H02)."""
    __tablename__ = "hr_trip_claim"
    trip_id: Mapped[int] = mapped_column(ForeignKey("hr_trip.id"), index=True)

    trip = relationship(Trip, lazy="joined")
    lines = relationship(lambda: ClaimLine, cascade="all, delete-orphan", order_by=lambda: ClaimLine.id,
                         lazy="selectin")


class ClaimLine(declared_columns(LINE_FIELDS), db.Model):
    __tablename__ = "hr_trip_claim_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("hr_trip_claim.id", ondelete="CASCADE"), index=True)


def check_line(line, standard: TravelStandard | None) -> None:
    """R-H-020: the line's standard (hotel per night × nights, allowance per day × days) and whether
    it is over it; a class travelled above the standard's class is over it. At the standard is not."""
    line.standard, line.over_standard = None, False
    if standard is None:
        return
    quantity = max(int(line.quantity or 1), 1)
    amount = Decimal(line.amount or 0)
    if line.expense_type == "hotel":
        line.standard = standard.hotel_per_night * quantity
    elif line.expense_type == "meals":
        line.standard = standard.meals_per_day * quantity
    if line.standard is not None:
        line.over_standard = amount > line.standard
    elif line.expense_type == "transport" and line.travel_class:
        line.over_standard = CLASS_RANK[line.travel_class] < CLASS_RANK[standard.transport_class]


def save_claim(claim):
    trip = db.session.get(Trip, claim.trip_id) if claim.trip_id else None
    if trip is None:
        raise ValidationFailed({"trip_id": [_("Choose the business trip (R-H-022).")]})
    claim.trip = trip
    from core.auth.models import User
    owner = db.session.get(User, claim.owner_id) if claim.owner_id else None
    claim.level, claim.city_tier = level_of(owner), trip.city_tier
    standard = standard_for(claim.level, claim.city_tier)
    total = over = ZERO
    for line in claim.lines:
        check_line(line, standard)
        amount = Decimal(line.amount or 0)
        total += amount
        if line.over_standard and line.standard is not None:
            over += amount - line.standard
    claim.total, claim.over_amount = total, over
    claim.over_standard = any(line.over_standard for line in claim.lines)
    claim.advance = Decimal(trip.advance or 0)
    claim.payable = total - claim.advance
    claim.title = f"{trip.number} {trip.destination}"[:200]


def reasons_given(claim, user) -> list[Issue]:
    """R-H-020: every line over the standard says why."""
    save_claim(claim)
    issues = [Issue(_("Line %(n)s is over the standard (%(standard)s): give the reason (R-H-020).", n=n,
                      standard=line.standard if line.standard is not None else dict(CLASSES).get(line.travel_class)),
                    field="lines", code="R-H-020")
              for n, line in enumerate(claim.lines, 1) if line.over_standard and not (line.reason or "").strip()]
    if not claim.lines:
        issues.append(Issue(_("List the expenses (R-H-024)."), field="lines", code="R-H-024"))
    return issues


def trip_done(claim, user) -> list[Issue]:
    """R-H-022: no reimbursement without an approved application the traveller is back from."""
    if claim.trip is None or claim.trip.state not in ("returned", "reported"):
        return [Issue(_("Only a trip approved and travelled is reimbursed (R-H-022)."), field="trip_id",
                      code="R-H-022")]
    return []


def claim_workflow():
    workflow = lifecycles.application(steps=[
        ApprovalStep("superior", _l("Direct superior"), Superior(), when=has_superior),
        ApprovalStep("gm", _l("General manager (over the standard)"), ByRole("ROLE-GM"),
                     when=lambda claim: not by_gm(claim) and (bool(claim.over_standard) or not has_superior(claim))),
    ], archive=False)
    workflow.transitions = [replace(t, conditions=(trip_done, reasons_given)) if t.name == "submit" else t
                            for t in workflow.transitions]
    workflow.states["reimbursed"] = _l("Reimbursed")
    workflow.transitions.append(Transition("reimburse", _l("Reimbursed (finance)"), ["approved"], "reimbursed",
                                           style="success", signs=_l("Finance department")))
    return workflow


CLAIM = DocType(
    code=CLAIM_CODE, model=TripClaim, label=_l("Trip expense claim"), label_plural=_l("Trip expense claims"),
    fields=CLAIM_FIELDS, workflow=claim_workflow(), number_prefix="BX", print_title="出差报告及报销单", menu_order=50,
    before_save=save_claim, visibility=lambda user: TripClaim.owner_id.in_(team_ids(user)),
    lines=Lines("lines", ClaimLine, fields=LINE_FIELDS, blank_rows=4, label=_l("Expenses")),
    columns=[Column("total", _l("Total claimed"), kind="money"),
             Column("over_standard", _l("Over the standard"), kind="bool"),
             Column("payable", _l("To pay (after the advance)"), kind="money")],
)


# ---- events -------------------------------------------------------------------------------------
def announce_costs(claim, user) -> None:
    """R-H-025, I-16: the approved claim's costs go to the opportunity or project of the trip."""
    lines = [{"category": line.expense_type, "day": line.day, "amount": Decimal(line.amount or 0),
              "note": line.reason or ""} for line in claim.lines]
    current_app.extensions["erp"].pm.hook.hr_appraisal_trip_costs(trip=claim.trip, lines=lines, user=user)


@hookimpl
def erp_transition_done(document, transition, user):
    today = calendar_today.today()
    if isinstance(document, Trip):
        if transition.name == "depart":
            document.actual_start = today
        elif transition.name == "approve_change":
            document.planned_start, document.planned_end = document.change_start, document.change_end
            document.change_start = document.change_end = None
        elif transition.name == "return":
            document.actual_return = today
            document.report_due = cal.add_working_days(today, int(settings.get("hr.trip_report_days")))
            if document.advance:
                document.advance_settle_due = today + timedelta(days=int(settings.get("hr.advance_settle_days")))
        elif transition.name == "report" and document.report_due is not None and today > document.report_due \
                and not document.report_late:      # not recorded yet by the daily job (erp_scheduled)
            report_missed(document, _("Trip report due on %(day)s, handed in on %(today)s.",
                                      day=document.report_due.isoformat(), today=today.isoformat()))
    elif isinstance(document, TripClaim):
        if transition.name == "approve" and document.state == "approved":
            announce_costs(document, user)
        elif transition.name == "reimburse":
            document.trip.advance_settled = True


def report_missed(trip, details: str) -> None:
    """R-H-023: the trip's report is late: flagged and recorded once against the traveller (it
    counts in his report timeliness)."""
    trip.report_late = True
    record_violation("R-H-023", "deadline_missed", user_id=trip.owner_id, document=trip, details=details)


@hookimpl
def erp_scheduled(now):
    """R-H-023: a trip report not handed in by its due day is flagged late and recorded the day
    after (once; handing it in later records nothing more)."""
    from core.documents.derived import local
    from core.reminders import acting_for
    today = local(now).date()
    late = db.session.scalars(select(Trip).where(Trip.state == "returned", Trip.report_due < today,
                                                 Trip.report_late.is_not(True))).all()
    for trip in late:
        with acting_for(trip.owner):
            report_missed(trip, _("Trip report due on %(day)s, not handed in.", day=trip.report_due.isoformat()))


def unsettled_advances(today: date | None = None):
    """R-H-024: (id, number, owner_id, advance, advance_settle_due) of the trips whose advance is
    still unsettled after its settlement date (one query)."""
    today = today or calendar_today.today()
    return db.session.execute(select(Trip.id, Trip.number, Trip.owner_id, Trip.advance, Trip.advance_settle_due).where(
        Trip.advance > 0, Trip.advance_settled.is_not(True), Trip.advance_settle_due.is_not(None),
        Trip.advance_settle_due < today)).all()


def claims_due(now) -> list:
    """R-H-024: the expense claim of a trip back from, by ``hr.trip_claim_days`` working days after
    the return, to the traveller (trips with a claim begun are left out; one query)."""
    from core.reminders import Reminder
    days = int(settings.get("hr.trip_claim_days"))
    rows = db.session.execute(select(Trip.id, Trip.number, Trip.owner_id, Trip.actual_return).where(
        Trip.state.in_(("returned", "reported")), Trip.actual_return.is_not(None),
        Trip.id.not_in(select(TripClaim.trip_id)))).all()
    return [Reminder(f"{CLAIM_CODE}:trip:{row.id}", row.owner_id,
                     _("Claim the expenses of trip %(number)s (R-H-024)", number=row.number),
                     cal.deadline_end_of_work(cal.add_working_days(row.actual_return, days)),
                     url=f"/hr_appraisal/trip_claim/new?trip_id={row.id}") for row in rows]


@hookimpl
def erp_reminders(now):
    """R-H-024: the claim after the return; an advance unsettled past its date, to the traveller
    and to finance."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder
    finance = [u.id for u in users_with_roles("ROLE-FIN")]
    out = claims_due(now)
    for row in unsettled_advances(now.astimezone(cal.timezone()).date()):
        due = cal.deadline_end_of_work(row.advance_settle_due)
        for uid in dict.fromkeys([row.owner_id, *finance]):
            out.append(Reminder(f"{TRIP_CODE}.advance:{row.id}:{uid}", uid,
                                _("Advance of trip %(number)s not settled (R-H-024)", number=row.number), due,
                                url=f"/hr_appraisal/trip/{row.id}"))
    return out


# ---- demo data ----------------------------------------------------------------------------------
def demo_link(trip, traveller) -> None:
    """The first record offered to the traveller that his department's rules admit (else none)."""
    for link in trip_links(traveller):
        trip.link_type, trip.link_record_id, trip.link_label = link["kind"], int(link["id"]), link_text(link)
        if not link_problems(trip):
            return
    trip.link_type, trip.link_record_id, trip.link_label = "none", None, ""


def demo() -> list:
    """Trips in every state, one over-standard claim and one late report (idempotent: only when no
    trip exists). Not committed."""
    from core.auth.models import users_with_roles
    from core.documents import service
    if db.session.scalar(select(Trip.id).limit(1)) is not None:
        return []
    seed_standards()
    traveller = next(iter(users_with_roles("ROLE-ENG-PE")), None) or next(iter(users_with_roles("ROLE-MKT-AM")), None)
    if traveller is None:
        return []
    today = calendar_today.today()
    plans = [  # state, destination, tier, days from today to the start, days, advance
        ("draft", "上海", "tier1", 10, 3, 0), ("submitted", "成都", "tier2", 7, 2, 0),
        ("approved", "广州", "tier1", 5, 4, 3000), ("on_trip", "南宁", "other", -2, 5, 2000),
        ("returned", "深圳", "tier1", -12, 3, 0), ("reported", "杭州", "tier2", -20, 3, 1500),
        ("closed", "北京", "tier1", -40, 2, 0), ("returned", "贵阳", "other", -50, 3, 2000)]
    made = []
    for state, city, tier, offset, days, advance in plans:
        trip = service.new_document(TRIP, traveller)
        trip.destination, trip.city_tier, trip.transport = city, tier, "train"
        trip.purpose = f"{city}项目现场技术支持及客户回访"
        demo_link(trip, traveller)
        trip.planned_start = today + timedelta(days=offset)
        trip.planned_end = trip.planned_start + timedelta(days=days - 1)
        trip.advance = Decimal(advance)
        trip.est_lines.extend([TripEstimate(category="transport", amount=Decimal(1200)),
                               TripEstimate(category="hotel", amount=Decimal(300 * days)),
                               TripEstimate(category="allowance", amount=Decimal(80 * days))])
        trip.est_total = sum((line.amount for line in trip.est_lines), ZERO)
        trip.title = f"{city} {trip.planned_start.isoformat()}"
        trip.state = "draft" if state == "submitted" else state       # submitted below, with its approvals
        if state in ("on_trip", "returned", "reported", "closed"):
            trip.actual_start = trip.planned_start
        if state in ("returned", "reported", "closed"):
            trip.actual_return = trip.planned_end
            trip.report_due = cal.add_working_days(trip.planned_end, int(settings.get("hr.trip_report_days")))
            if advance:
                trip.advance_settle_due = trip.planned_end + timedelta(days=int(settings.get("hr.advance_settle_days")))
        if state in ("reported", "closed"):
            trip.results = "完成现场调试，客户确认验收节点；收集整改意见三条。"
        service.assign_number(TRIP, trip)
        db.session.add(trip)
        made.append(trip)
    db.session.flush()
    if not link_problems(made[1]):        # nothing his department's rule admits to link: left a draft
        engine.carry(made[1], "submit", traveller, because="出差人提交")
    late = made[-1]       # back 50 days ago, report handed in late, advance unsettled
    late.state, late.results, late.report_late = "reported", "现场问题已处理，报告补交。", True
    record_violation("R-H-023", "deadline_missed", user_id=late.owner_id, document=late,
                     details="出差报告逾期提交（演示数据）")
    claim = service.new_document(CLAIM, traveller)
    claim.trip_id = made[5].id
    start = made[5].planned_start
    claim.lines.extend([
        ClaimLine(expense_type="transport", day=start, amount=Decimal(553), quantity=1, travel_class="train_second"),
        ClaimLine(expense_type="hotel", day=start, amount=Decimal(1050), quantity=3, reason="会展期间酒店涨价"),
        ClaimLine(expense_type="meals", day=start, amount=Decimal(240), quantity=3)])
    save_claim(claim)
    service.assign_number(CLAIM, claim)
    db.session.add(claim)
    db.session.flush()
    engine.carry(claim, "submit", traveller, because="出差人提交")
    made.append(claim)
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_seed_data(app):
    seed_standards()


@hookimpl
def erp_demo_data(app):
    demo()


@hookimpl
def erp_models():
    return [TravelStandard, Trip, TripEstimate, TripClaim, ClaimLine]


@hookimpl
def erp_document_types():
    return [STANDARD, TRIP, CLAIM]


@hookimpl
def erp_roles():
    """Everyone applies for his trips and claims; superiors approve (approval steps); the 行政部
    keeps the standards and sees every trip; finance reimburses."""
    traveller = [f"{TRIP_CODE}.{a}" for a in ("read", "create", "edit", "submit", "depart", "request_change",
                                              "approve_change", "return", "report", "close", "export")]
    traveller += [f"{CLAIM_CODE}.{a}" for a in ("read", "create", "edit", "submit", "export")]
    traveller += [f"{STANDARD_CODE}.read", f"{STANDARD_CODE}.read_all"]
    grants = [RoleTemplate(role, permissions=traveller) for role in ROLES]
    everything = [f"{TRIP_CODE}.read_all", f"{CLAIM_CODE}.read_all"]
    grants += [RoleTemplate("ROLE-ADM", permissions=everything + [f"{STANDARD_CODE}.{a}" for a in (
                   "create", "edit", "export", "import")]),
               RoleTemplate("ROLE-GM", permissions=everything),
               RoleTemplate("ROLE-FIN", permissions=everything + [f"{CLAIM_CODE}.reimburse"])]
    return grants


@hookimpl
def erp_settings():
    return [
        Setting("hr.trip_report_days", "int", 3, _l("Trip report within (working days)"),
                _l("R-H-023: the trip report is due this many working days after the return."), min=0, max=30),
        Setting("hr.trip_claim_days", "int", 7, _l("Trip expense claim within (working days)"),
                _l("R-H-024: the expense claim is due this many working days after the return."), min=0, max=60),
        Setting("hr.advance_settle_days", "int", 30, _l("Advances settled within (days)"),
                _l("R-H-024: an advance not settled this many days after the return is flagged."), min=1, max=365),
        Setting("hr.trip_emergency_days", "int", 2, _l("Emergency trips applied for within (working days)"),
                _l("R-H-022: an emergency trip may be applied for this many working days after its start."),
                min=0, max=10),
        Setting("hr.trip_dir_days", "int", 5, _l("Trips longer than this (days) also go to the marketing director"),
                _l("WF-H03: the 市场总监 approves longer trips."), min=1, max=365),
        Setting("hr.trip_dir_amount", "decimal", "5000", _l("Trips estimated above this also go to the marketing "
                                                             "director (CNY)"),
                _l("WF-H03: the 市场总监 approves costlier trips."), min=0),
        Setting("hr.trip_gm_amount", "decimal", "20000", _l("Trips estimated above this also go to the general "
                                                             "manager (CNY)"),
                _l("WF-H03: the 总经理 approves trips abroad and the costliest."), min=0),
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-H-020", "差旅标准", "Travel costs stay within the standard of the position level and city tier; "
             "over-standard lines need a reason and the general manager's approval.", "warn"),
        Rule("R-H-021", "行程变更", "Changing a trip's dates is approved before the original return date.", "approval"),
        Rule("R-H-022", "事前申请", "No trip reimbursement without an application approved before the trip, except "
             "emergencies applied for afterwards.", "block", params=("hr.trip_emergency_days",)),
        Rule("R-H-023", "出差报告", "The trip report is handed in within the working days set after the return.",
             "deadline", params=("hr.trip_report_days",)),
        Rule("R-H-024", "报销时限", "Claims follow the return promptly; advances not settled in time are flagged.",
             "deadline", params=("hr.trip_claim_days", "hr.advance_settle_days")),
        Rule("R-H-025", "费用归集", "Trip costs are charged to the linked opportunity or project.", "warn"),
    ]
