"""The three extension points of the supplier directory, as a partner would use them."""
from decimal import Decimal

from core.hookspecs import hookimpl
from core.workflow import Issue
from modules.procurement.hookspecs import Criterion

# What the "external registry" (a credit-information service) knows.
REGISTRY = {
    "91440300MA5F00001A": {"title": "深圳市华讯网络设备有限公司", "credit_code": "91440300MA5F00001A",
                           "bank_name": "中国银行深圳分行", "bank_account": "7777000011112222",
                           "categories": ["network", "server"], "source": "企业信用信息公示系统"},
}


@hookimpl(optionalhook=True)
def procurement_lookup_supplier(name, credit_code):
    if credit_code in REGISTRY:
        return REGISTRY[credit_code]
    return next((row for row in REGISTRY.values() if row["title"] == name), None)


@hookimpl(optionalhook=True)
def procurement_admission_checks(supplier):
    """Security equipment suppliers need a valid 3C certificate (a local rule of this partner)."""
    if "security" in (supplier.categories or []) and not supplier.has_valid("certificate", "3C"):
        return [Issue("安防设备供应商须有有效的 3C 认证证书", field="qualifications", code="X-3C")]
    return []


def environmental(supplier, start, end):
    return Decimal(80) if supplier.has_valid("certificate", "ISO14001", on=end) else Decimal(0)


@hookimpl(optionalhook=True)
def procurement_evaluation_criteria():
    return [Criterion("green", "环保合规", 10, measure=environmental)]
