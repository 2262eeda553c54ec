"""What every desk page shares: who may enter, and the frame (navigation, unread notices) it is drawn in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from dateline.accounts.login import second_factor_done

from .models import Notice


def desk_required(view):
    """Staff only (and, with a two-factor device, once it was used this session); others go to the login page.
    The desk speaks the staff member's language (their language cookie, else their browser's), whatever the site's."""

    @wraps(view)
    @never_cache
    def guarded(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not second_factor_done(user):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return guarded


def render_desk(request, template, context=None, status=200):
    """A desk page: `template` extends newsroom/desk/base.html, which reads `unread_notices`."""
    unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, template, {"unread_notices": unread, **(context or {})}, status=status)
