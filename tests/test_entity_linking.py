"""Corpus-wide linking: surnames, name variants and acronyms joined to one entity across articles."""

from __future__ import annotations

import pytest

from transforms.entity_linking import KnownEntity, corpus_links, link_annotations, link_corpus
from transforms.models import Annotation, Attribution, Mention


def m(text: str, label: str = "PERSON", canonical: str | None = None) -> Mention:
    """A mention as find_mentions returns it: canonical within its article."""
    return Mention(text=text, label=label, start=0, end=len(text), canonical=canonical or text)


def names(articles) -> list[list[tuple[str, str]]]:
    return [[(x.canonical, x.label) for x in ms] for ms in articles]


def test_a_lone_surname_joins_the_one_full_name_of_the_corpus():
    linked = link_corpus([[m("Donald Trump")], [m("Trump", "ORG")], [m("Trump")]])
    assert names(linked) == [[("Donald Trump", "PERSON")]] * 3


def test_two_people_of_one_surname_stay_apart():
    articles = [[m("Boris Johnson")], [m("Lyndon Johnson")], [m("Johnson")]]
    assert names(link_corpus(articles)) == [[("Boris Johnson", "PERSON")], [("Lyndon Johnson", "PERSON")], [("Johnson", "PERSON")]]


def mt(text: str, title: str | None) -> Mention:
    """A person mention with the title written before it ("Mrs." Obama)."""
    return Mention(text=text, label="PERSON", start=0, end=len(text), canonical=text, title=title)


# (full names with how many articles write each, the lone surname's title, what the surname joins)
DOMINANT = [
    ({"Barack Obama": 30, "Michelle Obama": 2}, "President", "Barack Obama"),  # 30 >= 10 x (2 + 1)
    ({"Barack Obama": 30, "Michelle Obama": 2}, None, "Barack Obama"),
    ({"Barack Obama": 30, "Michelle Obama": 2}, "Mrs.", "Obama"),  # the title tells the other gender
    ({"Jeb Bush": 25, "George W. Bush": 9}, None, "Bush"),  # two well-known Bushes: stay apart
    ({"Jill Stein": 3}, None, "Jill Stein"),  # one full name: joins however rare
    ({"Jill Stein": 11, "Sam Stein": 1}, None, "Stein"),  # 11 < 10 x (1 + 1): too few to tell
]


@pytest.mark.parametrize(("full", "title", "joined"), DOMINANT)
def test_a_surname_joins_a_full_name_written_ten_times_as_often(full, title, joined):
    articles = [[m(name)] for name, n in full.items() for _ in range(n)] + [[mt(joined.split()[-1], title)]]
    assert corpus_links(articles)[joined.split()[-1]][0] == joined


def test_stored_counts_decide_for_a_later_batch():
    known = [KnownEntity("Barack Obama", "PERSON", ("Barack Obama", "Obama"), 600), KnownEntity("Michelle Obama", "PERSON", ("Michelle Obama", "Obama"), 25)]
    assert corpus_links([[m("Obama")]], known)["Obama"] == ("Barack Obama", "PERSON")
    few = [KnownEntity("Barack Obama", "PERSON", ("Barack Obama", "Obama"), 6), KnownEntity("Michelle Obama", "PERSON", ("Michelle Obama", "Obama"), 5)]
    assert corpus_links([[m("Obama")]], few)["Obama"] == ("Obama", "PERSON")


def test_a_place_is_no_surname():
    linked = link_corpus([[m("George Washington")], [m("Washington", "GPE")]])
    assert names(linked)[1] == [("Washington", "GPE")]


def test_middle_initials_join_unless_two_initialled_forms_exist():
    assert names(link_corpus([[m("Donald J. Trump")], [m("Donald Trump")], [m("Donald Trump")]])) == [[("Donald Trump", "PERSON")]] * 3
    bushes = link_corpus([[m("George H. W. Bush")], [m("George W. Bush")], [m("George Bush")]])
    assert names(bushes) == [[("George H. W. Bush", "PERSON")], [("George W. Bush", "PERSON")], [("George Bush", "PERSON")]]


def test_a_middle_name_is_one_middle_with_its_initial():
    linked = link_corpus([[m("Hillary Clinton")], [m("Hillary Clinton")], [m("Hillary Rodham Clinton")], [m("Hillary R. Clinton")]])
    assert names(linked) == [[("Hillary Clinton", "PERSON")]] * 4
    comeys = link_corpus([[m("James Comey")], [m("James Comey")], [m("James B. Comey")], [m("James B. Comey Jr.")]])
    assert names(comeys) == [[("James Comey", "PERSON")]] * 4


def test_a_nickname_joins_the_formal_name_of_the_same_surname():
    bidens = link_corpus([[m("Joe Biden")], [m("Joe Biden")], [m("Joseph R. Biden Jr.")], [m("Beau Biden")]])
    assert names(bidens) == [[("Joe Biden", "PERSON")]] * 3 + [[("Beau Biden", "PERSON")]]
    # "Bill" is a William's and a Robert's: with both in the corpus it stays apart
    smiths = link_corpus([[m("Bill Smith")], [m("William Smith")], [m("Robert Smith")]])
    assert names(smiths) == [[("Bill Smith", "PERSON")], [("William Smith", "PERSON")], [("Robert Smith", "PERSON")]]


def test_an_acronym_joins_its_only_expansion():
    linked = link_corpus([[m("Massachusetts Institute of Technology", "ORG")], [m("MIT", "ORG")], [m("EPA", "ORG")]])
    assert names(linked) == [[("Massachusetts Institute of Technology", "ORG")]] * 2 + [[("EPA", "ORG")]]


def test_an_acronym_written_far_more_often_than_its_expansion_stays_itself():
    articles = [[m("ISIS", "ORG")]] * 11 + [[m("Institute for Science and International Security", "ORG")]]
    assert corpus_links(articles)["ISIS"][0] == "ISIS"  # 11 > 10 x 1
    articles = [[m("ISIS", "ORG")]] * 10 + [[m("Institute for Science and International Security", "ORG")]]
    assert corpus_links(articles)["ISIS"][0] == "Institute for Science and International Security"
    # a hyphenated adjective is no expansion
    assert corpus_links([[m("IRS", "ORG")], [m("Iranian-Russian-Syrian", "ORG")]])["IRS"][0] == "IRS"


def test_the_label_is_the_corpus_vote_and_a_stored_entity_keeps_its_label():
    articles = [[m("Marsden", "GPE")], [m("Marsden")], [m("Marsden")]]
    assert names(link_corpus(articles)) == [[("Marsden", "PERSON")]] * 3
    known = [KnownEntity("Marsden", "GPE", ("Marsden",))]
    assert names(link_corpus(articles, known)) == [[("Marsden", "GPE")]] * 3


def test_a_name_written_in_capitals_joins_the_same_name_in_the_corpus():
    articles = [[m("WASHINGTON", "GPE")], [m("Washington", "GPE")], [m("Washington", "GPE")], [m("OBAMA")], [m("Obama")],
                [m("Barack Obama")], [m("Boston", "GPE")], [m("BOSTON")]]
    linked = names(link_corpus(articles))
    assert linked[0] == [("Washington", "GPE")]
    assert linked[3] == [("Barack Obama", "PERSON")]  # as "Obama" is linked
    assert linked[7] == [("Boston", "GPE")]  # capitals join whatever label spaCy guessed for them
    # and so does the mixed-case form of a name written in capitals: the outlet styles itself POLITICO
    assert names(link_corpus([[m("POLITICO", "ORG")], [m("POLITICO", "ORG")], [m("Politico")]])) == [
        [("POLITICO", "ORG")]] * 3
    # a later batch's capitals join the stored form, and a stored form in capitals keeps its name
    assert corpus_links([[m("WASHINGTON", "GPE")]], [KnownEntity("Washington", "GPE", ("Washington",))]) == {
        "WASHINGTON": ("Washington", "GPE")}
    assert corpus_links([[m("Washington", "GPE")]], [KnownEntity("WASHINGTON", "GPE", ("WASHINGTON",))]) == {
        "Washington": ("WASHINGTON", "GPE")}
    # capitals alone in their batch (a transcript's "TRUMP:") link as the title-case name would; an acronym stays
    known = [KnownEntity("Donald Trump", "PERSON", ("Donald Trump", "Trump")), KnownEntity("Nato Ogden", "PERSON", ("Nato Ogden",))]
    assert corpus_links([[m("TRUMP")], [m("NATO", "ORG")]], known) == {"TRUMP": ("Donald Trump", "PERSON"), "NATO": ("NATO", "ORG")}


def test_a_person_named_after_an_organisation_lends_no_surname():
    # spaCy tags "Obama White House" a person; "House" (of Representatives) is not its surname
    articles = [[m("Obama White House"), m("White House", "ORG")], [m("House", "ORG")], [m("House", "ORG")]]
    assert names(link_corpus(articles))[1:] == [[("House", "ORG")]] * 2


def test_a_new_batch_links_to_stored_entities_without_renaming_them():
    known = [KnownEntity("Nadia Okonkwo", "PERSON", ("Nadia Okonkwo", "Okonkwo")), KnownEntity("Federal Reserve", "ORG", ("Fed",))]
    links = corpus_links([[m("Okonkwo", "ORG")], [m("Fed", "ORG")], [m("Nadia Okonkwo")]], known)
    assert links["Okonkwo"] == ("Nadia Okonkwo", "PERSON")
    assert links["Fed"] == ("Federal Reserve", "ORG")
    assert links["Nadia Okonkwo"] == ("Nadia Okonkwo", "PERSON")


def test_a_stored_organisations_head_noun_does_not_join_a_later_article():
    # "the Council" of one article was Brackley City Council; another article's lone "Council"
    # may be any council. A first word ("Corvane") and a person's surname still join.
    known = [
        KnownEntity("Brackley City Council", "ORG", ("Brackley City Council", "Council")),
        KnownEntity("Corvane Foods", "ORG", ("Corvane Foods", "Corvane")),
        KnownEntity("Nadia Okonkwo", "PERSON", ("Nadia Okonkwo", "Okonkwo")),
    ]
    links = corpus_links([[m("Council", "ORG")], [m("Corvane", "ORG")], [m("Okonkwo")]], known)
    assert links["Council"] == ("Council", "ORG")
    assert links["Corvane"] == ("Corvane Foods", "ORG")
    assert links["Okonkwo"] == ("Nadia Okonkwo", "PERSON")


def test_link_annotations_renames_speakers_too():
    annotations = [
        Annotation([m("Nadia Okonkwo")]),
        Annotation([m("Okonkwo")], [Attribution("direct", speaker="Okonkwo", speaker_entity="Okonkwo",
                                                 speaker_name="Okonkwo")]),
    ]
    link_annotations(annotations)
    assert annotations[1].mentions[0].canonical == "Nadia Okonkwo"
    assert annotations[1].attributions[0].speaker_entity == "Nadia Okonkwo"
    assert annotations[1].attributions[0].speaker_name == "Nadia Okonkwo"  # the name the marts show


def _record(n: int, text: str):
    """An article on its way to the warehouse, annotated by the real pipeline code."""
    from transforms.models import ArticleRecord, ExtractedArticle

    url = f"https://harbour.example/{n}"
    return ArticleRecord(article_id=f"a{n}", url=url, page_url=url, page_id=f"p{n}", source="harbour-news",
                         article=ExtractedArticle(text=text, title=f"Story {n}"), text_hash=f"h{n}")


def _load(db_path, run_id: str, texts: dict[int, str]) -> None:
    from transforms.nlp import annotate_texts
    from warehouse.db import connect
    from warehouse.loader import LoadBatch, load_batch

    records = [_record(n, text) for n, text in texts.items()]
    for record, annotation in zip(records, annotate_texts(texts.values()), strict=True):
        record.annotation = annotation
    with connect(db_path) as con:
        load_batch(con, LoadBatch(run_id, articles=records))


def test_an_entity_of_run_one_is_joined_by_its_short_form_in_run_two(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "news.duckdb"
    _load(db, "run1", {1: "Mayor Nadia Okonkwo opened the new quay in Eastport on Monday."})
    with connect(db) as con:
        first = con.execute("SELECT entity_id FROM entities WHERE canonical = 'Nadia Okonkwo'").fetchall()
    assert len(first) == 1
    _load(db, "run2", {2: "The quay flooded on Friday. Okonkwo said repairs would take a week."})
    with connect(db) as con:
        rows = con.execute(
            "SELECT text, canonical, entity_id, article_canonical FROM mentions WHERE article_id = 'a2' AND text = 'Okonkwo'"
        ).fetchall()
        aliases = con.execute(
            "SELECT alias, mentions, joined FROM entity_aliases WHERE entity = 'Nadia Okonkwo' ORDER BY alias"
        ).fetchall()
        count = con.execute("SELECT count(*) FROM entities WHERE canonical LIKE '%Okonkwo%'").fetchone()[0]
    assert rows == [("Okonkwo", "Nadia Okonkwo", first[0][0], "Okonkwo")]
    assert aliases == [("Nadia Okonkwo", 1, 0), ("Okonkwo", 1, 1)]
    assert count == 1
    with connect(db) as con:  # the speaker's shown name follows the link (issue 17)
        speakers = con.execute("SELECT speaker_entity, speaker_name FROM attributions WHERE article_id = 'a2'").fetchall()
    assert speakers == [("Nadia Okonkwo", "Nadia Okonkwo")]
    # A rerun of run 2 loads the same rows: the link to the stored entity is stable.
    _load(db, "run2", {2: "The quay flooded on Friday. Okonkwo said repairs would take a week."})
    with connect(db) as con:
        again = con.execute("SELECT canonical, entity_id FROM mentions WHERE article_id = 'a2' AND text = 'Okonkwo'").fetchall()
    assert again == [("Nadia Okonkwo", first[0][0])]


def test_a_stored_name_with_a_suffix_is_joined_by_its_surname(tmp_path):
    from warehouse.db import connect

    # The stored rows are fetched as they are and the Python rule decides: "Jr." is no surname
    # (the lookup once took the last word in SQL and missed "Mercer").
    db = tmp_path / "news.duckdb"
    _load(db, "run1", {1: "Reverend Alden Mercer Jr. led the service in Eastport on Sunday."})
    _load(db, "run2", {2: "The choir sang. Mercer said the church would reopen."})
    with connect(db) as con:
        rows = con.execute("SELECT text, canonical FROM mentions WHERE article_id = 'a2'").fetchall()
        speakers = con.execute("SELECT speaker_entity, speaker_name FROM attributions WHERE article_id = 'a2'").fetchall()
    assert rows == [("Mercer", "Alden Mercer Jr.")]
    assert speakers == [("Alden Mercer Jr.", "Alden Mercer Jr.")]


def test_a_first_named_entity_written_after_a_title_anywhere_is_a_person():
    # spaCy tags "Carly Fiorina" ORG in most articles; the one that writes "Mrs. Fiorina" says she is a person.
    titled = Mention(text="Fiorina", label="PERSON", start=0, end=7, canonical="Carly Fiorina", title="Mrs.")
    articles = [[m("Carly Fiorina", "ORG")], [m("Carly Fiorina", "ORG")], [m("Carly Fiorina"), titled]]
    assert names(link_corpus(articles)) == [[("Carly Fiorina", "PERSON")]] * 2 + [[("Carly Fiorina", "PERSON")] * 2]
    # without an honorific the vote stands: "Chairman" before "Goldman Sachs" is a slip of the parse
    assert names(link_corpus([[m("Carly Fiorina", "ORG")], [m("Carly Fiorina", "ORG")], [m("Carly Fiorina")]])) == [
        [("Carly Fiorina", "ORG")]] * 3
    banker = Mention(text="Goldman Sachs", label="PERSON", start=0, end=13, canonical="Goldman Sachs", title="Chairman")
    assert names(link_corpus([[m("Goldman Sachs", "ORG")], [m("Goldman Sachs", "ORG")], [banker]])) == [
        [("Goldman Sachs", "ORG")]] * 3
