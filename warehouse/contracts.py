"""One contract per warehouse table: its columns and their Arrow types, written once.

The loader builds each batch's Arrow tables with these schemas (warehouse/loader.py), the table
suites validate those very tables (expectations/tables.py), and tests/test_contracts.py fails when
the migrated warehouse's columns or types disagree with a contract.

Adding a column to a table: a migration (warehouse/migrations/NNN_*.sql, ALTER TABLE ... ADD COLUMN),
the column in that table's contract below, and its value in the table's row builder (warehouse/loader.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

# Arrow has no JSON type: JSON columns travel as strings and are marked so the test expects JSON in DuckDB.
JSON = {b"sql_type": b"JSON"}


def json_field(name: str) -> pa.Field:
    """A JSON column: a string in Arrow, JSON in the warehouse."""
    return pa.field(name, pa.string(), metadata=JSON)


# DuckDB's name for each Arrow type the contracts use.
SQL_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE",
             pa.timestamp("us"): "TIMESTAMP", pa.date32(): "DATE", pa.binary(): "BLOB", pa.list_(pa.string()): "VARCHAR[]"}


def sql_type(f: pa.Field) -> str:
    """The warehouse type a contract field stands for."""
    return "JSON" if f.metadata == JSON else SQL_TYPES[f.type]


class ContractError(ValueError):
    """Rows built for a table do not have the table's columns."""


@dataclass(frozen=True)
class Contract:
    """A warehouse table's columns and types; `batch` names its Arrow table in warehouse/queries/load_batch.sql."""

    table: str
    schema: pa.Schema
    batch: str | None = None  # None: the table is not loaded from batch rows (entities, runs)

    @property
    def columns(self) -> list[str]:
        """Column names, in the loader's order."""
        return self.schema.names

    def arrow(self, rows: list[dict]) -> pa.Table:
        """The rows as an Arrow table of this contract; the first row's keys must be the columns exactly."""
        if rows and rows[0].keys() != set(self.schema.names):
            # One row checked, not every row: the rows of a table come from one builder.
            missing, extra = set(self.schema.names) - rows[0].keys(), rows[0].keys() - set(self.schema.names)
            raise ContractError(f"{self.table}: rows lack {sorted(missing)}, have unknown {sorted(extra)}")
        return pa.Table.from_pylist(rows, schema=self.schema)


def _contract(table: str, batch: str | None, *fields: tuple[str, pa.DataType] | pa.Field) -> Contract:
    return Contract(table, pa.schema([f if isinstance(f, pa.Field) else pa.field(*f) for f in fields]), batch)


TEXT, INT, BOOL, TS = pa.string(), pa.int32(), pa.bool_(), pa.timestamp("us")

SOURCES = _contract("sources", "batch_sources", ("name", TEXT), ("title", TEXT), json_field("config"),
                    ("updated_at", TS))
DISCOVERED_URLS = _contract(
    "discovered_urls", "batch_discovered",
    ("url", TEXT), ("source", TEXT), ("via", TEXT), ("robots_allowed", BOOL), ("reason", TEXT),
    ("first_seen", TS), ("last_seen", TS),
)
PAGES = _contract(
    "pages", "batch_pages",
    ("page_id", TEXT), ("url", TEXT), ("source", TEXT), ("final_url", TEXT), ("status", INT),
    ("content_type", TEXT), ("error", TEXT), ("attempts", INT), ("elapsed_ms", INT), ("etag", TEXT),
    ("last_modified", TEXT), ("body_bytes", INT), ("body_gzip", pa.binary()), ("first_fetched_at", TS),
    ("fetched_at", TS), ("fetch_count", INT), json_field("headers"),
)
ARTICLES = _contract(
    "articles", "batch_articles",
    ("article_id", TEXT), ("url", TEXT), ("page_url", TEXT), ("page_id", TEXT), ("source", TEXT), ("title", TEXT),
    ("authors", pa.list_(TEXT)), ("published", pa.date32()), ("modified", pa.date32()), ("sitename", TEXT),
    ("language", TEXT), ("description", TEXT), ("section", TEXT), ("tags", pa.list_(TEXT)), ("image", TEXT),
    ("text", TEXT), ("text_hash", TEXT), ("word_count", INT), ("cluster_id", TEXT), ("is_canonical", BOOL),
    ("enriched", BOOL), ("loaded_at", TS), ("run_id", TEXT), json_field("metadata_source"),
)
ARTICLE_FINGERPRINTS = _contract(
    "article_fingerprints", "batch_fingerprints",
    ("article_id", TEXT), ("text_hash", TEXT), ("title_key", TEXT), ("minhash", pa.binary()),
    ("text_chars", INT),  # migration 011 (issue 16)
)
DUPLICATES = _contract(
    "duplicates", "batch_duplicates",
    ("url", TEXT), ("article_id", TEXT), ("duplicate_of", TEXT), ("cluster_id", TEXT), ("layer", TEXT),
    ("similarity", pa.float64()), ("detected_at", TS),
)
CLUSTER_MERGES = _contract(  # migration 011 (issue 16): read by load_batch.sql to fold stored clusters
    "cluster_merges", "batch_merges",
    ("cluster_id", TEXT), ("into_cluster", TEXT), ("layer", TEXT), ("similarity", pa.float64()), ("merged_at", TS),
    ("run_id", TEXT),
)
QUARANTINE = _contract(
    "quarantine", "batch_quarantine",
    ("url", TEXT), ("rule", TEXT), ("page_id", TEXT), ("source", TEXT), ("stage", TEXT), ("severity", TEXT),
    ("detail", TEXT), ("value", TEXT), ("quarantined_at", TS), ("run_id", TEXT),
    ("title", TEXT), ("authors", pa.list_(TEXT)), ("published", pa.date32()), ("language", TEXT),  # migration 013
)
MENTIONS = _contract(
    "mentions", "batch_mentions",
    ("article_id", TEXT), ("start_char", INT), ("end_char", INT), ("text", TEXT), ("label", TEXT),
    ("canonical", TEXT), ("entity_id", TEXT), ("sentence", INT), ("in_lead", BOOL), ("title", TEXT),
    ("article_canonical", TEXT), ("article_label", TEXT),
)
ATTRIBUTIONS = _contract(
    "attributions", "batch_attributions",
    ("article_id", TEXT), ("seq", INT), ("kind", TEXT), ("speaker", TEXT), ("speaker_start", INT),
    ("speaker_end", INT), ("speaker_entity", TEXT), ("entity_id", TEXT), ("cue", TEXT), ("cue_start", INT),
    ("cue_end", INT), ("content", TEXT), ("content_start", INT), ("content_end", INT), ("anonymous", BOOL),
    ("speaker_type", TEXT), ("speaker_name", TEXT),  # migration 007 (issue 17)
    ("statement", INT),  # migration 015
    ("negated", BOOL),  # migration 016
    ("aside_start", INT), ("aside_end", INT),  # migration 018
)
VALIDATIONS = _contract(
    "validations", "batch_validations",
    ("run_id", TEXT), ("batch", INT), ("suite", TEXT), ("evaluated", INT), ("failed_rows", INT),
    ("warned_rows", INT), ("pass_rate", pa.float64()), ("success", BOOL), json_field("failures"),
    ("validated_at", TS),
)
# Written by SQL, not from batch rows: entities are recounted from mentions in load_batch.sql, runs by record_run.
ENTITIES = _contract(
    "entities", None,
    ("entity_id", TEXT), ("canonical", TEXT), ("label", TEXT), ("aliases", pa.list_(TEXT)),
    ("mention_count", INT), ("article_count", INT),
)
# Written once by migration 014: the entity ids it rewrote (old -> new), a trace for ids kept outside.
ENTITY_ID_CHANGES = _contract(
    "entity_id_changes", None,
    ("old_entity_id", TEXT), ("entity_id", TEXT), ("canonical", TEXT), ("label", TEXT),
)
# Written by SQL at every load (queries/repeated_attributions.sql, migration 017): copies' attributions that
# repeat their story, left out of the quotes mart.
REPEATED_ATTRIBUTIONS = _contract("repeated_attributions", None, ("article_id", TEXT), ("seq", INT))
RUNS = _contract(
    "runs", None,
    ("run_id", TEXT), ("flow", TEXT), ("started_at", TS), ("finished_at", TS), ("status", TEXT), json_field("counts"),
    ("flow_run_id", TEXT), ("host", TEXT), ("pid", INT), ("message", TEXT),
)

# Every table of the warehouse, by name; batch tables in the order the loader builds them.
CONTRACTS = {c.table: c for c in (SOURCES, DISCOVERED_URLS, PAGES, ARTICLES, ARTICLE_FINGERPRINTS, DUPLICATES,
                                  CLUSTER_MERGES, QUARANTINE, MENTIONS, ATTRIBUTIONS, VALIDATIONS, ENTITIES, ENTITY_ID_CHANGES,
                                  REPEATED_ATTRIBUTIONS, RUNS)}


def disagreements(tables: dict[str, dict[str, str]]) -> list[str]:
    """Where the warehouse's tables ({table: {column: DuckDB type}}, store.table_columns) and the contracts differ."""
    out = [f"{table}: no contract" for table in sorted(tables.keys() - CONTRACTS.keys())]
    for name, contract in CONTRACTS.items():
        actual = tables.get(name)
        if actual is None:
            out.append(f"{name}: no such table")
            continue
        expected = {f.name: sql_type(f) for f in contract.schema}
        out += [f"{name}.{c}: in the table, not in the contract" for c in actual if c not in expected]
        out += [f"{name}.{c}: in the contract, not in the table" for c in expected if c not in actual]
        out += [f"{name}.{c}: {actual[c]} in the table, {t} in the contract"
                for c, t in expected.items() if c in actual and actual[c] != t]
    return out
