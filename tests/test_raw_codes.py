"""No page shows a person a raw code where a label exists (issue 11 §5).

The demo data is loaded once, every demo user signs in, opens every page of their menu and the
detail pages the demo reaches (a suspicion raised from a screening, an operation with a
blocking conflict, the escalations, the audit trail and the disclosure log), and the visible
text of each page — in Latvian and in Russian — is scanned for the codes the system stores:
escalation summaries and kinds, notification kinds, deadline kinds, hold causes, system reason
codes, data categories, ``app.model`` object labels with an id and ``screening:<id>`` sources.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from atpazit.accounts.demo import DEMO_USERS
from atpazit.accounts.models import User
from atpazit.audit import labels as audit_labels
from atpazit.cases.models import Hold, Person
from atpazit.cases.reasons import HOLD_REASONS
from atpazit.deadlines.rules import Kind as DeadlineKind
from atpazit.escalations.labels import SUMMARIES
from atpazit.escalations.models import Escalation
from atpazit.lib.registry import NAVIGATION
from atpazit.notifications.kinds import NOTIFICATION_TEXTS
from atpazit.referrals.models import Suspicion
from atpazit.removals.models import RemovalOperation
from conftest import verified_client

APPS = (
    "accounts|audit|cases|screening|removals|escalations|notifications|deadlines|referrals|"
    "reflection|aftercare|exchange"
)


def known_codes() -> set[str]:
    """Codes that have a label: none of them may reach a page as it is stored."""
    codes = set(SUMMARIES) | set(NOTIFICATION_TEXTS) | set(HOLD_REASONS)
    codes |= {str(kind) for kind in Escalation.Kind.values}
    codes |= {f"deadline.{kind}.overdue" for kind in DeadlineKind.values}
    codes |= {kind for kind in DeadlineKind.values if "_" in kind}
    codes |= {cause for cause in Hold.Cause.values if "_" in cause}
    # Data categories and object types that cannot be mistaken for a word of a sentence.
    codes |= {code for code in audit_labels.DATA_CATEGORIES if "_" in code}
    codes |= set(audit_labels.OBJECT_TYPES)
    return codes


def code_patterns() -> list[re.Pattern[str]]:
    words = "|".join(re.escape(code) for code in sorted(known_codes(), key=len, reverse=True))
    return [
        re.compile(rf"(?<![\w./:-])(?:{words})(?![\w/-])"),
        re.compile(r"\bscreening:\d+\b"),
        re.compile(rf"\b(?:{APPS})\.[a-z_]+[ :]\d+\b"),
    ]


class VisibleText(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def raw_codes_in(html: str) -> list[str]:
    text = visible_text(html)
    return sorted(
        {match.group(0) for pattern in code_patterns() for match in pattern.finditer(text)}
    )


def test_the_scanner_finds_what_it_is_for():
    page = (
        "<p>Avots: screening:8</p><td>cases.person 17</td><td>case_number, identity</td>"
        "<td>removals.held_person_on_manifest</td><a href='/screening/8/'>ok</a>"
    )
    assert raw_codes_in(page) == [
        "case_number",
        "cases.person",
        "cases.person 17",
        "removals.held_person_on_manifest",
        "screening:8",
    ]
    assert raw_codes_in("<p>Pārbaude nr. 8, 06.12.2026</p><input value='case_number'>") == []


def _detail_urls() -> list[str]:
    urls = [reverse("audit:event_list"), reverse("audit:disclosure_list")]
    suspicion = Suspicion.objects.filter(source_reference__startswith="screening:").first()
    suspicion = suspicion or Suspicion.objects.first()
    if suspicion is not None:
        urls.append(reverse("referrals:suspicion_detail", kwargs={"pk": suspicion.pk}))
        urls.append(reverse("cases:person_detail", kwargs={"pk": suspicion.person_id}))
    held = Person.objects.filter(holds__released_at__isnull=True).first()
    if held is not None:
        urls.append(reverse("cases:person_detail", kwargs={"pk": held.pk}))
    for operation in RemovalOperation.objects.filter(manifest__isnull=False).distinct()[:3]:
        urls.append(reverse("removals:operation_detail", kwargs={"pk": operation.pk}))
        urls.append(reverse("removals:pre_departure", kwargs={"pk": operation.pk}))
    return urls


def _menu_urls() -> list[str]:
    urls = [reverse("web:dashboard"), reverse("notifications:inbox")]
    for item in NAVIGATION:
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    return urls


@pytest.mark.django_db
def test_no_demo_role_meets_a_raw_code_on_its_pages():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123 - quiet loader
    # The demo raises conflicts and escalations of each kind it can; add the rest by hand so
    # each summary code is on a page.
    monitor_org = User.objects.get(username="tb.monitors").memberships.get().organisation
    for code in SUMMARIES:
        Escalation.objects.create(
            kind=Escalation.Kind.DEADLINE_OVERDUE
            if code.startswith("deadline.")
            else Escalation.Kind.REMOVAL_CONFLICT,
            subject=f"accounts.organisation:{monitor_org.pk}",
            responsible_organisation=monitor_org,
            summary_code=code,
            case_number="AT-2026-000001",
        )
    urls = _menu_urls() + _detail_urls()
    found: dict[str, list[str]] = {}
    opened = 0
    for demo_user in DEMO_USERS:
        user = User.objects.get(username=demo_user.username)
        client = verified_client(user)
        for language in ("lv", "ru"):
            client.cookies["django_language"] = language
            user.language = language
            user.save(update_fields=["language"])
            for url in urls:
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                opened += 1
                codes = raw_codes_in(response.content.decode())
                if codes:
                    found[f"{demo_user.username} {language} {url}"] = codes
    assert opened > 100
    assert found == {}
