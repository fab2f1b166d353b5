"""resolve_reference: resolver choice, the Wayback fallback for walled and dead pages, notes."""

from __future__ import annotations

import pytest
from mockfetch import MockFetcher, response, unreachable
from pages import BLOOMBERG_WALL, DATADOME_WALL, LEAVES, REASSIGNED, availability_answer

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Fetcher, Options, Reference, RefStatus
from verify.sources.extract import Extractor
from verify.sources.resolvers import default_resolvers, resolve_reference
from verify.sources.wayback import WaybackResolver, availability_url, snapshot_url
from verify.sources.web import WebResolver

API = "http://wb-api.test"
WB = "http://wb.test"
ENDPOINTS = {"wayback_api": API, "wayback": WB}
OPTIONS = Options(endpoints=ENDPOINTS)
URL = "https://www.bloomberg.com/news/articles/2024-08-06/a-story"
TS = "20240806183012"


def availability(url: str = URL, timestamp: str = TS) -> dict[str, object]:
    return availability_answer(url, timestamp)


def walled_site(archived: bool = True) -> MockFetcher:
    fetcher = MockFetcher().add(URL, BLOOMBERG_WALL, http_status=403)
    if archived:
        fetcher.add(availability_url(URL, API), availability())
        fetcher.add(snapshot_url(TS, URL, WB), LEAVES)
    else:
        fetcher.add(availability_url(URL, API), {"url": URL, "archived_snapshots": {}})
    return fetcher


async def resolve(
    fetcher: Fetcher, extractor: Extractor, options: Options = OPTIONS, url: str = URL
):
    return await resolve_reference(
        Reference(id="1", url=url, line=3),
        fetcher,
        resolvers=default_resolvers(options, extractor),
        options=options,
    )


def test_url_builders() -> None:
    assert availability_url("https://a.example/x?y=1") == (
        "https://archive.org/wayback/available?url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1"
    )
    assert snapshot_url(TS, "https://a.example/x") == (
        f"https://web.archive.org/web/{TS}id_/https://a.example/x"
    )
    assert (
        snapshot_url(TS, "https://a.example/x", WB + "/") == f"{WB}/web/{TS}id_/https://a.example/x"
    )


async def test_walled_page_with_snapshot_is_archived(extractor: Extractor) -> None:
    fetcher = walled_site()
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.ARCHIVED
    assert source.via == "wayback"
    assert source.http_status == 403  # the live page's answer
    doc = source.document
    assert doc is not None
    assert doc.via == "wayback"
    assert doc.url == URL
    assert doc.archived_url == snapshot_url(TS, URL, WB)
    assert doc.archived_at == "2024-08-06"
    assert "He helped start the lab in 2015" in doc.text
    assert any("bot wall detected: Bloomberg robot check" in n for n in source.notes)
    assert fetcher.urls == [URL, availability_url(URL, API), snapshot_url(TS, URL, WB)]


async def test_walled_page_without_snapshot_stays_blocked(extractor: Extractor) -> None:
    source = await resolve(walled_site(archived=False), extractor)
    assert source.status is RefStatus.BLOCKED
    assert source.document is None
    assert source.error is not None
    assert "Bloomberg robot check" in source.error and "no archived copy" in source.error


@pytest.mark.parametrize(
    ("live", "status"),
    [
        (response(URL, "<html>gone</html>", http_status=404), RefStatus.NOT_FOUND),
        (response(URL, "", http_status=410), RefStatus.NOT_FOUND),
        (unreachable(URL), RefStatus.UNREACHABLE),
    ],
)
async def test_dead_link_keeps_its_status_but_reads_the_archived_copy(
    extractor: Extractor, live, status: RefStatus
) -> None:
    fetcher = walled_site()
    fetcher.routes[URL] = live
    source = await resolve(fetcher, extractor)
    assert source.status is status
    assert source.via == "wayback"
    assert source.document is not None and source.document.archived_at == "2024-08-06"
    assert source.error is not None
    assert "dead; archived copy of 2024-08-06 used" in source.error


async def test_no_archive_option_skips_the_lookup(extractor: Extractor) -> None:
    fetcher = walled_site()
    source = await resolve(fetcher, extractor, Options(archive=False, endpoints=ENDPOINTS))
    assert source.status is RefStatus.BLOCKED
    assert fetcher.urls == [URL]


async def test_other_failures_do_not_consult_the_archive(extractor: Extractor) -> None:
    fetcher = walled_site()
    fetcher.routes[URL] = response(URL, "oops", http_status=500)
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.ERROR
    assert fetcher.urls == [URL]


async def test_links_only_reads_a_walled_pages_snapshot_to_know_it_is_no_wall(
    extractor: Extractor,
) -> None:
    fetcher = walled_site()
    options = Options(links_only=True, endpoints=ENDPOINTS)
    source = await resolve(fetcher, extractor, options)
    assert source.status is RefStatus.ARCHIVED
    assert source.document is None  # status only: nothing is kept
    assert fetcher.urls[-1] == snapshot_url(TS, URL, WB)
    assert any(snapshot_url(TS, URL, WB) in n for n in source.notes)


async def test_links_only_rejects_a_snapshot_that_is_a_wall_as_a_full_run_does(
    extractor: Extractor,
) -> None:
    results = []
    for links_only in (False, True):
        fetcher = walled_site()
        fetcher.add(snapshot_url(TS, URL, WB), DATADOME_WALL)
        options = Options(links_only=links_only, endpoints=ENDPOINTS)
        results.append(await resolve(fetcher, extractor, options))
    full, links = results
    assert full.status is links.status is RefStatus.BLOCKED
    assert "archived copy unusable" in (links.error or "")


async def test_links_only_does_not_read_a_dead_pages_snapshot(extractor: Extractor) -> None:
    fetcher = walled_site()
    fetcher.routes[URL] = response(URL, "<html>gone</html>", http_status=404)
    options = Options(links_only=True, endpoints=ENDPOINTS)
    source = await resolve(fetcher, extractor, options)
    assert source.status is RefStatus.NOT_FOUND  # dead stays dead: no need to read the copy
    assert snapshot_url(TS, URL, WB) not in fetcher.urls
    assert "archived copy of 2024-08-06 available" in (source.error or "")


async def test_snapshot_that_is_itself_a_wall_is_not_used(extractor: Extractor) -> None:
    fetcher = walled_site()
    fetcher.add(snapshot_url(TS, URL, WB), DATADOME_WALL)
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.BLOCKED
    assert source.document is None
    assert "archived copy unusable" in (source.error or "")


async def test_failed_availability_api_probes_the_archive_redirect(extractor: Extractor) -> None:
    fetcher = walled_site()
    fetcher.add(availability_url(URL, API), "", http_status=503)
    probe = f"{WB}/web/{URL}"
    landed = f"{WB}/web/{TS}/{URL}"
    fetcher.routes[probe] = response(
        probe, "<html>toolbar</html>", final_url=landed, redirects=(landed,)
    )
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.ARCHIVED
    assert source.document is not None and source.document.archived_at == "2024-08-06"
    assert any("probing the archive" in n for n in source.notes)


async def test_archive_lookup_failure_is_reported(extractor: Extractor) -> None:
    fetcher = MockFetcher().add(URL, BLOOMBERG_WALL, http_status=403)
    source = await resolve(fetcher, extractor)  # neither the API nor the probe answers
    assert source.status is RefStatus.BLOCKED
    assert "archive lookup failed" in (source.error or "")


@pytest.mark.parametrize(
    "closest",
    [
        {"status": "404", "available": True, "timestamp": TS, "url": "x"},
        {"status": "200", "available": False, "timestamp": TS, "url": "x"},
        {"status": "200", "available": True, "timestamp": "2024", "url": "x"},
    ],
)
async def test_unusable_availability_answers_mean_no_snapshot(
    extractor: Extractor, closest
) -> None:
    fetcher = walled_site()
    fetcher.add(availability_url(URL, API), {"archived_snapshots": {"closest": closest}})
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.BLOCKED
    assert "no archived copy" in (source.error or "")


async def test_private_addresses_are_never_sent_to_the_archive(extractor: Extractor) -> None:
    url = "http://192.168.1.20/intranet/page"
    fetcher = MockFetcher().add(url, "", http_status=404)
    source = await resolve(fetcher, extractor, url=url)
    assert source.status is RefStatus.NOT_FOUND
    assert fetcher.urls == [url]


async def test_a_reference_to_a_snapshot_reads_its_raw_form(extractor: Extractor) -> None:
    ref_url = f"https://web.archive.org/web/{TS}/{URL}"
    fetcher = MockFetcher().add(snapshot_url(TS, URL, WB), REASSIGNED)
    source = await resolve(fetcher, extractor, url=ref_url)
    assert source.status is RefStatus.OK
    assert source.via == "wayback"
    assert source.document is not None
    assert source.document.archived_at == "2024-08-06"
    assert "preparedness" in source.document.text


async def test_a_bug_in_a_resolver_propagates_rather_than_becoming_a_status() -> None:
    class Broken:
        name = "broken"

        def matches(self, url: str) -> bool:
            return True

        async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document:
            raise RuntimeError("resolver bug")

    with pytest.raises(RuntimeError, match="resolver bug"):
        await resolve_reference(
            Reference(id="1", url=URL, line=1), MockFetcher(), resolvers=[Broken()], options=OPTIONS
        )


async def test_no_matching_resolver_is_unsupported() -> None:
    source = await resolve_reference(
        Reference(id="1", url=URL, line=1), MockFetcher(), resolvers=[], options=OPTIONS
    )
    assert source.status is RefStatus.UNSUPPORTED


async def test_registry_without_wayback_still_falls_back(extractor: Extractor) -> None:
    fetcher = walled_site()
    source = await resolve_reference(
        Reference(id="1", url=URL, line=1),
        fetcher,
        resolvers=[WebResolver(OPTIONS, extractor)],
        options=OPTIONS,
    )
    assert source.status is RefStatus.ARCHIVED


async def test_from_cache_and_elapsed(extractor: Extractor) -> None:
    url = "https://www.cnbc.com/2024/07/23/story.html"
    cached = MockFetcher({url: response(url, REASSIGNED, from_cache=True)})
    source = await resolve(cached, extractor, url=url)
    assert source.status is RefStatus.OK
    assert source.from_cache is True
    assert source.elapsed > 0
    fresh = MockFetcher().add(url, REASSIGNED)
    assert (await resolve(fresh, extractor, url=url)).from_cache is False


async def test_source_error_carries_http_status_from_the_fetch() -> None:
    class Failing:
        name = "failing"

        def matches(self, url: str) -> bool:
            return True

        async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document:
            await fetcher.fetch(reference.url)
            raise SourceError(ErrorKind.NO_TEXT, "nothing here")

    fetcher = MockFetcher().add(URL, "<html></html>", http_status=203)
    source = await resolve_reference(
        Reference(id="1", url=URL, line=1), fetcher, resolvers=[Failing()], options=OPTIONS
    )
    assert source.status is RefStatus.EMPTY
    assert source.http_status == 203
    assert source.via == "failing"


def test_wayback_matches_snapshot_addresses_only() -> None:
    resolver = WaybackResolver(OPTIONS, WebResolver(OPTIONS, Extractor()))
    assert resolver.matches(f"https://web.archive.org/web/{TS}/{URL}")
    assert resolver.matches(f"https://web.archive.org/web/{TS}id_/{URL}")
    assert not resolver.matches("https://web.archive.org/about")
    assert not resolver.matches(URL)
