"""What the apps above referrals register in ``referrals.hooks``: when a fact is missing, the
hold stays (I1); what the apps register is what the release rules read."""

from __future__ import annotations

import pytest

from atpazit.aftercare.residence import residence_or_return_decided
from atpazit.exchange.views import thread_panel_context
from atpazit.referrals import hooks
from atpazit.reflection.sheets import sheet_handed_over, sheets_state


def test_without_registrations_the_facts_keep_the_hold(monkeypatch):
    monkeypatch.setattr(hooks, "_SHEET_HANDED_OVER", [])
    monkeypatch.setattr(hooks, "_RESIDENCE_OR_RETURN_DECIDED", [])
    suspicion = object()

    assert hooks.information_sheet_handed_over(suspicion) is False  # type: ignore[arg-type]
    assert hooks.residence_or_return_decided(suspicion) is False  # type: ignore[arg-type]


def test_the_apps_register_their_parts_when_ready():
    assert sheet_handed_over in hooks._SHEET_HANDED_OVER
    assert residence_or_return_decided in hooks._RESIDENCE_OR_RETURN_DECIDED
    assert hooks._CASE_STATE_PARTS["sheets"] is sheets_state
    assert thread_panel_context in hooks._REFERRAL_PANELS


def test_a_case_state_key_is_taken_once(monkeypatch):
    monkeypatch.setattr(hooks, "_CASE_STATE_PARTS", {"sheets": sheets_state})

    with pytest.raises(ValueError, match="sheets"):
        hooks.register_case_state_part("sheets", lambda suspicion: [])
