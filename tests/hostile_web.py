"""Hostile HTTP routes shared by tests/test_hostile.py and benchmarks/hostile.py: fanning sitemaps, dripping and silent pages.

A route is called as route(handler, ...) by the scripted server of the tests and by the benchmark's server.
"""

from __future__ import annotations

import time

from conftest import send

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class Routes(dict):
    """Exact routes, plus one route for every path under a prefix."""

    def __init__(self, routes, prefix, route):
        super().__init__(routes)
        self.prefix, self.route = prefix, route

    def get(self, path, default=None):
        return self.route if path.startswith(self.prefix) else super().get(path, default)


def fan_out(children: int = 40, leaf_urls: int = 5, guard: int | None = None):
    """An endless sitemap index under /sm/: each index lists a urlset (`leaf`) then `children - 1` more indexes.

    With `guard`, sitemap requests past that many get a 404 (so that code without budgets still ends).
    """
    served = [0]

    def route(handler, *_):
        served[0] += 1
        base = f"http://{handler.headers['Host']}"
        name = handler.path.split("?")[0].removeprefix("/sm/").removesuffix(".xml")
        if guard is not None and served[0] > guard:
            send(handler, 404, b"")
        elif name.endswith("leaf"):
            locs = "".join(f"<url><loc>{base}/news/{name}-{k}</loc></url>" for k in range(leaf_urls))
            send(handler, 200, f'<urlset xmlns="{SITEMAP_NS}">{locs}</urlset>'.encode(), "application/xml")
        else:
            kids = [f"{name}-leaf"] + [f"{name}-{i}" for i in range(1, children)]
            locs = "".join(f"<sitemap><loc>{base}/sm/{kid}.xml</loc></sitemap>" for kid in kids)
            send(handler, 200, f'<sitemapindex xmlns="{SITEMAP_NS}">{locs}</sitemapindex>'.encode(), "application/xml")

    return route


def drip(interval: float, seconds: float):
    """A page promising 100,000 bytes and sending one every `interval` s, for `seconds` or until the client leaves."""

    def route(handler, *_):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(int(seconds / interval)):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass  # the client gave up
        handler.close_connection = True

    return route


def silent(seconds: float, then: bytes = b"<html><body><p>Too late.</p></body></html>"):
    """A page that says nothing for `seconds`, then answers (if the client is still there)."""

    def route(handler, *_):
        time.sleep(seconds)
        try:
            send(handler, 200, then)
        except OSError:
            pass

    return route
