"""Reading article files: encodings, and a one-line InputError for everything else."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from verify.article.reader import read_article_text
from verify.errors import InputError

CHINESE = (
    "# 小镇新闻\n\n小镇图书馆于上周重新开放，新馆面积扩大到原来的两倍。"
    "馆长表示，新馆增设了儿童阅览区。\n"
)
ENGLISH = (
    "# Harbor news\n\nThe floating library opened on Friday. Café owners nearby were pleased.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_for(path: str | Path) -> str:
    with pytest.raises(InputError) as info:
        read_article_text(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", (CHINESE + ENGLISH).encode("utf-8"))
    assert read_article_text(path) == CHINESE + ENGLISH
    assert read_article_text(str(path)) == CHINESE + ENGLISH


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", codecs.BOM_UTF8 + ENGLISH.encode("utf-8"))
    assert read_article_text(path) == ENGLISH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path = write(tmp_path, "a.md", bom + CHINESE.encode(codec))
    assert read_article_text(path) == CHINESE


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "gb2312"])
def test_legacy_chinese_encodings(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, "a.md", CHINESE.encode(codec))
    assert read_article_text(path) == CHINESE


def test_windows_1252(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", ENGLISH.encode("cp1252"))
    assert read_article_text(path) == ENGLISH


def test_crlf_is_kept_as_written(tmp_path: Path) -> None:
    data = ENGLISH.replace("\n", "\r\n").encode()
    path = write(tmp_path, "a.md", data)
    assert read_article_text(path) == data.decode()


def test_the_file_is_not_modified(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + CHINESE.encode("utf-8")
    path = write(tmp_path, "a.md", data)
    before = path.stat().st_mtime_ns
    read_article_text(path)
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == before


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in error_for(tmp_path / "missing.md")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in error_for(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "is empty" in error_for(write(tmp_path, "a.md", b""))


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    assert "is empty" in error_for(write(tmp_path, "a.md", b" \n\n\t\r\n"))


def test_bom_only_file_is_empty(tmp_path: Path) -> None:
    assert "is empty" in error_for(write(tmp_path, "a.md", codecs.BOM_UTF8))


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    assert "binary" in error_for(write(tmp_path, "a.md", b"title\x00\x00\x01body" * 50))


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    noise = bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 40
    assert "binary" in error_for(write(tmp_path, "a.md", noise))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
    ],
)
def test_known_binary_formats_by_signature(tmp_path: Path, data: bytes, kind: str) -> None:
    message = error_for(write(tmp_path, "article.md", data))
    assert kind in message
    assert "not a markdown" in message


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a.md", ENGLISH.encode())
    path.chmod(0)
    if os.access(path, os.R_OK):
        # Running as root, which reads anything: make the read fail the way it would.
        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "read_bytes", refuse)
    try:
        assert "permission denied" in error_for(path)
    finally:
        path.chmod(0o644)


def test_large_file_is_read(tmp_path: Path) -> None:
    data = (ENGLISH * 2000).encode()
    path = write(tmp_path, "a.md", data)
    assert len(read_article_text(path)) == len(data.decode())
