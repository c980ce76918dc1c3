"""Discovery: article URLs from feeds, sitemaps, seed lists and local archives, checked against robots.txt."""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import date, timedelta

from flows.archive import local_index
from flows.fetch import DISCOVERY_TYPES, Fetcher, Request
from flows.sources import Source
from transforms.feeds import feed_links, feed_text, homepage_feeds, is_feed, newest_children, sitemap_entries
from transforms.models import DiscoveredUrl
from transforms.urls import normalise_url

# A sitemap index may nest; real sites rarely go past two levels, and a cap stops loops.
MAX_SITEMAP_DEPTH = 3


async def crawl_sitemaps(source: Source, fetcher: Fetcher, get, add, full, since: date | None) -> list[str]:
    """Read a source's sitemaps breadth first, within the run's budgets; return the problems seen.

    At most `max_sitemap_requests` sitemaps per source and run, `max_child_sitemaps` children per index,
    MAX_SITEMAP_DEPTH levels: an index fanning out without end costs a bounded number of requests.
    """
    config = fetcher.config
    problems: list[str] = []
    queue = deque((url, 0) for url in source.sitemaps)
    seen: set[str] = set()
    # As many sitemaps in flight as the host's politeness allows (the Fetcher enforces it anyway).
    wave_size = source.politeness.per_host_concurrency or config.per_host_concurrency
    requests = 0
    while queue and not full():
        wave = []
        while queue and len(wave) < min(wave_size, config.max_sitemap_requests - requests):
            url, depth = queue.popleft()
            if url not in seen and depth <= MAX_SITEMAP_DEPTH:
                seen.add(url)
                wave.append((url, depth))
        if not wave:
            break
        requests += len(wave)
        for (url, depth), page in zip(wave, await asyncio.gather(*(get(url) for url, _ in wave)), strict=True):
            if page is None:
                continue
            pages, dated_children = sitemap_entries(page.body, url, since)
            for link in pages:
                add(link, "sitemap")
            children = newest_children(dated_children, config.max_child_sitemaps)
            if len(dated_children) > len(children):
                problems.append(f"{source.name}: {url}: {len(dated_children)} child sitemaps, the "
                                f"{len(children)} newest by lastmod read, {len(dated_children) - len(children)} "
                                "dropped (max_child_sitemaps)")
            queue.extend((child, depth + 1) for child in children if child not in seen)
    unread = {url for url, depth in queue if url not in seen and depth <= MAX_SITEMAP_DEPTH}
    if unread and not full():
        problems.append(f"{source.name}: {len(unread)} sitemaps not read: {config.max_sitemap_requests} read this run "
                        "(max_sitemap_requests)")
    return problems


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
    problems.extend(await crawl_sitemaps(source, fetcher, get, add, full, since))
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
