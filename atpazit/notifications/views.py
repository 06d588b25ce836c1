from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from atpazit.accounts.access import actor_for, requires_login_only
from atpazit.notifications import devmail
from atpazit.notifications.kinds import text_for
from atpazit.notifications.selectors import notifications_for
from atpazit.notifications.services import mark_read


@requires_login_only
def inbox_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    page = Paginator(notifications_for(actor.user, actor.organisation), 30).get_page(
        request.GET.get("page")
    )
    rows = [(n, text_for(n.kind)) for n in page]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@requires_login_only
@require_POST
def mark_read_view(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("notification") if v.isdigit()]
    actor = actor_for(request)
    mark_read(user=actor.user, organisation=actor.organisation, notification_ids=ids or None)
    return redirect("notifications:inbox")


@requires_login_only
def dev_mailbox_view(request: HttpRequest) -> HttpResponse:
    """The e-mails kept in development mode instead of being sent, those addressed to the
    signed-in user (all of them for a system administrator or superuser); 404 in any other
    mode."""
    if not devmail.is_enabled():
        raise Http404
    actor = actor_for(request)
    reads_all = actor.user.is_superuser or actor.can("accounts.user:manage")
    mailbox = devmail.messages_in_mailbox(for_address=None if reads_all else actor.user.email)
    return render(
        request, "notifications/dev_mailbox.html", {"mailbox": mailbox, "reads_all": reads_all}
    )
