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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.discover import discover_source  # noqa: E402
from flows.fetch import Fetcher, Request  # noqa: E402
from flows.settings import FetchConfig  # noqa: E402
from flows.sources import Source  # noqa: E402

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LOOPBACK = frozenset({"127.0.0.1"})


def serve(route) -> tuple[ThreadingHTTPServer, str, Counter]:
    """A loopback HTTP server answering every GET with route(handler, path); returns it, its base URL, hits."""
    hits: Counter = Counter()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            hits[self.path] += 1
            route(self, self.path)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}", hits


def send(handler, status: int, body: bytes, content_type: str = "application/xml") -> None:
    """One complete response."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def probe_fanout() -> dict:
    """A sitemap index listing 40 children per level without end (one urlset of 5 article URLs per index)."""
    base = ""

    def route(handler, path):
        name = path.removeprefix("/sm/").removesuffix(".xml")
        if not path.startswith("/sm/"):
            send(handler, 404, b"")
        elif name.endswith("leaf"):
            locs = "".join(f"<url><loc>{base}/news/{name}-{k}</loc></url>" for k in range(5))
            send(handler, 200, f'<urlset xmlns="{SITEMAP_NS}">{locs}</urlset>'.encode())
        else:
            kids = [f"{name}-leaf"] + [f"{name}-{i}" for i in range(1, 40)]
            locs = "".join(f"<sitemap><loc>{base}/sm/{kid}.xml</loc></sitemap>" for kid in kids)
            send(handler, 200, f'<sitemapindex xmlns="{SITEMAP_NS}">{locs}</sitemapindex>'.encode())

    httpd, base, hits = serve(route)
    source = Source(name="fan", sitemaps=[f"{base}/sm/root.xml"], allow_private=True)

    async def go():
        async with Fetcher(FetchConfig()) as fetcher:
            return await discover_source(source, fetcher)

    found, problems = asyncio.run(go())
    httpd.shutdown()
    return {"sitemap_requests": sum(n for p, n in hits.items() if p.startswith("/sm/")), "urls_kept": len(found),
            "problems": problems}


def drip(handler, _path):
    """Promise a page, then send one byte per second for up to ten minutes."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(600):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(1.0)
    except OSError:
        pass


def silent(handler, _path):
    """Accept the request and never answer (ten minutes)."""
    time.sleep(600)


def fetch_host(route, pages: int) -> dict:
    """Fetch `pages` URLs of one hostile host with the default settings; summarise how they ended."""

    def with_robots(handler, path):
        if path == "/robots.txt":
            send(handler, 404, b"", "text/plain")
        else:
            route(handler, path)

    httpd, base, hits = serve(with_robots)

    async def go():
        async with Fetcher(FetchConfig()) as fetcher:
            return await fetcher.fetch_many([Request(f"{base}/story/{n}", "probe", LOOPBACK) for n in range(pages)])

    result = asyncio.run(go())
    httpd.shutdown()
    return {"errors": dict(Counter((p.error or "ok").split(":")[0] for p in result)),
            "attempts": [p.attempts for p in result],
            "requests_to_pages": sum(n for p, n in hits.items() if p.startswith("/story/"))}


def probe_drip() -> dict:
    """Ten pages on one host dripping a byte per second (the read timeout never trips)."""
    return fetch_host(drip, 10)


def probe_silent() -> dict:
    """Ten pages on one host that never answers."""
    return fetch_host(silent, 10)


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
