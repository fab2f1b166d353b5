"""Shared test set-up. Tests never touch real sites: any connection to a non-loopback address
fails at once in every test (servers.guard_connections), and the attempts are listed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import guard_connections

from verify.sources.extract import Extractor


@pytest.fixture(autouse=True)
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return guard_connections(monkeypatch)


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    """One thread-pool extractor per test module, closed after it."""
    ex = Extractor()
    yield ex
    ex.close()
