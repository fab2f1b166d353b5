"""Hostile input through the whole command: a clear message or a completed report, never a
traceback. Sources come from a replayed archive, so nothing touches the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
WARC = ROOT / "fixtures" / "demo" / "sources.warc.gz"


def run(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main([str(path), "--replay", str(WARC), "--format", "json", "--quiet", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def completed(code: int, out: str) -> dict:
    assert code in (0, 1)
    report = json.loads(out)
    assert report["schema"] == "verify-report/1"
    return report["articles"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (bytes(range(256)) * 64, "binary"),
        (b"%PDF-1.7\n" + b"\x00" * 100, "PDF"),
    ],
)
def test_unusable_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(content)
    code, out, err = run(path, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("gbk", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_non_utf8_articles_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes
) -> None:
    text = (
        "# 港口年报\n\n西港港务局去年处理了420万吨货物，创下纪录。"
        "新的集装箱起重机将于明年三月启用。"
        "\n\n参考资料：\n[1]https://example.org/harbour-review\n"
    )
    path = tmp_path / "article.md"
    path.write_bytes(bom + text.encode(encoding))
    article = completed(*run(path, capsys)[:2])
    assert article["claims"][0]["text"].startswith("西港港务局")
    assert article["references"][0]["url"] == "https://example.org/harbour-review"
    assert article["references"][0]["status"] == "unreachable"  # not in the archive


def test_ten_thousand_references(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["# Link dump", "", "Each source below was cited somewhere [1].", "", "References:", ""]
    lines += [f"{i}. https://example.org/page/{i}" for i in range(1, 10_001)]
    path = tmp_path / "article.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    article = completed(*run(path, capsys)[:2])
    assert len(article["references"]) == 10_000
    assert {r["status"] for r in article["references"]} == {"unreachable"}


def test_malformed_urls_in_the_reference_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.md"
    path.write_text(
        "# Odd links\n\nThe council met on Tuesday to vote on the budget.\n\n参考链接：\n"
        "[1]http://\n[2]https://exa mple.org/a b\n[3]ftp://files.example.org/x\n"
        "[4]javascript:alert(1)\n[5]https://[::1/broken\n[6]http://999.999.999.999/\n",
        encoding="utf-8",
    )
    article = completed(*run(path, capsys)[:2])
    statuses = [r["status"] for r in article["references"]]
    assert len(statuses) >= 5
    assert "ok" not in statuses
    assert all(r["error"] for r in article["references"])


def test_a_line_of_a_million_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.md"
    path.write_text("# Long\n\n" + "word " * 200_000 + "end.\n", encoding="utf-8")
    article = completed(*run(path, capsys)[:2])
    assert article["claims"] and article["claims"][0]["line"] == 3


def test_broken_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.md"
    path.write_text(
        "---\ntitle: [unclosed\n---\n\n```python\nnever closed\n\n> > > [link](http://\n"
        "**bold never closed\n\n| a | b\n|---\n| 1 |\n<div><span>\n\n[^x]: dangling\n",
        encoding="utf-8",
    )
    code, out, _ = run(path, capsys)
    completed(code, out)


@pytest.mark.slow
def test_a_twenty_megabyte_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    para = (
        "The harbour authority handled a record amount of cargo last year, said the chair. "
        "Ferries carried fewer travellers than the year before. "
    )
    path = tmp_path / "article.md"
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < 20 * 1024 * 1024:
            fh.write(para + "\n\n")
            written += len(para) + 2
    article = completed(*run(path, capsys)[:2])
    assert article["path"] == str(path)
