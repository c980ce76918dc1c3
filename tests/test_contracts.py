"""One contract per table: the migrations, the loader, the load SQL and the suites agree with warehouse/contracts.py."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import great_expectations as gx
import pyarrow as pa
import pytest

from expectations.annotations import attributions_suite, mentions_suite
from expectations.articles import articles_suite
from expectations.tables import TABLE_SUITES
from expectations.validate import context
from flows.quality import article_limits, check_articles
from flows.settings import QualityConfig, Settings
from transforms.models import ArticleRecord, ExtractedArticle
from warehouse import store
from warehouse.contracts import CONTRACTS, PAGES, ContractError, disagreements
from warehouse.db import load_sql, migrate
from warehouse.loader import LoadBatch, batch_tables


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    migrate(con)
    return con


def test_migrated_tables_match_the_contracts(con):
    assert disagreements(store.table_columns(con)) == []


@pytest.mark.parametrize(("change", "found"), [
    ("ALTER TABLE pages ADD COLUMN server VARCHAR", ["pages.server: in the table, not in the contract"]),
    ("ALTER TABLE mentions DROP COLUMN title", ["mentions.title: in the contract, not in the table"]),
    ("ALTER TABLE duplicates ALTER similarity TYPE FLOAT", ["duplicates.similarity: FLOAT in the table, DOUBLE in the contract"]),
    ("CREATE TABLE notes (x INTEGER)", ["notes: no contract"]),
])
def test_a_migration_that_disagrees_is_named(con, change, found):
    con.execute(change)
    assert disagreements(store.table_columns(con)) == found


def test_load_sql_reads_exactly_the_contracts_batch_tables():
    named = set(re.findall(r"\bbatch_\w+", load_sql("load_batch")))
    assert named == {c.batch for c in CONTRACTS.values() if c.batch}


def test_batch_tables_follow_the_contracts():
    tables = batch_tables(LoadBatch("run"))
    assert {name: t.schema for name, t in tables.items()} == {c.batch: c.schema for c in CONTRACTS.values() if c.batch}


def test_rows_without_a_contract_column_are_refused():
    row = {name: None for name in PAGES.columns if name != "headers"}
    with pytest.raises(ContractError, match=r"pages: rows lack \['headers'\]"):
        PAGES.arrow([row])
    assert PAGES.arrow([{**row, "headers": None}]).num_rows == 1


@pytest.fixture
def scratch_context():
    """A throwaway GX context to build suites in: a suite built in the shared one under a name it already
    validates with is saved over it, and that suite's next run refuses to validate (not fresh)."""
    from great_expectations.data_context.data_context.context_factory import project_manager

    shared = context()
    gx.get_context(mode="ephemeral")
    yield
    project_manager.set_project(shared)


def _columns(suite) -> set[str]:
    """The columns a suite's expectations read."""
    found = set()
    for e in suite.expectations:
        found.update(getattr(e, name, None) for name in ("column", "column_A", "column_B"))
        found.update(getattr(e, "column_list", None) or [])
    return found - {None}


# Columns the suites' frames add to the table's own (expectations/articles.py articles_frame,
# expectations/annotations.py annotation_frame, flows/quality.py _frame).
DERIVED = re.compile(r"^(text_chars|article_chars|mime|\w+_sliced|\w+_in_(articles|entities))$")


@pytest.mark.parametrize(("table", "suite"), [
    *TABLE_SUITES.items(),
    ("articles", lambda: articles_suite(article_limits(QualityConfig(), 200), date.today().isoformat())),
    ("mentions", mentions_suite), ("attributions", attributions_suite),
])
def test_suites_read_only_their_tables_columns(scratch_context, table, suite):
    read = _columns(suite())
    assert read, table
    assert {c for c in read if not DERIVED.match(c)} <= set(CONTRACTS[table].columns)


def _article(chars: int) -> ArticleRecord:
    text = ("Tide tables were reprinted. " * 20)[:chars]
    return ArticleRecord(article_id="a1", url="https://gazette.example/a", page_url="https://gazette.example/a",
                         page_id="p1", source="gazette", text_hash="h1",
                         article=ExtractedArticle(text=text, title="Tides", language="en", published=date(2026, 3, 2)))


def test_the_articles_suite_takes_its_minimum_length_from_the_extraction_settings():
    settings = Settings(extraction={"min_text_chars": 100})
    short = _article(150)
    assert [r.rule for r in check_articles([short], settings.quality)[1]] == ["text_length"]
    kept, rejected, _ = check_articles([short], settings.quality, None, settings.extraction.min_text_chars)
    assert (len(kept), rejected) == (1, [])


def test_contract_types_cover_every_arrow_type_used():
    from warehouse.contracts import SQL_TYPES, sql_type

    assert all(sql_type(f) for c in CONTRACTS.values() for f in c.schema)
    assert pa.list_(pa.string()) in SQL_TYPES
