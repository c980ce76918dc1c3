"""Feed and sitemap parsers: bytes or text in, URLs out (the network stays in flows/discover.py)."""

from __future__ import annotations

import gzip
import html
import io
import re
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed, find_links, is_potential_feed

from transforms.encoding import decode_html

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
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


def _lastmod(entry: etree._Element) -> datetime | None:
    """The <lastmod> of a sitemap index entry as naive UTC (a bare day at midnight), None when absent or malformed."""
    text = (entry.findtext(f"{SITEMAP_NS}lastmod") or entry.findtext("lastmod") or "").strip()
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp


def sitemap_entries(sitemap_xml: bytes, sitemap_url: str,
                    since: date | None = None) -> tuple[list[str], list[tuple[str, datetime | None]]]:
    """(page URLs, (child sitemap URL, its lastmod)) of a sitemap, sitemap index or Google News sitemap, plain or gzipped.

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

    def links(tag: str) -> list[tuple[str, etree._Element]]:
        found = []
        for entry in root.findall(f"{SITEMAP_NS}{tag}") or root.findall(tag):
            loc = (entry.findtext(f"{SITEMAP_NS}loc") or entry.findtext("loc") or "").strip()
            dated = _entry_date(entry) if since else None
            if loc and not (dated and dated < since):
                found.append((urljoin(sitemap_url, loc), entry))
        return found

    return [url for url, _ in links("url")], [(url, _lastmod(entry)) for url, entry in links("sitemap")]


def newest_children(children: list[tuple[str, datetime | None]], cap: int) -> list[str]:
    """The `cap` newest child sitemaps of an index by lastmod, newest first; undated ones after the dated, in index order.

    An index lists its children in any order (often oldest first, by year or number): the newest
    hold the articles a scheduled run is after.
    """
    # sorted(reverse=True) is stable: children of one lastmod keep their index order.
    dated = sorted((child for child in children if child[1] is not None), key=lambda child: child[1], reverse=True)
    return [url for url, _ in [*dated, *(child for child in children if child[1] is None)][:cap]]
