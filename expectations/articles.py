"""The `articles` suite: what every loaded article must satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from expectations.validate import SuiteResult, rule, run_suite
from transforms.models import ArticleRecord

# An http(s) scheme, a host without spaces, then anything but whitespace.
# http(s) with a host, or a file:// URL of a page read from a local folder source.
URL_PATTERN = r"^(?:https?://[^\s/?#]+|file:///)[^\s]*$"


@dataclass(frozen=True)
class ArticleLimits:
    """The thresholds of the articles suite, read from Settings (flows/quality.py; justified there)."""

    min_text_chars: int  # ExtractionConfig.min_text_chars: the suite accepts what the extractor accepts
    max_text_chars: int
    max_title_chars: int
    earliest: date


def articles_suite(limits: ArticleLimits, today: str) -> gx.ExpectationSuite:
    """Build the articles suite for the given limits, with `today` as the latest valid date."""
    text_chars = (limits.min_text_chars, limits.max_text_chars)
    latest = date.fromisoformat(today) + timedelta(days=1)  # time zones east of UTC are a day ahead
    suite = gx.ExpectationSuite(name="articles")
    for expectation in [
        gxe.ExpectColumnValuesToNotBeNull(column="title", meta=rule("title_not_null", "no title")),
        # The body's length stands for the body: a failure shows the length, not pages of text.
        gxe.ExpectColumnValuesToNotBeNull(column="text_chars", meta=rule("text_not_null", "no body text")),
        gxe.ExpectColumnValuesToBeBetween(
            column="text_chars", min_value=text_chars[0], max_value=text_chars[1],
            meta=rule("text_length", f"body length outside {text_chars[0]}..{text_chars[1]} characters"),
        ),
        gxe.ExpectColumnValueLengthsToBeBetween(
            column="title", min_value=1, max_value=limits.max_title_chars,
            meta=rule("title_length", f"title longer than {limits.max_title_chars} characters"),
        ),
        # Any language is stored (a source may restrict them: flows/sources.py skip_languages).
        gxe.ExpectColumnValuesToNotBeNull(
            column="language", meta=rule("language_not_null", "language not recognised", severity="warn"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="published", meta=rule("published_not_null", "no publication date", severity="warn"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="published", min_value=limits.earliest, max_value=latest,
            meta=rule("published_range", f"publication date before {limits.earliest} or in the future"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN, meta=rule("url_well_formed", "malformed URL")),
        gxe.ExpectColumnValuesToBeUnique(column="url", meta=rule("url_unique", "URL twice in one batch")),
        # Copies found by dedup share their original's text on purpose: only canonical texts must be unique.
        gxe.ExpectColumnValuesToBeUnique(column="text_hash", row_condition=Column("is_canonical") == True,  # noqa: E712
                                         meta=rule("text_hash_unique", "same text twice in one batch")),
    ]:
        suite.add_expectation(expectation)
    return suite


def articles_frame(records: list[ArticleRecord]) -> pd.DataFrame:
    """The columns of the articles suite, one row per record, in order."""
    return pd.DataFrame(
        {
            "url": [r.url for r in records],
            "title": [r.article.title for r in records],
            "text_chars": pd.array([None if r.article.text is None else len(r.article.text) for r in records],
                                   dtype="Int64"),
            "language": [r.article.language for r in records],
            "published": [r.article.published for r in records],
            "text_hash": [r.text_hash for r in records],
            "is_canonical": [r.is_canonical for r in records],
        }
    )


def validate_articles_frame(records: list[ArticleRecord], limits: ArticleLimits,
                            run_name: str | None = None) -> SuiteResult:
    """Run the articles suite over a batch of records."""
    return run_suite("articles", articles_suite, (limits, date.today().isoformat()),
                     articles_frame(records), run_name=run_name)
