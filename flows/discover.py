"""Discovery: article URLs from feeds, sitemaps, seed lists and local archives, checked against robots.txt."""

from __future__ import annotations

import asyncio
import gzip
import html
import io
import re
from collections import deque
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed, find_links, is_potential_feed

from flows.archive import local_index
from flows.fetch import DISCOVERY_TYPES, Fetcher, Request
from flows.sources import Source
from transforms.encoding import decode_html
from transforms.models import DiscoveredUrl
from transforms.urls import normalise_url

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# A sitemap index may nest; real sites rarely go past two levels, and a cap stops loops.
MAX_SITEMAP_DEPTH = 3
# The sitemap protocol caps a sitemap at 50 MB uncompressed; more from a .gz is a bomb, not a sitemap.
MAX_SITEMAP_BYTES = 50_000_000
# A homepage names one or two feeds (all stories, maybe comments); five covers section feeds
# without fetching a whole feed directory.
MAX_FEEDS_PER_HOMEPAGE = 5
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)""")


def _params(url: str) -> FeedParameters:
    parts = urlsplit(url)
    return FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.hostname or "", url)


def feed_text(body: bytes, content_type: str | None) -> str:
    """Text of a feed or homepage: header charset, else the XML declaration, else meta tag or detection."""
    match = XML_ENCODING.match(body[:200])
    if match and "charset" not in (content_type or "").lower():
        content_type = f"text/xml; charset={match.group(1).decode('ascii')}"
    return decode_html(body, content_type).lstrip("\ufeff").strip()


def is_feed(text: str) -> bool:
    """Whether a document is a feed (RSS, Atom, JSON Feed) rather than a page that may name one."""
    return is_potential_feed(text) or text.startswith(("{", "<rdf:RDF"))


def feed_links(feed_text: str, feed_url: str) -> list[str]:
    """Article links of an RSS 1/2, Atom or JSON feed (trafilatura's parser, without its link filtering)."""
    if feed_text.startswith("<rdf:RDF"):
        # trafilatura tells RSS 1.0 from other XML only by an XML declaration, which is optional.
        feed_text = '<?xml version="1.0"?>' + feed_text
    # find_links keeps the raw links: trafilatura's own filtering (extract_links) drops IP-address
    # hosts, which would refuse the demo site and the tests; courlan normalises them afterwards instead.
    links = [urljoin(feed_url, html.unescape(link)) for link in find_links(feed_text, _params(feed_url))]
    # The channel's own <link> (RSS) or alternate link (Atom) is the homepage, not an article.
    return [link for link in links if urlsplit(link).path.strip("/") or urlsplit(link).query]


def homepage_feeds(page_text: str, page_url: str) -> list[str]:
    """Feed URLs a homepage advertises (<link rel="alternate"> or feed-like links), via trafilatura."""
    return determine_feed(page_text, _params(page_url))[:MAX_FEEDS_PER_HOMEPAGE]


def _entry_date(entry: etree._Element) -> date | None:
    """The news publication date, else the lastmod date, of a sitemap entry (None when absent or malformed)."""
    for path in (f".//{NEWS_NS}publication_date", f"{SITEMAP_NS}lastmod", "lastmod"):
        text = (entry.findtext(path) or "").strip()
        if text:
            try:
                return date.fromisoformat(text[:10])  # W3C datetime: the day is enough to judge age
            except ValueError:
                return None
    return None


def sitemap_links(sitemap_xml: bytes, sitemap_url: str, since: date | None = None) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap, sitemap index or Google News sitemap, plain or gzipped.

    With `since`, entries dated before it are left out; entries without a date are kept.
    """
    if sitemap_xml[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(sitemap_xml)) as unzipped:
                sitemap_xml = unzipped.read(MAX_SITEMAP_BYTES)
        except (OSError, EOFError):
            return [], []
    # Our own lxml reader rather than trafilatura's sitemaps module: its link filtering drops
    # IP-address hosts too. Entities are not resolved and nothing is fetched by the parser.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        # Whitespace before the XML declaration (common from templating) makes it a syntax error.
        root = etree.fromstring(sitemap_xml.lstrip(), parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []

    def links(tag: str) -> list[str]:
        found = []
        for entry in root.findall(f"{SITEMAP_NS}{tag}") or root.findall(tag):
            loc = (entry.findtext(f"{SITEMAP_NS}loc") or entry.findtext("loc") or "").strip()
            dated = _entry_date(entry) if since else None
            if loc and not (dated and dated < since):
                found.append(urljoin(sitemap_url, loc))
        return found

    return links("url"), links("sitemap")


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
            pages, children = sitemap_links(page.body, url, since)
            for link in pages:
                add(link, "sitemap")
            if len(children) > config.max_child_sitemaps:
                problems.append(f"{source.name}: {url}: {len(children)} child sitemaps, the first "
                                f"{config.max_child_sitemaps} read (max_child_sitemaps)")
                children = children[:config.max_child_sitemaps]
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
