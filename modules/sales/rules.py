"""The market department's regulations (SPEC 3.1, 3.2) that this module enforces, by code.

The objections applying them carry their code (``Issue(..., code="R-S-010")``); the workflow
engine records refusals and warnings, and the parts record missed deadlines
(``core.rules.record_violation``).
"""
from core.hookspecs import hookimpl
from core.rules import Rule

RULES = [
    Rule("R-S-001", "每天下班前填写客户巡访登记表",
         "Every salesperson fills in the customer visit log before leaving work every day and hands it "
         "to the market assistant for filing.", "deadline",
         params=("sales.visit_log.required_roles", "core.workday_end_time", "sales.visit_log.violation_points")),
    Rule("R-S-002", "每周一早上(例会前)报市场部经理",
         "The market assistant reports all visit logs to the market manager every Monday morning before "
         "the weekly meeting.", "deadline", params=("sales.weekly_meeting_time",)),
    Rule("R-S-003", "片区客户经理每季度底提交区域市场调研报告",
         "Area account managers submit the regional market research report to the market manager at each "
         "quarter end (forwarded to the director).", "deadline", params=("sales.regional_report.cadence",)),
    Rule("R-S-005", "商务活动事前策划、事后总结",
         "Before each business activity define its purpose and plan it; afterwards summarise and analyse "
         "every detail and plan the next step.", "block"),
    Rule("R-S-007", "重要商务活动即时记录",
         "Important business activities are recorded immediately in F-S03 and truthfully reported to the "
         "market manager (and on to the marketing director).", "deadline",
         params=("sales.important_activity_amount", "core.immediate_deadline_hours")),
    Rule("R-S-010", "利润低于5%的工程原则上不接",
         "The pre-sales engineer evaluates the profit of each project budget/quotation; as a rule projects "
         "with a profit below 5 % are not accepted.", "approval",
         params=("sales.min_profit_margin_pct", "sales.min_margin_mode", "sales.margin_basis",
                 "sales.margin_exception_gm_threshold", "sales.bid_gm_threshold")),
    Rule("R-S-011", "施工项目须提供项目登记表与客户需求分析表",
         "Whenever a construction project is involved, the salesperson must give the pre-sales engineer the "
         "project registration form and the customer requirement analysis form.", "block",
         params=("sales.requirement_analysis_days",)),
    Rule("R-S-012", "不得做出超成本的预算报价",
         "The quoted price must cover the estimated cost: no cost-overrunning budget or quotation.", "block"),
    Rule("R-S-013", "不得私自调用售前售后技术人员",
         "No salesperson may privately use pre-sales or after-sales technical staff; a project registration "
         "agreed by the market department and the pre-sales manager comes first.", "block",
         params=("sales.tech_support_requires_registration", "sales.tender_requires_registration")),
    Rule("R-S-014", "设备价格由采购部询价",
         "Equipment prices in pre-sales budgets are inquired by procurement; a price entered by hand "
         "says where it comes from.", "block"),
    Rule("R-S-016", "招标文件由市场部经理购买,项目负责人组织编标",
         "The project lead appointed by the market manager organises the bid meeting and fills in the task "
         "breakdown; supporting departments complete their parts on time.", "block",
         params=("sales.bid_integration_buffer_days",)),
    Rule("R-S-030", "客户资源归公司所有",
         "Customers are company resources: opportunities, visit-log lines and contracts reference "
         "registered customers only.", "block"),
    Rule("R-S-032", "项目登记保护与撞单处理",
         "The first approved registration of a project protects its owner for a period; a second "
         "registration for the same customer is flagged (撞单) and decided by the market manager.", "warn",
         params=("sales.registration_protection_days",)),
]


@hookimpl
def erp_rules():
    return RULES
