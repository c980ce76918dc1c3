"""Plain dataclasses that flow between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Terminal states a discovered URL can end in (see warehouse view url_status).
URL_STATES = ("loaded", "duplicate", "quarantined", "skipped_language", "fetch_failed", "robots_denied", "unchanged")

# Attribution kinds accepted in the warehouse and in `newsetl annotate` output.
ATTRIBUTION_KINDS = ("direct", "indirect", "according_to", "no_comment")
# Who an attribution's speaker is: a named person or organisation (speaker_entity names it), an
# unnamed source on purpose, the article's own writer ("I", "we" outside quotation marks: the
# byline names them), or a speaker the text does not let us name.
SPEAKER_TYPES = ("person", "organization", "anonymous", "author", "unresolved")

# Media types of an HTML page: what the fetcher accepts as an article page and the pages suite expects.
HTML_TYPES = ("text/html", "application/xhtml+xml")

# Ways discovery finds a URL (flows/discover.py, flows/archive.py): discovered_urls.via.
DISCOVERY_VIA = ("feed", "sitemap", "seed", "folder", "warc")

# How dedup knew a copy, cheapest layer first (transforms/dedup.py): duplicates.layer.
DUPLICATE_LAYERS = ("url", "text_hash", "minhash", "title")
# Copies found by these layers can carry text their original lacks (a live blog's later version, a longer
# edit): they are enriched like originals, and the quotes mart keeps what they add (warehouse/
# queries/repeated_attributions.sql). url and text_hash copies have the original's words: not enriched.
NEW_TEXT_LAYERS = ("minhash", "title")

# Stages that quarantine a page (quarantine.stage) and the severities of a rule (quarantine.severity).
REJECTION_STAGES = ("extract", "validate", "enrich", "language")  # language: a source's `languages:` list
SEVERITIES = ("error", "warn")


@dataclass
class DiscoveredUrl:
    """A URL found by discovery, before fetching."""

    url: str
    source: str
    via: str  # "feed", "sitemap", "seed", "folder", "warc"
    allowed: bool = True  # False when robots.txt disallows it
    reason: str | None = None
    locator: str | None = None  # where a local page lies: a file path, or "path#offset" in a WARC file


@dataclass
class Page:
    """One fetch of one URL: what the server answered, or why nothing usable came back."""

    url: str
    source: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    body: bytes | None = None
    fetched_at: datetime | None = None
    error: str | None = None  # set when the fetch failed; a short reason
    attempts: int = 1
    elapsed_ms: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ExtractedArticle:
    """Article body and metadata extracted from one HTML page."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    modified: date | None = None
    sitename: str | None = None
    language: str | None = None
    url: str | None = None  # canonical URL declared by the page, if any
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    # Per field (title, author, date): where newsetl's value comes from and the library's own value.
    metadata_source: dict[str, dict[str, str | None]] = field(default_factory=dict)


class ExtractionError(ValueError):
    """Raised when a page yields no article; the message is the quarantine reason, `meta` what was extracted."""

    def __init__(self, message: str, meta: ExtractedArticle | None = None) -> None:
        super().__init__(message)
        # A page refused after its metadata was read (no_article, too_short) keeps it: its quarantine row shows it.
        self.meta = meta

    def __reduce__(self):
        """Pickled with its metadata (a worker process raises it, the flow may read it)."""
        return type(self), (str(self), self.meta)


@dataclass
class Mention:
    """One named-entity mention; offsets are character offsets into the annotated text."""

    text: str
    label: str
    start: int
    end: int
    canonical: str | None = None
    sentence: int | None = None
    in_lead: bool = False
    title: str | None = None  # a person's title written before the name: "President", "Dr."
    article_canonical: str | None = None  # the article's own name for it, before corpus-wide linking


@dataclass
class Entity:
    """One row of the entities table: a (canonical, label) entity across the articles."""

    canonical: str
    label: str
    aliases: dict[str, int]  # surface text -> mentions written so, most frequent first
    mention_count: int
    article_count: int
    titles: list[str] = field(default_factory=list)  # most frequent first


@dataclass
class Attribution:
    """Who said what: offsets are character offsets into the annotated text; unknown is None."""

    kind: str  # one of ATTRIBUTION_KINDS
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    content: str | None = None
    content_start: int | None = None
    content_end: int | None = None
    # The speaker's own words inside the content, left out of what was said: ', said Jane Smith, a
    # lawyer. ' between two quotations, ', Mr. Obama said, ' inside a sentence. None when the cue
    # stands outside the content.
    aside_start: int | None = None
    aside_end: int | None = None
    anonymous: bool = False
    speaker_type: str = "unresolved"  # one of SPEAKER_TYPES
    # The name the speaker resolves to: speaker_entity when the entity stage found it, else a
    # proper noun it missed ("Coase argues"); None for anonymous, author and unresolved speakers.
    speaker_name: str | None = None
    # The index (among the article's attributions) of the first row of the same speech event: "she
    # said, adding ..." is two rows and one statement. None until find_attributions numbers them.
    statement: int | None = None
    # True for a cue that says nothing was said ("is not saying what he would do", "No official
    # said ..."): the row stays (PolNeAR marks about half of them) but the quotes mart leaves it out.
    negated: bool = False


@dataclass
class Annotation:
    """Entities and attributions found in one text."""

    mentions: list[Mention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


@dataclass
class ArticleRecord:
    """An article on its way to the warehouse: where it came from, what was extracted, what it is."""

    article_id: str
    url: str  # canonical URL
    page_url: str  # the discovered URL it was fetched from
    page_id: str
    source: str
    article: ExtractedArticle
    text_hash: str
    signature: bytes | None = None
    title_key: str | None = None
    cluster_id: str | None = None
    is_canonical: bool = True
    annotation: Annotation | None = None
    copy_layer: str | None = None  # how dedup knew a copy (DUPLICATE_LAYERS); None for an original


@dataclass
class Duplicate:
    """A URL whose content is already in the warehouse (or earlier in the batch)."""

    url: str
    duplicate_of: str
    cluster_id: str
    layer: str  # url, text_hash, minhash, title
    similarity: float
    article_id: str | None = None


@dataclass
class Rejection:
    """A page kept out of the articles table, with the rule it broke."""

    url: str
    source: str
    rule: str
    stage: str  # extract, validate
    detail: str | None = None
    value: str | None = None
    page_id: str | None = None
    severity: str = "error"
    meta: ExtractedArticle | None = None  # a page refused as an article: the metadata extracted for it
