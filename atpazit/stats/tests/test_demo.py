"""The demo gives the national coordinator a dashboard with figures shown and figures hidden."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.stats import demo, selectors
from atpazit.stats.selectors import Period


def test_the_coordinator_sees_shown_and_hidden_figures_in_the_demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="iem.koordinators"
    )
    coordinator = Actor(user=membership.user, membership=membership)
    board = selectors.dashboard(coordinator, Period.calendar_year(timezone.localdate().year))
    persons = board.measure(selectors.PERSONS_SCREENED)
    assert board.suppressed
    assert persons.total.value is not None
    assert persons.total.value >= 100
    cells = [cell for b in persons.breakdowns for cell in b.series.cells]
    assert any(cell.value for cell in cells)  # some shown
    assert board.hidden() > 0  # some hidden
    assert demo.load() == ["stats: demo volume already loaded"]
