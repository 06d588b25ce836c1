"""Sign-in with a mandatory second factor, organisation switching, and user administration."""

from __future__ import annotations

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from atpazit.accounts import passwords, services
from atpazit.accounts.access import actor_for, requires, requires_login_only
from atpazit.accounts.forms import (
    LoginForm,
    MembershipForm,
    OrganisationForm,
    OwnPasswordChangeForm,
    OwnPasswordSetForm,
    TokenForm,
    UserCreateForm,
    role_choices_for,
)
from atpazit.accounts.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY, otp_exempt
from atpazit.accounts.selectors import (
    get_membership_for_user,
    get_organisation_for_user,
    members_visible_to,
    memberships_of,
    organisations_visible_to,
)
from atpazit.audit.services import log_event
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import add_service_error, service_errors

RECOVERY_CODES_SESSION_KEY = "atpazit_new_recovery_codes"
PASSWORD_LINK_SESSION_KEY = "atpazit_password_link"  # noqa: S105 - a session key name


@login_not_required
@otp_exempt
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:two_factor")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None:
            login(request, user)
            request.session["atpazit_next"] = _safe_next(request)
            if not settings.ATPAZIT_2FA_REQUIRED:
                return redirect(request.session.pop("atpazit_next", "") or "web:dashboard")
            return redirect("accounts:two_factor")
        form.add_error(None, _("The username or password is not correct."))
    return render(request, "accounts/login.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@otp_exempt
@requires_login_only
@require_http_methods(["GET", "POST"])
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Verify the second factor; on first sign-in, enrol an authenticator app instead."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect("web:dashboard")
    if not services.has_confirmed_totp(user):  # type: ignore[arg-type]
        return _enrol(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session key for the fully signed-in session
            log_event("auth.2fa_verified", obj=user)  # type: ignore[arg-type]
            return redirect(request.session.pop("atpazit_next", "") or "web:dashboard")
        log_event("auth.2fa_failed", obj=user, outcome="failure")  # type: ignore[arg-type]
        form.add_error(
            "token", _("This code is not valid. Check the time on your phone and try again.")
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _enrol(request: HttpRequest) -> HttpResponse:
    device = services.pending_totp_device(request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_enrolment(user=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("accounts:recovery_codes")
        form.add_error(
            "token", _("This code is not valid. Check the time on your phone and try again.")
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    secret = _group(base64.b32encode(device.bin_key).decode("ascii").rstrip("="))
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret},
    )


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@requires_login_only
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("web:dashboard")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@otp_exempt
@requires_login_only
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


# --- own password ----------------------------------------------------------------------------


@login_not_required
@otp_exempt
@require_GET
def password_link_view(request: HttpRequest) -> HttpResponse:
    """Open a one-time link from the e-mail: keep the token in the session, out of the address
    bar (and so out of the Referer header and the browser history), and ask for the password.
    The token comes in the query string, which the access log leaves out (web serve), so whoever
    reads the server's logs cannot use the link before the user does."""
    request.session[PASSWORD_LINK_SESSION_KEY] = request.GET.get("token", "")[:128]
    return redirect("accounts:password_set")


@login_not_required
@otp_exempt
@require_http_methods(["GET", "POST"])
def password_set_view(request: HttpRequest) -> HttpResponse:
    """Set one's own password through a one-time link; then sign in and set up 2FA."""
    token = request.session.get(PASSWORD_LINK_SESSION_KEY, "")
    link = passwords.open_link_for(token)
    if link is None:
        return render(request, "accounts/password_link_invalid.html")
    form = OwnPasswordSetForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.set_password_with_link(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ServiceError:
            return render(request, "accounts/password_link_invalid.html")
        except ValidationError as exc:
            form.add_error("new_password2", exc)
        else:
            logout(request)  # whoever was signed in here, and the token, leave the session
            messages.success(
                request,
                _("Your password is set. Sign in now and set up two-factor sign-in."),
            )
            return redirect("accounts:login")
    return render(
        request, "accounts/password_set.html", {"form": form, "username": link.user.username}
    )


@requires_login_only
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's own password; this session gets a new key and every other one ends."""
    user = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.change_own_password(
                user=user,  # type: ignore[arg-type]
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ServiceError as exc:
            if exc.field == "current_password" and _count_failed_password_check(request):
                # Someone holding a stolen session must not be able to guess the password
                # without limit: the account locks as after failed sign-ins, and this session
                # ends, so the guesser is back at the sign-in page, which is locked too.
                logout(request)
                return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
            add_service_error(form, exc)
        except ValidationError as exc:
            form.add_error("new_password2", exc)
        else:
            update_session_auth_hash(request, user)  # type: ignore[arg-type]
            messages.success(
                request, _("Your password was changed. Your other sessions were signed out.")
            )
            return redirect("web:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


def _count_failed_password_check(request: HttpRequest) -> bool:
    """Count a wrong current password like a failed sign-in of the same user name (one lockout
    policy, ATPAZIT_LOCKOUT_FAILURES); True when the account is now locked."""
    credentials = {"username": request.user.get_username()}
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
    return AxesProxyHandler.is_locked(request, credentials)


@requires_login_only
@require_POST
def switch_organisation_view(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("membership", "")
    for membership in memberships_of(request.user):  # type: ignore[arg-type]
        if str(membership.pk) == wanted:
            request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
            log_event("auth.organisation_switched", obj=membership)
            messages.success(
                request,
                _("You are now working for %(organisation)s.")
                % {"organisation": membership.organisation.name},
            )
            return redirect("web:dashboard")
    messages.error(request, _("You are not a member of that organisation."))
    return redirect("web:dashboard")


# --- administration ------------------------------------------------------------------------


@requires("accounts.user:manage")
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    memberships = members_visible_to(actor).order_by(
        "organisation__name", "user__last_name", "user__username"
    )
    log_event(
        "users.listed",
        details={"organisation": actor.organisation.pk if actor.organisation else None},
    )
    return render(request, "accounts/user_list.html", {"memberships": memberships})


@requires("accounts.user:manage")
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    organisation = actor.organisation
    if organisation is None:
        return redirect("web:dashboard")
    form = UserCreateForm(request.POST or None, roles=role_choices_for(organisation.type))
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.create_user(actor=actor, organisation=organisation, **form.cleaned_data)
            messages.success(
                request,
                _(
                    "The user was created. A one-time link to set their own password is queued "
                    "for their work e-mail."
                ),
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "organisation": organisation})


@requires("accounts.user:manage")
@require_http_methods(["GET", "POST"])
def membership_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    membership = get_membership_for_user(actor, pk, shown=True)
    form = MembershipForm(
        request.POST or None,
        roles=role_choices_for(membership.organisation.type),
        initial={"role": membership.role, "is_active": membership.is_active},
    )
    if request.method == "POST" and "reset_2fa" in request.POST:
        try:
            services.reset_second_factor(actor=actor, user=membership.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Sign-in was reset: the user's password no longer works. They received a "
                    "one-time link to set a new one and will set up two-factor sign-in again."
                ),
            )
        return redirect("accounts:membership_edit", pk=pk)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.change_membership(actor=actor, membership=membership, **form.cleaned_data)
            messages.success(request, _("The membership was saved."))
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/membership_form.html",
        {"form": form, "membership": membership, "is_self": membership.user_id == actor.user.pk},
    )


@requires("accounts.organisation:manage")
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    organisations = organisations_visible_to(actor_for(request))
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@requires("accounts.organisation:manage")
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_for(request)
    organisation = get_organisation_for_user(actor, pk) if pk is not None else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.save_organisation(actor=actor, organisation=organisation, **form.cleaned_data)
            messages.success(request, _("The organisation was saved."))
            return HttpResponseRedirect(reverse("accounts:organisation_list"))
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )
