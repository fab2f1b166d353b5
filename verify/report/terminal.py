"""The terminal report, drawn with rich and returned as a string.

Every piece of article or source text goes in as a rich Text, never as markup, so a "[1]" in
a claim is shown as written. Text is cut by cell width (CJK characters take two cells) so the
report fits the width it is given, 80 columns included.
"""

from __future__ import annotations

import io
import re

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verify.models import ArticleReport, ClaimResult, RefStatus, Report, Source
from verify.report.common import (
    all_sources,
    checked_against,
    claim_state,
    fix_details,
    fmt_score,
    is_unreadable,
    matched_window,
    next_step,
    one_line,
    quoted_passage,
    reference_problem,
    shorten,
    shown_title,
    snippet,
    status_label,
    summary_text,
    verdict_label,
)

VERDICT_STYLE = {
    "supported": "bold green",
    "partial": "bold yellow",
    "unsupported": "bold red",
    "contradicted": "bold red",
    "unverifiable": "magenta",
    "not_checkable": "dim",
    "ignored": "dim",
}
STATUS_STYLE = {
    RefStatus.OK: "green",
    RefStatus.ARCHIVED: "cyan",
    RefStatus.IGNORED: "dim",
    RefStatus.NOT_FOUND: "bold red",
    RefStatus.UNREACHABLE: "bold red",
    RefStatus.BLOCKED: "red",
}
HIGHLIGHT = "bold underline"
# Cells the fixed-width columns of the claims table take, padding included (line, verdict,
# score, reference); what is left is shared by the claim and its evidence.
_CLAIM_FIXED = 4 + 13 + 5 + 7 + 8


def render_terminal(
    report: Report,
    *,
    verbose: bool = False,
    quiet: bool = False,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width or 100,
        force_terminal=bool(color),
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    several = len(report.articles) > 1
    for art in report.articles:
        line = summary_text(art.summary, links_only=art.links_only)
        if quiet:
            if several:
                console.print(Text(f"{art.article.path}: {line}"))
            continue
        _article(console, art, verbose=verbose)
        if several:
            console.print(Text(line))
            console.print()
    label = "Total: " if several else ""
    console.print(
        Text(label + summary_text(report.summary, links_only=report.links_only), style="bold")
    )
    console.print(Text(next_step(report), style="bold"))
    for notice in report.notices:
        console.print(Text(f"Note: {one_line(notice)}", style="bold yellow"), overflow="fold")
    # rich pads table rows to the full width; trailing blanks only get in the way of diffs
    return "\n".join(_safe_line(line).rstrip(" ") for line in out.getvalue().split("\n"))


# The only escape sequences the report may hold are rich's own colours (SGR, "ESC [ ... m").
# Anything else (a clear screen, an OSC 52 clipboard write, an OSC 8 link) came from a page or
# a file name past every other guard, and is dropped with the rest of its control characters.
_OWN_SGR = re.compile(r"(\x1b\[[0-9;]*m)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# A CI runner reads a line starting with "::" (and "##[" anywhere) as a workflow command.
_COMMAND_START = re.compile(r"^(\s*:):")


def _safe_line(line: str) -> str:
    pieces = _OWN_SGR.split(line)
    # odd pieces are the colour codes themselves
    text = "".join(p if i % 2 else _CONTROL.sub("", p) for i, p in enumerate(pieces))
    text = _COMMAND_START.sub("\\1\u200b:", text)
    return text.replace("##[", "#\u200b#[")


def _article(console: Console, art: ArticleReport, *, verbose: bool) -> None:
    article = art.article
    heading = article.path + (f" — {one_line(article.title)}" if article.title else "")
    console.rule(Text(shorten(heading, console.width - 6), style="bold"), align="left")
    sources = all_sources(art)
    if sources:
        console.print(_references_table(sources, console.width, links_only=art.links_only))
        console.print()
        if verbose:
            for source in sources:
                _source_details(console, source)
            console.print()
    if art.claims:
        console.print(_claims_table(art.claims, console.width))
        if verbose:
            _claim_details(console, art.claims)
    console.print()


def _references_table(sources: list[Source], width: int, *, links_only: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Host", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("HTTP", justify="right", no_wrap=True)
    table.add_column("Title", ratio=1, overflow="fold")
    table.add_column("Chars", justify="right", no_wrap=True)
    host_cells = max(12, min(28, width // 4 - 2))
    title_cells = max(20, width - 56) * 2
    for s in sources:
        status = Text(status_label(s), style=STATUS_STYLE.get(s.status, "yellow"))
        if s.via not in ("direct", "none"):
            status.append(f"\nvia {s.via}", style="dim")
        title = Text(shorten(shown_title(s), title_cells))
        if is_unreadable(s) and s.error:
            title.append(("\n" if title else "") + shorten(s.error, title_cells), style="dim")
        table.add_row(
            Text(shorten(s.reference.id, 8)),
            Text(shorten(s.reference.host, host_cells)),
            status,
            Text(str(s.http_status) if s.http_status is not None else "-"),
            title,
            # a links-only run reads no text, so it has no length to show
            Text(str(s.chars) if s.status.readable and not links_only else "-"),
        )
    return table


def _claims_table(results: tuple[ClaimResult, ...], width: int) -> Table:
    """One row a claim: the claim in full (wrapped, never cut), then under it why it got its
    verdict: the matching sentences of the best passage, the words found and missing, or the
    two sides of a contradiction."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Claim and evidence", ratio=1, overflow="fold")
    column = max(20, width - _CLAIM_FIXED)
    for n, r in enumerate(results):
        if n:
            table.add_row()  # a blank line between claims: each takes a few lines now
        state = claim_state(r)
        label = verdict_label(r)
        checked = state not in ("ignored", "not_checkable")
        ev = quoted_passage(r)
        if ev is not None:
            ref = ev.reference + (f" p{ev.page}" if ev.page is not None else "")
        else:
            ref = ",".join(checked_against(r)) or "-"
        cell = Text(one_line(r.claim.text))
        for name, words in fix_details(r):
            style = "green" if name == "found" else "red"
            if name.endswith("says"):  # a contradiction's two sides, quoted
                words = f'"{words}"'
            cell.append(f"\n{name}: ", style="dim")
            cell.append(words, style=style)
        if ev is not None:
            window, spans = matched_window(ev)
            # three lines of the passage: the sentences that match, not the whole window
            text, spans = snippet(window, spans, 3 * (column - 4))
            evidence = Text("↳ " + text)
            for a, b in spans:
                evidence.stylize(HIGHLIGHT, a + 2, b + 2)
            cell.append("\n").append_text(evidence)
        elif checked and label == "unsupported":
            cell.append("\n↳ no passage found", style="dim")
        elif r.note:
            cell.append(f"\n↳ {one_line(r.note)}", style="dim")
        table.add_row(
            Text(str(r.claim.line)),
            Text(label.replace("_", " "), style=VERDICT_STYLE[label]),
            Text(fmt_score(r.score) if checked else "-"),
            Text(shorten(ref, 7)),
            cell,
        )
    return table


def _source_details(console: Console, source: Source) -> None:
    if source.status is RefStatus.IGNORED:
        why = f": {one_line(source.error)}" if source.error else ""
        console.print(Text(f"[{source.reference.id}] ignored{why}"), overflow="fold")
        return
    bits = [f"[{source.reference.id}] {source.elapsed:.3f} s", f"via {source.via}"]
    if source.from_cache:
        bits.append("from cache")
    if is_unreadable(source):
        bits.append(reference_problem(source))
    final = source.final_url
    if final and final != source.reference.url:
        bits.append(f"final URL {final}")
    doc = source.document
    if doc is not None and doc.archived_url:
        bits.append(f"snapshot {doc.archived_url}")
    console.print(Text(", ".join(bits)), overflow="fold")
    for note in source.notes:
        console.print(Text(f"    - {one_line(note)}", style="dim"), overflow="fold")


def _claim_details(console: Console, results: tuple[ClaimResult, ...]) -> None:
    for r in results:
        state = claim_state(r)
        if state in ("supported", "ignored", "not_checkable"):
            continue
        bits = []
        if r.found:
            bits.append("found " + ", ".join(r.found))
        if r.missing:
            bits.append("missing " + ", ".join(r.missing))
        if r.note:
            bits.append(r.note)
        if bits:
            line = Text(f"line {r.claim.line} ({state}): ")
            line.append("; ".join(one_line(b) for b in bits), style="dim")
            console.print(line, overflow="fold")
    console.print()
