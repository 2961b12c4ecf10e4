"""Build the Teams app package (build/appPackage.zip) from appPackage/ (standard library only).

    MicrosoftAppId=<bot's Entra app id> [PUBLIC_URL=https://bot.example.org] python3 tools/make_package.py
    python3 tools/make_package.py --allow-placeholder     # a zip with a dummy bot id, for trying

Placeholders in appPackage/manifest.json, replaced in the parsed JSON (never in raw text):
  "${{MicrosoftAppId}}"  the bot's Microsoft App ID (a GUID) from the environment; required
  "${{PUBLIC_HOST}}"     the host of PUBLIC_URL, for validDomains; the entry is dropped when
                         PUBLIC_URL is unset or points at this machine
  "${{TAB_URL}}"         PUBLIC_URL + /tab: the Tracker tab's page (staticTabs)
  "${{TAB_RESOURCE}}"    api://<host of PUBLIC_URL>/<app id>: the tab's SSO resource (webApplicationInfo),
                         the Application ID URI the app registration exposes (docs/operations.md)
Teams only loads a tab over https from a public host, so without one (PUBLIC_URL unset or local)
staticTabs and webApplicationInfo are left out and the package carries the bot alone.
The manifest is validated offline against the schema @microsoft/app-manifest ships in node_modules
for its manifestVersion (jsonschema from the venv: `make package` runs this with .venv/bin/python).
The zip holds manifest.json, color.png and outline.png at its root, as Teams expects.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "appPackage"
DEFAULT_OUT = ROOT / "build" / "appPackage.zip"
APP_ID_PLACEHOLDER = "${{MicrosoftAppId}}"
HOST_PLACEHOLDER = "${{PUBLIC_HOST}}"
TAB_URL_PLACEHOLDER = "${{TAB_URL}}"
TAB_RESOURCE_PLACEHOLDER = "${{TAB_RESOURCE}}"
TAB_KEYS = ("staticTabs", "webApplicationInfo")
PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible zips
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"


class PackageError(Exception):
    """Something the person running `make package` must fix; the message says what."""


def _replace(value: Any, mapping: Mapping[str, str | None]) -> Any:
    """Copy of value with every string equal to a placeholder replaced; None drops list items."""
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str) and item in mapping and mapping[item] is None:
                continue
            out.append(_replace(item, mapping))
        return out
    if isinstance(value, str) and value in mapping:
        return mapping[value]
    return value


def public_host(public_url: str) -> str | None:
    """The host of PUBLIC_URL for validDomains, or None when unset or local."""
    if not public_url:
        return None
    host = urlsplit(public_url if "://" in public_url else f"https://{public_url}").hostname
    if not host or host in LOCAL_HOSTS or host.startswith("127."):
        return None
    return host


def render_manifest(template: dict[str, Any], app_id: str, public_url: str = "") -> dict[str, Any]:
    """The manifest with its placeholders filled in; raises PackageError on a bad app id."""
    if not GUID.match(app_id):
        raise PackageError(
            f"MicrosoftAppId must be the bot's Entra application (client) ID, a GUID such as "
            f"{PLACEHOLDER_BOT_ID}; got {app_id!r}"
        )
    host = public_host(public_url)
    if host is None:  # no tab without a public https host: drop the tab's entries
        template = {k: v for k, v in template.items() if k not in TAB_KEYS}
    base = (public_url if "://" in public_url else f"https://{public_url}").rstrip("/")
    manifest: dict[str, Any] = _replace(
        template,
        {
            APP_ID_PLACEHOLDER: app_id,
            HOST_PLACEHOLDER: host,
            TAB_URL_PLACEHOLDER: f"{base}/tab",
            TAB_RESOURCE_PLACEHOLDER: f"api://{host}/{app_id}",
        },
    )
    left = sorted(set(re.findall(r"\$\{\{[^}]*\}\}", json.dumps(manifest))))
    if left:
        raise PackageError(f"appPackage/manifest.json has placeholders this script does not know: {', '.join(left)}")
    return manifest


def validate(manifest: dict[str, Any], schemas: Path = SCHEMAS) -> None:
    """Raise PackageError listing every schema violation (offline: the schema comes from node_modules)."""
    try:
        import jsonschema
    except ImportError:
        raise PackageError("jsonschema is not installed: run `make package` (it uses .venv) or `make venv`") from None
    path = schemas / f"v{manifest.get('manifestVersion')}" / "MicrosoftTeams.schema.json"
    if not path.is_file():
        raise PackageError(
            f"no schema for manifestVersion {manifest.get('manifestVersion')!r} at {path}: "
            f"run `make node`, or use a manifestVersion @microsoft/app-manifest ships"
        )
    # The schemas declare draft-04 but use `const` (draft-06), as the package's own validator (ajv) allows.
    validator_cls = jsonschema.validators.extend(
        jsonschema.Draft4Validator, {"const": jsonschema.Draft6Validator.VALIDATORS["const"]}
    )
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator_cls(json.loads(path.read_text(encoding="utf-8"))).iter_errors(manifest)
    ]
    if errors:
        raise PackageError("the manifest does not match its schema:\n  " + "\n  ".join(errors))


def build_package(out: Path, app_id: str, public_url: str = "", source: Path = SOURCE) -> Path:
    template = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest = render_manifest(template, app_id, public_url)
    validate(manifest)
    icons = [manifest["icons"]["color"], manifest["icons"]["outline"]]
    for name in icons:
        if not (source / name).is_file():
            raise PackageError(f"{source / name} is missing: run `.venv/bin/python tools/make_icons.py`")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("manifest.json", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in icons:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, (source / name).read_bytes())
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(description="Build the Teams app package to sideload.")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"zip to write (default {DEFAULT_OUT.relative_to(ROOT)})"
    )
    parser.add_argument(
        "--allow-placeholder",
        action="store_true",
        help=f"use {PLACEHOLDER_BOT_ID} as the bot id when MicrosoftAppId is unset (the zip will not reach a real bot)",
    )
    args = parser.parse_args(argv)
    app_id = env.get("MicrosoftAppId", "").strip()
    if not app_id:
        if not args.allow_placeholder:
            print(
                "make_package: MicrosoftAppId is not set. Export the bot's Entra application (client) ID, e.g.\n"
                "  MicrosoftAppId=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx make package\n"
                "or pass --allow-placeholder (make package PACKAGE_ARGS=--allow-placeholder) for a zip with a dummy id.",
                file=sys.stderr,
            )
            return 2
        app_id = PLACEHOLDER_BOT_ID
    try:
        out = build_package(args.out, app_id, env.get("PUBLIC_URL", "").strip())
    except PackageError as exc:
        print(f"make_package: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} (bot id {app_id}); sideload it in Teams: Apps > Manage your apps > Upload an app")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
