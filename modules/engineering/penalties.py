"""Penalties (工程部处罚条例, SPEC 3.3.4; WF-E08 处罚; X-E08 处罚通知单; I-13).

The catalogue (处罚条例条目, P-01..P-16) is data: ``PenaltyItem``, seeded from SPEC 3.3.4 by
``erp_seed_data`` (idempotent: an item the 工程部经理 edited keeps his values) and edited by him on
its pages. Partners add their own items through ``engineering_penalty_items()``; an item is shown
as its module's, and is offered only while that module is on (penalties citing it are kept).

A penalty names a catalogue item, the person (a user) or the construction team (a core party with
the role ``construction_team``), the project, the facts and the evidence (text, the linked form's
number, attachments). Its sanction is computed from the item: points for staff, a fine in CNY for a
team (by severity where the item has variants; a percentage of the subcontract value with its
minimum and cap for P-05 and P-07; per day or per person-occurrence times the quantity), doubled
(``eng.penalty_repeat_multiplier``) when the same item was confirmed against the same person or
team within ``eng.penalty_repeat_window_months`` before the violation (counted from that earlier
penalty's confirmation).

WF-E08: proposed (项目工程师 or 工程部经理) → notified (the person acknowledges; for a team the
engineer records the team leader's acknowledgement) → appealed (within ``eng.penalty_appeal_days``
working days of the notification) → confirmed (工程部经理; 总经理 when the fine reaches
``eng.penalty_gm_threshold`` or the measure is dismissal, termination or removal) or withdrawn →
executed (a team's fine when deducted from a payment: :func:`mark_deducted`; a staff penalty by
the manager, passed to appraisal) → closed. ``engineering_penalty_confirmed(penalty)`` is
announced at the confirmation.

Evidence proposes penalties by itself: an inward F-T16 issued (P-03 by severity), an F-T14
submitted with the team responsible (P-05), a weekly report submitted late (P-01, 1 point) and,
from the scheduled sweep, a weekly report missing (P-01, 3 points) and an acceptance refused for
want of a self-check (P-02, R-E-041); each event goes through ``engineering_penalties(event)`` so
partners propose theirs, never twice for the same evidence. A team is matched by the name the
form gives (a party with the role ``construction_team``); no match, no proposal.

For other parts and modules: :func:`pending_team_deductions`, :func:`mark_deducted` (inward
F-T10/F-T12), :func:`staff_points` (appraisal, one query).
"""
from __future__ import annotations

import calendar as pycal
import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core import calendar as cal
from core import calendar_today, settings
from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Panel
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.plugins import module_of
from core.rules import Rule
from core.settings import Setting
from core.workflow import Issue, Transition, Workflow, engine

from .hookspecs import PenaltyEvent, PenaltyItemSpec, PenaltyProposal
from .site_reports import WeeklyReport
from .teams import ASSESSMENT, ConstructionTeam, month_range, penalty_source

log = logging.getLogger(__name__)

CODE = "engineering.penalty"
ITEM_CODE = "engineering.penalty_item"
TEAM_ROLE = "construction_team"

TARGETS = [("staff", _l("Staff")), ("team", _l("Construction team")), ("both", _l("Staff or team"))]
TARGET_TYPES = [("staff", _l("Staff")), ("team", _l("Construction team"))]
SEVERITIES = [("minor", _l("Minor")), ("major", _l("Major")), ("serious", _l("Serious"))]
UNITS = [("occurrence", _l("per occurrence")), ("day", _l("per day")), ("person", _l("per person-occurrence")),
         ("item", _l("per item"))]
MEASURES = [("none", _l("None")), ("suspension", _l("Suspension from awards")), ("stop_work", _l("Stop work")),
            ("withhold", _l("Payment withheld")), ("termination", _l("Termination of the subcontract")),
            ("removal", _l("Removal from the register")), ("dismissal", _l("Dismissal / disciplinary procedure"))]
# The measures only the 总经理 confirms (WF-E08).
GM_MEASURES = ("termination", "removal", "dismissal")
DECIDED = ("confirmed", "executed", "closed")
OPEN = ("proposed", "notified", "appealed")


# ---- the catalogue (SPEC 3.3.4) -----------------------------------------------------------------
def _spec(code, zh, en, target, points=None, fine=None, **more) -> PenaltyItemSpec:
    return PenaltyItemSpec(code=code, description=zh, description_en=en, target=target, points=points, fine=fine,
                           **more)


D = Decimal
CATALOGUE = [
    _spec("P-01", "周报/报表迟交或漏交", "Weekly report or required form late or missing", "staff", D(1),
          unit="item", evidence="系统迟交记录"),
    _spec("P-02", "未按规定自检", "Acceptance requested or work handed over without the required self-check", "both",
          D(3), D(200), evidence="F-E06 缺失或不合格"),
    _spec("P-03", "收到质量问题通知", "Quality issue notice attributable to the party", "both",
          variants={"minor": (D(2), D(200)), "major": (D(5), D(800)), "serious": (D(10), D(2000))},
          evidence="F-T16"),
    _spec("P-04", "不按图纸规范施工造成返工", "Rework because drawings or standards were not followed", "both",
          D(5), D(500), measures="返工费用自理", evidence="F-T16, F-T21"),
    _spec("P-05", "质量事故", "Quality incident", "both", D(10), None, points_max=D(20), fine_pct=D(5), fine_min=D(1000),
          measure="suspension", measures="赔偿损失；暂停承接工程 3 个月；员工扣 10–20 分", evidence="F-T14"),
    _spec("P-06", "安全违规", "Safety violation (no helmet or harness at height, unsafe temporary power, hot work "
          "without permit)", "both", D(3), D(100), unit="person", measure="stop_work", measures="停工整改",
          evidence="照片, F-T16"),
    _spec("P-07", "工期延误", "Delay attributable to the party", "team", None, None, fine_pct=D("0.1"),
          fine_cap_pct=D(10), unit="day", evidence="进度计划 F-E05, F-T09 拒绝"),
    _spec("P-08", "客户有效投诉", "Verified customer complaint", "both", D(5), D(500), evidence="投诉服务单"),
    _spec("P-09", "违反施工队守则", "Breach of the construction team code, incl. private negotiation with the customer",
          "team", None, D(200), fine_max=D(1000), measures="每次 200–1000 元；6 个月内 3 次取消合格施工队资格",
          evidence="记录"),
    _spec("P-10", "竣工资料不全或丢失", "As-built documents incomplete or lost", "both", D(3), None,
          measure="withhold", measures="尾款暂扣至资料齐全", evidence="归档清单"),
    _spec("P-11", "材料损耗超标或丢失", "Company-supplied material lost or wasted above allowance", "team", None, None,
          measures="按采购价加 10% 赔偿超耗部分", evidence="材料领退记录"),
    _spec("P-12", "未经签认的变更施工", "Work changed or added without a signed notice", "both", D(3), D(500),
          measures="费用不予确认", evidence="缺 F-T05/F-T06"),
    _spec("P-13", "擅离现场/缺勤", "Absence from site without permission", "both", D(2), D(300), unit="day",
          evidence="考勤"),
    _spec("P-14", "泄露客户或公司机密", "Disclosure of customer or company confidential data", "both", D(20), None,
          measure="termination", measures="员工扣 20 分并按纪律处理；施工队解除合同", evidence="记录"),
    _spec("P-15", "转包或违规分包", "Sub-subcontracting by a team", "team", None, None, measure="removal",
          measures="解除分包合同，没收质保金，取消合格施工队资格", evidence="记录"),
    _spec("P-16", "损坏客户财物", "Damage to customer property", "both", D(3), D(500), measures="照价赔偿",
          evidence="记录"),
]

ITEM_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("code", _l("Code"), required=True, max_length=20),
    Field("description", _l("Violation"), required=True, max_length=300),
    Field("description_en", _l("Violation (English)"), max_length=300, listed=False),
    Field("target", _l("Applies to"), "choice", choices=TARGETS, required=True, default="both"),
    Field("staff_points", _l("Staff points"), "decimal", minimum=0, maximum=100),
    Field("team_fine", _l("Team fine"), "money", minimum=0),
    Field("points_max", _l("Staff points up to"), "decimal", minimum=0, maximum=100, listed=False,
          help=_l("A range (P-05: 10-20 points): the proposer may set the points up to this.")),
    Field("fine_max", _l("Team fine up to"), "money", minimum=0, listed=False,
          help=_l("A range (P-09: 200-1000 CNY): the proposer may set the fine up to this.")),
    Field("fine_pct", _l("Fine as % of the subcontract value"), "percent", minimum=0, maximum=100, listed=False),
    Field("fine_min", _l("Minimum fine"), "money", minimum=0, listed=False),
    Field("fine_cap_pct", _l("Fine capped at % of the subcontract value"), "percent", minimum=0, maximum=100,
          listed=False),
    Field("unit", _l("Counted"), "choice", choices=UNITS, default="occurrence", listed=False),
    Field("points_minor", _l("Points (minor)"), "decimal", minimum=0, maximum=100, listed=False,
          section=_l("Severity variants")),
    Field("points_major", _l("Points (major)"), "decimal", minimum=0, maximum=100, listed=False,
          section=_l("Severity variants")),
    Field("points_serious", _l("Points (serious)"), "decimal", minimum=0, maximum=100, listed=False,
          section=_l("Severity variants")),
    Field("fine_minor", _l("Fine (minor)"), "money", minimum=0, listed=False, section=_l("Severity variants")),
    Field("fine_major", _l("Fine (major)"), "money", minimum=0, listed=False, section=_l("Severity variants")),
    Field("fine_serious", _l("Fine (serious)"), "money", minimum=0, listed=False, section=_l("Severity variants")),
    Field("measure", _l("Measure"), "choice", choices=MEASURES, default="none"),
    Field("measures", _l("Measures"), "textarea", listed=False),
    Field("evidence", _l("Evidence required"), max_length=200, listed=False),
    Field("active", _l("Active"), "bool", default=True),
    Field("source", _l("Provided by"), readonly=True, max_length=60),
]


class PenaltyItem(Document, declared_columns([f for f in ITEM_FIELDS if f.name != "title"]), db.Model):
    """处罚条例条目: one item of the penalty catalogue."""
    __tablename__ = "eng_penalty_item"
    # Seeded as reference data before anyone exists: the built-in items have no owner.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)

    @property
    def has_variants(self) -> bool:
        return any(getattr(self, f"{kind}_{s}") is not None for kind in ("points", "fine") for s, _l_ in SEVERITIES)

    def label(self) -> str:
        return f"{self.code} {self.description}"


def save_item(item):
    item.code = (item.code or "").strip().upper()
    taken = db.session.scalar(select(PenaltyItem.number).where(PenaltyItem.code == item.code,
                                                               PenaltyItem.id != (item.id or 0)).limit(1))
    if taken:
        raise ValidationFailed({"code": [_("The code %(code)s is taken (%(number)s).", code=item.code, number=taken)]})
    item.title = f"{item.code} {item.description or ''}".strip()[:200]
    if not item.source:
        item.source = "engineering"
    if item.active is None:
        item.active = True


ITEM = DocType(
    code=ITEM_CODE, model=PenaltyItem, label=_l("Penalty catalogue item"), label_plural=_l("Penalty catalogue"),
    fields=ITEM_FIELDS, number_prefix="CFTK", number_reset="never", before_save=save_item, menu_order=91,
    search=("code", "description"),
)


def active_sources() -> set[str]:
    """The modules whose catalogue items are offered: engineering and every enabled module
    implementing ``engineering_penalty_items``."""
    hook = current_app.extensions["erp"].pm.hook.engineering_penalty_items
    return {"engineering"} | {module_of(impl.plugin_name) for impl in hook.get_hookimpls()}


def offered_items() -> list[tuple[int, str]]:
    rows = db.session.execute(select(PenaltyItem.id, PenaltyItem.code, PenaltyItem.description)
                              .where(PenaltyItem.active.is_(True), PenaltyItem.source.in_(active_sources()))
                              .order_by(PenaltyItem.code)).all()
    return [(r.id, f"{r.code} {r.description}") for r in rows]


def _item_values(spec: PenaltyItemSpec) -> dict:
    values = {"description": spec.description, "description_en": spec.description_en, "target": spec.target,
              "staff_points": spec.points, "team_fine": spec.fine, "points_max": spec.points_max,
              "fine_max": spec.fine_max, "fine_pct": spec.fine_pct,
              "fine_min": spec.fine_min, "fine_cap_pct": spec.fine_cap_pct, "unit": spec.unit,
              "measure": spec.measure, "measures": spec.measures, "evidence": spec.evidence}
    for severity, (points, fine) in (spec.variants or {}).items():
        values[f"points_{severity}"], values[f"fine_{severity}"] = points, fine
    return values


def seed_catalogue() -> int:
    """Insert the catalogue items (SPEC's and the enabled modules') that are missing; an item
    there already keeps its edited values. Returns how many were added."""
    from core.auth.models import User
    hook = current_app.extensions["erp"].pm.hook.engineering_penalty_items
    specs = []
    for impl in reversed(hook.get_hookimpls()):
        for spec in impl.function() or ():
            specs.append((module_of(impl.plugin_name), spec))
    known = set(db.session.scalars(select(PenaltyItem.code)))
    missing = [(source, spec) for source, spec in specs if spec.code not in known]
    if not missing:
        return 0
    owner = db.session.scalar(select(User).order_by(User.id).limit(1))
    items = []
    for source, spec in missing:
        known.add(spec.code)
        item = PenaltyItem(code=spec.code, title=f"{spec.code} {spec.description}"[:200], state="draft",
                           source=source, active=True, owner_id=owner.id if owner else None, **_item_values(spec))
        items.append(item)
    from core.documents import service
    service.assign_numbers(ITEM, items)
    db.session.add_all(items)
    db.session.flush()
    return len(items)


# ---- penalties (WF-E08, X-E08) ------------------------------------------------------------------
def team_options() -> list[tuple[int, str]]:
    from core.parties import Party
    from core.parties.models import PartyRole
    rows = db.session.execute(select(Party.id, Party.name).join(PartyRole, PartyRole.party_id == Party.id)
                              .where(PartyRole.role == TEAM_ROLE).order_by(Party.name)).all()
    return [(r.id, r.name) for r in rows]


PENALTY_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("item", _l("Catalogue item"), "reference", options=offered_items, required=True),
    Field("target_type", _l("Penalised"), "choice", choices=TARGET_TYPES, required=True, default="staff"),
    Field("person", _l("Person"), "user", roles=("ROLE-ENG-PE", "ROLE-ENG-MGR"),
          help=_l("For a staff penalty.")),
    Field("team_party", _l("Construction team"), "reference", options=team_options,
          help=_l("For a team penalty.")),
    Field("project", _l("Project"), "reference", target="engineering.project"),
    Field("occurred_on", _l("Violation date"), "date", required=True),
    Field("facts", _l("Facts"), "textarea", required=True),
    Field("evidence", _l("Evidence"), "textarea"),
    Field("evidence_ref", _l("Linked form number"), max_length=60),
    Field("severity", _l("Severity"), "choice", choices=SEVERITIES,
          help=_l("For an item with severity variants (P-03); minor when left empty.")),
    Field("quantity", _l("Quantity (days, persons, items)"), "integer", minimum=1, maximum=1000, default=1),
    Field("set_points", _l("Points set within the item's range"), "decimal", minimum=0, maximum=100, listed=False,
          help=_l("For an item with a range of points (P-05: 10-20); its lowest when left empty.")),
    Field("set_fine", _l("Fine set within the item's range"), "money", minimum=0, listed=False,
          help=_l("For an item with a range of fines (P-09: 200-1000 CNY); its lowest when left empty.")),
    Field("subcontract_value", _l("Subcontract value"), "money", minimum=0, listed=False,
          help=_l("For a fine as a percentage of the subcontract value (P-05, P-07).")),
    Field("repeat_count", _l("Earlier identical violations"), "integer", readonly=True),
    Field("multiplier", _l("Repetition multiplier"), "decimal", readonly=True, listed=False),
    Field("points", _l("Points"), "decimal", readonly=True),
    Field("fine", _l("Fine"), "money", readonly=True),
    Field("measures", _l("Measures"), "textarea", readonly=True),
    Field("needs_gm", _l("Confirmed by the general manager"), "bool", readonly=True, listed=False),
    Field("notified_on", _l("Notified on"), "date", readonly=True, listed=False),
    Field("ack_name", _l("Acknowledged by"), readonly=True, max_length=60, listed=False),
    Field("ack_on", _l("Acknowledged on"), "date", readonly=True, listed=False),
    Field("appeal", _l("Appeal"), "textarea", readonly=True),
    Field("decided_on", _l("Confirmed on"), "date", readonly=True),
    Field("executed_in", _l("Executed in"), readonly=True, max_length=60),
    Field("executed_on", _l("Executed on"), "date", readonly=True, listed=False),
]


class Penalty(Document, declared_columns([f for f in PENALTY_FIELDS
                                          if f.name not in ("title", "team_party", "item", "source_key")]),
              db.Model):
    """处罚通知单 (X-E08)."""
    __tablename__ = "eng_penalty"
    item_id: Mapped[int] = mapped_column(ForeignKey("eng_penalty_item.id"), index=True)
    team_party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True, nullable=True)
    # One penalty per evidence and item: an automatic proposal is never made twice.
    source_key: Mapped[str | None] = mapped_column(String(120), unique=True, nullable=True)

    item = relationship(PenaltyItem, lazy="joined")
    team_party = relationship("Party", lazy="joined")


def _engineering_manager():
    """SQL: the 工程部经理 (the active holder of ROLE-ENG-MGR, the first if several)."""
    from core.auth.models import Role, User, user_roles
    return (select(func.min(user_roles.c.user_id)).join(Role, Role.id == user_roles.c.role_id)
            .join(User, User.id == user_roles.c.user_id)
            .where(Role.code == "ROLE-ENG-MGR", User.active.is_(True)).scalar_subquery())


# Whose step a proposal's notification is (待我处理): the 工程部经理's. The engineer who proposed
# may notify it himself too, so core would otherwise take it for the author's own step.
Penalty.manager_id = column_property(_engineering_manager(), deferred=True)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, pycal.monthrange(year, month)[1]))


def _earlier(penalty) -> int:
    """Confirmed penalties of the same item against the same person or team whose confirmation
    was at most ``eng.penalty_repeat_window_months`` before this violation (SPEC 3.3.4)."""
    months = int(settings.get("eng.penalty_repeat_window_months"))
    start = add_months(penalty.occurred_on, -months)
    who = (Penalty.person_id == penalty.person_id) if penalty.target_type == "staff" \
        else (Penalty.team_party_id == penalty.team_party_id)
    return int(db.session.scalar(select(func.count(Penalty.id)).where(
        Penalty.item_id == penalty.item_id, Penalty.target_type == penalty.target_type, who,
        Penalty.state.in_(DECIDED), Penalty.id != (penalty.id or 0),
        Penalty.decided_on >= start, Penalty.decided_on <= penalty.occurred_on)) or 0)


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def within_range(penalty, name: str, low, high):
    """The sanction the proposer set (`name`) within the item's range low..high, else `low`;
    refused naming the field outside it or for an item without a range."""
    value = getattr(penalty, name)
    if value is None:
        return low
    if high is None:
        setattr(penalty, name, None)
        return low
    if not Decimal(low or 0) <= Decimal(value) <= Decimal(high):
        raise ValidationFailed({name: [_("Between %(low)s and %(high)s for this item.",
                                         low=f"{Decimal(low or 0).normalize():f}", high=f"{Decimal(high).normalize():f}")]})
    return value


def compute_sanction(penalty, lenient: bool = False) -> None:
    """Points (staff) or fine (team) from the item, the severity, the quantity and repetition;
    refuses naming the field when the penalty does not fit its item. `lenient` (an automatic
    proposal): a percentage fine without the subcontract value is its minimum for now."""
    item = db.session.get(PenaltyItem, penalty.item_id) if penalty.item_id else None
    if item is None:
        raise ValidationFailed({"item_id": [_("Choose an item of the penalty catalogue.")]})
    if penalty.target_type not in ("staff", "team"):
        raise ValidationFailed({"target_type": [_("Say whether a person or a team is penalised.")]})
    if item.target not in ("both", penalty.target_type):
        raise ValidationFailed({"target_type": [_("%(code)s applies to %(target)s only.", code=item.code,
                                                  target=dict(TARGETS)[item.target])]})
    if penalty.target_type == "staff":
        if not penalty.person_id:
            raise ValidationFailed({"person_id": [_("Name the person penalised.")]})
        penalty.team_party_id = None
    else:
        if not penalty.team_party_id or penalty.team_party_id not in {i for i, _n in team_options()}:
            raise ValidationFailed({"team_party_id": [_("Choose the construction team penalised.")]})
        penalty.person_id = None
    if item.has_variants and not penalty.severity:
        penalty.severity = "minor"
    quantity = Decimal(penalty.quantity or 1)
    points = fine = None
    if penalty.target_type == "staff":
        base = getattr(item, f"points_{penalty.severity}") if item.has_variants else None
        base = base if base is not None else item.staff_points
        base = within_range(penalty, "set_points", base, item.points_max)
        points = Decimal(base or 0) * quantity
    elif item.fine_pct is not None:
        if penalty.subcontract_value is None and lenient and item.fine_min is not None:
            fine = Decimal(item.fine_min)
        elif penalty.subcontract_value is None:
            raise ValidationFailed({"subcontract_value": [_("%(code)s is a percentage of the subcontract value: give "
                                                            "the value.", code=item.code)]})
        else:
            fine = Decimal(penalty.subcontract_value) * Decimal(item.fine_pct) / 100 * quantity
        if item.fine_min is not None:
            fine = max(fine, Decimal(item.fine_min))
        if item.fine_cap_pct is not None and penalty.subcontract_value is not None:
            fine = min(fine, Decimal(penalty.subcontract_value) * Decimal(item.fine_cap_pct) / 100)
    else:
        base = getattr(item, f"fine_{penalty.severity}") if item.has_variants else None
        base = base if base is not None else item.team_fine
        base = within_range(penalty, "set_fine", base, item.fine_max)
        fine = Decimal(base or 0) * quantity
    penalty.repeat_count = _earlier(penalty) if penalty.occurred_on else 0
    multiplier = Decimal(settings.get("eng.penalty_repeat_multiplier")) if penalty.repeat_count else Decimal(1)
    penalty.multiplier = multiplier
    penalty.points = points * multiplier if points is not None else None
    penalty.fine = _money(fine * multiplier) if fine is not None else None
    penalty.measures = item.measures
    threshold = Decimal(settings.get("eng.penalty_gm_threshold"))
    penalty.needs_gm = bool((penalty.fine is not None and penalty.fine >= threshold) or item.measure in GM_MEASURES)


def target_name(penalty) -> str:
    """The team's or the person's name (read by id: a new penalty's relationships are not loaded)."""
    from core.auth.models import User
    from core.parties import Party
    if penalty.target_type == "team":
        party = db.session.get(Party, penalty.team_party_id) if penalty.team_party_id else None
        return party.name if party is not None else ""
    person = db.session.get(User, penalty.person_id) if penalty.person_id else None
    return person.display_name if person is not None else ""


def save_penalty(penalty, lenient: bool = False):
    compute_sanction(penalty, lenient)
    item = db.session.get(PenaltyItem, penalty.item_id)
    penalty.title = f"{item.code} {target_name(penalty) or ''} {item.description}".strip()[:200]


# ---- who does what ------------------------------------------------------------------------------
def _is_person(penalty, user) -> bool:
    return penalty.target_type == "staff" and penalty.person_id == user.id


def acts_for_target(penalty, user) -> list[Issue]:
    """A staff penalty is acknowledged and appealed by the person himself; a team's by the
    engineering department, recording what the team leader signed."""
    if penalty.target_type == "staff" and penalty.person_id != user.id:
        return [Issue(_("Only the person penalised acknowledges or appeals a staff penalty."), code="WF-E08")]
    if penalty.target_type == "team" and not user.has_role("ROLE-ENG-PE") and not user.has_role("ROLE-ENG-MGR"):
        return [Issue(_("The engineering department records a team's acknowledgement or appeal."), code="WF-E08")]
    return []


def team_leader_named(penalty, user) -> list[Issue]:
    if penalty.target_type == "team" and not (penalty.ack_name or "").strip():
        return [Issue(_("Give the name of the team leader who acknowledged."), field="ack_name")]
    return []


def appeal_deadline(penalty) -> date | None:
    if penalty.notified_on is None:
        return None
    return cal.add_working_days(penalty.notified_on, int(settings.get("eng.penalty_appeal_days")))


def within_appeal_window(penalty, user) -> list[Issue]:
    """WF-E08: an appeal within ``eng.penalty_appeal_days`` working days of the notification."""
    last = appeal_deadline(penalty)
    if last is not None and calendar_today.today() > last:
        return [Issue(_("The appeal period ended on %(day)s (%(days)s working days from the notification).",
                        day=last.isoformat(), days=int(settings.get("eng.penalty_appeal_days"))),
                      field="appeal", code="WF-E08")]
    return []


def appeal_closed(penalty, user) -> list[Issue]:
    """A notified penalty is confirmed once acknowledged or once its appeal period is over."""
    if penalty.state == "notified" and penalty.ack_on is None:
        last = appeal_deadline(penalty)
        if last is not None and calendar_today.today() <= last:
            return [Issue(_("Not acknowledged and the appeal period runs until %(day)s.", day=last.isoformat()),
                          code="WF-E08")]
    return []


def not_acknowledged(penalty) -> bool:
    return penalty.ack_on is None


PENALTY_WORKFLOW = Workflow(
    states={"proposed": _l("Proposed"), "notified": _l("Notified"), "appealed": _l("Appealed"),
            "confirmed": _l("Confirmed"), "withdrawn": _l("Withdrawn"), "executed": _l("Executed"),
            "closed": _l("Closed")},
    initial="proposed",
    transitions=[
        Transition("notify", _l("Notify"), ["proposed"], "notified", assignees="manager_id"),
        Transition("acknowledge", _l("Acknowledge"), ["notified"], None, when=not_acknowledged,
                   conditions=[acts_for_target, team_leader_named], style="outline-primary",
                   fields=[Field("ack_name", _l("Acknowledged by (team leader)"), max_length=60)]),
        Transition("appeal", _l("Appeal"), ["notified"], "appealed", conditions=[acts_for_target,
                                                                               within_appeal_window],
                   fields=[Field("appeal", _l("Appeal"), "textarea", required=True)], style="outline-warning"),
        Transition("confirm", _l("Confirm"), ["notified", "appealed"], "confirmed", when=lambda p: not p.needs_gm,
                   conditions=[appeal_closed], style="success", signs=_l("Engineering manager")),
        Transition("confirm_gm", _l("Confirm (general manager)"), ["notified", "appealed"], "confirmed",
                   when=lambda p: bool(p.needs_gm), conditions=[appeal_closed], style="success",
                   signs=_l("General manager")),
        Transition("withdraw", _l("Withdraw"), ["proposed", "notified", "appealed"], "withdrawn",
                   comment_required=True, style="outline-danger"),
        Transition("execute", _l("Execute"), ["confirmed"], "executed",
                   fields=[Field("executed_in", _l("Executed in"), required=True, max_length=60,
                                 help=_l("The payment, settlement or appraisal it was executed in."))]),
        Transition("deduct", _l("Deducted from a payment"), ["confirmed"], "executed", automatic=True),
        Transition("close", _l("Close"), ["executed"], "closed", style="outline-secondary"),
    ],
    editable_states=("proposed",),
)

PENALTY = DocType(
    code=CODE, model=Penalty, label=_l("Penalty"), label_plural=_l("Penalties"), fields=PENALTY_FIELDS,
    workflow=PENALTY_WORKFLOW, number_prefix="CF", print_title="处罚通知单", before_save=save_penalty,
    visibility=lambda user: Penalty.person_id == user.id, menu_order=90, search=("facts", "evidence_ref"),
    columns=[Column("target_type", _l("Penalised"), kind="choice", choices=dict(TARGET_TYPES)),
             Column("occurred_on", _l("Violation date"), kind="date"),
             Column("points", _l("Points"), kind="number"), Column("fine", _l("Fine"), kind="money"),
             Column("decided_on", _l("Confirmed on"), kind="date")],
)


def hook():
    return current_app.extensions["erp"].pm.hook


@hookimpl
def erp_transition_done(document, transition, user, comment):
    if isinstance(document, Penalty):
        on_penalty_transition(document, transition, user, comment)
        return
    form = getattr(type(document), "__form__", None)
    event = None
    if form is not None and form.code == "ft16" and transition.name == "issue" and document.relation == "inward":
        event = PenaltyEvent("ft16_issued", project=document.eng_project, document=document, reference=document.number,
                             team_party_id=team_named(document.team_name), user_id=user.id if user else None,
                             severity=FT_SEVERITY.get(document.severity), day=_day(document.found_at))
    elif form is not None and form.code == "ft14" and transition.name == "submit" and document.responsible == "team":
        event = PenaltyEvent("ft14_issued", project=document.eng_project, document=document, reference=document.number,
                             team_party_id=team_named(document.responsible_name or document.team_name),
                             user_id=user.id if user else None, severity=FT_SEVERITY.get(document.severity),
                             day=_day(document.occurred_at))
    elif (getattr(document, "__tablename__", "") == "eng_service_ticket" and transition.name == "close"
          and document.is_complaint and document.assigned_to_id):
        # A complaint closed with its handling conclusion (R-E-061) is verified: P-08 for its engineer.
        from .projects import EngProject
        project = db.session.get(EngProject, document.project_id) if document.project_id else None
        event = PenaltyEvent("complaint_closed", project=project, document=document,
                             reference=document.number, user_id=document.assigned_to_id,
                             day=_day(getattr(document, "reported_at", None)))
    elif (isinstance(document, WeeklyReport) and transition.name == "submit" and _weekly_late(document)
          and db.session.scalar(select(Penalty.id).where(
              Penalty.source_key == missing_key(document.owner_id, document.week_start))) is None):
        event = PenaltyEvent("weekly_report_late", project=None, document=document, reference=document.number,
                             team_party_id=None, user_id=document.owner_id, severity=None,
                             day=calendar_today.today())
    if event is not None:
        propose_from(event, user)


FT_SEVERITY = {"ordinary": "minor", "major": "major", "serious": "serious"}


def _day(moment) -> date:
    if moment is None:
        return calendar_today.today()
    from core.documents.derived import local
    return local(moment).date()


def _weekly_late(report) -> bool:
    from .site_reports import weekly_due
    return calendar_today.now() > weekly_due(report.week_start)


def team_named(name: str | None) -> int | None:
    """The construction team (party with that role) of that name, or None."""
    name = (name or "").strip()
    if not name:
        return None
    from core.parties import Party
    from core.parties.models import PartyRole
    return db.session.scalar(select(Party.id).join(PartyRole, PartyRole.party_id == Party.id)
                             .where(PartyRole.role == TEAM_ROLE, Party.name == name).limit(1))


def propose_from(event: PenaltyEvent, user) -> list[Penalty]:
    """Ask every implementation of ``engineering_penalties`` what `event` proposes and record
    each proposal as a penalty in state proposed, once per evidence, item and target."""
    made = []
    for proposals in hook().engineering_penalties(event=event):
        for proposal in proposals or ():
            penalty = propose(proposal, event, user)
            if penalty is not None:
                made.append(penalty)
    return made


def _document_key(event) -> str:
    doc = event.document
    return f"{getattr(doc, '__tablename__', 'doc')}:{getattr(doc, 'id', '')}" if doc is not None else event.reference


def propose(proposal: PenaltyProposal, event: PenaltyEvent, user) -> Penalty | None:
    from core.auth.models import User
    from core.documents import service
    item = db.session.scalar(select(PenaltyItem).where(PenaltyItem.code == proposal.code))
    if item is None or not item.active or item.source not in active_sources():
        log.warning("penalty proposal %s from %s: no active catalogue item", proposal.code, event.kind)
        return None
    who = proposal.person_id if proposal.target_type == "staff" else proposal.team_party_id
    if not who:
        return None
    key = f"{event.kind}:{_document_key(event)}:{proposal.code}:{proposal.target_type}:{who}"[:120]
    if db.session.scalar(select(Penalty.id).where(Penalty.source_key == key)) is not None:
        return None
    owner = user or (db.session.get(User, event.user_id) if event.user_id else None)
    if owner is None:
        return None
    penalty = service.new_document(PENALTY, owner)
    penalty.created_by_id = penalty.updated_by_id = owner.id
    penalty.item_id, penalty.target_type = item.id, proposal.target_type
    penalty.person_id = proposal.person_id if proposal.target_type == "staff" else None
    penalty.team_party_id = proposal.team_party_id if proposal.target_type == "team" else None
    project = event.project
    penalty.project_id = getattr(project, "id", None)
    penalty.occurred_on = event.day or calendar_today.today()
    penalty.facts = proposal.facts
    penalty.evidence_ref = (proposal.evidence_ref or event.reference or "")[:60]
    penalty.severity = proposal.severity
    penalty.quantity = proposal.quantity or 1
    penalty.subcontract_value = proposal.subcontract_value
    penalty.source_key = key
    try:
        with db.session.begin_nested():
            save_penalty(penalty, lenient=True)
            service.assign_number(PENALTY, penalty)
            db.session.add(penalty)
            db.session.flush()
    except ValidationFailed as refused:
        log.warning("penalty proposal %s from %s not recorded: %s", proposal.code, event.kind, refused.args)
        return None
    return penalty


@hookimpl
def engineering_penalties(event):
    """The module's own proposals: P-03 (by severity) for an inward quality issue notice, P-05 for
    a quality incident of a team, P-01 for a weekly report submitted late, P-08 for the service
    engineer of a complaint ticket closed with its conclusion (once per ticket), P-11 for a team
    whose settlement charged an excess material loss (its compensation is the settlement's line)."""
    if event.kind == "ft16_issued" and event.team_party_id:
        return [PenaltyProposal("P-03", "team", team_party_id=event.team_party_id, severity=event.severity or "minor",
                                facts=_("Quality issue notice %(number)s: %(problem)s", number=event.reference,
                                        problem=getattr(event.document, "description", "") or ""))]
    if event.kind == "ft14_issued" and event.team_party_id:
        return [PenaltyProposal("P-05", "team", team_party_id=event.team_party_id, severity=event.severity,
                                facts=_("Quality incident %(number)s: %(what)s", number=event.reference,
                                        what=getattr(event.document, "description", "") or ""),
                                subcontract_value=event.subcontract_value)]
    if event.kind == "complaint_closed" and event.user_id:
        ticket = event.document
        return [PenaltyProposal("P-08", "staff", person_id=event.user_id,
                                facts=_("Verified customer complaint %(number)s: %(symptom)s. Conclusion: %(note)s",
                                        number=event.reference, symptom=getattr(ticket, "symptom", "") or "",
                                        note=getattr(ticket, "closure_note", "") or ""))]
    if event.kind == "material_loss_charged" and event.team_party_id:
        # The compensation is the settlement's material line (subcontracts.record_material_loss).
        return [PenaltyProposal("P-11", "team", team_party_id=event.team_party_id,
                                facts=_("Company-supplied material lost or wasted above the allowance: %(amount)s yuan "
                                        "charged in the settlement %(number)s.",
                                        amount=f"{Decimal(event.subcontract_value or 0):,.2f}",
                                        number=event.reference))]
    if event.kind == "weekly_report_late" and event.user_id:
        return [PenaltyProposal("P-01", "staff", person_id=event.user_id,
                                facts=_("Weekly report %(number)s submitted late.", number=event.reference))]
    if event.kind == "selfcheck_missing" and event.user_id:
        return [PenaltyProposal("P-02", "staff", person_id=event.user_id,
                                facts=_("%(number)s: acceptance requested without a passed self-check (R-E-041).",
                                        number=event.reference))]
    if event.kind == "weekly_report_missing" and event.user_id:
        # SPEC 3.3.4: 3 points per missing item (P-01 counts 1 per item).
        return [PenaltyProposal("P-01", "staff", person_id=event.user_id, quantity=3,
                                facts=_("No weekly report for the week of %(monday)s.",
                                        monday=event.day.isoformat() if event.day else ""))]
    return []


def missing_key(user_id: int, monday: date) -> str:
    return f"weekly_report_missing:F-E01 {monday.isoformat()}:P-01:staff:{user_id}"


@hookimpl
def erp_scheduled(now):
    """Proposals found by the scheduled sweep, made by the 工程部经理 (once each):

    - P-01 for a missing weekly report (R-E-010): once last week's report is overdue, 3 points
      for each engineer of an active project without one (a report handed in late afterwards is
      not proposed again);
    - P-02 for an acceptance requested without the required self-check: an F-T20 or F-T22
      refused by R-E-041 in the last 14 days, against whoever asked (once per form)."""
    from core.auth.models import users_with_roles
    from core.reminders import acting_for
    managers = users_with_roles("ROLE-ENG-MGR")
    if not managers:
        return
    events = missing_reports(now) + selfchecks_skipped(now)
    if events:
        with acting_for(managers[0]) as manager:
            for event in events:
                propose_from(event, manager)


def missing_reports(now) -> list[PenaltyEvent]:
    from .site_reports import (
        WeeklyReport,
        engineers_of_active_projects,
        week_of,
        weekly_due,
    )
    monday = week_of(now.date())[0] - timedelta(days=7)
    if now <= weekly_due(monday):
        return []
    engineers = engineers_of_active_projects()
    if not engineers:
        return []
    handed_in = set(db.session.scalars(select(WeeklyReport.owner_id).where(
        WeeklyReport.week_start == monday, WeeklyReport.submitted_at.is_not(None))))
    proposed = set(db.session.scalars(select(Penalty.source_key).where(
        Penalty.source_key.in_([missing_key(uid, monday) for uid in engineers]))))
    return [PenaltyEvent("weekly_report_missing", reference=f"F-E01 {monday.isoformat()}", user_id=uid, day=monday)
            for uid in sorted(engineers - handed_in) if missing_key(uid, monday) not in proposed]


def selfchecks_skipped(now) -> list[PenaltyEvent]:
    from core.documents.derived import local
    from core.rules.models import RuleViolation
    rows = db.session.execute(select(RuleViolation.user_id, RuleViolation.doctype, RuleViolation.doc_id,
                                     RuleViolation.doc_number, func.min(RuleViolation.occurred_at))
                              .where(RuleViolation.rule_code == "R-E-041", RuleViolation.kind == "refused",
                                     RuleViolation.user_id.is_not(None), RuleViolation.doc_number != "",
                                     RuleViolation.occurred_at >= now - timedelta(days=14))
                              .group_by(RuleViolation.user_id, RuleViolation.doctype, RuleViolation.doc_id,
                                        RuleViolation.doc_number)).all()
    doctypes = current_app.extensions["erp"].doctypes
    events = []
    for user_id, doctype, doc_id, number, first in rows:
        model = doctypes[doctype].model if doctype in doctypes else None
        document = db.session.get(model, doc_id) if model is not None and doc_id else None
        events.append(PenaltyEvent("selfcheck_missing", project=getattr(document, "eng_project", None),
                                   reference=number, user_id=user_id, day=local(first).date()))
    return events


@hookimpl
def engineering_penalty_items():
    return list(CATALOGUE)


def on_penalty_transition(penalty, transition, user, comment) -> None:
    today = calendar_today.today()
    name = transition.name
    if name == "notify":
        penalty.notified_on = today
        if penalty.target_type == "staff" and penalty.person_id:
            from core.reminders import notify
            notify(penalty.person_id, f"{CODE}.notified:{penalty.id}",
                   _("Penalty %(number)s: %(title)s", number=penalty.number, title=penalty.title),
                   url=f"/engineering/penalty/{penalty.id}")
    elif name == "acknowledge":
        penalty.ack_on = today
        if penalty.target_type == "staff":
            penalty.ack_name = user.display_name[:60]
    elif name in ("confirm", "confirm_gm"):
        compute_sanction(penalty)
        penalty.decided_on = today
        db.session.flush()
        hook().engineering_penalty_confirmed(penalty=penalty)
        refresh_assessments(penalty)
        removal_check(penalty, user)
    elif name in ("execute", "deduct"):
        penalty.executed_on = today
        if name == "deduct" and comment and not penalty.executed_in:
            penalty.executed_in = comment[:60]


def removal_check(penalty, user=None) -> None:
    """SPEC 3.3.4 P-09: a team confirmed 3 times in 6 months (``eng.penalty_repeat_window_months``)
    is proposed for removal from the qualified register: the 工程部经理 is notified, and the team
    of the register is suspended at once (issue 18, ``teams.suspend``, the reason naming the
    penalties); removing it stays the manager's decision."""
    item = penalty.item
    if penalty.target_type != "team" or item is None or item.code != "P-09":
        return
    since = add_months(penalty.decided_on, -int(settings.get("eng.penalty_repeat_window_months")))
    numbers = list(db.session.scalars(select(Penalty.number).where(
        Penalty.item_id == item.id, Penalty.team_party_id == penalty.team_party_id, Penalty.state.in_(DECIDED),
        Penalty.decided_on >= since).order_by(Penalty.decided_on, Penalty.id)))
    count = len(numbers)
    if count >= 3:
        from core.auth.models import users_with_roles
        from core.reminders import notify
        months = int(settings.get("eng.penalty_repeat_window_months"))
        for manager in users_with_roles("ROLE-ENG-MGR"):
            notify(manager.id, f"{CODE}.removal:{penalty.team_party_id}:{penalty.id}",
                   _("Removal from the register proposed: %(team)s breached the team code %(count)s times in "
                     "%(months)s months (P-09).", team=target_name(penalty), count=count, months=months),
                   url=f"/engineering/penalty/{penalty.id}")
        from .teams import suspend
        registered = db.session.scalar(select(ConstructionTeam).where(
            ConstructionTeam.party_id == penalty.team_party_id))
        if registered is not None and user is not None:
            suspend(registered, _("P-09: the team code breached %(count)s times in %(months)s months (%(numbers)s).",
                                  count=count, months=months, numbers="、".join(numbers))[:300], user)


# ---- what other parts and modules ask -----------------------------------------------------------
def pending_team_deductions(team_party_id: int, project_id: int | None = None) -> list[Penalty]:
    """A team's confirmed fines not deducted yet (deductions pending), oldest first; only those
    of `project_id` when given. A penalty already marked executed in a settlement (P-11, whose
    compensation is the settlement's material line) is not pending."""
    stmt = select(Penalty).where(Penalty.target_type == "team", Penalty.team_party_id == team_party_id,
                                 Penalty.state == "confirmed", Penalty.fine > 0,
                                 func.coalesce(Penalty.executed_in, "") == "")
    if project_id is not None:
        stmt = stmt.where(Penalty.project_id == project_id)
    return list(db.session.scalars(stmt.order_by(Penalty.decided_on, Penalty.id)))


def mark_deducted(penalties, reference: str, user) -> None:
    """The fines were deducted in the payment or settlement `reference` (an inward F-T10 or
    F-T12's number): each penalty is executed (audited transition ``deduct``), in the caller's
    transaction. A penalty not confirmed is refused (TransitionRefused)."""
    today = calendar_today.today()
    for penalty in penalties:
        penalty.executed_in = (reference or "")[:60]
        penalty.executed_on = today
        engine.carry(penalty, "deduct", user, because=reference)


def staff_points(user_ids, start: date, end: date) -> dict[int, Decimal]:
    """Penalty points of each person from the staff penalties confirmed (or executed, closed)
    from `start` to `end` (I-13, KPI-COMPLIANCE): one grouped query; 0 for someone without."""
    ids = list(user_ids)
    points = {uid: Decimal(0) for uid in ids}
    if not ids:
        return points
    rows = db.session.execute(select(Penalty.person_id, func.sum(Penalty.points)).where(
        Penalty.target_type == "staff", Penalty.person_id.in_(ids), Penalty.state.in_(DECIDED),
        Penalty.decided_on >= start, Penalty.decided_on <= end).group_by(Penalty.person_id)).all()
    for person_id, total in rows:
        points[person_id] = Decimal(total or 0)
    return points


def item_of(code: str) -> int | None:
    return db.session.scalar(select(PenaltyItem.id).where(PenaltyItem.code == code))


def team_penalties_of_month(party_id: int, month: str) -> list[Penalty]:
    """A team's fines confirmed (or executed, closed) in `month` ("YYYY-MM"), oldest first."""
    first, last = month_range(month)
    return list(db.session.scalars(select(Penalty).where(
        Penalty.target_type == "team", Penalty.team_party_id == party_id, Penalty.state.in_(DECIDED),
        Penalty.decided_on >= first, Penalty.decided_on <= last).order_by(Penalty.decided_on, Penalty.id)))


def points_of_fines(total) -> Decimal:
    """SPEC 3.3.4 (team fines lower the monthly grade, F-E03): ``eng.team_penalty_points_per_100``
    points per 100 CNY of fines, at most ``eng.team_penalty_points_cap``."""
    per_100 = Decimal(str(settings.get("eng.team_penalty_points_per_100")))
    cap = Decimal(str(settings.get("eng.team_penalty_points_cap")))
    return min(cap, Decimal(total or 0) / 100 * per_100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@penalty_source
def team_month_points(team_id: int, month: str) -> Decimal:
    """The points a register team (``ConstructionTeam.id``) loses on its F-E03 of `month` for
    its team penalties confirmed in that month (one query)."""
    party_id = db.session.scalar(select(ConstructionTeam.party_id).where(ConstructionTeam.id == team_id))
    if party_id is None:
        return Decimal(0)
    first, last = month_range(month)
    total = db.session.scalar(select(func.sum(Penalty.fine)).where(
        Penalty.target_type == "team", Penalty.team_party_id == party_id, Penalty.state.in_(DECIDED),
        Penalty.decided_on >= first, Penalty.decided_on <= last))
    return points_of_fines(total)


def refresh_assessments(penalty) -> None:
    """A team fine confirmed after the team's F-E03 of that month was begun: the draft's penalty
    deduction, total and grade are computed again (the submitted ones keep what was submitted)."""
    if penalty.target_type != "team" or penalty.decided_on is None or not penalty.team_party_id:
        return
    from .teams import TeamAssessment, save_assessment
    drafts = db.session.scalars(select(TeamAssessment).join(ConstructionTeam, ConstructionTeam.id == TeamAssessment.team_id)
                                .where(ConstructionTeam.party_id == penalty.team_party_id,
                                       TeamAssessment.month == penalty.decided_on.strftime("%Y-%m"),
                                       TeamAssessment.state == "draft")).all()
    for assessment in drafts:
        save_assessment(assessment)


def assessment_penalties_panel(assessment, user) -> dict | None:
    """The team's penalties of the assessed month on the F-E03 (what ``penalty_points`` deducts)."""
    team = assessment.team
    if team is None or not assessment.month:
        return None
    rows = team_penalties_of_month(team.party_id, assessment.month)
    fines = sum((Decimal(p.fine or 0) for p in rows), Decimal(0))
    return {"rows": [(p.id, p.number, p.title, p.decided_on, p.fine, PENALTY_WORKFLOW.states.get(p.state, p.state))
                     for p in rows], "fines": fines, "points": points_of_fines(fines)}


ASSESSMENT.add_panel(Panel("engineering/team_penalties.html", assessment_penalties_panel,
                           label=_l("Team penalties of the month")))


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    """KPI-COMPLIANCE (I-13, SPEC 3.6): the points of each person's staff penalties confirmed from
    `start` to `end` (confirmed, executed or closed), as deductions; one grouped query. A person
    without such a penalty gets no answer from here (core's rule violations may still count)."""
    if "KPI-COMPLIANCE" not in set(kpis or ()):
        return []
    ids = sorted({int(uid) for uid in user_ids or ()})
    if not ids:
        return []
    rows = db.session.execute(select(Penalty.person_id, func.count(Penalty.id), func.sum(Penalty.points)).where(
        Penalty.target_type == "staff", Penalty.person_id.in_(ids), Penalty.state.in_(DECIDED),
        Penalty.decided_on >= start, Penalty.decided_on <= end).group_by(Penalty.person_id)).all()
    return [{"kpi": "KPI-COMPLIANCE", "user_id": uid, "points": Decimal(total or 0),
             "detail": f"工程部处罚 {count} 次，扣 {Decimal(total or 0).normalize():f} 分"}
            for uid, count, total in rows]


# ---- dashboard and reminders --------------------------------------------------------------------
@hookimpl
def erp_dashboard_widgets(user):
    """The 工程部经理 (and whoever reads all penalties): this month's confirmed penalties, their
    fines and points, and how many wait for a decision. An engineer: his own penalties."""
    from flask import url_for

    from core.dashboard import Widget

    from .dashboard import ENGINEERING
    if user.can(f"{CODE}.read_all"):
        today = calendar_today.today()
        first = today.replace(day=1)
        row = db.session.execute(select(func.count(Penalty.id), func.sum(Penalty.fine), func.sum(Penalty.points))
                                 .where(Penalty.state.in_(DECIDED), Penalty.decided_on >= first,
                                        Penalty.decided_on <= today)).one()
        waiting = db.session.scalar(select(func.count(Penalty.id)).where(Penalty.state.in_(OPEN))) or 0
        return [Widget(_l("Penalties this month"), value=int(row[0] or 0), url=url_for("engineering.penalty_list"),
                       section=ENGINEERING, order=30,
                       body=_("Fines %(fine)s yuan, %(points)s points; %(waiting)s waiting for a decision.",
                              fine=f"{Decimal(row[1] or 0):,.2f}", points=f"{Decimal(row[2] or 0).normalize():f}",
                              waiting=waiting))]
    if user.can(f"{CODE}.read"):
        rows = db.session.execute(select(Penalty.id, Penalty.number, Penalty.title, Penalty.state, Penalty.points)
                                  .where(Penalty.person_id == user.id, Penalty.state != "withdrawn")
                                  .order_by(Penalty.id.desc()).limit(5)).all()
        states = PENALTY_WORKFLOW.states
        return [Widget(_l("My penalties"), value=len(rows), url=url_for("engineering.penalty_list"),
                       section=ENGINEERING, order=30, body="" if rows else _("No penalty."),
                       items=tuple((f"{r.number} {r.title} ({states.get(r.state, r.state)})",
                                    url_for("engineering.penalty_detail", doc_id=r.id)) for r in rows))]
    return []


@hookimpl
def erp_reminders(now):
    """A notified penalty not acknowledged: the person (a staff penalty) or its proposer (recording
    the team leader's acknowledgement), by the end of the appeal period. An appeal: the
    工程部经理 (the 总经理 for one he confirms) decides within 2 working days after the period."""
    from core.auth.models import users_with_roles
    from core.reminders import Reminder, daily_before_end_of_work
    reminders = []
    rows = db.session.execute(select(Penalty.id, Penalty.number, Penalty.title, Penalty.target_type,
                                     Penalty.person_id, Penalty.owner_id, Penalty.notified_on)
                              .where(Penalty.state == "notified", Penalty.ack_on.is_(None))).all()
    days = int(settings.get("eng.penalty_appeal_days"))
    for r in rows:
        who = r.person_id if r.target_type == "staff" else r.owner_id
        if not who or r.notified_on is None:
            continue
        due = daily_before_end_of_work(cal.add_working_days(r.notified_on, days))
        reminders.append(Reminder(f"{CODE}.ack:{r.id}:{who}", who,
                                  _("Acknowledge penalty %(number)s: %(title)s", number=r.number, title=r.title),
                                  due, url=f"/engineering/penalty/{r.id}"))
    appeals = db.session.execute(select(Penalty.id, Penalty.number, Penalty.title, Penalty.needs_gm,
                                        Penalty.notified_on).where(Penalty.state == "appealed")).all()
    if appeals:
        deciders = {False: [u.id for u in users_with_roles("ROLE-ENG-MGR")],
                    True: [u.id for u in users_with_roles("ROLE-GM")]}
        for r in appeals:
            day = cal.add_working_days(r.notified_on or calendar_today.today(), days + 2)
            for uid in deciders[bool(r.needs_gm)]:
                reminders.append(Reminder(f"{CODE}.appeal:{r.id}:{uid}", uid,
                                          _("Decide the appeal against penalty %(number)s: %(title)s",
                                            number=r.number, title=r.title),
                                          daily_before_end_of_work(day), url=f"/engineering/penalty/{r.id}"))
    return reminders


# ---- demo ---------------------------------------------------------------------------------------
DEMO_TEAMS = ("宏达布线施工队", "深圳市鑫达弱电安装队")


def demo(users) -> list:
    """Penalties in every state of WF-E08, on staff and on teams, one doubled by repetition (the
    same code breach of the same team again after the first was confirmed). ``users``:
    {"eng_mgr", "pe", "gm"}; runs once."""
    from flask import g

    from core.documents import service
    from core.parties import services as parties

    from .projects import STARTED, EngProject
    manager, pe, gm = users.get("eng_mgr"), users.get("pe"), users.get("gm")
    # Runs once: penalties proposed by hand exist after it (automatic proposals may come first).
    if manager is None or pe is None or db.session.scalar(select(func.count(Penalty.id))
                                                          .where(Penalty.source_key.is_(None))):
        return []
    teams = {}
    for name in DEMO_TEAMS:
        teams[name] = team_named(name) or parties.create_party(name, (TEAM_ROLE,)).id
    projects = db.session.scalars(select(EngProject).where(EngProject.state.in_(STARTED))
                                  .order_by(EngProject.id)).all()
    project_id = projects[0].id if projects else None
    today = calendar_today.today()
    codes = {code: id_ for id_, code in db.session.execute(select(PenaltyItem.id, PenaltyItem.code))}
    made = []

    def make(code, target, facts, days_ago=3, **values):
        g.audit_user = pe
        penalty = service.new_document(PENALTY, pe)
        penalty.item_id, penalty.target_type, penalty.facts = codes[code], target, facts
        penalty.occurred_on, penalty.project_id = today - timedelta(days=days_ago), project_id
        if target == "staff":
            penalty.person_id = pe.id
        else:
            penalty.team_party_id = teams[values.pop("team", DEMO_TEAMS[0])]
        for name, value in values.items():
            setattr(penalty, name, value)
        save_penalty(penalty)
        service.assign_number(PENALTY, penalty)
        db.session.add(penalty)
        db.session.commit()
        made.append(penalty)
        return penalty

    def steps(penalty, *names):
        for name, who, comment in names:
            g.audit_user = who
            engine.perform(PENALTY, penalty, name, who, comment)

    notify = ("notify", pe, "已当面告知")
    team_ack = ("acknowledge", pe, "施工队负责人签收")

    def acknowledged_team(penalty):
        penalty.ack_name = "刘建国"
        steps(penalty, notify, team_ack)

    # proposed: a team's safety breach, two workers without harness
    make("P-06", "team", "二层桥架安装时 2 名工人高处作业未系安全带", days_ago=1, quantity=2,
         evidence="现场照片 3 张", evidence_ref="现场巡查记录")
    # notified, not acknowledged yet: the engineer's late weekly report
    steps(make("P-01", "staff", "第 48 周工程师周报周一上午才提交", days_ago=2), notify)
    # appealed: the team disputes a customer complaint
    appealed = make("P-08", "team", "客户投诉施工队午休时间电钻作业影响办公", days_ago=4, team=DEMO_TEAMS[1],
                    evidence_ref="客户投诉记录")
    steps(appealed, notify)
    appealed.appeal = "施工时间经业主物业同意，附物业施工许可单"
    steps(appealed, ("appeal", pe, "施工队提出申诉"))
    # withdrawn: the appeal of another complaint was accepted
    withdrawn = make("P-16", "team", "机房防静电地板划伤", days_ago=9, team=DEMO_TEAMS[1])
    steps(withdrawn, notify, ("withdraw", manager, "经查为业主方搬运设备所致，撤销"))
    # confirmed, waiting as a deduction: a code breach (P-09) of the first team ...
    first = make("P-09", "team", "施工队私下与业主商谈增加信息点的价格", days_ago=20, evidence_ref="业主反映记录")
    acknowledged_team(first)
    steps(first, ("confirm", manager, "违反施工队守则第 8 条"))
    # ... and the same breach again: doubled by repetition (executed: deducted from its payment)
    second = make("P-09", "team", "施工队再次私下承接业主零星布线", days_ago=0, evidence_ref="业主反映记录")
    acknowledged_team(second)
    steps(second, ("confirm", manager, "6 个月内重复违反，加倍"))
    g.audit_user = manager
    mark_deducted([second], "GC10-2026-0002", manager)
    db.session.commit()
    # confirmed by the general manager: a serious quality issue (2000 CNY)
    serious = make("P-03", "team", "机柜接地线未连接即通电试运行", days_ago=6, severity="serious",
                   evidence_ref="质量问题通知书")
    acknowledged_team(serious)
    if gm is not None:
        steps(serious, ("confirm_gm", gm, "同意按严重质量问题处罚"))
    # closed: a staff penalty executed in the month's appraisal
    closed = make("P-02", "staff", "F-T20 报验前未做自检", days_ago=25)
    steps(closed, notify, ("acknowledge", pe, "本人确认"), ("confirm", manager, ""))
    closed.executed_in = f"{today.year}年{today.month}月考核"
    steps(closed, ("execute", manager, "已计入月度考核"), ("close", manager, ""))
    g.audit_user = None
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [PenaltyItem, Penalty]


@hookimpl
def erp_document_types():
    return [ITEM, PENALTY]


@hookimpl
def erp_seed_data(app):
    seed_catalogue()


@hookimpl
def erp_roles():
    read = [f"{CODE}.read", f"{CODE}.export"]
    engineer = read + [f"{CODE}.{a}" for a in ("create", "edit", "notify", "acknowledge", "appeal")]
    manager = engineer + [f"{CODE}.{a}" for a in ("read_all", "confirm", "withdraw", "execute", "close")]
    gm = read + [f"{CODE}.{a}" for a in ("read_all", "confirm", "confirm_gm", "withdraw")]
    item_read = [f"{ITEM_CODE}.read", f"{ITEM_CODE}.read_all"]
    item_edit = item_read + [f"{ITEM_CODE}.{a}" for a in ("create", "edit", "export")]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer + item_read),
            RoleTemplate("ROLE-ENG-MGR", permissions=manager + item_edit),
            RoleTemplate("ROLE-GM", permissions=gm + item_read)]


@hookimpl
def erp_settings():
    return [
        Setting("eng.penalty_appeal_days", "int", 3, _l("Penalty appeal period (working days)"),
                _l("WF-E08: a penalty is appealed within this many working days of its notification."), min=1, max=30),
        Setting("eng.penalty_gm_threshold", "decimal", "2000", _l("Penalties confirmed by the general manager from (CNY)"),
                _l("WF-E08: a fine of this amount or more is confirmed by the general manager."), min=0),
        Setting("eng.penalty_repeat_window_months", "int", 6, _l("Repeated violation window (months)"),
                _l("SPEC 3.3.4: the same violation again within this many months of the earlier one's "
                   "confirmation is a repetition."), min=1, max=36),
        Setting("eng.team_penalty_points_per_100", "decimal", "1", _l("Team grade points per 100 CNY of fines"),
                _l("SPEC 3.3.4: a team's fines confirmed in a month lower its monthly assessment (F-E03) by "
                   "this many points per 100 CNY."), min=0, max=100),
        Setting("eng.team_penalty_points_cap", "decimal", "30", _l("Team grade points lost to fines at most"),
                _l("SPEC 3.3.4: the points a team's fines take off its monthly assessment (F-E03) are capped."),
                min=0, max=100),
        Setting("eng.penalty_repeat_multiplier", "decimal", "2", _l("Repeated violation multiplier"),
                _l("SPEC 3.3.4: a repeated violation's sanction is multiplied by this."), min=1, max=10),
    ]


@hookimpl
def erp_rules():
    rules = [Rule(spec.code, spec.description, spec.description_en, "penalty",
                  params=("eng.penalty_repeat_window_months", "eng.penalty_repeat_multiplier"))
             for spec in CATALOGUE]
    rules.append(Rule("WF-E08", "处罚程序", "A penalty is notified, may be appealed within the appeal period, is "
                      "confirmed by the engineering manager (the general manager from the threshold or for "
                      "dismissal, termination or removal), then executed.", "approval",
                      params=("eng.penalty_appeal_days", "eng.penalty_gm_threshold")))
    return rules
