"""Discovery over feeds, sitemaps, homepages and local archives; local pages read back as Page objects."""

from __future__ import annotations

import asyncio
import gzip
import io
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.archive import local_index, read_local
from flows.discover import discover_source
from flows.fetch import Fetcher
from flows.settings import FetchConfig
from flows.sources import Source
from transforms.encoding import decode_html
from transforms.feeds import feed_links, feed_text, is_feed, newest_children, sitemap_entries

FAST = FetchConfig(read_timeout=2.0, max_attempts=1, backoff_base=0.05)

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Courier</title><link>{base}/</link>
<item><title>Fair opens</title><link>{base}/2026/02/fair-opens?utm_source=rss</link></item>
<item><title>Ferry delayed</title><link><![CDATA[{base}/2026/02/ferry-delayed]]></link></item>
<item><title>Video</title><link>{base}/video/ferry</link></item>
<item><title>Elsewhere</title><link>https://elsewhere.example/2026/02/reprint</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier sport</title>
<link rel="self" href="{base}/sport.atom"/><link rel="alternate" href="{base}/"/>
<entry><title>Rowing final</title><link rel="alternate" href="{base}/2026/02/rowing-final"/></entry>
<entry><title>Cup draw</title><link href="/2026/02/cup-draw"/></entry>
</feed>"""

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
INDEX = f"""<?xml version="1.0"?><sitemapindex xmlns="{SM}">
<sitemap><loc>{{base}}/sitemap-1.xml</loc></sitemap><sitemap><loc>{{base}}/sitemap-2.xml.gz</loc></sitemap>
</sitemapindex>"""
CHILD = f"""<?xml version="1.0"?><urlset xmlns="{SM}">{{urls}}</urlset>"""
NEWS = f"""<?xml version="1.0"?><urlset xmlns="{SM}" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{{base}}/2026/02/budget-vote</loc><news:news><news:publication><news:name>Courier</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2026-02-03</news:publication_date>
<news:title>Budget vote</news:title></news:news></url></urlset>"""
HOMEPAGE = """<html><head><link rel="alternate" type="application/atom+xml" href="/sport.atom"></head>
<body><h1>Courier</h1></body></html>"""


def urls_xml(base: str, paths: list[str]) -> str:
    return CHILD.format(urls="".join(f"<url><loc>{base}{p}</loc></url>" for p in paths))


@pytest.fixture
def site(http_server):
    """A scripted outlet with every kind of feed and sitemap; robots.txt keeps /2026/02/secret out."""
    b = http_server.base
    http_server.reply("/robots.txt", body=b"User-agent: *\nDisallow: /2026/02/secret\n", content_type="text/plain")
    http_server.reply("/feed.rss", body=RSS.format(base=b).encode(), content_type="application/rss+xml")
    http_server.reply("/sport.atom", body=ATOM.format(base=b).encode(), content_type="application/atom+xml")
    http_server.reply("/", body=HOMEPAGE.encode())
    http_server.reply("/sitemap_index.xml", body=INDEX.format(base=b).encode(), content_type="application/xml")
    http_server.reply("/sitemap-1.xml", body=urls_xml(b, ["/2026/02/harbour-dig", "/2026/02/secret"]).encode(),
                      content_type="text/xml")
    http_server.reply("/sitemap-2.xml.gz", body=gzip.compress(urls_xml(b, ["/2026/01/old-pier"]).encode()),
                      content_type="application/x-gzip")
    http_server.reply("/news-sitemap.xml", body=NEWS.format(base=b).encode(), content_type="application/xml")
    return http_server


def discover(source: Source):
    async def go():
        async with Fetcher(FAST) as fetcher:
            return await discover_source(source, fetcher)

    return asyncio.run(go())


def test_feeds_sitemaps_and_homepage(site):
    b = site.base
    source = Source(name="courier", feeds=[b + "/feed.rss", b + "/"],
                    sitemaps=[b + "/sitemap_index.xml", b + "/news-sitemap.xml"], urls=[b + "/2026/02/seed"],
                    allow_private=True, allowed_hosts=["127.0.0.1"], exclude=["/video/"])
    found, problems = discover(source)
    assert [(d.url.removeprefix(b), d.via, d.allowed) for d in found] == [
        ("/2026/02/fair-opens", "feed", True),        # tracking parameter dropped by normalisation
        ("/2026/02/ferry-delayed", "feed", True),     # CDATA link
        ("/2026/02/rowing-final", "feed", True),      # Atom, found through the homepage
        ("/2026/02/cup-draw", "feed", True),          # relative Atom link
        ("/2026/02/budget-vote", "sitemap", True),    # Google News sitemap (read before the index's children)
        ("/2026/02/harbour-dig", "sitemap", True),    # child 1 of the index
        ("/2026/02/secret", "sitemap", False),        # robots.txt
        ("/2026/01/old-pier", "sitemap", True),       # gzipped child 2
        ("/2026/02/seed", "seed", True),
    ]
    assert found[6].reason == "disallowed by robots.txt"
    assert problems == ["courier: 2 URLs outside allowed_hosts/include/exclude dropped"]


def test_max_urls_and_allowed_hosts(site):
    b = site.base
    capped, _ = discover(Source(name="c", feeds=[b + "/feed.rss"], sitemaps=[b + "/sitemap_index.xml"],
                                allow_private=True, max_urls=2))
    assert [d.url.removeprefix(b) for d in capped] == ["/2026/02/fair-opens", "/2026/02/ferry-delayed"]
    assert site.hits.get("/sitemap_index.xml") is None  # full before the sitemaps: not fetched
    ferry, problems = discover(Source(name="c", feeds=[b + "/feed.rss"], allow_private=True,
                                      allowed_hosts=["127.0.0.1"], include=["/20../02/ferry"]))
    assert [d.url.removeprefix(b) for d in ferry] == ["/2026/02/ferry-delayed"]
    assert problems == ["c: 3 URLs outside allowed_hosts/include/exclude dropped"]


def test_failures_are_problems_not_errors(site):
    b = site.base
    found, problems = discover(Source(name="c", feeds=[b + "/missing.rss"], allow_private=True))
    assert found == [] and problems == [f"c: {b}/missing.rss: http_404"]
    found, problems = discover(Source(name="c", sitemaps=[b + "/sitemap-1.xml"]))
    assert found == [] and problems[0].startswith(f"c: {b}/sitemap-1.xml: refused_address")


def test_feed_links_skip_the_homepage_and_unescape():
    rss = RSS.format(base="https://c.example").replace("fair-opens?utm_source=rss", "fair?a=1&amp;b=2")
    assert feed_links(rss, "https://c.example/feed.rss") == [
        "https://c.example/2026/02/fair?a=1&b=2", "https://c.example/2026/02/ferry-delayed",
        "https://c.example/video/ferry", "https://elsewhere.example/2026/02/reprint",
    ]


RDF = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://c.example/"><title>C</title><link>https://c.example/</link></channel>
<item rdf:about="https://c.example/2026/a"><title>A</title><link>https://c.example/2026/a</link></item></rdf:RDF>"""


@pytest.mark.parametrize(("feed", "links"), [
    (RDF, ["https://c.example/2026/a"]),
    ('<?xml version="1.0"?>' + RDF, ["https://c.example/2026/a"]),
    ('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "/2026/b"}]}',
     ["https://c.example/2026/b"]),
    ("<html><body>not a feed</body></html>", []),
])
def test_feed_links_of_rss1_and_json_feeds(feed, links):
    assert is_feed(feed) is bool(links)
    assert feed_links(feed, "https://c.example/feed") == links


@pytest.mark.parametrize(("body", "content_type", "text"), [
    ("<?xml version='1.0' encoding='ISO-8859-1'?><rss>Caf\u00e9</rss>".encode("latin-1"), "text/xml",
     "<?xml version='1.0' encoding='ISO-8859-1'?><rss>Caf\u00e9</rss>"),
    ("\ufeff<rss>Caf\u00e9</rss>".encode(), "application/rss+xml", "<rss>Caf\u00e9</rss>"),
    ("<rss>Caf\u00e9</rss>".encode("cp1252"), "text/xml; charset=windows-1252", "<rss>Caf\u00e9</rss>"),
])
def test_feed_text_charsets(body, content_type, text):
    assert feed_text(body, content_type) == text


@pytest.mark.parametrize(("body", "pages", "children"), [
    (INDEX.format(base="https://c.example").encode(), [],
     ["https://c.example/sitemap-1.xml", "https://c.example/sitemap-2.xml.gz"]),
    (gzip.compress(urls_xml("https://c.example", ["/a"]).encode()), ["https://c.example/a"], []),
    (b"<urlset><url><loc> /b </loc></url></urlset>", ["https://c.example/b"], []),  # no namespace, relative
    (b"\n\n<?xml version='1.0'?><urlset><url><loc>/c</loc></url></urlset>", ["https://c.example/c"], []),
    (b"not xml at all", [], []),
    (b"\x1f\x8b broken gzip", [], []),
])
def test_sitemap_entries(body, pages, children):
    found, dated_children = sitemap_entries(body, "https://c.example/sitemap.xml")
    assert (found, [url for url, _ in dated_children]) == (pages, children)


DATED = f"""<urlset xmlns="{SM}" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>/new</loc><lastmod>2026-02-03T09:00:00+00:00</lastmod></url>
<url><loc>/old</loc><lastmod>2019-05-01</lastmod></url>
<url><loc>/undated</loc></url>
<url><loc>/bad-date</loc><lastmod>yesterday</lastmod></url>
<url><loc>/old-news</loc><lastmod>2026-02-03</lastmod><news:news><news:publication_date>2020-01-01</news:publication_date>
</news:news></url></urlset>"""
OLD_INDEX = f"""<sitemapindex xmlns="{SM}"><sitemap><loc>/2026.xml</loc><lastmod>2026-02-01</lastmod></sitemap>
<sitemap><loc>/2009.xml</loc><lastmod>2009-12-31</lastmod></sitemap></sitemapindex>"""


@pytest.mark.parametrize(("body", "since", "links"), [
    (DATED, None, (["/new", "/old", "/undated", "/bad-date", "/old-news"], [])),
    (DATED, date(2026, 1, 1), (["/new", "/undated", "/bad-date"], [])),
    (OLD_INDEX, date(2026, 1, 1), ([], ["/2026.xml"])),
])
def test_sitemap_entries_older_than_since_are_skipped(body, since, links):
    pages, children = sitemap_entries(body.encode(), "https://c.example/sitemap.xml", since)
    assert ([u.removeprefix("https://c.example") for u in pages],
            [u.removeprefix("https://c.example") for u, _ in children]) == links


def child_index(*children: tuple[str, str | None]) -> bytes:
    """A sitemap index of (path, lastmod or None) children, in that order."""
    entries = "".join(f"<sitemap><loc>{path}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
                      for path, mod in children)
    return f'<sitemapindex xmlns="{SM}">{entries}</sitemapindex>'.encode()


@pytest.mark.parametrize(("children", "cap", "kept"), [
    # Oldest first in the index, as year-by-year archives list them: the newest are kept.
    ([("/2019.xml", "2019-12-31"), ("/2024.xml", "2024-12-31"), ("/2026.xml", "2026-11-30")], 2,
     ["/2026.xml", "/2024.xml"]),
    # Times and zones count: 09:00+02:00 is 07:00 UTC, before 08:00Z the same day.
    ([("/a.xml", "2026-11-30T09:00:00+02:00"), ("/b.xml", "2026-11-30T08:00:00Z"), ("/c.xml", "2026-11-29")], 2,
     ["/b.xml", "/a.xml"]),
    # Undated (or malformed) children come after the dated ones, in index order.
    ([("/x.xml", None), ("/y.xml", "2020-01-01"), ("/z.xml", "soon"), ("/w.xml", None)], 3,
     ["/y.xml", "/x.xml", "/z.xml"]),
    # Equal lastmods keep the index's order.
    ([("/1.xml", "2026-01-01"), ("/2.xml", "2026-01-01"), ("/3.xml", "2026-01-01")], 2, ["/1.xml", "/2.xml"]),
    # Under the cap: all, newest first.
    ([("/old.xml", "2001-01-01"), ("/new.xml", "2002-01-01")], 50, ["/new.xml", "/old.xml"]),
    ([], 5, []),
])
def test_newest_children_are_kept_beyond_the_cap(children, cap, kept):
    pages, dated = sitemap_entries(child_index(*children), "https://c.example/sitemap.xml")
    assert pages == []
    assert [u.removeprefix("https://c.example") for u in newest_children(dated, cap)] == kept


def test_children_beyond_the_cap_are_dropped_newest_kept_and_reported(http_server):
    http_server.reply("/index.xml", body=child_index(("/old.xml", "2019-01-01"), ("/undated.xml", None),
                                                     ("/new.xml", "2026-11-01")), content_type="application/xml")
    for name in ("old", "undated", "new"):
        http_server.reply(f"/{name}.xml", body=urls_xml(http_server.base, [f"/{name}-story"]).encode(),
                          content_type="application/xml")
    source = Source(name="arch", sitemaps=[f"{http_server.base}/index.xml"], allow_private=True)

    async def go():
        async with Fetcher(FAST.model_copy(update={"max_child_sitemaps": 2})) as fetcher:
            return await discover_source(source, fetcher)

    found, problems = asyncio.run(go())
    # Dated children first, newest first: the undated one is the one dropped.
    assert sorted(d.url.removeprefix(http_server.base) for d in found) == ["/new-story", "/old-story"]
    assert http_server.hits.get("/undated.xml") is None
    assert (f"arch: {http_server.base}/index.xml: 3 child sitemaps, the 2 newest by lastmod read, 1 dropped "
            "(max_child_sitemaps)") in problems


def write_warc(path: Path, records: list[tuple[str, str, int, str, bytes]]) -> None:
    """A gzipped WARC of (type, uri, status, content type, body) records, written by the test."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsetl tests"}))
        for rec_type, uri, status, content_type, body in records:
            http = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(body),
                http_headers=http if rec_type == "response" else None,
                warc_content_type=content_type if rec_type == "resource" else None,
            ))


PAGE_A = b"<html><body><p>Ferry timetable changes.</p></body></html>"
PAGE_B = "<html><body><p>Новый паром.</p></body></html>".encode("cp1251")


@pytest.fixture
def archives(tmp_path):
    """A WARC with two HTML pages among skipped records, and a folder with a plain and a gzipped page."""
    warc = tmp_path / "news.warc.gz"
    write_warc(warc, [
        ("response", "https://courier.example/2026/02/ferry?utm_medium=x", 200, "text/html; charset=utf-8", PAGE_A),
        ("response", "https://courier.example/moved", 301, "text/html", b""),
        ("response", "https://courier.example/logo.png", 200, "image/png", b"\x89PNG"),
        ("resource", "https://ledger.example/2026/02/paper", 0, "text/html", PAGE_B),
        ("response", "https://courier.example/2026/02/ferry", 200, "text/html", b"<html>recrawl</html>"),
    ])
    folder = tmp_path / "saved"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "a.html").write_bytes(PAGE_A)
    (folder / "b.htm.gz").write_bytes(gzip.compress(PAGE_B))
    (folder / "notes.txt").write_text("not a page")
    return warc, folder


def test_local_sources_are_discovered_and_filtered(archives):
    warc, folder = archives
    found, problems = discover(Source(name="local", warcs=[str(warc)], folders=[str(folder), str(folder / "absent")],
                                      allowed_hosts=["courier.example"]))
    assert [(d.url, d.via, d.allowed) for d in found] == [
        ((folder / "2026" / "a.html").resolve().as_uri(), "folder", True),
        ((folder / "b.htm.gz").resolve().as_uri(), "folder", True),
        ("https://courier.example/2026/02/ferry", "warc", True),  # ledger.example is not an allowed host
    ]
    assert problems == [f"local: {folder / 'absent'}: no such folder",
                        f"local: {warc}: 2 records skipped (not an HTML 200 response)"]


def test_local_pages_read_back(archives):
    warc, folder = archives
    index, _ = local_index([str(folder)], [str(warc)])
    pages = {url: read_local(locator, url, "local", 1_000_000) for url, (_via, locator) in index.items()}
    ferry = pages["https://courier.example/2026/02/ferry"]
    assert (ferry.status, ferry.body, ferry.content_type, ferry.error) == (200, PAGE_A, "text/html; charset=utf-8", None)
    assert ferry.headers["content-type"] == "text/html; charset=utf-8" and ferry.headers["warc-date"]
    paper = pages["https://ledger.example/2026/02/paper"]
    assert (paper.status, paper.body, paper.content_type) == (200, PAGE_B, "text/html")
    saved = pages[(folder / "b.htm.gz").resolve().as_uri()]
    assert (saved.status, saved.body, saved.content_type) == (200, PAGE_B, "text/html")


@pytest.mark.parametrize(("locator", "error"), [
    ("/nonexistent/page.html", "local_error: FileNotFoundError"),
    ("{warc}#99999999", "local_error: ValueError: no WARC record at offset 99999999"),
    ("{page}", "too_large: body over 10 bytes"),
])
def test_local_read_errors(archives, locator, error):
    warc, folder = archives
    page = read_local(locator.format(warc=warc, page=folder / "2026" / "a.html"), "file:///x", "local", 10)
    assert page.error.startswith(error) and page.body is None, page.error


def test_a_folder_of_real_saved_pages(shared_data):
    """The benchmark's 123 gzipped real pages read as a folder source, each decodable to its page text."""
    folder = shared_data / "article-extraction-benchmark" / "html"
    index, problems = local_index([str(folder)], [])
    assert len(index) == 123 and problems == []
    pages = [read_local(locator, url, "saved", 10_000_000) for url, (_via, locator) in index.items()]
    assert all(p.status == 200 and p.error is None and len(p.body) > 1000 for p in pages)
    assert all("<html" in decode_html(p.body, p.content_type).lower()[:5000] for p in pages)
