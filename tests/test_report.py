"""The HTML report: chart data per date range, self-contained HTML with the PNGs written next to it."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from test_views import SQL_TESTS, warehouse_file, warehouse_from
from typer.testing import CliRunner

from flows.cli import app
from flows.report import anonymous_chart, entities_chart, speakers_chart, volume_chart, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The quotes test's world: originals a1 (quay-gazette) and a3 (fenmoor-post) on 2 March, a copy of a1 on 3 March.
MARCH_2, MARCH_3 = date(2026, 3, 2), date(2026, 3, 3)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return warehouse_from(SQL_TESTS / "quotes")


@pytest.fixture
def quotes_warehouse(tmp_path) -> Path:
    return warehouse_file(tmp_path / "w.duckdb", SQL_TESTS / "quotes")


@pytest.mark.parametrize(
    ("chart", "start", "end", "rows"),
    [
        (volume_chart, MARCH_2, MARCH_3, [("fenmoor-post", 2, 1, 1), ("quay-gazette", 1, 1, 0)]),
        (volume_chart, MARCH_3, MARCH_3, [("fenmoor-post", 1, 0, 1)]),
        (entities_chart, MARCH_2, MARCH_3, [("Fenmoor", "GPE", 3, 2), ("Dunmore Water Board", "ORG", 2, 2),
                                            ("Ilse Marrack", "PERSON", 2, 1)]),
        (speakers_chart, MARCH_2, MARCH_3, [("Ilse Marrack", 2, 2, 0, 0, 0, "fenmoor-post, quay-gazette"),
                                            ("Dunmore Water Board", 1, 0, 0, 0, 1, "quay-gazette")]),
        (speakers_chart, MARCH_3, MARCH_3, []),  # the copy's quote is not counted again
        (anonymous_chart, MARCH_2, MARCH_3, [("fenmoor-post", 3, 1, 0.333), ("quay-gazette", 3, 1, 0.333)]),
    ],
)
def test_chart_rows(con, chart, start, end, rows):
    result = chart(con, start, end)
    assert result.rows == rows
    assert result.png.startswith(PNG_MAGIC)


def test_report_refuses_reversed_range(quotes_warehouse, tmp_path):
    with pytest.raises(ValueError, match="starts"):
        write_report(quotes_warehouse, tmp_path / "r.html", MARCH_3, MARCH_2, Console())


def test_report_cli_writes_self_contained_html_and_pngs(quotes_warehouse, tmp_path):
    out = tmp_path / "site" / "news.html"
    result = CliRunner().invoke(app, ["report", "--db", str(quotes_warehouse), "--out", str(out)])
    assert result.exit_code == 0, result.output
    charts = [out.with_name(f"news_{name}.png") for name in ("volume", "entities", "speakers", "anonymous")]
    page = out.read_text(encoding="utf-8")
    embedded = [base64.b64decode(data) for data in re.findall(r"src='data:image/png;base64,([^']+)'", page)]
    assert embedded == [p.read_bytes() for p in charts]
    assert all(png.startswith(PNG_MAGIC) for png in embedded)
    assert "News report, 2026-03-02 to 2026-03-03" in page  # the default range: every dated article
    assert "<b>3</b> articles" in page and "<b>2</b> stories" in page
    assert "<td>Ilse Marrack</td>" in page and "src='http" not in page


def test_report_cli_bad_date_is_a_message(quotes_warehouse):
    from flows.errors import BAD_INPUT, describe

    result = CliRunner().invoke(app, ["report", "--db", str(quotes_warehouse), "--start", "March"])
    # The console entry point turns the error into its one line; CliRunner hands us the exception.
    assert describe(result.exception) == ("--start March: not a day as YYYY-MM-DD", BAD_INPUT)


def test_report_over_an_empty_range_says_so(quotes_warehouse, tmp_path):
    import io

    out = io.StringIO()
    written = write_report(quotes_warehouse, tmp_path / "r.html", date(2025, 1, 1), date(2025, 1, 31),
                           Console(file=out, width=200))
    assert out.getvalue().strip() == ("warning: no article published from 2025-01-01 to 2025-01-31; "
                                      "the warehouse's articles run from 2026-03-02 to 2026-03-03")
    assert len(written) == 5  # still written: an empty report is an answer, the warning says why


def test_report_over_a_range_with_articles_has_no_warning(quotes_warehouse, tmp_path):
    import io

    out = io.StringIO()
    write_report(quotes_warehouse, tmp_path / "r.html", MARCH_2, MARCH_2, Console(file=out, width=200))
    assert out.getvalue() == ""
