"""Article body and metadata from HTML: several extractors vote, leftover boilerplate is dropped."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from difflib import SequenceMatcher
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
# A server's error message printed into the page, at any length: PHP's "Strict Standards: Non-static method
# ... in /www/htdocs/.../nggfunctions.php on line 813" (an outdated WordPress plugin), never article text.
SERVER_ERROR = re.compile(r"^(php )?(strict standards|warning|notice|deprecated|(catchable )?fatal error|parse error): "
                          r".* in \S+ on line \d+\.?$", re.IGNORECASE)
# Block elements whose end is a paragraph break when a readability summary is flattened to text.
BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "section")
# Class or id words CMSs give the standfirst (the summary under the headline), which
# trafilatura leaves out with the page header; matched anywhere in the attribute.
STANDFIRST = re.compile(r"intro|lead|teaser|abstract|summary|excerpt|standfirst|subtitle|subheadline|sub-headline|dek\b|deck\b",
                        re.IGNORECASE)
# Elements a standfirst can be, and the containers that make a text something else
# (navigation, a caption, a link, a list item, a quote).
STANDFIRST_TAGS = ("p", "div", "h2", "h3", "h4", "span", "section", "header", "strong")
# Blocks that hold one paragraph, inline markup and all (a div's own text is read without its children).
PARAGRAPHS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "td", "dd", "dt", "blockquote", "pre")
NOT_STANDFIRST = {"nav", "aside", "footer", "figure", "figcaption", "a", "li", "form", "button", "blockquote"}
# The blocks a line of extracted text is traced back to, to read its link density.
SOURCE_BLOCKS = ("p", "div", "li", "td", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                 "section", "article", "header", "main")


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


def extract_body(tree: HtmlElement, url: str | None, config: ExtractionConfig, language: str | None = None) -> tuple[str, str]:
    """Article text of a parsed page, chosen by agreement between extractors that fail differently; and the full call's text.

    trafilatura's precision mode is right most often but sometimes keeps a fragment;
    readability sometimes takes the wrong container; trafilatura's balanced mode keeps
    teasers. When precision and readability agree, that is the article. Otherwise the
    balanced mode votes too and the text closest to the others wins; when even those
    disagree strongly, jusText casts a fourth vote. With config.recover_paragraphs, the
    library's full call is asked (second value, else empty) when the winner is shorter than
    another candidate: a sign that it left paragraphs out, for recover_lines.
    """
    size = config.vote_shingle_size
    precise, readable = _trafilatura(tree, url, favor_precision=True), _readability(tree)
    if precise and readable and similarity(shingles(precise, size), shingles(readable, size)) >= config.agree_above:
        return precise, ""
    texts = [t for t in (precise, _trafilatura(tree, url), readable) if t]
    if len(texts) < 2:
        return (texts[0] if texts else ""), ""
    best, disagreement = _medoid(texts, size)
    if disagreement < config.second_opinion_below:
        best, _ = _medoid([*texts, _justext(tree, language)], size)
    shorter = len(best) < config.recover_shorter_than * max(map(len, texts))
    return best, (_library(tree, url) if config.recover_paragraphs and shorter else "")


def _words(text: str) -> str:
    """Lower-cased words of a text joined by single spaces, for comparing headlines."""
    return " ".join(WORD.findall(text.lower()))


def _is_furniture(line: str, headline: str, config: ExtractionConfig) -> bool:
    """Whether a body line is page furniture: the headline again, a prompt, a credit or a teaser."""
    words = len(line.split())
    return bool(
        _words(line) == headline
        or SERVER_ERROR.match(line.strip())
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


def _flat(text: str) -> str:
    """Text with whitespace runs collapsed to single spaces, for finding one text in another."""
    return " ".join(text.split())


def _link_density(tree: HtmlElement) -> Callable[[str], float | None]:
    """For a line of extracted text, the share of its smallest source block's text in links to other pages.

    In-page anchors ("#section") are not counted: a table of contents points into the article.
    None when no block holds the line (text the extractor assembled from several).
    """
    blocks = []
    for block in tree.iter(*SOURCE_BLOCKS):
        text = _flat(block.text_content())
        if text:
            linked = sum(len(_flat(a.text_content())) for a in block.iter("a")
                         if not (a.get("href") or "#").startswith(("#", "javascript")))
            blocks.append((len(text), text, linked / len(text)))
    blocks.sort(key=lambda b: b[0])

    def density(line: str) -> float | None:
        key = _flat(line.lstrip("-|> "))[:80]
        return next((d for _, text, d in blocks if key and key in text), None)
    return density


def recover_lines(text: str, library: str, tree: HtmlElement, config: ExtractionConfig) -> str:
    """The text with the paragraphs only the library's full call found put back in their place.

    A paragraph comes back when it is prose by the page's own markup: at least
    recover_min_words words and a source block that is not mostly links to other pages
    (teasers, "read also" lines). When the library found twice as much text as we did, our
    text is a fragment and shorter lines (list items, subheads, table cells) come back too.
    """
    ours, theirs = [line for line in text.splitlines() if line.strip()], [line for line in library.splitlines() if line.strip()]
    flat = _flat(text)
    fragment = len(text) < config.recover_fragment_ratio * len(library)
    density = _link_density(tree)

    def prose(line: str) -> bool:
        if _flat(line) in flat or line.lstrip().startswith("|") or not (fragment or len(line.split()) >= config.recover_min_words):
            return False
        share = density(line)
        return share is not None and share < config.recover_max_link_density

    out: list[str] = []
    matcher = SequenceMatcher(None, [_flat(line) for line in ours], [_flat(line) for line in theirs], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out += ours[i1:i2]
        if tag in ("insert", "replace"):
            out += [line for line in theirs[j1:j2] if prose(line)]
    return "\n".join(out)


def _visible(element: HtmlElement) -> str:
    """An element's text without its scripts and styles, whitespace collapsed."""
    return _flat(" ".join(element.xpath(
        ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")))


def standfirst(tree: HtmlElement, text: str, config: ExtractionConfig) -> str | None:
    """The page's standfirst when the text lacks it: the last element before the text's first paragraph whose class or id names one.

    trafilatura drops the summary printed between headline and article with the page header.
    It comes back when it is prose (standfirst_min_words to standfirst_max_words words, under
    recover_max_link_density links) outside navigation, captions, links and lists, and holds
    no <h1> and no image (a header block with the headline, a lead picture with its caption).
    """
    first = next((line for line in text.splitlines() if len(line.split()) >= config.standfirst_min_words), None)
    if first is None:
        return None
    key, marked = _flat(first)[:config.standfirst_key_chars], []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "template"):
            continue
        own = element.text_content() if element.tag in PARAGRAPHS else element.text
        if own and key in _flat(own):
            break  # the text's first paragraph: a standfirst comes before it
        if element.tag in STANDFIRST_TAGS and STANDFIRST.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            marked.append(element)
    else:
        return None  # the first paragraph is not in the page as one text (assembled by the extractor)
    enclosing, flat = set(element.iterancestors()), _flat(text)
    for candidate in reversed(marked):
        if candidate in enclosing or candidate.tag in NOT_STANDFIRST or any(a.tag in NOT_STANDFIRST for a in candidate.iterancestors()):
            continue
        if candidate.find(".//h1") is not None or candidate.xpath(".//img|.//picture|.//video|.//figure|.//iframe"):
            continue
        found = _visible(candidate)
        if not config.standfirst_min_words <= len(found.split()) <= config.standfirst_max_words or found in flat:
            continue
        linked = sum(len(_visible(a)) for a in candidate.iter("a"))
        if linked < config.recover_max_link_density * len(found):
            return found
    return None


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
    body, library = extract_body(tree, url, config, meta.language)
    text = drop_furniture(body, meta.title, config)
    if library:
        text = recover_lines(text, drop_furniture(library, meta.title, config), tree, config)
    lead = standfirst(tree, text, config) if config.restore_standfirst else None
    if lead and not _is_furniture(lead, _words(meta.title or ""), config):
        text = f"{lead}\n{text}"
    text = unless_short(text, lambda: drop_furniture(library or _library(tree, url), meta.title, config), config)
    found = replace(meta, text=text, language=choose_language(meta.language, text, config))
    if not text:
        raise ExtractionError("no_article: no article text found", found)
    if len(text) < config.min_text_chars:
        raise ExtractionError(f"too_short: {len(text)} characters of text, fewer than {config.min_text_chars}", found)
    return found
