"""Coarsen the place and date of anonymous notifications and labour notices already sent
(issue 11 §6): the detention centre becomes its region, the day its ISO week. The exact values
stay with the suspicion or the screening on the sender's side; the recipient's copy never held
more than it needed. Not reversible: the exact values are not kept anywhere in these rows."""

from __future__ import annotations

import datetime as dt

from django.db import migrations

REGION_OF_CENTRE = {"mucenieki": "pieriga", "daugavpils": "latgale"}
REGIONS = {"riga", "pieriga", "vidzeme", "kurzeme", "zemgale", "latgale", "unknown"}


def _coarse(payload: dict) -> dict:
    payload = dict(payload)
    place = payload.get("place", "")
    if place not in REGIONS:
        payload["place"] = REGION_OF_CENTRE.get(place, "unknown")
    day = payload.get("date", "")
    if "-W" not in day:
        try:
            year, week, _weekday = dt.date.fromisoformat(day).isocalendar()
        except ValueError:
            payload["date"] = ""
        else:
            payload["date"] = f"{year}-W{week:02d}"
    return payload


def coarsen(apps, schema_editor):
    for name in ("AnonymousNotification", "LabourNotice"):
        model = apps.get_model("referrals", name)
        for row in model.objects.all().only("pk", "payload").iterator():
            coarse = _coarse(row.payload)
            if coarse != row.payload:
                model.objects.filter(pk=row.pk).update(payload=coarse)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_move_models_to_reflection_aftercare_exchange")]

    operations = [migrations.RunPython(coarsen, migrations.RunPython.noop)]
