"""Deep nesting never silences the parser: markdown-it's CommonMark preset stops at 20 levels
and drops the rest of the article without a word. Nesting is parsed far deeper than any
article needs, and past that the run fails with a message, never a green "0 claims"."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.article.parse import parse_markdown
from verify.cli.main import main
from verify.errors import InputError

TAIL = (
    "\n\nThe harbour opened in 1901 [1].\n\nIts first ship carried grain [2].\n\n"
    "## Sources\n\n1. https://example.com/harbour\n2. https://example.com/grain\n"
)


@pytest.mark.parametrize(
    "nest",
    [
        "- - - - - - - - - - x",  # ten levels on one line
        "<details>\n\n- - - - - - - - - - x\n\n</details>",  # folded away in a comment
        "".join("  " * i + "- item\n" for i in range(30)),  # thirty indented levels
        "> " * 30 + "quoted",  # thirty quotes
        "> - " * 15 + "mixed",  # quotes and lists in turn
        "1. " * 40 + "numbered",
    ],
)
def test_nesting_hides_nothing_after_it(nest: str) -> None:
    article = parse_markdown("# Title\n\n" + nest + TAIL, "a.md")
    texts = [c.text for c in article.claims]
    assert "The harbour opened in 1901." in texts
    assert "Its first ship carried grain." in texts
    assert [r.url for r in article.references] == [
        "https://example.com/harbour",
        "https://example.com/grain",
    ]


@pytest.mark.parametrize("nest", ["- " * 400 + "x", "> " * 400 + "x", "> - " * 200 + "x"])
def test_nesting_past_the_limit_is_an_input_error(nest: str) -> None:
    with pytest.raises(InputError, match="nested"):
        parse_markdown("# Title\n\n" + nest + TAIL, "a.md")


def test_the_command_line_fails_rather_than_pass_an_unread_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.md"
    article.write_text("# Title\n\n" + "- " * 400 + "x" + TAIL, "utf-8")
    code = main([str(article), "--no-cache", "--no-config", "--links-only", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "nested" in err and len(err.strip().splitlines()) == 1
