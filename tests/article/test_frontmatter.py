"""Front matter alone: the top-level keys of a YAML block, as strings."""

from __future__ import annotations

from verify.article.frontmatter import front_matter


def test_scalars_quotes_comments_and_lists() -> None:
    block = "\n".join(
        [
            'title: "A \\"quoted\\" title"',
            "subtitle: 'it''s here'",
            "authors:",
            "  - Ann Lee",
            "  - Bo Chen",
            "date: 2024-08-01 # published",
            "tags: [a, 'b', ~]",
            "empty: null",
            "nested:",
            "  key: value",
        ]
    )
    assert front_matter(block) == {
        "title": 'A "quoted" title',
        "subtitle": "it's here",
        "authors": "Ann Lee, Bo Chen",
        "date": "2024-08-01",
        "tags": "a, b",
    }


def test_keys_are_lower_case_and_the_first_one_wins() -> None:
    assert front_matter("Title: One\ntitle: Two") == {"title": "One"}
