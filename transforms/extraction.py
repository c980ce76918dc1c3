"""Article body and metadata from HTML: several extractors vote, leftover boilerplate is dropped."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from functools import lru_cache
from itertools import combinations

import trafilatura
from lxml.html import HtmlElement
from trafilatura.external import justext_rescue, try_readability
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from transforms.config import ExtractionConfig
from transforms.metadata import choose_language, extract_metadata
from transforms.models import ExtractedArticle, ExtractionError

WORD = re.compile(r"\w+")
# Lines that are page furniture, not article: sharing, subscription, app and copyright prompts.
BOILERPLATE = re.compile(
    r"\b(share (this|on|it)|sign up|subscribe|newsletter|click here|follow us|all rights reserved|"
    r"copyright|reprints?|print (this )?article|like this story|tell us what you think|get the .{1,30} app|"
    r"download (the|our) app|advertisement|read more|don'?t miss|text size)\b|©|"
    # photo credits and captions' credit lines
    r"^(photo|photograph|image|picture|video)s?( credit)?\s*(by|:)|getty images|shutterstock|ap photo|"
    # update stamps: "Updated Nov. 19, 2019 8:21 am ET"
    r"^(updated|published|posted|last (updated|modified))\b.*\d",
    re.IGNORECASE,
)
# Longer calls to action: a sentence with these is a pitch or a credit line even at paragraph length.
PITCH = re.compile(
    r"\b(click here|(sign up|subscribe) (now|today|here)|if you (enjoyed|liked) this|"
    r"contributed to this report|additional reporting by)\b|"
    # imperatives only: "people sign up for the scheme" is news, "Sign up for our ..." is not
    r"^(sign up|subscribe|get access)\b|^follow\b.*\b(facebook|twitter|instagram|youtube)\b",
    re.IGNORECASE,
)
# Headings that open a list of links to other articles; what follows them is not the article.
RELATED = re.compile(
    r"^(related|you may also like|recommended|more (from|on|stories|news)|also read|see also|"
    r"trending|most (read|popular)|read next|further reading)\b",
    re.IGNORECASE,
)
# An inline link to another story: "Read more: <headline>", "Related: <headline>".
TEASER = re.compile(r"^(related|read more|read also|also read|see also|more)\s*:", re.IGNORECASE)
# Block elements whose end is a paragraph break when a readability summary is flattened to text.
BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "section")


@lru_cache(maxsize=8)  # one page's few candidate texts are compared several times in a vote
def shingles(text: str, size: int) -> Counter:
    """Multiset of `size`-word shingles of a text (a shorter text is one short shingle)."""
    words = WORD.findall(text)
    if len(words) < size:
        return Counter([tuple(words)] if words else [])
    return Counter(zip(*(words[i:] for i in range(size)), strict=False))


def similarity(a: Counter, b: Counter) -> float:
    """F1 overlap of two shingle multisets: 1 for the same text, 0 for nothing in common."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _trafilatura(tree: HtmlElement, url: str | None, **options) -> str:
    """trafilatura's own extractor alone (no fallbacks: we arbitrate between extractors ourselves)."""
    return trafilatura.extract(tree, url=url, fast=True, include_comments=False, **options) or ""


def _library(tree: HtmlElement, url: str | None) -> str:
    """trafilatura's full call (its own readability and jusText fallbacks), comments left out.

    Asked only when the vote's text is too short to be an article: it then takes over when it
    finds one, so newsetl never refuses a page whose article the library extracts (half A of
    web-metadata-dev: 2 of the 3 pages refused were articles the vote had missed, a browser warning
    taken for the text and a 192-character summary of a 452-character post).
    """
    return trafilatura.extract(tree, url=url, include_comments=False) or ""


def _readability(tree: HtmlElement) -> str:
    """readability-lxml's article (trafilatura's fork), one line per block."""
    summary = try_readability(deepcopy(tree))
    for block in summary.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in summary.text_content().splitlines() if line.strip())


def _justext(tree: HtmlElement, language: str | None) -> str:
    """jusText's paragraphs, one per line; it judges prose by the stopwords of the page's language."""
    body, _ = justext_rescue(deepcopy(tree), Extractor(lang=language))
    return "\n".join(p.text.strip() for p in body.iter("p") if p.text and p.text.strip())


def _medoid(texts: list[str], size: int) -> tuple[str, float]:
    """The text agreeing best with the others, and the lowest pairwise agreement among them all."""
    grams = [shingles(t, size) for t in texts]
    sims = {(i, j): similarity(grams[i], grams[j]) for i, j in combinations(range(len(texts)), 2)}
    agreement = [sum(s for pair, s in sims.items() if i in pair) for i in range(len(texts))]
    return texts[agreement.index(max(agreement))], min(sims.values())


def extract_body(tree: HtmlElement, url: str | None, config: ExtractionConfig, language: str | None = None) -> str:
    """Article text of a parsed page, chosen by agreement between extractors that fail differently.

    trafilatura's precision mode is right most often but sometimes keeps a fragment;
    readability sometimes takes the wrong container; trafilatura's balanced mode keeps
    teasers. When precision and readability agree, that is the article. Otherwise the
    balanced mode votes too and the text closest to the others wins; when even those
    disagree strongly, jusText casts a fourth vote.
    """
    size = config.vote_shingle_size
    precise, readable = _trafilatura(tree, url, favor_precision=True), _readability(tree)
    if precise and readable and similarity(shingles(precise, size), shingles(readable, size)) >= config.agree_above:
        return precise
    texts = [t for t in (precise, _trafilatura(tree, url), readable) if t]
    if len(texts) < 2:
        return texts[0] if texts else ""
    best, disagreement = _medoid(texts, size)
    if disagreement < config.second_opinion_below:
        best, _ = _medoid([*texts, _justext(tree, language)], size)
    return best


def _words(text: str) -> str:
    """Lower-cased words of a text joined by single spaces, for comparing headlines."""
    return " ".join(WORD.findall(text.lower()))


def _is_furniture(line: str, headline: str, config: ExtractionConfig) -> bool:
    """Whether a body line is page furniture: the headline again, a prompt, a credit or a teaser."""
    words = len(line.split())
    return bool(
        _words(line) == headline
        or (words <= config.furniture_max_words and BOILERPLATE.search(line))
        or (words <= config.pitch_max_words and (PITCH.search(line) or TEASER.match(line.strip())))
    )


def drop_furniture(text: str, title: str | None, config: ExtractionConfig) -> str:
    """The body without the headline (on top, or repeated), sharing/subscription lines and related links."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:  # a one-line body is all there is, even if it repeats the headline
        return "\n".join(lines)
    # A top line inside the title is the headline or its kicker ("Review", "Opinion").
    headline = _words(title or "")
    for _ in range(config.headline_lines):
        if len(lines) > 1 and _words(lines[0]) and f" {_words(lines[0])} " in f" {headline} ":
            lines.pop(0)
    # A short "Related"/"More from" heading in the second half opens the links after the article.
    end = next((i for i, line in enumerate(lines) if i >= len(lines) * config.related_after
                and len(line.split()) <= config.furniture_max_words and RELATED.match(line.strip())), len(lines))
    return "\n".join(line for line in lines[:end] if not _is_furniture(line, headline, config))


def unless_short(text: str, library: Callable[[], str], config: ExtractionConfig) -> str:
    """The text, or the library's (asked only then) when ours is too short to be an article and it is longer."""
    return text if len(text) >= config.min_text_chars else max(text, library(), key=len)


def extract_article(html: str, url: str | None = None, config: ExtractionConfig | None = None) -> ExtractedArticle:
    """Extract the article of one HTML page, or raise ExtractionError with the reason."""
    config = config or ExtractionConfig()
    if not html or not html.strip():
        raise ExtractionError("empty_body: the page has no content")
    tree = load_html(html)
    if tree is None:
        raise ExtractionError("not_html: the page does not parse as HTML")
    meta = extract_metadata(tree, url, config)
    text = drop_furniture(extract_body(tree, url, config, meta.language), meta.title, config)
    text = unless_short(text, lambda: drop_furniture(_library(tree, url), meta.title, config), config)
    found = replace(meta, text=text, language=choose_language(meta.language, text, config))
    if not text:
        raise ExtractionError("no_article: no article text found", found)
    if len(text) < config.min_text_chars:
        raise ExtractionError(f"too_short: {len(text)} characters of text, fewer than {config.min_text_chars}", found)
    return found
