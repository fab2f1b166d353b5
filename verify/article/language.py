"""A script-based guess at the language of a text: enough to pick a matching strategy."""

from __future__ import annotations

import re

__all__ = ["detect_language"]

# Plain strings, compiled (through re's cache) only for text that is not ASCII: classes this
# wide cost milliseconds to compile, at every start.
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
_KANA = r"[\u3040-\u30ff\u31f0-\u31ff]"
_HANGUL = r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")

# One ideograph carries about as much as an English word of four or five letters, so a
# Chinese article full of Latin names (OpenAI, Greg Brockman) still counts as Chinese.
_LETTERS_PER_IDEOGRAPH = 4
# Counting a sample keeps a 20 MB document cheap; the language of prose does not drift.
_SAMPLE = 200_000


def detect_language(text: str) -> str | None:
    """ "zh" when CJK ideographs dominate, "en" for Latin script, None when there are no letters.

    Japanese (kana among the ideographs) is "ja" and Korean (Hangul) "ko"; any other script
    gives None rather than a guess.
    """
    sample = text if len(text) <= _SAMPLE else text[: _SAMPLE // 2] + text[-_SAMPLE // 2 :]
    ascii_only = sample.isascii()
    han = 0 if ascii_only else _count(_HAN, sample)
    kana = 0 if ascii_only else _count(_KANA, sample)
    hangul = 0 if ascii_only else _count(_HANGUL, sample)
    latin = _count(_LATIN, sample)
    weighted = {
        "zh": han * _LETTERS_PER_IDEOGRAPH,
        "ja": kana * _LETTERS_PER_IDEOGRAPH,
        "ko": hangul * _LETTERS_PER_IDEOGRAPH,
        "en": latin,
    }
    if kana and kana * 5 >= han:
        # Japanese writes its grammar in kana; its ideographs are Japanese too.
        weighted["ja"] += weighted.pop("zh")
    best = max(weighted, key=lambda k: weighted[k])
    if weighted[best] > 0:
        other = _count(_LETTER, sample) - han - kana - hangul - latin
        return best if weighted[best] >= other else None
    return None


def _count(pattern: re.Pattern[str] | str, text: str) -> int:
    return re.subn(pattern, "", text)[1]
