"""The HTML report: article volume, entities over time, most quoted speakers, anonymous sourcing; PNG charts inside."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from rich.console import Console

from flows.query import open_read_only
from transforms.models import ATTRIBUTION_KINDS
from warehouse import store

# Rows per chart: more bars or heatmap rows than this stop being readable at report width.
TOP_ENTITIES = 10
TOP_SPEAKERS = 12
LABEL_CHARS = 34  # longer axis labels squeeze the plot area; the table under the chart has the full name

matplotlib.rcParams.update({"font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold"})


@dataclass
class Chart:
    """One chart of the report: its file name part, heading, caption, PNG bytes and the table under it."""

    name: str
    heading: str
    caption: str
    png: bytes
    columns: list[str]
    rows: list[tuple]


def _figure(height: float) -> Figure:
    fig = Figure(figsize=(9, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _axes(title: str, height: float, empty: bool):
    """A figure with one titled plot; an empty one says there is no data."""
    fig = _figure(height)
    ax = fig.add_subplot()
    ax.set_title(title)
    if empty:
        ax.text(0.5, 0.5, "no data in this date range", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    return fig, ax


def _date_axis(ax, start: date, end: date) -> None:
    # The concise formatter names a month only where one begins: the label says which months these are.
    ax.set_xlabel(f"publication day, {start} to {end}")
    locator = mdates.AutoDateLocator(maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def volume_chart(con, start: date, end: date) -> Chart:
    """Articles per outlet per day, stacked."""
    rows = store.outlet_day_articles(con, start, end)
    fig, ax = _axes("Articles per outlet per day", 4.2, not rows)
    if rows:
        days = sorted({r[0] for r in rows})
        outlets = sorted({r[1] for r in rows})
        counts = {(r[0], r[1]): r[2] for r in rows}
        bottom = np.zeros(len(days))
        for outlet in outlets:
            values = np.array([counts.get((d, outlet), 0) for d in days])
            ax.bar(days, values, bottom=bottom, width=0.8, label=outlet)
            bottom += values
        ax.set_ylabel("articles")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(mdates.date2num(start) - 0.5, mdates.date2num(end) + 0.5)  # the whole range, quiet days too
        _date_axis(ax, start, end)
        fig.legend(loc="outside lower center", frameon=False, ncols=min(len(outlets), 4))
    totals = store.outlet_totals(con, start, end)
    return Chart("volume", "Article volume per outlet",
                 "Articles by publication day; copies are syndicated or rewritten versions of a story first run elsewhere.",
                 _png(fig), ["outlet", "articles", "originals", "copies"], totals)


def entities_chart(con, start: date, end: date) -> Chart:
    """Daily mentions of the most mentioned entities, as a heatmap."""
    top = store.top_entities_between(con, start, end, TOP_ENTITIES)
    fig, ax = _axes(f"Top {TOP_ENTITIES} entities: mentions per day", 0.8 + 0.38 * max(len(top), 4), not top)
    if top:
        names = [t[0] for t in top]
        daily = store.entity_days(con, start, end, names)
        first, days = mdates.date2num(start), (end - start).days + 1
        grid = np.zeros((len(names), days))
        for entity, day, mentions in daily:
            grid[names.index(entity), (day - start).days] = mentions
        image = ax.imshow(grid, aspect="auto", cmap="Blues", interpolation="nearest",
                          extent=(first - 0.5, first + days - 0.5, len(names) - 0.5, -0.5))
        ax.set_yticks(range(len(names)), [_short(f"{t[0]} ({t[1]})") for t in top])
        ax.xaxis_date()
        _date_axis(ax, start, end)
        fig.colorbar(image, ax=ax, label="mentions", fraction=0.03, pad=0.01, ticks=MaxNLocator(integer=True))
    return Chart("entities", "Top entities over time",
                 "Mentions in original articles only, so a syndicated story counts once.",
                 _png(fig), ["entity", "label", "mentions", "articles"], top)


def speakers_chart(con, start: date, end: date) -> Chart:
    """The most quoted named speakers, bars split by kind of attribution."""
    rows = store.top_speakers_between(con, start, end, TOP_SPEAKERS)
    fig, ax = _axes(f"Top {TOP_SPEAKERS} quoted speakers (named)", 0.9 + 0.36 * max(len(rows), 4), not rows)
    if rows:
        names = [_short(r[0]) for r in rows][::-1]  # largest at the top
        left = np.zeros(len(rows))
        for i, kind in enumerate(ATTRIBUTION_KINDS):
            values = np.array([r[2 + i] for r in rows][::-1])
            ax.barh(names, values, left=left, label=kind.replace("_", " "))
            left += values
        ax.set_xlabel("attributions")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, left.max() * 1.05)
        fig.legend(loc="outside lower center", frameon=False, ncols=len(ATTRIBUTION_KINDS))
    return Chart("speakers", "Most quoted speakers",
                 "Named speakers by number of attributions in original articles; anonymous sources are counted below.",
                 _png(fig), ["speaker", "attributions", *ATTRIBUTION_KINDS, "outlets"], rows)


def anonymous_chart(con, start: date, end: date) -> Chart:
    """Share of each outlet's attributions that cite an anonymous source."""
    rows = store.anonymous_shares(con, start, end)
    fig, ax = _axes("Anonymous-source share of attributions per outlet", 0.9 + 0.45 * max(len(rows), 3), not rows)
    if rows:
        names = [_short(r[0]) for r in rows][::-1]
        shares = [100 * r[3] for r in rows][::-1]
        bars = ax.barh(names, shares, color="tab:orange")
        ax.bar_label(bars, labels=[f"{100 * r[3]:.1f}% of {r[1]}" for r in rows][::-1], padding=4)
        ax.set_xlim(0, min(100, max(shares) * 1.4 + 5))  # room for the labels right of the longest bar
        ax.set_xlabel("% of attributions with an anonymous source")
    return Chart("anonymous", "Anonymous sources per outlet",
                 "Attributions to unnamed sources (\"officials who spoke on condition of anonymity\") over all attributions.",
                 _png(fig), ["outlet", "attributions", "anonymous", "share"], rows)


def _cell(value) -> str:
    return html.escape("" if value is None else str(value))


def render_html(charts: list[Chart], start: date, end: date, totals: dict[str, int], stem: str) -> str:
    """The self-contained page: every chart inline as base64 PNG with its table."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>newsetl report {start} to {end}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
        "img{max-width:100%}table{border-collapse:collapse;margin:.5em 0 2em}"
        "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}th{background:#f3f3f3}"
        ".totals span{display:inline-block;margin-right:2em}.caption{color:#555}</style></head><body>",
        f"<h1>News report, {start} to {end}</h1>",
        f"<p class='caption'>Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by newsetl.</p><p class='totals'>",
        *(f"<span><b>{_cell(v)}</b> {_cell(k)}</span>" for k, v in totals.items()),
        "</p>",
    ]
    for chart in charts:
        data = base64.b64encode(chart.png).decode("ascii")
        parts += [
            f"<h2>{_cell(chart.heading)}</h2><p class='caption'>{_cell(chart.caption)}</p>",
            f"<img alt='{_cell(chart.heading)}' src='data:image/png;base64,{data}' "
            f"data-file='{_cell(f'{stem}_{chart.name}.png')}'>",
            "<table><tr>", *(f"<th>{_cell(c)}</th>" for c in chart.columns), "</tr>",
            *("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in chart.rows),
            "</table>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(db_path: Path, out: Path, start: date | None, end: date | None, err: Console) -> list[Path]:
    """Write the HTML report for [start, end] (default: every dated article) and its PNGs next to it."""
    con = open_read_only(db_path, err)
    try:
        first, last = store.report_days(con)
        start, end = start or first or date.today(), end or last or date.today()
        if start > end:
            raise ValueError(f"the report starts ({start}) after it ends ({end})")
        charts = [f(con, start, end) for f in (volume_chart, entities_chart, speakers_chart, anonymous_chart)]
        totals = store.report_totals(con, start, end)
    finally:
        con.close()
    if not totals.articles:
        # Empty charts with no word would read as "nothing happened"; it is more often a mistyped range.
        held = f"the warehouse's articles run from {first} to {last}" if first else "the warehouse has no dated articles"
        err.print(f"warning: no article published from {start} to {end}; {held}", soft_wrap=True, highlight=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        path = out.with_name(f"{out.stem}_{chart.name}.png")
        path.write_bytes(chart.png)
        written.append(path)
    headline = {"articles": totals.articles or 0, "stories": totals.stories, "outlets": totals.outlets,
                "attributions": totals.attributions}
    out.write_text(render_html(charts, start, end, headline, out.stem), encoding="utf-8")
    return [out, *written]
