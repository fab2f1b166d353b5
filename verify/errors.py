"""One exception tree. Anything the user caused is a VerifyError with a one-line message."""

from __future__ import annotations

from verify.models import RefStatus


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
