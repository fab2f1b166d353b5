"""What the owners of a file or a connection in the HTTP layer share: `with` closes them.

The cache (an SQLite connection) and the WARC recorder (a file) are each closed once, by
close() or at the end of a `with` block however it ends; fetch.open_fetcher closes them
after the run.
"""

from __future__ import annotations

from typing import Self


class ClosedOnExit:
    """`with owner:` gives the owner and calls its close() on the way out."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
