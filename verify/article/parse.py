"""Parsing a markdown article into claims (sentences with line numbers) and references.

Structure always comes from markdown-it tokens and their line maps (`markdown`); regexes only
look at the text of a single inline token or line. The work happens in three passes:

1. `blocks.collect` flattens the block tokens into units (paragraphs, headings, table rows,
   breaks), footnote bodies and verify-ignore line ranges, and reads the `frontmatter`.
2. `references.find_references` finds the reference section(s) (their lines: `entries`),
   link reference definitions and footnotes, so that `[1]` markers can be told from
   ordinary bracketed text.
3. `claims.find_claims` renders the prose units to plain text, splits it into sentences and
   attaches the references each sentence cites.

`inline` holds the helpers over inline tokens and URLs that passes 2 and 3 share.
"""

from __future__ import annotations

from pathlib import Path

from verify.article.blocks import collect
from verify.article.claims import find_claims
from verify.article.language import detect_language
from verify.article.markdown import MAX_NESTING, markdown
from verify.article.reader import read_article_text
from verify.article.references import find_references
from verify.article.templates import blank_template_tags, has_template_tags
from verify.errors import InputError
from verify.models import Article

__all__ = ["parse_article", "parse_markdown"]


def parse_article(path: str | Path) -> Article:
    """Read and parse the article at `path` (InputError when it cannot be read)."""
    return parse_markdown(read_article_text(path), str(path))


def parse_markdown(text: str, path: str = "<string>") -> Article:
    """Parse markdown `text` into an Article; `path` only names it."""
    # markdown-it counts lines after folding CR LF and lone CR into LF; so do we.
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    env: dict[str, object] = {}
    try:
        tokens = markdown().parse(source, env)
        if has_template_tags(source):
            # shortcodes are markup: parsed as blanks (in place, so lines keep their numbers)
            source = blank_template_tags(source, tokens)
            env = {}
            tokens = markdown().parse(source, env)
    except RecursionError:
        raise InputError(f"{path}: is nested too deeply to parse as markdown") from None
    # at the limit markdown-it stops reading and drops everything after: refuse instead
    deepest = max((t.level for t in tokens), default=0)
    if deepest >= MAX_NESTING - 1:
        raise InputError(
            f"{path}: lists or quotes are nested more than {MAX_NESTING // 2} levels deep; "
            "verify cannot read past that, so it checks none of the article"
        )
    lines = source.split("\n")
    doc = collect(tokens, lines)
    refs = find_references(doc, lines, env)
    claims = find_claims(doc, refs)
    front = doc.front_matter
    prose = " ".join(c.text for c in claims) or source
    return Article(
        path=path,
        text=text,
        claims=tuple(claims),
        references=tuple(refs.live),
        title=front.get("title") or doc.first_title,
        date=front.get("date"),
        author=front.get("author") or front.get("authors"),
        language=detect_language(prose),
        ignored_references=tuple(refs.ignored),
    )
