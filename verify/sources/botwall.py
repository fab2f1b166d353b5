"""Recognising bot walls and paywalls: pages that stand in for the article a reader would see.

They come with 200 as often as with 403, so the status code alone says little; each wall has
its own fingerprints (markers in the page, a header, a redirect), listed here.
"""

from __future__ import annotations

import re

from verify.models import FetchResult

# Only the head of a page is searched: walls are small, and articles can be megabytes.
_SCAN_BYTES = 200_000

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def page_title(html: str) -> str | None:
    m = _TITLE.search(html[:_SCAN_BYTES])
    if not m:
        return None
    title = re.sub(r"\s+", " ", m.group(1)).strip()
    return title or None


def detect_wall(result: FetchResult, text: str | None) -> str | None:
    """The wall's name when `result` is a bot check or paywall rather than the page.

    `text` is the extracted main text when there is one: a page whose whole readable text is a
    sign-in or subscribe prompt is a paywall even without any vendor's fingerprint.
    """
    name = _fingerprint(result)
    if name:
        return name
    if text is not None and is_login_prompt(text):
        return "paywall"
    return None


def _fingerprint(result: FetchResult) -> str | None:
    if (result.header("cf-mitigated") or "").strip().lower() == "challenge":
        return "Cloudflare challenge"
    hops = " ".join((result.final_url or "", *result.redirects)).lower()
    if "/tosv2.html" in hops:
        return "Bloomberg robot check"
    html = result.body[:_SCAN_BYTES].decode("utf-8", "replace")
    head = html.lower()
    title = (page_title(html) or "").lower()
    refused = result.http_status in (401, 403, 405, 429)
    # a real article may mention these phrases; a wall is small or refused with them
    small = len(result.body) < 60_000
    if "are you a robot" in title or ("tosv2" in head and "robot" in head):
        return "Bloomberg robot check" if "bloomberg" in head else "robot check"
    if "captcha-delivery.com" in head or "suspect that you're a robot" in head:
        return "DataDome"
    if refused and result.header("x-datadome") is not None:
        return "DataDome"
    # normal Cloudflare pages load /cdn-cgi/challenge-platform/ scripts too; only the
    # interstitial sets _cf_chl_opt or is titled "Just a moment..."
    if "_cf_chl_opt" in head or (title.startswith("just a moment") and "challenge" in head):
        return "Cloudflare challenge"
    if "px-captcha" in head or ("perimeterx" in head and "press & hold" in head):
        return "PerimeterX"
    if refused and "access denied" in head and "edgesuite.net" in head:
        return "Akamai access denied"
    if (refused or small) and ("verify you are human" in head or "are you a robot" in head):
        return "robot check"
    return None


# Phrases that, in a short text, mean the reader is being asked to pay or sign in.
_PROMPTS = (
    "subscribe to continue",
    "subscribe to read",
    "subscribers only",
    "for subscribers",
    "already a subscriber",
    "already have an account",
    "sign in to continue",
    "sign in to read",
    "log in to continue",
    "log in to read",
    "login to continue",
    "create a free account",
    "create an account to",
    "register to continue",
    "to continue reading",
    "continue reading with",
    "start your free trial",
    "start your subscription",
    "unlock this article",
    "this article is for subscribers",
    "this content is for subscribers",
    "become a member to",
)


def is_login_prompt(text: str) -> bool:
    """A short text made up of sign-in / subscribe prompts rather than an article."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    words = len(lowered.split())
    if words > 250:
        return False
    hits = sum(1 for p in _PROMPTS if p in lowered)
    # two distinct prompts in a short text, or one in a text barely longer than the prompt
    return hits >= 2 or (hits == 1 and words <= 60)
