"""Wall-clock time in Riga for tests that travel in time (``time_machine``).

Named ``riga_time`` so it never shadows the ``riga`` persona (the Border Guard's Riga unit).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

RIGA_TZ = ZoneInfo("Europe/Riga")


def riga_time(*args: int) -> dt.datetime:
    """``riga_time(2026, 11, 2, 10)``: 2 November 2026 at 10:00 in Riga."""
    return dt.datetime(*args, tzinfo=RIGA_TZ)
