"""Hooks the appraisal module calls; other modules and partner plugins implement them.

Implement these with ``@hookimpl(optionalhook=True)`` so the plugin is inert when hr_appraisal is off.
"""
from core.hookspecs import hookspec


# ---- business trips (part "trips") --------------------------------------------------------------
@hookspec
def hr_appraisal_trip_costs(trip, lines, user):
    """A business trip's expense claim was approved (R-H-025, I-16), inside the approving
    transaction; every implementation is called. ``trip`` carries ``number``, ``title``,
    ``destination``, ``owner`` (the traveller), ``link_type`` (``"opportunity"``, ``"project"``,
    ``"customer"``, ``"ticket"`` or ``"none"``) and ``link_ref`` (the linked record's number, free
    text). ``lines``: ``[{"category": "transport" | "hotel" | "meals" | "other", "day": date,
    "amount": Decimal, "note": str}]``. ``user`` approved the claim. Sales posts the cost to the
    opportunity, engineering to the project's cost control sheet (F-E04, category 差旅); with no
    implementation the cost stays on the trip's claim.

    Example::

        @hookimpl(optionalhook=True)
        def hr_appraisal_trip_costs(trip, lines, user):
            if trip.link_type == "project":
                ledger.post(trip.link_ref, "差旅", sum(line["amount"] for line in lines), trip.number)
    """
