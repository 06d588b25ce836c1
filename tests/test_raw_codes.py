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
    codes |= set(audit_labels.ACTIONS)  # the audit trail's action column
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


# --- every audit event code has a label --------------------------------------------------------

# Calls that pass their string argument on to ``log_event`` as the action.
ACTION_WRAPPERS = {"log_event", "refusal_audited", "disclosure_refusal_audited", "_refused"}


def _dynamic_actions() -> dict[str, set[str]]:
    """The codes of each ``log_event`` call whose action is computed, by the call's source text.
    A new computed action fails the test below until it is listed here with its codes."""
    from atpazit.audit.services import KEY_CHANGED
    from atpazit.cases.models import AgeChange
    from atpazit.referrals.models import HoldReleaseProposal, Referral
    from atpazit.removals.selectors import SHOWN_ON
    from atpazit.screening.selectors import SCREENER_READS

    return {
        "f'operation.{to}'": {f"operation.{s}" for s in RemovalOperation.Status.values},
        "f'referral.{to_status}'": {f"referral.{s}" for s in Referral.Status.values},
        "f'hold_release.{to}'": {f"hold_release.{s}" for s in HoldReleaseProposal.Status.values},
        "SHOWN_ON[shown_on]": set(SHOWN_ON.values()),
        "SCREENER_READS[shown_on]": set(SCREENER_READS.values()),
        "KEY_CHANGED": {KEY_CHANGED},
        "f'person.age_change_{status}'": {
            f"person.age_change_{s}" for s in AgeChange.Status.values if s != "pending"
        },
        # The wrappers' own parameter: their callers' literals are collected.
        "action": set(),
        "event": set(),
    }


def audit_action_codes() -> tuple[set[str], list[str]]:
    """Every action code written anywhere in atpazit/ (outside tests), and the source of any
    computed action this test does not know."""
    import ast
    from pathlib import Path

    dynamic = _dynamic_actions()
    codes: set[str] = set()
    unknown: list[str] = []
    root = Path(__file__).resolve().parents[1] / "atpazit"
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ACTION_WRAPPERS or not node.args:
                continue
            arguments = node.args if name != "log_event" else node.args[:1]
            for argument in arguments:
                options = (
                    [argument.body, argument.orelse]
                    if isinstance(argument, ast.IfExp)
                    else [argument]
                )
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        if name == "log_event" or "." in option.value:
                            codes.add(option.value)
                    elif name == "log_event":
                        source = ast.unparse(option)
                        if source in dynamic:
                            codes |= dynamic[source]
                        else:
                            unknown.append(f"{path.relative_to(root.parent)}: {source}")
    return codes, unknown


def test_every_audit_event_code_has_a_label():
    codes, unknown = audit_action_codes()

    assert unknown == [], "list the codes of these computed actions in _dynamic_actions"
    assert len(codes) > 100  # the scan found the calls
    assert sorted(code for code in codes if code not in audit_labels.ACTIONS) == []


@pytest.mark.django_db
def test_the_audit_trail_shows_the_action_in_words(client_for):
    from atpazit.accounts.tests.factories import system_wide_auditor
    from atpazit.audit.services import log_event

    log_event("hold.placed")
    auditor = system_wide_auditor(language="lv")

    page = client_for(auditor).get(reverse("audit:event_list")).content.decode()

    assert "izraidīšana apturēta" in visible_text(page)
    assert "hold.placed" not in visible_text(page)
