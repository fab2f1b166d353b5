"""The evidence in the HTML report: for each claim, a panel saying why it got its verdict,
with the passages found and links that open each source at its passage; and each article's
table of references, with what became of each."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from verify.models import ArticleReport, ClaimResult, Evidence, Source
from verify.report.common import (
    all_sources,
    fmt_score,
    one_line,
    short_date,
    shown_title,
    status_label,
)
from verify.report.html_parts import LABEL, STATUS_WORDS, SYMBOL, esc, safe_url, state_of

# passages shown per claim: the best few are what a reader checks; the JSON has them all
MAX_PASSAGES = 3

# punctuation a passage without spaces (Chinese, Japanese) may be cut after: a browser only
# matches a text fragment on word boundaries, and these always are
_CLAUSE_END = "，。；！？、：,.;!?:"
# a passage this short is named whole: both its ends are boundaries
WHOLE_PASSAGE = 200


def _fragment_ends(text: str) -> tuple[str, str] | None:
    """The start and end of a long passage, each cut on a word boundary; None if none."""
    words = text.split(" ")
    if len(words) >= 10:
        return " ".join(words[:5]), " ".join(words[-5:])
    if " " in text:
        return None
    cuts = [i + 1 for i, ch in enumerate(text) if ch in _CLAUSE_END and 4 <= i < len(text) - 4]
    if not cuts:
        return None
    first, last = cuts[0], cuts[-1]
    if first > 60 or len(text) - last > 60:
        return None
    return text[:first], text[last:]


def text_fragment(url: str, passage: str) -> str:
    """`url` with a text fragment (`#:~:text=`) that scrolls a browser to the passage.

    A long passage is named by its first and last words (textStart,textEnd), so a small
    difference in the middle between the extracted text and the page does not lose the match.
    """
    base = url.split("#", 1)[0]
    passage = one_line(passage)
    ends = _fragment_ends(passage) if len(passage) > WHOLE_PASSAGE else None
    if ends is not None:
        spec = _fragment_part(ends[0]) + "," + _fragment_part(ends[1])
    else:
        spec = _fragment_part(passage[: 4 * WHOLE_PASSAGE])
    return f"{base}#:~:text={spec}"


def _fragment_part(text: str) -> str:
    # the syntax's own characters (- , &) must be percent-encoded inside a part, and quote()
    # leaves "-" alone
    return quote(text, safe="").replace("-", "%2D")


def _highlighted(text: str, spans: Sequence[tuple[int, int]], clash: str | None = None) -> str:
    """The passage with its matched words marked, and the words that contradict the claim
    marked apart (the matcher gives those as text, not offsets)."""
    marks = [(a, b, "") for a, b in spans]
    where = text.find(clash) if clash else -1
    if clash and where >= 0:
        marks = [(a, b, c) for a, b, c in marks if b <= where or a >= where + len(clash)]
        marks.append((where, where + len(clash), ' class="clash"'))
    out: list[str] = []
    at = 0
    for a, b, cls in sorted(marks):
        a, b = max(a, at), min(b, len(text))
        if b <= a:
            continue
        out.append(esc(text[at:a]))
        out.append(f"<mark{cls}>{esc(text[a:b])}</mark>")
        at = b
    out.append(esc(text[at:]))
    return "".join(out)


def _source_line(source: Source | None, ev: Evidence, number: int) -> str:
    """Which reference a passage came from, and a link to it scrolled to the passage."""
    bits = [f'<a href="#ref-{number}-{esc(ev.reference)}">[{esc(ev.reference)}]</a>']
    link = None
    if source is not None:
        title = shown_title(source)
        if title:
            bits.append(f"<cite>{esc(one_line(title))}</cite>")
        if source.reference.host:
            bits.append(f'<span class="host">{esc(source.reference.host)}</span>')
        bits.append(esc(status_label(source)))
        doc = source.document
        archived = doc.archived_url if doc is not None else None
        live = source.final_url or (doc.final_url if doc else None) or source.reference.url
        target = safe_url(archived) if archived else safe_url(live)
        if target:
            if ev.page is not None or (doc is not None and doc.pages):
                # a PDF viewer understands a page, not a text fragment
                href = target.split("#", 1)[0] + (f"#page={ev.page}" if ev.page else "")
            else:
                href = text_fragment(target, ev.text)
            which = "the archived copy" if archived else "the source"
            link = (
                f'<a class="open" href="{esc(href)}" rel="noreferrer noopener">'
                f"Open {which} at this passage</a>"
            )
    if ev.page is not None:
        bits.append(f"page {ev.page}")
    bits.append(f"score {fmt_score(ev.score)}")
    line = " · ".join(bits)
    return line + (f"<br>{link}" if link else "")


def _why(result: ClaimResult, state: str, sources: dict[str, Source]) -> str:
    """One sentence on why the claim got its verdict."""
    if state == "supported":
        return "A passage of the sources says this."
    if state == "partial":
        return "Part of this is in the sources; the parts marked missing are not."
    if state == "contradicted":
        return "The closest passage says otherwise."
    if state == "unsupported":
        return "No passage of the sources backs this claim."
    if state == "unverifiable":
        unread = [
            sources[r]
            for r in result.claim.references or ()
            if r in sources and not sources[r].status.readable
        ]
        why = result.note or "none of its references could be read"
        if unread:
            why += ": " + "; ".join(
                f"[{s.reference.id}] {STATUS_WORDS.get(s.status.value, s.status.value)}"
                + (f" ({one_line(s.error)})" if s.error else "")
                for s in unread
            )
        return why[:1].upper() + why[1:] + "."
    if state == "not_checkable":
        return f"Not checked: {result.note or 'nothing in it to check'}."
    return f"Not checked: {result.note or 'inside a verify-ignore comment'}."


def _words(label: str, cls: str, words: Sequence[str]) -> str:
    if not words:
        return ""
    items = "".join(f'<li class="{cls}">{esc(one_line(w))}</li>' for w in words)
    return f'<div class="words"><span class="wl">{label}</span><ul>{items}</ul></div>'


def evidence_panel(
    result: ClaimResult, key: str, number: int, path: str, sources: dict[str, Source]
) -> str:
    state = state_of(result)
    checked = state not in ("ignored", "not_checkable")
    parts = [
        f'<section class="ev e-{state}" id="ev-{key}" hidden aria-labelledby="evh-{key}">',
        '<button type="button" class="close" aria-label="Close the evidence">×</button>',
        f'<h3 id="evh-{key}"><span class="verdict s-{state}">'
        f'<span aria-hidden="true">{SYMBOL[state]}</span> {esc(LABEL[state])}</span>'
        + (f" · score {fmt_score(result.score)}" if checked else "")
        + f' · <span class="where">{esc(path)}:{result.claim.line}</span></h3>',
        f'<blockquote class="said">{esc(one_line(result.claim.text))}</blockquote>',
        f'<p class="why">{esc(_why(result, state, sources))}</p>',
    ]
    conflict = result.conflict
    if conflict is not None and result.contradicted:
        kind = conflict.kind
        parts.append(
            '<div class="conflict"><p class="wl">The two sides'
            + (f" (they differ: {esc(kind)})" if kind else "")
            + "</p><dl>"
            f"<dt>The article says</dt><dd>{esc(conflict.claim_text)}</dd>"
            f"<dt>The source says</dt><dd>{esc(conflict.source_text)}</dd>"
            "</dl></div>"
        )
    if (checked and state != "supported") or result.missing:
        parts.append(_words("Found in the source", "found", result.found))
        parts.append(_words("Missing from the source", "missing", result.missing))
    elif result.found:
        parts.append(_words("Found in the source", "found", result.found))
    if result.evidence:
        heading = "Passage" if len(result.evidence) == 1 else "Passages"
        if state == "unsupported":
            heading = "Closest passage (it does not back the claim)"
        parts.append(f'<p class="wl">{heading}</p>')
        clash = result.conflict.source_text if result.contradicted and result.conflict else None
        for n, ev in enumerate(result.evidence[:MAX_PASSAGES]):
            passage = _highlighted(ev.text, ev.highlights, clash if n == 0 else None)
            parts.append(
                '<figure class="passage">'
                f"<blockquote>{passage}</blockquote>"
                f"<figcaption>{_source_line(sources.get(ev.reference), ev, number)}"
                "</figcaption></figure>"
            )
        if len(result.evidence) > MAX_PASSAGES:
            parts.append(
                f'<p class="more">{len(result.evidence) - MAX_PASSAGES} more in the JSON '
                "report.</p>"
            )
    elif checked:
        parts.append('<p class="none">No passage found.</p>')
    refs = list(dict.fromkeys(result.claim.references or ()))
    if refs:
        links = ", ".join(f'<a href="#ref-{number}-{esc(r)}">[{esc(r)}]</a>' for r in refs)
        parts.append(f'<p class="cites">Cites {links}</p>')
    parts.append("</section>")
    return "".join(parts)


def references_table(art: ArticleReport, number: int) -> str:
    sources = all_sources(art)
    if not sources:
        return ""
    rows = []
    for s in sources:
        ref = s.reference
        doc = s.document
        url = safe_url(ref.url)
        title = shown_title(s) or ref.url
        name = (
            f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(one_line(title))}</a>'
            if url
            else esc(one_line(title))
        )
        extra = f'<div class="url">{esc(ref.url)}</div>'
        archived = ""
        if doc is not None and doc.archived_url:
            snap = safe_url(doc.archived_url)
            when = short_date(doc.archived_at) or "snapshot"
            archived = (
                f'<a href="{esc(snap)}" rel="noreferrer noopener">{esc(when)}</a>'
                if snap
                else esc(when)
            )
        status = esc(STATUS_WORDS.get(s.status.value, s.status.value))
        if s.error and not s.status.readable:
            status += f'<div class="err">{esc(one_line(s.error))}</div>'
        rows.append(
            f'<tr id="ref-{number}-{esc(ref.id)}" class="r-{esc(s.status.value)}">'
            f'<td data-label="ID">{esc(ref.id)}</td><td data-label="Source">{name}{extra}</td>'
            f'<td data-label="Status"><span class="st r-{esc(s.status.value)}">{status}</span></td>'
            f'<td data-label="HTTP">{"" if s.http_status is None else s.http_status}</td>'
            f'<td data-label="Via">{esc(s.via)}</td>'
            f'<td data-label="Archived">{archived}</td></tr>'
        )
    return (
        f'<section class="refs" aria-labelledby="refs-{number}">'
        f'<h2 id="refs-{number}">References</h2><div class="scroll"><table>'
        "<thead><tr><th scope=col>ID</th><th scope=col>Source</th><th scope=col>Status</th>"
        "<th scope=col>HTTP</th><th scope=col>Via</th><th scope=col>Archived</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )
