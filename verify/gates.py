"""What fails a run. Pure functions over a Report, so CI gating is easy to test."""

from __future__ import annotations

from verify.errors import ConfigError
from verify.models import RefStatus, Report, Verdict

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


def failures(
    report: Report, fail_on: tuple[str, ...] = DEFAULT_FAIL_ON, min_support: float | None = None
) -> list[str]:
    """One line per gate that fails; an empty list means the run passes."""
    reasons: list[str] = []
    if effective_fail_on(report, fail_on) != fail_on:
        n = sum(1 for a in report.articles for c in a.claims if c.checkable and not c.claim.ignored)
        reasons.append(
            f"nothing was checked: none of the {n} claim{'s' if n != 1 else ''} had a "
            "readable source (unverifiable)"
        )
    verdict_gates = {
        "unsupported": Verdict.UNSUPPORTED,
        "partial": Verdict.PARTIAL,
        "unverifiable": Verdict.UNVERIFIABLE,
    }
    for gate, verdict in verdict_gates.items():
        if gate not in fail_on:
            continue
        n = sum(
            1
            for a in report.articles
            for c in a.claims
            if c.verdict is verdict and c.checkable and not c.claim.ignored
        )
        if n:
            reasons.append(f"{n} {gate} claim{'s' if n != 1 else ''}")
    status_gates = {"dead": DEAD_STATUSES, "blocked": frozenset({RefStatus.BLOCKED})}
    for gate, statuses in status_gates.items():
        if gate not in fail_on:
            continue
        n = sum(1 for a in report.articles for s in a.sources if s.status in statuses)
        if n:
            reasons.append(f"{n} {gate} reference{'s' if n != 1 else ''}")
    if min_support is not None:
        ratio = report.summary.support_ratio
        if ratio < min_support:
            reasons.append(f"support ratio {ratio:.2f} is below --min-support {min_support:.2f}")
    return reasons
