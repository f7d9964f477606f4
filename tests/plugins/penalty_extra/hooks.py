"""The three penalty extension points, as a partner would use them."""
from decimal import Decimal

from core.hookspecs import hookimpl
from modules.engineering.hookspecs import PenaltyItemSpec, PenaltyProposal

# What the plugin heard: (number, item code, target type, points, fine).
CONFIRMED: list[tuple] = []


@hookimpl(optionalhook=True)
def engineering_penalty_items():
    return [PenaltyItemSpec("X-01", "未按要求上传现场照片", target="team", fine=Decimal(100),
                            description_en="Site photos not uploaded as required", evidence="F-T16")]


@hookimpl(optionalhook=True)
def engineering_penalties(event):
    if event.kind == "ft16_issued" and event.team_party_id and "照片" in (event.document.description or ""):
        return [PenaltyProposal("X-01", "team", team_party_id=event.team_party_id, facts="现场照片未按要求上传")]
    return []


@hookimpl(optionalhook=True)
def engineering_penalty_confirmed(penalty):
    CONFIRMED.append((penalty.number, penalty.item.code, penalty.target_type, penalty.points, penalty.fine))
