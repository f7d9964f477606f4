"""The supplier directory (X-P09, WF-P03): candidates on core parties, admission by evaluation
(X-P05), suspension, blacklisting and reinstatement by the 采购部经理, order standing (R-P-010)."""
import pytest

from core.extensions import db
from tests.modules.procurement.conftest import make_supplier

pytestmark = pytest.mark.modules("procurement")

BODY = {"title": "深圳市华讯网络设备有限公司", "credit_code": "91440300MA5F00001A", "categories": ["network"],
        "contact_name": "王经理", "contact_phone": "0755-88888888", "bank_name": "招商银行",
        "bank_account": "755900000001",
        "qualifications": [{"kind": "licence", "name": "营业执照", "certificate_no": "91440300MA5F00001A"}]}


def test_a_candidate_is_a_core_party_with_the_supplier_role(app, purchasing, papi):
    status, doc = papi(purchasing, "buyer", "post", "supplier", BODY)
    assert status == 201, doc
    assert doc["state"] == "candidate" and doc["number"].startswith("GYS-")
    with app.app_context():
        from modules.procurement.suppliers import Supplier
        supplier = db.session.get(Supplier, doc["id"])
        assert supplier.party.credit_code == "91440300MA5F00001A" and supplier.party.has_role("supplier")
    status, again = papi(purchasing, "buyer", "post", "supplier", BODY)
    assert status == 422 and "credit_code" in str(again), again


def test_order_standing_blocks_all_but_qualified(app, purchasing):
    from modules.procurement.suppliers import Supplier, order_standing
    qualified = make_supplier(app, purchasing, "合格供应商有限公司")
    graded_c = make_supplier(app, purchasing, "三级供应商有限公司", grade="C")
    black = make_supplier(app, purchasing, "黑名单供应商有限公司", state="blacklisted")
    with app.test_request_context():
        assert order_standing(db.session.get(Supplier, qualified)) == []
        warning, = order_standing(db.session.get(Supplier, graded_c))
        assert not warning.blocking and warning.code == "R-P-050"
        refusal, = order_standing(db.session.get(Supplier, black))
        assert refusal.blocking and refusal.code == "R-P-010"
