"""One exception tree, and the one table that turns an expected failure into a status.

    Exception
    ├── VerifyError              raised on purpose; str() is a one-line message
    │   ├── InputError           an article cannot be read            -> exit 2
    │   ├── ConfigError          a bad option or configuration value  -> exit 2
    │   └── SourceError(kind)    one reference cannot be read         -> kind.status
    │       ├── BlockedAddressError   an address the rules refuse     -> blocked
    │       └── FetchFailedError      a fetch a resolver needed failed -> the fetch's status
    └── anything else            a bug: it propagates, the run ends   -> exit 3

Every expected failure names an ErrorKind; `ErrorKind.status` (the table `_STATUS` below) is
the only place that says which reference status it is. Where each kind is named:

    network, TLS, body decoding      verify.http.client.describe_exception  -> FetchResult
    HTTP answer (404, 403, 5xx...),  verify.http.semantics (http_kind, the  -> FetchResult
      size cap, redirects, address     redirect walk), verify.http.netguard
    URL missing from a replay        verify.http.warc                       -> FetchResult
    site APIs, extraction, PDF,      the resolvers (verify.sources.*), as   -> Source, made
      bot walls, soft 404s, saved      SourceError(kind); a failed fetch       by resolve_
      copies, a crashed worker         as FetchFailedError, keeping the        reference
                                       status its own kind gave it             alone

A bug inside a resolver, the matcher or a formatter is not caught anywhere in the library:
the command line prints it in one line and exits 3 (VERIFY_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import copy
import enum
from typing import TYPE_CHECKING

from verify.status import RefStatus

if TYPE_CHECKING:
    from verify.models import FetchResult


class ErrorKind(enum.StrEnum):
    """Each expected way reading a reference fails (as lychee's ErrorKind); its `status` is
    what it makes of the reference."""

    # the network and the HTTP client (verify.http.client)
    DNS = "dns"
    CONNECT = "connect"
    CONNECT_TIMEOUT = "connect_timeout"
    TIMEOUT = "timeout"
    CONNECTION_LOST = "connection_lost"
    TLS = "tls"
    PROXY = "proxy"
    MALFORMED_RESPONSE = "malformed_response"
    BAD_ENCODING = "bad_encoding"
    CLIENT = "client"  # any other failure the HTTP client reports as its own
    # the address and its scheme (verify.http.netguard, the resolvers' registry)
    INVALID_URL = "invalid_url"
    NOT_WEB_ADDRESS = "not_web_address"  # a scheme other than http(s): never fetched
    REFUSED_ADDRESS = "refused_address"  # loopback, private, link-local... (--allow-private)
    # the server's answer (verify.http.semantics)
    HTTP_GONE = "http_gone"  # 404, 410
    HTTP_DENIED = "http_denied"  # 401, 403, 429 (after retries)
    HTTP_ERROR = "http_error"  # any other final status outside 2xx
    TOO_LARGE = "too_large"  # a body or a saved copy over the size cap
    BAD_REDIRECT = "bad_redirect"  # no Location, or one that is not a URL
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    NOT_IN_ARCHIVE = "not_in_archive"  # a --replay archive has no record of the URL
    # what a resolver makes of a fetched answer (verify.sources)
    NO_RESOLVER = "no_resolver"  # no resolver of the registry takes the URL
    NOT_FOUND = "not_found"  # a site's API says the document does not exist
    DELETED_POST = "deleted_post"  # a post deleted or withheld (X's tombstone, its 404)
    SOFT_404 = "soft_404"  # a 200 page that says it does not exist
    PRIVATE = "private"  # a private document, a protected account
    BOT_WALL = "bot_wall"  # a challenge or a paywall instead of the page
    API_SHAPE = "api_shape"  # a site API's answer is not JSON, or not of the shape it documents
    UNSUPPORTED_TYPE = "unsupported_type"  # a content type (or file) verify cannot read
    NO_TEXT = "no_text"  # readable, but no text in it (an empty page, a scan without OCR)
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_UNREADABLE = "pdf_unreadable"  # damaged, too deep, or past the safety limits
    LOCAL_UNREADABLE = "local_unreadable"  # a saved copy missing, not a file, refused, unread
    WORKER_CRASHED = "worker_crashed"  # the page crashed its extraction worker process
    # a fetch a resolver needed reported success, yet the resolver cannot use it
    FETCH_FAILED = "fetch_failed"

    @property
    def status(self) -> RefStatus:
        return _STATUS[self]


# The one table: every kind, grouped by the status it gives (tests/test_errors.py checks
# that none is missing, so a new kind cannot fall through to a KeyError mid-run).
_STATUS: dict[ErrorKind, RefStatus] = {
    **dict.fromkeys(
        (ErrorKind.HTTP_GONE, ErrorKind.NOT_FOUND, ErrorKind.DELETED_POST, ErrorKind.SOFT_404),
        RefStatus.NOT_FOUND,
    ),
    **dict.fromkeys(
        (ErrorKind.HTTP_DENIED, ErrorKind.REFUSED_ADDRESS, ErrorKind.PRIVATE, ErrorKind.BOT_WALL),
        RefStatus.BLOCKED,
    ),
    **dict.fromkeys(
        (
            ErrorKind.DNS,
            ErrorKind.CONNECT,
            ErrorKind.CONNECT_TIMEOUT,
            ErrorKind.TIMEOUT,
            ErrorKind.CONNECTION_LOST,
            ErrorKind.NOT_IN_ARCHIVE,
        ),
        RefStatus.UNREACHABLE,
    ),
    **dict.fromkeys(
        (
            ErrorKind.TLS,
            ErrorKind.PROXY,
            ErrorKind.MALFORMED_RESPONSE,
            ErrorKind.BAD_ENCODING,
            ErrorKind.CLIENT,
            ErrorKind.INVALID_URL,
            ErrorKind.HTTP_ERROR,
            ErrorKind.BAD_REDIRECT,
            ErrorKind.REDIRECT_LOOP,
            ErrorKind.TOO_MANY_REDIRECTS,
            ErrorKind.API_SHAPE,
            ErrorKind.PDF_UNREADABLE,
            ErrorKind.LOCAL_UNREADABLE,
            ErrorKind.WORKER_CRASHED,
            ErrorKind.FETCH_FAILED,
        ),
        RefStatus.ERROR,
    ),
    ErrorKind.TOO_LARGE: RefStatus.TOO_LARGE,
    **dict.fromkeys(
        (
            ErrorKind.NOT_WEB_ADDRESS,
            ErrorKind.NO_RESOLVER,
            ErrorKind.UNSUPPORTED_TYPE,
            ErrorKind.PDF_ENCRYPTED,
        ),
        RefStatus.UNSUPPORTED,
    ),
    ErrorKind.NO_TEXT: RefStatus.EMPTY,
}


class VerifyError(Exception):
    """Base of every error verify raises on purpose. `str(err)` is a one-line message."""

    exit_code = 2


class InputError(VerifyError):
    """The article cannot be read: missing, unreadable, binary, not markdown."""


class ConfigError(VerifyError):
    """A bad option or configuration value."""


class SourceError(VerifyError):
    """A reference could not be read, and the kind of failure it is. Resolvers raise it;
    resolve_reference turns it into the Source's status (`status`, from the kind's table).

    Never escapes a run: one failing source is a status in the report.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        http_status: int | None = None,
        final_url: str | None = None,
    ) -> None:
        if not isinstance(kind, ErrorKind):
            # a RefStatus here would be a status picked on the spot: the table decides
            raise TypeError(f"SourceError needs an ErrorKind, got {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.http_status = http_status
        self.final_url = final_url

    @property
    def status(self) -> RefStatus:
        return self.kind.status

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from its attributes, not through __init__ (whose arguments differ from
        # subclass to subclass), so that a copy, or a pickle sent back from a worker process,
        # keeps the kind
        return (_rebuild, (type(self), self.args), self.__dict__)

    def told(self, message: str, *, final_url: str | None) -> SourceError:
        """The same failure (its kind, so its status, and its HTTP code) with another
        message and final URL, for a caller that wraps what a step below it said."""
        told = copy.copy(self)
        told.args = (message,)
        told.message = message
        told.final_url = final_url
        return told


class FetchFailedError(SourceError):
    """A fetch a resolver needed did not succeed. Its status was decided where the fetch
    failed, by that failure's own kind (verify.http), and is carried on unchanged: the
    FetchResult keeps the status, not the kind."""

    def __init__(self, result: FetchResult, message: str) -> None:
        super().__init__(
            ErrorKind.FETCH_FAILED,
            message,
            http_status=result.http_status,
            final_url=result.final_url,
        )
        self.fetched = result.status

    @property
    def status(self) -> RefStatus:
        # a fetch that reported success but that the resolver cannot use is FETCH_FAILED's
        return self.fetched if self.fetched is not RefStatus.OK else self.kind.status


def _rebuild(cls: type[SourceError], args: tuple[object, ...]) -> SourceError:
    return cls.__new__(cls, *args)


# How every refusal by the address rules (verify.http.netguard) begins, so that a report can
# tell a refused private address from a bot wall: both are status blocked.
REFUSED = "refused to contact"


class BlockedAddressError(SourceError):
    """The URL resolves to an address verify refuses to contact (loopback, private...)."""

    def __init__(self, message: str, *, final_url: str | None = None) -> None:
        super().__init__(ErrorKind.REFUSED_ADDRESS, message, final_url=final_url)
