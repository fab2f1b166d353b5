"""Record a run's HTTP exchanges to a WARC file, and replay a WARC file instead of the network.

Recording makes a run reproducible: `--record run.warc.gz` keeps every request and response
(each redirect hop too), and `--replay run.warc.gz` later gives the same results offline.
ReplayFetcher reads any standard WARC written by warcio (response records whose payload is a
full HTTP response), not only ours, and walks redirects through the archive with the same code
the live fetcher uses.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yarl
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException
from warcio.warcwriter import WARCWriter

from verify import __version__
from verify.errors import ConfigError, ErrorKind
from verify.http.closing import ClosedOnExit
from verify.http.netguard import normalize_url
from verify.http.semantics import Exchange, clean_headers, follow_redirects, reason_phrase
from verify.models import FetchResult

__all__ = ["ReplayFetcher", "WarcRecorder", "normalize_url"]


class WarcRecorder(ClosedOnExit):
    """Appends request/response record pairs to a gzipped WARC file (created or overwritten)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._file: io.BufferedWriter | None = open(self.path, "wb")  # noqa: SIM115
        except OSError as exc:
            raise ConfigError(f"cannot write the archive {self.path}: {exc.strerror}") from exc
        self._writer = WARCWriter(self._file, gzip=True)
        info = {"software": f"verify/{__version__}", "format": "WARC File Format 1.0"}
        self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, info))

    def record(
        self,
        url: str,
        request_headers: Iterable[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: Iterable[tuple[str, str]],
        body: bytes,
        *,
        truncated: bool = False,
    ) -> None:
        """Write one exchange. `body` is the decoded body, so encoding headers are replaced
        by a Content-Length that matches it; `truncated` marks a body cut at the size cap."""
        if self._file is None:
            raise ValueError("the WARC recorder is closed")
        try:
            target = yarl.URL(url)
            request_line = f"GET {target.raw_path_qs or '/'} HTTP/1.1"
        except ValueError:
            request_line = "GET / HTTP/1.1"
        request = self._writer.create_warc_record(
            url,
            "request",
            http_headers=StatusAndHeaders(
                request_line, list(request_headers), is_http_request=True
            ),
        )
        headers = [*clean_headers(response_headers), ("Content-Length", str(len(body)))]
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(
                f"{status} {reason_phrase(status, reason)}".strip(), headers, protocol="HTTP/1.1"
            ),
            warc_headers_dict={"WARC-Truncated": "length"} if truncated else None,
        )
        self._writer.write_request_response_pair(request, response)
        # flushed per exchange, so a run that dies still leaves a readable archive
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _target_uri(value: str | None) -> str | None:
    if not value:
        return None
    # WARC 1.0's examples wrap the URI in angle brackets, and some tools copied that
    return value.strip().removeprefix("<").removesuffix(">")


def load_archive(path: str | Path) -> tuple[dict[str, list[Exchange]], list[str]]:
    """Every response in a WARC file, by normalised URL in file order; and warnings."""
    records: dict[str, list[Exchange]] = {}
    warnings: list[str] = []
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if not record.rec_type:
                    raise ValueError("a record has no WARC-Type; this is not a WARC file")
                uri = _target_uri(record.rec_headers.get_header("WARC-Target-URI"))
                if uri is None or record.rec_type not in ("response", "resource"):
                    continue
                try:
                    exchange = _exchange_from(record)
                except (ValueError, OSError, zlib.error) as exc:
                    warnings.append(f"skipped the archived response for {uri}: {exc}")
                    continue
                if exchange is not None:
                    records.setdefault(normalize_url(uri), []).append(exchange)
    except OSError as exc:
        raise ConfigError(f"cannot read the archive {path}: {exc.strerror or exc}") from exc
    except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, zlib.error) as exc:
        message = " ".join(str(exc).split())
        raise ConfigError(f"cannot read the archive {path}: {message}") from exc
    return records, warnings


def _exchange_from(record: Any) -> Exchange | None:
    # warcio is untyped: `record` is an ArcWarcRecord
    rec_headers = record.rec_headers
    truncated = bool(rec_headers.get_header("WARC-Truncated"))
    if record.rec_type == "resource":
        # a bare payload (no HTTP message): served as a 200 of the record's content type
        content_type = rec_headers.get_header("Content-Type")
        headers = (("Content-Type", content_type),) if content_type else ()
        body = record.content_stream().read()
        return Exchange(200, "OK", headers, body, truncated)
    http = record.http_headers
    if http is None:
        return None
    code = int(http.get_statuscode())
    reason = http.statusline.partition(" ")[2].strip()
    body = record.content_stream().read()
    return Exchange(code, reason_phrase(code, reason), clean_headers(http.headers), body, truncated)


class ReplayFetcher:
    """A Fetcher that answers from a WARC file and never touches the network.

    The file is read once, at construction. When a URL was archived several times the last
    record wins. A URL that is not in the archive is UNREACHABLE ("not in the archive <file>").
    """

    def __init__(
        self,
        path: str | Path,
        *,
        max_bytes: int | None = None,
        max_redirects: int = 10,
        allow_private: bool = True,
    ) -> None:
        self.path = str(path)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        # nothing is contacted, so private addresses are harmless; the flag exists so a replay
        # can refuse exactly what the recorded run refused
        self.allow_private = allow_private
        self._records, self.warnings = load_archive(path)

    def __len__(self) -> int:
        return len(self._records)

    async def __aenter__(self) -> ReplayFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        return await follow_redirects(
            url,
            self._exchange,
            max_redirects=self.max_redirects,
            allow_private=self.allow_private,
        )

    async def _exchange(self, url: str) -> Exchange | FetchResult:
        found = self._records.get(normalize_url(url))
        if not found:
            return FetchResult(
                url=url,
                status=ErrorKind.NOT_IN_ARCHIVE.status,
                error=f"not in the archive {self.path}",
            )
        exchange = found[-1]
        if self.max_bytes is not None and len(exchange.body) > self.max_bytes:
            exchange = replace(exchange, body=exchange.body[: self.max_bytes], truncated=True)
        return exchange
