"""X / Twitter posts, read through the public syndication endpoint, with oEmbed as a fallback.

A plain fetch of x.com gets an empty JavaScript shell, so the post is read from the endpoints
that embedded-tweet widgets use. Both are unofficial: their shapes can change without notice.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Fetcher, Options, Reference, RefStatus
from verify.sources.base import (
    JSON_ACCEPT,
    SiteResolver,
    endpoint,
    iso_date,
    json_answer,
    json_or_none,
    note,
)

_STATUS_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/"
    r"(?:[A-Za-z0-9_]{1,50}|i/web|i)/status(?:es)?/(\d{1,25})(?:[/?#]|$)",
    re.IGNORECASE,
)

_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def tweet_id(url: str) -> str | None:
    """The post id of an X/Twitter status URL, or None when the URL is not one."""
    m = _STATUS_URL.match(url.strip())
    return m.group(1) if m else None


def _js_radix_string(value: float, radix: int) -> str:
    """JavaScript's Number.prototype.toString(radix), as V8's DoubleToRadixCString does it.

    The syndication endpoint checks the token against what the browser widget computes, so
    the fractional digits must stop exactly where V8 stops them: when the remaining fraction
    is below half an ulp of the input, with round-half-even carry back into written digits.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    negative = value < 0
    if negative:
        value = -value
    integer = math.floor(value)
    fraction = value - integer
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), math.nextafter(0.0, 1.0))
    frac_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            frac_digits.append(digit)
            fraction -= digit
            if (fraction > 0.5 or (fraction == 0.5 and digit & 1)) and fraction + delta > 1:
                # round up, carrying into earlier digits (and the integer part) as needed
                while True:
                    if not frac_digits:
                        integer += 1
                        break
                    last = frac_digits.pop()
                    if last + 1 < radix:
                        frac_digits.append(last + 1)
                        break
                break
            if fraction < delta:
                break
    int_digits: list[str] = []
    whole = float(integer)
    # digits below the double's precision are written as zeros, as V8 does
    while math.frexp(whole / radix)[1] > 53:
        whole /= radix
        int_digits.append("0")
    while True:
        remainder = math.fmod(whole, radix)
        int_digits.append(_DIGITS36[int(remainder)])
        whole = (whole - remainder) / radix
        if whole <= 0:
            break
    text = "".join(reversed(int_digits))
    if frac_digits:
        text += "." + "".join(_DIGITS36[d] for d in frac_digits)
    return ("-" if negative else "") + text


def syndication_token(tweet_id: str) -> str:
    """The `token` the syndication endpoint expects, as the embed widget computes it.

    JS: ((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\\.)/g, '')
    """
    value = (float(tweet_id) / 1e15) * math.pi
    return re.sub(r"0+|\.", "", _js_radix_string(value, 36))


SYNDICATION_BASE = "https://cdn.syndication.twimg.com"
OEMBED_BASE = "https://publish.twitter.com"


def syndication_url(tweet_id: str, base: str = SYNDICATION_BASE) -> str:
    return f"{base.rstrip('/')}/tweet-result?id={tweet_id}&token={syndication_token(tweet_id)}"


def oembed_url(post_url: str, base: str = OEMBED_BASE) -> str:
    return f"{base.rstrip('/')}/oembed?url={quote(post_url, safe='')}&omit_script=true"


class XResolver(SiteResolver[str]):
    """X / Twitter status URLs: the post's text, author and date, without a browser."""

    name = "x"
    not_ours = "not an X post URL"

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.syndication_base = endpoint(options, "x_syndication", SYNDICATION_BASE)
        self.oembed_base = endpoint(options, "x_oembed", OEMBED_BASE)

    def locate(self, url: str) -> str | None:
        return tweet_id(url)

    async def read(self, reference: Reference, post_id: str, fetcher: Fetcher) -> Document:
        address = syndication_url(post_id, self.syndication_base)
        result = await fetcher.fetch(address, accept=JSON_ACCEPT)
        gone = False
        if result.status is RefStatus.OK:
            data = json_or_none(result)
            if isinstance(data, dict) and data.get("__typename") == "TweetTombstone":
                raise SourceError(
                    ErrorKind.DELETED_POST,
                    f"X post unavailable: {_tombstone_text(data)}",
                    http_status=result.http_status,
                )
            document = _from_syndication(data, reference.url, post_id)
            if document is not None:
                return replace(document, http_status=result.http_status)
            why = "answer has no post text" if data is not None else "answer is not JSON"
        else:
            gone = result.status is RefStatus.NOT_FOUND
            why = str(result.http_status or result.error or "failed")
        note(f"x: syndication {why}, trying oEmbed")
        try:
            return await self._oembed(reference.url, fetcher)
        except SourceError as e:
            if gone:
                # the syndication 404 is the stronger evidence that the post is gone
                raise SourceError(
                    ErrorKind.DELETED_POST,
                    "X post not found (deleted, or never existed)",
                    http_status=result.http_status,
                ) from e
            raise

    async def _oembed(self, post_url: str, fetcher: Fetcher) -> Document:
        result = await fetcher.fetch(oembed_url(post_url, self.oembed_base), accept=JSON_ACCEPT)
        if result.status is RefStatus.NOT_FOUND:
            raise SourceError(
                ErrorKind.DELETED_POST,
                "X post not found (oEmbed 404)",
                http_status=result.http_status,
            )
        if result.status is RefStatus.BLOCKED and result.http_status == 403:
            raise SourceError(
                ErrorKind.PRIVATE,
                "X post is not public (protected account or withheld)",
                http_status=result.http_status,
            )
        data = json_answer(result, "X oEmbed")
        document = _from_oembed(data, post_url)
        if document is None:
            raise SourceError(ErrorKind.NO_TEXT, "X oEmbed answer has no post text")
        note("x: text from oEmbed")
        return replace(document, http_status=result.http_status)


def _tombstone_text(data: Mapping[str, Any]) -> str:
    tomb = data.get("tombstone")
    text = tomb.get("text") if isinstance(tomb, dict) else None
    if isinstance(text, dict):
        text = text.get("text")
    if isinstance(text, str) and text.strip():
        # X appends a "Learn more" link label to the reason
        return re.sub(r"\s*Learn more\.?\s*$", "", text.strip())
    return "deleted or withheld"


def _post_text(post: Mapping[str, Any]) -> str:
    """The post's text with t.co links expanded and attached-media links dropped; of a reply,
    without the leading @handles X shows apart from the text (`display_text_range`)."""
    text = post.get("text")
    if not isinstance(text, str):
        return ""
    text = _displayed(text, post.get("display_text_range"))
    entities = post.get("entities") if isinstance(post.get("entities"), dict) else {}
    for item in entities.get("media") or []:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            text = text.replace(item["url"], "")
    for item in entities.get("urls") or []:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            expanded = item.get("expanded_url") or item.get("display_url") or item["url"]
            text = text.replace(item["url"], str(expanded))
    return html_lib.unescape(text).strip()


def _displayed(text: str, span: object) -> str:
    """`text` from where `display_text_range` starts it: a reply's leading @handles are
    left out (what follows the range, attached media's link, goes with the media entities).
    X's offsets count characters of the unescaped text (`&amp;` is one), so the cut is made
    there and the rest escaped back."""
    if not (
        isinstance(span, list | tuple)
        and len(span) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in span)
    ):
        return text
    start, end = span
    plain = html_lib.unescape(text)
    if not 0 < start < end <= len(plain):
        return text
    return html_lib.escape(plain[start:], quote=False)


def _handle(user: object) -> tuple[str | None, str | None]:
    if not isinstance(user, dict):
        return None, None
    name = user.get("name") if isinstance(user.get("name"), str) else None
    screen = user.get("screen_name") if isinstance(user.get("screen_name"), str) else None
    return name, screen


def _byline(name: str | None, handle: str | None) -> str | None:
    if name and handle:
        return f"{name} (@{handle})"
    return name or (f"@{handle}" if handle else None)


def _from_syndication(data: Any, url: str, post_id: str) -> Document | None:
    if not isinstance(data, dict):
        return None
    text = _post_text(data)
    if not text:
        return None
    quoted = data.get("quoted_tweet")
    if isinstance(quoted, dict):
        quoted_text = _post_text(quoted)
        if quoted_text:
            who = _byline(*_handle(quoted.get("user"))) or "another post"
            text = f"{text}\n\nQuoting {who}: {quoted_text}"
    name, handle = _handle(data.get("user"))
    byline = _byline(name, handle)
    return Document(
        url=url,
        text=text,
        via="x",
        final_url=f"https://x.com/{handle}/status/{post_id}" if handle else None,
        title=f"{byline} on X" if byline else None,
        author=byline,
        published=_post_date(data.get("created_at")),
        site_name="X",
    )


def _post_date(value: object) -> str | None:
    date = iso_date(value)
    if date or not isinstance(value, str):
        return date
    try:  # the v1.1 API's form, still seen in old answers: "Tue Aug 06 02:30:00 +0000 2024"
        return datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y").date().isoformat()
    except ValueError:
        return None


def _from_oembed(data: Any, url: str) -> Document | None:
    if not isinstance(data, dict) or not isinstance(data.get("html"), str):
        return None
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(data["html"])
    except (ValueError, etree.ParserError):
        return None
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs = [p.text_content().strip() for p in root.iter("p")]
    text = "\n".join(p for p in paragraphs if p) or root.text_content().strip()
    if not text:
        return None
    links = [a.text_content().strip() for a in root.iter("a")]
    published = None
    if links:
        try:  # the embed's last link is the post's date: "August 6, 2024"
            published = datetime.strptime(links[-1], "%B %d, %Y").date().isoformat()
        except ValueError:
            published = None
    name = data.get("author_name") if isinstance(data.get("author_name"), str) else None
    author_url = data.get("author_url") if isinstance(data.get("author_url"), str) else ""
    m = re.search(r"(?:x|twitter)\.com/([A-Za-z0-9_]{1,50})/?$", author_url)
    byline = _byline(name, m.group(1) if m else None)
    return Document(
        url=url,
        text=text,
        via="x",
        final_url=data.get("url") if isinstance(data.get("url"), str) else None,
        title=f"{byline} on X" if byline else None,
        author=byline,
        published=published,
        site_name="X",
    )
