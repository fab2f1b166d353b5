"""The DNS half of the address guard: a resolver inside aiohttp's connector that drops
forbidden answers (the rules are verify.http.netguard's).

aiohttp connects to exactly the addresses the resolver returned, so an answer cannot change
between the check and the connection (DNS rebinding has no second lookup to exploit).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

from aiohttp.abc import AbstractResolver, ResolveResult

from verify.errors import REFUSED
from verify.http.netguard import host_allowed, is_forbidden_ip, parse_ip

__all__ = ["BlockedResolutionError", "GuardedResolver"]


class BlockedResolutionError(OSError):
    """Every DNS answer for a host was forbidden.

    An OSError so that aiohttp wraps it in ClientConnectorDNSError like any lookup failure;
    HttpFetcher finds it in the cause and reports BLOCKED with `message`.
    """

    def __init__(self, host: str, rule: str, address: str) -> None:
        self.host = host
        self.rule = rule
        self.address = address
        self.message = f"{REFUSED} {host} ({address}): {rule} address"
        super().__init__(self.message)


class GuardedResolver(AbstractResolver):
    """A resolver that drops forbidden answers; raises BlockedResolutionError if none is left."""

    def __init__(
        self,
        inner: AbstractResolver | None = None,
        *,
        allow_private: bool = False,
        allow_hosts: Iterable[str] = (),
    ) -> None:
        self._inner = inner
        self._allow_private = allow_private
        self._allow_hosts = frozenset(h.lower() for h in allow_hosts)

    def _resolver(self) -> AbstractResolver:
        if self._inner is None:
            # ThreadedResolver binds the running loop, so it is made on first use
            from aiohttp import ThreadedResolver

            self._inner = ThreadedResolver()
        return self._inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._resolver().resolve(host, port, family)
        name = host.lower()
        if self._allow_private or host_allowed(name, port, self._allow_hosts):
            return answers
        kept: list[ResolveResult] = []
        refused: tuple[str, str] | None = None
        for answer in answers:
            ip = parse_ip(answer["host"])
            rule = "unparsable" if ip is None else is_forbidden_ip(ip)
            if rule is None:
                kept.append(answer)
            elif refused is None:
                refused = (rule, answer["host"])
        if not kept:
            if refused is None:
                raise OSError(f"no address for {host}")
            raise BlockedResolutionError(host, *refused)
        return kept

    async def refusal(self, host: str, port: int = 0) -> str | None:
        """Why a request for `host` must not go to a proxy, or None: the name is resolved here
        first, since the proxy would resolve it on the far side of every guard. Any forbidden
        answer refuses it (the proxy may pick that one); a name that does not resolve here
        goes on (a proxy that alone can resolve outside names is common)."""
        name = host.lower()
        if self._allow_private or host_allowed(name, port, self._allow_hosts):
            return None
        try:
            answers = await self._resolver().resolve(host, port, socket.AF_UNSPEC)
        except OSError:
            return None
        for answer in answers:
            ip = parse_ip(answer["host"])
            rule = "unparsable" if ip is None else is_forbidden_ip(ip)
            if rule is not None:
                return BlockedResolutionError(host, rule, answer["host"]).message
        return None

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()
