"""Progress reporting from inside tasks: silent by default, rich bars and a status line when the CLI asks."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

# Loggers whose INFO lines (one per task and batch, e.g. "fetched 70 pages, 0 failed") feed the status line.
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class Reporter:
    """Does nothing; the base for a progress display."""

    def start(self, stage: str, total: int) -> None:
        """Begin a stage of `total` items."""

    def advance(self, stage: str, n: int = 1) -> None:
        """Mark n more items of a stage done."""

    def stage(self, stage: str) -> None:
        """Say which stage of the run is working now."""

    def note(self, text: str) -> None:
        """Show the latest thing the run reported."""


class RichReporter(Reporter):
    """One rich progress bar per counted stage, and a status line: the stage now, the latest report."""

    def __init__(self, console: Console):
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=False,
        )
        self.tasks: dict[str, int] = {}
        self.status = self.progress.add_task("starting", total=None)
        self.current, self.latest = "starting", ""

    def start(self, stage: str, total: int) -> None:
        if stage in self.tasks:
            self.progress.update(self.tasks[stage], total=self.progress.tasks[self.tasks[stage]].total + total)
        else:
            self.tasks[stage] = self.progress.add_task(stage, total=total)

    def advance(self, stage: str, n: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], n)

    def stage(self, stage: str) -> None:
        self.current = stage
        self._show()

    def note(self, text: str) -> None:
        self.latest = text
        self._show()

    def _show(self) -> None:
        # Escaped: log lines carry URLs and user text, which rich would read as markup.
        line = escape(self.current) + (f"  [dim]{escape(self.latest)}[/dim]" if self.latest else "")
        self.progress.update(self.status, description=line)

    def finish(self) -> None:
        """Stop the status line's spinner."""
        self.progress.update(self.status, total=1, completed=1)


class _NoteHandler(logging.Handler):
    """Sends the run's INFO log lines to the status line of the reporter in effect."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must not break the run
            return
        if message.startswith(("Finished in state", "Beginning flow run", "Created task run")):
            return
        name = getattr(record, "task_name", None) or getattr(record, "flow_name", None)
        _current.note(f"{name}: {message}" if name else message)


_current: Reporter = Reporter()


def reporter() -> Reporter:
    """The reporter in effect."""
    return _current


@contextmanager
def rich_progress(console: Console):
    """Show rich progress bars and the status line for the duration of the block."""
    global _current
    rich = RichReporter(console)
    previous, _current = _current, rich
    handler = _NoteHandler(level=logging.INFO)
    for name in RUN_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    with rich.progress:
        try:
            yield rich
        finally:
            rich.finish()
            for name in RUN_LOGGERS:
                logging.getLogger(name).removeHandler(handler)
            _current = previous
