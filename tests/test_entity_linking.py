"""Corpus-wide linking: surnames, name variants and acronyms joined to one entity across articles."""

from __future__ import annotations

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


def test_a_place_is_no_surname():
    linked = link_corpus([[m("George Washington")], [m("Washington", "GPE")]])
    assert names(linked)[1] == [("Washington", "GPE")]


def test_middle_initials_join_unless_two_initialled_forms_exist():
    assert names(link_corpus([[m("Donald J. Trump")], [m("Donald Trump")], [m("Donald Trump")]])) == [[("Donald Trump", "PERSON")]] * 3
    bushes = link_corpus([[m("George H. W. Bush")], [m("George W. Bush")], [m("George Bush")]])
    assert names(bushes) == [[("George H. W. Bush", "PERSON")], [("George W. Bush", "PERSON")], [("George Bush", "PERSON")]]


def test_an_acronym_joins_its_only_expansion():
    linked = link_corpus([[m("Massachusetts Institute of Technology", "ORG")], [m("MIT", "ORG")], [m("EPA", "ORG")]])
    assert names(linked) == [[("Massachusetts Institute of Technology", "ORG")]] * 2 + [[("EPA", "ORG")]]


def test_the_label_is_the_corpus_vote_and_a_stored_entity_keeps_its_label():
    articles = [[m("Marsden", "GPE")], [m("Marsden")], [m("Marsden")]]
    assert names(link_corpus(articles)) == [[("Marsden", "PERSON")]] * 3
    known = [KnownEntity("Marsden", "GPE", ("Marsden",))]
    assert names(link_corpus(articles, known)) == [[("Marsden", "GPE")]] * 3


def test_a_new_batch_links_to_stored_entities_without_renaming_them():
    known = [KnownEntity("Nadia Okonkwo", "PERSON", ("Nadia Okonkwo", "Okonkwo")), KnownEntity("Federal Reserve", "ORG", ("Fed",))]
    links = corpus_links([[m("Okonkwo", "ORG")], [m("Fed", "ORG")], [m("Nadia Okonkwo")]], known)
    assert links["Okonkwo"] == ("Nadia Okonkwo", "PERSON")
    assert links["Fed"] == ("Federal Reserve", "ORG")
    assert links["Nadia Okonkwo"] == ("Nadia Okonkwo", "PERSON")


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
