"""Set the audit context (who, which organisation, from where) for each request."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from atpazit.audit.context import AuditContext, current_context

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's computer, as far as we can trust it.

    The direct peer (REMOTE_ADDR), unless it is one of ``ATPAZIT_TRUSTED_PROXIES``: then
    X-Forwarded-For is read from the right, skipping our own proxies, and the first address not
    ours is the client. Anything to its left was written by the client and is not believed. A
    request that did not come through a trusted proxy cannot choose its address by sending the
    header, and a malformed hop stops the walk at the last address we trust.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = trusted_proxies(tuple(getattr(settings, "ATPAZIT_TRUSTED_PROXIES", ())))
    if not _is_trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop.strip())
        if address is None:
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


@functools.lru_cache(maxsize=4)
def trusted_proxies(values: Sequence[str]) -> tuple[Network, ...]:
    """Parse ``ATPAZIT_TRUSTED_PROXIES`` (addresses or networks such as 10.0.0.0/24)."""
    try:
        return tuple(ipaddress.ip_network(value, strict=False) for value in values)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ATPAZIT_TRUSTED_PROXIES must list IP addresses or networks: {exc}"
        ) from None


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def context_for(request: HttpRequest) -> AuditContext:
    user = getattr(request, "user", None)
    actor = getattr(request, "actor", None)
    organisation = actor.organisation if actor is not None else None
    if user is None or not user.is_authenticated:
        return AuditContext(ip_address=client_ip(request))
    return AuditContext(
        actor_id=user.pk,
        actor_label=user.get_username(),
        organisation_id=organisation.pk if organisation else None,
        organisation_label=organisation.name if organisation else "",
        ip_address=client_ip(request),
    )


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_context.set(context_for(request))
        try:
            return self.get_response(request)
        finally:
            current_context.reset(token)
