"""SSRF guard: URL shape, literal and resolved addresses; literal IPs, localhost and a fake resolver only."""

import asyncio
import socket
from typing import Any

import pytest

from shared.errors import UnsafeTarget
from shared.net import check_url, resolve_and_check

PUBLIC_V4 = "https://8.8.8.8/hooks"
PUBLIC_V6 = "https://[2606:4700:4700::1111]/hooks"


# --- shape ---


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://8.8.8.8/", "scheme must be https"),
        ("ftp://8.8.8.8/", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("8.8.8.8/hooks", "scheme"),
        ("https:///path-only", "no host"),
        ("https://user:pw@8.8.8.8/", "credentials"),
        ("https://user@8.8.8.8/", "credentials"),
        ("https://8.8.8.8:99999/", "port"),
        ("https://8.8.8.8:0/", "port"),
        ("https://exa mple.com/", "whitespace"),
        ("https://example.com/\r\nX-Evil: 1", "control"),
        ("", "empty"),
    ],
)
def test_check_url_refuses_bad_shapes(url, reason):
    with pytest.raises(UnsafeTarget, match=reason):
        check_url(url, allow_private=False)


def test_check_url_accepts_public_https():
    check_url(PUBLIC_V4, allow_private=False)
    check_url(PUBLIC_V6, allow_private=False)
    check_url("https://hooks.example.org:8443/puente?x=1", allow_private=False)


def test_http_only_when_private_allowed():
    check_url("http://8.8.8.8/", allow_private=True)
    check_url("http://localhost:8000/hook", allow_private=True)
    with pytest.raises(UnsafeTarget, match="scheme must be https or http"):
        check_url("gopher://localhost/", allow_private=True)


def test_check_url_refuses_unsafe_literals_without_dns():
    with pytest.raises(UnsafeTarget, match="loopback"):
        check_url("https://127.0.0.1/", allow_private=False)
    with pytest.raises(UnsafeTarget, match="metadata"):
        check_url("http://169.254.169.254/latest/meta-data/", allow_private=True)


def test_error_is_a_422_problem():
    with pytest.raises(UnsafeTarget) as info:
        check_url("https://10.0.0.1/", allow_private=False)
    assert info.value.status == 422
    assert "10.0.0.1" in info.value.detail


# --- literal addresses ---


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/", "loopback"),
        ("https://127.8.9.10/", "loopback"),
        ("https://10.1.2.3/", "private"),
        ("https://172.16.0.1/", "private"),
        ("https://192.168.1.1/", "private"),
        ("https://169.254.1.1/", "link-local"),
        ("https://100.64.0.1/", "carrier-grade NAT"),
        ("https://100.127.255.254/", "carrier-grade NAT"),
        ("https://224.0.0.1/", "multicast"),
        ("https://240.0.0.1/", "private|reserved"),
        ("https://0.0.0.0/", "unspecified|private"),
        ("https://255.255.255.255/", "private|reserved"),
        ("https://[::1]/", "loopback"),
        ("https://[::]/", "unspecified"),
        ("https://[fe80::1]/", "link-local"),
        ("https://[fc00::1]/", "private"),
        ("https://[fd12:3456::1]/", "private"),
        ("https://[ff02::1]/", "multicast"),
        ("https://[::ffff:127.0.0.1]/", "IPv4-mapped IPv6 form of a loopback"),
        ("https://[::ffff:7f00:1]/", "IPv4-mapped IPv6 form of a loopback"),
        ("https://[::ffff:10.0.0.1]/", "IPv4-mapped IPv6 form of a private"),
        ("https://[::ffff:169.254.169.254]/", "IPv4-mapped IPv6 form of a cloud metadata"),
        ("https://[64:ff9b::a00:1]/", "NAT64"),
        ("https://[2002:7f00:1::]/", "6to4"),
        ("https://169.254.169.254/", "metadata"),
        ("https://[fd00:ec2::254]/", "metadata"),
        # legacy numeric IPv4 spellings that resolvers turn into loopback
        ("http://2130706433/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://127.0.0.1./", "loopback"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "metadata"),
        ("http://2852039166/", "metadata"),
    ],
)
async def test_unsafe_literals_refused(url, reason):
    https_url = url.replace("http://", "https://", 1)
    with pytest.raises(UnsafeTarget, match=reason):
        await resolve_and_check(https_url, allow_private=False)
    with pytest.raises(UnsafeTarget, match=reason):
        check_url(https_url, allow_private=False)


async def test_public_literals_ok():
    assert await resolve_and_check(PUBLIC_V4, allow_private=False) == ["8.8.8.8"]
    assert await resolve_and_check(PUBLIC_V6, allow_private=False) == ["2606:4700:4700::1111"]
    assert await resolve_and_check("https://[::ffff:8.8.8.8]/", allow_private=False) == ["::ffff:808:808"]
    assert await resolve_and_check("https://134744072/", allow_private=False) == ["8.8.8.8"]


async def test_localhost_resolves_to_loopback_and_is_refused():
    with pytest.raises(UnsafeTarget, match=r"localhost \(.*\) is a loopback"):
        await resolve_and_check("https://localhost/hook", allow_private=False)
    with pytest.raises(UnsafeTarget, match="loopback"):
        await resolve_and_check("https://LocalHost:8443/hook", allow_private=False)


# --- allow_private ---


async def test_allow_private_permits_loopback_and_private():
    addresses = await resolve_and_check("http://localhost:8000/hook", allow_private=True)
    assert addresses
    assert all(a in {"127.0.0.1", "::1"} for a in addresses)
    for url in (
        "http://127.0.0.1:9000/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.0.0.5/",
        "http://192.168.0.10/",
        "http://100.64.1.1/",
        "http://[fd12::1]/",
    ):
        check_url(url, allow_private=True)
        assert await resolve_and_check(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://0xa9fea9fe/",
        "http://169.254.170.2/v2/credentials",
        "http://100.100.100.200/",
    ],
)
async def test_metadata_refused_even_when_private_allowed(url):
    with pytest.raises(UnsafeTarget, match="metadata"):
        await resolve_and_check(url, allow_private=True)


async def test_shape_checked_before_resolution():
    with pytest.raises(UnsafeTarget, match="credentials"):
        await resolve_and_check("https://a:b@8.8.8.8/", allow_private=False)
    with pytest.raises(UnsafeTarget, match="scheme"):
        await resolve_and_check("http://8.8.8.8/", allow_private=False)


def _fake_resolver(answers: dict[str, list[str]]) -> Any:
    async def getaddrinfo(host, port, *, type=0, **_kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    return getaddrinfo


@pytest.fixture
def fake_dns(monkeypatch):
    def install(answers):
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", _fake_resolver(answers))

    return install


async def test_resolved_public_addresses_returned(fake_dns):
    fake_dns({"hooks.example.org": ["93.184.216.34", "2606:2800:220:1::1", "93.184.216.34"]})
    addresses = await resolve_and_check("https://hooks.example.org/x", allow_private=False)
    assert addresses == ["93.184.216.34", "2606:2800:220:1::1"]


@pytest.mark.parametrize(
    ("private", "reason"),
    [
        ("10.0.0.7", "private"),
        ("127.0.0.1", "loopback"),
        ("::ffff:192.168.1.1", "IPv4-mapped"),
        ("fe80::1%eth0", "link-local"),
        ("169.254.169.254", "metadata"),
    ],
)
async def test_any_unsafe_resolved_address_refuses(fake_dns, private, reason):
    fake_dns({"rebind.example.org": ["93.184.216.34", private]})
    with pytest.raises(UnsafeTarget, match=rf"rebind\.example\.org \(.*\) is .*{reason}"):
        await resolve_and_check("https://rebind.example.org/", allow_private=False)


async def test_resolved_metadata_refused_when_private_allowed(fake_dns):
    fake_dns({"meta.internal": ["10.0.0.2", "169.254.169.254"]})
    with pytest.raises(UnsafeTarget, match="metadata"):
        await resolve_and_check("http://meta.internal/", allow_private=True)
    fake_dns({"svc.internal": ["10.0.0.2"]})
    assert await resolve_and_check("http://svc.internal/", allow_private=True) == ["10.0.0.2"]


async def test_unresolvable_host_refused(fake_dns):
    fake_dns({})
    with pytest.raises(UnsafeTarget, match="does not resolve"):
        await resolve_and_check("https://nothing.invalid/", allow_private=False)
