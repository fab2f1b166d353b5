"""--source: a saved copy stands for exactly the reference the user names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify.cli.main import main

SAVED = (
    "<html><head><title>Saved changelog</title></head><body><article><p>Version two of the "
    "ferry timetable adds a late crossing on Fridays and drops the winter service to the "
    "north island.</p></article></body></html>"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main([*args, "--no-cache", "--allow-private", "-f", "json", "--fail-on", "none"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


def refs(report: dict, n: int = 0) -> dict[str, dict]:
    return {r["id"]: r for r in report["articles"][n]["references"]}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "saved.html"
    path.write_text(SAVED, encoding="utf-8")
    return path


def _post(tmp_path: Path, name: str, site: str) -> Path:
    path = tmp_path / name
    path.write_text(
        "# Timetable\n\n"
        f"Version two adds a late Friday crossing, says [the changelog][changes].\n\n"
        f"The ferry carried forty passengers, says [the log]({site}/log).\n\n"
        f"[changes]: {site}/changes\n",
        encoding="utf-8",
    )
    return path


def test_a_named_reference_is_replaced_by_its_label(
    site: str, site_hits: list[str], tmp_path: Path, saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = _post(tmp_path, "post.md", site)
    code, report, _ = run([str(post), "--source", f"changes={saved}"], capsys)
    assert code == 0
    by_id = refs(report)
    assert set(by_id) == {"changes", "L1"}
    assert by_id["changes"]["via"] == "local" and by_id["changes"]["status"] == "ok"
    assert "/changes" not in site_hits  # the saved copy stands in: the URL is never fetched
    assert by_id["L1"]["via"] == "direct"


def test_an_unknown_id_is_an_error_that_lists_the_articles_ids(
    site: str, tmp_path: Path, saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = _post(tmp_path, "post.md", site)
    code, _, err = run([str(post), "--source", f"chnages={saved}"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "has no reference chnages; its references are changes, L1" in err


def test_in_a_run_over_several_articles_an_id_is_scoped_to_one(
    site: str, site_hits: list[str], tmp_path: Path, saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "posts").mkdir()
    a = _post(tmp_path / "posts", "a.md", site)
    b = _post(tmp_path / "posts", "b.md", site)
    args = [str(a), str(b)]
    code, _, err = run([*args, "--source", f"changes={saved}"], capsys)
    assert code == 2 and "2 articles have a reference changes" in err
    assert f"{a}:changes=" in err  # says how to scope it
    code, report, _ = run([*args, "--source", f"posts/a.md:changes={saved}"], capsys)
    assert code == 0
    assert refs(report, 0)["changes"]["via"] == "local"
    assert refs(report, 1)["changes"]["via"] == "direct"  # b.md's is fetched
    code, _, err = run([*args, "--source", f"c.md:changes={saved}"], capsys)
    assert code == 2 and "c.md is not an article of this run" in err


def test_a_url_key_stands_for_that_page_wherever_it_is_cited(
    site: str, site_hits: list[str], tmp_path: Path, saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _post(tmp_path, "a.md", site)
    b = _post(tmp_path, "b.md", site)
    code, report, _ = run([str(a), str(b), "--source", f"{site}/changes={saved}"], capsys)
    assert code == 0
    assert refs(report, 0)["changes"]["via"] == refs(report, 1)["changes"]["via"] == "local"
    assert "/changes" not in site_hits
    code, _, err = run([str(a), "--source", f"{site}/other={saved}"], capsys)
    assert code == 2 and "no article cites this URL" in err


def test_a_cached_reference_shows_this_runs_time_not_the_first_fetch(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "post.md"
    post.write_text(f"# Log\n\nThe ferry carried forty people, says [the log]({site}/slow).\n")
    args = [str(post), "--allow-private", "-f", "json", "--fail-on", "none"]
    cache = ["--cache-dir", str(tmp_path / "cache")]
    main([*args, *cache])
    first = json.loads(capsys.readouterr().out)["articles"][0]["references"][0]
    main([*args, *cache])
    second = json.loads(capsys.readouterr().out)["articles"][0]["references"][0]
    assert (first["from_cache"], second["from_cache"]) == (False, True)
    assert first["elapsed"] >= 0.4  # the page took that long to answer
    # read from the cache, not fetched: not the first run's time copied over
    assert second["elapsed"] < first["elapsed"]


@pytest.mark.parametrize("fmt", ["jsonl", "terminal-many"])
def test_a_streamed_run_checks_its_source_keys_before_fetching_anything(
    fmt: str,
    site: str,
    site_hits: list[str],
    tmp_path: Path,
    saved: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """JSON Lines (and a terminal report over many articles) parse the articles as the run
    goes; a mistyped --source key is still refused before any request, not ignored."""
    (tmp_path / "posts").mkdir()
    many = 2 if fmt == "jsonl" else 60  # the terminal streams past 50 articles
    posts = [_post(tmp_path / "posts", f"p{i}.md", site) for i in range(many)]
    out = tmp_path / "out.jsonl"
    fmt_args = ["-f", "jsonl", "-o", str(out)] if fmt == "jsonl" else ["-o", str(out)]
    args = [str(tmp_path / "posts"), "--no-cache", "--allow-private", *fmt_args]
    code = main([*args, "--source", f"posts/p0.md:chnages={saved}"])
    err = capsys.readouterr().err
    assert code == 2 and "has no reference chnages; its references are changes, L1" in err
    assert site_hits == [] and not out.exists()
    code = main([*args, "--source", f"changes={saved}"])  # in every post: must be scoped
    err = capsys.readouterr().err
    assert code == 2 and f"{len(posts)} articles have a reference changes" in err
    code = main([*args, "--source", f"posts/p0.md:changes={saved}", "--fail-on", "none"])
    assert code == 0 and "/changes" in site_hits  # the other posts' copies are fetched
    lines = [json.loads(line) for line in out.read_text().splitlines()] if fmt == "jsonl" else []
    assert fmt != "jsonl" or any(
        r.get("via") == "local" for line in lines for r in line.get("references", ())
    )
