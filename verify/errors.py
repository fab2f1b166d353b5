"""One exception tree, and the one mapping from an expected failure to a reference's status.

    Exception
    ├── VerifyError              raised on purpose; str() is a one-line message
    │   ├── InputError           an article cannot be read            -> exit 2
    │   ├── ConfigError          a bad option or configuration value  -> exit 2
    │   └── SourceError          one reference cannot be read         -> its status
    │       └── BlockedAddressError   an address the rules refuse     -> blocked
    └── anything else            a bug: it propagates, the run ends   -> exit 3

Expected failures never end a run; each becomes the status of the reference it hit:

    HTTP answer (404, 403, 5xx...)   verify.http.semantics.classify    FetchResult.status
    network, TLS, decoding           ErrorKind, via describe_exception FetchResult.status
      (aiohttp and OS errors of one request: verify.http.client)
    site APIs, extraction, PDF,      SourceError(status) raised by the resolvers; turned
      bot walls, soft 404s             into the Source by resolve_reference, and nowhere else
    a worker process dying           ErrorKind.WORKER_CRASHED, as a SourceError

A bug inside a resolver, the matcher or a formatter is not caught anywhere in the library:
the command line prints it in one line and exits 3 (VERIFY_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import enum

from verify.status import RefStatus


class ErrorKind(enum.StrEnum):
    """Each expected way a request or an extraction fails (as lychee's ErrorKind); its
    `status` is what it makes of the reference."""

    DNS = "dns"
    CONNECT = "connect"
    CONNECT_TIMEOUT = "connect_timeout"
    TIMEOUT = "timeout"
    CONNECTION_LOST = "connection_lost"
    REFUSED_ADDRESS = "refused_address"
    TLS = "tls"
    PROXY = "proxy"
    MALFORMED_RESPONSE = "malformed_response"
    BAD_ENCODING = "bad_encoding"
    INVALID_URL = "invalid_url"
    CLIENT = "client"  # any other failure the HTTP client reports as its own
    WORKER_CRASHED = "worker_crashed"

    @property
    def status(self) -> RefStatus:
        return _STATUS[self]


_STATUS = {
    ErrorKind.DNS: RefStatus.UNREACHABLE,
    ErrorKind.CONNECT: RefStatus.UNREACHABLE,
    ErrorKind.CONNECT_TIMEOUT: RefStatus.UNREACHABLE,
    ErrorKind.TIMEOUT: RefStatus.UNREACHABLE,
    ErrorKind.CONNECTION_LOST: RefStatus.UNREACHABLE,
    ErrorKind.REFUSED_ADDRESS: RefStatus.BLOCKED,
    ErrorKind.TLS: RefStatus.ERROR,
    ErrorKind.PROXY: RefStatus.ERROR,
    ErrorKind.MALFORMED_RESPONSE: RefStatus.ERROR,
    ErrorKind.BAD_ENCODING: RefStatus.ERROR,
    ErrorKind.INVALID_URL: RefStatus.ERROR,
    ErrorKind.CLIENT: RefStatus.ERROR,
    ErrorKind.WORKER_CRASHED: RefStatus.ERROR,
}


class VerifyError(Exception):
    """Base of every error verify raises on purpose. `str(err)` is a one-line message."""

    exit_code = 2


class InputError(VerifyError):
    """The article cannot be read: missing, unreadable, binary, not markdown."""


class ConfigError(VerifyError):
    """A bad option or configuration value."""


class SourceError(VerifyError):
    """A reference could not be read. Resolvers raise it; the pipeline turns it into a status.

    Never escapes a run: one failing source is a status in the report.
    """

    def __init__(
        self,
        status: RefStatus,
        message: str,
        *,
        http_status: int | None = None,
        final_url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.http_status = http_status
        self.final_url = final_url


# How every refusal by the address rules (verify.http.netguard) begins, so that a report can
# tell a refused private address from a bot wall: both are status blocked.
REFUSED = "refused to contact"


class BlockedAddressError(SourceError):
    """The URL resolves to an address verify refuses to contact (loopback, private...)."""

    def __init__(self, message: str, *, final_url: str | None = None) -> None:
        super().__init__(RefStatus.BLOCKED, message, final_url=final_url)
