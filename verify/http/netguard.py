"""Refuse to contact addresses an article's links should never reach (SSRF guard).

A hostile article could cite http://169.254.169.254/ (cloud metadata), http://localhost:8080/admin
or a public name whose DNS answer is private. Two layers stop that:

* `check_url` runs before every request and every redirect hop: it refuses schemes other than
  http(s) and hosts that are, literally, a forbidden address — in every spelling the C library
  accepts (2130706433, 0177.0.0.1, 0x7f.1, ::ffff:127.0.0.1...).
* `GuardedResolver` (verify.http.resolver) sits inside aiohttp's connector and drops
  forbidden DNS answers. aiohttp connects to exactly the addresses the resolver returned, so
  an answer cannot change between the check and the connection (DNS rebinding has no second
  lookup to exploit).

This module holds the rules and needs no HTTP client.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

import yarl

from verify.errors import REFUSED, BlockedAddressError, ErrorKind, SourceError
from verify.http.urls import normalize_url as normalize_url  # re-exported for older imports

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

FETCHABLE_SCHEMES = frozenset({"http", "https"})

# Checked in order, so the most specific name wins (0.0.0.0 is "unspecified", not "this-network").
# One table for both families: an address is never inside a network of the other family.
# Documentation ranges (192.0.2.0/24, 2001:db8::/32...) are deliberately absent: they are not
# routed, and tests use them as stand-ins for public answers.
_RULES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(net), rule)
    for net, rule in (
        ("0.0.0.0/32", "unspecified"),
        ("0.0.0.0/8", "this-network"),
        ("127.0.0.0/8", "loopback"),
        ("10.0.0.0/8", "private"),
        ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"),
        ("100.64.0.0/10", "shared"),  # carrier-grade NAT, RFC 6598
        ("169.254.0.0/16", "link-local"),  # includes the cloud metadata address
        ("192.0.0.0/24", "reserved"),  # IETF protocol assignments
        ("198.18.0.0/15", "reserved"),  # benchmarking
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "private"),  # deprecated site-local
        ("fc00::/7", "private"),  # unique local addresses
        ("ff00::/8", "multicast"),
        ("100::/64", "reserved"),  # discard-only
    )
)

# Shapes the C library's inet_aton reads as an IPv4 address (decimal, octal, hex, 1-4 parts).
_LEGACY_V4 = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$", re.I)


def is_forbidden_ip(ip: IPAddress) -> str | None:
    """The name of the rule that forbids contacting `ip`, or None when it may be contacted."""
    for net, rule in _RULES:
        if ip in net:
            return rule
    embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    return is_forbidden_ip(embedded) if embedded is not None else None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """An IPv4 address carried inside an IPv6 one, which the network would deliver to it."""
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return ip.ipv4_mapped
    if ip.sixtofour is not None:  # 2002:aabb:ccdd::/48
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    as_int = int(ip)
    if as_int >> 32 == 0x0064FF9B << 64:  # NAT64 64:ff9b::/96
        return ipaddress.IPv4Address(as_int & 0xFFFFFFFF)
    if as_int >> 32 == 0:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(as_int)
    return None


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP address if it is one in any spelling a resolver would accept, else None."""
    host = host.strip("[]").rstrip(".")
    host = host.split("%", 1)[0]  # IPv6 zone id
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_V4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def host_allowed(host: str, port: int | None, allow_hosts: Iterable[str]) -> bool:
    allowed = {h.lower() for h in allow_hosts}
    return host in allowed or (port is not None and f"{host}:{port}" in allowed)


# Names that only ever mean a machine of the local network or the cloud's metadata service,
# refused by name: through a proxy they would be resolved on its far side, past every guard.
_PRIVATE_NAMES = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "wpad"}
)
_PRIVATE_SUFFIXES = (".internal", ".local", ".localdomain", ".home.arpa", ".intranet", ".lan")


def private_name(host: str) -> bool:
    """Whether `host` (lower case, no trailing dot) names the local network by itself."""
    return host in _PRIVATE_NAMES or host.endswith(_PRIVATE_SUFFIXES) or "." not in host


def check_url(url: str, *, allow_private: bool, allow_hosts: Iterable[str] = ()) -> None:
    """Raise unless `url` may be fetched.

    SourceError(NOT_WEB_ADDRESS) for a scheme other than http(s), SourceError(INVALID_URL) for
    a URL that cannot be parsed, BlockedAddressError for a host that is literally a forbidden
    address or a localhost name. Names are checked again, after resolution, by GuardedResolver.
    `allow_hosts` ("host" or "host:port") exempts exact hosts; it exists for tests.
    """
    try:
        parsed = yarl.URL(url.strip())
    except (ValueError, TypeError) as exc:
        raise SourceError(ErrorKind.INVALID_URL, f"invalid URL: {exc}") from exc
    scheme = parsed.scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        if not scheme:
            raise SourceError(ErrorKind.NOT_WEB_ADDRESS, "unsupported URL: no scheme")
        raise SourceError(ErrorKind.NOT_WEB_ADDRESS, f"unsupported scheme: {scheme}:")
    host = (parsed.raw_host or "").lower()
    if not host:
        raise SourceError(ErrorKind.INVALID_URL, "invalid URL: no host")
    if allow_private or host_allowed(host, parsed.explicit_port, allow_hosts):
        return
    bare = host.rstrip(".")
    if bare == "localhost" or bare.endswith(".localhost"):
        raise BlockedAddressError(f"{REFUSED} {host}: loopback address", final_url=url)
    ip = parse_ip(host)
    if ip is not None:
        rule = is_forbidden_ip(ip)
        if rule is not None:
            shown = host if str(ip) == host else f"{host} ({ip})"
            raise BlockedAddressError(f"{REFUSED} {shown}: {rule} address", final_url=url)
    elif private_name(bare):
        raise BlockedAddressError(f"{REFUSED} {host}: a name of the local network", final_url=url)
