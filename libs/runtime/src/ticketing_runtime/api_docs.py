"""The API documentation page (``/docs``): Swagger UI from this origin, as the edge serves it
(``/docs-assets/``, copied into the web build by ``web/vite.config.ts`` at the version its
lockfile pins), never from a CDN at a floating version. FastAPI's own page loads it from
jsDelivr: a closed network showed a blank page, and a script from elsewhere would run on the
origin where the scanner keeps its token."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

ASSETS = "/docs-assets"


def install_api_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title}: API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
