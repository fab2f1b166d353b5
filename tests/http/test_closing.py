"""verify.http.closing: what the cache and the WARC recorder share, `with` closing them."""

from __future__ import annotations

import pytest

from verify.http.closing import ClosedOnExit


class _Owner(ClosedOnExit):
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_with_gives_the_owner_and_closes_it_once() -> None:
    owner = _Owner()
    with owner as same:
        assert same is owner and owner.closed == 0
    assert owner.closed == 1


def test_a_block_that_fails_still_closes_and_the_error_goes_on() -> None:
    owner = _Owner()
    with pytest.raises(KeyError), owner:
        raise KeyError("x")
    assert owner.closed == 1


def test_an_owner_must_say_how_it_closes() -> None:
    with pytest.raises(NotImplementedError), ClosedOnExit():
        pass
