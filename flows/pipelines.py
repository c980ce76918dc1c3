"""The Prefect flows: ingest, reprocess and requeue.

Worker processes unpickle the running flow with every task they run (Prefect ships the flow run's
context to them), and so import the module the flow is defined in. This module imports only
Prefect and the settings, and each flow imports its body when it runs: defined in flows.ingest,
the flows would make every worker import Great Expectations, DuckDB and pandas too (about 5 CPU
seconds and 250 MB more per worker; tests/test_scaleout.py checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect import flow

from flows.settings import Settings

if TYPE_CHECKING:
    from flows.ingest import RunReport


@flow(name="ingest", log_prints=False)
def ingest(sources_path: str, settings: Settings | None = None, only: list[str] | None = None) -> RunReport:
    """Ingest the sources of a sources file (all, or those named in `only`) into the warehouse."""
    from flows.ingest import ingest_sources

    return ingest_sources(sources_path, settings or Settings(), only)


@flow(name="reprocess", log_prints=False)
def reprocess(settings: Settings | None = None, sources: list[str] | None = None) -> RunReport:
    """Re-run extraction and everything after it from the raw archive, without the network."""
    from flows.ingest import reprocess_archive

    return reprocess_archive(settings or Settings(), sources)


@flow(name="requeue", log_prints=False)
def requeue(rule: str, settings: Settings | None = None) -> RunReport:
    """Send the pages quarantined for `rule` through extraction and the rest again, from their stored bodies."""
    from flows.ingest import requeue_rule

    return requeue_rule(rule, settings or Settings())
