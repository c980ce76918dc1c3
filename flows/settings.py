"""The one typed settings object; every threshold and limit lives here or in transforms.config."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.config import DedupConfig, EntityConfig, ExtractionConfig, NlpConfig, SpeakerConfig


def default_db_path() -> Path:
    """$NEWSETL_HOME/news.duckdb, else warehouse/news.duckdb under the current (project) directory.

    Never beside the installed package: with a non-editable install that is inside site-packages.
    """
    home = os.environ.get("NEWSETL_HOME")
    return (Path(home).expanduser() if home else Path.cwd() / "warehouse").absolute() / "news.duckdb"


class FetchConfig(BaseModel):
    """How pages are fetched: politeness, patience and limits."""

    user_agent: str = "newsetl/0.1 (+https://github.com/newsetl/newsetl)"
    connect_timeout: float = 5.0
    # News pages rarely take more than a few seconds; 15 s tolerates a slow origin under load.
    read_timeout: float = 15.0
    # At most two requests in flight per host: the customary polite crawl rate.
    per_host_concurrency: int = 2
    # Seconds between two requests to one host unless robots.txt asks for more (Crawl-delay).
    min_delay: float = 0.0
    # Requests in flight across all hosts: 16 keeps a run of many outlets busy without opening
    # more sockets than a small worker's file-descriptor and bandwidth budget allows.
    global_concurrency: int = 16
    # Attempts per URL including the first; 3 rides out a restart without hammering a dead site.
    max_attempts: int = 3
    # First retry after ~0.5 s, then ~1 s (doubling, jittered x0.5-1.5): a restarting origin is
    # usually back within seconds, and three attempts then cost under 3 s per URL.
    backoff_base: float = 0.5
    # Retry-After above this many seconds gives up instead of stalling the whole run.
    max_retry_after: float = 30.0
    # 10 MB: ten times the largest news page we have seen; bigger bodies are not articles.
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    # A whole attempt (connect, headers, body) ends after this many seconds: the read timeout
    # only bounds the gap between two chunks, and a server dripping a byte at a time never trips it.
    total_timeout: float = 60.0
    # Crawl-delay is honoured up to this many seconds: at 30 s a host still yields 120 pages an
    # hour, while the odd "Crawl-delay: 3600" would stall a run for days.
    max_crawl_delay: float = 30.0
    # Seconds of request time (connect to last byte, summed over attempts) one host may use per run;
    # then its remaining URLs end `fetch_failed: host_budget` and are fetched again by the next run.
    # A big outlet's daily run is ~100-300 new pages at ~0.5 s each, 50-150 s: 300 s leaves room for
    # a slow day yet, with 2 requests in flight, ends a host that drips bytes after ~2.5 minutes.
    host_time_budget: float = 300.0
    # A host whose attempts time out this many times in a row (no answer in between) is stopped for
    # the run (`fetch_failed: host_timeouts`): 6 is two URLs failing all 3 attempts, i.e. at least
    # 90 s of silence at the 15 s read timeout, longer than a restarting origin needs.
    max_timeouts_in_a_row: int = 6
    # Sitemap (and sitemap index) requests per source and run. A daily run reads a news sitemap or the
    # few newest children of an index; 100 sitemaps of up to 50,000 URLs each cover any backfill, at
    # ~1 s each under 2 minutes, while an index fanning out 40 children per level would need 65,000.
    max_sitemap_requests: int = 100
    # Children read per sitemap index (in the order it lists them, after the max_age_days filter): 50
    # covers four years of monthly or a year of weekly sitemaps; the rest are reported as a problem.
    max_child_sitemaps: int = 50
    # A URL rejected for a reason a refetch rarely cures (quarantined by a rule, or one of the HTTP statuses
    # below) is requested
    # again only after a wait: 1 day (the daily schedule's step, so a page fixed by its outlet is back by
    # the next run), doubled for each identical rejection (the pages table's fetch_count), capped at
    # 16 days: a URL still listed but rejected for a month costs 5 requests instead of 30, yet is never
    # given up on for more than about two weeks. 0 disables the backoff (every run refetches). Timeouts,
    # 5xx, connection errors and host_budget are retried every run. `newsetl requeue` ignores the wait.
    retry_rejected_after_days: int = 1
    retry_rejected_max_days: int = 16
    # The HTTP statuses that count as such a rejection: 404 Not Found and 410 Gone (the page is not
    # there), 401/403 (a paywall or a block of crawlers: an outlet changes those by policy, not by the
    # hour) and 451 (removed for legal reasons). 429 and 5xx are transient, retried every run.
    retry_rejected_statuses: list[int] = [401, 403, 404, 410, 451]


class QualityConfig(BaseModel):
    """Great Expectations thresholds."""

    # The articles suite's lower bound on body length is ExtractionConfig.min_text_chars (what the
    # extractor accepts); above 200,000 characters (~35,000 words, longer than any news feature) a
    # body is a page dump, not an article.
    max_text_chars: int = 200_000
    # Real headlines stay under ~150 characters; 300 leaves room for long ones and stops page dumps.
    max_title_chars: int = 300
    # Online news archives start in the 1990s; earlier publication dates are parse errors.
    earliest_published: date = date(1990, 1, 1)
    # A batch where more than half the articles fail validation means the site changed its
    # layout or the extractor broke: stop loudly instead of quarantining a whole outlet.
    max_failure_rate: float = 0.5
    # The rate is judged per source and stage only over at least 20 rows of a batch. With the
    # few percent of broken pages a healthy site has (the demo site: 2 of ~70, 3%), more than half
    # of 20 pages failing by chance has probability ~2e-12, and still ~7e-7 on a bad day with 10%
    # broken (binomial); at 10 rows the latter is 1.5e-4. A layout change fails nearly every page.
    min_batch_rows: int = 20


class Settings(BaseSettings):
    """newsetl settings; override with NEWSETL_* environment variables (nested with __)."""

    model_config = SettingsConfigDict(env_prefix="NEWSETL_", env_nested_delimiter="__")

    db_path: Path = Field(default_factory=default_db_path)
    # Pages per batch through extract -> load. Validation costs mostly per suite run, not per row
    # (the attributions suite: 1.0 s for 200 articles, 1.3 s for 400), and a task on worker processes
    # ~0.3 s: 500 pages keep both near 5% of a batch's ~40 s of work, while a batch's HTML stays
    # ~50 MB (~100 KB a page; with worker processes up to three batches are in flight).
    batch_size: int = 500
    # Seconds a load waits for another process's warehouse lock (a notebook, a SQL client) before it
    # keeps the batch as Parquet parts beside the warehouse for the next run: two minutes outlasts a
    # query or another flow's load (seconds), while a connection left open would otherwise stall the run.
    lock_wait: float = 120.0
    # Testing only: "<stage>:<batch>" makes that stage raise on that batch number (e.g. "enrich:0"),
    # to check that a failing stage marks its batch's URLs `error` and the run goes on.
    fault: str | None = None
    # Show rich progress bars (the CLI turns them on; flows in a deployment keep logs only).
    progress: bool = False
    # Where extraction and enrichment run (see docs/scaling.md): "threads" in the flow process,
    # "processes" a local process pool, "dask" a Dask cluster (dask_address, or a local one).
    runner: Literal["threads", "processes", "dask"] = "threads"
    # Scheduler of an existing Dask cluster, e.g. "tcp://10.0.0.5:8786"; None starts a LocalCluster.
    dask_address: str | None = None
    # Worker processes of "processes" and of a local Dask cluster, and the sub-batches each batch is
    # split into for them (a remote cluster: its worker count). None: one per core, since spaCy and
    # lxml are CPU-bound and single-threaded, so more processes than cores only add memory.
    workers: int | None = None
    fetch: FetchConfig = FetchConfig()
    extraction: ExtractionConfig = ExtractionConfig()
    dedup: DedupConfig = DedupConfig()
    nlp: NlpConfig = NlpConfig()
    entities: EntityConfig = EntityConfig()
    speakers: SpeakerConfig = SpeakerConfig()
    quality: QualityConfig = QualityConfig()

    @field_validator("db_path")
    @classmethod
    def _absolute_db_path(cls, value: Path) -> Path:
        """The warehouse path made absolute: runs, workers and GX's Data Docs may not share the caller's cwd."""
        return value.expanduser().absolute()
