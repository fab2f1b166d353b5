"""An in-memory Fetcher for fast resolver tests: a dict from URL to response, recording calls.

Like httpx's MockTransport: no sockets, no event-loop servers, so a test states exactly what
each service answered and can assert exactly what was asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from verify.http.semantics import classify
from verify.models import FetchResult, RefStatus


def status_for(http_status: int) -> RefStatus:
    """The fetch layer's own mapping of HTTP codes to statuses, so the mock cannot drift."""
    return classify(http_status)


def response(
    url: str,
    body: bytes | str | Mapping[str, Any] | list[Any] = b"",
    *,
    http_status: int = 200,
    content_type: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
    final_url: str | None = None,
    redirects: tuple[str, ...] = (),
    from_cache: bool = False,
) -> FetchResult:
    """A FetchResult as the live fetcher would build it; dict/list bodies become JSON."""
    if isinstance(body, Mapping | list):
        body = json.dumps(body).encode()
        content_type = content_type or "application/json"
    elif isinstance(body, str):
        body = body.encode("utf-8")
    content_type = content_type or "text/html"
    status = status_for(http_status)
    return FetchResult(
        url=url,
        status=status,
        final_url=final_url or url,
        http_status=http_status,
        content_type=content_type,
        charset="utf-8" if content_type.startswith("text/") else None,
        headers=(("Content-Type", content_type), *headers),
        body=body,
        error=None if status is RefStatus.OK else f"HTTP {http_status}",
        from_cache=from_cache,
        redirects=redirects,
    )


def unreachable(url: str, error: str = "connection refused") -> FetchResult:
    return FetchResult(url=url, status=RefStatus.UNREACHABLE, error=error)


Route = FetchResult | Callable[[str], FetchResult]


class MockFetcher:
    """Answers from `routes`; any other URL is UNREACHABLE. `calls` lists (url, accept)."""

    def __init__(self, routes: Mapping[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.calls: list[tuple[str, str | None]] = []

    def add(self, url: str, body: Any = b"", **kwargs: Any) -> MockFetcher:
        self.routes[url] = response(url, body, **kwargs)
        return self

    @property
    def urls(self) -> list[str]:
        return [url for url, _ in self.calls]

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        self.calls.append((url, accept))
        route = self.routes.get(url)
        if route is None:
            return unreachable(url, f"not in the mock: {url}")
        return route(url) if callable(route) else route
