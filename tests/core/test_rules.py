"""The regulations (规章制度): the catalogue of rules in force, the violation registry, waiving."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import rules
from core.audit.models import AuditEntry
from core.extensions import db
from core.rules.models import RuleViolation
from tests.conftest import sign_in_as


def violation(app, user_id, code="R-S-010", kind="refused", **extra):
    with app.app_context():
        row = rules.record_violation(code, kind, user_id=user_id, details="利润率 4.99%", **extra)
        db.session.commit()
        return row.id


@pytest.mark.modules("sales")
def test_rules_page_lists_the_rules_in_force_with_their_parameters_in_chinese(app, client, login_as):
    login_as("ROLE-ADMIN")
    with app.app_context():
        from core import settings
        settings.set("sales.min_profit_margin_pct", "6")
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    page = client.get("/admin/rules").get_data(as_text=True)
    assert "<h1 class=\"h4\">规章制度</h1>" in page and "市场管理" in page
    card = page[page.index('data-rule="R-S-010"'):]
    card = card[:card.index("</table>")]
    assert "利润低于5%的工程原则上不接" in card and "as a rule projects with a profit below 5 % are not accepted" in card
    assert "需要审批" in card and "拒绝" in card and "违规" in card
    assert param(card, "sales.min_profit_margin_pct") .startswith("最低利润率（%）: <strong>6</strong>")
    assert "<strong>须经特批</strong>" in param(card, "sales.min_margin_mode")   # a choice shows its label
    # Core's own setting used as a parameter of a module's rule.
    assert 'data-param="core.workday_end_time"' in page and "18:00" in page
    assert "规章制度" in client.get("/").get_data(as_text=True)  # in the menu


@pytest.mark.modules()
def test_a_disabled_modules_rules_are_not_listed(app, client, login_as):
    login_as("ROLE-ADMIN")
    with app.app_context():
        assert "R-S-010" not in rules.declared()
        # A violation recorded while sales was on stays in the table, but is not listed.
        db.session.add(RuleViolation(rule_code="R-S-010", kind="refused", occurred_at=datetime.now(timezone.utc)))
        db.session.commit()
        violation_id = db.session.scalar(select(RuleViolation.id))
    page = client.get("/admin/rules").get_data(as_text=True)
    assert response_ok(client, "/admin/rules") and "R-S-010" not in page and "R-S-001" not in page
    assert client.get("/admin/rules/R-S-010").status_code == 404
    assert client.post(f"/admin/rules/violations/{violation_id}/waive", data={"reason": "x"}).status_code == 404


def response_ok(client, url):
    return client.get(url).status_code == 200


def param(card, key):
    """The text of a parameter's line on a rule's card."""
    line = card[card.index(f'data-param="{key}">') + len(f'data-param="{key}">'):]
    return line[:line.index("</li>")]


@pytest.mark.modules("sales")
def test_rules_pages_need_their_permissions(app, client, login_as, make_user):
    offender = make_user("offender", "ROLE-MKT-AM")
    violation_id = violation(app, offender)
    login_as("ROLE-MKT-AM")
    assert client.get("/admin/rules").status_code == 403
    assert client.get("/admin/rules/R-S-010").status_code == 403
    assert client.post(f"/admin/rules/violations/{violation_id}/waive", data={"reason": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(RuleViolation, violation_id).waived_at is None


@pytest.mark.modules("sales")
def test_waiving_needs_a_reason_is_audited_and_leaves_appraisal(app, client, make_user):
    offender = make_user("offender", "ROLE-MKT-AM")
    make_user("boss", "ROLE-ADMIN")
    first, second = violation(app, offender), violation(app, offender, kind="deadline_missed", code="R-S-001")
    sign_in_as(client, "boss")
    page = client.get("/admin/rules/R-S-010").get_data(as_text=True)
    assert "offender" in page and "利润率 4.99%" in page and f"/admin/rules/violations/{first}/waive" in page
    refused = client.post(f"/admin/rules/violations/{first}/waive", data={"reason": " "}, follow_redirects=True)
    assert "Say why the violation is waived." in refused.get_data(as_text=True)
    done = client.post(f"/admin/rules/violations/{first}/waive", data={"reason": "总经理特批的战略项目"},
                       follow_redirects=True)
    assert "Violation waived." in done.get_data(as_text=True) and "总经理特批的战略项目" in done.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(RuleViolation, first)
        assert row.waived_by.username == "boss" and row.waived_at is not None
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.model == "rule_violation", AuditEntry.record_id == str(first), AuditEntry.action == "update"))
        assert entry is not None and "总经理特批的战略项目" in entry.changes
        again = client.post(f"/admin/rules/violations/{first}/waive", data={"reason": "再来"}, follow_redirects=True)
        assert "waived already" in again.get_data(as_text=True)
        # Appraisal counts what is not waived.
        now = datetime.now(timezone.utc)
        period = (now - timedelta(days=1), now + timedelta(days=1))
        assert [v.id for v in rules.violations_of(offender, *period)] == [second]
        assert [v.id for v in rules.violations_of(offender, *period, include_waived=True)] == [first, second]


@pytest.mark.modules("sales")
def test_nobody_waives_his_own_violation(app, client, make_user):
    boss = make_user("boss", "ROLE-ADMIN")
    own = violation(app, boss)
    sign_in_as(client, "boss")
    response = client.post(f"/admin/rules/violations/{own}/waive", data={"reason": "我自己"}, follow_redirects=True)
    assert "Nobody waives his own violation." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RuleViolation, own).waived_at is None


@pytest.mark.modules("sales")
def test_recording_an_undeclared_rule_or_kind_is_a_mistake(app):
    with app.app_context():
        with pytest.raises(rules.UnknownRule):
            rules.record_violation("R-X-999", "refused", user_id=None)
        with pytest.raises(ValueError):
            rules.record_violation("R-S-010", "ignored", user_id=None)


@pytest.mark.modules("sales")
def test_monthly_counts_are_one_group_by_in_the_companys_months(app, make_user):
    offender = make_user("offender", "ROLE-MKT-AM")
    # 2026-03-01 00:30 in Shanghai is still February 28th in UTC: it counts in March.
    shanghai = timezone(timedelta(hours=8))
    violation(app, offender, when=datetime(2026, 2, 28, 23, 30, tzinfo=shanghai))
    violation(app, offender, when=datetime(2026, 3, 1, 0, 30, tzinfo=shanghai))
    violation(app, offender, when=datetime(2026, 3, 2, 9, 0, tzinfo=shanghai), kind="warned")
    with app.app_context():
        counts = rules.monthly_counts(datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert counts == {("R-S-010", "2026-02", "refused"): 1, ("R-S-010", "2026-03", "refused"): 1,
                      ("R-S-010", "2026-03", "warned"): 1}


@pytest.mark.parametrize("declarations,message", [
    ([rules.Rule("X-1", "甲", "A", "block"), rules.Rule("X-1", "乙", "B", "warn")],
     r"rule 'X-1' is declared by both module 'rival' and module 'rival'"),
    ([rules.Rule("X-2", "甲", "A", "flag")], r"module 'rival' declares rule 'X-2' with unknown kind 'flag'"),
    ([rules.Rule("X-3", "甲", "A", "deadline", params=("rival.nowhere",))],
     r"module 'rival' declares rule 'X-3' with parameters that no enabled module declares as settings: "
     r"rival.nowhere"),
])
def test_a_bad_rule_declaration_stops_start_up_naming_the_module(declarations, message):
    import types

    import pluggy

    from core import hookspecs, hooks as core_hooks, plugins

    class Rival:
        @hookspecs.hookimpl
        def erp_rules(self):
            return declarations

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(core_hooks, name="core")
    pm.register(Rival(), name="rival")
    with pytest.raises(plugins.ModuleError, match=message):
        rules.register_declarations(types.SimpleNamespace(pm=pm, settings={}, rules={}))
