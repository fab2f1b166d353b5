"""Parsing articles: references, claims with line numbers, ignore comments, front matter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verify.article.language import detect_language
from verify.article.parse import parse_article, parse_markdown
from verify.errors import InputError
from verify.models import Article, Claim, Reference

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "fixtures" / "articles"
SEED = ROOT.parent / "shared" / "seed" / "article-openai-2024-08-08.md"
SEED_URLS = {
    "1": "https://www.bloomberg.com/news/articles/2024-08-06/"
    "openai-co-founder-john-schulman-departs-for-ai-rival-anthropic",
    "2": "https://www.cnbc.com/2024/07/23/"
    "openai-removes-ai-safety-executive-aleksander-madry-from-role.html",
    "3": "https://x.com/sama/status/1818867964369928387",
    "4": "https://www.documentcloud.org/documents/25031741-elon-vs-openai-again",
    "5": "https://www.nytimes.com/2024/08/05/technology/elon-musk-openai-lawsuit.html",
}


def fixture(name: str) -> Article:
    return parse_article(ARTICLES / name)


def refs(article: Article) -> dict[str, Reference]:
    return {r.id: r for r in article.references}


def claim_with(article: Article, *words: str) -> Claim:
    found = [c for c in article.claims if all(w in c.text for w in words)]
    assert len(found) == 1, (words, [c.text for c in article.claims])
    return found[0]


def source_line(article: Article, line: int) -> str:
    """A source line with inline markup characters removed, to compare with claim text."""
    return re.sub(r"[*_`~\\]", "", article.text.splitlines()[line - 1])


def assert_lines_match(article: Article) -> None:
    """Every claim starts on the line it names."""
    for claim in article.claims:
        head = claim.text[:6]
        assert head in source_line(article, claim.line), (claim, source_line(article, claim.line))


def assert_indexed(article: Article) -> None:
    assert [c.index for c in article.claims] == list(range(len(article.claims)))


# --- the seed article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    if not SEED.exists():
        pytest.skip("the shared seed article is not available")
    return parse_article(SEED)


def test_seed_has_exactly_the_five_listed_references(seed: Article) -> None:
    assert [r.id for r in seed.references] == ["1", "2", "3", "4", "5"]
    assert {r.id: r.url for r in seed.references} == SEED_URLS
    assert all(r.kind == "list" for r in seed.references)
    assert seed.ignored_references == ()


def test_seed_reference_lines_point_at_their_entries(seed: Article) -> None:
    lines = seed.text.splitlines()
    for ref in seed.references:
        assert lines[ref.line - 1] == f"[{ref.id}]{ref.url}"


def test_seed_images_and_promotion_are_not_references(seed: Article) -> None:
    hosts = {r.host for r in seed.references}
    assert "gptnb.com" not in hosts
    assert "www.jesonc.com" not in hosts


def test_seed_front_matter_and_language(seed: Article) -> None:
    assert seed.title is not None and seed.title.startswith("OpenAI高层巨变")
    assert "'" not in seed.title
    assert seed.date == "2024-08-08"
    assert seed.author == "ByteAILab"
    assert seed.language == "zh"


def test_seed_claims_have_correct_lines(seed: Article) -> None:
    assert_indexed(seed)
    assert_lines_match(seed)
    assert claim_with(seed, "Schulman", "辞职").line == 11
    assert claim_with(seed, "Brockman", "休长假").line == 22
    assert claim_with(seed, "Toberoff").line == 76
    assert claim_with(seed, "撤销").line == 78


def test_seed_non_claims_are_left_out(seed: Article) -> None:
    texts = [c.text for c in seed.claims]
    lines = {c.line for c in seed.claims}
    assert not any("图片来源" in t for t in texts)
    assert not any("感谢阅读" in t or "GPTNB" in t for t in texts)
    assert not any("http" in t or "参考链接" in t for t in texts)
    assert "ChatGPT架构师离职" not in texts
    assert "OpenAI人才持续流失" not in texts
    assert lines.isdisjoint({1, 3, 4, 5, 38, 56, 64, 80, 81, 85, 89})


def test_seed_transitions_are_listed_but_not_checkable(seed: Article) -> None:
    transition = claim_with(seed, "新的动作")
    assert transition.line == 66
    assert not transition.checkable
    assert not claim_with(seed, "高层大地震").checkable
    assert claim_with(seed, "Schulman", "辞职").checkable


def test_seed_claims_cite_nothing_explicitly(seed: Article) -> None:
    # The seed cites only through its end list, so every claim is checked against all five.
    assert not seed.cites_explicitly
    assert seed.candidates(seed.claims[1]) == tuple(SEED_URLS)


# --- an English article with inline links, footnotes and [n] markers -----------------------------


def test_english_references() -> None:
    article = fixture("english_inline.md")
    by_id = refs(article)
    assert set(by_id) == {"1", "2", "3", "^inspection", "L1", "L2"}
    assert by_id["1"].title == "Harbor City budget office report"
    assert by_id["2"].url == "https://news.example.org/2023/05/library-opens"
    assert by_id["3"].kind == "list"
    assert by_id["^inspection"].kind == "footnote"
    assert by_id["^inspection"].url == "https://uscg.example.gov/inspections/barge-41"
    assert by_id["L1"].kind == "inline"
    assert by_id["L1"].title == "council minutes"
    assert by_id["L2"].url == "https://library.example.org/volunteer"
    assert all(r.line >= 1 for r in article.references)
    lines = article.text.splitlines()
    for ref in article.references:
        assert ref.url in lines[ref.line - 1] or ref.kind == "inline"


def test_english_links_that_are_not_references() -> None:
    urls = {r.url for r in fixture("english_inline.md").references}
    assert not any("img.example.org" in u for u in urls)  # an image
    assert not any(u.startswith(("mailto:", "#", "..")) for u in urls)
    assert not any("api.example.org" in u for u in urls)  # inside a code block
    assert not any("subscribe" in u for u in urls)  # the sign-off


def test_english_claims_and_citations() -> None:
    article = fixture("english_inline.md")
    assert_indexed(article)
    assert_lines_match(article)
    assert article.title == "Harbor City Opens a Floating Library"
    assert article.author == "Dana O'Neil"
    assert article.date == "2023-05-14"
    assert article.language == "en"
    minutes = claim_with(article, "vote was 7 to 2")
    assert minutes.references == ("L1",)
    assert minutes.line == 9
    refit = claim_with(article, "Mr. Alvarez")
    assert refit.text == "Mr. Alvarez, the project lead, said the barge cost $1.5 million to refit."
    assert refit.references == ("1",)
    inspected = claim_with(article, "Coast Guard inspected")
    assert inspected.text.startswith("Dr. Chen of the U.S. Coast Guard")
    assert inspected.references == ("^inspection",)
    assert inspected.line == 12
    visitors = claim_with(article, "2,400 visitors")
    assert visitors.references == ("2", "3")
    assert visitors.text.endswith("first weekend.")
    assert claim_with(article, "3.5 thousand books").references == ()
    question = claim_with(article, "winter storms")
    assert not question.checkable
    assert claim_with(article, "volunteer page").references == ("L2",)


def test_english_non_claims() -> None:
    article = fixture("english_inline.md")
    texts = " ".join(c.text for c in article.claims)
    for absent in ("Opening day", "press office", "Thanks for reading", "curl", "Item | Cost"):
        assert absent not in texts
    assert "budget office report" not in texts  # the reference list
    row = claim_with(article, "Shelving")
    assert row.references == ("2",)
    assert row.line == 37


# --- link reference definitions ------------------------------------------------------------------


def test_definitions_become_references() -> None:
    article = fixture("definitions.md")
    by_id = refs(article)
    assert set(by_id) == {"1", "2", "plan"}
    assert by_id["1"].kind == by_id["2"].kind == "definition"
    assert by_id["1"].title == "Reopening notice"
    assert by_id["1"].line == 9
    # A named definition is a link target: used, it is a reference whose id is its label
    # (what `--source plan=...` names), on the line the URL is written; unused, nothing.
    assert (by_id["plan"].kind, by_id["plan"].url, by_id["plan"].title, by_id["plan"].line) == (
        "definition",
        "https://rail.example.com/plan-2024.pdf",
        "annual plan",
        11,
    )


def test_reference_style_link_to_a_numbered_definition_cites_it() -> None:
    md = "The pier was rebuilt, says [the council][1].\n\n[1]: https://c.example.com/pier\n"
    article = parse_markdown(md)
    assert [(r.id, r.kind) for r in article.references] == [("1", "definition")]
    assert article.claims[0].references == ("1",)


def test_definition_markers_are_citations() -> None:
    article = fixture("definitions.md")
    assert claim_with(article, "two-year rebuild").references == ("1",)
    assert claim_with(article, "two-year rebuild").text.endswith("rebuild.")
    assert claim_with(article, "nine bridges").references == ("2",)
    assert claim_with(article, "80,000 riders").references == ("plan",)
    assert claim_with(article, "12 percent").references == ("1", "2")
    assert claim_with(article, "hiking club").references == ()
    assert_lines_match(article)


# --- ignore comments -----------------------------------------------------------------------------


def test_ignore_comments_flag_claims() -> None:
    article = fixture("ignore_comments.md")
    ignored = {c.text for c in article.claims if c.ignored}
    assert ignored == {
        "This paragraph is a joke and is not checked.",
        "It links to a parody site.",
        "A list item that is ignored, with a link.",
        "Everything in here is ignored.",
        "Even this second sentence.",
        "A quotation inside the ignored region.",
        "The last paragraph is checked once more.",
        "Both of its sentences are ignored.",
    }
    checked = [c.text for c in article.claims if not c.ignored]
    assert checked == [
        "The first paragraph is checked as usual.",
        "The third paragraph is checked again.",
        "A list item that is checked.",
    ]
    assert_indexed(article)


def test_ignore_comments_move_references_aside() -> None:
    article = fixture("ignore_comments.md")
    assert [r.url for r in article.references] == [
        "https://first.example.com/story",
        "https://second.example.com/story",
    ]
    assert {r.url for r in article.ignored_references} == {
        "https://third.example.com/ignored-entry",
        "https://parody.example.net/",
        "https://ignored.example.net/item",
    }


def test_unclosed_ignore_start_runs_to_the_end() -> None:
    article = parse_markdown("Checked here.\n\n<!-- verify-ignore-start -->\n\nNot checked.\n")
    assert [(c.text, c.ignored) for c in article.claims] == [
        ("Checked here.", False),
        ("Not checked.", True),
    ]


# --- edge cases ----------------------------------------------------------------------------------


def test_edge_cases_fixture() -> None:
    article = fixture("edge_cases.md")
    assert_indexed(article)
    assert_lines_match(article)
    # only the link in the HTML block: none in code (issue 17: HTML in markdown is read)
    assert [(r.url, r.line) for r in article.references] == [("https://html.example.com/", 37)]
    assert claim_with(article, "An HTML block with a link.").references == ("L1",)
    texts = [c.text for c in article.claims]
    assert claim_with(article, "river froze in 1963").line == 7
    assert claim_with(article, "30 cm thick").line == 8
    assert claim_with(article, "skaters crossed").line == 9
    assert claim_with(article, "bridge shook").line == 12
    assert claim_with(article, "nobody was hurt").line == 14
    assert "Bold heading without punctuation" not in texts
    assert "Bold sentence that ends with a stop." in texts
    assert "..." not in texts
    assert not claim_with(article, "bridge safe").checkable
    assert not claim_with(article, "short statement").checkable
    assert not claim_with(article, "Ok.").checkable
    assert "Year | Event" not in texts
    assert claim_with(article, "River froze").line == 32
    assert not any("code.example.com/indented" in t or "html.example.com" in t for t in texts)
    assert not any("unclosed fence" in t for t in texts)
    soft = claim_with(article, "soft break in the middle")
    assert soft.text == "A line with a soft break in the middle of a sentence."
    assert soft.line == 40
    assert claim_with(article, "starts after the break").line == 41
    assert claim_with(article, "A hard break ends here").line == 44
    assert claim_with(article, "the next line is a new sentence").line == 45
    assert claim_with(article, "Struck text").references == ()


def test_chinese_bullets_fixture() -> None:
    article = fixture("chinese_bullets.md")
    assert article.language == "zh"
    assert (article.title, article.date, article.author) == (
        "小镇图书馆改造完成",
        "2022-11-30",
        "编辑部",
    )
    assert [(r.id, r.url) for r in article.references] == [
        ("1", "https://town.example.cn/news/library-reopen"),
        ("2", "https://gov.example.cn/notice/2022-118"),
    ]
    assert refs(article)["2"].title == "镇政府公告"
    assert claim_with(article, "重新开放").references == ("1",)
    assert claim_with(article, "五万册").references == ("2",)
    assert claim_with(article, "五万册").text == "新馆面积扩大到原来的两倍，藏书超过五万册。"
    texts = " ".join(c.text for c in article.claims)
    for absent in ("改造概况", "图源", "感谢阅读", "daily.example.cn", "参考资料"):
        assert absent not in texts
    assert not claim_with(article, "你去过").checkable
    assert not claim_with(article, "下一步计划").checkable
    assert_lines_match(article)


# --- reference list formats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [
        "参考链接：\n[1]https://a.example.com/x\n[2]https://b.example.com/y",
        "References\n\n[1] https://a.example.com/x\n[2] https://b.example.com/y",
        "## Sources\n\n1. https://a.example.com/x\n2. https://b.example.com/y",
        "**参考资料**\n\n1. [A](https://a.example.com/x)\n2. [B](https://b.example.com/y)",
        "Bibliography:\n\n- https://a.example.com/x\n- https://b.example.com/y",
        "引用\n\n［1］https://a.example.com/x\n［2］https://b.example.com/y",
        "[1]: https://a.example.com/x\n[2]: https://b.example.com/y",
    ],
)
def test_reference_list_formats(entries: str) -> None:
    article = parse_markdown(
        f"The ferry sank in 1901 [1]. It was raised in 1902 [2].\n\n{entries}\n"
    )
    assert [(r.id, r.url) for r in article.references] == [
        ("1", "https://a.example.com/x"),
        ("2", "https://b.example.com/y"),
    ]
    assert [c.references for c in article.claims] == [("1",), ("2",)]
    assert [c.text for c in article.claims] == ["The ferry sank in 1901.", "It was raised in 1902."]


def test_reference_list_keeps_odd_schemes_and_malformed_urls() -> None:
    md = (
        "Text here.\n\n## Sources\n\n"
        "1. ftp://files.example.com/a\n2. htp//broken\n3. mailto:x@example.com\n"
    )
    assert [(r.id, r.url) for r in parse_markdown(md).references] == [
        ("1", "ftp://files.example.com/a"),
        ("2", "htp//broken"),
        ("3", "mailto:x@example.com"),
    ]


def test_reference_list_entries_without_urls_are_skipped() -> None:
    md = "Text here.\n\n## Notes\n\n1. An interview with the harbour master, 2021.\n2. https://n.example.com\n"
    assert [(r.id, r.url) for r in parse_markdown(md).references] == [
        ("2", "https://n.example.com")
    ]


def test_reference_section_ends_at_the_next_heading_or_prose() -> None:
    md = (
        "## References\n\n1. https://a.example.com\n\n## After\n\nThis is prose again.\n\n"
        "Sources:\n\n- https://b.example.com\n\nAnd this paragraph is prose too.\n"
    )
    article = parse_markdown(md)
    assert [r.url for r in article.references] == ["https://a.example.com", "https://b.example.com"]
    assert [c.text for c in article.claims] == [
        "This is prose again.",
        "And this paragraph is prose too.",
    ]


def test_an_article_titled_like_a_reference_section_keeps_its_claims() -> None:
    md = (
        "# Sources\n\nThe harbour floods twice a month, say [the council](https://c.example/f)."
        "\n\nNew walls are promised by 2026 [1].\n\n## References\n\n1. https://n.example/w\n"
    )
    article = parse_markdown(md)
    assert article.title == "Sources"
    assert [c.line for c in article.claims] == [3, 5]
    assert [(r.id, r.url, r.kind) for r in article.references] == [
        ("1", "https://n.example/w", "list"),
        ("L1", "https://c.example/f", "inline"),
    ]
    assert article.claims[1].references == ("1",)
    # a file that is only such a heading and a list is a reference list
    only = parse_markdown("# References\n\n1. https://a.example/x\n2. https://b.example/y\n")
    assert [(r.id, r.kind) for r in only.references] == [("1", "list"), ("2", "list")]
    assert only.claims == ()


def test_label_with_inline_url() -> None:
    article = parse_markdown("Claim text here.\n\nSource: https://only.example.com/page\n")
    assert [(r.id, r.url, r.line) for r in article.references] == [
        ("1", "https://only.example.com/page", 3)
    ]


def test_label_with_several_inline_urls() -> None:
    article = parse_markdown(
        "Claim text here.\n\nSources: https://a.example.com, https://b.example.com\n"
    )
    assert [(r.id, r.url) for r in article.references] == [
        ("1", "https://a.example.com"),
        ("2", "https://b.example.com"),
    ]


def test_credit_label_without_url_is_boilerplate() -> None:
    article = parse_markdown("来源：新华社\n\n正文继续，这里是新的内容。\n")
    assert [c.text for c in article.claims] == ["正文继续，这里是新的内容。"]
    assert article.references == ()


# --- inline links, footnotes, markers ------------------------------------------------------------


def test_same_inline_url_is_one_reference() -> None:
    md = "One [a](https://same.example.com/p) and [b](https://same.example.com/p). Two [c](https://other.example.com)."
    article = parse_markdown(md)
    assert [(r.id, r.url, r.title) for r in article.references] == [
        ("L1", "https://same.example.com/p", "a"),
        ("L2", "https://other.example.com", "c"),
    ]
    assert [c.references for c in article.claims] == [("L1",), ("L2",)]


def test_inline_link_to_a_listed_url_cites_the_list_entry() -> None:
    # one source, one reference, cited from both places (issue 17)
    md = "See [the report](https://r.example.com/1).\n\n参考资料：\n[1] https://r.example.com/1\n"
    article = parse_markdown(md)
    assert [(r.id, r.kind) for r in article.references] == [("1", "list")]
    assert article.claims[0].references == ("1",)


def test_footnotes_without_url_are_not_references() -> None:
    md = "A claim[^a] and another[^b].\n\n[^a]: Told to the author in person.\n[^b]: See <https://fn.example.com/x>.\n"
    article = parse_markdown(md)
    assert [(r.id, r.url, r.line) for r in article.references] == [
        ("^b", "https://fn.example.com/x", 4)
    ]
    assert article.claims[0].references == ("^b",)
    assert article.claims[0].text == "A claim and another."


def test_unknown_markers_stay_text() -> None:
    md = "Element array[0] and year [2024] stay. Known one [1].\n\n[1]: https://k.example.com\n"
    article = parse_markdown(md)
    assert article.claims[0].text == "Element array[0] and year [2024] stay."
    assert article.claims[0].references == ()
    assert article.claims[1].references == ("1",)


def test_marker_lists_and_ranges() -> None:
    md = "First [1, 3]. Second [2-4].\n\nSources:\n" + "".join(
        f"[{n}] https://s.example.com/{n}\n" for n in range(1, 5)
    )
    article = parse_markdown(md)
    assert [c.references for c in article.claims] == [("1", "3"), ("2", "3", "4")]


def test_bare_urls_in_prose_are_references() -> None:
    article = parse_markdown("Details at https://bare.example.com/page, says the mayor.\n")
    assert [(r.id, r.url) for r in article.references] == [("L1", "https://bare.example.com/page")]
    assert article.claims[0].references == ("L1",)


def test_not_references_in_prose() -> None:
    md = (
        "Mail [us](mailto:a@example.com), jump [here](#top), open [notes](notes/a.md), "
        "see ![chart](https://c.example.com/chart.png), [photo](https://c.example.com/p.jpg?w=2) "
        "and `https://code.example.com/x` please. A linked picture "
        "[![pic](https://x.example.com/p)](https://site.example.com/a) and a hosted one "
        "[tweet pic](https://pbs.twimg.com/media/x).\n"
    )
    assert parse_markdown(md).references == ()


def test_wrapped_list_item_is_one_entry() -> None:
    md = (
        "Text here.\n\n## References\n\n1. Harbor report, 2021\n   https://h.example.com/r\n"
        "2. [Tide tables](https://t.example.com)\n"
    )
    article = parse_markdown(md)
    assert [(r.id, r.url, r.title, r.line) for r in article.references] == [
        ("1", "https://h.example.com/r", "Harbor report, 2021", 6),
        ("2", "https://t.example.com", "Tide tables", 7),
    ]


def test_url_directly_after_chinese_text() -> None:
    article = parse_markdown("详见https://x.example.cn/a。后来又说了。\n")
    assert [r.url for r in article.references] == ["https://x.example.cn/a"]
    assert article.claims[0].references == ("L1",)


# --- claims --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "checkable"),
    [
        ("The library opened on Friday.", True),
        ("新馆于上周重新开放。", True),
        ("Did the library open on Friday?", False),
        ("新馆开放了吗？", False),
        ("Here is what happened next:", False),
        ("与此同时，镇政府也有新的动作——", False),
        ("Yes.", False),
        ("好的。", False),
    ],
)
def test_checkable(text: str, checkable: bool) -> None:
    (claim,) = parse_markdown(text).claims
    assert claim.checkable is checkable


def test_markdown_is_stripped_from_claims() -> None:
    md = (
        "**Bold** and *em* text with [a link](https://l.example.com/), `code` and ![i](i.png) here."
    )
    (claim,) = parse_markdown(md).claims
    assert claim.text == "Bold and em text with a link, code and here."


def test_crlf_line_numbers_and_text_kept() -> None:
    md = "First line\r\ncontinues here. Second sentence.\r\n\r\nThird paragraph.\r\n"
    article = parse_markdown(md)
    assert article.text == md
    assert [(c.text, c.line) for c in article.claims] == [
        ("First line continues here.", 1),
        ("Second sentence.", 2),
        ("Third paragraph.", 4),
    ]


def test_title_falls_back_to_the_first_h1() -> None:
    article = parse_markdown("Intro line here.\n\n# The Real Title\n\nBody text here.\n")
    assert article.title == "The Real Title"
    assert article.date is None and article.author is None


def test_front_matter_variants() -> None:
    md = (
        '---\ntitle: "Quoted: with colon"\nauthor:\n  - Ann Lee\n  - Bo Chen\n'
        "date: 2024-01-02 # day\n---\n\nBody text here.\n"
    )
    article = parse_markdown(md)
    assert (article.title, article.author, article.date) == (
        "Quoted: with colon",
        "Ann Lee, Bo Chen",
        "2024-01-02",
    )
    assert article.claims[0].line == 9


# --- robustness ----------------------------------------------------------------------------------


def test_ten_thousand_references() -> None:
    entries = "".join(f"[{n}] https://r.example.com/{n}\n" for n in range(1, 10_001))
    article = parse_markdown("A claim [9999].\n\n参考链接：\n" + entries)
    assert len(article.references) == 10_000
    assert article.references[-1] == Reference("10000", "https://r.example.com/10000", 10_003)
    assert article.claims[0].references == ("9999",)


def test_million_character_line() -> None:
    line = "word " * 200_000
    article = parse_markdown(f"Start here.\n\n{line}\n\nEnd here.\n")
    assert article.claims[0].text == "Start here."
    assert article.claims[-1].line == 5


@pytest.mark.parametrize(
    "md",
    [
        "```\nunclosed fence https://x.example.com\n",
        # (nesting past the parser's limit is an input error: test_nesting.py)
        "> " * 90 + "deep quote",
        "- " * 90 + "deep list",
        "[1] http://[::1\n[2] https://%%%\n[3] http://exa mple.com\n\nSources:\n[4] ://\n",
        "[broken](http://a.example.com/(((\n[x]: <>\n\n[^]: \n",
        "<!-- verify-ignore-end -->\n<!-- verify-ignore -->",
        "|a|b|\n|-|-|\n|[1]|[2]|\n",
        "\x00\ufeff\u2028\x0b text \u0085 more",
        "* * *\n***\n___\n---\n",
    ],
)
def test_odd_markdown_does_not_crash(md: str) -> None:
    article = parse_markdown(md)
    line_count = len(md.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert all(1 <= c.line <= line_count for c in article.claims)
    assert all(1 <= r.line <= line_count for r in article.references)


def test_large_article_parses() -> None:
    paragraph = "The harbour ferry carried 1.5 thousand people on Jan. 3 [1]. It was full!\n\n"
    md = paragraph * 20_000 + "Sources:\n[1] https://f.example.com\n"
    article = parse_markdown(md)
    assert len(article.claims) == 40_000
    assert article.claims[-1].line == 39_999


def test_parse_article_reads_legacy_encodings(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes("新馆于上周重新开放。\n\n参考资料：\n[1] https://g.example.cn\n".encode("gbk"))
    article = parse_article(path)
    assert article.path == str(path)
    assert article.claims[0].text == "新馆于上周重新开放。"
    assert article.references[0].url == "https://g.example.cn"


def test_parse_article_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        parse_article(tmp_path / "missing.md")


# --- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("联创John Schulman辞职，OpenAI总裁Greg Brockman休长假。", "zh"),
        ("The floating library opened on Friday with 2,400 visitors.", "en"),
        ("Le café est fermé le dimanche.", "en"),
        ("12345 !!! ... ---", None),
        ("", None),
        ("図書館は金曜日に開館しました。", "ja"),
        ("도서관이 금요일에 문을 열었다.", "ko"),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_links_to_non_web_addresses_are_references_not_lost() -> None:
    """file:, ftp:, data:, javascript: and a chat tool's sandbox: links cite something a
    reader cannot open: they are references (never fetched), where markdown-it alone would
    drop the file: and javascript: ones as unsafe links. Contacts and images still are not."""
    md = (
        "The ledger was kept on a laptop [copy](file:///home/a/ledger.pdf) until May.\n\n"
        "The mirror still served the files [mirror](ftp://files.example.org/a) last week.\n\n"
        "The chart came from a chat session [chart](sandbox:/mnt/data/chart.csv) yesterday.\n\n"
        "Someone pasted a script [run](javascript:alert(1)) into the draft.\n\n"
        "Write to [us](mailto:a@example.com) or see ![pic](file:///tmp/pic.png) for more.\n\n"
        "The audit itself was published in March [1].\n\n"
        "[1]: file:///C:/reports/audit.pdf\n"
    )
    article = parse_markdown(md)
    assert [(r.id, r.url) for r in article.references] == [
        ("1", "file:///C:/reports/audit.pdf"),
        ("L1", "file:///home/a/ledger.pdf"),
        ("L2", "ftp://files.example.org/a"),
        ("L3", "sandbox:/mnt/data/chart.csv"),
        ("L4", "javascript:alert(1)"),
    ]
    cited = {c.text.split()[1]: c.references for c in article.claims}
    assert cited["ledger"] == ("L1",) and cited["audit"] == ("1",)
    assert not any("file:///" in c.text for c in article.claims)  # not left in the prose


def test_a_line_that_is_only_a_link_is_no_claim() -> None:
    """A list of bare URLs with no heading ("1. https://…") is no prose: its items cite, but
    say nothing a source could confirm."""
    md = (
        "The ferry carried 310,000 travellers last year [1].\n\n"
        "1. https://ferry.example.org/annual-report\n"
        "2. https://ferry.example.org/fares (fares)\n"
    )
    article = parse_markdown(md)
    assert [c.text for c in article.claims] == [
        "The ferry carried 310,000 travellers last year [1].",
        "https://ferry.example.org/fares (fares)",
    ]
    assert [r.url for r in article.references] == [
        "https://ferry.example.org/annual-report",
        "https://ferry.example.org/fares",
    ]
