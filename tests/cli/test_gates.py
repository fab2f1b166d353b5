"""What fails a run: --fail-on and --min-support over a report."""

from __future__ import annotations

import pytest

from verify.errors import ConfigError
from verify.gates import failures, parse_fail_on
from verify.models import (
    Article,
    ArticleReport,
    Claim,
    ClaimResult,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)


def report(verdicts: list[Verdict], statuses: list[RefStatus], checkable: bool = True) -> Report:
    claims = tuple(Claim(index=i, text=f"claim {i}", line=i + 1) for i in range(len(verdicts)))
    refs = tuple(
        Reference(id=str(i + 1), url=f"https://e{i}.test/", line=50 + i)
        for i in range(len(statuses))
    )
    article = Article(path="a.md", text="", claims=claims, references=refs)
    return Report(
        articles=(
            ArticleReport(
                article=article,
                sources=tuple(
                    Source(reference=r, status=s) for r, s in zip(refs, statuses, strict=True)
                ),
                claims=tuple(
                    ClaimResult(claim=c, verdict=v, score=0.5, checkable=checkable)
                    for c, v in zip(claims, verdicts, strict=True)
                ),
            ),
        )
    )


def test_clean_report_passes() -> None:
    r = report([Verdict.SUPPORTED, Verdict.SUPPORTED], [RefStatus.OK, RefStatus.ARCHIVED])
    assert failures(r) == []


def test_default_fails_on_unsupported_and_dead_only() -> None:
    r = report([Verdict.UNSUPPORTED, Verdict.PARTIAL], [RefStatus.NOT_FOUND, RefStatus.BLOCKED])
    reasons = failures(r)
    assert reasons == ["1 unsupported claim", "1 dead reference"]


def test_each_gate() -> None:
    r = report(
        [Verdict.PARTIAL, Verdict.UNVERIFIABLE, Verdict.PARTIAL],
        [RefStatus.BLOCKED, RefStatus.UNREACHABLE],
    )
    assert failures(r, ("partial",)) == ["2 partial claims"]
    assert failures(r, ("unverifiable",)) == ["1 unverifiable claim"]
    assert failures(r, ("blocked",)) == ["1 blocked reference"]
    assert failures(r, ("dead",)) == ["1 dead reference"]
    assert failures(r, ()) == []


def test_not_checkable_claims_never_fail_a_gate() -> None:
    r = report([Verdict.UNVERIFIABLE], [RefStatus.OK], checkable=False)
    assert failures(r, ("unverifiable",)) == []


def test_min_support() -> None:
    r = report([Verdict.SUPPORTED, Verdict.PARTIAL, Verdict.SUPPORTED, Verdict.SUPPORTED], [])
    assert failures(r, (), 0.75) == []
    assert failures(r, (), 0.8)[0].startswith("support ratio 0.75 is below")


def test_parse_fail_on() -> None:
    assert parse_fail_on("dead, blocked,dead") == ("dead", "blocked")
    assert parse_fail_on("none") == ()
    with pytest.raises(ConfigError):
        parse_fail_on("dead,typo")


def test_a_run_that_could_read_no_source_fails_by_default() -> None:
    walled = report([Verdict.UNVERIFIABLE, Verdict.UNVERIFIABLE], [RefStatus.BLOCKED])
    assert failures(walled) == [
        "nothing was checked: none of the 2 claims had a readable source (unverifiable)"
    ]
    assert failures(walled, ("blocked",))[0].startswith("nothing was checked")
    assert failures(walled, ()) == []  # --fail-on none: nothing fails
    assert failures(walled, ("unverifiable",)) == ["2 unverifiable claims"]  # said once
    # one claim checked is a run that checked something: the usual gates decide
    some = report([Verdict.UNVERIFIABLE, Verdict.SUPPORTED], [RefStatus.BLOCKED, RefStatus.OK])
    assert failures(some) == []
    # no claim to judge (only questions, or --links-only) is not "nothing checked"
    assert failures(report([Verdict.UNVERIFIABLE], [RefStatus.BLOCKED], checkable=False)) == []
    assert failures(report([], [RefStatus.BLOCKED])) == []
