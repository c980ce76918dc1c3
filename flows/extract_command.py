"""`newsetl extract`: article text and metadata of HTML files, standard input or URLs (fetched politely)."""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from flows.fetch import Fetcher, Request
from flows.settings import FetchConfig
from transforms.encoding import decode_html
from transforms.extraction import extract_article
from transforms.models import ExtractedArticle, ExtractionError

FORMATS = ("json", "txt", "markdown")


@dataclass
class Input:
    """One thing to extract: the argument as given, its bytes (or why there are none) and its URL if fetched."""

    name: str
    body: bytes | None = None
    content_type: str | None = None
    url: str | None = None
    error: str | None = None


def is_url(name: str) -> bool:
    """Whether a command-line argument is a URL to fetch rather than a file."""
    return name.startswith(("http://", "https://"))


def read_file(path: Path) -> bytes:
    """A file's bytes, gunzipped when it is gzip (by suffix or magic number)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" or data[:2] == b"\x1f\x8b" else data


async def _fetch(urls: list[str], config: FetchConfig, private_hosts: frozenset[str]) -> list[Input]:
    """Fetch URLs through the pipeline's polite fetcher (robots.txt, per-host limits, retries)."""
    async with Fetcher(config) as fetcher:
        pages = await fetcher.fetch_many([Request(u, "cli", private_hosts=private_hosts) for u in urls])
    inputs = []
    for url, page in zip(urls, pages, strict=True):
        if page.error or page.status != 200 or page.body is None:
            error = page.error or f"http_status: {page.status}"
            if error.startswith("refused_address"):  # the usual first try: a test server on 127.0.0.1
                error += f" (--allow-private {urlsplit(url).hostname} lets it through)"
            inputs.append(Input(url, error=error))
        else:
            inputs.append(Input(url, page.body, page.content_type, page.final_url or page.url))
    return inputs


def gather(names: list[str], config: FetchConfig, private_hosts: frozenset[str] = frozenset()) -> Iterator[Input]:
    """Inputs in the order given: `-` is standard input, http(s) arguments are fetched, the rest are files."""
    urls = [n for n in names if is_url(n)]
    fetched = iter(asyncio.run(_fetch(urls, config, private_hosts)) if urls else [])
    for name in names:
        if is_url(name):
            yield next(fetched)
        elif name == "-":
            yield Input(name, sys.stdin.buffer.read())
        else:
            try:
                yield Input(name, read_file(Path(name)))
            except OSError as exc:  # missing, a folder, no permission; a broken .gz (BadGzipFile is an OSError)
                yield Input(name, error=exc.strerror.lower() if exc.strerror else f"{type(exc).__name__}: {exc}")
            except EOFError as exc:  # a .gz cut short
                yield Input(name, error=f"{type(exc).__name__}: {exc}")


def as_json(name: str, article: ExtractedArticle) -> str:
    """One JSON line: the text and every metadata field, with where title, author and date came from."""
    return json.dumps({
        "path": name, "title": article.title, "author": "; ".join(article.authors) or None,
        "authors": article.authors, "published": article.published.isoformat() if article.published else None,
        "modified": article.modified.isoformat() if article.modified else None,
        "sitename": article.sitename, "language": article.language, "url": article.url,
        "description": article.description, "section": article.section, "tags": article.tags,
        "image": article.image, "metadata_source": article.metadata_source, "text": article.text,
    }, ensure_ascii=False)


def as_markdown(article: ExtractedArticle) -> str:
    """The article as Markdown: headline, a byline and date line, then one paragraph per line of text."""
    byline = " · ".join(filter(None, [", ".join(article.authors),
                                      article.published.isoformat() if article.published else None,
                                      article.sitename]))
    parts = [f"# {article.title}" if article.title else "", f"*{byline}*" if byline else ""]
    return "\n\n".join(p for p in [*parts, *article.text.splitlines()] if p.strip())


def render(name: str, article: ExtractedArticle, fmt: str) -> str:
    """One extracted article in the chosen output format."""
    if fmt == "json":
        return as_json(name, article)
    if fmt == "markdown":
        return as_markdown(article)
    return article.text


def run(names: list[str], fmt: str, config: FetchConfig, private_hosts: frozenset[str] = frozenset(),
        out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Extract every input and print it; return how many failed. A failure never stops the others."""
    failed = shown = 0
    for item in gather(names, config, private_hosts):
        try:
            if item.error:
                raise ExtractionError(item.error)
            article = extract_article(decode_html(item.body, item.content_type), url=item.url)
        except Exception as exc:  # one bad input must not stop the others
            failed += 1
            if fmt == "json":
                print(json.dumps({"path": item.name, "error": f"{type(exc).__name__}: {exc}"}), file=out, flush=True)
            else:
                print(f"{item.name}: {type(exc).__name__}: {exc}", file=err, flush=True)
            continue
        # text and Markdown documents are separated by a blank line, as several files are read
        if fmt != "json" and shown:
            print(file=out)
        print(render(item.name, article, fmt), file=out, flush=True)
        shown += 1
    return failed
