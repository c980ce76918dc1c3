"""Progress reporting from inside tasks: silent by default, rich bars when the CLI asks."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Reporter:
    """Does nothing; the base for a progress display."""

    def start(self, stage: str, total: int) -> None:
        """Begin a stage of `total` items."""

    def advance(self, stage: str, n: int = 1) -> None:
        """Mark n more items of a stage done."""


class RichReporter(Reporter):
    """One rich progress bar per stage."""

    def __init__(self, console: Console):
        self.progress = Progress(
            TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=False,
        )
        self.tasks: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        if stage in self.tasks:
            self.progress.update(self.tasks[stage], total=self.progress.tasks[self.tasks[stage]].total + total)
        else:
            self.tasks[stage] = self.progress.add_task(stage, total=total)

    def advance(self, stage: str, n: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], n)


_current: Reporter = Reporter()


def reporter() -> Reporter:
    """The reporter in effect."""
    return _current


@contextmanager
def rich_progress(console: Console):
    """Show rich progress bars for the duration of the block."""
    global _current
    rich = RichReporter(console)
    previous, _current = _current, rich
    with rich.progress:
        try:
            yield rich
        finally:
            _current = previous
