"""The page in a real browser: Debian's chromium, headless, driven by Playwright for Python.

Starts the four services, opens the page, drops sample reports and watches them finish
without reloading, then walks through what a person would look at. Screenshots land in
tests/artifacts/ (gitignored)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
DROPPED = ("hangzhou-2020-work-report.md", "hangzhou-2022-work-report.txt", "hangzhou-2023-work-report.txt",
           "binjiang-2020-work-report.md", "hangzhou-2020-h1-key-tasks-progress.md")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/apt-packages.txt lists it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


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
    page.wait_for_function("document.querySelectorAll('#docs tbody tr[data-status=done]').length === 5 && "
                           "document.querySelectorAll('#docs tbody tr[data-status=failed]').length === 1",
                           timeout=90_000)
    page.screenshot(path=ARTIFACTS / "documents.png", full_page=True)
    failed = page.locator("#docs tbody tr[data-status=failed]")
    assert "empty.pdf" in failed.inner_text() and "失败" in failed.inner_text()
    assert "文件为空" in failed.locator("td").nth(5).inner_text()  # the reason in the readers' language
    assert page.locator("#docs tbody tr", has_text="hangzhou-2022-work-report.txt").locator(".badge").inner_text() == "完成"

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
