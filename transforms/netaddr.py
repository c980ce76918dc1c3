"""Which IP addresses a crawler may connect to: public ones only, including IPv4 hidden inside IPv6."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

# IPv6 ranges that carry an IPv4 address, and where: a connection to them ends at that IPv4
# address (directly, through a translator or through a tunnel relay), so that address must be public.
IPV4_COMPATIBLE = IPv6Network("::/96")  # RFC 4291, deprecated; ::a.b.c.d
IPV4_TRANSLATED = IPv6Network("::ffff:0:0:0/96")  # RFC 2765 (SIIT): ::ffff:0:a.b.c.d
NAT64 = IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix: 64:ff9b::a.b.c.d
LOCAL_NAT64 = IPv6Network("64:ff9b:1::/48")  # RFC 8215: an operator's own translators, never public
TEREDO = IPv6Network("2001::/32")  # RFC 4380: server at bits 32-63, client inverted in the last 32 bits


def embedded_ipv4(address: IPv6Address) -> list[tuple[str, IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries or translates to, each with the mechanism's name."""
    low32 = IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return [("IPv4-mapped", address.ipv4_mapped)]
    if address in IPV4_TRANSLATED:
        return [("IPv4-translated", low32)]
    if address in IPV4_COMPATIBLE and int(address) > 1:  # :: and ::1 are IPv6's own unspecified and loopback
        return [("IPv4-compatible", low32)]
    if address in NAT64 or address in LOCAL_NAT64:
        # A local prefix may be longer than /48, but a /96 (the common choice) puts IPv4 last.
        return [("NAT64", low32)]
    if address.sixtofour is not None:
        return [("6to4", address.sixtofour)]
    if address.teredo is not None:
        server, client = address.teredo  # ipaddress undoes the client's bit inversion
        return [("Teredo client", client), ("Teredo server", server)]
    return []


def _public(address: IPv4Address | IPv6Address) -> bool:
    return address.is_global and not address.is_multicast


def address_refusal(address: str | IPv4Address | IPv6Address) -> str | None:
    """Why a crawler must not connect to an address (non-public, or carrying a non-public IPv4), else None."""
    address = ip_address(address) if isinstance(address, str) else address
    if isinstance(address, IPv6Address):
        if address.scope_id:
            return f"non-public {address}"  # a zone index only exists on link-local addresses
        for mechanism, ipv4 in embedded_ipv4(address):
            if not _public(ipv4):
                return f"{address}, {mechanism} of non-public {ipv4}"
        # Both are tunnels or translators of someone's own network: no news site is served there.
        if address in LOCAL_NAT64:
            return f"{address}, local-use NAT64 (RFC 8215)"
        if address in TEREDO:
            return f"{address}, a Teredo tunnel"
    if not _public(address):
        return f"non-public {address}"
    return None
