"""The command line end to end, as a user runs it: real files, local servers, exit codes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchtools import benchmark_module

from verify.cli.main import main
from verify.testing import WarcServer

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"
ARTICLE = DEMO / "article.md"
WARC = DEMO / "sources.warc.gz"
NEWS_HOSTS = ("www.bloomberg.com", "www.cnbc.com", "www.nytimes.com")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def by_id(report: dict) -> dict[str, dict]:
    return {r["id"]: r for r in report["articles"][0]["references"]}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[WarcServer, Path, list[str]]]:
    """The demo sources over HTTP on 127.0.0.1, and the demo article pointing at them."""
    with WarcServer(WARC) as server:
        article = tmp_path / "article.md"
        article.write_text(server.rewrite(ARTICLE.read_text("utf-8"), NEWS_HOSTS), "utf-8")
        args = [str(article), "--allow-private", "--quiet"]
        for name, value in server.endpoints().items():
            args += ["--endpoint", f"{name}={value}"]
        yield server, article, args


def test_version_and_help_run_as_a_program() -> None:
    for flag in ("--version", "--help"):
        proc = subprocess.run(
            [sys.executable, "-m", "verify", flag], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr
        assert "verify" in proc.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "missing.md"),
        ("bin.md", b"\x00\x01\x02" * 100, "binary"),
        ("empty.md", b"", "empty"),
        ("*.md", None, "no file matches"),
        ("pic.md", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "pic.md"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    target = tmp_path / name
    if content is not None:
        target.write_bytes(content)
    code, out, err = run_cli([str(target), "--no-cache"], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("verify: error:")
    assert message in err
    assert "Traceback" not in err


def test_bad_option_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["a.md", "--format", "yaml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice" in err
    code, _, err = run_cli(["a.md", "--fail-on", "sometimes"], capsys)
    assert code == 2 and "fail_on must be" in err


def test_demo_replay_reads_every_source_offline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        [str(ARTICLE), "--replay", str(WARC), "--no-cache", "--format", "json"], capsys
    )
    report = json.loads(out)
    assert report["schema"] == "verify-report/1"
    refs = by_id(report)
    assert [refs[i]["via"] for i in "12345"] == [
        "wayback",
        "direct",
        "x",
        "documentcloud",
        "wayback",
    ]
    assert refs["1"]["status"] == "archived" and refs["5"]["status"] == "archived"
    assert refs["1"]["http_status"] == 403
    assert {refs[i]["status"] for i in "234"} == {"ok"}
    assert all(refs[i]["chars"] > 200 for i in "12345")
    verdicts = {c["verdict"] for c in report["articles"][0]["claims"]}
    assert {"supported", "unsupported"} <= verdicts
    # the demo article has unsupported claims on purpose, so the default gate fails
    assert code == 1


def test_terminal_report_of_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([str(ARTICLE), "--replay", str(WARC), "--no-cache"], capsys)
    assert code == 1
    for word in ("bloomberg.com", "archived", "supported", "unsupported"):
        assert word in out


def test_cold_then_cached_run_sends_no_request(
    served: tuple[WarcServer, Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, article, args = served
    before = hashlib.sha256(article.read_bytes()).hexdigest()
    cache = ["--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    # the walled pages would need their archived copies, and a local address is never sent
    # to the archive: left out, every other source is readable and so cached
    cache += ["--exclude", r"/www\.(bloomberg|nytimes)\.com/"]
    code1, out1, _ = run_cli(args + cache, capsys)
    cold_requests = sum(server.hits.values())
    assert cold_requests >= 4
    code2, out2, _ = run_cli(args + cache, capsys)
    assert sum(server.hits.values()) == cold_requests, "the cached run sent requests"
    first, second = json.loads(out1), json.loads(out2)
    assert code1 == code2
    assert [c["verdict"] for c in first["articles"][0]["claims"]] == [
        c["verdict"] for c in second["articles"][0]["claims"]
    ]
    assert [r["status"] for r in first["articles"][0]["references"]] == [
        r["status"] for r in second["articles"][0]["references"]
    ]
    assert hashlib.sha256(article.read_bytes()).hexdigest() == before  # never modified


def test_record_then_replay_gives_the_same_report(
    served: tuple[WarcServer, Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, _, args = served
    warc = tmp_path / "run.warc.gz"
    code1, out1, _ = run_cli(
        args + ["--record", str(warc), "--no-cache", "--format", "json"], capsys
    )
    requests = sum(server.hits.values())
    code2, out2, _ = run_cli(args + ["--replay", str(warc), "--format", "json"], capsys)
    assert sum(server.hits.values()) == requests, "replay touched the network"
    strip = ("elapsed", "from_cache")
    first, second = json.loads(out1), json.loads(out2)
    for report in (first, second):
        for ref in report["articles"][0]["references"]:
            for key in strip:
                ref.pop(key, None)
    assert first == second
    assert code1 == code2


def test_every_format_renders_and_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = [str(ARTICLE), "--replay", str(WARC), "--no-cache"]
    for fmt, marker in [
        ("markdown", "<details>"),
        ("github", "::error file="),
        ("junit", "<testsuite"),
        ("sarif", '"2.1.0"'),
    ]:
        code, out, _ = run_cli(base + ["--format", fmt], capsys)
        assert code == 1 and marker in out, fmt
    target = tmp_path / "r.json"
    code, out, _ = run_cli(
        base + ["-f", "json", "-o", str(target), "--also", f"markdown={tmp_path}/r.md"], capsys
    )
    assert out == ""
    assert json.loads(target.read_text("utf-8"))["schema"] == "verify-report/1"
    assert "<details>" in (tmp_path / "r.md").read_text("utf-8")


def test_gates_choose_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    base = [str(ARTICLE), "--replay", str(WARC), "--no-cache", "--quiet"]
    assert run_cli(base + ["--fail-on", "none"], capsys)[0] == 0
    assert run_cli(base + ["--fail-on", "blocked"], capsys)[0] == 0  # walls were archived
    assert run_cli(base + ["--fail-on", "none", "--min-support", "1.0"], capsys)[0] == 1
    # without the archive the two walled pages stay blocked
    assert run_cli(base + ["--fail-on", "blocked", "--no-archive"], capsys)[0] == 1


def test_missing_from_replay_archive_is_unreachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.md"
    article.write_text(
        "# Note\n\nThe sky was clear over the harbour on Tuesday [1].\n\n"
        "References:\n\n[1]: https://example.org/not-recorded\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli([str(article), "--replay", str(WARC), "-f", "json"], capsys)
    ref = json.loads(out)["articles"][0]["references"][0]
    assert ref["status"] == "unreachable"
    assert "archive" in ref["error"]
    assert code == 1


def test_interrupted_run_says_what_it_had_and_leaves_a_sound_cache(tmp_path: Path) -> None:
    import signal
    import sqlite3
    import time

    with WarcServer(WARC, latency=1.5) as server:
        article = tmp_path / "article.md"
        article.write_text(server.rewrite(ARTICLE.read_text("utf-8"), NEWS_HOSTS), "utf-8")
        cache = tmp_path / "cache"
        args = [str(article), "--allow-private", "--cache-dir", str(cache)]
        for name, value in server.endpoints().items():
            args += ["--endpoint", f"{name}={value}"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "verify", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # every reference's first request is out at once; each answer takes 1.5 s (the
        # walled pages, on a local address, get no archive look-up after it)
        deadline = time.monotonic() + 30
        while sum(server.hits.values()) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert first.startswith("verify: interrupted after ") and first.endswith(" of 5 references")
    # the cache still opens and passes SQLite's own check
    with sqlite3.connect(cache / "verify-cache.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_non_web_references_are_listed_never_fetched_and_fail_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], attempts: list[str]
) -> None:
    article = tmp_path / "local.md"
    article.write_text(
        "# Notes from the harbour office\n\n"
        "The harbour office moved its records to new shelves over the winter, and the clerk "
        "kept a ledger of every box. The ledger was kept on a laptop "
        "[copy](file:///etc/passwd) until May, when the council asked for a printed set.\n\n"
        "The audit of the records was published in March [1]. It found nothing missing.\n\n"
        "[1]: sandbox:/mnt/data/audit.pdf\n",
        "utf-8",
    )
    code, out, err = run_cli(
        [str(article), "--no-config", "--no-cache", "--format", "json"], capsys
    )
    assert code == 1, err  # unsupported counts as dead under the default --fail-on
    refs = by_id(json.loads(out))
    assert {k: (r["status"], r["error"]) for k, r in refs.items()} == {
        "1": ("unsupported", "not a web address (sandbox:): never fetched"),
        "L1": ("unsupported", "not a web address (file:): never fetched"),
    }
    assert attempts == []


def test_the_collector_paused_for_start_up_is_running_again_after_main(tmp_path: Path) -> None:
    import gc

    assert main([str(tmp_path / "missing.md"), "--no-config"]) == 2  # fails before the run
    assert gc.isenabled()


def test_a_run_that_fails_early_leaves_no_worker_process(tmp_path: Path) -> None:
    child_pids = benchmark_module("measure").child_pids
    before = child_pids()  # earlier tests' leftovers, if any
    if before is None:
        pytest.skip("no /proc to list child processes")
    # the workers start before the article is looked at; a missing one must stop them
    assert main([str(tmp_path / "missing.md"), "--no-config", "--no-cache"]) == 2
    assert (child_pids() or set()) <= before


def test_the_program_ends_with_its_whole_output_and_exit_code(tmp_path: Path) -> None:
    also = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "verify", str(DEMO / "article.md"), "--no-config"]
    cmd += ["--replay", str(WARC), "--no-cache", "--format", "github"]
    cmd += ["--also", f"json={also}"]
    # the process ends without the interpreter's clean-up: output still in the buffer (a
    # short one, here) must be flushed first
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    assert proc.returncode == 1, proc.stderr  # the demo has unsupported claims
    assert proc.stdout.count("::warning") + proc.stdout.count("::error") >= 3
    assert json.loads(also.read_text("utf-8"))["schema"] == "verify-report/1"
    assert "Traceback" not in proc.stderr and "Exception" not in proc.stderr


def test_exit_handlers_still_run_when_the_program_ends(tmp_path: Path) -> None:
    # what a coverage tool wrapping the command relies on to save its data
    wrapper = tmp_path / "wrapped.py"
    wrapper.write_text(
        "import atexit, sys\n"
        "from pathlib import Path\n"
        f"atexit.register(Path({str(tmp_path / 'saved')!r}).write_text, 'saved')\n"
        "from verify.cli.main import main\n"
        "try:\n"
        "    code = main()\n"
        "finally:\n"
        "    print('after main', file=sys.stderr)\n"
        "raise SystemExit(code)\n",
        encoding="utf-8",
    )
    cmd = [sys.executable, str(wrapper), str(DEMO / "article.md"), "--no-config"]
    cmd += ["--replay", str(WARC), "--no-cache", "--format", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "verify-report/1"
    assert (tmp_path / "saved").read_text() == "saved"
    # main() returns its code: the caller's own clean-up runs after it
    assert proc.stderr.strip() == "after main"


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.mark.skipif(shutil.which("openssl") is None, reason="makes its certificate with openssl")
async def test_https_is_verified_against_the_ca_certificates(
    tmp_path: Path,
) -> None:
    import ssl

    from aiohttp import web

    key, cert = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def tides(request: web.Request) -> web.Response:
        return web.Response(
            text="<html><head><title>Tides</title></head><body><article><p>"
            + "The harbour floods twice a month, at the spring tides. " * 8
            + "</p></article></body></html>",
            content_type="text/html",
        )

    app = web.Application()
    app.router.add_get("/tides", tides)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    url = f"https://127.0.0.1:{runner.addresses[0][1]}/tides"
    article = tmp_path / "harbour.md"
    article.write_text(
        f"# Harbour\n\nThe harbour floods twice a month [1].\n\n## References\n\n1. {url}\n",
        encoding="utf-8",
    )

    async def reference(trust: Path | None) -> dict[str, Any]:
        env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
        if trust is not None:
            env["SSL_CERT_FILE"] = str(trust)  # what OpenSSL's default paths read first
        proc = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "verify", str(article), "--no-config", "--allow-private"],
            *["--no-cache", "--no-archive", "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        out, err = await proc.communicate()
        assert proc.returncode in (0, 1), err
        found: dict[str, Any] = json.loads(out)["articles"][0]["references"][0]
        return found

    try:
        # the certificates OpenSSL's default paths name decide the handshake
        trusted = await reference(cert)
        assert (trusted["status"], trusted["http_status"], trusted["title"]) == ("ok", 200, "Tides")
        # and they are what decides: without this one the same server is not trusted
        untrusted = await reference(None)
        assert untrusted["status"] == "error"
        assert "certificate" in (untrusted["error"] or "").lower()
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("debug", [False, True], ids=["one line", "VERIFY_DEBUG=1"])
def test_a_bug_in_a_resolver_exits_3_not_1(
    debug: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug is not a dead link: it ends the run as an internal error."""
    from verify.sources.web import WebResolver

    async def broken(self: WebResolver, reference: Any, fetcher: Any) -> Any:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(WebResolver, "resolve", broken)
    args = [str(ARTICLE), "--no-config", "--replay", str(WARC), "--no-cache", "--quiet"]
    if debug:
        monkeypatch.setenv("VERIFY_DEBUG", "1")
        with pytest.raises(ZeroDivisionError, match="injected"):
            main(args)
        return
    monkeypatch.delenv("VERIFY_DEBUG", raising=False)
    code, out, err = run_cli(args, capsys)
    assert code == 3
    assert err.strip().splitlines() == [
        "verify: internal error: ZeroDivisionError: injected "
        "(set VERIFY_DEBUG=1 for the traceback, and please report it)"
    ]
    assert out == ""
