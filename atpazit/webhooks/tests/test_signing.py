"""The signature a receiver checks, and the receiving example of the integrators' guide, which
must accept what Atpazīt signs and refuse what it did not."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from atpazit.webhooks import signing

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guides" / "api-integrators.md"
BODY = b'{"id":"5d1f3c0e-8a7b-4f47-9d43-0b7e1c2a9f10","type":"hold.started"}'


def test_a_signature_is_refused_when_old_tampered_or_keyed_otherwise():
    now = int(time.time())
    header = signing.header_value(["whsec_a"], now, BODY)

    assert signing.verify("whsec_a", header, BODY, now=now)
    assert not signing.verify("whsec_b", header, BODY, now=now)
    assert not signing.verify("whsec_a", header, BODY + b" ", now=now)
    assert not signing.verify("whsec_a", header, BODY, now=now + signing.TOLERANCE + 1)
    assert not signing.verify("whsec_a", "v1=" + header.split("v1=")[1], BODY, now=now)


def test_new_secrets_are_long_and_different():
    made = {signing.new_secret() for _ in range(20)}
    assert len(made) == 20
    assert all(s.startswith("whsec_") and len(s) >= 40 for s in made)


@pytest.fixture
def guide_check(monkeypatch):
    """The guide's ``signature_ok``, run as written, with its secret."""
    code = GUIDE.read_text()
    example = re.search(r"```python\n(.*?)```", code.split("## 5.")[1], re.S).group(1)
    function = example[example.index("def signature_ok") : example.index("class Receiver")]
    namespace = {"SECRET": b"whsec_guide"}
    exec("import hashlib, hmac, time\n" + function, namespace)  # noqa: S102 - our own docs
    return namespace["signature_ok"]


def test_the_guides_receiver_accepts_our_signature_and_refuses_others(guide_check):
    now = int(time.time())

    assert guide_check(signing.header_value(["whsec_guide"], now, BODY), BODY)
    assert guide_check(signing.header_value(["whsec_new", "whsec_guide"], now, BODY), BODY)
    assert not guide_check(signing.header_value(["whsec_other"], now, BODY), BODY)
    assert not guide_check(signing.header_value(["whsec_guide"], now - 3600, BODY), BODY)
    assert not guide_check(signing.header_value(["whsec_guide"], now, BODY), BODY + b"x")


def test_the_example_body_in_the_api_docs_is_a_valid_event_and_the_model_allows_nothing_else():
    from pydantic import ValidationError

    from atpazit.webhooks.events import WebhookEvent

    api_md = (GUIDE.parents[1] / "api.md").read_text()
    webhooks = api_md.split("## Webhooks")[1]
    example = re.search(r"```json\n(.*?)```", webhooks, re.S).group(1)

    event = WebhookEvent.model_validate_json(example)

    assert event.object.url.endswith(f"/api/v1/referrals/{event.object.id}")
    with_a_name = example.replace('"state"', '"family_name": "Karimov", "state"')
    with pytest.raises(ValidationError):
        WebhookEvent.model_validate_json(with_a_name)
