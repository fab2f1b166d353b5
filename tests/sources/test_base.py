"""verify.sources.base: what the resolvers share (the site resolver's frame, JSON answers)."""

from __future__ import annotations

import pytest
from mockfetch import MockFetcher, response

from verify.errors import ErrorKind, FetchFailedError, SourceError
from verify.models import Options, Reference, RefStatus
from verify.sources.base import json_answer, json_or_none
from verify.sources.documentcloud import DocumentCloudResolver
from verify.sources.x import XResolver

OPTIONS = Options(cache=False)
ELSEWHERE = Reference(id="1", url="https://example.org/a/status/12", line=1)


@pytest.mark.parametrize(
    ("resolver", "why"),
    [
        (XResolver(OPTIONS), "not an X post URL"),
        (DocumentCloudResolver(OPTIONS), "not a DocumentCloud document URL"),
    ],
)
async def test_a_site_resolver_handed_another_sites_url_refuses_it_unfetched(
    resolver: XResolver | DocumentCloudResolver, why: str
) -> None:
    fetcher = MockFetcher()
    assert not resolver.matches(ELSEWHERE.url)
    with pytest.raises(SourceError) as refused:
        await resolver.resolve(ELSEWHERE, fetcher)
    assert refused.value.kind is ErrorKind.NO_RESOLVER
    assert refused.value.status is RefStatus.UNSUPPORTED
    assert str(refused.value) == why
    assert fetcher.calls == []


def test_a_site_resolver_locates_what_its_addresses_name() -> None:
    x, dc = XResolver(OPTIONS), DocumentCloudResolver(OPTIONS)
    assert x.locate("https://x.com/someone/status/42") == "42"
    assert dc.locate("https://www.documentcloud.org/documents/123-a-report") == ("123", "a-report")
    assert x.locate(ELSEWHERE.url) is None and dc.locate(ELSEWHERE.url) is None


def test_json_answer_of_an_answer() -> None:
    assert json_answer(response("u", {"a": [1]}), "API") == {"a": [1]}


def test_json_answer_of_no_answer_is_the_fetchs_own_failure() -> None:
    with pytest.raises(FetchFailedError) as failed:
        json_answer(response("u", "down", http_status=503), "Some API")
    assert failed.value.status is RefStatus.ERROR and failed.value.http_status == 503
    assert str(failed.value).startswith("Some API: ")
    with pytest.raises(FetchFailedError) as gone:
        json_answer(response("u", "gone", http_status=410), "Some API")
    assert gone.value.status is RefStatus.NOT_FOUND


def test_json_answer_that_is_not_json_is_the_apis_shape() -> None:
    with pytest.raises(SourceError) as shape:
        json_answer(response("u", "<html>", http_status=200), "Some API")
    assert shape.value.kind is ErrorKind.API_SHAPE and shape.value.status is RefStatus.ERROR
    assert str(shape.value) == "Some API answer is not valid JSON"


def test_json_or_none() -> None:
    assert json_or_none(response("u", [1, 2])) == [1, 2]
    assert json_or_none(response("u", "not json {")) is None
    assert json_or_none(response("u", b"\xff\xfe{")) is None
