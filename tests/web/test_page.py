"""Issue 21 point 6: the page is served with a CSP whose frame-ancestors are Teams' documented hosts,
with no inline script and no secret in it; its assets cannot be used to read other files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import Settings
from tests.web.tab_server import TabServer
from tests.web.tokens import APP_ID, TENANT, validator
from web.page import ASSETS, FRAME_ANCESTORS

ROOT = Path(__file__).resolve().parents[2]
SECRET = "very-secret-app-password-" + "x" * 20
LINK = "link-secret-" + "y" * 32


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A stand-in build (the real one is `make tab`'s): the page as committed, a tiny bundle."""
    (tmp_path / "index.html").write_text(
        (ROOT / "web" / "page" / "index.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "tab.js").write_text("console.log('tab');\n", encoding="utf-8")
    return tmp_path


def test_the_page_has_a_strict_csp_and_no_inline_script_or_secret(sqlite_url: str, built: Path) -> None:
    settings = Settings(
        database_url=sqlite_url, app_id=APP_ID, app_password=SECRET, link_secret=LINK, allowed_tenant_ids=(TENANT,)
    )
    with TabServer(sqlite_url, settings=settings, validator=validator(), assets=built) as tab:
        first, second = tab.get("/tab"), tab.get("/tab")
        config = tab.get("/api/tab/config").text
    policy = first.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["frame-ancestors"].split() == list(FRAME_ANCESTORS)
    assert {"https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://*.cloud.microsoft"} <= set(
        FRAME_ANCESTORS
    )
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", directives["style-src"]).group(1)
    assert f'content="{nonce}"' in first.text, "the page hands Fluent UI the nonce the policy allows"
    assert nonce not in second.text, "a fresh nonce each response"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", first.text, flags=re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts), "no inline script"
    assert "on" + "click=" not in first.text.lower()
    for text in (first.text, config):
        assert SECRET not in text and LINK not in text
    assert first.headers["X-Content-Type-Options"] == "nosniff"


def test_assets_only_from_the_build_folder_and_a_clear_503_when_not_built(sqlite_url: str, built: Path) -> None:
    with TabServer(sqlite_url, assets=built) as tab:
        assert tab.get("/tab/assets/tab.js").text == "console.log('tab');\n"
        for sneaky in ("..%2F..%2Fconfig.py", "%2E%2E/config.py", "index.html", "missing.js"):
            assert tab.get(f"/tab/assets/{sneaky}").status_code == 404
    with TabServer(sqlite_url, assets=built / "nowhere", load=False) as tab:
        missing = tab.get("/tab")
    assert missing.status_code == 503 and "make tab" in missing.text


def test_the_real_bundle_has_no_secret_and_pins_teams_js() -> None:
    if not (ASSETS / "tab.js").is_file():
        pytest.skip("the tab is not built here (make tab)")
    bundle = (ASSETS / "tab.js").read_text(encoding="utf-8")
    assert "getAuthToken" in bundle and "MicrosoftAppPassword" not in bundle and "LINK_SECRET" not in bundle


def test_the_image_carries_the_built_page() -> None:
    """The container serves /tab too: its Dockerfile builds the page from package-lock.json, like `make tab`."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    node_stage = text[: text.index("FROM python:")]
    assert "COPY package.json package-lock.json" in node_stage and "RUN npm ci" in node_stage
    assert "node web/page/build.mjs" in node_stage
    assert "COPY --from=tab /src/build/tab build/tab" in text[text.index("FROM python:") :]
