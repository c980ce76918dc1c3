"""The sources file: validation with line numbers, filters, private-address scope, the documented example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.sources import Source, SourcesError, load_sources

DOCS = Path(__file__).resolve().parents[1] / "docs" / "sources.md"

VALID = """\
sources:
  - name: harbour-courier
    feeds: [https://harbourcourier.example/feed.xml]
    refresh: true
  - name: offline
    folders: [saved]
    warcs: [/data/news.warc.gz]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_and_relative_paths(tmp_path):
    courier, offline = load_sources(write(tmp_path, VALID))
    assert courier.refresh and courier.feeds == ["https://harbourcourier.example/feed.xml"]
    assert offline.folders == [str(tmp_path / "saved")] and offline.warcs == ["/data/news.warc.gz"]


# (YAML text, the line the error names, words the message contains)
BROKEN = [
    ("sources:\n  - name: a\n    feeds: [ftp://a.example/feed]\n", 3, "not an http(s) URL: 'ftp://a.example/feed'"),
    ("sources:\n  - name: a\n    urls: [https://a.example/x]\n  - name: b\n    feedz: [https://b.example/f]\n",
     5, "sources.1.feedz: unknown field 'feedz' (did you mean 'feeds'?)"),
    ("sources:\n  - name: Bad Name\n    urls: [https://a.example/x]\n", 2, "sources.0.name: String should match"),
    ("sources:\n  - name: a\n    urls: [https://a.example/x]\n    include: ['(unclosed']\n", 4,
     "bad regular expression '(unclosed'"),
    ("sources:\n  - name: a\n    urls: [https://a.example/x]\n    schedule: every hour\n", 4,
     "not a cron expression: 'every hour'"),
    ("sources:\n  - name: a\n    title: nothing to read\n", 2,
     "a source needs at least one of feeds, sitemaps, urls, folders, warcs"),
    ("sources:\n  - name: a\n    urls: [https://a.example/x]\n    politeness: {min_delay: -1}\n", 4,
     "sources.0.politeness.min_delay: Input should be greater than or equal to 0"),
    ("sources:\n  - name: a\n    urls: [https://a.example/x]\n  - name: a\n    urls: [https://a.example/y]\n", 2,
     "source names must be unique: a repeated"),
    ("sources: nothing\n", 1, "sources: Input should be a valid list"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN, ids=[b[2][:30] for b in BROKEN])
def test_errors_name_the_line(tmp_path, text, line, message):
    with pytest.raises(SourcesError) as caught:
        load_sources(write(tmp_path, text))
    report = str(caught.value)
    assert f"line {line}: " in report and message in report, report
    assert f"    | {text.splitlines()[line - 1]}" in report, report


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(SourcesError, match="no such file"):
        load_sources(tmp_path / "absent.yaml")
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))


FILTERED = Source(name="s", urls=["https://www.courier.example/"], allowed_hosts=["Courier.example"],
                  include=[r"/20\d\d/"], exclude=[r"/video/", r"\?page="])


@pytest.mark.parametrize(("url", "accepted"), [
    ("https://www.courier.example/2026/02/harbour-fair", True),
    ("https://courier.example/2026/02/harbour-fair", True),
    ("https://news.courier.example/2026/x", True),
    ("https://othercourier.example/2026/02/harbour-fair", False),
    ("https://www.courier.example/about", False),
    ("https://www.courier.example/2026/video/fair", False),
    ("https://www.courier.example/2026/list?page=2", False),
    ("file:///archive/2026/saved.html", True),
])
def test_accepts(url, accepted):
    assert FILTERED.accepts(url) is accepted


@pytest.mark.parametrize(("fields", "hosts"), [
    ({"feeds": ["http://127.0.0.1:8000/feed.xml"]}, frozenset()),
    ({"feeds": ["http://127.0.0.1:8000/feed.xml"], "allow_private": True}, frozenset({"127.0.0.1"})),
    ({"urls": ["http://127.0.0.1/x"], "allow_private": True, "allowed_hosts": ["intranet.example"]},
     frozenset({"intranet.example"})),
])
def test_private_hosts(fields, hosts):
    assert Source(name="s", **fields).private_hosts() == hosts


def test_documented_example_is_valid(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert blocks
    sources = load_sources(write(tmp_path, blocks[0]))
    assert len(sources) >= 3
