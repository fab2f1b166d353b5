"""Curated opposites, English and Chinese: a claim's word absent from the passage and its
opposite there is a contradiction ("approved" against "rejected", 批准 against 否决)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.matching.words import word_key

# Curated opposites, both directions; compared by word key (stem).
_ANTONYM_PAIRS = (
    ("approve", "reject"),
    ("approve", "veto"),
    ("approve", "deny"),
    ("approve", "oppose"),
    ("adopt", "reject"),
    ("pass", "reject"),
    ("pass", "veto"),
    ("accept", "reject"),
    ("accept", "decline"),
    ("increase", "cut"),
    ("gain", "lose"),
    ("win", "lose"),
    ("won", "lost"),
    ("open", "close"),
    ("hire", "fire"),
    ("hire", "dismiss"),
    ("hire", "lay"),
    ("appoint", "dismiss"),
    ("appoint", "fire"),
    ("praise", "criticise"),
    ("praise", "criticize"),
    ("praise", "condemn"),
    ("welcome", "criticise"),
    ("welcome", "criticize"),
    ("welcome", "oppose"),
    ("welcome", "condemn"),
    ("support", "oppose"),
    ("back", "oppose"),
    ("delay", "advance"),
    ("postpone", "advance"),
    ("allow", "ban"),
    ("allow", "forbid"),
    ("allow", "prohibit"),
    ("pass", "fail"),
    ("succeed", "fail"),
    ("start", "end"),
    ("begin", "end"),
    ("buy", "sell"),
    ("bought", "sold"),
    ("higher", "lower"),
    ("more", "less"),
    ("more", "fewer"),
    ("above", "below"),
    ("before", "after"),
    ("first", "last"),
    ("largest", "smallest"),
    ("biggest", "smallest"),
    ("highest", "lowest"),
    ("maximum", "minimum"),
    ("alive", "dead"),
    ("born", "died"),
    ("male", "female"),
    ("man", "woman"),
    ("public", "private"),
    ("rural", "urban"),
    ("north", "south"),
    ("east", "west"),
    ("true", "false"),
    ("success", "failure"),
    ("profit", "loss"),
    ("expand", "shrink"),
    ("strengthen", "weaken"),
    ("join", "leave"),
    ("arrive", "depart"),
    ("include", "exclude"),
    ("confirm", "deny"),
    ("raise", "lower"),
    ("launch", "cancel"),
    ("add", "remove"),
    ("wet", "dry"),
    ("early", "late"),
    ("earlier", "later"),
    ("young", "old"),
    ("ancient", "modern"),
    ("fiction", "nonfiction"),
    ("comedy", "tragedy"),
    ("comedy", "drama"),
    ("victory", "defeat"),
    ("acquit", "convict"),
    ("legal", "illegal"),
    ("possible", "impossible"),
)
_ZH_ANTONYM_PAIRS = (
    ("批准", "否决"),
    ("批准", "拒绝"),
    ("批准", "反对"),
    ("通过", "拒绝"),
    ("同意", "否决"),
    ("同意", "拒绝"),
    ("通过", "否决"),
    ("同意", "反对"),
    ("支持", "反对"),
    ("接受", "拒绝"),
    ("增加", "减少"),
    ("增长", "下降"),
    ("增长", "减少"),
    ("上升", "减少"),
    ("增加", "下降"),
    ("上升", "下降"),
    ("上涨", "下跌"),
    ("提高", "降低"),
    ("扩大", "缩小"),
    ("赢", "输"),
    ("赢得", "输掉"),
    ("获胜", "落败"),
    ("胜", "负"),
    ("开放", "关闭"),
    ("开业", "关闭"),
    ("开始", "结束"),
    ("雇用", "解雇"),
    ("聘用", "解雇"),
    ("招聘", "裁员"),
    ("成功", "失败"),
    ("买", "卖"),
    ("买入", "卖出"),
    ("购买", "出售"),
    ("最高", "最低"),
    ("最大", "最小"),
    ("多", "少"),
    ("高", "低"),
    ("大", "小"),
    ("早", "晚"),
    ("男", "女"),
    ("生", "死"),
    ("真", "假"),
    ("盈利", "亏损"),
    ("允许", "禁止"),
    ("加入", "离开"),
    ("之前", "之后"),
    ("以前", "以后"),
    ("上午", "下午"),
    ("南", "北"),
    ("东", "西"),
    ("喜欢", "讨厌"),
    ("提前", "推迟"),
    ("提前", "延迟"),
    ("提前", "延期"),
    ("赞扬", "批评"),
    ("表扬", "批评"),
    ("欢迎", "反对"),
    ("欢迎", "批评"),
    ("赞成", "反对"),
    ("热", "冷"),
    ("新", "旧"),
    ("快", "慢"),
    ("容易", "困难"),
    ("简单", "复杂"),
    ("富", "穷"),
    ("安全", "危险"),
)


# Words for going up and going down: each of one side is the opposite of each of the other
# ("rose" against "dropped", "grew" against "decreased").
_UP = ("rise", "increase", "grow", "climb", "gain", "jump", "soar")
_DOWN = ("fall", "drop", "decline", "decrease", "shrink", "reduce", "plunge", "sink", "slump")


def _forms(word: str) -> set[str]:
    """The keys of a word's inflections: the stemmer keeps a doubled consonant ("dropped"
    is dropp, "drop" drop), so each form is looked up as it is keyed."""
    forms = {word, word + "s", word + "ed", word + "ing", word + "d" if word[-1] == "e" else word}
    if re.fullmatch(r".*[^aeiou][aeiou][bdgklmnprt]", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return {word_key(f) for f in forms}


def _antonym_table(pairs: Sequence[tuple[str, str]], key: bool) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for a, b in pairs:
        ka, kb = (_forms(a), _forms(b)) if key else ({a}, {b})
        for x in ka:
            table.setdefault(x, set()).update(kb)
        for x in kb:
            table.setdefault(x, set()).update(ka)
    return table


ANTONYMS = _antonym_table(
    (*_ANTONYM_PAIRS, *((up, down) for up in _UP for down in _DOWN)), key=True
)
ZH_ANTONYMS = _antonym_table(_ZH_ANTONYM_PAIRS, key=False)


def zh_verbs_done(claim: str) -> list[str]:
    """Words of the Chinese table that a claim uses as a finished verb (通过了, 批准了):
    通过 is a stop word, mostly "through", so it is no unit of the claim; with 了 after it,
    it is "passed"."""
    return sorted(
        (w for w in ZH_ANTONYMS if len(w) >= 2 and w + "了" in claim),
        key=claim.find,
    )
