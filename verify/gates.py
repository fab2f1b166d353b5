"""What fails a run. Pure functions over a Report, so CI gating is easy to test."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from verify.errors import ConfigError
from verify.models import ArticleReport, RefStatus, Report, Summary, Verdict

GATES = ("unsupported", "partial", "unverifiable", "dead", "blocked")
DEFAULT_FAIL_ON = ("unsupported", "dead")

# A reference whose text could not be read for a reason other than a bot wall: a broken link.
DEAD_STATUSES = frozenset(
    {
        RefStatus.NOT_FOUND,
        RefStatus.UNREACHABLE,
        RefStatus.ERROR,
        RefStatus.TOO_LARGE,
        RefStatus.UNSUPPORTED,
        RefStatus.EMPTY,
    }
)


def parse_fail_on(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    gates = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    unknown = [g for g in gates if g not in GATES and g != "none"]
    if unknown:
        raise ConfigError(
            f"unknown --fail-on value {unknown[0]!r}; choose from {', '.join(GATES)} or none"
        )
    return tuple(g for g in gates if g != "none")


def nothing_checked(report: Report) -> bool:
    """Whether the run judged claims and could check none of them: every checkable claim is
    unverifiable (no reference of its could be read, or the article cites nothing)."""
    judged = [c for a in report.articles for c in a.claims if c.checkable and not c.claim.ignored]
    return bool(judged) and all(c.verdict is Verdict.UNVERIFIABLE for c in judged)


def effective_fail_on(report: Report, fail_on: tuple[str, ...]) -> tuple[str, ...]:
    """The gates that apply to this report: `fail_on`, and `unverifiable` with them when the
    run checked nothing, so that a run which could read no source never looks green.
    `--fail-on none` (no gate at all) keeps it out as well."""
    if fail_on and "unverifiable" not in fail_on and nothing_checked(report):
        return (*fail_on, "unverifiable")
    return fail_on


_VERDICT_GATES = {
    "unsupported": Verdict.UNSUPPORTED,
    "partial": Verdict.PARTIAL,
    "unverifiable": Verdict.UNVERIFIABLE,
}
_STATUS_GATES = {"dead": DEAD_STATUSES, "blocked": frozenset({RefStatus.BLOCKED})}


@dataclass
class Tally:
    """What the gates count, added up one article at a time, so that a streamed run can
    gate without holding its reports."""

    counts: Counter[str] = field(default_factory=Counter)
    summary: Summary = field(default_factory=Summary)
    articles: int = 0

    def add(self, article: ArticleReport) -> None:
        self.articles += 1
        self.summary = self.summary + article.summary
        judged = [c for c in article.claims if c.checkable and not c.claim.ignored]
        self.counts["judged"] += len(judged)
        for gate, verdict in _VERDICT_GATES.items():
            self.counts[gate] += sum(1 for c in judged if c.verdict is verdict)
        for gate, statuses in _STATUS_GATES.items():
            self.counts[gate] += sum(1 for s in article.sources if s.status in statuses)

    @property
    def nothing_checked(self) -> bool:
        """As `nothing_checked(report)`: claims were judged and every one is unverifiable."""
        return bool(self.counts["judged"]) and self.counts["unverifiable"] == self.counts["judged"]

    def failures(
        self, fail_on: tuple[str, ...] = DEFAULT_FAIL_ON, min_support: float | None = None
    ) -> list[str]:
        """One line per gate that fails; an empty list means the run passes."""
        reasons: list[str] = []
        if fail_on and "unverifiable" not in fail_on and self.nothing_checked:
            n = self.counts["judged"]
            reasons.append(
                f"nothing was checked: none of the {n} claim{'s' if n != 1 else ''} had a "
                "readable source (unverifiable)"
            )
        for gate in (*_VERDICT_GATES, *_STATUS_GATES):
            n = self.counts[gate]
            if gate in fail_on and n:
                kind = "claim" if gate in _VERDICT_GATES else "reference"
                reasons.append(f"{n} {gate} {kind}{'s' if n != 1 else ''}")
        if min_support is not None:
            ratio = self.summary.support_ratio
            if ratio < min_support:
                reasons.append(
                    f"support ratio {ratio:.2f} is below --min-support {min_support:.2f}"
                )
        return reasons


def failures(
    report: Report, fail_on: tuple[str, ...] = DEFAULT_FAIL_ON, min_support: float | None = None
) -> list[str]:
    """One line per gate that fails; an empty list means the run passes."""
    tally = Tally()
    for article in report.articles:
        tally.add(article)
    return tally.failures(fail_on, min_support)
