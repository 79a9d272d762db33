"""Debian's Chromium, headless, for the page tests: one launcher the test modules share."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"  # screenshots, gitignored
# Without the background-networking flags Chromium tries hosts this machine cannot reach.
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    """A launched browser (Playwright driving /usr/bin/chromium), closed afterwards."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/apt-packages.txt lists it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()
