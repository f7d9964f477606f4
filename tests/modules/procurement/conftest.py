"""Fixtures for the procurement module: the people who buy, approve and request, each with an API
token, and suppliers of the directory in the states a test needs."""
import zlib
from decimal import Decimal

import pytest

from core.extensions import db

# name -> (role, department, position): who heads whom (core's Superior / DepartmentManager read positions).
PEOPLE = {"buyer": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY"), "buyer2": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY"),
          "pur_mgr": ("ROLE-PUR-MGR", "PUR", "POS-PUR-MGR"), "dir": ("ROLE-MKT-DIR", "MKT", "POS-MKT-DIR"),
          "gm": ("ROLE-GM", None, "POS-GM"), "eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"),
          "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"),
          "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"), "pse": ("ROLE-MKT-PSE", "MKT", "POS-MKT-PSE"),
          "ps_mgr": ("ROLE-PS-MGR", "MKT", "POS-PS-MGR"), "fin": ("ROLE-FIN", "FIN", "POS-FIN"),
          "adm": ("ROLE-ADM", "ADM", "POS-ADM")}


@pytest.fixture
def purchasing(make_staff):
    """The people of procurement and those who request and approve; returns {"ids", "headers"}."""
    return make_staff(PEOPLE)


@pytest.fixture
def papi(module_api):
    """papi(purchasing, name, method, path, json=None) -> (status, body) on /api/v1/procurement/."""
    return module_api("procurement")


@pytest.fixture
def pweb(browser_as):
    """pweb(name): a browser of its own signed in as the person."""
    return browser_as


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
