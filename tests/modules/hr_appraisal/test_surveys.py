"""The internal service survey (服务质量评价) measuring KPI-SERVICE-QUALITY: made when a cycle starts
for the managers of the departments served, rated 1-5 by them only, read by them and the 行政部,
and its submitted ratings reaching the sheets at the next measurement."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import department_id
from tests.modules.hr_appraisal.conftest import PEOPLE
from tests.modules.hr_appraisal.test_cycles import act
from tests.modules.hr_appraisal.test_statements import statements_of
from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]

PURCHASING = {"pur_mgr": ("ROLE-PUR-MGR", "PUR", "POS-PUR-MGR"), "buyer": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY"),
              "buyer2": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY")}
SERVICE = "KPI-SERVICE-QUALITY"


@pytest.fixture
def staff(make_staff):
    return make_staff(PEOPLE | PURCHASING)


@pytest.fixture(autouse=True)
def answers(staff):
    plugin.ANSWERS.clear()
    plugin.ANSWERS.append({"kpi": "KPI-PUR-COST", "user_id": staff["ids"]["buyer2"], "score": Decimal(80)})
    yield
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()


def start_cycle(hapi, staff, departments=("PUR",)):
    status, cycle = hapi(staff, "adm", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                         "departments": list(departments)})
    assert status == 201, cycle
    status, body = act(hapi, staff, "adm", "cycle", cycle["id"], "start")
    assert status == 200, body
    return cycle["id"]


def surveys_of(app, cycle_id) -> dict[int, dict]:
    """rater id -> {"id", "people": [person ids], "due"}."""
    from modules.hr_appraisal.surveys import ServiceSurvey
    with app.app_context():
        return {s.rater_id: {"id": s.id, "people": [line.person_id for line in s.lines], "due": s.due,
                             "owner": s.owner_id, "state": s.state}
                for s in db.session.scalars(select(ServiceSurvey).where(ServiceSurvey.cycle_id == cycle_id))}


def rate(hapi, staff, name, survey_id, ratings: dict):
    """Give `ratings` (person id -> (rating, comment)) on the survey as `name`; returns the PATCH's answer."""
    status, doc = hapi(staff, name, "get", f"survey/{survey_id}")
    assert status == 200, doc
    rows = [{"rating": ratings.get(line["person_id"], (line["rating"], line["comment"]))[0],
             "comment": ratings.get(line["person_id"], (line["rating"], line["comment"]))[1]}
            for line in doc["lines"]]
    return hapi(staff, name, "patch", f"survey/{survey_id}", {"lines": rows, "version": doc["version"]})


def sheet_of(app, hapi, staff, cycle_id, name):
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        sheet_id = db.session.scalar(select(AppraisalSheet.id).where(
            AppraisalSheet.cycle_id == cycle_id, AppraisalSheet.employee_id == staff["ids"][name]))
    status, doc = hapi(staff, "adm", "get", f"sheet/{sheet_id}")
    assert status == 200, doc
    return doc


def test_surveys_are_made_for_the_managers_served(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = start_cycle(hapi, staff)
    surveys = surveys_of(app, cycle_id)
    # SPEC 3.6's default: 采购部经理 and 采购员 rated by the 工程部经理 and the 市场部经理
    assert set(surveys) == {ids["eng_mgr"], ids["mkt_mgr"]}
    for rater, survey in surveys.items():
        assert survey["people"] == [ids["pur_mgr"], ids["buyer"], ids["buyer2"]]
        assert (survey["owner"], survey["state"]) == (rater, "draft")
        assert survey["due"] == date(2026, 12, 3)          # the 3rd working day after 30 Nov
    # a cycle without sheets weighting the KPI makes none
    assert surveys_of(app, start_cycle(hapi, staff, ("ENG",))) == {}


def test_nobody_rates_himself(app, staff, hapi):
    from core import settings
    ids = staff["ids"]
    with app.app_context():
        settings.set("hr.service_raters", "采购员 = 采购部经理\n采购部经理 = 采购部经理 + 工程部经理")
        db.session.commit()
    surveys = surveys_of(app, start_cycle(hapi, staff))
    assert surveys[ids["pur_mgr"]]["people"] == [ids["buyer"], ids["buyer2"]]     # not himself
    assert surveys[ids["eng_mgr"]]["people"] == [ids["pur_mgr"]]


def test_only_the_rater_and_the_administration_see_and_rate(app, staff, hapi, hweb):
    ids = staff["ids"]
    surveys = surveys_of(app, start_cycle(hapi, staff))
    mine = surveys[ids["mkt_mgr"]]["id"]
    assert hapi(staff, "mkt_mgr", "get", f"survey/{mine}")[0] == 200
    assert hapi(staff, "adm", "get", f"survey/{mine}")[0] == 200
    for name in ("eng_mgr", "buyer", "pur_mgr", "dir"):
        assert hapi(staff, name, "get", f"survey/{mine}")[0] in (403, 404), name
    status, listed = hapi(staff, "mkt_mgr", "get", "survey")
    assert status == 200 and [row["id"] for row in listed["items"]] == [mine]
    # the menu offers the surveys to the raters and the 行政部 only
    for name, shown in (("mkt_mgr", True), ("adm", True), ("buyer", False)):
        page = hweb(name).get("/").get_data(as_text=True)
        assert ('href="/hr_appraisal/survey/"' in page) is shown, name
    # the survey waits in the rater's 待我处理 and nobody else's
    assert f"/hr_appraisal/survey/{mine}" in hweb("mkt_mgr").get("/inbox").get_data(as_text=True)
    assert f"/hr_appraisal/survey/{mine}" not in hweb("eng_mgr").get("/inbox").get_data(as_text=True)
    # the 行政部 reads but does not rate; nobody adds or swaps the people rated
    assert rate(hapi, staff, "adm", mine, {ids["buyer"]: (3, "")})[0] == 403
    status, doc = hapi(staff, "mkt_mgr", "get", f"survey/{mine}")
    rows = [{"rating": 3} for _line in doc["lines"]] + [{"rating": 3}]
    status, body = hapi(staff, "mkt_mgr", "patch", f"survey/{mine}", {"lines": rows, "version": doc["version"]})
    assert status == 422, body


def test_a_rating_of_1_2_or_5_needs_a_comment(app, staff, hapi):
    ids = staff["ids"]
    survey = surveys_of(app, start_cycle(hapi, staff))[ids["mkt_mgr"]]["id"]
    status, body = act(hapi, staff, "mkt_mgr", "survey", survey, "submit_ratings")
    assert status == 422 and "Give your rating" in str(body)
    assert rate(hapi, staff, "mkt_mgr", survey, {ids["pur_mgr"]: (3, ""), ids["buyer"]: (5, ""),
                                                 ids["buyer2"]: (2, "")})[0] == 200
    status, body = act(hapi, staff, "mkt_mgr", "survey", survey, "submit_ratings")
    assert status == 422 and "needs a comment" in str(body) and "buyer（采购员）" in str(body)
    assert "buyer2（采购员）" in str(body) and "pur_mgr" not in str(body)
    status, body = act(hapi, staff, "eng_mgr", "survey", survey, "submit_ratings")
    assert status in (403, 404, 422), body                  # not his survey
    assert rate(hapi, staff, "mkt_mgr", survey, {ids["buyer"]: (5, "询价回复快而准"),
                                                 ids["buyer2"]: (2, "到货多次延误未通知")})[0] == 200
    status, body = act(hapi, staff, "mkt_mgr", "survey", survey, "submit_ratings")
    assert status == 200, body


def test_the_ratings_reach_the_sheet(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = start_cycle(hapi, staff)
    surveys = surveys_of(app, cycle_id)
    line = {line["code"]: line for line in sheet_of(app, hapi, staff, cycle_id, "buyer")["lines"]}[SERVICE]
    assert line["no_data"] is True and line["data"] == "无数据"
    for name, rating in (("mkt_mgr", (4, "")), ("eng_mgr", (5, "现场急需物资当天到位"))):
        survey = surveys[ids[name]]["id"]
        assert rate(hapi, staff, name, survey, {ids["pur_mgr"]: (4, ""), ids["buyer"]: rating,
                                               ids["buyer2"]: (3, "")})[0] == 200
        assert act(hapi, staff, name, "survey", survey, "submit_ratings")[0] == 200
    assert act(hapi, staff, "adm", "cycle", cycle_id, "collect")[0] == 200
    line = {line["code"]: line for line in sheet_of(app, hapi, staff, cycle_id, "buyer")["lines"]}[SERVICE]
    assert (Decimal(line["score"]), line["data"], line["no_data"]) == (Decimal(90), "服务评价 2 份，平均 4.5", False)
    # the 行政部 returns one survey: until submitted again it counts no more
    status, body = act(hapi, staff, "adm", "survey", surveys[ids["eng_mgr"]]["id"], "return_survey",
                       comment="请核对评分")
    assert status == 200, body
    assert act(hapi, staff, "adm", "cycle", cycle_id, "collect")[0] == 200
    line = {line["code"]: line for line in sheet_of(app, hapi, staff, cycle_id, "buyer")["lines"]}[SERVICE]
    assert (Decimal(line["score"]), line["data"]) == (Decimal(80), "服务评价 1 份，平均 4.0")


def test_without_ratings_the_weight_goes_to_the_other_indicators(app, staff, hapi):
    cycle_id = start_cycle(hapi, staff)
    assert act(hapi, staff, "adm", "cycle", cycle_id, "collect")[0] == 200
    doc = sheet_of(app, hapi, staff, cycle_id, "buyer2")
    lines = {line["code"]: line for line in doc["lines"] if line["kind"] == "kpi"}
    assert lines[SERVICE]["data"] == "无数据" and lines[SERVICE]["score"] is None
    # PUR-COST 25 × 80 + COMPLIANCE 20 × 100 over the 45 weighted with data (redistribute)
    assert Decimal(doc["total"]) == Decimal("88.89")


def test_making_the_surveys_is_set_based(app, staff, hapi, make_user):
    def started():
        return statements_of(app, lambda: start_cycle(hapi, staff))[0]
    start_cycle(hapi, staff)                    # the first one writes the role templates and counters
    small = started()
    for n in range(10):
        make_user(f"buyer_x{n}", "ROLE-PUR-BUY", department_id=department_id(app, "PUR"))
    start_cycle(hapi, staff)                    # the permission cache reads the new users' roles once
    large = started()
    assert small == large


def test_the_raters_are_reminded_before_the_scoring_deadline(app, staff, hapi):
    from core import reminders
    ids = staff["ids"]
    surveys = surveys_of(app, start_cycle(hapi, staff))

    def reminded():
        with app.test_request_context():
            moment = reminders.daily_before_end_of_work(date(2026, 12, 3))
            return {r.user_id for r in reminders.collect(moment) if "/hr_appraisal/survey/" in (r.url or "")}
    assert reminded() == {ids["mkt_mgr"], ids["eng_mgr"]}
    survey = surveys[ids["mkt_mgr"]]["id"]
    assert rate(hapi, staff, "mkt_mgr", survey, {i: (4, "") for i in surveys[ids["mkt_mgr"]]["people"]})[0] == 200
    assert act(hapi, staff, "mkt_mgr", "survey", survey, "submit_ratings")[0] == 200
    assert reminded() == {ids["eng_mgr"]}
