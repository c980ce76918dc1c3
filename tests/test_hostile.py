"""A hostile web on 127.0.0.1: SSRF through IPv6 forms and DNS rebinding, fanning sitemaps, dripping and silent hosts."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import tracemalloc

import httpx
import pytest
from conftest import ScriptedServer, send
from hostile_web import Routes, drip, fan_out, silent
from test_fetch import FAST, PAGE, LoopbackBackend, LoopbackOnly, fetch_all

from flows.discover import discover_source
from flows.fetch import Fetcher, FetchRefused, HostLedger, PinnedTransport, Request
from flows.settings import FetchConfig
from flows.sources import Source


class CountingListener:
    """A TCP listener on 127.0.0.1 that accepts connections, counts them and closes them at once."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.accepts = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepts += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    """A CountingListener for the duration of a test."""
    counting = CountingListener()
    yield counting
    counting.close()


@pytest.fixture
def resolver(monkeypatch):
    """Fake DNS for names ending in .test: answers[name] is a list of answers, one per lookup (the last repeats)."""
    answers: dict[str, list[list[tuple[str, int]]]] = {}
    lookups: dict[str, int] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 (socket's own names)
        name = host.decode() if isinstance(host, bytes) else host
        if not (name or "").endswith(".test"):
            return real(host, port, family, type, proto, flags)
        lookups[name] = lookups.get(name, 0) + 1
        table = answers.get(name)
        if not table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = table[min(lookups[name], len(table)) - 1]
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, p, 0, 0)) if ":" in ip
                else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, p)) for ip, p in answer]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


# Every way found to reach 127.0.0.1 or the metadata address through an address that looks public.
FORMS = [
    ("64:ff9b::7f00:1", "NAT64 of non-public 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of non-public 169.254.169.254"),
    ("64:ff9b:1::7f00:1", "NAT64 of non-public 127.0.0.1"),
    ("2002:7f00:1::", "6to4 of non-public 127.0.0.1"),
    ("::127.0.0.1", "IPv4-compatible of non-public 127.0.0.1"),
    ("::169.254.169.254", "IPv4-compatible of non-public 169.254.169.254"),
    ("::ffff:127.0.0.1", "IPv4-mapped of non-public 127.0.0.1"),
    ("::ffff:0:7f00:1", "IPv4-translated of non-public 127.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo client of non-public 127.0.0.1"),
]


@pytest.mark.parametrize(("form", "why"), FORMS, ids=[f[0] for f in FORMS])
def test_ipv6_forms_of_private_addresses_are_refused_before_connecting(listener, resolver, form, why):
    answers, _ = resolver
    answers["evil.test"] = [[(form, listener.port)]]
    urls = [f"http://[{form}]:{listener.port}/story", f"http://evil.test:{listener.port}/story"]
    pages, transport, _ = fetch_all([Request(u, "test", frozenset()) for u in urls])
    for page in pages:
        assert page.error.startswith("refused_address: ") and page.error.endswith(why), page.error
        assert page.attempts == 0
    assert transport.urls == [] and transport.backend.connects == [] and listener.accepts == 0


@pytest.mark.parametrize(("form", "why"), FORMS[:4], ids=[f[0] for f in FORMS[:4]])
def test_the_transport_alone_refuses_them(listener, resolver, form, why):
    """Even a request that skipped check_address cannot connect: the network backend checks what it resolves."""
    answers, _ = resolver
    answers["evil.test"] = [[(form, listener.port)]]
    backend = LoopbackBackend()

    async def go():
        async with httpx.AsyncClient(transport=PinnedTransport(httpx.Limits(), backend)) as client:
            with pytest.raises(FetchRefused, match=why):
                await client.get(f"http://evil.test:{listener.port}/")

    asyncio.run(go())
    assert backend.connects == [] and listener.accepts == 0


def test_dns_rebinding_cannot_switch_the_checked_address(http_server, listener, resolver):
    """The name answers the real server first and another port (our counting listener) afterwards."""
    answers, lookups = resolver
    answers["rebind.test"] = [[("127.0.0.1", http_server.httpd.server_address[1])], [("127.0.0.1", listener.port)]]
    hosts: list[str] = []

    def story(handler, _hit):
        hosts.append(handler.headers["Host"])
        send(handler, 200, PAGE)

    http_server.routes["/story"] = story
    http_server.reply("/moved", 301, headers={"Location": "/story"})
    port = http_server.httpd.server_address[1]
    pages, transport, _ = fetch_all([Request(f"http://rebind.test:{port}/moved", "test", frozenset({"rebind.test"}))])
    assert (pages[0].status, pages[0].error, pages[0].attempts) == (200, None, 1)
    # robots.txt, the redirect and the page: three requests on one lookup, all to the first answer.
    assert http_server.hits == {"/robots.txt": 1, "/moved": 1, "/story": 1}
    assert lookups["rebind.test"] == 1 and listener.accepts == 0
    assert hosts == [f"rebind.test:{port}"]  # the Host header names the host, not the address
    assert {host for host, _ in transport.backend.connects} == {"127.0.0.1"}

    # Control: a plain httpx client looks the name up again to connect, the window rebinding uses.
    # (It connects to the answer's address with the URL's port, so here it still reaches the server.)
    async def naive():
        async with httpx.AsyncClient(trust_env=False) as client:
            return await client.get(f"http://rebind.test:{port}/story", timeout=30)

    assert asyncio.run(naive()).status_code == 200 and lookups["rebind.test"] == 2


def test_a_private_source_by_name_keeps_working(http_server, resolver):
    answers, _ = resolver
    port = http_server.httpd.server_address[1]
    answers["courier.test"] = [[("127.0.0.1", port)]]
    http_server.reply("/story", body=PAGE)
    allowed, refused = fetch_all([Request(f"http://courier.test:{port}/story", "test", frozenset({"courier.test"})),
                                  Request(f"http://courier.test:{port}/story", "other", frozenset())])[0]
    assert (allowed.status, allowed.error) == (200, None)
    assert refused.error == "refused_address: courier.test resolves to non-public 127.0.0.1"


# One request at a time so the order of events is fixed; a 1 s budget per host; a dripping body never
# trips the 10 s read timeout (a byte every 0.1 s), only the budget can end it.
DRIP = FAST.model_copy(update={"host_time_budget": 1.0, "per_host_concurrency": 1})
# One attempt per URL, one at a time, so that the 4th URL is the 4th timeout in a row.
SILENT = FAST.model_copy(update={"read_timeout": 0.5, "per_host_concurrency": 1, "max_timeouts_in_a_row": 4,
                                 "max_attempts": 1})


def test_a_dripping_host_ends_at_its_time_budget_for_the_whole_run(http_server):
    for n in range(7):
        http_server.routes[f"/drip/{n}"] = drip(0.1, 60)
    other = ScriptedServer()
    other.thread.start()
    other.reply("/story", body=PAGE)
    try:
        ledger = HostLedger(DRIP)
        requests = [Request(f"{http_server.base}/drip/{n}", "test", frozenset({"127.0.0.1"})) for n in range(6)]

        async def run(reqs):
            async with Fetcher(DRIP, LoopbackOnly(), ledger=ledger) as fetcher:
                return await fetcher.fetch_many(reqs)

        pages = asyncio.run(run(requests))
        budget = f"host_budget: {http_server.base} used its 1 s of request time this run"
        assert [p.error for p in pages] == [budget] * 6
        assert sorted(p.attempts for p in pages) == [0, 0, 0, 0, 0, 1]
        assert sum(http_server.hits.get(f"/drip/{n}", 0) for n in range(6)) == 1
        # A later batch of the same run (a new Fetcher, the run's ledger): nothing more is asked of the host,
        # while another host is fetched as usual.
        later = asyncio.run(run([Request(f"{http_server.base}/drip/6", "test", frozenset({"127.0.0.1"})),
                                 Request(f"{other.base}/story", "test", frozenset({"127.0.0.1"}))]))
        assert (later[0].error, later[0].attempts) == (budget, 0) and "/drip/6" not in http_server.hits
        assert (later[1].status, later[1].error) == (200, None)
    finally:
        other.httpd.shutdown()
        other.httpd.server_close()


def test_a_host_that_keeps_timing_out_is_stopped(http_server):
    for n in range(6):
        http_server.routes[f"/hang/{n}"] = silent(5.0)  # ten times the read timeout
    requests = [Request(f"{http_server.base}/hang/{n}", "test", frozenset({"127.0.0.1"})) for n in range(6)]
    pages, _, _ = fetch_all(requests, SILENT)
    stopped = f"host_timeouts: {http_server.base} timed out 4 times in a row; its other URLs wait for the next run"
    timeout = "timeout: ReadTimeout"
    # Three URLs time out, the fourth is the 4th timeout in a row: it and the last two end stopped.
    assert sorted((p.attempts, p.error) for p in pages) == [(0, stopped)] * 2 + [(1, stopped)] + [(1, timeout)] * 3
    assert sum(http_server.hits.get(f"/hang/{n}", 0) for n in range(6)) == 4


def test_an_answer_resets_the_timeout_count():
    ledger = HostLedger(FetchConfig(max_timeouts_in_a_row=3))
    for outcome in ["timeout", "timeout", "answer", "timeout", "timeout"]:
        ledger.record("http://a", 1.0, timed_out=outcome == "timeout", answered=outcome == "answer")
    assert ledger.stopped == {}
    ledger.record("http://a", 1.0, timed_out=True, answered=False)
    assert ledger.stopped["http://a"].startswith("host_timeouts: http://a timed out 3 times in a row")


# A guard for the code before the budgets: the fan-out stops answering after this many sitemaps.
FANOUT_GUARD = 2000


def discover_fan_out(http_server, config: FetchConfig):
    """Discover a source whose sitemap fans out 40 ways per level; return (URLs, problems, sitemap hits, peak bytes)."""
    http_server.routes = Routes(http_server.routes, "/sm/", fan_out(guard=FANOUT_GUARD))
    source = Source(name="fan", sitemaps=[f"{http_server.base}/sm/root.xml"], allow_private=True)

    async def go():
        async with Fetcher(config) as fetcher:
            return await discover_source(source, fetcher)

    tracemalloc.start()
    try:
        found, problems = asyncio.run(go())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    hits = sum(n for p, n in http_server.hits.items() if p.startswith("/sm/"))
    return found, problems, hits, peak


def test_a_fanning_sitemap_index_costs_a_bounded_number_of_requests(http_server):
    config = FAST.model_copy(update={"max_sitemap_requests": 30, "max_child_sitemaps": 10})
    found, problems, hits, peak = discover_fan_out(http_server, config)
    assert hits == 30
    # Breadth first: the root, its 10 children read (1 urlset, 9 indexes), then 19 grandchildren of which
    # 2 are urlsets: 3 urlsets of 5 URLs, all kept.
    assert len(found) == 15 and {d.via for d in found} == {"sitemap"}
    assert {d.url.rsplit("/", 1)[1].rsplit("-", 1)[0] for d in found} == {"root-leaf", "root-1-leaf", "root-2-leaf"}
    assert f"fan: {http_server.base}/sm/root.xml: 40 child sitemaps, the 10 newest by lastmod read, 30 dropped (max_child_sitemaps)" in problems
    assert any(p.endswith("sitemaps not read: 30 read this run (max_sitemap_requests)") for p in problems), problems
    assert peak < 20 << 20  # bytes: a bounded queue, not 64,000 pending sitemaps


def test_the_default_sitemap_budget_bounds_the_fan_out(http_server):
    found, problems, hits, peak = discover_fan_out(http_server, FAST.model_copy(update={
        "max_sitemap_requests": FetchConfig().max_sitemap_requests, "max_child_sitemaps": FetchConfig().max_child_sitemaps}))
    assert hits == FetchConfig().max_sitemap_requests == 100
    assert len(found) > 0 and peak < 50 << 20


def self_signed(host: str, folder) -> str:
    """A self-signed certificate and key for `host`, in one PEM file; returns its path."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / f"{host}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(path)


def test_https_connects_to_the_pinned_address_with_the_host_name_for_sni_and_certificate(resolver, tmp_path):
    pem = self_signed("courier.test", tmp_path)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(pem)
    names: list[str] = []
    server_tls.sni_callback = lambda _sock, name, _ctx: names.append(name)
    server = ScriptedServer()
    server.httpd.socket = server_tls.wrap_socket(server.httpd.socket, server_side=True)
    server.thread.start()
    hosts: list[str] = []

    def story(handler, _hit):
        hosts.append(handler.headers["Host"])
        send(handler, 200, PAGE)

    server.routes["/story"] = story
    port = server.httpd.server_address[1]
    answers, _ = resolver
    answers["courier.test"] = [[("127.0.0.1", port)]]
    backend = LoopbackBackend()
    # The client trusts only this certificate, so the handshake succeeds only if it is checked against the name.
    transport = PinnedTransport(httpx.Limits(), backend, verify=ssl.create_default_context(cafile=pem))

    async def go():
        async with Fetcher(FAST, transport) as fetcher:
            return await fetcher.fetch(Request(f"https://courier.test:{port}/story", "test", frozenset({"courier.test"})),
                                       use_robots=False)

    try:
        page = asyncio.run(go())
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert (page.status, page.error) == (200, None)
    assert names == ["courier.test"] and hosts == [f"courier.test:{port}"]
    assert backend.connects == [("127.0.0.1", port)]


@pytest.mark.slow  # a flow run in Prefect's ephemeral mode: ~20 s idle, more on a busy machine
def test_the_flow_records_budget_stops_in_url_status(http_server, tmp_path):
    """One outlet loads; another, dripping every page, ends fetch_failed: host_budget, URL by URL."""
    from test_fetch import STORIES, story_html

    from flows.pipelines import ingest
    from flows.settings import Settings
    from warehouse.db import connect

    dripping = ScriptedServer()
    dripping.thread.start()
    try:
        for path, (title, text) in STORIES.items():
            http_server.reply(path, body=story_html(title, text))
            dripping.routes[path] = drip(0.1, 60)
        for server in (http_server, dripping):
            items = "".join(f"<item><title>x</title><link>{server.base}{p}</link></item>" for p in STORIES)
            server.reply("/feed.xml", body=f"<rss version='2.0'><channel>{items}</channel></rss>".encode(),
                         content_type="application/rss+xml")
        (tmp_path / "sources.yaml").write_text(
            f"sources:\n  - name: courier\n    feeds: ['{http_server.base}/feed.xml']\n    allow_private: true\n"
            f"  - name: dripper\n    feeds: ['{dripping.base}/feed.xml']\n    allow_private: true\n", encoding="utf-8")
        settings = Settings(db_path=tmp_path / "news.duckdb", fetch=DRIP)
        report = ingest(str(tmp_path / "sources.yaml"), settings)
    finally:
        dripping.httpd.shutdown()
        dripping.httpd.server_close()
    with connect(settings.db_path, read_only=True) as con:
        rows = con.execute("SELECT s.source, s.state, s.reason, p.attempts FROM url_status AS s "
                           "LEFT JOIN pages AS p ON p.url = s.url ORDER BY 1, 4").fetchall()
    budget = f"host_budget: {dripping.base} used its 1 s of request time this run"
    assert rows == [("courier", "loaded", None, 1)] * 3 + [("dripper", "fetch_failed", budget, n) for n in (0, 0, 1)]
    assert report.stages["loaded"] == 3
    assert sum(dripping.hits.get(p, 0) for p in STORIES) == 1


def test_urls_of_a_host_stopped_before_robots_txt_is_read_fail_for_that_reason(http_server):
    """A host out of budget (e.g. its sitemaps dripped) gets fetch_failed: host_budget, not robots_denied."""
    http_server.reply("/story", body=PAGE)
    ledger = HostLedger(FAST)
    ledger.record(http_server.base, FAST.host_time_budget, timed_out=False, answered=True)

    async def go():
        async with Fetcher(FAST, LoopbackOnly(), ledger=ledger) as fetcher:
            request = Request(f"{http_server.base}/story", "test", frozenset({"127.0.0.1"}))
            return await fetcher.robots_allowed(request), await fetcher.fetch(request)

    (allowed, _reason), page = asyncio.run(go())
    assert allowed and page.error.startswith("host_budget: ") and page.attempts == 0 and http_server.hits == {}
