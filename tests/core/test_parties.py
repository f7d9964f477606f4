"""Parties (customers, suppliers, construction teams...), their roles and contacts; BusinessRef."""
import json

import pytest
from flask import render_template_string
from sqlalchemy import false, select

from core.audit.models import AuditEntry
from core.auth.models import Role
from core.extensions import db
from core.hookspecs import hookimpl
from core.parties import BusinessRef, Party, PartyContact, PartyRole, ProfileAccess, party_ref, resolve
from core.parties import services
from tests.conftest import sign_in_as

VALID_CODES = ["91350100M000100Y43", "91440300708461136T"]


def party_form(**overrides):
    data = {"name": "深圳市华科电子有限公司", "short_name": "华科", "code": "", "credit_code": "",
            "roles": ["customer"], "address": "深圳市南山区科技园", "phone": "0755-12345678",
            "website": "", "notes": "", "active": "y"}
    data.update(overrides)
    return data


def make_party(app, name, roles=("customer",), **fields):
    with app.app_context():
        party = services.create_party(name, roles, **fields)
        db.session.commit()
        return party.id


def version_of(app, party_id):
    with app.app_context():
        return str(db.session.get(Party, party_id).version)


def count_parties(app):
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(Party))


# --- create and edit through the web ------------------------------------------------------

def test_create_party_numbers_it_and_audits_insert_and_update(app, client, login_as):
    login_as("ROLE-MKT-AM")
    page = client.get("/parties/new").get_data(as_text=True)
    assert 'id="party-form"' in page and 'value="customer"' in page and 'name="confirm_similar"' not in page
    response = client.post("/parties/new", data=party_form(roles=["customer", "supplier"]))
    assert response.status_code == 302
    with app.app_context():
        party = db.session.scalar(select(Party))
        assert party.code == f"P{party.id:06d}" and party.name == "深圳市华科电子有限公司"
        assert sorted(party.role_codes) == ["customer", "supplier"]
        assert party.active and party.created_at is not None and party.credit_code is None
        party_id, version = party.id, party.version
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "深圳市华科电子有限公司" in page and "Customer" in page and "Supplier" in page

    page = client.get(f"/parties/{party_id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{version}"' in page and "0755-12345678" in page
    response = client.post(f"/parties/{party_id}/edit", data=party_form(
        phone="0755-87654321", credit_code=VALID_CODES[0].lower(), roles=["supplier"],
        version=str(version)))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        party = db.session.get(Party, party_id)
        assert party.phone == "0755-87654321" and party.credit_code == VALID_CODES[0]
        assert party.role_codes == ["supplier"]
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.model == "party", AuditEntry.record_id == str(party_id))
            .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["insert", "update"]
        inserted = json.loads(entries[0].changes)
        assert inserted["name"] == "深圳市华科电子有限公司" and inserted["code"] == party.code
        assert json.loads(entries[1].changes)["phone"] == ["0755-12345678", "0755-87654321"]
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.model == "party_role", AuditEntry.action == "delete")) is not None


def test_given_code_is_kept_and_must_be_unique(app, client, login_as):
    login_as("ROLE-PUR-BUY")
    assert client.post("/parties/new", data=party_form(code="sup-001")).status_code == 302
    response = client.post("/parties/new", data=party_form(name="另一家公司", code="SUP-001"))
    assert response.status_code == 400
    assert "Code SUP-001 is already used by “深圳市华科电子有限公司” (SUP-001)." in response.get_data(as_text=True)
    assert count_parties(app) == 1


def test_invalid_form_reports_each_field_and_saves_nothing(app, client, login_as):
    login_as("ROLE-MKT-AM")
    response = client.post("/parties/new", data=party_form(
        name="", roles=[], credit_code="12345", code="bad code!"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-field="name"' in page and "Enter the party" in page
    assert 'data-field="roles"' in page and "Choose at least one role." in page
    assert 'data-field="credit_code"' not in page or "18 characters" in page
    assert count_parties(app) == 0
    # Fields WTForms accepts but the rules refuse are reported on their fields too.
    response = client.post("/parties/new", data=party_form(credit_code="12345", code="bad code!"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-field="credit_code"' in page and "has 18 characters; this one has 5" in page
    assert 'data-field="code"' in page and "Use letters, digits and . _ - only." in page
    assert count_parties(app) == 0


def test_duplicate_name_is_refused_naming_the_existing_party(app, client, login_as):
    existing = make_party(app, "Acme Networks Ltd", ("supplier",))
    login_as("ROLE-PUR-MGR")
    response = client.post("/parties/new", data=party_form(name="  ACME networks LTD "))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A party with this name already exists: “Acme Networks Ltd” (P000001)." in page
    assert count_parties(app) == 1
    # An inactive party's name is free again (with a warning to confirm).
    with app.app_context():
        db.session.get(Party, existing).active = False
        db.session.commit()
    response = client.post("/parties/new", data=party_form(name="ACME networks LTD"))
    assert response.status_code == 400 and 'id="similar-parties"' in response.get_data(as_text=True)
    response = client.post("/parties/new", data=party_form(name="ACME networks LTD", confirm_similar="y"))
    assert response.status_code == 302
    # ...but reactivating the old one would now duplicate an active name.
    with app.app_context():
        with pytest.raises(services.ValidationError) as err:
            services.update_party(db.session.get(Party, existing), active=True)
        assert "already exists" in err.value.errors["name"][0]
        db.session.rollback()


def test_near_duplicate_warns_and_saves_only_when_confirmed(app, client, login_as):
    make_party(app, "深圳市华科电子有限公司")
    login_as("ROLE-MKT-AM")
    # full-width brackets, spaces and another company-form suffix: the same organisation?
    response = client.post("/parties/new", data=party_form(name="深圳市（华科）电子 股份有限公司"))
    assert response.status_code == 400 and 'id="similar-parties"' in response.get_data(as_text=True)
    response = client.post("/parties/new", data=party_form(name="深圳市 华科电子 股份有限公司"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="similar-parties"' in page and "“深圳市华科电子有限公司” (P000001)" in page
    assert 'name="confirm_similar"' in page
    assert count_parties(app) == 1
    response = client.post("/parties/new", data=party_form(
        name="深圳市 华科电子 股份有限公司", confirm_similar="y"))
    assert response.status_code == 302
    assert count_parties(app) == 2
    with app.app_context():
        found = services.find_duplicates("深圳市华科电子")
        assert [d.reason for d in found] == ["similar_name", "similar_name"]
        assert not any(d.blocking for d in found)


def test_editing_other_fields_does_not_warn_again(app, client, login_as):
    make_party(app, "华科电子有限公司")
    second = make_party(app, "华科电子")   # services allow it (the web asked for confirmation)
    login_as("ROLE-MKT-AM")
    response = client.post(f"/parties/{second}/edit", data=party_form(
        name="华科电子", version=version_of(app, second)))
    assert response.status_code == 302


def test_stale_edit_is_refused(app, client, login_as):
    party_id = make_party(app, "华科电子有限公司")
    seen = version_of(app, party_id)   # the user opens the form...
    with app.app_context():            # ...someone else saves a change...
        services.update_party(db.session.get(Party, party_id), phone="110")
        db.session.commit()
    login_as("ROLE-MKT-AM")             # ...then the user saves the form.
    response = client.post(f"/parties/{party_id}/edit", data=party_form(name="华科电子有限公司", version=seen))
    assert response.status_code == 400
    assert "Someone else changed this party while you were editing it." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Party, party_id).phone == "110"


# --- unified social credit code -----------------------------------------------------------

@pytest.mark.parametrize("code", VALID_CODES + ["９１４４０３００７０８４６１１３６ｔ", " 91440300 708461136t "])
def test_valid_credit_codes_are_accepted_and_normalized(app, code):
    with app.app_context():
        normalized = services.normalize_credit_code(code)
        assert services.credit_code_problem(normalized) is None
        assert normalized in VALID_CODES


@pytest.mark.parametrize("code,message", [
    ("9144030070846113", "has 18 characters; this one has 16"),
    ("91440300708461136I", "remove or correct: I"),
    ("9144AB00708461136T", "Characters 3 to 8"),
    ("91440300708461137T", "check character"),
])
def test_invalid_credit_codes_say_why(app, code, message):
    with app.app_context():
        assert message in services.credit_code_problem(code)
        with pytest.raises(services.ValidationError) as err:
            services.create_party("某公司", credit_code=code)
        assert message in err.value.errors["credit_code"][0]


def test_credit_code_is_unique(app, client, login_as):
    make_party(app, "华科电子有限公司", credit_code=VALID_CODES[1])
    login_as("ROLE-MKT-AM")
    response = client.post("/parties/new", data=party_form(name="别的名字", credit_code=VALID_CODES[1]))
    assert response.status_code == 400
    assert ("This unified social credit code is already registered for “华科电子有限公司” (P000001)."
            in response.get_data(as_text=True))
    assert count_parties(app) == 1


# --- services ------------------------------------------------------------------------------

def test_match_key_ignores_spaces_punctuation_width_case_and_suffix():
    key = services.match_key
    assert key("深圳市 天盈隆（数码）有限公司") == key("深圳市天盈隆(数码)") == "深圳市天盈隆数码"
    assert key("Acme Networks Co., Ltd.") == key("ACME networks") == "acmenetworks"
    assert key("有限公司") == "有限公司"   # never empty


def test_service_functions(app):
    with app.app_context():
        manual = services.create_party("手工编号", ["partner"], code="P000002")
        auto = services.create_party("自动编号", ["other"])
        assert manual.code == "P000002" and auto.id == 2 and auto.code == "P000002-1"
        services.add_role(auto, "construction_team")
        services.add_role(auto, "construction_team")   # idempotent
        assert sorted(auto.role_codes) == ["construction_team", "other"]
        with pytest.raises(services.ValidationError) as err:
            services.add_role(auto, "astronaut")
        assert "astronaut" in err.value.errors["roles"][0]
        first = services.add_contact(auto, "张工", mobile="13800000000")
        second = services.add_contact(auto, "李工", email="li@example.com", is_primary=True)
        assert auto.primary_contact is second and not first.is_primary
        with pytest.raises(services.ValidationError) as err:
            services.add_contact(auto, "", email="nope")
        assert set(err.value.errors) == {"name", "email"}
        with pytest.raises(services.SimilarPartiesWarning) as warn:
            services.create_party("自动编号 有限公司", allow_similar=False)
        assert [d.party for d in warn.value.similar] == [auto]
        db.session.commit()
        assert db.session.scalar(select(db.func.count()).select_from(PartyContact)) == 2


# --- list, search, role filter, pages ------------------------------------------------------

def test_search_and_role_filter(app, client, login_as):
    make_party(app, "甲供应商有限公司", ("supplier",), credit_code=VALID_CODES[0])
    make_party(app, "乙施工队", ("construction_team",))
    make_party(app, "丙监理公司", ("supervisor", "supplier"))
    make_party(app, "丁客户", ("customer",), active=False)
    login_as("ROLE-ENG-PE")

    def names(query=""):
        page = client.get("/parties/" + query).get_data(as_text=True)
        return {n for n in ("甲供应商有限公司", "乙施工队", "丙监理公司", "丁客户") if n in page}

    assert names() == {"甲供应商有限公司", "乙施工队", "丙监理公司"}
    assert names("?role=supplier") == {"甲供应商有限公司", "丙监理公司"}
    assert names("?role=construction_team") == {"乙施工队"}
    assert names("?q=P000002") == {"乙施工队"}
    assert names("?q=350100M") == {"甲供应商有限公司"}
    assert names("?q=监理") == {"丙监理公司"}
    assert names("?q=%25") == set()   # LIKE wildcards are searched for literally
    assert names("?status=inactive") == {"丁客户"}
    assert names("?status=all&role=customer") == {"丁客户"}


def test_list_pages_with_keyset_links(app, client, login_as):
    app.config["ERP_PAGE_SIZE"] = 2
    for name in ["E", "A", "D", "B", "C"]:
        make_party(app, f"{name} Company")
    login_as("ROLE-MKT-AM")

    def shown(page):
        return [n for n in "ABCDE" if f"{n} Company" in page]

    def link(page, element_id):
        marker = 'href="'
        start = page.index(f'id="{element_id}"')
        tag_start = page.rindex("<a", 0, start)
        href = page[tag_start:].split(marker, 1)[1].split('"', 1)[0]
        return href.replace("&amp;", "&")

    page = client.get("/parties/").get_data(as_text=True)
    assert shown(page) == ["A", "B"] and 'id="prev-page"' not in page
    page = client.get(link(page, "next-page")).get_data(as_text=True)
    assert shown(page) == ["C", "D"]
    page3 = client.get(link(page, "next-page")).get_data(as_text=True)
    assert shown(page3) == ["E"] and 'id="next-page"' not in page3
    page = client.get(link(page3, "prev-page")).get_data(as_text=True)
    assert shown(page) == ["C", "D"]
    page = client.get(link(page, "prev-page")).get_data(as_text=True)
    assert shown(page) == ["A", "B"] and 'id="prev-page"' not in page


# --- contacts ------------------------------------------------------------------------------

def test_contacts_added_on_the_detail_page(app, client, login_as):
    party_id = make_party(app, "华科电子有限公司")
    login_as("ROLE-MKT-AST")
    response = client.post(f"/parties/{party_id}/contacts", data={
        "name": "王工", "title": "项目经理", "mobile": "13900000000", "email": "wang@example.com"})
    assert response.status_code == 302
    response = client.post(f"/parties/{party_id}/contacts", data={"name": "", "email": "not-mail"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the contact" in page and 'data-field="name"' in page
    response = client.post(f"/parties/{party_id}/contacts", data={"name": "赵工", "email": "not-mail"})
    assert response.status_code == 400 and "Not a valid e-mail address." in response.get_data(as_text=True)
    response = client.post(f"/parties/{party_id}/contacts", data={"name": "李总", "is_primary": "y"})
    assert response.status_code == 302
    with app.app_context():
        contacts = {c.name: c for c in db.session.get(Party, party_id).contacts}
        assert set(contacts) == {"王工", "李总"}
        assert contacts["李总"].is_primary and not contacts["王工"].is_primary
        wang = contacts["王工"].id
    page = client.get(f"/parties/{party_id}").get_data(as_text=True)
    assert "王工" in page and "项目经理" in page and "wang@example.com" in page
    assert page.index("李总") < page.index("王工")   # primary first
    assert client.post(f"/parties/{party_id}/contacts/{wang}/primary").status_code == 302
    with app.app_context():
        assert db.session.get(Party, party_id).primary_contact.name == "王工"
    assert client.post(f"/parties/{party_id}/contacts/{wang}/delete").status_code == 302
    with app.app_context():
        party = db.session.get(Party, party_id)
        assert [c.name for c in party.contacts] == ["李总"] and party.primary_contact.name == "李总"


# --- permissions ---------------------------------------------------------------------------

def test_permissions(app, client, login_as):
    party_id = make_party(app, "华科电子有限公司")
    login_as("ROLE-ADM")
    assert client.get("/parties/").status_code == 403
    assert client.get(f"/parties/{party_id}").status_code == 403
    client.post("/logout")
    login_as("ROLE-ENG-PE")
    assert client.get("/parties/").status_code == 200
    page = client.get(f"/parties/{party_id}").get_data(as_text=True)
    assert 'id="edit-party"' not in page and 'id="contact-form"' not in page
    assert client.get("/parties/new").status_code == 403
    assert client.post("/parties/new", data=party_form(name="不该保存")).status_code == 403
    assert client.post(f"/parties/{party_id}/contacts", data={"name": "X"}).status_code == 403
    assert count_parties(app) == 1
    assert 'href="/parties/"' in client.get("/").get_data(as_text=True)   # menu entry


class TeamsProfile:
    """A module whose profile covers construction teams: the 工程部经理 sees and edits them, no one else."""

    @hookimpl
    def erp_party_access(user):
        profile = select(PartyRole.party_id).where(PartyRole.party_id == Party.id,
                                                   PartyRole.role == "construction_team")
        engineering = profile.exists() if user.has_role("ROLE-ENG-MGR") else false()
        return [ProfileAccess(profiled=profile.exists(), readable=engineering, editable=engineering)]


@pytest.mark.modules()
def test_hook_erp_party_access(app, client, make_user):
    app.extensions["erp"].pm.register(TeamsProfile, name="teams")
    team = make_party(app, "深圳市鹏程施工队", ("construction_team",))
    supplier = make_party(app, "广州网联设备有限公司", ("supplier",))
    make_user("buyer", "ROLE-PUR-BUY")
    make_user("eng_mgr", "ROLE-ENG-MGR")
    sign_in_as(client, "buyer")
    page = client.get("/parties/").get_data(as_text=True)
    assert "广州网联设备有限公司" in page and "深圳市鹏程施工队" not in page
    assert client.get(f"/parties/{team}").status_code == 404
    assert client.post(f"/parties/{team}/edit", data=party_form(name="改名施工队")).status_code == 404
    assert client.get(f"/parties/{supplier}/edit").status_code == 200      # master data
    sign_in_as(client, "eng_mgr")
    assert "深圳市鹏程施工队" in client.get("/parties/").get_data(as_text=True)
    response = client.post(f"/parties/{team}/edit", data=party_form(
        name="深圳市鹏程施工队", roles=["construction_team"], version=version_of(app, team)))
    assert response.status_code == 302
    assert client.get(f"/parties/{supplier}/edit").status_code == 200


def test_default_grants(app):
    with app.app_context():
        grants = {r.code: r.permission_codes for r in db.session.scalars(select(Role))}
    viewers = ["ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-PSE",
               "ROLE-PS-MGR", "ROLE-MKT-AST", "ROLE-ENG-MGR", "ROLE-ENG-PE", "ROLE-PUR-MGR",
               "ROLE-PUR-BUY", "ROLE-FIN", "ROLE-ADMIN"]
    managers = ["ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-AST", "ROLE-PUR-MGR",
                "ROLE-PUR-BUY", "ROLE-ENG-MGR", "ROLE-ADMIN"]
    assert sorted(r for r, codes in grants.items() if "core.parties.view" in codes) == sorted(viewers)
    assert sorted(r for r, codes in grants.items() if "core.parties.manage" in codes) == sorted(managers)


def test_pages_in_chinese(app, client, login_as):
    party_id = make_party(app, "华科电子有限公司", ("construction_team", "supervisor"))
    login_as("ROLE-MKT-MGR")
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    page = client.get(f"/parties/{party_id}").get_data(as_text=True)
    assert "往来单位" in page and "施工队" in page and "监理单位" in page
    assert "统一社会信用代码" in page


# --- BusinessRef ---------------------------------------------------------------------------

MACRO = '{% from "parties/macros.html" import business_ref %}{{ business_ref(ref) }}'


def _add_engineering_page(app):
    """A stand-in for engineering's project page, in an app where the module is off."""
    app.add_url_rule("/engineering/projects/<int:project_id>", "engineering.project_detail",
                     lambda project_id: str(project_id))


@pytest.mark.own_app
def test_business_ref_links_while_the_target_module_is_enabled(app):
    ref = BusinessRef("engineering", "project", 7, "GC-2026-007", "某大厦综合布线工程")
    with app.test_request_context():   # engineering's own project page
        assert resolve(ref) == "/engineering/project/7"
        html = render_template_string(MACRO, ref=ref)
        assert '<a href="/engineering/project/7"' in html and "GC-2026-007 某大厦综合布线工程" in html
        # a model without a detail page is shown as text, as is a missing reference
        assert resolve(BusinessRef("engineering", "no_such_record", 3, "X-1")) is None
        assert resolve(BusinessRef("core", "party", None, "P000001")) is None
        assert render_template_string(MACRO, ref=None) == ""


@pytest.mark.own_app
@pytest.mark.modules("sales")
def test_business_ref_to_a_disabled_module_shows_the_snapshot(app):
    assert app.extensions["erp"].enabled == ["sales"]
    _add_engineering_page(app)   # even if the endpoint existed, the module is off
    party_id = make_party(app, "华科电子有限公司")
    ref = BusinessRef("engineering", "project", 7, "GC-2026-007", "某大厦综合布线工程")
    with app.test_request_context():
        assert resolve(ref) is None
        html = render_template_string(MACRO, ref=ref)
        assert "<a" not in html and "GC-2026-007 某大厦综合布线工程" in html
        assert 'class="business-ref business-ref-snapshot"' in html
        party = db.session.get(Party, party_id)
        html = render_template_string(MACRO, ref=party_ref(party))   # core is always on
        assert f'<a href="/parties/{party_id}"' in html and "P000001 华科电子有限公司" in html


def test_business_ref_storage():
    """Both storages round-trip: five columns from the mixin, or one JSON column."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
    from core.parties import BusinessRefType, business_ref_columns

    class Base(DeclarativeBase):
        pass

    class Handover(business_ref_columns("contract"), Base):
        __tablename__ = "handover"
        __audit__ = False   # no audit_entry table in this scratch database
        id: Mapped[int] = mapped_column(primary_key=True)
        source: Mapped[BusinessRef | None] = mapped_column(BusinessRefType(), nullable=True)

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    assert {"contract_module", "contract_model", "contract_id", "contract_number", "contract_text"} \
        <= set(Handover.__table__.c.keys())
    ref = BusinessRef("sales", "contract", 12, "HT-2026-001", "某大厦综合布线")
    with Session(engine) as session:
        session.add(Handover(id=1, contract=ref, source=ref))
        session.add(Handover(id=2))
        session.commit()
    with Session(engine) as session:
        one, two = session.get(Handover, 1), session.get(Handover, 2)
        assert one.contract == ref and one.source == ref and one.contract_number == "HT-2026-001"
        assert two.contract is None and two.source is None
    assert BusinessRef.from_dict(ref.to_dict()) == ref


def test_migration_matches_the_party_models(app):
    from core import migrate
    with app.app_context():
        mine = [d for d in migrate.differences(app) if "party" in repr(d)]
    assert mine == []
