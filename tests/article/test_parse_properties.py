"""Property tests: any text in, no exception out, and claims that point back at their lines."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from verify.article.parse import parse_markdown
from verify.article.sentences import split_sentences
from verify.models import Article

# Pieces of markdown (and of the prose rules) that interact in interesting ways.
FRAGMENTS = [
    "# ", "## ", "- ", "* ", "1. ", "2) ", "> ", "**", "*", "_", "`", "```", "~~~", "~~",
    "[1]", "[2]", "［1］", "[1][2]", "[^a]", "[^a]: ", "[^b]: see http://f.example.com/b",
    "[1]: http://d.example.com/1", "[x]: <http://d.example.com/x> \"T\"",
    "[t](http://e.example.com/y)", "[t](#a)", "[t](mailto:a@b.c)", "![i](http://e.example.com/i.png)",
    "<http://auto.example.com/a>", "http://bare.example.com/p", "www.example.com",
    "<!-- verify-ignore -->", "<!-- verify-ignore-start -->", "<!-- verify-ignore-end -->",
    "<div>", "</div>", "<br>", "<!--", "-->",
    "参考链接：", "References", "Sources:", "图片来源：", "感谢阅读！", "Thanks for reading",
    "| a | b |", "|---|---|", "|", "---", "***", "===", "...", "……",
    "\n", "\n", "\n\n", " ", " ", "  \n", "\\\n", "\t", "\r\n", "\r", "    ",
    "。", "！", "？", "；", ".", "!", "?", ":", "：", "——", "“", "”", "\"", "'", "(", ")",
    "Mr.", "U.S.", "e.g.", "J.", "3.14", "$1.5", "No. 5",
    "中文句子", "联创", "Word", "word", "The Pier", "opened", "\\*", "&amp;", "&copy;", "&#65;",
    "\x00", "\ufeff", "\u2028", "\x0b",
]  # fmt: skip

markdownish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), markdownish)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _derived(fragment: str, region: str) -> bool:
    """Whether `fragment` (whitespace dropped) is drawn from `region` in order.

    markdown-it replaces NUL and decodes entities outside code, so each entity in the
    region may be matched either as written or decoded.
    """
    needle = "".join(fragment.split())
    region = region.replace("\x00", "\ufffd")
    either = _ENTITY.sub(lambda m: m.group() + html.unescape(m.group()), region)
    return _is_subsequence(needle, either)


def _check_article(text: str, article: Article) -> None:
    lines = _lines(text)
    assert article.text == text
    assert [c.index for c in article.claims] == list(range(len(article.claims)))
    for claim in article.claims:
        assert 1 <= claim.line <= len(lines)
        assert claim.text == claim.text.strip() and claim.text
        region = "\n".join(lines[claim.line - 1 :])
        assert _derived(claim.text, region), (claim, lines[claim.line - 1])
        first = claim.text[0]
        assert _derived(first, lines[claim.line - 1]), (claim, lines[claim.line - 1])
    ids = [r.id for r in (*article.references, *article.ignored_references)]
    assert len(ids) == len(set(ids))
    for ref in (*article.references, *article.ignored_references):
        assert 1 <= ref.line <= len(lines)
        assert ref.url
    known = set(ids)
    for claim in article.claims:
        assert set(claim.references) <= known


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
@example("\u2028\r0\x00")  # a Unicode space line, then a line with NUL (U+FFFD in the text)
def test_parse_markdown_never_fails(text: str) -> None:
    _check_article(text, parse_markdown(text))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_split_sentences_spans(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())
