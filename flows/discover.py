"""Discovery: article URLs from feeds, sitemaps, seed lists and local archives, checked against robots.txt."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from flows.archive import local_index
from flows.fetch import DISCOVERY_TYPES, Fetcher, Request
from flows.sources import Source
from transforms.feeds import feed_links, feed_text, homepage_feeds, is_feed, sitemap_links
from transforms.models import DiscoveredUrl
from transforms.urls import normalise_url

# A sitemap index may nest; real sites rarely go past two levels, and a cap stops loops.
MAX_SITEMAP_DEPTH = 3


async def discover_source(source: Source, fetcher: Fetcher) -> tuple[list[DiscoveredUrl], list[str]]:
    """All article URLs of one source, each marked allowed or not by robots.txt; plus problems seen."""
    found: dict[str, str] = {}
    problems: list[str] = []
    dropped = 0

    def full() -> bool:
        return source.max_urls is not None and len(found) >= source.max_urls

    def add(url: str, via: str) -> None:
        nonlocal dropped
        url = normalise_url(url)
        if not url or url in found or full():
            return
        if source.accepts(url):
            found[url] = via
        else:
            dropped += 1

    async def get(url: str):
        page = await fetcher.fetch(Request.of(source, url), accept=DISCOVERY_TYPES)
        if page.error or page.body is None:
            problems.append(f"{source.name}: {url}: {page.error or page.status}")
            return None
        return page

    for feed_url in source.feeds:
        page = await get(feed_url)
        if page is None:
            continue
        text = feed_text(page.body, page.content_type)
        if is_feed(text):
            feeds = [(feed_url, text)]
        else:
            feeds = []
            for found_url in homepage_feeds(text, page.final_url or feed_url):
                found_page = await get(found_url)
                if found_page is not None:
                    feeds.append((found_url, feed_text(found_page.body, found_page.content_type)))
            if not feeds:
                problems.append(f"{source.name}: {feed_url}: neither a feed nor a page naming one")
        for url, body in feeds:
            for link in feed_links(body, url):
                add(link, "feed")
    since = date.today() - timedelta(days=source.max_age_days) if source.max_age_days else None
    queue = [(url, 0) for url in source.sitemaps]
    seen_sitemaps = set()
    while queue and not full():
        url, depth = queue.pop(0)
        if url in seen_sitemaps or depth > MAX_SITEMAP_DEPTH:
            continue
        seen_sitemaps.add(url)
        page = await get(url)
        if page is None:
            continue
        pages, children = sitemap_links(page.body, url, since)
        for link in pages:
            add(link, "sitemap")
        queue.extend((child, depth + 1) for child in children)
    for url in source.urls:
        add(url, "seed")
    if dropped:
        problems.append(f"{source.name}: {dropped} URLs outside allowed_hosts/include/exclude dropped")

    discovered = []
    for url, via in found.items():
        allowed, reason = await fetcher.robots_allowed(Request.of(source, url))
        discovered.append(DiscoveredUrl(url=url, source=source.name, via=via, allowed=allowed, reason=reason))
    # Local pages: robots.txt does not apply; the host and pattern filters do (one WARC holds many outlets).
    local, trouble = await asyncio.to_thread(local_index, source.folders, source.warcs)
    problems.extend(f"{source.name}: {p}" for p in trouble)
    by_url = {d.url: d for d in discovered}
    for url, (via, locator) in local.items():
        if url in by_url:  # also in a feed or sitemap: read the local copy instead of fetching it
            by_url[url].locator = locator
        elif source.accepts(url) and not full():
            found[url] = via
            discovered.append(DiscoveredUrl(url=url, source=source.name, via=via, locator=locator))
    return discovered, problems
