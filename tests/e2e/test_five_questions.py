"""The five questions an analyst asked in the UX report (../shared/reviews/ux-7b0d486.md, part 2),
each answered by one request and by the page (issue 15, "Done when").

The four services run once for the module over every sample in samples/; each question is
asked of the API in one request and the answer checked, then the page is driven in headless
Chromium to the same answer. Screenshots land in tests/artifacts/five-questions-*.png (gitignored).

  Q1 Hangzhou's GDP growth targets vs actuals, 2019–2023
     GET /v1/series?indicator=地区生产总值&region=杭州&measure=growth    page #/indicator?code=gdp&measure=growth&region=杭州市
  Q2 Which regions set a GDP growth target >= 6 % for 2025/2026
     GET /v1/facts?indicator=gdp&kind=target&measure=growth&period=2025,2026&value_gte=6    page #/facts (its form)
  Q3 Every mention of 亚运会 across reports (and the hits to Excel)
     GET /v1/search?q=亚运会&limit=1000 (format=xlsx for the file)    page #/search?q=亚运会
  Q4 Key tasks led by 市发改委 and their progress
     GET /v1/tasks?lead_unit=市发改委&limit=1000    page #/tasks?lead_unit=市发改委
  Q5 All facts of one report in Excel
     GET /v1/facts?document_id=<12 characters of its id>&format=xlsx    page: the report's 导出 Excel link
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

import pytest
from openpyxl import load_workbook

from tests.conftest import AMQP_URL, SAMPLES, _tcp_open
from tests.e2e.browser import ARTIFACTS, chromium
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
REPORTS = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Every sample, dropped into the bucket of one stack and processed."""
    from pika.exceptions import AMQPError

    from zhibiao.plumbing.bus import delete_topology
    from zhibiao.plumbing.config import Settings

    if not _tcp_open("127.0.0.1", 5672):
        pytest.fail("RabbitMQ is not running on 127.0.0.1:5672 (scripts/ensure-rabbitmq.sh starts it)")
    namespace = f"t{uuid.uuid4().hex[:10]}."
    workdir = tmp_path_factory.mktemp("five-questions")
    s = Stack(workdir, namespace=namespace, database_url=f"sqlite:///{workdir}/zhibiao.db").start_all()
    try:
        for path in REPORTS:
            shutil.copy(path, s.bucket / path.name)
        docs = s.wait_processed(len(REPORTS), timeout=300)
        assert all(d["status"] == "done" for d in docs), [(d["source_name"], d["error"]) for d in docs]
        yield s
    finally:
        s.stop()
        with contextlib.suppress(AMQPError, OSError):
            delete_topology(Settings(amqp_url=AMQP_URL, namespace=namespace))


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.set_default_timeout(20_000)
    yield p
    context.close()
    assert errors == [], errors


def ask(stack: Stack, path: str, **params) -> dict:
    """One request, the query percent-encoded as a client sends it."""
    return stack.get(path + "?" + urlencode(params))


def download(stack: Stack, path: str, **params) -> tuple[str, bytes]:
    with urllib.request.urlopen(stack.base + path + "?" + urlencode(params), timeout=30) as r:
        name = unquote(r.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
        return name, r.read()


def sheet_rows(data: bytes) -> tuple[list[str], list[dict], object]:
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in line), strict=True)) for line in sheet.iter_rows(min_row=2)]
    return header, rows, sheet


def figure(o: dict) -> str:
    """As the page writes a figure: 6.5%以上."""
    qualifier = {"about": "左右", "at_least": "以上", "at_most": "以内"}.get(o["qualifier"] or "", "")
    value = f"{o['value']:g}" + (f"–{o['value_max']:g}" if o["value_max"] is not None else "")
    return value + (o["unit"] or "") + qualifier


def test_q1_hangzhou_gdp_growth_targets_against_actuals_2019_2023(stack, page):
    # one request, asked as a person writes it: the Chinese name and the short region
    answer = ask(stack, "/v1/series", indicator="地区生产总值", region="杭州", measure="growth")
    assert answer["indicator"] == "gdp"
    by_period = {i["period"]: i for i in answer["items"] if i["region"] == "杭州市"}
    assert {i["region"] for i in answer["items"]} == {"杭州市"}  # not the districts, not other cities
    got = {
        p: ([figure(o) for o in i["actual"]], [figure(o) for o in i["target"]])
        for p, i in by_period.items()
        if "2019" <= p <= "2023"
    }
    assert got == {
        "2019": (["6.8%"], []),
        "2020": ([], ["6.5%左右"]),
        "2021": (["8.5%"], []),
        "2022": (["1.5%"], ["6.5%以上"]),
        "2023": ([], ["5%以上"]),
    }, got
    assert all(o["quote"] and o["source_name"] for i in by_period.values() for o in i["actual"] + i["target"])

    page.goto(stack.base + "/#/indicator?code=gdp&measure=growth&region=" + quote("杭州市"))
    page.wait_for_selector("#chart .pt-actual")
    for period, (actual, target) in got.items():
        row = page.locator(f"#series-table tr[data-region='杭州市'][data-period='{period}']")
        text = row.inner_text()
        assert all(a in text for a in actual) and all(t in text for t in target), (period, text)
    assert page.locator("#series-table tbody tr").count() == len(by_period)  # 杭州市 alone is drawn
    # the page's export is the region shown
    href = page.get_attribute("a.export >> nth=1", "href")
    assert "region=" in href and "format=xlsx" in href
    page.screenshot(path=ARTIFACTS / "five-questions-q1-hangzhou-gdp-growth.png", full_page=True)


def test_q2_regions_with_a_gdp_growth_target_of_at_least_6_percent_for_2025_or_2026(stack, page):
    question = {"indicator": "gdp", "kind": "target", "measure": "growth", "period": "2025,2026", "value_gte": 6}
    answer = ask(stack, "/v1/facts", **question, limit=1000)
    # among the samples: 保定市 aims at 6% 左右 for 2025; 广东 5, 吉林 5.5 and 四川's 2026 5.5 fall short
    assert {(f["region"], f["period"], figure(f)) for f in answer["items"]} == {("保定市", "2025", "6%左右")}
    assert answer["total"] == 1
    below = ask(stack, "/v1/facts", **{**question, "value_gte": 0}, limit=1000)
    assert {"保定市", "广东省", "吉林省", "四川省"} <= {f["region"] for f in below["items"]}
    assert all(f["value"] < 6 for f in below["items"] if f["region"] != "保定市")

    # the page: 数字查询, its form filled in as a person would
    page.goto(stack.base + "/#/facts")
    page.wait_for_selector("#fact-table")
    page.select_option("#f-indicator", "gdp")
    page.select_option("#f-kind", "target")
    page.select_option("#f-measure", "growth")
    page.fill("#f-period", "2025,2026")
    page.fill("#f-value_gte", "6")
    page.click("form.toolbar button[type=submit]")
    page.wait_for_function(
        "location.hash.includes('value_gte=6') && "
        "document.querySelector('#fact-count') && "
        "document.querySelector('#fact-count').textContent.startsWith('共 1 个数字')"
    )
    rows = page.locator("#fact-table tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-region") == "保定市" and "6%左右" in rows.first.inner_text()
    assert "baoding-2025.txt" in rows.first.inner_text()  # traced to its report
    assert "保定市" in page.inner_text("#fact-count")
    page.screenshot(path=ARTIFACTS / "five-questions-q2-gdp-target-at-least-6.png", full_page=True)


def test_q3_every_mention_of_the_asian_games(stack, page):
    answer = ask(stack, "/v1/search", q="亚运会", limit=1000)
    assert answer["total"] >= 10 and len(answer["items"]) == answer["total"] and answer["next_cursor"] is None
    assert all("<mark>亚运会</mark>" in h["snippet"] for h in answer["items"])
    assert {h["region"] for h in answer["items"]} >= {"杭州市"}
    assert {h["source_name"] for h in answer["items"]} >= {
        "hangzhou-2022-work-report.txt",
        "hangzhou-2023-work-report.txt",
    }
    # and the hits to Excel, in one request too
    name, data = download(stack, "/v1/search", q="亚运会", format="xlsx")
    _, rows, sheet = sheet_rows(data)
    assert name == "search-亚运会.xlsx" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert len(rows) == answer["total"] and all("亚运会" in r["段落原文"] for r in rows)

    page.goto(stack.base + "/#/search")
    page.fill("#q", "亚运会")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    assert page.inner_text("#hit-count").startswith(f"找到 {answer['total']} 个段落")
    shown = min(answer["total"], 50)
    assert page.locator(".hit").count() == shown
    assert all("亚运会" in t for t in page.locator(".hit mark").all_inner_texts()[:5])
    first = page.locator(".hit a").first.inner_text()
    assert first == answer["items"][0]["source_name"]  # best first, as the API ranks them
    assert "format=xlsx" in page.get_attribute("a.export >> nth=1", "href")
    page.screenshot(path=ARTIFACTS / "five-questions-q3-search-yayunhui.png")
    with page.expect_download() as dl:
        page.click("a.export >> nth=1")
    assert dl.value.suggested_filename == "search-亚运会.xlsx"


def test_q4_key_tasks_led_by_the_development_and_reform_commission(stack, page):
    answer = ask(stack, "/v1/tasks", lead_unit="市发改委", limit=1000)
    assert answer["total"] == len(answer["items"]) == 16
    assert all(any("市发改委" in u for u in t["lead_units"]) for t in answer["items"])
    assert all(t["progress"] for t in answer["items"])  # their progress, as the table reports it
    statuses = {t["progress_status"] for t in answer["items"]}
    assert statuses and statuses <= {"done", "on_track", "behind", None}
    assert {t["leader"] for t in answer["items"]} >= {"戴建平"}

    page.goto(stack.base + "/#/tasks?lead_unit=" + quote("市发改委"))
    page.wait_for_function("document.querySelectorAll('#task-table tbody tr').length === 16")
    assert page.inner_text("#task-count").startswith("共 16 项")
    numbers = page.locator("#task-table tbody tr td:first-child").all_inner_texts()
    assert sorted(numbers, key=int) == sorted((str(t["number"]) for t in answer["items"]), key=int)
    assert all("市发改委" in t for t in page.locator("#task-table tbody tr td:nth-child(3)").all_inner_texts())
    page.screenshot(path=ARTIFACTS / "five-questions-q4-tasks-fagaiwei.png", full_page=True)


def test_q5_all_facts_of_one_report_in_excel(stack, page):
    [doc] = [d for d in stack.documents() if d["source_name"] == "hangzhou-2022-work-report.txt"]
    facts = ask(stack, "/v1/facts", document_id=doc["id"], limit=1)["total"]
    assert facts > 18  # every figure, not the headline ones alone

    name, data = download(stack, "/v1/facts", document_id=doc["id"][:12], format="xlsx")
    header, rows, sheet = sheet_rows(data)
    assert name.startswith("杭州市-") and name.endswith(".xlsx") and name != "facts.xlsx"
    assert len(rows) == facts
    assert {"地区", "时期", "指标", "类型", "度量", "数值", "单位", "原文", "标题", "文件名", "计划年度"} <= set(header)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert {r["文件名"] for r in rows} == {"hangzhou-2022-work-report.txt"} and {r["计划年度"] for r in rows} == {2022}
    gdp = [r for r in rows if r["指标"] == "地区生产总值" and r["数值"] == 18109]
    assert gdp and gdp[0]["类型"] == "实际" and gdp[0]["单位"] == "亿元"

    page.goto(stack.base + "/")
    page.click("text=hangzhou-2022-work-report.txt")
    page.wait_for_selector("#doctext mark.fig")
    page.screenshot(path=ARTIFACTS / "five-questions-q5-document-export.png")
    with page.expect_download() as dl:
        page.click("a.export:has-text('导出 Excel')")
    assert dl.value.suggested_filename == name
    _, page_rows, _ = sheet_rows(Path(dl.value.path()).read_bytes())
    assert len(page_rows) == facts


def test_the_answers_are_one_request_each(stack):
    """Each question above is a single GET: no second call, no filtering by the client."""
    for path, params in [
        ("/v1/series", {"indicator": "地区生产总值", "region": "杭州", "measure": "growth"}),
        (
            "/v1/facts",
            {"indicator": "gdp", "kind": "target", "measure": "growth", "period": "2025,2026", "value_gte": 6},
        ),
        ("/v1/search", {"q": "亚运会", "limit": 1000}),
        ("/v1/tasks", {"lead_unit": "市发改委", "limit": 1000}),
    ]:
        body = ask(stack, path, **params)
        assert body["items"] and body["next_cursor"] is None, (path, json.dumps(body)[:300])
