"""URL normalisation, canonical choice and host extraction."""

import pytest

from transforms.urls import canonical_url, host_of, normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM/News/Story-1", "https://example.com/News/Story-1"),
        ("https://example.com/a/?utm_source=tw&utm_medium=social", "https://example.com/a"),
        ("https://example.com/a?fbclid=XYZ&gclid=abc", "https://example.com/a"),
        ("https://example.com/a?id=7&utm_campaign=x", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://localhost:8000/news/x/", "http://localhost:8000/news/x"),
        ("https://example.com/", "https://example.com/"),
        ("  https://example.com/a\n", "https://example.com/a"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


@pytest.mark.parametrize(
    ("page", "declared", "expected"),
    [
        # No declaration: the normalised page URL.
        ("https://example.com/a?utm_source=x", None, "https://example.com/a"),
        ("https://example.com/a", "  ", "https://example.com/a"),
        # Same site, even another subdomain: the declaration wins.
        ("https://example.com/a?page=2", "https://example.com/a", "https://example.com/a"),
        ("https://m.example.co.uk/a", "https://www.example.co.uk/a/", "https://www.example.co.uk/a"),
        # Relative declarations resolve against the page.
        ("https://example.com/amp/a", "/a", "https://example.com/a"),
        # Another site: a syndication credit, ignored.
        ("https://partner.org/wire/a", "https://example.com/a", "https://partner.org/wire/a"),
        # The home page as canonical of an article: a template bug, ignored.
        ("https://example.com/a", "https://example.com/", "https://example.com/a"),
        ("http://localhost:8000/a", "http://localhost:8000/b", "http://localhost:8000/b"),
    ],
)
def test_canonical_url(page, declared, expected):
    assert canonical_url(page, declared) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://WWW.Example.com:8443/a", "example.com"),
        ("https://news.example.co.uk/a", "news.example.co.uk"),
        ("http://localhost:8000/", "localhost"),
        ("not a url", ""),
    ],
)
def test_host_of(url, expected):
    assert host_of(url) == expected
