"""Browser tests: `-m "not browser"` leaves them out (they need node, node_modules and chromium)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the Agents Playground in headless chromium")
