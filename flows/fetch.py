"""Polite, fault-tolerant HTTP fetching with httpx: robots.txt, per-host limits, retries, safety."""

from __future__ import annotations

import asyncio
import random
import re
import socket
import ssl
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from ipaddress import ip_address
from urllib.parse import SplitResult, urljoin, urlsplit

import httpcore
import httpx

from flows.archive import HTML_TYPES, read_local
from flows.settings import FetchConfig
from flows.sources import Source, host_matches
from transforms.models import Page
from transforms.netaddr import address_refusal

XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "text/plain")
# What discovery accepts: feeds (XML or JSON), gzipped sitemaps, and homepages to find feeds in.
DISCOVERY_TYPES = XML_TYPES + HTML_TYPES + (
    "application/feed+json", "application/json", "application/gzip", "application/x-gzip", "application/octet-stream",
)


# Errors of a robots.txt request that mean the host is down (no connection), not that it refuses us.
HOST_DOWN = ("connection_error: ConnectError", "timeout: ConnectTimeout")


def retryable(status: int) -> bool:
    """Whether a status may succeed on a later attempt: timeouts, rate limits and server errors."""
    # 501 Not Implemented is permanent; every other 5xx is an overloaded or restarting origin.
    return status in (408, 429) or (500 <= status < 600 and status != 501)


class FetchRefused(Exception):
    """A URL we will not fetch (scheme, address, redirect policy); the message is the reason."""


@dataclass
class RobotsRules:
    """The robots.txt rules that apply to our user agent (RFC 9309: longest match wins, allow wins ties)."""

    rules: list[tuple[re.Pattern, int, bool]] = field(default_factory=list)  # (pattern, length, allowed)
    crawl_delay: float | None = None
    note: str | None = None  # why everything is disallowed, when robots.txt could not be read

    @classmethod
    def parse(cls, text: str, user_agent: str) -> RobotsRules:
        """Rules of the groups naming our product token, else of the `*` groups."""
        token = user_agent.split("/")[0].strip().lower()
        groups: dict[str, RobotsRules] = {}
        agents: list[str] = []
        in_agents = False
        for raw in text.splitlines():
            key, _, value = raw.split("#", 1)[0].partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "user-agent":
                agents = (agents if in_agents else []) + [value.lower()]
                in_agents = True
                for agent in agents:
                    groups.setdefault(agent, cls())
                continue
            in_agents = False
            for agent in agents:
                group = groups[agent]
                if key in ("allow", "disallow") and value:
                    pattern = re.escape(value).replace(r"\*", ".*")
                    pattern = pattern[:-2] + "$" if pattern.endswith(r"\$") else pattern
                    group.rules.append((re.compile(pattern), len(value), key == "allow"))
                elif key == "crawl-delay":
                    try:
                        group.crawl_delay = float(value)
                    except ValueError:
                        pass  # a malformed delay is ignored, as crawlers customarily do
        mine = [g for agent, g in groups.items() if agent.split("/")[0] == token]
        chosen = mine or ([groups["*"]] if "*" in groups else [])
        rules = cls([r for g in chosen for r in g.rules])
        rules.crawl_delay = max((g.crawl_delay for g in chosen if g.crawl_delay is not None), default=None)
        return rules

    def allows(self, url: str) -> bool:
        """Whether the URL's path and query may be fetched."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True
        best = (-1, True)
        for pattern, length, allowed in self.rules:
            if pattern.match(path) and (length, allowed) > best:
                best = (length, allowed)
        return best[1]


@dataclass
class HostState:
    """Per-host politeness: a concurrency gate, the earliest next request, robots rules."""

    semaphore: asyncio.Semaphore
    delay: float
    next_time: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # A separate lock: loading robots.txt fetches through the same host's politeness gate.
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: RobotsRules | None = None


@dataclass
class Request:
    """What to fetch: the URL, the source's permissions and overrides, what we stored last time."""

    url: str
    source: str
    # Hosts whose private or loopback addresses this request may reach (see Source.private_hosts).
    private_hosts: frozenset[str] = frozenset()
    etag: str | None = None
    last_modified: str | None = None
    per_host_concurrency: int | None = None
    min_delay: float | None = None
    # Where a local page is read instead of the web (see flows.archive); None fetches over HTTP.
    archive: str | None = None

    @classmethod
    def of(cls, source: Source, url: str, **kwargs) -> Request:
        """A request for a URL of a source, with its private-address permission and politeness."""
        p = source.politeness
        return cls(url, source.name, source.private_hosts(), per_host_concurrency=p.per_host_concurrency,
                   min_delay=p.min_delay, **kwargs)


def host_key(url: str) -> str:
    """scheme://host:port of a URL: the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Permit:
    """What the connections of one fetch may reach: hosts allowed private addresses, and the addresses checked."""

    def __init__(self, private_hosts: frozenset[str]):
        self.private_hosts = private_hosts
        # (host, port) -> the socket addresses checked for it: connections go there and nowhere else.
        self.pins: dict[tuple[str, int], list[tuple]] = {}


# The permit of the fetch running in this asyncio task; the network backend reads it to connect.
_permit: ContextVar[Permit | None] = ContextVar("newsetl_permit", default=None)


def _pin_key(url: str, parts: SplitResult) -> tuple[str, int]:
    """(host, port) as the HTTP client's connection pool spells them (IDNA-encoded, default port)."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError):
        host = parts.hostname or ""
    return host, parts.port or (443 if parts.scheme == "https" else 80)


async def resolve_checked(host: str, port: int, private_hosts: frozenset[str]) -> list[tuple]:
    """The socket addresses of host:port, refused if any is not public (unless the host may be private)."""
    try:
        infos = [(None, ip_address(host))]  # a literal address needs no lookup
    except ValueError:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchRefused(f"dns_error: {host}: {exc.strerror}") from exc
        except UnicodeError as exc:  # a host name IDNA cannot encode (empty or over-long label)
            raise FetchRefused(f"refused_url: {host}: {exc}") from exc
        infos = [(info[4], ip_address(info[4][0])) for info in found]
    if not host_matches(host, private_hosts):
        for _sockaddr, address in infos:
            refusal = address_refusal(address)
            if refusal:
                raise FetchRefused(f"refused_address: {host} resolves to {refusal}")
    return [sockaddr or (str(address), port) for sockaddr, address in infos]


async def check_address(url: str, private_hosts: frozenset[str] = frozenset()) -> list[tuple]:
    """Refuse non-http(s) URLs and hosts resolving to non-public addresses, unless the host is allowed.

    Returns the checked socket addresses; inside a fetch they are pinned: its connections go only there.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"refused_scheme: {parts.scheme or 'none'}")
    try:
        parts.port  # noqa: B018 (raises on a malformed or out-of-range port)
    except ValueError as exc:
        raise FetchRefused(f"refused_url: {exc}") from exc
    if not parts.hostname:
        raise FetchRefused("refused_url: no host")
    key = _pin_key(url, parts)
    permit = _permit.get()
    if permit is not None and key in permit.pins:
        return permit.pins[key]  # checked earlier in this fetch: one answer per fetch, so no rebinding
    addresses = await resolve_checked(parts.hostname, key[1], private_hosts)
    if permit is not None:
        permit.pins[key] = addresses
    return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to the addresses the current fetch checked, so DNS rebinding cannot switch them.

    The HTTP client still addresses the host by name, so the Host header and TLS SNI are unchanged;
    only the TCP connection goes to the pinned address. A host with no pin is resolved and checked here.
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None):
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options=None) -> httpcore.AsyncNetworkStream:
        """A stream to the first pinned (else freshly checked) address of host:port that accepts."""
        permit = _permit.get() or Permit(frozenset())
        addresses = permit.pins.get((host, port))
        if addresses is None:
            addresses = await resolve_checked(host, port, permit.private_hosts)
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for sockaddr in addresses:
            try:
                return await self.inner.connect_tcp(sockaddr[0], sockaddr[1], timeout=timeout,
                                                    local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        """Unix sockets are never a crawl target."""
        raise FetchRefused("refused_url: unix socket")

    async def sleep(self, seconds: float) -> None:
        """Delegated to the wrapped backend."""
        await self.inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool whose every connection goes through a PinnedBackend."""

    def __init__(self, limits: httpx.Limits, backend: httpcore.AsyncNetworkBackend | None = None,
                 verify: ssl.SSLContext | bool = True):
        super().__init__(limits=limits, trust_env=False)
        # httpx does not take a network backend, so its pool is rebuilt with the same settings and ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(backend),
        )


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class HostLedger:
    """Per run and host: seconds of request time spent and timeouts in a row; a host over either limit stops.

    One ledger spans a run (discovery and every fetch batch), so the limits hold per run, not per batch.
    """

    def __init__(self, config: FetchConfig):
        self.config = config
        self.spent: dict[str, float] = {}
        self.timeouts_in_a_row: dict[str, int] = {}
        self.stopped: dict[str, str] = {}  # host -> why its remaining URLs are not fetched

    def remaining(self, host: str) -> float:
        """Seconds of request time the host has left this run."""
        return self.config.host_time_budget - self.spent.get(host, 0.0)

    def record(self, host: str, seconds: float, timed_out: bool, answered: bool) -> None:
        """Count one attempt's time and outcome; stop the host when it is over budget or keeps timing out."""
        self.spent[host] = self.spent.get(host, 0.0) + seconds
        if answered:
            self.timeouts_in_a_row[host] = 0
        elif timed_out:
            self.timeouts_in_a_row[host] = self.timeouts_in_a_row.get(host, 0) + 1
        if host in self.stopped:
            return
        if self.remaining(host) <= 0:
            self.stopped[host] = (f"host_budget: {host} used its {self.config.host_time_budget:g} s of request time "
                                  "this run")
        elif self.timeouts_in_a_row.get(host, 0) >= self.config.max_timeouts_in_a_row:
            self.stopped[host] = (f"host_timeouts: {host} timed out {self.config.max_timeouts_in_a_row} times in a "
                                  "row; its other URLs wait for the next run")


class Fetcher:
    """Fetches many URLs concurrently while being polite to each host."""

    def __init__(self, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None,
                 ledger: HostLedger | None = None):
        self.config = config
        self.hosts: dict[str, HostState] = {}
        self.ledger = ledger or HostLedger(config)
        self.global_gate = asyncio.Semaphore(config.global_concurrency)
        limits = httpx.Limits(max_connections=config.global_concurrency)
        self.client = httpx.AsyncClient(
            # Our transport connects only to addresses checked for the fetch (see PinnedBackend).
            transport=transport or PinnedTransport(limits),
            follow_redirects=False,
            headers={"User-Agent": config.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            limits=limits,
        )

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.client.aclose()

    def _host(self, req: Request) -> HostState:
        """The politeness state of the request's host; a source's overrides apply from its first request."""
        key = host_key(req.url)
        if key not in self.hosts:
            concurrency = req.per_host_concurrency or self.config.per_host_concurrency
            delay = self.config.min_delay if req.min_delay is None else req.min_delay
            self.hosts[key] = HostState(asyncio.Semaphore(concurrency), delay)
        return self.hosts[key]

    async def robots_allowed(self, req: Request) -> tuple[bool, str | None]:
        """Whether robots.txt of the URL's host lets our user agent fetch it, and why not."""
        state = self._host(req)
        async with state.robots_lock:
            if state.robots is None:
                state.robots = await self._load_robots(req)
                if state.robots.crawl_delay:
                    state.delay = max(state.delay, min(state.robots.crawl_delay, self.config.max_crawl_delay))
        if state.robots.allows(req.url):
            return True, None
        return False, state.robots.note or "disallowed by robots.txt"

    async def _load_robots(self, req: Request) -> RobotsRules:
        robots_url = urljoin(host_key(req.url), "/robots.txt")
        page = await self.fetch(Request(robots_url, "robots", req.private_hosts), accept=None, use_robots=False)
        # RFC 9309: a 4xx robots.txt means no rules; a server error or no answer means
        # "assume complete disallow" until it can be read.
        if page.status is not None and 400 <= page.status < 500:
            return RobotsRules()
        if page.error and page.error.startswith(("refused_", "dns_error", "host_budget", "host_timeouts", *HOST_DOWN)):
            # The host is refused, does not resolve, is down or out of budget: its pages fail to fetch and
            # their fetch_failed state says why; a robots refusal would blame the site's rules instead.
            return RobotsRules()
        if page.error or page.status != 200:
            return RobotsRules([(re.compile("/"), 1, False)],
                               note=f"robots.txt unreachable ({page.error or page.status}): treated as disallow")
        return RobotsRules.parse((page.body or b"").decode("utf-8", "replace"), self.config.user_agent)

    async def _polite_turn(self, state: HostState) -> None:
        """Wait until this host may be sent another request."""
        async with state.lock:
            now = time.monotonic()
            wait = state.next_time - now
            state.next_time = max(now, state.next_time) + state.delay
        if wait > 0:
            await asyncio.sleep(wait)

    async def fetch(self, req: Request, accept: tuple[str, ...] | None = HTML_TYPES, use_robots: bool = True) -> Page:
        """Fetch one URL with retries; never raises: failures come back as Page.error."""
        if req.archive is not None:
            return await asyncio.to_thread(read_local, req.archive, req.url, req.source, self.config.max_bytes)
        permit = _permit.get()
        # A fetch keeps one answer per host name for all its hops and retries (robots.txt included).
        token = _permit.set(Permit(req.private_hosts)) if permit is None or permit.private_hosts != req.private_hosts \
            else None
        try:
            return await self._fetch(req, accept, use_robots)
        finally:
            if token is not None:
                _permit.reset(token)

    def _stopped(self, req: Request) -> None:
        """Raise when the request's host has used its budget or keeps timing out this run."""
        reason = self.ledger.stopped.get(host_key(req.url))
        if reason:
            raise FetchRefused(reason)

    async def _fetch(self, req: Request, accept: tuple[str, ...] | None, use_robots: bool) -> Page:
        started = time.monotonic()
        page = Page(url=req.url, source=req.source, fetched_at=datetime.now(UTC).replace(tzinfo=None), attempts=0)
        key = host_key(req.url)
        try:
            # Refused addresses are refused before robots.txt is asked, so no packet leaves for them.
            await check_address(req.url, req.private_hosts)
            self._stopped(req)
            if use_robots:
                allowed, reason = await self.robots_allowed(req)
                self._stopped(req)  # robots.txt itself may have used the host's budget
                if not allowed:
                    raise FetchRefused(f"robots_denied: {reason}")
        except FetchRefused as exc:
            page.error = str(exc)
            page.elapsed_ms = int((time.monotonic() - started) * 1000)
            return page
        state = self._host(req)
        for attempt in range(1, self.config.max_attempts + 1):
            wait = None
            try:
                # The global gate is taken after the host's turn, so a Crawl-delay wait holds no global slot.
                async with state.semaphore:
                    await self._polite_turn(state)
                    self._stopped(req)  # the host may have been stopped while this request waited its turn
                    page.attempts = attempt
                    async with self.global_gate:
                        result = await self._attempt(req, accept, key)
                page.final_url, page.status, page.content_type = result.final_url, result.status, result.content_type
                page.body, page.headers, page.error = result.body, result.headers, result.error
                page.etag, page.last_modified = result.etag, result.last_modified
                if not retryable(result.status):
                    break
                wait = retry_after_seconds(result.headers.get("retry-after"))
                if wait is not None and wait > self.config.max_retry_after:
                    page.error = f"http_{result.status}: Retry-After {wait:.0f}s exceeds {self.config.max_retry_after:.0f}s"
                    break
                if wait is not None:
                    # The server asked the whole host to slow down, not just this URL.
                    state.next_time = max(state.next_time, time.monotonic() + wait)
            except FetchRefused as exc:
                page.error = str(exc)
                break
            except httpx.InvalidURL as exc:
                page.error = f"refused_url: {exc}"
                break
            except httpx.DecodingError as exc:
                page.error = f"decoding_error: {exc}"[:300]  # a broken gzip/brotli body stays broken
                break
            except (httpx.TimeoutException, TimeoutError) as exc:
                page.error = f"timeout: {type(exc).__name__}"
            except httpx.TransportError as exc:
                page.error = f"connection_error: {type(exc).__name__}{f': {exc}' if str(exc) else ''}"[:300]
            if key in self.ledger.stopped:
                # Over budget or timing out in a row: this URL and the host's others wait for the next run.
                page.error = self.ledger.stopped[key]
                break
            if attempt < self.config.max_attempts:
                # Exponential backoff with full jitter so parallel retries do not align.
                backoff = self.config.backoff_base * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                await asyncio.sleep(max(backoff, wait or 0.0))
        page.elapsed_ms = int((time.monotonic() - started) * 1000)
        return page

    async def _attempt(self, req: Request, accept: tuple[str, ...] | None, key: str) -> Page:
        """One attempt, cut at the whole-attempt timeout or the host's remaining budget; its time is booked."""
        started = time.monotonic()
        timed_out = answered = False
        try:
            async with asyncio.timeout(max(0.0, min(self.config.total_timeout, self.ledger.remaining(key)))):
                result = await self._get(req, accept)
            answered = result.status is not None
            return result
        except (httpx.TimeoutException, TimeoutError):
            timed_out = True
            raise
        finally:
            self.ledger.record(key, time.monotonic() - started, timed_out, answered)

    async def _get(self, req: Request, accept: tuple[str, ...] | None) -> Page:
        """One attempt: follow redirects by hand, checking every hop; stream the body with a cap."""
        url = req.url
        headers = {}
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        seen = set()
        for _hop in range(self.config.max_redirects + 1):
            # Checked once per host and fetch; PinnedBackend connects to that checked address only.
            await check_address(url, req.private_hosts)
            seen.add(url)
            async with self.client.stream("GET", url, headers=headers) as resp:
                if resp.is_redirect and "location" in resp.headers:
                    url = urljoin(url, resp.headers["location"])
                    if url in seen:
                        raise FetchRefused(f"redirect_loop: {url}")
                    continue
                page = Page(
                    url=req.url,
                    source=req.source,
                    final_url=str(resp.url),
                    status=resp.status_code,
                    content_type=resp.headers.get("content-type"),
                    headers={k.lower(): v for k, v in resp.headers.items()},
                    etag=resp.headers.get("etag"),
                    last_modified=resp.headers.get("last-modified"),
                )
                if resp.status_code == 304:
                    return page
                if resp.status_code >= 300:  # an error, or a redirect without a Location to follow
                    page.error = f"http_{resp.status_code}"
                    return page
                mime = (page.content_type or "").split(";")[0].strip().lower()
                if accept is not None and mime not in accept:
                    page.error = f"not_html: content type {mime or 'missing'}"
                    return page
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.config.max_bytes:
                    page.error = f"too_large: Content-Length {declared} over {self.config.max_bytes} bytes"
                    return page
                chunks, size = [], 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > self.config.max_bytes:
                        page.error = f"too_large: body over {self.config.max_bytes} bytes"
                        return page
                    chunks.append(chunk)
                page.body = b"".join(chunks)
                return page
        raise FetchRefused(f"too_many_redirects: more than {self.config.max_redirects}")

    async def fetch_many(self, requests: list[Request], on_done=None) -> list[Page]:
        """Fetch all requests concurrently (bounded per host and globally), in input order."""

        async def one(req: Request) -> Page:
            page = await self.fetch(req)
            if on_done is not None:
                on_done(page)
            return page

        return list(await asyncio.gather(*(one(r) for r in requests)))
