"""The Agents SDK host's configuration and signing keys (bot/platform/agents.py uses both)."""

from __future__ import annotations

import threading
from typing import Any

from jwt import PyJWKClient, PyJWKClientConnectionError
from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import _JwkClientCacheEntry, _JwkClientManager

from config import Settings

__all__ = ["agents_configuration", "FetchedKeys"]

_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def agents_configuration(settings: Settings) -> dict[str, Any]:
    """The SDK's configuration: its own variables (settings.agents_env) win over the names this bot
    has always read (MicrosoftAppId...), which are mapped onto them; no app id means anonymous."""
    env: dict[str, str] = {}
    if settings.anonymous:
        env[_PREFIX + "ANONYMOUS_ALLOWED"] = "True"
    else:
        env[_PREFIX + "CLIENTID"] = settings.app_id
        if settings.app_password:
            env[_PREFIX + "CLIENTSECRET"] = settings.app_password
            env[_PREFIX + "AUTHTYPE"] = "ClientSecret"
        # SingleTenant (the default) names its tenant; a legacy MultiTenant registration has none
        env[_PREFIX + "TENANTID"] = settings.app_tenant_id or "botframework.com"
    # the SDK checks the issuer only when asked; Bot Framework tokens come from api.botframework.com
    env[_PREFIX + "VALIDATE_ISSUER"] = "True"
    env.update(dict(settings.agents_env))
    return load_configuration_from_env(env)


class FetchedKeys(_JwkClientManager):
    """The SDK's signing-key clients (PyJWKClient: its cache, its refresh on an unknown key id), reading
    the key set with `fetch(url)` instead of urllib: tests serve a test key this way."""

    def __init__(self, fetch: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # the SDK leaves its __init__ unannotated
        self._fetch = fetch

    def _get_jwk_client(self, jwks_uri: str) -> _JwkClientCacheEntry:
        if jwks_uri not in self._cache:
            fetch = self._fetch

            class Client(PyJWKClient):
                def fetch_data(self) -> Any:
                    try:
                        jwk_set = fetch(self.uri)
                    except Exception as error:
                        raise PyJWKClientConnectionError(f"Fail to fetch data: {type(error).__name__}") from None
                    if self.jwk_set_cache is not None:
                        self.jwk_set_cache.put(jwk_set)
                    return jwk_set

            self._cache[jwks_uri] = _JwkClientCacheEntry(Client(jwks_uri), threading.Lock())
        return self._cache[jwks_uri]
