"""What near-copies add to the quotes mart, from a warehouse: extra enrichment, and every added quote to read.

Load a corpus first (the 840 PolNeAR train articles as pages: /work/audit/sources.yaml), e.g.
`newsetl run --sources sources.yaml --db /tmp/copies.duckdb`, then

    .venv/bin/python benchmarks/copies.py --db /tmp/copies.duckdb

Prints, per fixed half of the copies' names (benchmarks/halves.py), the copies enriched and their words
against the originals', the copies' attributions, how many of them the quotes mart keeps
(repeated_attributions.sql: under half of the span's word trigrams printed before in the story) against
comparing the whole content exactly, and each kept quote with its share of trigrams printed before,
for reading. Before this change copies were not enriched: they added no quote.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from halves import half  # noqa: E402

COPY_ATTRIBUTIONS = """
SELECT a.page_url, t.article_id, t.seq, t.content,
       least(t.speaker_start, t.cue_start, t.content_start), greatest(t.speaker_end, t.cue_end, t.content_end),
       a.text, (SELECT count(*) FROM quotes q WHERE q.article_id = t.article_id AND q.seq = t.seq) > 0 AS kept,
       a.cluster_id, a.published, a.loaded_at
FROM attributions AS t JOIN articles AS a USING (article_id)
WHERE NOT a.is_canonical
ORDER BY a.page_url, t.seq
"""


def words(text: str) -> str:
    """Lowercased words joined by single spaces, as repeated_attributions.sql compares them."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def earlier_words(con: duckdb.DuckDBPyConnection, story: str, article_id: str) -> str:
    """The words of every article of the story before this copy (the original first, then copies by day, arrival)."""
    rows = con.execute(
        "SELECT article_id, text FROM articles WHERE cluster_id = ? "
        "ORDER BY is_canonical DESC, published NULLS LAST, loaded_at, article_id", [story]).fetchall()
    before = []
    for aid, text in rows:
        if aid == article_id:
            break
        before.append(f" {words(text)} ")
    return "|".join(before)


def printed_share(span: str, before: str) -> float:
    """Share of the span's word trigrams that occur in the earlier articles."""
    w = words(span).split()
    grams = [" ".join(w)] if len(w) < 3 else [" ".join(w[i:i + 3]) for i in range(len(w) - 2)]
    return sum(f" {g} " in before for g in grams) / len(grams)


def main() -> None:
    """Print the figures and the added quotes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    con = duckdb.connect(str(args.db), read_only=True)
    originals, original_words = con.execute(
        "SELECT count(*), sum(word_count) FROM articles WHERE is_canonical AND enriched").fetchone()
    by_layer = con.execute("SELECT d.layer, count(*), count(*) FILTER (WHERE a.enriched), "
                           "coalesce(sum(a.word_count) FILTER (WHERE a.enriched), 0) FROM duplicates d "
                           "JOIN articles a USING (article_id) GROUP BY 1 ORDER BY 1").fetchall()
    print(f"originals enriched: {originals} ({original_words} words)")
    for layer, copies, enriched, copy_words in by_layer:
        print(f"copies by {layer}: {copies}, enriched {enriched} ({copy_words} words, "
              f"+{copy_words / max(original_words or 1, 1):.1%} of the words enriched)")
    stats = {h: {"copies": set(), "attributions": 0, "exact": 0, "kept": 0} for h in "AB"}
    kept_rows = []
    befores: dict[str, str] = {}
    for page_url, article_id, seq, content, start, end, text, kept, story, _, _ in con.execute(COPY_ATTRIBUTIONS).fetchall():
        name = Path(page_url).stem
        s = stats[half(name)]
        s["copies"].add(name)
        s["attributions"] += 1
        if article_id not in befores:
            befores[article_id] = earlier_words(con, story, article_id)
        before = befores[article_id]
        said = content if content is not None else text[start:end]
        s["exact"] += f" {words(said)} " not in before  # the bare rule: the whole content, exactly
        s["kept"] += kept
        if kept:
            kept_rows.append((half(name), name, seq, printed_share(text[start:end], before), text[start:end]))
    print(f"\n{'half':<6}{'copies':>8}{'attributions':>14}{'kept exact':>12}{'kept (rule)':>13}")
    for h, s in stats.items():
        print(f"{h:<6}{len(s['copies']):>8}{s['attributions']:>14}{s['exact']:>12}{s['kept']:>13}")
    print("\nquotes the copies add (half, copy, seq, share of trigrams printed before, span as written):")
    for h, name, seq, share, span in kept_rows:
        print(f"{h} {name[:48]:<48} {seq:>3} {share:.2f}  {span[:150]}")


if __name__ == "__main__":
    main()
