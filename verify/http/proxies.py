"""The proxies the environment names, for the live client."""

from __future__ import annotations

import base64
import contextlib
import urllib.request

import yarl

__all__ = ["EnvProxies"]


class EnvProxies:
    """The proxies the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), read once.

    aiohttp's trust_env looks them up again for every request, and ~/.netrc with them, each
    in a thread of its own: two thread hops per request. A link checker also has no business
    sending the user's netrc credentials to whatever hosts an article cites."""

    def __init__(self) -> None:
        self._proxies: dict[str, tuple[yarl.URL, dict[str, str] | None]] = {}
        for scheme, proxy in urllib.request.getproxies().items():
            if scheme not in ("http", "https"):
                continue
            with contextlib.suppress(ValueError):
                url = yarl.URL(proxy if "://" in proxy else f"http://{proxy}")
                headers = None
                if url.user is not None:
                    pair = f"{url.user}:{url.password or ''}".encode()
                    headers = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}
                    url = url.with_user(None)
                self._proxies[scheme] = (url, headers)
        self._bypass: dict[str, bool] = {}

    @property
    def hosts(self) -> tuple[str, ...]:
        """The proxies' hosts: often private, and contacted on purpose."""
        return tuple(
            (url.raw_host or "").lower() for url, _ in self._proxies.values() if url.raw_host
        )

    def for_url(self, url: str) -> tuple[yarl.URL | None, dict[str, str] | None]:
        """The proxy for `url` and the headers it wants (credentials), or (None, None)."""
        if not self._proxies:
            return None, None
        try:
            parsed = yarl.URL(url)
        except ValueError:
            return None, None
        found = self._proxies.get(parsed.scheme)
        host = parsed.raw_host or ""
        if found is None or not host:
            return None, None
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = bool(urllib.request.proxy_bypass(host))
        return (None, None) if bypass else found
