"""Data Docs over months of runs: each build shows the last run, and neither memory nor disk keeps the earlier ones."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.tables import sources_suite
from expectations.validate import build_data_docs, context, run_suite

FRAME = pd.DataFrame({"name": ["a", "b"], "title": ["A", "B"], "config": ["{}", "{}"]})


@pytest.fixture(autouse=True)
def flushed(tmp_path):
    """Results other tests of this process validated (without a build) go to a build of their own first."""
    build_data_docs(tmp_path / "earlier")


def result_pages(directory) -> list:
    """The validation result pages Data Docs wrote."""
    return sorted((directory / "validations").rglob("*.html"))


def test_each_build_renders_only_the_runs_since_the_last_one(tmp_path):
    # A long-lived process (a notebook, a loop calling the flow) runs one flow after another: each
    # build used to render every result validated since the process started, and leave its pages on disk.
    for run in range(3):
        run_suite("sources", sources_suite, (), FRAME, run_name=str(run))  # shown as "run-<run>"
        index = build_data_docs(tmp_path / "data_docs")
        assert context().validation_results_store.list_keys() == []
        pages = result_pages(tmp_path / "data_docs")
        assert len(pages) == 1 and f"run-{run}" in pages[0].parts
        assert f"run-{run}" in index.read_text(encoding="utf-8")
        assert f"run-{run - 1}" not in index.read_text(encoding="utf-8")


def test_a_build_keeps_every_suite_of_its_run(tmp_path):
    run_suite("sources", sources_suite, (), FRAME, run_name="one")
    run_suite("sources", sources_suite, (), FRAME.head(1), run_name="one")
    build_data_docs(tmp_path / "data_docs")
    assert len(result_pages(tmp_path / "data_docs")) == 2


@pytest.mark.parametrize("run_id", ["7a7104442057", "084111300651"])
def test_a_run_id_that_reads_as_a_date_is_only_a_name(tmp_path, run_id):
    # GX parsed a run name into the run's time: "7a7104442057" raised OverflowError (the flaky failures of
    # test_two_flows_started_together_both_load and test_month), "084111300651" was dated 0651-08-41...
    assert run_suite("sources", sources_suite, (), FRAME, run_name=run_id).counts() == {}
    build_data_docs(tmp_path / "data_docs")
    pages = result_pages(tmp_path / "data_docs")
    assert len(pages) == 1 and f"run-{run_id}" in pages[0].parts
