"""Discovery: article URLs from feeds, sitemaps and seed lists, checked against robots.txt."""

from __future__ import annotations

import html
from urllib.parse import urljoin, urlsplit

from lxml import etree
from trafilatura.feeds import FeedParameters, find_links

from flows.fetch import XML_TYPES, Fetcher, Request
from flows.sources import Source
from transforms.models import DiscoveredUrl
from transforms.urls import normalise_url

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# A sitemap index may nest; real sites rarely go past two levels, and a cap stops loops.
MAX_SITEMAP_DEPTH = 3


def feed_links(feed_xml: str, feed_url: str) -> list[str]:
    """Article links of an RSS 1/2, Atom or JSON feed (trafilatura's parser, no link filtering)."""
    parts = urlsplit(feed_url)
    params = FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.hostname or "", feed_url)
    # find_links keeps the raw links: trafilatura's own filtering drops IP-address hosts,
    # which would refuse the demo site; courlan normalises them afterwards instead.
    return [urljoin(feed_url, html.unescape(link)) for link in find_links(feed_xml.strip(), params)]


def sitemap_links(sitemap_xml: bytes, sitemap_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap, sitemap index or news sitemap."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(sitemap_xml, parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []

    def locs(path: str) -> list[str]:
        plain = path.replace(SITEMAP_NS, "")
        found = root.findall(path) or root.findall(plain)
        return [urljoin(sitemap_url, el.text.strip()) for el in found if el.text and el.text.strip()]

    return locs(f"{SITEMAP_NS}url/{SITEMAP_NS}loc"), locs(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}loc")


async def discover_source(source: Source, fetcher: Fetcher) -> tuple[list[DiscoveredUrl], list[str]]:
    """All article URLs of one source, each marked allowed or not by robots.txt; plus problems seen."""
    found: dict[str, str] = {}
    problems: list[str] = []

    def add(url: str, via: str) -> None:
        url = normalise_url(url)
        if url:
            found.setdefault(url, via)

    async def get(url: str):
        page = await fetcher.fetch(Request(url, source.name, source.allow_private), accept=XML_TYPES + ("text/html",))
        if page.error or page.body is None:
            problems.append(f"{source.name}: {url}: {page.error or page.status}")
            return None
        return page.body

    for feed_url in source.feeds:
        body = await get(feed_url)
        if body is not None:
            for link in feed_links(body.decode("utf-8", "replace"), feed_url):
                add(link, "feed")
    queue = [(url, 0) for url in source.sitemaps]
    seen_sitemaps = set()
    while queue:
        url, depth = queue.pop(0)
        if url in seen_sitemaps or depth > MAX_SITEMAP_DEPTH:
            continue
        seen_sitemaps.add(url)
        body = await get(url)
        if body is None:
            continue
        pages, children = sitemap_links(body, url)
        for link in pages:
            add(link, "sitemap")
        queue.extend((child, depth + 1) for child in children)
    for url in source.urls:
        add(url, "seed")

    discovered = []
    for url, via in found.items():
        allowed, reason = await fetcher.robots_allowed(url, source.allow_private)
        discovered.append(DiscoveredUrl(url=url, source=source.name, via=via, allowed=allowed, reason=reason))
    return discovered, problems
