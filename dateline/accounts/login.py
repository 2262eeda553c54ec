"""Staff login: an optional second factor (TOTP), a per-address limit on failures, and the lockout page.

django-axes locks a username at one address after LOGIN_FAILURE_LIMIT failures (settings.AXES_*); this module adds
the limit on failures from one address whatever the usernames (LOGIN_RATE_PER_IP), which stops password spraying.
"""

import math

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import match_token, user_has_device

from . import ratelimit

FAILURES = "login-failures-ip"


class StaffLoginForm(AdminAuthenticationForm):
    """Username and password; and the code of the authenticator app for those who have set one up."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        help_text=_("Only if you have set up two-factor login: the code your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp": _("The authentication code is missing or wrong. Please type the one your app shows now."),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.verify_second_factor(user, cleaned_data.get("otp_token", "").replace(" ", ""))
        return cleaned_data

    def verify_second_factor(self, user, token):
        """Mark the user verified by the device that accepts `token` (django_otp logs it into the session)."""
        device = match_token(user, token) if token else None
        if device is None:
            user_login_failed.send(__name__, credentials={"username": user.get_username()}, request=self.request)
            raise forms.ValidationError(self.error_messages["otp"], code="otp")
        user.otp_device = device


def second_factor_done(user):
    """A user with a confirmed device must have used it in this session; one without has nothing to do."""
    return user.is_verified() or not user_has_device(user)


def count_failure(sender, credentials, request=None, **kwargs):
    """user_login_failed: one more failure from the request's address."""
    if request is not None:
        ratelimit.hit(FAILURES, ratelimit.client_ip(request), ratelimit.parse_rate(settings.LOGIN_RATE_PER_IP))


def failures_wait(request):
    """Seconds until this address may try to log in again; 0 when it may now."""
    return ratelimit.wait(FAILURES, ratelimit.client_ip(request), ratelimit.parse_rate(settings.LOGIN_RATE_PER_IP))


def refusal(request, seconds):
    """429 with Retry-After and a page saying how long to wait."""
    minutes = max(1, math.ceil(seconds / 60))
    message = ngettext(
        "Too many failed logins. Please wait %(minutes)s minute and try again, or ask an administrator to unlock "
        "your account.",
        "Too many failed logins. Please wait %(minutes)s minutes and try again, or ask an administrator to unlock "
        "your account.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "accounts/login_refused.html", {"message": message}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the username is locked at this address for the cool-off time."""
    return refusal(request, settings.AXES_COOLOFF_TIME.total_seconds())
