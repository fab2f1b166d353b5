"""The HTML report: the article as its writer wrote it, each claim marked by its verdict, and
its evidence one click (or one key) away.

This module is the page: the summary at the top, the list of problems to look at first, each
article with its evidence beside it, and the inline style and script. Its pieces:

    html_article    the article's markdown rendered with its claims marked
    html_evidence   each claim's evidence panel, and the table of references
    html_parts      what they share: the states' names and symbols, escaping, safe links
    html.css, html.js   the style and the script, inlined into every page

One self-contained file: the style and the script are inline and allowed by their SHA-256
hashes in a Content-Security-Policy that forbids everything else (no request to any server,
no other script, no plugin, no form), so it works from file:// and anything a page or an
article smuggled into a title or a passage is shown as text, never run. Every string from an
article or a page goes through `html.escape` (html_parts.esc).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from importlib.resources import files

from verify import __version__
from verify.models import ClaimResult, Report
from verify.report.common import all_sources, next_step, one_line, summary_text
from verify.report.html_article import render_article
from verify.report.html_evidence import evidence_panel, references_table
from verify.report.html_parts import LABEL, PROBLEMS, SYMBOL, badge, esc, state_of

# the states drawn in the summary bar, in the order they are drawn
BAR = ("supported", "partial", "unverifiable", "unsupported", "contradicted")
# how many problems the "look first at" list names before saying how many more there are
LOOK_FIRST = 12


def _asset(name: str) -> str:
    # the bytes as they are, with no newline translation: the policy pins them by their hash
    return files(__package__).joinpath(name).read_bytes().decode("utf-8")


STYLE = _asset("html.css")
SCRIPT = _asset("html.js")


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
                    f"{esc(one_line(r.claim.text))}</mark>{badge(key, state)}</li>"
                )
            parts.append(
                '<section class="loose"><h3>Sentences not placed in the text above</h3>'
                f'<ul class="md">{"".join(items)}</ul></section>'
            )
        parts.append(references_table(art, number))
        parts.append("</article>")
        articles.append("".join(parts))
        for r in art.claims:
            panels.append(
                evidence_panel(r, f"{number}-{r.claim.index}", number, art.article.path, sources)
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
