"""End to end: hostile file names, articles and pages (served on 127.0.0.1) reach neither the
terminal as escape sequences nor the CI runner as workflow commands, and a lone surrogate in
a page costs no report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from threadserver import Page, serve_pages

from verify.cli.main import main

ESC = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b2J"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_a_file_name_issues_no_workflow_command_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "post\n::warning title=x::All claims supported\n::stop-commands::tok\n##[error]x.md"
    code = main([str(tmp_path / name), "--no-cache", "--no-config"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert all(line.startswith("verify: ") for line in err.splitlines())
    assert "##[" not in err and "::" not in err


def test_escapes_in_an_article_and_a_reason_phrase_reach_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {"/gone": Page(b"no", status=404, content_type="text/plain", reason=f"Gone{ESC}")}
    with serve_pages(pages) as served:
        article = tmp_path / "a.md"
        article.write_text(
            # enough prose that a few control characters do not make it look binary
            f"# T{ESC}\n\n{'The town grew around its port. ' * 40}\n\n"
            f"The harbour{ESC} opened in 1901 [1].\n\n## Sources\n\n1. {served.base}/gone\n",
            "utf-8",
        )
        base = [str(article), "--no-cache", "--no-config", "--allow-private", "--no-archive"]
        for fmt in ("terminal", "github", "markdown", "json"):
            code = main([*base, "--format", fmt, "--retries", "0"])
            out, err = capsys.readouterr()
            assert code == 1, err  # the dead reference fails the gate; no crash (exit 3)
            assert "Gone" in out
            assert not CONTROL.search(out.replace("\n", "")), (fmt, out)
            assert not CONTROL.search(err.replace("\n", "")), (fmt, err)
        assert served.requests  # the page was asked for: its answer went through the guards


def test_a_lone_surrogate_in_a_post_costs_no_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = {
        "__typename": "Tweet",
        "id_str": "1818867964369928387",
        "text": "Revenue grew \ud800 by a third in the spring \udfff.",
        "user": {"name": "Writer \ud83d", "screen_name": "writer"},
        "created_at": "2024-08-01T10:00:00.000Z",
    }
    body = json.dumps(post).encode()  # ASCII: the surrogates travel as \\ud800 escapes
    with serve_pages({"/syn/tweet-result": Page(body, content_type="application/json")}) as s:
        article = tmp_path / "a.md"
        article.write_text(
            "# T\n\nRevenue grew by a third in the spring [1].\n\n## Sources\n\n"
            "1. https://x.com/writer/status/1818867964369928387\n",
            "utf-8",
        )
        args = [str(article), "--no-config", "--allow-private", "--format", "json"]
        args += ["--endpoint", f"x_syndication={s.base}/syn", "--cache-dir", str(tmp_path / "c")]
        for _ in range(2):  # the second run reads the cache the first one wrote
            code = main(args)
            out = capsys.readouterr().out
            assert code in (0, 1)
            report = json.loads(out)
            source = report["articles"][0]["references"][0]
            assert source["status"] == "ok", source
            out.encode("utf-8")
