"""The default web resolver and wall detection: HTML, plain text, PDFs, soft 404s, walls."""

from __future__ import annotations

import pytest
from mockfetch import MockFetcher, response
from pages import (
    BLOOMBERG_WALL,
    CLOUDFLARE_WALL,
    DATADOME_TEXT_WALL,
    DATADOME_WALL,
    JS_SHELL,
    LEAVES,
    LONG_ABOUT_NOT_FOUND,
    PAYWALL,
    SHORT_WITH_NEWSLETTER,
    SOFT_404,
)
from pdfs import make_pdf

from verify.models import FetchResult, Options, Reference, RefStatus, Source
from verify.sources.botwall import detect_wall, is_login_prompt
from verify.sources.extract import Extractor
from verify.sources.resolvers import resolve_reference
from verify.sources.web import WebResolver, is_soft_404

URL = "https://news.example.com/2024/08/06/story.html"
NO_ARCHIVE = Options(archive=False)


async def resolve(
    fetcher: MockFetcher, extractor: Extractor, options: Options = NO_ARCHIVE, url: str = URL
) -> Source:
    return await resolve_reference(
        Reference(id="1", url=url, line=1),
        fetcher,
        resolvers=[WebResolver(options, extractor)],
        options=options,
    )


async def test_html_article_is_extracted_without_clutter(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, LEAVES), extractor)
    assert source.status is RefStatus.OK
    assert source.via == "direct"
    assert source.http_status == 200
    doc = source.document
    assert doc is not None
    assert "He helped start the lab in 2015" in doc.text
    assert "Most read" not in doc.text and "All rights reserved" not in doc.text
    assert doc.published == "2024-08-06"
    assert doc.author == "Dana Example"


async def test_plain_text_passes_through(extractor: Extractor) -> None:
    fetcher = MockFetcher().add(
        URL, "  Line one of a note.\nLine two.  ", content_type="text/plain"
    )
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.OK
    assert source.document is not None
    assert source.document.text == "Line one of a note.\nLine two."


@pytest.mark.parametrize("ctype", ["image/png", "application/zip", "application/octet-stream"])
async def test_binary_types_are_unsupported(extractor: Extractor, ctype: str) -> None:
    fetcher = MockFetcher().add(URL, b"\x89PNG\r\n\x1a\n\x00\x00binary", content_type=ctype)
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.UNSUPPORTED
    assert "content type" in (source.error or "")


@pytest.mark.parametrize("ctype", ["application/pdf", "application/octet-stream", "text/html"])
async def test_pdf_by_content_type_or_signature(extractor: Extractor, ctype: str) -> None:
    pdf = make_pdf(["First page words about a lawsuit.", "Second page about the remedy."])
    source = await resolve(MockFetcher().add(URL, pdf, content_type=ctype), extractor)
    assert source.status is RefStatus.OK
    assert source.via == "pdf"
    doc = source.document
    assert doc is not None
    assert doc.page_at(doc.text.index("remedy")) == 2


async def test_scanned_pdf_is_empty(extractor: Extractor) -> None:
    fetcher = MockFetcher().add(URL, make_pdf([None]), content_type="application/pdf")
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.EMPTY
    assert source.error == "PDF has no text layer (scanned?)"


async def test_page_without_text_is_empty(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, JS_SHELL), extractor)
    assert source.status is RefStatus.EMPTY


async def test_soft_404_is_not_found(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, SOFT_404), extractor)
    assert source.status is RefStatus.NOT_FOUND
    assert "soft 404" in (source.error or "")
    assert source.http_status == 200


async def test_long_article_that_mentions_not_found_is_fine(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, LONG_ABOUT_NOT_FOUND), extractor)
    assert source.status is RefStatus.OK


def test_is_soft_404_rules() -> None:
    assert is_soft_404("404 - Example", "")
    assert is_soft_404(None, "Error 404: this page does not exist.")
    assert is_soft_404("Example", "Sorry, the article no longer exists.")
    assert not is_soft_404("Example", "Room 404 hosts the meeting on Friday.")
    assert not is_soft_404("Page not found", "word " * 400)


@pytest.mark.parametrize(
    ("body", "code", "headers", "name"),
    [
        (BLOOMBERG_WALL, 403, (), "Bloomberg robot check"),
        (BLOOMBERG_WALL, 200, (), "Bloomberg robot check"),
        (DATADOME_WALL, 403, (("x-datadome", "protected"),), "DataDome"),
        (DATADOME_TEXT_WALL, 200, (), "DataDome"),
        ("<html><body>denied</body></html>", 403, (("X-DataDome", "protected"),), "DataDome"),
        (CLOUDFLARE_WALL, 403, (), "Cloudflare challenge"),
        (
            "<html><body>hi</body></html>",
            403,
            (("cf-mitigated", "challenge"),),
            "Cloudflare challenge",
        ),
    ],
)
async def test_bot_walls_are_blocked_with_their_name(
    extractor: Extractor, body: str, code: int, headers: tuple[tuple[str, str], ...], name: str
) -> None:
    fetcher = MockFetcher().add(URL, body, http_status=code, headers=headers)
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.BLOCKED
    assert source.error == f"bot wall detected: {name}"
    assert source.http_status == code


async def test_tosv2_redirect_is_the_bloomberg_wall(extractor: Extractor) -> None:
    wall = "https://news.example.com/tosv2.html?vid=&uuid=1&url=L25ld3M="
    fetcher = MockFetcher({URL: response(URL, "<html>x</html>", final_url=wall, redirects=(wall,))})
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.BLOCKED
    assert "Bloomberg" in (source.error or "")


async def test_login_prompt_is_a_paywall(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, PAYWALL), extractor)
    assert source.status is RefStatus.BLOCKED
    assert source.error == "bot wall detected: paywall"


async def test_short_article_with_newsletter_line_is_not_a_paywall(extractor: Extractor) -> None:
    source = await resolve(MockFetcher().add(URL, SHORT_WITH_NEWSLETTER), extractor)
    assert source.status is RefStatus.OK


def test_ordinary_pages_are_not_walls() -> None:
    for page in (LEAVES, LONG_ABOUT_NOT_FOUND, SHORT_WITH_NEWSLETTER):
        assert detect_wall(response(URL, page), None) is None
    # Cloudflare serves its bot-management script on ordinary pages too
    ordinary = LEAVES.replace(
        "</body>", '<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></body>'
    )
    assert detect_wall(response(URL, ordinary), None) is None
    # a DataDome-protected site's normal answers may carry the header; only refusals count
    assert detect_wall(response(URL, LEAVES, headers=(("x-datadome", "protected"),)), None) is None


def test_is_login_prompt() -> None:
    assert is_login_prompt("Subscribe to continue reading. Already a subscriber? Sign in.")
    assert is_login_prompt("Sign in to continue")
    assert not is_login_prompt("A long report. " * 100 + "Subscribe to continue.")
    assert not is_login_prompt("The council voted on lanes. Subscribe now to our newsletter. " * 3)


async def test_http_failures_keep_their_status(extractor: Extractor) -> None:
    fetcher = MockFetcher().add(URL, "<html>gone</html>", http_status=410)
    source = await resolve(fetcher, extractor)
    assert source.status is RefStatus.NOT_FOUND
    assert source.http_status == 410
    source = await resolve(MockFetcher(), extractor)
    assert source.status is RefStatus.UNREACHABLE


async def test_links_only_skips_extraction(extractor: Extractor) -> None:
    class NoExtraction(Extractor):
        async def extract_html(self, html: str, url: str):  # type: ignore[override]
            raise AssertionError("links_only must not extract")

    options = Options(archive=False, links_only=True)
    source = await resolve(MockFetcher().add(URL, LEAVES), NoExtraction(), options)
    assert source.status is RefStatus.OK
    assert source.document is None
    source = await resolve(MockFetcher().add(URL, SOFT_404), NoExtraction(), options)
    assert source.status is RefStatus.NOT_FOUND


async def test_non_http_schemes_are_unsupported(extractor: Extractor) -> None:
    for url in ("ftp://files.example.com/a.txt", "mailto:someone@example.com", "no-scheme"):
        fetcher = MockFetcher()
        source = await resolve(fetcher, extractor, url=url)
        assert source.status is RefStatus.UNSUPPORTED
        assert fetcher.calls == []


def test_fetch_result_header_lookup_is_case_insensitive() -> None:
    result = FetchResult(url=URL, status=RefStatus.OK, headers=(("CF-Mitigated", "challenge"),))
    assert detect_wall(result, None) == "Cloudflare challenge"
