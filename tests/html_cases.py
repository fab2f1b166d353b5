"""Reports for the HTML tests: the demo run over its archive, and a hostile one built by hand.

The hostile report holds, in every string an article or a page can set (the article's
markdown, a page title, a passage, an error, a URL, a found word), markup that would run if it
were not escaped: each try sets `window.__pwned`, so a browser test can ask whether any ran.
"""

from __future__ import annotations

from pathlib import Path

from verify.models import (
    Article,
    ArticleReport,
    Claim,
    ClaimResult,
    Document,
    Evidence,
    Options,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
SVG = "<svg onload=\"window.__pwned = 'svg'\"></svg>"


def demo_report() -> Report:
    """The demo article checked against its recorded sources (no network)."""
    from verify import verify_article

    options = Options(replay=str(DEMO / "sources.warc.gz"), cache=False)
    return verify_article(str(DEMO / "article.md"), options)


HOSTILE_ARTICLE = f"""# A title {SCRIPT}

The mayor opened the {IMG} bridge in 1932 [1]. It cost {SVG} ten million dollars [1].

<div onclick="window.__pwned = 'div'">raw html block</div>

[a link](javascript:window.__pwned='link') and ![a picture](https://tracker.example.com/p.png)

1. https://news.example.com/bridge
"""


def hostile_report() -> Report:
    ref = Reference("1", "https://news.example.com/bridge", 9, "list")
    bad_ref = Reference("L1", "javascript:window.__pwned='ref'", 7, "inline", f"click {IMG}")
    claims = (
        Claim(0, f"The mayor opened the {IMG} bridge in 1932.", 3, ("1",)),
        Claim(1, f"It cost {SVG} ten million dollars.", 3, ("1",)),
    )
    article = Article(
        path=f"posts/{IMG}.md",
        text=HOSTILE_ARTICLE,
        claims=claims,
        references=(ref, bad_ref),
        title=f"A title {SCRIPT}",
        language="en",
    )
    passage = f"The bridge opened in 1932 {IMG} after {SCRIPT} two years of work."
    doc = Document(
        url=ref.url,
        text=passage,
        title=f"Bridge news {SCRIPT}{IMG}",
        archived_url=f"javascript:window.__pwned='archive'//{SCRIPT}",
        archived_at="2024-01-02",
    )
    sources = (
        Source(ref, RefStatus.ARCHIVED, via="wayback", http_status=200, document=doc),
        Source(bad_ref, RefStatus.UNSUPPORTED, error=f"scheme not read {SVG}"),
    )
    highlight = passage.index("1932")
    results = (
        ClaimResult(
            claims[0],
            Verdict.PARTIAL,
            0.6,
            (Evidence("1", passage, 0.6, 0, len(passage), None, ((highlight, highlight + 4),)),),
            found=(f"1932 {IMG}",),
            missing=(f"mayor {SCRIPT}",),
            note=f"note {SVG}",
        ),
        ClaimResult(claims[1], Verdict.UNSUPPORTED, 0.1, note=f"nothing {IMG}"),
    )
    return Report(articles=(ArticleReport(article, sources, results),), tool_version="0.1.0")
