"""Fixtures for the procurement module: the people who buy, approve and request, each with an API
token, and suppliers of the directory in the states a test needs."""
import zlib
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import PASSWORD, department_id

PEOPLE = {"buyer": ("ROLE-PUR-BUY", "PUR"), "buyer2": ("ROLE-PUR-BUY", "PUR"), "pur_mgr": ("ROLE-PUR-MGR", "PUR"),
          "dir": ("ROLE-MKT-DIR", "MKT"), "gm": ("ROLE-GM", None), "eng_mgr": ("ROLE-ENG-MGR", "ENG"),
          "pe": ("ROLE-ENG-PE", "ENG"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT"), "am": ("ROLE-MKT-AM", "MKT"),
          "pse": ("ROLE-MKT-PSE", "MKT"), "ps_mgr": ("ROLE-PS-MGR", "MKT"), "fin": ("ROLE-FIN", "FIN"),
          "adm": ("ROLE-ADM", "ADM")}
# Who heads whom (core's Superior / DepartmentManager approvers read the positions).
POSITIONS = {"pur_mgr": "POS-PUR-MGR", "buyer": "POS-PUR-BUY", "buyer2": "POS-PUR-BUY", "eng_mgr": "POS-ENG-MGR",
             "pe": "POS-ENG-PE", "mkt_mgr": "POS-MKT-MGR", "am": "POS-MKT-AM", "dir": "POS-MKT-DIR", "gm": "POS-GM",
             "pse": "POS-MKT-PSE", "ps_mgr": "POS-PS-MGR", "fin": "POS-FIN", "adm": "POS-ADM"}


@pytest.fixture
def purchasing(app, make_user):
    """The people of procurement and those who request and approve; returns {"ids", "headers"}."""
    ids, headers = {}, {}
    for name, (role, dept) in PEOPLE.items():
        ids[name] = make_user(name, role, department_id=department_id(app, dept) if dept else None)
    with app.app_context():
        from core.auth.models import User
        for name in PEOPLE:
            token, secret = ApiToken.issue(db.session.get(User, ids[name]), "tests")
            db.session.add(token)
            headers[name] = {"Authorization": f"Bearer {secret}"}
        for name, code in POSITIONS.items():
            position = db.session.scalar(select(Position).where(Position.code == code))
            db.session.add(UserPosition(user_id=ids[name], position_id=position.id))
        db.session.commit()
    return {"ids": ids, "headers": headers}


@pytest.fixture
def papi(app):
    """papi(purchasing, name, method, path, json=None) -> (status, body) on /api/v1/procurement/."""
    client = app.test_client()

    def call(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/procurement/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()
    return call


@pytest.fixture
def pweb(app):
    """pweb(name): a browser of its own signed in as the person."""
    browser = app.test_client()

    def sign_in(name):
        browser.post("/logout")
        assert browser.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        return browser
    return sign_in


def make_supplier(app, people, name="深圳市华讯网络设备有限公司", state="qualified", grade="A",
                  categories=("network",), credit_code=None):
    """A supplier of the directory in ``state`` (written directly: the tests of the directory walk
    the workflow itself). Returns its id."""
    from core.parties.services import CREDIT_ALPHABET, CREDIT_WEIGHTS
    from modules.procurement.suppliers import Supplier, SupplierQualification, save_supplier
    if credit_code is None:
        stem = f"914403{zlib.crc32(name.encode()) % 10**11:011d}"
        total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(stem, CREDIT_WEIGHTS))
        credit_code = stem + CREDIT_ALPHABET[(31 - total % 31) % 31]
    with app.app_context():
        supplier = Supplier(title=name, credit_code=credit_code, categories=list(categories), contact_name="王经理",
                            contact_phone="0755-88888888", bank_name="招商银行", bank_account="755900000001",
                            payment_days=30, number=f"GYS-T{zlib.crc32(name.encode()) % 10**6:06d}", state=state,
                            owner_id=people["ids"]["buyer"], buyer_id=people["ids"]["buyer"],
                            grade=grade if state != "candidate" else None,
                            score=Decimal(90) if state != "candidate" else None)
        supplier.qualifications.append(SupplierQualification(kind="licence", name="营业执照"))
        save_supplier(supplier)
        db.session.add(supplier)
        db.session.commit()
        return supplier.id
