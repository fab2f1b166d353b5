"""What every part of the HTML report shares: the names and symbols of a claim's states,
the words for a reference's status, escaping, and which URLs may be links."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from verify.models import ClaimResult
from verify.report.common import verdict_label

# What each state is called, the symbol that tells it apart without colour, and the order a
# reader should look at problems in.
LABEL = {
    "contradicted": "contradicted",
    "unsupported": "unsupported",
    "partial": "partial",
    "unverifiable": "unverifiable",
    "supported": "supported",
    "not_checkable": "not checkable",
    "ignored": "ignored",
}
SYMBOL = {
    "contradicted": "≠",
    "unsupported": "✗",
    "partial": "◐",
    "unverifiable": "?",
    "supported": "✓",
    "not_checkable": "·",
    "ignored": "·",
}
PROBLEMS = ("contradicted", "unsupported", "partial", "unverifiable")

STATUS_WORDS = {
    "ok": "read",
    "archived": "read from an archived copy",
    "not_found": "not found (gone)",
    "blocked": "blocked (a wall, a login or a refusal)",
    "error": "server error",
    "unreachable": "unreachable",
    "too_large": "too large to read",
    "unsupported": "a kind of file that cannot be read",
    "empty": "no text in it",
    "ignored": "ignored",
}


def esc(text: object) -> str:
    """Text from an article or a page, made inert in element content and quoted attributes."""
    return html.escape(str(text), quote=True)


def state_of(result: ClaimResult) -> str:
    """What the page calls a claim's state: `verdict_label` ("contradicted" for an unsupported
    claim its source says otherwise to)."""
    return verdict_label(result)


def safe_url(url: str | None) -> str | None:
    """The URL when it can be a link that only leaves the file on a click: http(s) only."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def badge(key: str, state: str) -> str:
    return (
        f'<button type="button" class="badge s-{state}" id="c-{key}" data-claim="{key}" '
        f'aria-controls="ev-{key}" aria-expanded="false" '
        f'aria-label="{esc(LABEL[state])}: show the evidence">'
        f'<span aria-hidden="true">{SYMBOL[state]}</span></button>'
    )
