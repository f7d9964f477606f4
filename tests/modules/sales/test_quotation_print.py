"""The quotation's prints: the internal one (costs and margin, for those who may see them) and the
customer's copy (no cost, no margin; the total with tax in figures and in capitals, the validity
date), each signed by everyone of its approval trail; both inside the page's margins."""
import os
import re

import pytest

from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import (
    fix_price,
    quotation,
    registered,
    to_pricing,
)

pytestmark = pytest.mark.modules("sales")


def _saved(name, data):  # ERP_TEST_PDF_DIR=/tmp/pdfs keeps the PDFs to look at (pdftoppm)
    folder = os.environ.get("ERP_TEST_PDF_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def priced(app, market, api, client, price="100000.00"):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    to_pricing(market, api, quote)
    fix_price(client, quote, price)
    return quote


def test_the_customer_copy_has_no_cost_and_the_total_in_capitals(app, market, api, client):
    quote = priced(app, market, api, client, price="105000.00")
    sign_in_as(client, "mgr")
    client.post("/language", data={"language": "zh_CN"})
    html = client.get(f"/sales/quotation/{quote['id']}/print/customer").get_data(as_text=True)
    text = _text(html)
    assert "<h1>报价单</h1>" in html and "六类非屏蔽双绞线" in text
    # No cost, cost note or margin, although the manager may see them.
    for secret in ("康普代理口头报价", "950.10", "95,010.00", "单位成本", "毛利"):
        assert secret not in text, secret
    # 105,000 × 1.09 = 114,450.00; the lines' 100,000 adjusted to the fixed price.
    assert "¥100,000.00" in text and "¥5,000.00" in text and "¥105,000.00" in text and "¥9,450.00" in text
    assert "¥114,450.00" in text and "壹拾壹万肆仟肆佰伍拾元整" in text
    assert "有效期至" in text or "Valid until" in text
    # Signed by the pre-sales manager's review and the market manager's price.
    assert "售前经理" in text and "市场部经理" in text
    pdf = client.get(f"/sales/quotation/{quote['id']}/pdf/customer")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    _saved("quotation-customer.pdf", pdf.data)
    internal = client.get(f"/sales/quotation/{quote['id']}/pdf")
    _saved("quotation-internal.pdf", internal.data)
    assert "康普代理口头报价" in _text(client.get(f"/sales/quotation/{quote['id']}/print").get_data(as_text=True))
    # The detail page offers it; an unknown variant is not found.
    assert f"/sales/quotation/{quote['id']}/pdf/customer" in client.get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    assert client.get(f"/sales/quotation/{quote['id']}/print/nonsense").status_code == 404


def test_the_customer_copy_only_for_who_may_see_the_quotation(app, market, api, client):
    quote = priced(app, market, api, client)
    sign_in_as(client, "am2")
    assert client.get(f"/sales/quotation/{quote['id']}/print/customer").status_code == 404


def test_every_signer_of_the_exception_is_in_the_sign_off_block(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="96000.00")
    to_pricing(market, api, quote)
    assert api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception",
               {"comment": "战略客户", "external_price": "100000.00"})[0] == 200
    assert api(market, "dir", "post", f"quotation/{quote['id']}/transitions/approve_exception",
               {"comment": "同意特批"})[1]["state"] == "approved"
    sign_in_as(client, "mgr")
    client.post("/language", data={"language": "zh_CN"})
    text = _text(client.get(f"/sales/quotation/{quote['id']}/print").get_data(as_text=True))
    block = text[text.index("填表人"):]
    assert block.index("售前经理") < block.index("市场部经理") < block.index("市场总监")
    assert "战略客户" in block and "同意特批" in block
    _saved("quotation-exception.pdf", client.get(f"/sales/quotation/{quote['id']}/pdf").data)


def test_a_return_for_changes_clears_the_earlier_signatures(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    to_pricing(market, api, quote)
    sign_in_as(client, "mgr")
    client.post("/language", data={"language": "zh_CN"})
    signed = _text(client.get(f"/sales/quotation/{quote['id']}/print").get_data(as_text=True))
    assert "售前经理" in signed[signed.index("填表人"):]
    assert api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/mgr_return", {"comment": "补充设备"})[0] == 200
    text = _text(client.get(f"/sales/quotation/{quote['id']}/print").get_data(as_text=True))
    assert "售前经理" not in text[text.index("填表人"):]
