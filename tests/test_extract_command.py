"""`newsetl extract` on URLs (through the polite fetcher), standard input and files, in json, txt and markdown."""

from __future__ import annotations

import json

from test_cli import ARTICLE_HTML, run


def test_stdin_as_text():
    result = run(["extract", "--format", "txt", "-"], stdin=ARTICLE_HTML)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("The harbour ferry between Quillon and Dastmoor")
    assert "Tomas Vell" in result.stdout and "Copyright" not in result.stdout


def test_file_as_markdown(tmp_path):
    page = tmp_path / "ferry.html"
    page.write_text(ARTICLE_HTML)
    result = run(["extract", "--format", "markdown", str(page)])
    assert result.returncode == 0, result.stderr
    head, byline, first, *_ = result.stdout.split("\n\n")
    assert head == "# Harbour ferry to run through winter"
    assert byline == "*Mira Castellane · 2026-02-11 · The Test Gazette*"
    assert first.startswith("The harbour ferry between Quillon")


def test_url_is_fetched_politely(http_server):
    """robots.txt is asked first, the page is fetched once, and the JSON line carries the fetched URL's metadata."""
    http_server.reply("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.reply("/ferry", body=ARTICLE_HTML.encode())
    http_server.reply("/private/ferry", body=ARTICLE_HTML.encode())
    url, denied = f"{http_server.base}/ferry", f"{http_server.base}/private/ferry"
    result = run(["extract", "--allow-private", "127.0.0.1", url, denied])
    assert result.returncode == 0, result.stderr
    good, bad = [json.loads(line) for line in result.stdout.splitlines()]
    assert good["path"] == url and good["author"] == "Mira Castellane" and "Tomas Vell" in good["text"]
    assert good["metadata_source"]["author"] == {"from": "library", "library": "Mira Castellane"}
    assert bad["path"] == denied and "robots_denied" in bad["error"]
    assert http_server.hits == {"/robots.txt": 1, "/ferry": 1}


def test_private_address_is_refused_unless_allowed(http_server):
    http_server.reply("/ferry", body=ARTICLE_HTML.encode())
    result = run(["extract", "--format", "txt", f"{http_server.base}/ferry"])
    assert result.returncode == 1
    assert "refused_address" in result.stderr and result.stdout == ""
    assert http_server.hits == {}


def test_unknown_format_is_refused():
    result = run(["extract", "--format", "xml", "-"], stdin=ARTICLE_HTML)
    assert result.returncode != 0 and "--format" in result.stderr
