"""The SSRF guard: forbidden addresses in every spelling, DNS answers, redirects, rebinding."""

from __future__ import annotations

import ipaddress

import pytest
from aiohttp import web
from servers import FakeResolver, RequestLog, guard_connections, make_app, serve

from verify.errors import BlockedAddressError, SourceError
from verify.http.client import HttpFetcher
from verify.http.netguard import check_url, is_forbidden_ip, parse_ip
from verify.http.resolver import BlockedResolutionError, GuardedResolver
from verify.models import Options, RefStatus


@pytest.fixture(autouse=True)
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return guard_connections(monkeypatch)


def fast(**overrides: object) -> Options:
    values: dict[str, object] = {"retries": 0, "timeout": 5.0, "connect_timeout": 2.0}
    values.update(overrides)
    return Options(**values)  # type: ignore[arg-type]


# -- pure rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 of 169.254.169.254
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("0.1.2.3", "this-network"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("100.64.0.1", "shared"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "broadcast"),
    ],
)
def test_forbidden_addresses_name_their_rule(address: str, rule: str) -> None:
    assert is_forbidden_ip(ipaddress.ip_address(address)) == rule


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "172.32.0.1", "203.0.113.5", "2606:4700::1111"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_forbidden_ip(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("[::1]", "::1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("fe80::1%25eth0", "fe80::1"),
    ],
)
def test_parse_ip_reads_every_spelling(spelling: str, address: str) -> None:
    assert parse_ip(spelling) == ipaddress.ip_address(address)


@pytest.mark.parametrize("name", ["example.com", "1.2.3.4.5", "08.1.1.1", "localhost", ""])
def test_parse_ip_leaves_names_alone(name: str) -> None:
    assert parse_ip(name) is None


# -- check_url ------------------------------------------------------------------------------

LITERAL_CASES = [
    ("http://127.0.0.1/", "loopback"),
    ("http://localhost/admin", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("http://app.localhost:8080/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://2130706433/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.20.30.40/", "private"),
    ("http://172.16.8.9/", "private"),
    ("https://192.168.0.1/router", "private"),
    ("http://user:pw@127.0.0.1:9/", "loopback"),
]


@pytest.mark.parametrize(("url", "rule"), LITERAL_CASES)
def test_check_url_refuses_forbidden_literals(url: str, rule: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        check_url(url, allow_private=False)
    assert info.value.status is RefStatus.BLOCKED
    assert rule in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("url", "rule"), LITERAL_CASES)
def test_allow_private_lets_literals_through(url: str, rule: str) -> None:
    check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/pub/file.txt",
        "data:text/html,<h1>hi</h1>",
        "javascript:alert(1)",
        "gopher://example.org/",
        "mailto:someone@example.org",
        "relative/path.html",
    ],
)
def test_check_url_refuses_other_schemes(url: str) -> None:
    for allow_private in (False, True):
        with pytest.raises(SourceError) as info:
            check_url(url, allow_private=allow_private)
        assert info.value.status is RefStatus.UNSUPPORTED


@pytest.mark.parametrize(
    "url", ["https://example.org/a", "http://203.0.113.5/", "https://[2606:4700::1111]/"]
)
def test_check_url_passes_public_urls(url: str) -> None:
    check_url(url, allow_private=False)


def test_allow_hosts_exempts_only_the_exact_host() -> None:
    check_url("http://127.0.0.1:8080/", allow_private=False, allow_hosts=["127.0.0.1:8080"])
    with pytest.raises(BlockedAddressError):
        check_url("http://127.0.0.1:8081/", allow_private=False, allow_hosts=["127.0.0.1:8080"])


# -- the resolver guard ---------------------------------------------------------------------


async def test_guarded_resolver_drops_forbidden_answers() -> None:
    inner = FakeResolver({"mixed.example": ["10.0.0.7", "203.0.113.5", "127.0.0.1"]})
    answers = await GuardedResolver(inner).resolve("mixed.example", 80)
    assert [a["host"] for a in answers] == ["203.0.113.5"]


async def test_guarded_resolver_refuses_when_nothing_is_left() -> None:
    inner = FakeResolver({"inside.example": ["192.168.4.4", "fd00::4"]})
    with pytest.raises(BlockedResolutionError) as info:
        await GuardedResolver(inner).resolve("inside.example", 80)
    assert info.value.rule == "private"
    assert "inside.example" in info.value.message


async def test_guarded_resolver_with_allow_private_returns_everything() -> None:
    inner = FakeResolver({"inside.example": ["192.168.4.4"]})
    answers = await GuardedResolver(inner, allow_private=True).resolve("inside.example", 80)
    assert [a["host"] for a in answers] == ["192.168.4.4"]


# -- through the fetcher, against a real local server ---------------------------------------


def secret_app(log: RequestLog) -> web.Application:
    async def secret(request: web.Request) -> web.Response:
        return web.Response(text="internal admin page", content_type="text/html")

    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    return make_app({"/secret": secret, "/hop": hop}, log)


@pytest.mark.parametrize(
    ("spelling", "rule"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("2130706433", "loopback"),
        ("0177.0.0.1", "loopback"),
    ],
)
async def test_fetcher_refuses_the_local_server_in_any_spelling(
    spelling: str, rule: str, attempts: list[str]
) -> None:
    log = RequestLog()
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast()) as fetcher:
            result = await fetcher.fetch(f"http://{spelling}:{port}/secret")
    assert result.status is RefStatus.BLOCKED
    assert rule in (result.error or "")
    assert log.count() == 0
    assert attempts == []
    assert fetcher.requests_sent == 0


async def test_allow_private_reaches_the_local_server() -> None:
    log = RequestLog()
    async with serve(secret_app(log)) as base, HttpFetcher(fast(allow_private=True)) as fetcher:
        result = await fetcher.fetch(f"{base}/secret")
    assert result.status is RefStatus.OK
    assert b"internal admin page" in result.body
    assert log.count("/secret") == 1


@pytest.mark.parametrize(("answer", "rule"), [("127.0.0.1", "loopback"), ("10.9.8.7", "private")])
async def test_public_name_with_a_private_answer_is_blocked(
    answer: str, rule: str, attempts: list[str]
) -> None:
    log = RequestLog()
    resolver = FakeResolver({"public.example": [answer]})
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast(), resolver=resolver) as fetcher:
            result = await fetcher.fetch(f"http://public.example:{port}/secret")
    assert result.status is RefStatus.BLOCKED
    assert rule in (result.error or "")
    assert "public.example" in (result.error or "")
    assert resolver.calls == ["public.example"]
    assert attempts == []
    assert log.count() == 0


async def test_public_name_with_a_private_answer_is_allowed_with_allow_private() -> None:
    log = RequestLog()
    resolver = FakeResolver({"public.example": ["127.0.0.1"]})
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast(allow_private=True), resolver=resolver) as fetcher:
            result = await fetcher.fetch(f"http://public.example:{port}/secret")
    assert result.status is RefStatus.OK
    assert log.count("/secret") == 1


def redirect_targets(port: str) -> list[tuple[str, RefStatus, str]]:
    return [
        (f"http://127.0.0.1:{port}/secret", RefStatus.BLOCKED, "loopback"),
        (f"http://internal.test:{port}/secret", RefStatus.BLOCKED, "loopback"),
        ("http://169.254.169.254/latest/meta-data/", RefStatus.BLOCKED, "link-local"),
        ("http://192.168.1.1/", RefStatus.BLOCKED, "private"),
        ("file:///etc/passwd", RefStatus.UNSUPPORTED, "file"),
    ]


async def test_redirect_from_an_allowed_host_to_a_private_one_is_blocked(
    attempts: list[str],
) -> None:
    # allowed.test resolves to the local server and is exempted by name, standing in for a
    # public site; every hop it redirects to must still pass the guard.
    log = RequestLog()
    resolver = FakeResolver({"allowed.test": ["127.0.0.1"], "internal.test": ["127.0.0.1"]})
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast(), resolver=resolver, allow_hosts=["allowed.test"]) as f:
            for target, status, rule in redirect_targets(port):
                result = await f.fetch(f"http://allowed.test:{port}/hop?to={target}")
                assert result.status is status, target
                assert rule in (result.error or ""), target
                assert result.final_url == target
                assert result.redirects == (target,)
    assert log.count("/hop") == len(redirect_targets(port))
    assert log.count("/secret") == 0
    assert not [a for a in attempts if not a.startswith("127.")]


async def test_redirect_to_a_private_host_goes_through_with_allow_private() -> None:
    log = RequestLog()
    async with serve(secret_app(log)) as base, HttpFetcher(fast(allow_private=True)) as fetcher:
        result = await fetcher.fetch(f"{base}/hop?to={base}/secret")
    assert result.status is RefStatus.OK
    assert log.count("/secret") == 1


async def test_dns_rebinding_connects_only_to_the_checked_address(attempts: list[str]) -> None:
    # The first answer is public, every later one points at the local server. The connection
    # must go to the answer that was checked; a second lookup would reach the server.
    log = RequestLog()
    resolver = FakeResolver({"rebind.test": lambda n: ["203.0.113.5"] if n == 0 else ["127.0.0.1"]})
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast(), resolver=resolver) as fetcher:
            result = await fetcher.fetch(f"http://rebind.test:{port}/secret")
    assert result.status is RefStatus.UNREACHABLE  # the guard in servers.py refused 203.0.113.5
    assert attempts == ["203.0.113.5"]
    assert resolver.calls == ["rebind.test"]
    assert log.count() == 0


async def test_dns_rebinding_across_retries_never_reaches_the_private_address(
    attempts: list[str],
) -> None:
    log = RequestLog()
    resolver = FakeResolver({"rebind.test": lambda n: ["203.0.113.5"] if n == 0 else ["127.0.0.1"]})
    async with serve(secret_app(log)) as base:
        port = base.rsplit(":", 1)[1]
        async with HttpFetcher(fast(retries=2), resolver=resolver, backoff=0) as fetcher:
            result = await fetcher.fetch(f"http://rebind.test:{port}/secret")
    assert result.status in (RefStatus.UNREACHABLE, RefStatus.BLOCKED)
    assert "127.0.0.1" not in attempts
    assert "203.0.113.5" in attempts
    assert log.count() == 0


async def test_mixed_answers_connect_only_to_the_public_one(attempts: list[str]) -> None:
    resolver = FakeResolver({"mixed.test": ["127.0.0.1", "203.0.113.9", "10.0.0.1"]})
    async with HttpFetcher(fast(), resolver=resolver) as fetcher:
        result = await fetcher.fetch("http://mixed.test/")
    assert result.status is RefStatus.UNREACHABLE
    assert attempts == ["203.0.113.9"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/x",
        "data:text/plain,hello",
        "javascript:alert(document.cookie)",
    ],
)
async def test_non_http_schemes_are_never_fetched(url: str, attempts: list[str]) -> None:
    resolver = FakeResolver({})
    async with HttpFetcher(fast(allow_private=True), resolver=resolver) as fetcher:
        result = await fetcher.fetch(url)
    assert result.status is RefStatus.UNSUPPORTED
    assert fetcher.requests_sent == 0
    assert resolver.calls == []
    assert attempts == []
