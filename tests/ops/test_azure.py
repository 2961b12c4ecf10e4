"""infra/main.bicep, its parameters file, m365agents.yml and env/.env.dev, checked without Azure.

`az bicep` is not installed where the tests run, so the template is not compiled here: these tests
check what can be read (declared params against the parameters file, resource types, settings,
every ${{VAR}} having a source, referenced files existing). Compile it with `az bicep build
--file infra/main.bicep` (or `atk provision`) on a machine with the Azure CLI.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.ops.settings_env import settings_env_vars

ROOT = Path(__file__).resolve().parents[2]
BICEP = ROOT / "infra" / "main.bicep"
PARAMS = ROOT / "infra" / "main.parameters.json"
PLACEHOLDER = re.compile(r"\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Actions of the Microsoft 365 Agents Toolkit this project uses (documented names).
KNOWN_ACTIONS = {
    "teamsApp/create",
    "botAadApp/create",
    "arm/deploy",
    "teamsApp/validateManifest",
    "teamsApp/zipAppPackage",
    "teamsApp/validateAppPackage",
    "teamsApp/update",
    "teamsApp/publishAppPackage",
    "script",
}
# Variables the toolkit itself provides.
BUILT_IN = {"AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME", "TEAMSFX_ENV"}


def _bicep() -> str:
    return BICEP.read_text(encoding="utf-8")


def _bicep_params() -> dict[str, bool]:
    """param name -> has a default."""
    return {m.group(1): m.group(2) is not None for m in re.finditer(r"^param\s+(\w+)\s+\w+(\s*=.*)?$", _bicep(), re.M)}


def _agents() -> dict:
    return yaml.safe_load((ROOT / "m365agents.yml").read_text(encoding="utf-8"))


def _env_dev() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / "env" / ".env.dev").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value
    return pairs


def test_every_bicep_param_without_default_is_supplied_and_nothing_unknown_is() -> None:
    declared = _bicep_params()
    supplied = set(json.loads(PARAMS.read_text(encoding="utf-8"))["parameters"])
    assert {name for name, has_default in declared.items() if not has_default} <= supplied
    assert supplied <= set(declared)


def test_template_has_the_bot_registration_apps_database_and_key_vault() -> None:
    types = set(re.findall(r"^resource\s+\w+\s+'([^@']+)@\d{4}-\d{2}-\d{2}(?:-preview)?'", _bicep(), re.M))
    assert {
        "Microsoft.BotService/botServices",
        "Microsoft.BotService/botServices/channels",
        "Microsoft.App/managedEnvironments",
        "Microsoft.App/containerApps",
        "Microsoft.App/jobs",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.KeyVault/vaults",
        "Microsoft.KeyVault/vaults/secrets",
    } <= types
    text = _bicep()
    assert "channelName: 'MsTeamsChannel'" in text
    assert re.search(r"endpoint: 'https://\$\{[^}]+\}/api/messages'", text)
    for secret in ("postgres-password", "link-secret", "database-url"):
        assert f"name: '{secret}'" in text
    # The passwords are secure parameters, never logged in deployment history.
    for param in ("botAppPassword", "postgresPassword", "linkSecret", "metricsToken"):
        assert re.search(rf"@secure\(\)\s*\n(@\w+\([^)]*\)\s*\n)*param {param} ", text), param
    # Each app runs the image's command for its process, as compose.yaml does.
    assert re.findall(r"args: \['(\w+)'\]", text) == ["migrate", "serve", "worker"]


def test_apps_get_every_setting_the_app_reads() -> None:
    names = set(re.findall(r"\{ name: '([A-Za-z_]+)', (?:value|secretRef):", _bicep()))
    assert settings_env_vars() <= names


def test_agents_toolkit_project_has_provision_deploy_and_publish() -> None:
    project = _agents()
    assert re.fullmatch(r"v1\.\d+", project["version"])
    stages = {stage: [step["uses"] for step in project[stage]] for stage in ("provision", "deploy", "publish")}
    for steps in stages.values():
        assert set(steps) <= KNOWN_ACTIONS, set(steps) - KNOWN_ACTIONS
    provision = stages["provision"]
    for action in ("teamsApp/create", "botAadApp/create", "arm/deploy", "teamsApp/zipAppPackage", "teamsApp/update"):
        assert action in provision
    assert provision.index("arm/deploy") < provision.index("teamsApp/zipAppPackage"), (
        "the package needs the bot's host, an output of the deployment"
    )
    assert stages["publish"][-1] == "teamsApp/publishAppPackage"
    assert (ROOT / project["environmentFolderPath"] / ".env.dev").is_file()


def test_files_the_toolkit_reads_exist() -> None:
    for stage in ("provision", "deploy", "publish"):
        for step in _agents()[stage]:
            with_ = step.get("with") or {}
            if "manifestPath" in with_:
                assert (ROOT / with_["manifestPath"]).is_file()
            for template in with_.get("templates", []):
                assert (ROOT / template["path"]).is_file() and (ROOT / template["parameters"]).is_file()


def test_every_placeholder_has_a_source() -> None:
    """${{VAR}} in m365agents.yml, the parameters file and the manifest: env/.env.dev, a secret,
    a value an earlier action writes, a Bicep output, or the toolkit's own."""
    project = _agents()
    written = {
        var
        for stage in ("provision", "deploy", "publish")
        for step in project[stage]
        for var in (step.get("writeToEnvironmentFile") or {}).values()
    }
    outputs = set(re.findall(r"^output\s+(\w+)\s", _bicep(), re.M))
    sources = set(_env_dev()) | written | outputs | BUILT_IN
    texts = [
        (ROOT / "m365agents.yml").read_text(encoding="utf-8"),
        PARAMS.read_text(encoding="utf-8"),
        (ROOT / "appPackage" / "manifest.json").read_text(encoding="utf-8"),
    ]
    used = {name for text in texts for name in PLACEHOLDER.findall(text)}
    missing = {name for name in used - sources if not name.startswith("SECRET_")}
    assert not missing, f"no source for {sorted(missing)}"
    assert {"MicrosoftAppId", "PUBLIC_HOST"} <= used, "the manifest's placeholders are filled by the toolkit"


def test_no_secret_is_committed_in_env_dev() -> None:
    env = _env_dev()
    assert not [k for k in env if k.startswith("SECRET_")]
    assert not any("PASSWORD" in k.upper() and v for k, v in env.items())


def test_bicep_compiles_where_the_azure_cli_is_installed(tmp_path: Path) -> None:
    if shutil.which("az") is None:
        return  # not here (see the module docstring); the checks above still ran
    out = subprocess.run(
        ["az", "bicep", "build", "--file", str(BICEP), "--outdir", str(tmp_path)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
