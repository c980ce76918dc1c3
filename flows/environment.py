"""Process-wide defaults for Prefect and Great Expectations, applied before either is imported."""

from __future__ import annotations

import logging
import os
from pathlib import Path

DEFAULTS = {
    # Great Expectations 1.x sends usage analytics unless this is off; newsetl talks only to its sources.
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The first ephemeral start migrates a fresh SQLite database; on a busy 2-core machine that
    # took over 20 s (Prefect's default timeout), so allow two minutes.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Loggers pass INFO, so the tasks' INFO lines reach the Prefect API and UI (the `api` handler);
    # the terminal's handler shows only warnings, since a terminal run prints its own progress and
    # summary. `newsetl -v` / `--log-level` lowers the terminal's level (set_log_level).
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    # Prefect's logging config plus quiet third-party loggers; the ephemeral API server Prefect
    # starts as a subprocess reads it too, so its shutdown noise stays out of the terminal.
    "PREFECT_LOGGING_SETTINGS_PATH": str(Path(__file__).with_name("logging.yml")),
}


class _DropShutdownNoise(logging.Filter):
    """Drops the event-flush errors Prefect logs while an ephemeral API shuts down."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Error flushing events" in message or "EventsWorker" in message)


def apply_defaults() -> None:
    """Set the defaults the user has not set, and filter Prefect's shutdown noise."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    for name in ("prefect", "prefect.events", "prefect.events.clients", "prefect._internal.concurrency"):
        logging.getLogger(name).addFilter(_DropShutdownNoise())
    # Per-page warnings ("discarding data") and GX's temp-dir notices are recorded as rejections
    # or are irrelevant; in a terminal they would bury the summary.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def set_log_level(level: str) -> None:
    """Show log lines of `level` and above in the terminal; the API keeps INFO (DEBUG when asked for)."""
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"unknown log level {level!r}: use one of {', '.join(LEVELS)}")
    os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = level
    if level == "DEBUG":
        os.environ["PREFECT_LOGGING_LEVEL"] = "DEBUG"


def start_api() -> None:
    """Start Prefect's API now (the ephemeral one unless PREFECT_API_URL is set), one process at a time.

    A first start migrates a fresh SQLite database under PREFECT_HOME; two newsetl processes doing
    that at once fail ("index ... already exists"), so starts are serialised by a lock file there.
    The ephemeral server then lives as long as this process and serves every later flow run.
    """
    import fcntl

    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_HOME

    home = Path(PREFECT_HOME.value()).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "newsetl-api.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        with get_client(sync_client=True) as client:
            client.api_healthcheck()
