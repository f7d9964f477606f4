"""Customer inspection visits and their reception (客户考察接待, WF-S03): the reception schedule
客户接待日程安排表 F-S07 and, on the same document, the reception summary 客户接待工作总结 F-S08.

One document type, ``sales.reception`` (JD), carries the whole flow: the salesperson records the
customer's request to visit (考察申请), drafts the schedule with the departments concerned (the
agenda: day, time, activity, place, our staff and their department, preparation; the visitors,
transport, lodging and the reception budget per category) and submits it to the 市场部经理 at
once (即时: the approval is due ``core.immediate_deadline_hours`` after the submission, the
approvers holding the task are reminded); above ``sales.reception_budget_director_threshold`` the
市场总监 approves after him. The approved schedule is confirmed by the customer (how, when, who:
书面/邮件/电话), printed for the customer without the budget (打印发客户, the ``customer`` print)
or sent back to draft when the customer wants changes (approved again). Confirmed, the lead
notifies every person named on the agenda and the heads of the departments named (their inbox).
The reception starts on or after its first scheduled day; when it ends the summary is due
``sales.reception_summary_days`` working days later (by the end of work; a Deadline, reminded,
listed overdue; a late summary is a violation of R-S-008). The summary (actual dates, execution,
the customer's feedback, results, issues, actual cost per category, follow-up) is required from
its submission on; the 市场部经理 rates it (1-5) with his opinion and reports it to the 市场总监
(notified), and the 市场部助理 files it. The ``summary`` print is the F-S08 paper.
Cancelled before it starts (reason required), the people named on the agenda are told.

Rules (tests in tests/modules/sales/test_reception.py):
- R-S-008 enforced: no customer confirmation before the approval (the workflow), the summary due
  after the reception (Deadline, late submission recorded). test_the_reception_walks_the_handbook_flow,
  test_the_summary_is_due_two_working_days_after_the_reception.
- R-S-041 enforced: the reception costs are budgeted in the schedule and approved with it (unless
  it is marked as costing nothing); the budget is not changed after the submission.
  test_refusals_leave_the_reception_as_it_was.
- R-S-043 enforced as a block: actual costs above the budget by more than
  ``sales.reception_overspend_tolerance_pct`` need a written explanation to submit the summary.
  test_the_approved_schedule_and_the_overspend, test_the_tolerance_comes_from_the_setting.
  Left: the approval of the overspend by the original approver's superior is the 市场总监 reading
  the reported summary, not a step of its own.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, rules, settings
from core.auth.models import User
from core.auth.permissions import RoleTemplate
from core.documents import Column, Deadline, DocType, Document, Lines, PrintVariant, Related
from core.documents.derived import local
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.rules import Rule
from core.settings import Setting
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, engine

from .bidding import departments
from .customers import CUSTOMER, OPPORTUNITY
from .models import Customer, Opportunity
from .visits import MANAGER_REVIEW, RATING, _blank, review_inputs, utc

CODE = "sales.reception"

# ---- states -------------------------------------------------------------------------------------
STATES = {
    "requested": _l("Visit requested"), "schedule_draft": _l("Schedule being drafted"),
    "pending_approval": _l("Awaiting the market manager's approval"), "approved": _l("Schedule approved"),
    "customer_confirmed": _l("Schedule confirmed by the customer"), "preparing": _l("Reception being prepared"),
    "in_progress": _l("Visit under way"), "completed": _l("Visit finished"),
    "summary_submitted": _l("Reception summary submitted"), "reported": _l("Reported to the marketing director"),
    "archived": _l("Archived"), "cancelled": _l("Cancelled"),
}
SCHEDULING = ("requested", "schedule_draft")                 # the schedule and budget may change
BEFORE_START = ("requested", "schedule_draft", "pending_approval", "approved", "customer_confirmed", "preparing")
SUBMITTED = ("pending_approval", "approved", "customer_confirmed", "preparing", "in_progress", "completed",
             "summary_submitted", "reported", "archived")
SUMMARY_DONE = ("summary_submitted", "reported", "archived")

LEVELS = [("normal", _l("Ordinary")), ("important", _l("Important")), ("senior", _l("Senior management"))]
CONFIRMED_VIA = [("writing", _l("In writing")), ("email", _l("E-mail")), ("phone", _l("Phone"))]
# The budget categories of F-S07 (住宿, 餐饮, 交通, 参观门票, 礼品, 其他): one amount each.
CATEGORIES = [("lodging", _l("Lodging")), ("meals", _l("Meals")), ("transport", _l("Transport")),
              ("tickets", _l("Visit tickets")), ("gifts", _l("Gifts")), ("other", _l("Other costs"))]
BUDGET = tuple(f"budget_{c}" for c, _label in CATEGORIES)
ACTUAL = tuple(f"actual_{c}" for c, _label in CATEGORIES)

SCHEDULE = {"editable_in": SCHEDULING}
SUMMARY = {"editable_in": ("in_progress", "completed")}
SUMMARY_REQUIRED = {"required_in": SUMMARY_DONE, **SUMMARY}
REVIEW = {"editable_in": ("summary_submitted",), "edit_permission": "sales.reception.report", "section": MANAGER_REVIEW}
AMOUNT = {"minimum": 0, "maximum": 10**9}


def _of_customer(Opportunity, user, doc):
    return Opportunity.customer_id == doc.customer_id


RECEPTION_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("customer", _l("Customer"), "reference", target="sales.customer", required=True,
          where=lambda Customer, user: Customer.state != "stopped", **SCHEDULE),
    Field("opportunity", _l("Opportunity"), "reference", target="sales.opportunity", depends_on=("customer",),
          where=_of_customer, refusal=_l("Choose an opportunity of this customer."), **SCHEDULE),
    Field("purpose", _l("Purpose of the visit"), "textarea", required=True, **SCHEDULE),
    Field("visitors", _l("Visitors (name, position, phone)"), "textarea", required=True, **SCHEDULE),
    Field("visitor_count", _l("Number of visitors"), "integer", required=True, minimum=1, maximum=500, **SCHEDULE),
    Field("arrive_at", _l("Arrival"), "datetime", required_in=SUBMITTED, **SCHEDULE),
    Field("leave_at", _l("Departure"), "datetime", required_in=SUBMITTED, **SCHEDULE),
    Field("level", _l("Reception level"), "choice", choices=LEVELS, default="normal", **SCHEDULE),
    Field("transport", _l("Transport and pick-up"), "textarea", **SCHEDULE),
    Field("lodging", _l("Lodging (hotel, rooms, nights)"), "textarea", **SCHEDULE),
    # R-S-041: the reception expense budget (接待费用预算), approved with the schedule.
    Field("no_costs", _l("The reception costs nothing"), "bool", listed=False, **SCHEDULE),
    *(Field(name, label, "money", listed=False, **AMOUNT, **SCHEDULE)
      for name, label in zip(BUDGET, (_l("Budget: lodging"), _l("Budget: meals"), _l("Budget: transport"),
                                       _l("Budget: visit tickets"), _l("Budget: gifts"), _l("Budget: other")))),
    Field("budget_note", _l("Budget notes"), "textarea", **SCHEDULE),
    Field("budget_total", _l("Budget total"), "money", readonly=True),
    Field("approval_due_at", _l("Approval due"), "datetime", readonly=True, listed=False),
    # Recorded by the lead when the customer confirms (the confirm action).
    Field("confirmed_via", _l("Confirmed by the customer by"), "choice", choices=CONFIRMED_VIA, readonly=True),
    Field("confirmed_on", _l("Confirmed on"), "date", readonly=True),
    Field("confirmed_by", _l("Confirmed by (customer)"), readonly=True),
    Field("notified_departments", _l("Departments notified"), max_length=500, readonly=True, listed=False),
    Field("notified_at", _l("Notified at"), "datetime", readonly=True, listed=False),
    Field("started_at", _l("Reception started"), "datetime", readonly=True, listed=False),
    Field("completed_at", _l("Visit finished at"), "datetime", readonly=True, listed=False),
    Field("due_at", _l("Summary due"), "datetime", readonly=True),
    # F-S08 客户接待工作总结: written by the lead after the visit, required from its submission on.
    Field("actual_start", _l("Actual first day"), "date", **SUMMARY_REQUIRED),
    Field("actual_end", _l("Actual last day"), "date", **SUMMARY_REQUIRED),
    Field("actual_visitors", _l("Actual visitors"), "textarea", **SUMMARY),
    Field("execution", _l("How the schedule was carried out"), "textarea", **SUMMARY_REQUIRED),
    Field("feedback", _l("Customer's concerns and feedback"), "textarea", **SUMMARY_REQUIRED),
    Field("results", _l("Results of the visit"), "textarea", **SUMMARY_REQUIRED),
    Field("issues", _l("Problems and improvements"), "textarea", **SUMMARY),
    *(Field(name, label, "money", listed=False, **AMOUNT, **SUMMARY)
      for name, label in zip(ACTUAL, (_l("Actual: lodging"), _l("Actual: meals"), _l("Actual: transport"),
                                       _l("Actual: visit tickets"), _l("Actual: gifts"), _l("Actual: other")))),
    Field("actual_total", _l("Actual cost total"), "money", readonly=True),
    Field("overspend_pct", _l("Over budget (%)"), "percent", readonly=True, listed=False),
    Field("overspend_reason", _l("Explanation of the overspend"), "textarea", **SUMMARY),
    Field("follow_up", _l("Follow-up plan (what, who, by when)"), "textarea", **SUMMARY_REQUIRED),
    Field("summary_submitted_at", _l("Summary submitted at"), "datetime", readonly=True, listed=False),
    Field("summary_late", _l("Summary late"), "bool", readonly=True),
    Field("mgr_rating", _l("Market manager's rating (1-5)"), "integer", **RATING, **REVIEW),
    Field("mgr_comment", _l("Market manager's opinion"), "textarea", **REVIEW),
]

AGENDA_FIELDS = [
    Field("day", _l("Date"), "date", required=True),
    Field("time_slot", _l("Time"), required=True, max_length=40),
    Field("activity", _l("Activity"), required=True),
    Field("place", _l("Place")),
    Field("staff", _l("Our staff"), "user"),
    Field("department", _l("Department"), "reference", options=departments, listed=False,
          help=_l("Empty: the department of the staff member.")),
    Field("department_name", _l("Department"), readonly=True),
    Field("preparation", _l("Preparation"), max_length=500),
]


# ---- models -------------------------------------------------------------------------------------
_STORED = [f for f in RECEPTION_FIELDS if f.name not in ("title", "customer", "opportunity")]


class Reception(Document, declared_columns(_STORED), db.Model):
    """客户接待 (F-S07 and F-S08): one customer inspection visit, from the request to the summary."""
    __tablename__ = "sales_reception"
    customer_id: Mapped[int] = mapped_column(ForeignKey("sales_customer.id"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)

    customer = relationship(Customer, lazy="joined")
    opportunity = relationship(Opportunity)
    # Loaded with the document: a lazy load while the form is applied would flush the new values
    # before the declared fields' guards can check them.
    agenda = relationship("ReceptionAgendaLine", cascade="all, delete-orphan",
                          order_by="ReceptionAgendaLine.id", lazy="selectin")

    @property
    def customer_name(self) -> str:
        return self.customer.title if self.customer else ""

    @property
    def first_day(self) -> date | None:
        days = [line.day for line in self.agenda if line.day is not None]
        return min(days) if days else None


class ReceptionAgendaLine(db.Model):
    """One line of the reception schedule (日程安排)."""
    __tablename__ = "sales_reception_agenda"
    id: Mapped[int] = mapped_column(primary_key=True)
    reception_id: Mapped[int] = mapped_column(ForeignKey("sales_reception.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    time_slot: Mapped[str] = mapped_column(String(40), default="")
    activity: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    preparation: Mapped[str] = mapped_column(String(500), default="")

    staff = relationship(User, lazy="joined")
    department = relationship("Department", lazy="joined")

    @property
    def department_name(self) -> str:
        return self.department.name if self.department else ""


# ---- saving -------------------------------------------------------------------------------------
def _total(doc, names) -> Decimal:
    return sum((getattr(doc, n) or Decimal(0) for n in names), Decimal(0))


def _agenda_changed(doc) -> bool:
    """Whether this save adds, removes or changes a line of the agenda (text compared as typed:
    a browser sends CRLF)."""
    state = inspect(doc)
    if state.transient or state.pending:
        return False
    if state.attrs.agenda.history.added or state.attrs.agenda.history.deleted:
        return True
    for line in doc.agenda:
        line_state = inspect(line)
        if line_state.transient or line_state.pending:
            return True
        for attr in ("day", "time_slot", "activity", "place", "staff_id", "department_id", "preparation"):
            history = line_state.attrs[attr].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if isinstance(before, str) or isinstance(after, str):
                if (before or "").replace("\r\n", "\n") != (after or "").replace("\r\n", "\n"):
                    return True
            elif before != after:
                return True
    return False


def save_reception(doc):
    customer = db.session.get(Customer, doc.customer_id) if doc.customer_id else None
    if customer is None:
        raise ValidationFailed({"customer_id": [_("Choose a registered customer (R-S-030).")]})
    doc.customer = customer
    if doc.state not in SCHEDULING and _agenda_changed(doc):
        raise ValidationFailed({"agenda": [_("The approved schedule is not changed here: when the customer "
                                             "wants changes, send it back to draft to be approved again.")]})
    if doc.arrive_at is not None and doc.leave_at is not None and utc(doc.leave_at) < utc(doc.arrive_at):
        raise ValidationFailed({"leave_at": [_("The departure is before the arrival.")]})
    first = local(doc.arrive_at).date() if doc.arrive_at is not None else None
    last = local(doc.leave_at).date() if doc.leave_at is not None else None
    for n, line in enumerate(doc.agenda, start=1):
        if line.day is not None and ((first and line.day < first) or (last and line.day > last)):
            raise ValidationFailed({"agenda": [_("Line %(n)s: %(day)s is outside the visit (%(first)s – %(last)s).",
                                                 n=n, day=line.day.isoformat(), first=first.isoformat() if first else "",
                                                 last=last.isoformat() if last else "")]})
        if line.staff_id is not None:
            staff = db.session.get(User, line.staff_id)
            if staff is None or not staff.active:
                raise ValidationFailed({"agenda": [_("Line %(n)s: choose one of our active staff.", n=n)]})
            if line.department_id is None:  # the department consulted: the staff member's
                line.department_id = staff.department_id
    doc.budget_total = _total(doc, BUDGET)
    if doc.no_costs and doc.budget_total > 0:
        raise ValidationFailed({"no_costs": [_("Costs are budgeted: the reception is not free of costs.")]})
    doc.actual_total = _total(doc, ACTUAL) if any(getattr(doc, n) is not None for n in ACTUAL) else None
    doc.overspend_pct = overspend_pct(doc)
    if doc.actual_start and doc.actual_end and doc.actual_end < doc.actual_start:
        raise ValidationFailed({"actual_end": [_("The last day is before the first day.")]})
    when = f" {local(doc.arrive_at).date().isoformat()}" if doc.arrive_at is not None else ""
    doc.title = f"{customer.title}{when}"[:200]


def overspend_pct(doc) -> Decimal | None:
    """How far the actual costs exceed the budget, in % of it (None: within it or not known)."""
    if doc.actual_total is None or doc.actual_total <= (doc.budget_total or 0):
        return None
    if not doc.budget_total:
        return Decimal(100)
    return ((doc.actual_total - doc.budget_total) * 100 / doc.budget_total).quantize(Decimal("0.01"))


# ---- conditions ---------------------------------------------------------------------------------
def agenda_planned(doc, user):
    """F-S07: a schedule of at least one line; the departments of the people named are named."""
    if not doc.agenda:
        return [Issue(_("Plan the schedule: at least one line (day, time, activity)."), field="agenda")]
    return [Issue(_("Line %(n)s: name the department that provides %(name)s.", n=n, name=line.staff.display_name),
                  field="agenda")
            for n, line in enumerate(doc.agenda, start=1) if line.staff_id is not None and line.department_id is None]


def budgeted(doc, user):
    """R-S-041: the reception costs are budgeted in the schedule and approved with it."""
    if not doc.no_costs and not (doc.budget_total or 0) > 0:
        return [Issue(_("Budget the reception costs per category, or mark the reception as costing nothing "
                        "(R-S-041)."), field="budget_total", code="R-S-041")]
    return []


def first_day_reached(doc, user):
    first = doc.first_day
    if first is not None and calendar_today.today() < first:
        return [Issue(_("The reception starts on %(day)s, its first scheduled day.", day=first.isoformat()),
                      field="agenda")]
    return []


def overspend_explained(doc, user):
    """R-S-043: actual costs above the budget by more than the tolerance are explained."""
    tolerance = Decimal(settings.get("sales.reception_overspend_tolerance_pct"))
    if doc.overspend_pct is not None and doc.overspend_pct > tolerance and _blank(doc.overspend_reason):
        return [Issue(_("The actual costs exceed the budget by %(pct)s%% (more than %(tolerance)s%%): explain "
                        "the overspend (R-S-043).", pct=doc.overspend_pct, tolerance=tolerance),
                      field="overspend_reason", code="R-S-043")]
    return []


def costs_reported(doc, user):
    if (doc.budget_total or 0) > 0 and doc.actual_total is None:
        return [Issue(_("Enter the actual costs against the budget."), field="actual_lodging")]
    return []


def manager_review_given(doc, user):
    issues = []
    if doc.mgr_rating is None:
        issues.append(Issue(_("Rate the reception summary (1-5) before reporting it."), field="mgr_rating"))
    if _blank(doc.mgr_comment):
        issues.append(Issue(_("Write your opinion before reporting the summary."), field="mgr_comment"))
    return issues


def above_threshold(doc) -> bool:
    """The 市场总监 approves budgets above ``sales.reception_budget_director_threshold``."""
    return (doc.budget_total or 0) > Decimal(settings.get("sales.reception_budget_director_threshold"))


RECEPTION_WORKFLOW = Workflow(
    states=STATES,
    initial="requested",
    transitions=[
        Transition("draft_schedule", _l("Draft the schedule"), ["requested"], "schedule_draft"),
        Transition("submit", _l("Submit for approval"), ["schedule_draft"], "pending_approval", kind="submit",
                   conditions=[agenda_planned, budgeted]),
        Transition("approve", _l("Approve"), ["pending_approval"], "approved", kind="approve", style="success"),
        Transition("reject", _l("Not approved"), ["pending_approval"], "schedule_draft", kind="reject",
                   comment_required=True),
        Transition("revise", _l("Customer wants changes"), ["approved"], "schedule_draft", comment_required=True,
                   comment_label=_l("What the customer wants changed"), style="outline-secondary"),
        Transition("confirm", _l("Customer confirmed the schedule"), ["approved"], "customer_confirmed",
                   style="success", fields=[
                       Field("confirmed_via", _l("Confirmed by the customer by"), "choice", choices=CONFIRMED_VIA,
                             required=True),
                       Field("confirmed_on", _l("Confirmed on"), "date", required=True,
                             default=lambda doc: calendar_today.today()),
                       Field("confirmed_by", _l("Confirmed by (customer)"), required=True)]),
        Transition("notify", _l("Notify the departments to prepare"), ["customer_confirmed"], "preparing",
                   done_message=lambda doc: _l("Notified: %(names)s.", names=doc.notified_departments or "—")),
        Transition("start", _l("Start the reception"), ["preparing"], "in_progress", conditions=[first_day_reached]),
        Transition("complete", _l("Visit finished"), ["in_progress"], "completed"),
        Transition("submit_summary", _l("Submit the reception summary"), ["completed"], "summary_submitted",
                   conditions=[costs_reported, overspend_explained]),
        Transition("return_summary", _l("Return the summary for changes"), ["summary_submitted"], "completed",
                   comment_required=True, style="outline-danger", reviews=True),
        Transition("report", _l("Review and report to the marketing director"), ["summary_submitted"], "reported",
                   reviews=True, style="success", conditions=[manager_review_given],
                   fields=review_inputs(RECEPTION_FIELDS), comment_label=_l("Note")),
        Transition("archive", _l("Archive"), ["reported"], "archived", style="outline-secondary"),
        Transition("cancel", _l("Cancel the visit"), list(BEFORE_START), "cancelled", comment_required=True,
                   comment_label=_l("Reason"), style="outline-danger"),
    ],
    steps=[ApprovalStep("manager", _l("Market manager"), ByRole("ROLE-MKT-MGR")),
           ApprovalStep("director", _l("Marketing director"), ByRole("ROLE-MKT-DIR"), when=above_threshold)],
    editable_states=("requested", "schedule_draft", "in_progress", "completed", "summary_submitted"),
)


def _summary_rows(doc):
    from core.documents import money
    return [(label, f"{money(getattr(doc, f'budget_{code}'))} / {money(getattr(doc, f'actual_{code}'))}")
            for code, label in CATEGORIES
            if getattr(doc, f"budget_{code}") is not None or getattr(doc, f"actual_{code}") is not None]


SUMMARY_PRINT = ("customer", "opportunity", "purpose", "arrive_at", "leave_at", "actual_start", "actual_end",
                 "actual_visitors", "execution", "feedback", "results", "issues", "budget_total", "actual_total",
                 "overspend_pct", "overspend_reason", "follow_up", "mgr_rating", "mgr_comment")
CUSTOMER_PRINT = ("customer", "purpose", "visitors", "visitor_count", "arrive_at", "leave_at", "transport", "lodging",
                  "confirmed_on", "confirmed_by")

RECEPTION = DocType(
    code=CODE, model=Reception, label=_l("Customer reception"), label_plural=_l("Customer receptions"),
    fields=RECEPTION_FIELDS, workflow=RECEPTION_WORKFLOW, number_prefix="JD", print_title="客户接待日程安排表",
    menu_order=62, before_save=save_reception, deadline=Deadline("due_at", states=("completed",)),
    lines=Lines("agenda", ReceptionAgendaLine, fields=AGENDA_FIELDS, blank_rows=3),
    columns=[Column("customer_name", _l("Customer"), sortable=False),
             Column("arrive_at", _l("Arrival"), kind="datetime"), Column("leave_at", _l("Departure"), kind="datetime"),
             Column("visitor_count", _l("Number of visitors"), kind="number"),
             Column("level", _l("Reception level"), kind="choice", choices=dict(LEVELS)),
             Column("budget_total", _l("Budget total"), kind="money"),
             Column("actual_total", _l("Actual cost total"), kind="money"),
             Column("due_at", _l("Summary due"), kind="datetime")],
    search=("purpose",),
    prints=[PrintVariant("customer", _l("Customer's copy (schedule)"), title="客户接待日程安排表",
                         fields=CUSTOMER_PRINT, omit=("preparation",)),
            PrintVariant("summary", _l("Reception summary"), title="客户接待工作总结", fields=SUMMARY_PRINT,
                         omit=("preparation",), internal=True, rows=_summary_rows)],
)


# ---- notifications ------------------------------------------------------------------------------
def _in_language(user):
    from flask import current_app

    from core.i18n import normalise
    return force_locale(normalise(user.language or current_app.config.get("ERP_LANGUAGE", "zh_CN")))


def people_concerned(doc) -> dict[int, list]:
    """user id -> the agenda lines concerning him: the staff named on them and the heads of the
    departments named (every line of their department)."""
    from core.org.models import Department, department_managers
    people: dict[int, list] = {}
    for line in doc.agenda:
        if line.staff_id is not None:
            people.setdefault(line.staff_id, []).append(line)
    for department_id in dict.fromkeys(line.department_id for line in doc.agenda if line.department_id):
        department = db.session.get(Department, department_id)
        lines = [line for line in doc.agenda if line.department_id == department_id]
        for head in department_managers(department):
            people.setdefault(head.id, [])
            people[head.id].extend(line for line in lines if line not in people[head.id])
    return people


def _tell(doc, key: str, title, people: dict[int, list], actor) -> int:
    from core.reminders import notify
    told = 0
    for user_id, lines in people.items():
        person = db.session.get(User, user_id)
        if person is None or not person.active or user_id == getattr(actor, "id", None):
            continue
        with _in_language(person):
            body = "\n".join(" ".join(p for p in (line.day.isoformat() if line.day else "", line.time_slot,
                                                  line.activity, f"@{line.place}" if line.place else "",
                                                  f"({line.staff.display_name})" if line.staff else "",
                                                  f"— {line.preparation}" if line.preparation else "") if p)
                             for line in sorted(lines, key=lambda line: (line.day or date.min, line.id or 0)))
            text = str(title(doc))
        if notify(user_id, f"{key}:{user_id}", text, body, f"/sales/reception/{doc.id}") is not None:
            told += 1
    return told


def notify_preparation(doc, actor) -> int:
    """WF-S03: everyone named on the schedule and the heads of the departments named prepare."""
    from core.org.models import Department
    names = [db.session.get(Department, d).name
             for d in dict.fromkeys(line.department_id for line in doc.agenda if line.department_id)]
    doc.notified_departments = "、".join(names)[:500]
    doc.notified_at = utc(calendar_today.now())
    return _tell(doc, f"sales.reception:{doc.id}:prepare", lambda d: _(
        "Prepare the customer reception %(number)s: %(customer)s from %(day)s",
        number=d.number, customer=d.customer_name, day=d.first_day.isoformat() if d.first_day else ""),
        people_concerned(doc), actor)


# ---- transition side effects --------------------------------------------------------------------
def summary_due(day: date) -> datetime:
    """WF-S03: by the end of work ``sales.reception_summary_days`` working days after the visit ended."""
    return utc(cal.deadline_end_of_work(cal.add_working_days(day, settings.get("sales.reception_summary_days"))))


@hookimpl
def erp_transition_done(document, transition, user):
    """Side effects of the reception's steps; idempotent (safe to call twice)."""
    if not isinstance(document, Reception):
        return
    now = calendar_today.now()
    name = transition.name
    if name == "submit":   # 即时: the approval is due at once
        document.approval_due_at = utc(now + timedelta(hours=settings.get("core.immediate_deadline_hours")))
    elif name == "notify":
        notify_preparation(document, user)
    elif name == "start":
        document.started_at = utc(now)
        document.actual_start = document.actual_start or local(now).date()
    elif name == "complete":
        document.completed_at = utc(now)
        document.actual_end = document.actual_end or local(now).date()
        document.due_at = summary_due(local(now).date())
    elif name == "submit_summary" and document.summary_submitted_at is None:
        document.summary_submitted_at = utc(now)
        document.summary_late = document.due_at is not None and now > utc(document.due_at)
        if document.summary_late:
            rules.record_violation("R-S-008", "deadline_missed", user_id=document.owner_id, document=document,
                                   details=_("Submitted after %(due)s.", due=utc(document.due_at).astimezone(
                                       cal.timezone()).strftime("%Y-%m-%d %H:%M")))
    elif name == "report":
        from core.auth.models import users_with_roles
        _tell(document, f"sales.reception:{document.id}:reported", lambda d: _(
            "Reception summary reported: %(number)s %(customer)s", number=d.number, customer=d.customer_name),
            {u.id: [] for u in users_with_roles("ROLE-MKT-DIR")}, user)
    elif name == "cancel":
        for task in engine.tasks(RECEPTION, document):   # no approval waits for a cancelled visit
            if task.status in ("open", "waiting"):
                task.status = "withdrawn"
        _tell(document, f"sales.reception:{document.id}:cancelled", lambda d: _(
            "Customer reception cancelled: %(number)s %(customer)s", number=d.number, customer=d.customer_name),
            people_concerned(document), user)


@hookimpl
def erp_reminders(now):
    """The approvers holding a reception schedule's approval are reminded by its due time (即时)."""
    from core.reminders import Reminder
    from core.workflow.models import ApprovalTask
    rows = db.session.execute(select(ApprovalTask.user_id, Reception.id, Reception.number, Reception.title,
                                     Reception.approval_due_at).join(Reception, Reception.id == ApprovalTask.doc_id).where(
        ApprovalTask.doctype == CODE, ApprovalTask.status == "open", Reception.state == "pending_approval",
        Reception.approval_due_at.is_not(None))).all()
    return [Reminder(f"sales.reception_approval:{r.id}:{r.user_id}:{utc(r.approval_due_at).isoformat()}", r.user_id,
                     _("Reception schedule to approve: %(number)s %(title)s", number=r.number, title=r.title),
                     utc(r.approval_due_at), url=f"/sales/reception/{r.id}") for r in rows]


# ---- related lists on customers and opportunities ---------------------------------------------
CUSTOMER.relate(Related(_l("Customer receptions"), CODE, "customer_id"))
OPPORTUNITY.relate(Related(_l("Customer receptions"), CODE, "opportunity_id"))


# ---- demo data ----------------------------------------------------------------------------------
def demo(lead, manager, director, assistant_user, customer) -> None:
    """One reception under way and one archived, for `customer`, led by `lead`. The caller commits."""
    from flask import g

    from core.documents import service
    from core.org.models import Department
    eng = db.session.scalar(select(Department).where(Department.code == "ENG"))
    today = calendar_today.today()

    def reception(first: date, purpose: str):
        g.audit_user = lead
        doc = service.new_document(RECEPTION, lead)
        doc.customer_id, doc.purpose = customer.id, purpose
        doc.visitors, doc.visitor_count = "王主任 信息科主任 13800000000\n李工 网络管理员 13900000000", 2
        doc.arrive_at = datetime.combine(first, datetime.min.time().replace(hour=9), tzinfo=cal.timezone())
        doc.leave_at = datetime.combine(first + timedelta(days=1), datetime.min.time().replace(hour=16),
                                        tzinfo=cal.timezone())
        doc.level, doc.transport = "important", "公司商务车机场接送"
        doc.lodging = "深圳湾酒店 标准间 2 间 1 晚"
        doc.budget_lodging, doc.budget_meals, doc.budget_transport = Decimal(1200), Decimal(1800), Decimal(600)
        doc.budget_gifts = Decimal(400)
        doc.agenda.append(ReceptionAgendaLine(day=first, time_slot="09:30-11:30", activity="参观公司展厅与样板机房",
                                              place="公司展厅", staff_id=lead.id, department_id=lead.department_id,
                                              preparation="展厅讲解、样板机房开放"))
        doc.agenda.append(ReceptionAgendaLine(day=first + timedelta(days=1), time_slot="14:00-16:00",
                                              activity="参观在建项目现场", place="南山区某数据中心",
                                              department_id=eng.id if eng else None,
                                              preparation="项目经理现场讲解，安全帽 4 顶"))
        save_reception(doc)
        service.assign_number(RECEPTION, doc)
        db.session.add(doc)
        db.session.commit()
        return doc

    def step(doc, name, who, comment=""):
        g.audit_user = who
        engine.perform(RECEPTION, doc, name, who, comment)

    done = reception(today - timedelta(days=14), "考察我司施工能力与样板工程")
    step(done, "draft_schedule", lead)
    step(done, "submit", lead)
    step(done, "approve", manager, "同意")
    done.confirmed_via, done.confirmed_on, done.confirmed_by = "phone", today - timedelta(days=16), "王主任"
    step(done, "confirm", lead)
    step(done, "notify", lead)
    step(done, "start", lead)
    step(done, "complete", lead)
    done.execution, done.feedback = "按日程执行，第二天现场参观提前半小时结束。", "关注施工质量与工期保障"
    done.results, done.follow_up = "客户认可我司施工能力，同意邀请参加招标。", "下周提交初步方案（刘客户，一周内）"
    done.actual_lodging, done.actual_meals, done.actual_transport = Decimal(1200), Decimal(1650), Decimal(500)
    done.actual_gifts = Decimal(400)
    done.actual_start, done.actual_end = today - timedelta(days=14), today - timedelta(days=13)
    save_reception(done)
    db.session.commit()
    step(done, "submit_summary", lead)
    done.mgr_rating, done.mgr_comment = 4, "接待周到，尽快跟进方案"
    step(done, "report", manager)
    if assistant_user is not None:
        step(done, "archive", assistant_user)

    under_way = reception(today, "考察机房改造样板工程")
    step(under_way, "draft_schedule", lead)
    step(under_way, "submit", lead)
    step(under_way, "approve", manager, "同意")
    under_way.confirmed_via, under_way.confirmed_on, under_way.confirmed_by = "email", today, "王主任"
    step(under_way, "confirm", lead)
    step(under_way, "notify", lead)
    step(under_way, "start", lead)
    g.audit_user = None


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [Reception, ReceptionAgendaLine]


@hookimpl
def erp_document_types():
    return [RECEPTION]


@hookimpl
def erp_roles():
    lead = [f"{CODE}.{a}" for a in ("read", "create", "edit", "draft_schedule", "submit", "revise", "confirm", "notify",
                                    "start", "complete", "submit_summary", "cancel")]
    grants = [
        ("ROLE-MKT-AM", lead),
        ("ROLE-MKT-AAM", lead),
        ("ROLE-MKT-MGR", lead + [f"{CODE}.{a}" for a in ("read_all", "return_summary", "report", "export")]),
        ("ROLE-MKT-DIR", [f"{CODE}.read_all", f"{CODE}.export"]),
        ("ROLE-MKT-AST", [f"{CODE}.read_all", f"{CODE}.archive", f"{CODE}.export"]),
        ("ROLE-GM", [f"{CODE}.read_all"]),
    ]
    return [RoleTemplate(role, permissions=codes) for role, codes in grants]


@hookimpl
def erp_settings():
    return [
        Setting("sales.reception_budget_director_threshold", "decimal", "5000",
                _l("The marketing director also approves reception budgets above (¥)"),
                _l("WF-S03: up to this amount the market manager approves the reception schedule alone."), min="0"),
        Setting("sales.reception_summary_days", "int", 2, _l("Reception summary due within (working days)"),
                _l("WF-S03 (R-S-008): the summary F-S08 is due this many working days after the visit ends."),
                min=1, max=30),
        # sales.reception_overspend_tolerance_pct and R-S-043: declared once, in expenses.py.
    ]


@hookimpl
def erp_rules():
    return [
        Rule("R-S-008", "接待日程报市场部经理审批,接待后编写总结",
             "Reception schedules are approved by the market manager before confirmation with the customer; "
             "after the reception a summary is written and filed.", "deadline",
             params=("sales.reception_summary_days", "sales.reception_budget_director_threshold",
                     "core.immediate_deadline_hours")),
        Rule("R-S-041", "接待费用预算",
             "Reception costs are budgeted in the reception schedule F-S07 and approved with it.", "block"),
    ]
