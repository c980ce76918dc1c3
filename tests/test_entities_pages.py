"""Real-page junk (issue 19d): no-letter names, numbers glued to people, products and platforms typed as people."""

from __future__ import annotations

import pytest

from transforms.entities import _is_short_form, find_mentions


def labelled(nlp, text: str) -> list[tuple[str, str]]:
    """(mention text, label) of every mention newsetl finds in `text`."""
    return [(m.text, m.label) for m in find_mentions(nlp(text))]


def raw(nlp, text: str) -> list[tuple[str, str]]:
    """(entity text, label) of raw spaCy: each case below is one spaCy gets wrong."""
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_a_mention_with_no_letter_is_no_entity(nlp):
    text = "Mix the cooked chicken, ½ cup edamame and ¼ cup rice."
    assert ("½", "PERSON") in raw(nlp, text)
    assert all(any(ch.isalpha() for ch in name) for name, _ in labelled(nlp, text))


@pytest.mark.parametrize(
    ("text", "raw_person", "person"),
    [
        ("K. Hupfer 1 goal, Z. Nielsen 1 goal.", "K. Hupfer 1 goal", "K. Hupfer"),  # a results table
        ("Nicolas Jarry 6-4, 6-2 beat Botic van de Zanschulp.", "Nicolas Jarry 6-4", "Nicolas Jarry"),  # a score
    ],
)
def test_a_number_glued_to_a_full_name_is_cut_off(nlp, text, raw_person, person):
    assert (raw_person, "PERSON") in raw(nlp, text)
    assert (person, "PERSON") in labelled(nlp, text)


@pytest.mark.parametrize(
    ("text", "product", "raw_label"),
    [
        ("The DJI Mavic Mini weighs 249 grams. The Mavic Mini folds up.", "Mavic Mini", "PERSON"),  # a model word
        ("The RAV4 Hybrid is quieter than the current RAV4 Hybrid.", "RAV4 Hybrid", "PERSON"),  # a digit
        ("Apple makes the iPad Pro. Apple said the iPad Pro sold well.", "iPad Pro", "ORG"),
        ("The new MacBook Pro features a better keyboard. Apple said the MacBook Pro ships in May.", "MacBook Pro", "ORG"),
        # "Retina" is a lexicon first name: it protects a PERSON, not an organisation's product.
        ("Apple sells the Retina MacBook Pro. The MacBook Pro has a keyboard.", "Retina MacBook Pro", "ORG"),
    ],
)
def test_products_are_neither_people_nor_organisations(nlp, text, product, raw_label):
    assert any(name.removeprefix("the ").removeprefix("The ") == product and label == raw_label for name, label in raw(nlp, text))
    found = labelled(nlp, text)
    assert (product, "PRODUCT") in found and (product, raw_label) not in found
    assert all(label == "ORG" for name, label in found if name == "Apple")  # the maker stays an organisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A person with a sign of one keeps the label: a speech verb, a title, a lexicon first name.
        ("Chuck Max said he would run. Max posted on Twitter.", ("Max", "PERSON")),
        ("Kowalski said on Monday that she would run. Voters reached Kowalski on Friday.", ("Kowalski", "PERSON")),
    ],
)
def test_people_with_a_sign_of_a_person_stay_people(nlp, text, expected):
    assert expected in labelled(nlp, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("He investigated the Ukrainian energy company Burisma in 2016.", "Burisma"),  # a class noun before it
        ("Public companies such as Gannett have cut hundreds of jobs.", "Gannett"),
        ("The merger of the newspaper chains Gannett and Lee Enterprises closed on Tuesday.", "Gannett"),  # apposition
        ("Voss is the founder of Gannett.", "Gannett"),  # a post held in it
    ],
)
def test_a_name_an_organisations_frame_gives_is_an_organisation(nlp, text, name):
    assert (name, "PERSON") in raw(nlp, text)
    assert (name, "ORG") in labelled(nlp, text)


def test_a_party_is_no_surname_of_a_name_ending_with_it(nlp):
    # spaCy tags "Virginia Democrats" a person; its lone "Democrats" (NORP) joined it as a surname.
    text = (
        "Virginia Democrats won a majority in the legislature for the first time in decades. "
        "Democrats also beat the governor in Kentucky."
    )
    assert ("Virginia Democrats", "PERSON") in raw(nlp, text) and ("Democrats", "NORP") in raw(nlp, text)
    found = [(m.text, m.label, m.canonical) for m in find_mentions(nlp(text))]
    assert ("Democrats", "NORP", "Democrats") in found


def test_a_first_named_person_in_an_organisations_frame_stays_a_person(nlp):
    # "giant" says business, not organisation: a first name of the lexicon is a sign of a person.
    text = "The fashion giant Rosa Delgado ranks second among the richest people."
    assert labelled(nlp, text) == [("Rosa Delgado", "PERSON")]


@pytest.mark.parametrize(
    "text",
    [
        "Taylor Swift took to Twitter to air her grievances. She later posted on Twitter again.",
        "Fans can visit Arrowhead on Facebook, Twitter, and Instagram.",  # a conjunct of "on Facebook"
    ],
)
def test_a_platform_written_on_or_taken_to_is_an_organisation(nlp, text):
    assert ("Twitter", "PERSON") in raw(nlp, text)
    assert ("Twitter", "ORG") in labelled(nlp, text)
    assert ("Twitter", "PERSON") not in labelled(nlp, text)


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("Google", "Google Stadia Pro", False),  # the maker is not its product
        ("Amazon", "Amazon Echo Buds", False),
        ("Corvane", "Corvane Foods", True),  # an organisation's first word still joins it
        ("Stadia Pro", "Google Stadia Pro", True),  # the product's own short form does
    ],
)
def test_a_makers_name_is_no_short_form_of_its_product(short, long, expected):
    assert _is_short_form(short, long) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # spaCy's small model calls these people organisations; a title before one mention says otherwise.
        ("Carly Fiorina attacked the plan on Tuesday. Carly Fiorina is the only woman in the race. "
         "Mrs. Fiorina said the party needed a fresh face.", "Carly Fiorina", "PERSON"),
        ("Nikki Haley signed the bill. Nikki Haley spoke in Columbia. Gov. Haley said the flag would come down.",
         "Nikki Haley", "PERSON"),
        # A title word before an organisation that modifies a noun ("Chairman ... shares") is no sign.
        ("Morgan Stanley cut jobs. Morgan Stanley said profits rose. Chairman Morgan Stanley shares fell.",
         "Morgan Stanley", "ORG"),
    ],
)
def test_a_first_named_organisation_with_a_title_is_a_person(nlp, text, name, expected):
    assert [label for found, label in raw(nlp, text) if found == name] == ["ORG"] * 2 + (["ORG"] if expected == "ORG" else [])
    assert {label for found, label in labelled(nlp, text) if found == name} == {expected}


def test_a_platform_is_an_organisation_whatever_it_does(nlp):
    # "Twitter said" is a subject of a speech verb, which keeps spaCy's PERSON for any other name.
    text = "Twitter said in a blog post that it had suspended the accounts."
    assert ("Twitter", "PERSON") in raw(nlp, text)
    assert labelled(nlp, text) == [("Twitter", "ORG")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Follow Ian Hanchett on Twitter @IanHanchett.", [("Ian Hanchett", "PERSON"), ("Twitter", "ORG")]),
        ("The candidate's @realDonaldTrump Twitter feed serves as a direct line to his mind.", [("Twitter", "ORG")]),
    ],
)
def test_a_handle_is_no_part_of_a_name(nlp, text, expected):
    # spaCy: "Twitter @IanHanchett" and "@realDonaldTrump Twitter" are people, full names every lone
    # "Twitter" of a corpus joined as a surname (132 PolNeAR mentions).
    assert any("@" in name for name, _ in raw(nlp, text))
    assert labelled(nlp, text) == expected
