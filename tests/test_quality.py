"""Data quality: suites per table, quarantine with reasons, the failure-rate gate, validations, Data Docs,
and the quarantine and requeue commands. Stories, outlets and people here are invented."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from expectations.annotations import PARTS, annotation_frame, attributions_suite
from expectations.validate import RowFailure, SuiteResult, run_suite
from flows.quality import Check, breaches, check_annotations, check_articles, check_tables, validation_rows
from flows.settings import QualityConfig, Settings
from transforms.models import (
    Annotation,
    ArticleRecord,
    Attribution,
    DiscoveredUrl,
    Duplicate,
    ExtractedArticle,
    Mention,
    Page,
    Rejection,
)
from warehouse.db import connect
from warehouse.loader import LoadBatch, load_batch

STORY = ("The ferry between Quillon and Dastmoor will run through the winter, the operator said on Tuesday, "
         "after a trial season carried more passengers than expected. Councillors had asked for the service "
         "to continue. Tomas Vell, the operator's manager, said the timetable would be cut in January. ")


def record(i: int, **article) -> ArticleRecord:
    """An article that passes every rule unless `article` overrides a field."""
    url = article.pop("url", f"https://gazette.example/news/{i}")
    fields = {"text": f"Story {i}. " + STORY * 2, "title": f"Ferry story {i}", "language": "en",
              "published": date(2026, 3, 2)}
    fields.update(article)
    return ArticleRecord(article_id=f"a{i}", url=url, page_url=url, page_id=f"p{i}", source="gazette",
                         article=ExtractedArticle(**fields), text_hash=f"h{i}")


# (what is wrong, the field that makes it wrong, the rule it breaks)
BAD_ARTICLES = [
    ("a date in 2099", {"published": date(2099, 5, 1)}, "published_range"),
    ("a date before 1990", {"published": date(1985, 1, 1)}, "published_range"),
    ("a title of 2,000 characters", {"title": "Ferry " * 333 + "up"}, "title_length"),
    ("no title", {"title": None}, "title_not_null"),
    ("a teaser for a body", {"text": "Read more about the ferry."}, "text_length"),
    ("a malformed URL", {"url": "gazette.example/news/no-scheme"}, "url_well_formed"),
]


def test_each_bad_article_is_quarantined_with_its_rule_and_nothing_else_is_lost():
    good = [record(i) for i in range(3)]
    bad = [record(10 + i, **change) for i, (_, change, _) in enumerate(BAD_ARTICLES)]
    kept, rejections, check = check_articles(good + bad, QualityConfig())
    assert [r.article_id for r in kept] == ["a0", "a1", "a2"]
    rules = {r.url: r.rule for r in rejections}
    assert rules == {b.page_url: rule for b, (_, _, rule) in zip(bad, BAD_ARTICLES, strict=True)}
    assert all(r.stage == "validate" and r.severity == "error" and r.detail for r in rejections)
    values = {r.rule: r.value for r in rejections}
    assert (values["published_range"], values["text_length"]) == ("1985-01-01", str(len("Read more about the ferry.")))
    assert check.result.evaluated == 9


def test_an_article_in_any_language_passes_the_suite():
    """The language gate is gone: a German or undetected-language article is valid (a source may still restrict)."""
    kept, rejections, _ = check_articles([record(1, language="de"), record(2, language=None)], QualityConfig())
    assert [r.article_id for r in kept] == ["a1", "a2"] and rejections == []


def test_a_duplicate_url_in_one_batch_quarantines_the_later_copy_only():
    first, again = record(1), record(2, url="https://gazette.example/news/1")
    kept, rejections, _ = check_articles([first, again], QualityConfig())
    assert kept == [first]
    assert [(r.page_id, r.rule) for r in rejections] == [("p2", "url_unique")]


def test_same_text_is_quarantined_only_among_canonical_articles():
    original, copy, twin = record(1), record(2), record(3)
    copy.text_hash = twin.text_hash = original.text_hash
    copy.is_canonical = False  # dedup found it: stored as a copy, not quarantined
    kept, rejections, _ = check_articles([original, copy, twin], QualityConfig())
    assert [r.article_id for r in kept] == ["a1", "a2"]
    assert [(r.page_id, r.rule) for r in rejections] == [("p3", "text_hash_unique")]


def test_warn_rules_are_recorded_and_let_the_article_through():
    undated = record(1, published=None, language=None)
    kept, rejections, check = check_articles([undated, record(2)], QualityConfig())
    assert kept == [undated, kept[1]] and rejections == []
    [row] = validation_rows("run", 0, [check])
    assert (row["evaluated"], row["failed_rows"], row["warned_rows"], row["pass_rate"], row["success"]) == (2, 0, 1, 1.0, True)
    assert json.loads(row["failures"]) == {"published_not_null": 1, "language_not_null": 1}


def annotated(i: int) -> ArticleRecord:
    """An article with hand-made mentions and attributions whose offsets slice its text."""
    r = record(i)
    text = r.article.text
    start = text.index("Tomas Vell")
    said = text.index("said the timetable")
    content = (said + 5, text.index(" in January"))
    r.annotation = Annotation(
        mentions=[Mention("Tomas Vell", "PERSON", start, start + 10, canonical="Tomas Vell"),
                  Mention("Quillon", "GPE", text.index("Quillon"), text.index("Quillon") + 7, canonical="Quillon")],
        attributions=[Attribution("indirect", "Tomas Vell", start, start + 10, "Tomas Vell", "said", said, said + 4,
                                  text[content[0]:content[1]], *content)],
    )
    return r


TUESDAY = len("Story 0. ") + STORY.index("Tuesday")  # every text starts "Story <digit>. "
# (what is wrong, how an article's annotation is broken, the rules that catch it)
BROKEN_ANNOTATIONS = [
    # Past the end the slice is empty too: both rules are broken.
    ("mention offsets past the text", lambda a: a.mentions.append(Mention("Vell", "PERSON", 5000, 5004, canonical="Vell")),
     {"mention_offsets", "mention_slice"}),
    ("mention text not what its offsets slice", lambda a: a.mentions.append(Mention("Dastmoor", "GPE", 0, 8, canonical="Dastmoor")),
     {"mention_slice"}),
    ("mention label not accepted", lambda a: a.mentions.append(Mention("Tuesday", "DATE", TUESDAY, TUESDAY + 7, canonical="Tuesday")),
     {"label_accepted"}),
    ("attribution kind not accepted", lambda a: a.attributions.append(replace(a.attributions[0], kind="shouted")),
     {"kind_accepted"}),
    ("content offsets that slice other words", lambda a: a.attributions.append(replace(a.attributions[0], content_start=0)),
     {"content_slice"}),
    ("speaker entity without a mention", lambda a: a.attributions.append(replace(a.attributions[0], speaker_entity="Mira Castellane")),
     {"speaker_entity_known"}),
]


def test_broken_annotation_rows_are_dropped_and_noted():
    records = [annotated(i) for i in range(len(BROKEN_ANNOTATIONS) + 1)]  # the last one stays healthy
    good = [(list(r.annotation.mentions), list(r.annotation.attributions)) for r in records]
    for r, (_, breaks, _) in zip(records, BROKEN_ANNOTATIONS, strict=False):
        breaks(r.annotation)
    rejections, checks = check_annotations(records + [record(99)])
    assert [(r.annotation.mentions, r.annotation.attributions) for r in records] == good
    found: dict[str, set] = {}
    for q in rejections:
        assert q.stage == "enrich"
        found.setdefault(q.url, set()).add(q.rule)
    assert found == {r.page_url: rules for r, (_, _, rules) in zip(records, BROKEN_ANNOTATIONS, strict=False)}
    assert [(c.result.suite, c.result.evaluated) for c in checks] == [("mentions", 17), ("attributions", 10)]


def test_relationship_rules_name_rows_whose_keys_are_not_in_the_batch():
    rows = [{"article_id": "a1", "seq": 0, "kind": "direct", "entity_id": "e1", "speaker_entity": "Ada Brenner",
             "content": "x", **{f"{p}_{e}": None for p in PARTS for e in ("start", "end")}, **{p: None for p in PARTS}},
            {"article_id": "a9", "seq": 0, "kind": "direct", "entity_id": "e7", "speaker_entity": "Yusuf Kell",
             "content": "x", **{f"{p}_{e}": None for p in PARTS for e in ("start", "end")}, **{p: None for p in PARTS}},
            {"article_id": "a1", "seq": 1, "kind": "anonymous", "entity_id": None, "speaker_entity": None,
             "content": "x", **{f"{p}_{e}": None for p in PARTS for e in ("start", "end")}, **{p: None for p in PARTS}}]
    keys = {("article_id", "articles"): {"a1"}, ("entity_id", "entities"): {"e1"}}
    frame = annotation_frame(rows, {"a1": "text"}, PARTS, keys)
    result = run_suite("attributions", attributions_suite, (), frame)
    relationships = [f for f in result.failures if f.rule.endswith(("_in_articles", "_in_entities"))]
    # Row 2's null entity is no key to check.
    assert {(f.row, f.rule) for f in relationships} == {(1, "article_id_in_articles"), (1, "entity_id_in_entities")}
    assert {f.value for f in relationships} == {"a9", "e7"}


def test_healthy_annotations_pass():
    rejections, checks = check_annotations([annotated(1), annotated(2), record(3)])
    assert rejections == []
    assert [(c.result.evaluated, c.result.success) for c in checks] == [(4, True), (2, True)]


def test_table_suites_warn_about_pages_outside_the_accepted_sets():
    pages = [
        Page("https://gazette.example/a", "gazette", status=200, content_type="text/html; charset=utf-8", body=b"<p>"),
        Page("https://gazette.example/b", "gazette", status=200, content_type="application/pdf", body=b"%PDF"),
        Page("https://gazette.example/c", "gazette", status=206, content_type="text/html", body=b"<p>"),
        Page("https://gazette.example/d", "gazette", status=404, error="http_404"),
    ]
    rejected = [Rejection("https://gazette.example/a", "gazette", "too_short", "extract")]
    checks = {c.result.suite: c.result for c in check_tables(LoadBatch("run", pages=pages, rejections=rejected))}
    assert set(checks) == {"pages", "quarantine"}
    assert checks["pages"].counts() == {"mime_accepted": 1, "status_accepted": 1}
    assert checks["pages"].success  # warnings: raw pages are always stored
    assert checks["quarantine"].counts() == {}


def gate_batch(n: int, failing: int) -> tuple[list[Page], list[Check]]:
    """The articles check of a batch of n articles of which `failing` broke the title rule."""
    failures = [RowFailure(i, "title_length", "error", "Ferry " * 60, "") for i in range(failing)]
    return [], [Check("validate", SuiteResult("articles", n, failures), ["gazette"] * n)]


@pytest.mark.parametrize(("n", "failing", "tripped"), [
    (70, 2, False),   # the demo site's two broken pages
    (30, 16, True),   # more than half of a large enough batch
    (30, 15, False),  # exactly half is not more than half
    (6, 6, False),    # a small batch never trips the gate
])
def test_failure_rate_gate_applies_per_batch_above_a_minimum_size(n, failing, tripped):
    pages, checks = gate_batch(n, failing)
    lines = breaches(pages, [], checks, QualityConfig())
    assert bool(lines) == tripped
    if tripped:
        assert lines == [f"source gazette, stage validate (articles): {failing} of {n} rows failed "
                         f"({failing / n:.0%} > 50%; title_length {failing}); has the site changed its layout?"]


def test_extraction_failures_count_for_the_gate():
    pages = [Page(f"https://gazette.example/{i}", "gazette", status=200, body=b"") for i in range(25)]
    rejections = [Rejection(p.url, "gazette", "empty_body", "extract") for p in pages[:20]]
    [line] = breaches(pages, rejections, [], QualityConfig())
    assert line.startswith("source gazette, stage extract: 20 of 25 rows failed (80% > 50%; empty_body 20)")


def test_quarantine_command_lists_pages_with_reasons(tmp_path):
    from flows.cli import app

    db = tmp_path / "news.duckdb"
    old, teaser = record(1, published=date(1985, 1, 1)), record(2, text="Read more.", published=date(1985, 1, 1))
    _, rejected, _ = check_articles([old, teaser, record(3)], QualityConfig())
    with connect(db) as con:
        load_batch(con, LoadBatch(
            "run1", discovered=[DiscoveredUrl(r.page_url, "gazette", "seed") for r in (old, teaser)],
            pages=[Page(r.page_url, "gazette", status=200, body=b"<p>", fetched_at=datetime(2026, 3, 2)) for r in (old, teaser)],
            rejections=rejected))
    as_json = CliRunner().invoke(app, ["quarantine", "--db", str(db), "-f", "json", "--rule", "published_range"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)  # --format json prints one JSON array
    assert [(r["url"], r["state"], r["stage"], r["rule"], r["value"]) for r in rows] == [
        (old.page_url, "quarantined", "validate", "published_range", "1985-01-01"),
        (teaser.page_url, "quarantined", "validate", "published_range", "1985-01-01"),
    ]
    as_csv = CliRunner().invoke(app, ["quarantine", "--db", str(db), "--format", "csv"])
    assert as_csv.output.splitlines()[0] == ("url,source,state,stage,rule,detail,value,quarantined_at,run_id,"
                                            "title,authors,published,language")
    assert len(as_csv.output.splitlines()) == 1 + 3  # the teaser broke two rules
    table = CliRunner().invoke(app, ["quarantine", "--db", str(db), "--source", "elsewhere"])
    assert table.exit_code == 0 and "0 rows" in table.output


def test_a_page_too_short_to_be_an_article_is_quarantined_with_its_title_and_date(tmp_path):
    """The worker's extraction and the loader: a refused page's row keeps its metadata; an empty one has none."""
    from flows.cli import app
    from flows.worker_tasks import extract_pages

    short = page_html("Pier closed for repairs", "Closed today for repairs.", lang="de", published="2026-03-04")
    pages = [Page(f"https://gazette.example/{name}", "gazette", status=200, body=body, content_type="text/html",
                  fetched_at=datetime(2026, 3, 4)) for name, body in (("short", short), ("empty", b""))]
    records, rejections = extract_pages(pages, Settings(db_path=tmp_path / "news.duckdb"))
    db = tmp_path / "news.duckdb"
    with connect(db) as con:
        load_batch(con, LoadBatch("run1", discovered=[DiscoveredUrl(p.url, "gazette", "seed") for p in pages],
                                  pages=pages, rejections=rejections))
        rows = con.execute("SELECT url, rule, title, authors, published, language FROM quarantine ORDER BY url").fetchall()
    assert records == [] and rows == [
        ("https://gazette.example/empty", "empty_body", None, None, None, None),
        ("https://gazette.example/short", "too_short", "Pier closed for repairs", [], date(2026, 3, 4), "de"),
    ]
    table = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["quarantine", "--db", str(db)])
    assert table.exit_code == 0 and "Pier closed for repairs (2026-03-04)" in table.output, table.output


# ---------------------------------------------------------------- one flow run over a scripted site

def page_html(title: str, body: str, lang: str = "en", published: str = "2026-03-02") -> bytes:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (f'<html lang="{lang}"><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}T09:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Copyright The Test Gazette</footer></body></html>").encode()


LIBRARY = ("The Dastmoor library will open on Sundays from April, the council's culture committee decided "
           "on Monday, after a petition signed by four hundred residents. Librarian Oona Pell said volunteers "
           "would staff the reading room and that the children's corner would stay closed on those days.")
WALL = ("Engineers began rebuilding the harbour wall at Quillon on Thursday, three months after winter storms "
        "tore a twelve-metre gap in it. The works will close the north quay to fishing boats until June, "
        "harbourmaster Ines Kavanagh said, and the cost will be shared by the port and the county.")
ORCHARD = ("A community orchard planted on the old rail yard at Brenholm produced its first harvest this autumn, "
           "with volunteers picking more than two tonnes of apples. The growers' cooperative said it would press "
           "most of the fruit into juice and give the rest to the school kitchens of the district.")
GERMAN = ("Die Fähre zwischen Quillon und Dastmoor wird auch im Winter fahren, sagte der Betreiber am Dienstag, "
          "nachdem in der Probezeit mehr Fahrgäste als erwartet gekommen waren und der Rat darum gebeten hatte.")
SCRIPTED = {
    # path: (body, expected state, expected quarantine rules)
    "/news/ferry": (page_html("Ferry to run through winter", STORY), "loaded", set()),
    "/news/library": (page_html("Library opens on Sundays", LIBRARY), "loaded", set()),
    # Extraction does not believe a date in 2099 (htmldate): the article loads without a date, with a warning.
    "/news/future": (page_html("Harbour wall rebuilt", WALL, published="2099-05-01"), "loaded", set()),
    "/news/empty": (b"", "quarantined", {"empty_body"}),
    "/news/boilerplate": (b"<html><body><nav><a href='/'>Home</a></nav><footer>Copyright The Test Gazette. "
                          b"Subscribe to our newsletter.</footer></body></html>", "quarantined", {"too_short"}),
    "/news/binary": (random.Random(6).randbytes(10_000), "quarantined", {"not_html"}),
    # Just under the 10 MB body cap: 900,000 nested divs.
    "/news/nested": (b"<html><body>" + b"<div>" * 900_000 + b"deep" + b"</div>" * 900_000 + b"</body></html>",
                     "quarantined", {"no_article"}),
    # Any language is stored with its language (no source `languages:` list here).
    "/news/german": (page_html("Fähre fährt im Winter", GERMAN, lang="de"), "loaded", set()),
    "/news/long-title": (page_html("Orchard " * 250, ORCHARD), "quarantined", {"title_length"}),
}


# The flow run starts Prefect's ephemeral API (~30 s on a busy machine): these tests are slow.
@pytest.fixture(scope="module")
def scripted_run(tmp_path_factory):
    """Ingest the scripted site once; yield the settings, the report and the server's base URL."""
    from conftest import ScriptedServer

    from flows.pipelines import ingest

    server = ScriptedServer()
    server.thread.start()
    for path, (body, _, _) in SCRIPTED.items():
        server.reply(path, body=body)
    tmp = tmp_path_factory.mktemp("quality")
    sources = tmp / "sources.yaml"
    urls = "".join(f"\n      - {server.base}{path}" for path in SCRIPTED)
    sources.write_text(f"sources:\n  - name: gazette\n    allow_private: true\n    urls:{urls}\n", encoding="utf-8")
    settings = Settings(db_path=tmp / "warehouse" / "news.duckdb")
    try:
        report = ingest(str(sources), settings)
        yield settings, report, server.base, sources
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.mark.slow
def test_flow_quarantines_bad_pages_with_their_rules_and_loads_the_rest(scripted_run):
    settings, report, base, _ = scripted_run
    with connect(settings.db_path, read_only=True) as con:
        states = dict(con.execute("SELECT url, state FROM url_status").fetchall())
        rules: dict[str, set] = {}
        for url, rule in con.execute("SELECT url, rule FROM quarantine").fetchall():
            rules.setdefault(url, set()).add(rule)
        pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert states == {base + path: state for path, (_, state, _) in SCRIPTED.items()}
    assert {url: r for url, r in rules.items()} == {base + p: r for p, (_, _, r) in SCRIPTED.items() if r}
    assert pages == len(SCRIPTED)  # nothing deleted: every raw body is kept
    assert report.stages["quarantined"] == 5 and report.stages["loaded"] == 4


@pytest.mark.slow
def test_flow_records_validations_and_builds_data_docs(scripted_run):
    settings, report, _, _ = scripted_run
    with connect(settings.db_path, read_only=True) as con:
        rows = con.execute("SELECT suite, batch, evaluated, failed_rows, success, failures FROM validations "
                           "WHERE run_id = ? ORDER BY suite", [report.run_id]).fetchall()
    by_suite = {suite: (batch, evaluated, failed, success, json.loads(failures))
                for suite, batch, evaluated, failed, success, failures in rows}
    assert set(by_suite) == {"articles", "attributions", "discovered_urls", "entities", "mentions", "pages",
                             "quarantine", "sources"}
    assert by_suite["sources"][:2] == (-1, 1) and by_suite["discovered_urls"][:2] == (-1, len(SCRIPTED))
    assert by_suite["articles"] == (0, 5, 1, False, {"title_length": 1, "published_not_null": 1})
    assert by_suite["entities"][0] == -1 and by_suite["entities"][3]
    assert report.data_docs == settings.db_path.parent / "data_docs" / "news" / "index.html"
    index = report.data_docs.read_text(encoding="utf-8")
    assert "articles" in index and "mentions" in index


@pytest.mark.slow
def test_requeue_after_a_fix_loads_the_page_from_its_stored_body(scripted_run):
    from flows.pipelines import requeue

    settings, _, base, _ = scripted_run
    fixed = settings.model_copy(update={"quality": QualityConfig(max_title_chars=5000)})
    report = requeue("title_length", fixed)
    assert report.stages["fetched"] == 1 and report.stages["loaded"] == 1
    with connect(settings.db_path, read_only=True) as con:
        state = con.execute("SELECT state FROM url_status WHERE url = ?", [base + "/news/long-title"]).fetchone()[0]
        left = con.execute("SELECT count(*) FROM quarantine WHERE url = ?", [base + "/news/long-title"]).fetchone()[0]
        fetches = con.execute("SELECT sum(fetch_count) FROM pages").fetchone()[0]
    assert (state, left) == ("loaded", 0)
    assert fetches == len(SCRIPTED)  # no network: nothing fetched again
    still = requeue("empty_body", settings)  # nothing fixed: a fresh verdict, the same rule
    with connect(settings.db_path, read_only=True) as con:
        rows = con.execute("SELECT rule, run_id FROM quarantine WHERE url = ?", [base + "/news/empty"]).fetchall()
    assert rows == [("empty_body", still.run_id)]


@pytest.mark.slow
def test_a_batch_failing_past_the_threshold_fails_the_run_loudly(scripted_run, tmp_path):
    from flows.pipelines import ingest
    from flows.quality import QualityError

    settings, _, _, sources = scripted_run
    strict = Settings(db_path=tmp_path / "news.duckdb",
                      quality=QualityConfig(max_failure_rate=0.3, min_batch_rows=5))
    with pytest.raises(QualityError, match=r"^source gazette, stage extract: 4 of 9 rows failed \(44% > 30%"):
        ingest(str(sources), strict)
    with connect(strict.db_path, read_only=True) as con:
        status = con.execute("SELECT status FROM runs").fetchone()[0]
        quarantined = con.execute("SELECT count(DISTINCT url) FROM quarantine").fetchone()[0]
    assert (status, quarantined) == ("failed", 5)
    assert (tmp_path / "data_docs" / "news" / "index.html").exists()


def test_a_copy_of_a_quarantined_canonical_article_becomes_canonical():
    from flows.batches import promote_copies

    canonical, first, second, other = record(1), record(2), record(3), record(4)
    canonical.cluster_id = first.cluster_id = second.cluster_id = "a1"
    other.cluster_id = "a9"
    first.is_canonical = second.is_canonical = other.is_canonical = False
    copies = [Duplicate(r.page_url, r.cluster_id, r.cluster_id, "minhash", 0.9, r.article_id) for r in (first, second, other)]
    # a1 was quarantined: its first copy takes its place, the second stays a copy, other clusters are untouched.
    orphans = {"a1", "a5"}
    left = promote_copies([first, second, other], copies, orphans)
    assert [r.is_canonical for r in (first, second, other)] == [True, False, False]
    assert [c.article_id for c in left] == ["a3", "a4"]
    assert orphans == {"a5"}  # a5's copies may come in a later batch
    assert promote_copies([second], left, orphans) == left
