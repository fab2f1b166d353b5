"""A site's API answering in a shape nobody expected is a status, never an exception: since
a bug ends the run (exit 3), the resolvers must treat every answer's shape as input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mockfetch import MockFetcher, response

from verify.models import Options, Reference, RefStatus, Source
from verify.sources.documentcloud import DocumentCloudResolver
from verify.sources.resolvers import resolve_reference
from verify.sources.wayback import WaybackResolver
from verify.sources.web import WebResolver
from verify.sources.x import XResolver

OPTIONS = Options(allow_private=True, cache=False)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _shaped(keys: list[str]) -> st.SearchStrategy[Any]:
    """Answers that have the keys a resolver looks for, each holding anything at all."""
    return json_values | st.fixed_dictionaries({}, optional={k: json_values for k in keys})


class AnyAnswer(MockFetcher):
    """Answers every URL with the same JSON value."""

    def __init__(self, answer: Any, *, gone: str | None = None) -> None:
        super().__init__()
        self.answer = answer
        self.gone = gone  # a URL that answers 404 instead

    async def fetch(self, url: str, *, accept: str | None = None) -> Any:
        self.calls.append((url, accept))
        if url == self.gone:
            return response(url, "gone", http_status=404)
        body = self.answer if isinstance(self.answer, dict | list) else json.dumps(self.answer)
        return response(url, body, content_type="application/json")


def _resolve(url: str, answer: Any, resolvers: list[Any]) -> Source:
    return asyncio.run(
        resolve_reference(
            Reference(id="1", url=url, line=1),
            AnyAnswer(answer),
            resolvers=resolvers,
            options=OPTIONS,
        )
    )


X_KEYS = [
    "__typename",
    "text",
    "entities",
    "user",
    "quoted_tweet",
    "created_at",
    "tombstone",
    "html",
    "author_name",
    "author_url",
    "url",
    "media",
    "urls",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_shaped(X_KEYS))
def test_x_answers_of_any_shape_are_a_status(answer: Any) -> None:
    source = _resolve(
        "https://x.com/someone/status/1234567890123456789", answer, [XResolver(OPTIONS)]
    )
    assert isinstance(source.status, RefStatus)


DC_KEYS = [
    "id",
    "slug",
    "title",
    "asset_url",
    "access",
    "pages",
    "page_count",
    "source",
    "published_at",
    "created_at",
    "organization",
    "user",
    "canonical_url",
    "contents",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_shaped(DC_KEYS))
def test_documentcloud_answers_of_any_shape_are_a_status(answer: Any) -> None:
    url = "https://www.documentcloud.org/documents/1234567-harbour-report"
    source = _resolve(url, answer, [DocumentCloudResolver(OPTIONS)])
    assert isinstance(source.status, RefStatus)


WB_KEYS = ["archived_snapshots", "closest", "available", "url", "timestamp", "status"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_shaped(WB_KEYS))
def test_wayback_answers_of_any_shape_are_a_status(answer: Any) -> None:
    from verify.sources.extract import Extractor

    web = WebResolver(OPTIONS, Extractor())
    url = "https://news.example.org/gone"  # a dead page: the archive is asked
    fetcher = AnyAnswer(answer, gone=url)

    async def run() -> Source:
        return await resolve_reference(
            Reference(id="1", url=url, line=1),
            fetcher,
            resolvers=[WaybackResolver(OPTIONS, web), web],
            options=OPTIONS,
        )

    source = asyncio.run(run())
    assert isinstance(source.status, RefStatus)
    assert any("archive.org" in u or "wayback" in u for u in fetcher.urls[1:]), fetcher.urls
