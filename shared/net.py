"""SSRF guard for outbound webhook targets: URL shape checks and refusal of non-public resolved addresses."""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, urlsplit

from shared.errors import UnsafeTarget

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Metadata / host-agent endpoints of the major clouds: refused even when private targets are allowed.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean instance metadata
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.253",  # AWS VPC DNS resolver
        "169.254.169.123",  # AWS time sync
        "100.100.100.200",  # Alibaba Cloud metadata
        "192.0.0.192",  # Oracle Cloud metadata
        "168.63.129.16",  # Azure host agent / wireserver
        "fd00:ec2::254",  # AWS IPv6 instance metadata
        "fd00:ec2::253",  # AWS IPv6 VPC DNS resolver
        "fd00:ec2::123",  # AWS IPv6 time sync
    )
)

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_MAX_URL_LENGTH = 2048
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_:%[]")
_NUMERIC_IPV4_CHARS = frozenset("0123456789abcdefx.")

Kind = Literal["metadata", "multicast", "non_public"]


@dataclass(frozen=True)
class _Verdict:
    kind: Kind
    reason: str


def _classify(addr: IPAddress) -> _Verdict | None:
    """Why an address is not a plain public unicast address, or None when it is one."""
    if addr in METADATA_ADDRESSES:
        return _Verdict("metadata", "a cloud metadata address")
    if isinstance(addr, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = None
        form = ""
        if addr.ipv4_mapped is not None:
            embedded, form = addr.ipv4_mapped, "IPv4-mapped IPv6"
        elif addr in _NAT64:
            embedded, form = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "NAT64 IPv6"
        elif addr.sixtofour is not None:
            embedded, form = addr.sixtofour, "6to4 IPv6"
        if embedded is not None:
            inner = _classify(embedded)
            return None if inner is None else _Verdict(inner.kind, f"the {form} form of {inner.reason}")
        if addr.scope_id:
            addr = ipaddress.IPv6Address(addr.compressed.split("%", 1)[0])
    if addr.is_multicast:
        return _Verdict("multicast", "a multicast address")
    if addr.is_loopback:
        return _Verdict("non_public", "a loopback address")
    if addr.is_unspecified:
        return _Verdict("non_public", "the unspecified address")
    if addr.is_link_local:
        return _Verdict("non_public", "a link-local address")
    if isinstance(addr, ipaddress.IPv4Address) and addr in _CGNAT:
        return _Verdict("non_public", "a carrier-grade NAT address (100.64.0.0/10)")
    if addr.is_private:
        return _Verdict("non_public", "a private address")
    if addr.is_reserved:
        return _Verdict("non_public", "a reserved address")
    if not addr.is_global:
        return _Verdict("non_public", "a non-global address")
    return None


def _check_address(addr: IPAddress, *, allow_private: bool, host: str) -> None:
    verdict = _classify(addr)
    if verdict is None:
        return
    if verdict.kind == "non_public" and allow_private:
        return
    shown = host if host == str(addr) else f"{host} ({addr})"
    suffix = "" if verdict.kind != "non_public" else "; private targets are not allowed here"
    raise UnsafeTarget(f"webhook target {shown} is {verdict.reason}{suffix}")


def _literal_ip(host: str) -> IPAddress | None:
    """The address a literal host denotes, including legacy IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1)."""
    candidate = host[:-1] if host.endswith(".") else host
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        pass
    if candidate and set(candidate) <= _NUMERIC_IPV4_CHARS and candidate[-1:].isalnum():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(candidate))
        except OSError:
            return None
    return None


def _split(url: str, *, allow_private: bool) -> tuple[SplitResult, str, int]:
    if not isinstance(url, str) or not url:
        raise UnsafeTarget("webhook URL is empty")
    if len(url) > _MAX_URL_LENGTH:
        raise UnsafeTarget(f"webhook URL is longer than {_MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise UnsafeTarget("webhook URL contains whitespace or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsafeTarget(f"webhook URL cannot be parsed: {exc}") from exc
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if allow_private else ("https",)
    if scheme not in allowed:
        raise UnsafeTarget(f"webhook URL scheme must be {' or '.join(allowed)}, not {scheme or 'missing'!r}")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise UnsafeTarget("webhook URL may not contain credentials (user:password@)")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeTarget("webhook URL has no host")
    if not host.isascii() or not set(host) <= _HOST_CHARS:
        raise UnsafeTarget("webhook URL host contains characters not allowed in a hostname")
    try:
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget("webhook URL has an invalid port") from exc
    if port == 0:
        raise UnsafeTarget("webhook URL has an invalid port")
    return parts, host, port if port is not None else (443 if scheme == "https" else 80)


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse (UnsafeTarget) an unsafe URL shape: scheme, missing host, userinfo, unsafe literal IP."""
    _, host, _ = _split(url, allow_private=allow_private)
    literal = _literal_ip(host)
    if literal is not None:
        _check_address(literal, allow_private=allow_private, host=host)


async def resolve_and_check(url: str, *, allow_private: bool) -> list[str]:
    """Resolve the URL's host and return its addresses, refusing if ANY of them is unsafe.

    Callers should connect to one of the returned addresses (not re-resolve the name) so a DNS answer
    cannot change between this check and the connection.
    """
    _, host, port = _split(url, allow_private=allow_private)
    literal = _literal_ip(host)
    if literal is not None:
        _check_address(literal, allow_private=allow_private, host=host)
        return [str(literal)]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeTarget(f"webhook target host {host} does not resolve") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        addr = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        _check_address(addr, allow_private=allow_private, host=host)
        if str(addr) not in addresses:
            addresses.append(str(addr))
    if not addresses:
        raise UnsafeTarget(f"webhook target host {host} does not resolve")
    return addresses
