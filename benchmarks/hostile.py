"""Hostile-web probes against servers on 127.0.0.1, with the default settings: each probe runs in its own
process and is reported with its outcome, wall time and peak memory (RSS).

    python benchmarks/hostile.py            # all probes (about 4 minutes: the drip probe waits out its budget)
    python benchmarks/hostile.py fanout     # one probe
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import ScriptedServer  # noqa: E402
from hostile_web import Routes, drip, fan_out, silent  # noqa: E402

from flows.discover import discover_source  # noqa: E402
from flows.fetch import Fetcher, Request  # noqa: E402
from flows.settings import FetchConfig  # noqa: E402
from flows.sources import Source  # noqa: E402

LOOPBACK = frozenset({"127.0.0.1"})


def serve(prefix: str, route) -> ScriptedServer:
    """A loopback server answering every path under `prefix` with `route` (anything else: 404), counting hits."""
    server = ScriptedServer()
    server.routes = Routes({}, prefix, route)
    server.thread.start()
    return server


def requests_under(server: ScriptedServer, prefix: str) -> int:
    """Requests the server received for paths under `prefix`."""
    return sum(n for path, n in server.hits.items() if path.startswith(prefix))


def probe_fanout() -> dict:
    """A sitemap index listing 40 children per level without end (one urlset of 5 article URLs per index)."""
    server = serve("/sm/", fan_out())
    source = Source(name="fan", sitemaps=[f"{server.base}/sm/root.xml"], allow_private=True)

    async def go():
        async with Fetcher(FetchConfig()) as fetcher:
            return await discover_source(source, fetcher)

    found, problems = asyncio.run(go())
    server.httpd.shutdown()
    return {"sitemap_requests": requests_under(server, "/sm/"), "urls_kept": len(found),
            "problems": problems}


def fetch_host(route, pages: int) -> dict:
    """Fetch `pages` URLs of one hostile host with the default settings; summarise how they ended."""
    server = serve("/story/", route)  # robots.txt: 404, no rules

    async def go():
        async with Fetcher(FetchConfig()) as fetcher:
            return await fetcher.fetch_many([Request(f"{server.base}/story/{n}", "probe", LOOPBACK)
                                             for n in range(pages)])

    result = asyncio.run(go())
    server.httpd.shutdown()
    return {"errors": dict(Counter((p.error or "ok").split(":")[0] for p in result)),
            "attempts": [p.attempts for p in result], "requests_to_pages": requests_under(server, "/story/")}


def probe_drip() -> dict:
    """Ten pages on one host dripping a byte per second (the read timeout never trips)."""
    return fetch_host(drip(1.0, 600), 10)


def probe_silent() -> dict:
    """Ten pages on one host that never answers."""
    return fetch_host(silent(600), 10)


def probe_ssrf() -> dict:
    """IPv6 spellings of loopback and link-local addresses, aimed at a listener on 127.0.0.1 counting accepts."""
    forms = ["64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::7f00:1", "2002:7f00:1::", "::127.0.0.1",
             "::169.254.169.254", "::ffff:127.0.0.1", "::ffff:0:7f00:1", "2001:0:4136:e378:8000:63bf:80ff:fffe"]
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    accepts = 0
    running = True

    def accept():
        nonlocal accepts
        while running:
            try:
                listener.accept()[0].close()
                accepts += 1
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()

    async def go():
        async with Fetcher(FetchConfig()) as fetcher:
            return await fetcher.fetch_many([Request(f"http://[{f}]:{port}/", "probe") for f in forms])

    result = asyncio.run(go())
    running = False
    thread.join()
    return {"forms": len(forms), "refused": sum((p.error or "").startswith("refused_address") for p in result),
            "connection_attempts": accepts}


PROBES = {"fanout": probe_fanout, "drip": probe_drip, "silent": probe_silent, "ssrf": probe_ssrf}


def main(names: list[str]) -> None:
    """Run each probe in a child process; print its outcome, wall seconds and peak RSS."""
    for name in names or PROBES:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, __file__, "--child", name], stdout=subprocess.PIPE, text=True)
        output = child.stdout.read()
        _, _status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        print(f"{name:7} {seconds:6.1f} s  peak RSS {usage.ru_maxrss / 1024:6.0f} MB  {output.strip()}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(PROBES[sys.argv[2]]()))
    else:
        main(sys.argv[1:])
