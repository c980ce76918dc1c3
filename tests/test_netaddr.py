"""Which addresses the crawler may connect to: a table of public, non-public and IPv4-in-IPv6 forms."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

import pytest

from transforms.netaddr import address_refusal, embedded_ipv4

# (address, the refusal's ending, or None when the address is public)
CASES = [
    ("8.8.8.8", None),
    ("2606:4700:4700::1111", None),
    ("127.0.0.1", "non-public 127.0.0.1"),
    ("10.1.2.3", "non-public 10.1.2.3"),
    ("169.254.169.254", "non-public 169.254.169.254"),
    ("100.64.0.1", "non-public 100.64.0.1"),  # carrier-grade NAT
    ("0.0.0.0", "non-public 0.0.0.0"),
    ("224.0.0.251", "non-public 224.0.0.251"),
    ("255.255.255.255", "non-public 255.255.255.255"),
    ("::1", "non-public ::1"),
    ("::", "non-public ::"),
    ("fe80::1", "non-public fe80::1"),
    ("fc00::1", "non-public fc00::1"),
    ("ff02::1", "non-public ff02::1"),  # ipaddress calls IPv6 multicast global
    ("2001:db8::1", "non-public 2001:db8::1"),
    # NAT64 (RFC 6052 well-known prefix, and RFC 8215 local use): the translator connects to the IPv4.
    ("64:ff9b::7f00:1", "NAT64 of non-public 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of non-public 169.254.169.254"),
    ("64:ff9b::808:808", None),
    ("64:ff9b:1::7f00:1", "NAT64 of non-public 127.0.0.1"),
    ("64:ff9b:1::808:808", "local-use NAT64 (RFC 8215)"),
    # 6to4: 2002:AABB:CCDD::/48 is the IPv4 AA.BB.CC.DD's network.
    ("2002:7f00:1::", "6to4 of non-public 127.0.0.1"),
    ("2002:a9fe:a9fe::1", "6to4 of non-public 169.254.169.254"),
    ("2002:808:808::1", None),
    # IPv4-compatible (deprecated), IPv4-mapped and IPv4-translated (SIIT).
    ("::127.0.0.1", "IPv4-compatible of non-public 127.0.0.1"),
    ("::169.254.169.254", "IPv4-compatible of non-public 169.254.169.254"),
    ("::8.8.8.8", None),
    ("::ffff:127.0.0.1", "IPv4-mapped of non-public 127.0.0.1"),
    ("::ffff:10.0.0.1", "IPv4-mapped of non-public 10.0.0.1"),
    ("::ffff:8.8.8.8", None),
    ("::ffff:0:7f00:1", "IPv4-translated of non-public 127.0.0.1"),
    # Teredo: the client's IPv4 is stored bit-inverted (0x7f000001 -> 80ff:fffe).
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo client of non-public 127.0.0.1"),
    ("2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo server of non-public 10.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "a Teredo tunnel"),
]


@pytest.mark.parametrize(("address", "refusal"), CASES, ids=[c[0] for c in CASES])
def test_address_refusal(address, refusal):
    result = address_refusal(address)
    assert (result is None) == (refusal is None), result
    if refusal is not None:
        assert result.endswith(refusal), result


def test_embedded_ipv4_names_the_mechanism_and_undoes_teredo_inversion():
    assert embedded_ipv4(IPv6Address("64:ff9b::7f00:1")) == [("NAT64", IPv4Address("127.0.0.1"))]
    assert embedded_ipv4(IPv6Address("2001:0:4136:e378:8000:63bf:80ff:fffe")) == [
        ("Teredo client", IPv4Address("127.0.0.1")), ("Teredo server", IPv4Address("65.54.227.120"))]
    assert embedded_ipv4(IPv6Address("2606:4700:4700::1111")) == []
    assert embedded_ipv4(IPv6Address("::1")) == []
