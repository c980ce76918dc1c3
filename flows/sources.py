"""The sources file: which outlets to ingest, validated with pydantic, errors shown with their line."""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from cronsim import CronSim, CronSimError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from transforms.models import ArticleRecord, Rejection


def host_matches(host: str | None, hosts: frozenset[str]) -> bool:
    """Whether a host is one of `hosts` or a subdomain of one (news.example.com under example.com)."""
    host = (host or "").lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)


class Politeness(BaseModel):
    """Per-source overrides of the fetch politeness settings (None keeps the global value)."""

    model_config = ConfigDict(extra="forbid")

    per_host_concurrency: int | None = Field(None, ge=1)
    min_delay: float | None = Field(None, ge=0)


class Source(BaseModel):
    """One outlet and where its article URLs come from."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str | None = None
    # RSS 1/2, Atom or JSON feeds; a homepage here has its <link rel="alternate"> feeds read.
    feeds: list[str] = []
    # Sitemaps, sitemap indexes and Google News sitemaps, plain or gzipped.
    sitemaps: list[str] = []
    # Seed article URLs, fetched as they are.
    urls: list[str] = []
    # Offline pages: folders of .html/.html.gz files and WARC files (relative to the sources file).
    folders: list[str] = []
    warcs: list[str] = []
    # Article URLs must be on these hosts or their subdomains; empty accepts every host.
    allowed_hosts: list[str] = []
    # Regular expressions searched in each URL: with `include`, one must match; any `exclude` match drops it.
    include: list[str] = []
    exclude: list[str] = []
    # At most this many article URLs per run (the first found, feeds before sitemaps); None is no limit.
    max_urls: int | None = Field(None, ge=1)
    # Sitemap entries and child sitemaps dated (news publication date, else lastmod) more than this
    # many days ago are skipped: a big outlet's sitemap index reaches back decades. Undated ones are kept.
    max_age_days: int | None = Field(None, ge=1)
    # Private, loopback and link-local addresses are refused unless a source allows them, and then
    # only for its allowed hosts (or, without that list, the hosts of its feeds, sitemaps and seeds).
    allow_private: bool = False
    # Fetch URLs again even when they are already loaded (conditional GET: a 304 is `unchanged`).
    refresh: bool = False
    # A cron expression ("0 */2 * * *") for deployments that run the source on its own schedule.
    schedule: str | None = None
    politeness: Politeness = Politeness()
    # Keep only articles in these languages (ISO 639-1 codes, e.g. [en, de]); an article in another
    # one ends `skipped_language`. Empty keeps every language.
    languages: list[str] = []

    @field_validator("feeds", "sitemaps", "urls")
    @classmethod
    def _web_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @field_validator("include", "exclude")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
        return patterns

    @field_validator("languages")
    @classmethod
    def _languages(cls, languages: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in languages]
        for code in codes:
            if not re.fullmatch(r"[a-z]{2}", code):
                raise ValueError(f"not an ISO 639-1 language code: {code!r}")
        return codes

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, hosts: list[str]) -> list[str]:
        return [h.strip().lower().rstrip(".") for h in hosts]

    @field_validator("schedule")
    @classmethod
    def _cron(cls, schedule: str | None) -> str | None:
        if schedule is not None:
            try:
                next(CronSim(schedule, datetime.now()))
            except (CronSimError, StopIteration) as exc:
                raise ValueError(f"not a cron expression: {schedule!r}") from exc
        return schedule

    @model_validator(mode="after")
    def _has_inputs(self) -> Source:
        if not (self.feeds or self.sitemaps or self.urls or self.folders or self.warcs):
            raise ValueError("a source needs at least one of feeds, sitemaps, urls, folders, warcs")
        return self

    def private_hosts(self) -> frozenset[str]:
        """Hosts this source may reach on non-public addresses (none unless allow_private)."""
        if not self.allow_private:
            return frozenset()
        if self.allowed_hosts:
            return frozenset(self.allowed_hosts)
        return frozenset((urlsplit(u).hostname or "").lower() for u in [*self.feeds, *self.sitemaps, *self.urls])

    def accepts(self, url: str) -> bool:
        """Whether a discovered URL passes the source's host list and include/exclude patterns."""
        host = urlsplit(url).hostname
        if self.allowed_hosts and host is not None and not host_matches(host, frozenset(self.allowed_hosts)):
            return False
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


class SourcesFile(BaseModel):
    """The whole sources YAML file."""

    model_config = ConfigDict(extra="forbid")
    sources: list[Source]

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[Source]) -> list[Source]:
        names = [s.name for s in sources]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"source names must be unique: {', '.join(repeated)} repeated")
        return sources


class SourcesError(ValueError):
    """The sources file is missing or malformed; the message says where."""


def _message(err: dict) -> str:
    """A pydantic error in the words of a sources file: a misspelt field is named, with the field it likely means."""
    if err["type"] != "extra_forbidden":
        return err["msg"]
    loc = err["loc"]
    key = str(loc[-1])
    # ("sources", 1, "feedz"): a source's field; ("sources", 0, "politeness", "delay"): politeness; else the top level
    model = Politeness if "politeness" in loc[:-1] else Source if len(loc) == 3 else SourcesFile
    close = difflib.get_close_matches(key, model.model_fields, n=1)
    return f"unknown field {key!r}" + (f" (did you mean {close[0]!r}?)" if close else
                                       f" (fields: {', '.join(model.model_fields)})")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML parser error on one line: where and what, without PyYAML's excerpt of the text."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    if context and context_mark is not None:
        context += f" that starts on line {context_mark.line + 1}"
    return f"{where}{problem}" + (f" ({context})" if context else "")


def _node_at(node: yaml.Node, loc: tuple) -> yaml.Node:
    """The YAML node at a pydantic error location, or the deepest one that exists."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            value = next((v for k, v in node.value if k.value == str(key)), None)
            if value is None:
                break  # a missing field: the mapping that lacks it is the place to look
            node = value
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break  # pydantic's own steps (e.g. "function-after") name no YAML node
    return node


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources YAML file; folder and WARC paths become relative to it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from exc
    except OSError as exc:  # a directory, no permission
        raise SourcesError(f"{path}: cannot read it: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    if raw is None:
        raise SourcesError(f"{path}: the file is empty; it should hold a `sources:` list (see docs/sources.md)")
    try:
        parsed = SourcesFile.model_validate(raw)
    except ValidationError as exc:
        root, lines = yaml.compose(text), text.splitlines()
        report = [f"{path}: invalid sources file"]
        for err in exc.errors():
            where, message = ".".join(str(p) for p in err["loc"]), _message(err)
            if root is None:
                report.append(f"  {where}: {message}")
                continue
            line = _node_at(root, err["loc"]).start_mark.line
            report.append(f"  line {line + 1}: {where}: {message}\n    | {lines[line] if line < len(lines) else ''}")
        raise SourcesError("\n".join(report)) from exc
    for source in parsed.sources:
        source.folders = [str(path.parent / p) for p in source.folders]
        source.warcs = [str(path.parent / p) for p in source.warcs]
    return parsed.sources


def skip_languages(records: list[ArticleRecord], languages: dict[str, list[str]]) -> tuple[list[ArticleRecord], list[Rejection]]:
    """Articles their source keeps, and a `skipped_language` rejection (stage "language") for each other one.

    `languages` maps a source name to its `languages:` list (a missing or empty list keeps
    everything); an article whose language could not be told is kept.
    """
    kept, skipped = [], []
    for record in records:
        wanted, language = languages.get(record.source) or [], record.article.language
        if not wanted or language is None or language in wanted:
            kept.append(record)
        else:
            skipped.append(Rejection(record.page_url, record.source, "skipped_language", "language",
                                     f"language {language} not in {', '.join(wanted)}", language, record.page_id))
    return kept, skipped
