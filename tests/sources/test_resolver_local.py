"""Local copies: options.local_sources maps a reference id to a saved file."""

from __future__ import annotations

from pathlib import Path

from mockfetch import MockFetcher
from pages import LEAVES
from pdfs import make_pdf

from verify.models import Options, Reference, RefStatus, Source
from verify.sources.extract import Extractor
from verify.sources.resolvers import default_resolvers, resolve_reference

URL = "https://www.example-paper.com/2024/story.html"


async def resolve(
    path: Path | str, extractor: Extractor | None, **kw: object
) -> tuple[Source, MockFetcher]:
    options = Options(local_sources={"1": str(path)}, **kw)  # type: ignore[arg-type]
    fetcher = MockFetcher()
    resolvers = default_resolvers(options, extractor) if extractor else []
    source = await resolve_reference(
        Reference(id="1", url=URL, line=1), fetcher, resolvers=resolvers, options=options
    )
    return source, fetcher


async def test_html_file(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "saved"  # no extension: recognised by its tags
    path.write_text(LEAVES, encoding="utf-8")
    source, fetcher = await resolve(path, extractor)
    assert source.status is RefStatus.OK
    assert source.via == "local"
    assert source.document is not None
    assert source.document.via == "local"
    assert source.document.url == URL
    assert "He helped start the lab in 2015" in source.document.text
    assert fetcher.calls == []  # the network is never asked


async def test_html_file_without_a_registry_extractor(tmp_path: Path) -> None:
    path = tmp_path / "saved.html"
    path.write_text(LEAVES, encoding="utf-8")
    source, _ = await resolve(path, None)
    assert source.status is RefStatus.OK
    assert "founding researcher" in (source.document.text if source.document else "")


async def test_pdf_file(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "complaint.bin"
    path.write_bytes(make_pdf(["Page one of the filing.", "Page two asks for relief."]))
    source, _ = await resolve(path, extractor)
    assert source.status is RefStatus.OK
    doc = source.document
    assert doc is not None and doc.via == "local"
    assert doc.page_at(doc.text.index("relief")) == 2


async def test_text_file(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Interview notes: the team met in 2015.\n", encoding="utf-8")
    source, _ = await resolve(path, extractor)
    assert source.status is RefStatus.OK
    assert source.document is not None
    assert source.document.text == "Interview notes: the team met in 2015."


async def test_gbk_text_file_is_decoded(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "zh.txt"
    path.write_bytes("团队在二〇一五年成立，研究人员随后加入了另一家公司。".encode("gbk"))
    source, _ = await resolve(path, extractor)
    assert source.status is RefStatus.OK
    assert source.document is not None and "研究人员" in source.document.text


async def test_missing_file_is_an_error(tmp_path: Path, extractor: Extractor) -> None:
    source, _ = await resolve(tmp_path / "nope.html", extractor)
    assert source.status is RefStatus.ERROR
    assert source.via == "local"
    assert "local copy not found" in (source.error or "")


async def test_directory_and_binary_files(tmp_path: Path, extractor: Extractor) -> None:
    source, _ = await resolve(tmp_path, extractor)
    assert source.status is RefStatus.ERROR
    blob = tmp_path / "image.png"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    source, _ = await resolve(blob, extractor)
    assert source.status is RefStatus.UNSUPPORTED


async def test_oversized_file_is_too_large(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    source, _ = await resolve(path, extractor, max_bytes=1000)
    assert source.status is RefStatus.TOO_LARGE


async def test_empty_file_is_empty(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("   \n")
    source, _ = await resolve(path, extractor)
    assert source.status is RefStatus.EMPTY
