"""The sources file: which outlets to ingest, validated with pydantic."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Source(BaseModel):
    """One outlet and where its article URLs come from."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str | None = None
    feeds: list[str] = []
    sitemaps: list[str] = []
    urls: list[str] = []
    # Loopback and private addresses are refused unless a source says so (the demo does).
    allow_private: bool = False
    # Fetch URLs again even when they are already loaded.
    refresh: bool = False
    schedule: str | None = None


class SourcesFile(BaseModel):
    """The whole sources YAML file."""

    model_config = ConfigDict(extra="forbid")
    sources: list[Source]


class SourcesError(ValueError):
    """The sources file is missing or malformed; the message says where."""


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources YAML file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: no such file") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from exc
    try:
        parsed = SourcesFile.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: invalid sources file"]
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"  {where}: {err['msg']}")
        raise SourcesError("\n".join(lines)) from exc
    names = [s.name for s in parsed.sources]
    if len(names) != len(set(names)):
        raise SourcesError(f"{path}: source names must be unique")
    return parsed.sources
