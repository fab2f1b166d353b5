"""HTTP semantics alone, without a client or a server: headers, Retry-After, content type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from verify.http.semantics import parse_content_type, retry_after_seconds


def test_retry_after_parsing() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30)), now=now) == 30.0
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30)), now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_parse_content_type() -> None:
    assert parse_content_type('Text/HTML; Charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type("application/pdf") == ("application/pdf", None)
    assert parse_content_type(None) == (None, None)
