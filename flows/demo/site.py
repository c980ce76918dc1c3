"""The demo news site: two invented outlets generated from a seed, served on 127.0.0.1, with a truth file.

Generation is deterministic (same seed, same bytes). Page bodies hold the placeholder "{BASE}"
(scheme://host:port), replaced when served, since each outlet gets its own free port.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

import yaml

from flows.demo import content as dc
from flows.demo.story import Desk, Sentence, article_entities, compose_story, edit_copy

BASE = "{BASE}"
ROBOTS_DISALLOW = "/private/"
TRACKING_QUERY = "?utm_source=rss&utm_medium=feed"
HTML_TYPE = "text/html; charset=utf-8"
FIRST_DAY = datetime(2026, 2, 2, tzinfo=UTC)
# The day the broken pages are listed in the sitemaps (their lastmod there; a day-by-day run meets them from then on).
BROKEN_LISTED = FIRST_DAY + timedelta(days=38)
# Six weeks of news: long enough for ~30 stories per outlet without crowding a day.
SPAN_DAYS = 45
# The feed lists the latest articles only, like most real feeds.
FEED_ITEMS = 20
# (slug, name, original stories): with the copies each lends the other, 34 + 32 articles.
OUTLETS = (("harbour-courier", dc.OUTLET_NAMES["harbour-courier"], 31),
           ("northvale-ledger", dc.OUTLET_NAMES["northvale-ledger"], 28))
# How many stories each outlet's originals lend to the other outlet (7 syndicated pairs).
SYNDICATED = {"harbour-courier": 4, "northvale-ledger": 3}
EXPECTED_STATE = {
    "http_404": "fetch_failed", "http_500": "fetch_failed", "non_html": "fetch_failed",
    "empty_body": "quarantined", "truncated_html": "quarantined", "robots_disallowed": "robots_denied",
}


@dataclass
class DemoResponse:
    """What the server answers for one path."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class DemoOutlet:
    """One invented outlet: every path it serves."""

    slug: str
    name: str
    pages: dict[str, DemoResponse]


@dataclass
class DemoArticle:
    """One article as published by one outlet, with what the pipeline should find in it."""

    outlet: str
    path: str
    title: str
    authors: list[str]
    published: datetime
    section: str
    tags: list[str]
    paragraphs: list[list[Sentence]]
    headline_options: list[str] = field(default_factory=list)  # headlines that fit the story, for copies
    syndicated_from: tuple[str, str] | None = None  # (outlet slug, path) of the original
    alternate_paths: list[str] = field(default_factory=list)

    @property
    def paragraph_texts(self) -> list[str]:
        """The body paragraphs as they appear in the HTML."""
        return [" ".join(s.text for s in para) for para in self.paragraphs]

    @property
    def text(self) -> str:
        """The expected body: paragraphs joined by newlines."""
        return "\n".join(self.paragraph_texts)

    @property
    def description(self) -> str:
        """The summary in the page's meta description: the lede sentence."""
        return self.paragraphs[0][0].text

    @property
    def attributions(self) -> list[dict]:
        """Every attribution planted in the article, in text order."""
        return [a for para in self.paragraphs for s in para for a in s.attributions]


@dataclass
class DemoBroken:
    """A page that must not become an article, and why."""

    outlet: str
    path: str
    problem: str


@dataclass
class DemoSite:
    """The whole generated site: outlets with their pages, and the truth behind them."""

    seed: int
    outlets: list[DemoOutlet]
    articles: list[DemoArticle] = field(default_factory=list)
    broken: list[DemoBroken] = field(default_factory=list)


def _slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words[:9])


def _article_path(outlet: str, title: str, published: datetime, section: str, number: int) -> str:
    if outlet == "harbour-courier":
        return f"/{published:%Y/%m/%d}/{_slugify(title)}.html"
    return f"/news/{section.lower()}/{_slugify(title)}-{number}"


def syndicate(original: DemoArticle, outlet: str, rng: random.Random, desk: Desk, number: int) -> DemoArticle:
    """The other outlet's copy: its own headline and URL, one sentence dropped and one edited."""
    published = original.published + timedelta(hours=rng.randint(2, 20))
    title = desk.headline(original.headline_options)
    path = _article_path(outlet, title, published, original.section, number)
    return DemoArticle(outlet, path, title, original.authors, published, original.section, original.tags,
                       edit_copy(original.paragraphs, rng), syndicated_from=(original.outlet, original.path))


# ---------------------------------------------------------------- HTML, feeds, sitemaps


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _json_ld(article: DemoArticle, outlet_name: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "datePublished": article.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "publisher": {"@type": "Organization", "name": outlet_name},
        "articleSection": article.section, "keywords": ", ".join(article.tags), "inLanguage": "en",
        "description": article.description, "mainEntityOfPage": BASE + article.path,
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _head_meta(article: DemoArticle, outlet_name: str, rng: random.Random, p_author: float, p_date: float,
               p_json: float) -> str:
    """Metadata in the head; each kind present for only some articles, so extraction has work to do.

    The probabilities differ per outlet: the Courier fills its metadata more diligently than the Ledger.
    """
    lines = [
        f'<meta name="description" content="{_e(article.description)}">',
        f'<link rel="canonical" href="{BASE}{article.path}">',
        f'<meta property="og:title" content="{_e(article.title)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{_e(outlet_name)}">',
        f'<meta property="article:section" content="{_e(article.section)}">',
    ]
    lines += [f'<meta property="article:tag" content="{_e(t)}">' for t in article.tags]
    if rng.random() < p_author:
        lines.append(f'<meta name="author" content="{_e(", ".join(article.authors))}">')
    if rng.random() < p_date:
        lines.append(f'<meta property="article:published_time" content="{article.published:%Y-%m-%dT%H:%M:%S}+00:00">')
    if rng.random() < p_json:
        lines.append(_json_ld(article, outlet_name))
    return "\n".join(lines)


def _byline(authors: list[str], link: bool) -> str:
    if link:
        names = [f'<a rel="author" href="/staff/{_slugify(a)}/">{_e(a)}</a>' for a in authors]
    else:
        names = [_e(a) for a in authors]
    return "By " + " and ".join(names)


def _comments(rng: random.Random) -> list[tuple[str, str]]:
    return rng.sample(dc.COMMENTS, rng.randint(0, 3))


def render_courier(article: DemoArticle, related: list[DemoArticle], rng: random.Random) -> str:
    """The Harbour Courier's template: an <article> element, cookie banner, ads, related links, comments."""
    paras = [f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraph_texts]
    # An inline advert after the third paragraph, as the outlet's ad server inserts it.
    paras.insert(min(3, len(paras)), '<aside class="ad ad-inline"><span>Advertisement</span>'
                 '<a href="/ads/click?id=311">Spring sale at Avery Outfitters: 30% off rain gear</a></aside>')
    if related and rng.random() < 0.4:  # an in-body teaser, furniture that sits between paragraphs
        paras.insert(2, f'<p class="read-also"><strong>Read more:</strong> <a href="{BASE}{related[0].path}">'
                        f"{_e(related[0].title)}</a></p>")
    related_html = "".join(f'<li><a href="{BASE}{r.path}">{_e(r.title)}</a></li>' for r in related)
    comments = _comments(rng)
    comments_html = "".join(f'<div class="comment"><span class="comment-author">{_e(n)}</span><p>{_e(t)}</p></div>'
                            for n, t in comments)
    tags_html = " ".join(f'<a href="/tag/{_slugify(t)}/">{_e(t)}</a>' for t in article.tags)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{_e(article.title)} | The Harbour Courier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{_head_meta(article, "The Harbour Courier", rng, p_author=0.5, p_date=0.7, p_json=0.6)}
<link rel="stylesheet" href="/static/courier.css">
</head>
<body class="courier">
<div id="cookie-consent" class="cc-banner"><p>We use cookies to improve your experience and to show you relevant advertising.</p><button>Accept all</button><button>Manage settings</button></div>
<header class="site-header"><a class="logo" href="/">The Harbour Courier</a>
<nav class="main-nav"><ul><li><a href="/local/">Local</a></li><li><a href="/business/">Business</a></li><li><a href="/health/">Health</a></li><li><a href="/education/">Education</a></li><li><a href="/subscribe/">Subscribe</a></li></ul></nav></header>
<div class="ad ad-leaderboard">Advertisement</div>
<main id="content">
<article class="story">
<header class="story-header">
<p class="kicker">{_e(article.section)}</p>
<h1 class="headline">{_e(article.title)}</h1>
<div class="byline">{_byline(article.authors, link=True)}</div>
<time class="published" datetime="{article.published:%Y-%m-%dT%H:%M:%SZ}">{article.published.day} {article.published:%B %Y, %H:%M}</time>
</header>
<div class="story-body">
{chr(10).join(paras)}
</div>
<footer class="story-tags">Topics: {tags_html}</footer>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related_html}</ul></aside>
<section class="comments" id="comments"><h2>Comments ({len(comments)})</h2>{comments_html}</section>
</main>
<footer class="site-footer"><p>&copy; 2026 The Harbour Courier, Port Avery. All rights reserved.</p>
<ul><li><a href="/about/">About us</a></li><li><a href="/contact/">Contact</a></li><li><a href="/privacy/">Privacy</a></li></ul></footer>
</body>
</html>
"""


def render_ledger(article: DemoArticle, related: list[DemoArticle], rng: random.Random) -> str:
    """The Northvale Daily Ledger's template: nested divs only, overlay consent, sidebar, discussion."""
    paras = [f'<p class="para">{html.escape(p, quote=False)}</p>' for p in article.paragraph_texts]
    paras.insert(min(4, len(paras)), '<div class="sponsored"><div class="sp-label">Sponsored</div>'
                 '<div class="sp-text">Northvale Savings: fixed rates for first-time buyers.</div></div>')
    if rng.random() < 0.5:  # a lead photo whose caption is not part of the article text
        paras.insert(0, f'<div class="photo"><img src="/img/{_slugify(article.title)}.jpg" alt="">'
                        f'<div class="caption">{_e(article.section)} pictures: the scene on the day. '
                        "Photo: Ledger staff</div></div>")
    more = "".join(f'<div class="more-item"><a href="{BASE}{r.path}">{_e(r.title)}</a></div>' for r in related)
    posts = "".join(f'<div class="post"><div class="post-user">{_e(n)}</div><div class="post-text">{_e(t)}</div></div>'
                    for n, t in _comments(rng))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(article.title)} - Northvale Daily Ledger</title>
{_head_meta(article, "Northvale Daily Ledger", rng, p_author=0.3, p_date=0.4, p_json=0.5)}
</head>
<body>
<div id="page">
<div class="topbar"><div class="brand"><a href="/">Northvale Daily Ledger</a></div>
<div class="menu"><a href="/news/">News</a> <a href="/news/business/">Business</a> <a href="/news/health/">Health</a> <a href="/opinion/">Opinion</a> <a href="/login/">Log in</a></div></div>
<div class="gdpr-overlay"><div class="gdpr-text">This site uses cookies. By continuing to browse you agree to our use of cookies.</div><a class="gdpr-ok" href="#">OK</a></div>
<div class="layout"><div class="col-main"><div class="story-wrap">
<div class="story-head"><div class="section-label">{_e(article.section)}</div>
<h1 class="story-title">{_e(article.title)}</h1>
<div class="story-meta"><span class="author-name">{_byline(article.authors, link=False)}</span> | <span class="dateline">Published {article.published:%B} {article.published.day}, {article.published:%Y}</span></div></div>
<div class="story-content"><div class="txt">
{chr(10).join(paras)}
</div></div>
<div class="share-tools">Share this story: Facebook | X | Email</div>
<div class="more-from"><div class="more-title">More from the Ledger</div>{more}</div>
<div class="discussion"><div class="discussion-title">Join the discussion</div>{posts}</div>
</div></div>
<div class="col-side"><div class="adbox">Advertisement</div><div class="most-read"><div class="mr-title">Most read</div><div class="mr-item">Tide tables for the week ahead</div></div></div></div>
<div class="bottom"><div class="bottom-links"><a href="/about/">About the Ledger</a> <a href="/terms/">Terms</a></div><div class="copyright">&copy; 2026 Northvale Daily Ledger</div></div>
</div>
</body>
</html>
"""


RENDERERS = {"harbour-courier": render_courier, "northvale-ledger": render_ledger}


def render_feed(name: str, articles: list[DemoArticle], tracked: str | None) -> str:
    """RSS 2.0 feed of the latest articles; the tracked path is linked with tracking parameters."""
    items = []
    for a in sorted(articles, key=lambda a: a.published, reverse=True)[:FEED_ITEMS]:
        link = BASE + a.path + (TRACKING_QUERY if a.path == tracked else "")
        items.append(
            f"<item><title>{xml_escape(a.title)}</title><link>{xml_escape(link)}</link>"
            f'<guid isPermaLink="false">{xml_escape(a.outlet + a.path)}</guid>'
            f"<pubDate>{format_datetime(a.published)}</pubDate>"
            f"<dc:creator>{xml_escape(', '.join(a.authors))}</dc:creator>"
            f"<category>{xml_escape(a.section)}</category><description>{xml_escape(a.description)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{xml_escape(name)}</title><link>{BASE}/</link><description>Latest news from {xml_escape(name)}</description>"
        "<language>en</language>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def render_sitemap(entries: list[tuple[str, datetime]]) -> str:
    """A sitemap of (path, last modified) entries."""
    urls = "\n".join(f"<url><loc>{BASE}{p}</loc><lastmod>{d:%Y-%m-%d}</lastmod></url>" for p, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n')


def render_index(name: str, articles: list[DemoArticle]) -> str:
    """A home page linking the latest articles, and its feed for autodiscovery."""
    links = "".join(f'<li><a href="{BASE}{a.path}">{_e(a.title)}</a></li>'
                    for a in sorted(articles, key=lambda a: a.published, reverse=True)[:FEED_ITEMS])
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(name)}</title>'
            f'<link rel="alternate" type="application/rss+xml" title="{_e(name)}" href="{BASE}/feed.xml"></head>'
            f"<body><h1>{_e(name)}</h1><ul>{links}</ul></body></html>\n")


# ---------------------------------------------------------------- the site


def _html_response(text: str, published: datetime | None = None) -> DemoResponse:
    headers = {"Last-Modified": format_datetime(published, usegmt=True)} if published else {}
    return DemoResponse(200, HTML_TYPE, text.encode("utf-8"), headers)


def _write_originals(seed: int, slug: str, count: int, rng: random.Random, desk: Desk) -> list[DemoArticle]:
    other = next(s for s, _, _ in OUTLETS if s != slug)
    topics = [dc.TOPICS[i % len(dc.TOPICS)] for i in range(count)]
    rng.shuffle(topics)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(count))
    articles, used = [], set()
    for i, (topic, day) in enumerate(zip(topics, days, strict=True)):
        story_rng = random.Random(f"{seed}-{slug}-{i}")
        # Published during the working day, between 06:00 and 21:55.
        published = FIRST_DAY + timedelta(days=day, hours=story_rng.randint(6, 21), minutes=story_rng.randrange(0, 60, 5))
        # One story in four cites the other outlet's reporting.
        title, options, paragraphs = compose_story(topic, story_rng, desk, published, slug, other,
                                                       story_rng.random() < 0.25)
        path = _article_path(slug, title, published, topic.section, 40000 + 137 * i)
        if path in used:  # slugs keep nine words, which two headlines may share; the URL must stay unique
            path = path.replace(".html", "") + f"-{i}" + (".html" if path.endswith(".html") else "")
        used.add(path)
        staff = dc.OUTLET_STAFF[slug]
        authors = story_rng.sample(staff, 2 if story_rng.random() < 0.2 else 1)  # one story in five has two bylines
        articles.append(DemoArticle(slug, path, title, authors, published, topic.section,
                                    [*topic.tags, topic.place], paragraphs, headline_options=options))
    return articles


def _extra_article(seed: int, slug: str, label: str, path: str) -> DemoArticle:
    """A healthy-looking article that is not part of the truth (broken or forbidden copies)."""
    rng = random.Random(f"{seed}-{slug}-{label}")
    topic = rng.choice(dc.TOPICS)
    published = FIRST_DAY + timedelta(days=20, hours=9)
    title, _, paragraphs = compose_story(topic, rng, Desk(rng), published, slug, slug, False)
    return DemoArticle(slug, path, title, [dc.OUTLET_STAFF[slug][0]], published, topic.section, list(topic.tags),
                       paragraphs)


def build_site(seed: int = 7) -> DemoSite:
    """Generate both outlets, their articles, feeds, sitemaps and broken pages from a seed."""
    rng = random.Random(seed)
    desk = Desk(random.Random(f"{seed}-desk"))
    by_outlet = {slug: _write_originals(seed, slug, count, rng, desk) for slug, _, count in OUTLETS}
    copies: dict[str, list[DemoArticle]] = {slug: [] for slug in by_outlet}
    for slug, originals in by_outlet.items():
        other = next(s for s in by_outlet if s != slug)
        # Stories citing the other outlet are not syndicated to it: it would be quoting itself.
        candidates = [a for a in originals
                      if all(x["speaker_entity"] not in dc.OUTLET_NAMES.values() for x in a.attributions)]
        for j, original in enumerate(rng.sample(candidates, SYNDICATED[slug])):
            copy_rng = random.Random(f"{seed}-copy-{slug}-{j}")
            copies[other].append(syndicate(original, other, copy_rng, desk, 50000 + j))
    for slug in by_outlet:
        by_outlet[slug] = sorted(by_outlet[slug] + copies[slug], key=lambda a: a.published)
    # The newest original of the Courier is linked from its feed with tracking parameters.
    tracked = next(a for a in reversed(by_outlet["harbour-courier"]) if a.syndicated_from is None)
    tracked.alternate_paths.append(tracked.path + TRACKING_QUERY)

    broken = [
        DemoBroken("harbour-courier", "/2026/03/10/harbour-dredging-plan-delayed-again.html", "http_404"),
        DemoBroken("harbour-courier", "/2026/03/12/ferry-timetable-changes-for-spring.html", "empty_body"),
        DemoBroken("harbour-courier", "/2026/03/14/council-publishes-draft-budget.html", "truncated_html"),
        DemoBroken("northvale-ledger", "/news/business/transit-annual-report-43311", "http_500"),
        DemoBroken("northvale-ledger", "/news/local/water-board-inspection-report-43317", "non_html"),
        DemoBroken("northvale-ledger", f"{ROBOTS_DISALLOW}news/embargoed-budget-leak-43323", "robots_disallowed"),
    ]
    outlets = [DemoOutlet(slug, name, _outlet_pages(seed, slug, name, by_outlet[slug], broken, tracked.path))
               for slug, name, _ in OUTLETS]
    all_articles = [a for slug, _, _ in OUTLETS for a in by_outlet[slug]]
    return DemoSite(seed, outlets, all_articles, broken)


def _outlet_pages(seed: int, slug: str, name: str, articles: list[DemoArticle], broken: list[DemoBroken],
                  tracked: str) -> dict[str, DemoResponse]:
    """Every path one outlet serves: articles, broken pages, home page, feed, sitemap, robots.txt."""
    pages: dict[str, DemoResponse] = {}
    render = RENDERERS[slug]
    for i, article in enumerate(articles):
        related = [articles[(i + k) % len(articles)] for k in (-2, -1, 1)]
        page_rng = random.Random(f"{seed}-page-{slug}-{i}")
        pages[article.path] = _html_response(render(article, related, page_rng), article.published)
    sitemap = [(a.path, a.published) for a in articles]
    for b in (b for b in broken if b.outlet == slug):
        pages[b.path] = _broken_response(seed, b, render)
        sitemap.append((b.path, BROKEN_LISTED))
    pages["/"] = _html_response(render_index(name, articles))
    pages["/feed.xml"] = DemoResponse(200, "application/rss+xml; charset=utf-8",
                                      render_feed(name, articles, tracked).encode("utf-8"))
    pages["/sitemap.xml"] = DemoResponse(200, "application/xml; charset=utf-8", render_sitemap(sitemap).encode("utf-8"))
    robots = f"User-agent: *\nDisallow: {ROBOTS_DISALLOW}\n\nSitemap: {BASE}/sitemap.xml\n"
    pages["/robots.txt"] = DemoResponse(200, "text/plain; charset=utf-8", robots.encode("utf-8"))
    return pages


def _broken_response(seed: int, broken: DemoBroken, render) -> DemoResponse:
    """The server's answer for a broken page."""
    if broken.problem == "http_404":
        return DemoResponse(404, HTML_TYPE, b"<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>")
    if broken.problem == "http_500":
        return DemoResponse(500, HTML_TYPE, b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>")
    if broken.problem == "empty_body":
        return DemoResponse(200, HTML_TYPE, b"")
    if broken.problem == "non_html":
        return DemoResponse(200, "application/pdf", b"%PDF-1.4\n% demo report\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    page = render(_extra_article(seed, broken.outlet, broken.problem, broken.path), [], random.Random(seed))
    if broken.problem == "truncated_html":
        # Cut right after the opening <body> tag, as a dropped connection would: no text survives.
        body_start = page.index(">", page.index("<body")) + 1
        return DemoResponse(200, HTML_TYPE, page[:body_start].encode("utf-8"))
    return _html_response(page)  # robots_disallowed: a healthy page that must never be fetched


# ---------------------------------------------------------------- serving


class _QuietServer(ThreadingHTTPServer):
    """Threaded server that keeps stderr clean when a client hangs up early."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


class _Handler(BaseHTTPRequestHandler):
    """Answers from a prepared table of responses; the query string is ignored for routing."""

    # HTTP/1.0 closes every connection after its response, so no keep-alive thread outlives the server.
    protocol_version = "HTTP/1.0"
    responses: dict[str, DemoResponse] = {}
    # Called with the request path before answering (tests use it to hold two runs at one point).
    gate: Callable[[str], None] | None = None
    # When set, called per request for the table to answer from (the site as of a simulated day).
    current: Callable[[], dict[str, DemoResponse]] | None = None

    def log_message(self, format, *args) -> None:
        pass

    def _respond(self, with_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        if self.gate is not None:
            self.gate(path)
        responses = self.current() if self.current is not None else self.responses
        response = responses.get(path) or DemoResponse(404, HTML_TYPE, b"<html><body>Not found</body></html>")
        if self._not_modified(response):
            self.send_response(304)
            self.send_header("ETag", response.headers["ETag"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def _not_modified(self, response: DemoResponse) -> bool:
        """Whether a conditional request (If-None-Match, else If-Modified-Since) already has this page."""
        if "ETag" not in response.headers:
            return False
        if "If-None-Match" in self.headers:
            return self.headers["If-None-Match"] == response.headers["ETag"]
        since, modified = self.headers.get("If-Modified-Since"), response.headers.get("Last-Modified")
        try:
            return bool(since and modified) and parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):  # an unparsable date means "send the page"
            return False

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)


def _served(pages: dict[str, DemoResponse], base: str) -> dict[str, DemoResponse]:
    """Responses with the base URL filled in, and an ETag on every successful one."""
    served = {}
    for path, page in pages.items():
        body = page.body.replace(BASE.encode(), base.encode())
        headers = dict(page.headers)
        if page.status == 200 and body:
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        served[path] = DemoResponse(page.status, page.content_type, body, headers)
    return served


def pages_as_of(site: DemoSite, slug: str, as_of: datetime) -> dict[str, DemoResponse]:
    """One outlet's pages as they stood at `as_of`: later articles and broken pages absent, feed, sitemap and home page without them.

    Article pages keep the bytes of the full site (their related links may name later articles,
    which discovery never follows), so a page fetched on day k is the page a full run fetches.
    """
    outlet = next(o for o in site.outlets if o.slug == slug)
    articles = [a for a in site.articles if a.outlet == slug and a.published <= as_of]
    later = {a.path for a in site.articles if a.outlet == slug and a.published > as_of}
    broken = [b.path for b in site.broken if b.outlet == slug]
    if BROKEN_LISTED > as_of:
        later.update(broken)
    pages = {p: r for p, r in outlet.pages.items() if p not in later}
    tracked = next((a.path for a in site.articles if a.alternate_paths), None)
    sitemap = [(a.path, a.published) for a in articles] + [(p, BROKEN_LISTED) for p in broken if p not in later]
    pages["/"] = _html_response(render_index(outlet.name, articles))
    pages["/feed.xml"] = DemoResponse(200, "application/rss+xml; charset=utf-8",
                                      render_feed(outlet.name, articles, tracked).encode("utf-8"))
    pages["/sitemap.xml"] = DemoResponse(200, "application/xml; charset=utf-8",
                                         render_sitemap(sitemap).encode("utf-8"))
    return pages


def _as_of_table(site: DemoSite, slug: str, base: str,
                 as_of: Callable[[], datetime | None]) -> Callable[[], dict[str, DemoResponse]]:
    """A per-request lookup of the outlet's served pages at `as_of()` (None: the whole site), cached per instant."""
    whole = _served(next(o for o in site.outlets if o.slug == slug).pages, base)
    cache: dict[datetime, dict[str, DemoResponse]] = {}
    lock = threading.Lock()

    def current() -> dict[str, DemoResponse]:
        instant = as_of()
        if instant is None:
            return whole
        with lock:
            if instant not in cache:
                cache[instant] = _served(pages_as_of(site, slug, instant), base)
            return cache[instant]
    return current


@contextmanager
def serve_site(site: DemoSite, host: str = "127.0.0.1", ports: list[int] | None = None,
               gate: Callable[[str, str], None] | None = None,
               as_of: Callable[[], datetime | None] | None = None) -> Iterator[dict[str, str]]:
    """Serve each outlet on its own free port (each outlet is its own host, with its own robots.txt); yield {slug: base_url}.

    `gate(slug, path)`, when given, is called before each answer, in the request's thread.
    `as_of()`, when given, is called per request: the site is served as it stood at that instant
    (only what was published by then), or whole when it returns None.
    """
    running: list[tuple[_QuietServer, threading.Thread]] = []
    bases: dict[str, str] = {}
    try:
        for i, outlet in enumerate(site.outlets):
            attrs = {"gate": staticmethod(partial(gate, outlet.slug))} if gate else {}
            handler = type(f"Handler_{i}", (_Handler,), attrs)
            server = _QuietServer((host, ports[i] if ports else 0), handler)
            base = f"http://{host}:{server.server_address[1]}"
            handler.responses = _served(outlet.pages, base)
            if as_of is not None:
                handler.current = staticmethod(_as_of_table(site, outlet.slug, base, as_of))
            # A short poll interval makes shutdown (which waits for the next poll) quick.
            thread = threading.Thread(target=server.serve_forever, args=(0.1,), name=f"demo-{outlet.slug}", daemon=True)
            thread.start()
            running.append((server, thread))
            bases[outlet.slug] = base
        yield bases
    finally:
        for server, thread in running:
            server.shutdown()
            server.server_close()
            thread.join()


# ---------------------------------------------------------------- truth and sources


def site_truth(site: DemoSite, bases: dict[str, str]) -> dict:
    """What the pipeline should find on the served site (JSON-serialisable, absolute URLs)."""
    def url(slug: str, path: str) -> str:
        return bases[slug] + path

    articles = []
    duplicates = []
    for a in site.articles:
        text = a.text
        original = url(*a.syndicated_from) if a.syndicated_from else None
        alternates = [url(a.outlet, p) for p in a.alternate_paths]
        articles.append({
            "url": url(a.outlet, a.path), "outlet": a.outlet, "title": a.title, "authors": list(a.authors),
            "published": a.published.strftime("%Y-%m-%d"), "description": a.description, "section": a.section,
            "tags": list(a.tags), "language": "en", "text": text, "syndicated_from": original,
            "alternate_urls": alternates, "entities": article_entities(text), "attributions": a.attributions,
        })
        if original:
            duplicates.append({"url": url(a.outlet, a.path), "of": original, "kind": "syndicated"})
        duplicates += [{"url": alt, "of": url(a.outlet, a.path), "kind": "tracking_url"} for alt in alternates]
    return {
        "seed": site.seed,
        "outlets": [{"slug": o.slug, "name": o.name, "base_url": bases[o.slug], "feed_url": bases[o.slug] + "/feed.xml",
                     "sitemap_url": bases[o.slug] + "/sitemap.xml", "robots_disallow": ROBOTS_DISALLOW}
                    for o in site.outlets],
        "articles": articles,
        "broken": [{"url": url(b.outlet, b.path), "problem": b.problem, "expected_state": EXPECTED_STATE[b.problem]}
                   for b in site.broken],
        "duplicates": duplicates,
    }


def write_truth(site: DemoSite, bases: dict[str, str], path: Path) -> None:
    """Write the truth file as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(site_truth(site, bases), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_sources_yaml(site: DemoSite, bases: dict[str, str], path: Path) -> None:
    """Write the sources file the demo run reads."""
    sources = [{"name": o.slug, "title": o.name, "feeds": [bases[o.slug] + "/feed.xml"],
                "sitemaps": [bases[o.slug] + "/sitemap.xml"], "allow_private": True} for o in site.outlets]
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# The demo site lives on loopback, hence allow_private; real sources must not set it.\n"
    path.write_text(header + yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")


def main_serve(seed: int = 7, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve the demo site until Ctrl-C; with a port, the outlets use port and port+1."""
    site = build_site(seed)
    with serve_site(site, host, ports=[port, port + 1] if port else None) as bases:
        for outlet in site.outlets:
            print(f"{outlet.name}: {bases[outlet.slug]}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
