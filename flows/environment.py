"""Process-wide defaults for Prefect and Great Expectations, applied before either is imported."""

from __future__ import annotations

import functools
import logging
import os
from contextlib import contextmanager, nullcontext
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
    # newsetl's own loggers (the warehouse lock, run recovery) reach the API too, inside a run;
    # outside one (e.g. `newsetl query` waiting for the lock) they only print.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "newsetl",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    # Prefect's logging config plus quiet third-party loggers; the ephemeral API server Prefect
    # starts as a subprocess reads it too, so its shutdown noise stays out of the terminal.
    "PREFECT_LOGGING_SETTINGS_PATH": str(Path(__file__).with_name("logging.yml")),
}


class _DropShutdownNoise(logging.Filter):
    """Drops the event-flush errors Prefect logs while an ephemeral API shuts down."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Error flushing events" in message or "EventsWorker" in message)


class TerminalFilter(logging.Filter):
    """Keeps errors of flow and task runs out of the terminal (the Prefect API still gets them).

    newsetl's CLI reports how a run ended in one line of its own; Prefect's "Crash detected!" and
    "Encountered exception" records with their tracebacks came on top of it. `--debug` lets them through.
    """

    RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR or not record.name.startswith(self.RUN_LOGGERS):
            return True
        return os.environ.get("NEWSETL_DEBUG", "") not in ("", "0", "false")


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


def _own_session() -> None:
    """In the API server's child process before exec: a session of its own, and SIGTERM when newsetl dies."""
    os.setsid()
    try:
        import ctypes
        import signal

        # PR_SET_PDEATHSIG (1): the server must not outlive a newsetl killed with SIGKILL.
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the server still stops at newsetl's normal exit
        pass


@contextmanager
def _server_in_own_session():
    """Start Prefect's ephemeral API server in its own session, so a terminal's Ctrl-C does not stop it.

    Ctrl-C signals the whole foreground process group; the server, Prefect's child, stopped at once
    and the interrupted flow run could no longer be marked Crashed (it stayed Running in the UI).
    newsetl stops the server at exit as before (Prefect's atexit hook), and the kernel does if newsetl dies.
    """
    import subprocess

    popen = subprocess.Popen
    subprocess.Popen = functools.partial(popen, preexec_fn=_own_session)
    try:
        yield
    finally:
        subprocess.Popen = popen


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
    ephemeral = not os.environ.get("PREFECT_API_URL")
    with open(home / "newsetl-api.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        with _server_in_own_session() if ephemeral else nullcontext(), get_client(sync_client=True) as client:
            client.api_healthcheck()
