"""Customer resource management (客户资源管理, SPEC 3.2.3): dormant customers, key accounts and the
handover of a salesperson's customers (客户交接清单).

- R-S-033 enforced: a customer without any contact for ``sales.customer_dormant_days`` (its last
  contact: a submitted visit-log line, an important business activity that took place; else the
  day it was registered) is marked dormant by ``erp reminders send`` (core's ``erp_scheduled``,
  the customer workflow's ``mark_dormant`` carried as its owner, audited, the owner notified).
  The 市场部经理 sees them on his dashboard and reassigns them (``transfer``, or the handover page
  below). A contact wakes a dormant customer up (``activate`` carried, :func:`record_contact`).
  test_customer_rules.py.
- R-S-037 enforced: a key account not contacted within ``sales.key_account_contact_days`` of its
  last contact is reminded to its owner (``erp_reminders``). test_customer_rules.py.
- R-S-035 enforced for sales' records: an account is deactivated only once the person owns no
  customer and no open opportunity (core's ``erp_user_deactivation_blockers``); the 市场部经理 (or
  市场总监) hands them over on the 客户交接清单 page, all in one step, each record audited
  (customers through their ``transfer``, opportunities through ``hand_over_owner``) and both
  salespeople notified. test_customer_rules.py. Left: collection lines and contracts (part 2 has
  none yet); the owner's open registrations, quotations and tenders stay with whoever wrote them
  (their authors, not their responsibility, R-S-050).
- R-S-032 (its protection part): a contact on a protected project extends its protection to
  ``sales.registration_protection_days`` after the contact. test_customer_rules.py.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from core import settings
from core.auth.decorators import permission_required
from core.documents.derived import declared_form
from core.documents.fields import Field
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem

from .customers import CUSTOMER, TRANSFER_ROLES
from .models import Customer, Opportunity
from .views import bp

# An opportunity is still someone's responsibility until it is handed to engineering or closed.
CLOSED_OPPORTUNITY = ("handed_over", "closed_lost", "cancelled")
AWAKE = ("potential", "active")       # the states a customer falls dormant from


# ---- contacts (visit logs, business activities) ------------------------------------------------
def record_contact(customer: Customer, day: date, user, because: str, opportunity: Opportunity | None = None) -> None:
    """A contact with `customer` on `day` (a visit-log line handed in, an activity held): its
    last contact moves on, a dormant customer is active again (R-S-033), and the protection of
    the project it was about is extended (R-S-032)."""
    from core.calendar_today import today
    from core.workflow import engine
    if customer.last_contact_on is None or customer.last_contact_on < day:
        customer.last_contact_on = day
    recent = day >= today() - timedelta(days=settings.get("sales.customer_dormant_days"))
    if customer.state == "dormant" and recent:
        engine.carry(customer, "activate", user, because=because)
    if opportunity is not None and opportunity.protected_until is not None:
        extended = day + timedelta(days=settings.get("sales.registration_protection_days"))
        if extended > opportunity.protected_until and opportunity.protected_until >= day:
            opportunity.protected_until = extended


def falling_dormant(day: date):
    """Customers without a contact for sales.customer_dormant_days on `day` (never contacted:
    counted from the day it was registered)."""
    from .visits import _start_of
    limit = day - timedelta(days=settings.get("sales.customer_dormant_days"))
    return select(Customer).where(Customer.state.in_(AWAKE), or_(
        Customer.last_contact_on < limit,
        Customer.last_contact_on.is_(None) & (Customer.created_at < _start_of(limit))))


def mark_dormant(day: date) -> list[Customer]:
    """R-S-033: carry ``mark_dormant`` on each customer without contact, as its owner (audited),
    and tell the owner. Idempotent: a dormant customer is not looked at again."""
    from core.auth.models import User
    from core.reminders import acting_for, notify
    from core.workflow import engine
    marked = []
    for customer in db.session.scalars(falling_dormant(day).order_by(Customer.id)).all():
        owner = db.session.get(User, customer.owner_id)
        last = customer.last_contact_on
        because = (_("No contact since %(day)s (R-S-033).", day=last.isoformat()) if last
                   else _("No contact since it was registered (R-S-033)."))
        with acting_for(owner):
            engine.carry(customer, "mark_dormant", owner, because=because)
            notify(owner.id, f"sales.customer_dormant:{customer.id}:{day.isoformat()}",
                   _("Customer dormant: %(name)s", name=customer.title), body=because,
                   url=f"/sales/customer/{customer.id}")
        marked.append(customer)
    return marked


# ---- handover (客户交接清单, R-S-035) --------------------------------------------------------------
def held_by(user_id: int) -> tuple[list[Customer], list[Opportunity]]:
    """What a salesperson is responsible for: his customers and his open opportunities."""
    customers = db.session.scalars(select(Customer).where(Customer.owner_id == user_id)
                                   .order_by(Customer.title)).all()
    opportunities = db.session.scalars(select(Opportunity).where(
        Opportunity.owner_id == user_id, Opportunity.state.not_in(CLOSED_OPPORTUNITY)).order_by(Opportunity.id)).all()
    return customers, opportunities


def open_contracts_and_collections(user_id: int) -> tuple[list, list]:
    """His contracts not closed nor terminated and his collection lines still to collect (R-S-050)."""
    from .collections import OPEN, Collection
    from .contracts import OPEN_CONTRACT, Contract
    contracts = db.session.scalars(select(Contract).where(Contract.owner_id == user_id,
                                                          Contract.state.in_(OPEN_CONTRACT)).order_by(Contract.id)).all()
    lines = db.session.scalars(select(Collection).where(Collection.owner_id == user_id,
                                                        Collection.state.in_(OPEN)).order_by(Collection.id)).all()
    return list(contracts), list(lines)


def hand_over(giver, receiver, reason: str, user) -> tuple[int, int]:
    """Every customer and open opportunity of `giver` to `receiver`, in this transaction: each
    customer through its ``transfer`` (R-S-031), each opportunity through ``hand_over_owner``,
    audited per record with the reason; both are notified. Returns the counts."""
    from core.reminders import notify
    from core.workflow import engine
    customers, opportunities = held_by(giver.id)
    because = _("Handover from %(giver)s to %(receiver)s: %(reason)s", giver=giver.display_name,
                receiver=receiver.display_name, reason=reason)
    contracts, lines = open_contracts_and_collections(giver.id)
    for record, transition in [(c, "transfer") for c in customers] + [
            (o, "hand_over_owner") for o in opportunities + contracts + lines]:
        record.owner_id = receiver.id
        record.department_id = receiver.department_id or record.department_id
        engine.carry(record, transition, user, because=because)
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    title = _("Customers handed over: %(customers)s customers, %(opportunities)s open opportunities",
              customers=len(customers), opportunities=len(opportunities))
    for person in {giver.id, receiver.id}:
        notify(person, f"sales.staff_handover:{giver.id}:{receiver.id}:{stamp}", title, body=because,
               url=url_for("sales.staff_handover", giver_id=giver.id) if person == giver.id else
               url_for("sales.customer_list", owner="me"))
    return len(customers), len(opportunities)


HANDOVER_FIELDS = [
    Field("giver", _l("Salesperson handing over"), "user", roles=TRANSFER_ROLES, required=True),
    Field("receiver", _l("Salesperson taking over"), "user", roles=TRANSFER_ROLES, required=True),
    Field("reason", _l("Reason"), "textarea", required=True, max_length=500,
          help=_l("Leaving the company, a new post, a new area...")),
]
HandoverForm = declared_form(None, "HandoverForm", HANDOVER_FIELDS)


@bp.route("/customer-handover/", methods=["GET", "POST"])
@permission_required("sales.customer.transfer")
def staff_handover():
    """客户交接清单: one salesperson's customers and open opportunities, handed to another at once."""
    from core.auth.models import User
    form = HandoverForm() if request.method == "POST" else HandoverForm(
        formdata=None, data={"giver_id": request.args.get("giver_id", type=int)})
    giver = db.session.get(User, form.giver_id.data) if form.giver_id.data else None
    status = 200
    if request.method == "POST":
        status = 400
        receiver = db.session.get(User, form.receiver_id.data) if form.receiver_id.data else None
        if form.validate_on_submit() and giver is not None and receiver is not None:
            if receiver.id == giver.id:
                form.receiver_id.errors = [_("Choose another salesperson.")]
            elif not receiver.active:
                form.receiver_id.errors = [_("Choose an active salesperson.")]
            else:
                customers, opportunities = hand_over(giver, receiver, form.reason.data.strip(), current_user)
                db.session.commit()
                flash(_("%(customers)s customers and %(opportunities)s open opportunities handed over to %(name)s.",
                        customers=customers, opportunities=opportunities, name=receiver.display_name), "success")
                return redirect(url_for("sales.staff_handover", giver_id=giver.id))
    customers, opportunities = held_by(giver.id) if giver is not None else ([], [])
    return render_template("sales/staff_handover.html", form=form, giver=giver, customers=customers,
                           opportunities=opportunities, states=CUSTOMER.workflow.states), status


@hookimpl
def erp_user_deactivation_blockers(user):
    """R-S-035: his customers and open opportunities are handed over first (客户交接清单)."""
    customers = db.session.scalar(select(func.count(Customer.id)).where(Customer.owner_id == user.id))
    opportunities = db.session.scalar(select(func.count(Opportunity.id)).where(
        Opportunity.owner_id == user.id, Opportunity.state.not_in(CLOSED_OPPORTUNITY)))
    contracts, lines = open_contracts_and_collections(user.id)
    if not customers and not opportunities and not contracts and not lines:
        return []
    return [_("%(name)s is still responsible for %(customers)s customers, %(opportunities)s open opportunities, "
              "%(contracts)s contracts and %(lines)s collection lines: the market manager hands them over first "
              "(客户交接清单, R-S-035).", name=user.display_name, customers=customers, opportunities=opportunities,
              contracts=len(contracts), lines=len(lines))]


# ---- cadences ---------------------------------------------------------------------------------
@hookimpl
def erp_scheduled(now):
    """R-S-033: customers without contact fall dormant (idempotent)."""
    from core import calendar as cal
    mark_dormant(now.astimezone(cal.timezone()).date())


@hookimpl
def erp_reminders(now):
    """R-S-037: each key account is contacted within sales.key_account_contact_days of its last
    contact (else of its registration); its owner is reminded by that day."""
    from core.reminders import Reminder, daily_before_end_of_work
    days = settings.get("sales.key_account_contact_days")
    rows = db.session.execute(select(Customer.id, Customer.owner_id, Customer.title, Customer.last_contact_on,
                                     Customer.created_at).where(
        Customer.key_account.is_(True), Customer.state != "stopped")).all()
    items = []
    for r in rows:
        last = r.last_contact_on or (r.created_at.date() if r.created_at else None)
        if last is None:
            continue
        due = last + timedelta(days=days)
        items.append(Reminder(f"sales.key_account_contact:{r.id}:{due.isoformat()}", r.owner_id,
                              _("Contact the key account %(name)s (last contact %(day)s)", name=r.title,
                                day=last.isoformat()),
                              daily_before_end_of_work(due), url=f"/sales/customer/{r.id}"))
    return items


@hookimpl
def erp_dashboard_widgets(user):
    """The 市场部经理 sees the dormant customers he may reassign (R-S-033)."""
    from core.dashboard import Widget
    if not user.can("sales.customer.transfer"):
        return []
    count = db.session.scalar(select(func.count(Customer.id)).where(Customer.state == "dormant"))
    if not count:
        return []
    return [Widget(_l("Dormant customers"),
                   body=_("Without contact for %(days)s days: reassign them if their salesperson does not follow them up.",
                          days=settings.get("sales.customer_dormant_days")),
                   value=count, url=url_for("sales.customer_list", state="dormant"), order=30)]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Customer handover"), "sales.staff_handover", "sales.customer.transfer", order=85)]
