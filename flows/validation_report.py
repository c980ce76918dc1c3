"""An offline HTML page of every run's validation results, from the warehouse's `validations` table.

Great Expectations' Data Docs load their CSS and JavaScript from CDNs (blank offline) and keep only
the last run; this page is one self-contained file (inline CSS, no scripts) covering every run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, select_autoescape
from rich.console import Console

from warehouse import store

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsetl validation results</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; }
.fail { color: #b00020; font-weight: 600; } .ok { color: #1b7f3b; }
h2 { font-size: 1.1em; margin-bottom: .2em; } .meta { color: #666; }
</style></head><body>
<h1>Validation results</h1>
<p class="meta">{{ runs|length }} runs, newest first; written {{ written }} from {{ db }}.</p>
{% for run in runs %}
<h2 id="{{ run.run_id }}">Run {{ run.run_id }} &middot; {{ run.flow }} &middot;
<span class="{{ 'ok' if run.status == 'completed' else 'fail' }}">{{ run.status }}</span></h2>
<p class="meta">started {{ run.started }}{% if run.finished %}, finished {{ run.finished }}{% endif %};
{{ run.rows|length }} suite runs, {{ run.failed }} failed</p>
{% if run.rows %}
<table><tr><th>batch</th><th>suite</th><th>rows</th><th>failed rows</th><th>warned rows</th><th>pass rate</th>
<th>result</th><th>rules broken (rows)</th></tr>
{% for row in run.rows %}<tr>
<td>{{ 'run' if row.batch < 0 else row.batch }}</td><td>{{ row.suite }}</td><td class="num">{{ row.evaluated }}</td>
<td class="num">{{ row.failed_rows }}</td><td class="num">{{ row.warned_rows if row.warned_rows is not none else '' }}</td>
<td class="num">{{ '%.3f'|format(row.pass_rate) if row.pass_rate is not none else '' }}</td>
<td class="{{ 'ok' if row.success else 'fail' }}">{{ 'passed' if row.success else 'failed' }}</td>
<td>{% for rule, n in row.failures %}{{ rule }} ({{ n }}){% if not loop.last %}, {% endif %}{% endfor %}</td>
</tr>{% endfor %}
</table>
{% else %}<p class="meta">no validation results recorded for this run</p>{% endif %}
{% endfor %}
</body></html>
"""


@dataclass
class RunResults:
    """One flow run and its suite results."""

    run_id: str
    flow: str
    status: str
    started: datetime
    finished: datetime | None
    rows: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Suite runs of this run that failed."""
        return sum(not row["success"] for row in self.rows)


def history(con, runs: int) -> list[RunResults]:
    """The validation results of the latest `runs` flow runs, newest first."""
    found: dict[str, RunResults] = {}
    columns, rows = store.validation_history(con, runs)
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        run = found.setdefault(row["run_id"], RunResults(row["run_id"], row["flow"], row["status"],
                                                         row["started_at"], row["finished_at"]))
        if row["suite"] is not None:
            failures = json.loads(row["failures"]) if row["failures"] else {}
            row["failures"] = sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))
            run.rows.append(row)
    return list(found.values())


def render(results: list[RunResults], db_path: Path) -> str:
    """The HTML page; every value is escaped (rules and run ids are data)."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(TEMPLATE).render(runs=results, db=str(db_path),
                                            written=datetime.now().isoformat(timespec="seconds"))


def write_validation_report(db_path: Path, out: Path, runs: int, err: Console) -> tuple[Path, int]:
    """Write the page for the latest `runs` runs to `out`; return its path and the runs shown."""
    from flows.query import open_read_only

    con = open_read_only(db_path, err)
    try:
        results = history(con, runs)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results, db_path), encoding="utf-8")
    return out, len(results)
