"""Shared test set-up. Tests never touch real sites: any connection to a non-loopback address
fails at once in every test (servers.guard_connections), and the attempts are listed."""

from __future__ import annotations

import pytest
from servers import guard_connections


@pytest.fixture(autouse=True)
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return guard_connections(monkeypatch)
