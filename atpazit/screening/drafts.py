"""Interview drafts: the interview form saved at every change, so no tick or note is ever lost
(issue 11, DESIGN I8).

The interview page posts the whole form here on every change (htmx). ``save_draft`` keeps the
form's own fields, encrypted, in one ``InterviewDraft`` per session; reopening the interview
restores them (``draft_of``). Only the screener may save or read a draft (the same rule as for
changing the session), each save is audited with codes only, and a save from a window that has
not seen the latest draft is refused with ``DraftConflict`` rather than overwriting it. "Save" and
the decision make the session itself the record and delete the draft
(``services.set_observations``, ``services.record_decision``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import InvalidInput
from atpazit.screening import services
from atpazit.screening.catalogue import Catalogue
from atpazit.screening.models import InterviewDraft, ScreeningSession

# The interview form's fields a draft keeps (with one tick box, source and note per indicator).
PROFILE_FIELDS = ("exploitation_form", "treat_as_child", "suspected_of_offence")
DECISION_FIELDS = ("decision", "reason", "orphans_court")
SHORT_MAX_LENGTH = 64


class DraftConflict(services.ConcurrentEdit):
    """Another window or device saved the draft after this one last did; nothing was saved."""

    default_code = "draft_stale"

    def __init__(self, session: ScreeningSession, draft: InterviewDraft) -> None:
        super().__init__(session)
        self.draft = draft
        self.message = _(
            "This interview was changed in another window or on another device at %(time)s. "
            "Nothing from this window has been saved since then. Reload the page to continue "
            "from that version, or keep the ticks and notes of this window instead."
        ) % {"time": time_format(timezone.localtime(draft.saved_at), "H:i")}
        self.args = (self.message,)
        self.code = self.default_code


@dataclass(frozen=True)
class Draft:
    """A draft as the interview page reads it."""

    values: dict[str, str]
    revision: int
    saved_at: datetime


def field_names(catalogue: Catalogue) -> dict[str, int]:
    """Every field a draft may hold, with its longest accepted value."""
    names = dict.fromkeys(PROFILE_FIELDS + DECISION_FIELDS, SHORT_MAX_LENGTH)
    names["reason"] = services.REASON_MAX_LENGTH
    for indicator in catalogue:
        key = indicator.code.replace("-", "_")
        names[f"ind_{key}"] = SHORT_MAX_LENGTH
        names[f"src_{key}"] = SHORT_MAX_LENGTH
        names[f"note_{key}"] = services.NOTE_MAX_LENGTH
    return names


def _kept_values(catalogue: Catalogue, values: Mapping[str, str]) -> dict[str, str]:
    """The form's own fields (anything else, e.g. the CSRF token, is dropped); a value longer
    than its field allows is refused, naming the field."""
    allowed = field_names(catalogue)
    kept: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name not in allowed:
            continue
        if len(value) > allowed[name]:
            errors[name] = [
                _("%(field)s: the text is longer than %(max)s characters; shorten it.")
                % {"field": _field_label(name), "max": allowed[name]}
            ]
        kept[name] = value
    if errors:
        raise InvalidInput(errors)
    return kept


def _field_label(name: str) -> str:
    if name.startswith(("note_", "src_", "ind_")):
        return name.split("_", 1)[1].replace("_", "-")
    return _("Reason for your decision") if name == "reason" else name


def _ticked(catalogue: Catalogue, values: Mapping[str, str]) -> list[str]:
    return [
        indicator.code
        for indicator in catalogue
        if values.get(f"ind_{indicator.code.replace('-', '_')}") in ("on", "true", "True", "1")
    ]


@transaction.atomic
def save_draft(
    *,
    actor: Actor,
    session: ScreeningSession,
    values: Mapping[str, str],
    revision: int,
    session_version: int | None,
) -> Draft:
    """Keep the interview form's values as the session's draft.

    ``revision`` is the draft revision the sending window last saw (0: none yet);
    ``session_version`` the session version its form was loaded with. Only the screener, while
    the session is open. Raises NotAllowed, AlreadyDecided, ConcurrentEdit (the session was saved
    meanwhile), DraftConflict (another window saved the draft meanwhile), InvalidInput.
    """
    current = services.lock_for_change(actor, session, session_version)
    catalogue = services.session_catalogue(current)
    kept = _kept_values(catalogue, values)
    draft = InterviewDraft.objects.select_for_update().filter(session=current).first()
    if revision != (draft.revision if draft else 0):
        if draft is None:
            # The draft this window saw was deleted by a save elsewhere, which bumped the version.
            raise services.ConcurrentEdit(current)
        raise DraftConflict(current, draft)
    if draft is None:
        draft = InterviewDraft(session=current, revision=0)
    draft.answers = json.dumps(kept, ensure_ascii=False, sort_keys=True)
    draft.revision += 1
    draft.session_version = current.version
    draft.saved_by = actor.user
    draft.saved_at = timezone.now()
    draft.save()
    log_event(
        "screening.draft_saved",
        obj=current,
        details={
            "person": current.person_id,
            "revision": draft.revision,
            "indicators": _ticked(catalogue, kept),
        },
    )
    return Draft(values=kept, revision=draft.revision, saved_at=draft.saved_at)


def draft_of(session: ScreeningSession) -> Draft | None:
    """The session's draft, for the screener's interview page (the caller has checked that the
    actor may change the session; the page's own read event covers it)."""
    draft = InterviewDraft.objects.filter(session=session).first()
    if draft is None or draft.session_version != session.version:
        return None
    values = json.loads(draft.answers)
    return Draft(
        values={str(k): str(v) for k, v in values.items()},
        revision=draft.revision,
        saved_at=draft.saved_at,
    )


def revision_of(session: ScreeningSession) -> int:
    """The revision a window showing the session as stored must send (0: no draft)."""
    draft = InterviewDraft.objects.filter(session=session).only("revision").first()
    return draft.revision if draft else 0
