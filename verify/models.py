"""The typed data model that flows between the pipeline's stages.

article -> references and claims -> fetched sources -> documents -> evidence -> verdicts -> report

Every value here is a frozen dataclass (or a string enum), so a stage can be tested on its own
by building its input by hand.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from verify.settings_schema import LIMITS, check_options

# RefStatus lives below both this module and the error table (verify.errors maps each expected
# failure onto it, and Options' checks raise its ConfigError); it is imported from here as well
from verify.status import RefStatus

SCHEMA = "verify-report/1"


class Verdict(enum.StrEnum):
    """What the article's sources say about one claim."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"
    UNVERIFIABLE = "unverifiable"  # none of its references could be read, or nothing to check


@dataclass(frozen=True)
class Span:
    """A place in the article: 1-based lines, inclusive."""

    line: int
    end_line: int


@dataclass(frozen=True)
class Reference:
    """One cited source.

    id: "1", "2"... for a numbered list or `[1]: url` definitions; "^name" for a footnote;
    the label of a named definition (`[changes]: url`) that prose links use; "L<n>" for the
    n-th distinct inline link.
    kind: "list" | "definition" | "footnote" | "inline".
    """

    id: str
    url: str
    line: int
    kind: str = "list"
    title: str | None = None  # the link text or list-item text besides the URL

    @property
    def host(self) -> str:
        m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]*)", self.url)
        if not m:
            return ""
        host = m.group(1).rsplit("@", 1)[-1]
        if host.startswith("["):
            return host.split("]", 1)[0] + "]"
        return host.split(":", 1)[0].lower()


@dataclass(frozen=True)
class Claim:
    """One sentence of the article's prose."""

    index: int  # 0-based position in the article
    text: str
    line: int  # 1-based line of the sentence's start
    references: tuple[str, ...] = ()  # ids cited explicitly (inline link, [1] marker, footnote)
    checkable: bool = True  # False for questions, transitions, headings-like fragments
    ignored: bool = False  # inside a verify-ignore comment's scope
    # ids cited by the other sentences of the same paragraph or list item: a sentence that
    # cites nothing itself usually leans on its neighbours' sources
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A parsed markdown article: its claims and references, as read."""

    path: str
    text: str  # the markdown as read (decoded), never modified
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    title: str | None = None
    date: str | None = None
    author: str | None = None
    language: str | None = None  # "zh", "en", ... of the prose
    # ignored references (from verify-ignore scopes); they are reported, never fetched
    ignored_references: tuple[Reference, ...] = ()

    @property
    def cites_explicitly(self) -> bool:
        return any(c.references for c in self.claims)

    def candidates(self, claim: Claim) -> tuple[str, ...]:
        """Reference ids a claim is checked against.

        A claim's own citations when it has any; else those of its paragraph; else (an
        article citing only through an end list, or an uncited paragraph) every reference.
        """
        return claim.references or claim.context or tuple(r.id for r in self.references)


@dataclass(frozen=True)
class FetchResult:
    """One HTTP exchange as the fetcher saw it (after redirects)."""

    url: str  # as requested
    status: RefStatus  # OK for a 2xx read in full; otherwise the failure
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None  # media type, lower case, no parameters
    charset: str | None = None  # declared by the Content-Type header, if any
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""  # decoded of transfer/content encoding; at most the size cap
    elapsed: float = 0.0
    error: str | None = None
    from_cache: bool = False
    redirects: tuple[str, ...] = ()  # every hop's URL after the first

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None


class Fetcher(Protocol):
    """Anything that turns a URL into a FetchResult: the live client, a WARC replay, a cache."""

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult: ...


@dataclass(frozen=True)
class Page:
    """A page of a paged document: characters [start, end) of Document.text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """The readable text of one source, with its metadata."""

    url: str
    text: str
    # the resolver that produced the text: direct, x, documentcloud, pdf, wayback, local
    via: str = "direct"
    final_url: str | None = None
    http_status: int | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date
    site_name: str | None = None
    pages: tuple[Page, ...] = ()
    archived_url: str | None = None  # the snapshot read, when via an archive
    archived_at: str | None = None  # the snapshot's date, ISO
    # The sentence spans of `text` (verify.article.sentences.sentence_spans), when the stage that
    # made the text computed them: extraction does, in its worker processes, so the split
    # runs in parallel with the fetching instead of after it. None: the matcher splits.
    sentences: tuple[tuple[int, int], ...] | None = field(default=None, repr=False, compare=False)

    def page_at(self, offset: int) -> int | None:
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return None


@dataclass(frozen=True)
class Source:
    """What became of one reference: its status and, when readable, its document."""

    reference: Reference
    status: RefStatus
    error: str | None = None  # why the status is what it is, kept beside it
    via: str = "direct"
    http_status: int | None = None
    final_url: str | None = None
    elapsed: float = 0.0
    document: Document | None = None  # set when the text could be read (live or archived)
    from_cache: bool = False
    notes: tuple[str, ...] = ()  # resolver decisions, for --verbose

    @property
    def chars(self) -> int:
        return len(self.document.text) if self.document else 0


@dataclass(frozen=True)
class Evidence:
    """A passage of a source that bears on a claim."""

    reference: str
    text: str
    score: float
    start: int = 0  # character offsets of the passage in the document's text
    end: int = 0
    page: int | None = None
    highlights: tuple[tuple[int, int], ...] = ()  # spans within `text` that matched the claim


CONFLICT_KINDS = ("negation", "antonym", "number", "date", "name", "role")


@dataclass(frozen=True)
class Conflict:
    """Where the passage that best matches a claim says otherwise: the claim's words and the
    source's words that disagree, and what kind of disagreement it is (CONFLICT_KINDS)."""

    kind: str
    claim_text: str
    source_text: str


@dataclass(frozen=True)
class ClaimResult:
    """One claim's verdict, with the evidence found for it."""

    claim: Claim
    verdict: Verdict
    score: float  # in [0, 1]
    evidence: tuple[Evidence, ...] = ()  # best first
    checkable: bool = True
    found: tuple[str, ...] = ()  # parts of the claim found in the evidence
    missing: tuple[str, ...] = ()  # parts not found (reported for partial verdicts)
    note: str | None = None  # why, in a few words (e.g. "no reference could be read")
    # set when the best passage contradicts the claim (the verdict is then unsupported)
    conflict: Conflict | None = None

    @property
    def contradicted(self) -> bool:
        return self.conflict is not None and self.verdict is Verdict.UNSUPPORTED


@dataclass(frozen=True)
class Summary:
    """Counts of claim verdicts and reference statuses."""

    claims: int = 0
    supported: int = 0
    partial: int = 0
    unsupported: int = 0
    unverifiable: int = 0
    not_checkable: int = 0
    ignored: int = 0
    references: int = 0
    references_ok: int = 0
    references_archived: int = 0  # readable only through an archived copy

    def __add__(self, other: Summary) -> Summary:
        return Summary(
            **{k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__}
        )

    @property
    def support_ratio(self) -> float:
        """Share of checkable claims that are supported (1.0 when nothing is checkable)."""
        checkable = self.supported + self.partial + self.unsupported + self.unverifiable
        return self.supported / checkable if checkable else 1.0


@dataclass(frozen=True)
class ArticleReport:
    """One article's result: each reference's source and each claim's verdict."""

    article: Article
    sources: tuple[Source, ...]
    claims: tuple[ClaimResult, ...]

    @property
    def references(self) -> tuple[Source, ...]:
        """What became of each reference, in the article's order: the JSON's `references`
        (`sources` is the same tuple, by its older name)."""
        return self.sources

    @property
    def links_only(self) -> bool:
        """Whether the run only checked the references (--links-only): a full run judges
        every claim the article has."""
        return bool(self.article.claims) and not self.claims

    @property
    def summary(self) -> Summary:
        counts = {v: 0 for v in Verdict}
        not_checkable = ignored = 0
        for c in self.claims:
            if c.claim.ignored:
                ignored += 1
            elif not c.checkable:
                not_checkable += 1
            else:
                counts[c.verdict] += 1
        live = [s for s in self.sources if s.status is not RefStatus.IGNORED]
        return Summary(
            claims=sum(counts.values()),
            supported=counts[Verdict.SUPPORTED],
            partial=counts[Verdict.PARTIAL],
            unsupported=counts[Verdict.UNSUPPORTED],
            unverifiable=counts[Verdict.UNVERIFIABLE],
            not_checkable=not_checkable,
            ignored=ignored,
            references=len(live),
            references_ok=sum(1 for s in live if s.status is RefStatus.OK),
            references_archived=sum(1 for s in live if s.status is RefStatus.ARCHIVED),
        )


@dataclass(frozen=True)
class Report:
    """A run's result: what every formatter reads."""

    articles: tuple[ArticleReport, ...]
    schema: str = SCHEMA
    tool_version: str = ""
    # what a reviewer must know about how the run was set up: settings from a configuration
    # file found in the checkout that weaken the gate, files left out as unsafe to read
    notices: tuple[str, ...] = ()

    @property
    def links_only(self) -> bool:
        return any(a.links_only for a in self.articles)

    @property
    def summary(self) -> Summary:
        total = Summary()
        for a in self.articles:
            total = total + a.summary
        return total


@dataclass(frozen=True)
class Thresholds:
    """Verdict cut-offs on the match score. The shipped defaults live in verify.matching.match."""

    supported: float
    partial: float


def _limit(key: str) -> Any:
    return LIMITS[key].default


@dataclass(frozen=True)
class Options:
    """Everything a run can be told. The CLI and configuration files fill this in."""

    # the limits default to the command line's (verify.settings_schema.LIMITS): one number
    # each, so a library run and a command-line run start from the same limits. concurrency
    # is 128, as many as lychee keeps in flight: at 4 per host the global limit binds only
    # past 32 hosts at once, so on ordinary articles the per-host limit (politeness) binds
    concurrency: int = _limit("concurrency")
    per_host: int = _limit("per_host")
    connect_timeout: float = _limit("connect_timeout")
    timeout: float = _limit("timeout")
    retries: int = _limit("retries")
    max_retry_after: float = 60.0
    max_bytes: int = _limit("max_size")
    max_redirects: int = _limit("max_redirects")
    allow_private: bool = False
    user_agent: str | None = None  # default names the tool and version
    cache: bool = True
    cache_dir: str | None = None  # default: the user cache directory
    max_age: float = _limit("max_age")
    record: str | None = None  # WARC file to write
    replay: str | None = None  # WARC file to read instead of the network
    archive: bool = True  # look up archived copies for walled and dead pages
    links_only: bool = False  # status (and archive lookup) only: no extraction, no matching
    include: tuple[str, ...] = ()  # URL regexes; when set, only matching URLs are checked
    exclude: tuple[str, ...] = ()  # URL regexes never checked
    exclude_hosts: tuple[str, ...] = ()
    # saved copies (--source): reference id, "article-path:id" or URL -> file path
    local_sources: Mapping[str, str] = field(default_factory=dict)
    glossary: Mapping[str, str] = field(default_factory=dict)  # 奥特曼 -> Altman
    thresholds: Thresholds | None = None  # None: the shipped defaults
    # base URLs of the site-specific services, so tests can point them at a local server
    endpoints: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the command line's rules and messages, so a library caller meets the same checks
        check_options(self)
