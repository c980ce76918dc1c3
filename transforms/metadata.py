"""Article metadata from a parsed page: JSON-LD, OpenGraph, meta tags and visible bylines."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata as trafilatura_metadata

from transforms.config import ExtractionConfig
from transforms.models import ExtractedArticle

# A byline part naming a job rather than a person ("AP Auto Writer", "Senior Reporter").
JOB_TITLE = re.compile(
    r"\b(writer|reporter|correspondent|editor|columnist|contributor|producer|journalist|staff|"
    r"analyst|photographer|critic|intern|chief|senior|associate|contributing)s?\b",
    re.IGNORECASE,
)
# A byline part naming an organisation rather than a person.
ORGANISATION = re.compile(
    r"\b(news|press|bureau|desk|editorial|team|admin|administrator|media|agency|wire|network|"
    r"magazine|times|post|journal|daily|weekly|online|group|inc|llc|ltd|reuters|afp|ap|"
    r"com|net|org|tribune|herald|gazette|international|sports?)\b",
    re.IGNORECASE,
)
# "By", "Analysis by", "Von", or a label such as "Text:" or "Автор:" before the name.
BYLINE_PREFIX = re.compile(
    r"^\s*(((analysis|story|text|words|reporting|opinion)\s+)?(by|from|von|par|por|di|door)|"
    r"(author|autor|auteur|autore|texto|testo|text|текст|автор)\s*:?)\s+",
    re.IGNORECASE,
)
# A weekday after a name is the start of a dateline that ran into the byline.
TRAILING_WEEKDAY = re.compile(r"\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b.*$", re.IGNORECASE)
# Separators between several names in one byline string.
NAME_SEPARATORS = re.compile(r"\s*(?:;|,|\||/|&|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
# " | ", " - ", " — " between a headline and the site name in a <title>; a bare colon is the headline's own.
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·•]|-{1,2}|::)\s+")
# What surrounds the holder's name in a copyright notice: "Copyright (c) Condé Nast 2019".
COPYRIGHT = re.compile(r"copyright|\(c\)|©|\b\d{4}\b|all rights reserved\.?", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+")
ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|Posting", re.IGNORECASE)
MODIFIED_META = ("article:modified_time", "og:updated_time", "last-modified", "dcterms.modified", "dc.date.modified")
SECTION_META = ("article:section", "section", "parsely-section", "category")
LANGUAGE_META = ("content-language", "language", "dc.language", "og:locale")

# The commonest function words of a few languages: enough to tell them apart on a few sentences.
STOPWORDS = {
    "en": "the of and to in is that for it was on with as are be this by at from have has not",
    "de": "der die und das ist nicht mit den sich des auf ein eine dem zu für von auch wird sie",
    "fr": "le la les des et est une que dans pour qui pas sur au avec du ce sont par",
    "es": "el la los las de que y en del se por con una para es como más pero sus",
    "it": "il di che la per non una sono della con del gli nel le alla anche come più",
    "pt": "de que não uma os para com por mais das dos como mas ao ele ela foi são",
    "nl": "de het een van en is dat niet op te zijn met voor er maar ook bij wordt",
    "ru": "и в не на что с как по это он она но из к у же так от за для",
}
STOPWORD_SETS = {lang: set(words.split()) for lang, words in STOPWORDS.items()}
WORD = re.compile(r"\w+")
DETECTABLE = {*STOPWORDS, "ja", "ko", "zh"}
SCRIPTS = (("ja", re.compile(r"[\u3040-\u30ff]")), ("ko", re.compile(r"[\uac00-\ud7af]")),
           ("zh", re.compile(r"[\u4e00-\u9fff]")))


def detect_language(text: str, config: ExtractionConfig) -> str | None:
    """ISO 639-1 code guessed from script and stopword counts, None when the evidence is thin."""
    sample = text[: config.language_sample_chars]
    for lang, script in SCRIPTS:  # kana before han: Japanese text mixes both
        if len(script.findall(sample)) >= config.language_min_hits:
            return lang
    words = WORD.findall(sample.lower())
    hits = Counter({lang: sum(w in stop for w in words) for lang, stop in STOPWORD_SETS.items()})
    (best, count), *rest = hits.most_common(2) + [("", 0)]
    if count < config.language_min_hits or count < config.language_margin * rest[0][1]:
        return None
    return best


def choose_language(declared: str | None, text: str, config: ExtractionConfig) -> str | None:
    """The language of the text when it can be told, else the declared one.

    Site templates often declare one language for pages in another; the declaration is
    kept when the text's language is one the guesser cannot tell.
    """
    detected = detect_language(text, config)
    if declared is None or (detected and declared in DETECTABLE):
        return detected or declared
    return declared


def _json_ld(tree: HtmlElement) -> dict:
    """The page's article-typed JSON-LD object (its first one), or {}."""
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type", "")
            if ARTICLE_TYPES.search(" ".join(kind) if isinstance(kind, list) else str(kind)):
                found.append(node)
            walk(node.get("@graph", []))

    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text or "", strict=False))
        except ValueError:
            continue
    return found[0] if found else {}


def _meta(tree: HtmlElement, names: tuple[str, ...]) -> str | None:
    """Content of the first <meta> whose name, property or http-equiv is one of `names`."""
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key in names and meta.get("content", "").strip():
            return meta.get("content").strip()
    return None


def _first(value) -> str | None:
    """First string of a JSON-LD value that may be a string or a list of them."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _ld_image(value) -> str | None:
    """URL of a JSON-LD image, which may be a URL, an ImageObject, or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url")
    return _first(value)


def _ld_keywords(value) -> list[str]:
    """JSON-LD keywords, a comma-separated string or a list of strings."""
    return [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]


def _to_date(value: str | None) -> date | None:
    """Date of an ISO date or datetime string, None when it is not one."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _squash(name: str) -> str:
    """A name's words, lower-cased and run together: "Cleveland.com" and "cleveland com" match."""
    return "".join(WORD.findall(name)).lower()


def _is_outlet(name: str, outlets: set[str]) -> bool:
    """Whether a name is one of the outlets' names or part of one ("Cleveland.com" of "www.cleveland.com")."""
    squashed = _squash(name)
    return bool(squashed) and any(squashed in o for o in outlets)


def clean_authors(byline: str | None, outlet_names: list[str]) -> list[str]:
    """Person names of a byline: split, without "By", job titles, e-mails or outlet names."""
    outlets = {_squash(name) for name in outlet_names if name}
    names: dict[tuple[str, str], str] = {}  # by first and last word: "Troy Smith" is "Troy L. Smith"
    for part in NAME_SEPARATORS.split(TRAILING_WEEKDAY.sub("", EMAIL.sub("", byline or ""))):
        name = BYLINE_PREFIX.sub("", part).strip(" .-–—:")
        name = name.title() if name.isupper() else name  # "LISA MASCARO" -> "Lisa Mascaro"
        words = WORD.findall(name.lower())
        if (len(words) < 2 or any(c.isdigit() for c in name) or JOB_TITLE.search(name)
                or ORGANISATION.search(name) or _is_outlet(name, outlets)):
            continue
        names.setdefault((words[0], words[-1]), name)
    return list(names.values())


def clean_title(title: str | None, outlet_names: list[str]) -> str | None:
    """The headline without the site name (or section) its <title> carries before or after it."""
    if not title:
        return None
    outlets = {_squash(name) for name in outlet_names if name}
    cuts = [(m.start(), m.end()) for m in TITLE_SEPARATOR.finditer(title)]
    start, end = 0, len(title)
    while cuts and _is_outlet(title[cuts[-1][1] : end], outlets):
        end = cuts.pop()[0]
    while cuts and _is_outlet(title[start : cuts[0][0]], outlets):
        start = cuts.pop(0)[1]
    return title[start:end]


def _organisations(ld: dict) -> list[str]:
    """Names of the organisations the JSON-LD credits: its publisher and any author typed Organization."""
    authors = ld.get("author")
    entries = [ld.get("publisher"), *(authors if isinstance(authors, list) else [authors])]
    return [e.get("name") for e in entries
            if isinstance(e, dict) and isinstance(e.get("name"), str) and (e is entries[0] or e.get("@type") == "Organization")]


def _split_tags(values: list[str] | None) -> list[str]:
    """Tags split on commas, stripped and deduplicated case-insensitively, in page order."""
    tags: dict[str, str] = {}
    for value in values or []:
        for tag in value.split(","):
            if tag.strip():
                tags.setdefault(tag.strip().lower(), tag.strip())
    return list(tags.values())


def _language(tree: HtmlElement, ld: dict) -> str | None:
    """Language the page declares (html lang, meta, JSON-LD inLanguage) as an ISO 639-1 code."""
    declared = tree.get("lang") or tree.get("xml:lang") or _meta(tree, LANGUAGE_META) or _first(ld.get("inLanguage"))
    code = re.split(r"[-_]", declared.strip().lower())[0] if declared else ""
    return code if len(code) == 2 and code.isalpha() else None


def extract_metadata(tree: HtmlElement, url: str | None = None) -> ExtractedArticle:
    """Title, authors, dates, site, declared language, canonical URL, description, section, tags, image.

    The text is left empty and the language None when the page does not declare one:
    both are for the caller to fill from the extracted body.
    """
    doc = trafilatura_metadata(tree, default_url=None, extensive=False)
    ld = _json_ld(tree)
    canonical = urljoin(url, doc.url) if url and doc.url else doc.url
    page_url = canonical or url
    published = _to_date(find_date(tree, url=page_url, original_date=True, extensive_search=False))
    modified = _to_date(_first(ld.get("dateModified")) or _meta(tree, MODIFIED_META))
    if modified and published and modified < published:  # placeholders such as 0001-01-01
        modified = None
    if modified is None:  # htmldate's latest date, when the page shows one after publication
        latest = _to_date(find_date(tree, url=page_url, original_date=False, extensive_search=False))
        modified = latest if latest and published and latest > published else None
    image = doc.image or _ld_image(ld.get("image"))
    host = urlsplit(page_url).hostname if page_url else None
    section = _first(ld.get("articleSection")) or _meta(tree, SECTION_META) or _first(doc.categories)
    holder = COPYRIGHT.sub("", _meta(tree, ("copyright", "dc.rights", "rights")) or "")
    outlets = [doc.sitename, host, host.split(".")[-2] if host and "." in host else None, holder, *_organisations(ld)]
    return ExtractedArticle(
        text="",
        title=clean_title(doc.title, [*outlets, section]),
        authors=clean_authors(doc.author, outlets),
        published=published,
        modified=modified,
        sitename=TITLE_SEPARATOR.split(doc.sitename)[0] if doc.sitename else None,  # without its tagline
        language=_language(tree, ld),
        url=canonical,
        description=doc.description,
        section=section.split(",")[0].strip() if section else None,  # "news,politics": the first
        tags=_split_tags(doc.tags or _ld_keywords(ld.get("keywords"))),
        image=urljoin(page_url, image) if page_url and image else image,
    )
