"""Data quality in the flow: suites per batch, quarantine verdicts, the failure-rate gate, Data Docs,
and the listing `newsetl quarantine` prints."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from expectations.annotations import PARTS, annotation_frame, attributions_suite, mentions_suite
from expectations.articles import ArticleLimits, validate_articles_frame
from expectations.tables import TABLE_SUITES, entities_suite
from expectations.validate import SuiteResult, build_data_docs, run_suite
from flows.settings import QualityConfig
from transforms.config import ExtractionConfig
from transforms.models import ArticleRecord, Page, Rejection
from warehouse import store
from warehouse.contracts import CONTRACTS
from warehouse.db import connect
from warehouse.loader import BatchTables, LoadBatch, annotation_rows, batch_tables, load_batch

# The batch number of validations that concern the run rather than one batch of pages: the
# sources and URLs discovery found, and the entities after all loads.
RUN_LEVEL = -1


class QualityError(RuntimeError):
    """More rows of one source failed a stage than QualityConfig.max_failure_rate allows."""


@dataclass
class Check:
    """One suite run on one batch, with the source of each row (None: the suite only warns)."""

    stage: str
    result: SuiteResult
    sources: list[str] | None = None


def _rejections(result: SuiteResult, stage: str, rows: list[ArticleRecord]) -> list[Rejection]:
    """One quarantine row per row and rule broken at error severity; rows[i] is the article of row i."""
    seen, out = set(), []
    for f in result.failures:
        record = rows[f.row]
        if f.severity != "error" or (record.page_url, f.rule) in seen:
            continue
        seen.add((record.page_url, f.rule))
        out.append(Rejection(record.page_url, record.source, f.rule, stage, f.detail, f.value, record.page_id))
    return out


def article_limits(config: QualityConfig, min_text_chars: int) -> ArticleLimits:
    """The articles suite's thresholds: the quality settings, and the shortest body the extractor accepts."""
    return ArticleLimits(min_text_chars, config.max_text_chars, config.max_title_chars,
                         config.earliest_published)


def check_articles(records: list[ArticleRecord], config: QualityConfig, run_id: str | None = None,
                   min_text_chars: int = ExtractionConfig().min_text_chars,
                   ) -> tuple[list[ArticleRecord], list[Rejection], Check]:
    """Run the articles suite: articles breaking an error rule are quarantined and left out of the rest."""
    result = validate_articles_frame(records, article_limits(config, min_text_chars), run_id)
    bad = result.failed_rows("error")
    kept = [r for i, r in enumerate(records) if i not in bad]
    return kept, _rejections(result, "validate", records), Check("validate", result, [r.source for r in records])


def check_annotations(records: list[ArticleRecord], run_id: str | None = None) -> tuple[list[Rejection], list[Check]]:
    """Run the mentions and attributions suites; rows breaking an error rule are dropped from the annotations."""
    rejections, checks, _ = check_annotation_rows(records, annotation_rows(records), run_id)
    return rejections, checks


Rows = tuple[list[dict], list[dict]]  # a batch's (mentions, attributions) rows, as warehouse/loader.py builds them


def check_annotation_rows(records: list[ArticleRecord], rows: Rows,
                          run_id: str | None = None) -> tuple[list[Rejection], list[Check], Rows]:
    """Run the mentions and attributions suites on the rows of `records`; return the rows kept too.

    Rows breaking an error rule are dropped from the records' annotations and from the rows returned,
    so the loader writes the rows validated here without building them again.
    """
    mentions, attributions = rows
    by_id = {r.article_id: r for r in records}
    texts = {r.article_id: r.article.text for r in records}
    articles = {("article_id", "articles"): set(by_id)}
    mention_result = run_suite("mentions", mentions_suite, (), annotation_frame(mentions, texts, ("text",), articles),
                               run_name=run_id)
    entities = {("entity_id", "entities"): {m["entity_id"] for m in mentions}}
    attribution_result = run_suite("attributions", attributions_suite, (),
                                   annotation_frame(attributions, texts, PARTS, articles | entities), run_name=run_id)
    bad_mention_rows, bad_attribution_rows = mention_result.failed_rows("error"), attribution_result.failed_rows("error")
    bad_mentions = {(mentions[i]["article_id"], mentions[i]["start_char"], mentions[i]["end_char"])
                    for i in bad_mention_rows}
    bad_attributions = {(attributions[i]["article_id"], attributions[i]["seq"]) for i in bad_attribution_rows}
    for r in records:
        if r.annotation is None:
            continue
        r.annotation.mentions = [m for m in r.annotation.mentions if (r.article_id, m.start, m.end) not in bad_mentions]
        r.annotation.attributions = [t for seq, t in enumerate(r.annotation.attributions)
                                     if (r.article_id, seq) not in bad_attributions]
    mention_rows = [by_id.get(m["article_id"]) for m in mentions]
    attribution_rows = [by_id.get(t["article_id"]) for t in attributions]
    # A row whose article is not in the batch broke the relationship rule; it has no page to quarantine.
    rejections = _rejections(_known(mention_result, mention_rows), "enrich", mention_rows)
    rejections += _rejections(_known(attribution_result, attribution_rows), "enrich", attribution_rows)
    checks = [
        Check("enrich", mention_result, [r.source if r else "" for r in mention_rows]),
        Check("enrich", attribution_result, [r.source if r else "" for r in attribution_rows]),
    ]
    kept = ([m for i, m in enumerate(mentions) if i not in bad_mention_rows],
            [t for i, t in enumerate(attributions) if i not in bad_attribution_rows])
    return rejections, checks, kept


def _known(result: SuiteResult, rows: list) -> SuiteResult:
    return SuiteResult(result.suite, result.evaluated, [f for f in result.failures if rows[f.row] is not None])


def _frame(table: pa.Table) -> pd.DataFrame:
    # No suite reads bytes: the page bodies stay out of pandas.
    frame = table.drop_columns([f.name for f in table.schema if pa.types.is_binary(f.type)]).to_pandas()
    if "content_type" in frame:  # pages: the media type without parameters (charset)
        # As strings: in a batch whose fetches all failed every content type is None, and pandas
        # then types the column as float, which has no .str (the run crashed in stage validate).
        frame["mime"] = frame["content_type"].astype("string").str.split(";").str[0].str.strip().str.lower()
    return frame


def check_tables(batch: LoadBatch | BatchTables, run_id: str | None = None) -> list[Check]:
    """Run the warn-only suites on the sources, discovered_urls, pages, duplicates and quarantine rows of a batch.

    Given the batch's tables (batch_tables), the suites read the very tables the loader writes.
    """
    if isinstance(batch, LoadBatch):
        batch, run_id = batch_tables(batch, bodies=False), batch.run_id
    checks = []
    for table, builder in TABLE_SUITES.items():
        rows = batch[CONTRACTS[table].batch]
        if rows.num_rows:
            checks.append(Check("load", run_suite(table, builder, (), _frame(rows), run_name=run_id)))
    return checks


def check_entities(db_path: Path, run_id: str) -> Check:
    """Run the entities suite over the entities the run's articles mention, after the run's loads."""
    with connect(db_path, read_only=True) as con:
        frame = store.entities_to_validate(con, run_id)
    return Check("load", run_suite("entities", entities_suite, (), frame, run_name=run_id))


def validation_rows(run_id: str, batch: int, checks: list[Check]) -> list[dict]:
    """Rows of the validations table: pass rate and failures per rule of each suite run."""
    rows = []
    for check in checks:
        r = check.result
        failed = r.failed_rows("error")
        rows.append({
            "run_id": run_id, "batch": batch, "suite": r.suite, "evaluated": r.evaluated,
            "failed_rows": len(failed), "warned_rows": len(r.failed_rows("warn") - failed),
            "pass_rate": 1 - len(failed) / r.evaluated if r.evaluated else 1.0,
            "success": r.success, "failures": json.dumps(r.counts()),
        })
    return rows


def breaches(pages: list[Page], rejections: list[Rejection], checks: list[Check], config: QualityConfig) -> list[str]:
    """One line per source and stage of a batch whose failure rate passes max_failure_rate."""
    evaluated: Counter = Counter()
    failed: dict[tuple[str, str], set] = defaultdict(set)
    rules: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for p in pages:
        if p.error is None and p.status == 200:
            evaluated[p.source, "extract"] += 1
    for r in rejections:
        if r.stage == "extract":
            failed[r.source, "extract"].add(r.url)
            rules[r.source, "extract"][r.rule] += 1
    for check in checks:
        if check.sources is None:
            continue
        name = f"{check.stage} ({check.result.suite})"
        evaluated.update((source, name) for source in check.sources)
        for f in check.result.failures:
            if f.severity == "error":
                failed[check.sources[f.row], name].add(f.row)
                rules[check.sources[f.row], name][f.rule] += 1
    lines = []
    for (source, stage), n in sorted(evaluated.items()):
        bad = len(failed[source, stage])
        if n >= config.min_batch_rows and bad / n > config.max_failure_rate:
            top = ", ".join(f"{rule} {count}" for rule, count in rules[source, stage].most_common(3))
            lines.append(f"source {source}, stage {stage}: {bad} of {n} rows failed ({bad / n:.0%} > "
                         f"{config.max_failure_rate:.0%}; {top}); has the site changed its layout?")
    return lines


def docs_dir(db_path: Path) -> Path:
    """Where a warehouse's Data Docs live: data_docs/<database name> beside the database file."""
    # One folder per database: two warehouses kept in one folder would otherwise overwrite each other's pages.
    return Path(db_path).parent / "data_docs" / Path(db_path).stem


def finish_run(db_path: Path, run_id: str) -> Path:
    """Validate the run's entities, record it, and build Data Docs once; return the index page."""
    check = check_entities(db_path, run_id)
    rows = validation_rows(run_id, RUN_LEVEL, [check])
    with connect(db_path) as con:
        load_batch(con, LoadBatch(run_id, validations=rows))
    return build_data_docs(docs_dir(db_path))


# The columns of the quarantine listing that fit a terminal: what is wrong with which page, and what the
# page was ("page": a refused article's title and date in one cell, empty for other rejections).
BRIEF = ("url", "state", "stage", "rule", "detail", "value", "page")


def page_label(title: str | None, published) -> str | None:
    """A refused page's title and date as one cell: "Pier closed today (2024-03-04)"; None when neither is known."""
    parts = [title or "", f"({published.isoformat()})" if published else ""]
    return " ".join(p for p in parts if p) or None


def quarantine_rows(con, rule: str | None = None, source: str | None = None,
                    brief: bool = False) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the quarantine listing: one row per page and rule broken."""
    columns, rows = store.quarantine_list(con, rule, source)
    if not brief:
        return columns, rows
    named = [dict(zip(columns, row, strict=True)) for row in rows]
    for row in named:
        row["page"] = page_label(row["title"], row["published"])
    return list(BRIEF), [tuple(row[c] for c in BRIEF) for row in named]
