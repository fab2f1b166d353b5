"""The least a Python link checker could do: aiohttp GETs of every URL in an article, no more.

A reference point for benchmarks/links.py: the same interpreter start, the same HTTP client
import and the same per-host limit as verify, against the same server, with nothing parsed,
extracted, matched or reported. Its wall time is the practical network floor on this machine
and server, beside the formula's ideal (which assumes requests and answers cost nothing).

    python benchmarks/bare_client.py ARTICLE.md --per-host 4
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections import defaultdict
from urllib.parse import urlsplit

import aiohttp

URL = re.compile(r"https?://[^\s)\]>\"']+")


async def fetch_all(urls: list[str], per_host: int) -> int:
    slots: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=per_host)
    ok = 0
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> None:
            nonlocal ok
            # a slot per host first, as verify does: aiohttp's own per-host queue is slower
            async with slots[urlsplit(url).netloc], session.get(url) as response:
                await response.read()
                ok += response.status == 200

        await asyncio.gather(*(one(u) for u in urls), return_exceptions=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article")
    parser.add_argument("--per-host", type=int, default=4)
    args = parser.parse_args()
    with open(args.article, encoding="utf-8") as fh:
        urls = list(dict.fromkeys(URL.findall(fh.read())))
    ok = asyncio.run(fetch_all(urls, args.per_host))
    return 0 if ok == len(urls) else 1


if __name__ == "__main__":
    raise SystemExit(main())
