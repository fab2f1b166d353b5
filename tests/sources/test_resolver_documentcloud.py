"""DocumentCloud: URL parsing, the API answer, text JSON and plain text, private documents."""

from __future__ import annotations

import pytest
from mockfetch import MockFetcher

from verify.models import Options, Reference, RefStatus
from verify.sources.documentcloud import (
    DocumentCloudResolver,
    api_url,
    document_id,
    join_pages,
    text_json_url,
    text_url,
)
from verify.sources.resolvers import resolve_reference

API = "http://dc-api.test"
ASSETS = "http://assets.test/"
OPTIONS = Options(endpoints={"documentcloud_api": API})
DOC_URL = "https://www.documentcloud.org/documents/25031741-elon-vs-openai-again"
DOC_ID = "25031741"
SLUG = "elon-vs-openai-again"

PAGES = [
    "UNITED STATES DISTRICT COURT\nA made-up caption for a test complaint.",
    "The plaintiff says the defendants promised an open, non-profit mission.",
    "",
    "The plaintiff asks the court to return gains the defendants made.",
]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (DOC_URL, (DOC_ID, SLUG)),
        (DOC_URL + ".html", (DOC_ID, SLUG)),
        (
            "https://embed.documentcloud.org/documents/25031741-elon-vs-openai-again/",
            (DOC_ID, SLUG),
        ),
        (
            "https://documentcloud.org/documents/25031741-elon-vs-openai-again?page=3",
            (DOC_ID, SLUG),
        ),
        (
            "https://www.documentcloud.org/documents/25031741-elon-vs-openai-again#document/p2",
            (DOC_ID, SLUG),
        ),
        ("https://www.documentcloud.org/documents/25031741", (DOC_ID, None)),
        ("https://www.documentcloud.org/app", None),
        ("https://www.documentcloud.org/documents/abc-slug", None),
        ("https://documentcloud.org.evil.example/documents/1-x", None),
    ],
)
def test_document_id(url: str, expected: tuple[str, str | None] | None) -> None:
    assert document_id(url) == expected


def test_url_builders() -> None:
    assert api_url(DOC_ID) == f"https://api.www.documentcloud.org/api/documents/{DOC_ID}/"
    assert api_url(DOC_ID, API + "/") == f"{API}/api/documents/{DOC_ID}/"
    assert text_url("https://s3.documentcloud.org/", DOC_ID, SLUG) == (
        f"https://s3.documentcloud.org/documents/{DOC_ID}/{SLUG}.txt"
    )
    assert text_json_url(ASSETS, DOC_ID, SLUG) == f"{ASSETS}documents/{DOC_ID}/{SLUG}.txt.json"
    # an asset_url without its trailing slash still gives a well-formed address
    assert text_url("http://assets.test", DOC_ID, SLUG) == text_url(ASSETS, DOC_ID, SLUG)


def api_answer(**overrides: object) -> dict[str, object]:
    answer: dict[str, object] = {
        "id": int(DOC_ID),
        "access": "public",
        "status": "success",
        "title": "Test complaint",
        "slug": SLUG,
        "page_count": len(PAGES),
        "asset_url": ASSETS,
        "canonical_url": DOC_URL,
        "created_at": "2024-08-05T18:04:11.130435Z",
        "updated_at": "2024-08-05T18:06:02.000000Z",
        "language": "eng",
        "source": "U.S. District Court",
        "description": "",
        "organization": 1,
        "user": 2,
        "published_url": "",
    }
    answer.update(overrides)
    return answer


def text_json() -> dict[str, object]:
    return {
        "updated": 1722881162,
        "pages": [
            {"page": i, "contents": text, "ocr": "tess4", "updated": 1722881162}
            for i, text in enumerate(PAGES)
        ],
    }


def reference() -> Reference:
    return Reference(id="4", url=DOC_URL, line=1)


async def resolve(fetcher: MockFetcher, options: Options = OPTIONS):
    return await resolve_reference(
        reference(), fetcher, resolvers=[DocumentCloudResolver(options)], options=options
    )


async def test_public_document_reads_text_json_with_page_numbers() -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer())
    fetcher.add(text_json_url(ASSETS, DOC_ID, SLUG), text_json())
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK
    assert source.via == "documentcloud"
    doc = source.document
    assert doc is not None
    assert doc.title == "Test complaint"
    assert doc.published == "2024-08-05"
    assert [p.number for p in doc.pages] == [1, 2, 4]  # the blank third page has no span
    where = doc.text.index("return gains")
    assert doc.page_at(where) == 4
    assert doc.page_at(doc.text.index("open, non-profit")) == 2
    assert text_url(ASSETS, DOC_ID, SLUG) not in fetcher.urls


async def test_falls_back_to_plain_text_split_on_form_feeds() -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer())
    fetcher.add(text_json_url(ASSETS, DOC_ID, SLUG), "", http_status=404)
    fetcher.add(text_url(ASSETS, DOC_ID, SLUG), "\f".join(PAGES), content_type="text/plain")
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK
    doc = source.document
    assert doc is not None
    assert doc.page_at(doc.text.index("open, non-profit")) == 2
    assert doc.page_at(doc.text.index("return gains")) == 4
    assert any("trying plain text" in n for n in source.notes)


async def test_asset_url_comes_from_the_api_answer() -> None:
    other = "http://elsewhere.test/files/"
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer(asset_url=other))
    fetcher.add(text_json_url(other, DOC_ID, SLUG), text_json())
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK
    assert fetcher.urls[-1] == text_json_url(other, DOC_ID, SLUG)


@pytest.mark.parametrize("access", ["private", "organization"])
async def test_private_document_is_blocked(access: str) -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer(access=access))
    source = await resolve(fetcher, Options(archive=False, endpoints=OPTIONS.endpoints))
    assert source.status is RefStatus.BLOCKED
    assert "private document" in (source.error or "")
    assert len(fetcher.calls) == 1


@pytest.mark.parametrize(
    ("code", "status"),
    [(401, RefStatus.BLOCKED), (403, RefStatus.BLOCKED), (404, RefStatus.NOT_FOUND)],
)
async def test_api_errors(code: int, status: RefStatus) -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), {"detail": "nope"}, http_status=code)
    source = await resolve(fetcher, Options(archive=False, endpoints=OPTIONS.endpoints))
    assert source.status is status
    assert source.http_status == code


async def test_document_without_text_is_empty() -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer())
    fetcher.add(text_json_url(ASSETS, DOC_ID, SLUG), {"pages": [{"page": 0, "contents": " "}]})
    source = await resolve(fetcher)
    assert source.status is RefStatus.EMPTY


async def test_malformed_api_answer_is_an_error() -> None:
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), "<html>maintenance</html>")
    source = await resolve(fetcher)
    assert source.status is RefStatus.ERROR
    assert "not valid JSON" in (source.error or "")


async def test_links_only_reads_the_text_to_know_there_is_some_but_keeps_none() -> None:
    options = Options(links_only=True, endpoints=OPTIONS.endpoints)
    fetcher = MockFetcher()
    fetcher.add(api_url(DOC_ID, API), api_answer())
    fetcher.add(text_json_url(ASSETS, DOC_ID, SLUG), text_json())
    source = await resolve(fetcher, options)
    assert source.status is RefStatus.OK
    assert source.document is None
    assert fetcher.urls == [api_url(DOC_ID, API), text_json_url(ASSETS, DOC_ID, SLUG)]


async def test_a_document_without_text_is_empty_in_a_links_only_run_too() -> None:
    statuses = []
    for links_only in (False, True):
        fetcher = MockFetcher()
        fetcher.add(api_url(DOC_ID, API), api_answer())
        fetcher.add(text_json_url(ASSETS, DOC_ID, SLUG), {"pages": [{"page": 0, "contents": ""}]})
        options = Options(links_only=links_only, endpoints=OPTIONS.endpoints)
        statuses.append((await resolve(fetcher, options)).status)
    assert statuses == [RefStatus.EMPTY, RefStatus.EMPTY]


def test_join_pages_offsets_cover_each_page_text() -> None:
    text, pages = join_pages([(1, " alpha "), (2, "beta"), (3, "")])
    assert [text[p.start : p.end] for p in pages] == ["alpha", "beta"]
