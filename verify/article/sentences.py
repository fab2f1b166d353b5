"""Sentence splitting for Chinese, English and mixed text.

`split_sentences` returns character spans rather than strings so callers can map a sentence
back to its place (a line of the article, an offset in a fetched page). It runs in one pass
over the candidate terminators found by a compiled regex; every look-around is bounded or
covers a region no other candidate looks at, so the cost stays linear even for 20 MB inputs
and pathological runs of punctuation or whitespace.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans", "split_sentences"]

# Candidate sentence ends: a run of terminal punctuation, or a line break with the
# whitespace that follows it (consumed greedily so a long blank run is looked at once).
_CANDIDATE = re.compile(r"[.!?。！？；…]+|\n\s*")

# What may trail a terminator and still belong to its sentence: closing quotes and brackets,
# and citation markers such as [1], [^note] or ［1］ (optionally after one space).
_TAIL = re.compile(r"(?:[\"'”’»)\]）」』》】]|[^\S\n]?(?:\[\^?[\w.-]{1,24}\]|［\d{1,4}］))*")
_SPACE = re.compile(r"\s*")
# Kana, CJK ideographs and Hangul, as code point ranges: a regex class this wide costs
# 2 ms to compile at every start, and only single characters are ever tested.
_CJK_RANGES = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xAC00, 0xD7AF),
)
# Characters that may open a sentence after a Latin terminator and a space.
_OPENERS = frozenset("\"'“‘「『《（(【[¿¡")
_STRONG = frozenset("。！？；")
_CLOSING_QUOTES = frozenset("\"'”’»」』）)》】")
# A line that ends with one of these continues on the next line (wrapped text).
_JOINERS = frozenset(",，、-‐(（[“‘/&")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words after which a period never ends a sentence (compared lower-cased).
_ABBREVIATIONS = _words(
    "mr mrs ms dr prof inc ltd co corp jr sr st vs mt gen sen rep gov lt col capt sgt rev hon"
    " fig figs vol messrs ph.d jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Compared with case kept: "no." is a word at a sentence's end, "No. 5" is a number sign.
_CASED_ABBREVIATIONS = frozenset({"No", "Nos"})
_MULTI_INITIAL = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_MAX_ABBREVIATION = 12


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences.

    Returns [start, end) character offsets in order, each stripped of surrounding whitespace,
    together covering every non-whitespace character of `text`. Chinese sentences end at
    。！？； (and … before a closing quote or a break); English ones at . ! ? followed by a
    space and a capital, a quote or the end, except after abbreviations and initials. A blank
    line always ends a sentence; a single line break does too unless the text looks wrapped
    (the next line starts in lower case, or the line ends with a comma or hyphen).
    """
    cuts: list[int] = []
    n = len(text)
    for m in _CANDIDATE.finditer(text):
        start, end = m.span()
        if text[start] == "\n":
            if _ends_at_break(text, start, m.group()):
                cuts.append(start)
            continue
        tail_end = _TAIL.match(text, end).end()
        if _ends_at_punctuation(text, start, end, tail_end, n):
            cuts.append(tail_end)
    return _spans(text, cuts)


def _ends_at_break(text: str, start: int, gap: str) -> bool:
    if gap.count("\n") > 1:
        return True
    after = start + len(gap)
    if after >= len(text):
        return True
    if text[after].islower():
        return False
    before = start - 1
    # The run of spaces before the break contains no other candidate, so this scan is
    # paid once per break.
    while before >= 0 and text[before] in " \t\r\f\v":
        before -= 1
    return before < 0 or text[before] not in _JOINERS


def _ends_at_punctuation(text: str, start: int, end: int, tail_end: int, n: int) -> bool:
    run = text[start:end]
    if any(ch in _STRONG for ch in run):
        return True
    if tail_end >= n:
        return True
    ws_end = _SPACE.match(text, tail_end).end()
    if ws_end >= n:
        return True
    nxt = text[ws_end]
    spaced = ws_end > tail_end
    if run.strip("…") == "":
        # A Chinese ellipsis inside a sentence (在……的同时) runs straight on; it ends the
        # sentence only before a closing quote or a break.
        closed = any(ch in _CLOSING_QUOTES for ch in text[end:tail_end])
        return closed or (spaced and _starts_sentence(text, ws_end, nxt))
    if not spaced:
        # "3.14", "example.com/a.b", "Node.js": only CJK may follow a Latin stop directly.
        if not _cjk_at(text, ws_end):
            return False
    elif not _starts_sentence(text, ws_end, nxt):
        return False
    if run == ".":
        return not _is_abbreviation(text, start)
    return True


def _cjk_at(text: str, pos: int) -> bool:
    if pos >= len(text):
        return False
    code = ord(text[pos])
    return code >= 0x3040 and any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _starts_sentence(text: str, pos: int, ch: str) -> bool:
    return ch.isupper() or ch in _OPENERS or _cjk_at(text, pos)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the word before the period at `dot` is an abbreviation or an initial."""
    lo = max(0, dot - _MAX_ABBREVIATION)
    i = dot
    while i > lo and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    if i > 0 and text[i - 1].isalpha():
        return False  # a longer word than any abbreviation
    word = text[i:dot]
    if not word:
        return False
    if len(word) == 1:
        return word.isupper()  # an initial: "J. Smith"
    if word in _CASED_ABBREVIATIONS or word.lower() in _ABBREVIATIONS:
        return True
    return _MULTI_INITIAL.fullmatch(word) is not None  # U.S., e.g., i.e., a.m.


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = 0
    cuts.append(len(text))
    for cut in cuts:
        if cut <= prev:
            continue
        segment = text[prev:cut]
        stripped = segment.strip()
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            spans.append((prev + lead, prev + lead + len(stripped)))
        prev = cut
    return spans


# A "sentence" longer than this (a page with no punctuation, by accident or on purpose) is
# indexed as windows of at most this many characters, cut at a space where there is one:
# matching a claim costs in proportion to its sentences' lengths, and a passage quoted as
# evidence is a few sentences, so both stay bounded whatever the page.
MAX_SENTENCE_CHARS = 1000


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of a source text as the matcher indexes them: `split_sentences` without
    any span that is only whitespace, a long run cut into windows (MAX_SENTENCE_CHARS)."""
    spans: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if text[s:e].isspace():
            continue
        if e - s <= MAX_SENTENCE_CHARS:
            spans.append((s, e))
        else:
            spans.extend(windows(text, s, e))
    return tuple(spans)


def windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of `text` as spans of at most MAX_SENTENCE_CHARS, each ending at the last
    space of its stretch (when that space lies in its second half), stripped of blanks."""
    out: list[tuple[int, int]] = []
    at = start
    while at < end:
        stop = min(at + MAX_SENTENCE_CHARS, end)
        if stop < end:
            space = text.rfind(" ", at + MAX_SENTENCE_CHARS // 2, stop)
            if space > at:
                stop = space
        s, e = at, stop
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        at = stop
    return out
