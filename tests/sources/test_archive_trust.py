"""Addresses of the user's own network are never sent to the Wayback Machine, in any
spelling, with or without --allow-private (which lets verify contact them, not tell the
archive about them)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from mockfetch import MockFetcher

from verify.models import Options, Reference, RefStatus
from verify.sources.extract import Extractor
from verify.sources.resolvers import default_resolvers, resolve_reference

OPTIONS = Options(endpoints={"wayback_api": "http://wbapi.test", "wayback": "http://wb.test"})


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3./intranet",  # a trailing dot
        "http://0x7f.1/admin",  # hexadecimal, two parts
        "http://0177.0.0.1/admin",  # octal
        "http://2130706433/admin",  # one decimal integer
        "http://[::ffff:10.0.0.8]/x",  # IPv4-mapped IPv6
        "http://[::ffff:a00:8]/x",  # the same, in hexadecimal
        "http://[fd12:3456::1]/x",  # unique local IPv6
        "http://127.0.0.1:8080/x",
        "http://169.254.169.254/latest",
        "http://localhost./x",
        "http://intranet.internal/x",
        "http://nas.local/x",
        "http://wiki/x",  # one label: a name of the local network
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
async def test_private_addresses_in_every_spelling_stay_off_the_archive(
    extractor: Extractor, url: str, allow_private: bool
) -> None:
    options = replace(OPTIONS, allow_private=allow_private)
    fetcher = MockFetcher().add(url, "", http_status=404)
    source = await resolve_reference(
        Reference(id="1", url=url, line=3),
        fetcher,
        resolvers=default_resolvers(options, extractor),
        options=options,
    )
    assert source.status is RefStatus.NOT_FOUND
    assert all("wbapi.test" not in u and "wb.test" not in u for u in fetcher.urls), fetcher.urls


async def test_a_public_address_still_gets_its_archived_copy_looked_up(
    extractor: Extractor,
) -> None:
    url = "http://192.0.2.10/page"  # a documentation address, standing in for a public one
    fetcher = MockFetcher().add(url, "", http_status=404)
    await resolve_reference(
        Reference(id="1", url=url, line=3),
        fetcher,
        resolvers=default_resolvers(OPTIONS, extractor),
        options=OPTIONS,
    )
    assert any("wbapi.test" in u for u in fetcher.urls)
