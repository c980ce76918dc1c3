"""The `mentions` and `attributions` suites: offsets that slice the article, accepted kinds, relationships."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from expectations.validate import rule
from transforms.entities import ENTITY_LABELS
from transforms.models import ATTRIBUTION_KINDS, SPEAKER_TYPES

PARTS = ("speaker", "cue", "content")


def _relationship(column: str, table: str) -> gxe.Expectation:
    """dbt's `relationships` test: every value of `column` is a key of `table`.

    The frame carries `column` looked up among the batch's keys of `table` (annotation_frame's
    `keys`): as a value-set parameter, GX copies the keys each of the ~150 times it rebuilds an
    expectation's configuration in a run (1.4 s per batch of 500 articles, measured).
    """
    return gxe.ExpectColumnPairValuesToBeEqual(
        column_A=column, column_B=f"{column}_in_{table}", ignore_row_if="both_values_are_missing",
        meta={**rule(f"{column}_in_{table}", f"{column} is not a key of {table}"), "show": "column_A"},
    )


def _offsets(part: str, column: str, start: str, end: str) -> list[gxe.Expectation]:
    """Offsets of `part` lie inside the article text, in order, and slice out exactly the stored `column`."""
    return [
        gxe.ExpectColumnValuesToBeBetween(column=start, min_value=0,
                                          meta=rule(f"{part}_offsets", f"{part} starts before the text")),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="article_chars", column_B=end, or_equal=True, ignore_row_if="either_value_is_missing",
            meta=rule(f"{part}_offsets", f"{part} ends after the article text"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=end, column_B=start, ignore_row_if="either_value_is_missing",
            meta=rule(f"{part}_offsets", f"{part} ends before it starts"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A=column, column_B=f"{column}_sliced", ignore_row_if="both_values_are_missing",
            meta=rule(f"{part}_slice", f"text[{start}:{end}] is not the stored {part}"),
        ),
    ]


def mentions_suite() -> gx.ExpectationSuite:
    """Build the mentions suite."""
    suite = gx.ExpectationSuite(name="mentions")
    for expectation in [
        _relationship("article_id", "articles"),
        *_offsets("mention", "text", "start_char", "end_char"),
        gxe.ExpectColumnValuesToBeInSet(column="label", value_set=sorted(ENTITY_LABELS),
                                        meta=rule("label_accepted", "entity label not accepted")),
        gxe.ExpectColumnValuesToNotBeNull(column="canonical", meta=rule("canonical_not_null", "no canonical name")),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "start_char", "end_char"],
                                            meta=rule("mention_unique", "two mentions at the same offsets")),
    ]:
        suite.add_expectation(expectation)
    return suite


def attributions_suite() -> gx.ExpectationSuite:
    """Build the attributions suite."""
    suite = gx.ExpectationSuite(name="attributions")
    expectations = [
        _relationship("article_id", "articles"),
        _relationship("entity_id", "entities"),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(ATTRIBUTION_KINDS),
                                        meta=rule("kind_accepted", "attribution kind not accepted")),
        gxe.ExpectColumnValuesToBeInSet(column="speaker_type", value_set=list(SPEAKER_TYPES),
                                        meta=rule("speaker_type_accepted", "speaker type not accepted")),
        # A named speaker whose entity is not among the article's mentions has no entities row to join.
        gxe.ExpectColumnValuesToNotBeNull(
            column="entity_id", row_condition=Column("speaker_entity").is_not_null(),
            meta=rule("speaker_entity_known", "speaker entity not among the article's entities"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="negated", meta=rule("negated_not_null", "negation unknown")),
        # "Declined to comment" attributes a refusal, not content.
        gxe.ExpectColumnValuesToNotBeNull(column="content", row_condition=Column("kind") != "no_comment",
                                          meta=rule("content_not_null", "nothing attributed")),
    ]
    for part in PARTS:
        expectations += _offsets(part, part, f"{part}_start", f"{part}_end")
    # The speaker's words a content encloses lie strictly inside it (migration 018).
    for a, b, message in (
        ("aside_start", "content_start", "aside starts before its content"),
        ("aside_end", "aside_start", "aside ends before it starts"),
        ("content_end", "aside_end", "aside ends after its content"),
    ):
        expectations.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=a, column_B=b, ignore_row_if="either_value_is_missing", meta=rule("aside_inside_content", message),
        ))
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite


def _slice(text: str, start, end) -> str | None:
    return None if pd.isna(start) or pd.isna(end) else text[int(start):int(end)]


def annotation_frame(rows: list[dict], texts: dict[str, str], parts: tuple[str, ...],
                     keys: dict[tuple[str, str], set[str]]) -> pd.DataFrame:
    """Warehouse rows plus the article's length, the text each part's offsets slice out of it, and each
    (column, table) of `keys` as `column_in_table`: the column's value where it is one of the keys, else null."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for (column, table), known in keys.items():
        frame[f"{column}_in_{table}"] = frame[column].where(frame[column].isin(known), None)
    article_text = frame["article_id"].map(texts).fillna("")
    frame["article_chars"] = article_text.str.len()
    for part in parts:
        start, end = ("start_char", "end_char") if part == "text" else (f"{part}_start", f"{part}_end")
        frame[f"{part}_sliced"] = [_slice(t, s, e) for t, s, e in zip(article_text, frame[start], frame[end], strict=True)]
    # Nullable integers keep offsets comparable to lengths when some rows have none.
    for column in frame.columns:
        if column.endswith(("_start", "_end", "_char")):
            frame[column] = frame[column].astype("Int64")
    return frame
