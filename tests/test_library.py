"""The library as a caller meets it: what `import verify` offers, and Options' checks."""

from __future__ import annotations

import inspect

import pytest

import verify
from verify.errors import ConfigError
from verify.models import Article, ArticleReport, Options, Reference, RefStatus, Source, Thresholds


def test_the_public_names_are_listed_and_documented() -> None:
    listed = [n for n in dir(verify) if not n.startswith("_")]
    assert "verify_article" in listed and "Options" in listed and "Report" in listed
    for name in verify.__all__:
        obj = getattr(verify, name)  # every listed name resolves
        if callable(obj):
            assert inspect.getdoc(obj), f"verify.{name} has no docstring"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        verify.nothing  # noqa: B018


def test_an_article_report_names_its_references_as_the_json_does() -> None:
    article = Article(path="a.md", text="", claims=(), references=())
    source = Source(reference=Reference("1", "https://a.example/", 1), status=RefStatus.OK)
    report = ArticleReport(article=article, sources=(source,), claims=())
    assert report.references == (source,)
    assert report.sources is report.references  # the older name stays


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_host": 0}, "per_host must be a whole number of at least 1, got 0"),
        ({"concurrency": -2}, "concurrency must be a whole number of at least 1"),
        ({"timeout": -1}, "timeout must be a duration such as 30, 30s, 5m or 1d, got -1"),
        ({"timeout": "5s"}, "timeout must be a duration"),
        ({"retries": -1}, "retries must be a whole number of at least 0"),
        ({"max_bytes": 0}, "max_bytes must be a size such as 20MB"),
        ({"max_age": -5.0}, "max_age must be a duration"),
        ({"record": "a.warc.gz", "replay": "b.warc.gz"}, "cannot be used together"),
        ({"thresholds": Thresholds(supported=0.3, partial=0.6)}, "partial_threshold must not"),
        ({"endpoints": {"wayback": "ftp://x"}}, "endpoint wayback must be an http(s) URL"),
    ],
)
def test_options_refuses_what_the_command_line_refuses(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        Options(**kwargs)
    assert message in str(err.value)


def test_options_takes_what_the_command_line_takes() -> None:
    options = Options(retries=0, max_redirects=0, timeout=0.25, per_host=1, max_age=0)
    assert options.retries == 0 and options.timeout == 0.25
