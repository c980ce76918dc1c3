"""The loader: row builders per table (columns and types from warehouse/contracts.py), one transaction
per batch, Arrow tables in, idempotent upserts."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from transforms.dedup import Merge
from transforms.entity_linking import KnownEntity, link_annotations
from transforms.ids import entity_id, page_id
from transforms.models import (
    Annotation,
    ArticleRecord,
    Attribution,
    DiscoveredUrl,
    Duplicate,
    ExtractedArticle,
    Mention,
    Page,
    Rejection,
)
from warehouse.contracts import (
    ARTICLE_FINGERPRINTS,
    ARTICLES,
    ATTRIBUTIONS,
    CLUSTER_MERGES,
    DISCOVERED_URLS,
    DUPLICATES,
    MENTIONS,
    PAGES,
    QUARANTINE,
    SOURCES,
    VALIDATIONS,
)
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
    # Stored story clusters this batch folds into another (transforms.dedup.cluster_batch), applied in its transaction.
    merges: list[Merge] = field(default_factory=list)
    # One row per suite run on this batch: the columns of the validations table but validated_at.
    validations: list[dict] = field(default_factory=list)


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
                "metadata_source": json.dumps(a.metadata_source, sort_keys=True) if a.metadata_source else None,
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
                    "label": m.label, "canonical": canonical, "entity_id": entity_id(canonical),
                    "sentence": m.sentence, "in_lead": m.in_lead, "title": m.title,
                    "article_canonical": m.article_canonical or canonical, "article_label": m.label,
                }
            )
        named = {m.canonical for m in r.annotation.mentions if m.canonical}
        for seq, t in enumerate(r.annotation.attributions):
            ent = t.speaker_entity
            attributions.append(
                {
                    "article_id": r.article_id, "seq": seq, "kind": t.kind, "speaker": t.speaker,
                    "speaker_start": t.speaker_start, "speaker_end": t.speaker_end, "speaker_entity": ent,
                    "entity_id": entity_id(ent) if ent and ent in named else None,
                    "cue": t.cue, "cue_start": t.cue_start, "cue_end": t.cue_end, "content": t.content,
                    "content_start": t.content_start, "content_end": t.content_end, "anonymous": t.anonymous,
                    "speaker_type": t.speaker_type, "speaker_name": t.speaker_name,
                    "statement": seq if t.statement is None else t.statement, "negated": t.negated,
                    "aside_start": t.aside_start, "aside_end": t.aside_end,
                }
            )
    return mentions, attributions


def _refused_metadata(meta: ExtractedArticle | None) -> dict:
    """The quarantine columns of a page refused as an article: the metadata read from it, else NULLs."""
    if meta is None:
        return {"title": None, "authors": None, "published": None, "language": None}
    return {"title": meta.title, "authors": meta.authors, "published": meta.published, "language": meta.language}


# The Arrow tables one batch writes, by the name warehouse/queries/load_batch.sql reads them under.
BatchTables = dict[str, pa.Table]


def batch_tables(batch: LoadBatch, bodies: bool = True,
                 annotations: tuple[list[dict], list[dict]] | None = None) -> BatchTables:
    """The rows one batch writes, as Arrow tables of each table's contract, named batch_<table>.

    bodies=False leaves body_gzip empty (validation alone reads every other column and skips the
    compression); `annotations` are the batch's (mentions, attributions) rows when already built.
    """
    ts = now()
    mentions, attributions = annotations if annotations is not None else annotation_rows(batch.articles)
    rows = [
        (SOURCES, [{"name": s["name"], "title": s.get("title"), "config": json.dumps(s["config"]), "updated_at": ts}
                  for s in batch.sources]),
        (DISCOVERED_URLS, [
            {"url": d.url, "source": d.source, "via": d.via, "robots_allowed": d.allowed,
             "reason": d.reason, "first_seen": ts, "last_seen": ts}
            for d in batch.discovered
        ]),
        (PAGES, _page_rows(batch.pages, bodies)),
        (ARTICLES, _article_rows(batch.articles, batch.run_id, ts)),
        (ARTICLE_FINGERPRINTS, [{"article_id": r.article_id, "text_hash": r.text_hash, "title_key": r.title_key,
                                "minhash": r.signature, "text_chars": len(r.article.text)} for r in batch.articles]),
        (DUPLICATES, [{"url": d.url, "article_id": d.article_id, "duplicate_of": d.duplicate_of,
                      "cluster_id": d.cluster_id, "layer": d.layer, "similarity": d.similarity, "detected_at": ts}
                     for d in batch.duplicates]),
        (QUARANTINE, [{"url": q.url, "rule": q.rule, "page_id": q.page_id, "source": q.source, "stage": q.stage,
                      "severity": q.severity, "detail": q.detail, "value": q.value, "quarantined_at": ts,
                      "run_id": batch.run_id, **_refused_metadata(q.meta)} for q in batch.rejections]),
        (MENTIONS, mentions),
        (ATTRIBUTIONS, attributions),
    ]
    tables = {contract.batch: contract.arrow(table_rows) for contract, table_rows in rows}
    return tables | merges_table(batch.merges, batch.run_id, ts) | validations_table(batch.validations, ts)


def merges_table(merges: list[Merge], run_id: str, merged_at: datetime | None = None) -> BatchTables:
    """The batch table of the stored clusters a batch folds into another (read by load_batch.sql)."""
    ts = merged_at or now()
    return {CLUSTER_MERGES.batch: CLUSTER_MERGES.arrow([
        {"cluster_id": m.cluster, "into_cluster": m.into, "layer": m.layer, "similarity": m.similarity,
         "merged_at": ts, "run_id": run_id} for m in merges])}


def validations_table(validations: list[dict], validated_at: datetime | None = None) -> BatchTables:
    """The batch table of the validations rows (the table's columns but validated_at)."""
    ts = validated_at or now()
    return {VALIDATIONS.batch: VALIDATIONS.arrow([{**v, "validated_at": ts} for v in validations])}


def known_entities(con: duckdb.DuckDBPyConnection) -> list[KnownEntity]:
    """The stored entities, for transforms.entity_linking to decide which a batch's names join."""
    rows = con.execute(load_sql("known_entities")).fetchall()
    return [KnownEntity(canonical, label, tuple(aliases or ()), count) for canonical, label, aliases, count in rows]


def link_to_stored(con: duckdb.DuckDBPyConnection, tables: BatchTables) -> BatchTables:
    """The tables with the batch's entity names linked across its articles and to the stored entities.

    Each mention's article_canonical (the article's own name) is linked: a batch loaded again, or
    kept as a part and loaded later, links the same way against what is stored then; stored
    entities are never renamed. Speakers follow their entity.
    """
    mentions = tables.get(MENTIONS.batch)
    if mentions is None or mentions.num_rows == 0:
        return tables
    rows = mentions.to_pylist()
    attributions = tables.get(ATTRIBUTIONS.batch)
    speakers = attributions.to_pylist() if attributions is not None else []
    # The rows as the annotations they came from, linked by transforms.entity_linking.link_annotations.
    by_article: dict[str, Annotation] = defaultdict(Annotation)
    for row in rows:  # parts kept before migration 014 have no article_label: their label is still the article's
        row["article_label"] = row.get("article_label") or row["label"]
    found = [Mention(row["text"], row["article_label"], row["start_char"], row["end_char"], canonical=row["canonical"],
                     article_canonical=row.get("article_canonical")) for row in rows]
    said = [Attribution(row["kind"], speaker_entity=row["speaker_entity"], speaker_name=row["speaker_name"])
            for row in speakers]
    for row, m in zip(rows, found, strict=True):
        by_article[row["article_id"]].mentions.append(m)
    for row, a in zip(speakers, said, strict=True):
        by_article[row["article_id"]].attributions.append(a)
    links = link_annotations(list(by_article.values()), known_entities(con))
    for row, m in zip(rows, found, strict=True):
        row["canonical"], row["label"], row["article_canonical"] = m.canonical, m.label, m.article_canonical
        row["entity_id"] = entity_id(m.canonical)
    for row, a in zip(speakers, said, strict=True):
        if row["speaker_entity"] in links:
            row["entity_id"] = entity_id(links[row["speaker_entity"]][0])
        row["speaker_entity"], row["speaker_name"] = a.speaker_entity, a.speaker_name
    linked = {**tables, MENTIONS.batch: MENTIONS.arrow(rows)}
    if speakers:
        linked[ATTRIBUTIONS.batch] = ATTRIBUTIONS.arrow(speakers)
    return linked


def refresh_repeats(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute which copies' attributions repeat their story, for every story (a load does its own)."""
    con.execute(load_sql("touch_all_stories"))
    con.execute(load_sql("repeated_attributions"))


def load_batch(con: duckdb.DuckDBPyConnection, batch: LoadBatch | BatchTables) -> dict[str, int]:
    """Write one batch (or its tables, built once by batch_tables) in one transaction; rerunning it changes no row counts.

    The stored story clusters the batch folds (batch_merges) are joined in the same transaction.
    """
    tables = batch_tables(batch) if isinstance(batch, LoadBatch) else batch
    # Parts kept before migration 011 have no merges table: load_batch.sql reads an empty one.
    tables = merges_table([], "") | tables
    con.execute("BEGIN TRANSACTION")
    try:
        # Inside the transaction: the entities read are the ones this batch's rows will join.
        tables = link_to_stored(con, tables)
        for name, table in tables.items():
            con.register(name, table)
        con.execute(load_sql("load_batch"))
        con.execute(load_sql("repeated_attributions"))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            con.unregister(name)
    return {name.removeprefix("batch_"): table.num_rows for name, table in tables.items()}
