"""URL spelling shared by the cache, the WARC files and the fetcher. Only yarl: importing it
must not pull in aiohttp, so a run served from the cache starts quickly."""

from __future__ import annotations

import yarl


def normalize_url(url: str) -> str:
    """The one spelling of a URL used as a key (WARC lookups, the cache, de-duplication).

    Lower-case scheme and host, default port dropped, percent-encoding made canonical, an empty
    path made "/", the fragment removed (it never reaches the server).
    """
    try:
        parsed = yarl.URL(url.strip())
    except (ValueError, TypeError):
        return url.strip()
    if not parsed.is_absolute():
        return str(parsed.with_fragment(None))
    # rebuilt from parts, because str() of "http://a.com" and of "http://a.com/" differ
    return str(
        yarl.URL.build(
            scheme=parsed.scheme,
            authority=parsed.raw_authority,
            path=parsed.raw_path or "/",
            query_string=parsed.raw_query_string,
            encoded=True,
        )
    )
