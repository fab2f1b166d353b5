"""Pass 1 alone: block tokens become units with their lines, list numbers and ignore marks."""

from __future__ import annotations

from verify.article.blocks import collect
from verify.article.document import Doc
from verify.article.markdown import markdown


def blocks(text: str) -> Doc:
    return collect(markdown().parse(text, {}), text.split("\n"))


def test_units_keep_their_kind_line_and_list_number() -> None:
    doc = blocks(
        "---\ntitle: Tides\n---\n# Tides\n\nThe harbour floods.\n\n3. first\n4. second\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n"
    )
    assert doc.front_matter == {"title": "Tides"}
    assert doc.first_title == "Tides"
    shown = [(u.kind, u.line, u.item, u.header) for u in doc.units]
    assert shown == [
        ("heading", 3, None, False),
        ("paragraph", 5, None, False),
        ("paragraph", 7, "3", False),
        ("paragraph", 8, "4", False),
        ("row", 10, None, True),
        ("row", 12, None, False),
        ("break", 14, None, False),
    ]


def test_verify_ignore_marks_the_next_block_and_a_scope() -> None:
    doc = blocks(
        "Kept.\n\n<!-- verify-ignore -->\nSkipped once.\n\nKept again.\n\n"
        "<!-- verify-ignore-start -->\nScoped one.\n\nScoped two.\n<!-- verify-ignore-end -->\n\n"
        "Kept last.\n"
    )
    assert [(u.line, u.ignored) for u in doc.units] == [
        (0, False),
        (3, True),
        (5, False),
        (8, True),
        (10, True),
        (13, False),
    ]
