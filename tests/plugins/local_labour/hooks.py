"""The local-labour quota (a local rule of this partner, code X-LOCAL)."""
from decimal import Decimal

from core.hookspecs import hookimpl
from core.rules import Rule
from core.workflow import Issue

LIMIT = Decimal(50000)


def city_of(address: str) -> str:
    """The city an address starts with ("深圳市南山区..." -> "深圳市")."""
    head = (address or "").split("市", 1)
    return head[0] + "市" if len(head) == 2 else ""


@hookimpl(optionalhook=True)
def engineering_subcontract_check(package, team):
    city = city_of(package.project.site_address if package.project else "")
    amount = Decimal(package.package_amount or 0)
    if amount > LIMIT and city and not (team.address or "").startswith(city):
        return [Issue(f"本地用工：{LIMIT:,.0f} 元以上的发包须由{city}注册的施工队承接", field="quotes",
                      code="X-LOCAL")]
    return []


@hookimpl
def erp_rules():
    return [Rule("X-LOCAL", "本地用工", "Above the amount, packages go to teams registered in the project's city.",
                 "block")]
