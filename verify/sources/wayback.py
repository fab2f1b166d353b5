"""Archived copies from the Wayback Machine, for walled and dead pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Fetcher, FetchResult, Options, Reference, RefStatus
from verify.sources.base import JSON_ACCEPT, endpoint, failure, json_or_none, note
from verify.sources.web import ACCEPT, WebResolver


def availability_url(url: str, base: str = "https://archive.org") -> str:
    return f"{base.rstrip('/')}/wayback/available?url={quote(url, safe='')}"


def snapshot_url(timestamp: str, url: str, base: str = "https://web.archive.org") -> str:
    # the `id_` flag asks for the page as captured, without the Wayback toolbar or rewriting
    return f"{base.rstrip('/')}/web/{timestamp}id_/{url}"


API_BASE = "https://archive.org"
WAYBACK_BASE = "https://web.archive.org"

_TIMESTAMP = re.compile(r"^\d{14}$")
# a snapshot address: /web/<timestamp><flags>/<original url>
_SNAPSHOT_PATH = re.compile(r"/web/(\d{4,14})(?:[a-z]{2}_)?/(https?://.+)$", re.I)


@dataclass(frozen=True)
class Snapshot:
    timestamp: str  # 14 digits, YYYYMMDDhhmmss
    url: str  # the raw (`id_`) snapshot address that is read

    @property
    def archived_at(self) -> str:
        """The capture's date, ISO."""
        t = self.timestamp
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]}"


class WaybackResolver:
    """Archived copies: for references that are archive links, and as the fallback for walled
    and dead pages (resolve_reference calls lookup() and read())."""

    name = "wayback"

    def __init__(self, options: Options, web: WebResolver) -> None:
        self.options = options
        self.web = web
        self.api_base = endpoint(options, "wayback_api", API_BASE)
        self.base = endpoint(options, "wayback", WAYBACK_BASE)
        self._host = (urlsplit(self.base).hostname or "").lower()

    def matches(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host in (self._host, "web.archive.org") and bool(_SNAPSHOT_PATH.search(url))

    async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document:
        """A reference that already is a snapshot address: read its raw form."""
        m = _SNAPSHOT_PATH.search(reference.url)
        if m is None:
            raise SourceError(ErrorKind.NO_RESOLVER, "not a Wayback Machine snapshot address")
        timestamp = m.group(1).ljust(14, "0")
        original = m.group(2)
        snapshot = Snapshot(timestamp, snapshot_url(timestamp, original, self.base))
        document = await self.read(snapshot, original, fetcher)
        return replace(document, url=reference.url)

    async def lookup(self, url: str, fetcher: Fetcher) -> Snapshot | None:
        """The newest usable snapshot of `url`, None when the archive has none.

        Raises SourceError when the archive cannot be asked.
        """
        result = await fetcher.fetch(availability_url(url, self.api_base), accept=JSON_ACCEPT)
        if result.status is RefStatus.OK:
            data = json_or_none(result)
            if isinstance(data, dict) and isinstance(data.get("archived_snapshots"), dict):
                return self._closest(data["archived_snapshots"], url)
            note("wayback: availability answer malformed, probing the archive")
        else:
            note(f"wayback: availability API failed ({_why(result)}), probing the archive")
        return await self._probe(url, fetcher)

    def _closest(self, snapshots: Mapping[str, Any], url: str) -> Snapshot | None:
        closest = snapshots.get("closest")
        if not isinstance(closest, dict) or closest.get("available") is False:
            return None
        status = str(closest.get("status", "200"))
        timestamp = str(closest.get("timestamp", ""))
        if not status.startswith("2") or not _TIMESTAMP.match(timestamp):
            return None
        return Snapshot(timestamp, snapshot_url(timestamp, url, self.base))

    async def _probe(self, url: str, fetcher: Fetcher) -> Snapshot | None:
        # /web/<url> redirects to the newest capture, whose address carries its timestamp
        result = await fetcher.fetch(f"{self.base}/web/{url}", accept=ACCEPT)
        if result.status is RefStatus.NOT_FOUND:
            return None
        if result.status is not RefStatus.OK:
            raise failure(result, "Wayback Machine")
        m = _SNAPSHOT_PATH.search(result.final_url or "")
        if m is None or len(m.group(1)) != 14:
            return None
        return Snapshot(m.group(1), snapshot_url(m.group(1), url, self.base))

    async def read(self, snapshot: Snapshot, url: str, fetcher: Fetcher) -> Document:
        """The snapshot's text, read like a live page and labelled as archived."""
        result = await fetcher.fetch(snapshot.url, accept=ACCEPT)
        try:
            document = await self.web.read(result, url)
        except SourceError as e:
            # the snapshot's address is not the reference's final URL: the fetch's stands
            raise e.told(f"archived copy unusable: {e.message}", final_url=None) from e
        return replace(
            document,
            url=url,
            via="wayback",
            final_url=result.final_url or snapshot.url,
            archived_url=snapshot.url,
            archived_at=snapshot.archived_at,
        )


def _why(result: FetchResult) -> str:
    return f"HTTP {result.http_status}" if result.http_status else (result.error or "failed")
