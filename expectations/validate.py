"""Running an expectation suite on a DataFrame and turning failures into per-row verdicts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

# Great Expectations phones home on import unless told not to.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402


@dataclass
class RowFailure:
    """One rule one row broke."""

    row: int
    rule: str
    severity: str
    value: str | None
    detail: str


@dataclass
class SuiteResult:
    """What a suite said about one batch."""

    suite: str
    evaluated: int
    failures: list[RowFailure] = field(default_factory=list)
    # Rules that failed for the batch as a whole rather than for rows (e.g. row counts).
    table_failures: list[str] = field(default_factory=list)

    def failed_rows(self, severity: str = "error") -> set[int]:
        """Row indices with at least one failure of the given severity."""
        return {f.row for f in self.failures if f.severity == severity}

    def counts(self) -> dict[str, int]:
        """Failures per rule."""
        out: dict[str, int] = {}
        for f in self.failures:
            out[f.rule] = out.get(f.rule, 0) + 1
        for rule in self.table_failures:
            out[rule] = out.get(rule, 0) + 1
        return out


@cache
def context():
    """An ephemeral GX context with progress bars off, shared by all suites of a process."""
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return ctx


@cache
def _validation_definition(name: str, builder, params: tuple):
    ctx = context()
    datasource = ctx.data_sources.add_or_update_pandas(f"newsetl_{name}")
    asset = datasource.add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe(f"{name}_batch")
    suite = ctx.suites.add(builder(*params))
    return ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


def run_suite(name: str, builder, params: tuple, frame: pd.DataFrame) -> SuiteResult:
    """Validate a DataFrame against the suite `builder(*params)` returns and list every failing row."""
    result = SuiteResult(suite=name, evaluated=len(frame))
    if frame.empty:
        return result
    definition = _validation_definition(name, builder, params)
    outcome = definition.run(batch_parameters={"dataframe": frame.reset_index(drop=True)}, result_format="COMPLETE")
    for item in outcome.results:
        if item.success:
            continue
        config = item.expectation_config
        rule = config.meta.get("rule", config.type)
        severity = config.meta.get("severity", "error")
        indices = item.result.get("unexpected_index_list")
        if indices is None:
            result.table_failures.append(rule)
            continue
        values = item.result.get("unexpected_list") or [None] * len(indices)
        for row, value in zip(indices, values, strict=False):
            shown = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)[:200]
            result.failures.append(RowFailure(int(row), rule, severity, shown, config.meta.get("detail", rule)))
    return result
