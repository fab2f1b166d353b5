"""The bundled demo: fixtures/demo/article.md and the WARC of its sources.

These tests read the files as text and the archive with warcio, so they hold whatever the
parser or the fetch layer do; the last ones run the real resolvers over the archive to show
each reference reaches its text through the intended path.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from verify.models import FetchResult, Options, Reference, RefStatus

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
ARTICLE = DEMO / "article.md"
EXPECTED = DEMO / "EXPECTED.md"
WARC = DEMO / "sources.warc.gz"
PAGES = DEMO / "pages"
SEED = ROOT.parent / "shared" / "seed" / "article-openai-2024-08-08.md"

REFERENCE_URLS = [
    "https://www.bloomberg.com/news/articles/2024-08-06/openai-co-founder-john-schulman-departs-for-ai-rival-anthropic",
    "https://www.cnbc.com/2024/07/23/openai-removes-ai-safety-executive-aleksander-madry-from-role.html",
    "https://x.com/sama/status/1818867964369928387",
    "https://www.documentcloud.org/documents/25031741-elon-vs-openai-again",
    "https://www.nytimes.com/2024/08/05/technology/elon-musk-openai-lawsuit.html",
]
BLOOMBERG, CNBC, X_POST, DOCUMENTCLOUD, NYTIMES = REFERENCE_URLS


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_build_warc", DEMO / "build_warc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is built
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every record, with the parts that make up its content."""
    records = []
    with path.open("rb") as f:
        for rec in ArchiveIterator(f):
            http = rec.http_headers
            records.append(
                {
                    "type": rec.rec_type,
                    "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                    "warc_headers": list(rec.rec_headers.headers),
                    "status_line": http.statusline if http else None,
                    "http_headers": list(http.headers) if http else None,
                    "payload": rec.content_stream().read(),
                }
            )
    return records


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return read_records(WARC)


@pytest.fixture(scope="module")
def responses(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["type"] == "response":
            assert r["uri"] not in out, f"two responses for {r['uri']}"
            out[r["uri"]] = r
    return out


def header(record: dict[str, Any], name: str) -> str | None:
    for k, v in record["http_headers"]:
        if k.lower() == name.lower():
            return v
    return None


def json_body(record: dict[str, Any]) -> Any:
    return json.loads(record["payload"].decode("utf-8"))


def service_urls(responses: dict[str, dict[str, Any]]) -> list[str]:
    """The URLs the resolvers will ask for, built with their own URL builders."""
    from verify.sources.documentcloud import api_url, document_id, text_json_url, text_url
    from verify.sources.wayback import availability_url, snapshot_url
    from verify.sources.x import syndication_url, tweet_id

    post_id = tweet_id(X_POST)
    doc = document_id(DOCUMENTCLOUD)
    assert post_id is not None and doc is not None
    doc_id, slug = doc
    assert slug is not None
    meta = json_body(responses[api_url(doc_id)])
    urls = [
        syndication_url(post_id),
        api_url(doc_id),
        text_url(meta["asset_url"], doc_id, slug),
        text_json_url(meta["asset_url"], doc_id, slug),
    ]
    for walled in (BLOOMBERG, NYTIMES):
        answer = json_body(responses[availability_url(walled)])
        timestamp = answer["archived_snapshots"]["closest"]["timestamp"]
        urls += [availability_url(walled), snapshot_url(timestamp, walled)]
    return urls


# --- the archive ------------------------------------------------------------------------


def test_archive_answers_every_reference_and_service_url(responses):
    for url in REFERENCE_URLS + service_urls(responses):
        assert url in responses, f"no response for {url}"


def test_each_response_has_one_request_and_a_charset(records, responses):
    requests = [r["uri"] for r in records if r["type"] == "request"]
    assert sorted(requests) == sorted(responses)
    for url, r in responses.items():
        assert r["status_line"].split()[0].isdigit(), url
        content_type = header(r, "Content-Type") or ""
        assert "charset=utf-8" in content_type, url
        assert header(r, "Content-Length") == str(len(r["payload"])), url
        r["payload"].decode("utf-8")  # every body is valid UTF-8


def test_walled_pages_answer_403_with_their_challenge(responses):
    bloomberg = responses[BLOOMBERG]
    assert bloomberg["status_line"].startswith("403")
    page = bloomberg["payload"].decode()
    assert "<title>Bloomberg - Are you a robot?</title>" in page
    assert "unusual activity from your computer network" in page
    assert "/tosv2.html" in page
    assert "Block reference ID" in page

    nyt = responses[NYTIMES]
    assert nyt["status_line"].startswith("403")
    assert header(nyt, "X-DataDome") == "protected"
    page = nyt["payload"].decode()
    assert "suspect that you're a robot" in page
    assert "captcha-delivery.com" in page


def test_plain_fetches_of_post_and_document_get_script_shells(responses):
    for url in (X_POST, DOCUMENTCLOUD):
        page = responses[url]["payload"].decode()
        assert responses[url]["status_line"].startswith("200")
        assert page.count("<script") >= 2, url
        assert "<p>" not in page.split("<noscript>")[0], url  # no readable prose outside noscript
    assert responses[CNBC]["status_line"].startswith("200")


def test_availability_answers_point_to_snapshots_of_the_right_page(responses):
    from verify.sources.wayback import availability_url, snapshot_url

    for walled in (BLOOMBERG, NYTIMES):
        answer = json_body(responses[availability_url(walled)])
        closest = answer["archived_snapshots"]["closest"]
        assert answer["url"] == walled
        assert closest["available"] is True and closest["status"] == "200"
        assert re.fullmatch(r"\d{14}", closest["timestamp"])
        assert closest["url"] == f"http://web.archive.org/web/{closest['timestamp']}/{walled}"
        snapshot = responses[snapshot_url(closest["timestamp"], walled)]
        assert snapshot["status_line"].startswith("200")
        assert f'<link rel="canonical" href="{walled}">' in snapshot["payload"].decode()


def test_syndication_answer_has_the_real_shape(responses):
    from verify.sources.x import syndication_url, tweet_id

    post_id = tweet_id(X_POST)
    assert post_id is not None
    data = json_body(responses[syndication_url(post_id)])
    assert data["__typename"] == "Tweet"
    assert data["id_str"] == post_id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["created_at"])
    assert data["user"]["name"] == "Sam Altman" and data["user"]["screen_name"] == "sama"
    assert data["display_text_range"] == [0, len(data["text"])]
    assert {"hashtags", "urls", "user_mentions", "symbols"} <= set(data["entities"])
    assert "2015" in data["text"] and "Anthropic" in data["text"]


def test_documentcloud_text_matches_the_api_answer(responses):
    from verify.sources.documentcloud import api_url, text_json_url, text_url

    meta = json_body(responses[api_url("25031741")])
    assert meta["access"] == "public" and meta["status"] == "success"
    assert meta["slug"] == "elon-vs-openai-again"
    assert meta["canonical_url"] == DOCUMENTCLOUD
    pages = json_body(responses[text_json_url(meta["asset_url"], "25031741", meta["slug"])])
    contents = [p["contents"] for p in pages["pages"]]
    assert [p["page"] for p in pages["pages"]] == list(range(meta["page_count"]))
    plain = responses[text_url(meta["asset_url"], "25031741", meta["slug"])]["payload"]
    assert plain.decode() == "\f".join(contents)
    text = "\n".join(contents)
    for needle in ("ELON MUSK", "SAMUEL ALTMAN", "GREGORY BROCKMAN", "Marc Toberoff"):
        assert needle in text
    assert "Microsoft" in contents[-1] and "disgorge" in contents[-1]


def test_rebuilding_gives_identical_content_records(tmp_path, records):
    rebuilt = builder.build(tmp_path / "rebuilt.warc.gz")
    assert read_records(rebuilt) == records, "sources.warc.gz is stale: rerun build_warc.py"
    assert rebuilt.read_bytes() == WARC.read_bytes()


def test_a_changed_page_changes_the_archive(tmp_path, monkeypatch, records):
    # guards the test above against comparing something that cannot differ
    pages = tmp_path / "pages"
    pages.mkdir()
    for f in PAGES.iterdir():
        (pages / f.name).write_bytes(f.read_bytes())
    cnbc = pages / "cnbc.html"
    cnbc.write_text(cnbc.read_text(encoding="utf-8").replace("July 23", "July 24"), "utf-8")
    monkeypatch.setattr(builder, "PAGES", pages)
    changed = read_records(builder.build(tmp_path / "changed.warc.gz"))
    differing = [a["uri"] for a, b in zip(changed, records, strict=True) if a != b]
    assert differing == [CNBC]


# --- the article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def test_article_front_matter(article):
    lines = article.splitlines()
    assert lines[0] == "---"
    end = lines.index("---", 1)
    fields = dict(line.split(": ", 1) for line in lines[1:end])
    assert set(fields) == {"title", "date", "author"}
    assert re.fullmatch(r"'.*John Schulman.*'", fields["title"])
    assert fields["date"] == "2024-08-08"
    assert fields["author"]


def test_article_lists_exactly_the_five_references(article):
    paragraphs = article.split("\n\n")
    ref_paragraphs = [p for p in paragraphs if p.startswith("参考链接：")]
    assert len(ref_paragraphs) == 1
    entries = ref_paragraphs[0].splitlines()[1:]
    assert entries == [f"[{i}]{url}" for i, url in enumerate(REFERENCE_URLS, 1)]


def test_article_shape(article):
    lines = article.splitlines()
    images = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", article)
    assert len(images) >= 3
    for alt, url in images:
        assert alt.startswith("图片来源：")
        assert url.startswith("https://img.example-cdn.net/") and url.endswith(".png")
    headings = [ln for ln in lines if re.fullmatch(r"\*\*[^*。！？]+\*\*", ln)]
    assert len(headings) >= 2
    assert "..." in lines
    assert any(ln.endswith("——") for ln in lines)
    assert any(ln.endswith("？") for ln in lines)
    assert re.search(r"\*\*[^*]*John Schulman\*\*", article)  # bold names in the lead
    # the sign-off after two rules, with the publisher's own link
    assert lines[-3:-1] == ["---", "---"]
    assert re.fullmatch(r"感谢阅读！.*\[[^\]]+\]\(https://example-promo\.cn\)", lines[-1])


def test_article_keeps_latin_anchors(article):
    for anchor in (
        "John Schulman",
        "Greg Brockman",
        "Peter Deng",
        "Anthropic",
        "PPO",
        "2015年",
        "20分钟",
        "Marc Toberoff",
        "Microsoft",
        "Aleksander Madry",
    ):
        assert anchor in article, anchor


def test_article_is_not_copied_from_the_seed(article):
    if not SEED.exists():
        pytest.skip("seed article not present")
    seed = SEED.read_text(encoding="utf-8")

    def grams(text: str, n: int = 8) -> set[str]:
        runs = re.findall(r"[\u4e00-\u9fff，、：。（）“”]+", text)
        return {r[i : i + n] for r in runs for i in range(len(r) - n + 1)}

    assert not grams(article) & grams(seed)
    seed_images = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", seed))
    assert not seed_images & set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", article))


# --- EXPECTED.md --------------------------------------------------------------------------

VERDICTS = {"supported", "partial", "unsupported", "not checkable"}


def expected_rows() -> list[tuple[int, str, str]]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d+) \| (.+?) \| ([a-z ]+) \|", line)
        if m:
            rows.append((int(m.group(1)), m.group(2), m.group(3)))
    return rows


def test_expected_rows_match_the_article_lines(article):
    lines = article.splitlines()
    rows = expected_rows()
    assert len(rows) >= 20
    for number, claim, verdict in rows:
        assert verdict in VERDICTS, verdict
        assert lines[number - 1].replace("**", "") == claim, f"line {number}"
    assert [r[0] for r in rows] == sorted({r[0] for r in rows})


def test_expected_covers_every_verdict_and_its_totals_add_up():
    rows = expected_rows()
    counts = {v: sum(1 for r in rows if r[2] == v) for v in VERDICTS}
    assert counts["partial"] >= 2 and counts["unsupported"] >= 2
    assert counts["not checkable"] >= 1 and counts["supported"] > len(rows) // 2
    totals = re.search(
        r"Totals: (\d+) supported, (\d+) partial, (\d+) unsupported, (\d+) not checkable "
        r"\((\d+) sentences\)",
        EXPECTED.read_text(encoding="utf-8"),
    )
    assert totals is not None
    assert [int(x) for x in totals.groups()] == [
        counts["supported"],
        counts["partial"],
        counts["unsupported"],
        counts["not checkable"],
        len(rows),
    ]


def test_no_page_backs_what_the_article_made_up():
    # the unsupported claims' figures and the partial claims' missing halves
    readable = [p for p in PAGES.iterdir() if not p.name.startswith("wayback-available")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in readable)
    for term in (
        "Tokyo",
        "Google",
        "DeepMind",
        "Supreme Court",
        "Caltech",
        "physics",
        "Institute of Technology",
        "salary",
        "50 million",
    ):
        assert term.lower() not in text.lower(), term
    for number in ("200", "5000", "5,000", "50"):
        assert not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,])", text), number


# --- the resolvers over the archive -------------------------------------------------------


class ArchiveFetcher:
    """Serves the archive's responses by exact URL; anything else is unreachable."""

    def __init__(self, responses: dict[str, dict[str, Any]]) -> None:
        self.responses = responses
        self.calls: list[str] = []

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        self.calls.append(url)
        r = self.responses.get(url)
        if r is None:
            return FetchResult(url=url, status=RefStatus.UNREACHABLE, error="not in the archive")
        code = int(r["status_line"].split()[0])
        media, _, params = (header(r, "Content-Type") or "").partition(";")
        return FetchResult(
            url=url,
            status=RefStatus.OK if code < 300 else RefStatus.BLOCKED,
            final_url=url,
            http_status=code,
            content_type=media.strip().lower(),
            charset=params.split("=", 1)[1].strip() if "=" in params else None,
            headers=tuple(r["http_headers"]),
            body=r["payload"],
        )


EXPECTED_SOURCES = {
    BLOOMBERG: (RefStatus.ARCHIVED, "wayback", "Peter Deng"),
    CNBC: (RefStatus.OK, "direct", "preparedness"),
    X_POST: (RefStatus.OK, "x", "first met in 2015"),
    DOCUMENTCLOUD: (RefStatus.OK, "documentcloud", "Declare void the license"),
    NYTIMES: (RefStatus.ARCHIVED, "wayback", "Marc Toberoff"),
}


@pytest.mark.parametrize("replay", [False, True], ids=["warcio", "replay-fetcher"])
@pytest.mark.parametrize(
    "url", REFERENCE_URLS, ids=["bloomberg", "cnbc", "x", "documentcloud", "nytimes"]
)
async def test_each_reference_resolves_from_the_archive(url, replay, responses):
    from verify.sources.extract import Extractor
    from verify.sources.resolvers import default_resolvers, resolve_reference

    fetcher: Any
    if replay:
        # what `verify --replay` uses
        warc = pytest.importorskip("verify.http.warc")
        fetcher = warc.ReplayFetcher(WARC)
    else:
        fetcher = ArchiveFetcher(responses)
    status, via, needle = EXPECTED_SOURCES[url]
    options = Options(cache=False)
    extractor = Extractor()
    try:
        source = await resolve_reference(
            Reference(id="1", url=url, line=1),
            fetcher,
            resolvers=default_resolvers(options, extractor),
            options=options,
        )
    finally:
        extractor.close()
    assert (source.status, source.via) == (status, via), source.error
    assert source.document is not None
    assert needle in source.document.text
    if not replay:
        # nothing was asked for that the archive does not hold
        assert all(call in responses for call in fetcher.calls), fetcher.calls
