"""Sample reports built by hand from verify.models, for the formatter tests.

Two articles written for these tests (the people, companies and numbers are invented): a
Chinese one that cites English sources through markers, and an English one with inline links
and footnotes. Between them they hold every reference status, every verdict, archived and
dead references, ignored and not-checkable claims, and evidence with highlights and pages.
"""

from __future__ import annotations

from verify.models import (
    Article,
    ArticleReport,
    Claim,
    ClaimResult,
    Document,
    Evidence,
    Page,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)

VERSION = "0.1.0"


def evidence(
    ref: str, text: str, score: float, words: tuple[str, ...] = (), page: int | None = None
) -> Evidence:
    """Evidence whose highlights are the spans of `words` in `text`, and whose offsets are
    made up but consistent (end - start == len(text))."""
    spans = []
    for w in words:
        at = text.find(w)
        assert at >= 0, w  # a typo in the factory must not silently drop a highlight
        spans.append((at, at + len(w)))
    start = 100 * (page or 1)
    return Evidence(
        reference=ref,
        text=text,
        score=score,
        start=start,
        end=start + len(text),
        page=page,
        highlights=tuple(sorted(spans)),
    )


def _doc(url: str, title: str | None, text: str, **kw: object) -> Document:
    return Document(url=url, text=text, title=title, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- Chinese


def chinese_article_report() -> ArticleReport:
    refs = (
        Reference("1", "https://news.example.com/tech/2024/lumen-aster-2", 30, "list"),
        Reference("2", "https://www.dailyledger.example/business/lumen-funding", 31, "list"),
        Reference("3", "https://blog.example.org/posts/aster-notes", 32, "list"),
        Reference("4", "https://x.com/lumenlabs/status/1820000000000000001", 33, "list"),
        Reference(
            "5",
            "https://www.documentcloud.org/documents/2400001-aster-2-system-card",
            34,
            "list",
            "Aster-2 系统卡",
        ),
        Reference("6", "https://paywalled.example.com/lumen-interview", 35, "list", "专访"),
    )
    ignored_ref = Reference("7", "https://shop.example.com/subscribe", 37, "list", "订阅我们的通讯")
    claims = (
        Claim(0, "Lumen 实验室于 2024 年 8 月 5 日发布了 Aster-2 模型。", 8, ("1",)),
        Claim(1, "据称该模型在 MMLU 测试中得分 88.4%，比上一代高出 6 个百分点。", 8, ("5",)),
        Claim(2, "公司创始人 Mira Okafor 表示，训练只用了 3 周时间。", 10, ("4",)),
        Claim(3, "此前有报道称，Lumen 在 B 轮融资中筹集了 4 亿美元。", 12, ("2",)),
        Claim(4, "一位匿名员工透露，团队内部对发布时间存在分歧。", 14, ("3", "6")),
        Claim(5, "这意味着什么？", 16, (), checkable=False),
        Claim(6, "下面是我们整理的时间线，仅供参考。", 18, (), ignored=True),
        Claim(
            7,
            "值得注意的是，Aster-2 的上下文窗口扩大到 256K 个词元，并且在代码生成、数学推理"
            "和多语言翻译等多个方向上都取得了明显进步，这也是 Lumen 首次公开系统卡。",
            20,
            ("5",),
        ),
    )
    article = Article(
        path="posts/aster-zh.md",
        text="(markdown omitted in tests)",
        claims=claims,
        references=refs,
        title="Lumen 实验室发布 Aster-2",
        date="2024-08-07",
        language="zh",
        ignored_references=(ignored_ref,),
    )
    card_text = (
        "Aster-2 system card. The context window of Aster-2 grows to 256K tokens. "
        "Aster-2 scores 88.4% on MMLU in our internal evaluation. "
        "This is the first system card Lumen has published."
    )
    sources = (
        Source(
            refs[0],
            RefStatus.OK,
            http_status=200,
            final_url=refs[0].url,
            elapsed=0.4123,
            document=_doc(
                refs[0].url,
                "Lumen Labs unveils Aster-2",
                "On August 5, 2024, Lumen Labs released Aster-2, its second model.",
                published="2024-08-05",
                site_name="Example News",
            ),
        ),
        Source(
            refs[1],
            RefStatus.ARCHIVED,
            via="wayback",
            http_status=403,
            final_url=refs[1].url,
            elapsed=1.2,
            document=_doc(
                refs[1].url,
                "Lumen raises $400 million",
                "Lumen Labs raised $400 million in a Series B round led by Northfield Capital.",
                via="wayback",
                published="2024-06-02",
                archived_url="https://web.archive.org/web/20240806093000/" + refs[1].url,
                archived_at="2024-08-06T09:30:00Z",
            ),
            notes=(
                "live page answered 403 with a bot wall",
                "read the Wayback snapshot of 2024-08-06",
            ),
        ),
        Source(
            refs[2],
            RefStatus.NOT_FOUND,
            http_status=404,
            final_url=refs[2].url,
            elapsed=0.2,
            error="HTTP 404 Not Found",
            notes=("no archived copy found",),
        ),
        Source(
            refs[3],
            RefStatus.OK,
            via="x",
            http_status=200,
            final_url=refs[3].url,
            elapsed=0.3335,
            document=_doc(
                refs[3].url,
                "Lumen Labs on X",
                "Training took several months on our new cluster, said Mira Okafor.",
                via="x",
                published="2024-08-05",
            ),
            notes=("read the post through the oEmbed endpoint",),
        ),
        Source(
            refs[4],
            RefStatus.OK,
            via="documentcloud",
            http_status=200,
            final_url=refs[4].url,
            elapsed=2.5,
            document=_doc(
                refs[4].url,
                None,
                card_text,
                via="documentcloud",
                pages=(Page(1, 0, 73), Page(3, 73, len(card_text))),
            ),
        ),
        Source(
            refs[5],
            RefStatus.BLOCKED,
            http_status=403,
            final_url=refs[5].url,
            elapsed=0.1,
            error="bot wall (challenge page)",
        ),
    )
    results = (
        ClaimResult(
            claims[0],
            Verdict.SUPPORTED,
            0.9134,
            (
                evidence(
                    "1",
                    "On August 5, 2024, Lumen Labs released Aster-2, its second model.",
                    0.9134,
                    ("August 5, 2024", "Lumen Labs", "Aster-2"),
                ),
            ),
            found=("2024", "Lumen", "Aster-2"),
        ),
        ClaimResult(
            claims[1],
            Verdict.PARTIAL,
            0.6217,
            (
                evidence(
                    "5",
                    "Aster-2 scores 88.4% on MMLU in our internal evaluation.",
                    0.6217,
                    ("88.4%", "MMLU"),
                    page=3,
                ),
            ),
            found=("MMLU", "88.4%"),
            missing=("6 个百分点",),
        ),
        ClaimResult(
            claims[2],
            Verdict.UNSUPPORTED,
            0.2449,
            (
                evidence(
                    "4",
                    "Training took several months on our new cluster, said Mira Okafor.",
                    0.2449,
                    ("Mira Okafor",),
                ),
            ),
            found=("Mira Okafor",),
            missing=("3 周",),
        ),
        ClaimResult(
            claims[3],
            Verdict.SUPPORTED,
            0.8421,
            (
                evidence(
                    "2",
                    "Lumen Labs raised $400 million in a Series B round led by Northfield Capital.",
                    0.8421,
                    ("Lumen", "$400 million", "Series B"),
                ),
            ),
            found=("Lumen", "4 亿美元"),
        ),
        ClaimResult(claims[4], Verdict.UNVERIFIABLE, 0.0, note="no reference could be read"),
        ClaimResult(claims[5], Verdict.UNVERIFIABLE, 0.0, checkable=False, note="a question"),
        ClaimResult(claims[6], Verdict.UNVERIFIABLE, 0.0, note="verify-ignore"),
        ClaimResult(
            claims[7],
            Verdict.SUPPORTED,
            0.7766,
            (
                evidence(
                    "5",
                    "The context window of Aster-2 grows to 256K tokens.",
                    0.7766,
                    ("Aster-2", "256K"),
                    page=1,
                ),
                evidence(
                    "5",
                    "This is the first system card Lumen has published.",
                    0.5,
                    ("Lumen",),
                    page=3,
                ),
            ),
            found=("Aster-2", "256K", "Lumen"),
        ),
    )
    return ArticleReport(article, sources, results)


# ---------------------------------------------------------------------------- English


def english_article_report() -> ArticleReport:
    pdf_url = "https://northfield.example.com/annual-report-2023.pdf"
    refs = (
        Reference("L1", pdf_url, 3, "inline", "annual report"),
        Reference("L2", "https://slow.example.net/interview", 9, "inline", "an interview"),
        Reference("^1", "https://records.example.gov/filing?id=42&form=10-K", 20, "footnote"),
        Reference("^2", "https://data.example.org/dump.csv", 21, "footnote"),
        Reference("L3", "https://video.example.com/watch?v=abc", 11, "inline", "video"),
        Reference("L4", "https://empty.example.com/page", 12, "inline", "a page"),
        Reference("L5", "https://tracker.example.com/pixel", 13, "inline", "tracker"),
    )
    claims = (
        Claim(0, "Northfield's revenue grew 12% in 2023, to $1.4 billion.", 3, ("L1",)),
        Claim(
            1,
            'The CEO said margins would "double by 2025", a claim the filing contradicts.',
            5,
            ("L1",),
        ),
        Claim(
            2,
            "Revenue per store rose 40%, 100% organically: no acquisitions | per the 10-K.",
            7,
            ("L1", "^1"),
        ),
        Claim(3, "Analysts at the firm were unavailable for comment.", 9, ("L2",)),
        Claim(4, "The filing lists 42 subsidiaries,\nmost of them in Delaware.", 10, ("L1",)),
        Claim(5, "Why does this matter?", 14, (), checkable=False),
    )
    article = Article(
        path="posts/ledger-review.md",
        text="(markdown omitted in tests)",
        claims=claims,
        references=refs,
        title="What the Northfield ledger shows",
        language="en",
    )
    report_text = (
        "Revenue grew 12% in 2023 to $1.4 billion. "
        "Margins are expected to improve by 2025. "
        "Store revenue rose 15% including two acquisitions. "
        "The company has 42 subsidiaries."
    )
    sources = (
        Source(
            refs[0],
            RefStatus.OK,
            via="pdf",
            http_status=200,
            final_url=pdf_url,
            elapsed=0.0,
            from_cache=True,
            document=_doc(
                pdf_url,
                "Northfield Annual Report 2023 | Investors",
                report_text,
                via="pdf",
                published="2024-03-01",
                pages=(Page(7, 0, 42), Page(12, 42, 82), Page(15, 82, len(report_text))),
            ),
            notes=("served from cache",),
        ),
        Source(
            refs[1],
            RefStatus.UNREACHABLE,
            elapsed=30.0021,
            error="timed out after 30 s",
            notes=("no archived copy found",),
        ),
        Source(
            refs[2],
            RefStatus.ERROR,
            http_status=500,
            final_url=refs[2].url,
            elapsed=0.05,
            error="HTTP 500 Internal Server Error",
        ),
        Source(
            refs[3],
            RefStatus.TOO_LARGE,
            http_status=200,
            elapsed=3.1,
            error="body larger than 20 MB",
        ),
        Source(
            refs[4],
            RefStatus.UNSUPPORTED,
            http_status=200,
            elapsed=0.2,
            error="content type video/mp4",
        ),
        Source(
            refs[5],
            RefStatus.EMPTY,
            http_status=200,
            elapsed=0.25,
            error="no text could be extracted",
        ),
        Source(refs[6], RefStatus.IGNORED, via="none", error="excluded by configuration"),
    )
    results = (
        ClaimResult(
            claims[0],
            Verdict.SUPPORTED,
            0.8812,
            (
                evidence(
                    "L1",
                    "Revenue grew 12% in 2023 to $1.4 billion.",
                    0.8812,
                    ("12%", "2023", "$1.4 billion"),
                    page=7,
                ),
            ),
            found=("12%", "2023", "$1.4 billion"),
        ),
        ClaimResult(
            claims[1],
            Verdict.PARTIAL,
            0.5789,
            (
                evidence(
                    "L1",
                    "Margins are expected to improve by 2025.",
                    0.5789,
                    ("Margins", "2025"),
                    page=12,
                ),
            ),
            found=("2025",),
            missing=("double",),
        ),
        ClaimResult(
            claims[2],
            Verdict.UNSUPPORTED,
            0.2105,
            (
                evidence(
                    "L1",
                    "Store revenue rose 15% including two acquisitions.",
                    0.2105,
                    ("revenue rose",),
                    page=15,
                ),
            ),
            missing=("40%", "100%"),
            note="the source gives 15%",
        ),
        ClaimResult(claims[3], Verdict.UNVERIFIABLE, 0.0, note="no reference could be read"),
        ClaimResult(
            claims[4],
            Verdict.PARTIAL,
            0.6,
            (
                evidence(
                    "L1", "The company has 42 subsidiaries.", 0.6, ("42 subsidiaries",), page=15
                ),
            ),
            found=("42",),
            missing=("Delaware",),
        ),
        ClaimResult(claims[5], Verdict.UNVERIFIABLE, 0.0, checkable=False, note="a question"),
    )
    return ArticleReport(article, sources, results)


# ---------------------------------------------------------------------------- reports


def sample_report() -> Report:
    """Both articles in one run."""
    return Report(
        articles=(chinese_article_report(), english_article_report()), tool_version=VERSION
    )


def english_report_only() -> Report:
    return Report(articles=(english_article_report(),), tool_version=VERSION)


def chinese_report() -> Report:
    return Report(articles=(chinese_article_report(),), tool_version=VERSION)


def clean_report() -> Report:
    """One article whose every claim is supported by a readable reference."""
    ref = Reference("1", "https://example.com/a", 5)
    claim = Claim(0, "The bridge opened in 1932.", 2, ("1",))
    article = Article("clean.md", "x", (claim,), (ref,), title="Clean", language="en")
    doc = _doc(ref.url, "Bridge history", "The bridge opened to traffic in 1932.")
    source = Source(ref, RefStatus.OK, http_status=200, document=doc)
    ev = evidence("1", doc.text, 0.93, ("1932",))
    result = ClaimResult(claim, Verdict.SUPPORTED, 0.93, (ev,), found=("1932",))
    return Report(articles=(ArticleReport(article, (source,), (result,)),), tool_version=VERSION)


def empty_report() -> Report:
    """An article with no references and no claims."""
    article = Article("empty.md", "", (), ())
    return Report(articles=(ArticleReport(article, (), ()),), tool_version=VERSION)
