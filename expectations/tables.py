"""Small suites for the tables whose rows are stored whatever they hold: sources, discovered_urls, pages,
duplicates, quarantine (checked on the rows a batch writes) and entities (checked after a run's loads).

Their rules are warnings: a raw or bookkeeping row is never held back, but a broken contract shows in
the validations table and in Data Docs.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.articles import URL_PATTERN
from expectations.validate import rule
from transforms.entities import ENTITY_LABELS
from transforms.models import DISCOVERY_VIA, DUPLICATE_LAYERS, HTML_TYPES, REJECTION_STAGES, SEVERITIES

# A stored response without an error is a page (200) or "not modified" (304); anything else
# the fetcher records as an error.
OK_STATUS = (200, 304)


def _warn(name: str, detail: str) -> dict:
    return rule(name, detail, severity="warn")


def _key(column: str | list[str]) -> list[gxe.Expectation]:
    """dbt's `unique` and `not_null` on a table's key."""
    if isinstance(column, list):
        return [gxe.ExpectCompoundColumnsToBeUnique(column_list=column, meta=_warn("key_unique", f"{column} twice"))]
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_warn("key_not_null", f"no {column}")),
        gxe.ExpectColumnValuesToBeUnique(column=column, meta=_warn("key_unique", f"{column} twice")),
    ]


def _url(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=URL_PATTERN, meta=_warn("url_well_formed", "malformed URL"))


def _accepted(column: str, values, condition=None) -> gxe.Expectation:
    """dbt's `accepted_values`."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), row_condition=condition,
                                           meta=_warn(f"{column}_accepted", f"{column} not in {', '.join(map(str, values))}"))


def _suite(name: str, expectations: list[gxe.Expectation]) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite


def sources_suite() -> gx.ExpectationSuite:
    """Every source has a unique name and its configuration."""
    return _suite("sources", [*_key("name"), gxe.ExpectColumnValuesToNotBeNull(column="config", meta=_warn("config_not_null", "no config"))])


def discovered_urls_suite() -> gx.ExpectationSuite:
    """Discovered URLs are unique, well formed, and say how they were found."""
    return _suite("discovered_urls", [*_key("url"), _url("url"), _accepted("via", DISCOVERY_VIA),
                                      gxe.ExpectColumnValuesToNotBeNull(column="source", meta=_warn("source_not_null", "no source"))])


def pages_suite() -> gx.ExpectationSuite:
    """A response stored without an error has an accepted status, and an HTML content type when it has a body."""
    ok = Column("error").is_null()
    return _suite("pages", [
        *_key("page_id"), _url("url"),
        _accepted("status", OK_STATUS, ok),
        _accepted("mime", HTML_TYPES, (Column("status") == 200) & ok),
    ])


def duplicates_suite() -> gx.ExpectationSuite:
    """Every copy names what it copies, how it was found and a similarity in [0, 1]."""
    return _suite("duplicates", [
        *_key("url"), _accepted("layer", DUPLICATE_LAYERS),
        gxe.ExpectColumnValuesToNotBeNull(column="duplicate_of", meta=_warn("duplicate_of_not_null", "copy of nothing")),
        gxe.ExpectColumnValuesToBeBetween(column="similarity", min_value=0, max_value=1,
                                          meta=_warn("similarity_range", "similarity outside [0, 1]")),
    ])


def quarantine_suite() -> gx.ExpectationSuite:
    """One row per URL and rule, from a known stage, with a severity."""
    return _suite("quarantine", [
        *_key(["url", "rule"]), _accepted("stage", REJECTION_STAGES), _accepted("severity", SEVERITIES),
        gxe.ExpectColumnValuesToNotBeNull(column="rule", meta=_warn("rule_not_null", "no rule")),
    ])


def entities_suite() -> gx.ExpectationSuite:
    """Every mention's entity has a row (relationship), whose counts and label (their vote) match its mentions."""
    return _suite("entities", [
        gxe.ExpectColumnValuesToNotBeNull(column="stored_id", meta=_warn("mention_entity_exists", "mentions of an entity without a row")),
        *_key("entity_id"), _accepted("label", sorted(ENTITY_LABELS)),
        gxe.ExpectColumnValuesToNotBeNull(column="canonical", meta=_warn("canonical_not_null", "no canonical name")),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="mention_count", column_B="mentions_found", ignore_row_if="either_value_is_missing",
                                            meta=_warn("mention_count_matches", "mention_count is not the number of mentions")),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="article_count", column_B="articles_found", ignore_row_if="either_value_is_missing",
                                            meta=_warn("article_count_matches", "article_count is not the number of articles")),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="label", column_B="label_voted", ignore_row_if="either_value_is_missing",
                                            meta=_warn("label_is_the_vote", "label is not the vote of its mentions")),
    ])


# The suites run on the rows a batch writes, by table (warehouse/contracts.py); each suite is named after its table.
TABLE_SUITES = {
    "sources": sources_suite,
    "discovered_urls": discovered_urls_suite,
    "pages": pages_suite,
    "duplicates": duplicates_suite,
    "quarantine": quarantine_suite,
}
