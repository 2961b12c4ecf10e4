"""The Teams app package: manifest valid against the schema @microsoft/app-manifest ships, icons, zip."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "appPackage"
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
BOT_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def _load_make_package():
    spec = importlib.util.spec_from_file_location("make_package", ROOT / "tools" / "make_package.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses/typing look modules up by name
    spec.loader.exec_module(module)
    return module


make_package = _load_make_package()

# The schemas declare draft-04 but use `const` (draft-06); the package's own validator (ajv) honours it,
# so add it here too, or manifestVersion would go unchecked.
ManifestValidator = jsonschema.validators.extend(
    jsonschema.Draft4Validator, {"const": jsonschema.Draft6Validator.VALIDATORS["const"]}
)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name[1:].split("."))


@pytest.fixture(scope="module")
def template() -> dict:
    return json.loads((APP / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest(template) -> dict:
    return make_package.render_manifest(template, BOT_ID, "https://tracker.met.police.example")


@pytest.fixture(scope="module")
def schema(template) -> dict:
    if not SCHEMAS.is_dir():
        pytest.fail(f"{SCHEMAS} is missing: run `make node` to install @microsoft/app-manifest")
    path = SCHEMAS / f"v{template['manifestVersion']}" / "MicrosoftTeams.schema.json"
    assert path.is_file(), f"@microsoft/app-manifest ships no schema for manifestVersion {template['manifestVersion']}"
    return json.loads(path.read_text(encoding="utf-8"))


def _errors(schema: dict, manifest: dict) -> list[str]:
    validator = ManifestValidator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)]


# Microsoft's "App manifest" reference (learn.microsoft.com/microsoftteams/platform/resources/schema/
# manifest-schema) lists 1.23 as the current version; newer schemas in @microsoft/app-manifest are not
# yet documented as current for Teams. Change this only when that page does.
DOCUMENTED_CURRENT = "1.23"


def test_manifest_uses_the_version_microsoft_documents_as_current(template):
    assert template["manifestVersion"] == DOCUMENTED_CURRENT
    assert template["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{DOCUMENTED_CURRENT}/MicrosoftTeams.schema.json"
    )
    assert (SCHEMAS / f"v{DOCUMENTED_CURRENT}" / "MicrosoftTeams.schema.json").is_file(), (
        "@microsoft/app-manifest no longer ships that schema: make package could not validate offline"
    )


def test_make_package_refuses_a_manifest_its_schema_rejects(tmp_path, template):
    source = tmp_path / "appPackage"
    source.mkdir()
    broken = copy.deepcopy(template)
    broken["accentColor"] = "dark blue"  # not a #RRGGBB colour
    (source / "manifest.json").write_text(json.dumps(broken), encoding="utf-8")
    for icon in ("color.png", "outline.png"):
        (source / icon).write_bytes((APP / icon).read_bytes())
    with pytest.raises(make_package.PackageError, match="accentColor"):
        make_package.build_package(tmp_path / "out.zip", BOT_ID, source=source)
    assert not (tmp_path / "out.zip").exists()


def test_manifest_is_valid_against_shipped_schema(schema, manifest):
    assert _errors(schema, manifest) == []


def test_schema_check_can_fail(schema, manifest):
    broken = copy.deepcopy(manifest)
    broken["manifestVersion"] = "1.29"
    broken["bots"][0]["botId"] = "not-a-guid"
    broken["name"]["short"] = "x" * 31
    errors = _errors(schema, broken)
    assert any(e.startswith("manifestVersion:") for e in errors), errors
    assert any(e.startswith("bots/0/botId:") for e in errors), errors
    assert any(e.startswith("name/short:") for e in errors), errors


def test_template_needs_the_bot_id(schema, template):
    # The committed template carries the placeholder, not a real id.
    assert template["bots"][0]["botId"] == make_package.APP_ID_PLACEHOLDER
    assert any(e.startswith("bots/0/botId:") for e in _errors(schema, template))


def test_bot_scopes_and_commands(manifest):
    assert manifest["name"]["short"] == "Audit Tracker"
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"][0] == "personal"
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    by_scope: dict[str, list[dict]] = {}
    for command_list in bot["commandLists"]:
        for scope in command_list["scopes"]:
            by_scope.setdefault(scope, []).extend(command_list["commands"])
    assert set(by_scope) == {"personal", "team", "groupChat"}
    for scope, commands in by_scope.items():
        assert 1 <= len(commands) <= 10, scope
        titles = [c["title"] for c in commands]
        assert len(titles) == len(set(titles)), scope
        for c in commands:
            assert 0 < len(c["title"]) <= 32, c
            assert 0 < len(c["description"]) <= 128, c
    personal = {c["title"] for c in by_scope["personal"]}
    assert {
        "my actions",
        "what's overdue in my group",
        "summary",
        "request updates",
        "panel report",
        "help",
    } <= personal


def test_valid_domains_follow_public_url(template):
    assert make_package.render_manifest(template, BOT_ID, "https://bot.example.org:8443/api")["validDomains"] == [
        "bot.example.org"
    ]
    assert make_package.render_manifest(template, BOT_ID, "")["validDomains"] == []
    assert make_package.render_manifest(template, BOT_ID, "http://127.0.0.1:3978")["validDomains"] == []


def test_icons():
    color = Image.open(APP / "color.png")
    assert color.format == "PNG" and color.size == (192, 192)
    assert len(set(color.convert("RGB").getcolors(192 * 192) or [])) > 2  # full colour, not a silhouette
    outline = Image.open(APP / "outline.png")
    assert outline.format == "PNG" and outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert {p[:3] for p in pixels if p[3] > 0} == {(255, 255, 255)}, "outline must be white"
    assert any(p[3] == 0 for p in pixels), "outline needs a transparent background"


def _run_make_package(env_overrides: dict[str, str | None], out: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MicrosoftAppId", "PUBLIC_URL")}
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    args = ["make", "-s", "package"]
    if out is not None:
        args.append(f"PACKAGE_ARGS=--out {out}")
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_make_package_builds_the_zip(tmp_path, schema):
    out = tmp_path / "appPackage.zip"
    proc = _run_make_package({"MicrosoftAppId": BOT_ID}, out)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        packed = json.loads(zf.read("manifest.json"))
        assert zf.read("color.png") == (APP / "color.png").read_bytes()
    assert packed["bots"][0]["botId"] == BOT_ID
    assert _errors(schema, packed) == []


def test_make_package_default_output_is_build_zip():
    assert make_package.DEFAULT_OUT == ROOT / "build" / "appPackage.zip"


def test_make_package_without_app_id_says_what_to_do(tmp_path):
    out = tmp_path / "appPackage.zip"
    proc = _run_make_package({}, out)
    assert proc.returncode != 0
    assert "MicrosoftAppId is not set" in proc.stderr
    assert not out.exists()


def test_allow_placeholder_builds_a_zip(tmp_path):
    out = tmp_path / "appPackage.zip"
    assert make_package.main(["--allow-placeholder", "--out", str(out)], env={}) == 0
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("manifest.json"))["bots"][0]["botId"] == make_package.PLACEHOLDER_BOT_ID


def test_bad_app_id_is_refused(tmp_path):
    out = tmp_path / "appPackage.zip"
    assert make_package.main(["--out", str(out)], env={"MicrosoftAppId": "my-bot"}) == 2
    assert not out.exists()


def test_the_tracker_tab_and_its_sso_resource(schema, manifest, template):
    """Issue 21: a personal tab "Tracker" served by the bot's server, and webApplicationInfo for its SSO."""
    (tab,) = manifest["staticTabs"]
    assert tab["name"] == "Tracker" and tab["scopes"] == ["personal"]
    assert tab["contentUrl"] == "https://tracker.met.police.example/tab"
    assert manifest["webApplicationInfo"] == {"id": BOT_ID, "resource": f"api://tracker.met.police.example/{BOT_ID}"}
    assert "tracker.met.police.example" in manifest["validDomains"]
    assert _errors(schema, manifest) == []
    local = make_package.render_manifest(template, BOT_ID, "http://127.0.0.1:3978")
    assert "staticTabs" not in local and "webApplicationInfo" not in local, (
        "Teams loads tabs from a public https host only"
    )
    assert _errors(schema, local) == []
