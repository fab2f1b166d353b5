"""The Markdown report: a pull-request comment.

A one-line verdict up top, the claims that need a look with their file:line, and the full
tables folded away in <details> so a long article does not swamp the conversation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from verify.models import ArticleReport, ClaimResult, Report, Source
from verify.report.common import (
    all_sources,
    checked_against,
    claim_state,
    conflict_phrase,
    evidence_phrase,
    findings,
    fix_details,
    fmt_score,
    is_unreadable,
    matched_window,
    next_step,
    one_line,
    plural,
    quoted_passage,
    shorten,
    shown_title,
    snippet,
    status_label,
    summary_text,
    verdict_label,
)
from verify.untrusted import clean

# A comment should stay readable: a claim or evidence this long is cut in the tables.
CELL_CELLS = 160
# GitHub's limit is 65,536 characters; the Action prepends a marker line.
COMMENT_LIMIT = 65_000
SHORTENED = (
    "_The full report is too long for a comment: only problems are shown here. "
    "The JSON report has everything._"
)
TRUNCATED = "_… cut to fit a comment: the JSON report has everything._"
ICON = {"ok": "✅", "warn": "⚠️", "fail": "❌"}


_MARKUP = re.compile(r"([\\`*_\[\]])")
_AUTOLINK = re.compile(r"https?://[^\s<>|`\\]+")
_NEWLINES = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")


# GitHub turns @name and @org/team into a notification, and #12 or org/repo#12 into a link
# (and a back-reference in that issue): a zero-width space after the sign keeps them text.
_MENTION = re.compile(r"(?<![\w@])@(?=[A-Za-z0-9_-])|(?<!&)#(?=\d)|(?<=\bGH)-(?=\d)")
_ZWSP = "\u200b"


def quiet(text: str) -> str:
    """Text that mentions nobody and links no issue."""
    return _MENTION.sub(lambda m: m.group() + _ZWSP, text)


def inline(text: str) -> str:
    """Text shown as written in Markdown, on one line: no HTML, no emphasis or links by
    accident, no heading or comment it could open, no mention."""
    flat = _NEWLINES.sub(" ", clean(text))
    return quiet(_MARKUP.sub(r"\\\1", html.escape(flat, quote=False)))


def code(text: str) -> str:
    """A code span holding `text` on one line, whatever backticks it has: the fence is one
    backtick longer than its longest run, so the text cannot close it."""
    flat = _NEWLINES.sub(" ", clean(text)).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def summary_html(text: str) -> str:
    """The text of a <summary>: escaped HTML on one line."""
    return quiet(html.escape(_NEWLINES.sub(" ", clean(text))))


def cell(text: str | None) -> str:
    """Text made safe for a GFM table cell: no row-breaking newline or |."""
    if not text:
        return ""
    escaped = quiet(_MARKUP.sub(r"\\\1", html.escape(clean(text), quote=False)))
    return _NEWLINES.sub("<br>", escaped).replace("|", "\\|")


def link(url: str) -> str:
    """A clickable autolink when the URL can be one; escaped text otherwise."""
    if _AUTOLINK.fullmatch(url):
        return f"<{url}>"
    return cell(url)


def render_markdown(report: Report, *, limit: int = COMMENT_LIMIT) -> str:
    """The comment; past `limit` characters only the problems are tabulated, then only listed.

    GitHub refuses a comment longer than 65,536 characters, and a site with many posts can
    produce more than that: the comment must still say what is wrong.
    """
    text = _render(report, tables="all")
    if len(text) > limit:
        text = _render(report, tables="problems")
    if len(text) > limit:
        text = _render(report, tables="none")
    if len(text) > limit:
        text = text[: limit - 200].rsplit("\n", 1)[0] + "\n\n" + TRUNCATED + "\n"
    return text


def _render(report: Report, *, tables: str) -> str:
    summary = report.summary
    if summary.unsupported or _dead(report):
        icon = ICON["fail"]
    elif (
        summary.partial
        or summary.unverifiable
        or summary.references_ok < summary.references
        or report.notices
    ):
        icon = ICON["warn"]
    else:
        icon = ICON["ok"]
    lines = [
        "## verify report",
        "",
        f"{icon} {summary_text(summary, links_only=report.links_only)}",
        "",
        f"**Next:** {inline(next_step(report))}",
        "",
    ]
    # how the run was set up, when the pull request itself could have set it
    lines += [f"> ⚠️ {inline(one_line(n))}" for n in report.notices]
    if report.notices:
        lines.append("")
    if tables != "all":
        lines += [SHORTENED, ""]
    several = len(report.articles) > 1
    unsupported = [f for f in findings(report) if f.state == "unsupported"]
    if unsupported:
        lines += [f"### {plural(len(unsupported), 'unsupported claim')}", ""]
        by_place = {
            (a.article.path, r.claim.line, r.claim.text): r
            for a in report.articles
            for r in a.claims
        }
        for f in unsupported:
            result = by_place[(f.path, f.line, f.text)]
            fix = fix_phrase(result)
            lines.append(
                f"- {code(f'{f.path}:{f.line}')} {inline(one_line(f.text))} "
                f"({inline(evidence_phrase(result))})" + (f": {inline(fix)}" if fix else "")
            )
        lines.append("")
    if tables == "none":
        return "\n".join(lines).rstrip("\n") + "\n"
    only_problems = tables == "problems"
    for art in report.articles:
        if several:
            lines += [
                f"### {code(art.article.path)}",
                "",
                summary_text(art.summary, links_only=art.links_only),
                "",
            ]
        lines += _references(art, only_problems) + _claims(art, only_problems)
    return "\n".join(lines).rstrip("\n") + "\n"


def _dead(report: Report) -> list[Source]:
    return [s for a in report.articles for s in a.sources if s.status.dead]


def _references(art: ArticleReport, only_problems: bool = False) -> list[str]:
    sources = all_sources(art)
    if only_problems:
        sources = [s for s in sources if is_unreadable(s)]
    if not sources:
        return []
    readable = sum(1 for s in sources if s.status.readable)
    head = f"References: {readable} of {len(sources)} readable"
    if only_problems:
        head = f"References that could not be read: {len(sources)}"
    lines = [
        f"<details><summary>{summary_html(head)}</summary>",
        "",
        "| ID | Status | HTTP | Title | Via | Chars | URL |",
        "|---|---|---:|---|---|---:|---|",
    ]
    for s in sources:
        status = status_label(s)
        if is_unreadable(s) and s.error:
            status += f": {one_line(s.error)}"
        lines.append(
            "| "
            + " | ".join(
                [
                    cell(s.reference.id),
                    cell(status),
                    str(s.http_status) if s.http_status is not None else "",
                    cell(shorten(shown_title(s), CELL_CELLS)),
                    cell(s.via),
                    str(s.chars) if s.status.readable and not art.links_only else "",
                    link(s.reference.url),
                ]
            )
            + " |"
        )
    return [*lines, "", "</details>", ""]


def _claims(art: ArticleReport, only_problems: bool = False) -> list[str]:
    results = list(art.claims)
    if only_problems:
        results = [r for r in results if claim_state(r) in ("unsupported", "partial")]
    if not results:
        return []
    head = f"Claims: {plural(len(results), 'sentence')} in {art.article.path}"
    if only_problems:
        head = f"Claims not fully supported: {len(results)} in {art.article.path}"
    lines = [
        f"<details><summary>{summary_html(head)}</summary>",
        "",
        "| Line | Verdict | Score | Ref | Claim | Evidence |",
        "|---:|---|---:|---|---|---|",
    ]
    for r in results:
        state = claim_state(r)
        checked = state not in ("ignored", "not_checkable")
        ev = quoted_passage(r)
        if ev is not None:
            ref = ev.reference + (f" p. {ev.page}" if ev.page is not None else "")
            evidence = _highlighted(*matched_window(ev))
        else:
            ref = ", ".join(checked_against(r))
            why = "no passage found" if checked and state == "unsupported" else r.note
            evidence = f"<i>{cell(why)}</i>" if why else ""
        contradiction = conflict_phrase(r)
        if contradiction:
            evidence = f"<i>{cell(contradiction)}</i><br>{evidence}"
        elif fix_details(r):
            details = "<br>".join(f"{name}: {cell(words)}" for name, words in fix_details(r))
            evidence = f"{evidence}<br>{details}" if evidence else details
        lines.append(
            "| "
            + " | ".join(
                [
                    str(r.claim.line),
                    verdict_label(r).replace("_", " "),
                    fmt_score(r.score) if checked else "",
                    cell(ref),
                    cell(shorten(r.claim.text, CELL_CELLS)),
                    evidence,
                ]
            )
            + " |"
        )
    return [*lines, "", "</details>", ""]


def fix_phrase(result: ClaimResult) -> str:
    """ "found 2025; missing double", or a contradiction's two sides, on one line."""
    contradiction = conflict_phrase(result)
    if contradiction:
        return contradiction
    return "; ".join(f"{name} {words}" for name, words in fix_details(result))


def _highlighted(text: str, highlights: Sequence[tuple[int, int]]) -> str:
    """The evidence excerpt with its matched words in bold, each piece escaped on its own."""
    excerpt, spans = snippet(text, highlights, CELL_CELLS)
    out, at = [], 0
    for a, b in spans:
        if a < at:
            continue  # overlapping highlights: the first one already covers this
        out.append(cell(excerpt[at:a]))
        out.append(f"**{cell(excerpt[a:b])}**")
        at = b
    out.append(cell(excerpt[at:]))
    return "".join(out)
