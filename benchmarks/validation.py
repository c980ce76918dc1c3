"""What validation adds to a batch: the expectation suites against extraction + spaCy per article.

Usage: .venv/bin/python benchmarks/validation.py [--rows 1000] [--seed 7]

The demo site's article pages (flows/demo/site.py) are extracted and annotated once, timing both
per article; their records are then repeated (with their own URLs and hashes) up to --rows and the
whole per-batch validation runs on them: the articles suite, the mentions and attributions suites,
and the table suites on the batch's load rows. The first validation of a process also builds the
suites; it is timed apart from the steady state (the median of three later runs). The overhead is
validation time over the batch's extraction + enrichment time at the measured per-article cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.environment import apply_defaults  # noqa: E402

apply_defaults()

from flows.demo.site import build_site  # noqa: E402
from flows.quality import check_annotations, check_articles, check_tables  # noqa: E402
from flows.settings import Settings  # noqa: E402
from transforms.dedup import text_hash  # noqa: E402
from transforms.encoding import decode_html  # noqa: E402
from transforms.extraction import extract_article  # noqa: E402
from transforms.ids import page_id  # noqa: E402
from transforms.models import ArticleRecord, ExtractionError, Page  # noqa: E402
from transforms.nlp import annotate_texts  # noqa: E402
from warehouse.loader import LoadBatch  # noqa: E402


def demo_pages(seed: int) -> list[Page]:
    """Every HTML page the demo site serves under an article path."""
    pages = []
    for outlet in build_site(seed).outlets:
        for path, response in outlet.pages.items():
            if response.status == 200 and "html" in response.content_type and path != "/":
                pages.append(Page(f"https://{outlet.slug}.example{path}", outlet.slug, status=200,
                                  content_type=response.content_type, body=response.body,
                                  fetched_at=datetime.now(UTC).replace(tzinfo=None)))
    return pages


def extract(pages: list[Page], settings: Settings) -> tuple[list[ArticleRecord], float]:
    """Records of the pages that hold an article, and the extraction seconds."""
    records, t0 = [], time.perf_counter()
    for page in pages:
        try:
            article = extract_article(decode_html(page.body, page.content_type), page.url, settings.extraction)
        except ExtractionError:
            continue
        records.append(ArticleRecord(page.url, page.url, page.url, page_id(page), page.source, article, text_hash(article.text)))
    return records, time.perf_counter() - t0


def enrich(records: list[ArticleRecord], settings: Settings) -> float:
    """Annotate the records with spaCy; return the seconds (the model load excluded)."""
    list(annotate_texts(["Warm-up sentence by Jane Doe."], settings.nlp, settings.entities))
    t0 = time.perf_counter()
    for record, annotation in zip(records, annotate_texts((r.article.text for r in records), settings.nlp,
                                                          settings.entities), strict=True):
        record.annotation = annotation
    return time.perf_counter() - t0


def batch_of(records: list[ArticleRecord], pages: list[Page], rows: int) -> tuple[list[ArticleRecord], list[Page]]:
    """`rows` records (and their pages), repeating the demo's with fresh URLs and text hashes."""
    out, out_pages = [], []
    for i in range(rows):
        r, p = records[i % len(records)], pages[i % len(records)]
        url = f"{r.url}?copy={i}"
        out.append(replace(r, article_id=f"a{i}", url=url, page_url=url, text_hash=f"{r.text_hash}-{i}"))
        out_pages.append(replace(p, url=url))
    return out, out_pages


def validate(records: list[ArticleRecord], pages: list[Page], settings: Settings) -> float:
    """Seconds for everything a batch validates."""
    t0 = time.perf_counter()
    kept, rejected, _ = check_articles(records, settings.quality, "bench")
    flawed, _ = check_annotations(kept, "bench")
    check_tables(LoadBatch("bench", pages=pages, articles=kept, rejections=rejected + flawed))
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    settings = Settings()
    pages = demo_pages(args.seed)
    records, extract_s = extract(pages, settings)
    by_url = {p.url: p for p in pages}
    enrich_s = enrich(records, settings)
    per_article = (extract_s + enrich_s) / len(records)
    batch, batch_pages = batch_of(records, [by_url[r.url] for r in records], args.rows)
    first = validate(batch, batch_pages, settings)
    steady = statistics.median(validate(batch, batch_pages, settings) for _ in range(3))
    work = per_article * args.rows
    print(f"demo site seed {args.seed}: {len(records)} articles from {len(pages)} pages")
    print(f"{'step':<38}{'seconds':>10}{'ms/article':>12}")
    print(f"{'extraction':<38}{extract_s:>10.2f}{1000 * extract_s / len(records):>12.1f}")
    print(f"{'enrichment (spaCy, entities, quotes)':<38}{enrich_s:>10.2f}{1000 * enrich_s / len(records):>12.1f}")
    print(f"{f'batch of {args.rows}: extraction + enrichment':<38}{work:>10.1f}{1000 * per_article:>12.1f}")
    print(f"{f'batch of {args.rows}: validation, first':<38}{first:>10.2f}{1000 * first / args.rows:>12.2f}")
    print(f"{f'batch of {args.rows}: validation, steady':<38}{steady:>10.2f}{1000 * steady / args.rows:>12.2f}")
    print(f"validation adds {100 * steady / work:.1f}% to the batch ({100 * first / work:.1f}% for the first batch "
          f"of a process, which builds the suites); the target is under 10%")


if __name__ == "__main__":
    main()
