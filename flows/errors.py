"""One error style for the CLI: an exception becomes one line naming the offending input, and an exit code."""

from __future__ import annotations

import re

# Exit codes (README, "Exit codes"): 1 something failed, 2 the input (a file, an option, a setting) is wrong.
FAILED = 1
BAD_INPUT = 2
# Messages longer than this are cut: one line stays readable in a terminal and a cron mail.
MAX_MESSAGE = 800


# Exit codes of a run (README, "Exit codes"): the quality gate stopped it; every source failed; Ctrl-C.
QUALITY_GATE = 3
ALL_SOURCES_FAILED = 4
INTERRUPTED = 130


class RunOutcome(Exception):
    """How a run ended when that is not plain success: the one line to print and the exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class UserError(ValueError):
    """A problem with what the user gave (a file, an option, a setting); the message names it."""

    def __init__(self, message: str, code: int = BAD_INPUT):
        super().__init__(message)
        self.code = code


def one_line(text: str) -> str:
    """Text on one line: line breaks become '; ', runs of spaces stay as they are."""
    parts = [part.strip() for part in str(text).splitlines() if part.strip()]
    line = "; ".join(parts)
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 3] + "..."


def settings_message(exc) -> str:
    """A pydantic error of the Settings object, as the NEWSETL_* variables that caused it."""
    problems = []
    for error in exc.errors():
        variable = "NEWSETL_" + "__".join(str(p) for p in error["loc"]).upper()
        value = error.get("input")
        shown = f"={value!r}" if isinstance(value, str | int | float) else ""
        problems.append(f"bad setting {variable}{shown}: {error['msg']}")
    return "; ".join(problems)


def _is_duckdb(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("duckdb", "_duckdb"))


def is_unexpected(exc: BaseException) -> bool:
    """Whether an error is a defect rather than bad input or a database's refusal (then a traceback helps)."""
    return describe(exc)[1] == FAILED and not _is_duckdb(exc) and not isinstance(exc, UserError | RunOutcome)


def describe(exc: BaseException) -> tuple[str, int]:
    """The one-line message and the exit code for an exception that ended a command."""
    from pydantic import ValidationError

    from flows.sources import SourcesError

    if isinstance(exc, UserError | RunOutcome):
        return one_line(str(exc)), exc.code
    if isinstance(exc, SourcesError):
        return one_line(str(exc)), BAD_INPUT
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        return one_line(settings_message(exc)), BAD_INPUT
    if isinstance(exc, UnicodeDecodeError):
        return one_line(f"not UTF-8 text: {exc}"), BAD_INPUT
    if isinstance(exc, OSError) and exc.filename is not None:
        return one_line(f"{exc.filename}: {exc.strerror or exc}"), BAD_INPUT
    if isinstance(exc, FileNotFoundError):
        return one_line(str(exc)), BAD_INPUT
    if _is_duckdb(exc):
        # DuckDB's first line says what is wrong; the rest is a caret under the SQL.
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return one_line(re.sub(r"\s+", " ", first)), FAILED
    return one_line(f"{type(exc).__name__}: {exc}"), FAILED
