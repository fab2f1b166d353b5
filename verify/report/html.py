"""The HTML report: the article as its writer wrote it, each claim marked by its verdict, and
its evidence one click (or one key) away.

One self-contained file: the style and the script are inline and allowed by their SHA-256
hashes in a Content-Security-Policy that forbids everything else (no request to any server,
no other script, no plugin, no form), so it works from file:// and anything a page or an
article smuggled into a title or a passage is shown as text, never run. Every string from an
article or a page goes through `html.escape`; the article's own markdown is rendered with raw
HTML turned off, and its pictures are shown as their alt text rather than fetched.

Claims are placed in the rendered article by their line (markdown-it maps each block to its
source lines) and their text; a claim that cannot be placed (a table row, a sentence the
parser pieced together) is still listed, below the article, so none goes missing.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from verify import __version__
from verify.models import ArticleReport, ClaimResult, Evidence, Report, Source
from verify.report.common import (
    all_sources,
    fmt_score,
    next_step,
    one_line,
    short_date,
    shown_title,
    status_label,
    summary_text,
    verdict_label,
)

# What each state is called, the symbol that tells it apart without colour, and the order a
# reader should look at problems in.
LABEL = {
    "contradicted": "contradicted",
    "unsupported": "unsupported",
    "partial": "partial",
    "unverifiable": "unverifiable",
    "supported": "supported",
    "not_checkable": "not checkable",
    "ignored": "ignored",
}
SYMBOL = {
    "contradicted": "≠",
    "unsupported": "✗",
    "partial": "◐",
    "unverifiable": "?",
    "supported": "✓",
    "not_checkable": "·",
    "ignored": "·",
}
PROBLEMS = ("contradicted", "unsupported", "partial", "unverifiable")
# the states drawn in the summary bar, in the order they are drawn
BAR = ("supported", "partial", "unverifiable", "unsupported", "contradicted")
# passages shown per claim: the best few are what a reader checks; the JSON has them all
MAX_PASSAGES = 3
# how many problems the "look first at" list names before saying how many more there are
LOOK_FIRST = 12

STATUS_WORDS = {
    "ok": "read",
    "archived": "read from an archived copy",
    "not_found": "not found (gone)",
    "blocked": "blocked (a wall, a login or a refusal)",
    "error": "server error",
    "unreachable": "unreachable",
    "too_large": "too large to read",
    "unsupported": "a kind of file that cannot be read",
    "empty": "no text in it",
    "ignored": "ignored",
}


def esc(text: object) -> str:
    """Text from an article or a page, made inert in element content and quoted attributes."""
    return html.escape(str(text), quote=True)


def state_of(result: ClaimResult) -> str:
    """What the page calls a claim's state: `verdict_label` ("contradicted" for an unsupported
    claim its source says otherwise to)."""
    return verdict_label(result)


def safe_url(url: str | None) -> str | None:
    """The URL when it can be a link that only leaves the file on a click: http(s) only."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


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


# ---------------------------------------------------------------------------- the article


@dataclass
class _Placed:
    """Claims placed in the rendered article, by key; the rest are listed after it."""

    keys: set[str] = field(default_factory=set)


def _markdown() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )
    md.add_render_rule("text", _render_text)
    md.add_render_rule("code_inline", _render_code)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    return md


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    if tok.meta and "html" in tok.meta:
        return str(tok.meta["html"])
    return esc(tok.content)


def _render_code(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    code = f"<code>{esc(tok.content)}</code>"
    return str(tok.meta["html"]).replace("\0", code) if tok.meta and "html" in tok.meta else code


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # a link in the article opens only on a click, and tells the site nothing of the report
    tok = tokens[idx]
    href = safe_url(str(tok.attrGet("href") or ""))
    if href is None:
        return '<a class="nolink">'
    return f'<a href="{esc(href)}" rel="noreferrer noopener">'


def _render_link_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    after = str(tok.meta.get("html", "")) if tok.meta else ""
    return "</a>" + after


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # a picture would be a request to its server the moment the report is opened
    alt = "".join(c.content for c in tokens[idx].children or [])
    return f'<span class="img">[picture{": " + esc(alt) if alt else ""}]</span>'


def _plain_pieces(children: Sequence[Token]) -> tuple[str, list[tuple[int, int]]]:
    """The text a reader sees of an inline run, and each child's [start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for tok in children:
        if tok.type in ("text", "code_inline"):
            piece = tok.content
        elif tok.type == "softbreak":
            piece = " "
        elif tok.type == "hardbreak":
            piece = "\n"
        else:
            piece = ""
        spans.append((pos, pos + len(piece)))
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), spans


def locate(plain: str, sentence: str, start: int = 0) -> tuple[int, int] | None:
    """Where `sentence` lies in `plain`, ignoring whitespace and allowing a few characters of
    `plain` the sentence lacks (citation markers such as "[1]" the parser dropped)."""
    target = [ch for ch in sentence if not ch.isspace()]
    if not target:
        return None
    chars = [(ch, i) for i, ch in enumerate(plain) if i >= start and not ch.isspace()]
    budget = 6 + len(target) // 10
    for s, (ch, _) in enumerate(chars):
        if ch != target[0]:
            continue
        i, j, skipped = 0, s, 0
        while i < len(target) and j < len(chars):
            if chars[j][0] == target[i]:
                i += 1
            else:
                skipped += 1
                if skipped > budget:
                    break
            j += 1
        if i == len(target):
            return chars[s][1], chars[j - 1][1] + 1
    return None


def _badge(key: str, state: str) -> str:
    return (
        f'<button type="button" class="badge s-{state}" id="c-{key}" data-claim="{key}" '
        f'aria-controls="ev-{key}" aria-expanded="false" '
        f'aria-label="{esc(LABEL[state])}: show the evidence">'
        f'<span aria-hidden="true">{SYMBOL[state]}</span></button>'
    )


def _enclosing_blocks(tokens: Sequence[Token], idx: int) -> list[Token]:
    """The opening tokens of the blocks that hold the inline token at `idx`, innermost first."""
    found: list[Token] = []
    level = tokens[idx].level
    for k in range(idx - 1, -1, -1):
        tok = tokens[k]
        if tok.nesting == 1 and tok.level < level:
            found.append(tok)
            level = tok.level
            if level == 0:
                break
    return found


def _mark_inline(
    inline: Token, ranges: list[tuple[int, int, str, str]], tokens: Sequence[Token], idx: int
) -> None:
    """Wrap each claim's text in the inline run with marks, and put its badge after it."""
    children = inline.children or []
    _, spans = _plain_pieces(children)
    depth = 0
    pending: list[str] = []  # badges waiting for the link they fall in to close
    for tok, (s, e) in zip(children, spans, strict=True):
        if tok.type == "link_open":
            depth += 1
            continue
        if tok.type == "link_close":
            depth = max(0, depth - 1)
            if depth == 0 and pending:
                tok.meta = {**(tok.meta or {}), "html": "".join(pending)}
                pending = []
            continue
        if tok.type not in ("text", "code_inline") or e <= s:
            continue
        out: list[str] = []
        at = s
        for a, b, key, state in ranges:
            if b <= s or a >= e:
                continue
            lo, hi = max(a, s), min(b, e)
            if tok.type == "text":
                out.append(esc(tok.content[at - s : lo - s]))
                piece = esc(tok.content[lo - s : hi - s])
            else:
                piece = "\0"  # the code element itself, filled in by _render_code
            out.append(f'<mark class="claim s-{state}" data-claim="{key}">{piece}</mark>')
            at = hi
            if s < b <= e:
                if depth:
                    pending.append(_badge(key, state))
                else:
                    out.append(_badge(key, state))
        if not out:
            continue
        if tok.type == "text":
            out.append(esc(tok.content[at - s :]))
        tok.meta = {**(tok.meta or {}), "html": "".join(out)}
    states = {state for *_, state in ranges}
    classes = "has-claim" + (" has-problem" if states & set(PROBLEMS) else "")
    for block in _enclosing_blocks(tokens, idx):
        if block.type in ("th_open", "td_open", "tr_open", "thead_open", "tbody_open"):
            continue
        if not block.hidden:
            block.attrJoin("class", classes)


def render_article(art: ArticleReport, number: int) -> tuple[str, list[ClaimResult]]:
    """The article's markdown as HTML with its claims marked; and the claims not placed."""
    md = _markdown()
    env: dict[str, Any] = {"docId": f"a{number}"}
    tokens = md.parse(art.article.text, env)
    pending = [r for r in art.claims]
    placed: set[int] = set()
    for idx, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.map or not tok.children:
            continue
        first, last = tok.map[0] + 1, tok.map[1]
        plain, _ = _plain_pieces(tok.children)
        cursor = 0
        ranges: list[tuple[int, int, str, str]] = []
        for r in pending:
            if r.claim.index in placed or not first <= r.claim.line <= last:
                continue
            where = locate(plain, r.claim.text, cursor)
            if where is None:
                continue
            placed.add(r.claim.index)
            cursor = where[1]
            ranges.append((where[0], where[1], f"{number}-{r.claim.index}", state_of(r)))
        if ranges:
            _mark_inline(tok, ranges, tokens, idx)
    body = md.renderer.render(tokens, md.options, env)
    return body, [r for r in art.claims if r.claim.index not in placed]


# ---------------------------------------------------------------------------- evidence


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


def _evidence_panel(
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


# ---------------------------------------------------------------------------- references


def _references(art: ArticleReport, number: int) -> str:
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


# ---------------------------------------------------------------------------- summary


def _counts(results: Sequence[ClaimResult]) -> dict[str, int]:
    counts = dict.fromkeys(LABEL, 0)
    for r in results:
        counts[state_of(r)] += 1
    return counts


def _bar(counts: dict[str, int], label: str) -> str:
    """The verdict counts as one stacked bar (SVG: its sizes are attributes, which the CSP
    allows, where inline style attributes would need 'unsafe-inline')."""
    total = sum(counts[s] for s in BAR)
    if not total:
        return ""
    rects, x = [], 0.0
    for state in BAR:
        n = counts[state]
        if not n:
            continue
        w = 100 * n / total
        rects.append(
            f'<rect class="s-{state}" x="{x:.3f}%" y="0" width="{w:.3f}%" height="100%">'
            f"<title>{n} {LABEL[state]}</title></rect>"
        )
        x += w
    return (
        f'<svg class="bar" role="img" aria-label="{esc(label)}" width="100%" height="14">'
        + "".join(rects)
        + "</svg>"
    )


def _legend(counts: dict[str, int]) -> str:
    items = [
        f'<li><span class="sw s-{s}" aria-hidden="true">{SYMBOL[s]}</span> '
        f"{counts[s]} {LABEL[s]}</li>"
        for s in (*BAR, "not_checkable", "ignored")
        if counts[s] or s in BAR[:4]
    ]
    return f'<ul class="legend">{"".join(items)}</ul>'


def _look_first(report: Report) -> str:
    order = {s: i for i, s in enumerate(PROBLEMS)}
    found = []
    for number, art in enumerate(report.articles):
        for r in art.claims:
            state = state_of(r)
            if state in order:
                found.append((order[state], number, r.claim.line, r, state))
    if not found:
        return ""
    found.sort(key=lambda item: item[:3])
    several = len(report.articles) > 1
    items = []
    for _, number, line, r, state in found[:LOOK_FIRST]:
        where = f"{report.articles[number].article.path}:{line}" if several else f"line {line}"
        text = one_line(r.claim.text)
        if len(text) > 90:
            text = text[:89] + "…"
        items.append(
            f'<li><a href="#c-{number}-{r.claim.index}" data-open="{number}-{r.claim.index}">'
            f'<span class="verdict s-{state}"><span aria-hidden="true">{SYMBOL[state]}</span> '
            f"{LABEL[state]}</span> {esc(where)}</a> {esc(text)}</li>"
        )
    more = len(found) - LOOK_FIRST
    tail = f'<p class="more">and {more} more: use “Next problem”.</p>' if more > 0 else ""
    return (
        '<section class="first" aria-labelledby="lookfirst"><h2 id="lookfirst">Look first at</h2>'
        f"<ol>{''.join(items)}</ol>{tail}</section>"
    )


# ---------------------------------------------------------------------------- the page


def render_html(report: Report) -> str:
    several = len(report.articles) > 1
    all_claims = [r for a in report.articles for r in a.claims]
    total = _counts(all_claims)
    summary = summary_text(report.summary, links_only=report.links_only)
    title = "verify report"
    if len(report.articles) == 1:
        art = report.articles[0].article
        title += ": " + one_line(art.title or art.path)
    head = [
        '<header class="top">',
        f"<h1>{esc(title)}</h1>",
        _bar(total, "Verdicts: " + summary),
        _legend(total),
        f'<p class="summary">{esc(summary)}</p>',
        f'<p class="next"><strong>Next:</strong> {esc(next_step(report))}</p>',
        *(f'<p class="notice" role="note">⚠ {esc(one_line(n))}</p>' for n in report.notices),
        '<div class="tools" role="group" aria-label="Filters and navigation">'
        '<label><input type="checkbox" id="only"> Show only problems</label>'
        '<button type="button" id="prev">Previous problem</button>'
        '<button type="button" id="next">Next problem</button>'
        '<span class="keys">Keys: n next, p previous, Esc close</span></div>',
        "</header>",
    ]
    toc = ""
    if several:
        entries = []
        for number, art in enumerate(report.articles):
            line = summary_text(art.summary, links_only=art.links_only)
            name = art.article.title or art.article.path
            entries.append(
                f'<li><a href="#art-{number}">{esc(one_line(name))}</a> '
                f'<span class="path">{esc(art.article.path)}</span>'
                f"{_bar(_counts(art.claims), line)}<div class=small>{esc(line)}</div></li>"
            )
        toc = (
            '<nav class="toc" aria-labelledby="toch"><h2 id="toch">Articles</h2>'
            f"<ol>{''.join(entries)}</ol></nav>"
        )
    articles, panels = [], []
    for number, art in enumerate(report.articles):
        sources = {s.reference.id: s for s in all_sources(art)}
        body, loose = render_article(art, number)
        name = art.article.title or art.article.path
        parts = [
            f'<article id="art-{number}" aria-labelledby="arth-{number}">',
            f'<h2 id="arth-{number}" class="arth">{esc(one_line(name))}</h2>',
            f'<p class="path">{esc(art.article.path)}'
            + (f" · {esc(art.article.date)}" if art.article.date else "")
            + f" · {esc(summary_text(art.summary, links_only=art.links_only))}</p>",
            f'<div class="md">{body}</div>',
        ]
        if loose:
            items = []
            for r in loose:
                key = f"{number}-{r.claim.index}"
                state = state_of(r)
                cls = "has-claim" + (" has-problem" if state in PROBLEMS else "")
                items.append(
                    f'<li class="{cls}"><span class="line">line {r.claim.line}</span> '
                    f'<mark class="claim s-{state}" data-claim="{key}">'
                    f"{esc(one_line(r.claim.text))}</mark>{_badge(key, state)}</li>"
                )
            parts.append(
                '<section class="loose"><h3>Sentences not placed in the text above</h3>'
                f'<ul class="md">{"".join(items)}</ul></section>'
            )
        parts.append(_references(art, number))
        parts.append("</article>")
        articles.append("".join(parts))
        for r in art.claims:
            panels.append(
                _evidence_panel(r, f"{number}-{r.claim.index}", number, art.article.path, sources)
            )
    hint = (
        '<p id="hint" class="hint">Click a marked sentence, or tab to its symbol, to see why it '
        "got its verdict.</p>"
    )
    style_hash = _sha256(STYLE)
    script_hash = _sha256(SCRIPT)
    csp = (
        "default-src 'none'; "
        f"style-src '{style_hash}'; script-src '{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="' + esc(_language(report)) + '"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="verify {esc(report.tool_version or __version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        '<body><a class="skip" href="#main">Skip to the article</a>\n'
        + "".join(head)
        + '\n<div class="layout"><main id="main">'
        + toc
        + _look_first(report)
        + "".join(articles)
        + '</main>\n<aside id="panel" aria-label="Evidence" aria-live="polite">'
        + hint
        + "".join(panels)
        + "</aside></div>\n"
        f"<script>{SCRIPT}</script>\n</body></html>\n"
    )


def _language(report: Report) -> str:
    langs = {a.article.language for a in report.articles if a.article.language}
    return langs.pop() if len(langs) == 1 else "en"


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


STYLE = """
:root{--fg:#1b1b1b;--muted:#555;--bg:#fff;--line:#d0d0d0;--panel:#f7f7f5;
--ok:#1e7a34;--okbg:#dff3e3;--part:#8a5a00;--partbg:#fff0c2;--bad:#b3261e;--badbg:#fde0dd;
--con:#7a1fa2;--conbg:#f3e0fa;--unv:#4a4a8a;--unvbg:#e6e6f5;--link:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC",
"Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header.top{padding:16px 24px;border-bottom:1px solid var(--line)}
h1{font-size:1.3rem;margin:0 0 8px}
.bar{display:block;max-width:640px;border-radius:3px;background:#eee}
rect.s-supported{fill:var(--ok)}rect.s-partial{fill:#d99a00}rect.s-unsupported{fill:var(--bad)}
rect.s-contradicted{fill:var(--con)}rect.s-unverifiable{fill:#8a8ab8}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.summary,.path,.small,.keys,.url,.err,.more,.hint{color:var(--muted)}
.small,.url,.err,.keys{font-size:.85rem}
.url{word-break:break-all}
.tools{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
.tools button,.close{font:inherit;padding:2px 10px;border:1px solid #767676;border-radius:4px;
background:#fff;color:var(--fg);cursor:pointer}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,26rem);gap:0}
main{padding:8px 24px 48px;max-width:48rem}
#panel{position:sticky;top:0;align-self:start;height:100vh;overflow:auto;
background:var(--panel);border-left:1px solid var(--line);padding:16px}
.md{overflow-wrap:anywhere}
.md blockquote{margin:0 0 1em;padding-left:1em;border-left:3px solid var(--line)}
.md pre{overflow:auto;background:#f3f3f3;padding:8px}
.md table{border-collapse:collapse}.md td,.md th{border:1px solid var(--line);padding:2px 6px}
.img{color:var(--muted);font-style:italic}
mark.claim{background:none;color:inherit;cursor:pointer;text-decoration-thickness:2px;
text-underline-offset:3px;text-decoration-line:underline;padding:1px 0}
mark.claim.s-supported{text-decoration-color:var(--ok);text-decoration-style:solid}
mark.claim.s-partial{background:var(--partbg);text-decoration-color:var(--part);
text-decoration-style:dashed}
mark.claim.s-unsupported{background:var(--badbg);text-decoration-color:var(--bad);
text-decoration-style:wavy}
mark.claim.s-contradicted{background:var(--conbg);text-decoration-color:var(--con);
text-decoration-style:double}
mark.claim.s-unverifiable{background:var(--unvbg);text-decoration-color:var(--unv);
text-decoration-style:dotted}
mark.claim.s-not_checkable,mark.claim.s-ignored{text-decoration:none;cursor:default}
mark.claim.active{outline:2px solid var(--fg);outline-offset:1px}
.badge{font:inherit;font-size:.8rem;line-height:1;margin:0 2px;padding:2px 5px;
border-radius:8px;border:1px solid currentColor;background:#fff;cursor:pointer;
vertical-align:1px}
.s-supported{color:var(--ok)}.s-partial{color:var(--part)}.s-unsupported{color:var(--bad)}
.s-contradicted{color:var(--con)}.s-unverifiable{color:var(--unv)}
.s-not_checkable,.s-ignored{color:var(--muted)}
mark.claim[class]{color:inherit}
.badge[aria-expanded=true]{background:var(--fg);color:#fff}
.badge:focus-visible,.tools button:focus-visible,a:focus-visible{outline:3px solid var(--link);
outline-offset:2px}
.verdict{font-weight:600}
.ev h3{font-size:1rem;margin:0 2rem 8px 0}
.ev{position:relative}
.close{position:absolute;right:0;top:0;padding:0 8px}
.said{margin:0 0 8px;padding:4px 10px;border-left:3px solid var(--line);background:#fff}
.why{font-weight:600;margin:4px 0}
.wl{font-weight:600;margin:8px 0 2px;font-size:.9rem;display:block}
.words ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:4px}
.words li{padding:0 6px;border-radius:4px;border:1px solid var(--line);background:#fff}
.words li.found{border-color:var(--ok)}
.words li.missing{border-style:dashed;border-color:var(--bad)}
.words li.found::before{content:"✓ ";color:var(--ok)}
.words li.missing::before{content:"✗ ";color:var(--bad)}
.conflict dl{margin:0}.conflict dt{font-size:.85rem;color:var(--muted)}
.conflict dd{margin:0 0 4px;padding:2px 8px;background:var(--conbg)}
.passage{margin:4px 0 12px}
.passage blockquote{margin:0;padding:6px 10px;background:#fff;border:1px solid var(--line)}
.passage mark{background:#ffe58a;color:inherit;font-weight:600}
.passage mark.clash{background:var(--conbg);outline:2px solid var(--con)}
.passage figcaption{font-size:.85rem;color:var(--muted);margin-top:2px}
.passage figcaption a.open{font-weight:600}
.host{font-family:ui-monospace,monospace}
.refs table{border-collapse:collapse;width:100%;font-size:.9rem}
.refs th,.refs td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;
vertical-align:top}
.scroll{overflow-x:auto}
.st.r-ok{color:var(--ok)}.st.r-archived{color:#006680}
.st.r-not_found,.st.r-unreachable,.st.r-blocked,.st.r-error{color:var(--bad)}
tr:target{background:#fff8d6}
.first ol{padding-left:1.4rem}.first li{margin:2px 0}
.toc ol{padding-left:1.4rem}
.loose li{list-style:none;margin:4px 0}
.line{color:var(--muted);font-size:.85rem;margin-right:6px}
.only .md>:not(.has-problem),.only .md li:not(.has-problem){display:none}
.only mark.claim.s-supported,.only mark.claim.s-not_checkable{text-decoration:none}
.only .badge.s-supported,.only .badge.s-not_checkable,.only .badge.s-ignored{display:none}
@media (max-width:900px){
.layout{display:block}
main{padding:8px 14px 50vh}
header.top{padding:12px 14px}
#panel{position:fixed;left:0;right:0;bottom:0;top:auto;height:auto;max-height:55vh;
border-left:0;border-top:2px solid var(--fg);box-shadow:0 -4px 12px rgba(0,0,0,.15)}
#panel:not(.open){display:none}
.refs thead{display:none}
.refs table,.refs tbody,.refs tr,.refs td{display:block}
.refs tr{padding:6px 0;border-bottom:1px solid var(--line)}
.refs td{border:0;padding:0 4px}
.refs td:empty{display:none}
.refs td::before{content:attr(data-label) ": ";color:var(--muted);font-size:.85rem}}
@media print{
.tools,.skip,.badge,.close,.hint{display:none}
.layout{display:block}
#panel{position:static;max-height:none;border:0;background:none;display:block}
.ev{display:block!important;break-inside:avoid;border-top:1px solid var(--line);
padding-top:6px}
.ev.e-supported,.ev.e-not_checkable,.ev.e-ignored{display:none!important}
mark.claim{background:none}
a{color:inherit}}
"""

SCRIPT = """
(function () {
  'use strict';
  var panel = document.getElementById('panel');
  var hint = document.getElementById('hint');
  var current = null;
  var returning = false;
  function badges() {
    var all = Array.prototype.slice.call(document.querySelectorAll('button.badge'));
    return all.filter(function (b) {
      return b.offsetParent !== null && /s-(partial|unsupported|contradicted|unverifiable)/
        .test(b.className);
    });
  }
  function open(key, focus) {
    var ev = document.getElementById('ev-' + key);
    if (!ev) return;
    close();
    ev.hidden = false;
    hint.hidden = true;
    panel.classList.add('open');
    current = key;
    document.querySelectorAll('mark.claim[data-claim="' + key + '"]').forEach(function (m) {
      m.classList.add('active');
    });
    var b = document.getElementById('c-' + key);
    if (b) {
      b.setAttribute('aria-expanded', 'true');
      if (focus) { b.focus(); b.scrollIntoView({block: 'center'}); }
    }
  }
  function close() {
    if (current === null) return;
    var ev = document.getElementById('ev-' + current);
    if (ev) ev.hidden = true;
    document.querySelectorAll('mark.claim.active').forEach(function (m) {
      m.classList.remove('active');
    });
    var b = document.getElementById('c-' + current);
    if (b) b.setAttribute('aria-expanded', 'false');
    panel.classList.remove('open');
    hint.hidden = false;
    current = null;
  }
  function dismiss() {
    // closing gives the focus back to the claim's symbol, not to the top of the page
    var b = current === null ? null : document.getElementById('c-' + current);
    close();
    returning = true;  // focus events fire within focus(): this one must not reopen it
    if (b) b.focus();
    returning = false;
  }
  function step(by) {
    var list = badges();
    if (!list.length) return;
    var at = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].dataset.claim === current) at = i;
    }
    var next = at < 0 ? (by > 0 ? 0 : list.length - 1) : (at + by + list.length) % list.length;
    open(list[next].dataset.claim, true);
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.closest('.close')) { dismiss(); return; }
    var jump = t.closest('[data-open]');
    if (jump) { e.preventDefault(); open(jump.dataset.open, true); return; }
    if (t.closest('a')) return;
    var claim = t.closest('[data-claim]');
    // focus already opened a symbol's claim: a click must not close it again
    if (claim && claim.dataset.claim !== current) open(claim.dataset.claim, false);
  });
  document.addEventListener('focusin', function (e) {
    var b = e.target.closest && e.target.closest('button.badge');
    if (b && !returning && b.dataset.claim !== current) open(b.dataset.claim, false);
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea') return;
    if (e.key === 'n' || e.key === 'j') { step(1); e.preventDefault(); }
    else if (e.key === 'p' || e.key === 'k') { step(-1); e.preventDefault(); }
    else if (e.key === 'Escape') { dismiss(); }
  });
  document.getElementById('next').addEventListener('click', function () { step(1); });
  document.getElementById('prev').addEventListener('click', function () { step(-1); });
  var only = document.getElementById('only');
  only.addEventListener('change', function () {
    document.body.classList.toggle('only', only.checked);
  });
  if (location.hash.indexOf('#c-') === 0) open(location.hash.slice(3), true);
})();
"""
