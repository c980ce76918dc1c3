"""Polite, fault-tolerant HTTP fetching with httpx: robots.txt, per-host limits, retries, safety."""

from __future__ import annotations

import asyncio
import ipaddress
import random
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from flows.archive import HTML_TYPES, read_local
from flows.settings import FetchConfig
from flows.sources import Source, host_matches
from transforms.models import Page

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


async def check_address(url: str, private_hosts: frozenset[str] = frozenset()) -> None:
    """Refuse non-http(s) URLs and hosts resolving to non-public addresses, unless the host is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"refused_scheme: {parts.scheme or 'none'}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(f"refused_url: {exc}") from exc
    if not parts.hostname:
        raise FetchRefused("refused_url: no host")
    if host_matches(parts.hostname, private_hosts):
        return
    try:
        addresses = [ipaddress.ip_address(parts.hostname)]  # a literal address needs no lookup
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchRefused(f"dns_error: {parts.hostname}: {exc.strerror}") from exc
        except UnicodeError as exc:  # a host name IDNA cannot encode (empty or over-long label)
            raise FetchRefused(f"refused_url: {parts.hostname}: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise FetchRefused(f"refused_address: {parts.hostname} resolves to non-public {address}")


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


class Fetcher:
    """Fetches many URLs concurrently while being polite to each host."""

    def __init__(self, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None):
        self.config = config
        self.hosts: dict[str, HostState] = {}
        self.global_gate = asyncio.Semaphore(config.global_concurrency)
        self.client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": config.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            limits=httpx.Limits(max_connections=config.global_concurrency),
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
        if page.error and page.error.startswith(("refused_", "dns_error", *HOST_DOWN)):
            # The host is refused, does not resolve or is down: its pages fail to fetch and their
            # fetch_failed state says why; a robots refusal would blame the site's rules instead.
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
        started = time.monotonic()
        page = Page(url=req.url, source=req.source, fetched_at=datetime.now(UTC).replace(tzinfo=None), attempts=0)
        try:
            # Refused addresses are refused before robots.txt is asked, so no packet leaves for them.
            await check_address(req.url, req.private_hosts)
            if use_robots:
                allowed, reason = await self.robots_allowed(req)
                if not allowed:
                    raise FetchRefused(f"robots_denied: {reason}")
        except FetchRefused as exc:
            page.error = str(exc)
            page.elapsed_ms = int((time.monotonic() - started) * 1000)
            return page
        state = self._host(req)
        for attempt in range(1, self.config.max_attempts + 1):
            page.attempts = attempt
            wait = None
            try:
                # The global gate is taken after the host's turn, so a Crawl-delay wait holds no global slot.
                async with state.semaphore:
                    await self._polite_turn(state)
                    async with self.global_gate, asyncio.timeout(self.config.total_timeout):
                        result = await self._get(req, accept)
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
            if attempt < self.config.max_attempts:
                # Exponential backoff with full jitter so parallel retries do not align.
                backoff = self.config.backoff_base * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                await asyncio.sleep(max(backoff, wait or 0.0))
        page.elapsed_ms = int((time.monotonic() - started) * 1000)
        return page

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
            # httpx resolves the name again to connect: a DNS answer that changes between the two
            # lookups (rebinding) is not caught; pinning the checked address needs a custom transport.
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
