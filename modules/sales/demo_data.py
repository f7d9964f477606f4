"""Realistic demo records for `erp demo`; runs once (skipped when customers exist)."""
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app, g
from sqlalchemy import func, select

from core.auth.models import User
from core.extensions import db
from core.workflow import engine

from .models import Area, Customer, QuotationLine

CUSTOMERS = [
    ("深圳市第一人民医院", "healthcare", "SZ", "门诊楼网络老化，计划整体改造", "信息科提出，院办会决策", "财政拨款已落实", "good"),
    ("深圳湾科技园管理中心", "real_estate", "SZ", "园区安防监控升级", "物业经理→园区总经理", "自筹", "good"),
    ("广州市第三中学", "education", "GZ", "新建实验楼综合布线", "总务处→校长办公会", "教育局专项资金", "fair"),
    ("南方电网深圳供电局", "energy", "SZ", "调度中心机房改造", "信息中心→局领导班子", "年度预算", "good"),
    ("广州白云机场物流公司", "transport", "GZ", "仓库无线网络覆盖", "IT 部→总经理", "待确认", "unknown"),
]


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def _as(username):
    """Demo records are created in the name of the demo user (owner and audit)."""
    g.audit_user = _user(username)
    return g.audit_user


def customer_rules(customers, owner, area):
    """R-S-037: a key account overdue for contact (reminded to its owner); R-S-033: a customer
    without contact for months, dormant, on the market manager's dashboard (客户交接 candidates)."""
    from core.documents import service
    customers[3].key_account = True
    customers[3].last_contact_on = date.today() - timedelta(days=35)
    doctype = current_app.extensions["erp"].doctypes["sales.customer"]
    _as(owner.username)
    c = service.new_document(doctype, owner)
    c.title, c.industry, c.area_id, c.credit = "深圳市龙岗区档案馆", "government", area.id, "unknown"
    c.state, c.last_contact_on = "dormant", date.today() - timedelta(days=80)
    service.before_save(doctype, c)
    service.assign_number(doctype, c)
    db.session.add(c)


def load():
    if db.session.scalar(select(func.count()).select_from(Customer)):
        return
    from core.documents import service
    erp = current_app.extensions["erp"]
    doctypes = erp.doctypes
    am, aam, mgr, ps_mgr, pse = (_user(u) for u in ("am", "aam", "mkt_mgr", "ps_mgr", "pse"))
    if None in (am, aam, mgr, ps_mgr, pse):
        return  # demo users are created by `erp demo` first
    areas = {"SZ": Area(code="SZ", name="深圳片区", manager_id=aam.id),
             "GZ": Area(code="GZ", name="广州片区", manager_id=aam.id)}
    db.session.add_all(areas.values())
    db.session.flush()
    customers = []
    for index, (name, industry, area, it, decision, funding, credit) in enumerate(CUSTOMERS):
        owner = am if index % 2 == 0 else aam
        _as(owner.username)
        c = service.new_document(doctypes["sales.customer"], owner)
        c.title, c.industry, c.area_id = name, industry, areas[area].id
        c.it_status, c.decision_process, c.funding, c.credit = it, decision, funding, credit
        c.state = "active" if index < 4 else "potential"
        c.last_contact_on = date.today() - timedelta(days=index * 3)
        service.before_save(doctypes["sales.customer"], c)
        service.assign_number(doctypes["sales.customer"], c)
        db.session.add(c)
        customers.append(c)
    db.session.flush()
    customer_rules(customers, aam, areas["SZ"])

    def opportunity(customer, title, info_type, amount, state, **extra):
        _as(db.session.get(User, customer.owner_id).username)
        o = service.new_document(doctypes["sales.opportunity"], db.session.get(User, customer.owner_id))
        o.title, o.customer_id, o.area_id, o.info_type = title, customer.id, customer.area_id, info_type
        o.est_amount, o.state = Decimal(amount), state
        o.expected_sign_date = date.today() + timedelta(days=45)
        for k, v in extra.items():
            setattr(o, k, v)
        service.assign_number(doctypes["sales.opportunity"], o)
        db.session.add(o)
        db.session.flush()
        return o

    main = opportunity(customers[0], "门诊楼综合布线及网络改造", "engineering", "860000", "lead")
    opportunity(customers[1], "园区高清监控升级", "engineering", "420000", "lead")
    opportunity(customers[2], "实验楼综合布线招标", "tender", "1200000", "lead")
    opportunity(customers[3], "调度中心机房 UPS 采购", "equipment", "260000", "equip_in_progress")
    won = opportunity(customers[4], "仓库无线 AP 供货", "equipment", "90000", "equip_in_progress")
    lost = opportunity(customers[1], "停车场道闸系统", "equipment", "60000", "equip_in_progress",
                       outcome_reason="price")
    signed = opportunity(customers[3], "办公网交换机替换", "equipment", "150000", "handed_over")
    opportunity(customers[2], "校园广播系统", "engineering", "180000", "cancelled")
    db.session.commit()
    # Won and lost through their actions, so that the dashboards count them in this month.
    opp_type = doctypes["sales.opportunity"]
    won.won_on = date.today()
    engine.perform(opp_type, won, "win", _as(db.session.get(User, won.owner_id).username), "客户确认采购")
    engine.perform(opp_type, won, "confirm_win", _as("mkt_mgr"), "确认")
    engine.perform(opp_type, lost, "lose", _as(db.session.get(User, lost.owner_id).username), "对手报价低 8%")
    # More of the flow's states (WF-S01): followed, bidding, registration refused, won awaiting
    # the manager's confirmation, won awaiting its contract.
    opportunity(customers[1], "园区周界报警系统", "engineering", "380000", "eng_in_progress")
    opportunity(customers[2], "图书馆智能化改造招标", "tender", "950000", "tender_in_progress")
    opportunity(customers[4], "分拣中心视频监控", "engineering", "300000", "reg_rejected")
    for title, amount, confirmed in (("机房精密空调供货", "120000", False), ("会议室视频会议终端", "85000", True)):
        deal = opportunity(customers[0], title, "equipment", amount, "equip_in_progress")
        deal.won_on = date.today()
        db.session.commit()
        engine.perform(opp_type, deal, "win", _as(db.session.get(User, deal.owner_id).username), "客户电话确认")
        if confirmed:
            engine.perform(opp_type, deal, "confirm_win", _as("mkt_mgr"), "确认")

    # The won deal's contract under review; an earlier one signed, delivered and being collected.
    from .contracts import demo as contracts
    contracts(won, signed, _user)

    # The main project walks the handbook's flow: registration approved, pre-sales assigned...
    _as("am")
    reg_type = doctypes["sales.registration"]
    reg = service.new_document(reg_type, am)
    reg.title, reg.opportunity_id, reg.site_address = main.title, main.id, "深圳市罗湖区东门北路"
    reg.customer_contacts, reg.project_types = "王主任 信息科 13800000000 决策人", ["cabling", "network"]
    reg.overview, reg.est_amount = "门诊楼六层，约 1200 个信息点，核心交换机两台", Decimal("860000")
    reg.funding, reg.decision_process, reg.credit = "财政拨款已落实", "信息科提出，院办会决策", "good"
    reg.expected_tender_date, reg.support_needed = date.today() + timedelta(days=30), ["solution", "survey"]
    service.assign_number(reg_type, reg)
    db.session.add(reg)
    db.session.commit()
    engine.perform(reg_type, reg, "submit", _as("am"))
    engine.perform(reg_type, reg, "approve", _as("mkt_mgr"), "同意立项")
    reg.presales_lead_id = pse.id
    engine.perform(reg_type, reg, "assign", _as("ps_mgr"), "安排孙工负责售前")

    # Its requirement analysis (F-S05), confirmed by engineering before the budget (R-S-011)...
    req_type = doctypes["sales.requirement"]
    req = service.new_document(req_type, _as("am"))
    req.registration_id, req.title = reg.id, main.title
    req.customer_profile, req.current_state = "三甲医院，职工约 2000 人", "百兆网络老化，布线混乱"
    req.requirement_summary, req.site_conditions = "门诊楼综合布线与园区网络改造", "六层，每层一个弱电间"
    req.schedule_start, req.schedule_end = date.today() + timedelta(days=45), date.today() + timedelta(days=120)
    req.presales_opinion = "技术可行，核心交换机需询价"
    from .requirements import RequirementLine
    req.lines.append(RequirementLine(subsystem="cabling", description="六类布线约 1200 点", priority="must"))
    service.before_save(req_type, req)
    service.assign_number(req_type, req)
    db.session.add(req)
    db.session.commit()
    engine.perform(req_type, req, "submit", _as("am"))
    confirmer = _user("eng_mgr") or ps_mgr
    engine.perform(req_type, req, "confirm_capable", _as(confirmer.username), "具备施工能力")

    # ...and its quotation is stopped by the 5% rule, waiting for the exception.
    _as("pse")
    q_type = doctypes["sales.quotation"]
    quote = service.new_document(q_type, pse)
    quote.title, quote.opportunity_id, quote.kind, quote.vat_rate = "门诊楼综合布线预算 V1", main.id, "engineering", Decimal("9")
    for item, brand, qty, unit, cost, price in [
            ("六类非屏蔽双绞线", "康普", 120, "箱", "620", "650"),
            ("六类信息模块", "康普", 1200, "个", "28", "29.5"),
            ("48 口接入交换机", "华为 S5735", 30, "台", "5200", "5400"),
            ("核心交换机", "华为 S7706", 2, "台", "98000", "101000"),
            ("布线施工", "外包施工队", 1, "项", "120000", "126000")]:
        quote.lines.append(QuotationLine(category="equipment" if brand != "外包施工队" else "subcontract",
                                         item=item, brand_model=brand, qty=Decimal(qty), unit=unit,
                                         unit_cost=Decimal(cost), cost_source="manual",
                                         cost_note="代理商报价单 2026-11", unit_price=Decimal(price)))
    service.before_save(q_type, quote)
    service.assign_number(q_type, quote)
    db.session.add(quote)
    db.session.commit()
    engine.perform(q_type, quote, "submit", pse)
    engine.perform(q_type, quote, "ps_approve", _as("ps_mgr"), "方案可行")
    mgr_user = _as("mkt_mgr")
    quote.external_price = quote.total_price
    service.before_save(q_type, quote)
    db.session.commit()
    try:
        engine.perform(q_type, quote, "fix_price", mgr_user)
    except engine.TransitionRefused:
        pass  # below 5%: the quotation waits in "market manager fixes the price" for an exception

    # A week of visit logs by the salespeople.
    from .visits import demo as visit_logs
    visit_logs([am, aam])
    db.session.commit()

    # Customer receptions (WF-S03): one under way today, one archived with its summary.
    from .reception import demo as receptions
    receptions(am, mgr, _user("mkt_dir"), _user("mkt_ast"), customers[0])
    db.session.commit()
    # Entertainment requests in different states (WF-S12).
    from .expenses import demo as entertainment
    entertainment(_as)
    # Last week's work summaries in a few states, this month's project summaries in draft.
    from .summaries import demo as summaries
    summaries()
    db.session.commit()
    g.audit_user = None
