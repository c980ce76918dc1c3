"""The loader: one transaction per batch, Arrow tables in, idempotent upserts."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from transforms.ids import entity_id, page_id
from transforms.models import ArticleRecord, DiscoveredUrl, Duplicate, Page, Rejection
from warehouse.db import load_sql


def now() -> datetime:
    """UTC now without tzinfo, as stored in TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class LoadBatch:
    """Everything one batch writes."""

    run_id: str
    sources: list[dict] = field(default_factory=list)  # {"name", "title", "config"}
    discovered: list[DiscoveredUrl] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # One row per suite run on this batch: the columns of the validations table but validated_at.
    validations: list[dict] = field(default_factory=list)


def _arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


PAGES = pa.schema(
    [
        ("page_id", pa.string()), ("url", pa.string()), ("source", pa.string()), ("final_url", pa.string()),
        ("status", pa.int32()), ("content_type", pa.string()), ("error", pa.string()), ("attempts", pa.int32()),
        ("elapsed_ms", pa.int32()), ("etag", pa.string()), ("last_modified", pa.string()),
        ("body_bytes", pa.int32()), ("body_gzip", pa.binary()), ("first_fetched_at", pa.timestamp("us")),
        ("fetched_at", pa.timestamp("us")), ("fetch_count", pa.int32()), ("headers", pa.string()),
    ]
)
ARTICLES = pa.schema(
    [
        ("article_id", pa.string()), ("url", pa.string()), ("page_url", pa.string()), ("page_id", pa.string()),
        ("source", pa.string()), ("title", pa.string()), ("authors", pa.list_(pa.string())),
        ("published", pa.date32()), ("modified", pa.date32()), ("sitename", pa.string()),
        ("language", pa.string()), ("description", pa.string()), ("section", pa.string()),
        ("tags", pa.list_(pa.string())), ("image", pa.string()), ("text", pa.string()),
        ("text_hash", pa.string()), ("word_count", pa.int32()), ("cluster_id", pa.string()),
        ("is_canonical", pa.bool_()), ("enriched", pa.bool_()), ("loaded_at", pa.timestamp("us")),
        ("run_id", pa.string()),
    ]
)
MENTIONS = pa.schema(
    [
        ("article_id", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()), ("text", pa.string()),
        ("label", pa.string()), ("canonical", pa.string()), ("entity_id", pa.string()),
        ("sentence", pa.int32()), ("in_lead", pa.bool_()), ("title", pa.string()),
    ]
)
ATTRIBUTIONS = pa.schema(
    [
        ("article_id", pa.string()), ("seq", pa.int32()), ("kind", pa.string()), ("speaker", pa.string()),
        ("speaker_start", pa.int32()), ("speaker_end", pa.int32()), ("speaker_entity", pa.string()),
        ("entity_id", pa.string()), ("cue", pa.string()), ("cue_start", pa.int32()), ("cue_end", pa.int32()),
        ("content", pa.string()), ("content_start", pa.int32()), ("content_end", pa.int32()),
        ("anonymous", pa.bool_()), ("speaker_type", pa.string()), ("speaker_name", pa.string()),
    ]
)

VALIDATIONS = pa.schema(
    [
        ("run_id", pa.string()), ("batch", pa.int32()), ("suite", pa.string()), ("evaluated", pa.int32()),
        ("failed_rows", pa.int32()), ("warned_rows", pa.int32()), ("pass_rate", pa.float64()),
        ("success", pa.bool_()), ("failures", pa.string()), ("validated_at", pa.timestamp("us")),
    ]
)


def _page_rows(pages: list[Page], bodies: bool = True) -> list[dict]:
    return [
        {
            "page_id": page_id(p), "url": p.url, "source": p.source, "final_url": p.final_url,
            "status": p.status, "content_type": p.content_type, "error": p.error, "attempts": p.attempts,
            "elapsed_ms": p.elapsed_ms, "etag": p.etag, "last_modified": p.last_modified,
            "body_bytes": len(p.body) if p.body is not None else None,
            "body_gzip": gzip.compress(p.body, compresslevel=6, mtime=0) if bodies and p.body is not None else None,
            "first_fetched_at": p.fetched_at, "fetched_at": p.fetched_at, "fetch_count": 1,
            "headers": json.dumps(p.headers, sort_keys=True) if p.headers else None,
        }
        for p in pages
    ]


def _article_rows(records: list[ArticleRecord], run_id: str, loaded_at: datetime) -> list[dict]:
    rows = []
    for r in records:
        a = r.article
        rows.append(
            {
                "article_id": r.article_id, "url": r.url, "page_url": r.page_url, "page_id": r.page_id,
                "source": r.source, "title": a.title, "authors": a.authors, "published": a.published,
                "modified": a.modified, "sitename": a.sitename, "language": a.language,
                "description": a.description, "section": a.section, "tags": a.tags, "image": a.image,
                "text": a.text, "text_hash": r.text_hash, "word_count": len(a.text.split()),
                "cluster_id": r.cluster_id or r.article_id, "is_canonical": r.is_canonical,
                "enriched": r.annotation is not None, "loaded_at": loaded_at, "run_id": run_id,
            }
        )
    return rows


def annotation_rows(records: list[ArticleRecord]) -> tuple[list[dict], list[dict]]:
    """The mentions and attributions rows of the enriched records (mentions at the same offsets once)."""
    mentions, attributions = [], []
    for r in records:
        if r.annotation is None:
            continue
        seen = set()
        for m in r.annotation.mentions:
            if (m.start, m.end) in seen:
                continue
            seen.add((m.start, m.end))
            canonical = m.canonical or m.text
            mentions.append(
                {
                    "article_id": r.article_id, "start_char": m.start, "end_char": m.end, "text": m.text,
                    "label": m.label, "canonical": canonical, "entity_id": entity_id(canonical, m.label),
                    "sentence": m.sentence, "in_lead": m.in_lead, "title": m.title,
                }
            )
        labels = {m.canonical: m.label for m in r.annotation.mentions if m.canonical}
        for seq, t in enumerate(r.annotation.attributions):
            ent = t.speaker_entity
            attributions.append(
                {
                    "article_id": r.article_id, "seq": seq, "kind": t.kind, "speaker": t.speaker,
                    "speaker_start": t.speaker_start, "speaker_end": t.speaker_end, "speaker_entity": ent,
                    "entity_id": entity_id(ent, labels[ent]) if ent and ent in labels else None,
                    "cue": t.cue, "cue_start": t.cue_start, "cue_end": t.cue_end, "content": t.content,
                    "content_start": t.content_start, "content_end": t.content_end, "anonymous": t.anonymous,
                    "speaker_type": t.speaker_type, "speaker_name": t.speaker_name,
                }
            )
    return mentions, attributions


def batch_tables(batch: LoadBatch, bodies: bool = True) -> dict[str, pa.Table]:
    """The rows one batch writes, as Arrow tables named batch_<table> (what the load SQL reads).

    bodies=False leaves body_gzip empty: validation reads every other column and skips the compression.
    """
    ts = now()
    mentions, attributions = annotation_rows(batch.articles)
    return {
        "batch_sources": _arrow(
            [{"name": s["name"], "title": s.get("title"), "config": json.dumps(s["config"]), "updated_at": ts}
             for s in batch.sources],
            pa.schema([("name", pa.string()), ("title", pa.string()), ("config", pa.string()),
                       ("updated_at", pa.timestamp("us"))]),
        ),
        "batch_discovered": _arrow(
            [
                {"url": d.url, "source": d.source, "via": d.via, "robots_allowed": d.allowed,
                 "reason": d.reason, "first_seen": ts, "last_seen": ts}
                for d in batch.discovered
            ],
            pa.schema([("url", pa.string()), ("source", pa.string()), ("via", pa.string()),
                       ("robots_allowed", pa.bool_()), ("reason", pa.string()), ("first_seen", pa.timestamp("us")),
                       ("last_seen", pa.timestamp("us"))]),
        ),
        "batch_pages": _arrow(_page_rows(batch.pages, bodies), PAGES),
        "batch_articles": _arrow(_article_rows(batch.articles, batch.run_id, ts), ARTICLES),
        "batch_fingerprints": _arrow(
            [{"article_id": r.article_id, "text_hash": r.text_hash, "title_key": r.title_key,
              "minhash": r.signature} for r in batch.articles],
            pa.schema([("article_id", pa.string()), ("text_hash", pa.string()), ("title_key", pa.string()),
                       ("minhash", pa.binary())]),
        ),
        "batch_duplicates": _arrow(
            [{"url": d.url, "article_id": d.article_id, "duplicate_of": d.duplicate_of,
              "cluster_id": d.cluster_id, "layer": d.layer, "similarity": d.similarity, "detected_at": ts}
             for d in batch.duplicates],
            pa.schema([("url", pa.string()), ("article_id", pa.string()), ("duplicate_of", pa.string()),
                       ("cluster_id", pa.string()), ("layer", pa.string()), ("similarity", pa.float64()),
                       ("detected_at", pa.timestamp("us"))]),
        ),
        "batch_quarantine": _arrow(
            [{"url": q.url, "rule": q.rule, "page_id": q.page_id, "source": q.source, "stage": q.stage,
              "severity": q.severity, "detail": q.detail, "value": q.value, "quarantined_at": ts,
              "run_id": batch.run_id} for q in batch.rejections],
            pa.schema([("url", pa.string()), ("rule", pa.string()), ("page_id", pa.string()),
                       ("source", pa.string()), ("stage", pa.string()), ("severity", pa.string()),
                       ("detail", pa.string()), ("value", pa.string()), ("quarantined_at", pa.timestamp("us")),
                       ("run_id", pa.string())]),
        ),
        "batch_mentions": _arrow(mentions, MENTIONS),
        "batch_attributions": _arrow(attributions, ATTRIBUTIONS),
        "batch_validations": _arrow([{**v, "validated_at": ts} for v in batch.validations], VALIDATIONS),
    }


def load_batch(con: duckdb.DuckDBPyConnection, batch: LoadBatch) -> dict[str, int]:
    """Write one batch in one transaction; rerunning the same batch changes no row counts."""
    tables = batch_tables(batch)
    con.execute("BEGIN TRANSACTION")
    try:
        for name, table in tables.items():
            con.register(name, table)
        con.execute(load_sql("load_batch"))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            con.unregister(name)
    return {name.removeprefix("batch_"): table.num_rows for name, table in tables.items()}
