"""The demo news site: deterministic generation, truth consistent with the pages, real HTTP serving."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import combinations

import httpx
import pytest
import yaml

from flows.demo.site import build_site, serve_site, site_truth, write_sources_yaml, write_truth

FAKE_BASES = {"harbour-courier": "http://h.test", "northvale-ledger": "http://l.test"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site():
    return build_site(7)


@pytest.fixture(scope="module")
def truth(site):
    return site_truth(site, FAKE_BASES)


@pytest.fixture(scope="module")
def served(site):
    with serve_site(site) as bases:
        yield bases, site_truth(site, bases)


def _page(site, url: str) -> str:
    slug, path = next((s, url[len(b):]) for s, b in FAKE_BASES.items() if url.startswith(b))
    outlet = next(o for o in site.outlets if o.slug == slug)
    return outlet.pages[path].body.decode("utf-8")


def test_same_seed_gives_same_bytes(site, truth):
    again = build_site(7)
    for a, b in zip(site.outlets, again.outlets, strict=True):
        assert a.pages == b.pages
    assert site_truth(again, FAKE_BASES) == truth
    assert build_site(8).outlets[0].pages != site.outlets[0].pages


def test_counts(truth):
    per_outlet = Counter(a["outlet"] for a in truth["articles"])
    assert sum(per_outlet.values()) >= 60
    assert min(per_outlet.values()) >= 30
    kinds = Counter(d["kind"] for d in truth["duplicates"])
    assert kinds["syndicated"] >= 6 and kinds["tracking_url"] == 1
    problems = {b["problem"]: b["expected_state"] for b in truth["broken"]}
    assert problems == {
        "http_404": "fetch_failed", "http_500": "fetch_failed", "non_html": "fetch_failed",
        "empty_body": "quarantined", "truncated_html": "quarantined", "robots_disallowed": "robots_denied",
    }
    assert len({a["url"] for a in truth["articles"]}) == len(truth["articles"])
    assert not any("/private/" in a["url"] for a in truth["articles"])  # never fetched, so never an article
    # Headlines differ in wording, not only in their numbers (title-based dedup must not merge them).
    assert len({re.sub(r"\d+", "#", a["title"]) for a in truth["articles"]}) == len(truth["articles"])


def test_articles_have_the_required_shape(truth):
    for a in truth["articles"]:
        paragraphs = a["text"].split("\n")
        assert 4 <= len(paragraphs) <= 12, a["url"]
        assert a["authors"] and a["title"] and a["language"] == "en"
        assert re.fullmatch(r"2026-\d\d-\d\d", a["published"])
        assert a["description"] == paragraphs[0]


def test_every_paragraph_appears_in_the_html(site, truth):
    for a in truth["articles"]:
        page = _page(site, a["url"])
        for paragraph in a["text"].split("\n"):
            assert html.escape(paragraph, quote=False) in page, (a["url"], paragraph)
        assert f'<link rel="canonical" href="{{BASE}}{a["url"][len(FAKE_BASES[a["outlet"]]):]}">' in page


def test_syndicated_copies_are_edited(truth):
    by_url = {a["url"]: a for a in truth["articles"]}
    copies = [a for a in truth["articles"] if a["syndicated_from"]]
    for copy in copies:
        original = by_url[copy["syndicated_from"]]
        assert copy["outlet"] != original["outlet"] and copy["title"] != original["title"]
        changed = set(original["text"].split("\n")) - set(copy["text"].split("\n"))
        assert 1 <= len(changed) <= 2, copy["url"]  # one sentence dropped, one edited
    assert {c["outlet"] for c in copies} == {"harbour-courier", "northvale-ledger"}


def test_templates_differ(site):
    courier = next(iter(site.outlets[0].pages.values())).body.decode()
    ledger = site.outlets[1].pages[site.articles[-1].path].body.decode()
    assert "<article" in courier and "<article" not in ledger
    assert 'class="comments"' in courier and 'class="discussion"' in ledger


def test_planted_attributions_are_in_the_text(truth):
    kinds, cues, anonymous = Counter(), Counter(), 0
    for a in truth["articles"]:
        for att in a["attributions"]:
            kinds[att["kind"]] += 1
            cues[att["cue"]] += 1
            anonymous += att["anonymous"]
            assert att["speaker"] in a["text"], att
            if att["kind"] == "no_comment":
                assert att["content"] is None
            else:
                assert att["content"] in a["text"], att
            for part in att.get("content_parts", []):
                assert part in a["text"]
    assert min(kinds[k] for k in ("direct", "indirect", "according_to", "no_comment")) >= 5
    assert {"said", "told", "warned", "added", "according to", "reported"} <= set(cues)
    assert anonymous >= 5
    texts = "\n".join(a["text"] for a in truth["articles"])
    assert "“" in texts and '"' in texts  # curly and straight quotes
    assert sum("content_parts" in att for a in truth["articles"] for att in a["attributions"]) >= 3


def test_people_are_introduced_before_the_surname(truth):
    surnames = 0
    for a in truth["articles"]:
        for entity in a["entities"]:
            assert entity["text"] in a["text"]
            if entity["label"] == "PERSON" and entity["text"] != entity["canonical"]:
                surnames += 1
                assert a["text"].index(entity["canonical"]) < a["text"].index(entity["text"]), entity
    assert surnames >= 20
    ledger = "\n".join(a["text"] for a in truth["articles"] if a["outlet"] == "northvale-ledger")
    assert re.search(r"\b(Ms|Mr)\. [A-Z]", ledger)  # the Ledger's house style: honorifics on later mentions


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def test_only_planted_copies_are_near_duplicates(truth):
    copies = {frozenset((d["url"], d["of"])) for d in truth["duplicates"] if d["kind"] == "syndicated"}
    shingles = {a["url"]: _shingles(a["text"]) for a in truth["articles"]}
    for (u, su), (v, sv) in combinations(shingles.items(), 2):
        jaccard = len(su & sv) / len(su | sv)
        if frozenset((u, v)) in copies:
            assert jaccard > 0.6, (u, v, jaccard)
        else:
            # Stories on one topic share some phrasing, well below the dedup threshold of 0.5.
            assert jaccard < 0.35, (u, v, jaccard)


def test_serving_over_http(served):
    bases, truth = served
    with httpx.Client(timeout=5) as client:
        for outlet in truth["outlets"]:
            robots = client.get(outlet["base_url"] + "/robots.txt")
            assert robots.status_code == 200 and "Disallow: /private/" in robots.text
            feed = client.get(outlet["feed_url"])
            assert feed.headers["content-type"].startswith("application/rss+xml")
            links = [item.findtext("link") for item in ET.fromstring(feed.content).iter("item")]
            assert len(links) == 20 and all(link.startswith(outlet["base_url"]) for link in links)
            sitemap = ET.fromstring(client.get(outlet["sitemap_url"]).content)
            locs = [u.findtext(SITEMAP_NS + "loc") for u in sitemap.iter(SITEMAP_NS + "url")]
            assert all(u.findtext(SITEMAP_NS + "lastmod") for u in sitemap.iter(SITEMAP_NS + "url"))
            assert {b["url"] for b in truth["broken"] if b["url"].startswith(outlet["base_url"])} <= set(locs)
        expected = {
            "http_404": (404, "text/html"), "http_500": (500, "text/html"), "empty_body": (200, "text/html"),
            "non_html": (200, "application/pdf"), "truncated_html": (200, "text/html"),
            "robots_disallowed": (200, "text/html"),
        }
        for broken in truth["broken"]:
            response = client.get(broken["url"])
            status, content_type = expected[broken["problem"]]
            assert response.status_code == status and response.headers["content-type"].startswith(content_type)
            if broken["problem"] == "empty_body":
                assert response.content == b""
            if broken["problem"] == "truncated_html":
                assert b"</head>" not in response.content or b"<p" not in response.content
        assert client.get(bases["harbour-courier"] + "/no/such/page").status_code == 404


def test_tracking_url_serves_the_same_page(served):
    bases, truth = served
    article = next(a for a in truth["articles"] if a["alternate_urls"])
    with httpx.Client(timeout=5) as client:
        feed = client.get(truth["outlets"][0]["feed_url"]).text
        assert html.escape(article["alternate_urls"][0]) in feed
        clean, tracked = client.get(article["url"]), client.get(article["alternate_urls"][0])
        assert clean.status_code == tracked.status_code == 200 and clean.content == tracked.content
        assert f'<link rel="canonical" href="{article["url"]}">' in clean.text
        assert client.get(article["url"], headers={"If-None-Match": clean.headers["etag"]}).status_code == 304
        since = {"If-Modified-Since": clean.headers["last-modified"]}
        assert client.get(article["url"], headers=since).status_code == 304
        assert client.get(article["url"], headers={"If-Modified-Since": "Mon, 02 Feb 2026 00:00:00 GMT"}).status_code == 200
        assert client.get(article["url"], headers={"If-None-Match": '"stale"'}).status_code == 200


def test_truth_and_sources_files(site, tmp_path):
    write_truth(site, FAKE_BASES, tmp_path / "truth.json")
    write_sources_yaml(site, FAKE_BASES, tmp_path / "sources.yaml")
    assert json.loads((tmp_path / "truth.json").read_text())["seed"] == 7
    sources = yaml.safe_load((tmp_path / "sources.yaml").read_text())["sources"]
    assert sources[0] == {
        "name": "harbour-courier", "title": "The Harbour Courier", "feeds": ["http://h.test/feed.xml"],
        "sitemaps": ["http://h.test/sitemap.xml"], "allow_private": True,
    }


def test_server_is_quiet_and_stops(site, capfd):
    with serve_site(site) as bases, httpx.Client(timeout=5) as client:
        base = bases["harbour-courier"]
        assert base.startswith("http://127.0.0.1:")
        assert client.get(base + "/robots.txt").status_code == 200
        assert client.get(base + "/missing").status_code == 404
    assert capfd.readouterr().err == ""
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/robots.txt", timeout=2)
