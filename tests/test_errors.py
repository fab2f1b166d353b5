"""verify.errors: the one table from an expected failure's kind to a reference's status."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verify.errors import (
    BlockedAddressError,
    ErrorKind,
    FetchFailedError,
    SourceError,
    VerifyError,
)
from verify.http.semantics import classify, http_kind
from verify.models import FetchResult, RefStatus

PACKAGE = Path(__file__).resolve().parent.parent / "verify"


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_every_kind_has_a_failure_status(kind: ErrorKind) -> None:
    # a kind missing from the table would be a KeyError in the middle of a run
    assert isinstance(kind.status, RefStatus)
    assert not kind.status.readable
    assert kind.status is not RefStatus.IGNORED  # ignoring is configuration, not a failure


def test_the_table_gives_the_statuses_the_readme_documents() -> None:
    expected = {
        ErrorKind.HTTP_GONE: RefStatus.NOT_FOUND,
        ErrorKind.SOFT_404: RefStatus.NOT_FOUND,
        ErrorKind.DELETED_POST: RefStatus.NOT_FOUND,
        ErrorKind.HTTP_DENIED: RefStatus.BLOCKED,
        ErrorKind.BOT_WALL: RefStatus.BLOCKED,
        ErrorKind.REFUSED_ADDRESS: RefStatus.BLOCKED,
        ErrorKind.REDIRECT_LOOP: RefStatus.ERROR,
        ErrorKind.TLS: RefStatus.ERROR,
        ErrorKind.BAD_ENCODING: RefStatus.ERROR,
        ErrorKind.API_SHAPE: RefStatus.ERROR,
        ErrorKind.WORKER_CRASHED: RefStatus.ERROR,
        ErrorKind.DNS: RefStatus.UNREACHABLE,
        ErrorKind.TIMEOUT: RefStatus.UNREACHABLE,
        ErrorKind.NOT_IN_ARCHIVE: RefStatus.UNREACHABLE,
        ErrorKind.TOO_LARGE: RefStatus.TOO_LARGE,
        ErrorKind.UNSUPPORTED_TYPE: RefStatus.UNSUPPORTED,
        ErrorKind.NOT_WEB_ADDRESS: RefStatus.UNSUPPORTED,
        ErrorKind.NO_TEXT: RefStatus.EMPTY,
    }
    assert {kind: kind.status for kind in expected} == expected


@pytest.mark.parametrize(
    ("code", "kind", "status"),
    [
        (200, None, RefStatus.OK),
        (204, None, RefStatus.OK),
        (404, ErrorKind.HTTP_GONE, RefStatus.NOT_FOUND),
        (410, ErrorKind.HTTP_GONE, RefStatus.NOT_FOUND),
        (401, ErrorKind.HTTP_DENIED, RefStatus.BLOCKED),
        (403, ErrorKind.HTTP_DENIED, RefStatus.BLOCKED),
        (429, ErrorKind.HTTP_DENIED, RefStatus.BLOCKED),
        (304, ErrorKind.HTTP_ERROR, RefStatus.ERROR),
        (418, ErrorKind.HTTP_ERROR, RefStatus.ERROR),
        (500, ErrorKind.HTTP_ERROR, RefStatus.ERROR),
        (503, ErrorKind.HTTP_ERROR, RefStatus.ERROR),
    ],
)
def test_an_http_answer_is_a_kind_and_its_status_comes_from_the_table(
    code: int, kind: ErrorKind | None, status: RefStatus
) -> None:
    assert http_kind(code) is kind
    assert classify(code) is status


def test_a_source_error_carries_its_kind_and_reads_its_status_from_the_table() -> None:
    err = SourceError(ErrorKind.BOT_WALL, "bot wall detected: x", http_status=403, final_url="u")
    assert isinstance(err, VerifyError)
    assert err.kind is ErrorKind.BOT_WALL
    assert err.status is RefStatus.BLOCKED
    assert str(err) == err.message == "bot wall detected: x"
    assert (err.http_status, err.final_url) == (403, "u")


def test_a_status_picked_on_the_spot_is_refused() -> None:
    # RefStatus and ErrorKind share some values ("too_large"): no silent conversion
    with pytest.raises(TypeError, match="ErrorKind"):
        SourceError(RefStatus.TOO_LARGE, "over the cap")  # type: ignore[arg-type]


def test_a_refused_address_is_its_kind() -> None:
    err = BlockedAddressError("refused to contact 10.0.0.1: private address", final_url="u")
    assert err.kind is ErrorKind.REFUSED_ADDRESS and err.status is RefStatus.BLOCKED


@pytest.mark.parametrize(
    "fetched", [RefStatus.NOT_FOUND, RefStatus.UNREACHABLE, RefStatus.BLOCKED, RefStatus.TOO_LARGE]
)
def test_a_failed_fetch_keeps_the_status_its_own_kind_gave_it(fetched: RefStatus) -> None:
    result = FetchResult(url="u", status=fetched, http_status=500, final_url="f")
    err = FetchFailedError(result, "X oEmbed: HTTP 500")
    assert err.kind is ErrorKind.FETCH_FAILED
    assert (err.status, err.http_status, err.final_url) == (fetched, 500, "f")


def test_a_fetch_that_succeeded_but_cannot_be_used_is_the_tables_fetch_failed() -> None:
    ok = FetchResult(url="u", status=RefStatus.OK, http_status=200)
    assert FetchFailedError(ok, "failed").status is ErrorKind.FETCH_FAILED.status


def test_told_keeps_the_kind_and_code_and_changes_the_message() -> None:
    gone = FetchResult(url="u", status=RefStatus.NOT_FOUND, http_status=404, final_url="a")
    first = FetchFailedError(gone, "HTTP 404")
    told = first.told("archived copy unusable: HTTP 404", final_url=None)
    assert isinstance(told, FetchFailedError)
    assert (told.status, told.http_status, told.final_url) == (RefStatus.NOT_FOUND, 404, None)
    assert str(told) == told.message == "archived copy unusable: HTTP 404"
    assert str(first) == "HTTP 404" and first.final_url == "a"  # the original is unchanged


_FAILURES = {s.name for s in RefStatus if not s.readable and s is not RefStatus.IGNORED}


def _statuses_decided(path: Path) -> list[str]:
    """`RefStatus.<failure>` used as a value (not compared against) in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    compared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            compared.update(id(n) for n in ast.walk(node))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} RefStatus.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "RefStatus"
        and node.attr in _FAILURES
        and id(node) not in compared
    ]


def test_no_fetcher_or_resolver_picks_a_failure_status_of_its_own() -> None:
    """Where reading a reference fails (verify/http, verify/sources), a status is only ever
    read, never chosen: each failure names its ErrorKind and the table decides."""
    modules = sorted(
        [*PACKAGE.joinpath("http").glob("*.py"), *PACKAGE.joinpath("sources").glob("*.py")]
    )
    assert modules
    decided = [place for module in modules for place in _statuses_decided(module)]
    assert decided == []


def test_a_source_error_survives_a_pickle_from_a_worker_process() -> None:
    import pickle

    for err in (
        SourceError(ErrorKind.NO_TEXT, "PDF has no text layer (scanned?)", http_status=200),
        FetchFailedError(
            FetchResult(url="u", status=RefStatus.UNREACHABLE), "not in the archive a.warc"
        ),
        BlockedAddressError("refused to contact 127.0.0.1: loopback address", final_url="u"),
    ):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert (back.kind, back.status, str(back), back.http_status, back.final_url) == (
            err.kind,
            err.status,
            str(err),
            err.http_status,
            err.final_url,
        )
