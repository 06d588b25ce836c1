"""Webhook endpoints per state, and a real receiver on 127.0.0.1 for the delivery tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import factory
import pytest

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType, Role, role_allowed
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member
from atpazit.referrals import services as referral_services
from atpazit.webhooks.models import Endpoint, EventType

SECRET = "whsec_test-secret-0123456789abcdef0123456789abcdef"  # noqa: S105 - a test secret


# The role of the member an endpoint is registered by (and acts for), per organisation type:
# the first of these that the type allows, the one that sees most.
REGISTRANT_ROLES = (
    Role.BG_CASE_OFFICER,
    Role.HEAD_OF_MONITORING,
    Role.CASEWORKER,
    Role.INVESTIGATOR,
    Role.NATIONAL_COORDINATOR,
)


def registrant_for(organisation: Organisation) -> User | None:
    """A member of the organisation who may register endpoints and sees what its role sees
    (None for an organisation without such a role: its endpoint acts for nobody)."""
    for role in REGISTRANT_ROLES:
        if role_allowed(organisation.type, role):
            return member(role, organisation=organisation)
    return None


class EndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint subscribed to every event, signing with SECRET, registered by (and
    acting for) a member of its organisation whose role sees most."""

    class Meta:
        model = Endpoint

    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER)
    created_by = factory.LazyAttribute(lambda endpoint: registrant_for(endpoint.organisation))
    url = "https://receiver.example.org/atpazit/events"
    description = "Case management"
    event_types = factory.LazyFunction(lambda: list(EventType.values))
    secret = SECRET


class PausedEndpointFactory(EndpointFactory):
    status = Endpoint.Status.PAUSED


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver got, and the statuses it answers with (the last one repeats)."""

    url: str
    answers: list[int] = field(default_factory=lambda: [200])
    requests: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A threaded HTTP server on 127.0.0.1 that records every request (tests allow private
    addresses and plain http through ATPAZIT_WEBHOOKS_ALLOW_PRIVATE)."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = state.answers[min(len(state.requests), len(state.answers)) - 1]
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/atpazit"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def endpoint_for(organisation: Organisation, receiver: Receiver, **fields: object) -> Endpoint:
    return EndpointFactory(organisation=organisation, url=receiver.url, **fields)


def accept(user, referral):
    """The receiving caseworker accepts the referral, through the referrals' own service."""
    return referral_services.transition_referral(
        actor=actor_of(user), referral=referral, to_status="accepted"
    )
