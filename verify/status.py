"""What became of one reference: a status of the data model, in a module of its own.

It sits below verify.models and verify.errors alike: the error table maps each expected failure
onto a status, and the models import the errors (Options refuses a bad value with ConfigError),
so the models cannot be what the errors import. `from verify.models import RefStatus` works
as before.
"""

from __future__ import annotations

import enum


class RefStatus(enum.StrEnum):
    """What became of one reference."""

    OK = "ok"
    ARCHIVED = "archived"  # the live page is walled; text came from an archived copy
    NOT_FOUND = "not_found"  # 404, 410, soft 404, deleted post
    BLOCKED = "blocked"  # 401, 403, 429 after retries, bot wall, private address refused
    ERROR = "error"  # other HTTP failures
    UNREACHABLE = "unreachable"  # DNS, connection, timeout, missing from a replayed archive
    TOO_LARGE = "too_large"  # body over the size cap
    UNSUPPORTED = "unsupported"  # a scheme or content type we cannot read
    EMPTY = "empty"  # no text could be extracted
    IGNORED = "ignored"  # excluded by configuration or an ignore comment

    @property
    def readable(self) -> bool:
        return self in (RefStatus.OK, RefStatus.ARCHIVED)

    @property
    def dead(self) -> bool:
        return self in (RefStatus.NOT_FOUND, RefStatus.UNREACHABLE)
