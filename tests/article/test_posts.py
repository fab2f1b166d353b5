"""Posts as people write them: HTML inside markdown, MDX components, shortcodes, "further
reading" lists. Every link in the post must be found, and only prose becomes claims.

The HTML and URL cases follow lychee's markdown extraction tests (nested HTML, multi-line
JSX, a URL ending in an underscore, a URL in link text, markdown inside HTML, verbatim
HTML), written anew here.
"""

from __future__ import annotations

import pytest

from verify.article.parse import parse_markdown
from verify.models import Article


def urls(article: Article) -> list[str]:
    return [r.url for r in article.references]


def ref_lines(article: Article) -> dict[str, int]:
    return {r.url: r.line for r in article.references}


# ------------------------------------------------------------------------ lychee's cases


def test_a_link_on_an_element_nested_in_html_is_found() -> None:
    article = parse_markdown(
        '<Outer>\n  <Inner href="https://example.com/nested" >\n  Some words\n  </Inner>\n'
        "</Outer>\n"
    )
    assert ref_lines(article) == {"https://example.com/nested": 2}


def test_a_link_on_a_multi_line_mdx_component_is_found() -> None:
    article = parse_markdown(
        "<Gallery cols={2}>\n"
        "  <Tile\n"
        '    title="Sample"\n'
        '    href="https://example.com/tile"\n'
        "  >\n"
        "    Words on the tile\n"
        "  </Tile>\n"
        "</Gallery>\n"
    )
    assert urls(article) == ["https://example.com/tile"]
    assert 2 <= article.references[0].line <= 5  # within the tag that holds it


@pytest.mark.parametrize("url", ["https://example.com/_", "https://example.com/_/page"])
def test_a_url_ending_in_or_holding_an_underscore_is_kept_whole(url: str) -> None:
    assert urls(parse_markdown(f"The notes are at {url} for now.\n")) == [url]


def test_only_the_destination_of_a_link_whose_text_is_a_url_is_a_reference() -> None:
    article = parse_markdown(
        "The notice [https://gone.example/notice (the archived copy)]"
        "(https://example.com/kept) was withdrawn in May.\n"
    )
    assert urls(article) == ["https://example.com/kept"]
    assert article.claims[0].references == (article.references[0].id,)


def test_markdown_links_between_html_tags_are_found() -> None:
    article = parse_markdown(
        "<div>\n\n[a markdown link](https://example.com/md)\n\n</div>\n\n"
        "<span>[another one](https://example.com/span)</span>\n"
    )
    assert urls(article) == ["https://example.com/md", "https://example.com/span"]


def test_urls_in_code_and_preformatted_html_are_not_links() -> None:
    article = parse_markdown(
        "<code>\nhttp://code.example/\n</code>\n<pre>\nSome text http://pre.example/\n</pre>\n"
    )
    assert urls(article) == [] and article.claims == ()


# ---------------------------------------------------------------- HTML in blog posts


def test_a_claim_and_its_link_inside_a_p_block_are_read() -> None:
    article = parse_markdown(
        "# Crossing\n\n"
        '<p>The ferry carried forty passengers on Tuesday, <a href="https://example.com/log">'
        "the harbour log</a> says.</p>\n"
    )
    assert urls(article) == ["https://example.com/log"]
    (claim,) = article.claims
    assert claim.text == "The ferry carried forty passengers on Tuesday, the harbour log says."
    assert claim.line == 3 and claim.references == (article.references[0].id,)
    assert article.references[0].title == "the harbour log"


def test_links_in_a_div_and_in_details_are_found_on_their_lines() -> None:
    article = parse_markdown(
        "Intro sentence about the harbour.\n\n"
        '<div class="note">\n'
        '  The mayor opened the new pier in <a href="https://example.com/pier">March</a>.\n'
        "</div>\n\n"
        "<details>\n<summary>More on tides</summary>\n\n"
        'The tide tables come from <a href="https://example.com/tides">the port authority'
        "</a>.\n\n</details>\n"
    )
    assert ref_lines(article) == {
        "https://example.com/pier": 4,
        "https://example.com/tides": 10,
    }
    texts = {c.text: c for c in article.claims}
    assert texts["The mayor opened the new pier in March."].line == 4
    assert texts["The tide tables come from the port authority."].line == 10
    assert "More on tides" not in texts  # a summary is a title, not a statement


def test_a_multi_line_p_keeps_each_sentence_on_its_line() -> None:
    article = parse_markdown(
        "<p>\n  The first ferry left at seven.\n  The second one, at nine, was late\n"
        '  according to <a\n    href="https://example.com/late">the log</a>.\n</p>\n'
    )
    lines = {c.text: c.line for c in article.claims}
    assert lines == {
        "The first ferry left at seven.": 2,
        "The second one, at nine, was late according to the log.": 3,
    }
    assert ref_lines(article) == {"https://example.com/late": 4}


# ---------------------------------------------------------------------- shortcodes


def test_hugo_and_jekyll_shortcodes_are_not_claims() -> None:
    article = parse_markdown(
        "---\ntitle: Harbour\n---\n\n"
        "The pier reopened on Monday after repairs.\n\n"
        '{{< figure src="/img/pier.jpg" caption="The pier at dawn, before the crowds came" >}}\n\n'
        '{% include callout.html text="Subscribe for weekly harbour news and more" %}\n\n'
        "{{% notice info %}}\nTickets are sold at the kiosk by the gate.\n{{% /notice %}}\n\n"
        "Boats queued for an hour {{< sup 1 >}} before the gates opened.\n"
    )
    texts = [c.text for c in article.claims]
    assert texts == [
        "The pier reopened on Monday after repairs.",
        "Tickets are sold at the kiosk by the gate.",
        "Boats queued for an hour before the gates opened.",
    ]
    assert not any("{" in t or "%}" in t for t in texts)


# ------------------------------------------------------------- further reading lists


@pytest.mark.parametrize(
    "heading",
    ["## Further reading", "## See also", "### Related", "## Related posts", "## 延伸阅读"],
)
def test_a_further_reading_list_is_links_not_claims(heading: str) -> None:
    article = parse_markdown(
        "# Harbour\n\nThe pier reopened on Monday after repairs.\n\n"
        f"{heading}\n\n"
        "- [A short history of the harbour](https://example.com/history)\n"
        "- [Ferry timetables for the summer](https://example.com/timetable)\n"
    )
    assert [c.text for c in article.claims] == ["The pier reopened on Monday after repairs."]
    assert urls(article) == ["https://example.com/history", "https://example.com/timetable"]


# ------------------------------------------------------------- one URL, one reference


def test_the_same_url_inline_and_in_the_list_is_one_reference_cited_from_both() -> None:
    article = parse_markdown(
        "# Harbour\n\n"
        "The pier reopened on Monday, as [the council said](https://example.com/council).\n\n"
        "Repairs cost less than planned [1].\n\n"
        "## References\n\n"
        "1. [Council notice](https://example.com/council)\n"
    )
    assert [(r.id, r.url) for r in article.references] == [("1", "https://example.com/council")]
    assert [c.references for c in article.claims] == [("1",), ("1",)]


def test_a_template_tag_shown_in_code_is_left_as_written() -> None:
    article = parse_markdown(
        "Wrap the tag in `{% raw %}` to print it as text.\n\n```\n{{< figure >}}\n```\n"
    )
    assert [c.text for c in article.claims] == ["Wrap the tag in {% raw %} to print it as text."]


def test_broken_markup_in_an_html_block_is_read_as_text_in_linear_time() -> None:
    # every `<a` here opens a tag that never closes: a tokenizer looking for each one's end
    # takes quadratic time (minutes at this size); read as text, it is one pass
    soup = "<div>\n" + "<a" * 60_000 + "\n</div>\n"
    article = parse_markdown(soup + '\n<p>Then <a href="https://example.com/ok">a link</a>.</p>\n')
    assert urls(article) == ["https://example.com/ok"]


def test_an_oversized_html_block_is_not_read() -> None:
    from verify.article.html import MAX_BLOCK

    block = "<div>\n" + "<p>The pier is long.</p>\n" * (MAX_BLOCK // 20) + "</div>\n"
    assert parse_markdown(block).claims == ()


def test_stray_template_braces_leave_the_prose_alone() -> None:
    article = parse_markdown("{{ " * 20_000 + "\n\nThe pier reopened on Monday after repairs.\n")
    assert "The pier reopened on Monday after repairs." in [c.text for c in article.claims]


def test_an_html_link_that_is_only_a_picture_is_no_source_as_in_markdown() -> None:
    article = parse_markdown(
        '<p align="center"><a href="https://ci.example.com/build"><img src="badge.svg"></a></p>'
        "\n\nThe build passes, "
        '<a href="https://ci.example.com/run/7"><img src="tick.svg" /></a>, said the bot.\n\n'
        "[![status](https://ci.example.com/badge.svg)](https://ci.example.com/md)\n"
    )
    assert urls(article) == []
