"""URL normalisation: one spelling per page, so that the same article is recognised by its address."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import extract_domain, normalize_url, scrub_url


def normalise_url(url: str) -> str:
    """Return the normalised spelling of an absolute URL (tracking parameters, fragment, default port dropped)."""
    # courlan lowercases scheme and host, drops :80/:443, sorts the query and strips tracking
    # parameters (utm_*, fbclid, gclid, ref...); trailing_slash=False makes "/a/" and "/a" one page.
    normalised = normalize_url(scrub_url(url), trailing_slash=False)
    parts = urlsplit(normalised)
    # The fragment never reaches the server, so it never names another article; the root is
    # spelled "/" (courlan drops that slash, but "https://example.com/" is how pages link to it).
    return urlunsplit(parts._replace(path=parts.path or "/", fragment=""))


def host_of(url: str) -> str:
    """Return the lowercase host of a URL, without port and without a leading "www."."""
    host = urlsplit(url.strip()).hostname or ""
    # "www.example.com" and "example.com" are one outlet in every case we know of.
    return host.removeprefix("www.")


def _site_of(url: str) -> str:
    """Return the registered domain (news.bbc.co.uk -> bbc.co.uk), or the host when there is none (localhost, IPs)."""
    return extract_domain(url) or host_of(url)


def canonical_url(page_url: str, declared_canonical: str | None) -> str:
    """Return the page's declared <link rel=canonical> if it is on the same site, else the normalised page URL."""
    page = normalise_url(page_url)
    if not declared_canonical or not declared_canonical.strip():
        return page
    declared = normalise_url(urljoin(page, declared_canonical.strip()))
    if _site_of(declared) != _site_of(page):
        # A canonical on another site is a syndication credit or a mistake; the copy keeps its own address.
        return page
    if urlsplit(declared).path in ("", "/") and urlsplit(page).path not in ("", "/"):
        # Templates that declare the home page as every article's canonical would merge the whole site.
        return page
    return declared
