"""Local sources: folders of saved .html/.html.gz pages and WARC files, read as Page objects."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from transforms.models import HTML_TYPES, Page
from transforms.urls import normalise_url

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def _is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() in HTML_TYPES


def folder_index(folder: str | Path) -> dict[str, str]:
    """file:// URL -> path of every HTML file under a folder, in name order."""
    files = sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name.lower().endswith(HTML_SUFFIXES))
    return {p.resolve().as_uri(): str(p.resolve()) for p in files}


@lru_cache(maxsize=32)
def _warc_index(path: str, _mtime_ns: int, _size: int) -> tuple[dict[str, str], int]:
    """Normalised URL -> "path#offset" of each HTML 200 response in a WARC, and how many records were skipped."""
    found: dict[str, str] = {}
    skipped = 0
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in ("response", "resource"):
                continue  # warcinfo, request, metadata and revisit records carry no page
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type == "response":
                ok = record.http_headers is not None and record.http_headers.get_statuscode() == "200"
                content_type = record.http_headers.get_header("Content-Type") if ok else None
            else:
                ok, content_type = True, record.rec_headers.get_header("Content-Type")
            if not (ok and _is_html(content_type) and urlsplit(uri).scheme in ("http", "https")):
                skipped += 1
                continue
            # The first capture of a URL wins: later ones are recrawls of the same page.
            found.setdefault(normalise_url(uri), f"{path}#{records.get_record_offset()}")
    return found, skipped


def warc_index(path: str | Path) -> tuple[dict[str, str], int]:
    """URL -> locator of the HTML pages of a WARC file (cached until the file changes), and the skipped count."""
    stat = Path(path).stat()
    return _warc_index(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


def local_index(folders: list[str], warcs: list[str]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """URL -> (via, locator) over folders and WARC files; plus problems (missing files, skipped records)."""
    found: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for folder in folders:
        if not Path(folder).is_dir():
            problems.append(f"{folder}: no such folder")
            continue
        for url, locator in folder_index(folder).items():
            found.setdefault(url, ("folder", locator))
    for warc in warcs:
        try:
            pages, skipped = warc_index(warc)
        except OSError as exc:
            problems.append(f"{warc}: {exc.strerror or exc}")
            continue
        if skipped:
            problems.append(f"{warc}: {skipped} records skipped (not an HTML 200 response)")
        for url, locator in pages.items():
            found.setdefault(url, ("warc", locator))
    return found, problems


def read_local(locator: str, url: str, source: str, max_bytes: int) -> Page:
    """Read one local page: a file (gunzipped when .gz) or the WARC record at "path#offset"."""
    started = time.monotonic()
    page = Page(url=url, source=source, final_url=url, fetched_at=datetime.now(UTC).replace(tzinfo=None))
    try:
        path, _, offset = locator.rpartition("#") if "#" in locator else (locator, "", "")
        if offset:
            with open(path, "rb") as stream:
                stream.seek(int(offset))
                record = next(iter(ArchiveIterator(stream)), None)
                if record is None:
                    raise ValueError(f"no WARC record at offset {offset}")
                http = record.http_headers
                page.headers = {k.lower(): v for k, v in http.headers} if http is not None else {}
                page.headers["warc-date"] = record.rec_headers.get_header("WARC-Date") or ""
                page.content_type = (http.get_header("Content-Type") if http is not None
                                     else record.rec_headers.get_header("Content-Type"))
                body = record.content_stream().read(max_bytes + 1)
        else:
            opener = gzip.open if path.lower().endswith(".gz") else open
            with opener(path, "rb") as stream:
                body = stream.read(max_bytes + 1)
            page.content_type = "text/html"  # a saved page's charset is found in its meta tag or by detection
    except (OSError, EOFError, ValueError, ArchiveLoadFailed) as exc:
        page.error = f"local_error: {type(exc).__name__}: {exc}"[:300]
        return page
    page.status = 200
    if len(body) > max_bytes:
        page.error = f"too_large: body over {max_bytes} bytes"
    else:
        page.body = body
    page.elapsed_ms = int((time.monotonic() - started) * 1000)
    return page
