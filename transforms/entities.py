"""Named-entity mentions and their canonical names (first version; see issue 7)."""

from __future__ import annotations

from transforms.models import Mention

# Labels kept as entities; numbers, dates and money are not who or where.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"}


def find_mentions(doc) -> list[Mention]:
    """Return entity mentions of a spaCy Doc with a canonical name each."""
    sentence_of = {s.start: i for i, s in enumerate(doc.sents)} if doc.has_annotation("SENT_START") else {}
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        sent = sentence_of.get(ent.sent.start) if sentence_of else None
        mentions.append(
            Mention(
                text=ent.text,
                label=ent.label_,
                start=ent.start_char,
                end=ent.end_char,
                canonical=ent.text,
                sentence=sent,
                in_lead=sent is not None and sent < 3,
            )
        )
    return mentions
