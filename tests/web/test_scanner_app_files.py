"""The edge serves the scanner's installable-app files with their media types, and asks browsers
to check them again on every use, so an update reaches phones that installed the scanner."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.infra


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/scanner.webmanifest", "application/manifest+json"),
        ("/scanner-sw.js", "application/javascript"),
        ("/scanner/", "text/html"),
        ("/scanner", "text/html"),
    ],
)
async def test_the_scanner_app_files_are_served_fresh_with_their_media_type(
    storefront: str, path: str, media_type: str
) -> None:
    async with httpx.AsyncClient(base_url=storefront, timeout=10) as edge:
        answer = await edge.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert answer.headers["cache-control"] == "no-cache"


async def test_the_manifest_installs_the_scanner_in_its_scope(storefront: str) -> None:
    async with httpx.AsyncClient(base_url=storefront, timeout=10) as edge:
        manifest = (await edge.get("/scanner.webmanifest")).json()
        icons = [await edge.get(icon["src"]) for icon in manifest["icons"]]
    assert (manifest["start_url"], manifest["scope"]) == ("/scanner/", "/scanner/")
    assert manifest["display"] == "standalone"
    assert [(i.status_code, i.headers["content-type"]) for i in icons] == [(200, "image/png")] * 2


async def test_the_pages_source_is_not_served(storefront: str) -> None:
    """Source maps beside the assets gave a stranger the whole source of the storefront, the
    console, the box office and the scanner."""
    async with httpx.AsyncClient(base_url=storefront, timeout=10) as edge:
        page = (await edge.get("/")).text
        scripts = [part.split('"')[0] for part in page.split('src="')[1:] if ".js" in part]
        assert scripts, page
        for script in scripts:
            code = await edge.get(script)
            assert code.status_code == 200
            assert "sourceMappingURL" not in code.text
            assert (await edge.get(f"{script}.map")).status_code == 404
