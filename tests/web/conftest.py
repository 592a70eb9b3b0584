"""The storefront, built into the edge's web root and served by nginx, in Debian's Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.support.platform import ROOT
from tests.web import scanner_flows as door
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Visits

WEB_ROOT = ROOT / ".run" / "web"
# a deadline for every expectation: 5 s (the default) is short for a page that refetches
# while the whole suite shares two cores
expect.set_options(timeout=15_000)


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


@pytest.fixture
async def phones(browser: Browser, storefront: str) -> AsyncIterator[list[BrowserContext]]:
    """Two phones for the door scanner, each its own browser profile (its own device id,
    storage and service worker)."""
    made = [await door.phone(browser, storefront) for _ in range(2)]
    try:
        yield made
    finally:
        for context in made:
            await context.close()
