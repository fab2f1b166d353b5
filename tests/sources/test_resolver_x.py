"""X posts: URL parsing, the syndication token, and the syndication -> oEmbed paths."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mockfetch import MockFetcher

from verify.models import Options, Reference, RefStatus
from verify.sources.resolvers import resolve_reference
from verify.sources.x import (
    XResolver,
    _js_radix_string,
    oembed_url,
    syndication_token,
    syndication_url,
    tweet_id,
)

SYN = "http://syn.test"
OEM = "http://oembed.test"
OPTIONS = Options(endpoints={"x_syndication": SYN, "x_oembed": OEM})
POST = "https://x.com/sama/status/1818867964369928387"
POST_ID = "1818867964369928387"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.com/sama/status/1818867964369928387", POST_ID),
        ("https://twitter.com/sama/status/1818867964369928387?s=20&t=abc", POST_ID),
        ("https://mobile.twitter.com/sama/status/1818867964369928387", POST_ID),
        ("https://www.x.com/sama/status/1818867964369928387/", POST_ID),
        ("http://www.twitter.com/Sama_2/statuses/1818867964369928387#frag", POST_ID),
        ("https://x.com/i/web/status/1818867964369928387", POST_ID),
        ("https://x.com/sama/status/1818867964369928387/photo/1", POST_ID),
        ("https://x.com/sama", None),
        ("https://x.com/sama/status/", None),
        ("https://notx.com/sama/status/1818867964369928387", None),
        ("https://x.com.evil.example/sama/status/1818867964369928387", None),
        ("ftp://x.com/sama/status/1", None),
    ],
)
def test_tweet_id(url: str, expected: str | None) -> None:
    assert tweet_id(url) == expected


# Computed with node: ((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\.)/g, '')
@pytest.mark.parametrize(
    ("post_id", "token"),
    [
        ("1818867964369928387", "4eq54c3p9uj"),
        ("20", "6dq1a2xwd93"),
        ("1", "bhi2ay3f28n"),
        ("1234567890123456789", "2zqic77uqyk"),
        ("9223372036854775807", "mcw2svce2ao"),
        ("1630000000000000000", "3y8snncwzus"),
        ("463440424141459456", "14fxvks611f"),
    ],
)
def test_syndication_token_matches_javascript(post_id: str, token: str) -> None:
    assert syndication_token(post_id) == token


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_radix_conversion_agrees_with_node_on_random_values() -> None:
    rng = random.Random(7)
    values = [rng.uniform(0, 10_000) for _ in range(300)]
    values += [rng.random() * 10 ** rng.randint(-12, 24) for _ in range(300)]
    values += [0.5, 1 / 3, 2**60, 123.0, 1e21]
    script = (
        "const v=require('fs').readFileSync(0,'utf8').trim().split('\\n');"
        "for(const x of v)console.log(Number(x).toString(36))"
    )
    out = subprocess.run(
        ["node", "-e", script],
        input="\n".join(repr(v) for v in values),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.split("\n")
    mismatches = [
        (v, js) for v, js in zip(values, out, strict=False) if _js_radix_string(v, 36) != js
    ]
    assert mismatches == []


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_tokens_never_contain_zeros_or_dots(post_id: int) -> None:
    token = syndication_token(str(post_id))
    assert token
    assert set(token) <= set("123456789abcdefghijklmnopqrstuvwxyz")


def test_radix_string_simple_values() -> None:
    assert _js_radix_string(35.0, 36) == "z"
    assert _js_radix_string(36.5, 36) == "10.i"
    assert _js_radix_string(-0.5, 2) == "-0.1"


def test_urls_use_the_given_bases() -> None:
    assert syndication_url(POST_ID) == (
        f"https://cdn.syndication.twimg.com/tweet-result?id={POST_ID}&token=4eq54c3p9uj"
    )
    assert syndication_url(POST_ID, SYN + "/").startswith(f"{SYN}/tweet-result?id=")
    assert oembed_url(POST) == (
        "https://publish.twitter.com/oembed?url=https%3A%2F%2Fx.com%2Fsama%2Fstatus%2F"
        f"{POST_ID}&omit_script=true"
    )


def syndication_answer(**overrides: object) -> dict[str, object]:
    answer: dict[str, object] = {
        "__typename": "Tweet",
        "lang": "en",
        "id_str": POST_ID,
        "created_at": "2024-08-06T02:30:00.000Z",
        "display_text_range": [0, 120],
        "text": (
            "Grateful to a colleague of nine years for everything he built here; "
            "we met in 2015 and I wish him the best. https://t.co/abc123 https://t.co/pic999"
        ),
        "entities": {
            "hashtags": [],
            "user_mentions": [],
            "symbols": [],
            "urls": [
                {
                    "url": "https://t.co/abc123",
                    "expanded_url": "https://example.org/farewell",
                    "display_url": "example.org/farewell",
                    "indices": [110, 129],
                }
            ],
            "media": [{"url": "https://t.co/pic999", "type": "photo"}],
        },
        "user": {
            "id_str": "1605",
            "name": "Sam Altman",
            "screen_name": "sama",
            "profile_image_url_https": "https://pbs.twimg.com/profile_images/x.jpg",
            "verified": False,
            "is_blue_verified": True,
        },
        "favorite_count": 1200,
        "conversation_count": 300,
        "isEdited": False,
    }
    answer.update(overrides)
    return answer


def oembed_answer() -> dict[str, object]:
    return {
        "url": f"https://twitter.com/sama/status/{POST_ID}",
        "author_name": "Sam Altman",
        "author_url": "https://twitter.com/sama",
        "html": (
            '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Thanks for the years of '
            "work &amp; the ideas.<br>Good luck out there. "
            '<a href="https://t.co/q1">pic.twitter.com/q1</a></p>&mdash; Sam Altman (@sama) '
            f'<a href="https://twitter.com/sama/status/{POST_ID}?ref_src=twsrc%5Etfw">'
            "August 6, 2024</a></blockquote>\n"
        ),
        "width": 550,
        "height": None,
        "type": "rich",
        "cache_age": "3153600000",
        "provider_name": "Twitter",
        "provider_url": "https://twitter.com",
        "version": "1.0",
    }


def mock(syndication: dict[str, object] | None = None, **kwargs: object) -> MockFetcher:
    fetcher = MockFetcher()
    if syndication is not None:
        fetcher.add(syndication_url(POST_ID, SYN), syndication, **kwargs)  # type: ignore[arg-type]
    return fetcher


async def resolve(fetcher: MockFetcher, url: str = POST, options: Options = OPTIONS):
    return await resolve_reference(
        Reference(id="3", url=url, line=1),
        fetcher,
        resolvers=[XResolver(options)],
        options=options,
    )


async def test_syndication_answer_gives_text_author_and_date() -> None:
    fetcher = mock(syndication_answer())
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK
    assert source.via == "x"
    doc = source.document
    assert doc is not None
    assert "we met in 2015" in doc.text
    assert "https://example.org/farewell" in doc.text  # t.co link expanded
    assert "t.co" not in doc.text  # the attached photo's link dropped
    assert doc.author == "Sam Altman (@sama)"
    assert doc.published == "2024-08-06"
    assert doc.final_url == f"https://x.com/sama/status/{POST_ID}"
    assert fetcher.urls == [syndication_url(POST_ID, SYN)]  # no oEmbed needed
    assert fetcher.calls[0][1] == "application/json"


async def test_quoted_post_text_is_part_of_the_post() -> None:
    quoted = {
        "text": "Today is my last day on the team; onward to new research.",
        "user": {"name": "Some Researcher", "screen_name": "researcher"},
    }
    source = await resolve(mock(syndication_answer(quoted_tweet=quoted)))
    assert source.document is not None
    assert "onward to new research" in source.document.text
    assert "Some Researcher (@researcher)" in source.document.text


async def test_old_style_created_at_is_parsed() -> None:
    answer = syndication_answer(created_at="Tue Aug 06 02:30:00 +0000 2024")
    source = await resolve(mock(answer))
    assert source.document is not None
    assert source.document.published == "2024-08-06"


async def test_tombstone_is_not_found_without_oembed() -> None:
    tomb = {
        "__typename": "TweetTombstone",
        "tombstone": {
            "text": {"text": "This Post was deleted by the Post author. Learn more", "rtl": False}
        },
    }
    fetcher = mock(tomb)
    source = await resolve(fetcher)
    assert source.status is RefStatus.NOT_FOUND
    assert source.error is not None and "deleted by the Post author" in source.error
    assert "Learn more" not in source.error
    assert len(fetcher.calls) == 1


async def test_syndication_404_tries_oembed_then_is_not_found() -> None:
    fetcher = mock({}, http_status=404)
    fetcher.add(oembed_url(POST, OEM), "", http_status=404)
    source = await resolve(fetcher)
    assert source.status is RefStatus.NOT_FOUND
    assert any("x: syndication 404, trying oEmbed" in n for n in source.notes)
    assert fetcher.urls[1] == oembed_url(POST, OEM)


async def test_syndication_404_with_oembed_answer_uses_it() -> None:
    fetcher = mock({}, http_status=404)
    fetcher.add(oembed_url(POST, OEM), oembed_answer())
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK


@pytest.mark.parametrize(
    "broken",
    [
        {"http_status": 500},
        {"http_status": 200, "body": "<html>not json</html>"},
        {"http_status": 200, "body": {}},
    ],
)
async def test_other_syndication_failures_fall_back_to_oembed(broken: dict[str, object]) -> None:
    fetcher = MockFetcher()
    body = broken.pop("body", {"error": "boom"})
    fetcher.add(syndication_url(POST_ID, SYN), body, **broken)  # type: ignore[arg-type]
    fetcher.add(oembed_url(POST, OEM), oembed_answer())
    source = await resolve(fetcher)
    assert source.status is RefStatus.OK
    assert source.via == "x"
    doc = source.document
    assert doc is not None
    assert (
        doc.text
        == "Thanks for the years of work & the ideas.\nGood luck out there. pic.twitter.com/q1"
    )
    assert doc.author == "Sam Altman (@sama)"
    assert doc.published == "2024-08-06"
    assert any("trying oEmbed" in n for n in source.notes)


async def test_unreachable_syndication_and_protected_oembed_is_blocked() -> None:
    fetcher = MockFetcher()
    fetcher.add(oembed_url(POST, OEM), "", http_status=403)
    source = await resolve(fetcher, options=Options(archive=False, endpoints=OPTIONS.endpoints))
    assert source.status is RefStatus.BLOCKED
    assert "not public" in (source.error or "")


async def test_both_endpoints_down_is_an_error_status_not_an_exception() -> None:
    source = await resolve(
        MockFetcher(), options=Options(archive=False, endpoints=OPTIONS.endpoints)
    )
    assert source.status is RefStatus.UNREACHABLE
    assert source.document is None


def test_matches_only_status_urls() -> None:
    resolver = XResolver(Options())
    assert resolver.matches(POST)
    assert not resolver.matches("https://x.com/sama")
    assert not resolver.matches("https://www.cnbc.com/2024/07/23/a.html")


async def test_a_reply_leaves_out_the_handles_it_answers() -> None:
    reply = syndication_answer(
        text="@harbourbot @ferryfan Tides &amp; winds kept the 7:00 crossing in port today.",
        display_text_range=[22, 73],
        entities={"urls": [], "media": []},
        in_reply_to_screen_name="harbourbot",
    )
    source = await resolve(mock(reply))
    assert source.document is not None
    assert source.document.text == "Tides & winds kept the 7:00 crossing in port today."


@pytest.mark.parametrize("span", [None, [0, 40], [5, 2], [3, 10_000], ["1", "9"]])
async def test_a_display_range_that_cuts_nothing_or_makes_no_sense_keeps_the_text(
    span: object,
) -> None:
    source = await resolve(mock(syndication_answer(display_text_range=span)))
    assert source.document is not None
    assert source.document.text.startswith("Grateful to a colleague")
