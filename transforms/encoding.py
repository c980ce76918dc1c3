"""Bytes to text for HTML pages: declared charset first, then detection."""

from __future__ import annotations

import codecs
import re

from trafilatura.utils import decode_file

CHARSET_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# A <meta charset> or http-equiv declaration sits in the first KB of any sane page.
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset from the Content-Type header, else from a meta tag, if it names a known codec."""
    match = CHARSET_HEADER.search(content_type or "")
    header = _codec(match.group(1)) if match else None
    if header:
        return header
    match = META_CHARSET.search(body[:4096])
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body: declared charset, else UTF-8, else detection (charset_normalizer)."""
    charset = declared_charset(body, content_type)
    if charset:
        try:
            return body.decode(charset)
        except UnicodeDecodeError:
            pass  # a lying declaration: fall through to detection
    return decode_file(body)
