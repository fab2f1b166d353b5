"""The command line's large runs: --format jsonl, the terminal's running form, --dask."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive import load_server_module

from verify.cli.main import main
from verify.cli.stream import LARGE_RUN

loadserver = load_server_module()


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with loadserver.LoadServer(3, latency_ms=(5, 10), slow_seconds=10) as s:
        yield s


def _argv(server: Any, posts: Path, *extra: str) -> list[str]:
    argv = [str(posts), "--no-config", "--allow-private", "--no-cache", "--timeout", "3"]
    for name, url in server.endpoints().items():
        argv += ["--endpoint", f"{name}={url}"]
    return [*argv, *extra]


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _comparable(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for art in articles:
        for ref in art["references"]:
            ref.pop("elapsed")
            ref.pop("from_cache")
    return sorted(articles, key=lambda a: a["path"])


def test_jsonl_is_the_json_report_one_article_a_line(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    loadserver.make_archive(posts, server.bases, 6, 3, failure_rate=0.2, seed=1)
    code_json = main(_argv(server, posts, "--format", "json"))
    whole = json.loads(capsys.readouterr().out)

    code = main(_argv(server, posts, "--format", "jsonl"))
    lines = _lines(capsys.readouterr().out)

    assert code == code_json == 1  # the failing references fail the default gate
    *articles, summary = lines
    assert len(articles) == 6
    assert _comparable(articles) == _comparable(whole["articles"])
    assert summary == {
        "schema": "verify-report/1",
        "version": whole["version"],
        "articles": 6,
        "summary": whole["summary"],
    }


def test_jsonl_to_a_file_and_also_to_another(server: Any, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    loadserver.make_archive(posts, server.bases, 3, 2, seed=2)
    out, also = tmp_path / "run.jsonl", tmp_path / "run.json"

    code = main(_argv(server, posts, "--format", "jsonl", "-o", str(out), "--also", f"json={also}"))

    assert code == 0
    lines = _lines(out.read_text("utf-8"))
    whole = json.loads(also.read_text("utf-8"))
    # the whole-document format is in the order the files were given, as without streaming
    assert [a["path"] for a in whole["articles"]] == sorted(str(p) for p in posts.glob("*.md"))
    assert _comparable(lines[:-1]) == _comparable(whole["articles"])


def test_a_large_run_in_the_terminal_is_one_line_per_article_with_findings(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    loadserver.make_archive(posts, server.bases, LARGE_RUN + 5, 2, failure_rate=0.1, seed=4)
    main(_argv(server, posts, "--format", "json"))
    whole = json.loads(capsys.readouterr().out)
    dead = {"not_found", "unreachable", "error", "too_large", "unsupported", "empty"}
    with_findings = {
        a["path"]
        for a in whole["articles"]
        if any(c["verdict"] in ("unsupported", "partial") for c in a["claims"])
        or any(r["status"] in dead for r in a["references"])
    }

    code = main(_argv(server, posts, "--no-color"))

    out = capsys.readouterr()
    lines = out.out.splitlines()
    # one line for each post with something to look at, and a summary; no table
    assert with_findings and len(with_findings) < LARGE_RUN + 5
    assert {line.split(": ", 1)[0] for line in lines[:-1]} == with_findings
    assert len(lines) == len(with_findings) + 1
    assert lines[-1].startswith(f"{LARGE_RUN + 5} articles; ")
    assert code == 1 and "verify: failed:" in out.err
    assert "┃" not in out.out


def test_a_run_on_a_local_dask_cluster_writes_the_same_lines(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    posts = tmp_path / "posts"
    loadserver.make_archive(posts, server.bases, 5, 3, failure_rate=0.2, seed=6)
    main(_argv(server, posts, "--format", "jsonl"))
    here = _lines(capsys.readouterr().out)

    code = main(_argv(server, posts, "--format", "jsonl", "--dask", "local:1"))

    there = _lines(capsys.readouterr().out)
    assert code == 1
    assert _comparable(there[:-1]) == _comparable(here[:-1])
    assert there[-1] == here[-1]


def test_a_bad_dask_address_is_a_usage_error(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    loadserver.make_archive(posts, server.bases, 1, 1, seed=7)

    code = main(_argv(server, posts, "--dask", "scheduler-without-scheme"))

    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("verify: error: --dask scheduler-without-scheme") and err[-1] == "\n"
    assert err.count("\n") == 1


def _interrupted_run(
    server: Any, tmp_path: Path, after_lines: int, *extra: str
) -> tuple[int, str, list[dict[str, Any]]]:
    """8 posts of 2 references, one of them a page that answers only after the server's
    slow_seconds: the run, interrupted with SIGINT once its JSON Lines output has
    `after_lines` lines; its exit code, stderr and the lines written."""
    import signal
    import subprocess
    import sys
    import time

    posts = tmp_path / "posts"
    cited = loadserver.make_archive(posts, server.bases, 8, 2, shared=0, seed=8)
    holder = next(p for p in sorted(posts.glob("*.md")) if cited[-1].url in p.read_text("utf-8"))
    slow = cited[-1].url.replace("/ok/", "/fail/slow/")
    holder.write_text(holder.read_text("utf-8").replace(cited[-1].url, slow), "utf-8")
    verify = str(Path(sys.executable).parent / "verify")
    out = tmp_path / "run.jsonl"
    argv = _argv(server, posts, "--format", "jsonl", "-o", str(out), "--timeout", "60", *extra)
    proc = subprocess.Popen([verify, *argv], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            not out.exists() or out.read_text("utf-8").count("\n") < after_lines
        ):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return proc.returncode, err, _lines(out.read_text("utf-8"))


def test_ctrl_c_ends_a_streamed_run_with_what_was_done(server: Any, tmp_path: Path) -> None:
    code, err, lines = _interrupted_run(server, tmp_path, 7)
    assert code == 130
    assert "verify: interrupted after 7 of 8 articles" in err
    assert "Traceback" not in err
    assert len(lines) == 8 and lines[-1]["interrupted"] is True and lines[-1]["articles"] == 7


def test_ctrl_c_ends_a_cluster_run_with_what_was_done(server: Any, tmp_path: Path) -> None:
    """On a local cluster: the articles whose hosts answered are written, the ones waiting
    on a slow host's fetch task are not, and that task's references are not counted as
    resolved (its cancellation is no answer)."""
    import re

    code, err, lines = _interrupted_run(server, tmp_path, 1, "--dask", "local:1")
    assert code == 130
    assert "Traceback" not in err
    said = re.search(r"interrupted after (\d+) of 8 articles \((\d+) of 16 references", err)
    assert said is not None, err
    articles, resolved = int(said.group(1)), int(said.group(2))
    assert 1 <= articles < 8 and resolved < 16
    assert lines[-1]["interrupted"] is True and lines[-1]["articles"] == articles
    assert len(lines) == articles + 1
