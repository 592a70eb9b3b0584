"""The storefront, built into the edge's web root and served by nginx, in Debian's Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.support.platform import ROOT
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Visits

WEB_ROOT = ROOT / ".run" / "web"


@pytest.fixture(scope="session")
def storefront(platform: str) -> str:
    """The edge's address, with the storefront built into its web root (``make web``)."""
    if not (WEB_ROOT / "assets").is_dir():
        subprocess.run(["make", "web"], cwd=ROOT, check=True)
    return platform


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def context(browser: Browser, storefront: str) -> AsyncIterator[BrowserContext]:
    made = await browser.new_context(base_url=storefront, viewport=DESKTOP, locale="en-GB")
    made.set_default_timeout(20_000)
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


@pytest.fixture
def visits(request: pytest.FixtureRequest) -> Visits:
    return Visits(request.node.name.removeprefix("test_"))
