"""The app's URLs plus one bare Django JSON view: the yardstick of the API benchmark.

The bare view goes through the same server, the same middleware and the same database, and
answers the same 50 referral rows as ``GET /api/v1/referrals?limit=50`` — without a token, a
permission, a scope, a schema or an audit event. What the API costs on top of Django is the
difference.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from atpazit.referrals.models import Referral
from atpazit.urls import urlpatterns as app_patterns


@csrf_exempt
@login_not_required
def bare_referrals(request: HttpRequest) -> JsonResponse:
    rows = Referral.objects.select_related("suspicion__person").order_by("status_changed_at", "pk")[
        :50
    ]
    items = [
        {
            "id": r.pk,
            "case_number": r.suspicion.person.case_number,
            "suspicion": r.suspicion_id,
            "track": r.track,
            "status": r.status,
            "version": r.version,
            "to_organisation": r.to_organisation_id,
            "legal_basis": r.legal_basis,
            "child_path": r.suspicion.child_path,
            "sent_at": r.sent_at.isoformat(),
            "status_changed_at": r.status_changed_at.isoformat(),
        }
        for r in rows
    ]
    return JsonResponse({"items": items, "limit": 50, "offset": 0, "next_offset": 50})


bare_referrals.otp_exempt = True  # type: ignore[attr-defined]

urlpatterns = [*app_patterns, path("bench/bare-referrals", bare_referrals, name="bench_bare")]
