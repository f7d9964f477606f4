"""Supplier evaluation (X-P05, WF-P03, R-P-050): the buyer scores, the 采购部经理 decides; a passing
admission admits the supplier to the directory, a failing one rejects it, a failing re-evaluation
suspends a qualified supplier; the 采购部经理 alone suspends, blacklists and reinstates."""
from datetime import date, timedelta

import pytest

from tests.modules.procurement.conftest import make_supplier
from tests.modules.procurement.test_suppliers import BODY

pytestmark = pytest.mark.modules("procurement")

SCORES = {"quality": "90", "price": "85", "delivery": "80", "service": "90"}


def candidate(purchasing, papi, body=None):
    status, doc = papi(purchasing, "buyer", "post", "supplier", body or BODY)
    assert status == 201, doc
    return doc


def evaluation(purchasing, papi, supplier_id, kind="admission", scores=SCORES):
    status, doc = papi(purchasing, "buyer", "post", "evaluation", {
        "supplier_id": supplier_id, "kind": kind, "period_start": "2026-01-01", "period_end": "2026-11-30"})
    assert status == 201, doc
    lines = [{"score": scores.get(line["code"], line["score"])} for line in doc["lines"]]   # by position
    status, doc = papi(purchasing, "buyer", "patch", f"evaluation/{doc['id']}", {"lines": lines, "version": doc["version"]})
    assert status == 200, doc
    return doc


def act(purchasing, papi, who, kind, doc_id, name, comment=""):
    return papi(purchasing, who, "post", f"{kind}/{doc_id}/transitions/{name}", {"comment": comment})


def supplier(purchasing, papi, supplier_id):
    status, doc = papi(purchasing, "pur_mgr", "get", f"supplier/{supplier_id}")
    assert status == 200, doc
    return doc


def test_an_admission_with_a_passing_grade_admits_the_supplier(app, purchasing, papi):
    sup = candidate(purchasing, papi)
    doc = evaluation(purchasing, papi, sup["id"])
    # the five criteria of SPEC, weights adding up to 100; qualifications suggested from the licence
    assert [(line["code"], line["weight"]) for line in doc["lines"]] == [
        ("qualification", "15.00"), ("quality", "30.00"), ("price", "25.00"), ("delivery", "20.00"),
        ("service", "10.00")]
    assert doc["lines"][0]["suggested"] == "60.00" and doc["total"] == "82.25" and doc["grade"] == "B"
    status, body = act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    assert status == 200, body
    assert supplier(purchasing, papi, sup["id"])["state"] == "evaluating"
    status, body = act(purchasing, papi, "buyer", "evaluation", doc["id"], "approve")
    assert status == 403 and "cannot decide" in body["error"]     # the buyer does not decide his own
    status, body = act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "approve", "同意列入合格供方")
    assert status == 200, body
    sup = supplier(purchasing, papi, sup["id"])
    assert sup["state"] == "qualified" and sup["grade"] == "B" and sup["score"] == "82.25"
    assert sup["next_evaluation_due"] >= (date.today() + timedelta(days=360)).isoformat()


def test_a_failing_admission_rejects_and_a_failing_review_suspends(app, purchasing, papi):
    sup = candidate(purchasing, papi)
    doc = evaluation(purchasing, papi, sup["id"], scores={"quality": "40", "price": "50", "delivery": "40", "service": "50"})
    assert doc["grade"] == "F"
    act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    assert act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "approve", "不合格")[0] == 200
    assert supplier(purchasing, papi, sup["id"])["state"] == "rejected"

    qualified = make_supplier(app, purchasing, "合格供应商有限公司")
    review = evaluation(purchasing, papi, qualified, kind="annual",
                        scores={"quality": "30", "price": "50", "delivery": "40", "service": "50"})
    act(purchasing, papi, "buyer", "evaluation", review["id"], "submit")
    assert act(purchasing, papi, "pur_mgr", "evaluation", review["id"], "approve", "年度评审不合格")[0] == 200
    assert supplier(purchasing, papi, qualified)["state"] == "suspended"


def test_the_kind_must_fit_the_supplier_and_every_line_is_scored(app, purchasing, papi):
    qualified = make_supplier(app, purchasing, "合格供应商有限公司")
    doc = evaluation(purchasing, papi, qualified, kind="admission")
    status, body = act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    assert status == 422 and "annual" in body["error"]
    sup = candidate(purchasing, papi)
    status, doc = papi(purchasing, "buyer", "post", "evaluation", {
        "supplier_id": sup["id"], "kind": "admission", "period_start": "2026-01-01", "period_end": "2026-11-30"})
    status, body = act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    assert status == 422 and "Score every criterion" in body["error"]
    assert supplier(purchasing, papi, sup["id"])["state"] == "candidate"


def test_admission_needs_a_valid_licence_and_bank_details(app, purchasing, papi):
    sup = candidate(purchasing, papi, {**BODY, "bank_name": "", "bank_account": "",
                                       "qualifications": [{"kind": "licence", "name": "营业执照",
                                                           "valid_until": "2020-01-01"}]})
    doc = evaluation(purchasing, papi, sup["id"])
    act(purchasing, papi, "buyer", "evaluation", doc["id"], "submit")
    status, body = act(purchasing, papi, "pur_mgr", "evaluation", doc["id"], "approve")
    assert status == 422 and "R-P-010" in str(body)
    assert "business licence" in body["error"] and "bank" in body["error"]
    assert supplier(purchasing, papi, sup["id"])["state"] == "evaluating"


def test_only_the_procurement_manager_suspends_blacklists_and_reinstates(app, purchasing, papi):
    sup = make_supplier(app, purchasing, "合格供应商有限公司")
    status, body = act(purchasing, papi, "buyer", "supplier", sup, "suspend", "到货延误")
    assert status == 403 and "permission" in body["error"]
    status, body = act(purchasing, papi, "pur_mgr", "supplier", sup, "suspend")
    assert status == 422                               # a reason is required
    assert act(purchasing, papi, "pur_mgr", "supplier", sup, "suspend", "连续两批到货延误")[0] == 200
    doc = supplier(purchasing, papi, sup)
    assert doc["state"] == "suspended" and doc["status_reason"] == "连续两批到货延误"
    assert act(purchasing, papi, "pur_mgr", "supplier", sup, "reinstate", "已整改")[0] == 200
    assert act(purchasing, papi, "pur_mgr", "supplier", sup, "blacklist", "提供虚假授权书")[0] == 200
    doc = supplier(purchasing, papi, sup)
    assert doc["state"] == "blacklisted" and doc["status_reason"] == "提供虚假授权书"
    # a blacklisted supplier is not evaluated again
    status, body = papi(purchasing, "buyer", "post", "evaluation", {
        "supplier_id": sup, "kind": "special", "period_start": "2026-01-01", "period_end": "2026-11-30"})
    assert status == 422 and "supplier_id" in str(body)


def test_a_requester_does_not_see_the_directory(app, purchasing, papi):
    sup = make_supplier(app, purchasing, "合格供应商有限公司")
    assert papi(purchasing, "pe", "get", f"supplier/{sup}")[0] in (403, 404)
    assert papi(purchasing, "pe", "post", "supplier", BODY)[0] == 403
    assert papi(purchasing, "eng_mgr", "get", f"supplier/{sup}")[0] == 200
