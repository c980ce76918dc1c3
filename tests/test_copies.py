"""A near-copy's new quotes reach the quotes mart once; a copy's repeated quotes never count twice."""

from __future__ import annotations

import re

import pytest

from flows.pipelines import ingest
from flows.settings import Settings
from flows.worker_tasks import to_enrich
from transforms.models import ArticleRecord, ExtractedArticle
from warehouse.db import connect

# A live blog: v1's items, then the two items its later version (v2) adds. Each item quotes someone new.
V1_ITEMS = [
    "Talks between the Port Avery dockworkers' union and the harbour board resumed on Monday morning after a "
    "week of silence. \"We came back because the members asked us to,\" said Mira Castellane, the union's chair.",
    "The harbour board sent its finance director to the table for the first time. \"Every figure is on the "
    "table now, including the pension fund,\" Tomas Vell told reporters outside the board's offices.",
    "Shipping lines have diverted eleven container vessels to Northvale since the strike began, and the queue of "
    "trucks outside the north gate reached two kilometres. \"Our drivers are sleeping in their cabs,\" said "
    "Ines Kavanagh of the hauliers' association.",
    "The mayor of Port Avery urged both sides to settle before the spring fishing season. \"This town cannot "
    "afford another month of idle cranes,\" Mayor Oskar Lindqvist said at a press conference in the town hall.",
    "Fishermen on the south quay said the strike had also emptied the ice plant, which depends on the container "
    "terminal's power line. \"We are throwing away half the catch,\" said Petra Dunmore, who runs two trawlers.",
    "A spokeswoman for the regional government said a mediator was ready if the talks stalled again, and that "
    "the minister had spoken with both sides on Sunday evening about the timetable for a vote.",
]
NEW_ITEMS = [
    "Late on Tuesday the two sides announced a draft agreement on overtime pay and the pension fund. \"It is not "
    "everything we wanted, but it is a fair deal for the night shifts,\" said Jonas Arkwright, the union's "
    "negotiator, as he left the harbour board's building.",
    "The union will put the draft to its members in a ballot on Friday, and the cranes could be working again "
    "by the weekend. \"We expect the first ships to berth on Saturday morning,\" harbourmaster Elin Forsgren said.",
]
SYNDICATED = (
    "The Quillon ferry will keep its winter timetable after a trial season carried more passengers than expected, "
    "the operator said on Tuesday. \"We were surprised by how many people travelled in January,\" said Greta "
    "Holm, the operator's manager. Councillors had asked for the service to continue through the cold months. "
    "The timetable will be cut to four crossings a day in February, Holm said, because the old vessel needs "
    "repairs to its engine before the summer. \"Passengers will be told well in advance,\" she added.",
)
CREDIT = "This article first appeared in the Port Avery Wire and is republished with permission."


def page(title: str, paragraphs: list[str], published: str, outlet: str) -> bytes:
    """An article page: the paragraphs inside <article>, the publication date as metadata."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="en"><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}T09:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright {outlet}</footer></body></html>").encode()


def curly(text: str) -> str:
    """The text with typographic quotation marks, as another outlet's CMS would print it."""
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")


PAGES = {  # path: (outlet, page)
    "/wire/latest-v1": ("wire", page("The Latest: harbour strike talks resume", V1_ITEMS, "2026-03-02", "Wire")),
    "/wire/latest-v2": ("wire", page("The Latest: harbour strike talks resume", V1_ITEMS + NEW_ITEMS,
                                     "2026-03-03", "Wire")),
    # v3: v2 republished by another outlet, its typography and a credit line of its own.
    "/gazette/latest": ("gazette", page("The Latest: harbour strike talks resume",
                                        [curly(p) for p in V1_ITEMS + NEW_ITEMS] + [CREDIT], "2026-03-04", "Gazette")),
    "/wire/ferry": ("wire", page("Ferry keeps its winter timetable", list(SYNDICATED), "2026-03-02", "Wire")),
    # A plain syndicated copy: the same story with a credit line, nothing new said.
    "/gazette/ferry": ("gazette", page("Ferry keeps its winter timetable", [curly(SYNDICATED[0]), CREDIT],
                                       "2026-03-03", "Gazette")),
}


def sources_yaml(path, base: str, paths: list[str]) -> str:
    """Write a sources file listing `paths` as seed URLs of their outlet; return its path."""
    lines = ["sources:"]
    for outlet in ("wire", "gazette"):
        urls = ", ".join(f"{base}{p}" for p in paths if PAGES[p][0] == outlet)
        if urls:
            lines.append(f"  - name: {outlet}\n    allow_private: true\n    urls: [{urls}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def snapshot(db) -> dict:
    """What the tests compare: the quotes rows, states, copies, and row counts of the annotation tables."""
    with connect(db, read_only=True) as con:
        return {
            "quotes": con.execute("SELECT url, outlet, content FROM quotes ORDER BY ALL").fetchall(),
            "states": dict(con.execute("SELECT url, state FROM url_status").fetchall()),
            "copies": dict(con.execute("SELECT url, layer FROM duplicates").fetchall()),
            "enriched": dict(con.execute("SELECT page_url, enriched FROM articles").fetchall()),
            "counts": con.execute("SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM attributions), "
                                  "(SELECT count(*) FROM articles), (SELECT count(*) FROM entities)").fetchone(),
            "attributions": con.execute("SELECT a.page_url, t.content FROM attributions t "
                                        "JOIN articles a USING (article_id) WHERE t.content IS NOT NULL").fetchall(),
            "entity_marts": con.execute("SELECT count(*), sum(mentions) FROM int_article_entities").fetchone(),
        }


def words(text: str) -> str:
    """Lowercased words, as the view compares them."""
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def live_blog(tmp_path_factory):
    """The pages ingested in one run; over two runs, v1 first, then rerun; over two runs, v1 last.

    v1 last: v2 and v3 are stored as a story of their own (v2 its original, enriched), and v1 folds it
    in when it arrives (an earlier publication day): v2 becomes a copy that keeps its annotations.
    """
    from conftest import ScriptedServer

    tmp = tmp_path_factory.mktemp("copies")
    server = ScriptedServer()
    server.thread.start()
    try:
        for path, (_, body) in PAGES.items():
            server.reply(path, body=body)
        base = server.base
        at_once = Settings(db_path=tmp / "once.duckdb")
        ingest(sources_yaml(tmp / "all.yaml", base, list(PAGES)), at_once)
        apart = Settings(db_path=tmp / "apart.duckdb")
        ingest(sources_yaml(tmp / "first.yaml", base, ["/wire/latest-v1", "/wire/ferry"]), apart)
        ingest(sources_yaml(tmp / "all.yaml", base, list(PAGES)), apart)
        before_rerun = snapshot(apart.db_path)
        rerun = ingest(sources_yaml(tmp / "all.yaml", base, list(PAGES)), apart)
        late = Settings(db_path=tmp / "late.duckdb")
        ingest(sources_yaml(tmp / "later.yaml", base, ["/wire/latest-v2", "/gazette/latest"]), late)
        ingest(sources_yaml(tmp / "all.yaml", base, list(PAGES)), late)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    return {"base": base, "once": snapshot(at_once.db_path), "apart": before_rerun,
            "rerun": snapshot(apart.db_path), "rerun_report": rerun, "late": snapshot(late.db_path)}


@pytest.mark.parametrize("run", ["once", "apart", "late"])
def test_each_url_ends_loaded_or_duplicate_and_near_copies_are_enriched(live_blog, run):
    base, got = live_blog["base"], live_blog[run]
    assert got["states"] == {base + p: ("duplicate" if p in ("/wire/latest-v2", "/gazette/latest", "/gazette/ferry")
                                        else "loaded") for p in PAGES}
    # Near-copies (minhash), not the same text: each can carry words its original lacks, so each is enriched.
    assert got["copies"] == {base + "/wire/latest-v2": "minhash", base + "/gazette/latest": "minhash",
                             base + "/gazette/ferry": "minhash"}
    assert all(got["enriched"].values()) and len(got["enriched"]) == 5


@pytest.mark.parametrize("run", ["once", "apart", "late"])
def test_new_quotes_of_a_later_version_count_once_under_it(live_blog, run):
    base, got = live_blog["base"], live_blog[run]
    by_url: dict[str, list[str]] = {}
    for url, outlet, content in got["quotes"]:
        by_url.setdefault(url, []).append(content)
        assert outlet == ("gazette" if "/gazette/" in url else "wire")
    # Nothing from the republished v3 nor from the plain syndicated copy, though both were enriched and quote.
    assert set(by_url) == {base + "/wire/latest-v1", base + "/wire/latest-v2", base + "/wire/ferry"}
    assert {url for url, _ in got["attributions"]} >= {base + "/gazette/latest", base + "/gazette/ferry"}
    # v1's quotes all count, in v1: the quotes mart keeps every attribution of an original.
    v1 = sorted(c for url, c in got["attributions"] if url == base + "/wire/latest-v1")
    assert sorted(by_url[base + "/wire/latest-v1"]) == v1 and len(v1) >= 5
    # v2 adds exactly the attributions of its new items, each found in them.
    new_text = words(" ".join(NEW_ITEMS))
    v2_new = sorted(c for url, c in got["attributions"] if url == base + "/wire/latest-v2" and words(c) in new_text)
    assert len(v2_new) >= 2
    assert sorted(by_url[base + "/wire/latest-v2"]) == v2_new
    # Counted once: no quote's words twice in the mart.
    said = [words(c) for _, _, c in got["quotes"]]
    assert len(said) == len(set(said))


@pytest.mark.parametrize("run", ["apart", "late"])
def test_one_run_and_two_runs_give_the_same_quotes(live_blog, run):
    assert live_blog["once"]["quotes"] == live_blog[run]["quotes"]
    assert live_blog["once"]["entity_marts"] == live_blog[run]["entity_marts"]


def test_rerun_changes_nothing(live_blog):
    assert live_blog["rerun"] == live_blog["apart"]
    assert live_blog["rerun_report"].stages.get("already_loaded") == len(PAGES)


def record(is_canonical: bool, layer: str | None) -> ArticleRecord:
    """A record whose dedup verdict is given."""
    return ArticleRecord("a", "u", "u", "p", "s", ExtractedArticle(text="t"), "h", is_canonical=is_canonical,
                         copy_layer=layer)


@pytest.mark.parametrize(("is_canonical", "layer", "expected"), [
    (True, None, True),  # an original
    (False, "minhash", True),  # a near-copy: a live blog's later version may add items
    (False, "title", True),  # the same title, outlet and day: an updated version
    (False, "text_hash", False),  # the same words: nothing new to find
    (False, "url", False),  # the same article at another address
    (False, None, False),  # a copy whose layer is unknown is not enriched, as before
])
def test_which_articles_are_enriched(is_canonical, layer, expected):
    assert to_enrich(record(is_canonical, layer)) is expected
