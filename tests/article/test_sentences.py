"""Sentence splitting: Chinese, English abbreviations, decimals, quotes, mixed text."""

from __future__ import annotations

import pytest

from verify.article.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n ") == []


def test_chinese_terminators() -> None:
    text = "新馆上周开放。藏书超过五万册！你去过吗？馆长说明了计划；工程明年完工。"
    assert sentences(text) == [
        "新馆上周开放。",
        "藏书超过五万册！",
        "你去过吗？",
        "馆长说明了计划；",
        "工程明年完工。",
    ]


def test_chinese_quotes_stay_with_their_sentence() -> None:
    text = "她说：“我们明天见。”随后离开了会场。"
    assert sentences(text) == ["她说：“我们明天见。”", "随后离开了会场。"]


def test_chinese_exclamation_before_closing_quote_ends_the_sentence() -> None:
    text = "“这太好了！”他喊道。「真的吗？」她问。"
    assert sentences(text) == ["“这太好了！”", "他喊道。", "「真的吗？」", "她问。"]


def test_chinese_ellipsis_inside_a_sentence_does_not_split() -> None:
    text = "在……的同时，镇政府也有新的动作——"
    assert sentences(text) == [text]


def test_chinese_ellipsis_before_a_closing_quote_splits() -> None:
    assert sentences("他说：“我不知道……”然后沉默了。") == ["他说：“我不知道……”", "然后沉默了。"]


def test_english_basic_split() -> None:
    text = "The pier reopened. Visitors came! Did it rain? Nobody knows."
    assert sentences(text) == [
        "The pier reopened.",
        "Visitors came!",
        "Did it rain?",
        "Nobody knows.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Alvarez met Dr. Chen and Prof. Ruiz at noon.",
        "Mrs. Hale and Ms. Ortiz work for Acme Inc. and Foo Ltd. respectively.",
        "The U.S. Navy and the U.K. Treasury signed it.",
        "Harbor Co. Director Lee and Big Corp. President Kim spoke.",
        "Sammy Davis Jr. Sings and John Smith Sr. Dances.",
        "They met on St. James Street near No. 10 at dawn.",
        "It was Lions vs. Tigers in the final.",
        "Fruits, e.g. Apples and pears, and tools, i.e. Hammers, sold out.",
        "The vote was on Jan. 5 and the launch on Sept. 30 and Dec. 1 in total.",
        "J. R. Smith and A. Chen wrote the report.",
    ],
)
def test_english_abbreviations_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_etc_mid_sentence_does_not_split_but_ends_a_sentence_before_a_capital() -> None:
    assert sentences("Pens, paper, etc. were sold.") == ["Pens, paper, etc. were sold."]
    assert sentences("Pens, paper, etc. The shop closed.") == [
        "Pens, paper, etc.",
        "The shop closed.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Pi is about 3.14 and e is about 2.72 in value.",
        "The deal was worth $1.5 billion at the time.",
        "Version 2.0.1 shipped with 99.9 percent uptime.",
    ],
)
def test_decimals_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_urls_and_emails_do_not_split() -> None:
    text = "See https://example.org/a.b/c.html?x=1.2 or write to news.desk@example.org for copies."
    assert sentences(text) == [text]


def test_a_url_at_the_end_of_a_sentence() -> None:
    assert sentences("Read it at example.org. Then comment.") == [
        "Read it at example.org.",
        "Then comment.",
    ]


def test_quotes_split_after_the_closing_quote() -> None:
    text = 'He said "Go." Then he left. She asked, "Why?" and nobody answered.'
    assert sentences(text) == [
        'He said "Go."',
        "Then he left.",
        'She asked, "Why?" and nobody answered.',
    ]


def test_curly_quotes_and_opening_quote_after_a_stop() -> None:
    text = "It rained. “We stayed home,” she said."
    assert sentences(text) == ["It rained.", "“We stayed home,” she said."]


def test_citation_markers_stay_with_the_sentence_they_follow() -> None:
    text = "The bridge opened in 1932.[1] It closed in 2001. [2] Repairs began later."
    assert sentences(text) == [
        "The bridge opened in 1932.[1]",
        "It closed in 2001. [2]",
        "Repairs began later.",
    ]


def test_lowercase_after_a_stop_does_not_split() -> None:
    assert sentences("The rate fell to 4 p.m. levels. then rose.") == [
        "The rate fell to 4 p.m. levels. then rose."
    ]


def test_mixed_chinese_and_english() -> None:
    text = "OpenAI发布了GPT-4o。The model is faster. 此外，价格也下降了！Prices fell 50%."
    assert sentences(text) == [
        "OpenAI发布了GPT-4o。",
        "The model is faster.",
        "此外，价格也下降了！",
        "Prices fell 50%.",
    ]


def test_english_stop_directly_before_chinese_splits() -> None:
    assert sentences("He said OK.然后离开了。") == ["He said OK.", "然后离开了。"]


def test_blank_lines_always_split() -> None:
    assert sentences("A heading without a stop\n\nthe paragraph after it") == [
        "A heading without a stop",
        "the paragraph after it",
    ]


def test_single_line_breaks_split_unless_the_text_is_wrapped() -> None:
    text = "Opening day\nVisitors queued for an\nhour, and the doors opened late."
    assert sentences(text) == [
        "Opening day",
        "Visitors queued for an\nhour, and the doors opened late.",
    ]
    assert sentences("Prices rose,\nSmith said.") == ["Prices rose,\nSmith said."]


def test_spans_are_stripped_ordered_and_cover_all_text() -> None:
    text = "  One. Two!  \n\n Three?  四。 "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["One.", "Two!", "Three?", "四。"]
    covered = "".join(text[a:b] for a, b in spans)
    assert covered == "".join(text.split())
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_large_and_pathological_inputs_stay_linear() -> None:
    # Each input is a shape a quadratic implementation chokes on (minutes instead of a
    # fraction of a second), so a regression shows up as a hung suite.
    inputs = [
        "Mr. Smith paid $1.5 million in the U.S. on Jan. 5. He left! " * 20_000,
        "." * 1_000_000,
        "a" + " " * 500_000 + "\n" + " \n" * 250_000,
        "a.[1]" * 200_000,
        "x" * 1_000_000 + ".",
    ]
    counts = [len(split_sentences(text)) for text in inputs]
    assert counts == [40_000, 1, 1, 1, 1]
