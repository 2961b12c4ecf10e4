"""The tab's page (GET /tab) and its built assets (GET /tab/assets/...), under a strict CSP.

The assets are built by `make tab` (esbuild from package-lock.json, web/page/build.mjs) into
build/tab/. The page carries no inline script and no secret; Fluent UI's runtime styles (Griffel)
are allowed by a per-response nonce the page reads from a meta tag. Only Teams and the Microsoft 365
hosts Microsoft documents for tabs may frame it ("Prerequisites" for tabs on learn.microsoft.com).
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from aiohttp import web

__all__ = ["FRAME_ANCESTORS", "ASSETS", "add_page_routes", "content_security_policy"]

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[1] / "build" / "tab"
FRAME_ANCESTORS = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.cloud.microsoft",
    "https://*.microsoft365.com",
    "https://*.office.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://outlook-sdf.office.com",
    "https://outlook-sdf.office365.com",
)
_NONCE_MARK = "__CSP_NONCE__"
_NOT_BUILT = "The tab's page is not built: run `make tab` (or `make run`, which builds it)."


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            # TeamsJS fetches the list of valid host origins from Microsoft's CDN when it loads.
            "connect-src 'self' https://res.cdn.office.net",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
            "frame-ancestors " + " ".join(FRAME_ANCESTORS),
        )
    )


def _security_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def add_page_routes(app: web.Application, assets: Path = ASSETS) -> None:
    """GET /tab: the page (a fresh nonce each time); GET /tab/assets/{name}: the bundle and its CSS."""

    async def page(_request: web.Request) -> web.Response:
        index = assets / "index.html"
        if not index.is_file():
            log.warning("GET /tab: %s is missing", index)
            return web.Response(status=503, text=_NOT_BUILT, content_type="text/plain")
        nonce = secrets.token_urlsafe(18)
        html = index.read_text(encoding="utf-8").replace(_NONCE_MARK, nonce)
        return web.Response(
            text=html, content_type="text/html", headers=_security_headers(content_security_policy(nonce))
        )

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = (assets / name).resolve()
        if not name or "/" in name or path.parent != assets.resolve() or not path.is_file() or name == "index.html":
            return web.Response(status=404, text="No such file.", content_type="text/plain")
        response = web.FileResponse(path)
        response.headers.update({"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})
        return response

    app.router.add_get("/tab", page)
    app.router.add_get("/tab/assets/{name}", asset)
