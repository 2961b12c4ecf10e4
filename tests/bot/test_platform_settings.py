"""Settings for the hosts: today's MicrosoftApp* names beside the Agents SDK's own, BOT_SDK, SingleTenant."""

from __future__ import annotations

import pytest

from bot.platform import build_host
from bot.platform.agents import AgentsHost, agents_configuration
from bot.platform.botbuilder import BotbuilderHost
from config import Settings

SDK = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def test_defaults_are_the_agents_sdk_and_single_tenant() -> None:
    settings = Settings.from_env({})
    assert settings.bot_sdk == "agents" and settings.app_type == "SingleTenant" and settings.anonymous
    assert isinstance(build_host(settings), AgentsHost)
    assert isinstance(build_host(Settings.from_env({"BOT_SDK": " Botbuilder "})), BotbuilderHost)


def test_an_unknown_bot_sdk_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="BOT_SDK must be 'agents'"):
        Settings.from_env({"BOT_SDK": "teams-ai"})


def test_todays_names_are_mapped_onto_the_sdks() -> None:
    settings = Settings.from_env(
        {"MicrosoftAppId": "app-1", "MicrosoftAppPassword": "pw", "MicrosoftAppTenantId": "tenant-1"}
    )
    connection = agents_configuration(settings)["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]
    assert connection["CLIENTID"] == "app-1" and connection["CLIENTSECRET"] == "pw"
    assert connection["TENANTID"] == "tenant-1" and connection["AUTHTYPE"] == "ClientSecret"
    assert connection["VALIDATE_ISSUER"] == "True"  # the SDK's default is off
    assert settings.allowed_tenant_ids == ("tenant-1",)


def test_the_sdks_own_names_work_alone_and_win() -> None:
    alone = Settings.from_env({SDK + "CLIENTID": "app-2", SDK + "CLIENTSECRET": "s", SDK + "TENANTID": "t-2"})
    assert alone.app_id == "app-2" and not alone.anonymous and alone.app_tenant_id == "t-2"
    assert alone.allowed_tenant_ids == ("t-2",)
    both = Settings.from_env(
        {"MicrosoftAppId": "app-1", SDK + "CLIENTID": "app-1", SDK + "AUTHTYPE": "UserManagedIdentity"}
    )
    connection = agents_configuration(both)["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]
    assert connection["AUTHTYPE"] == "UserManagedIdentity"
    assert isinstance(build_host(both), AgentsHost)


def test_anonymous_local_mode_allows_anonymous_requests_only_without_an_app_id() -> None:
    local = agents_configuration(Settings())["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]
    assert local["ANONYMOUS_ALLOWED"] == "True"
    with_id = agents_configuration(Settings(app_id="app-1"))["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]
    assert "ANONYMOUS_ALLOWED" not in with_id
