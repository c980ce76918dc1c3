"""Article body and metadata from HTML (first version; see issue 4)."""

from __future__ import annotations

import trafilatura

from transforms.config import ExtractionConfig
from transforms.models import ExtractedArticle, ExtractionError


def extract_article(html: str, url: str | None = None, config: ExtractionConfig | None = None) -> ExtractedArticle:
    """Extract the article of one HTML page, or raise ExtractionError with the reason."""
    config = config or ExtractionConfig()
    if not html or not html.strip():
        raise ExtractionError("empty_body: the page has no content")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no_article: no article text found")
    text = doc.text.strip()
    if len(text) < config.min_text_chars:
        raise ExtractionError(f"too_short: {len(text)} characters of text, fewer than {config.min_text_chars}")
    return ExtractedArticle(
        text=text,
        title=doc.title,
        authors=[a.strip() for a in (doc.author or "").split(";") if a.strip()],
        published=None,
        sitename=doc.sitename,
        language=doc.language,
        url=doc.url,
        description=doc.description,
        tags=list(doc.tags or []),
        image=doc.image,
    )
