"""The demo data ``make up`` seeds on an empty catalogue is on sale in the storefront at once."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from playwright.async_api import Page, expect

from scripts.seed_demo import EVENT_NAME, Seeder
from tests.support.catalogue import STAFF
from tests.support.platform import ROOT
from tests.web.browser import Visits

pytestmark = pytest.mark.infra


async def test_the_demo_event_is_on_sale_with_a_seat_map_and_standing_tickets(
    page: Page, visits: Visits, storefront: str
) -> None:
    with httpx.Client(base_url=storefront, headers=STAFF, timeout=30) as client:
        event_id = Seeder(client).seed()  # what make up does when nothing is published yet
    await page.goto("/")
    event = (
        page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=EVENT_NAME)).last
    )
    await expect(event.get_by_role("link", name="Tickets for")).to_have_count(2)
    await expect(event).to_contain_text("from €25.00")
    await expect(event).to_contain_text("Harbour Hall")
    await visits.seen(page, "browse")
    await event.get_by_role("link", name="Tickets for").nth(1).click()
    await expect(page.get_by_role("heading", name="Or choose your seats")).to_be_visible()
    seats = page.locator("[data-seat-id]")
    await expect(seats).to_have_count(8 * 16 + 3 * 12)
    await expect(page.locator('[data-seat-id][aria-label*="wheelchair"]')).to_have_count(4)
    await visits.seen(page, "demo-seat-map")
    assert event_id


def test_seeding_again_leaves_a_catalogue_with_published_events_alone(platform: str) -> None:
    seeded = subprocess.run(
        [sys.executable, "scripts/seed_demo.py", "--base-url", platform],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "nothing seeded" in seeded.stdout
