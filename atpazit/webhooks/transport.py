"""Sending one webhook request without becoming a way into the server's own network (SSRF).

- Only ``https`` URLs, unless ``ATPAZIT_WEBHOOKS_ALLOW_PRIVATE`` (development and tests only)
  also allows plain ``http``.
- The host is resolved here and **every** address it resolves to must be a public one: private,
  loopback, link-local (the cloud metadata address 169.254.169.254), shared, reserved,
  multicast and unspecified addresses are refused, IPv4 and IPv6 alike (an IPv4 address mapped
  into IPv6 is judged as the IPv4 one). The same check runs when an endpoint is registered and
  at every delivery, and the connection then goes to the address just checked (not to the name
  again), so a DNS answer that changes in between (DNS rebinding) cannot redirect it.
- The TLS certificate is verified for the host name; no redirect is followed (a 3xx is a
  failure); every socket operation has a timeout and only the first bytes of the answer are
  read.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("atpazit.webhooks")

TIMEOUT = 10.0  # seconds, for connecting and for each read
READ_AT_MOST = 1024  # bytes of the receiver's answer, which is never stored

# The codes a failed attempt records (Delivery.last_error); the delivery log explains each.
REFUSALS = (
    "scheme_not_allowed",
    "bad_url",
    "dns_failed",
    "private_address",
    "timeout",
    "tls_error",
    "connection_failed",
    "http_error",
    "unexpected_error",
)


class Refused(Exception):
    """The URL or the address it resolves to may not be called; ``code`` is one of REFUSALS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str  # "" when an HTTP answer came back, else one of REFUSALS

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def allow_private() -> bool:
    return bool(getattr(settings, "ATPAZIT_WEBHOOKS_ALLOW_PRIVATE", False))


# Global unicast IPv6 (RFC 4291): anything outside it (site-local fec0::/10, IPv4-compatible
# ::a.b.c.d, NAT64 64:ff9b::/96, ...) is refused; inside it, the transition prefixes that carry
# an IPv4 address are judged by that address.
_IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_IPV6_6TO4 = ipaddress.ip_network("2002::/16")


def _ipv4_public(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return _ipv4_public(ip)
    if ip.ipv4_mapped is not None:
        return _ipv4_public(ip.ipv4_mapped)
    if ip not in _IPV6_GLOBAL_UNICAST:
        return False
    if ip in _IPV6_6TO4:
        return ip.sixtofour is not None and _ipv4_public(ip.sixtofour)
    if ip.teredo is not None:
        server, client = ip.teredo
        return _ipv4_public(server) and _ipv4_public(client)
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, int, str, bool]:
    """(host, port, path with query, tls) of a URL we may call; raises Refused."""
    if not url.isascii() or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        # http.client sends the path as ASCII and refuses anything else: percent-encode it.
        raise Refused("bad_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused("bad_url") from exc
    tls = parts.scheme == "https"
    if not tls and not (parts.scheme == "http" and allow_private()):
        raise Refused("scheme_not_allowed")
    if not parts.hostname or parts.username or parts.password:
        raise Refused("bad_url")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port or (443 if tls else 80), path, tls


def resolve(host: str, port: int) -> str:
    """The address to connect to, after checking every address the name resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns_failed") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise Refused("dns_failed")
    if not allow_private() and not all(is_public(address) for address in addresses):
        raise Refused("private_address")
    return addresses[0]


def check_endpoint(url: str) -> None:
    """What registration asks of a URL: allowed, and resolving to allowed addresses only."""
    host, port, _path, _tls = check_url(url)
    resolve(host, port)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = TIMEOUT) -> Outcome:
    """POST ``body`` to ``url``; the outcome, never an exception (an unforeseen one is logged
    and recorded as ``unexpected_error``, so the attempt is counted and retried or given up)."""
    try:
        return _post(url, body, headers, timeout=timeout)
    except Exception:
        logger.exception("Unexpected error while sending a webhook")
        return Outcome(None, "unexpected_error")


def _post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    try:
        host, port, path, tls = check_url(url)
        address = resolve(host, port)
    except Refused as refused:
        return Outcome(None, refused.code)
    connection_class = _PinnedHTTPSConnection if tls else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(READ_AT_MOST)
        return Outcome(response.status, "")
    except TimeoutError:
        return Outcome(None, "timeout")
    except ssl.SSLError:
        return Outcome(None, "tls_error")
    except http.client.HTTPException:
        return Outcome(None, "http_error")
    except OSError:
        return Outcome(None, "connection_failed")
    finally:
        connection.close()
