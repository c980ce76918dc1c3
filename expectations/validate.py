"""Running an expectation suite on a DataFrame, turning failures into per-row verdicts, and Data Docs."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

# Great Expectations phones home on import unless told not to.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

# That module sets its own logger to INFO on import; its temp-dir notice is noise in a run's output.
logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

DOCS_SITE = "newsetl"
# dbt's `unique` test: later rows repeating a value are the duplicates; the first one is kept.
UNIQUE = "expect_column_values_to_be_unique"


def rule(name: str, detail: str, severity: str = "error") -> dict:
    """Meta of an expectation: our rule name, its severity and the reason shown in quarantine."""
    return {"rule": name, "severity": severity, "detail": detail}


class SuiteError(RuntimeError):
    """An expectation could not be evaluated (a bug in a suite or its frame, not bad data)."""


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
        for name in self.table_failures:
            out[name] = out.get(name, 0) + 1
        return out

    @property
    def success(self) -> bool:
        """No row broke an error rule and no table-level rule failed."""
        return not self.failed_rows("error") and not self.table_failures


@cache
def context():
    """An ephemeral GX context shared by all suites of a process; progress bars are noise in a pipeline's logs."""
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return ctx


# The validation definition of each suite name, with the builder and parameters it was built from.
_definitions: dict[str, tuple[tuple, gx.ValidationDefinition]] = {}


def _validation_definition(name: str, builder, params: tuple) -> gx.ValidationDefinition:
    known = _definitions.get(name)
    if known and known[0] == (builder, params):
        return known[1]
    ctx = context()
    if known:  # new parameters (another language set, a new day): the suite of that name is rebuilt
        ctx.validation_definitions.delete(name)
        ctx.suites.delete(name)
        ctx.data_sources.delete(f"newsetl_{name}")
    datasource = ctx.data_sources.add_pandas(f"newsetl_{name}")
    batch = datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe(f"{name}_batch")
    suite = ctx.suites.add(builder(*params))
    definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    _definitions[name] = ((builder, params), definition)
    return definition


def _shown(value) -> str | None:
    if value is None or (not isinstance(value, tuple | list) and pd.isna(value)):
        return None
    return str(value)[:200]  # a quarantine reason, not a copy of the page


def _run_identifier(run_name: str) -> RunIdentifier:
    """GX's identifier of a validation run: named "run-<run_name>", timed now."""
    # GX reads a date out of a run name with dateutil (for the run's time when given none, and again
    # for each Data Docs page title): a run id such as "7a7104442057" (3 of 10,000 random ids) raised
    # OverflowError out of the run, and "084111300651" was dated. "run-" makes every name no date.
    return RunIdentifier(run_name=f"run-{run_name}", run_time=datetime.now(UTC))


def run_suite(name: str, builder, params: tuple, frame: pd.DataFrame, run_name: str | None = None) -> SuiteResult:
    """Validate a DataFrame against the suite `builder(*params)` returns and list every failing row.

    `run_name` groups the stored result with the other suites of one flow run in Data Docs.
    """
    result = SuiteResult(suite=name, evaluated=len(frame))
    if frame.empty:
        return result
    definition = _validation_definition(name, builder, params)
    outcome = definition.run(
        batch_parameters={"dataframe": frame.reset_index(drop=True)},
        result_format="COMPLETE", run_id=_run_identifier(run_name) if run_name else None,
    )
    for item in outcome.results:
        config = item.expectation_config
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise SuiteError(f"{name}: {config.type} on {config.kwargs.get('column')}: "
                             f"{item.exception_info.get('exception_message')}")
        if item.success:
            continue
        meta = config.meta or {}
        rule_name, severity = meta.get("rule", config.type), meta.get("severity", "error")
        indices = item.result.get("unexpected_index_list")
        if indices is None:
            result.table_failures.append(rule_name)
            continue
        values = item.result.get("unexpected_list") or [None] * len(indices)
        seen = set()
        for row, value in sorted(zip(indices, values, strict=False), key=lambda pair: pair[0]):
            if config.type == UNIQUE and value not in seen:
                seen.add(value)
                continue
            if meta.get("show") == "column_A" and isinstance(value, tuple | list):
                value = value[0]  # the pair's other column is a helper (relationships: the key looked up)
            result.failures.append(RowFailure(int(row), rule_name, severity, _shown(value), meta.get("detail", rule_name)))
    return result


def build_data_docs(directory: Path) -> Path:
    """Render the suites and the results validated since the last build as static HTML; return index.html.

    The results are then dropped from the process's context and the earlier builds' result pages from
    the directory (the `validations` table keeps every run's): a process running flows for a month,
    or a directory beside a warehouse scheduled for one, would otherwise grow with every run.
    """
    ctx = context()
    directory.mkdir(parents=True, exist_ok=True)
    started = time.time()
    site = {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(directory)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if DOCS_SITE in (ctx.list_data_docs_sites() or {}):
        ctx.update_data_docs_site(DOCS_SITE, site)  # another warehouse in the same process
    else:
        ctx.add_data_docs_site(DOCS_SITE, site)
    ctx.build_data_docs(site_names=[DOCS_SITE])
    store = ctx.validation_results_store
    for key in store.list_keys():
        store.remove_key(key)
    _remove_pages_before(directory / "validations", started)
    return directory / "index.html"


def _remove_pages_before(directory: Path, started: float) -> None:
    """Delete result pages written before `started` (earlier builds'), and the folders left empty."""
    if not directory.is_dir():
        return
    for path in directory.rglob("*"):
        # A page another process is writing right now is newer than `started`: it stays.
        if path.is_file() and path.stat().st_mtime < started:
            path.unlink(missing_ok=True)
    for folder in sorted((p for p in directory.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            try:
                folder.rmdir()
            except OSError:  # another process wrote into it meanwhile
                pass
