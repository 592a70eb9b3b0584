"""Debian's Chromium driven by Playwright (never a downloaded browser): every page visited is
screenshotted under ``.run/screenshots/`` and checked with axe-core (from web/node_modules)."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Page, ViewportSize

from tests.support.platform import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / ".run" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)


@dataclass
class Visits:
    """One test's pages: each ``seen`` is a screenshot and an axe-core audit."""

    test_name: str
    count: int = 0
    audited: list[str] = field(default_factory=list)

    async def seen(self, page: Page, what: str) -> Path:
        self.count += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.test_name}-{self.count:02d}-{what}".lower())
        shot = SCREENSHOTS / f"{slug.strip('-')}.png"
        await page.screenshot(path=str(shot), full_page=True)
        await audit(page, what)
        self.audited.append(what)
        return shot


async def audit(page: Page, what: str) -> None:
    """No serious or critical axe-core violation (WCAG 2.1 A and AA rules)."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = await page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        })"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in bad
    ]
    assert not bad, f"axe-core on {what}: {json.dumps(summary, indent=1)}"


def decode_qr(png: Path) -> list[str]:
    """Every QR code zbar finds in the picture."""
    found = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in found.stdout.splitlines() if line]
