"""The fetcher's fault matrix against a scripted server on 127.0.0.1, plus robots.txt and address rules."""

from __future__ import annotations

import asyncio
import socket
import struct
import time

import httpcore
import httpx
import pytest
from conftest import send
from test_discover import write_warc

from flows.fetch import (
    Fetcher,
    FetchRefused,
    PinnedTransport,
    Request,
    RobotsRules,
    check_address,
    retry_after_seconds,
    retryable,
)
from flows.settings import FetchConfig
from transforms.encoding import decode_html

# Small limits so the whole matrix runs in seconds: 50 ms backoff, 1 MB body cap. Timeouts stay generous
# (10 s): a busy machine may take a second to answer, and a spurious timeout would add an attempt.
FAST = FetchConfig(connect_timeout=10.0, read_timeout=10.0, max_attempts=3, backoff_base=0.05,
                   max_retry_after=2.0, max_bytes=1_000_000, total_timeout=20.0)
# For the one row about timeouts: 0.5 s read timeout against a server that waits 5 s, ten times longer.
SHORT_READ = FAST.model_copy(update={"read_timeout": 0.5})
LOOPBACK = frozenset({"127.0.0.1"})
PAGE = b"<html><head><title>Harbour fair</title></head><body><p>The fair opened.</p></body></html>"


class LoopbackBackend(httpcore.AsyncNetworkBackend):
    """The real network backend, recording every connection and refusing any but one to 127.0.0.1."""

    def __init__(self):
        self.inner = httpcore.AnyIOBackend()
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connects.append((host, port))
        if host != "127.0.0.1":
            raise AssertionError(f"a test tried to connect to {host}:{port}")
        return await self.inner.connect_tcp(host, port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def sleep(self, seconds):
        await self.inner.sleep(seconds)


class LoopbackOnly(httpx.AsyncBaseTransport):
    """The fetcher's own pinned transport, recording every request and connection, loopback only."""

    def __init__(self):
        self.backend = LoopbackBackend()
        self.inner = PinnedTransport(httpx.Limits(), self.backend)
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))  # by name: where it connects is the backend's to check
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def fetch_all(requests: list[Request], config: FetchConfig = FAST) -> tuple[list, LoopbackOnly, float]:
    """Fetch requests with a fresh Fetcher; return the pages, the transport's record and the seconds taken."""
    transport = LoopbackOnly()

    async def go():
        async with Fetcher(config, transport) as fetcher:
            return await fetcher.fetch_many(requests)

    started = time.monotonic()
    pages = asyncio.run(go())
    return pages, transport, time.monotonic() - started


def fetch_one(url: str, private_hosts=LOOPBACK, config: FetchConfig = FAST, **kwargs):
    """Fetch one URL; return the page, the transport's record and the seconds taken."""
    pages, transport, seconds = fetch_all([Request(url, "test", private_hosts, **kwargs)], config)
    return pages[0], transport, seconds


def sequence(*responses):
    """A route answering hit n with responses[n-1] (the last one repeats): (status, body, type, headers)."""

    def route(handler, hit):
        status, body, content_type, headers = responses[min(hit, len(responses)) - 1]
        send(handler, status, body, content_type, headers)

    return route


def slow(handler, _hit):
    """Answer ten times later than the client's read timeout (SHORT_READ)."""
    time.sleep(5.0)
    try:
        send(handler, 200, PAGE)
    except OSError:
        pass  # the client gave up long ago


def reset_mid_body(handler, _hit):
    """Promise 10,000 bytes, send 500, then reset the connection (RST, not a clean close)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    handler.wfile.write(PAGE[:50] * 10)
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def huge(sent: list[int], chunked: bool):
    """A 50 MB body, chunked or with its Content-Length; `sent` records the bytes written before the client left."""

    def route(handler, _hit):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header(*(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(50 << 20))))
        handler.end_headers()
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
        sent.append(0)
        try:
            for _ in range(50 * 16):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
                sent[-1] += len(block)
        except OSError:
            pass  # the client hung up at its cap
        handler.close_connection = True

    return route


CP1251_TEXT = ("<html><head><title>Новости</title></head><body><p>"
               + "Городской совет утвердил новый бюджет на следующий год. Депутаты обсуждали расходы "
                 "на транспорт, школы и больницы в течение нескольких часов. " * 3
               + "</p></body></html>")

# (path, route factory, expected status, expected error prefix, attempts, hits on the path, least seconds).
# Only lower bounds on time (waits we must make: timeouts, Retry-After); a loaded machine is never "too slow".
MATRIX = [
    ("/slow", lambda: slow, None, "timeout: ReadTimeout", 3, 3, 1.5),
    ("/flaky", lambda: sequence((500, b"", "text/html", None), (200, PAGE, "text/html", None)), 200, None, 2, 2, 0),
    ("/busy", lambda: sequence((429, b"", "text/html", {"Retry-After": "1"}), (200, PAGE, "text/html", None)),
     200, None, 2, 2, 1.0),
    ("/down", lambda: sequence((503, b"", "text/html", None)), 503, "http_503", 3, 3, 0.05),
    ("/closed", lambda: sequence((503, b"", "text/html", {"Retry-After": "3600"})),
     503, "http_503: Retry-After 3600s exceeds 2s", 1, 1, 0),
    ("/gone", lambda: sequence((404, b"", "text/html", None)), 404, "http_404", 1, 1, 0),
    ("/nowhere", lambda: sequence((302, b"", "text/html", None)), 302, "http_302", 1, 1, 0),
    ("/report.pdf", lambda: sequence((200, b"%PDF-1.7", "application/pdf", None)),
     200, "not_html: content type application/pdf", 1, 1, 0),
    ("/bad-gzip", lambda: sequence((200, b"not gzip at all", "text/html", {"Content-Encoding": "gzip"})),
     None, "decoding_error: Error -3 while decompressing data", 1, 1, 0),
    ("/reset", lambda: reset_mid_body, None, "connection_error: ReadError", 3, 3, 0.05),
    ("/loop-a", lambda: sequence((302, b"", "text/html", {"Location": "/loop-b"})),
     None, "redirect_loop: http://127.0.0.1", 1, 1, 0),
]


@pytest.mark.parametrize(("path", "make_route", "status", "error", "attempts", "hits", "least"), MATRIX,
                         ids=[row[0] for row in MATRIX])
def test_fault_matrix(http_server, path, make_route, status, error, attempts, hits, least):
    http_server.routes[path] = make_route()
    http_server.reply("/loop-b", 302, headers={"Location": "/loop-a"})
    page, transport, took = fetch_one(http_server.base + path, config=SHORT_READ if path == "/slow" else FAST)
    assert page.status == status
    assert (page.error or "").startswith(error or "") and (page.error is None) == (error is None), page.error
    assert page.attempts == attempts
    assert http_server.hits[path] == hits
    assert took >= least
    assert page.elapsed_ms <= took * 1000
    # Every request of a fetch reaches the one address checked for it (pinned), loopback here.
    assert {host for host, _port in transport.backend.connects} == {"127.0.0.1"}


def test_windows_1251_page_without_charset_header_decodes(http_server):
    http_server.reply("/cp1251", body=CP1251_TEXT.encode("cp1251"), content_type="text/html")
    page, _, _ = fetch_one(http_server.base + "/cp1251")
    assert (page.status, page.error, page.attempts) == (200, None, 1)
    assert decode_html(page.body, page.content_type) == CP1251_TEXT


def test_too_many_redirects(http_server):
    for n in range(8):
        http_server.reply(f"/r{n}", 301, headers={"Location": f"/r{n + 1}"})
    page, _, _ = fetch_one(http_server.base + "/r0")
    assert page.error == "too_many_redirects: more than 5"
    assert page.attempts == 1 and http_server.hits.get("/r5") == 1 and "/r6" not in http_server.hits


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:8080/", "ftp://127.0.0.1/file"])
def test_redirect_out_of_the_allowed_hosts_is_refused_before_connecting(http_server, target):
    http_server.reply("/go", 302, headers={"Location": target})
    page, transport, _ = fetch_one(http_server.base + "/go")
    assert page.error.startswith(("refused_address", "refused_scheme")), page.error
    assert page.attempts == 1 and http_server.hits["/go"] == 1
    assert all(u.startswith(http_server.base) for u in transport.urls)


def test_loopback_is_refused_for_a_source_that_does_not_allow_private(http_server):
    http_server.reply("/story", body=PAGE)
    page, transport, _ = fetch_one(http_server.base + "/story", private_hosts=frozenset())
    assert page.error == "refused_address: 127.0.0.1 resolves to non-public 127.0.0.1"
    assert page.attempts == 0 and transport.urls == [] and http_server.hits == {}


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_50_mb_body_is_cut_at_the_cap(http_server, chunked):
    sent: list[int] = []
    http_server.routes["/huge"] = huge(sent, chunked)
    page, _, _ = fetch_one(http_server.base + "/huge")
    assert page.error.startswith("too_large") and page.body is None and page.attempts == 1
    deadline = time.monotonic() + 3
    while len(sent) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    # The socket buffers hold a few MB at most: the server never got to send the 50 MB.
    time.sleep(0.3)
    assert sent[0] < 20 << 20, sent


def test_robots_disallow_and_crawl_delay(http_server):
    http_server.reply("/robots.txt", body=b"User-agent: *\nDisallow: /private\nCrawl-delay: 1\n", content_type="text/plain")
    stamps: list[float] = []

    def stamped(handler, _hit):
        stamps.append(time.monotonic())
        send(handler, 200, PAGE)

    for n in range(3):
        http_server.routes[f"/news/{n}"] = stamped
    http_server.reply("/private/memo", body=PAGE)
    urls = [http_server.base + p for p in ("/private/memo", "/news/0", "/news/1", "/news/2")]
    pages, _, _ = fetch_all([Request(u, "test", LOOPBACK) for u in urls])
    assert pages[0].error == "robots_denied: disallowed by robots.txt" and pages[0].attempts == 0
    assert "/private/memo" not in http_server.hits
    assert [p.status for p in pages[1:]] == [200, 200, 200]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.9, gaps
    assert http_server.hits["/robots.txt"] == 1


def test_unreachable_robots_txt_means_disallow(http_server):
    http_server.reply("/robots.txt", 500)
    http_server.reply("/story", body=PAGE)
    page, _, _ = fetch_one(http_server.base + "/story")
    assert page.error == "robots_denied: robots.txt unreachable (http_500): treated as disallow"
    assert "/story" not in http_server.hits


def test_conditional_get_gives_304_on_the_second_run(http_server):
    def route(handler, _hit):
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
            return
        send(handler, 200, PAGE, headers={"ETag": '"v1"', "Last-Modified": "Tue, 03 Feb 2026 08:00:00 GMT"})

    http_server.routes["/story"] = route
    first, _, _ = fetch_one(http_server.base + "/story")
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Tue, 03 Feb 2026 08:00:00 GMT")
    second, _, _ = fetch_one(http_server.base + "/story", etag=first.etag, last_modified=first.last_modified)
    assert (second.status, second.error, second.body, second.attempts) == (304, None, None, 1)


def test_per_source_politeness_override(http_server):
    stamps: list[float] = []

    def stamped(handler, _hit):
        stamps.append(time.monotonic())
        send(handler, 200, PAGE)

    http_server.routes["/a"] = http_server.routes["/b"] = stamped
    requests = [Request(f"{http_server.base}/{p}", "test", LOOPBACK, min_delay=0.4, per_host_concurrency=1) for p in "ab"]
    pages, _, _ = fetch_all(requests)
    assert [p.status for p in pages] == [200, 200] and stamps[1] - stamps[0] >= 0.35


ROBOTS = """
User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /search
Disallow: /*.pdf$
Disallow: /archive/
Allow: /archive/2026/
Crawl-delay: 0.5

User-agent: newsetl
User-agent: friendbot
Disallow: /drafts  # our own group replaces the * group
"""


@pytest.mark.parametrize(("agent", "path", "allowed"), [
    ("somebot/1.0", "/news/harbour-fair", True),
    ("somebot/1.0", "/search?q=fair", False),
    ("somebot/1.0", "/files/report.pdf", False),
    ("somebot/1.0", "/files/report.pdf?page=2", True),
    ("somebot/1.0", "/archive/2025/x", False),
    ("somebot/1.0", "/archive/2026/x", True),
    ("somebot/1.0", "/robots.txt", True),
    ("newsetl/0.1", "/search?q=fair", True),
    ("newsetl/0.1", "/drafts/x", False),
    ("otherbot/2", "/news/harbour-fair", False),
])
def test_robots_rules(agent, path, allowed):
    assert RobotsRules.parse(ROBOTS, agent).allows("http://example.com" + path) is allowed


def test_robots_crawl_delay_is_fractional_and_per_group():
    assert RobotsRules.parse(ROBOTS, "somebot/1.0").crawl_delay == 0.5
    assert RobotsRules.parse(ROBOTS, "newsetl/0.1").crawl_delay is None
    assert RobotsRules.parse("", "newsetl/0.1").allows("http://example.com/x")


@pytest.mark.parametrize(("url", "private_hosts", "refusal"), [
    ("http://10.0.0.1/", frozenset(), "refused_address: 10.0.0.1 resolves to non-public 10.0.0.1"),
    ("http://169.254.169.254/latest", frozenset({"127.0.0.1"}), "refused_address"),
    ("http://[fe80::1]/", frozenset(), "refused_address"),
    ("http://224.0.0.251/", frozenset(), "refused_address"),
    ("http://localhost/", frozenset(), "refused_address: localhost resolves to non-public"),
    ("file:///etc/passwd", frozenset(), "refused_scheme: file"),
    ("http:///nohost", frozenset(), "refused_url: no host"),
    ("http://example.com:99999/", frozenset(), "refused_url: Port out of range"),
    (f"http://{'a' * 70}.example/", frozenset(), "refused_url: " + "a" * 70),
    ("http://127.0.0.1:8000/", frozenset({"127.0.0.1"}), None),
    ("http://8.8.8.8/", frozenset(), None),
])
def test_check_address(url, private_hosts, refusal):
    async def check():
        try:
            await check_address(url, private_hosts)
        except FetchRefused as exc:
            return str(exc)
        return None

    result = asyncio.run(check())
    assert (result or "").startswith(refusal or "") and (result is None) == (refusal is None), result


@pytest.mark.parametrize(("status", "retry"), [(200, False), (404, False), (408, True), (429, True), (500, True),
                                               (501, False), (503, True), (522, True)])
def test_retryable(status, retry):
    assert retryable(status) is retry


@pytest.mark.parametrize(("value", "seconds"), [("120", 120.0), (None, None), ("soon", None),
                                                ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0)])
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value) == seconds


STORIES = {
    "/2026/02/ferry-timetable": (
        "Ferry timetable changes for the winter season",
        "The Port Alder ferry service will run two fewer crossings each day from March, the operator Bluewater "
        "Lines said on Tuesday. The early sailing at six and the late return at ten are the ones to go. "
        "Commuters who cross to the mainland for work said the change would cost them an hour each morning, "
        "and the harbour association asked the operator to keep the early boat at least on weekdays."),
    "/2026/02/library-roof": (
        "Library roof repairs finish ahead of schedule",
        "Builders finished the new roof of the Elmstead public library nine days early, council engineer Mara "
        "Quill told reporters on Monday. The reading room, closed since a storm in November, reopens next week. "
        "The repairs came in under budget because the old slate could be cleaned and laid again, and the "
        "savings will pay for new shelving in the children's corner, the library board said."),
    "/2026/02/orchard-fair": (
        "Orchard fair returns to the old market square",
        "The Kettering Vale orchard fair will return to the old market square in April after a three-year "
        "absence, organiser Tobias Renn announced. Forty growers have booked stalls so far. Cider presses, a "
        "grafting workshop and a brass band are on the programme, and the parish council has agreed to close "
        "the square to traffic for the whole weekend of the fair."),
}


def story_html(title: str, text: str) -> bytes:
    """An invented news article page that passes extraction and validation."""
    return (f"<html lang='en'><head><title>{title}</title>"
            f"<meta property='article:published_time' content='2026-02-03T09:00:00+00:00'></head>"
            f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()


@pytest.mark.slow  # two flow runs in Prefect's ephemeral mode: 20 s on an idle machine, 100 s on a busy one
def test_ingest_flow_over_a_scripted_site_and_a_warc(http_server, tmp_path):
    """The real flow: robots, refusals, failures and a WARC end in their url_status states; a rerun gets 304s."""
    from flows.pipelines import ingest
    from flows.settings import Settings
    from warehouse.db import connect

    b = http_server.base
    http_server.reply("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    paths = [*STORIES, "/private/memo", "/down", "/report.pdf", "/go-internal"]
    items = "".join(f"<item><title>x</title><link>{b}{p}</link></item>" for p in paths)
    http_server.reply("/feed.xml", body=f"<rss version='2.0'><channel>{items}</channel></rss>".encode(),
                      content_type="application/rss+xml")
    for path, (title, text) in STORIES.items():
        body = story_html(title, text)

        def route(handler, _hit, body=body):
            if handler.headers.get("If-None-Match") == '"v1"':
                handler.send_response(304)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            send(handler, 200, body, headers={"ETag": '"v1"'})

        http_server.routes[path] = route
    http_server.reply("/down", 503)
    http_server.reply("/report.pdf", body=b"%PDF-1.7", content_type="application/pdf")
    http_server.reply("/go-internal", 302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    warc = tmp_path / "cc-news.warc.gz"
    write_warc(warc, [("response", "https://gazette.example/2026/02/tram-line", 200, "text/html",
                       story_html("Tram line extension approved by regional board",
                                  "The regional transport board approved the extension of tram line 4 to the "
                                  "Hollins estate, chair Edda Vance confirmed on Wednesday. Work on the track "
                                  "starts in the summer and the first trams are due to run in two years. Shops "
                                  "along Mill Road will get compensation for the months of roadworks, and a "
                                  "temporary bus service will link the estate to the city centre meanwhile."))])
    (tmp_path / "sources.yaml").write_text(
        f"sources:\n  - name: courier\n    feeds: ['{b}/feed.xml']\n    allow_private: true\n    refresh: true\n"
        f"  - name: gazette\n    warcs: [cc-news.warc.gz]\n", encoding="utf-8")
    settings = Settings(db_path=tmp_path / "news.duckdb", fetch=FAST.model_copy(update={"max_attempts": 2}))

    first = ingest(str(tmp_path / "sources.yaml"), settings)
    with connect(settings.db_path, read_only=True) as con:
        status = {u.removeprefix(b): (s, r, v) for u, s, r, v in
                  con.execute("SELECT url, state, reason, via FROM url_status").fetchall()}
    assert status == {
        **{p: ("loaded", None, "feed") for p in STORIES},
        "/private/memo": ("robots_denied", "disallowed by robots.txt", "feed"),
        "/down": ("fetch_failed", "http_503", "feed"),
        "/report.pdf": ("fetch_failed", "not_html: content type application/pdf", "feed"),
        "/go-internal": ("fetch_failed", "refused_address: 169.254.169.254 resolves to non-public 169.254.169.254",
                         "feed"),
        "https://gazette.example/2026/02/tram-line": ("loaded", None, "warc"),
    }
    assert first.stages["loaded"] == 4 and http_server.hits["/down"] == 2

    second = ingest(str(tmp_path / "sources.yaml"), settings)
    with connect(settings.db_path, read_only=True) as con:
        codes = con.execute("SELECT status, count(*) FROM pages WHERE url LIKE '%/2026/02/%' "
                            "GROUP BY status ORDER BY status").fetchall()
        headers = con.execute("SELECT headers->>'etag' FROM pages WHERE status = 200 AND url LIKE ?",
                              [b + "/2026/%"]).fetchall()
    assert second.stages["unchanged"] == 3 and second.stages["already_loaded"] == 1  # the WARC page
    assert codes == [(200, 4), (304, 3)] and headers == [('"v1"',)] * 3
