"""The appraisal hooks as a partner implements them, without importing hr_appraisal."""
from core.hookspecs import hookimpl

# What the plugin answers: the test fills it; CALLS records every call (one per cycle expected).
ANSWERS: list[dict] = []
CALLS: list[dict] = []


@hookimpl(optionalhook=True)
def hr_appraisal_metrics(kpis, user_ids, start, end):
    CALLS.append({"kpis": set(kpis), "user_ids": set(user_ids), "start": start, "end": end})
    return [dict(row) for row in ANSWERS if row["kpi"] in kpis and row["user_id"] in user_ids]


@hookimpl(optionalhook=True)
def hr_appraisal_kpis():
    return [{"code": "KPI-TICKETS", "name_zh": "工单响应", "name_en": "Ticket response",
             "kind": "quantitative", "measure": "due"}]
