"""The supplier directory is procurement's extension point: a partner plugin
(tests/plugins/supplier_registry) answers lookups from an external registry, adds an admission rule
and an evaluation criterion, without touching the module."""
import pytest

from tests.modules.procurement.test_evaluations import act, candidate, evaluation, supplier
from tests.modules.procurement.test_suppliers import BODY
from tests.plugins.supplier_registry import MANIFEST as REGISTRY

pytestmark = [pytest.mark.modules("procurement", "supplier_registry"), pytest.mark.manifests(REGISTRY)]


def test_hook_procurement_lookup_supplier(app, purchasing, papi, pweb):
    status, doc = papi(purchasing, "buyer", "post", "supplier", {
        "title": "深圳市华讯网络设备有限公司", "credit_code": "91440300MA5F00001A", "categories": ["network"],
        "contact_name": "王经理", "contact_phone": "0755-88888888"})
    assert status == 201, doc
    assert doc["bank_name"] == "中国银行深圳分行" and doc["bank_account"] == "7777000011112222"
    assert doc["source"] == "企业信用信息公示系统"
    browser = pweb("buyer")
    found = browser.get("/procurement/suppliers/lookup?credit_code=91440300MA5F00001A").get_json()
    assert found["found"] and found["supplier"]["bank_name"] == "中国银行深圳分行"
    assert browser.get("/procurement/suppliers/lookup?name=无此公司").get_json() == {"found": False}
    assert pweb("pe").get("/procurement/suppliers/lookup?name=x").status_code == 403


def test_hook_procurement_admission_checks(app, purchasing, papi):
    sup = candidate(purchasing, papi, {**BODY, "categories": ["security"]})
    doc = evaluation(purchasing, papi, sup["id"])
    act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    status, body = act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "approve")
    assert status == 422 and "3C" in body["error"] and "X-3C" in str(body)
    assert supplier(purchasing, papi, sup["id"])["state"] == "evaluating"
    # returned to the buyer, who records the certificate; submitted again, admitted
    assert act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "reject", "缺 3C 证书")[0] == 200
    current = supplier(purchasing, papi, sup["id"])
    assert current["state"] == "candidate"
    lines = BODY["qualifications"] + [{"kind": "certificate", "name": "3C", "valid_until": "2030-01-01"}]
    status, body = papi(purchasing, "buyer", "patch", f"supplier/{sup['id']}",
                        {"qualifications": lines, "version": current["version"]})
    assert status == 200, body
    assert act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")[0] == 200
    assert act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "approve", "同意")[0] == 200
    assert supplier(purchasing, papi, sup["id"])["state"] == "qualified"


def test_hook_procurement_evaluation_criteria(app, purchasing, papi):
    sup = candidate(purchasing, papi, {**BODY, "qualifications": BODY["qualifications"] + [
        {"kind": "certificate", "name": "ISO14001", "valid_until": "2030-01-01"}]})
    doc = evaluation(purchasing, papi, sup["id"])
    lines = {line["code"]: line for line in doc["lines"]}
    assert list(lines) == ["qualification", "quality", "price", "delivery", "service", "green"]
    # 110 points declared, scaled to 100
    assert lines["quality"]["weight"] == "27.27" and lines["green"]["weight"] == "9.09"
    assert lines["green"]["suggested"] == "80.00" and lines["green"]["score"] == "80.00"
    assert lines["qualification"]["suggested"] == "100.00"
