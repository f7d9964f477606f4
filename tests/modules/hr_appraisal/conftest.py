"""Fixtures of the appraisal module: a small company with its reporting lines (positions; core's
Superior reads them), each person with an API token, and helpers driving the API and the web."""
import pytest

# name -> (role, department, position)
PEOPLE = {"gm": ("ROLE-GM", None, "POS-GM"), "adm": ("ROLE-ADM", "ADM", "POS-ADM"),
          "dir": ("ROLE-MKT-DIR", "MKT", "POS-MKT-DIR"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"),
          "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"), "eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"),
          "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "pe2": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "fin": ("ROLE-FIN", "FIN", "POS-FIN")}


@pytest.fixture
def staff(make_staff):
    """{"ids": name -> user id, "headers": name -> API headers} of PEOPLE."""
    return make_staff(PEOPLE)


@pytest.fixture
def hapi(module_api):
    """hapi(staff, name, method, path, json=None) -> (status, body) on /api/v1/hr_appraisal/."""
    return module_api("hr_appraisal")


@pytest.fixture
def hweb(app):
    """hweb(name): a browser of its own signed in as the person."""
    from core.testing import sign_in_as

    def sign_in(name):
        browser = app.test_client()
        sign_in_as(browser, name)
        return browser
    return sign_in
