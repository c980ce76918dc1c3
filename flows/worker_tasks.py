"""The tasks that run on the task runner's workers: extract_articles and enrich_articles.

Every worker process imports this module (and flows.pipelines, the flows), so both import only
transforms/, Prefect and the settings: the flow process's other imports (Great Expectations,
DuckDB, pandas) cost a worker about 5 CPU seconds and 250 MB more (tests/test_scaleout.py keeps
them out).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.progress import reporter
from flows.settings import Settings
from transforms.dedup import signature, signature_to_bytes, text_hash, title_key
from transforms.encoding import decode_html
from transforms.extraction import extract_article
from transforms.ids import page_id, stable_id
from transforms.models import NEW_TEXT_LAYERS, ArticleRecord, ExtractionError, Page, Rejection
from transforms.nlp import annotate_texts
from transforms.urls import canonical_url


@dataclass
class Part:
    """What a worker made of one part of a batch, and the CPU seconds it spent on it."""

    records: list[ArticleRecord]
    rejections: list[Rejection] = field(default_factory=list)
    cpu_seconds: float = 0.0


@task(name="extract_articles", cache_policy=NO_CACHE)
def extract_articles(pages: list[Page], settings: Settings) -> Part:
    """Extract article text and metadata from fetched pages; pages without an article are rejected."""
    cpu0 = time.process_time()
    records, rejections = extract_pages(pages, settings)
    get_run_logger().info("extracted %d articles, rejected %d pages", len(records), len(rejections))
    return Part(records, rejections, time.process_time() - cpu0)


def extract_pages(pages: list[Page], settings: Settings) -> tuple[list[ArticleRecord], list[Rejection]]:
    """The article records of fetched pages, and a rejection (with any metadata read) for each page refused."""
    records, rejections = [], []
    for page in pages:
        if page.error is not None or page.status != 200 or page.body is None:
            continue  # fetch failures and 304s are recorded by the pages table
        pid = page_id(page)
        try:
            html = decode_html(page.body, page.content_type)
            article = extract_article(html, url=page.final_url or page.url, config=settings.extraction)
        except ExtractionError as exc:
            rule, _, detail = str(exc).partition(": ")
            rejections.append(Rejection(page.url, page.source, rule, "extract", detail or None, None, pid, meta=exc.meta))
            continue
        url = canonical_url(page.final_url or page.url, article.url)
        records.append(
            ArticleRecord(
                article_id=stable_id(url), url=url, page_url=page.url, page_id=pid, source=page.source,
                article=article, text_hash=text_hash(article.text),
                signature=signature_to_bytes(signature(article.text, settings.dedup)),
                title_key=title_key(article.title, outlet=page.source, published=article.published,
                                    config=settings.dedup),
            )
        )
    return records, rejections


def to_enrich(record: ArticleRecord) -> bool:
    """True for an article enrichment annotates: an original, or a copy that can carry new text (NEW_TEXT_LAYERS)."""
    return record.is_canonical or record.copy_layer in NEW_TEXT_LAYERS


@task(name="enrich_articles", cache_policy=NO_CACHE)
def enrich_articles(records: list[ArticleRecord], settings: Settings) -> Part:
    """Attach entities and attributions to originals and to near-copies (to_enrich), in one nlp.pipe pass per model.

    A near-copy (a live blog's later version) may add quotes: the quotes mart keeps those its story's
    earlier articles lack. Each article goes through the spaCy model of its language
    (settings.nlp.model_for); an article in a language without one keeps no annotation and is loaded unenriched.
    """
    cpu0 = time.process_time()
    by_model: dict[str, list[ArticleRecord]] = defaultdict(list)
    wanted = [r for r in records if to_enrich(r)]
    for record in wanted:
        if model := settings.nlp.model_for(record.article.language):
            by_model[model].append(record)
    progress = reporter()
    for model, todo in by_model.items():
        texts = (r.article.text for r in todo)
        for record, annotation in zip(todo, annotate_texts(texts, settings.nlp, settings.entities, model, settings.speakers), strict=True):
            record.annotation = annotation
            progress.advance("enrich")
    done = [r for todo in by_model.values() for r in todo]
    progress.advance("enrich", len(wanted) - len(done))
    get_run_logger().info(
        "enriched %d articles (%d of them near-copies): %d mentions, %d attributions; "
        "%d left unenriched (no model for their language)",
        len(done), sum(not r.is_canonical for r in done), sum(len(r.annotation.mentions) for r in done),
        sum(len(r.annotation.attributions) for r in done), len(wanted) - len(done),
    )
    return Part(records, cpu_seconds=time.process_time() - cpu0)
