"""The five seed URL shapes, resolved end to end through HttpFetcher against a local server.

One aiohttp app stands in for every service: the news sites (a Bloomberg robot check, a
DataDome wall, a plain page), X's syndication and oEmbed endpoints, DocumentCloud's API and
asset server, and the Wayback Machine's availability API and raw snapshots. Real hosts are
mapped onto it by a small URL-rewriting Fetcher, since there is no DNS here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest
from aiohttp import web
from pages import (
    BLOOMBERG_WALL,
    CLOUDFLARE_WALL,
    DATADOME_WALL,
    JS_SHELL,
    LAWSUIT_ARCHIVED,
    LEAVES,
    REASSIGNED,
    SOFT_404,
    availability_answer,
)
from pdfs import make_pdf
from servers import RequestLog, serve

from verify.http.client import HttpFetcher
from verify.models import FetchResult, Options, Reference, RefStatus, Source
from verify.sources.extract import Extractor
from verify.sources.resolvers import default_resolvers, resolve_reference

BLOOMBERG = (
    "https://www.bloomberg.com/news/articles/2024-08-06/"
    "openai-co-founder-john-schulman-departs-for-ai-rival-anthropic"
)
CNBC = "https://www.cnbc.com/2024/07/23/openai-removes-ai-safety-executive-aleksander-madry-from-role.html"
X_POST = "https://x.com/sama/status/1818867964369928387"
DOCCLOUD = "https://www.documentcloud.org/documents/25031741-elon-vs-openai-again"
NYT = "https://www.nytimes.com/2024/08/05/technology/elon-musk-openai-lawsuit.html"

TOKEN = "4eq54c3p9uj"  # what the embed widget's JavaScript computes for the seed post's id
TS_BLOOMBERG = "20240806183012"
TS_NYT = "20240805221530"

DEAD = "https://www.example-news.com/2023/old-story.html"
SOFT = "https://www.example-news.com/moved.html"
WALLED_UNARCHIVED = "https://www.example-news.com/members/story.html"
REPORT_PDF = "https://www.example-news.com/files/report.pdf"
SCAN_PDF = "https://www.example-news.com/files/scan.pdf"
DELETED_POST = "https://twitter.com/someone/status/1111111111111111111"
OEMBED_ONLY_POST = "https://mobile.twitter.com/someone/status/2222222222222222222?s=20"
PRIVATE_DOC = "https://www.documentcloud.org/documents/999-internal-memo"

SNAPSHOTS = {
    BLOOMBERG: (TS_BLOOMBERG, LEAVES),
    NYT: (TS_NYT, LAWSUIT_ARCHIVED),
    DEAD: ("20230101000000", REASSIGNED),
}

COMPLAINT_PAGES = [
    "UNITED STATES DISTRICT COURT, NORTHERN DISTRICT OF CALIFORNIA. A test caption.",
    "The plaintiff alleges he was deceived about a safe, open, non-profit mission.",
    "The plaintiff asks the court to void a license and return ill-gotten gains.",
]

SITES = {
    "https://www.bloomberg.com/": "/bloomberg/",
    "https://www.cnbc.com/": "/cnbc/",
    "https://www.nytimes.com/": "/nytimes/",
    "https://www.example-news.com/": "/example-news/",
    "https://x.com/": "/x.com/",
    "https://www.documentcloud.org/": "/documentcloud-viewer/",
}


def html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=headers
    )


def make_app(log: RequestLog) -> web.Application:
    routes = web.RouteTableDef()

    @routes.get("/bloomberg/{tail:.*}")
    async def bloomberg(request: web.Request) -> web.Response:
        return html(BLOOMBERG_WALL, 403)

    @routes.get("/nytimes/{tail:.*}")
    async def nytimes(request: web.Request) -> web.Response:
        return html(DATADOME_WALL, 403, {"x-datadome": "protected", "x-dd-b": "1"})

    @routes.get("/cnbc/{tail:.*}")
    async def cnbc(request: web.Request) -> web.Response:
        return html(REASSIGNED)

    @routes.get("/x.com/{tail:.*}")
    async def x_shell(request: web.Request) -> web.Response:
        return html(JS_SHELL)

    @routes.get("/documentcloud-viewer/{tail:.*}")
    async def viewer(request: web.Request) -> web.Response:
        return html("<html><body><div id='app'></div><script src='/app.js'></script></body></html>")

    @routes.get("/example-news/2023/old-story.html")
    async def dead(request: web.Request) -> web.Response:
        return html("<html><body>Gone</body></html>", 404)

    @routes.get("/example-news/moved.html")
    async def soft(request: web.Request) -> web.Response:
        return html(SOFT_404)

    @routes.get("/example-news/members/story.html")
    async def cloudflare(request: web.Request) -> web.Response:
        return html(CLOUDFLARE_WALL, 403, {"cf-mitigated": "challenge", "server": "cloudflare"})

    @routes.get("/example-news/files/report.pdf")
    async def report(request: web.Request) -> web.Response:
        body = make_pdf(["Annual report, page one.", "Revenue grew on page two."])
        return web.Response(body=body, content_type="application/pdf")

    @routes.get("/example-news/files/scan.pdf")
    async def scan(request: web.Request) -> web.Response:
        # served with a generic type: recognised by its signature
        return web.Response(body=make_pdf([None]), content_type="application/octet-stream")

    @routes.get("/syn/tweet-result")
    async def syndication(request: web.Request) -> web.Response:
        post_id = request.query.get("id")
        if post_id == "1818867964369928387":
            if request.query.get("token") != TOKEN:
                return web.json_response({"error": "bad token"}, status=400)
            return web.json_response(
                {
                    "__typename": "Tweet",
                    "lang": "en",
                    "id_str": post_id,
                    "created_at": "2024-08-06T02:30:00.000Z",
                    "display_text_range": [0, 150],
                    "text": "Thank you for everything you built here over the years; we first "
                    "met in 2015 and I am excited to see what you do next.",
                    "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
                    "user": {
                        "id_str": "1605",
                        "name": "Sam Altman",
                        "screen_name": "sama",
                        "profile_image_url_https": "https://pbs.twimg.com/profile_images/a.jpg",
                        "verified": False,
                        "is_blue_verified": True,
                    },
                    "favorite_count": 9000,
                    "conversation_count": 800,
                }
            )
        if post_id == "1111111111111111111":
            return web.json_response(
                {
                    "__typename": "TweetTombstone",
                    "tombstone": {
                        "text": {"text": "This Post was deleted by the Post author. Learn more"}
                    },
                }
            )
        return web.json_response({}, status=500)

    @routes.get("/oembed-svc/oembed")
    async def oembed(request: web.Request) -> web.Response:
        if "2222222222222222222" not in request.query.get("url", ""):
            return web.json_response({}, status=404)
        return web.json_response(
            {
                "url": "https://twitter.com/someone/status/2222222222222222222",
                "author_name": "Some One",
                "author_url": "https://twitter.com/someone",
                "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">An embed-only '
                "post about test fixtures.</p>&mdash; Some One (@someone) "
                '<a href="https://twitter.com/someone/status/2222222222222222222">'
                "March 3, 2024</a></blockquote>\n",
                "type": "rich",
                "version": "1.0",
                "provider_name": "Twitter",
            }
        )

    @routes.get("/dc/api/documents/{doc_id}/")
    async def dc_api(request: web.Request) -> web.Response:
        base = f"http://{request.host}/assets/"
        doc_id = request.match_info["doc_id"]
        common = {"status": "success", "asset_url": base, "language": "eng", "organization": 1}
        if doc_id == "25031741":
            return web.json_response(
                {
                    **common,
                    "id": 25031741,
                    "access": "public",
                    "title": "Elon vs OpenAI again",
                    "slug": "elon-vs-openai-again",
                    "page_count": len(COMPLAINT_PAGES),
                    "canonical_url": DOCCLOUD,
                    "created_at": "2024-08-05T18:04:11.130435Z",
                    "source": "Test court",
                }
            )
        if doc_id == "999":
            return web.json_response(
                {**common, "id": 999, "access": "private", "slug": "internal-memo"}
            )
        return web.json_response({"detail": "Not found."}, status=404)

    @routes.get("/assets/documents/25031741/elon-vs-openai-again.txt.json")
    async def dc_text_json(request: web.Request) -> web.Response:
        pages = [{"page": i, "contents": t} for i, t in enumerate(COMPLAINT_PAGES)]
        return web.json_response({"updated": 1722881162, "pages": pages})

    @routes.get("/wbapi/wayback/available")
    async def availability(request: web.Request) -> web.Response:
        url = request.query.get("url", "")
        if url not in SNAPSHOTS:
            return web.json_response({"url": url, "archived_snapshots": {}})
        return web.json_response(availability_answer(url, SNAPSHOTS[url][0]))

    @routes.get("/wb/web/{stamp:\\d{14}}id_/{original:.*}")
    async def snapshot(request: web.Request) -> web.Response:
        original = request.match_info["original"]
        if request.query_string:
            original += "?" + request.query_string
        found = SNAPSHOTS.get(original)
        if found is None or found[0] != request.match_info["stamp"]:
            return html("<html><body>Not in archive</body></html>", 404)
        return html(found[1])

    app = web.Application(middlewares=[log.middleware])
    app.add_routes(routes)
    return app


@dataclass
class RewritingFetcher:
    """Sends requests for the real news hosts to the local server; answers keep the real URL."""

    inner: HttpFetcher
    base: str

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        target = url
        for prefix, path in SITES.items():
            if url.startswith(prefix):
                target = self.base + path + url[len(prefix) :]
                break
        result = await self.inner.fetch(target, accept=accept)
        return replace(result, url=url)


@dataclass
class World:
    fetcher: RewritingFetcher
    options: Options
    extractor: Extractor
    log: RequestLog

    async def resolve(self, url: str, ref_id: str = "1") -> Source:
        return await resolve_reference(
            Reference(id=ref_id, url=url, line=1),
            self.fetcher,
            resolvers=default_resolvers(self.options, self.extractor),
            options=self.options,
        )


@pytest.fixture
async def world() -> AsyncIterator[World]:
    log = RequestLog()
    async with serve(make_app(log)) as base:
        options = Options(
            allow_private=True,
            cache=False,
            retries=0,
            timeout=10.0,
            endpoints={
                "x_syndication": f"{base}/syn",
                "x_oembed": f"{base}/oembed-svc",
                "documentcloud_api": f"{base}/dc",
                "wayback_api": f"{base}/wbapi",
                "wayback": f"{base}/wb",
            },
        )
        extractor = Extractor()
        try:
            async with HttpFetcher(options, backoff=0.01) as http:
                yield World(RewritingFetcher(http, base), options, extractor, log)
        finally:
            extractor.close()


async def test_bloomberg_robot_check_is_answered_from_the_archive(world: World) -> None:
    source = await world.resolve(BLOOMBERG)
    assert source.status is RefStatus.ARCHIVED
    assert source.via == "wayback"
    assert source.http_status == 403
    doc = source.document
    assert doc is not None
    assert doc.archived_at == "2024-08-06"
    assert doc.archived_url is not None and doc.archived_url.endswith(
        f"{TS_BLOOMBERG}id_/{BLOOMBERG}"
    )
    assert "He helped start the lab in 2015" in doc.text
    assert any("Bloomberg robot check" in n for n in source.notes)


async def test_cnbc_page_is_read_directly(world: World) -> None:
    source = await world.resolve(CNBC)
    assert source.status is RefStatus.OK
    assert source.via == "direct"
    assert source.document is not None
    assert "head of its preparedness team" in source.document.text
    assert world.log.count("/wbapi/wayback/available") == 0


async def test_x_post_is_read_from_syndication_never_from_x_com(world: World) -> None:
    source = await world.resolve(X_POST)
    assert source.status is RefStatus.OK
    assert source.via == "x"
    doc = source.document
    assert doc is not None
    assert "first met in 2015" in doc.text
    assert doc.author == "Sam Altman (@sama)"
    assert doc.published == "2024-08-06"
    assert not any(r.path.startswith("/x.com/") for r in world.log.requests)


async def test_documentcloud_text_keeps_page_numbers(world: World) -> None:
    source = await world.resolve(DOCCLOUD)
    assert source.status is RefStatus.OK
    assert source.via == "documentcloud"
    doc = source.document
    assert doc is not None
    assert doc.title == "Elon vs OpenAI again"
    assert doc.page_at(doc.text.index("ill-gotten gains")) == 3
    assert not any(r.path.startswith("/documentcloud-viewer/") for r in world.log.requests)


async def test_nyt_datadome_wall_is_answered_from_the_archive(world: World) -> None:
    source = await world.resolve(NYT)
    assert source.status is RefStatus.ARCHIVED
    assert source.via == "wayback"
    assert source.document is not None
    assert "federal court in Northern California" in source.document.text
    assert source.document.archived_at == "2024-08-05"
    assert any("DataDome" in n for n in source.notes)


async def test_deleted_post_is_not_found(world: World) -> None:
    source = await world.resolve(DELETED_POST)
    assert source.status is RefStatus.NOT_FOUND
    assert "deleted" in (source.error or "")


async def test_post_read_through_oembed_when_syndication_fails(world: World) -> None:
    source = await world.resolve(OEMBED_ONLY_POST)
    assert source.status is RefStatus.OK
    assert source.via == "x"
    assert source.document is not None
    assert source.document.text == "An embed-only post about test fixtures."
    assert source.document.published == "2024-03-03"


async def test_private_documentcloud_document_is_blocked(world: World) -> None:
    source = await world.resolve(PRIVATE_DOC)
    assert source.status is RefStatus.BLOCKED
    assert "private document" in (source.error or "")


async def test_pdfs_with_and_without_text(world: World) -> None:
    source = await world.resolve(REPORT_PDF)
    assert source.status is RefStatus.OK
    assert source.via == "pdf"
    assert source.document is not None
    assert source.document.page_at(source.document.text.index("Revenue")) == 2
    scan = await world.resolve(SCAN_PDF)
    assert scan.status is RefStatus.EMPTY
    assert scan.error == "PDF has no text layer (scanned?)"


async def test_cloudflare_wall_without_snapshot_stays_blocked(world: World) -> None:
    source = await world.resolve(WALLED_UNARCHIVED)
    assert source.status is RefStatus.BLOCKED
    assert "Cloudflare challenge" in (source.error or "")
    assert "no archived copy" in (source.error or "")


async def test_dead_link_reads_its_archived_copy(world: World) -> None:
    source = await world.resolve(DEAD)
    assert source.status is RefStatus.NOT_FOUND
    assert source.http_status == 404
    assert source.via == "wayback"
    assert source.document is not None and "preparedness" in source.document.text
    assert "dead; archived copy of 2023-01-01 used" in (source.error or "")


async def test_soft_404_is_not_found_and_has_no_snapshot(world: World) -> None:
    source = await world.resolve(SOFT)
    assert source.status is RefStatus.NOT_FOUND
    assert "soft 404" in (source.error or "")
    assert "no archived copy" in (source.error or "")
