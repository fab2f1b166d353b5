"""Reference-list entries alone: one line's id, URL and title, and the labels that open a list."""

from __future__ import annotations

from markdown_it.token import Token

from verify.article.entries import Entry, label_entries, label_rest, parse_entry
from verify.article.markdown import markdown


def inline(text: str) -> list[Token]:
    return markdown().parseInline(text, {})[0].children or []


def test_labels_open_a_list_in_english_and_chinese() -> None:
    assert label_rest("参考资料：") == ""
    assert label_rest("References") == ""
    assert label_rest("Sources: https://a.example/x") == "https://a.example/x"
    assert label_rest("Sourcing matters here") is None
    assert label_rest("Sources: none of them online") is None


def test_urls_written_on_the_label_line_are_entries() -> None:
    assert label_entries("https://a.example/x, https://b.example/y") == [
        Entry(None, "https://a.example/x", None),
        Entry(None, "https://b.example/y", None),
    ]
    assert label_entries("the tide office, https://a.example/x.") == [
        Entry(None, "https://a.example/x", "the tide office")
    ]


def test_an_entry_has_its_number_url_and_title() -> None:
    assert parse_entry(inline("[3] Tide tables. https://tides.example/2024"), None) == Entry(
        "3", "https://tides.example/2024", "Tide tables"
    )
    assert parse_entry(inline("[Harbour report](https://port.example/r)"), "7") == Entry(
        "7", "https://port.example/r", "Harbour report"
    )


def test_a_picture_is_no_entry() -> None:
    assert parse_entry(inline("2. https://img.example/chart.png"), None).url is None
