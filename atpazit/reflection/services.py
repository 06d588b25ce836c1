"""The reflection period (nogaidīšanas periods) and the written information about it.

Law "On the Residence of a Victim of Trafficking in Human Beings in the Republic of Latvia": a
non-EU foreigner is told in writing that a reflection period may be granted and what rights it
brings (s.3); the period is granted after recognition as a victim (s.1, s.4) and lasts 30 days,
during which the person stays lawfully and is not removed. domain.md §1.4 and §8 item 2 say what
is verified; who grants and ends the period is not, so the permission table decides who records
it, and ``ATPAZIT_REFLECTION_START_EVENT`` lets a CoE Art. 13 reading start it at the suspicion.

Counting: the period starts on ``starts_on`` and its last day is ``ends_on = starts_on + N``
days (the N days run from the day after the start event, so the day of the decision itself is
protected too). The day-25 reminder comes at the start of day ``starts_on + N - 5``, the end
reminder at the start of the last day. While a period runs, no hold on the person can be
released (``reflection_release_blockers``, registered in ``ReferralsConfig.ready``).

Services here are keyword-only, check the permission and the actor's scope, write under
``transaction.atomic`` and audit every write and every read of personal data (I7).
"""

from atpazit.referrals.visibility import (
    FOLLOWUP_PERMISSIONS,
    WORKING_STATUSES,
    followup_suspicions_visible_to,
)
from atpazit.reflection.common import (
    REMINDER_DAYS_BEFORE_END,
    Identification,
    get_followup_suspicion,
    get_information_sheet_for_user,
    identification_of,
    is_identified,
    law_applies,
    reflection_days,
    reflection_periods_visible_to,
    reflection_start_event,
    require_in_scope,
)
from atpazit.reflection.period import (
    ReflectionStatus,
    close_reflection_reminders,
    end_reflection_period_early,
    grant_blockers,
    grant_reflection_period,
    involved_organisations,
    is_running,
    reflection_hold_release_blockers,
    reflection_panel,
    reflection_release_blockers,
    reflection_status,
    register_release_conditions,
    running_periods,
)
from atpazit.reflection.sheets import (
    generate_information_sheet,
    information_sheet_pdf,
    record_receipt,
    sheet_data,
)

__all__ = [
    "FOLLOWUP_PERMISSIONS",
    "REMINDER_DAYS_BEFORE_END",
    "WORKING_STATUSES",
    "Identification",
    "ReflectionStatus",
    "close_reflection_reminders",
    "end_reflection_period_early",
    "followup_suspicions_visible_to",
    "generate_information_sheet",
    "get_followup_suspicion",
    "get_information_sheet_for_user",
    "grant_blockers",
    "grant_reflection_period",
    "identification_of",
    "information_sheet_pdf",
    "involved_organisations",
    "is_identified",
    "is_running",
    "law_applies",
    "record_receipt",
    "reflection_days",
    "reflection_hold_release_blockers",
    "reflection_panel",
    "reflection_periods_visible_to",
    "reflection_release_blockers",
    "reflection_start_event",
    "reflection_status",
    "register_release_conditions",
    "require_in_scope",
    "running_periods",
    "sheet_data",
]
