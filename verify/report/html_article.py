"""The article in the HTML report: its markdown rendered as its writer wrote it, each claim
marked by its verdict with a badge that opens its evidence.

Claims are placed in the rendered article by their line (markdown-it maps each block to its
source lines) and their text; a claim that cannot be placed (a table row, a sentence the
parser pieced together) is returned apart, for the page to list below the article, so none
goes missing. The article's markdown is rendered with raw HTML turned off, and its pictures
are shown as their alt text rather than fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from verify.models import ArticleReport, ClaimResult
from verify.report.html_parts import PROBLEMS, badge, esc, safe_url, state_of


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
                    pending.append(badge(key, state))
                else:
                    out.append(badge(key, state))
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
