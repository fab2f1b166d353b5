"""JSON Lines: one `verify-report/1` article object a line, written as each article is done,
then one summary line. For runs too large to hold as one JSON document.

An article line has exactly the keys of an article in the JSON report (`path`, `title`,
`references`, `claims`, `summary`, ...); the closing line has `schema`, `version`,
`articles` (how many lines came before it) and the whole run's `summary`, and no `path`.
"""

from __future__ import annotations

import json

from verify import __version__
from verify.models import SCHEMA, ArticleReport, Report, Summary
from verify.report.jsonfmt import article_to_dict, summary_to_dict


def article_line(article: ArticleReport) -> str:
    """One article as one line (with its newline)."""
    return json.dumps(article_to_dict(article), ensure_ascii=False) + "\n"


def summary_line(summary: Summary, articles: int, *, interrupted: bool = False) -> str:
    """The closing line. `interrupted` marks a run stopped before every article was done."""
    data: dict[str, object] = {
        "schema": SCHEMA,
        "version": __version__,
        "articles": articles,
        "summary": summary_to_dict(summary),
    }
    if interrupted:
        data["interrupted"] = True
    return json.dumps(data, ensure_ascii=False) + "\n"


def render_jsonl(report: Report) -> str:
    """A whole report as JSON Lines (for --also and the library; the command line streams)."""
    lines = [article_line(a) for a in report.articles]
    lines.append(summary_line(report.summary, len(report.articles)))
    return "".join(lines)
