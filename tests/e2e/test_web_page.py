"""The page in a real browser: Debian's chromium, headless, driven by Playwright for Python.

Starts the four services, opens the page, drops sample reports and watches them finish
without reloading, then walks through what a person would look at: the documents as a
workplace (upload by drag and drop, filter, sort, retry, failures opened to their reason),
a document with its outline and every figure, search landing on its hit, charts that tell
the truth, key tasks. Screenshots land in tests/artifacts/ (gitignored)."""

from __future__ import annotations

import itertools
import shutil

import pytest

from tests.conftest import SAMPLES
from tests.e2e.browser import ARTIFACTS, chromium
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
DROPPED = (
    "hangzhou-2020-work-report.md",
    "hangzhou-2022-work-report.txt",
    "hangzhou-2023-work-report.txt",
    "binjiang-2020-work-report.md",
    "hangzhou-2020-h1-key-tasks-progress.md",
)


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def stack(tmp_path, namespace):
    s = Stack(tmp_path, namespace=namespace, database_url=f"sqlite:///{tmp_path}/zhibiao.db").start_all()
    yield s
    s.stop()


def test_what_a_person_sees(stack, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(15_000)

    # documents: the table fills in live while the services work
    page.goto(stack.base + "/")
    page.wait_for_selector("#doc-summary:has-text('共 0 个文档')")
    for name in DROPPED:
        shutil.copy(SAMPLES / name, stack.bucket / name)
    (stack.bucket / "empty.pdf").write_bytes(b"")
    page.wait_for_function(
        "document.querySelectorAll('#docs tbody tr[data-status=done]').length === 5 && "
        "document.querySelectorAll('#docs tbody tr[data-status=failed]').length === 1",
        timeout=90_000,
    )
    page.screenshot(path=ARTIFACTS / "documents.png", full_page=True)
    failed = page.locator("#docs tbody tr[data-status=failed]")
    assert "empty.pdf" in failed.inner_text() and "失败" in failed.inner_text()
    assert "文件为空" in failed.locator("td").nth(5).inner_text()  # the reason in the readers' language
    assert (
        page.locator("#docs tbody tr", has_text="hangzhou-2022-work-report.txt").locator(".badge").inner_text()
        == "完成"
    )

    # a document: its text with figures marked; a click shows the fact
    page.click("text=hangzhou-2022-work-report.txt")
    page.wait_for_selector("#doctext mark.fig")
    assert page.locator("#doctext mark.fig").count() > 20
    page.locator("#doctext mark.fig", has_text="18109亿元").first.click()
    card = page.locator("#fact-card")
    card.locator("text=地区生产总值").first.wait_for()
    text = card.inner_text()
    assert "18109亿元" in text and "实际" in text and "2021" in text and "杭州市" in text
    page.screenshot(path=ARTIFACTS / "document.png")

    # an indicator: actual against target across years and regions
    page.goto(stack.base + "/#/indicator?code=gdp&measure=growth")
    page.wait_for_selector("#chart .pt-actual")
    assert page.locator("#chart .pt-target").count() > 0
    row = page.locator("#series-table tr[data-region='杭州市'][data-period='2022']")
    assert "1.5%" in row.inner_text() and "6.5%以上" in row.inner_text()
    page.screenshot(path=ARTIFACTS / "indicator.png", full_page=True)

    # attainment: Hangzhou's 2022 GDP growth target, 6.5%以上, against 1.5%: missed
    page.goto(stack.base + "/#/attainment?region=杭州市")
    page.wait_for_selector("#attainment")
    gdp = page.locator("#attainment tr[data-indicator=gdp][data-measure=growth][data-period='2022']")
    assert "地区生产总值" in gdp.inner_text() and "6.5%以上" in gdp.inner_text()
    assert "未完成" in gdp.inner_text() and "1.5%" in gdp.inner_text()
    page.screenshot(path=ARTIFACTS / "attainment.png", full_page=True)

    # search: ranked paragraphs with the words marked
    page.goto(stack.base + "/#/search")
    page.fill("#q", "数字经济")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    assert page.locator(".hit").count() >= 5
    assert page.locator(".hit mark").first.inner_text() in ("数字经济", "数字", "经济")
    page.screenshot(path=ARTIFACTS / "search.png")

    # key tasks with their report paragraph
    page.goto(stack.base + "/#/tasks")
    page.wait_for_selector("#task-table tbody tr")
    assert page.locator("#task-table tbody tr").count() == 143
    assert "hangzhou-2020-work-report.md" in page.locator("#task-table tbody tr").first.inner_text()
    page.screenshot(path=ARTIFACTS / "tasks.png")
    assert errors == []


def _chart_runs(page) -> list[list[float]]:
    """The x positions of each drawn line of the chart, and the width of one year."""
    return page.evaluate("""() => [...document.querySelectorAll('#chart polyline')].map(
        l => l.getAttribute('points').split(' ').map(p => Number(p.split(',')[0])))""")


def test_a_workplace(stack, browser):
    """Issue 15, points 6 and 7, and issue 14's page: what Paperless-ngx users expect to do."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in DROPPED + ("national-2023.txt", "national-2024.txt"):
        shutil.copy(SAMPLES / name, stack.bucket / name)
    (stack.bucket / "empty.pdf").write_bytes(b"")
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.set_default_timeout(15_000)
    page.goto(stack.base + "/")
    page.wait_for_function(
        "document.querySelectorAll('#docs tbody tr[data-status=done]').length === 7", timeout=120_000
    )

    # upload by drag and drop, with the token typed once
    page.fill("#token", "e2e-token")
    page.dispatch_event("#token", "change")
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.items.add(new File(['某某市2024年政府工作报告\\n地区生产总值增长6%左右。'], 'dropped-note.txt', {type: 'text/plain'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));
    }""")
    page.wait_for_selector("#upload-status li.ok:has-text('dropped-note.txt')")
    page.wait_for_selector("#docs tbody tr:has-text('dropped-note.txt')")
    page.screenshot(path=ARTIFACTS / "workplace-upload.png")
    page.wait_for_function(
        "[...document.querySelectorAll('#docs tbody tr')].some("
        "r => r.textContent.includes('dropped-note.txt') && r.dataset.status === 'done')",
        timeout=90_000,
    )

    # filter and sort the list; failed rows open to their reason
    page.fill("#doc-filter", "hangzhou-2022")
    page.wait_for_function("document.querySelectorAll('#docs tbody tr').length === 1")
    page.fill("#doc-filter", "")
    page.select_option("#doc-status", "failed")
    page.wait_for_function("document.querySelectorAll('#docs tbody tr').length === 1")
    page.locator("#docs tbody tr[data-status=failed] details.reason summary").click()
    assert "文件为空" in page.locator("#docs tbody tr[data-status=failed] details.reason").inner_text()
    page.select_option("#doc-status", "")
    page.select_option("#doc-sort", "name")
    names = page.locator("#docs tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names)
    assert page.locator("#docs button.retry").count() >= 8
    page.screenshot(path=ARTIFACTS / "workplace-documents.png", full_page=True)

    # a failed document opens to its reason, with a retry button that works
    page.click("#docs tbody tr[data-status=failed] a")
    page.wait_for_selector("#fail-reason")
    assert "文件为空" in page.inner_text("#fail-reason") and page.locator("#doctext").count() == 0
    page.click("button.retry")
    page.wait_for_selector(".actions .note:has-text('已重新排队')")
    deletable = page.locator("button.delete").count() > 0
    page.screenshot(path=ARTIFACTS / "workplace-failed.png")

    # a document: outline beside the text; figures outside the catalogue listed and marked
    page.goto(stack.base + "/")
    page.click("text=hangzhou-2022-work-report.txt")
    page.wait_for_selector("#doctext mark.fig")
    assert page.locator("#outline li").count() >= 5
    assert page.locator("#facts-open tr.open").count() > 0 and page.locator("#doctext mark.fig.open").count() > 0
    page.locator("#facts-open tr.open a").first.click()
    assert "目录外" in page.inner_text("#fact-card")
    page.locator("#outline li a").nth(3).click()
    page.screenshot(path=ARTIFACTS / "workplace-document.png")

    # search: filters, more than 50 hits, and a click that lands on the hit with the words marked
    page.goto(stack.base + "/#/search?q=发展")
    page.wait_for_selector(".hit")
    assert page.locator(".hit").count() == 50 and page.locator("#more-hits").is_visible()
    page.click("#more-hits")
    page.wait_for_function("document.querySelectorAll('.hit').length > 50")
    page.goto(stack.base + "/#/search?q=" + '"数字经济"' + "&region=杭州市")
    # a hash change keeps the last query's hits on screen until the new view is drawn
    page.wait_for_function(
        "document.querySelector('#s-region') && document.querySelector('#s-region').value === '杭州市'"
    )
    page.wait_for_selector(".hit")
    assert all("杭州市" in t for t in page.locator(".hit .muted").all_inner_texts())
    page.screenshot(path=ARTIFACTS / "workplace-search.png")
    page.locator(".hit a").first.click()
    page.wait_for_selector("#doctext .hit-para")
    page.wait_for_selector("#doctext mark.q")
    assert "数字经济" in page.locator("#doctext mark.q").first.inner_text()
    assert "数字经济" in "".join(page.locator("#doctext .hit-para").all_inner_texts())
    box = page.locator("#doctext").bounding_box()
    spot = page.locator("#doctext .hit-para").first.bounding_box()
    assert box["y"] <= spot["y"] <= box["y"] + box["height"]  # the hit is in view
    page.screenshot(path=ARTIFACTS / "workplace-search-hit.png")

    # charts: no line across a missing year; money on an axis in 亿元 with readable ticks
    page.goto(stack.base + "/#/indicator?code=gdp&measure=growth&region=杭州市")
    page.wait_for_selector("#chart .pt-actual")
    year = page.evaluate("""() => { const t = [...document.querySelectorAll('#chart text')]
        .filter(e => /^\\d{4}$/.test(e.textContent)).map(e => Number(e.getAttribute('x')));
        return t[1] - t[0]; }""")
    for run in _chart_runs(page):
        assert all(abs((b - a) - year) < 1 for a, b in itertools.pairwise(run))  # 2019 and 2021 not joined
    page.screenshot(path=ARTIFACTS / "chart-gaps.png")
    page.goto(stack.base + "/#/indicator?code=gdp&measure=value")
    page.wait_for_selector("#chart .pt-actual")
    assert page.text_content("#axis-unit") == "单位：亿元"
    assert any("," in t for t in page.locator("#chart text.tick").all_text_contents())
    wide = float(page.get_attribute("#chart", "width"))
    page.set_viewport_size({"width": 900, "height": 1000})
    page.wait_for_function(f"Number(document.querySelector('#chart').getAttribute('width')) < {wide}")
    page.screenshot(path=ARTIFACTS / "chart-value-narrow.png", full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    colours = page.evaluate("[...document.querySelectorAll('#series .toolbar label span')].map(s => s.style.color)")
    assert len(set(colours)) == len(colours)

    # key tasks: status, leader, counts per lead unit, export
    page.goto(stack.base + "/#/tasks")
    page.wait_for_selector("#task-table tbody tr")
    assert page.locator("#task-table tbody tr").count() == 143
    assert page.locator("#task-table .badge").count() > 100 and "推进中" in page.inner_text("#task-count")
    assert page.locator("#unit-counts tr[data-unit='市发改委'] td").nth(1).inner_text() == "16"
    assert "format=xlsx" in page.get_attribute("a.export >> nth=1", "href")
    page.screenshot(path=ARTIFACTS / "tasks-status.png")
    page.goto(stack.base + "/#/tasks?lead_unit=市发改委")
    page.wait_for_function("document.querySelectorAll('#task-table tbody tr').length === 16")
    leader = page.locator("#task-table tbody tr td").nth(3).inner_text()
    page.goto(stack.base + "/#/tasks?leader=" + leader)
    page.wait_for_selector("#task-table tbody tr")
    assert all(leader in t for t in page.locator("#task-table tbody tr td:nth-child(4)").all_inner_texts())
    assert errors == [], errors
    assert deletable in (True, False)
