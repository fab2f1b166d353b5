"""Helpers every formatter shares: reading a Report the same way, and cutting text to size.

Everything here is pure: a formatter asks the same question (which claims need a look, what a
reference's title is) and gets the same answer whatever it renders to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import wcwidth

from verify.errors import REFUSED
from verify.models import (
    Article,
    ArticleReport,
    ClaimResult,
    Evidence,
    Reference,
    RefStatus,
    Report,
    Source,
    Summary,
    Verdict,
)

ELLIPSIS = "…"

_SPACE = re.compile(r"\s+")
# Characters XML 1.0 forbids even when escaped; a scraped page can carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The order problems are worth a reader's time: a claim the sources contradict or miss first.
_SEVERITY = {Verdict.UNSUPPORTED: 0, Verdict.PARTIAL: 1, Verdict.UNVERIFIABLE: 2}


def one_line(text: str) -> str:
    """Collapse every run of whitespace (newlines included) into one space."""
    return _SPACE.sub(" ", text).strip()


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes (CJK characters and most emoji take two)."""
    return wcwidth.width(text, control_codes="ignore")


def shorten(text: str, cells: int) -> str:
    """Fit `text` on one line of at most `cells` terminal cells, ending in … when cut.

    Cuts between graphemes, so a double-width CJK character is never split in half.
    """
    text = one_line(text)
    if cells <= 0:
        return ""
    if cell_len(text) <= cells:
        return text
    budget = cells - cell_len(ELLIPSIS)
    used = 0
    end = 0
    for grapheme in wcwidth.iter_graphemes(text):
        width = cell_len(grapheme)
        if used + width > budget:
            break
        used += width
        end += len(grapheme)
    return text[:end].rstrip() + ELLIPSIS


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def fmt_score(score: float) -> str:
    return f"{score:.2f}"


def round3(value: float) -> float:
    return round(float(value), 3)


def short_date(iso: str | None) -> str | None:
    """The date part of an ISO timestamp ("2024-08-06T12:00:00Z" -> "2024-08-06")."""
    if not iso:
        return None
    return iso.strip()[:10]


# ---------------------------------------------------------------------------- claims


def claim_state(result: ClaimResult) -> str:
    """One word for what became of a claim: "ignored", "not_checkable" or the verdict.

    Ignored wins over not checkable, as in ArticleReport.summary.
    """
    if result.claim.ignored:
        return "ignored"
    if not result.checkable:
        return "not_checkable"
    return result.verdict.value


def verdict_label(result: ClaimResult) -> str:
    """The verdict as a reader sees it: claim_state, except that an unsupported claim its
    source contradicts reads "contradicted" (the JSON verdict stays "unsupported")."""
    state = claim_state(result)
    return "contradicted" if state == "unsupported" and result.contradicted else state


def conflict_phrase(result: ClaimResult) -> str | None:
    """'contradicted (number): the claim says "9 to 0", the source "7–2"', or None."""
    c = result.conflict
    if c is None or not result.contradicted:
        return None
    return f'contradicted ({c.kind}): the claim says "{c.claim_text}", the source "{c.source_text}"'


def is_checked(result: ClaimResult) -> bool:
    return claim_state(result) not in ("ignored", "not_checkable")


def best_evidence(result: ClaimResult) -> Evidence | None:
    return result.evidence[0] if result.evidence else None


def checked_against(result: ClaimResult) -> list[str]:
    """Reference ids the claim was checked against: its evidence's, else its own citations."""
    ids = list(dict.fromkeys(e.reference for e in result.evidence))
    return ids or list(result.claim.references)


def evidence_phrase(result: ClaimResult) -> str:
    """ "best evidence [2] 0.31", or why there is none."""
    ev = best_evidence(result)
    if ev is None:
        return result.note or "no evidence"
    page = f" p. {ev.page}" if ev.page is not None else ""
    return f"best evidence [{ev.reference}]{page} {fmt_score(ev.score)}"


@dataclass(frozen=True)
class Finding:
    """A claim worth a look, with where it is."""

    path: str
    line: int
    state: str
    text: str


def findings(report: Report) -> list[Finding]:
    """Checked claims that are not supported, worst first, then in file and line order."""
    found: list[tuple[int, int, int, Finding]] = []
    for order, art in enumerate(report.articles):
        for result in art.claims:
            if not is_checked(result) or result.verdict not in _SEVERITY:
                continue
            finding = Finding(
                art.article.path, result.claim.line, result.verdict.value, result.claim.text
            )
            found.append((_SEVERITY[result.verdict], order, result.claim.line, finding))
    found.sort(key=lambda item: item[:3])
    return [f for *_, f in found]


# ---------------------------------------------------------------------------- references


def reference_title(source: Source) -> str | None:
    """The document's title, else the reference's link text."""
    if source.document is not None and source.document.title:
        return source.document.title
    return source.reference.title


def shown_title(source: Source) -> str:
    """`reference_title` for a reader: an inline link's words, where the page gave no title
    (it failed, or has none), are quoted so that they do not pass for the page's title."""
    title = reference_title(source) or ""
    from_page = source.document is not None and bool(source.document.title)
    if title and not from_page and source.reference.kind == "inline":
        return f"“{title}”"
    return title


def ignored_source(reference: Reference) -> Source:
    return Source(reference=reference, status=RefStatus.IGNORED, via="none")


def all_sources(art: ArticleReport) -> list[Source]:
    """The article's sources, plus its ignored references when the pipeline left them out.

    The pipeline may or may not carry ignored references as IGNORED sources; either way each
    is listed once, so nothing excluded disappears from a report silently.
    """
    sources = list(art.sources)
    seen = {s.reference.id for s in sources}
    sources.extend(ignored_source(r) for r in art.article.ignored_references if r.id not in seen)
    return sources


def is_unreadable(source: Source) -> bool:
    """A reference that should have been read and was not."""
    return not source.status.readable and source.status is not RefStatus.IGNORED


def status_label(source: Source) -> str:
    """ "ok", "not_found", or "archived 2024-08-06" for an archived copy."""
    if source.status is RefStatus.ARCHIVED:
        when = short_date(source.document.archived_at if source.document else None)
        return f"archived {when}" if when else "archived"
    return source.status.value


def reference_problem(source: Source) -> str:
    """ "not_found (HTTP 404): gone" — the status with whatever explains it."""
    parts = [source.status.value]
    if source.http_status is not None:
        parts.append(f"(HTTP {source.http_status})")
    text = " ".join(parts)
    if source.error:
        text += f": {one_line(source.error)}"
    return text


def reference_finding(source: Source) -> str | None:
    """What a reference is among a run's findings: "dead", "blocked" or "unreadable" (it
    should have been read and was not), "archived" (read from an archived copy); None for
    one read live or ignored."""
    if is_unreadable(source):
        if source.status.dead:
            return "dead"
        return "blocked" if source.status is RefStatus.BLOCKED else "unreadable"
    return "archived" if source.status is RefStatus.ARCHIVED else None


def archived_message(source: Source) -> str:
    """ "Reference [2] https://... was read from an archived copy of 2024-08-06"."""
    ref, doc = source.reference, source.document
    when = short_date(doc.archived_at if doc else None)
    at = f" of {when}" if when else ""
    return f"Reference [{ref.id}] {ref.url} was read from an archived copy{at}"


def unreadable_sources(report: Report) -> Iterator[tuple[Article, Source]]:
    for art in report.articles:
        for source in art.sources:
            if is_unreadable(source):
                yield art.article, source


# ---------------------------------------------------------------------------- summaries


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def summary_text(summary: Summary, *, links_only: bool = False) -> str:
    """ "9 claims: 5 supported, 2 partial, …; 6 references: 4 ok" on one line."""
    counts = [
        f"{summary.supported} supported",
        f"{summary.partial} partial",
        f"{summary.unsupported} unsupported",
        f"{summary.unverifiable} unverifiable",
    ]
    extra = []
    if summary.not_checkable:
        extra.append(f"{summary.not_checkable} not checkable")
    if summary.ignored:
        extra.append(f"{summary.ignored} ignored")
    claims = f"{plural(summary.claims, 'claim')}: {', '.join(counts)}"
    if extra:
        claims += f" ({', '.join(extra)})"
    refs = f"{plural(summary.references, 'reference')}: {summary.references_ok} ok"
    if summary.references_archived:
        refs += f", {summary.references_archived} archived"
    if links_only:
        return f"links only, claims not checked; {refs}"
    return f"{claims}; {refs}"


def _join(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def next_step(report: Report, *, limit: int = 3) -> str:
    """One sentence telling the writer what to do next.

    Claims the sources do not back come first (they are the article's problem); references
    that could not be read come next (they are what keeps claims unverifiable).
    """
    several = len(report.articles) > 1
    worst = findings(report)
    unread = list(unreadable_sources(report))
    sentences = []
    if worst:
        places = [
            f"{f.path + ':' if several else 'line '}{f.line} ({f.state})" for f in worst[:limit]
        ]
        more = len(worst) - limit
        if more > 0:
            places.append(f"{more} more")
        sentences.append(f"Look first at {_join(places)}.")
    if unread:
        blocked = [s for _, s in unread if s.status is RefStatus.BLOCKED]
        refused = [s for s in blocked if (s.error or "").startswith(REFUSED)]
        if len(blocked) > len(refused):  # a bot wall or paywall
            hint = "consider --source ID=FILE for paywalled pages"
        elif refused:
            hint = "private-network addresses are refused unless --allow-private"
        else:
            hint = "replace dead links or point to an archived copy"
        sentences.append(f"{plural(len(unread), 'reference')} could not be read: {hint}.")
    if sentences:
        return " ".join(sentences)
    if report.links_only:
        return "Every reference could be read."
    if report.summary.claims == 0:
        return "No checkable claims found."
    return "All claims supported."


# ---------------------------------------------------------------------------- snippets


def _collapse(text: str) -> tuple[str, list[int]]:
    """`one_line(text)` plus, for every index of `text` (and its end), the index it maps to."""
    out: list[str] = []
    where: list[int] = []
    for ch in text:
        where.append(len(out))
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    where.append(len(out))
    while out and out[-1] == " ":
        out.pop()
    n = len(out)
    return "".join(out), [min(i, n) for i in where]


def snippet(
    text: str, highlights: Iterable[tuple[int, int]], cells: int, *, lead: int = 12
) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt of at most `cells` cells that shows the first highlight.

    Returns the excerpt and the highlight spans moved into it (clipped where it was cut).
    When the first highlight lies past the budget the excerpt starts `lead` characters
    before it, after an ellipsis, so the matched words are what the reader sees.
    """
    flat, where = _collapse(text)
    n = len(text)
    # clamp: a highlight that runs past the text (a stale offset) must not crash a report
    spans = sorted((where[min(max(0, a), n)], where[min(max(0, b), n)]) for a, b in highlights)
    spans = [(a, b) for a, b in spans if b > a]
    if cells <= 0:
        return "", []
    begin, prefix = 0, ""
    if spans and cell_len(flat[: spans[0][1]]) > cells - 1:
        begin = max(0, spans[0][0] - min(lead, cells // 3))
        # start on a word boundary when there is one nearby, so no word is shown cut
        if begin > 0 and flat[begin - 1] != " ":
            space = flat.find(" ", begin, spans[0][0])
            if space >= 0:
                begin = space + 1
        prefix = ELLIPSIS if begin > 0 else ""
    body = flat[begin:]
    room = cells - cell_len(prefix)
    shown = len(body)
    if cell_len(body) > room:
        body = shorten(body, room)
        shown = len(body) - len(ELLIPSIS)
    moved = []
    for a, b in spans:
        a, b = max(a - begin, 0), min(b - begin, shown)
        if b > a:
            moved.append((a + len(prefix), b + len(prefix)))
    return prefix + body, moved


# ---------------------------------------------------------------------------- what to fix


def matched_window(ev: Evidence) -> tuple[str, list[tuple[int, int]]]:
    """The evidence passage cut to the sentences that hold its matched words.

    A passage is a window of the source around the match and often opens with a sentence
    that has nothing to do with the claim; the reader needs the ones that match. Returns the
    text and the highlight spans moved into it (the whole passage when nothing is marked).
    """
    from verify.article.sentences import split_sentences

    text = ev.text
    spans = sorted((max(0, a), min(b, len(text))) for a, b in ev.highlights if b > a)
    if not spans:
        return text, []
    sentences = split_sentences(text) or [(0, len(text))]
    keep = [(s, e) for s, e in sentences if any(a < e and b > s for a, b in spans)]
    if not keep:
        return text, spans
    start, end = keep[0][0], keep[-1][1]
    moved = [
        (max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start
    ]
    return text[start:end], moved


def shows_passage(result: ClaimResult) -> bool:
    """Whether the best passage is worth quoting: not for an unsupported claim (the closest
    passage does not back it, and quoting it reads as if it did), unless the passage
    contradicts the claim."""
    if best_evidence(result) is None:
        return False
    return claim_state(result) != "unsupported" or result.contradicted


def quoted_passage(result: ClaimResult) -> Evidence | None:
    """The passage a report quotes for a claim: the best one, when it is worth quoting."""
    ev = best_evidence(result)
    return ev if ev is not None and shows_passage(result) else None


def fix_details(result: ClaimResult, *, limit: int = 8) -> list[tuple[str, str]]:
    """What a writer needs to fix a claim that is not supported: ("found"|"missing", words)
    for partial and unsupported claims, and ("claim says"|"source says", words) for a
    contradicted one. Empty for the rest."""
    state = verdict_label(result)
    if state == "contradicted" and result.conflict is not None:
        return [
            ("claim says", result.conflict.claim_text),
            ("source says", result.conflict.source_text),
        ]
    if state not in ("partial", "unsupported"):
        return []
    out = []
    for name, words in (("found", result.found), ("missing", result.missing)):
        if words:
            shown = ", ".join(one_line(w) for w in words[:limit])
            more = len(words) - limit
            out.append((name, shown + (f" and {more} more" if more > 0 else "")))
    return out
