"""engineering_subcontract_check is the award's extension point: a partner plugin
(tests/plugins/local_labour) adds a local-labour quota (X-LOCAL) refusing, above ¥50,000, teams
not registered in the project's city, at the invitation and at the award; with the plugin off the
same package goes through."""
import pytest

from tests.plugins.local_labour import MANIFEST as LOCAL

from .conftest import make_project
from .test_subcontracts import act, make_team, package_body

pytestmark = [pytest.mark.manifests(LOCAL)]


def local_and_remote(app):  # needs the people (the register's manager)
    return (make_team(app, "深圳宏达弱电施工队", address="深圳市南山区科技园"),
            make_team(app, "广州鑫源布线工程队", address="广州市天河区体育西路"))


def invite(app, team, eapi, amount, teams):
    pid = make_project(app, team, site_address="深圳市南山区市一中新校区")
    local, remote = teams
    status, doc = eapi(team, "pe", "post", "work_package", package_body(pid, [local, remote], amount))
    assert status == 201, doc
    return act(eapi, team, "pe", f"work_package/{doc['id']}", "invite")


@pytest.mark.modules("engineering", "local_labour")
def test_hook_engineering_subcontract_check(app, team, eapi):
    teams = local_and_remote(app)
    status, body = invite(app, team, eapi, "50001", teams)
    assert status == 422 and "X-LOCAL" in body["rules"], body
    assert "广州鑫源布线工程队" in body["error"] and "深圳宏达弱电施工队" not in body["error"]
    # at the limit the quota does not apply
    status, body = invite(app, team, eapi, "50000", teams)
    assert status == 200 and body["state"] == "inquiry", body


@pytest.mark.modules("engineering")
def test_the_quota_is_gone_with_the_plugin_off(app, team, eapi):
    status, body = invite(app, team, eapi, "80000", local_and_remote(app))
    assert status == 200 and body["state"] == "inquiry", body


@pytest.mark.modules("engineering", "local_labour")
def test_the_quota_is_checked_again_at_the_award(app, team, eapi):
    """Invited below the limit, the package raised above it before the award: the remote team
    recommended is refused at the submission."""
    local, remote = local_and_remote(app)
    status, body = invite(app, team, eapi, "40000", (local, remote))
    assert status == 200, body
    path = f"work_package/{body['id']}"
    quotes = [{"team_id": local, "quoted_amount": "60000"}, {"team_id": remote, "quoted_amount": "55000"},
              {"team_id": make_team(app, "深圳立信安装队", address="深圳市宝安区"), "quoted_amount": "58000"}]
    status, doc = eapi(team, "pe", "patch", path, {"quotes": quotes, "version": body["version"]})
    assert status == 200, doc
    assert eapi(team, "pe", "post", f"{path}/transitions/evaluate", {})[0] == 200
    doc = eapi(team, "pe", "get", path)[1]
    status, doc = eapi(team, "pe", "patch", path, {"recommended_team_id": remote, "package_amount": "60000",
                                                   "version": doc["version"]})
    assert status == 200, doc
    status, body = eapi(team, "pe", "post", f"{path}/transitions/submit", {})
    assert status == 422 and "X-LOCAL" in body["rules"] and "广州鑫源布线工程队" in body["error"], body
