"""Stage 2a: HTTP. Status mapping, redirects, decoding, the aiohttp client, the network guard,
the source cache and WARC record/replay."""
