"""Entity mentions, canonical names, the alias file, merge_entities and entity_salience."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from test_attributions import _benchmark

from transforms.config import EntityConfig, NlpConfig
from transforms.entities import (
    Salience,
    entity_salience,
    find_mentions,
    label_vote,
    load_aliases,
    merge_entities,
)
from transforms.models import Entity, Mention

REPO = Path(__file__).resolve().parents[1]


def triples(nlp, text: str, config: EntityConfig | None = None) -> list[tuple[str, str, str]]:
    """(mention text, canonical, label) of every mention found in `text`."""
    return [(m.text, m.canonical, m.label) for m in find_mentions(nlp(text), config)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A surname alone joins the full name used earlier, even when spaCy calls it an ORG.
        (
            "Mayor Nadia Okonkwo opened the bridge on Monday. Okonkwo said the work was finished early.",
            [("Nadia Okonkwo", "Nadia Okonkwo", "PERSON"), ("Okonkwo", "Nadia Okonkwo", "PERSON")],
        ),
        (
            "Senator Margaret Quinn opposed the plan. Quinn said it cost too much.",
            [("Margaret Quinn", "Margaret Quinn", "PERSON"), ("Quinn", "Margaret Quinn", "PERSON")],
        ),
        # Middle initials aside, one person; the surname spaCy called a LAW joins them too.
        (
            "Mark R. Delaney spoke in Fairmont on Monday. Later, Mark Delaney met voters. "
            "Mark Delaney then left. Delaney said he was tired.",
            [
                ("Mark R. Delaney", "Mark Delaney", "PERSON"),
                ("Fairmont", "Fairmont", "GPE"),
                ("Mark Delaney", "Mark Delaney", "PERSON"),
                ("Mark Delaney", "Mark Delaney", "PERSON"),
                ("Delaney", "Mark Delaney", "PERSON"),
            ],
        ),
        # A first name joins only when spaCy tagged it PERSON: the city is not the police chief.
        (
            "Police chief Charlotte Evans spoke on Monday. Protests in Charlotte continued overnight.",
            [("Charlotte Evans", "Charlotte Evans", "PERSON"), ("Charlotte", "Charlotte", "GPE")],
        ),
        # A surname spaCy did not tag at all becomes a mention of the person.
        (
            "Priya Raman runs the company. Raman told analysts that sales would grow.",
            [("Priya Raman", "Priya Raman", "PERSON"), ("Raman", "Priya Raman", "PERSON")],
        ),
        # ... also when the tagger read it as a common noun at the start of a sentence
        (
            "Bernie Sanders spoke in Iowa. Sanders often questions the plan.",
            [("Bernie Sanders", "Bernie Sanders", "PERSON"), ("Iowa", "Iowa", "GPE"), ("Sanders", "Bernie Sanders", "PERSON")],
        ),
        # Two people share a surname: the lone surname is the one introduced first.
        (
            "Lucia Alvarez won the final. Her father, Jorge Alvarez, coached her. Alvarez cried.",
            [
                ("Lucia Alvarez", "Lucia Alvarez", "PERSON"),
                ("Jorge Alvarez", "Jorge Alvarez", "PERSON"),
                ("Alvarez", "Lucia Alvarez", "PERSON"),
            ],
        ),
        # ... also when spaCy tags her and her lone surname ORG: the surname is a person's, her husband's
        (
            "Senate candidate Carly Whitcombe spoke in Iowa. Whitcombe said the economy was weak. "
            "Her husband, Frank Whitcombe, sat in the front row.",
            [
                ("Senate", "Senate", "ORG"),
                ("Carly Whitcombe", "Carly Whitcombe", "PERSON"),
                ("Iowa", "Iowa", "GPE"),
                ("Whitcombe", "Carly Whitcombe", "PERSON"),
                ("Frank Whitcombe", "Frank Whitcombe", "PERSON"),
            ],
        ),
        # An acronym defined in parentheses, and its later uses, join the spelled-out name.
        (
            "The Harlow Water Authority (HWA) raised prices on Monday. The HWA said costs had risen.",
            [
                ("Harlow Water Authority", "Harlow Water Authority", "ORG"),
                ("HWA", "Harlow Water Authority", "ORG"),
                ("HWA", "Harlow Water Authority", "ORG"),
            ],
        ),
        # Leading "the" and the possessive are not part of the name.
        ("The Pentagon's budget grew.", [("Pentagon", "Pentagon", "ORG")]),
        # A short form of an organisation joins its full name.
        (
            "Tidewell Brands Inc. was sold on Tuesday. Shares of Tidewell jumped.",
            [("Tidewell Brands Inc.", "Tidewell Brands Inc.", "ORG"), ("Tidewell", "Tidewell Brands Inc.", "ORG")],
        ),
        # A team's last word is its short form; a place that names an organisation is not one
        # (the PERSON label on the place is spaCy's own slip, kept).
        (
            "The Eastport Mariners beat the Red Hill Rovers 3-1. The Rovers had taken the lead early.",
            [
                ("Eastport Mariners", "Eastport Mariners", "ORG"),
                ("Red Hill Rovers", "Red Hill Rovers", "ORG"),
                ("Rovers", "Red Hill Rovers", "ORG"),
            ],
        ),
        (
            "The Brackley City Council approved the plan. Young families had been leaving Brackley because of rents.",
            [("Brackley City Council", "Brackley City Council", "ORG"), ("Brackley", "Brackley", "PERSON")],
        ),
        (
            "The strike was called by the Dockers Union of Valmora. The port of Valmora was quiet.",
            [("Dockers Union of Valmora", "Dockers Union of Valmora", "ORG"), ("Valmora", "Valmora", "GPE")],  # "the port of Valmora": a place
        ),
        # Well-known equivalences come from the packaged alias file.
        (
            "Officials in the U.S. and Britain welcomed the deal.",
            [("U.S.", "United States", "GPE"), ("Britain", "United Kingdom", "GPE")],
        ),
        (  # AP-style state abbreviations of datelines and party tags
            "The rally was held in Tupelo, Miss., on Friday, and Sen. Rand Paul (R-Ky.) spoke.",
            [("Tupelo", "Tupelo", "GPE"), ("Miss.", "Mississippi", "GPE"), ("Rand Paul", "Rand Paul", "PERSON"),
             ("Ky.", "Kentucky", "GPE")],
        ),
    ],
)
def test_canonical_names(nlp, text, expected):
    assert triples(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("President Teodor Vasilescu met Dr. Hannah Petrov in Orvena.",
         [("Teodor Vasilescu", "President"), ("Hannah Petrov", "Dr."), ("Orvena", None)]),
        ("Fire Chief Darnell Brooks said the blaze was out.", [("Darnell Brooks", "Fire Chief")]),
        # spaCy tags "Pope Leo" as one PERSON: the title is trimmed off the name and kept.
        ("Pope Leo visited Rome.", [("Leo", "Pope"), ("Rome", None)]),
        # A country before the title is an entity of its own, not part of the title.
        ("U.S. District Judge Sylvia Moreno rejected the request.",
         [("U.S.", None), ("Sylvia Moreno", "District Judge")]),
        ("Unseeded Lucia Alvarez of Spain won.", [("Lucia Alvarez", None), ("Spain", None)]),
    ],
)
def test_titles_kept_apart_from_names(nlp, text, expected):
    assert [(m.text, m.title) for m in find_mentions(nlp(text))] == expected


def test_sentence_index_and_lead(nlp):
    text = (
        "Mayor Anna Ruiz opened the library in Lansford on Monday. Councillor Tom Bell thanked her. "
        "Eva Lind cut the ribbon. Omar Haddad read a poem."
    )
    found = [(m.text, m.sentence, m.in_lead) for m in find_mentions(nlp(text))]
    assert found == [
        ("Anna Ruiz", 0, True),
        ("Lansford", 0, True),
        ("Tom Bell", 1, True),
        ("Eva Lind", 2, True),
        ("Omar Haddad", 3, False),
    ]
    one = find_mentions(nlp(text), EntityConfig(lead_sentences=1))
    assert [m.in_lead for m in one] == [True, True, False, False, False]


def test_offsets_slice_to_mention_text(nlp):
    text = "The Pentagon's budget grew while Britain's army shrank."
    assert all(text[m.start : m.end] == m.text for m in find_mentions(nlp(text)))


def test_user_alias_file_extends_and_overrides(nlp, tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("Kingdom of Great Britain: [Britain]\nPort Ellery: [Ellery]\n")
    aliases = load_aliases(str(path))
    assert (aliases["Britain"], aliases["Ellery"], aliases["U.S."]) == ("Kingdom of Great Britain", "Port Ellery", "United States")
    assert load_aliases()["Britain"] == "United Kingdom"
    text = "Officials in Britain welcomed the deal."
    assert triples(nlp, text, EntityConfig(aliases_file=str(path))) == [("Britain", "Kingdom of Great Britain", "GPE")]


def mention(text: str, canonical: str, label: str = "PERSON", start: int = 0, title: str | None = None) -> Mention:
    """A Mention as find_mentions would return it, for the pure corpus-level functions."""
    return Mention(text=text, label=label, start=start, end=start + len(text), canonical=canonical, title=title)


def test_merge_entities_counts_aliases_articles_and_titles():
    first = [
        mention("Elena Marsh", "Elena Marsh", title="Governor"),
        mention("Marsh", "Elena Marsh", start=40),
        mention("U.S.", "United States", "GPE", start=60),
    ]
    second = [
        mention("Marsh", "Elena Marsh", title="Gov."),
        mention("Marsh", "Elena Marsh", start=30, title="Governor"),
        mention("United States", "United States", "GPE", start=50),
        mention("Marsh", "Marsh", "ORG", start=70),
    ]
    assert merge_entities([first, second]) == [
        Entity("Elena Marsh", "PERSON", {"Marsh": 3, "Elena Marsh": 1}, 4, 2, ["Governor", "Gov."]),
        Entity("United States", "GPE", {"U.S.": 1, "United States": 1}, 2, 2, []),
        Entity("Marsh", "ORG", {"Marsh": 1}, 1, 1, []),
    ]


@pytest.mark.parametrize(
    ("title", "expected_in_title"),
    [
        ("Marsh drops fuel tax", {"Elena Marsh": True, "United States": False}),  # surname alone in the title
        ("U.S. budget passes", {"Elena Marsh": False, "United States": True}),  # an alias written in the text
        ("Marshall plan revived", {"Elena Marsh": False, "United States": False}),  # whole words only
        (None, {"Elena Marsh": False, "United States": False}),
    ],
)
def test_entity_salience(title, expected_in_title):
    mentions = [
        mention("Elena Marsh", "Elena Marsh", start=12),
        mention("U.S.", "United States", "GPE", start=30),
        mention("Marsh", "Elena Marsh", start=80),
    ]
    salience = entity_salience(mentions, title)
    assert salience == {
        "Elena Marsh": Salience(2, 12, expected_in_title["Elena Marsh"]),
        "United States": Salience(1, 30, expected_in_title["United States"]),
    }


@pytest.fixture(scope="module")
def benchmark():
    """benchmarks/entities.py as a module."""
    return _benchmark("entities")


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We met Renata there.", "Renata", "one word, a first name of the lexicon"),
        ("He teaches at Yale University now.", "Yale University", "organisation word (University, Party, Inc...)"),
        ("Cross the Kaiser Building today.", "Kaiser Building", "landmark word (Bridge, River, Street...)"),
        ("They said Mr. Kowalczyk left.", "Kowalczyk", "after a title or honorific"),
        ("We stayed in Gosier overnight.", "Gosier", "after a place preposition (one word)"),
        ("The NATO summit.", "NATO", "acronym"),
    ],
)
def test_types_table_reads_a_names_pattern(benchmark, text, name, expected):
    start = text.index(name)
    assert benchmark._pattern(text, start, start + len(name)) == expected


def test_gold_set_offsets_slice_to_mention_text(benchmark):
    articles = benchmark.load_gold()  # raises ValueError on any offset that does not slice to its text
    assert len(articles) >= 20
    assert sum(len(record["mentions"]) for record, _ in articles) >= 400


@pytest.mark.slow
def test_real_news_mentions_are_well_formed(nlp, shared_data):
    texts = [f.read_text("utf-8") for f in sorted((shared_data / "polnear" / "dev" / "text").glob("*.txt"))[:20]]
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        mentions = find_mentions(doc)
        assert mentions
        for m in mentions:
            assert text[m.start : m.end] == m.text and m.canonical
        # Every entity row of the article carries one label, so (canonical, label) keys never split an entity.
        assert len({m.canonical for m in mentions}) == len({(m.canonical, m.label) for m in mentions})


def test_gum_gold_names_are_names(benchmark, shared_data):
    doc = benchmark.read_gum(shared_data / "gum-dev" / "dep" / "GUM_academic_art.conllu.gz")
    names = {doc.text[m.start : m.end]: m for m in doc.mentions}
    # The organisation is its name alone; the nested place and country are names of their own.
    assert names["University of Portsmouth"].type == "organization"
    assert names["University of Portsmouth"].identity == "University_of_Portsmouth"
    assert names["United Kingdom"].type == "place" and names["Portsmouth"].type == "place"
    assert not any(text.lower().startswith("the ") for text in names)
    assert doc.text.startswith("Aesthetic Appreciation and Spanish Art: Insights from Eye-Tracking\nClaire Bailey-Ross ")  # one paragraph a line


def test_gum_score_counts_pairs_within_and_across_documents(benchmark):
    gold = benchmark.GoldMention
    docs = [
        benchmark.GumDoc("a", "", [gold(0, 5, "person", "a#1", "X"), gold(10, 15, "person", "a#1", "X")]),
        benchmark.GumDoc("b", "", [gold(0, 5, "person", "b#1", "X"), gold(20, 25, "place", "b#2", None)]),
    ]
    predicted = [
        [(0, 5, "PERSON", "Xa"), (10, 15, "PERSON", "Xa")],
        [(0, 5, "PERSON", "Xa"), (20, 25, "ORG", "Y"), (30, 35, "ORG", "Z")],
    ]
    s = benchmark.score(docs, predicted)
    assert s["span"] == pytest.approx((4 / 5, 1.0, 8 / 9))
    assert s["typed"][0] == pytest.approx(3 / 5)
    assert s["within"] == (1.0, 1.0, 1.0)
    assert s["across"] == (1.0, 1.0, 1.0)  # the two of a with the one of b: two pairs, both right
    # Two GUM chains of one Wikipedia identity in a document are one entity (the issue: pairs that
    # share the identity); chains without an identity stay apart.
    doc = benchmark.GumDoc("c", "", [gold(0, 5, "place", "c#1", "V"), gold(10, 15, "place", "c#2", "V"),
                                     gold(20, 25, "person", "c#3", None), gold(30, 35, "person", "c#4", None)])
    s = benchmark.score([doc], [[(0, 5, "GPE", "V"), (10, 15, "GPE", "V"), (20, 25, "PERSON", "P"), (30, 35, "PERSON", "P")]])
    assert s["within"] == pytest.approx((0.5, 1.0, 2 / 3))


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # A page title's separator ends the name (issue 19: "Darren Henry |" was a top entity).
        ("Darren Henry - Broxtowe", "Darren Henry"),
        ("Darren Henry – Broxtowe", "Darren Henry"),
        ("Darren Henry | Broxtowe", "Darren Henry"),
        # So does a line break: a heading is not the start of the next line's name.
        ("Darren Henry - Broxtowe\nDarren Henry spoke in the Commons on Monday.", "Darren Henry"),
        # A hyphen written without spaces is part of the name.
        ("Claire Bailey-Ross wrote the report.", "Claire Bailey-Ross"),
    ],
)
def test_separators_and_line_breaks_end_a_name(nlp, text, first):
    found = triples(nlp, text)
    assert found[0] == (first, first, "PERSON")
    assert not any("-" in name and "Bailey" not in name or "\n" in name or "|" in name for name, _, _ in found)


def test_a_parenthesis_ends_a_name(nlp):
    text = "The Federal Bureau of Investigation (FBI) said it was investigating. The FBI declined to comment."
    assert "The Federal Bureau of Investigation (FBI" in [e.text for e in nlp(text).ents]  # spaCy's one span
    assert triples(nlp, text) == [
        ("Federal Bureau of Investigation", "Federal Bureau of Investigation", "ORG"),
        ("FBI", "Federal Bureau of Investigation", "ORG"),
        ("FBI", "Federal Bureau of Investigation", "ORG"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaCy's one ORG span of an outlet and its writer: two names, the writer a person
        ("As the Harbour Gazette’s Noah Velk noted, the plan failed.",
         [("Harbour Gazette", "ORG"), ("Noah Velk", "PERSON")]),
        # spaCy's ORG for the person alone after the possessive
        ("Fox News' Sean Hannity said the plan worked.", [("Fox News", "ORG"), ("Sean Hannity", "PERSON")]),
        # a first name used both ways ("Brown") ends a place, not a person
        ("Voters in Green Bay’s Brown County went to the polls.", [("Green Bay’s Brown County", "LOC")]),
    ],
)
def test_a_person_after_an_organisations_possessive(nlp, text, expected):
    assert [(name, label) for name, _, label in triples(nlp, text)] == expected


def test_an_acronym_in_mixed_case_joins_its_name(nlp):
    text = "The Department of Defense (DoD) said so. DoD declined to comment."
    assert [(name, canonical) for name, canonical, _ in triples(nlp, text)] == [
        ("Department of Defense", "Department of Defense"),
        ("DoD", "Department of Defense"),
        ("DoD", "Department of Defense"),
    ]


def test_a_person_tag_ending_with_an_organisation_of_the_text_is_no_full_name(nlp):
    text = "Officials in the Obama White House said the plan was ready. Obama signed it on Monday, and the White House said so."
    assert ("Obama White House", "PERSON") in [(e.text, e.label_) for e in nlp(text).ents]
    assert ("Obama", "Obama", "PERSON") in triples(nlp, text)  # not joined to "Obama White House"


def test_a_name_does_not_start_with_punctuation(nlp):
    text = "The senator condemned the anti-Muslim rhetoric of the campaign and the pro-Israel lobby."
    assert [e.text for e in nlp(text).ents] == ["anti-Muslim", "pro-Israel"]  # spaCy's, trimmed to "-Muslim" before
    assert [name for name, _, _ in triples(nlp, text)] == ["Muslim", "Israel"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cited authors tagged as one organisation are one mention each.
        (
            "Earlier studies (Dye & Bavelier, 2010; Feng, Spence, & Pratt, 2007) found this.",
            ["Dye", "Bavelier", "Feng", "Spence", "Pratt"],
        ),
        # A company named after two people is one name; so is a country with "and" in it.
        ("Shares of Procter & Gamble rose on Monday.", ["Procter & Gamble"]),
        # So is a law firm of five: no year cites the names, none is written alone.
        (
            "The law firm Skadden, Arps, Slate, Meagher & Flom advised the bank on Monday.",
            ["Skadden, Arps, Slate, Meagher & Flom"],
        ),
        ("Officials from Bosnia and Herzegovina met on Monday.", ["Bosnia and Herzegovina"]),
    ],
)
def test_listed_names_are_split_and_names_with_and_are_not(nlp, text, expected):
    assert [name for name, _, _ in triples(nlp, text)] == expected


def test_a_landmark_named_after_someone_is_not_their_full_name(nlp):
    # "George Washington" is not a short form of the bridge, nor the bridge a person's full name.
    found = triples(nlp, "Traffic on the George Washington Bridge was slow. George Washington slept here.")
    # A name ending with a landmark head is a place, whatever spaCy called it (here ORG).
    assert found == [
        ("George Washington Bridge", "George Washington Bridge", "FAC"),
        ("George Washington", "George Washington", "PERSON"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # spaCy calls both mentions a person; the text calls the name a town, or says where it lies.
        ("Marlow Vance is a small town on the river. We drove to Marlow Vance on Sunday.", "Marlow Vance"),
        ("Fort Lee is located between the river and the hills. Fort Lee also has a great community center.", "Fort Lee"),
        # or names its people: someone lives in it, it has residents or a mayor (spaCy: PERSON, ORG)
        ("Annika Zeller, a chemist who lives in Calder Vale, warned residents. Schools in Calder Vale brought in water.",
         "Calder Vale"),
        ("Calder Vale residents were told to boil water. Schools in Calder Vale brought in water by lorry.", "Calder Vale"),
        ("The mayor of Marlow Vance spoke on Friday. Marlow Vance has two schools.", "Marlow Vance"),
    ],
)
def test_a_name_the_text_calls_a_place_is_a_place_in_every_mention(nlp, text, name):
    found = triples(nlp, text)
    assert [label for mention, _, label in found if mention == name] == ["GPE", "GPE"]


def test_a_list_read_as_an_apposition_and_an_institutions_center_are_no_places(nlp):
    # spaCy reads "12 states" as an apposition of "EPA": a plural without an article is a list.
    found = triples(nlp, "Lawyers will argue against the EPA, 12 states, companies including Acme Inc and Corvane Foods.")
    assert ("EPA", "Environmental Protection Agency", "ORG") in found  # the packaged alias file
    # In news a "Center" is mostly an institution, unlike a "Bridge" or a "Monument".
    found = triples(nlp, "Analysts at the Tax Policy Center said the plan would cost more. The Tax Policy Center is in Washington.")
    assert [label for name, _, label in found if name == "Tax Policy Center"] == ["ORG", "ORG"]


def test_a_person_described_with_other_nouns_stays_a_person(nlp):
    # "a man of many talents": "man" is no place noun, and "of" only counts after a place noun.
    assert triples(nlp, "Tom Hanks is a man of many talents. Tom Hanks starred in the film.") == [
        ("Tom Hanks", "Tom Hanks", "PERSON"),
        ("Tom Hanks", "Tom Hanks", "PERSON"),
    ]


def test_one_word_names_written_in_lower_case_too_are_words(nlp):
    # "Menu" (a navigation word spaCy calls an ORG) is written "menu" in the text: not a name.
    assert triples(nlp, "Back to Menu. Menu said the plan was good. The menu was short.") == []
    # A surname that is also a word stays when the article names the person in full.
    found = triples(nlp, "Secretary Condoleezza Rice spoke on Monday. Rice said the rice harvest was poor.")
    assert found == [("Condoleezza Rice", "Condoleezza Rice", "PERSON"), ("Rice", "Condoleezza Rice", "PERSON")]


def test_a_word_of_a_days_name_is_no_entity(nlp):
    # spaCy tags "Super" of "Super Tuesday" a place; "Texas Tuesday" is a state and a day.
    names = [name for name, _, _ in triples(nlp, "Velk hopes to win on Super Tuesday. Dorn won Texas Tuesday.")]
    assert "Super" not in names and "Texas" in names


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Mark Wiki wrote the memo. We discussed the Penn State Wiki proposal.", "Mark Wiki"),
        ("Paul Desert spoke. Take bus 44 north to the Desert Ridge Marriott Resort in Deer Valley.", "Paul Desert"),
    ],
)
def test_a_surname_inside_another_untagged_name_is_not_the_person(nlp, text, person):
    # spaCy leaves "Penn State Wiki" untagged; its "Wiki" is not Mark Wiki. A lone "Raman" is (above).
    assert [(name, label) for name, _, label in triples(nlp, text) if label == "PERSON"] == [(person, "PERSON")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A lower-case noun may end a name ...
        ("My ties to the Republican party date back to 1979.", "Republican party"),
        # ... the citation's "et al" and a verb spaCy swept in do not.
        ("Training helps working memory (Klingberg et al., 2005).", "Klingberg"),
        ("He waited until Pag yelped and ducked.", "Pag"),
    ],
)
def test_lower_case_last_words(nlp, text, name):
    assert [found for found, _, _ in triples(nlp, text)] == [name]


def test_label_vote_gives_ties_to_person():
    assert label_vote(Counter({"GPE": 1, "PERSON": 1})) == "PERSON"
    assert label_vote(Counter({"ORG": 2, "PERSON": 2})) == "PERSON"
    assert label_vote(Counter({"GPE": 2, "PERSON": 1})) == "GPE"
    assert label_vote(Counter({"ORG": 1, "GPE": 1})) == "ORG"  # no PERSON: the first label seen


@pytest.mark.slow
def test_gum_half_b_floors(benchmark, shared_data):
    """benchmarks/entities.py on GUM dev half B stays just under its measured figures (docs/entities.md)."""
    gum = benchmark.load_gum(shared_data / "gum-dev" / "dep")
    result = benchmark.evaluate(NlpConfig().model, gum)
    b = result["halves"]["B"]
    ours, raw, trim = b["newsetl"], b["spaCy raw"], b["spaCy trim"]
    # Measured on half B: span F1 0.729 (raw 0.656, trim 0.702), typed 0.608 (raw 0.520; 0.580 before
    # issue 19c's type rules, 0.600 before a place's people, eighth session), canonical within 0.930 (0.932 before a nickname was found, seventh session), across 0.872.
    assert ours["span"][2] >= 0.725 and ours["span"][2] - raw["span"][2] >= 0.07
    assert ours["span"][2] - trim["span"][2] >= 0.02
    assert ours["typed"][2] >= 0.605 and ours["typed"][2] - raw["typed"][2] >= 0.085
    assert ours["within"][2] >= 0.93
    assert ours["across"][2] >= 0.87
    # Interviews (Wikinews, the news-like genre) of half B: span P 0.733 (raw 0.670), F1 0.721 (raw 0.661, trim 0.698).
    interview = result["genres"][("B", "interview")]
    assert interview["newsetl"]["span"][0] >= 0.73 and interview["newsetl"]["span"][2] >= 0.715
    assert interview["newsetl"]["span"][2] - interview["spaCy trim"]["span"][2] >= 0.02


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the department that ends a title is part of the title, not an organisation spoken of
        ("Former Secretary of State Hillary Clinton spoke in Ohio.", [("Hillary Clinton", "PERSON"), ("Ohio", "GPE")]),
        # an organisation after an ordinary "of" stays
        ("The chairman of Goldman Sachs spoke in Ohio.", [("Goldman Sachs", "ORG"), ("Ohio", "GPE")]),
    ],
)
def test_a_department_in_a_title_is_no_organisation(nlp, text, expected):
    found = [(m, label) for m, _, label in triples(nlp, text)]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title's gender picks the full name of that gender; first introduced otherwise
        (
            "Bill Clinton and Hillary Clinton visited Ohio. Mrs. Clinton spoke first. Mr. Clinton spoke later.",
            [("Clinton", "Hillary Clinton"), ("Clinton", "Bill Clinton")],
        ),
        # with no full name of the title's gender, the lexicon's guess does not undo the link
        ("Lindsey Graham spoke in Ohio. Mr. Graham left early.", [("Graham", "Lindsey Graham")]),
    ],
)
def test_a_titled_surname_joins_the_full_name_of_its_gender(nlp, text, expected):
    assert [(m, c) for m, c, _ in triples(nlp, text) if " " not in m and m != "Ohio"] == expected


def _conllu_sentence(number: int, words: list[str]) -> str:
    """An invented CoNLL-U sentence: each word a proper noun hung on the first."""
    rows = [f"{i}\t{w}\t{w}\tPROPN\tNNP\t_\t{0 if i == 1 else 1}\t{'root' if i == 1 else 'flat'}\t_\t_"
            for i, w in enumerate(words, start=1)]
    return f"# sent_id = doc-{number}\n" + "\n".join(rows) + "\n\n"


def test_gum_readers_break_a_paragraph_where_a_block_ends_unmarked(benchmark, tmp_path):
    # GUM gives the heading a block of one sentence and the story's first line no "# newpar" of its
    # own: glued with a space they read as one sentence ("The Cost to Be Wise Veronique stayed").
    path = tmp_path / "GUM_fiction_test.conllu.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("# newpar\n# newpar_block = head (1 s)\n" + _conllu_sentence(1, ["Harbour", "Days"]))
        fh.write(_conllu_sentence(2, ["Orla", "Benn"]) + _conllu_sentence(3, ["Port", "Avery"]))
        fh.write("# newpar\n# newpar_block = sp who:::\"#Orla\" (2 s) | p (2 s)\n")
        fh.write(_conllu_sentence(4, ["Ilsa", "Dorn"]) + _conllu_sentence(5, ["Marrow", "Bay"]))
        fh.write(_conllu_sentence(6, ["Calder", "Vale"]))
    expected = "Harbour Days\nOrla Benn Port Avery\nIlsa Dorn Marrow Bay\nCalder Vale"
    assert benchmark.read_gum(path).text == expected
    assert _benchmark("speakers").read_doc(path).text.rstrip(" ") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the tagger reads a surname that is also a word as an adverb or adjective: where only a name
        # can stand (capitalised after a lower-case word, or a subjectless verb's modifier) it is the person
        (
            "Tom Early runs the ferry company. Early in the day, the pier was closed. Tickets are cheap, says Early.",
            [("Tom Early", "Tom Early", "PERSON"), ("Early", "Tom Early", "PERSON")],
        ),
        (
            "Anna Young runs the port. Young people like the ferry. The pier is safe, says Young.",
            [("Anna Young", "Anna Young", "PERSON"), ("Young", "Anna Young", "PERSON")],
        ),
        # a pronoun is never the surname it spells
        ("The talks were led by Liu He, the vice premier. He said they went well.", [("Liu He", "Liu He", "PERSON")]),
    ],
)
def test_a_surname_that_is_also_a_word_is_the_person_where_only_a_name_fits(nlp, text, expected):
    assert triples(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-name person keeps the regnal title in the canonical name, in every mention
        (
            "Prince Andrew, the younger brother of Charles, said the visit was a mistake. Andrew said he regretted it.",
            [("Andrew", "Prince Andrew"), ("Charles", "Charles"), ("Andrew", "Prince Andrew")],
        ),
        ("Pope Francis visited Iraq. Francis met the clerics.", [("Francis", "Pope Francis"), ("Iraq", "Iraq"), ("Francis", "Pope Francis")]),
        # a full name, or a plain first name, is not touched
        ("Andrew Velk runs the port. Andrew said the pier was safe.", [("Andrew Velk", "Andrew Velk"), ("Andrew", "Andrew Velk")]),
    ],
)
def test_a_one_name_royal_or_pope_keeps_the_title_in_the_canonical_name(nlp, text, expected):
    assert [(name, canonical) for name, canonical, _ in triples(nlp, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaCy tags the full name ORG and the surname alone PERSON: a person's name, in every mention
        (
            "The title match between Novak Djokovic and Andy Murray began late. Djokovic told a TV interviewer that he was tired.",
            [("Novak Djokovic", "Novak Djokovic", "PERSON"), ("Andy Murray", "Andy Murray", "PERSON"),
             ("Djokovic", "Novak Djokovic", "PERSON")],
        ),
        # words before the surname that are no first names: not a person's name ("Post" is none)
        (
            "Critics of the Washington Post Trump said were wrong. Trump said the paper lied.",
            [("Washington Post Trump", "Washington Post Trump", "ORG"), ("Trump", "Washington Post Trump", "ORG")],
        ),
    ],
)
def test_a_full_name_tagged_organisation_whose_surname_alone_is_a_person_is_a_person(nlp, text, expected):
    assert triples(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaCy tags an office's place and its holder's name as one organisation: split at the first name
        (
            "Another diplomat, former special envoy to Ukraine Kurt Volker, shifted his account. Volker said the meeting was routine.",
            [("Ukraine", "Ukraine", "GPE"), ("Kurt Volker", "Kurt Volker", "PERSON"), ("Volker", "Kurt Volker", "PERSON")],
        ),
        # the department of "Secretary of Defense" is the office, no entity
        ("Secretary of Defense Leon Panetta said the troops would stay.", [("Leon Panetta", "Leon Panetta", "PERSON")]),
    ],
)
def test_an_office_holder_glued_to_the_offices_place_is_split_off(nlp, text, expected):
    assert triples(nlp, text) == expected
