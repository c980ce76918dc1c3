"""Polite, fault-tolerant HTTP fetching with httpx: robots.txt, per-host limits, retries, safety."""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from flows.settings import FetchConfig
from transforms.models import Page

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "text/plain")
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


class FetchRefused(Exception):
    """A URL we will not fetch (scheme, address, redirect policy); the message is the reason."""


@dataclass
class HostState:
    """Per-host politeness: a concurrency gate, the earliest next request, robots rules."""

    semaphore: asyncio.Semaphore
    delay: float
    next_time: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # A separate lock: loading robots.txt fetches through the same host's politeness gate.
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: RobotFileParser | None = None
    robots_note: str | None = None


@dataclass
class Request:
    """What to fetch: the URL and, for a conditional GET, what we stored last time."""

    url: str
    source: str
    allow_private: bool = False
    etag: str | None = None
    last_modified: str | None = None


def host_key(url: str) -> str:
    """scheme://host:port of a URL: the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


async def check_address(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts resolving to non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"refused_scheme: {parts.scheme or 'none'}")
    if not parts.hostname:
        raise FetchRefused("refused_url: no host")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"dns_error: {parts.hostname}: {exc.strerror}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
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

    def __init__(self, config: FetchConfig, client: httpx.AsyncClient | None = None):
        self.config = config
        self.hosts: dict[str, HostState] = {}
        self.global_gate = asyncio.Semaphore(config.global_concurrency)
        self.client = client or httpx.AsyncClient(
            follow_redirects=False,
            headers={"User-Agent": config.user_agent},
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            limits=httpx.Limits(max_connections=config.global_concurrency),
        )

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.client.aclose()

    def _host(self, url: str) -> HostState:
        key = host_key(url)
        if key not in self.hosts:
            self.hosts[key] = HostState(asyncio.Semaphore(self.config.per_host_concurrency), self.config.min_delay)
        return self.hosts[key]

    async def robots_allowed(self, url: str, allow_private: bool = False) -> tuple[bool, str | None]:
        """Whether robots.txt of the URL's host lets our user agent fetch it, and why not."""
        state = self._host(url)
        async with state.robots_lock:
            if state.robots is None:
                await self._load_robots(url, state, allow_private)
        allowed = state.robots.can_fetch(self.config.user_agent, url)
        return allowed, None if allowed else (state.robots_note or "disallowed by robots.txt")

    async def _load_robots(self, url: str, state: HostState, allow_private: bool) -> None:
        robots_url = urljoin(host_key(url), "/robots.txt")
        parser = RobotFileParser(robots_url)
        page = await self.fetch(Request(robots_url, "robots", allow_private), accept=None, use_robots=False)
        # RFC 9309: a 4xx robots.txt means no rules; a server error or no answer means
        # "assume complete disallow" until it can be read.
        if page.status is not None and 400 <= page.status < 500:
            parser.parse([])
        elif page.error or page.status != 200:
            parser.parse(["User-agent: *", "Disallow: /"])
            state.robots_note = f"robots.txt unreachable ({page.error or page.status}): treated as disallow"
        else:
            parser.parse((page.body or b"").decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.config.user_agent)
        if delay:
            state.delay = max(state.delay, float(delay))
        state.robots = parser

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
        started = time.monotonic()
        page = Page(url=req.url, source=req.source, fetched_at=datetime.now(UTC).replace(tzinfo=None), attempts=0)
        state = self._host(req.url)
        for attempt in range(1, self.config.max_attempts + 1):
            page.attempts = attempt
            wait = None
            try:
                async with self.global_gate, state.semaphore:
                    await self._polite_turn(state)
                    result = await self._get(req, accept)
                page.final_url, page.status, page.content_type = result.final_url, result.status, result.content_type
                page.body, page.headers, page.error = result.body, result.headers, result.error
                page.etag, page.last_modified = result.etag, result.last_modified
                if result.status in RETRY_STATUSES:
                    wait = retry_after_seconds(result.headers.get("retry-after"))
                    if wait is not None and wait > self.config.max_retry_after:
                        page.error = f"http_{result.status}: Retry-After {wait:.0f}s exceeds {self.config.max_retry_after:.0f}s"
                        break
                else:
                    break
            except FetchRefused as exc:
                page.error = str(exc)
                break
            except httpx.TimeoutException as exc:
                page.error = f"timeout: {type(exc).__name__}"
            except httpx.TransportError as exc:
                page.error = f"connection_error: {type(exc).__name__}: {exc}"[:300]
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
            await check_address(url, req.allow_private)
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
                if resp.status_code >= 400:
                    page.error = f"http_{resp.status_code}"
                    return page
                mime = (page.content_type or "").split(";")[0].strip().lower()
                if accept is not None and mime not in accept:
                    page.error = f"not_html: content type {mime or 'missing'}"
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
